//! A labelled sample as a point shapefile (`reclaim accuracy --reference
//! labelled.shp`, `[accuracy] reference = "labelled.shp"`): the sample opened in
//! QGIS, labelled and saved as an ESRI Shapefile.
//!
//! Each record is one point: its location is the record's Point geometry, taken from
//! the CRS of the `.prj` into the project CRS. Without a `.prj`, the `x` and `y`
//! fields that `reclaim sample` writes (project CRS) stand in for it; with neither,
//! the file is refused (the CRS is never guessed). The `.dbf` must hold the fields
//! `stratum`, `map_class` and `reference` (names matched ignoring case, as some
//! tools write them upper case). Deleted `.dbf` records are skipped; a row is the
//! record's 1-based position + 1, as if the file were a table with a header.

use super::error::{AccuracyError, FileProblem, RowProblem};
use super::labelled::{coordinate, Labelled};
use crate::crs::{Crs, Transformer};
use crate::vector::{FieldValue, ReadOptions, VectorError};
use shapefile::{Shape, ShapeReader};
use std::path::Path;

/// Largest `.shp` / `.dbf` read: a sample is a few hundred points (a few KiB).
const MAX_FILE_BYTES: u64 = 64 << 20;
/// Most records read: far more than any sample a field team labels.
const MAX_POINTS: usize = 1_000_000;

/// The fields a labelled sample needs.
const FIELDS: [&str; 3] = ["stratum", "map_class", "reference"];

/// Reads the labelled points of the shapefile `path`, located in `crs`.
///
/// # Errors
/// [`AccuracyError::Engine`] for an unreadable or malformed shapefile (its
/// `.dbf`, `.shx` or `.prj`), [`FileProblem::MissingField`],
/// [`FileProblem::NoCrs`], [`RowProblem::NotAPoint`] naming the row.
pub fn labels_shp(path: &Path, crs: &Crs) -> Result<Vec<Labelled>, AccuracyError> {
    let vector = |e: VectorError| AccuracyError::Engine(Box::new(e.into()));
    let opts = ReadOptions {
        max_features: MAX_POINTS,
        max_file_bytes: MAX_FILE_BYTES,
        ..ReadOptions::default()
    };
    crate::input::check_regular(path).map_err(|e| vector(e.into()))?;
    let shp = crate::input::read_capped(path, MAX_FILE_BYTES, crate::input::Cap::Vector)
        .map_err(|e| vector(e.into()))?;
    if let Some(shx) = crate::vector::sidecar(path, "shx") {
        crate::input::check_capped(&shx, MAX_FILE_BYTES, crate::input::Cap::Vector)
            .map_err(|e| vector(e.into()))?;
        crate::vector::shx::check(path, &shx).map_err(vector)?;
    }
    let dbf = crate::vector::sidecar(path, "dbf").ok_or_else(|| {
        vector(VectorError::MissingSidecar {
            path: path.to_path_buf(),
            extension: "dbf",
        })
    })?;
    let table = crate::vector::read_dbf(&dbf, &opts).map_err(vector)?;
    let names = table.field_names();
    let column = |name: &str| names.iter().position(|n| n.eq_ignore_ascii_case(name));
    let mut cols = [0usize; 3];
    for (k, name) in FIELDS.iter().enumerate() {
        cols[k] = column(name).ok_or_else(|| AccuracyError::File {
            path: path.to_path_buf(),
            problem: FileProblem::MissingField {
                field: name,
                found: names.join(", "),
            },
        })?;
    }
    let xy_cols = column("x").zip(column("y"));
    // Where the points are: the .prj's CRS, else the x, y fields.
    let locate = match (crate::vector::read_prj(path).map_err(vector)?, xy_cols) {
        (Some(from), _) => Locate::Geometry(Box::new(Transformer::new(&from, crs).map_err(
            |source| {
                AccuracyError::Engine(Box::new(crate::Error::Crs {
                    path: path.to_path_buf(),
                    source,
                }))
            },
        )?)),
        (None, Some((cx, cy))) => Locate::Fields(cx, cy),
        (None, None) => {
            return Err(AccuracyError::File {
                path: path.to_path_buf(),
                problem: FileProblem::NoCrs,
            })
        }
    };

    let shape_error = |feature: usize| {
        move |source| {
            vector(VectorError::Shapefile {
                path: path.to_path_buf(),
                feature,
                source,
            })
        }
    };
    crate::vector::check_record_sizes(&shp).map_err(|(i, e)| shape_error(i)(e))?;
    let mut reader = ShapeReader::new(std::io::Cursor::new(shp)).map_err(shape_error(0))?;
    let mut out = Vec::new();
    let mut shapes = 0usize;
    for (index, shape) in reader.iter_shapes().enumerate() {
        if index >= MAX_POINTS {
            return Err(vector(VectorError::LimitExceeded {
                path: path.to_path_buf(),
                what: crate::vector::Limit::Features,
                limit: MAX_POINTS,
            }));
        }
        shapes = index + 1;
        let shape = shape.map_err(shape_error(index))?;
        let Some(Some(values)) = table.records.get(index) else {
            // A deleted record (or one beyond the .dbf, refused below).
            continue;
        };
        let row = index + 2;
        let bad = |problem| AccuracyError::Row {
            path: path.to_path_buf(),
            row,
            problem,
        };
        let text = |k: usize| -> String {
            values
                .get(k)
                .and_then(FieldValue::as_text)
                .unwrap_or_default()
        };
        let (x, y) = match &locate {
            Locate::Geometry(t) => {
                let (px, py) = point(&shape).map_err(bad)?;
                let (x, y) = t.transform_point(px, py).map_err(|source| {
                    AccuracyError::Engine(Box::new(crate::Error::Crs {
                        path: path.to_path_buf(),
                        source,
                    }))
                })?;
                if !(x.is_finite() && y.is_finite()) {
                    return Err(bad(RowProblem::BadCoordinate {
                        column: "geometry",
                        text: format!("({px}, {py})"),
                    }));
                }
                (x, y)
            }
            Locate::Fields(cx, cy) => (
                coordinate("x", &text(*cx)).map_err(bad)?,
                coordinate("y", &text(*cy)).map_err(bad)?,
            ),
        };
        out.push(Labelled {
            row,
            x,
            y,
            stratum: text(cols[0]).trim().to_string(),
            map_class: text(cols[1]).trim().to_string(),
            reference: text(cols[2]),
        });
    }
    if shapes != table.records.len() {
        return Err(vector(VectorError::Malformed {
            path: path.to_path_buf(),
            problem: crate::vector::Malformation::RecordCountMismatch {
                shapes,
                records: table.records.len(),
            },
        }));
    }
    Ok(out)
}

/// Where a record's point comes from.
enum Locate {
    /// Its geometry, from the `.prj`'s CRS into the project CRS.
    Geometry(Box<Transformer>),
    /// Its `x`, `y` fields (columns), already in the project CRS.
    Fields(usize, usize),
}

/// The location of a point record.
fn point(shape: &Shape) -> Result<(f64, f64), RowProblem> {
    let (x, y) = match shape {
        Shape::Point(p) => (p.x, p.y),
        Shape::PointM(p) => (p.x, p.y),
        Shape::PointZ(p) => (p.x, p.y),
        other => {
            return Err(RowProblem::NotAPoint {
                kind: crate::vector::shape_kind(other),
            })
        }
    };
    if x.is_finite() && y.is_finite() {
        Ok((x, y))
    } else {
        Err(RowProblem::BadCoordinate {
            column: "geometry",
            text: format!("({x}, {y})"),
        })
    }
}
