//! One labelled point of a sample, as read from its file.

use super::error::RowProblem;

/// One labelled point as read from its file, before it is checked against a frame.
#[derive(Debug, Clone, PartialEq)]
pub struct Labelled {
    /// 1-based row as in a table with a header (a feature's 1-based position + 1).
    pub row: usize,
    /// The point in the project CRS.
    pub x: f64,
    pub y: f64,
    /// Its stratum, map class and reference label as written.
    pub stratum: String,
    pub map_class: String,
    pub reference: String,
}

/// A coordinate column's value: a finite number.
pub(crate) fn coordinate(column: &'static str, text: &str) -> Result<f64, RowProblem> {
    text.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| RowProblem::BadCoordinate {
            column,
            text: text.into(),
        })
}
