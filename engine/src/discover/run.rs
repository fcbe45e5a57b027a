//! One discovery run end to end: configuration → inputs on the imagery's grid →
//! the sweep → candidates with outlines, labels and nearest licences.

use super::config::DiscoveryConfig;
use super::error::DiscoverError;
use super::label::Patch;
use super::model::{Accounting, Candidate, Change, Discovery, Label, Nearest};
use super::records::{encode_candidate, Candidates, PreRecord, Ranked, PRE_RECORD_BYTES};
use super::scanline::Scanline;
use super::spill::{Span, Spill, SpillWriter};
use super::sweep::{self, state, Inputs};
use crate::attribute::{self, Date, Licence, Pit, Responsibility};
use crate::audit::checksum::ChecksumCache;
use crate::audit::config::ClassifierKind;
use crate::audit::imagery::{grids_match, Imagery};
use crate::audit::inputs::{read, read_licences, user_crs};
use crate::audit::{AuditConfig, AuditError};
use crate::crs::{Crs, Transformer};
use crate::error::Error;
use crate::grid::Grid;
use crate::raster::{Limits, Raster};
use crate::warning::Warning;
use geo::{Area, BoundingRect, Distance, Euclidean, MultiPolygon};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// How a run is made (beyond the configuration).
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// Raster allocation limits.
    pub limits: Limits,
    /// Where input checksums are reused (default: disabled, every input hashed).
    pub checksum_cache: ChecksumCache,
    /// Most cell runs one patch may hold (a cap against a noisy class map;
    /// 12 bytes each).
    pub max_runs: usize,
    /// Where the candidates' outlines wait on disk until written (an unnamed
    /// file; default: the system's temporary folder; the CLI uses the output
    /// folder's parent).
    pub spill_dir: Option<PathBuf>,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        DiscoverOptions {
            limits: Limits::default(),
            checksum_cache: ChecksumCache::disabled(),
            max_runs: DEFAULT_MAX_RUNS,
            spill_dir: None,
        }
    }
}

/// Default cap on the runs of one patch (≈ 240 MB of runs).
pub const DEFAULT_MAX_RUNS: usize = 20_000_000;

/// Longer side of the overview map, pixels.
const MAP_PX: usize = 900;

/// Share of a candidate's area below which its part inside (or outside) the
/// licences is rounding of the polygon intersection, not land.
const LABEL_TOLERANCE: f64 = 1e-9;

/// Finds the candidates of `cfg` (its `[discovery]` section, or the defaults).
///
/// # Errors
/// Any input problem, as a [`DiscoverError`] naming the file and the fix.
pub fn discover(cfg: &AuditConfig, opts: &DiscoverOptions) -> Result<Discovery, DiscoverError> {
    cfg.validate()?;
    let settings = cfg.discovery.clone().unwrap_or_default();
    settings.validate()?;
    let date = Date::parse(&cfg.audit_date).map_err(|source| AuditError::Attribute {
        path: PathBuf::from("audit_date"),
        source,
    })?;
    let limits = match &cfg.limits {
        Some(l) => l.raster(opts.limits),
        None => opts.limits,
    };
    let imagery = Imagery::open(&cfg.imagery, &limits, date.year)?;
    let crs = imagery.crs.clone();
    let grid = imagery.grid;
    let mut files = imagery.files.clone();

    // Footprints: every pit, one layer.
    let mut pits_layer = read(
        &cfg.pits.path,
        cfg.pits.encoding.as_deref(),
        cfg.pits.repair_geometry,
        cfg.limits.as_ref(),
    )?;
    let mut warnings = cfg.pits.check_layer(&mut pits_layer)?;
    let zones = crate::footprints::zones_in_crs(
        &pits_layer,
        &cfg.pits.id_field,
        user_crs(cfg.pits.crs.as_deref(), &cfg.pits.path)?.as_ref(),
        &crs,
    )?;
    let footprints = MultiPolygon(zones.into_iter().flat_map(|z| z.geometry.0).collect());
    files.extend(existing_vector_files("pits", &cfg.pits.path));

    let (licences, lic_meta, rule) = match &cfg.licenses {
        Some(lc) => {
            files.extend(existing_vector_files("licenses", &lc.path));
            read_licences(lc, cfg.limits.as_ref(), &crs, &mut warnings)?
        }
        None => {
            warnings.push(Warning::NoLicences { path: None });
            (Vec::new(), Vec::new(), attribute::LiabilityRule::default())
        }
    };

    // The area of interest and its window.
    let (aoi, window) = match &settings.aoi {
        Some(path) => {
            let g = layer_in_crs(
                "aoi",
                path,
                settings.aoi_crs.as_deref(),
                cfg.limits.as_ref(),
                &crs,
            )?;
            if g.unsigned_area() <= 0.0 {
                return Err(DiscoverError::EmptyAoi { path: path.clone() });
            }
            let w = crate::plan::footprint_window(&g, &grid);
            if w.is_empty() {
                return Err(DiscoverError::AoiOffImagery {
                    path: path.clone(),
                    imagery: imagery.path().to_path_buf(),
                });
            }
            files.extend(existing_vector_files("aoi", path));
            (Some(Scanline::new(&g, &grid)), w)
        }
        None => (None, grid.full_window()),
    };
    let mut layers = Vec::new();
    let mut layer_names = Vec::new();
    for (k, path) in settings.exclude_layers.iter().enumerate() {
        if k >= state::MAX_LAYERS {
            return Err(DiscoverError::Layer {
                key: "exclude_layers",
                path: path.clone(),
                detail: format!(
                    "at most {} exclusion layers: merge some first",
                    state::MAX_LAYERS
                ),
            });
        }
        let g = layer_in_crs("exclude_layers", path, None, cfg.limits.as_ref(), &crs)?;
        layers.push(Scanline::new(&g, &grid));
        layer_names.push(path.display().to_string());
        files.extend(existing_vector_files("exclude_layer", path));
    }

    // The exclusion raster: given, or the imagery's own class raster.
    let exclude = if settings.exclude_classes.is_empty() {
        None
    } else {
        let (path, band) = match (&settings.exclude_raster, &cfg.imagery.path) {
            (Some(p), _) => (p.clone(), settings.exclude_band),
            (None, Some(p))
                if cfg.imagery.classifier == ClassifierKind::Classes
                    && !cfg.imagery.is_composite() =>
            {
                (p.clone(), cfg.imagery.class_band)
            }
            _ => return Err(DiscoverError::NoExcludeRaster),
        };
        let r = Raster::open_with_limits(&path, limits).map_err(Error::from)?;
        let bands = r.info().bands;
        if band > bands {
            return Err(Error::BandOutOfRange {
                path: path.clone(),
                band,
                bands,
            }
            .into());
        }
        check_grid("exclude_raster", &path, &r.grid(), &imagery)?;
        if !files.iter().any(|(_, p)| *p == path) {
            files.push(("exclude_raster".into(), path.clone()));
        }
        Some((r, band))
    };

    // The previous year's imagery, on this grid.
    let previous = match &settings.previous_config {
        Some(path) => {
            let prev = AuditConfig::load(path)?;
            let year = Date::parse(&prev.audit_date)
                .map(|d| d.year)
                .unwrap_or(date.year - 1);
            let im = Imagery::open(&prev.imagery, &limits, year)?;
            if !grids_match(&imagery, &im) {
                return Err(DiscoverError::OffGrid(Box::new(super::error::OffGrid {
                    key: "previous_config",
                    path: im.path().to_path_buf(),
                    imagery: imagery.path().to_path_buf(),
                    imagery_size: (grid.width, grid.height),
                    imagery_origin: (grid.transform.x0, grid.transform.y0),
                    imagery_cell: (grid.transform.dx, grid.transform.dy),
                    size: (im.grid.width, im.grid.height),
                    origin: (im.grid.transform.x0, im.grid.transform.y0),
                    cell: (im.grid.transform.dx, im.grid.transform.dy),
                })));
            }
            files.push(("previous_config".into(), path.clone()));
            files.extend(
                im.files
                    .iter()
                    .map(|(r, p)| (format!("previous {r}"), p.clone())),
            );
            Some(im)
        }
        None => None,
    };

    // Checksums of every input beside the pass (provenance).
    let hashing = crate::audit::checksum::start_hashing(files, opts.checksum_cache.clone());

    // Runs are kept (to measure licence coverage cell by cell) only for patches
    // whose box meets a liable licence's.
    let liable_boxes = crate::index::FootprintIndex::new(
        licences
            .iter()
            .filter(|l| rule.is_liable(l))
            .map(|l| &l.geometry),
    );
    let keep_runs = |g: &MultiPolygon<f64>| {
        g.bounding_rect().is_some_and(|b| {
            !liable_boxes
                .query((b.min().x, b.min().y, b.max().x, b.max().y))
                .is_empty()
        })
    };
    let spill_dir = opts.spill_dir.clone().unwrap_or_else(std::env::temp_dir);
    let mut spill = SpillWriter::create(&spill_dir)?;
    let mut pre_records = SpillWriter::create(&spill_dir)?;
    let swept = sweep::sweep(
        Inputs {
            imagery: &imagery,
            previous: previous.as_ref(),
            exclude_raster: exclude
                .as_ref()
                .map(|(r, b)| (r, *b, settings.exclude_classes.as_slice())),
            footprints: Scanline::new(&footprints, &grid),
            aoi,
            exclude_layers: layers,
            window,
            connectivity: settings.connectivity,
            min_area_m2: settings.min_area_ha * 10_000.0,
            max_runs: opts.max_runs,
            map_px: MAP_PX,
            keep_runs: &keep_runs,
            spill: &mut spill,
            records: &mut pre_records,
        },
        &imagery.area,
    )?;
    let spill = spill.finish()?;
    let pre_records = pre_records.finish()?;

    let ha = |s: u8| swept.m2.get(usize::from(s)).copied().unwrap_or(0.0) / 10_000.0;
    let mut acc = Accounting {
        restored_ha: ha(state::RESTORED),
        water_ha: ha(state::WATER),
        unobserved_ha: ha(state::UNOBSERVED),
        bare_in_footprints_ha: ha(state::FOOTPRINT),
        excluded_class_ha: ha(state::EXCLUDED_CLASS),
        excluded_layers_ha: layer_names
            .iter()
            .enumerate()
            .map(|(k, n)| (n.clone(), ha(state::EXCLUDED_LAYER + k as u8)))
            .collect(),
        below_min_area: (swept.small.0, swept.small.1 / 10_000.0),
        ..Accounting::default()
    };
    acc.bare_ha = ha(state::BARE)
        + acc.bare_in_footprints_ha
        + acc.excluded_class_ha
        + acc.excluded_layers_ha.iter().map(|l| l.1).sum::<f64>();
    acc.scanned_ha = acc.restored_ha + acc.water_ha + acc.unobserved_ha + acc.bare_ha;

    let to_lonlat = Transformer::new(&crs, &Crs::from_epsg(4326).map_err(crs_err(&imagery))?)
        .map_err(crs_err(&imagery))?;
    let index = crate::index::FootprintIndex::new(licences.iter().map(|l| &l.geometry));
    let lic_path = cfg
        .licenses
        .as_ref()
        .map_or_else(|| cfg.pits.path.clone(), |l| l.path.clone());
    let ctx = Context {
        grid: &grid,
        settings: &settings,
        licences: &licences,
        lic_meta: &lic_meta,
        index: &index,
        rule: &rule,
        area: &imagery.area,
        with_previous: previous.is_some(),
        outlines: &spill,
        to_lonlat: &to_lonlat,
        imagery: &imagery,
    };
    let candidates = build_candidates(
        &ctx,
        swept.patches,
        swept.listed,
        &pre_records,
        SpillWriter::create(&spill_dir)?,
        &mut acc,
    )
    .map_err(|e| match e {
        Built::Attribute(source) => DiscoverError::from(AuditError::Attribute {
            path: lic_path.clone(),
            source,
        }),
        Built::Other(e) => e,
    })?;
    drop(pre_records);

    let inputs = hashing.join().map_err(|_| AuditError::Internal {
        detail: "the input-checksum thread stopped unexpectedly".into(),
    })??;
    let liable_outlines = MultiPolygon(
        licences
            .iter()
            .filter(|l| rule.is_liable(l))
            .flat_map(|l| l.geometry.0.iter().cloned())
            .collect(),
    );
    Ok(Discovery {
        audit_date: date.to_string(),
        settings,
        candidates,
        accounting: acc,
        crs: crs
            .epsg
            .map(|c| format!("EPSG:{c}"))
            .unwrap_or_else(|| crs.name.clone()),
        geographic: crs.is_geographic(),
        epsg: crs.epsg,
        cell_size: (grid.transform.dx.abs(), grid.transform.dy.abs()),
        inputs,
        config_toml: cfg.to_toml(),
        warnings,
        map: swept.map,
        licences: liable_outlines,
        to_lonlat,
        with_licences: !licences.is_empty(),
        outlines: spill,
    })
}

fn crs_err(imagery: &Imagery) -> impl Fn(crate::crs::CrsError) -> DiscoverError + '_ {
    move |source| {
        DiscoverError::from(Error::Crs {
            path: imagery.path().to_path_buf(),
            source,
        })
    }
}

/// A vector file and its sidecars that exist, as (role, path).
fn existing_vector_files(role: &str, path: &Path) -> Vec<(String, PathBuf)> {
    crate::output::vector_inputs(role, path)
        .into_iter()
        .filter(|(r, p)| r == role || p.exists())
        .collect()
}

/// A polygon layer of `[discovery]` as one multipolygon in `target`.
fn layer_in_crs(
    key: &'static str,
    path: &Path,
    crs_override: Option<&str>,
    limits: Option<&crate::audit::config::LimitsConfig>,
    target: &Crs,
) -> Result<MultiPolygon<f64>, DiscoverError> {
    let layer = read(path, None, false, limits)?;
    let fail = |detail: String| DiscoverError::Layer {
        key,
        path: path.to_path_buf(),
        detail,
    };
    let src = match (crs_override, &layer.crs) {
        (Some(s), _) => Crs::from_user_string(s)
            .map_err(|e| fail(format!("{key}_crs = {s:?} is not a CRS reclaim knows: {e}")))?,
        (None, Some(c)) => c.clone(),
        (None, None) => {
            return Err(fail(format!(
                "the layer has no CRS (no .prj): add the .prj from the data supplier{}",
                if key == "aoi" {
                    ", or set aoi_crs = \"EPSG:…\" under [discovery]"
                } else {
                    ", or save it as GeoJSON in lon/lat"
                }
            )))
        }
    };
    let tf = Transformer::new(&src, target).map_err(|e| {
        fail(format!(
            "its CRS {} cannot be transformed to the imagery's {} ({e}); reproject it first, e.g. ogr2ogr -t_srs {} out.gpkg in.shp",
            src.name,
            target.name,
            target.epsg.map_or_else(|| target.name.clone(), |c| format!("EPSG:{c}"))
        ))
    })?;
    let mut out = Vec::new();
    for f in &layer.features {
        let g = tf
            .transform_multipolygon(&f.geometry)
            .map_err(|e| fail(format!("feature {}: {e}", f.index)))?;
        out.extend(g.0);
    }
    Ok(MultiPolygon(out))
}

/// Refuses a raster not on the imagery's grid (same size, transform to 1e-9 of a cell).
fn check_grid(
    key: &'static str,
    path: &Path,
    g: &Grid,
    imagery: &Imagery,
) -> Result<(), DiscoverError> {
    let (a, b) = (imagery.grid.transform, g.transform);
    let tol = 1e-9 * a.dx.abs().max(a.dy.abs());
    let close = |x: f64, y: f64| (x - y).abs() <= tol;
    let same = (g.width, g.height) == (imagery.grid.width, imagery.grid.height)
        && close(a.x0, b.x0)
        && close(a.y0, b.y0)
        && close(a.dx, b.dx)
        && close(a.dy, b.dy)
        && close(a.rx, b.rx)
        && close(a.ry, b.ry);
    if same {
        return Ok(());
    }
    Err(DiscoverError::OffGrid(Box::new(super::error::OffGrid {
        key,
        path: path.to_path_buf(),
        imagery: imagery.path().to_path_buf(),
        imagery_size: (imagery.grid.width, imagery.grid.height),
        imagery_origin: (a.x0, a.y0),
        imagery_cell: (a.dx, a.dy),
        size: (g.width, g.height),
        origin: (b.x0, b.y0),
        cell: (b.dx, b.dy),
    })))
}

/// What [`build_candidates`] reads besides the patches.
struct Context<'a> {
    grid: &'a Grid,
    settings: &'a DiscoveryConfig,
    licences: &'a [Licence],
    lic_meta: &'a [crate::audit::aggregate::LicenceMeta],
    index: &'a crate::index::FootprintIndex,
    rule: &'a attribute::LiabilityRule,
    area: &'a crate::area::AreaModel,
    with_previous: bool,
    outlines: &'a Spill,
    to_lonlat: &'a Transformer,
    imagery: &'a Imagery,
}

/// What stops [`build_candidates`].
enum Built {
    Attribute(attribute::AttributeError),
    Other(DiscoverError),
}

impl From<DiscoverError> for Built {
    fn from(e: DiscoverError) -> Self {
        Built::Other(e)
    }
}

/// Pre-records read back at a time (≈ 0.5 MB).
const CHUNK: usize = 4096;

/// Compactness filter, licence labels, nearest licences and ranks of the listed
/// patches, streamed from their pre-records in closing order; each candidate's
/// record goes to `records`, and only its [`Ranked`] key stays in memory. The
/// patches near a liable licence (`near`, with their runs) are labelled together
/// by the audit's attribution cut.
fn build_candidates(
    ctx: &Context<'_>,
    near: Vec<Patch>,
    listed: u64,
    pre: &Spill,
    mut records: SpillWriter,
    acc: &mut Accounting,
) -> Result<Candidates, Built> {
    let mut near = near.into_iter();
    // Near patches kept: (kept index, runs, pre-record, compactness).
    let mut near_kept: Vec<(usize, Patch, PreRecord, f64)> = Vec::new();
    let mut far: Vec<(PreRecord, f64)> = Vec::with_capacity(CHUNK);
    let mut ranked: Vec<Ranked> = Vec::new();
    let mut kept = 0usize;
    let mut at = 0u64;
    while at < listed {
        let n = (listed - at).min(CHUNK as u64);
        let bytes = pre
            .read_bytes_io(Span {
                offset: at * PRE_RECORD_BYTES as u64,
                len: n * PRE_RECORD_BYTES as u64,
            })
            .map_err(|source| DiscoverError::Spill {
                dir: pre.dir().to_path_buf(),
                source,
            })?;
        at += n;
        for b in bytes.chunks_exact(PRE_RECORD_BYTES) {
            let r = PreRecord::decode(b).map_err(|source| DiscoverError::Spill {
                dir: pre.dir().to_path_buf(),
                source,
            })?;
            let patch = if r.near { near.next() } else { None };
            let o = &r.outline;
            let compactness = if o.perimeter > 0.0 {
                4.0 * std::f64::consts::PI * o.planar_area / (o.perimeter * o.perimeter)
            } else {
                0.0
            };
            if compactness < ctx.settings.min_compactness {
                acc.below_min_compactness.0 += 1;
                acc.below_min_compactness.1 += r.area_m2 / 10_000.0;
                continue;
            }
            let i = kept;
            kept += 1;
            match patch {
                Some(p) => near_kept.push((i, p, r, compactness)),
                None => far.push((r, compactness)),
            }
        }
        // Far from every liable licence: unlicensed, nothing inside.
        let made = far
            .par_drain(..)
            .map(|(r, compactness)| finish(ctx, make(ctx, &r, compactness, Vec::new())))
            .collect::<Result<Vec<_>, DiscoverError>>()?;
        store(made, &mut records, &mut ranked)?;
    }

    // Near a liable licence: the audit's own cut (exact polygon pieces).
    let pits: Vec<Pit> = near_kept
        .par_iter()
        .map(|(i, _, r, _)| {
            Ok(Pit {
                id: format!("patch-{i}"),
                geometry: ctx.outlines.read(r.outline.span)?,
            })
        })
        .collect::<Result<_, DiscoverError>>()?;
    let mut inside: Vec<Vec<(String, f64)>> = vec![Vec::new(); near_kept.len()];
    if !pits.is_empty() {
        let att = attribute::attribute(&pits, ctx.licences, ctx.rule).map_err(Built::Attribute)?;
        for piece in att.pieces {
            if let Responsibility::Responsible { licence_id, .. } = &piece.responsibility {
                let m2 = ctx.area.polygon_m2(&piece.geometry);
                if let Some(v) = inside.get_mut(piece.pit_index) {
                    v.push((licence_id.clone(), m2));
                }
            }
        }
    }
    drop(pits);
    // Refine each candidate's area inside its licences with the exact coverage
    // of each licence over its cells (no integer frame; ~1e-15 relative), when
    // the licences it touches do not overlap one another (else the cut's areas
    // stand, to ~1e-9).
    let by_id: std::collections::HashMap<&str, &Licence> =
        ctx.licences.iter().map(|l| (l.id.as_str(), l)).collect();
    let made = near_kept
        .into_par_iter()
        .zip(inside)
        .map(|((_, p, r, compactness), lic)| {
            let lic = refine(ctx, &by_id, &p, lic);
            finish(ctx, make(ctx, &r, compactness, lic))
        })
        .collect::<Result<Vec<_>, DiscoverError>>()?;
    store(made, &mut records, &mut ranked)?;

    ranked.sort_by(|a, b| {
        b.cells
            .cmp(&a.cells)
            .then_with(|| b.area_ha.total_cmp(&a.area_ha))
            .then_with(|| a.first_cell.cmp(&b.first_cell))
    });
    acc.candidates = (
        ranked.len() as u64,
        ranked.iter().map(|c| c.area_ha).sum::<f64>(),
    );
    Ok(Candidates::new(ranked, Some(records.finish()?)))
}

/// Writes candidates' records; keeps their keys.
fn store(
    made: Vec<Candidate>,
    records: &mut SpillWriter,
    ranked: &mut Vec<Ranked>,
) -> Result<(), DiscoverError> {
    let mut buf = Vec::new();
    for c in made {
        buf.clear();
        encode_candidate(&c, &mut buf);
        let record = records.push_bytes(&buf)?;
        ranked.push(Ranked {
            cells: c.cells,
            area_ha: c.area_ha,
            first_cell: c.first_cell,
            label: c.label,
            change: c.change,
            outside_licence_ha: c.outside_licence_ha,
            outline: c.outline,
            record,
        });
    }
    Ok(())
}

/// The areas inside each licence of `lic`, by exact coverage over the patch's
/// cells when those licences do not overlap one another (else as given).
fn refine(
    ctx: &Context<'_>,
    by_id: &std::collections::HashMap<&str, &Licence>,
    p: &Patch,
    lic: Vec<(String, f64)>,
) -> Vec<(String, f64)> {
    let geoms: Vec<&MultiPolygon<f64>> = lic
        .iter()
        .filter_map(|(id, _)| by_id.get(id.as_str()).map(|l| &l.geometry))
        .collect();
    if geoms.len() != lic.len() || !pairwise_disjoint(&geoms) {
        return lic;
    }
    let window = runs_window(&p.runs);
    lic.iter()
        .zip(&geoms)
        .map(
            |((id, cut_m2), g)| match crate::coverage::coverage_clipped(g, ctx.grid, window) {
                Ok(cov) => {
                    let m2: f64 = p
                        .runs
                        .iter()
                        .map(|r| {
                            let row = r.row as usize;
                            let f: f64 = (r.c0..r.c1).map(|c| cov.get(c as usize, row)).sum();
                            f * ctx.area.cell_m2(row)
                        })
                        .sum();
                    (id.clone(), m2)
                }
                Err(_) => (id.clone(), *cut_m2),
            },
        )
        .collect()
}

/// A candidate from its pre-record and the areas inside each liable licence.
fn make(
    ctx: &Context<'_>,
    r: &PreRecord,
    compactness: f64,
    mut lic: Vec<(String, f64)>,
) -> Candidate {
    lic.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    let area_m2 = r.area_m2;
    let inside_m2: f64 = lic.iter().map(|l| l.1).sum::<f64>().min(area_m2);
    let outside_m2 = (area_m2 - inside_m2).max(0.0);
    let tol = LABEL_TOLERANCE * area_m2;
    let label = if inside_m2 <= tol {
        Label::Unlicensed
    } else if outside_m2 <= tol {
        Label::WithinLicence
    } else {
        Label::BeyondLicence
    };
    let (inside_m2, outside_m2) = match label {
        Label::Unlicensed => (0.0, area_m2),
        Label::WithinLicence => (area_m2, 0.0),
        Label::BeyondLicence => (inside_m2, outside_m2),
    };
    let change = ctx
        .with_previous
        .then_some(if r.before_m2 * 2.0 >= area_m2 {
            Change::Persistent
        } else {
            Change::New
        });
    Candidate {
        id: String::new(),
        rank: 0,
        label,
        change,
        area_ha: area_m2 / 10_000.0,
        cells: r.cells,
        inside_licence_ha: inside_m2 / 10_000.0,
        outside_licence_ha: outside_m2 / 10_000.0,
        licence_ids: lic.into_iter().map(|l| l.0).collect(),
        nearest: None,
        centroid: r.centroid,
        centroid_lonlat: (f64::NAN, f64::NAN),
        holes: r.outline.holes,
        perimeter: r.outline.perimeter,
        compactness,
        bare_before_ha: ctx.with_previous.then_some(r.before_m2 / 10_000.0),
        first_cell: r.first,
        outline: r.outline.span,
    }
}

/// Lon/lat and the nearest licence of a candidate (its outline read back).
fn finish(ctx: &Context<'_>, mut c: Candidate) -> Result<Candidate, DiscoverError> {
    let geometry = ctx.outlines.read(c.outline)?;
    // Every corner transforms (the file is written from the same transform).
    ctx.to_lonlat
        .transform_multipolygon(&geometry)
        .map_err(crs_err(ctx.imagery))?;
    c.centroid_lonlat = ctx
        .to_lonlat
        .transform_point(c.centroid.0, c.centroid.1)
        .map_err(crs_err(ctx.imagery))?;
    c.nearest = nearest(&geometry, ctx.licences, ctx.lic_meta, ctx.index);
    Ok(c)
}

/// The grid window of a patch's runs.
fn runs_window(runs: &[super::label::Run]) -> crate::grid::Window {
    let (mut r0, mut r1, mut c0, mut c1) = (u32::MAX, 0, u32::MAX, 0);
    for r in runs {
        r0 = r0.min(r.row);
        r1 = r1.max(r.row + 1);
        c0 = c0.min(r.c0);
        c1 = c1.max(r.c1);
    }
    crate::grid::Window {
        col_off: c0 as usize,
        row_off: r0 as usize,
        width: c1.saturating_sub(c0) as usize,
        height: r1.saturating_sub(r0) as usize,
    }
}

/// Whether no two of `gs` share area (touching is fine).
fn pairwise_disjoint(gs: &[&MultiPolygon<f64>]) -> bool {
    use geo::BooleanOps;
    gs.iter().enumerate().all(|(i, a)| {
        gs[i + 1..]
            .iter()
            .all(|b| a.intersection(*b).unsigned_area() == 0.0)
    })
}

/// The licence (any status) nearest to `g`, by exact polygon distance: licences
/// whose boxes meet `g`'s box grown step by step (the R-tree of footprint
/// envelopes), then every licence within the best distance found.
fn nearest(
    g: &MultiPolygon<f64>,
    licences: &[Licence],
    meta: &[crate::audit::aggregate::LicenceMeta],
    index: &crate::index::FootprintIndex,
) -> Option<Nearest> {
    let bb = g.bounding_rect()?;
    if index.is_empty() {
        return None;
    }
    let exact = |i: usize| {
        licences[i]
            .geometry
            .iter()
            .flat_map(|lp| g.iter().map(move |cp| Euclidean.distance(cp, lp)))
            .fold(f64::INFINITY, f64::min)
    };
    let grown = |d: f64| {
        (
            bb.min().x - d,
            bb.min().y - d,
            bb.max().x + d,
            bb.max().y + d,
        )
    };
    let mut found = Vec::new();
    let mut d = bb.width().max(bb.height()).max(1.0);
    loop {
        index.query_into(grown(d), &mut found);
        if !found.is_empty() || !d.is_finite() {
            break;
        }
        d *= 4.0;
    }
    // The nearest of these bounds the answer; every licence within it is checked.
    let bound = found
        .iter()
        .map(|&i| exact(i))
        .fold(f64::INFINITY, f64::min);
    index.query_into(grown(bound), &mut found);
    found.sort_unstable();
    let (dist, i) = found
        .iter()
        .map(|&i| (exact(i), i))
        .min_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)))?;
    let l = &licences[i];
    Some(Nearest {
        licence_id: l.id.clone(),
        distance_m: dist,
        status: l.status.clone(),
        liable: meta.get(i).is_some_and(|m| m.liable),
    })
}
