//! One audit, end to end: configuration → footprints and licences in the imagery's
//! CRS → pieces → exact areas by class (and change since the previous audit) →
//! the report, written atomically.

use super::aggregate::{aggregate, piece_areas};
use super::config::AuditConfig;
use super::error::AuditError;
use super::imagery::{grids_match, Imagery};
use super::inputs::{
    licences_from_layer, pits_from_layer, read, read_licences, sidecars, AuditInputs,
};
use super::measure::{Measure, OneShot};
pub use super::options::AuditOptions;
use super::sweep::{sweep_with, ClearCanvas, IMPLAUSIBLE_SLOT};
use crate::attribute::{self, Date, LiabilityRule};
use crate::coverage::{self, Coverage};
use crate::crs::{Crs, Transformer};
use crate::error::Error;
use crate::grid::Window;
use crate::raster::Limits;
use crate::results::{
    AuditReport, BaselineDelta, Change, ClassAreas, InputFile, MineResult, PitResult, Previous,
    Provenance, Summary,
};
use crate::warning::{Level, Warning, UNOBSERVED_WARN_SHARE};
use crate::zonal::format_value;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Longer side of the county map, pixels.
const COUNTY_MAP_PX: usize = 900;
/// Longer side of a mine map, pixels (before the report upscales it).
const MINE_MAP_PX: usize = 400;
/// Margin around a mine's land on its map, cells.
const MINE_MAP_MARGIN: usize = 10;

/// Runs one audit and returns its report (nothing is written).
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
/// let toml = format!("audit_date = \"2024-12-31\"
/// [imagery]
/// path = {landcover:?}
/// classifier = \"classes\"
/// classes_preset = \"worldcover\"
/// [pits]
/// path = \"pits.geojson\"
/// id_field = \"id\"");
/// let config = dir.path().join("audit.toml");
/// std::fs::write(&config, toml)?;
///
/// let cfg = reclaim::audit::AuditConfig::load(&config)?;
/// let report = reclaim::audit::run(&cfg, &Default::default())?;
/// // 25 m of the pit's width over tree cover, 25 m over bare land: 0.125 ha each.
/// assert_eq!((report.summary.restored_ha, report.summary.unrestored_ha), (0.125, 0.125));
/// # Ok::<(), reclaim::BoxError>(())
/// ```
///
/// # Errors
/// Any input problem, as an [`AuditError`] naming the file, the feature and the fix.
pub fn run(cfg: &AuditConfig, opts: &AuditOptions) -> Result<AuditReport, AuditError> {
    let mut report = run_with(cfg, opts, &mut OneShot)?;
    crate::discover::in_audit::attach(cfg, opts, &mut report)?;
    Ok(report)
}

/// [`run`] on layers already in memory: the pits and licences of `inputs` stand
/// for the files of `[pits]` and `[licenses]` (whose `path`s are then only names,
/// taken from the layers), and `inputs.imagery` for `[imagery]`. Everything else
/// (the date, field names, liable statuses, baseline, `[accuracy]`) comes from
/// `settings`; `[discovery]` is not run. The figures are those [`run`] gives for
/// the same layers read from files.
///
/// ```no_run
/// # fn main() -> reclaim::Result<()> {
/// use reclaim::audit::{self, AuditConfig, AuditInputs, AuditOptions};
/// use reclaim::vector::read_layer;
///
/// let settings = AuditConfig::load(std::path::Path::new("audit.toml"))?;
/// let pits = read_layer("pits.shp".as_ref(), &Default::default())?;
/// let inputs = AuditInputs { pits, licences: None, imagery: settings.imagery.clone() };
/// let report = audit::run_inputs(inputs, &settings, &AuditOptions::default())?;
/// println!("{} ha unrestored", report.summary.unrestored_ha);
/// # Ok(())
/// # }
/// ```
///
/// # Errors
/// As [`run`]; messages name the layers by their `path`.
pub fn run_inputs(
    inputs: AuditInputs,
    settings: &AuditConfig,
    opts: &AuditOptions,
) -> Result<AuditReport, AuditError> {
    let mut cfg = settings.clone();
    cfg.imagery = inputs.imagery;
    cfg.pits.path = inputs.pits.path.clone();
    if let (Some(lc), Some(l)) = (cfg.licenses.as_mut(), inputs.licences.as_ref()) {
        lc.path = l.path.clone();
    }
    if inputs.licences.is_none() {
        cfg.licenses = None;
    }
    cfg.discovery = None;
    let given = Vectors::Given(Box::new((inputs.pits, inputs.licences)));
    run_from(&cfg, opts, &mut OneShot, given)
}

/// Where the vector inputs come from.
enum Vectors {
    /// Read from the files the configuration names.
    Files,
    /// Given in memory ([`run_inputs`]).
    Given(Box<(crate::vector::Layer, Option<crate::vector::Layer>)>),
}

/// [`run`] with its measuring step supplied: one sweep ([`OneShot`]), one shard's
/// sweep, or a merge of shards' results (see [`super::shard`], [`super::merge`]).
pub(crate) fn run_with(
    cfg: &AuditConfig,
    opts: &AuditOptions,
    measure: &mut dyn Measure,
) -> Result<AuditReport, AuditError> {
    run_from(cfg, opts, measure, Vectors::Files)
}

/// [`run_with`], the vector inputs read or given.
fn run_from(
    cfg: &AuditConfig,
    opts: &AuditOptions,
    measure: &mut dyn Measure,
    vectors: Vectors,
) -> Result<AuditReport, AuditError> {
    cfg.validate()?;
    let audit_date = Date::parse(&cfg.audit_date).map_err(|source| AuditError::Attribute {
        path: PathBuf::from("audit_date"),
        source,
    })?;
    // The configuration's [limits] refine the caller's raster limits.
    let raster_limits = match &cfg.limits {
        Some(l) => l.raster(opts.limits),
        None => opts.limits,
    };
    if cfg.accuracy.is_some() && !measure.one_shot() {
        return Err(crate::accuracy::in_audit::InAuditError::NotOneShot.into());
    }
    let imagery = Imagery::open(&cfg.imagery, &raster_limits, audit_date.year)?;
    let crs = imagery.crs.clone();
    // [accuracy]: the labelled sample, read before the long pass (checked at the end).
    let labelled = match &cfg.accuracy {
        Some(a) => Some(crate::accuracy::in_audit::read(a, &crs)?),
        None => None,
    };

    // Checksums of every input (provenance) read whole files: start them on their
    // own thread at once, so they run beside the vector reading and the block pass.
    let mut files = imagery.files.clone();
    let (given_pits, mut given_licences) = match vectors {
        Vectors::Files => {
            files.extend(sidecars("pits", &cfg.pits.path));
            if let Some(lc) = &cfg.licenses {
                files.extend(sidecars("licenses", &lc.path));
            }
            (None, None)
        }
        Vectors::Given(layers) => {
            let (pits, licences) = *layers;
            (Some(pits), licences)
        }
    };
    if let Some(a) = &cfg.accuracy {
        files.extend(sidecars("accuracy reference", &a.reference));
    }
    let hashing = super::checksum::start_hashing(files, opts.checksum_cache.clone());

    // Footprints and licences, in the imagery's CRS.
    let mut pits_layer = match given_pits {
        Some(layer) => layer,
        None => read(
            &cfg.pits.path,
            cfg.pits.encoding.as_deref(),
            cfg.pits.repair_geometry,
            cfg.limits.as_ref(),
        )?,
    };
    let (pits, pit_meta, field_warnings) = pits_from_layer(&mut pits_layer, &cfg.pits, &crs)?;

    let mut warnings = field_warnings;
    let (licences, lic_meta, rule) = match &cfg.licenses {
        Some(lc) => match given_licences.take() {
            Some(layer) => licences_from_layer(layer, lc, &crs, &mut warnings)?,
            None => read_licences(lc, cfg.limits.as_ref(), &crs, &mut warnings)?,
        },
        None => {
            warnings.push(Warning::NoLicences { path: None });
            (Vec::new(), Vec::new(), LiabilityRule::default())
        }
    };
    // Without licences nobody can be named, and no land called legacy either.
    let attributed = !licences.is_empty();

    // Pieces: exact geometry, then exact coverage of each over the grid.
    let att =
        attribute::attribute(&pits, &licences, &rule).map_err(|source| AuditError::Attribute {
            path: cfg.pits.path.clone(),
            source,
        })?;
    let coverages: Vec<Coverage> = att
        .pieces
        .par_iter()
        .map(|p| {
            coverage::coverage(&p.geometry, &imagery.grid).map_err(|source| AuditError::Coverage {
                path: cfg.pits.path.clone(),
                pit_id: p.pit_id.clone(),
                source,
            })
        })
        .collect::<Result<_, _>>()?;
    if !att.pieces.is_empty() && coverages.iter().all(|c| c.window.is_empty()) {
        return Err(AuditError::NoOverlap {
            pits: cfg.pits.path.clone(),
            imagery: imagery.path().to_path_buf(),
        });
    }

    // Previous audit: its figures, and its imagery for cell-by-cell change.
    let previous = match &opts.previous {
        Some(dir) => Some(load_previous(dir, &imagery, &raster_limits)?),
        None => None,
    };

    // Maps: the county, and one per licence with land.
    let (canvases, mine_ids, licence_geometry) =
        map_canvases(&att, &coverages, &licences, &imagery);

    let footprint_window = canvases.first().map(|c| c.0);
    let one_shot = measure.one_shot();
    // A composite's county map of clear observations over the footprint cells,
    // painted by the sweep (one-shot audits only; shards refuse composites).
    let mut clear_obs_map = None;
    let swept = measure.measure(
        &att,
        coverages,
        canvases,
        &imagery.grid,
        &mut |coverages, canvases| {
            let clear = footprint_window
                .filter(|_| one_shot && imagery.composite().is_some())
                .map(|w| ClearCanvas::new(w, COUNTY_MAP_PX));
            let swept = sweep_with(
                &imagery,
                previous.as_ref().and_then(|p| p.1.as_ref()),
                coverages,
                canvases,
                clear,
                opts.progress.as_ref(),
            )?;
            clear_obs_map = swept.clear_map.as_ref().map(|m| m.finish(&imagery.grid));
            Ok(swept)
        },
    )?;

    // The class raster: one more pass over every cell of the footprints' window
    // (one-shot audits only; shards and merges have none). [accuracy] needs it: its
    // sampling frame.
    let rasters = match footprint_window {
        Some(w) if one_shot && (opts.classes_tif || cfg.accuracy.is_some()) => {
            Some(class_raster_files(&imagery, w, opts)?)
        }
        _ => None,
    };

    // Per piece: over the raster from the sweep; beyond it, unobserved.
    let areas = piece_area_table(&att, &swept, &imagery, previous.is_some());
    let pit_ids: Vec<String> = pits.iter().map(|p| p.id.clone()).collect();
    let agg = aggregate(
        &cfg.audit_date,
        attributed,
        &att,
        &pit_ids,
        &pit_meta,
        &lic_meta,
        &areas,
    );
    let mut summary = agg.summary;
    summary.audit_date = audit_date.to_string();
    if let Some(c) = imagery.composite() {
        summary.composite = Some(composite_summary(
            c,
            cfg.imagery.season.clone(),
            agg.county_clear_obs_mean,
            &swept.scene_tally,
        ));
    }
    add_sweep_figures(&mut summary, &swept);

    // Geometry for maps and orphans.geojson.
    let piece_geometry = piece_geometry(&att, &crs, &cfg.pits.path)?;

    let mut maps = swept.maps.into_iter();
    let county_map = maps.next().unwrap_or(crate::results::ClassMap {
        width: 0,
        height: 0,
        bbox: (0.0, 0.0, 0.0, 0.0),
        cells: vec![],
    });
    let mine_maps = mine_ids.into_iter().zip(maps).collect();

    let baseline = cfg.baseline.map(|b| baseline_delta(b, &summary));
    if let Some((prev_summary, _, dir)) = &previous {
        if prev_summary.audit_date.as_str() >= summary.audit_date.as_str() {
            warnings.push(Warning::PreviousNotEarlier {
                dir: dir.clone(),
                previous_date: prev_summary.audit_date.clone(),
                audit_date: summary.audit_date.clone(),
            });
        }
    }
    warnings.extend(observation_warnings(&agg.pits, &agg.mines, &summary));
    let previous = previous.map(|(prev_summary, _, dir)| Previous {
        dir,
        change: agg.county_change.unwrap_or(Change {
            restored_before_ha: prev_summary.restored_ha,
            unrestored_before_ha: prev_summary.unrestored_ha,
            ..Change::default()
        }),
        summary: prev_summary,
    });

    let inputs = hashing.join().map_err(|_| AuditError::Internal {
        detail: "the input-checksum thread stopped unexpectedly".into(),
    })??;
    let provenance = provenance(cfg, &imagery, inputs);

    let mut report = AuditReport {
        summary,
        baseline,
        previous,
        pieces: agg.pieces,
        piece_geometry,
        pits: agg.pits,
        mines: agg.mines,
        overlaps: agg.overlaps,
        provenance,
        county_map,
        mine_maps,
        licence_geometry,
        pit_geometry: pits.iter().map(|p| p.geometry.clone()).collect(),
        warnings,
        clear_obs_map,
        rasters,
        accuracy: None,
        discovery: None,
    };
    super::reconcile::check_reconciliation(&report)?;
    if let (Some(a), Some(records)) = (&cfg.accuracy, labelled) {
        let assessed = crate::accuracy::in_audit::assess(a, records, &report, &cfg.pits.path)?;
        report.accuracy = Some(assessed);
    }
    Ok(report)
}

/// Writes `report` into `out` atomically: into a temporary sibling folder first,
/// then swapped into place; on failure nothing (or the old folder) remains.
///
/// `out` is first checked with [`crate::folders::check_out`] against the report's
/// inputs and previous audit: it may be new, an empty folder, or a folder reclaim
/// wrote, never an input, a folder holding one, or the current directory.
///
/// # Errors
/// The guard's errors; [`Error::Output`] naming the path that could not be written.
pub fn write(report: &AuditReport, out: &Path) -> Result<(), AuditError> {
    write_with(report, out, &WriteOptions::default())
}

/// How [`write_with`] writes an audit folder.
#[derive(Debug, Clone, Copy, Default)]
pub struct WriteOptions {
    /// Start every CSV with a UTF-8 byte-order mark, for Excel and WPS
    /// (`--excel`; reclaim's readers, `--previous` included, skip it).
    pub excel: bool,
    /// How the GIS files are written (`--encoding`).
    pub gis: crate::report::gis::GisOptions,
}

/// [`write`] with its options.
///
/// # Errors
/// As [`write`].
pub fn write_with(report: &AuditReport, out: &Path, opts: &WriteOptions) -> Result<(), AuditError> {
    use crate::folders::check_out;
    use crate::output::OutputKind;
    let mut inputs: Vec<_> = report
        .provenance
        .inputs
        .iter()
        .map(|i| (i.role.clone(), i.path.clone()))
        .collect();
    if let Some(p) = &report.previous {
        inputs.push(("previous audit".into(), p.dir.clone()));
    }
    check_out(out, OutputKind::AuditFolder, &inputs)?;
    let io = |path: &Path, source| {
        AuditError::from(Error::Output {
            path: path.to_path_buf(),
            source,
        })
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    let tmp = crate::output::temp_sibling(out);
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir(&tmp).map_err(|e| io(&tmp, e))?;
    // From here every failure removes the temporary folder.
    let fail = |e: AuditError| {
        let _ = std::fs::remove_dir_all(&tmp);
        Err(e)
    };
    if let Err(e) = crate::report::write_all_with(&tmp, report, &opts.gis) {
        return fail(e.into());
    }
    if let Some(d) = &report.discovery {
        if let Err(e) = crate::discover::in_audit::write_files(d, &tmp) {
            return fail(e);
        }
    }
    if opts.excel {
        if let Err(e) = crate::output::add_csv_bom(&tmp) {
            return fail(e.into());
        }
    }
    if let Some(r) = &report.rasters {
        for name in &r.names {
            let (from, to) = (r.dir.path().join(name), tmp.join(name));
            // A link when the scratch folder is on the same disk, else a copy: the
            // scratch file stays, so the report can be written again.
            if std::fs::hard_link(&from, &to).is_err() {
                if let Err(e) = std::fs::copy(&from, &to) {
                    return fail(io(&to, e));
                }
            }
        }
    }
    if let Err(e) = crate::output::swap_folder(&tmp, out) {
        return fail(e.into());
    }
    Ok(())
}

/// Warnings about land the imagery does not see: pits wholly off it, and pits,
/// licences and the county with more than [`UNOBSERVED_WARN_SHARE`] unobserved.
fn observation_warnings(pits: &[PitResult], mines: &[MineResult], s: &Summary) -> Vec<Warning> {
    let mostly = |level, id: &str, a: &ClassAreas| {
        let total = a.total_ha();
        (total > 0.0 && a.unobserved_ha > UNOBSERVED_WARN_SHARE * total).then(|| {
            Warning::MostlyUnobserved {
                level,
                id: id.to_string(),
                footprint_ha: total,
                unobserved: a.unobserved_causes,
            }
        })
    };
    let mut out = Vec::new();
    for p in pits {
        let total = p.areas.total_ha();
        // Wholly beyond the raster (to rounding): say so, not "mostly unobserved".
        if total > 0.0 && p.areas.unobserved_causes.outside_ha >= total * (1.0 - 1e-9) {
            out.push(Warning::PitOffImagery {
                pit_id: p.pit_id.clone(),
                area_ha: total,
            });
        } else if let Some(w) = mostly(Level::Pit, &p.pit_id, &p.areas) {
            out.push(w);
        }
    }
    out.extend(
        mines
            .iter()
            .filter_map(|m| mostly(Level::Licence, &m.license_id, &m.areas)),
    );
    let county = s.county_areas();
    out.extend(mostly(Level::County, "", &county));
    let observed = county.observed_ha();
    if s.implausible_reflectance_ha > IMPLAUSIBLE_WARN_SHARE * observed {
        out.push(Warning::ImplausibleReflectance {
            implausible_ha: s.implausible_reflectance_ha,
            observed_ha: observed,
        });
    }
    if let Some(c) = &s.composite {
        if c.scenes_used < crate::warning::FEW_SCENES {
            out.push(Warning::FewScenes {
                used: c.scenes_used,
                found: c.scenes.len(),
            });
        }
    }
    out
}

/// Share of the observed land with implausible reflectance before a warning (1 %).
const IMPLAUSIBLE_WARN_SHARE: f64 = 0.01;

/// The smallest window holding every non-empty window.
fn union(ws: impl Iterator<Item = Window>) -> Window {
    ws.filter(|w| !w.is_empty())
        .reduce(|a, b| a.bounding(&b))
        .unwrap_or(Window {
            col_off: 0,
            row_off: 0,
            width: 0,
            height: 0,
        })
}

fn grow(w: Window, m: usize, im: &Imagery) -> Window {
    let c0 = w.col_off.saturating_sub(m);
    let r0 = w.row_off.saturating_sub(m);
    let c1 = (w.col_off + w.width + m).min(im.grid.width);
    let r1 = (w.row_off + w.height + m).min(im.grid.height);
    Window {
        col_off: c0,
        row_off: r0,
        width: c1 - c0,
        height: r1 - r0,
    }
}

/// SHA-256 of a file, hex (moved to [`super::checksum`]).
pub use super::checksum::sha256_file;

/// Reads a previous audit: its summary, and its imagery when it lies on this
/// year's grid (for cell-by-cell change). Works from any working directory: the
/// folder is resolved, and an imagery path its `summary.json` records is taken as
/// recorded (absolute), else relative to the summary's folder (`path_relative`).
fn load_previous(
    dir: &Path,
    current: &Imagery,
    limits: &Limits,
) -> Result<(Summary, Option<Imagery>, PathBuf), AuditError> {
    let dir = &crate::output::resolve(dir);
    let perr = |detail: String| AuditError::Previous {
        dir: dir.to_path_buf(),
        detail,
    };
    let file = crate::report::read_summary_file(dir)?;
    let json_path = dir.join(crate::report::SUMMARY_FILE);
    let cfg_text = &file.provenance.config_toml;
    if cfg_text.trim().is_empty() {
        return Err(perr(
            "summary.json has no provenance.config_toml; was it written by reclaim?".into(),
        ));
    }
    let summary = file.summary;
    let mut prev_cfg = AuditConfig::from_toml(cfg_text, &json_path)?;
    let im = &mut prev_cfg.imagery;
    for (key, p) in [
        ("[imagery] path", &mut im.path),
        ("[imagery] red_path", &mut im.red_path),
        ("[imagery] nir_path", &mut im.nir_path),
        ("[imagery] mask_path", &mut im.mask_path),
    ] {
        let Some(p) = p else { continue };
        if p.exists() {
            continue;
        }
        let relative = file
            .provenance
            .inputs
            .iter()
            .find(|i| i.path == *p)
            .and_then(|i| i.path_relative.as_ref())
            .map(|r| dir.join(r));
        match relative {
            Some(r) if r.exists() => *p = r,
            relative => {
                return Err(AuditError::PreviousInputMissing {
                    summary: json_path,
                    key,
                    recorded: p.clone(),
                    relative,
                })
            }
        }
    }
    let prev_year = Date::parse(&prev_cfg.audit_date)
        .map(|d| d.year)
        .map_err(|e| perr(format!("its audit_date: {e}")))?;
    let prev_imagery = Imagery::open(&prev_cfg.imagery, limits, prev_year)?;
    if !grids_match(current, &prev_imagery) {
        return Err(perr(format!(
            "its imagery {} is not on this year's grid ({}); change needs both years on one grid — resample one onto the other",
            prev_imagery.path().display(),
            current.path().display()
        )));
    }
    Ok((summary, Some(prev_imagery), dir.to_path_buf()))
}

/// The county's figures against the plan's baseline.
fn baseline_delta(b: crate::results::Baseline, summary: &Summary) -> BaselineDelta {
    BaselineDelta {
        baseline: b,
        restored_delta_ha: summary.restored_ha - b.restored_ha,
        unrestored_delta_ha: summary.unrestored_ha - b.unrestored_ha,
        unrestored_responsible_delta_ha: summary.unrestored_responsible_ha
            - b.unrestored_responsible_ha,
        unrestored_legacy_delta_ha: summary.unrestored_legacy_ha - b.unrestored_legacy_ha,
    }
}

/// `summary.json`'s `composite` object: the rule, the season and each scene's use
/// and shares over the footprints.
fn composite_summary(
    c: &super::composite::Composite,
    season: Option<Vec<String>>,
    clear_obs_mean: Option<f64>,
    scene_tally: &[super::composite::SceneTally],
) -> crate::results::CompositeSummary {
    crate::results::CompositeSummary {
        rule: c.rule.name().to_string(),
        min_clear: c.min_clear,
        season,
        scenes_used: c.scenes().count(),
        clear_obs_mean,
        scenes: c
            .uses
            .iter()
            .map(|u| crate::results::SceneListing {
                id: u.id.clone(),
                date: u.date.to_string(),
                tile: u.tile.clone(),
                used: u.used,
                reason: u.reason.clone(),
                over_footprints: u
                    .used
                    .then(|| c.scenes().position(|s| s.id == u.id))
                    .flatten()
                    .and_then(|k| scene_tally.get(k))
                    .and_then(|t| {
                        let total: f64 = t.iter().sum();
                        (total > 0.0).then(|| crate::results::FootprintShares {
                            clear: t[4] / total,
                            masked: t[2] / total,
                            missing: (t[0] + t[1] + t[3]) / total,
                        })
                    }),
            })
            .collect(),
    }
}

/// Each piece's geometry in the imagery's CRS (for maps) and in lon/lat (for
/// `orphans.geojson`); a failure names the pits file.
fn piece_geometry(
    att: &attribute::Attribution,
    crs: &Crs,
    pits_path: &Path,
) -> Result<Vec<crate::results::PieceGeometry>, AuditError> {
    let to_lonlat = Transformer::new(
        crs,
        &Crs::from_epsg(4326).map_err(|source| Error::Crs {
            path: pits_path.to_path_buf(),
            source,
        })?,
    )
    .map_err(|source| Error::Crs {
        path: pits_path.to_path_buf(),
        source,
    })?;
    att.pieces
        .par_iter()
        .map(|p| {
            Ok(crate::results::PieceGeometry {
                lonlat: to_lonlat
                    .transform_multipolygon(&p.geometry)
                    .map_err(|source| Error::Crs {
                        path: pits_path.to_path_buf(),
                        source,
                    })?,
                raster_crs: p.geometry.clone(),
            })
        })
        .collect::<Result<Vec<_>, AuditError>>()
}

/// The maps to paint: the county's window, then one per licence with land (its
/// pieces and its boundary, with a margin); the ids of those licences; and every
/// licence's boundary.
#[allow(clippy::type_complexity)]
fn map_canvases(
    att: &attribute::Attribution,
    coverages: &[Coverage],
    licences: &[attribute::Licence],
    imagery: &Imagery,
) -> (
    Vec<super::measure::MapSpec>,
    Vec<String>,
    Vec<(String, geo::MultiPolygon<f64>)>,
) {
    let mut canvases = vec![(union(coverages.iter().map(|c| c.window)), COUNTY_MAP_PX)];
    let mut mine_ids = Vec::new();
    let mut licence_geometry = Vec::new();
    for l in licences {
        let w = union(att.pieces.iter().zip(coverages).filter_map(
            |(p, c)| match &p.responsibility {
                attribute::Responsibility::Responsible { licence_id, .. }
                    if licence_id == &l.id =>
                {
                    Some(c.window)
                }
                _ => None,
            },
        ));
        if !w.is_empty() {
            // The mine's pieces and its licence: the map shows which pits lie inside
            // the boundary and which beside it (at most MINE_MAP_PX a side).
            let licence_window = crate::plan::footprint_window(&l.geometry, &imagery.grid);
            let w = union([w, licence_window].into_iter());
            canvases.push((grow(w, MINE_MAP_MARGIN, imagery), MINE_MAP_PX));
            mine_ids.push(l.id.clone());
        }
        licence_geometry.push((l.id.clone(), l.geometry.clone()));
    }
    (canvases, mine_ids, licence_geometry)
}

/// `classes.tif` (and `clear_obs.tif`) over the window `w`, written into a scratch
/// folder that waits for the audit folder.
fn class_raster_files(
    imagery: &Imagery,
    w: Window,
    opts: &AuditOptions,
) -> Result<crate::results::RasterFiles, AuditError> {
    let base = opts.scratch_dir.clone().unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::Builder::new()
        .prefix(".reclaim-rasters-")
        .tempdir_in(&base)
        .map_err(|source| Error::Output { path: base, source })?;
    let names = super::rasters::class_rasters(imagery, w, dir.path())?;
    Ok(crate::results::RasterFiles {
        dir: std::sync::Arc::new(dir),
        names,
    })
}

/// Each piece's hectares by class (and change), from the sweep's tables; the part
/// of a piece beyond the raster is unobserved.
fn piece_area_table(
    att: &attribute::Attribution,
    swept: &super::measure::Measured,
    imagery: &Imagery,
    with_change: bool,
) -> Vec<(crate::results::ClassAreas, Option<Change>)> {
    att.pieces
        .iter()
        .zip(&swept.transitions)
        .zip(
            swept
                .causes_m2_by_piece
                .iter()
                .zip(&swept.unmapped_m2_by_piece),
        )
        .enumerate()
        .map(|(i, ((p, t), (causes, unmapped_m2)))| {
            let composite = swept.composite_m2_by_piece.get(i).copied();
            let inside: f64 = t.iter().flatten().sum();
            // The part beyond the raster, in the raster's own cell model (never
            // negative; rounding of equal quantities is not land beyond it).
            let outside = imagery.area.outside_m2(&p.geometry, inside);
            piece_areas(t, outside, causes, *unmapped_m2, composite, with_change)
        })
        .collect()
}

/// Where the figures come from: the inputs' checksums, the configuration as run,
/// the CRS and cell size, the method.
fn provenance(cfg: &AuditConfig, imagery: &Imagery, inputs: Vec<InputFile>) -> Provenance {
    let crs = &imagery.crs;
    let t = imagery.grid.transform;
    Provenance {
        reclaim_version: env!("CARGO_PKG_VERSION").to_string(),
        inputs,
        config_toml: cfg.to_toml(),
        crs: crs
            .epsg
            .map(|c| format!("EPSG:{c}"))
            .unwrap_or_else(|| crs.name.clone()),
        cell_size: (t.dx.abs(), t.dy.abs()),
        method: Some(cfg.method(crs.is_geographic())),
    }
}

/// The county figures only the sweep knows: land over unmapped values (and which
/// values), and land with implausible reflectance.
fn add_sweep_figures(summary: &mut Summary, swept: &super::measure::Measured) {
    summary.unmapped_ha = swept.unmapped_m2 / 10_000.0;
    // Summed in piece order, as a merge of shards sums them.
    summary.implausible_reflectance_ha = swept
        .causes_m2_by_piece
        .iter()
        .map(|c| c[IMPLAUSIBLE_SLOT])
        .sum::<f64>()
        / 10_000.0;
    summary.unmapped_values = swept
        .unmapped
        .keys()
        .map(|k| format_value(f64::from_bits(*k)))
        .collect();
}
