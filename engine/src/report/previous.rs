//! Reading a previous audit's folder back: county figures from `summary.json`,
//! per-pit and per-licence areas at full precision.
//!
//! `pits.csv` and `mines.csv` are rounded for people (0.01 ha), so their rows give
//! the ids (every pit, every licence, with land or not) and the figures come from
//! `attribution.csv`, which keeps full precision: each pit's (licence's) four class
//! areas are the sums of its (responsible) pieces in file order, as the audit summed
//! them — bit for bit what the audit held. A folder without `attribution.csv` falls
//! back to the figures of `pits.csv` / `mines.csv` (older folders wrote them at full
//! precision). Columns are found by header name, so a later reclaim that adds
//! columns can still read an older folder and the other way round; a byte-order mark
//! (`--excel`) is skipped.

use super::error::{CsvProblem, ReportError};
use super::io::read_capped;
use super::summary::read_summary;
use crate::csv::parse;
use crate::results::{ClassAreas, Summary};
use std::collections::BTreeMap;
use std::path::Path;

/// Largest table read back (a country's pits fit well below this).
const TABLE_MAX_BYTES: u64 = 2 << 30;

/// File name of the per-pit table.
pub const PITS_FILE: &str = "pits.csv";
/// File name of the per-licence table.
pub const MINES_FILE: &str = "mines.csv";
/// File name of the per-piece table (full precision).
const PIECES_FILE: &str = "attribution.csv";

/// What a later audit needs from a previous one.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviousAudit {
    /// County figures.
    pub summary: Summary,
    /// Areas by pit id.
    pub pits: BTreeMap<String, ClassAreas>,
    /// Areas by licence id.
    pub mines: BTreeMap<String, ClassAreas>,
}

/// Reads `summary.json`, `pits.csv` and `mines.csv` of a previous audit folder.
///
/// # Errors
/// Any error of [`read_summary`], [`read_pits_csv`] or [`read_mines_csv`].
pub fn read_previous(dir: &Path) -> Result<PreviousAudit, ReportError> {
    Ok(PreviousAudit {
        summary: read_summary(dir)?,
        pits: read_pits_csv(dir)?,
        mines: read_mines_csv(dir)?,
    })
}

/// Areas by pit id: the pits of `pits.csv`, with full-precision figures from
/// `attribution.csv` (when the folder has one).
///
/// # Errors
/// [`ReportError::Io`], [`ReportError::TooLarge`], or [`ReportError::Csv`] naming the line.
pub fn read_pits_csv(dir: &Path) -> Result<BTreeMap<String, ClassAreas>, ReportError> {
    let rows = read_areas(&dir.join(PITS_FILE), "pit_id", None)?;
    with_piece_sums(dir, rows, "pit_id", false)
}

/// Areas by licence id: the licences of `mines.csv`, with full-precision figures
/// from `attribution.csv` (when the folder has one).
///
/// # Errors
/// As [`read_pits_csv`].
pub fn read_mines_csv(dir: &Path) -> Result<BTreeMap<String, ClassAreas>, ReportError> {
    let rows = read_areas(&dir.join(MINES_FILE), "license_id", None)?;
    with_piece_sums(dir, rows, "license_id", true)
}

/// `rows` with their figures replaced by the sums of `attribution.csv`'s pieces by
/// `id_column` (0 for an id without pieces); `rows` as they are without that file.
fn with_piece_sums(
    dir: &Path,
    rows: BTreeMap<String, ClassAreas>,
    id_column: &'static str,
    responsible_only: bool,
) -> Result<BTreeMap<String, ClassAreas>, ReportError> {
    let path = dir.join(PIECES_FILE);
    if !path.exists() {
        return Ok(rows);
    }
    let mut sums: BTreeMap<String, ClassAreas> = BTreeMap::new();
    read_areas(
        &path,
        id_column,
        Some(&mut |id, a| {
            if responsible_only && id.is_empty() {
                return;
            }
            // 0.0 + a₁ + a₂ …, in piece order: the audit's own sum, bit for bit.
            let e = sums.entry(id.to_owned()).or_default();
            e.restored_ha += a.restored_ha;
            e.unrestored_ha += a.unrestored_ha;
            e.water_ha += a.water_ha;
            e.unobserved_ha += a.unobserved_ha;
        }),
    )?;
    Ok(rows
        .into_keys()
        .map(|id| {
            let a = sums.get(&id).copied().unwrap_or_default();
            (id, a)
        })
        .collect())
}

/// Called with each row's id and areas instead of collecting them by id.
type RowSink<'a> = &'a mut dyn FnMut(&str, ClassAreas);

/// The id column and the four class columns of a table, by id (ids must be
/// unique); with `sink`, each row is handed to it instead (ids may repeat) and the
/// map returned is empty.
fn read_areas(
    path: &Path,
    id_column: &'static str,
    mut sink: Option<RowSink<'_>>,
) -> Result<BTreeMap<String, ClassAreas>, ReportError> {
    let text = read_capped(path, TABLE_MAX_BYTES)?;
    let err = |line: usize, problem: CsvProblem| ReportError::Csv {
        path: path.to_path_buf(),
        line,
        problem,
    };
    let records = parse(&text).map_err(|(line, p)| err(line, p))?;
    let mut rows = records.iter();
    let header = rows.next().ok_or_else(|| err(1, CsvProblem::Empty))?;
    let col = |name: &'static str| {
        header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| err(1, CsvProblem::MissingColumn { column: name }))
    };
    let id_col = col(id_column)?;
    let class_cols = [
        ("restored_ha", col("restored_ha")?),
        ("unrestored_ha", col("unrestored_ha")?),
        ("water_ha", col("water_ha")?),
        ("unobserved_ha", col("unobserved_ha")?),
    ];
    let mut out = BTreeMap::new();
    // Records may span lines (quoted line breaks); report the record number + 1
    // (the header is line 1), which equals the line for single-line records.
    for (n, rec) in rows.enumerate() {
        let line = n + 2;
        if rec.len() != header.len() {
            return Err(err(
                line,
                CsvProblem::FieldCount {
                    expected: header.len(),
                    found: rec.len(),
                },
            ));
        }
        let field = |i: usize| rec.get(i).map(String::as_str).unwrap_or("");
        let mut v = [0.0f64; 4];
        for (slot, (name, i)) in v.iter_mut().zip(class_cols) {
            let text = field(i);
            *slot = text.trim().parse::<f64>().map_err(|_| {
                err(
                    line,
                    CsvProblem::BadNumber {
                        column: name,
                        text: text.to_owned(),
                    },
                )
            })?;
        }
        let [restored_ha, unrestored_ha, water_ha, unobserved_ha] = v;
        let areas = ClassAreas {
            restored_ha,
            unrestored_ha,
            water_ha,
            unobserved_ha,
            ..ClassAreas::default()
        };
        if let Some(sink) = sink.as_mut() {
            sink(field(id_col), areas);
            continue;
        }
        let id = field(id_col).to_owned();
        if out.insert(id.clone(), areas).is_some() {
            return Err(err(line, CsvProblem::DuplicateId { id }));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) {
        std::fs::write(dir.join(name), text).unwrap();
    }

    #[test]
    fn columns_found_by_name_in_any_order() {
        let d = tempfile::tempdir().unwrap();
        write(
            d.path(),
            PITS_FILE,
            "water_ha,pit_id,extra,unobserved_ha,restored_ha,unrestored_ha\n0.5,\"P,1\",x,0,1.25,2\n",
        );
        let m = read_pits_csv(d.path()).unwrap();
        let a = m["P,1"];
        assert_eq!(
            (a.restored_ha, a.unrestored_ha, a.water_ha, a.unobserved_ha),
            (1.25, 2.0, 0.5, 0.0)
        );
    }

    #[test]
    fn figures_come_at_full_precision_from_the_pieces() {
        let d = tempfile::tempdir().unwrap();
        let pieces = [0.1, 0.2, 3.826_249_999_999_999_5];
        write(
            d.path(),
            PIECES_FILE,
            &format!(
                "\u{feff}pit_id,license_id,restored_ha,unrestored_ha,water_ha,unobserved_ha\n\
                 P1,L1,{},1,0,0\nP1,,{},2,0,0\nP2,L1,{},0,0,0.5\n",
                pieces[0], pieces[1], pieces[2]
            ),
        );
        let h = "restored_ha,unrestored_ha,water_ha,unobserved_ha";
        write(
            d.path(),
            PITS_FILE,
            &format!("\u{feff}pit_id,{h}\nP1,0.30,3.00,0.00,0.00\nP2,3.83,0.00,0.00,0.50\nP3,0.00,0.00,0.00,0.00\n"),
        );
        write(
            d.path(),
            MINES_FILE,
            &format!("license_id,{h}\nL1,3.93,1.00,0.00,0.50\nL2,0.00,0.00,0.00,0.00\n"),
        );
        let pits = read_pits_csv(d.path()).unwrap();
        assert_eq!(pits["P1"].restored_ha, 0.0 + 0.1 + 0.2);
        assert_eq!(pits["P1"].unrestored_ha, 3.0);
        assert_eq!(pits["P2"].restored_ha, pieces[2]);
        assert_eq!(pits["P3"], ClassAreas::default());
        let mines = read_mines_csv(d.path()).unwrap();
        assert_eq!(mines.len(), 2);
        assert_eq!(mines["L1"].restored_ha, 0.0 + 0.1 + pieces[2]);
        assert_eq!(mines["L1"].unrestored_ha, 1.0);
        assert_eq!(mines["L2"], ClassAreas::default());
        // Without attribution.csv: the tables' own figures.
        std::fs::remove_file(d.path().join(PIECES_FILE)).unwrap();
        assert_eq!(read_pits_csv(d.path()).unwrap()["P2"].restored_ha, 3.83);
    }

    #[test]
    fn bad_rows_are_errors_naming_line_and_column() {
        let d = tempfile::tempdir().unwrap();
        let h = "license_id,restored_ha,unrestored_ha,water_ha,unobserved_ha\n";
        write(
            d.path(),
            MINES_FILE,
            &format!("{h}L1,1,2,3,4\nL2,1,x,3,4\n"),
        );
        let e = read_mines_csv(d.path()).unwrap_err().to_string();
        assert!(e.contains("line 3") && e.contains("unrestored_ha"), "{e}");
        write(
            d.path(),
            MINES_FILE,
            &format!("{h}L1,1,2,3,4\nL1,1,2,3,4\n"),
        );
        let e = read_mines_csv(d.path()).unwrap_err().to_string();
        assert!(e.contains("L1") && e.contains("twice"), "{e}");
        write(d.path(), MINES_FILE, &format!("{h}L1,1,2,3\n"));
        assert!(matches!(
            read_mines_csv(d.path()),
            Err(ReportError::Csv {
                problem: CsvProblem::FieldCount {
                    expected: 5,
                    found: 4
                },
                ..
            })
        ));
        write(d.path(), MINES_FILE, "license_id,restored_ha\n");
        let e = read_mines_csv(d.path()).unwrap_err().to_string();
        assert!(
            e.contains("unrestored_ha") && e.contains("mines.csv"),
            "{e}"
        );
    }
}
