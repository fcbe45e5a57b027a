//! What a discovery run finds: the candidates and the accounting of every
//! hectare scanned.

use super::config::DiscoveryConfig;
use super::error::DiscoverError;
use super::spill::{Span, Spill};
use crate::results::{ClassMap, InputFile};
use crate::warning::Warning;
use geo::MultiPolygon;
use serde::{Deserialize, Serialize};

/// Who a candidate's land belongs to, by the liable licences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Label {
    /// Wholly inside liable licences: the footprint inventory is incomplete.
    WithinLicence,
    /// Partly inside a liable licence, partly outside every one: possible
    /// mining beyond the licence boundary (越界开采).
    BeyondLicence,
    /// Outside every liable licence: an unmapped legacy pit or mining without a
    /// licence (无证开采).
    Unlicensed,
}

impl Label {
    /// The name written in the outputs.
    pub fn name(self) -> &'static str {
        match self {
            Label::WithinLicence => "within_licence",
            Label::BeyondLicence => "beyond_licence",
            Label::Unlicensed => "unlicensed",
        }
    }
}

/// Against the previous year's imagery.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Less than half of it was bare last year.
    New,
    /// Half or more of it was bare last year.
    Persistent,
}

impl Change {
    /// The name written in the outputs.
    pub fn name(self) -> &'static str {
        match self {
            Change::New => "new",
            Change::Persistent => "persistent",
        }
    }
}

/// The nearest licence to a candidate (any status).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Nearest {
    pub licence_id: String,
    /// 0 when they touch or overlap; map units of a projected CRS (metres).
    pub distance_m: f64,
    pub status: String,
    pub liable: bool,
}

/// One patch of bare land outside the footprints.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// `D0001`, … in rank order.
    pub id: String,
    /// 1 = largest.
    pub rank: usize,
    pub label: Label,
    /// With a previous year's imagery.
    pub change: Option<Change>,
    /// Cells × cell area.
    pub area_ha: f64,
    pub cells: u64,
    /// Inside liable licences, ha (exact polygon intersection).
    pub inside_licence_ha: f64,
    /// Outside every liable licence, ha.
    pub outside_licence_ha: f64,
    /// Liable licences it overlaps, by the area inside each, largest first.
    pub licence_ids: Vec<String>,
    pub nearest: Option<Nearest>,
    /// Centre of its cells, in the raster's CRS.
    pub centroid: (f64, f64),
    /// The same in lon/lat.
    pub centroid_lonlat: (f64, f64),
    /// Holes in its outline.
    pub holes: usize,
    /// Length of its outline, map units.
    pub perimeter: f64,
    /// Polsby–Popper 4πA/P² (1 for a disc, about 0.785 for a square).
    pub compactness: f64,
    /// Bare last year, ha (with a previous year's imagery).
    pub bare_before_ha: Option<f64>,
    /// Top-left cell of its first run (row, column): a stable tie-breaker.
    pub first_cell: (u32, u32),
    /// Where its outline (raster CRS) lies in the run's spill file: read it with
    /// [`Discovery::outline`] (lon/lat is made as it is written).
    pub outline: Span,
}

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
