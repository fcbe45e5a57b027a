//! One audit, end to end: configuration → footprints and licences in the imagery's
//! CRS → pieces → exact areas by class (and change since the previous audit) →
//! the report, written atomically.

use super::aggregate::{aggregate, piece_areas, LicenceMeta, PitMeta};
use super::checksum::ChecksumCache;
use super::config::{AuditConfig, LimitsConfig};
use super::error::AuditError;
use super::imagery::{grids_match, Imagery};
use super::model::{AuditReport, BaselineDelta, Change, InputFile, Previous, Provenance, Summary};
use super::shard::{Measure, OneShot};
use super::sweep::sweep_with;
use crate::attribute::{self, Date, LiabilityRule, Licence, Pit};
use crate::coverage::{self, Coverage};
use crate::crs::{Crs, Transformer};
use crate::error::Error;
use crate::footprints;
use crate::grid::Window;
use crate::raster::Limits;
use crate::vector::{self, Layer, ReadOptions};
use crate::zonal::format_value;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Options of an audit beyond its configuration file.
#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    /// An earlier audit's output folder, for the change report.
    pub previous: Option<PathBuf>,
    /// Raster allocation limits.
    pub limits: Limits,
    /// Called as raster blocks are done (the CLI's progress bar).
    pub progress: Option<crate::progress::Progress>,
    /// Where input checksums are reused while a file is unchanged (default:
    /// disabled, every input hashed; the CLI uses [`ChecksumCache::from_environment`]).
    pub checksum_cache: ChecksumCache,
}

/// Longer side of the county map, pixels.
const COUNTY_MAP_PX: usize = 900;
/// Longer side of a mine map, pixels (before the report upscales it).
const MINE_MAP_PX: usize = 400;
/// Margin around a mine's land on its map, cells.
const MINE_MAP_MARGIN: usize = 10;

/// Runs one audit and returns its report (nothing is written).
///
/// # Errors
/// Any input problem, as an [`AuditError`] naming the file, the feature and the fix.
pub fn run(cfg: &AuditConfig, opts: &AuditOptions) -> Result<AuditReport, AuditError> {
    run_with(cfg, opts, &mut OneShot)
}

/// [`run`] with its measuring step supplied: one sweep ([`OneShot`]), one shard's
/// sweep, or a merge of shards' results (see [`super::shard`], [`super::merge`]).
pub(crate) fn run_with(
    cfg: &AuditConfig,
    opts: &AuditOptions,
    measure: &mut dyn Measure,
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
    let imagery = Imagery::open(&cfg.imagery, &raster_limits)?;
    let crs = imagery.crs.clone();

    // Checksums of every input (provenance) read whole files: start them on their
    // own thread at once, so they run beside the vector reading and the block pass.
    let mut files = imagery.files.clone();
    files.extend(sidecars("pits", &cfg.pits.path));
    files.extend(sidecars("licenses", &cfg.licenses.path));
    let cache = opts.checksum_cache.clone();
    let hashing = std::thread::spawn(move || {
        files
            .into_iter()
            .map(|(role, path)| {
                Ok(InputFile {
                    sha256: cache.sha256(&path)?,
                    role,
                    path,
                })
            })
            .collect::<Result<Vec<_>, AuditError>>()
    });

    // Footprints and licences, in the imagery's CRS.
    let mut pits_layer = read(
        &cfg.pits.path,
        cfg.pits.encoding.as_deref(),
        cfg.pits.repair_geometry,
        cfg.limits.as_ref(),
    )?;
    // Every configured field at once, and a CRS; fields matched ignoring case warn.
    let mut field_warnings = cfg.pits.check_layer(&mut pits_layer)?;
    let pit_zones = footprints::zones_in_crs(
        &pits_layer,
        &cfg.pits.id_field,
        user_crs(cfg.pits.crs.as_deref(), &cfg.pits.path)?.as_ref(),
        &crs,
    )?;
    let mut pits = Vec::with_capacity(pit_zones.len());
    let mut pit_meta = Vec::with_capacity(pit_zones.len());
    for (f, z) in pits_layer.features.iter().zip(pit_zones) {
        if z.id.trim().is_empty() {
            return Err(AuditError::EmptyField {
                path: cfg.pits.path.clone(),
                feature: f.index,
                field: cfg.pits.id_field.clone(),
            });
        }
        pit_meta.push(PitMeta {
            kind: text(f, cfg.pits.kind_field.as_deref()),
            town: text(f, cfg.pits.town_field.as_deref()),
        });
        pits.push(Pit {
            id: z.id,
            geometry: z.geometry,
        });
    }

    let lc = &cfg.licenses;
    let mut lic_layer = read(
        &lc.path,
        lc.encoding.as_deref(),
        lc.repair_geometry,
        cfg.limits.as_ref(),
    )?;
    field_warnings.extend(lc.check_layer(&mut lic_layer)?);
    let lic_zones = footprints::zones_in_crs(
        &lic_layer,
        &lc.id_field,
        user_crs(lc.crs.as_deref(), &lc.path)?.as_ref(),
        &crs,
    )?;
    let rule = LiabilityRule::with_statuses(lc.liable_statuses.iter().cloned());
    let mut licences = Vec::with_capacity(lic_zones.len());
    let mut lic_meta = Vec::with_capacity(lic_zones.len());
    for (f, z) in lic_layer.features.iter().zip(lic_zones) {
        if z.id.trim().is_empty() {
            return Err(AuditError::EmptyField {
                path: lc.path.clone(),
                feature: f.index,
                field: lc.id_field.clone(),
            });
        }
        let valid_to_text = text(f, Some(&lc.valid_to_field));
        let valid_to = match &valid_to_text {
            Some(t) => Date::parse_optional(&z.id, t).map_err(|source| AuditError::Attribute {
                path: lc.path.clone(),
                source,
            })?,
            None => None,
        };
        let l = Licence {
            id: z.id.clone(),
            holder: text(f, Some(&lc.holder_field)),
            status: text(f, Some(&lc.status_field)).unwrap_or_default(),
            valid_to,
            geometry: z.geometry,
        };
        lic_meta.push(LicenceMeta {
            id: z.id,
            holder: l.holder.clone(),
            name: text(f, lc.name_field.as_deref()),
            mineral: text(f, lc.mineral_field.as_deref()),
            status: l.status.clone(),
            valid_to: valid_to.map(|d| d.to_string()).or(valid_to_text),
            liable: rule.is_liable(&l),
        });
        licences.push(l);
    }

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
    let mut canvases = vec![(union(coverages.iter().map(|c| c.window)), COUNTY_MAP_PX)];
    let mut mine_ids = Vec::new();
    let mut licence_geometry = Vec::new();
    for l in &licences {
        let w = union(att.pieces.iter().zip(&coverages).filter_map(
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
            canvases.push((grow(w, MINE_MAP_MARGIN, &imagery), MINE_MAP_PX));
            mine_ids.push(l.id.clone());
            licence_geometry.push((l.id.clone(), l.geometry.clone()));
        }
    }

    let swept = measure.measure(
        &att,
        coverages,
        canvases,
        &imagery.grid,
        &mut |coverages, canvases| {
            sweep_with(
                &imagery,
                previous.as_ref().and_then(|p| p.1.as_ref()),
                coverages,
                canvases,
                opts.progress.as_ref(),
            )
        },
    )?;

    // Per piece: over the raster from the sweep; beyond it, unobserved.
    let with_change = previous.is_some();
    let areas: Vec<_> = att
        .pieces
        .iter()
        .zip(&swept.transitions)
        .map(|(p, t)| {
            let inside: f64 = t.iter().flatten().sum();
            let outside = (imagery.area.polygon_m2(&p.geometry) - inside).max(0.0);
            // Rounding of equal quantities is not land beyond the raster.
            let outside = if outside <= 1e-9 * inside.max(1.0) {
                0.0
            } else {
                outside
            };
            piece_areas(t, outside, with_change)
        })
        .collect();
    let pit_ids: Vec<String> = pits.iter().map(|p| p.id.clone()).collect();
    let agg = aggregate(
        &cfg.audit_date,
        &att,
        &pit_ids,
        &pit_meta,
        &lic_meta,
        &areas,
    );
    let mut summary = agg.summary;
    summary.audit_date = audit_date.to_string();
    summary.unmapped_ha = swept.unmapped_m2 / 10_000.0;
    summary.unmapped_values = swept
        .unmapped
        .keys()
        .map(|k| format_value(f64::from_bits(*k)))
        .collect();

    // Geometry for maps and orphans.geojson.
    let to_lonlat = Transformer::new(
        &crs,
        &Crs::from_epsg(4326).map_err(|source| Error::Crs {
            path: cfg.pits.path.clone(),
            source,
        })?,
    )
    .map_err(|source| Error::Crs {
        path: cfg.pits.path.clone(),
        source,
    })?;
    let piece_geometry = att
        .pieces
        .par_iter()
        .map(|p| {
            Ok(super::model::PieceGeometry {
                lonlat: to_lonlat
                    .transform_multipolygon(&p.geometry)
                    .map_err(|source| Error::Crs {
                        path: cfg.pits.path.clone(),
                        source,
                    })?,
                raster_crs: p.geometry.clone(),
            })
        })
        .collect::<Result<Vec<_>, AuditError>>()?;

    let mut maps = swept.maps.into_iter();
    let county_map = maps.next().unwrap_or(super::model::ClassMap {
        width: 0,
        height: 0,
        bbox: (0.0, 0.0, 0.0, 0.0),
        cells: vec![],
    });
    let mine_maps = mine_ids.into_iter().zip(maps).collect();

    let baseline = cfg.baseline.map(|b| BaselineDelta {
        baseline: b,
        restored_delta_ha: summary.restored_ha - b.restored_ha,
        unrestored_delta_ha: summary.unrestored_ha - b.unrestored_ha,
        unrestored_responsible_delta_ha: summary.unrestored_responsible_ha
            - b.unrestored_responsible_ha,
        unrestored_legacy_delta_ha: summary.unrestored_legacy_ha - b.unrestored_legacy_ha,
    });
    let previous = previous.map(|(prev_summary, _, dir)| Previous {
        dir,
        change: agg.county_change.unwrap_or(Change {
            restored_before_ha: prev_summary.restored_ha,
            unrestored_before_ha: prev_summary.unrestored_ha,
            ..Change::default()
        }),
        summary: prev_summary,
    });

    let inputs = hashing.join().map_err(|_| AuditError::Reconciliation {
        detail: "the input-checksum thread stopped unexpectedly".into(),
    })??;
    let t = imagery.grid.transform;
    let provenance = Provenance {
        reclaim_version: env!("CARGO_PKG_VERSION").to_string(),
        inputs,
        config_toml: cfg.to_toml(),
        crs: crs
            .epsg
            .map(|c| format!("EPSG:{c}"))
            .unwrap_or_else(|| crs.name.clone()),
        cell_size: (t.dx.abs(), t.dy.abs()),
    };

    let report = AuditReport {
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
    };
    crate::report::check_reconciliation(&report)?;
    Ok(report)
}

/// Writes `report` into `out` atomically: into a temporary sibling folder first,
/// then swapped into place; on failure nothing (or the old folder) remains.
pub fn write(report: &AuditReport, out: &Path) -> Result<(), AuditError> {
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
    if let Err(e) = crate::report::write_all(&tmp, report) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e.into());
    }
    let old = crate::output::temp_sibling(&out.with_extension("old"));
    if out.exists() {
        std::fs::rename(out, &old).map_err(|e| io(out, e))?;
    }
    if let Err(e) = std::fs::rename(&tmp, out) {
        // Put the old output back.
        let _ = std::fs::rename(&old, out);
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(io(out, e));
    }
    let _ = std::fs::remove_dir_all(&old);
    Ok(())
}

fn read(
    path: &Path,
    encoding: Option<&str>,
    repair: bool,
    limits: Option<&LimitsConfig>,
) -> Result<Layer, AuditError> {
    let base = ReadOptions {
        encoding: encoding.map(str::to_string),
        repair,
        ..ReadOptions::default()
    };
    let opts = match limits {
        Some(l) => l.vector(base),
        None => base,
    };
    Ok(vector::read_layer(path, &opts).map_err(Error::from)?)
}

fn user_crs(s: Option<&str>, path: &Path) -> Result<Option<Crs>, AuditError> {
    s.map(|v| {
        Crs::from_user_string(v).map_err(|source| {
            AuditError::from(Error::Crs {
                path: path.to_path_buf(),
                source,
            })
        })
    })
    .transpose()
}

fn text(f: &vector::Feature, field: Option<&str>) -> Option<String> {
    let t = f.get(field?)?.as_text()?;
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

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

/// A vector file and its sidecars (.shx .dbf .prj .cpg) that exist.
fn sidecars(role: &str, path: &Path) -> Vec<(String, PathBuf)> {
    let mut v = vec![(role.to_string(), path.to_path_buf())];
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"))
    {
        for ext in ["shx", "dbf", "prj", "cpg"] {
            let p = path.with_extension(ext);
            if p.exists() {
                v.push((format!("{role}.{ext}"), p));
            }
        }
    }
    v
}

/// SHA-256 of a file, hex (moved to [`super::checksum`]).
pub use super::checksum::sha256_file;

/// Reads a previous audit: its summary, and its imagery when it lies on this
/// year's grid (for cell-by-cell change).
fn load_previous(
    dir: &Path,
    current: &Imagery,
    limits: &Limits,
) -> Result<(Summary, Option<Imagery>, PathBuf), AuditError> {
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
    let prev_cfg = AuditConfig::from_toml(cfg_text, &json_path)?;
    let prev_imagery = Imagery::open(&prev_cfg.imagery, limits)?;
    if !grids_match(current, &prev_imagery) {
        return Err(perr(format!(
            "its imagery {} is not on this year's grid ({}); change needs both years on one grid — resample one onto the other",
            prev_imagery.path().display(),
            current.path().display()
        )));
    }
    Ok((summary, Some(prev_imagery), dir.to_path_buf()))
}
