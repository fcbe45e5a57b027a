//! The accuracy assessment as an audit reports it (`[accuracy]`).

use crate::accuracy::Estimate;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// File name of the JSON result.
pub const ACCURACY_JSON: &str = "accuracy.json";
/// File name of the CSV table.
pub const ACCURACY_CSV: &str = "accuracy.csv";

/// The assessment as an audit reports it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditAccuracy {
    /// The `accuracy` object of `summary.json` (and the figures of `report.html`).
    pub summary: AccuracySummary,
    /// `accuracy.json`, as `reclaim accuracy` writes it.
    pub json: String,
    /// `accuracy.csv`.
    pub csv: String,
}

/// The `accuracy` object of `summary.json`: error-adjusted areas of the observed
/// land of the footprints, and the map's accuracy, each with its standard error and
/// 95 % interval (`estimate ± 1.96 × se`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccuracySummary {
    /// `olofsson2014` (strata = classes) or `stehman2014` (strata by responsibility).
    pub method: String,
    /// The labelled sample.
    pub reference: PathBuf,
    /// Labelled points.
    pub n: usize,
    /// Whether the sample's strata split each class by responsibility.
    pub by_responsibility: bool,
    /// `[accuracy] fpc`.
    pub finite_population_correction: bool,
    /// The observed land the estimates share out (restored + unrestored + water), ha.
    pub observed_ha: f64,
    /// Share of the observed land mapped correctly.
    pub overall_accuracy: Estimate,
    /// Error-adjusted area of restored land, ha.
    pub restored_ha: Estimate,
    /// Error-adjusted area of unrestored land, ha.
    pub unrestored_ha: Estimate,
    /// Of the unrestored land, on responsible pieces (strata by responsibility only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unrestored_responsible_ha: Option<Estimate>,
    /// Of the unrestored land, historical legacy (strata by responsibility only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unrestored_legacy_ha: Option<Estimate>,
    /// Error-adjusted area of water, ha.
    pub water_ha: Estimate,
    /// Per class: mapped and error-adjusted area, user's and producer's accuracy.
    pub classes: Vec<ClassSummary>,
    /// The files of the folder that hold the whole assessment.
    pub files: Vec<String>,
}

/// One class of [`AccuracySummary`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassSummary {
    /// `restored`, `unrestored` or `water`.
    pub class: String,
    /// Its mapped area (the audit's figure), ha.
    pub map_area_ha: f64,
    /// Its error-adjusted area, ha.
    pub area_ha: Estimate,
    /// Of the land mapped as the class, the share that is it (`null`: no point
    /// mapped so).
    pub users_accuracy: Option<Estimate>,
    /// Of the land that is the class, the share mapped so (`null`: none found).
    pub producers_accuracy: Option<Estimate>,
}

impl AuditAccuracy {
    /// The files the audit folder gains: (name, text).
    pub fn files(&self) -> [(&'static str, &str); 2] {
        [(ACCURACY_JSON, &self.json), (ACCURACY_CSV, &self.csv)]
    }
}
