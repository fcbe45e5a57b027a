//! The accuracy assessment inside `reclaim audit`: the `[accuracy]` section of
//! `audit.toml` names a labelled sample, and the audit's outputs carry its
//! error-adjusted areas and accuracies (`summary.json` `accuracy`, a section of
//! `report.html`, `accuracy.json` and `accuracy.csv` in the folder).
//!
//! The sampling frame is this run's own: its pieces and its class raster (an
//! `[accuracy]` section makes the audit write `classes.tif`, as `--classes-tif`
//! does), checked against the figures the run measured. The sample is read when the
//! imagery is open, before the long pass over it, so a bad file fails at once; it is
//! checked against the frame at the end: a sample drawn from another map (other
//! imagery, thresholds or footprints) is refused, naming the file, the row and the
//! fix, and nothing is written.

use super::audit::{self as sampled, Labelled};
use super::error::{AccuracyError, RowProblem};
use super::estimate::Estimate;
use super::frame::{self, FramePiece};
use super::output::{accuracy_csv, accuracy_json, ACCURACY_CSV, ACCURACY_JSON};
use super::EstimateOptions;
use crate::audit::rasters::CLASSES_FILE;
use crate::crs::Crs;
use crate::raster::{BandBuffer, GeoTiff};
use crate::results::{AccuracySummary, AuditAccuracy, ClassSummary};
use crate::results::{AuditReport, Responsibility};
use std::path::Path;

pub use super::config::{AccuracyConfig, InAuditError};

/// Reads the labelled sample of `[accuracy]`, its points located in `crs` (the
/// imagery's): called before the long pass, so a bad file fails at once.
///
/// # Errors
/// [`InAuditError::Sample`].
pub fn read(cfg: &AccuracyConfig, crs: &Crs) -> Result<Vec<Labelled>, InAuditError> {
    sampled::read_labelled(&cfg.reference, crs).map_err(|e| sample_error(&cfg.reference, e))
}

/// Assesses the audit `report` (with its class raster) from the sample `records`.
///
/// # Errors
/// [`InAuditError`]: a sample that does not match the audit, a stratum with fewer
/// than 2 points, a sample by responsibility without licences, no class raster.
pub fn assess(
    cfg: &AccuracyConfig,
    records: Vec<Labelled>,
    report: &AuditReport,
    pits: &Path,
) -> Result<AuditAccuracy, InAuditError> {
    let path = cfg.reference.as_path();
    let by_responsibility = sampled::by_responsibility(&records);
    let attributed = report
        .pieces
        .iter()
        .any(|p| !matches!(p.responsibility, Responsibility::Unattributed));
    if by_responsibility && !attributed {
        return Err(InAuditError::NoLicences {
            path: path.to_path_buf(),
        });
    }
    let crs = Crs::from_user_string(&report.provenance.crs).map_err(|source| {
        engine(
            path,
            crate::Error::Crs {
                path: path.to_path_buf(),
                source,
            },
        )
    })?;
    let tif = report
        .rasters
        .as_ref()
        .filter(|r| r.names.iter().any(|n| n == CLASSES_FILE))
        .map(|r| r.dir.path().join(CLASSES_FILE))
        .ok_or(InAuditError::NotOneShot)?;
    let mut raster = GeoTiff::open(&tif).map_err(|e| engine(path, e.into()))?;
    let grid = raster.grid();
    let classes = match raster.read_band(1).map_err(|e| engine(path, e.into()))? {
        BandBuffer::U8(v) => v,
        _ => return Err(InAuditError::NotOneShot),
    };
    let pieces = report
        .pieces
        .iter()
        .zip(&report.piece_geometry)
        .map(|(p, g)| FramePiece {
            pit_id: &p.pit_id,
            geometry: &g.raster_crs,
            legacy: matches!(p.responsibility, Responsibility::Legacy),
        });
    let frame = frame::build(path, grid, crs, &classes, pieces, by_responsibility, pits)
        .map_err(|e| sample_error(path, e))?;
    let s = &report.summary;
    if let Some((class, frame_ha, audit_ha)) =
        frame.mismatch([s.restored_ha, s.unrestored_ha, s.water_ha])
    {
        return Err(InAuditError::Frame {
            path: path.to_path_buf(),
            class,
            frame_ha,
            audit_ha,
        });
    }
    let points = sampled::check_labels(path, records, &frame).map_err(|e| sample_error(path, e))?;
    let opts = EstimateOptions { fpc: cfg.fpc };
    let (acc, domains) =
        sampled::assess(&frame, &points, opts).map_err(|e| sample_error(path, e))?;

    let class = |name: &str| acc.class(name);
    let area = |name: &str| {
        class(name)
            .map(|c| c.area)
            .unwrap_or_else(|| Estimate::new(0.0, 0.0))
    };
    let domain = |name: &str| domains.iter().find(|d| d.name == name).map(|d| d.area_ha);
    let summary = AccuracySummary {
        method: acc.method.name().to_string(),
        reference: path.to_path_buf(),
        n: acc.n,
        by_responsibility,
        finite_population_correction: cfg.fpc,
        observed_ha: acc.total_area,
        overall_accuracy: acc.overall,
        restored_ha: area("restored"),
        unrestored_ha: area("unrestored"),
        unrestored_responsible_ha: domain("unrestored/responsible"),
        unrestored_legacy_ha: domain("unrestored/legacy"),
        water_ha: area("water"),
        classes: acc
            .per_class
            .iter()
            .map(|c| ClassSummary {
                class: c.class.clone(),
                map_area_ha: c.map_area.unwrap_or(0.0),
                area_ha: c.area,
                users_accuracy: c.users,
                producers_accuracy: c.producers,
            })
            .collect(),
        files: vec![ACCURACY_JSON.to_string(), ACCURACY_CSV.to_string()],
    };
    let source = serde_json::json!({
        "audit_date": s.audit_date,
        "reference": path,
        "by_responsibility": by_responsibility,
    });
    Ok(AuditAccuracy {
        summary,
        json: accuracy_json(&acc, cfg.fpc, &domains, Some(&source)),
        csv: accuracy_csv(&acc, &domains),
    })
}

fn engine(path: &Path, e: crate::Error) -> InAuditError {
    InAuditError::Sample {
        path: path.to_path_buf(),
        source: Box::new(AccuracyError::Engine(Box::new(e))),
    }
}

/// A sample error, told apart: one that says the sample is of another map, or any
/// other.
fn sample_error(path: &Path, e: AccuracyError) -> InAuditError {
    let mismatch = matches!(
        &e,
        AccuracyError::Row {
            problem: RowProblem::UnknownStratum { .. }
                | RowProblem::StratumMismatch { .. }
                | RowProblem::OutsideStratum { .. },
            ..
        } | AccuracyError::SamplesWithoutArea { .. }
    );
    let (path, source) = (path.to_path_buf(), Box::new(e));
    if mismatch {
        InAuditError::Mismatch { path, source }
    } else {
        InAuditError::Sample { path, source }
    }
}
