//! Options of an audit run beyond its configuration.

use super::checksum::ChecksumCache;
use crate::raster::Limits;
use std::path::PathBuf;

/// Options of an audit beyond its configuration file.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// An earlier audit's output folder, for the change report.
    pub previous: Option<PathBuf>,
    /// Raster allocation limits.
    pub limits: Limits,
    /// Called as raster blocks are done (the CLI's progress bar).
    pub progress: Option<crate::progress::Progress>,
    /// Where input checksums are reused while a file is unchanged (default:
    /// disabled, every input hashed; the CLI uses [`ChecksumCache::from_environment`]).
    pub checksum_cache: ChecksumCache,
    /// Also write `classes.tif` (and `clear_obs.tif` for a composite) into the
    /// audit folder (`reclaim audit --classes-tif`).
    pub classes_tif: bool,
    /// Where those rasters wait until the folder is written (default: the system's
    /// temporary folder; the CLI uses the output folder's parent).
    pub scratch_dir: Option<PathBuf>,
}
