//! The page's shared state ([`Page`]), its limits and its style.

use crate::report::format::esc;
use crate::report::maps::Outline;
pub use crate::report::orphans::ORPHAN_ROWS;
use crate::results::{AuditReport, Responsibility};
use geo::{BoundingRect, Rect};

/// At most this many per-mine maps are drawn (the rest are listed in the table).
pub const MAX_MINE_MAPS: usize = 500;

/// At most this many pit ids are written over a mine's map.
pub(super) const MAX_PIT_LABELS: usize = 40;

/// Hex digits of a checksum shown in the provenance footnote.
pub(super) const SHA_PREFIX: usize = 16;

pub(super) const STYLE: &str = include_str!("style.css");

/// A bilingual label: English, then Chinese in muted type.
pub(super) fn label(en: &str, zh: &str) -> String {
    format!("{}<span class=\"zh\">{}</span>", esc(en), esc(zh))
}

/// A county table row: CSS class, label, now, baseline, previous, and whether an
/// increase is good (`None`: neutral).
pub(super) type CountyRow = (
    &'static str,
    String,
    f64,
    Option<f64>,
    Option<f64>,
    Option<bool>,
);

/// The report and what every section needs from it.
pub(super) struct Page<'a> {
    pub(super) r: &'a AuditReport,
    pub(super) geographic: bool,
    /// Bounding box of each piece in the raster CRS (parallel to `piece_geometry`).
    pub(super) bounds: Vec<Option<Rect<f64>>>,
}

impl<'a> Page<'a> {
    pub(super) fn new(r: &'a AuditReport) -> Page<'a> {
        Page {
            r,
            geographic: r.provenance.method.as_ref().map_or_else(
                || {
                    crate::crs::Crs::from_user_string(&r.provenance.crs)
                        .is_ok_and(|c| c.is_geographic())
                },
                |m| m.geographic,
            ),
            bounds: r
                .piece_geometry
                .iter()
                .map(|g| g.raster_crs.bounding_rect())
                .collect(),
        }
    }

    /// True when piece `i` is historical legacy.
    pub(super) fn is_legacy(&self, i: usize) -> bool {
        self.r
            .pieces
            .get(i)
            .is_some_and(|p| matches!(p.responsibility, Responsibility::Legacy))
    }

    /// Outlines of the pieces whose box meets `bbox`.
    pub(super) fn outlines(&self, bbox: (f64, f64, f64, f64)) -> Vec<Outline<'a>> {
        let (xmin, ymin, xmax, ymax) = bbox;
        self.r
            .piece_geometry
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                self.bounds.get(*i).copied().flatten().is_some_and(|b| {
                    b.min().x <= xmax && b.max().x >= xmin && b.min().y <= ymax && b.max().y >= ymin
                })
            })
            .map(|(i, g)| Outline {
                geometry: &g.raster_crs,
                legacy: self.is_legacy(i),
            })
            .collect()
    }

    /// One label per pit on a map of extent `bbox`: its id at an interior point of
    /// its largest piece there (at most [`MAX_PIT_LABELS`], largest pits first).
    pub(super) fn pit_labels(
        &self,
        bbox: (f64, f64, f64, f64),
    ) -> Vec<(f64, f64, String, &'static str)> {
        let (xmin, ymin, xmax, ymax) = bbox;
        let mut best: std::collections::BTreeMap<&str, (f64, usize)> = Default::default();
        for (i, p) in self.r.pieces.iter().enumerate() {
            let inside = self.bounds.get(i).copied().flatten().is_some_and(|b| {
                b.min().x <= xmax && b.max().x >= xmin && b.min().y <= ymax && b.max().y >= ymin
            });
            if !inside {
                continue;
            }
            let a = p.areas.total_ha();
            let e = best.entry(p.pit_id.as_str()).or_insert((a, i));
            if a > e.0 {
                *e = (a, i);
            }
        }
        let mut picked: Vec<(f64, usize, &str)> =
            best.into_iter().map(|(id, (a, i))| (a, i, id)).collect();
        picked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(b.2)));
        picked
            .into_iter()
            .take(MAX_PIT_LABELS)
            .filter_map(|(_, i, id)| {
                let g = &self.r.piece_geometry.get(i)?.raster_crs;
                let p = geo::InteriorPoint::interior_point(g)?;
                Some((p.x(), p.y(), id.to_string(), "pit"))
            })
            .collect()
    }
}
