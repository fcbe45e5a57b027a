//! Per-zone, per-value exact areas: the categorical zonal histogram.
//!
//! For every zone and every distinct cell value it touches, the coverage-weighted
//! number of cells and the area in hectares; the part of a zone over nodata cells
//! and the part beyond the raster are rows of their own, so the rows of a zone
//! always add up to the zone's area.
//!
//! The work is planned by raster block: every block that some zone touches is
//! decoded once, however many zones share it, and blocks run in parallel. Partial
//! sums are merged in block order so results are identical from run to run.

use crate::area::AreaModel;
use crate::coverage::{self, Coverage, CoverageError};
use crate::crs::Crs;
use crate::error::Error;
use crate::footprints;
pub use crate::footprints::Zone;
use crate::grid::Window;
use crate::plan::plan_blocks;
use crate::progress::{Progress, Ticker};
use crate::raster::Limits;
use crate::raster::{BandBuffer, NoData, Raster, RasterError};
use crate::vector::{self, ReadOptions};
use crate::warning::Warning;
use geo::BoundingRect;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::PathBuf;

/// Most distinct values one zone may hold before the raster is judged continuous.
pub const MAX_CLASSES_PER_ZONE: usize = 65_536;

/// What a row of the histogram counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ClassKey {
    /// Cells holding this value.
    Value(f64),
    /// Cells without data: the band's nodata value, NaN on float bands, or cells
    /// the dataset's mask (internal mask band or `.msk` sidecar) marks invalid.
    Nodata,
    /// The part of the zone beyond the raster's extent.
    Outside,
}

impl ClassKey {
    /// The `class` column: the value as in the file, `nodata` or `outside`.
    pub fn label(&self) -> String {
        match self {
            ClassKey::Value(v) => format_value(*v),
            ClassKey::Nodata => "nodata".to_string(),
            ClassKey::Outside => "outside".to_string(),
        }
    }
}

/// A cell value as written in the file: integers without a decimal point, floats in
/// Rust's shortest round-trip form.
pub fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// One row of the zonal histogram.
#[derive(Debug, Clone, PartialEq)]
pub struct ZonalRow {
    /// Position of the zone in the input.
    pub zone_index: usize,
    /// What the row counts.
    pub class: ClassKey,
    /// Coverage-weighted cell count (for `Outside`: on projected grids the area in
    /// cells; on geographic grids the coverage of the grid's rows continued beyond it).
    pub cells: f64,
    /// Exact area in hectares.
    pub area_ha: f64,
}

/// Errors of the zonal histogram.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ZonalError {
    /// Reading the raster failed.
    #[error(transparent)]
    Raster(#[from] RasterError),
    /// An input problem (raster, zones file, CRS): the engine's input error.
    #[error(transparent)]
    Input(#[from] Box<Error>),
    /// A zone could not be laid over the grid.
    #[error("zone {zone_id:?} (feature {zone_index}): {source}")]
    Coverage {
        zone_index: usize,
        zone_id: String,
        #[source]
        source: CoverageError,
    },
    /// A zone holds too many distinct values for a categorical histogram.
    #[error("zone {zone_id:?} covers more than {limit} distinct values of band {band} in {path}: the band looks continuous, not categorical; classify it first (e.g. `gdal_calc.py`) or choose a class band")]
    TooManyClasses {
        path: PathBuf,
        band: usize,
        zone_id: String,
        limit: usize,
    },
    /// No zone overlaps the raster: almost always a CRS mix-up or the wrong file.
    #[error("{0}")]
    AllZonesOffRaster(Box<OffRaster>),
}

impl From<Error> for ZonalError {
    fn from(e: Error) -> Self {
        ZonalError::Input(Box::new(e))
    }
}

/// What [`ZonalError::AllZonesOffRaster`] reports.
#[derive(Debug, Clone, PartialEq)]
pub struct OffRaster {
    /// The raster.
    pub raster: PathBuf,
    /// The zones file.
    pub zones_path: PathBuf,
    /// How many zones there are.
    pub zones: usize,
    /// The zones' extent (xmin, ymin, xmax, ymax) in the raster's CRS.
    pub zones_extent: Option<(f64, f64, f64, f64)>,
    /// The raster's extent.
    pub raster_extent: Option<(f64, f64, f64, f64)>,
}

impl std::fmt::Display for OffRaster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "none of the {} zone(s) of {} overlaps the raster {}: the zones span {} and the raster {} (in the raster's CRS); the zones' CRS is probably wrong (a missing or wrong .prj: pass --zones-crs EPSG:xxxx) or one of the two is the wrong file",
            self.zones,
            self.zones_path.display(),
            self.raster.display(),
            fmt_extent(self.zones_extent),
            fmt_extent(self.raster_extent)
        )
    }
}

/// An extent as `x xmin..xmax, y ymin..ymax` (or `nothing`).
fn fmt_extent(e: Option<(f64, f64, f64, f64)>) -> String {
    match e {
        Some((x0, y0, x1, y1)) => format!("x {x0:.6}..{x1:.6}, y {y0:.6}..{y1:.6}"),
        None => "nothing".to_string(),
    }
}

/// Partial sums of one zone: value bits → weighted cells, plus nodata.
#[derive(Debug, Default, Clone)]
struct ZoneSums {
    by_value: BTreeMap<u64, (f64, f64)>,
    nodata: (f64, f64),
}

/// Canonical key of a value: equal values (and -0.0 / 0.0) share a key; NaN is one key.
fn value_key(v: f64) -> u64 {
    if v == 0.0 {
        0f64.to_bits()
    } else if v.is_nan() {
        f64::NAN.to_bits()
    } else {
        v.to_bits()
    }
}

/// Computes the categorical zonal histogram of `band` (1-based) of `raster` over
/// `zones` (already in the raster's CRS).
///
/// Rows come zone by zone in input order; within a zone, values ascending, then
/// `nodata`, then `outside`. Rows with zero area are left out.
///
/// # Errors
/// Raster read failures, a rotated grid, or a zone with more than
/// [`MAX_CLASSES_PER_ZONE`] distinct values.
pub fn zonal_histogram(
    raster: &Raster,
    band: usize,
    zones: &[Zone],
    area: &AreaModel,
) -> Result<Vec<ZonalRow>, ZonalError> {
    zonal_histogram_with(raster, band, zones, area, None)
}

/// [`zonal_histogram`], reporting each finished block to `progress`.
///
/// # Errors
/// As [`zonal_histogram`].
pub fn zonal_histogram_with(
    raster: &Raster,
    band: usize,
    zones: &[Zone],
    area: &AreaModel,
    progress: Option<&Progress>,
) -> Result<Vec<ZonalRow>, ZonalError> {
    let grid = raster.grid();
    let info = raster.info();
    let nodata = info.nodata.map(|v| NoData::new(v, info.sample_type));
    let has_mask = raster.has_mask();

    // 1. Exact coverage of every zone (independent, parallel).
    let coverages: Vec<Coverage> = zones
        .par_iter()
        .enumerate()
        .map(|(i, z)| {
            coverage::coverage(&z.geometry, &grid).map_err(|source| ZonalError::Coverage {
                zone_index: i,
                zone_id: z.id.clone(),
                source,
            })
        })
        .collect::<Result<_, _>>()?;

    // 2. Plan: which zones touch which block.
    let windows: Vec<Window> = coverages.iter().map(|c| c.window).collect();
    let blocks = (0..raster.blocks_down())
        .flat_map(|br| (0..raster.blocks_across()).map(move |bc| (bc, br)))
        .map(|(bc, br)| raster.block_window(bc, br));
    let plan = plan_blocks(blocks, &windows);

    // 3. Decode each needed block once, in parallel; one decoder and one block
    // buffer per worker.
    let ticker = Ticker::new(progress, plan.len() as u64);
    let partials: Vec<Vec<(usize, BlockSums)>> = plan
        .par_iter()
        .map_init(
            || (None, BandBuffer::U8(Vec::new()), Vec::new()),
            |(slot, block, mask_buf), task| -> Result<Vec<(usize, BlockSums)>, ZonalError> {
                let reader = worker_reader(slot, raster)?;
                let bw = task.needed;
                reader.read_window_into(band, bw, block)?;
                // The dataset's mask (0 = invalid cell), when it has one.
                let mask = if has_mask && reader.read_mask_window_into(bw, mask_buf)? {
                    Some(mask_buf.as_slice())
                } else {
                    None
                };
                let sums = task
                    .footprints
                    .iter()
                    .filter_map(|&z| {
                        let cov = coverages.get(z)?;
                        Some((z, accumulate(block, mask, &bw, cov, nodata.as_ref(), area)))
                    })
                    .collect();
                ticker.tick();
                Ok(sums)
            },
        )
        .collect::<Result<_, _>>()?;

    // 4. Merge in block order (deterministic sums), then emit rows.
    let mut sums: Vec<ZoneSums> = vec![ZoneSums::default(); zones.len()];
    for block in partials {
        for (z, part) in block {
            let Some(s) = sums.get_mut(z) else {
                continue;
            };
            for (k, c, a) in part.by_value {
                let e = s.by_value.entry(k).or_insert((0.0, 0.0));
                e.0 += c;
                e.1 += a;
            }
            s.nodata.0 += part.nodata.0;
            s.nodata.1 += part.nodata.1;
        }
        for (z, s) in sums.iter().enumerate() {
            if s.by_value.len() > MAX_CLASSES_PER_ZONE {
                return Err(ZonalError::TooManyClasses {
                    path: info.path.clone(),
                    band,
                    zone_id: zones[z].id.clone(),
                    limit: MAX_CLASSES_PER_ZONE,
                });
            }
        }
    }

    let mut rows = Vec::new();
    for (z, (zone, s)) in zones.iter().zip(sums).enumerate() {
        let mut inside_m2 = 0.0;
        for (k, (cells, m2)) in s.by_value {
            inside_m2 += m2;
            push_row(&mut rows, z, ClassKey::Value(f64::from_bits(k)), cells, m2);
        }
        inside_m2 += s.nodata.1;
        push_row(&mut rows, z, ClassKey::Nodata, s.nodata.0, s.nodata.1);
        // The part beyond the raster, in the same cell model as the rows above
        // (never the difference of two models; see `AreaModel::outside`).
        let out = area.outside(&zone.geometry, inside_m2);
        push_row(&mut rows, z, ClassKey::Outside, out.cells, out.m2);
    }
    Ok(rows)
}

fn push_row(rows: &mut Vec<ZonalRow>, zone_index: usize, class: ClassKey, cells: f64, m2: f64) {
    if cells > 0.0 || m2 > 0.0 {
        rows.push(ZonalRow {
            zone_index,
            class,
            cells,
            area_ha: m2 / 10_000.0,
        });
    }
}

/// Partial sums of one zone over one block: (value key, cells, m²) in the order
/// values were first met, plus nodata. A short list beats a map here: a zone
/// meets a handful of classes per block.
#[derive(Debug, Default)]
struct BlockSums {
    by_value: Vec<(u64, f64, f64)>,
    nodata: (f64, f64),
    /// Key → position in `by_value`, built once the list grows long (continuous
    /// rasters), so a lookup never scans thousands of entries.
    index: Option<HashMap<u64, usize>>,
}

/// Length of `BlockSums::by_value` from which lookups go through a hash map.
const LINEAR_KEYS: usize = 32;

impl BlockSums {
    /// The position of `key`, added with zero sums when new.
    #[inline]
    fn slot(&mut self, key: u64) -> usize {
        if let Some(ix) = &mut self.index {
            return *ix.entry(key).or_insert_with(|| {
                self.by_value.push((key, 0.0, 0.0));
                self.by_value.len() - 1
            });
        }
        if let Some(i) = self.by_value.iter().position(|e| e.0 == key) {
            return i;
        }
        self.by_value.push((key, 0.0, 0.0));
        if self.by_value.len() > LINEAR_KEYS {
            self.index = Some(
                self.by_value
                    .iter()
                    .enumerate()
                    .map(|(i, e)| (e.0, i))
                    .collect(),
            );
        }
        self.by_value.len() - 1
    }
}

/// Sums one zone's coverage over one decoded block (the sample type is matched
/// once here, not per cell).
fn accumulate(
    block: &BandBuffer,
    mask: Option<&[u8]>,
    bw: &Window,
    cov: &Coverage,
    nodata: Option<&NoData>,
    area: &AreaModel,
) -> BlockSums {
    let Some(w) = cov.window.intersect(bw) else {
        return BlockSums::default();
    };
    let ctx = Overlap {
        w,
        bw: *bw,
        mask,
        cov,
        nodata,
        area,
    };
    match block {
        BandBuffer::U8(v) => ctx.sum(v),
        BandBuffer::I8(v) => ctx.sum(v),
        BandBuffer::U16(v) => ctx.sum(v),
        BandBuffer::I16(v) => ctx.sum(v),
        BandBuffer::U32(v) => ctx.sum(v),
        BandBuffer::I32(v) => ctx.sum(v),
        BandBuffer::F32(v) => ctx.sum(v),
        BandBuffer::F64(v) => ctx.sum(v),
    }
}

/// One zone over one block: the cells they share and how to weigh them.
struct Overlap<'a> {
    w: Window,
    bw: Window,
    /// The dataset's mask over `bw` (0 = masked), when it has one.
    mask: Option<&'a [u8]>,
    cov: &'a Coverage,
    nodata: Option<&'a NoData>,
    area: &'a AreaModel,
}

impl Overlap<'_> {
    fn sum<T: Copy + Into<f64>>(&self, values: &[T]) -> BlockSums {
        let (w, bw, cov) = (self.w, self.bw, self.cov);
        let mut s = BlockSums::default();
        // The last value's slot: neighbouring cells mostly share a class.
        let mut last: Option<(u64, usize)> = None;
        for row in w.row_off..w.row_off + w.height {
            let cell_m2 = self.area.cell_m2(row);
            let c0 = (row - cov.window.row_off) * cov.window.width + w.col_off - cov.window.col_off;
            let b0 = (row - bw.row_off) * bw.width + w.col_off - bw.col_off;
            let (Some(fr), Some(vals)) = (
                cov.fractions.get(c0..c0 + w.width),
                values.get(b0..b0 + w.width),
            ) else {
                continue;
            };
            let valid = self.mask.and_then(|m| m.get(b0..b0 + w.width));
            for (i, (&f, &v)) in fr.iter().zip(vals).enumerate() {
                if f <= 0.0 {
                    continue;
                }
                let v: f64 = v.into();
                // NaN is never a class: on float bands it is nodata, declared or not;
                // cells the dataset's mask marks invalid are nodata too.
                if v.is_nan()
                    || self.nodata.is_some_and(|n| n.matches_f64(v))
                    || valid.is_some_and(|m| m.get(i) == Some(&0))
                {
                    s.nodata.0 += f;
                    s.nodata.1 += f * cell_m2;
                    continue;
                }
                let key = value_key(v);
                let i = match last {
                    Some((k, i)) if k == key => i,
                    _ => {
                        let i = s.slot(key);
                        last = Some((key, i));
                        i
                    }
                };
                if let Some(e) = s.by_value.get_mut(i) {
                    e.1 += f;
                    e.2 += f * cell_m2;
                }
            }
        }
        s
    }
}

/// This worker's own decoder, opened on first use (a decoder needs `&mut`).
fn worker_reader<'a>(
    slot: &'a mut Option<Raster>,
    raster: &Raster,
) -> Result<&'a mut Raster, RasterError> {
    let reader = match slot.take() {
        Some(r) => r,
        None => raster.try_clone()?,
    };
    Ok(slot.insert(reader))
}

/// One `reclaim zonal` run: which band of which raster, over which zones.
#[derive(Debug, Clone)]
pub struct ZonalRequest {
    /// The raster (GeoTIFF).
    pub raster: PathBuf,
    /// Band number, from 1.
    pub band: usize,
    /// The zones (Shapefile or GeoJSON).
    pub zones: PathBuf,
    /// Field holding each zone's id.
    pub id_field: String,
    /// How to read the zones (text encoding, limits).
    pub read: ReadOptions,
    /// CRS of the zones when their file has none.
    pub zones_crs: Option<Crs>,
    /// CRS of the raster when its file has none.
    pub raster_crs: Option<Crs>,
    /// Raster allocation limits.
    pub limits: Limits,
}

/// The result of a zonal run: zone ids, the rows of the histogram and warnings.
#[derive(Debug, Clone)]
pub struct ZonalTable {
    /// Zone ids in input order.
    pub zone_ids: Vec<String>,
    /// Rows, zone by zone (see [`zonal_histogram`]).
    pub rows: Vec<ZonalRow>,
    /// What the table does not show (zones wholly off the raster), each once.
    pub warnings: Vec<Warning>,
}

impl ZonalTable {
    /// CSV with header `zone_id,class,cells,area_ha`, numbers at full f64 precision.
    pub fn to_csv(&self) -> String {
        let mut out = String::from("zone_id,class,cells,area_ha\n");
        for r in &self.rows {
            let id = self
                .zone_ids
                .get(r.zone_index)
                .map(String::as_str)
                .unwrap_or("");
            crate::csv::push_field(&mut out, id);
            let _ = writeln!(out, ",{},{},{}", r.class.label(), r.cells, r.area_ha);
        }
        out
    }
}

/// Runs a zonal histogram from files: opens the raster, reads the zones, checks and
/// reconciles CRSs (reprojecting the zones to the raster's), and sums.
///
/// ```
/// // One 50 m × 50 m pit over the README's land-cover map (west half tree cover,
/// // east half bare), as a GeoJSON file in UTM 51N.
/// let dir = tempfile::tempdir()?;
/// std::fs::write(dir.path().join("pits.geojson"), r#"{"type":"FeatureCollection",
///   "crs":{"type":"name","properties":{"name":"EPSG:32651"}},
///   "features":[{"type":"Feature","properties":{"id":"P1"},"geometry":{"type":"Polygon",
///   "coordinates":[[[686025,4796000],[686075,4796000],[686075,4796050],[686025,4796050],[686025,4796000]]]}}]}"#)?;
/// let landcover = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/readme/landcover.tif");
/// let table = reclaim::zonal::run(&reclaim::zonal::ZonalRequest {
///     raster: landcover.into(),
///     band: 1,
///     zones: dir.path().join("pits.geojson"),
///     id_field: "id".into(),
///     read: Default::default(),
///     zones_crs: None,
///     raster_crs: None,
///     limits: Default::default(),
/// })?;
/// // Value 10 (tree cover) and 60 (bare) each cover half the 0.25 ha pit.
/// assert_eq!(
///     table.to_csv(),
///     "zone_id,class,cells,area_ha\nP1,10,12.5,0.125\nP1,60,12.5,0.125\n"
/// );
/// # Ok::<(), reclaim::BoxError>(())
/// ```
///
/// # Errors
/// Any input problem, as an [`Error`] naming the file and the fix.
pub fn run(req: &ZonalRequest) -> Result<ZonalTable, ZonalError> {
    run_with(req, None)
}

/// [`run`], reporting each finished raster block to `progress`.
///
/// # Errors
/// As [`run`].
pub fn run_with(req: &ZonalRequest, progress: Option<&Progress>) -> Result<ZonalTable, ZonalError> {
    let raster = Raster::open_with_limits(&req.raster, req.limits)?;
    let bands = raster.info().bands;
    if req.band == 0 || req.band > bands {
        return Err(Error::BandOutOfRange {
            path: req.raster.clone(),
            band: req.band,
            bands,
        }
        .into());
    }
    let crs = footprints::raster_crs(&raster, req.raster_crs.as_ref())?;
    let area = footprints::area_model(&raster, &crs)?;
    let layer = vector::read_layer(&req.zones, &req.read).map_err(Error::from)?;
    let zones = footprints::zones_in_crs(&layer, &req.id_field, req.zones_crs.as_ref(), &crs)?;
    let rows = zonal_histogram_with(&raster, req.band, &zones, &area, progress)?;
    let off = zones_off_raster(&rows, zones.len());
    if !off.is_empty() && rows.iter().all(|r| r.class == ClassKey::Outside) {
        let raster_extent = Some(raster.grid().extent());
        let zones_extent = zones
            .iter()
            .filter_map(|z| z.geometry.bounding_rect())
            .map(|r| (r.min().x, r.min().y, r.max().x, r.max().y))
            .reduce(|a, b| (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3)));
        return Err(ZonalError::AllZonesOffRaster(Box::new(OffRaster {
            raster: req.raster.clone(),
            zones_path: req.zones.clone(),
            zones: zones.len(),
            zones_extent,
            raster_extent,
        })));
    }
    // Each once, even when zones share an id.
    let mut seen = std::collections::HashSet::new();
    let warnings = off
        .into_iter()
        .filter_map(|z| zones.get(z))
        .filter(|z| seen.insert(z.id.as_str()))
        .map(|z| Warning::ZoneOffRaster {
            zone_id: z.id.clone(),
            raster: req.raster.clone(),
        })
        .collect();
    Ok(ZonalTable {
        zone_ids: zones.into_iter().map(|z| z.id).collect(),
        rows,
        warnings,
    })
}

/// Zones (by index) with area but no row over the raster: their rows are all
/// `outside`. A zone without any area (empty geometry) is not counted.
pub fn zones_off_raster(rows: &[ZonalRow], zones: usize) -> Vec<usize> {
    let mut over = vec![false; zones];
    let mut any = vec![false; zones];
    for r in rows {
        if let Some(a) = any.get_mut(r.zone_index) {
            *a = true;
        }
        if r.class != ClassKey::Outside {
            if let Some(o) = over.get_mut(r.zone_index) {
                *o = true;
            }
        }
    }
    (0..zones).filter(|&z| any[z] && !over[z]).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::SampleType;

    fn win(c: usize, r: usize, w: usize, h: usize) -> Window {
        Window {
            col_off: c,
            row_off: r,
            width: w,
            height: h,
        }
    }

    #[test]
    fn block_sums_by_value_nodata_and_many_classes() {
        // A 10 × 5 block at (10, 20) holding values 0..50 (one per cell); value 7 is nodata.
        let bw = win(10, 20, 10, 5);
        let block = BandBuffer::U16((0..50).collect());
        // The zone's coverage: rows 21..23, cols 12..16 (4 × 2 cells), fraction 0.5,
        // except cell (15, 22) (value 45) fully covered.
        let mut fractions = vec![0.5; 8];
        fractions[7] = 1.0;
        let cov = Coverage {
            window: win(12, 21, 4, 2),
            fractions,
        };
        let nodata = NoData::new(7.0, SampleType::U16);
        let area = AreaModel::Planar { cell_m2: 100.0 };
        let s = accumulate(&block, None, &bw, &cov, Some(&nodata), &area);
        // Value of cell (col, row) = (row − 20)·10 + (col − 10): row 21 holds 12..=15,
        // row 22 holds 22..=25.
        let want: Vec<(u64, f64, f64)> = [12.0, 13.0, 14.0, 15.0, 22.0, 23.0, 24.0]
            .iter()
            .map(|v: &f64| (v.to_bits(), 0.5, 50.0))
            .chain([(25f64.to_bits(), 1.0, 100.0)])
            .collect();
        assert_eq!(s.by_value, want);
        assert_eq!(s.nodata, (0.0, 0.0));

        // Nodata cells go to the nodata sums.
        let cov7 = Coverage {
            window: win(17, 20, 1, 1),
            fractions: vec![0.25],
        };
        let s = accumulate(&block, None, &bw, &cov7, Some(&nodata), &area);
        assert!(s.by_value.is_empty());
        assert_eq!(s.nodata, (0.25, 25.0));

        // More than LINEAR_KEYS distinct values: the hash index takes over and every
        // value still gets its own slot (50 cells, 49 values + nodata).
        let all = Coverage {
            window: bw,
            fractions: vec![1.0; 50],
        };
        let s = accumulate(&block, None, &bw, &all, Some(&nodata), &area);
        assert_eq!(s.by_value.len(), 49);
        assert!(s.index.is_some());
        assert!(s.by_value.iter().all(|e| e.1 == 1.0 && e.2 == 100.0));
        assert_eq!(s.nodata, (1.0, 100.0));
    }
}
