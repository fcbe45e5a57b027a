//! Reading a previous audit's folder back: county figures from `summary.json`,
//! per-pit and per-licence areas from `pits.csv` and `mines.csv`.
//!
//! Columns are found by header name, so a later reclaim that adds columns can still
//! read an older folder and the other way round.

use super::csv::parse;
use super::error::{CsvProblem, ReportError};
use super::io::read_capped;
use super::summary::read_summary;
use crate::audit::model::{ClassAreas, Summary};
use std::collections::BTreeMap;
use std::path::Path;

/// Largest table read back (a country's pits fit well below this).
const TABLE_MAX_BYTES: u64 = 2 << 30;

/// File name of the per-pit table.
pub const PITS_FILE: &str = "pits.csv";
/// File name of the per-licence table.
pub const MINES_FILE: &str = "mines.csv";

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

/// Areas by pit id from `pits.csv`.
///
/// # Errors
/// [`ReportError::Io`], [`ReportError::TooLarge`], or [`ReportError::Csv`] naming the line.
pub fn read_pits_csv(dir: &Path) -> Result<BTreeMap<String, ClassAreas>, ReportError> {
    read_areas(&dir.join(PITS_FILE), "pit_id")
}

/// Areas by licence id from `mines.csv`.
///
/// # Errors
/// As [`read_pits_csv`].
pub fn read_mines_csv(dir: &Path) -> Result<BTreeMap<String, ClassAreas>, ReportError> {
    read_areas(&dir.join(MINES_FILE), "license_id")
}

/// The id column and the four class columns of a table, by id.
fn read_areas(
    path: &Path,
    id_column: &'static str,
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
        let id = field(id_col).to_owned();
        let areas = ClassAreas {
            restored_ha,
            unrestored_ha,
            water_ha,
            unobserved_ha,
            ..ClassAreas::default()
        };
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
