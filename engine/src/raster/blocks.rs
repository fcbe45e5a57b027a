//! Block (strip or tile) geometry: which chunk holds which cells.
//!
//! Computed here rather than asked of the `tiff` crate, whose per-chunk sizes are
//! wrong for the second and later planes of tiled band-interleaved files.

use crate::grid::Window;

/// The block grid of one image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct BlockGrid {
    pub width: usize,
    pub height: usize,
    /// Nominal block size (strips: image width × rows per strip, clamped to the height).
    pub block_width: usize,
    pub block_height: usize,
    pub across: usize,
    pub down: usize,
    /// Chunk planes: bands for PlanarConfiguration 2, else 1.
    pub planes: usize,
    pub tiled: bool,
}

impl BlockGrid {
    /// Grid for an image; `None` when a count overflows `usize`.
    pub fn new(
        width: u64,
        height: u64,
        tile: Option<(u64, u64)>,
        rows_per_strip: Option<u64>,
        planes: usize,
    ) -> Option<BlockGrid> {
        let width = usize::try_from(width).ok()?;
        let height = usize::try_from(height).ok()?;
        let (bw, bh, tiled) = match tile {
            Some((w, h)) => (usize::try_from(w).ok()?, usize::try_from(h).ok()?, true),
            None => {
                let rps =
                    rows_per_strip.map_or(height, |r| usize::try_from(r).unwrap_or(usize::MAX));
                (width, rps.min(height), false)
            }
        };
        if bw == 0 || bh == 0 || width == 0 || height == 0 || planes == 0 {
            return None;
        }
        let g = BlockGrid {
            width,
            height,
            block_width: bw,
            block_height: bh,
            across: width.div_ceil(bw),
            down: height.div_ceil(bh),
            planes,
            tiled,
        };
        g.chunk_count()?;
        Some(g)
    }

    /// Total number of chunks over all planes.
    pub fn chunk_count(&self) -> Option<usize> {
        self.across.checked_mul(self.down)?.checked_mul(self.planes)
    }

    /// The cells of block (`col`, `row`), clipped to the image.
    pub fn window(&self, col: usize, row: usize) -> Window {
        let col_off = col * self.block_width;
        let row_off = row * self.block_height;
        Window {
            col_off,
            row_off,
            width: self.block_width.min(self.width.saturating_sub(col_off)),
            height: self.block_height.min(self.height.saturating_sub(row_off)),
        }
    }

    /// File-order index of the chunk of `plane` at block (`col`, `row`).
    pub fn chunk_index(&self, plane: usize, col: usize, row: usize) -> usize {
        (plane * self.down + row) * self.across + col
    }

    /// Inclusive block column and row ranges a (non-empty, in-range) window touches.
    pub fn blocks_touching(
        &self,
        w: &Window,
    ) -> (
        std::ops::RangeInclusive<usize>,
        std::ops::RangeInclusive<usize>,
    ) {
        let c0 = w.col_off / self.block_width;
        let c1 = (w.col_off + w.width - 1) / self.block_width;
        let r0 = w.row_off / self.block_height;
        let r1 = (w.row_off + w.height - 1) / self.block_height;
        (c0..=c1, r0..=r1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_are_clipped_at_the_edges() {
        // 100 × 70 image in 64 × 64 tiles, 3 planes.
        let g = BlockGrid::new(100, 70, Some((64, 64)), None, 3).unwrap();
        assert_eq!((g.across, g.down, g.chunk_count()), (2, 2, Some(12)));
        assert_eq!(
            g.window(1, 1),
            Window {
                col_off: 64,
                row_off: 64,
                width: 36,
                height: 6
            }
        );
        assert_eq!(
            g.window(0, 0),
            Window {
                col_off: 0,
                row_off: 0,
                width: 64,
                height: 64
            }
        );
        // Plane 2, block (1, 0): after 2 planes of 4 chunks, first row.
        assert_eq!(g.chunk_index(2, 1, 0), 9);
    }

    #[test]
    fn strips_span_the_width() {
        let g = BlockGrid::new(10, 7, None, Some(3), 1).unwrap();
        assert_eq!(
            (g.block_width, g.block_height, g.across, g.down),
            (10, 3, 1, 3)
        );
        assert_eq!(
            g.window(0, 2),
            Window {
                col_off: 0,
                row_off: 6,
                width: 10,
                height: 1
            }
        );
        // Missing or huge RowsPerStrip means one strip.
        let one = BlockGrid::new(10, 7, None, Some(u64::from(u32::MAX)), 1).unwrap();
        assert_eq!((one.block_height, one.down), (7, 1));
        assert_eq!(BlockGrid::new(10, 7, None, None, 1).unwrap().down, 1);
    }

    #[test]
    fn window_touches_the_right_blocks() {
        let g = BlockGrid::new(10, 7, None, Some(3), 1).unwrap();
        let w = Window {
            col_off: 2,
            row_off: 2,
            width: 3,
            height: 2,
        };
        assert_eq!(g.blocks_touching(&w), (0..=0, 0..=1));
    }

    #[test]
    fn overflow_is_refused() {
        assert_eq!(
            BlockGrid::new(u64::MAX, u64::MAX, Some((1, 1)), None, 2),
            None
        );
        assert_eq!(BlockGrid::new(10, 10, Some((0, 16)), None, 1), None);
    }
}
