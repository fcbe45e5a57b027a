//! Checks of a read request shared by every reader: band and block in range, window inside
//! the raster and under the window limit (before anything is allocated).

use std::path::Path;

use super::blocks::BlockGrid;
use super::error::RasterError;
use super::info::RasterInfo;
use super::limits::{LimitKind, Limits};
use crate::grid::Window;

/// `band` (from 1) exists in the raster.
pub(crate) fn check_band(path: &Path, info: &RasterInfo, band: usize) -> Result<(), RasterError> {
    if band == 0 || band > info.bands {
        return Err(RasterError::BandOutOfRange {
            path: path.to_path_buf(),
            band,
            bands: info.bands,
        });
    }
    Ok(())
}

/// Block (`col`, `row`) exists in `grid`.
pub(crate) fn check_block(
    path: &Path,
    grid: &BlockGrid,
    col: usize,
    row: usize,
) -> Result<(), RasterError> {
    if col >= grid.across || row >= grid.down {
        return Err(RasterError::BlockOutOfRange {
            path: path.to_path_buf(),
            block_col: col,
            block_row: row,
            blocks_across: grid.across,
            blocks_down: grid.down,
        });
    }
    Ok(())
}

/// `win` is non-empty, inside the raster, and its samples fit `limits.max_window_bytes`.
pub(crate) fn check_window(
    path: &Path,
    info: &RasterInfo,
    limits: &Limits,
    win: Window,
) -> Result<(), RasterError> {
    let inside = win
        .col_off
        .checked_add(win.width)
        .is_some_and(|e| e <= info.width)
        && win
            .row_off
            .checked_add(win.height)
            .is_some_and(|e| e <= info.height);
    if win.is_empty() || !inside {
        return Err(RasterError::WindowOutOfRange {
            path: path.to_path_buf(),
            window: win,
            width: info.width,
            height: info.height,
        });
    }
    let bytes = (win.width as u64)
        .saturating_mul(win.height as u64)
        .saturating_mul(info.sample_type.size_bytes() as u64);
    if bytes > limits.max_window_bytes {
        return Err(RasterError::LimitExceeded {
            path: path.to_path_buf(),
            what: LimitKind::WindowBytes,
            requested: bytes,
            limit: limits.max_window_bytes,
        });
    }
    Ok(())
}
