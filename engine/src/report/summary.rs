//! `summary.json`: the county figures, baseline and previous comparisons, overlaps
//! and provenance, written pretty-printed and readable back with [`read_summary`].

use super::error::ReportError;
use super::io::read_capped;
use crate::results::{AuditReport, BaselineDelta, OverlapResult, Previous, Provenance, Summary};
use crate::warning::Warning;
use serde::{Deserialize, Serialize};
use std::path::Path;

/// File name of the summary in an audit folder.
pub const SUMMARY_FILE: &str = "summary.json";

/// Value of [`SummaryFile::format`].
pub const SUMMARY_FORMAT: &str = "reclaim-audit-summary";

/// Version of the summary layout; bumped when a field changes meaning.
pub const SUMMARY_FORMAT_VERSION: u32 = 1;

/// Largest `summary.json` read back (the overlap list is its only long part).
const SUMMARY_MAX_BYTES: u64 = 256 << 20;

/// The whole content of `summary.json`.
///
/// The county figures of [`Summary`] sit at the top level (`restored_ha`,
/// `unrestored_ha`, …, `pit_count`, …), next to the other sections.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummaryFile {
    /// Always [`SUMMARY_FORMAT`].
    #[serde(default)]
    pub format: String,
    /// [`SUMMARY_FORMAT_VERSION`] of the writer.
    #[serde(default = "first_version")]
    pub format_version: u32,
    /// County figures and counts.
    #[serde(flatten)]
    pub summary: Summary,
    /// Restored share of the observed land, in % (`null` when nothing was observed).
    #[serde(default)]
    pub restored_pct: Option<f64>,
    /// Observed share of the footprint, in % (what `restored_pct` rests on).
    #[serde(default)]
    pub observed_pct: Option<f64>,
    /// Comparison with the plan's baseline (`null` without a baseline).
    #[serde(default)]
    pub baseline: Option<BaselineDelta>,
    /// The previous audit and the county change since (`null` without one).
    #[serde(default)]
    pub previous: Option<Previous>,
    /// Total hectares covered by more than one pit (counted once in the figures).
    #[serde(default)]
    pub overlap_ha: f64,
    /// Pairs of overlapping pits (quality control).
    #[serde(default)]
    pub overlaps: Vec<OverlapResult>,
    /// `[accuracy]`: error-adjusted areas and accuracies from the labelled sample
    /// (absent without the section).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<crate::results::AccuracySummary>,
    /// Inputs with checksums, configuration, CRS, cell size, software version.
    pub provenance: Provenance,
    /// The run's warnings (what a plausible mistake would produce), each with its
    /// `kind` and fields.
    #[serde(default)]
    pub warnings: Vec<Warning>,
    /// Bare land outside the footprints, with `[discovery] in_audit = true`
    /// (absent otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery: Option<crate::results::DiscoverySummary>,
}

fn first_version() -> u32 {
    1
}

impl SummaryFile {
    /// Collects the summary sections of a report.
    pub fn from_report(report: &AuditReport) -> SummaryFile {
        let s = &report.summary;
        let county = s.county_areas();
        SummaryFile {
            format: SUMMARY_FORMAT.to_owned(),
            format_version: SUMMARY_FORMAT_VERSION,
            summary: s.clone(),
            restored_pct: county.restored_pct(),
            observed_pct: county.observed_pct(),
            baseline: report.baseline,
            previous: report.previous.clone(),
            overlap_ha: report.overlaps.iter().map(|o| o.overlap_ha).sum(),
            overlaps: report.overlaps.clone(),
            accuracy: report.accuracy.as_ref().map(|a| a.summary.clone()),
            provenance: report.provenance.clone(),
            warnings: report.warnings.clone(),
            discovery: report
                .discovery
                .as_ref()
                .map(crate::results::AuditDiscovery::summary),
        }
    }
}

/// Pretty JSON text of `summary.json`.
///
/// # Errors
/// [`ReportError::Json`] if serialisation fails (it does not for finite figures;
/// non-finite numbers are written as `null` and then fail to read back).
pub fn summary_json(report: &AuditReport, path: &Path) -> Result<String, ReportError> {
    let mut file = SummaryFile::from_report(report);
    // Each input also relative to this file's folder (written as a sibling of the
    // final folder, so the relative paths hold there too).
    if let Some(folder) = path.parent() {
        let folder = crate::output::resolve(folder);
        for i in &mut file.provenance.inputs {
            i.path_relative = crate::output::relative_to(&crate::output::resolve(&i.path), &folder);
        }
    }
    let mut text = serde_json::to_string_pretty(&file).map_err(|source| ReportError::Json {
        path: path.to_path_buf(),
        source,
    })?;
    text.push('\n');
    Ok(text)
}

/// Reads the whole `summary.json` of an audit folder.
///
/// # Errors
/// [`ReportError::Io`] when missing, [`ReportError::TooLarge`] over 256 MiB,
/// [`ReportError::Json`] when it is not a reclaim summary.
pub fn read_summary_file(dir: &Path) -> Result<SummaryFile, ReportError> {
    let path = dir.join(SUMMARY_FILE);
    let text = read_capped(&path, SUMMARY_MAX_BYTES)?;
    serde_json::from_str(&text).map_err(|source| ReportError::Json { path, source })
}

/// Reads the county figures of an audit folder (for `--previous DIR`).
///
/// # Errors
/// As [`read_summary_file`].
pub fn read_summary(dir: &Path) -> Result<Summary, ReportError> {
    read_summary_file(dir).map(|f| f.summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn summary() -> Summary {
        Summary {
            audit_date: "2025-12-31".into(),
            restored_ha: 0.1 + 0.2,
            unrestored_ha: 2.0,
            unrestored_responsible_ha: 0.5,
            unrestored_legacy_ha: 1.5,
            unrestored_unattributed_ha: 0.0,
            water_ha: 0.0,
            unobserved_ha: 1e-9,
            unobserved_causes: Default::default(),
            implausible_reflectance_ha: 0.0,
            footprint_ha: 0.1 + 0.2 + 2.0 + 1e-9,
            pit_count: 3,
            piece_count: 4,
            license_count: 2,
            liable_license_count: 1,
            orphan_piece_count: 1,
            overlap_count: 0,
            unmapped_ha: 0.0,
            unmapped_values: vec![],
            composite: None,
        }
    }

    #[test]
    fn flattened_figures_round_trip_bit_for_bit() {
        let f = SummaryFile {
            format: SUMMARY_FORMAT.into(),
            format_version: SUMMARY_FORMAT_VERSION,
            summary: summary(),
            restored_pct: Some(13.043478260869566),
            observed_pct: Some(100.0),
            baseline: None,
            previous: None,
            overlap_ha: 0.0,
            overlaps: vec![],
            accuracy: None,
            warnings: vec![],
            discovery: None,
            provenance: Provenance {
                reclaim_version: "0.1.0".into(),
                inputs: vec![],
                config_toml: "audit_date = \"2025-12-31\"\n".into(),
                crs: "EPSG:32651".into(),
                cell_size: (10.0, 10.0),
                method: None,
            },
        };
        let text = serde_json::to_string_pretty(&f).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v["restored_ha"], 0.30000000000000004);
        assert_eq!(v["pit_count"], 3);
        let back: SummaryFile = serde_json::from_str(&text).unwrap();
        assert_eq!(back, f);
    }
}
