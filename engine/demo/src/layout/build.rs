//! [`Layout::build`]: the construction in order (the steps of the [module
//! docs](super)), with the placement of the legacy clusters and the check that pits
//! keep apart.

use super::landscape::{county_ring, river_x};
use super::lattice::{area_in_union, rect_of, snap, yard};
use super::mines::licensed_mines;
use super::pits::{blob_pit, valid};
use super::{broken, pit_plan, Layout, LEGACY_FACTOR, LEGACY_SCALE_MAX, SEED};
use crate::county::{
    BASELINE_LEGACY_M2, BASELINE_RESPONSIBLE_M2, BASELINE_RESTORED_M2, LEGACY, LEGACY_YARD_SW,
    LICENCES, MULTI_PART, OVERLAP_PAIR, RESPONSIBLE_YARD_SW, TOWNS,
};
use crate::error::DemoError;
use crate::geom::{point_in_ring, Pt, Rect, Shape};
use crate::grid::{extent, CELL, CELL_AREA};
use reclaim::rng::{mix, SplitMix64};
use std::f64::consts::PI;

/// A legacy pit's place in its town cluster, before its shape is drawn at the final
/// scale.
struct LegacySpot {
    town: &'static str,
    kind: &'static str,
    area: f64,
    share: f64,
    holes: usize,
    c: Pt,
}

impl Layout {
    /// Builds the county.
    ///
    /// # Errors
    /// [`DemoError::Construction`] if an invariant of the construction fails (a bug).
    pub fn build() -> Result<Layout, DemoError> {
        let county = county_ring();
        let mut rng = SplitMix64::new(SEED);

        // 1. Licensed mines: raw pits, then licence rectangles around them.
        let (mine_pits, licences) = licensed_mines()?;
        let all_rects: Vec<Rect> = licences.iter().map(|l| l.rect).collect();
        let liable_rects: Vec<Rect> = licences
            .iter()
            .filter(|l| l.liable)
            .map(|l| l.rect)
            .collect();

        // 2. Special legacy pits: the overlapping pair and the two-part pit.
        let (pair_town, px, py, pa) = OVERLAP_PAIR;
        let seed_a = mix(SEED ^ 0xA1);
        let raw_a = blob_pit(seed_a, (px, py), pa * 1e4, 0, &[], "pair A")?;
        let east = raw_a.parts[0]
            .outer
            .iter()
            .copied()
            .fold(
                (f64::NEG_INFINITY, 0.0),
                |m, v| if v.0 > m.0 { v } else { m },
            );
        let b_rect = Rect {
            x0: east.0 - 80.0,
            y0: east.1 - 60.0,
            x1: east.0 + 130.0,
            y1: east.1 + 50.0,
        };
        let shape_a = blob_pit(seed_a, (px, py), pa * 1e4, 0, &[b_rect], "pair A")?;
        let shape_b = Shape::single(vec![
            (b_rect.x0, b_rect.y0),
            (b_rect.x1, b_rect.y0),
            (b_rect.x1, b_rect.y1 - 20.0),
            (b_rect.x1 - 40.0, b_rect.y1),
            (b_rect.x0, b_rect.y1),
        ]);
        let (multi_town, mx, my, ma1, ma2) = MULTI_PART;
        let seed_m = mix(SEED ^ 0xB2);
        let part1 = blob_pit(seed_m, (mx - 230.0, my), ma1 * 1e4, 0, &[], "multi")?;
        let part2 = blob_pit(
            seed_m ^ 7,
            (mx + 230.0, my + 40.0),
            ma2 * 1e4,
            0,
            &[],
            "multi",
        )?;
        let shape_m = Shape {
            parts: vec![part1.parts[0].clone(), part2.parts[0].clone()],
        };
        if !valid(&shape_m) {
            return Err(broken("two-part pit parts touch", multi_town));
        }

        // 3. Obstacles for placing the legacy clusters.
        let town_rect = |x: f64, y: f64, r: f64| Rect {
            x0: x - r,
            y0: y - r,
            x1: x + r,
            y1: y + r,
        };
        let mut obstacles: Vec<Rect> = all_rects.iter().map(|r| r.grow(150.0)).collect();
        obstacles.extend(mine_pits.iter().map(|p| p.shape.bbox().grow(150.0)));
        obstacles.extend(TOWNS.iter().map(|t| town_rect(t.x, t.y, t.radius + 60.0)));
        obstacles.push(rect_of(&[&shape_a, &shape_b]).grow(150.0));
        obstacles.push(shape_m.bbox().grow(150.0));
        let (lx, ly) = LEGACY_YARD_SW;
        let legacy_yard_reserve = Rect {
            x0: lx,
            y0: ly,
            x1: lx + 400.0,
            y1: ly + 240.0,
        };
        obstacles.push(legacy_yard_reserve.grow(150.0));
        let (rx, ry) = RESPONSIBLE_YARD_SW;
        let resp_yard_reserve = Rect {
            x0: rx,
            y0: ry,
            x1: rx + 200.0,
            y1: ry + 140.0,
        };
        let inner = extent().grow(-400.0);
        let placeable = |r: &Rect, obstacles: &[Rect]| {
            let corners_in = r
                .ring()
                .iter()
                .all(|&v| point_in_ring(v, &county) && inner.contains(v));
            let mut y = r.y0;
            let mut river_clear = true;
            while y <= r.y1 {
                let xr = river_x(y);
                if xr > r.x0 - 200.0 && xr < r.x1 + 200.0 {
                    river_clear = false;
                    break;
                }
                y += 50.0;
            }
            corners_in && river_clear && !obstacles.iter().any(|o| o.touches(&r.grow(60.0)))
        };
        let towns: Vec<Rect> = TOWNS
            .iter()
            .map(|t| town_rect(t.x, t.y, t.radius + 60.0))
            .collect();
        for p in &mine_pits {
            if !placeable(&p.shape.bbox(), &towns) {
                return Err(broken(
                    "licensed pit near the river, a town or the county edge",
                    p.mine.clone(),
                ));
            }
        }
        let mut fixed: Vec<Rect> = towns.clone();
        fixed.extend(all_rects.iter().map(|r| r.grow(150.0)));
        fixed.extend(mine_pits.iter().map(|p| p.shape.bbox().grow(150.0)));
        for (what, r) in [
            ("pair", rect_of(&[&shape_a, &shape_b])),
            ("multi", shape_m.bbox()),
            ("legacy yard", legacy_yard_reserve),
        ] {
            if !placeable(&r, &fixed) {
                return Err(broken("special pit badly placed", what));
            }
        }
        let mut spots: Vec<LegacySpot> = Vec::new();
        for cl in LEGACY {
            for &(kind, area_ha, share, holes) in cl.pits {
                let r_max = (area_ha * 1e4 * LEGACY_FACTOR * LEGACY_SCALE_MAX / PI).sqrt() * 1.5;
                let mut placed = None;
                for attempt in 0..6000 {
                    let rs = 150.0 + attempt as f64 * 1.5;
                    let ang = rng.range(0.0, 2.0 * PI);
                    let d = rs * rng.unit().sqrt();
                    let c = (snap(cl.x + d * ang.cos()), snap(cl.y + d * ang.sin()));
                    let r = Rect {
                        x0: c.0 - r_max,
                        y0: c.1 - r_max,
                        x1: c.0 + r_max,
                        y1: c.1 + r_max,
                    };
                    if placeable(&r, &obstacles) {
                        placed = Some((c, r));
                        break;
                    }
                }
                let (c, r) = placed.ok_or_else(|| broken("no room for a legacy pit", cl.town))?;
                obstacles.push(r);
                spots.push(LegacySpot {
                    town: cl.town,
                    kind,
                    area: area_ha * 1e4 * LEGACY_FACTOR,
                    share,
                    holes,
                    c,
                });
            }
        }

        // 4. Legacy pits at scale s; tune s so the legacy yard gets a plausible size.
        let fixed_legacy: f64 =
            shape_a.area() + shape_b.area() - shape_a.area_in_rect(&b_rect) + shape_m.area();
        let mine_land: f64 = mine_pits
            .iter()
            .map(|p| area_in_union(&p.shape, None, &liable_rects))
            .sum();
        let mine_legacy: f64 = mine_pits.iter().map(|p| p.shape.area()).sum::<f64>() - mine_land;
        let a_r0 = mine_land;
        let r_resp = ((a_r0 - BASELINE_RESPONSIBLE_M2 as f64 + 15_000.0) / CELL_AREA).ceil();
        if r_resp < 0.0 {
            return Err(broken(
                "licensed land too small for the baseline",
                "responsible",
            ));
        }
        let r_resp = r_resp as usize;
        let d_r = BASELINE_RESPONSIBLE_M2 as f64 + CELL_AREA * r_resp as f64 - a_r0;
        let total_cells = (BASELINE_RESTORED_M2 as f64 / CELL_AREA) as usize;
        let r_leg = total_cells
            .checked_sub(r_resp)
            .ok_or_else(|| broken("responsible restored exceeds the baseline", "responsible"))?;
        let legacy_target = BASELINE_LEGACY_M2 as f64 + CELL_AREA * r_leg as f64;
        let mut s = 1.0;
        let mut legacy_shapes: Vec<Shape> = Vec::new();
        let mut d_l = f64::NAN;
        for _ in 0..12 {
            legacy_shapes = spots
                .iter()
                .enumerate()
                .map(|(i, sp)| {
                    blob_pit(
                        mix(SEED ^ 0x2000 ^ i as u64),
                        sp.c,
                        sp.area * s,
                        sp.holes,
                        &all_rects,
                        sp.town,
                    )
                })
                .collect::<Result<_, _>>()?;
            let cluster: f64 = legacy_shapes.iter().map(Shape::area).sum();
            d_l = legacy_target - cluster - fixed_legacy - mine_legacy;
            if (25_000.0..=85_000.0).contains(&d_l) {
                break;
            }
            s *= (cluster + d_l - 55_000.0) / cluster;
            if s > LEGACY_SCALE_MAX {
                return Err(broken("legacy scale beyond the room left for it", "legacy"));
            }
        }
        if !(25_000.0..=85_000.0).contains(&d_l) {
            return Err(broken("legacy tuning did not converge", "legacy"));
        }

        // 5. The yards that close the gap exactly.
        let resp_yard = yard(RESPONSIBLE_YARD_SW, 20, d_r)
            .ok_or_else(|| broken("responsible yard area", "yard"))?;
        let legacy_yard =
            yard(LEGACY_YARD_SW, 40, d_l).ok_or_else(|| broken("legacy yard area", "yard"))?;
        let resp_yard = Shape::single(resp_yard);
        let legacy_yard = Shape::single(legacy_yard);
        if !resp_yard_reserve
            .grow(1.0)
            .contains((resp_yard.bbox().x1, resp_yard.bbox().y1))
            || !legacy_yard_reserve
                .grow(1.0)
                .contains((legacy_yard.bbox().x1, legacy_yard.bbox().y1))
        {
            return Err(broken("yard larger than its reserve", "yard"));
        }

        // 6. All pits in id order.
        let zinc = LICENCES
            .iter()
            .find(|l| l.key == "fng_zinc")
            .ok_or_else(|| broken("no zinc licence", "fng_zinc"))?;
        let mut pits = mine_pits;
        pits.push(pit_plan(
            "中转场地",
            zinc.town,
            Some(zinc),
            resp_yard,
            0.0,
            1,
        ));
        for (sp, shape) in spots.iter().zip(legacy_shapes) {
            pits.push(pit_plan(
                sp.kind,
                sp.town,
                None,
                shape,
                sp.share,
                mix(SEED ^ sp.c.0.to_bits()),
            ));
        }
        let ia = pits.len();
        pits.push(pit_plan("排土场", pair_town, None, shape_a, 0.45, seed_a));
        pits.push(pit_plan("中转场地", pair_town, None, shape_b, 0.0, 2));
        pits.push(pit_plan("采场", multi_town, None, shape_m, 0.4, seed_m));
        pits.push(pit_plan("排土场", "河源镇", None, legacy_yard, 0.0, 3));
        for (i, p) in pits.iter_mut().enumerate() {
            p.id = format!("YT2020-{:03}", i + 1);
        }
        let mut layout = Layout {
            pits,
            licences,
            county,
            overlap: (ia, ia + 1),
            unobserved_2024: vec![],
            legacy_scale: s,
            restored_responsible_2020: r_resp,
        };
        layout.check_disjoint()?;
        if layout.overlap_area() <= 0.0 {
            return Err(broken("the overlapping pair does not overlap", "pair"));
        }

        // 7. Restored cells of 2020.
        layout.rank_cells();
        let resp: Vec<usize> = (0..layout.pits.len())
            .filter(|&i| layout.pits[i].liable)
            .collect();
        let leg: Vec<usize> = (0..layout.pits.len())
            .filter(|&i| !layout.pits[i].liable)
            .collect();
        layout.distribute(&resp, r_resp)?;
        layout.distribute(&leg, r_leg)?;

        // 8. 2024.
        layout.scenario_2024()?;
        Ok(layout)
    }

    /// Pits must not touch one another, except the designed pair.
    fn check_disjoint(&self) -> Result<(), DemoError> {
        for (i, a) in self.pits.iter().enumerate() {
            for (j, b) in self.pits.iter().enumerate().skip(i + 1) {
                if (i, j) == self.overlap {
                    continue;
                }
                if a.shape.bbox().grow(2.0 * CELL).touches(&b.shape.bbox()) {
                    return Err(broken("two pits too close", format!("{} {}", a.id, b.id)));
                }
            }
        }
        let liable = self.liable_rects();
        for &i in [self.overlap.0, self.overlap.1].iter() {
            if liable
                .iter()
                .any(|r| r.touches(&self.pits[i].shape.bbox().grow(CELL)))
            {
                return Err(broken(
                    "the overlapping pair must stay clear of liable licences",
                    self.pits[i].id.clone(),
                ));
            }
        }
        Ok(())
    }
}
