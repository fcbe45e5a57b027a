//! Step 1: the licensed mines. Each mine of the county table gets its irregular pits,
//! and each licence an axis-aligned polygon around its mine's pits (cut on purpose
//! where the table says so); then every licence edge that crosses a mine pit becomes
//! pit vertices.

use super::lattice::{lattice_rect, rect_of, snap};
use super::pits::{blob_pit, cut, valid};
use super::{broken, is_liable, pit_plan, LicencePlan, PitPlan, SEED};
use crate::county::{LicenceCut, LicenceFact, LICENCES, MINES, RESPONSIBLE_YARD_SW};
use crate::error::DemoError;
use crate::geom::{Rect, Shape};
use reclaim::rng::mix;

fn licence_id(i: usize, f: &LicenceFact) -> String {
    let seq = 10_000_000 + mix(SEED ^ (i as u64 + 1)) % 90_000_000;
    format!("C220323{:04}{:02}11{:08}", f.issued.0, f.issued.1, seq)
}

/// The licensed mines' pits (cut by every licence edge) and all licences, in table
/// order.
pub(super) fn licensed_mines() -> Result<(Vec<PitPlan>, Vec<LicencePlan>), DemoError> {
    let mut mine_pits: Vec<PitPlan> = Vec::new();
    let mut rects: Vec<(usize, Rect)> = Vec::new();
    for m in MINES {
        let li = LICENCES
            .iter()
            .position(|l| l.key == m.licence)
            .ok_or_else(|| broken("mine without licence", m.licence))?;
        let fact = &LICENCES[li];
        let first = mine_pits.len();
        for (k, p) in m.pits.iter().enumerate() {
            let seed = mix(SEED ^ 0x1000 ^ ((li as u64) << 8) ^ k as u64);
            let c = (snap(m.x + p.dx), snap(m.y + p.dy));
            let shape = blob_pit(seed, c, p.area_ha * 1e4, 0, &[], fact.name)?;
            mine_pits.push(pit_plan(
                p.kind,
                fact.town,
                Some(fact),
                shape,
                p.restored_share,
                seed,
            ));
        }
        let shapes: Vec<&Shape> = mine_pits[first..].iter().map(|p| &p.shape).collect();
        let c = (snap(m.x), snap(m.y));
        match m.cut {
            LicenceCut::Around(margin) => {
                let mut r = lattice_rect(rect_of(&shapes).grow(margin));
                if m.licence == "fng_zinc" {
                    let (x, y) = RESPONSIBLE_YARD_SW;
                    r.x1 = r.x1.max(x + 260.0);
                    r.y0 = r.y0.min(y - 60.0);
                    r.y1 = r.y1.max(y + 200.0);
                }
                rects.push((li, r));
            }
            LicenceCut::WestEdgeAt(d) => {
                let mut r = lattice_rect(rect_of(&shapes).grow(90.0));
                r.x0 = snap(c.0 + d);
                rects.push((li, r));
            }
            LicenceCut::Overlapping {
                west_edge,
                partner,
                partner_east_edge,
            } => {
                let b = rect_of(&shapes);
                let mut r = lattice_rect(b.grow(100.0));
                r.x0 = snap(c.0 + west_edge);
                rects.push((li, r));
                let pi = LICENCES
                    .iter()
                    .position(|l| l.key == partner)
                    .ok_or_else(|| broken("unknown partner licence", partner))?;
                let mut q = lattice_rect(Rect {
                    x0: b.x0 - 110.0,
                    y0: b.y0 - 80.0,
                    x1: b.x1,
                    y1: b.y1 + 130.0,
                });
                q.x1 = snap(c.0 + partner_east_edge);
                rects.push((pi, q));
            }
            LicenceCut::NoPit(h) => {
                rects.push((
                    li,
                    Rect {
                        x0: c.0 - h,
                        y0: c.1 - h,
                        x1: c.0 + h,
                        y1: c.1 + h,
                    },
                ));
            }
        }
    }
    let mut licences: Vec<LicencePlan> = Vec::new();
    for (i, fact) in LICENCES.iter().enumerate() {
        let rect = rects
            .iter()
            .find(|(li, _)| *li == i)
            .map(|(_, r)| *r)
            .ok_or_else(|| broken("licence without polygon", fact.key))?;
        licences.push(LicencePlan {
            fact,
            id: licence_id(i, fact),
            rect,
            liable: is_liable(fact.status),
        });
    }
    let all_rects: Vec<Rect> = licences.iter().map(|l| l.rect).collect();
    for p in &mut mine_pits {
        cut(&mut p.shape, &all_rects);
        if !valid(&p.shape) {
            return Err(broken("licence cut made a pit invalid", p.mine.clone()));
        }
    }
    Ok((mine_pits, licences))
}
