//! The block sweep: decode each needed block once, classify it (this year and, for
//! change detection, last year), and add every piece's exact coverage into a 4×4
//! table of hectares (last year's class × this year's class). Maps are painted in
//! the same pass.

use super::composite::{SceneTally, SUPER_BLOCK};
use super::error::AuditError;
use super::imagery::{BlockBands, Imagery, Readers, Unmapped, UNMAPPED};
use crate::classify::{Unobserved, IMPLAUSIBLE};
use crate::coverage::Coverage;
use crate::grid::{Grid, Window};
use crate::plan::{plan_blocks, WorkerPool};
use crate::progress::{Progress, Ticker};
use crate::results::{ClassMap, ClearObsMap, LandClass};
use rayon::prelude::*;
use std::sync::Mutex;

/// m² of a piece by (previous class, current class), indexed by class code.
pub type Transitions = [[f64; 4]; 4];

/// What the imagery says of a piece's land beyond its classes, m²: unobserved by
/// [`Unobserved`] cause (masked, nodata, invalid), then observed with an
/// implausible reflectance (slot [`IMPLAUSIBLE_SLOT`]).
pub type Causes = [f64; 4];

/// Slot of [`Causes`] for observed land with a reflectance out of range.
pub const IMPLAUSIBLE_SLOT: usize = 3;

/// A map being painted: a window of the grid, `k × k` cells per pixel, and per
/// pixel how many footprint cells of each class fell in it.
#[derive(Debug, Clone)]
pub struct Canvas {
    window: Window,
    k: usize,
    width: usize,
    height: usize,
    pixels: Pixels,
}

/// What a canvas keeps per pixel.
#[derive(Debug, Clone)]
enum Pixels {
    /// One cell per pixel (`k = 1`): its class, or [`ClassMap::OUTSIDE`]. A 16th of
    /// the memory of counts, and these canvases (mine maps, shard pits) are many.
    Classes(Vec<u8>),
    /// Cells of each class per pixel (`k > 1`).
    Counts(Vec<[u32; 4]>),
}

impl Canvas {
    /// A canvas over `window`, at most `max_px` pixels on its longer side.
    pub fn new(window: Window, max_px: usize) -> Canvas {
        let longer = window.width.max(window.height).max(1);
        let k = longer.div_ceil(max_px.max(1)).max(1);
        let width = window.width.div_ceil(k).max(1);
        let height = window.height.div_ceil(k).max(1);
        let pixels = if k == 1 {
            Pixels::Classes(vec![ClassMap::OUTSIDE; width * height])
        } else {
            Pixels::Counts(vec![[0; 4]; width * height])
        };
        Canvas {
            window,
            k,
            width,
            height,
            pixels,
        }
    }

    /// Adds one footprint cell of class `class` (0–3) at pixel (`px`, `py`).
    #[inline]
    fn add(&mut self, px: usize, py: usize, class: u8) {
        let i = py * self.width + px;
        match &mut self.pixels {
            Pixels::Classes(v) => {
                if let Some(p) = v.get_mut(i) {
                    // A cell painted twice (by two shards) has one class; were they
                    // to differ, the smaller code wins, as a tie of counts does.
                    *p = if *p == ClassMap::OUTSIDE {
                        class
                    } else {
                        (*p).min(class)
                    };
                }
            }
            Pixels::Counts(v) => {
                if let Some(n) = v.get_mut(i).and_then(|n| n.get_mut(usize::from(class))) {
                    *n += 1;
                }
            }
        }
    }

    /// The finished map: each pixel gets its most frequent class.
    pub fn finish(&self, grid: &Grid) -> ClassMap {
        let cells = match &self.pixels {
            Pixels::Classes(v) => v.clone(),
            Pixels::Counts(v) => v
                .iter()
                .map(|c| {
                    let (best, n) = c
                        .iter()
                        .enumerate()
                        .max_by_key(|(i, n)| (**n, 3 - *i))
                        .unwrap_or((0, &0));
                    if *n == 0 {
                        ClassMap::OUTSIDE
                    } else {
                        best as u8
                    }
                })
                .collect(),
        };
        ClassMap {
            width: self.width,
            height: self.height,
            bbox: map_bbox(grid, self.window, self.width * self.k, self.height * self.k),
            cells,
        }
    }

    /// Adds the footprint cells of `row` given as (grid index, class), sorted by index
    /// (`grid_width` cells per grid row); cells outside the canvas are ignored.
    pub fn paint_cells(&mut self, row: usize, grid_width: usize, cells: &[(u64, u8)]) {
        if row < self.window.row_off || row >= self.window.row_off + self.window.height {
            return;
        }
        let start = row as u64 * grid_width as u64 + self.window.col_off as u64;
        let end = start + self.window.width as u64;
        let from = cells.partition_point(|(i, _)| *i < start);
        let py = (row - self.window.row_off) / self.k;
        for &(idx, class) in cells.get(from..).unwrap_or(&[]) {
            if idx >= end {
                break;
            }
            let px = (idx - start) as usize / self.k;
            self.add(px, py, class.min(3));
        }
    }

    /// Adds footprint cells given as (grid row, grid column, class code), each cell
    /// once, to the canvas; cells outside it are ignored.
    fn paint(&mut self, cells: &[(usize, usize, u8)]) {
        let w = self.window;
        let k = self.k.max(1);
        for &(row, col, class) in cells {
            let (Some(dy), Some(dx)) = (row.checked_sub(w.row_off), col.checked_sub(w.col_off))
            else {
                continue;
            };
            if dy >= w.height || dx >= w.width {
                continue;
            }
            let (py, px) = if k == 1 { (dy, dx) } else { (dy / k, dx / k) };
            self.add(px, py, class.min(3));
        }
    }
}

/// A composite's map of clear observations being painted: per pixel of `k × k`
/// cells, the sum of the clear observations of the footprint cells in it and
/// their number (each cell once, however many pieces cover it).
#[derive(Debug, Clone)]
pub struct ClearCanvas {
    window: Window,
    k: usize,
    width: usize,
    height: usize,
    sums: Vec<u64>,
    cells: Vec<u32>,
}

impl ClearCanvas {
    /// A map over `window`, at most `max_px` pixels on its longer side (the
    /// pixels of a [`Canvas`] of the same arguments).
    pub fn new(window: Window, max_px: usize) -> ClearCanvas {
        let longer = window.width.max(window.height).max(1);
        let k = longer.div_ceil(max_px.max(1)).max(1);
        let width = window.width.div_ceil(k).max(1);
        let height = window.height.div_ceil(k).max(1);
        ClearCanvas {
            window,
            k,
            width,
            height,
            sums: vec![0; width * height],
            cells: vec![0; width * height],
        }
    }

    /// Adds footprint cells given as (grid row, grid column, clear observations);
    /// cells outside the map are ignored.
    pub fn add(&mut self, cells: &[(usize, usize, u32)]) {
        let w = self.window;
        for &(row, col, n) in cells {
            let (Some(dy), Some(dx)) = (row.checked_sub(w.row_off), col.checked_sub(w.col_off))
            else {
                continue;
            };
            if dy >= w.height || dx >= w.width {
                continue;
            }
            let i = (dy / self.k) * self.width + dx / self.k;
            if let (Some(s), Some(c)) = (self.sums.get_mut(i), self.cells.get_mut(i)) {
                *s += u64::from(n);
                *c += 1;
            }
        }
    }

    /// The finished map: each pixel's mean, `None` where no footprint cell fell.
    pub fn finish(&self, grid: &Grid) -> ClearObsMap {
        ClearObsMap {
            width: self.width,
            height: self.height,
            bbox: map_bbox(grid, self.window, self.width * self.k, self.height * self.k),
            means: self
                .sums
                .iter()
                .zip(&self.cells)
                .map(|(&s, &n)| (n > 0).then(|| s as f64 / f64::from(n)))
                .collect(),
        }
    }
}

/// What the sweep returns.
#[derive(Debug)]
pub struct SweepResult {
    /// Per piece, m² by (previous class, current class) over the raster.
    pub transitions: Vec<Transitions>,
    /// Unmapped class values under the pieces this year (value bits → m²).
    pub unmapped: Unmapped,
    /// Footprint m² over unmapped values (counted as unobserved): the sum of
    /// `unmapped_m2_by_piece` in piece order, so shards merge to the same bits.
    pub unmapped_m2: f64,
    /// Per piece, m² over unmapped values this year.
    pub unmapped_m2_by_piece: Vec<f64>,
    /// Per piece, unobserved m² this year by [`Unobserved`] cause (masked, nodata,
    /// invalid) and observed m² with implausible reflectance, over the raster;
    /// unmapped values are in `unmapped_m2_by_piece`.
    pub causes_m2_by_piece: Vec<Causes>,
    /// Composites only, per piece: m² with too few clear observations, and the sum
    /// of m² × clear observations (empty for one raster).
    pub composite_m2_by_piece: Vec<[f64; 2]>,
    /// The canvases, painted.
    pub canvases: Vec<Canvas>,
    /// The map of clear observations, painted (when one was given).
    pub clear_map: Option<ClearCanvas>,
    /// A composite's used scenes (in `Composite::scenes` order): what each says
    /// of the footprint cells (each cell once, its whole area); empty for one
    /// raster.
    pub scene_tally: Vec<SceneTally>,
}

/// The extent (xmin, ymin, xmax, ymax, in the grid's CRS) of `width × height`
/// cells of `grid` from `window`'s corner: a map's pixels cover whole groups of
/// cells, so a map may reach past the window's far edges.
fn map_bbox(grid: &Grid, window: Window, width: usize, height: usize) -> (f64, f64, f64, f64) {
    let t = grid.transform;
    let (xa, ya) = t.apply(window.col_off as f64, window.row_off as f64);
    let (xb, yb) = t.apply(
        (window.col_off + width) as f64,
        (window.row_off + height) as f64,
    );
    (xa.min(xb), ya.min(yb), xa.max(xb), ya.max(yb))
}

/// Runs the sweep over `coverages` (one per piece). Without `previous`, the
/// previous class of every cell is taken as its current class.
pub fn sweep(
    current: &Imagery,
    previous: Option<&Imagery>,
    coverages: &[Coverage],
    canvases: Vec<Canvas>,
) -> Result<SweepResult, AuditError> {
    sweep_with(current, previous, coverages, canvases, None, None)
}

/// [`sweep`], reporting each finished block to `progress`.
///
/// Each block some piece touches is decoded once (both years, and the mask), and
/// only over the part the pieces' windows need (a DEFLATE tile is inflated down to
/// the last row a piece reaches, no further); only the cells pieces cover are classified, straight from the decoded bands, and
/// their coverage is added at once: no class raster is ever built.
pub fn sweep_with(
    current: &Imagery,
    previous: Option<&Imagery>,
    coverages: &[Coverage],
    canvases: Vec<Canvas>,
    clear_map: Option<ClearCanvas>,
    progress: Option<&Progress>,
) -> Result<SweepResult, AuditError> {
    let windows: Vec<Window> = coverages.iter().map(|c| c.window).collect();
    let plan = plan_blocks(current.blocks(), &windows);
    let canvases = Mutex::new(canvases);
    let composite = current.composite().is_some();
    let clear_map = Mutex::new(clear_map.filter(|_| composite));
    let ticker = Ticker::new(progress, plan.len() as u64);

    /// One worker's decoders and buffers, reused from block to block.
    struct Worker {
        now: Readers,
        before: Option<Readers>,
        bands_now: BlockBands,
        bands_before: BlockBands,
        footprint: Vec<u8>,
        /// Indices (in the window) of the cells some piece covers, each once.
        covered: Vec<usize>,
        /// The covered cells as (grid row, grid column, class), for the maps.
        cells: Vec<(usize, usize, u8)>,
        /// A composite's clear observations of the cells in the window (by index).
        clear: Vec<u32>,
        /// The covered cells as (grid row, grid column, clear observations).
        clear_cells: Vec<(usize, usize, u32)>,
    }
    let needed: Vec<Window> = plan.iter().map(|t| t.needed).collect();
    let make_worker = || -> Result<Worker, AuditError> {
        Ok(Worker {
            now: current.readers_for(Some(&needed))?,
            before: previous.map(|p| p.readers_for(Some(&needed))).transpose()?,
            bands_now: BlockBands::default(),
            bands_before: BlockBands::default(),
            footprint: Vec::new(),
            covered: Vec::new(),
            cells: Vec::new(),
            clear: Vec::new(),
            clear_cells: Vec::new(),
        })
    };

    type BlockOut = (
        Vec<(usize, Transitions, f64, Causes, [f64; 2])>,
        Unmapped,
        Vec<SceneTally>,
    );
    let n_scenes = current.composite().map_or(0, |c| c.scenes().count());
    let workers = WorkerPool::default();
    // A composite's scenes are JPEG 2000 files whose decoded tiles are cached
    // only a few at a time: visit the blocks super-block by super-block so that
    // a tile is decoded once, not once per block row crossing it. The results
    // are merged back in plan order, so the sums do not depend on this order.
    let mut order: Vec<usize> = (0..plan.len()).collect();
    if composite {
        order.sort_by_key(|&i| {
            let w = plan[i].window;
            (
                w.row_off / SUPER_BLOCK,
                w.col_off / SUPER_BLOCK,
                w.row_off,
                w.col_off,
            )
        });
    }
    let mut parts: Vec<(usize, BlockOut)> = order
        .par_iter()
        .map(|&i| (i, &plan[i]))
        .map(|(i, task)| {
            workers
                .with(make_worker, |wk| -> Result<BlockOut, AuditError> {
                    let bw = task.needed;
                    let mut unmapped = Unmapped::new();
                    current.load(&mut wk.now, bw, &mut wk.bands_now)?;
                    let before = match (previous, wk.before.as_mut()) {
                        (Some(p), Some(r)) => {
                            p.load(r, bw, &mut wk.bands_before)?;
                            Some(p)
                        }
                        _ => None,
                    };
                    wk.footprint.clear();
                    wk.footprint.resize(bw.len(), 255);
                    wk.covered.clear();
                    if composite {
                        wk.clear.clear();
                        wk.clear.resize(bw.len(), 0);
                    }
                    let mut out = Vec::with_capacity(task.footprints.len());
                    for &p in &task.footprints {
                        let Some(cov) = coverages.get(p) else {
                            continue;
                        };
                        let Some(w) = cov.window.intersect(&bw) else {
                            continue;
                        };
                        let mut t: Transitions = [[0.0; 4]; 4];
                        let mut unmapped_m2 = 0.0;
                        let mut causes: Causes = [0.0; 4];
                        let mut comp = [0.0; 2];
                        for row in w.row_off..w.row_off + w.height {
                            let cell_m2 = current.area.cell_m2(row);
                            let c0 = (row - cov.window.row_off) * cov.window.width + w.col_off
                                - cov.window.col_off;
                            let b0 = (row - bw.row_off) * bw.width + w.col_off - bw.col_off;
                            let Some(fr) = cov.fractions.get(c0..c0 + w.width) else {
                                continue;
                            };
                            for (k, &f) in fr.iter().enumerate() {
                                if f <= 0.0 {
                                    continue;
                                }
                                let bi = b0 + k;
                                let (mut now, clear) =
                                    current.class_and_clear_at(&wk.bands_now, bi);
                                if composite {
                                    if let Some(c) = wk.clear.get_mut(bi) {
                                        *c = clear;
                                    }
                                    comp[1] += f * cell_m2 * f64::from(clear);
                                    if now == Unobserved::FewClear.code() {
                                        comp[0] += f * cell_m2;
                                        now = LandClass::Unobserved as u8;
                                    }
                                }
                                if now & IMPLAUSIBLE != 0 {
                                    causes[IMPLAUSIBLE_SLOT] += f * cell_m2;
                                    now &= !IMPLAUSIBLE;
                                }
                                if now == UNMAPPED {
                                    let v = current.value_at(&wk.bands_now, bi);
                                    *unmapped.entry(v.to_bits()).or_insert(0.0) += f * cell_m2;
                                    unmapped_m2 += f * cell_m2;
                                    now = LandClass::Unobserved as u8;
                                } else if let Some(cause) = Unobserved::from_code(now) {
                                    causes[cause as usize] += f * cell_m2;
                                    now = LandClass::Unobserved as u8;
                                }
                                let was = match before {
                                    Some(p) => (p.class_at(&wk.bands_before, bi) & !IMPLAUSIBLE)
                                        .min(LandClass::Unobserved as u8),
                                    None => now,
                                };
                                t[was as usize][now as usize] += f * cell_m2;
                                if let Some(slot) = wk.footprint.get_mut(bi) {
                                    if *slot == 255 {
                                        wk.covered.push(bi);
                                    }
                                    *slot = now;
                                }
                            }
                        }
                        out.push((p, t, unmapped_m2, causes, comp));
                    }
                    wk.cells.clear();
                    for &i in &wk.covered {
                        if let Some(&class) = wk.footprint.get(i) {
                            let (row, col) = (bw.row_off + i / bw.width, bw.col_off + i % bw.width);
                            wk.cells.push((row, col, class));
                        }
                    }
                    let mut tally = vec![[0.0; 5]; n_scenes];
                    if composite {
                        for &i in &wk.covered {
                            let m2 = current.area.cell_m2(bw.row_off + i / bw.width);
                            current.tally_cell(&wk.bands_now, i, m2, &mut tally);
                        }
                        wk.clear_cells.clear();
                        for &i in &wk.covered {
                            if let Some(&n) = wk.clear.get(i) {
                                let (row, col) =
                                    (bw.row_off + i / bw.width, bw.col_off + i % bw.width);
                                wk.clear_cells.push((row, col, n));
                            }
                        }
                        if let Ok(mut m) = clear_map.lock() {
                            if let Some(m) = m.as_mut() {
                                m.add(&wk.clear_cells);
                            }
                        }
                    }
                    if let Ok(mut cs) = canvases.lock() {
                        for c in cs.iter_mut() {
                            if c.window.intersect(&bw).is_some() {
                                c.paint(&wk.cells);
                            }
                        }
                    }
                    ticker.tick();
                    Ok((out, unmapped, tally))
                })
                .map(|part| (i, part))
        })
        .collect::<Result<_, _>>()?;
    parts.sort_unstable_by_key(|(i, _)| *i);

    // Merge in block order so sums are the same from run to run.
    let mut transitions = vec![[[0.0; 4]; 4]; coverages.len()];
    let mut unmapped_m2_by_piece = vec![0.0; coverages.len()];
    let mut causes_m2_by_piece: Vec<Causes> = vec![[0.0; 4]; coverages.len()];
    let mut composite_m2_by_piece: Vec<[f64; 2]> = if composite {
        vec![[0.0; 2]; coverages.len()]
    } else {
        Vec::new()
    };
    let mut unmapped = Unmapped::new();
    let mut scene_tally = vec![[0.0; 5]; n_scenes];
    for (_, (blocks, um, tally)) in parts {
        for (sum, t) in scene_tally.iter_mut().zip(tally) {
            for (a, b) in sum.iter_mut().zip(t) {
                *a += b;
            }
        }
        for (p, t, um_m2, causes, comp) in blocks {
            unmapped_m2_by_piece[p] += um_m2;
            if let Some(c) = composite_m2_by_piece.get_mut(p) {
                c[0] += comp[0];
                c[1] += comp[1];
            }
            for (sum, c) in causes_m2_by_piece[p].iter_mut().zip(causes) {
                *sum += c;
            }
            for (a, row) in t.iter().enumerate() {
                for (b, v) in row.iter().enumerate() {
                    transitions[p][a][b] += v;
                }
            }
        }
        for (k, v) in um {
            *unmapped.entry(k).or_insert(0.0) += v;
        }
    }
    let canvases = canvases.into_inner().unwrap_or_else(|e| e.into_inner());
    let clear_map = clear_map.into_inner().unwrap_or_else(|e| e.into_inner());
    Ok(SweepResult {
        transitions,
        unmapped,
        unmapped_m2: unmapped_m2_by_piece.iter().sum(),
        unmapped_m2_by_piece,
        causes_m2_by_piece,
        composite_m2_by_piece,
        canvases,
        clear_map,
        scene_tally,
    })
}

/// Hectares of class `c` now, from a transition table in m².
pub fn now_ha(t: &Transitions, c: LandClass) -> f64 {
    (0..4).map(|a| t[a][c as usize]).sum::<f64>() / 10_000.0
}

/// Hectares of class `c` before, from a transition table in m².
pub fn before_ha(t: &Transitions, c: LandClass) -> f64 {
    t[c as usize].iter().sum::<f64>() / 10_000.0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::GeoTransform;

    #[test]
    fn clear_canvas_averages_the_footprint_cells_of_a_pixel() {
        let w = Window {
            col_off: 10,
            row_off: 20,
            width: 5,
            height: 3,
        };
        let mut m = ClearCanvas::new(w, 3);
        assert_eq!((m.k, m.width, m.height), (2, 3, 2));
        // Cells beyond the window (row 19, column 15) are ignored.
        m.add(&[
            (20, 10, 1),
            (20, 11, 3),
            (21, 10, 2),
            (20, 14, 9),
            (19, 10, 7),
            (20, 15, 7),
        ]);
        m.add(&[(22, 12, 4)]);
        let grid = Grid {
            width: 100,
            height: 100,
            transform: GeoTransform {
                x0: 1000.0,
                dx: 10.0,
                rx: 0.0,
                y0: 5000.0,
                ry: 0.0,
                dy: -10.0,
            },
        };
        let map = m.finish(&grid);
        assert_eq!(
            map.means,
            [Some(2.0), None, Some(9.0), None, Some(4.0), None]
        );
        // Whole pixels of k × k cells: the map reaches one cell beyond the window.
        assert_eq!(map.bbox, (1100.0, 4760.0, 1160.0, 4800.0));
    }
}
