//! 2024: restoration progress, a re-disturbed pit, a flooded pit, and a cloud with
//! its shadow.

use super::lattice::rect_of;
use super::pits::blob;
use super::{broken, Layout, PitPlan, SEED};
use crate::error::DemoError;
use crate::geom::Shape;
use crate::grid::{cell_rect, cells_touching, centre, CELL};
use reclaim::rng::SplitMix64;

impl Layout {
    /// 2024: progress on six legacy pits and two mines, one re-disturbed pit, one
    /// flooded pit, and a cloud with its shadow over the 放牛沟 pyrite pit.
    pub(super) fn scenario_2024(&mut self) -> Result<(), DemoError> {
        let find = |pits: &[PitPlan], town: &str, kind: &str, liable: bool| {
            pits.iter()
                .enumerate()
                .filter(|(_, p)| {
                    p.town == town && p.kind == kind && p.liable == liable && !p.order.is_empty()
                })
                .max_by(|a, b| a.1.shape.area().total_cmp(&b.1.shape.area()))
                .map(|(i, _)| i)
        };
        let redisturbed = find(&self.pits, "营城子镇", "采场", false)
            .ok_or_else(|| broken("no pit to re-disturb", "营城子镇"))?;
        let flooded = self
            .pits
            .iter()
            .enumerate()
            .filter(|(_, p)| p.town == "大孤山镇" && p.kind == "采场" && !p.liable)
            .max_by(|a, b| a.1.shape.area().total_cmp(&b.1.shape.area()))
            .map(|(i, _)| i)
            .ok_or_else(|| broken("no pit to flood", "大孤山镇"))?;
        for p in &mut self.pits {
            p.restored[1] = p.restored[0].clone();
        }
        // Progress: the six largest other legacy pits with room, +~10 ha each.
        let mut candidates: Vec<usize> = (0..self.pits.len())
            .filter(|&i| {
                !self.pits[i].liable && i != redisturbed && i != flooded && i != self.overlap.0
            })
            .filter(|&i| self.pits[i].order.len() >= self.pits[i].restored[0].len() + 600)
            .collect();
        candidates.sort_by(|&a, &b| {
            self.pits[b]
                .shape
                .area()
                .total_cmp(&self.pits[a].shape.area())
                .then(a.cmp(&b))
        });
        let grow = |p: &mut PitPlan, cells: usize| {
            let start = p.restored[0].len();
            let end = (start + cells).min(p.order.len());
            p.restored[1] = p.order[..end].to_vec();
        };
        for &i in candidates.iter().take(6) {
            let room = self.pits[i].order.len() - self.pits[i].restored[0].len();
            grow(&mut self.pits[i], (room / 2).min(1100));
        }
        for key in ["fng_pyrite", "mas_cement"] {
            if let Some(p) = self
                .pits
                .iter_mut()
                .find(|p| p.licence == Some(key) && p.kind == "采场")
            {
                grow(p, 150);
            }
        }
        // Re-disturbed: the restoration front of 2020 is dug up again.
        let p = &mut self.pits[redisturbed];
        let keep = p.restored[0]
            .len()
            .saturating_sub(350)
            .max(p.restored[0].len() / 2);
        p.restored[1] = p.restored[0][..keep].to_vec();
        // Flooded: the far end of the pit (last in its order) fills with water.
        let p = &mut self.pits[flooded];
        let from = p.order.len().saturating_sub(220).max(p.restored[1].len());
        p.water[1] = p.order[from..].to_vec();
        if p.water[1].is_empty() {
            return Err(broken("flooded pit has no room", p.id.clone()));
        }
        // Cloud and shadow over the pyrite pit.
        let host = self
            .pits
            .iter()
            .find(|p| p.licence == Some("fng_pyrite") && p.kind == "采场")
            .ok_or_else(|| broken("no pyrite pit", "fng_pyrite"))?;
        let b = host.shape.bbox();
        let c = (b.x1 - 0.05 * (b.x1 - b.x0), b.y0 + 0.6 * (b.y1 - b.y0));
        let mut rng = SplitMix64::new(SEED ^ 0xC10D);
        let cloud = Shape::single(blob(&mut rng, c, 160_000.0, 1.6));
        let shift = (-300.0, 420.0);
        let shadow = Shape::single(
            cloud.parts[0]
                .outer
                .iter()
                .map(|&(x, y)| (x + shift.0, y + shift.1))
                .collect(),
        );
        let mut cells: Vec<(usize, u8)> = Vec::new();
        for idx in cells_touching(&cloud.bbox()) {
            let q = centre(idx);
            if cloud.contains(q) {
                cells.push((
                    idx,
                    if cloud.boundary_distance(q) >= 120.0 {
                        9
                    } else {
                        8
                    },
                ));
            }
        }
        for idx in cells_touching(&shadow.bbox()) {
            let q = centre(idx);
            if shadow.contains(q) && !cloud.contains(q) {
                cells.push((idx, 3));
            }
        }
        cells.sort_unstable();
        let pair_box = rect_of(&[
            &self.pits[self.overlap.0].shape,
            &self.pits[self.overlap.1].shape,
        ])
        .grow(CELL);
        if cells
            .iter()
            .any(|&(idx, _)| pair_box.touches(&cell_rect(idx)))
        {
            return Err(broken("cloud over the overlapping pair", "cloud"));
        }
        self.unobserved_2024 = cells;
        Ok(())
    }
}
