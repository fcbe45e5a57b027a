//! Block plans: which raster blocks to decode, and which footprints each one feeds.
//!
//! Planning first keeps the hot loop simple: each needed block is decoded once,
//! however many footprints share it, and blocks no footprint touches are never
//! read. Footprints are found per block with the R-tree over their cell windows.

use crate::grid::Window;
use crate::index::FootprintIndex;
use geo::{LineString, MultiPolygon, Polygon};

/// One block to decode and the footprints (indices, ascending) that touch it.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockTask {
    /// The block's cells.
    pub window: Window,
    /// Indices of the footprints whose window meets the block.
    pub footprints: Vec<usize>,
}

/// Plans the blocks of a raster (`blocks`, in row-major block order) against the
/// cell windows of footprints; blocks no footprint touches are left out.
pub fn plan_blocks(
    blocks: impl IntoIterator<Item = Window>,
    footprint_windows: &[Window],
) -> Vec<BlockTask> {
    let boxes: Vec<MultiPolygon<f64>> = footprint_windows.iter().map(window_box).collect();
    let index = FootprintIndex::new(boxes.iter());
    let mut hits = Vec::new();
    let mut plan = Vec::new();
    for w in blocks {
        let bbox = (
            w.col_off as f64,
            w.row_off as f64,
            (w.col_off + w.width) as f64,
            (w.row_off + w.height) as f64,
        );
        index.query_into(bbox, &mut hits);
        // Boxes that only touch the block's edge share no cell with it.
        hits.retain(|&z| footprint_windows[z].intersect(&w).is_some());
        if !hits.is_empty() {
            hits.sort_unstable();
            plan.push(BlockTask {
                window: w,
                footprints: hits.clone(),
            });
        }
    }
    plan
}

/// A window as a box in cell space (empty windows give no box).
fn window_box(w: &Window) -> MultiPolygon<f64> {
    if w.is_empty() {
        return MultiPolygon(vec![]);
    }
    let (x0, y0) = (w.col_off as f64, w.row_off as f64);
    let (x1, y1) = (x0 + w.width as f64, y0 + w.height as f64);
    MultiPolygon(vec![Polygon::new(
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    )])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn w(c: usize, r: usize, wd: usize, h: usize) -> Window {
        Window {
            col_off: c,
            row_off: r,
            width: wd,
            height: h,
        }
    }

    #[test]
    fn blocks_without_footprints_are_skipped_and_edges_do_not_count() {
        // 2×2 blocks of 10×10 cells
        let blocks = [
            w(0, 0, 10, 10),
            w(10, 0, 10, 10),
            w(0, 10, 10, 10),
            w(10, 10, 10, 10),
        ];
        // footprint 0 inside block (0,0) touching block (1,0)'s edge; footprint 1 spans the right column
        let fps = [w(2, 2, 8, 3), w(12, 5, 3, 10)];
        let plan = plan_blocks(blocks, &fps);
        let got: Vec<(Window, Vec<usize>)> =
            plan.into_iter().map(|t| (t.window, t.footprints)).collect();
        assert_eq!(
            got,
            vec![
                (blocks[0], vec![0]),
                (blocks[1], vec![1]),
                (blocks[3], vec![1])
            ]
        );
    }
}
