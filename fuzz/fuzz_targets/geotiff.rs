//! GeoTIFF reader: open arbitrary bytes, describe them, read blocks and windows.
//!
//! `GeoTiff` reads from a file (it keeps a positioned decoder), so each input is
//! written to one scratch file per process. Limits are lowered so a hostile header
//! cannot make a single input allocate more than a few tens of MiB.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use reclaim::raster::{GeoTiff, Limits};
use reclaim::Window;

/// Most blocks decoded per band (keeps one input fast).
const MAX_BLOCKS: usize = 16;
/// Most bands read per input.
const MAX_BANDS: usize = 4;

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = if std::path::Path::new("/dev/shm").is_dir() {
            PathBuf::from("/dev/shm")
        } else {
            std::env::temp_dir()
        };
        dir.join(format!("reclaim-fuzz-{}.tif", std::process::id()))
    })
}

fuzz_target!(|data: &[u8]| {
    let path = scratch();
    if std::fs::write(path, data).is_err() {
        return;
    }
    let limits = Limits {
        max_block_bytes: 16 << 20,
        max_window_bytes: 16 << 20,
        max_ifds: 64,
        max_chunks: 1 << 16,
    };
    let Ok(mut tif) = GeoTiff::open_with_limits(path, limits) else {
        return;
    };
    let info = tif.info().clone();
    let _ = format!("{info:?}");
    let (across, down) = (tif.blocks_across(), tif.blocks_down());
    for band in 1..=info.bands.min(MAX_BANDS) {
        let mut decoded = 0;
        'blocks: for row in 0..down {
            for col in 0..across {
                if decoded == MAX_BLOCKS {
                    break 'blocks;
                }
                decoded += 1;
                if let Ok(buf) = tif.read_block(band, col, row) {
                    let win = tif.block_window(col, row);
                    assert_eq!(buf.len(), win.len(), "block buffer size");
                }
            }
        }
        // A small window at each corner (crosses block boundaries when blocks are small).
        let w = info.width.min(24);
        let h = info.height.min(24);
        for (col_off, row_off) in [(0, 0), (info.width - w, info.height - h)] {
            let win = Window {
                col_off,
                row_off,
                width: w,
                height: h,
            };
            if let Ok(buf) = tif.read_window(band, win) {
                assert_eq!(buf.len(), win.len(), "window buffer size");
            }
        }
    }
    // Out-of-range requests are errors, never panics.
    assert!(tif.read_block(info.bands + 1, 0, 0).is_err());
    assert!(tif.read_block(1, across, 0).is_err());
});
