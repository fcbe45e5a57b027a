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
use crate::audit::config::ConfigError;
use crate::audit::rasters::CLASSES_FILE;
use crate::crs::Crs;
use crate::raster::{BandBuffer, GeoTiff};
use crate::results::{AccuracySummary, AuditAccuracy, ClassSummary};
use crate::results::{AuditReport, Responsibility};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// `[accuracy]` of `audit.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AccuracyConfig {
    /// The labelled sample: `.csv`, `.geojson` or `.shp`, as `reclaim sample` wrote
    /// it with its `reference` field filled in (relative to the config file). Whether
    /// it was stratified by responsibility is read from its `stratum` field.
    pub reference: PathBuf,
    /// Apply the finite-population correction `1 − n_h / N_h` (default false, as in
    /// Olofsson et al. 2014; `reclaim accuracy --fpc`).
    #[serde(default)]
    pub fpc: bool,
}

impl AccuracyConfig {
    /// Checks the section: the reference is a sample format reclaim reads.
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming `[accuracy] reference`.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if sampled::is_sample_format(&self.reference) {
            return Ok(());
        }
        Err(ConfigError::Invalid {
            key: "[accuracy] reference",
            value: format!("{:?}", self.reference.display().to_string()),
            allowed: "a labelled sample as reclaim sample writes it: a .csv, .geojson or .shp file (e.g. reference = \"sample-2025.csv\")".into(),
            flag: None,
        })
    }
}

/// What stops the assessment inside an audit. Every message names the file and the
/// fix; nothing is written.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InAuditError {
    /// The sample cannot be read or estimated from (bad label, too few points …).
    #[error("[accuracy] reference {}: {source}", path.display())]
    Sample {
        path: PathBuf,
        #[source]
        source: Box<AccuracyError>,
    },
    /// The sample was drawn from another map than this audit's.
    #[error("[accuracy] reference {} does not match this audit: {source} — a sample is checked against the map it was drawn from, and this audit's map is not that one (other imagery, thresholds, footprints or licences). Draw a sample from this audit (reclaim audit --config … --out DIR, then reclaim sample --audit DIR --n 300 --out sample.csv), label it and set [accuracy] reference to it; or remove [accuracy] to write the audit without the assessment", path.display())]
    Mismatch {
        path: PathBuf,
        #[source]
        source: Box<AccuracyError>,
    },
    /// The run's class raster under the footprints does not hold the land it measured.
    #[error("[accuracy] reference {}: the class raster under the footprints holds {frame_ha} ha of {class} land but the audit measured {audit_ha} ha, so no sample can be checked against it; please report this with the inputs, and remove [accuracy] meanwhile", path.display())]
    Frame {
        path: PathBuf,
        class: &'static str,
        frame_ha: f64,
        audit_ha: f64,
    },
    /// A sample stratified by responsibility, in an audit without licences.
    #[error("[accuracy] reference {}: its strata split the land by responsibility (restored/legacy …), but this audit has no licence layer to tell responsible from legacy land; add the [licenses] the sample was drawn with, or draw the sample without --by-responsibility", path.display())]
    NoLicences { path: PathBuf },
    /// A sharded run or a merge: no class raster, so no frame.
    #[error("[accuracy] needs the class raster of a one-shot audit, which a shard (--shard) or a merge does not make; run the audit without --shard to include the assessment, or remove [accuracy] from the configuration of the shards")]
    NotOneShot,
}

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
