//! Discovery inside the annual audit: with `[discovery] in_audit = true`,
//! `reclaim audit` also runs [`discover`](super::discover) over the same
//! configuration and puts its candidates into the audit folder
//! (`candidates.geojson`, `candidates_projected.geojson`, `candidates.csv`),
//! a `discovery` object into `summary.json` and a table into `report.html`.
//!
//! Without the switch the audit does not look at `[discovery]` at all (a
//! configuration may hold the section for `reclaim discover` alone), and every
//! audit output stays as it was.

use super::model::{Candidate, Discovery, Label};
use super::run::{discover, DiscoverOptions};
use super::DiscoveryConfig;
use crate::audit::model::AuditReport;
use crate::audit::{AuditConfig, AuditError, AuditOptions};
use serde::{Deserialize, Serialize};
use std::path::Path;
use std::sync::Arc;

/// A discovery run held by an audit report (shared, cheap to clone).
#[derive(Debug, Clone)]
pub struct AuditDiscovery {
    /// The run (its candidates' records and outlines on disk).
    pub found: Arc<Discovery>,
    /// The first [`TOP`] candidates, read back for the report page.
    pub top: Vec<Candidate>,
}

/// Candidates the audit keeps in memory for its report page.
pub const TOP: usize = 100;

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

/// Whether `cfg` asks the audit to run discovery.
pub fn wanted(cfg: &AuditConfig) -> bool {
    cfg.discovery.as_ref().is_some_and(|d| d.in_audit)
}

/// Runs discovery when `cfg` asks for it and attaches it to `report`: its
/// warnings (those the audit has not already raised) and inputs join the
/// report's.
///
/// # Errors
/// Any discovery input problem, as [`AuditError::Discovery`].
pub fn attach(
    cfg: &AuditConfig,
    opts: &AuditOptions,
    report: &mut AuditReport,
) -> Result<(), AuditError> {
    if !wanted(cfg) {
        return Ok(());
    }
    let d = discover(
        cfg,
        &DiscoverOptions {
            limits: opts.limits,
            checksum_cache: opts.checksum_cache.clone(),
            spill_dir: opts.scratch_dir.clone(),
            ..DiscoverOptions::default()
        },
    )
    .map_err(|e| AuditError::Discovery(Box::new(e)))?;
    for w in &d.warnings {
        if !report.warnings.contains(w) {
            report.warnings.push(w.clone());
        }
    }
    for i in &d.inputs {
        if !report
            .provenance
            .inputs
            .iter()
            .any(|p| p.path == i.path && p.role == i.role)
        {
            report.provenance.inputs.push(i.clone());
        }
    }
    let top = (0..d.candidates.len().min(TOP))
        .map(|i| d.candidates.get(i))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| AuditError::Discovery(Box::new(e)))?;
    report.discovery = Some(AuditDiscovery {
        found: Arc::new(d),
        top,
    });
    Ok(())
}

/// The candidates' files, written into the (temporary) audit folder `dir`.
///
/// # Errors
/// [`AuditError`] naming the file that cannot be written.
pub fn write_files(d: &AuditDiscovery, dir: &Path) -> Result<(), AuditError> {
    super::write::write_candidate_files(&d.found, dir)
        .map_err(|e| AuditError::Discovery(Box::new(e)))
}

/// Totals for `summary.json`.
pub fn summary(d: &AuditDiscovery) -> DiscoverySummary {
    let d = &d.found;
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
            new: n(super::model::Change::New),
            persistent: n(super::model::Change::Persistent),
        }
    });
    DiscoverySummary {
        settings: d.settings.clone(),
        files: [
            super::write::GEOJSON,
            super::write::GEOJSON_PROJECTED,
            super::write::CSV,
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
        excluded_ha: a.excluded_class_ha + a.excluded_layers_ha.iter().map(|l| l.1).sum::<f64>(),
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
