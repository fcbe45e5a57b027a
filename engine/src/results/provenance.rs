//! Where an audit's figures come from: its input files and their checksums.

use serde::{Deserialize, Serialize};

/// One input file and its checksum (provenance).
///
/// Equality compares `role`, `path` and `sha256`: `path_relative` is `path` seen
/// from wherever the record was written, not part of what the input is.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct InputFile {
    /// What the file is (`imagery`, `mask`, `pits`, `licenses`, …).
    pub role: String,
    /// The file, absolute (its folder resolved: symlinks, `..`).
    pub path: std::path::PathBuf,
    pub sha256: String,
    /// The file relative to the folder of the `summary.json` that records it, so a
    /// moved or remounted tree of audits and inputs still resolves (`--previous`).
    /// Filled when `summary.json` is written; absent in older summaries.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path_relative: Option<std::path::PathBuf>,
}

impl PartialEq for InputFile {
    fn eq(&self, o: &Self) -> bool {
        self.role == o.role && self.path == o.path && self.sha256 == o.sha256
    }
}

/// How the land was classified, as the report states it: structured, so the
/// writers never re-read the configuration.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Method {
    /// The classifier and its thresholds.
    pub classifier: Classifier,
    /// The mask preset (`scl`, `qa_pixel`, …), if one was named.
    pub mask_preset: Option<String>,
    /// The licence statuses that make a holder liable; `None` without a licence layer.
    pub liable_statuses: Option<Vec<String>>,
    /// Whether the audit's CRS is geographic (degrees): maps then draw no scale bar
    /// in metres.
    pub geographic: bool,
}

/// The classifier of [`Method`].
#[derive(Debug, Clone, PartialEq)]
pub enum Classifier {
    /// NDVI thresholds over red and near-infrared reflectance.
    Ndvi {
        /// Restored when NDVI ≥ this.
        restored_min_ndvi: f64,
        /// Water when NDVI < this.
        water_max_ndvi: f64,
        /// Reflectance = value × scale + offset.
        scale: f64,
        /// See `scale`.
        offset: f64,
    },
    /// A land-cover map's classes.
    Classes {
        /// The named preset (`worldcover`, …), if any.
        preset: Option<String>,
    },
}

impl Default for Classifier {
    fn default() -> Self {
        Classifier::Classes { preset: None }
    }
}
