//! The year's imagery as a classifier of windows: which files and bands, on one
//! grid, turned cell by cell into land classes.

use super::composite::{Composite, CompositeBlock, CompositeReaders, CompositeSettings};
use super::config::{ClassifierKind, ImageryConfig};
use super::error::{AuditError, GridMismatch};
use crate::area::AreaModel;
use crate::classify::{ClassMapping, LandClass, Mask, NdviClassifier, Unobserved};
use crate::crs::Crs;
use crate::error::Error;
use crate::footprints;
use crate::grid::{Grid, Window};
use crate::raster::{BandBuffer, Limits, NoData, Raster};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One band of one opened file.
#[derive(Debug)]
struct Source {
    raster: Raster,
    band: usize,
}

impl Source {
    fn open(path: &Path, band: usize, limits: &Limits) -> Result<Source, AuditError> {
        let raster = Raster::open_with_limits(path, *limits).map_err(Error::from)?;
        let bands = raster.info().bands;
        if band == 0 || band > bands {
            return Err(Error::BandOutOfRange {
                path: path.to_path_buf(),
                band,
                bands,
            }
            .into());
        }
        Ok(Source { raster, band })
    }

    fn nodata(&self) -> Option<NoData> {
        let i = self.raster.info();
        i.nodata.map(|v| NoData::new(v, i.sample_type))
    }

    fn path(&self) -> &Path {
        &self.raster.info().path
    }
}

/// How cells become classes (one per audit year, so its size does not matter).
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
enum Rule {
    Ndvi {
        red: Source,
        nir: Source,
        classifier: NdviClassifier,
    },
    Classes {
        classes: Source,
        mapping: ClassMapping,
        nodata: Option<NoData>,
    },
    /// A season of scenes composited per cell (docs/imagery.md).
    Composite(Box<Composite>),
}

/// The opened imagery of one audit year.
#[derive(Debug)]
pub struct Imagery {
    rule: Rule,
    mask: Option<(Source, Mask)>,
    /// The common grid of every file.
    pub grid: Grid,
    /// The imagery's CRS.
    pub crs: Crs,
    /// Cell areas.
    pub area: AreaModel,
    /// Every input file (role, path).
    pub files: Vec<(String, PathBuf)>,
}

/// Per-worker decoders for one [`Imagery`] (a decoder needs `&mut`).
#[derive(Debug)]
pub struct Readers {
    main: Option<Raster>,
    second: Option<Raster>,
    mask: Option<Raster>,
    composite: Option<CompositeReaders>,
}

/// Values of a classes raster that no mapping covers, by value bits: the footprint
/// m² found over each.
pub type Unmapped = BTreeMap<u64, f64>;

/// Class code of a cell whose value the class mapping lacks (counted as unobserved,
/// and reported).
pub const UNMAPPED: u8 = 4;

impl Imagery {
    /// Opens and checks the imagery of `cfg` for an audit of `year` (the year of
    /// a composite's season).
    pub fn open(cfg: &ImageryConfig, limits: &Limits, year: i32) -> Result<Imagery, AuditError> {
        if cfg.is_composite() {
            return Imagery::open_composite(cfg, limits, year);
        }
        let mut files = Vec::new();
        let rule = match cfg.classifier {
            ClassifierKind::Ndvi => {
                let (red, nir) = match (&cfg.path, &cfg.red_path, &cfg.nir_path) {
                    (Some(p), None, None) => (
                        Source::open(p, cfg.red_band.unwrap_or(1), limits)?,
                        Source::open(p, cfg.nir_band.unwrap_or(2), limits)?,
                    ),
                    (None, Some(r), Some(n)) => (
                        Source::open(r, cfg.red_band.unwrap_or(1), limits)?,
                        Source::open(n, cfg.nir_band.unwrap_or(1), limits)?,
                    ),
                    _ => {
                        return Err(AuditError::Imagery {
                            detail: "classifier \"ndvi\" needs either `path` (one file with red_band and nir_band) or both `red_path` and `nir_path`",
                        })
                    }
                };
                files.push(("imagery_red".to_string(), red.path().to_path_buf()));
                if nir.path() != red.path() {
                    files.push(("imagery_nir".to_string(), nir.path().to_path_buf()));
                }
                let classifier = NdviClassifier {
                    scale: cfg.scale,
                    offset: cfg.offset,
                    restored_min_ndvi: cfg.restored_min_ndvi,
                    water_max_ndvi: cfg.water_max_ndvi,
                    red_nodata: red.nodata(),
                    nir_nodata: nir.nodata(),
                };
                Rule::Ndvi {
                    red,
                    nir,
                    classifier,
                }
            }
            ClassifierKind::Classes => {
                let Some(p) = &cfg.path else {
                    return Err(AuditError::Imagery {
                        detail: "classifier \"classes\" needs `path` (the land-cover raster)",
                    });
                };
                let classes = Source::open(p, cfg.class_band, limits)?;
                files.push(("imagery_classes".to_string(), p.clone()));
                let mapping =
                    ClassMapping::new(cfg.classes_preset.as_deref(), cfg.classes_map.as_ref())?;
                let nodata = classes.nodata();
                Rule::Classes {
                    classes,
                    mapping,
                    nodata,
                }
            }
        };
        let main = match &rule {
            Rule::Ndvi { red, .. } => red,
            Rule::Classes { classes, .. } => classes,
            Rule::Composite(_) => {
                return Err(AuditError::Imagery {
                    detail: "internal: a composite opened as one raster",
                })
            }
        };
        let grid = main.raster.grid();
        let crs_override = cfg
            .crs
            .as_deref()
            .map(|s| {
                Crs::from_user_string(s).map_err(|source| Error::Crs {
                    path: main.path().to_path_buf(),
                    source,
                })
            })
            .transpose()?;
        let crs = footprints::raster_crs(&main.raster, crs_override.as_ref())?;
        let area = footprints::area_model(&main.raster, &crs)?;
        if let Rule::Ndvi { red, nir, .. } = &rule {
            same_grid(red, nir)?;
        }
        let mask = match &cfg.mask_path {
            Some(p) => {
                let src = Source::open(p, cfg.mask_band, limits)?;
                same_grid(main, &src)?;
                files.push(("mask".to_string(), p.clone()));
                let mask = Mask::with_bits(
                    cfg.mask_preset.as_deref(),
                    cfg.mask_values.as_deref(),
                    cfg.mask_bits.as_deref(),
                    src.nodata(),
                )?;
                Some((src, mask))
            }
            None => None,
        };
        Ok(Imagery {
            rule,
            mask,
            grid,
            crs,
            area,
            files,
        })
    }

    /// The main file's block windows, row by row: the units of work.
    pub fn blocks(&self) -> Vec<Window> {
        let r = match &self.rule {
            Rule::Composite(c) => return c.blocks(),
            Rule::Ndvi { red, .. } => &red.raster,
            Rule::Classes { classes, .. } => &classes.raster,
        };
        (0..r.blocks_down())
            .flat_map(|br| (0..r.blocks_across()).map(move |bc| (bc, br)))
            .map(|(bc, br)| r.block_window(bc, br))
            .collect()
    }

    fn main(&self) -> Option<&Source> {
        match &self.rule {
            Rule::Ndvi { red, .. } => Some(red),
            Rule::Classes { classes, .. } => Some(classes),
            Rule::Composite(_) => None,
        }
    }

    /// The composite, when the imagery is a season of scenes.
    pub fn composite(&self) -> Option<&Composite> {
        match &self.rule {
            Rule::Composite(c) => Some(c),
            _ => None,
        }
    }

    /// The main imagery file (a composite's first scene's red band).
    pub fn path(&self) -> &Path {
        match (&self.rule, self.main()) {
            (Rule::Composite(c), _) => c.path(),
            (_, Some(m)) => m.path(),
            _ => Path::new(""),
        }
    }

    /// Fresh decoders for a worker thread.
    pub fn readers(&self) -> Result<Readers, AuditError> {
        self.readers_for(None)
    }

    /// Fresh decoders for a worker thread that will [`load`](Self::load) only
    /// (parts of) `windows`, when given: a composite's JPEG 2000 readers then keep
    /// only those cells of the tiles they decode.
    pub fn readers_for(&self, windows: Option<&[Window]>) -> Result<Readers, AuditError> {
        let Some(main) = self.main() else {
            let composite = match &self.rule {
                Rule::Composite(c) => Some(c.readers(windows)?),
                _ => None,
            };
            return Ok(Readers {
                main: None,
                second: None,
                mask: None,
                composite,
            });
        };
        let main = main.raster.try_clone().map_err(Error::from)?;
        let second = match &self.rule {
            Rule::Ndvi { red, nir, .. } if nir.path() != red.path() => {
                Some(nir.raster.try_clone().map_err(Error::from)?)
            }
            _ => None,
        };
        let mask = match &self.mask {
            Some((m, _)) => Some(m.raster.try_clone().map_err(Error::from)?),
            None => None,
        };
        Ok(Readers {
            main: Some(main),
            second,
            mask,
            composite: None,
        })
    }

    /// Decodes what classifying `w` needs (the bands and the mask) into `bands`,
    /// reusing its buffers.
    ///
    /// # Errors
    /// Read failures of any of the files.
    pub fn load(
        &self,
        readers: &mut Readers,
        w: Window,
        bands: &mut BlockBands,
    ) -> Result<(), AuditError> {
        bands.len = 0;
        if let Rule::Composite(c) = &self.rule {
            let Some(r) = readers.composite.as_mut() else {
                return Err(AuditError::Imagery {
                    detail: "internal: composite readers missing",
                });
            };
            c.load(r, w, &mut bands.composite)?;
            bands.len = w.len();
            return Ok(());
        }
        let Some(main) = readers.main.as_mut() else {
            return Err(AuditError::Imagery {
                detail: "internal: raster readers missing",
            });
        };
        match &self.rule {
            Rule::Ndvi { red, nir, .. } => {
                main.read_window_into(red.band, w, &mut bands.first)
                    .map_err(Error::from)?;
                match &mut readers.second {
                    Some(r) => r.read_window_into(nir.band, w, &mut bands.second),
                    None => main.read_window_into(nir.band, w, &mut bands.second),
                }
                .map_err(Error::from)?;
            }
            Rule::Classes { classes, .. } => {
                main.read_window_into(classes.band, w, &mut bands.first)
                    .map_err(Error::from)?;
            }
            Rule::Composite(_) => {}
        }
        // Per-dataset masks (GDAL internal masks, .msk sidecars): 0 = no data.
        bands.has_valid = main
            .read_mask_window_into(w, &mut bands.valid)
            .map_err(Error::from)?;
        if let Some(second) = &mut readers.second {
            if second
                .read_mask_window_into(w, &mut bands.valid_second)
                .map_err(Error::from)?
            {
                if bands.has_valid {
                    for (a, b) in bands.valid.iter_mut().zip(&bands.valid_second) {
                        *a &= *b;
                    }
                } else {
                    std::mem::swap(&mut bands.valid, &mut bands.valid_second);
                    bands.has_valid = true;
                }
            }
        }
        if let (Some((src, _)), Some(reader)) = (&self.mask, &mut readers.mask) {
            reader
                .read_window_into(src.band, w, &mut bands.mask)
                .map_err(Error::from)?;
        }
        bands.len = w.len();
        Ok(())
    }

    /// The stored value of cell `i` of the first band (the classes band, or red).
    #[inline]
    pub fn value_at(&self, bands: &BlockBands, i: usize) -> f64 {
        bands.first.get_f64(i)
    }

    /// The class code of cell `i` (row-major in the loaded window) of `bands`:
    /// a [`LandClass`] code 0–2 for an observed cell, the [`Unobserved`] cause code
    /// of an unobserved one, or [`UNMAPPED`] for a value the class mapping lacks.
    /// Masked cells are unobserved. Only the cells footprints cover are asked, so
    /// a block is never classified as a whole.
    #[inline]
    pub fn class_at(&self, bands: &BlockBands, i: usize) -> u8 {
        self.class_and_clear_at(bands, i).0
    }

    /// [`Imagery::class_at`] and, for a composite, the cell's number of clear
    /// observations (0 for one raster).
    #[inline]
    pub fn class_and_clear_at(&self, bands: &BlockBands, i: usize) -> (u8, u32) {
        if let Rule::Composite(c) = &self.rule {
            return c.class_at(&bands.composite, i);
        }
        (self.single_class_at(bands, i), 0)
    }

    /// A composite's per-scene tally of cell `i` (see [`Composite::tally_cell`]);
    /// nothing for one raster.
    pub fn tally_cell(
        &self,
        bands: &BlockBands,
        i: usize,
        m2: f64,
        tally: &mut [super::composite::SceneTally],
    ) {
        if let Rule::Composite(c) = &self.rule {
            c.tally_cell(&bands.composite, i, m2, tally);
        }
    }

    /// The class code of every loaded cell ([`Imagery::class_at`]) into `out`
    /// (`out.len()` cells). A one-band `u8` class raster without a mask raster
    /// goes through a 256-entry table built once per call; the rest cell by cell.
    pub fn classify_into(&self, bands: &BlockBands, out: &mut [u8]) {
        if let (Rule::Classes { .. }, None, BandBuffer::U8(v)) =
            (&self.rule, &self.mask, &bands.first)
        {
            let mut lut = [0u8; 256];
            let mut probe = BlockBands {
                first: BandBuffer::U8((0..=255).collect()),
                ..BlockBands::default()
            };
            probe.len = 256;
            for (k, c) in lut.iter_mut().enumerate() {
                *c = self.single_class_at(&probe, k);
            }
            let nodata = Unobserved::NoData.code();
            for (i, (o, x)) in out.iter_mut().zip(v).enumerate() {
                *o = if bands.has_valid && bands.valid.get(i).is_some_and(|m| *m == 0) {
                    nodata
                } else {
                    lut[usize::from(*x)]
                };
            }
            return;
        }
        for (i, o) in out.iter_mut().enumerate() {
            *o = self.class_at(bands, i);
        }
    }

    #[inline]
    fn single_class_at(&self, bands: &BlockBands, i: usize) -> u8 {
        if bands.has_valid && bands.valid.get(i).is_some_and(|v| *v == 0) {
            return Unobserved::NoData.code();
        }
        if let Some((_, mask)) = &self.mask {
            if mask.hides(bands.mask.get_f64(i)) {
                return Unobserved::Masked.code();
            }
        }
        match &self.rule {
            Rule::Ndvi { classifier, .. } => {
                classifier.classify_code(bands.first.get_f64(i), bands.second.get_f64(i))
            }
            Rule::Classes {
                mapping, nodata, ..
            } => {
                let v = bands.first.get_f64(i);
                // NaN is nodata in a floating-point band, declared or not.
                if v.is_nan() || nodata.as_ref().is_some_and(|n| n.matches_f64(v)) {
                    return Unobserved::NoData.code();
                }
                match mapping.class_of(v) {
                    // A class the map itself calls unobserved (cloud, no data …).
                    Some(LandClass::Unobserved) => Unobserved::Masked.code(),
                    Some(c) => c as u8,
                    None => UNMAPPED,
                }
            }
            Rule::Composite(_) => Unobserved::NoData.code(),
        }
    }
}

/// The decoded bands of one block, reused from block to block by one worker.
#[derive(Debug)]
pub struct BlockBands {
    /// Red (NDVI) or the classes band.
    first: BandBuffer,
    /// NIR (NDVI only).
    second: BandBuffer,
    /// The mask band, when there is a mask.
    mask: BandBuffer,
    /// The per-dataset mask of the bands (0 = no data), when a file has one.
    valid: Vec<u8>,
    /// The second file's per-dataset mask, before it is combined into `valid`.
    valid_second: Vec<u8>,
    /// Whether `valid` holds a mask for the loaded window.
    has_valid: bool,
    /// Cells loaded.
    len: usize,
    /// A composite's scene windows.
    composite: CompositeBlock,
}

impl Default for BlockBands {
    fn default() -> Self {
        BlockBands {
            first: BandBuffer::U8(Vec::new()),
            second: BandBuffer::U8(Vec::new()),
            mask: BandBuffer::U8(Vec::new()),
            valid: Vec::new(),
            valid_second: Vec::new(),
            has_valid: false,
            len: 0,
            composite: CompositeBlock::default(),
        }
    }
}

/// Checks that `b` lies on `a`'s grid (same size, same transform to 1e-9 of a cell).
fn same_grid(a: &Source, b: &Source) -> Result<(), AuditError> {
    let (ga, gb) = (a.raster.grid(), b.raster.grid());
    let (ta, tb) = (ga.transform, gb.transform);
    let tol = 1e-9 * ta.dx.abs().max(ta.dy.abs());
    let close = |x: f64, y: f64| (x - y).abs() <= tol;
    let same = ga.width == gb.width
        && ga.height == gb.height
        && close(ta.x0, tb.x0)
        && close(ta.y0, tb.y0)
        && close(ta.dx, tb.dx)
        && close(ta.dy, tb.dy)
        && close(ta.rx, tb.rx)
        && close(ta.ry, tb.ry);
    if same {
        Ok(())
    } else {
        Err(AuditError::GridMismatch(Box::new(GridMismatch {
            a: a.path().to_path_buf(),
            b: b.path().to_path_buf(),
            a_size: (ga.width, ga.height),
            b_size: (gb.width, gb.height),
            a_transform: ta,
            b_transform: tb,
        })))
    }
}

/// True when two imageries share a grid (for cell-by-cell change detection).
pub fn grids_match(a: &Imagery, b: &Imagery) -> bool {
    match (a.main(), b.main()) {
        (Some(x), Some(y)) => same_grid(x, y).is_ok(),
        _ => {
            let (ga, gb) = (a.grid, b.grid);
            let (ta, tb) = (ga.transform, gb.transform);
            let tol = 1e-9 * ta.dx.abs().max(ta.dy.abs());
            a.crs.same_as(&b.crs)
                && (ga.width, ga.height) == (gb.width, gb.height)
                && [
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
    }
}

impl Imagery {
    /// An opened composite as the year's imagery (what `scenes` / `collection`
    /// open to; also for scenes found by other means).
    pub fn from_composite(composite: Composite) -> Imagery {
        let grid = composite.grid;
        let crs = composite.crs.clone();
        let area = AreaModel::new(&grid, &crs);
        let files = composite.files();
        Imagery {
            rule: Rule::Composite(Box::new(composite)),
            mask: None,
            grid,
            crs,
            area,
            files,
        }
    }

    /// A season of scenes (`scenes` / `collection`) as one composite imagery.
    fn open_composite(
        cfg: &ImageryConfig,
        limits: &Limits,
        year: i32,
    ) -> Result<Imagery, AuditError> {
        if cfg.classifier != ClassifierKind::Ndvi {
            return Err(AuditError::Imagery {
                detail: "`scenes`/`collection` composite NDVI: set classifier = \"ndvi\" (a land-cover map is one raster: use `path`)",
            });
        }
        if cfg.path.is_some()
            || cfg.red_path.is_some()
            || cfg.nir_path.is_some()
            || cfg.mask_path.is_some()
        {
            return Err(AuditError::Imagery {
                detail: "give either `scenes`/`collection` (a season of scenes) or `path`/`red_path`/`nir_path`/`mask_path` (one raster), not both",
            });
        }
        let (scenes, uses) = super::composite_scenes::gather(cfg, year)?;
        let settings = CompositeSettings {
            rule: cfg.composite.unwrap_or_default(),
            min_clear: cfg.min_clear.unwrap_or(1),
            nearest: cfg.resample == Some(super::config::Resample::Nearest),
            restored_min_ndvi: cfg.restored_min_ndvi,
            water_max_ndvi: cfg.water_max_ndvi,
        };
        let composite = Composite::open(scenes, uses, settings, limits)?;
        Ok(Imagery::from_composite(composite))
    }
}
