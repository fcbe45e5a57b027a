//! The figures an exact audit must find, computed from the construction alone: cell
//! counts for restored and water land (whole cells inside one pit and one piece) and
//! polygon areas (shoelace, and Sutherland–Hodgman clips by licence and cell
//! rectangles) for footprints, licensed land and clouded land. The audit is never run.

use crate::geom::Rect;
use crate::grid::{cell_rect, centre, CELL_AREA};
use crate::layout::{area_in_union, Layout};
use serde::Serialize;
use std::collections::BTreeMap;

/// Square metres per hectare.
const M2_PER_HA: f64 = 10_000.0;

/// County figures of one year, hectares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Figures {
    /// Vegetated land in footprints.
    pub restored_ha: f64,
    /// Bare land in footprints.
    pub unrestored_ha: f64,
    /// Bare land under a liable licence.
    pub unrestored_responsible_ha: f64,
    /// Bare land under no liable licence (historical legacy).
    pub unrestored_legacy_ha: f64,
    /// Open water in footprints.
    pub water_ha: f64,
    /// Cloud, shadow or nodata in footprints.
    pub unobserved_ha: f64,
    /// Footprint area, overlaps counted once.
    pub footprint_ha: f64,
    /// Footprint land under a liable licence, any class.
    pub responsible_land_ha: f64,
    /// Footprint land under no liable licence, any class.
    pub legacy_land_ha: f64,
}

/// One pit's figures (its counted land: land of a smaller-id pit removed), hectares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PitFigures {
    /// 图斑编号.
    pub id: String,
    /// The polygon's own area.
    pub polygon_ha: f64,
    /// Counted area.
    pub counted_ha: f64,
    /// Restored.
    pub restored_ha: f64,
    /// Unrestored.
    pub unrestored_ha: f64,
    /// Water.
    pub water_ha: f64,
    /// Unobserved.
    pub unobserved_ha: f64,
    /// Counted land under a liable licence.
    pub responsible_land_ha: f64,
}

/// One licence's attributed land (overlaps go to the higher-priority licence), hectares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LicenceFigures {
    /// 许可证号.
    pub id: String,
    /// 矿山名称.
    pub name: String,
    /// 状态.
    pub status: String,
    /// Whether the licence is liable.
    pub liable: bool,
    /// Land attributed (0 when not liable).
    pub land_ha: f64,
    /// Restored land attributed.
    pub restored_ha: f64,
    /// Unrestored land attributed.
    pub unrestored_ha: f64,
    /// Water attributed.
    pub water_ha: f64,
    /// Unobserved land attributed.
    pub unobserved_ha: f64,
}

/// Everything expected of one year's audit.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct YearExpected {
    /// 2020 or 2024.
    pub year: i32,
    /// The configuration's audit date.
    pub audit_date: String,
    /// County totals.
    pub county: Figures,
    /// Per pit, in id order.
    pub pits: Vec<PitFigures>,
    /// Per licence, in table order.
    pub licences: Vec<LicenceFigures>,
    /// Area shared by the overlapping pits (counted once).
    pub overlap_ha: f64,
}

/// Index of each liable licence in priority order: 有效 first, then the latest
/// valid-to date, then the smallest licence number (the audit's rule).
pub fn priority(layout: &Layout) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..layout.licences.len())
        .filter(|&i| layout.licences[i].liable)
        .collect();
    idx.sort_by(|&a, &b| {
        let (la, lb) = (&layout.licences[a], &layout.licences[b]);
        (la.fact.status != "有效")
            .cmp(&(lb.fact.status != "有效"))
            .then(lb.fact.valid_to.cmp(la.fact.valid_to))
            .then(la.id.cmp(&lb.id))
    });
    idx
}

/// The expected figures of year `y` (0 = 2020, 1 = 2024).
pub fn expected(layout: &Layout, y: usize) -> YearExpected {
    let unobs: BTreeMap<usize, u8> = if y == 1 {
        layout.unobserved_2024.iter().copied().collect()
    } else {
        BTreeMap::new()
    };
    let liable = layout.liable_rects();
    let order = priority(layout);
    let mut lic: Vec<LicenceFigures> = layout
        .licences
        .iter()
        .map(|l| LicenceFigures {
            id: l.id.clone(),
            name: l.fact.name.to_string(),
            status: l.fact.status.to_string(),
            liable: l.liable,
            land_ha: 0.0,
            restored_ha: 0.0,
            unrestored_ha: 0.0,
            water_ha: 0.0,
            unobserved_ha: 0.0,
        })
        .collect();
    // Which licence gets the land at a point / in a window: the first in priority.
    let owner_of = |p: (f64, f64)| {
        order
            .iter()
            .copied()
            .find(|&k| layout.licences[k].rect.contains(p))
    };
    let mut county = Figures::default();
    let mut pits = Vec::with_capacity(layout.pits.len());
    for (i, pit) in layout.pits.iter().enumerate() {
        let shape = &pit.shape;
        let counted = layout.counted_area(i);
        let resp_land = area_in_union(shape, None, &liable);
        let observed = |cells: &[usize]| {
            cells.iter().filter(|c| !unobs.contains_key(c)).count() as f64 * CELL_AREA
        };
        let restored = observed(&pit.restored[y]);
        let water = observed(&pit.water[y]);
        let bbox = shape.bbox();
        let clouded: Vec<Rect> = unobs
            .keys()
            .map(|&c| cell_rect(c))
            .filter(|r| r.touches(&bbox))
            .collect();
        // `+ 0.0`: an empty f64 sum is −0.0; reports should say 0.
        let unobserved: f64 = clouded.iter().map(|r| shape.area_in_rect(r)).sum::<f64>() + 0.0;
        let unobserved_resp: f64 = clouded
            .iter()
            .map(|r| area_in_union(shape, Some(r), &liable))
            .sum();
        let (restored_resp, water_resp) = if pit.liable {
            (restored, water)
        } else {
            (0.0, 0.0)
        };
        let unrestored = counted - restored - water - unobserved;
        let unrestored_resp = resp_land - restored_resp - water_resp - unobserved_resp;

        // Per licence, by priority.
        for (rank, &k) in order.iter().enumerate() {
            let rect = layout.licences[k].rect;
            if !rect.touches(&bbox) {
                continue;
            }
            let higher: Vec<Rect> = order[..rank]
                .iter()
                .map(|&h| layout.licences[h].rect)
                .collect();
            let piece = |w: &Rect| match w.intersect(&rect) {
                Some(x) => shape.area_in_rect(&x) - area_in_union(shape, Some(&x), &higher),
                None => 0.0,
            };
            let land = piece(&bbox.grow(1.0));
            let unob: f64 = clouded.iter().map(&piece).sum();
            let count = |cells: &[usize]| {
                cells
                    .iter()
                    .filter(|c| !unobs.contains_key(c) && owner_of(centre(**c)) == Some(k))
                    .count() as f64
                    * CELL_AREA
            };
            let (r, w) = (count(&pit.restored[y]), count(&pit.water[y]));
            let f = &mut lic[k];
            f.land_ha += land / M2_PER_HA;
            f.restored_ha += r / M2_PER_HA;
            f.water_ha += w / M2_PER_HA;
            f.unobserved_ha += unob / M2_PER_HA;
            f.unrestored_ha += (land - r - w - unob) / M2_PER_HA;
        }

        county.restored_ha += restored;
        county.unrestored_ha += unrestored;
        county.unrestored_responsible_ha += unrestored_resp;
        county.water_ha += water;
        county.unobserved_ha += unobserved;
        county.footprint_ha += counted;
        county.responsible_land_ha += resp_land;
        pits.push(PitFigures {
            id: pit.id.clone(),
            polygon_ha: shape.area() / M2_PER_HA,
            counted_ha: counted / M2_PER_HA,
            restored_ha: restored / M2_PER_HA,
            unrestored_ha: unrestored / M2_PER_HA,
            water_ha: water / M2_PER_HA,
            unobserved_ha: unobserved / M2_PER_HA,
            responsible_land_ha: resp_land / M2_PER_HA,
        });
    }
    county.unrestored_legacy_ha = county.unrestored_ha - county.unrestored_responsible_ha;
    county.legacy_land_ha = county.footprint_ha - county.responsible_land_ha;
    let to_ha = |v: &mut f64| *v /= M2_PER_HA;
    for v in [
        &mut county.restored_ha,
        &mut county.unrestored_ha,
        &mut county.unrestored_responsible_ha,
        &mut county.unrestored_legacy_ha,
        &mut county.water_ha,
        &mut county.unobserved_ha,
        &mut county.footprint_ha,
        &mut county.responsible_land_ha,
        &mut county.legacy_land_ha,
    ] {
        to_ha(v);
    }
    YearExpected {
        year: if y == 0 { 2020 } else { 2024 },
        audit_date: if y == 0 {
            "2020-12-31".into()
        } else {
            "2024-12-31".into()
        },
        county,
        pits,
        licences: lic,
        overlap_ha: layout.overlap_area() / M2_PER_HA,
    }
}
