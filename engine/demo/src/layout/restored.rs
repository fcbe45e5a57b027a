//! Restored land of 2020: the cells of each pit fit to be restored, flooded or
//! clouded wholesale, ranked along a restoration front, and the counts per pit that
//! add up to the baseline exactly.

use super::{broken, Layout, PitPlan, INNER_MARGIN};
use crate::error::DemoError;
use crate::geom::{ring_distance, Pt, Rect, Shape};
use crate::grid::{cells_touching, centre, CELL, CELL_AREA};
use reclaim::rng::{value_noise, SplitMix64};
use std::f64::consts::PI;

impl Layout {
    /// Cells fit to be restored, flooded or clouded wholesale, ordered by the pit's
    /// restoration front (a direction plus smooth noise).
    pub(super) fn rank_cells(&mut self) {
        let all_rects: Vec<Rect> = self.licences.iter().map(|l| l.rect).collect();
        let liable = self.liable_rects();
        let shapes: Vec<Shape> = self.pits.iter().map(|p| p.shape.clone()).collect();
        for (i, p) in self.pits.iter_mut().enumerate() {
            if p.share <= 0.0 {
                continue;
            }
            let bbox = p.shape.bbox();
            let near = bbox.grow(3.0 * CELL);
            let others: Vec<&Shape> = shapes
                .iter()
                .enumerate()
                .filter(|(j, s)| *j != i && s.bbox().touches(&near))
                .map(|(_, s)| s)
                .collect();
            let rect_rings: Vec<Vec<Pt>> = all_rects
                .iter()
                .filter(|r| r.touches(&near))
                .map(Rect::ring)
                .collect();
            let mut rng = SplitMix64::new(p.seed ^ 0x5C04E);
            let dir = rng.range(0.0, 2.0 * PI);
            let (dx, dy) = (dir.cos(), dir.sin());
            let (cx, cy) = ((bbox.x0 + bbox.x1) / 2.0, (bbox.y0 + bbox.y1) / 2.0);
            let span = ((bbox.x1 - bbox.x0).max(bbox.y1 - bbox.y0)).max(CELL);
            let mut scored: Vec<(f64, usize)> = cells_touching(&bbox)
                .filter(|&idx| {
                    let c = centre(idx);
                    p.shape.contains(c)
                        && p.shape.boundary_distance(c) >= INNER_MARGIN
                        && others
                            .iter()
                            .all(|o| !o.contains(c) && o.boundary_distance(c) >= INNER_MARGIN)
                        && rect_rings
                            .iter()
                            .all(|r| ring_distance(c, r) >= INNER_MARGIN)
                        && liable.iter().any(|r| r.contains(c)) == p.liable
                })
                .map(|idx| {
                    let c = centre(idx);
                    let proj = ((c.0 - cx) * dx + (c.1 - cy) * dy) / span;
                    (proj + 0.5 * value_noise(p.seed, c.0, c.1, 160.0), idx)
                })
                .collect();
            scored.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
            p.order = scored.into_iter().map(|(_, idx)| idx).collect();
        }
    }

    /// Sets 2020 restored counts of `members` (proportional to their shares, capped by
    /// the cells available) so they add up to `target` exactly.
    pub(super) fn distribute(&mut self, members: &[usize], target: usize) -> Result<(), DemoError> {
        let cap = |p: &PitPlan| p.order.len();
        let desired: Vec<f64> = members
            .iter()
            .map(|&i| {
                let p = &self.pits[i];
                (p.share * p.shape.area() / CELL_AREA).min(cap(p) as f64)
            })
            .collect();
        let sum: f64 = desired.iter().sum();
        if sum <= 0.0 {
            return Err(broken("no restorable land", "distribute"));
        }
        let factor = target as f64 / sum;
        let mut n: Vec<usize> = members
            .iter()
            .zip(&desired)
            .map(|(&i, d)| ((d * factor).floor() as usize).min(cap(&self.pits[i])))
            .collect();
        let mut rem = target.saturating_sub(n.iter().sum());
        let mut by_room: Vec<usize> = (0..members.len()).collect();
        by_room.sort_by_key(|&k| std::cmp::Reverse(cap(&self.pits[members[k]]) - n[k]));
        for k in by_room {
            if rem == 0 {
                break;
            }
            let add = rem.min(cap(&self.pits[members[k]]) - n[k]);
            n[k] += add;
            rem -= add;
        }
        if rem > 0 || n.iter().sum::<usize>() != target {
            return Err(broken("not enough restorable cells", "distribute"));
        }
        for (&i, &count) in members.iter().zip(&n) {
            let p = &mut self.pits[i];
            p.restored[0] = p.order[..count].to_vec();
        }
        Ok(())
    }
}
