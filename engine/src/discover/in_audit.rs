//! Discovery inside the annual audit: with `[discovery] in_audit = true`,
//! `reclaim audit` also runs [`discover`](super::discover) over the same
//! configuration and puts its candidates into the audit folder
//! (`candidates.geojson`, `candidates_projected.geojson`, `candidates.csv`),
//! a `discovery` object into `summary.json` and a table into `report.html`.
//!
//! Without the switch the audit does not look at `[discovery]` at all (a
//! configuration may hold the section for `reclaim discover` alone), and every
//! audit output stays as it was.

use super::run::{discover, DiscoverOptions};
use crate::audit::{AuditConfig, AuditError, AuditOptions};
use crate::results::AuditReport;
use crate::results::{AuditDiscovery, TOP_CANDIDATES};
use std::path::Path;
use std::sync::Arc;

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
    let top = (0..d.candidates.len().min(TOP_CANDIDATES))
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
