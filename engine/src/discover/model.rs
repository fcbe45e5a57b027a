//! What a discovery run finds: the candidates and the accounting of every
//! hectare scanned.

use super::config::DiscoveryConfig;
use super::error::DiscoverError;
use super::spill::Spill;
use crate::results::{ClassMap, InputFile};
use crate::warning::Warning;
use geo::MultiPolygon;
use serde::{Deserialize, Serialize};

pub use super::candidate::{Candidate, Change, Label, Nearest};

/// Hectares of the scanned land, each cell counted once.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Accounting {
    /// Cells scanned (inside the area of interest and the imagery).
    pub scanned_ha: f64,
    pub restored_ha: f64,
    pub water_ha: f64,
    pub unobserved_ha: f64,
    /// Bare land of every kind below.
    pub bare_ha: f64,
    /// Bare land inside mapped footprints (what the audit measures).
    pub bare_in_footprints_ha: f64,
    /// Bare land of an excluded class of the exclusion raster.
    pub excluded_class_ha: f64,
    /// Bare land inside each exclusion layer (path, ha), in config order.
    pub excluded_layers_ha: Vec<(String, f64)>,
    /// Patches below `min_area_ha`: count and ha.
    pub below_min_area: (u64, f64),
    /// Patches below `min_compactness`: count and ha.
    pub below_min_compactness: (u64, f64),
    /// The candidates: count and ha.
    pub candidates: (u64, f64),
}

/// Everything a discovery run found, ready to write.
#[derive(Debug, Clone)]
pub struct Discovery {
    pub audit_date: String,
    /// The settings used (after the command line's overrides).
    pub settings: DiscoveryConfig,
    /// Candidates by rank: keys in memory, records on disk.
    pub candidates: super::records::Candidates,
    pub accounting: Accounting,
    /// The raster's CRS as `EPSG:…` (or its name).
    pub crs: String,
    /// Whether that CRS is geographic (degrees).
    pub geographic: bool,
    /// Its EPSG code, when it has one.
    pub epsg: Option<u32>,
    pub cell_size: (f64, f64),
    /// Every input with its SHA-256.
    pub inputs: Vec<InputFile>,
    /// The whole configuration as read (TOML).
    pub config_toml: String,
    pub warnings: Vec<Warning>,
    /// The scanned window's classes, for the report's map.
    pub map: ClassMap,
    /// Liable licences' outlines, raster CRS, for the map.
    pub licences: MultiPolygon<f64>,
    /// The raster's CRS → lon/lat (WGS 84), for `candidates.geojson`.
    pub to_lonlat: crate::crs::Transformer,
    /// Whether licences were given (without them every candidate is `unlicensed`
    /// only in the sense of "no licence known").
    pub with_licences: bool,
    /// The candidates' outlines, on disk until written.
    pub outlines: Spill,
}

impl Discovery {
    /// The outline of `c` in the raster's CRS (exterior rings counter-clockwise,
    /// holes clockwise; every corner a cell corner).
    ///
    /// # Errors
    /// [`DiscoverError::Spill`] when the temporary file cannot be read back.
    pub fn outline(&self, c: &Candidate) -> Result<MultiPolygon<f64>, DiscoverError> {
        self.outlines.read(c.outline)
    }
}
