//! Discovery's candidates as an audit holds them (`[discovery] in_audit = true`).

use crate::discover::config::DiscoveryConfig;
use crate::discover::model::{Candidate, Change, Discovery, Label};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A discovery run held by an audit report (shared, cheap to clone).
#[derive(Debug, Clone)]
pub struct AuditDiscovery {
    /// The run (its candidates' records and outlines on disk).
    pub found: Arc<Discovery>,
    /// The first [`TOP_CANDIDATES`] candidates, read back for the report page.
    pub top: Vec<Candidate>,
}

/// Candidates the audit keeps in memory for its report page.
pub const TOP_CANDIDATES: usize = 100;

impl PartialEq for AuditDiscovery {
    /// Same run (clones of one report compare equal).
    fn eq(&self, o: &Self) -> bool {
        Arc::ptr_eq(&self.found, &o.found)
    }
}

/// Count and hectares of the candidates with one label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct LabelTotals {
    pub count: u64,
    /// Sum of the candidates' `area_ha`, in rank order (as `candidates.csv` lists them).
    pub area_ha: f64,
}

/// Candidates by label.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ByLabel {
    pub within_licence: LabelTotals,
    pub beyond_licence: LabelTotals,
    pub unlicensed: LabelTotals,
}

/// `new` / `persistent` counts (with `previous_config`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct ChangeCounts {
    pub new: u64,
    pub persistent: u64,
}

/// Patches counted but not listed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct CountHa {
    pub count: u64,
    pub ha: f64,
}

/// `summary.json`'s `discovery` object in an audit folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiscoverySummary {
    /// The `[discovery]` settings used.
    pub settings: DiscoveryConfig,
    /// The files it wrote into the audit folder.
    pub files: Vec<String>,
    /// Candidates listed.
    pub count: u64,
    /// Their hectares.
    pub area_ha: f64,
    pub by_label: ByLabel,
    /// Hectares of the `beyond_licence` candidates outside every liable licence.
    pub beyond_licence_outside_ha: f64,
    /// With `previous_config`, else `null`.
    pub change: Option<ChangeCounts>,
    /// Bare land scanned (every kind), ha.
    pub bare_ha: f64,
    /// Bare land inside the mapped footprints (what the audit measures), ha.
    pub bare_in_footprints_ha: f64,
    /// Bare land of an excluded class or inside an exclusion layer, ha.
    pub excluded_ha: f64,
    /// Patches below `min_area_ha`.
    pub below_min_area: CountHa,
    /// Patches below `min_compactness`.
    pub below_min_compactness: CountHa,
    /// Whether a licence layer was given (without one every candidate is `unlicensed`).
    pub licences_given: bool,
}

impl AuditDiscovery {
    /// Totals for `summary.json`.
    pub fn summary(&self) -> DiscoverySummary {
        let d = &self.found;
        let a = &d.accounting;
        let mut by = ByLabel::default();
        let mut beyond_outside = 0.0;
        let ranked = d.candidates.ranked();
        for c in ranked {
            let t = match c.label {
                Label::WithinLicence => &mut by.within_licence,
                Label::BeyondLicence => {
                    beyond_outside += c.outside_licence_ha;
                    &mut by.beyond_licence
                }
                Label::Unlicensed => &mut by.unlicensed,
            };
            t.count += 1;
            t.area_ha += c.area_ha;
        }
        let change = d.settings.previous_config.is_some().then(|| {
            let n = |k| ranked.iter().filter(|c| c.change == Some(k)).count() as u64;
            ChangeCounts {
                new: n(Change::New),
                persistent: n(Change::Persistent),
            }
        });
        DiscoverySummary {
            settings: d.settings.clone(),
            files: [
                crate::discover::files::GEOJSON,
                crate::discover::files::GEOJSON_PROJECTED,
                crate::discover::files::CSV,
            ]
            .map(String::from)
            .to_vec(),
            count: a.candidates.0,
            area_ha: a.candidates.1,
            by_label: by,
            beyond_licence_outside_ha: beyond_outside,
            change,
            bare_ha: a.bare_ha,
            bare_in_footprints_ha: a.bare_in_footprints_ha,
            excluded_ha: a.excluded_class_ha
                + a.excluded_layers_ha.iter().map(|l| l.1).sum::<f64>(),
            below_min_area: CountHa {
                count: a.below_min_area.0,
                ha: a.below_min_area.1,
            },
            below_min_compactness: CountHa {
                count: a.below_min_compactness.0,
                ha: a.below_min_compactness.1,
            },
            licences_given: d.with_licences,
        }
    }
}
