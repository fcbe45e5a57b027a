//! What an audit produces: areas by land class for every piece, pit, mine and the
//! county, and the change since a previous audit. Report writers read only these.

use serde::{Deserialize, Serialize};

pub use crate::classify::{LandClass, UnobservedCauses};

mod accuracy;
mod baseline;
mod discovery;
mod maps;
mod provenance;

pub use accuracy::{AccuracySummary, AuditAccuracy, ClassSummary, ACCURACY_CSV, ACCURACY_JSON};
pub use baseline::Baseline;
pub use discovery::{
    AuditDiscovery, ByLabel, ChangeCounts, CountHa, DiscoverySummary, LabelTotals, TOP_CANDIDATES,
};
pub use maps::{ClassMap, ClearObsMap, RasterFiles};
pub use provenance::{Classifier, InputFile, Method};

/// Hectares by land class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ClassAreas {
    pub restored_ha: f64,
    pub unrestored_ha: f64,
    pub water_ha: f64,
    pub unobserved_ha: f64,
    /// `unobserved_ha` split by cause (masked, nodata, invalid, unmapped, outside).
    #[serde(default)]
    pub unobserved_causes: UnobservedCauses,
    /// Composites only: the sum over the land of hectares × clear observations
    /// (the mean number of clear observations is this over `total_ha`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear_obs_ha: Option<f64>,
}

impl ClassAreas {
    /// Composites only: the mean number of clear observations over the land
    /// (area-weighted, unobserved land included); `None` for no land.
    pub fn clear_obs_mean(&self) -> Option<f64> {
        let total = self.total_ha();
        self.clear_obs_ha
            .and_then(|c| (total > 0.0).then_some(c / total))
    }

    /// Sum of the four classes: the footprint's area.
    pub fn total_ha(&self) -> f64 {
        self.restored_ha + self.unrestored_ha + self.water_ha + self.unobserved_ha
    }

    /// Adds another set of areas class by class.
    pub fn add(&mut self, o: &ClassAreas) {
        self.restored_ha += o.restored_ha;
        self.unrestored_ha += o.unrestored_ha;
        self.water_ha += o.water_ha;
        self.unobserved_ha += o.unobserved_ha;
        self.unobserved_causes.add(&o.unobserved_causes);
        if let Some(c) = o.clear_obs_ha {
            *self.clear_obs_ha.get_or_insert(0.0) += c;
        }
    }

    /// Observed land (restored + unrestored + water), ha.
    pub fn observed_ha(&self) -> f64 {
        self.restored_ha + self.unrestored_ha + self.water_ha
    }

    /// Observed share of the footprint, in % (clamped to 0–100); `None` for no land.
    pub fn observed_pct(&self) -> Option<f64> {
        let total = self.total_ha();
        (total > 0.0).then(|| (100.0 * self.observed_ha() / total).clamp(0.0, 100.0))
    }

    /// Area of one class.
    pub fn get(&self, c: LandClass) -> f64 {
        match c {
            LandClass::Restored => self.restored_ha,
            LandClass::Unrestored => self.unrestored_ha,
            LandClass::Water => self.water_ha,
            LandClass::Unobserved => self.unobserved_ha,
        }
    }

    /// Mutable area of one class.
    pub fn get_mut(&mut self, c: LandClass) -> &mut f64 {
        match c {
            LandClass::Restored => &mut self.restored_ha,
            LandClass::Unrestored => &mut self.unrestored_ha,
            LandClass::Water => &mut self.water_ha,
            LandClass::Unobserved => &mut self.unobserved_ha,
        }
    }

    /// Restored share of the observed land (restored + unrestored + water), in %;
    /// `None` when nothing was observed.
    pub fn restored_pct(&self) -> Option<f64> {
        let observed = self.observed_ha();
        (observed > 0.0).then(|| (100.0 * self.restored_ha / observed).clamp(0.0, 100.0))
    }
}

/// Who answers for a piece of land.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "responsibility")]
pub enum Responsibility {
    /// A liable licence covers it.
    Responsible { license_id: String, holder: String },
    /// No liable licence: historical legacy (历史遗留).
    Legacy,
    /// No licence layer was given (or it was empty): who answers for the land is
    /// unknown — not "legacy", which is a finding about licences.
    Unattributed,
}

/// Change of one pit, mine or the county since the previous audit.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// Restored hectares in the previous audit.
    pub restored_before_ha: f64,
    /// Unrestored hectares in the previous audit.
    pub unrestored_before_ha: f64,
    /// Land unrestored then and restored now.
    pub newly_restored_ha: f64,
    /// Land restored then and unrestored now (re-disturbed).
    pub redisturbed_ha: f64,
}

/// One piece: a pit's land under one responsibility (`attribution.csv` row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PieceResult {
    pub pit_id: String,
    pub responsibility: Responsibility,
    pub areas: ClassAreas,
}

/// One pit (`pits.csv` row): its counted land (shared land counted once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PitResult {
    pub pit_id: String,
    pub kind: Option<String>,
    pub town: Option<String>,
    /// Areas of the land counted for this pit (overlaps with earlier pits removed).
    pub areas: ClassAreas,
    /// The pit polygon's own area (before removing overlaps), in hectares.
    pub polygon_ha: f64,
    /// `responsible`, `legacy`, `mixed` or `unattributed`, by where its unrestored
    /// land lies; `none` when it has no unrestored land.
    pub main_responsibility: String,
    /// Ids of pits this one overlaps.
    pub overlaps: Vec<String>,
    pub change: Option<Change>,
}

/// One licence (`mines.csv` row).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MineResult {
    pub license_id: String,
    pub holder: Option<String>,
    pub name: Option<String>,
    pub mineral: Option<String>,
    pub status: String,
    pub valid_to: Option<String>,
    /// Whether the licence is liable (status in the liable set, with a holder).
    pub liable: bool,
    /// Land of pits attributed to this licence.
    pub areas: ClassAreas,
    /// Number of pits with land attributed to this licence.
    pub pit_count: usize,
    pub change: Option<Change>,
}

/// A pair of overlapping pits (quality control).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OverlapResult {
    pub pit_a: String,
    pub pit_b: String,
    pub overlap_ha: f64,
}

/// County totals (`summary.json`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub audit_date: String,
    pub restored_ha: f64,
    pub unrestored_ha: f64,
    pub unrestored_responsible_ha: f64,
    pub unrestored_legacy_ha: f64,
    /// Unrestored land with no licence layer to attribute it (0 when licences were
    /// given): `unrestored_ha` = responsible + legacy + unattributed.
    #[serde(default)]
    pub unrestored_unattributed_ha: f64,
    pub water_ha: f64,
    pub unobserved_ha: f64,
    /// `unobserved_ha` split by cause (masked, nodata, invalid, unmapped, outside).
    #[serde(default)]
    pub unobserved_causes: UnobservedCauses,
    /// Observed land whose red or NIR reflectance (value × scale + offset) lies
    /// outside −0.5…1.5: classified, but a sign of a wrong `scale`/`offset`.
    #[serde(default)]
    pub implausible_reflectance_ha: f64,
    /// Footprint area counted once: restored + unrestored + water + unobserved.
    pub footprint_ha: f64,
    pub pit_count: usize,
    pub piece_count: usize,
    pub license_count: usize,
    pub liable_license_count: usize,
    pub orphan_piece_count: usize,
    pub overlap_count: usize,
    /// Footprint land over land-cover values the class mapping lacks (counted in
    /// `unobserved_ha`; classifier `classes` only).
    #[serde(default)]
    pub unmapped_ha: f64,
    /// Those unmapped values, as in the file.
    #[serde(default)]
    pub unmapped_values: Vec<String>,
    /// When the imagery is a season of scenes: how they were composited.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composite: Option<CompositeSummary>,
}

/// How a season of scenes became the year's imagery.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CompositeSummary {
    /// `median`, `max` or `latest`.
    pub rule: String,
    /// Cells with fewer clear observations are unobserved.
    pub min_clear: u32,
    /// The season's first and last day (`MM-DD`), when one was set.
    pub season: Option<Vec<String>>,
    /// Scenes composited.
    pub scenes_used: usize,
    /// Mean number of clear observations over the footprints (area-weighted,
    /// unobserved land included).
    pub clear_obs_mean: Option<f64>,
    /// Every scene found: id, date, tile, used, and why not.
    pub scenes: Vec<SceneListing>,
}

/// One scene as the audit saw it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SceneListing {
    /// Product / scene id.
    pub id: String,
    /// Acquisition date, `YYYY-MM-DD`.
    pub date: String,
    /// Tile or path/row.
    pub tile: Option<String>,
    /// Whether it entered the composite.
    pub used: bool,
    /// Why not, when not.
    pub reason: Option<String>,
    /// What a used scene says of the footprint cells (each cell once, its whole
    /// area), as shares of their area; `None` for scenes not used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub over_footprints: Option<FootprintShares>,
}

/// Shares (0–1) of the footprint cells' area one scene observes clear, masks
/// (cloud, shadow, cirrus … by its mask), and misses (outside the scene, no data,
/// or an invalid reflectance). They add up to 1.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct FootprintShares {
    /// Observed clear.
    pub clear: f64,
    /// Hidden by the cloud mask.
    pub masked: f64,
    /// Outside the scene, no data, or an invalid reflectance.
    pub missing: f64,
}

impl Summary {
    /// The county figures as class areas (with the unobserved causes).
    pub fn county_areas(&self) -> ClassAreas {
        ClassAreas {
            restored_ha: self.restored_ha,
            unrestored_ha: self.unrestored_ha,
            water_ha: self.water_ha,
            unobserved_ha: self.unobserved_ha,
            unobserved_causes: self.unobserved_causes,
            clear_obs_ha: None,
        }
    }
}

/// Figures of the county compared with the plan's baseline (now − baseline).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BaselineDelta {
    pub baseline: Baseline,
    pub restored_delta_ha: f64,
    pub unrestored_delta_ha: f64,
    pub unrestored_responsible_delta_ha: f64,
    pub unrestored_legacy_delta_ha: f64,
}

/// The previous audit, as read back from its output folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Previous {
    /// The previous audit's folder.
    pub dir: std::path::PathBuf,
    /// Its county figures.
    pub summary: Summary,
    /// County change since then.
    pub change: Change,
}

/// Where the figures come from: inputs, settings, software.
/// Equality leaves out `method`, which restates `config_toml`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Provenance {
    pub reclaim_version: String,
    pub inputs: Vec<InputFile>,
    /// The configuration as run (paths resolved), TOML.
    pub config_toml: String,
    /// The raster's CRS, e.g. `EPSG:32651`.
    pub crs: String,
    /// Cell size in CRS units (dx, |dy|).
    pub cell_size: (f64, f64),
    /// The classification as run, for the report (not written to `summary.json`,
    /// whose `config_toml` holds it; `None` in a provenance read back from a file).
    #[serde(skip)]
    pub method: Option<Method>,
}

impl PartialEq for Provenance {
    fn eq(&self, o: &Self) -> bool {
        self.reclaim_version == o.reclaim_version
            && self.inputs == o.inputs
            && self.config_toml == o.config_toml
            && self.crs == o.crs
            && self.cell_size == o.cell_size
    }
}

/// A piece's geometry, for maps (raster CRS) and for `orphans.geojson` (lon/lat).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PieceGeometry {
    pub raster_crs: geo::MultiPolygon<f64>,
    pub lonlat: geo::MultiPolygon<f64>,
}

/// Everything the report writers need for one audit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditReport {
    pub summary: Summary,
    pub baseline: Option<BaselineDelta>,
    pub previous: Option<Previous>,
    /// One per piece, in `attribution.csv` order.
    pub pieces: Vec<PieceResult>,
    /// Parallel to `pieces`.
    pub piece_geometry: Vec<PieceGeometry>,
    pub pits: Vec<PitResult>,
    pub mines: Vec<MineResult>,
    pub overlaps: Vec<OverlapResult>,
    pub provenance: Provenance,
    /// County-wide map of classes within footprints (downsampled).
    pub county_map: ClassMap,
    /// One map per licence with land, at native resolution: (license_id, map).
    pub mine_maps: Vec<(String, ClassMap)>,
    /// Boundary of every licence, in the raster's CRS: (license_id, geometry), in
    /// `mines` order (the page draws those with a mine map; the GIS layers all).
    #[serde(default)]
    pub licence_geometry: Vec<(String, geo::MultiPolygon<f64>)>,
    /// Each pit's polygon in the raster's CRS (before overlaps are removed),
    /// parallel to `pits`; empty in reports that predate it.
    #[serde(default)]
    pub pit_geometry: Vec<geo::MultiPolygon<f64>>,
    /// What a plausible mistake would produce, found during the run (printed once
    /// by the CLI, listed in summary.json and report.html; `--strict` fails on any).
    #[serde(default)]
    pub warnings: Vec<crate::warning::Warning>,
    /// Composites: the county map of mean clear observations (one-shot runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear_obs_map: Option<ClearObsMap>,
    /// `classes.tif` (and `clear_obs.tif`) when asked for, to be written with the folder.
    #[serde(skip)]
    pub rasters: Option<RasterFiles>,
    /// `[accuracy]`: the assessment with the labelled sample (one-shot runs).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<AuditAccuracy>,
    /// Discovery's candidates, with `[discovery] in_audit = true` (one-shot runs).
    #[serde(skip)]
    pub discovery: Option<AuditDiscovery>,
}
