//! Reading the table mode's files: an error matrix of counts and the mapped areas.
//!
//! - `counts.csv`: header `map_class,<reference class 1>,…`; one row per map class,
//!   whole counts of 0 or more. Rows and columns name the same classes (in any order).
//! - `areas.csv`: header `class,area_ha`; one row per map class.
//!
//! Every class of the areas file needs a row and a column; the matrix is returned in
//! the areas file's order of classes.

use super::design::Stratum;
use super::error::{AccuracyError, FileProblem, RowProblem};
use std::path::Path;

/// Largest table file read (a matrix of a few classes is a few hundred bytes).
const TABLE_MAX_BYTES: u64 = 16 << 20;

/// Reads a small CSV file into records (header first), naming the file on error.
pub(crate) fn read_records(path: &Path) -> Result<Vec<Vec<String>>, AccuracyError> {
    let text = crate::report::io::read_capped(path, TABLE_MAX_BYTES).map_err(|source| {
        AccuracyError::Read {
            path: path.to_path_buf(),
            source,
        }
    })?;
    crate::csv::parse(&text).map_err(|(line, problem)| AccuracyError::Read {
        path: path.to_path_buf(),
        source: crate::report::ReportError::Csv {
            path: path.to_path_buf(),
            line,
            problem,
        },
    })
}

fn file(path: &Path, problem: FileProblem) -> AccuracyError {
    AccuracyError::File {
        path: path.to_path_buf(),
        problem,
    }
}

fn row(path: &Path, row: usize, problem: RowProblem) -> AccuracyError {
    AccuracyError::Row {
        path: path.to_path_buf(),
        row,
        problem,
    }
}

/// The map classes and their areas (ha) from `areas.csv`.
///
/// # Errors
/// [`AccuracyError`] naming the file and row: a wrong header, a duplicate class, an
/// area that is not a number of 0 or more, no rows.
pub fn read_areas(path: &Path) -> Result<Vec<Stratum>, AccuracyError> {
    let recs = read_records(path)?;
    let header = recs.first().cloned().unwrap_or_default();
    let names: Vec<&str> = header.iter().map(|h| h.trim()).collect();
    if names != ["class", "area_ha"] {
        return Err(file(
            path,
            FileProblem::Header {
                expected: "class,area_ha".into(),
                found: header.join(","),
            },
        ));
    }
    let mut strata: Vec<Stratum> = Vec::new();
    for (i, r) in recs.iter().enumerate().skip(1) {
        if r.len() != 2 {
            return Err(row(
                path,
                i + 1,
                RowProblem::FieldCount {
                    expected: 2,
                    found: r.len(),
                },
            ));
        }
        let class = r[0].trim().to_string();
        let text = r[1].trim();
        let area = text
            .parse::<f64>()
            .ok()
            .filter(|a| a.is_finite() && *a >= 0.0)
            .ok_or_else(|| {
                row(
                    path,
                    i + 1,
                    RowProblem::BadArea {
                        column: "area_ha".into(),
                        text: text.into(),
                    },
                )
            })?;
        if strata.iter().any(|s| s.name == class) {
            return Err(row(path, i + 1, RowProblem::DuplicateClass { class }));
        }
        strata.push(Stratum::new(class, area));
    }
    if strata.is_empty() {
        return Err(file(path, FileProblem::NoRows));
    }
    Ok(strata)
}

/// The error matrix of counts from `counts.csv`, rows and columns in the order of
/// `classes` (those of the areas file, `areas_path`).
///
/// # Errors
/// [`AccuracyError`] naming the file and row: a wrong header, a negative or
/// fractional count, a row or column naming a class the areas file lacks, a class
/// of the areas file without its row or column.
pub fn read_counts(
    path: &Path,
    classes: &[String],
    areas_path: &Path,
) -> Result<Vec<Vec<u64>>, AccuracyError> {
    let recs = read_records(path)?;
    let header = recs.first().cloned().unwrap_or_default();
    let known = classes.join(", ");
    if header.first().map(|h| h.trim()) != Some("map_class") || header.len() < 2 {
        return Err(file(
            path,
            FileProblem::Header {
                expected: format!("map_class,{}", classes.join(",")),
                found: header.join(","),
            },
        ));
    }
    let columns: Vec<String> = header[1..].iter().map(|h| h.trim().to_string()).collect();
    let differ = || {
        let rows: Vec<String> = recs
            .iter()
            .skip(1)
            .filter_map(|r| r.first().map(|c| c.trim().to_string()))
            .collect();
        file(
            path,
            FileProblem::ClassesDiffer {
                columns: columns.join(", "),
                rows: rows.join(", "),
            },
        )
    };
    // Columns: each a class of the areas file, each once, all of them.
    let mut col_of = Vec::with_capacity(columns.len());
    for (j, c) in columns.iter().enumerate() {
        if columns[..j].contains(c) {
            return Err(row(
                path,
                1,
                RowProblem::DuplicateClass { class: c.clone() },
            ));
        }
        col_of.push(classes.iter().position(|k| k == c).ok_or_else(differ)?);
    }
    if columns.len() != classes.len() {
        return Err(differ());
    }
    let q = classes.len();
    let mut counts = vec![vec![0u64; q]; q];
    let mut seen = vec![false; q];
    for (i, r) in recs.iter().enumerate().skip(1) {
        let line = i + 1;
        if r.len() != header.len() {
            return Err(row(
                path,
                line,
                RowProblem::FieldCount {
                    expected: header.len(),
                    found: r.len(),
                },
            ));
        }
        let class = r[0].trim();
        let m = classes.iter().position(|k| k == class).ok_or_else(|| {
            row(
                path,
                line,
                RowProblem::UnknownMapClass {
                    class: class.into(),
                    known: format!("{known} in {}", areas_path.display()),
                },
            )
        })?;
        if seen[m] {
            return Err(row(
                path,
                line,
                RowProblem::DuplicateClass {
                    class: class.into(),
                },
            ));
        }
        seen[m] = true;
        for (j, text) in r[1..].iter().enumerate() {
            let t = text.trim();
            let v = t.parse::<u64>().map_err(|_| {
                row(
                    path,
                    line,
                    RowProblem::BadCount {
                        column: columns[j].clone(),
                        text: t.into(),
                    },
                )
            })?;
            counts[m][col_of[j]] = v;
        }
    }
    if recs.len() < 2 {
        return Err(file(path, FileProblem::NoRows));
    }
    if let Some(k) = seen.iter().position(|s| !s) {
        return Err(file(
            path,
            FileProblem::MissingRow {
                class: classes[k].clone(),
            },
        ));
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> std::path::PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn reads_a_matrix_in_the_areas_order_and_names_bad_rows() {
        let d = tempfile::tempdir().unwrap();
        let areas = write(
            d.path(),
            "areas.csv",
            "class,area_ha\nrestored,10\nunrestored,5.5\n",
        );
        let s = read_areas(&areas).unwrap();
        let classes: Vec<String> = s.iter().map(|s| s.name.clone()).collect();
        assert_eq!(classes, ["restored", "unrestored"]);
        // Columns and rows in another order than the areas file.
        let c = write(
            d.path(),
            "c.csv",
            "map_class,unrestored,restored\nunrestored,9,1\nrestored,2,8\n",
        );
        assert_eq!(
            read_counts(&c, &classes, &areas).unwrap(),
            vec![vec![8, 2], vec![1, 9]]
        );
        let neg = write(
            d.path(),
            "n.csv",
            "map_class,restored,unrestored\nrestored,8,-2\nunrestored,1,9\n",
        );
        let e = read_counts(&neg, &classes, &areas).unwrap_err().to_string();
        assert!(e.contains("n.csv, row 2") && e.contains("\"-2\""), "{e}");
        let other = write(
            d.path(),
            "o.csv",
            "map_class,restored,water\nrestored,8,2\nunrestored,1,9\n",
        );
        let e = read_counts(&other, &classes, &areas)
            .unwrap_err()
            .to_string();
        assert!(e.contains("same classes"), "{e}");
        let missing = write(
            d.path(),
            "m.csv",
            "map_class,restored,unrestored\nrestored,8,2\n",
        );
        let e = read_counts(&missing, &classes, &areas)
            .unwrap_err()
            .to_string();
        assert!(e.contains("\"unrestored\"") && e.contains("no row"), "{e}");
        let bad = write(d.path(), "b.csv", "class,area_ha\nrestored,ten\n");
        let e = read_areas(&bad).unwrap_err().to_string();
        assert!(e.contains("b.csv, row 2"), "{e}");
    }
}
