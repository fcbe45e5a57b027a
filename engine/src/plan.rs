//! Block plans: which raster blocks to decode, and which footprints each one feeds.
//!
//! Planning first keeps the hot loop simple: each needed block is decoded once,
//! however many footprints share it, and blocks no footprint touches are never
//! read. Footprints are found per block with the R-tree over their cell windows.

use crate::grid::{Grid, Window};
use crate::index::FootprintIndex;
use geo::{BoundingRect, LineString, MultiPolygon, Polygon};

/// One block to decode and the footprints (indices, ascending) that touch it.
#[derive(Debug, Clone, PartialEq)]
pub struct BlockTask {
    /// The block's cells.
    pub window: Window,
    /// Indices of the footprints whose window meets the block.
    pub footprints: Vec<usize>,
    /// The part of the block to read: the smallest window holding every
    /// footprint window's overlap with the block. Rows below it are never decoded.
    pub needed: Window,
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
        let needed = hits
            .iter()
            .filter_map(|&z| footprint_windows[z].intersect(&w))
            .reduce(|a, b| a.bounding(&b));
        if let Some(needed) = needed {
            hits.sort_unstable();
            plan.push(BlockTask {
                window: w,
                footprints: hits.clone(),
                needed,
            });
        }
    }
    plan
}

/// The cells of `grid` under the bounding box of `poly` (in the grid's CRS),
/// clipped to the grid; empty when the polygon misses it. A cheap stand-in for
/// the coverage window when only the blocks to read matter.
pub fn footprint_window(poly: &MultiPolygon<f64>, grid: &Grid) -> Window {
    let empty = Window {
        col_off: 0,
        row_off: 0,
        width: 0,
        height: 0,
    };
    let t = grid.transform;
    let Some(rect) = poly.bounding_rect() else {
        return empty;
    };
    let (ua, va) = ((rect.min().x - t.x0) / t.dx, (rect.min().y - t.y0) / t.dy);
    let (ub, vb) = ((rect.max().x - t.x0) / t.dx, (rect.max().y - t.y0) / t.dy);
    let span = |a: f64, b: f64, n: usize| -> Option<(usize, usize)> {
        let (lo, hi) = (a.min(b).floor().max(0.0), a.max(b).ceil().min(n as f64));
        (lo.is_finite() && hi.is_finite() && hi > lo).then_some((lo as usize, hi as usize))
    };
    match (span(ua, ub, grid.width), span(va, vb, grid.height)) {
        (Some((c0, c1)), Some((r0, r1))) => Window {
            col_off: c0,
            row_off: r0,
            width: c1 - c0,
            height: r1 - r0,
        },
        _ => empty,
    }
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
    fn footprint_window_is_the_cells_under_the_bounding_box() {
        use crate::grid::GeoTransform;
        // 10 × 8 grid of 10 m cells, north-up, top-left (0, 80).
        let grid = Grid {
            width: 10,
            height: 8,
            transform: GeoTransform {
                x0: 0.0,
                dx: 10.0,
                rx: 0.0,
                y0: 80.0,
                ry: 0.0,
                dy: -10.0,
            },
        };
        let sq = |x0: f64, y0: f64, x1: f64, y1: f64| {
            MultiPolygon(vec![Polygon::new(
                LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
                vec![],
            )])
        };
        // x 15..35 → cols 1..4; y 42..58 → rows 2..4 (y 80 is row 0).
        assert_eq!(
            footprint_window(&sq(15.0, 42.0, 35.0, 58.0), &grid),
            w(1, 2, 3, 2)
        );
        // On cell corners: exactly the cells inside.
        assert_eq!(
            footprint_window(&sq(20.0, 40.0, 40.0, 60.0), &grid),
            w(2, 2, 2, 2)
        );
        // Clipped to the grid; a polygon beyond it gives an empty window.
        assert_eq!(
            footprint_window(&sq(-50.0, 70.0, 5.0, 95.0), &grid),
            w(0, 0, 1, 1)
        );
        assert!(footprint_window(&sq(200.0, 0.0, 210.0, 10.0), &grid).is_empty());
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
        let got: Vec<(Window, Vec<usize>, Window)> = plan
            .into_iter()
            .map(|t| (t.window, t.footprints, t.needed))
            .collect();
        assert_eq!(
            got,
            vec![
                (blocks[0], vec![0], w(2, 2, 8, 3)),
                (blocks[1], vec![1], w(12, 5, 3, 5)),
                (blocks[3], vec![1], w(12, 10, 3, 5))
            ]
        );
    }

    #[test]
    fn needed_window_bounds_every_footprint_in_the_block() {
        // one 10×10 block; footprints at the top left and the middle right
        let plan = plan_blocks([w(0, 0, 10, 10)], &[w(1, 1, 2, 2), w(6, 4, 4, 3)]);
        assert_eq!(plan.len(), 1);
        assert_eq!(plan[0].needed, w(1, 1, 9, 6));
    }
}

/// Per-worker state (decoders with their tile caches, buffers) kept across the tasks
/// of a parallel loop: a task takes a free state, or makes one, and gives it back.
///
/// Rayon's `map_init` makes a fresh state for every job it splits off — a handful
/// per thread — so decoded-tile caches would start cold again and again; with the
/// pool at most as many states exist as tasks run at once (the worker threads).
#[derive(Debug)]
pub struct WorkerPool<T> {
    free: std::sync::Mutex<Vec<T>>,
}

impl<T> Default for WorkerPool<T> {
    fn default() -> Self {
        Self {
            free: std::sync::Mutex::new(Vec::new()),
        }
    }
}

impl<T> WorkerPool<T> {
    /// Runs `task` with a free state (or one `make` builds), then puts it back,
    /// whether the task succeeded or not.
    pub fn with<R, E>(
        &self,
        make: impl FnOnce() -> Result<T, E>,
        task: impl FnOnce(&mut T) -> Result<R, E>,
    ) -> Result<R, E> {
        let taken = self.free.lock().ok().and_then(|mut v| v.pop());
        let mut state = match taken {
            Some(s) => s,
            None => make()?,
        };
        let out = task(&mut state);
        if let Ok(mut v) = self.free.lock() {
            v.push(state);
        }
        out
    }

    /// How many states were made (all back in the pool once the loop is over).
    pub fn made(&self) -> usize {
        self.free.lock().map(|v| v.len()).unwrap_or(0)
    }
}
