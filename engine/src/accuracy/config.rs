//! `[accuracy]` of `audit.toml`, and what stops the assessment inside an audit.

use super::error::AccuracyError;
use crate::config::ConfigError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Extensions of the sample files reclaim reads back.
pub const SAMPLE_FORMATS: [&str; 4] = ["csv", "geojson", "json", "shp"];

/// Whether `path` has the extension of a sample file reclaim reads back.
pub fn is_sample_format(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SAMPLE_FORMATS.contains(&e.to_ascii_lowercase().as_str()))
}

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
        if is_sample_format(&self.reference) {
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
