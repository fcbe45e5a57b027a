//! Errors of an audit run: every input problem names the file, the place and the fix.

use crate::attribute::AttributeError;
use crate::classify::classes::ClassesError;
use crate::classify::mask::MaskError;
use crate::config::ConfigError;
use crate::grid::GeoTransform;
use crate::report::ReportError;
use std::path::PathBuf;

/// Anything that stops an audit.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AuditError {
    /// The configuration file is unreadable or invalid.
    #[error(transparent)]
    Config(Box<ConfigError>),
    /// An input file problem (raster, vector, CRS, output).
    #[error(transparent)]
    Input(Box<crate::Error>),
    /// Attribution failed (duplicate ids, bad dates …).
    #[error("{path}: {source}")]
    Attribute {
        path: PathBuf,
        #[source]
        source: AttributeError,
    },
    /// Discovery inside the audit (`[discovery] in_audit = true`) failed.
    #[error(transparent)]
    Discovery(Box<crate::discover::DiscoverError>),
    /// The `[imagery]` section does not say where the bands are.
    #[error("[imagery] {detail}")]
    Imagery { detail: &'static str },
    /// The season's scenes cannot be composited (or there are none).
    #[error("[imagery] scenes: {detail}")]
    Scenes { detail: String },
    /// The mask settings are wrong.
    #[error("[imagery] mask: {0}")]
    Mask(#[from] MaskError),
    /// The class mapping is wrong.
    #[error("[imagery] {0}")]
    Classes(#[from] ClassesError),
    /// Two rasters that must share a grid do not.
    #[error("{}", .0)]
    GridMismatch(Box<GridMismatch>),
    /// A piece of a pit could not be laid over the imagery's grid.
    #[error("{path}: pit {pit_id:?}: {source}")]
    Coverage {
        path: PathBuf,
        pit_id: String,
        #[source]
        source: crate::coverage::CoverageError,
    },
    /// A pits or licence layer has no CRS and its section sets none.
    #[error("{path} has no CRS (no .prj file): add the .prj from the data supplier, or set crs = \"EPSG:…\" under [{section}] in the config (e.g. crs = \"EPSG:4551\")")]
    LayerWithoutCrs {
        path: PathBuf,
        section: &'static str,
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
    /// A file the previous audit's `summary.json` records is gone from where it says.
    #[error("--previous: {} records the {key} {}{}, but it is not there; move the earlier audit's inputs back, or run that audit again", .summary.display(), .recorded.display(), .relative.as_ref().map(|r| format!(" (and, relative to its folder, {})", r.display())).unwrap_or_default())]
    PreviousInputMissing {
        /// The previous audit's `summary.json`.
        summary: PathBuf,
        /// The configuration key, e.g. `[imagery] path`.
        key: &'static str,
        /// The path as recorded (absolute since reclaim records absolute paths).
        recorded: PathBuf,
        /// The relative path tried too, resolved against the summary's folder.
        relative: Option<PathBuf>,
    },
    /// Writing or reading report files failed.
    #[error(transparent)]
    Report(Box<ReportError>),
    /// The `[accuracy]` assessment failed (its sample, or the sample's match with
    /// this audit).
    #[error(transparent)]
    Accuracy(Box<crate::accuracy::config::InAuditError>),
    /// The measuring step supplied to the runner failed (a merge's parts do not fit
    /// the audit: a [`ShardError`](super::ShardError)).
    #[error(transparent)]
    Measure(Box<dyn std::error::Error + Send + Sync>),
    /// A bug inside reclaim, not a problem of the inputs (exit code 3 in the CLI):
    /// please report it with the inputs.
    #[error("internal error (a bug in reclaim, please report it with the inputs): {detail}")]
    Internal { detail: String },
    /// The figures do not add up (a bug: please report it with the inputs).
    #[error("internal check failed, figures do not reconcile: {detail}")]
    Reconciliation { detail: String },
}

/// Two rasters that must share a grid, and how their grids differ.
#[derive(Debug)]
pub struct GridMismatch {
    pub a: PathBuf,
    pub b: PathBuf,
    pub a_size: (usize, usize),
    pub b_size: (usize, usize),
    pub a_transform: GeoTransform,
    pub b_transform: GeoTransform,
}

impl std::fmt::Display for GridMismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let t =
            |t: &GeoTransform| format!("origin ({}, {}), cell ({}, {})", t.x0, t.y0, t.dx, t.dy);
        write!(
            f,
            "{} is not on the grid of {}: {}×{} cells, {} vs {}×{} cells, {}; resample it onto the same grid (e.g. `gdalwarp -te … -tr … -r near`)",
            self.b.display(),
            self.a.display(),
            self.b_size.0,
            self.b_size.1,
            t(&self.b_transform),
            self.a_size.0,
            self.a_size.1,
            t(&self.a_transform),
        )
    }
}

impl AuditError {
    /// Whether this is a bug inside reclaim ([`AuditError::Internal`], or figures
    /// that fail their own reconciliation), not a problem of the inputs.
    pub fn is_internal(&self) -> bool {
        matches!(
            self,
            AuditError::Internal { .. } | AuditError::Reconciliation { .. }
        )
    }
}

impl From<ConfigError> for AuditError {
    fn from(e: ConfigError) -> Self {
        AuditError::Config(Box::new(e))
    }
}

impl From<crate::Error> for AuditError {
    fn from(e: crate::Error) -> Self {
        AuditError::Input(Box::new(e))
    }
}

impl From<crate::accuracy::config::InAuditError> for AuditError {
    fn from(e: crate::accuracy::config::InAuditError) -> Self {
        AuditError::Accuracy(Box::new(e))
    }
}

impl From<ReportError> for AuditError {
    fn from(e: ReportError) -> Self {
        AuditError::Report(Box::new(e))
    }
}

/// Discovery runs on the audit's imagery and inputs: their errors are audit errors
/// (kept whole as the source, behind `dyn Error` so discovery's error type does not
/// name the audit's).
impl From<AuditError> for crate::discover::DiscoverError {
    fn from(e: AuditError) -> Self {
        crate::discover::DiscoverError::Audit(Box::new(e))
    }
}
