//! Errors of an audit run: every input problem names the file, the place and the fix.

use super::config::ConfigError;
use crate::attribute::AttributeError;
use crate::classify::classes::ClassesError;
use crate::classify::mask::MaskError;
use crate::grid::GeoTransform;
use crate::report::ReportError;
use std::path::PathBuf;

/// Anything that stops an audit.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// The configuration file is unreadable or invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// An input file problem (raster, vector, CRS, output).
    #[error(transparent)]
    Input(#[from] crate::Error),
    /// Attribution failed (duplicate ids, bad dates …).
    #[error("{path}: {source}")]
    Attribute {
        path: PathBuf,
        #[source]
        source: AttributeError,
    },
    /// The `[imagery]` section does not say where the bands are.
    #[error("[imagery] {detail}")]
    Imagery { detail: &'static str },
    /// The mask settings are wrong.
    #[error("[imagery] mask: {0}")]
    Mask(#[from] MaskError),
    /// The class mapping is wrong.
    #[error("[imagery] {0}")]
    Classes(#[from] ClassesError),
    /// Two rasters that must share a grid do not.
    #[error("{b} is not on the grid of {a}: {a_size:?} cells at {a_transform:?} vs {b_size:?} cells at {b_transform:?}; resample it onto the same grid (e.g. `gdalwarp -te … -tr … -r near`)")]
    GridMismatch {
        a: PathBuf,
        b: PathBuf,
        a_size: (usize, usize),
        b_size: (usize, usize),
        a_transform: GeoTransform,
        b_transform: GeoTransform,
    },
    /// The imagery does not overlap any footprint.
    #[error("no footprint of {pits} overlaps the imagery {imagery}: check both are of the same place and CRS")]
    NoOverlap { pits: PathBuf, imagery: PathBuf },
    /// A required attribute is empty for a feature.
    #[error("{path}: feature {feature} has an empty {field:?}; every feature needs one")]
    EmptyField {
        path: PathBuf,
        feature: usize,
        field: String,
    },
    /// The previous audit folder cannot be used.
    #[error("--previous {dir}: {detail}")]
    Previous { dir: PathBuf, detail: String },
    /// Writing or reading report files failed.
    #[error(transparent)]
    Report(#[from] ReportError),
    /// The figures do not add up (a bug: please report it with the inputs).
    #[error("internal check failed, figures do not reconcile: {detail}")]
    Reconciliation { detail: String },
}
