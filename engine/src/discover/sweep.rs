//! The one pass over the imagery: bands of block rows, decoded and classified
//! block by block in parallel, then cut by the footprints and exclusions and fed
//! row by row to the [`Labeller`], while the next band is being decoded.
//!
//! Every scanned cell gets one state ([`State`]): its land class, or, for bare
//! land that is not a candidate, why (footprint, exclusion class, exclusion
//! layer), so every hectare scanned is accounted for once.

use super::candidate::OutlineRecord;
use super::error::DiscoverError;
use super::label::{Labeller, Patch, Run};
use super::records::PreRecord;
use super::scanline::{paint_spans, Scanline};
use super::spill::SpillWriter;
use crate::area::AreaModel;
use crate::audit::imagery::{BlockBands, Imagery, Readers};
use crate::grid::Window;
use crate::raster::{BandBuffer, Raster};
use crate::results::ClassMap;
use geo::MultiPolygon;
use rayon::prelude::*;
use std::sync::Mutex;

/// Cell states in the band buffer (the high bit marks "bare last year").
pub mod state {
    /// Vegetated.
    pub const RESTORED: u8 = 0;
    /// Bare and a candidate.
    pub const BARE: u8 = 1;
    /// Open water.
    pub const WATER: u8 = 2;
    /// Not observed (nodata, masked, unmapped, too few clear observations).
    pub const UNOBSERVED: u8 = 3;
    /// Outside the area of interest (not scanned).
    pub const OUTSIDE: u8 = 4;
    /// Bare, inside a mapped footprint.
    pub const FOOTPRINT: u8 = 5;
    /// Bare, an excluded class of the exclusion raster.
    pub const EXCLUDED_CLASS: u8 = 6;
    /// Bare, inside exclusion layer `k`: `EXCLUDED_LAYER + k`.
    pub const EXCLUDED_LAYER: u8 = 7;
    /// Most exclusion layers.
    pub const MAX_LAYERS: usize = 100;
    /// Bare in the previous year's imagery (a flag on the state).
    pub const BEFORE: u8 = 0x80;
    /// The state without the flag.
    pub const MASK: u8 = 0x7f;
}

/// Rows of a band at least (whole block rows are added until it is reached).
const BAND_MIN_ROWS: usize = 256;

/// What the sweep reads besides the imagery.
pub struct Inputs<'a> {
    pub imagery: &'a Imagery,
    /// The previous year's imagery, on the same grid.
    pub previous: Option<&'a Imagery>,
    /// The exclusion raster (on the grid), its band and the excluded values.
    pub exclude_raster: Option<(&'a Raster, usize, &'a [f64])>,
    /// Cells whose centre is in a footprint.
    pub footprints: Scanline,
    /// Cells whose centre is in the area of interest (`None`: all).
    pub aoi: Option<Scanline>,
    /// Cells whose centre is in each exclusion layer.
    pub exclude_layers: Vec<Scanline>,
    /// The part of the grid to scan (the area of interest's window).
    pub window: Window,
    /// 4 or 8.
    pub connectivity: u8,
    /// Patches smaller than this are counted, not kept, m².
    pub min_area_m2: f64,
    /// Most runs one patch may hold.
    pub max_runs: usize,
    /// Longer side of the overview map, pixels.
    pub map_px: usize,
    /// Whether a listed patch (by its outline) keeps its runs for later.
    pub keep_runs: &'a (dyn Fn(&MultiPolygon<f64>) -> bool + Sync),
    /// Where listed patches' outlines go as they close.
    pub spill: &'a mut SpillWriter,
    /// Where listed patches' [`PreRecord`]s go, in closing order.
    pub records: &'a mut SpillWriter,
}

/// The rasters the workers read.
struct Sources<'a> {
    imagery: &'a Imagery,
    previous: Option<&'a Imagery>,
    exclude_raster: Option<(&'a Raster, usize, &'a [f64])>,
}

/// The sweep's settings.
struct Limits {
    window: Window,
    connectivity: u8,
    min_area_m2: f64,
    max_runs: usize,
    map_px: usize,
}

/// What the sweep found.
#[derive(Debug)]
pub struct Swept {
    /// The listed patches whose runs were kept (`keep_runs`), in the order they
    /// closed; every listed patch has a [`PreRecord`] in `records`, in that order.
    pub patches: Vec<Patch>,
    /// Listed patches (records written).
    pub listed: u64,
    /// Patches below the minimum area: count and m².
    pub small: (u64, f64),
    /// m² of each state (index = state code; exclusion layers from
    /// [`state::EXCLUDED_LAYER`]).
    pub m2: Vec<f64>,
    /// m² bare last year among the candidate cells (all patches).
    pub before_m2: f64,
    /// An overview of the scanned window's classes (nearest cell per pixel).
    pub map: ClassMap,
}

/// One worker's decoders and buffers, reused from block to block.
struct Worker {
    now: Readers,
    before: Option<Readers>,
    exclude: Option<Raster>,
    bands_now: BlockBands,
    bands_before: BlockBands,
    exclude_buf: BandBuffer,
}

/// Runs the pass.
///
/// # Errors
/// Read failures of any raster; [`DiscoverError::TooManyRuns`].
pub fn sweep(inp: Inputs<'_>, area: &AreaModel) -> Result<Swept, DiscoverError> {
    let Inputs {
        imagery,
        previous,
        exclude_raster,
        mut footprints,
        mut aoi,
        exclude_layers: mut layers,
        window,
        connectivity,
        min_area_m2,
        max_runs,
        map_px,
        keep_runs,
        spill,
        records,
    } = inp;
    let src = Sources {
        imagery,
        previous,
        exclude_raster,
    };
    let inp = Limits {
        window,
        connectivity,
        min_area_m2,
        max_runs,
        map_px,
    };
    let win = inp.window;
    let grid = src.imagery.grid;
    let n_states = usize::from(state::EXCLUDED_LAYER) + layers.len();
    // Block windows clipped to the scan window, grouped into bands of rows.
    let mut bands: Vec<(usize, usize, Vec<Window>)> = Vec::new();
    for b in src.imagery.blocks() {
        let Some(w) = b.intersect(&win) else { continue };
        match bands.last_mut() {
            Some((r0, r1, ws)) if w.row_off < *r1 => {
                debug_assert!(w.row_off >= *r0);
                *r1 = (*r1).max(w.row_off + w.height);
                ws.push(w);
            }
            Some((r0, r1, ws)) if *r1 - *r0 < BAND_MIN_ROWS && w.row_off == *r1 => {
                *r1 = w.row_off + w.height;
                ws.push(w);
            }
            _ => bands.push((w.row_off, w.row_off + w.height, vec![w])),
        }
    }

    let pool: Mutex<Vec<Worker>> = Mutex::new(Vec::new());
    let make_worker = || -> Result<Worker, DiscoverError> {
        Ok(Worker {
            now: src.imagery.readers()?,
            before: src.previous.map(|p| p.readers()).transpose()?,
            exclude: match src.exclude_raster {
                Some((r, _, _)) => Some(r.try_clone().map_err(crate::Error::from)?),
                None => None,
            },
            bands_now: BlockBands::default(),
            bands_before: BlockBands::default(),
            exclude_buf: BandBuffer::U8(Vec::new()),
        })
    };
    // Decodes one band into `buf` (win.width × rows, row-major).
    let decode = |r0: usize, r1: usize, blocks: &[Window], buf: &mut Vec<u8>| {
        buf.clear();
        buf.resize(win.width * (r1 - r0), state::OUTSIDE);
        let tiles: Vec<(Window, Vec<u8>)> = blocks
            .par_iter()
            .map(|&w| -> Result<(Window, Vec<u8>), DiscoverError> {
                let taken = pool.lock().ok().and_then(|mut p| p.pop());
                let mut wk = match taken {
                    Some(w) => w,
                    None => make_worker()?,
                };
                let out = classify_block(&src, &mut wk, w);
                if let Ok(mut p) = pool.lock() {
                    p.push(wk);
                }
                Ok((w, out?))
            })
            .collect::<Result<_, _>>()?;
        for (w, tile) in tiles {
            for (k, src) in tile.chunks_exact(w.width.max(1)).enumerate() {
                let row = w.row_off + k - r0;
                let at = row * win.width + (w.col_off - win.col_off);
                buf[at..at + w.width].copy_from_slice(src);
            }
        }
        Ok::<(), DiscoverError>(())
    };

    // The overview map: one pixel per k × k cells, the cell at its top-left corner.
    let longer = win.width.max(win.height).max(1);
    let k = longer.div_ceil(inp.map_px.max(1)).max(1);
    let (mw, mh) = (win.width.div_ceil(k).max(1), win.height.div_ceil(k).max(1));
    let mut map_cells = vec![ClassMap::OUTSIDE; mw * mh];

    let mut labeller = Labeller::new(inp.connectivity, inp.max_runs);
    let mut m2 = vec![0.0; n_states];
    let mut counts = vec![0u64; n_states];
    let mut before_m2 = 0.0;
    let mut patches = Vec::new();
    let mut listed = 0u64;
    let mut small = (0u64, 0.0);
    let mut closed = Vec::new();
    let mut runs: Vec<(Run, u32)> = Vec::new();

    let mut current: Vec<u8> = Vec::new();
    let mut next: Vec<u8> = Vec::new();
    if let Some((r0, r1, ws)) = bands.first() {
        decode(*r0, *r1, ws, &mut current)?;
    }
    for (i, (r0, r1, _)) in bands.iter().enumerate() {
        let (r0, r1) = (*r0, *r1);
        // Label this band while the next one is decoded.
        let following = bands.get(i + 1);
        let (decoded, labelled) = rayon::join(
            || match following {
                Some((a, b, ws)) => decode(*a, *b, ws, &mut next),
                None => Ok(()),
            },
            || -> Result<(), DiscoverError> {
                for row in r0..r1 {
                    let cells = &mut current[(row - r0) * win.width..(row - r0 + 1) * win.width];
                    let shift = |spans: &[(usize, usize)]| -> Vec<(usize, usize)> {
                        spans
                            .iter()
                            .filter_map(|&(a, b)| {
                                let a = a.max(win.col_off);
                                let b = b.min(win.col_off + win.width);
                                (a < b).then(|| (a - win.col_off, b - win.col_off))
                            })
                            .collect()
                    };
                    if let Some(aoi) = aoi.as_mut() {
                        // Outside the area of interest: not scanned.
                        let inside = shift(aoi.row(row));
                        let mut c = 0;
                        for (a, b) in inside.iter().copied().chain([(win.width, win.width)]) {
                            cells[c..a].fill(state::OUTSIDE);
                            c = b;
                        }
                    }
                    let fp = shift(footprints.row(row));
                    paint_spans(cells, &fp, state::FOOTPRINT, |v| {
                        matches!(v & state::MASK, state::BARE | state::EXCLUDED_CLASS)
                    });
                    for (k, layer) in layers.iter_mut().enumerate() {
                        let spans = shift(layer.row(row));
                        paint_spans(cells, &spans, state::EXCLUDED_LAYER + k as u8, |v| {
                            v & state::MASK == state::BARE
                        });
                    }
                    // Tally, runs, map.
                    counts.iter_mut().for_each(|c| *c = 0);
                    runs.clear();
                    let mut c = 0;
                    let n = cells.len();
                    while c < n {
                        let v = cells[c] & state::MASK;
                        if v != state::BARE {
                            if let Some(x) = counts.get_mut(usize::from(v)) {
                                *x += 1;
                            }
                            c += 1;
                            continue;
                        }
                        let start = c;
                        let mut before = 0u32;
                        while c < n && cells[c] & state::MASK == state::BARE {
                            before += u32::from(cells[c] >> 7);
                            c += 1;
                        }
                        counts[usize::from(state::BARE)] += (c - start) as u64;
                        runs.push((
                            Run {
                                row: row as u32,
                                c0: (win.col_off + start) as u32,
                                c1: (win.col_off + c) as u32,
                            },
                            before,
                        ));
                    }
                    let cell_m2 = area.cell_m2(row);
                    for (s, n) in counts.iter().enumerate() {
                        m2[s] += *n as f64 * cell_m2;
                    }
                    for &(run, before) in &runs {
                        before_m2 += f64::from(before) * cell_m2;
                        labeller
                            .push(run, cell_m2, f64::from(before) * cell_m2, &mut closed)
                            .map_err(|e| DiscoverError::TooManyRuns {
                                limit: inp.max_runs,
                                row: e.row as usize,
                            })?;
                    }
                    keep(
                        &mut closed,
                        &mut patches,
                        &mut small,
                        inp.min_area_m2,
                        &grid.transform,
                        keep_runs,
                        (&mut *spill, &mut *records, &mut listed),
                    )?;
                    if (row - win.row_off).is_multiple_of(k) {
                        let my = (row - win.row_off) / k;
                        for mx in 0..mw {
                            let v = cells[mx * k] & state::MASK;
                            map_cells[my * mw + mx] = match v {
                                state::OUTSIDE => ClassMap::OUTSIDE,
                                state::RESTORED | state::WATER | state::UNOBSERVED => v,
                                // Bare for any reason is bare on the map.
                                _ => state::BARE,
                            };
                        }
                    }
                }
                Ok(())
            },
        );
        decoded?;
        labelled?;
        std::mem::swap(&mut current, &mut next);
    }
    labeller.finish(&mut closed);
    keep(
        &mut closed,
        &mut patches,
        &mut small,
        inp.min_area_m2,
        &grid.transform,
        keep_runs,
        (spill, records, &mut listed),
    )?;
    let t = grid.transform;
    let (xa, ya) = t.apply(win.col_off as f64, win.row_off as f64);
    let (xb, yb) = t.apply((win.col_off + mw * k) as f64, (win.row_off + mh * k) as f64);
    Ok(Swept {
        patches,
        listed,
        small,
        m2,
        before_m2,
        map: ClassMap {
            width: mw,
            height: mh,
            bbox: (xa.min(xb), ya.min(yb), xa.max(xb), ya.max(yb)),
            cells: map_cells,
        },
    })
}

/// Traces closed patches of at least `min_m2`, spills their outlines and their
/// [`PreRecord`]s, and keeps in `patches` those whose runs `keep_runs` wants;
/// counts the rest.
fn keep(
    closed: &mut Vec<Patch>,
    patches: &mut Vec<Patch>,
    small: &mut (u64, f64),
    min_m2: f64,
    t: &crate::grid::GeoTransform,
    keep_runs: &(dyn Fn(&MultiPolygon<f64>) -> bool + Sync),
    (spill, records, listed): (&mut SpillWriter, &mut SpillWriter, &mut u64),
) -> Result<(), DiscoverError> {
    for p in closed.drain(..) {
        // "At least": a patch of exactly the minimum (to rounding of the sum) counts.
        if p.area_m2 < min_m2 * (1.0 - 1e-12) {
            small.0 += 1;
            small.1 += p.area_m2;
            continue;
        }
        let o = super::trace::trace(&p.runs, t);
        let (mut sx, mut sy) = (0.0, 0.0);
        for r in &p.runs {
            let n = f64::from(r.c1 - r.c0);
            sx += n * (f64::from(r.c0) + f64::from(r.c1)) / 2.0;
            sy += n * (f64::from(r.row) + 0.5);
        }
        let n = p.cells.max(1) as f64;
        let centroid = t.apply(sx / n, sy / n);
        let first = p.runs.first().map_or((0, 0), |r| (r.row, r.c0));
        let near = keep_runs(&o.polygons);
        let outline = OutlineRecord {
            span: spill.push(&o.polygons)?,
            planar_area: geo::Area::unsigned_area(&o.polygons),
            perimeter: o.perimeter,
            holes: o.holes,
            bbox: geo::BoundingRect::bounding_rect(&o.polygons)
                .map(|b| (b.min().x, b.min().y, b.max().x, b.max().y)),
        };
        let record = PreRecord {
            cells: p.cells,
            area_m2: p.area_m2,
            before_m2: p.before_m2,
            centroid,
            first,
            near,
            outline,
        };
        let mut buf = Vec::with_capacity(super::records::PRE_RECORD_BYTES);
        record.encode(&mut buf);
        records.push_bytes(&buf)?;
        *listed += 1;
        if near {
            patches.push(p);
        }
    }
    Ok(())
}

/// The states of one block window: class, excluded class, bare last year.
fn classify_block(inp: &Sources<'_>, wk: &mut Worker, w: Window) -> Result<Vec<u8>, DiscoverError> {
    inp.imagery.load(&mut wk.now, w, &mut wk.bands_now)?;
    if let (Some(p), Some(r)) = (inp.previous, wk.before.as_mut()) {
        p.load(r, w, &mut wk.bands_before)?;
    }
    let excluded = match (inp.exclude_raster, wk.exclude.as_mut()) {
        (Some((_, band, values)), Some(r)) => {
            r.read_window_into(band, w, &mut wk.exclude_buf)
                .map_err(crate::Error::from)?;
            Some(values)
        }
        _ => None,
    };
    let mut out = vec![0u8; w.len()];
    inp.imagery.classify_into(&wk.bands_now, &mut out);
    for (i, o) in out.iter_mut().enumerate() {
        let class = match *o {
            c @ (state::RESTORED | state::BARE | state::WATER) => c,
            _ => state::UNOBSERVED,
        };
        if class != state::BARE {
            *o = class;
            continue;
        }
        let mut s = state::BARE;
        if let Some(values) = excluded {
            let v = wk.exclude_buf.get_f64(i);
            if values.contains(&v) {
                s = state::EXCLUDED_CLASS;
            }
        }
        if let Some(p) = inp.previous {
            if p.class_at(&wk.bands_before, i) == state::BARE {
                s |= state::BEFORE;
            }
        }
        *o = s;
    }
    Ok(out)
}
