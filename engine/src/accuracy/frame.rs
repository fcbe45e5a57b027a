//! The sampling frame of an audit: every cell of its footprints, with its map class
//! (from the audit's `classes.tif`) and the area of it each stratum holds.
//!
//! The audit folder's `summary.json` records the configuration as run; its pits
//! (and licences, for strata by responsibility) are read again and cut into the
//! same pieces, whose exact coverage over the grid of `classes.tif` gives every cell's
//! covered area. Unobserved cells are not in the frame: the estimates describe the
//! observed land, as the audit's restored / unrestored / water figures do. The frame's
//! class areas are checked against `summary.json`, so a frame that no longer matches
//! its audit (inputs changed, a `classes.tif` of another run) is refused.

use super::error::AccuracyError;
use crate::area::AreaModel;
use crate::attribute::{self, Pit, Responsibility};
use crate::audit::rasters::CLASSES_FILE;
use crate::audit::{AuditConfig, AuditError, LandClass};
use crate::crs::{Crs, Transformer};
use crate::grid::Grid;
use crate::raster::{BandBuffer, GeoTiff};
use geo::MultiPolygon;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The map classes of an audit that are strata (unobserved land is not sampled).
pub const MAP_CLASSES: [LandClass; 3] =
    [LandClass::Restored, LandClass::Unrestored, LandClass::Water];

/// A class's name as written in files (`restored`, `unrestored`, `water`).
pub fn class_name(c: LandClass) -> &'static str {
    match c {
        LandClass::Restored => "restored",
        LandClass::Unrestored => "unrestored",
        LandClass::Water => "water",
        LandClass::Unobserved => "unobserved",
    }
}

/// One stratum of the frame.
#[derive(Debug, Clone)]
pub struct FrameStratum {
    /// `restored`, or `restored/legacy` with strata by responsibility.
    pub name: String,
    /// Its map class.
    pub class: LandClass,
    /// `responsible`, `legacy`, or `None` without strata by responsibility.
    pub responsibility: Option<&'static str>,
    /// Cells (`row × width + col` of the grid), increasing.
    pub cells: Vec<u64>,
    /// The stratum's area in each cell, m².
    pub weights: Vec<f64>,
    /// Its area, ha.
    pub area_ha: f64,
}

/// The sampling frame of an audit.
#[derive(Debug, Clone)]
pub struct Frame {
    /// The audit folder.
    pub dir: PathBuf,
    /// The grid of `classes.tif` (a window of the imagery grid).
    pub grid: Grid,
    /// The project CRS.
    pub crs: Crs,
    /// The strata, by class then responsibility; strata without land are left out.
    pub strata: Vec<FrameStratum>,
    /// The strata each cell has land in.
    index: HashMap<u64, Vec<usize>>,
}

impl Frame {
    /// The cell holding the point (`x`, `y`) of the project CRS, if on the grid.
    pub fn cell_at(&self, x: f64, y: f64) -> Option<u64> {
        let t = &self.grid.transform;
        let (col, row) = ((x - t.x0) / t.dx, (y - t.y0) / t.dy);
        (col >= 0.0
            && row >= 0.0
            && (col as usize) < self.grid.width
            && (row as usize) < self.grid.height)
            .then(|| row as u64 * self.grid.width as u64 + col as u64)
    }

    /// The strata a cell has land in.
    pub fn strata_of(&self, cell: u64) -> &[usize] {
        self.index.get(&cell).map(Vec::as_slice).unwrap_or(&[])
    }

    /// The centre of a cell in the project CRS.
    pub fn centre(&self, cell: u64) -> (f64, f64) {
        let w = self.grid.width as u64;
        let (col, row) = ((cell % w) as f64 + 0.5, (cell / w) as f64 + 0.5);
        self.grid.transform.apply(col, row)
    }

    /// The first map class whose land in the frame differs from the audit's figure
    /// (`audit_ha` of restored, unrestored and water, in that order) by more than
    /// 10⁻⁴ ha: (class, frame ha, audit ha).
    pub fn mismatch(&self, audit_ha: [f64; 3]) -> Option<(&'static str, f64, f64)> {
        MAP_CLASSES
            .iter()
            .zip(audit_ha)
            .find_map(|(&class, audit_ha)| {
                let frame_ha: f64 = self
                    .strata
                    .iter()
                    .filter(|t| t.class == class)
                    .map(|t| t.area_ha)
                    .sum();
                ((frame_ha - audit_ha).abs() > 1e-4 + 1e-6 * audit_ha.abs()).then_some((
                    class_name(class),
                    frame_ha,
                    audit_ha,
                ))
            })
    }

    /// A transformer from the project CRS to longitude / latitude (WGS 84).
    ///
    /// # Errors
    /// [`AccuracyError::Engine`] when the CRS cannot be transformed.
    pub fn to_lonlat(&self) -> Result<Transformer, AccuracyError> {
        let crs_err = |source| {
            Box::new(crate::Error::Crs {
                path: self.dir.clone(),
                source,
            })
        };
        let wgs84 = Crs::from_epsg(4326).map_err(crs_err)?;
        Transformer::new(&self.crs, &wgs84).map_err(|s| AccuracyError::Engine(crs_err(s)))
    }
}

/// Builds the frame of the audit folder `dir`; with `by_responsibility`, each class
/// is split into responsible and legacy land.
///
/// # Errors
/// [`AccuracyError::NotAnAudit`], [`AccuracyError::NoClassesTif`] (with the fix),
/// [`AccuracyError::Audit`] re-reading the pits or licences,
/// [`AccuracyError::NoLicences`], [`AccuracyError::FrameMismatch`].
pub fn frame(dir: &Path, by_responsibility: bool) -> Result<Frame, AccuracyError> {
    let summary =
        crate::report::read_summary_file(dir).map_err(|source| AccuracyError::NotAnAudit {
            dir: dir.to_path_buf(),
            source,
        })?;
    let tif = dir.join(CLASSES_FILE);
    if !tif.is_file() {
        return Err(AccuracyError::NoClassesTif {
            dir: dir.to_path_buf(),
        });
    }
    let audit = |source: AuditError| AccuracyError::Audit {
        dir: dir.to_path_buf(),
        source: Box::new(source),
    };
    let cfg = AuditConfig::from_toml(&summary.provenance.config_toml, &dir.join("summary.json"))
        .map_err(|e| audit(AuditError::from(e)))?;
    let crs = Crs::from_user_string(&summary.provenance.crs).map_err(|source| {
        AccuracyError::Engine(Box::new(crate::Error::Crs {
            path: dir.join("summary.json"),
            source,
        }))
    })?;
    let engine = |e: crate::Error| AccuracyError::Engine(Box::new(e));
    let mut raster = GeoTiff::open(&tif).map_err(|e| engine(e.into()))?;
    let grid = raster.grid();
    let classes = match raster.read_band(1).map_err(|e| engine(e.into()))? {
        BandBuffer::U8(v) => v,
        _ => {
            return Err(AccuracyError::NoClassesTif {
                dir: dir.to_path_buf(),
            })
        }
    };

    // The pieces, as the audit cut them.
    let run = crate::audit::inputs::read(
        &cfg.pits.path,
        cfg.pits.encoding.as_deref(),
        cfg.pits.repair_geometry,
        cfg.limits.as_ref(),
    );
    let mut pits_layer = run.map_err(audit)?;
    cfg.pits.check_layer(&mut pits_layer).map_err(audit)?;
    let pit_crs =
        crate::audit::inputs::user_crs(cfg.pits.crs.as_deref(), &cfg.pits.path).map_err(audit)?;
    let zones =
        crate::footprints::zones_in_crs(&pits_layer, &cfg.pits.id_field, pit_crs.as_ref(), &crs)
            .map_err(engine)?;
    let pits: Vec<Pit> = zones
        .into_iter()
        .map(|z| Pit {
            id: z.id,
            geometry: z.geometry,
        })
        .collect();
    let (licences, rule) = match (&cfg.licenses, by_responsibility) {
        (Some(lc), true) => {
            let mut w = Vec::new();
            let (l, _, rule) =
                crate::audit::inputs::read_licences(lc, cfg.limits.as_ref(), &crs, &mut w)
                    .map_err(audit)?;
            (l, rule)
        }
        _ => (Vec::new(), attribute::LiabilityRule::default()),
    };
    if by_responsibility && licences.is_empty() {
        return Err(AccuracyError::NoLicences {
            dir: dir.to_path_buf(),
        });
    }
    let att = attribute::attribute(&pits, &licences, &rule).map_err(|source| {
        audit(AuditError::Attribute {
            path: cfg.pits.path.clone(),
            source,
        })
    })?;
    let pieces = att.pieces.iter().map(|p| FramePiece {
        pit_id: &p.pit_id,
        geometry: &p.geometry,
        legacy: matches!(p.responsibility, Responsibility::Legacy),
    });
    let frame = build(
        dir,
        grid,
        crs,
        &classes,
        pieces,
        by_responsibility,
        &cfg.pits.path,
    )?;
    // The frame must be the audit's land.
    let s = &summary.summary;
    match frame.mismatch([s.restored_ha, s.unrestored_ha, s.water_ha]) {
        Some((class, frame_ha, audit_ha)) => Err(AccuracyError::FrameMismatch {
            dir: dir.to_path_buf(),
            class,
            frame_ha,
            audit_ha,
        }),
        None => Ok(frame),
    }
}

/// A piece of a pit as the frame needs it: its land, and whether it is legacy.
#[derive(Debug, Clone, Copy)]
pub struct FramePiece<'a> {
    /// The pit the piece belongs to (named in errors).
    pub pit_id: &'a str,
    /// Its exact geometry in the project CRS.
    pub geometry: &'a MultiPolygon<f64>,
    /// True for historical legacy (no liable licence), false for responsible land.
    pub legacy: bool,
}

/// Builds a frame from the pieces and the class raster `classes` (codes of
/// `classes.tif`, row by row over `grid`). `pits` names the footprint file in errors.
///
/// # Errors
/// [`AccuracyError::Audit`] when a piece cannot be laid over the grid.
pub fn build<'a>(
    dir: &Path,
    grid: Grid,
    crs: Crs,
    classes: &[u8],
    pieces: impl Iterator<Item = FramePiece<'a>>,
    by_responsibility: bool,
    pits: &Path,
) -> Result<Frame, AccuracyError> {
    // Covered area per (stratum, cell).
    let area = AreaModel::new(&grid, &crs);
    let keys: Vec<(LandClass, Option<&'static str>)> = MAP_CLASSES
        .iter()
        .flat_map(|&c| {
            let r: Vec<Option<&'static str>> = if by_responsibility {
                vec![Some("responsible"), Some("legacy")]
            } else {
                vec![None]
            };
            r.into_iter().map(move |r| (c, r))
        })
        .collect();
    let mut parts: Vec<Vec<(u64, f64)>> = vec![Vec::new(); keys.len()];
    for p in pieces {
        let bucket = by_responsibility.then_some(if p.legacy { "legacy" } else { "responsible" });
        let cov = crate::coverage::coverage(p.geometry, &grid).map_err(|source| {
            AccuracyError::Audit {
                dir: dir.to_path_buf(),
                source: Box::new(AuditError::Coverage {
                    path: pits.to_path_buf(),
                    pit_id: p.pit_id.to_string(),
                    source,
                }),
            }
        })?;
        for (col, row, frac) in cov.iter() {
            if frac <= 0.0 || col >= grid.width || row >= grid.height {
                continue;
            }
            let cell = row as u64 * grid.width as u64 + col as u64;
            let code = classes.get(cell as usize).copied().unwrap_or(u8::MAX);
            let Some(class) = MAP_CLASSES.iter().copied().find(|c| *c as u8 == code) else {
                continue;
            };
            if let Some(k) = keys.iter().position(|&(c, r)| c == class && r == bucket) {
                parts[k].push((cell, frac * area.cell_m2(row)));
            }
        }
    }
    let mut strata = Vec::new();
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    for ((class, resp), mut cells) in keys.into_iter().zip(parts) {
        cells.sort_by_key(|c| c.0);
        let (mut ids, mut weights) = (Vec::<u64>::new(), Vec::<f64>::new());
        for (cell, w) in cells {
            match ids.last() {
                Some(&last) if last == cell => *weights.last_mut().unwrap_or(&mut 0.0) += w,
                _ => {
                    ids.push(cell);
                    weights.push(w);
                }
            }
        }
        let area_ha = weights.iter().sum::<f64>() / 10_000.0;
        if area_ha <= 0.0 {
            continue;
        }
        for &c in &ids {
            index.entry(c).or_default().push(strata.len());
        }
        strata.push(FrameStratum {
            name: match resp {
                Some(r) => format!("{}/{r}", class_name(class)),
                None => class_name(class).to_string(),
            },
            class,
            responsibility: resp,
            cells: ids,
            weights,
            area_ha,
        });
    }
    Ok(Frame {
        dir: dir.to_path_buf(),
        grid,
        crs,
        strata,
        index,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::GeoTransform;
    use geo::{polygon, MultiPolygon};

    /// A 3 × 2 grid of 10 m cells: restored, unrestored, water / nodata ×3.
    fn grid() -> Grid {
        Grid {
            width: 3,
            height: 2,
            transform: GeoTransform {
                x0: 500_000.0,
                dx: 10.0,
                rx: 0.0,
                y0: 4_000_020.0,
                ry: 0.0,
                dy: -10.0,
            },
        }
    }

    #[test]
    fn a_piece_over_half_cells_weighs_their_covered_area() {
        // The piece covers the top row whole and half of the bottom row (nodata).
        let piece: MultiPolygon<f64> = MultiPolygon::new(vec![polygon![
            (x: 500_000.0, y: 4_000_005.0),
            (x: 500_030.0, y: 4_000_005.0),
            (x: 500_030.0, y: 4_000_020.0),
            (x: 500_000.0, y: 4_000_020.0),
        ]]);
        let classes = [0u8, 1, 2, 255, 255, 255];
        let pieces = [FramePiece {
            pit_id: "P",
            geometry: &piece,
            legacy: true,
        }];
        let crs = Crs::from_epsg(32651).unwrap();
        let f = build(
            Path::new("s.csv"),
            grid(),
            crs.clone(),
            &classes,
            pieces.iter().copied(),
            false,
            Path::new("pits.geojson"),
        )
        .unwrap();
        let names: Vec<&str> = f.strata.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["restored", "unrestored", "water"]);
        for s in &f.strata {
            assert_eq!(s.cells.len(), 1);
            assert!((s.area_ha - 0.01).abs() < 1e-12, "{}", s.area_ha);
        }
        assert_eq!(f.cell_at(500_015.0, 4_000_015.0), Some(1));
        assert_eq!(f.strata_of(1), &[1]);
        assert_eq!(f.strata_of(4), &[] as &[usize]);
        assert_eq!(f.mismatch([0.01, 0.01, 0.01]), None);
        assert_eq!(
            f.mismatch([0.01, 0.02, 0.01]),
            Some(("unrestored", 0.01, 0.02))
        );
        // By responsibility: the legacy piece's land is in the legacy strata.
        let f = build(
            Path::new("s.csv"),
            grid(),
            crs,
            &classes,
            pieces.iter().copied(),
            true,
            Path::new("pits.geojson"),
        )
        .unwrap();
        let names: Vec<&str> = f.strata.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            ["restored/legacy", "unrestored/legacy", "water/legacy"]
        );
    }
}
