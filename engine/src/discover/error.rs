//! What can stop `reclaim discover`: every input problem names the file and the fix.

use crate::config::ConfigError;
use std::path::PathBuf;

/// Anything that stops a discovery run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DiscoverError {
    /// The configuration file is unreadable or invalid.
    #[error(transparent)]
    Config(Box<ConfigError>),
    /// The imagery, footprints or licences (as the audit reads them) are wrong: an
    /// [`AuditError`](crate::audit::AuditError).
    #[error(transparent)]
    Audit(Box<dyn std::error::Error + Send + Sync>),
    /// An input file problem (raster, vector, CRS, output).
    #[error(transparent)]
    Input(Box<crate::Error>),
    /// The area of interest holds no polygon with area.
    #[error("[discovery] aoi {path}: the layer has no polygon with area (it is empty or holds only points/lines); give the area to search, e.g. the county boundary polygon, or remove the aoi key to scan the whole imagery")]
    EmptyAoi { path: PathBuf },
    /// The area of interest lies wholly beyond the imagery.
    #[error("[discovery] aoi {path} does not overlap the imagery {imagery}: check both are of the same place and that the aoi's CRS is right (set aoi_crs = \"EPSG:…\" when the file has none)")]
    AoiOffImagery { path: PathBuf, imagery: PathBuf },
    /// A layer of `[discovery]` cannot be brought into the imagery's CRS.
    #[error("[discovery] {key} {path}: {detail}")]
    Layer {
        key: &'static str,
        path: PathBuf,
        detail: String,
    },
    /// A raster that must lie on the imagery's grid does not.
    #[error("{0}")]
    OffGrid(Box<OffGrid>),
    /// `exclude_classes` without a land-cover raster to look them up in.
    #[error("[discovery] exclude_classes needs a land-cover raster: set exclude_raster = \"worldcover.tif\" (the imagery's own class raster is used only with classifier = \"classes\")")]
    NoExcludeRaster,
    /// One patch holds more cell runs than the limit (a salt-and-pepper class map).
    #[error("a patch of bare land spans more than {limit} cell runs (near row {row}): the classification is likely noisy; exclude cropland/built-up classes ([discovery] exclude_classes), use connectivity = 4, or raise [limits] max_features")]
    TooManyRuns { limit: usize, row: usize },
    /// The temporary file of the candidates' outlines cannot be written or read.
    #[error("the temporary file of candidate outlines in {dir} failed: {source}; free disk space there (it takes about 0.8 KB per candidate) or write the output elsewhere")]
    Spill {
        dir: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

impl From<ConfigError> for DiscoverError {
    fn from(e: ConfigError) -> Self {
        DiscoverError::Config(Box::new(e))
    }
}

impl From<crate::Error> for DiscoverError {
    fn from(e: crate::Error) -> Self {
        DiscoverError::Input(Box::new(e))
    }
}

/// A raster off the imagery's grid: both grids, to say how to fix it.
#[derive(Debug, Clone, PartialEq)]
pub struct OffGrid {
    /// The `[discovery]` key that names it.
    pub key: &'static str,
    pub path: PathBuf,
    pub imagery: PathBuf,
    pub imagery_size: (usize, usize),
    pub imagery_origin: (f64, f64),
    pub imagery_cell: (f64, f64),
    pub size: (usize, usize),
    pub origin: (f64, f64),
    pub cell: (f64, f64),
}

impl std::fmt::Display for OffGrid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "[discovery] {} {} is not on the imagery's grid ({}: {:?} cells, origin {:?}, cell {:?}; this file: {:?} cells, origin {:?}, cell {:?}); resample it onto the imagery's grid first (gdalwarp -te … -tr … -tap), or remove the key",
            self.key,
            self.path.display(),
            self.imagery.display(),
            self.imagery_size,
            self.imagery_origin,
            self.imagery_cell,
            self.size,
            self.origin,
            self.cell
        )
    }
}
