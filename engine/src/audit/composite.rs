//! A season of scenes as one imagery: clear observations of each cell composited
//! into one NDVI (median, max or latest), on the union of the scenes' grids.
//!
//! Scenes must lie on aligned grids of one CRS (same cell size, origins a whole
//! number of cells apart, north up). Their union is the *virtual grid*; a block of
//! it reads, from each scene it meets, only the window it needs. A cell's
//! observations, in (date, scene id) order:
//! - a scene not covering the cell, or whose per-dataset mask says no data, or whose
//!   red or NIR value is nodata: no observation (cause nodata);
//! - a scene whose cloud mask hides the cell: no observation (cause masked);
//! - red + NIR reflectance not positive: no observation (cause invalid);
//! - otherwise a clear observation, with its NDVI — unless a scene of the same date
//!   already gave a clear observation there (two overlapping tiles of one
//!   acquisition count once: the first in scene-id order).
//!
//! With at least `min_clear` clear observations the cell's class comes from the
//! composite NDVI; with fewer it is unobserved: "too few clear observations" when it
//! has some, else masked if any scene masked it, invalid if any gave an invalid
//! reflectance, and nodata otherwise.

use super::config::CompositeRule;
use super::error::AuditError;
use crate::classify::Mask;
use crate::classify::{NdviClassifier, Unobserved, IMPLAUSIBLE};
use crate::crs::Crs;
use crate::error::Error;
use crate::grid::{GeoTransform, Grid, Window};
use crate::raster::jp2::SharedTiles;
use crate::raster::{BandBuffer, Limits, NoData, Raster};
use crate::scenes::{Date, Scene};
use std::cell::RefCell;
use std::path::Path;
use std::sync::Arc;

/// Side of the virtual grid's blocks, cells. Memory per worker is about
/// scenes × BLOCK² × 5 bytes.
pub const BLOCK: usize = 512;

/// Side of the squares of blocks the sweep visits one after another (cells): the
/// usual JPEG 2000 tile side of satellite products, so that a worker is done
/// with a tile before it moves on.
pub const SUPER_BLOCK: usize = 1024;

/// Decoded JPEG 2000 tiles kept for all the workers and all the scenes' files
/// together (each reader also holds on to its last tile).
pub const TILE_CACHE_BYTES: usize = 256 << 20;

/// Area (m²) of the footprint cells a scene leaves outside its extent, has no
/// data for, masks (clouds, shadow …), observes with an invalid reflectance, and
/// observes clear — in that order.
pub type SceneTally = [f64; 5];

/// What one scene says of one cell.
enum Observation {
    Outside,
    NoData,
    Masked,
    Invalid,
    /// NDVI and whether the reflectances were plausible.
    Clear(f64, bool),
}

/// One scene, opened and placed on the virtual grid.
#[derive(Debug)]
struct OpenScene {
    scene: Scene,
    red: Raster,
    /// NIR's file when it is not red's.
    nir: Option<Raster>,
    mask: Option<OpenMask>,
    classifier: NdviClassifier,
    /// Where the scene's grid lies on the virtual grid.
    rect: Window,
    /// Index of the scene's date among the distinct dates, ascending.
    date_rank: u32,
}

#[derive(Debug)]
struct OpenMask {
    raster: Raster,
    band: usize,
    mask: Mask,
    factor: usize,
}

/// What a composite made of which scenes: the season's scenes, used or not.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SceneUse {
    /// The scene.
    pub id: String,
    /// Acquisition date.
    pub date: Date,
    /// Tile or path/row.
    pub tile: Option<String>,
    /// Whether it entered the composite.
    pub used: bool,
    /// Why not, when not used.
    pub reason: Option<String>,
}

/// A season of scenes, ready to composite block by block.
#[derive(Debug)]
pub struct Composite {
    scenes: Vec<OpenScene>,
    /// The composite rule.
    pub rule: CompositeRule,
    /// Fewer clear observations than this: unobserved.
    pub min_clear: u32,
    restored_min_ndvi: f64,
    water_max_ndvi: f64,
    /// The virtual grid: the union of the scenes' grids.
    pub grid: Grid,
    /// The scenes' CRS.
    pub crs: Crs,
    /// Every scene found, used or not and why.
    pub uses: Vec<SceneUse>,
    /// Decoded JPEG 2000 tiles, shared by every worker's readers.
    tiles: Arc<SharedTiles>,
}

/// Per-worker decoders of every scene.
#[derive(Debug)]
pub struct CompositeReaders {
    scenes: Vec<SceneReaders>,
}

#[derive(Debug)]
struct SceneReaders {
    red: Raster,
    nir: Option<Raster>,
    mask: Option<Raster>,
}

/// One scene's part of a loaded block.
#[derive(Debug)]
struct SceneBlock {
    /// The part of the block the scene covers (virtual-grid cells); `None`: none.
    part: Option<Window>,
    red: BandBuffer,
    nir: BandBuffer,
    valid: Vec<u8>,
    valid_nir: Vec<u8>,
    has_valid: bool,
    /// The mask window (mask cells) and its values.
    mask_win: Window,
    mask: BandBuffer,
}

impl Default for SceneBlock {
    fn default() -> Self {
        SceneBlock {
            part: None,
            red: BandBuffer::U8(Vec::new()),
            nir: BandBuffer::U8(Vec::new()),
            valid: Vec::new(),
            valid_nir: Vec::new(),
            has_valid: false,
            mask_win: Window {
                col_off: 0,
                row_off: 0,
                width: 0,
                height: 0,
            },
            mask: BandBuffer::U8(Vec::new()),
        }
    }
}

/// The decoded windows of every scene for one block, reused block to block.
#[derive(Debug, Default)]
pub struct CompositeBlock {
    window: Option<Window>,
    scenes: Vec<SceneBlock>,
    scratch: RefCell<Vec<f64>>,
}

/// The settings a composite takes from `[imagery]`.
#[derive(Debug, Clone, Copy)]
pub struct CompositeSettings {
    /// The rule.
    pub rule: CompositeRule,
    /// Minimum clear observations.
    pub min_clear: u32,
    /// `resample = "nearest"`: scenes a fraction of a cell off the first scene's
    /// grid (same cell size) are sampled at the nearest cell instead of refused.
    pub nearest: bool,
    /// NDVI at or above: restored.
    pub restored_min_ndvi: f64,
    /// NDVI below: water.
    pub water_max_ndvi: f64,
}

fn scenes_error(detail: String) -> AuditError {
    AuditError::Scenes { detail }
}

impl Composite {
    /// Opens `scenes` (already filtered to the season, any order) and places them on
    /// one virtual grid; `uses` lists every scene found with why it is used or not.
    ///
    /// # Errors
    /// Unreadable files, band grids that differ from the metadata, scenes in two
    /// CRSs or on misaligned grids, or no scene at all.
    pub fn open(
        mut scenes: Vec<Scene>,
        mut uses: Vec<SceneUse>,
        settings: CompositeSettings,
        limits: &Limits,
    ) -> Result<Composite, AuditError> {
        if scenes.is_empty() {
            return Err(scenes_error(
                "no scene to composite: check `scenes`/`collection` and `season` (run `reclaim scenes` on the folder to see what is found and why it is left out)".into(),
            ));
        }
        scenes.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
        let mut opened = Vec::with_capacity(scenes.len());
        let mut first: Option<(Crs, GeoTransform, String)> = None;
        let mut rank = 0u32;
        let mut last_date = None;
        for scene in scenes {
            if last_date.is_some_and(|d| d != scene.date) {
                rank += 1;
            }
            last_date = Some(scene.date);
            // A zipped product's bands are unpacked now that the scene is used.
            crate::scenes::zipped::unpack_bands(&scene).map_err(|e| scenes_error(e.to_string()))?;
            let o = open_scene(scene, rank, limits, settings)?;
            let (crs, t) = (&o.1, o.2);
            match &first {
                None => first = Some((crs.clone(), t, o.0.scene.id.clone())),
                Some((crs0, t0, id0)) => {
                    if !crs.same_as(crs0) {
                        return Err(scenes_error(format!(
                            "scene {} is in {} but scene {id0} in {}: a composite takes scenes of one CRS (one UTM zone). Footprints spanning two zones are not measured piecewise yet: audit each zone's scenes with its own config",
                            o.0.scene.id, crs.name, crs0.name
                        )));
                    }
                    aligned(t0, &t, settings.nearest).map_err(|why| {
                        let fix = if settings.nearest {
                            "resample = \"nearest\" only takes grids of one cell size: bring the scenes to one grid (gdalwarp -tap -tr …) first"
                        } else {
                            "a composite never resamples silently: bring the scenes to one grid (gdalwarp -tap -tr …) first, or set [imagery] resample = \"nearest\" to sample each at the nearest cell"
                        };
                        scenes_error(format!(
                            "scene {} is not on scene {id0}'s grid ({why}); {fix}",
                            o.0.scene.id
                        ))
                    })?;
                }
            }
            opened.push(o);
        }
        let Some((crs, t0, _)) = first else {
            return Err(scenes_error("no scene to composite".into()));
        };
        // Offsets of each scene from the first, in cells; then shift to the union.
        // Aligned: a whole number. Shifted by f cells (resample = "nearest"): grid
        // cell c's centre lies in scene cell floor(c + 0.5 - f) = c - k for
        // k = ceil(f - 0.5), so the scene is placed k cells on.
        let offset = |f: f64| {
            if settings.nearest {
                (f - 0.5).ceil() as i64
            } else {
                f.round() as i64
            }
        };
        let offs: Vec<(i64, i64)> = opened
            .iter()
            .map(|(_, _, t)| {
                (
                    offset((t.x0 - t0.x0) / t0.dx),
                    offset((t.y0 - t0.y0) / t0.dy),
                )
            })
            .collect();
        let min_c = offs.iter().map(|o| o.0).min().unwrap_or(0);
        let min_r = offs.iter().map(|o| o.1).min().unwrap_or(0);
        let mut max_c = 0i64;
        let mut max_r = 0i64;
        let mut out = Vec::with_capacity(opened.len());
        for ((mut s, _, _), (c, r)) in opened.into_iter().zip(offs) {
            s.rect.col_off = (c - min_c) as usize;
            s.rect.row_off = (r - min_r) as usize;
            max_c = max_c.max((s.rect.col_off + s.rect.width) as i64);
            max_r = max_r.max((s.rect.row_off + s.rect.height) as i64);
            out.push(s);
        }
        let transform = GeoTransform {
            x0: t0.x0 + min_c as f64 * t0.dx,
            y0: t0.y0 + min_r as f64 * t0.dy,
            ..t0
        };
        let grid = Grid {
            width: max_c as usize,
            height: max_r as usize,
            transform,
        };
        for u in &mut uses {
            if u.used && !out.iter().any(|s| s.scene.id == u.id) {
                u.used = false;
            }
        }
        Ok(Composite {
            scenes: out,
            rule: settings.rule,
            min_clear: settings.min_clear.max(1),
            restored_min_ndvi: settings.restored_min_ndvi,
            water_max_ndvi: settings.water_max_ndvi,
            grid,
            crs,
            uses,
            tiles: Arc::new(SharedTiles::new(TILE_CACHE_BYTES)),
        })
    }

    /// The scenes composited, in (date, id) order.
    pub fn scenes(&self) -> impl Iterator<Item = &Scene> {
        self.scenes.iter().map(|s| &s.scene)
    }

    /// Every file read, as (role, path): `scene <id> red` …
    pub fn files(&self) -> Vec<(String, std::path::PathBuf)> {
        let mut v = Vec::new();
        for s in &self.scenes {
            let sc = &s.scene;
            v.push((format!("scene {} red", sc.id), sc.red.path.clone()));
            if sc.nir.path != sc.red.path {
                v.push((format!("scene {} nir", sc.id), sc.nir.path.clone()));
            }
            if let Some(m) = &sc.mask {
                v.push((format!("scene {} mask", sc.id), m.band.path.clone()));
            }
        }
        v
    }

    /// The first scene's red file (for messages that name one file).
    pub fn path(&self) -> &Path {
        self.scenes
            .first()
            .map(|s| s.scene.red.path.as_path())
            .unwrap_or(Path::new(""))
    }

    /// The virtual grid's blocks, row by row.
    pub fn blocks(&self) -> Vec<Window> {
        let g = &self.grid;
        let mut v = Vec::new();
        for r in (0..g.height).step_by(BLOCK) {
            for c in (0..g.width).step_by(BLOCK) {
                v.push(Window {
                    col_off: c,
                    row_off: r,
                    width: BLOCK.min(g.width - c),
                    height: BLOCK.min(g.height - r),
                });
            }
        }
        v
    }

    /// Fresh decoders for a worker; decoded JPEG 2000 tiles are shared with the
    /// other workers' (at most [`TILE_CACHE_BYTES`] of them). With `windows`, the
    /// only windows of the virtual grid [`load`](Self::load) will be asked for,
    /// the cache keeps only the cells they need of each tile.
    pub fn readers(&self, windows: Option<&[Window]>) -> Result<CompositeReaders, AuditError> {
        let mut scenes = Vec::with_capacity(self.scenes.len());
        for s in &self.scenes {
            let mut r = SceneReaders {
                red: s.red.try_clone().map_err(Error::from)?,
                nir: s
                    .nir
                    .as_ref()
                    .map(|r| r.try_clone())
                    .transpose()
                    .map_err(Error::from)?,
                mask: s
                    .mask
                    .as_ref()
                    .map(|m| m.raster.try_clone())
                    .transpose()
                    .map_err(Error::from)?,
            };
            r.red.share_tiles(&self.tiles);
            for x in [&mut r.nir, &mut r.mask].into_iter().flatten() {
                x.share_tiles(&self.tiles);
            }
            if let Some(windows) = windows {
                let local: Vec<Window> = windows
                    .iter()
                    .filter_map(|w| w.intersect(&s.rect))
                    .map(|part| local_window(s, part))
                    .collect();
                if let (Some(m), Some(mr)) = (&s.mask, &mut r.mask) {
                    let cut = local.iter().map(|l| mask_window(m.factor, *l)).collect();
                    mr.keep_only(Arc::new(cut));
                }
                let local = Arc::new(local);
                r.red.keep_only(Arc::clone(&local));
                if let Some(n) = &mut r.nir {
                    n.keep_only(local);
                }
            }
            scenes.push(r);
        }
        Ok(CompositeReaders { scenes })
    }

    /// Decodes, from every scene that meets window `w` of the virtual grid, the part
    /// it covers (red, NIR, their per-dataset masks, and the cloud mask).
    pub fn load(
        &self,
        readers: &mut CompositeReaders,
        w: Window,
        block: &mut CompositeBlock,
    ) -> Result<(), AuditError> {
        block.window = Some(w);
        block
            .scenes
            .resize_with(self.scenes.len(), SceneBlock::default);
        for ((s, r), b) in self
            .scenes
            .iter()
            .zip(readers.scenes.iter_mut())
            .zip(block.scenes.iter_mut())
        {
            b.part = w.intersect(&s.rect);
            let Some(part) = b.part else {
                continue;
            };
            let local = local_window(s, part);
            let (rb, nb) = (s.scene.red.band, s.scene.nir.band);
            r.red
                .read_window_into(rb, local, &mut b.red)
                .map_err(Error::from)?;
            match &mut r.nir {
                Some(n) => n.read_window_into(nb, local, &mut b.nir),
                None => r.red.read_window_into(nb, local, &mut b.nir),
            }
            .map_err(Error::from)?;
            b.has_valid = r
                .red
                .read_mask_window_into(local, &mut b.valid)
                .map_err(Error::from)?;
            if let Some(n) = &mut r.nir {
                if n.read_mask_window_into(local, &mut b.valid_nir)
                    .map_err(Error::from)?
                {
                    if b.has_valid {
                        for (a, v) in b.valid.iter_mut().zip(&b.valid_nir) {
                            *a &= *v;
                        }
                    } else {
                        std::mem::swap(&mut b.valid, &mut b.valid_nir);
                        b.has_valid = true;
                    }
                }
            }
            if let (Some(m), Some(mr)) = (&s.mask, &mut r.mask) {
                b.mask_win = mask_window(m.factor, local);
                mr.read_window_into(m.band, b.mask_win, &mut b.mask)
                    .map_err(Error::from)?;
            }
        }
        Ok(())
    }

    /// What scene `s` (loaded as `b`) says of virtual-grid cell (`vr`, `vc`).
    fn observe(&self, s: &OpenScene, b: &SceneBlock, vr: usize, vc: usize) -> Observation {
        let Some(p) = b.part else {
            return Observation::Outside;
        };
        if vr < p.row_off
            || vc < p.col_off
            || vr >= p.row_off + p.height
            || vc >= p.col_off + p.width
        {
            return Observation::Outside;
        }
        let li = (vr - p.row_off) * p.width + (vc - p.col_off);
        if b.has_valid && b.valid.get(li).is_some_and(|v| *v == 0) {
            return Observation::NoData;
        }
        if let Some(m) = &s.mask {
            let mr = (vr - s.rect.row_off) / m.factor - b.mask_win.row_off;
            let mc = (vc - s.rect.col_off) / m.factor - b.mask_win.col_off;
            if m.mask.hides(b.mask.get_f64(mr * b.mask_win.width + mc)) {
                return Observation::Masked;
            }
        }
        match s.classifier.observe(b.red.get_f64(li), b.nir.get_f64(li)) {
            Err(Unobserved::Invalid) => Observation::Invalid,
            Err(_) => Observation::NoData,
            Ok((v, plausible)) => Observation::Clear(v, plausible),
        }
    }

    /// Adds `m2` to each used scene's tally of what it says of cell `i` (row-major
    /// in the loaded window): `tally[scene][state]`, states in [`SceneTally`] order.
    pub fn tally_cell(&self, block: &CompositeBlock, i: usize, m2: f64, tally: &mut [SceneTally]) {
        let Some(w) = block.window else {
            return;
        };
        let (vr, vc) = (w.row_off + i / w.width, w.col_off + i % w.width);
        for ((s, b), t) in self.scenes.iter().zip(&block.scenes).zip(tally.iter_mut()) {
            let k = match self.observe(s, b, vr, vc) {
                Observation::Outside => 0,
                Observation::NoData => 1,
                Observation::Masked => 2,
                Observation::Invalid => 3,
                Observation::Clear(..) => 4,
            };
            t[k] += m2;
        }
    }

    /// The class code of cell `i` (row-major in the loaded window) and its number of
    /// clear observations. The code is a class 0–2 (with [`IMPLAUSIBLE`] when a clear
    /// observation had a reflectance out of range) or an [`Unobserved`] cause code.
    pub fn class_at(&self, block: &CompositeBlock, i: usize) -> (u8, u32) {
        let Some(w) = block.window else {
            return (Unobserved::NoData.code(), 0);
        };
        let (vr, vc) = (w.row_off + i / w.width, w.col_off + i % w.width);
        let mut scratch = block.scratch.borrow_mut();
        scratch.clear();
        let mut last_rank = None;
        let (mut masked, mut invalid, mut implausible) = (false, false, false);
        let mut latest = f64::NAN;
        let mut max = f64::NEG_INFINITY;
        for (s, b) in self.scenes.iter().zip(&block.scenes) {
            if last_rank == Some(s.date_rank) {
                continue;
            }
            match self.observe(s, b, vr, vc) {
                Observation::Outside | Observation::NoData => {}
                Observation::Masked => masked = true,
                Observation::Invalid => invalid = true,
                Observation::Clear(v, plausible) => {
                    implausible |= !plausible;
                    last_rank = Some(s.date_rank);
                    scratch.push(v);
                    latest = v;
                    if v > max {
                        max = v;
                    }
                }
            }
        }
        let n = scratch.len() as u32;
        if n < self.min_clear {
            let cause = if n > 0 {
                Unobserved::FewClear
            } else if masked {
                Unobserved::Masked
            } else if invalid {
                Unobserved::Invalid
            } else {
                Unobserved::NoData
            };
            return (cause.code(), n);
        }
        let v = match self.rule {
            CompositeRule::Max => max,
            CompositeRule::Latest => latest,
            CompositeRule::Median => median(&mut scratch),
        };
        let class = if v >= self.restored_min_ndvi {
            0
        } else if v < self.water_max_ndvi {
            2
        } else {
            1
        };
        (
            if implausible {
                class | IMPLAUSIBLE
            } else {
                class
            },
            n,
        )
    }
}

/// The median of `v` (not empty): the middle value, or the mean of the two middle
/// values for an even count (as numpy's `median`).
fn median(v: &mut [f64]) -> f64 {
    let n = v.len();
    let mid = n / 2;
    let (lower, m, _) = v.select_nth_unstable_by(mid, f64::total_cmp);
    let m = *m;
    if n % 2 == 1 {
        m
    } else {
        let below = lower.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (below + m) / 2.0
    }
}

/// Checks that `t` lies on `t0`'s grid: same cell size, no rotation, origins a
/// whole number of cells apart (to 1e-6 of a cell) unless `shift_ok`.
fn aligned(t0: &GeoTransform, t: &GeoTransform, shift_ok: bool) -> Result<(), String> {
    let tol = 1e-9 * t0.dx.abs().max(t0.dy.abs());
    if t.rx != 0.0 || t.ry != 0.0 || t0.rx != 0.0 || t0.ry != 0.0 {
        return Err("a rotated grid".into());
    }
    if (t.dx - t0.dx).abs() > tol || (t.dy - t0.dy).abs() > tol {
        return Err(format!(
            "cells of {} × {} against {} × {}",
            t.dx,
            t.dy.abs(),
            t0.dx,
            t0.dy.abs()
        ));
    }
    let fc = (t.x0 - t0.x0) / t0.dx;
    let fr = (t.y0 - t0.y0) / t0.dy;
    if !shift_ok && ((fc - fc.round()).abs() > 1e-6 || (fr - fr.round()).abs() > 1e-6) {
        return Err(format!(
            "its origin ({}, {}) is {:.4} × {:.4} cells from the first scene's",
            t.x0, t.y0, fc, fr
        ));
    }
    Ok(())
}

/// Opens one scene's files, checks them against its metadata, and returns it with
/// its CRS and geotransform (its `rect` at the origin, placed later).
fn open_scene(
    scene: Scene,
    date_rank: u32,
    limits: &Limits,
    settings: CompositeSettings,
) -> Result<(OpenScene, Crs, GeoTransform), AuditError> {
    let open = |path: &Path, band: usize| -> Result<Raster, AuditError> {
        let r = Raster::open_with_limits(path, *limits).map_err(Error::from)?;
        let bands = r.info().bands;
        if band == 0 || band > bands {
            return Err(Error::BandOutOfRange {
                path: path.to_path_buf(),
                band,
                bands,
            }
            .into());
        }
        Ok(r)
    };
    let red = open(&scene.red.path, scene.red.band)?;
    let nir = if scene.nir.path == scene.red.path {
        None
    } else {
        Some(open(&scene.nir.path, scene.nir.band)?)
    };
    let (width, height) = (red.info().width, red.info().height);
    let (crs, transform) = match &scene.georef {
        Some(g) => {
            if (g.width, g.height) != (width, height) {
                return Err(scenes_error(format!(
                    "scene {}: {} is {width} × {height} cells but the scene's metadata ({}) says {} × {}",
                    scene.id,
                    scene.red.path.display(),
                    scene.source.display(),
                    g.width,
                    g.height
                )));
            }
            let crs = Crs::from_epsg(g.epsg).map_err(|source| Error::Crs {
                path: scene.source.clone(),
                source,
            })?;
            (crs, g.transform)
        }
        None => {
            let crs = crate::footprints::raster_crs(&red, None)?;
            (crs, red.grid().transform)
        }
    };
    if !transform.is_axis_aligned() {
        return Err(Error::RotatedGrid {
            path: scene.red.path.clone(),
        }
        .into());
    }
    if let Some(n) = &nir {
        let (nw, nh) = (n.info().width, n.info().height);
        let same_georef = scene.georef.is_some() || same_transform(&red.grid(), &n.grid());
        if (nw, nh) != (width, height) || !same_georef {
            return Err(scenes_error(format!(
                "scene {}: NIR {} ({nw} × {nh}) is not on red {}'s grid ({width} × {height})",
                scene.id,
                scene.nir.path.display(),
                scene.red.path.display()
            )));
        }
    }
    let mask = match &scene.mask {
        None => None,
        Some(m) => {
            let raster = open(&m.band.path, m.band.band)?;
            let f = m.factor.max(1);
            let (mw, mh) = (raster.info().width, raster.info().height);
            if mw != width.div_ceil(f) || mh != height.div_ceil(f) {
                return Err(scenes_error(format!(
                    "scene {}: the mask {} is {mw} × {mh} cells; over {width} × {height} band cells at {f} × {f} band cells per mask cell it must be {} × {}",
                    scene.id,
                    m.band.path.display(),
                    width.div_ceil(f),
                    height.div_ceil(f)
                )));
            }
            if f == 1 && scene.georef.is_none() && !same_transform(&red.grid(), &raster.grid()) {
                return Err(scenes_error(format!(
                    "scene {}: the mask {} is not on red {}'s grid",
                    scene.id,
                    m.band.path.display(),
                    scene.red.path.display()
                )));
            }
            let mask_nodata = raster
                .info()
                .nodata
                .map(|v| NoData::new(v, raster.info().sample_type));
            let mask = Mask::with_bits(
                m.preset.as_deref(),
                m.values.as_deref(),
                m.bits.as_deref(),
                mask_nodata,
            )?;
            Some(OpenMask {
                raster,
                band: m.band.band,
                mask,
                factor: f,
            })
        }
    };
    let nodata_of = |r: &Raster| -> Option<NoData> {
        let i = r.info();
        scene
            .nodata
            .or(i.nodata)
            .map(|v| NoData::new(v, i.sample_type))
    };
    let classifier = NdviClassifier {
        scale: scene.scale,
        offset: scene.offset,
        restored_min_ndvi: settings.restored_min_ndvi,
        water_max_ndvi: settings.water_max_ndvi,
        red_nodata: nodata_of(&red),
        nir_nodata: nodata_of(nir.as_ref().unwrap_or(&red)),
    };
    let rect = Window {
        col_off: 0,
        row_off: 0,
        width,
        height,
    };
    Ok((
        OpenScene {
            scene,
            red,
            nir,
            mask,
            classifier,
            rect,
            date_rank,
        },
        crs,
        transform,
    ))
}

fn same_transform(a: &Grid, b: &Grid) -> bool {
    let (ta, tb) = (a.transform, b.transform);
    let tol = 1e-9 * ta.dx.abs().max(ta.dy.abs());
    [
        (ta.x0, tb.x0),
        (ta.y0, tb.y0),
        (ta.dx, tb.dx),
        (ta.dy, tb.dy),
        (ta.rx, tb.rx),
        (ta.ry, tb.ry),
    ]
    .iter()
    .all(|(x, y)| (x - y).abs() <= tol)
}

/// The cells of scene `s`'s grid under `part`, a window of the virtual grid
/// inside the scene.
fn local_window(s: &OpenScene, part: Window) -> Window {
    Window {
        col_off: part.col_off - s.rect.col_off,
        row_off: part.row_off - s.rect.row_off,
        ..part
    }
}

/// The cells of a mask `factor` times coarser than the scene's grid under `local`
/// (a non-empty window of the scene's grid).
fn mask_window(factor: usize, local: Window) -> Window {
    let c0 = local.col_off / factor;
    let r0 = local.row_off / factor;
    let c1 = (local.col_off + local.width - 1) / factor;
    let r1 = (local.row_off + local.height - 1) / factor;
    Window {
        col_off: c0,
        row_off: r0,
        width: c1 - c0 + 1,
        height: r1 - r0 + 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_is_numpys() {
        assert_eq!(median(&mut [3.0]), 3.0);
        assert_eq!(median(&mut [0.5, 0.1]), 0.3);
        assert_eq!(median(&mut [0.9, 0.1, 0.4]), 0.4);
        assert_eq!(median(&mut [0.9, 0.1, 0.4, 0.2]), (0.2 + 0.4) / 2.0);
    }

    #[test]
    fn alignment_is_checked_to_a_millionth_of_a_cell() {
        let t0 = GeoTransform {
            x0: 600_000.0,
            dx: 10.0,
            rx: 0.0,
            y0: 4_900_020.0,
            ry: 0.0,
            dy: -10.0,
        };
        let shifted = GeoTransform {
            x0: 709_800.0,
            y0: 4_900_020.0 - 9780.0,
            ..t0
        };
        assert!(aligned(&t0, &shifted, false).is_ok());
        let half = GeoTransform {
            x0: 600_005.0,
            ..t0
        };
        assert!(aligned(&t0, &half, false).unwrap_err().contains("0.5000"));
        let coarse = GeoTransform {
            dx: 20.0,
            dy: -20.0,
            ..t0
        };
        assert!(aligned(&t0, &coarse, false)
            .unwrap_err()
            .contains("cells of 20"));
    }
}
