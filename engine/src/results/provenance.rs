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

