//! One candidate patch of bare land: its label, change and nearest licence.

use super::spill::Span;
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

/// What is kept in memory of a listed patch's outline (the outline itself is
/// in the spill file).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutlineRecord {
    /// Where the outline lies in the spill file.
    pub span: Span,
    /// Planar area of the outline, map units².
    pub planar_area: f64,
    /// Length of every ring, map units.
    pub perimeter: f64,
    /// Number of holes.
    pub holes: usize,
    /// Bounding box (min x, min y, max x, max y), map units.
    pub bbox: Option<(f64, f64, f64, f64)>,
}
