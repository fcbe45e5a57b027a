//! The errors of the JPEG 2000 reader: I/O, damaged structure, unsupported features
//! and limits, each naming the file and, when known, the codestream tile.

use std::path::Path;

use crate::raster::error::{ChunkRef, Malformation, RasterError, UnsupportedFeature};
use crate::raster::limits::LimitKind;

/// A failed read of `path`.
pub(super) fn io(path: &Path, e: std::io::Error) -> RasterError {
    RasterError::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

/// A damaged JPEG 2000 structure, in tile `tile` when given.
pub(super) fn malformed(path: &Path, tile: Option<usize>, what: impl Into<String>) -> RasterError {
    RasterError::Malformed {
        path: path.to_path_buf(),
        chunk: tile.map(|index| ChunkRef { tiled: true, index }),
        detail: Malformation::Jpeg2000(what.into()),
    }
}

/// A JPEG 2000 feature reclaim does not read, in tile `tile` when given.
pub(super) fn unsupported(
    path: &Path,
    tile: Option<usize>,
    what: impl Into<String>,
) -> RasterError {
    RasterError::Unsupported {
        path: path.to_path_buf(),
        chunk: tile.map(|index| ChunkRef { tiled: true, index }),
        feature: UnsupportedFeature::Jpeg2000(what.into()),
    }
}

/// A declared size over a limit.
pub(super) fn limit(path: &Path, what: LimitKind, requested: u64, limit: u64) -> RasterError {
    RasterError::LimitExceeded {
        path: path.to_path_buf(),
        what,
        requested,
        limit,
    }
}
