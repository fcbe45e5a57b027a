//! The geometry of the demo county, built so that its 2020 audit must reproduce the
//! plan's baseline.
//!
//! 1. Licensed mines get irregular pits (vertices on the 10 m cell-corner lattice) and
//!    axis-aligned licence polygons around them; two licences cut a pit on purpose
//!    (the gold pit sticks out of its licence; the 大岭村 marble pit lies under a valid
//!    and an expired licence that overlap).
//! 2. Historical-legacy pits are placed in town clusters, away from licences, towns and
//!    the river; a few have holes, one has two parts, and one pair overlaps.
//! 3. Wherever a licence or yard edge crosses a pit, the crossing becomes a pit vertex,
//!    so every piece is a lattice polygon and every area is a multiple of 50 m².
//! 4. Restored land is a set of whole cells at least 8 m inside one pit and away from
//!    every licence edge; the number of such cells is chosen so that restored land is
//!    exactly 52 238 cells = 522.38 ha.
//! 5. Two rectilinear yards, one inside a valid licence and one legacy, close the gap
//!    to the baseline's unrestored figures exactly (areas 100·k − 50·e m²), and the
//!    legacy clusters are scaled so that the legacy yard keeps a plausible size.
//! 6. 2024: restoration progress, a re-disturbed pit, a flooded pit, a cloud.

use crate::county::{
    LicenceCut, LicenceFact, BASELINE_LEGACY_M2, BASELINE_RESPONSIBLE_M2, BASELINE_RESTORED_M2,
    LEGACY, LEGACY_YARD_SW, LICENCES, MINES, MULTI_PART, OVERLAP_PAIR, RESPONSIBLE_YARD_SW, TOWNS,
};
use crate::error::DemoError;
use crate::geom::{
    drop_collinear, insert_crossings, ring_distance, ring_is_simple, rings_disjoint_edges, Line,
    Poly, Pt, Rect, Shape,
};
use crate::grid::{cells_touching, centre, extent, CELL, CELL_AREA};
use reclaim::rng::{mix, value_noise, SplitMix64};
use std::f64::consts::PI;

/// The seed of everything random in the demo.
pub const SEED: u64 = 0x5954_2020_2024_0001;
/// Restored, water and flooded cells keep this distance (m) from every pit or licence
/// edge, so each lies wholly inside one pit and one attribution piece.
pub const INNER_MARGIN: f64 = 8.0;
/// A cell whose centre is within this distance (m) of a pit edge may touch the pit
/// (half the cell diagonal is 7.071 m); such cells are painted bare.
pub const TOUCH_DISTANCE: f64 = 7.08;
/// Statuses that make a licence liable (the audit's default set, in Chinese).
pub const LIABLE_STATUSES: [&str; 3] = ["有效", "过期", "停产"];
/// Nominal-area factor of the legacy clusters (tuned by the construction loop).
const LEGACY_FACTOR: f64 = 1.37;
/// Largest legacy scale the placement leaves room for.
const LEGACY_SCALE_MAX: f64 = 1.3;

/// One footprint (图斑) and what the imagery shows on it each year.
#[derive(Debug, Clone)]
pub struct PitPlan {
    /// 图斑编号.
    pub id: String,
    /// 类型.
    pub kind: &'static str,
    /// 乡镇.
    pub town: &'static str,
    /// 矿山名称, or 历史遗留.
    pub mine: String,
    /// Key of the licence the pit was dug under, if any.
    pub licence: Option<&'static str>,
    /// True when its restored land lies under a liable licence.
    pub liable: bool,
    /// The footprint.
    pub shape: Shape,
    /// Restored (vegetated) cells, [2020, 2024].
    pub restored: [Vec<usize>; 2],
    /// Water cells, [2020, 2024].
    pub water: [Vec<usize>; 2],
    order: Vec<usize>,
    share: f64,
    seed: u64,
}

/// One licence and its polygon (designed in UTM, written in Gauss–Krüger).
#[derive(Debug, Clone)]
pub struct LicencePlan {
    /// Its facts.
    pub fact: &'static LicenceFact,
    /// 许可证号.
    pub id: String,
    /// Its polygon in EPSG:32651.
    pub rect: Rect,
    /// True when its status is liable.
    pub liable: bool,
}

/// The whole construction.
#[derive(Debug, Clone)]
pub struct Layout {
    /// Pits in id order.
    pub pits: Vec<PitPlan>,
    /// Licences in table order.
    pub licences: Vec<LicencePlan>,
    /// The county boundary (cells outside are nodata).
    pub county: Vec<Pt>,
    /// Indices of the overlapping pair, smaller id first.
    pub overlap: (usize, usize),
    /// 2024 cells under cloud (SCL 8 or 9) or cloud shadow (SCL 3), with their code.
    pub unobserved_2024: Vec<(usize, u8)>,
    /// Final area factor of the legacy clusters.
    pub legacy_scale: f64,
    /// Restored cells counted as responsible in 2020.
    pub restored_responsible_2020: usize,
}

/// True for a liable status.
pub fn is_liable(status: &str) -> bool {
    LIABLE_STATUSES.contains(&status)
}

fn snap(v: f64) -> f64 {
    (v / CELL).round() * CELL
}

fn snap_down(v: f64) -> f64 {
    (v / CELL).floor() * CELL
}

fn snap_up(v: f64) -> f64 {
    (v / CELL).ceil() * CELL
}

fn broken(what: &'static str, feature: impl Into<String>) -> DemoError {
    DemoError::Construction {
        what,
        feature: feature.into(),
    }
}

/// An irregular star-shaped ring of about `area` m² around `c`, on the lattice.
fn blob(rng: &mut SplitMix64, c: Pt, area: f64, roughness: f64) -> Vec<Pt> {
    let aspect = rng.range(1.0, 1.8);
    let rot = rng.range(0.0, PI);
    let harmonics = [2.0, 3.0, 5.0];
    let amps = [0.13 * roughness, 0.08 * roughness, 0.05 * roughness];
    let phases = [
        rng.range(0.0, 2.0 * PI),
        rng.range(0.0, 2.0 * PI),
        rng.range(0.0, 2.0 * PI),
    ];
    let k = 1.0 + amps.iter().map(|a| a * a / 2.0).sum::<f64>();
    let r = (area / (PI * k)).sqrt();
    let n = ((2.0 * PI * r / 45.0).round() as usize).clamp(10, 44);
    let (sa, ca) = rot.sin_cos();
    let mut ring: Vec<Pt> = Vec::with_capacity(n);
    for i in 0..n {
        let t = 2.0 * PI * (i as f64 + rng.range(-0.3, 0.3)) / n as f64;
        let f = 1.0
            + (0..3)
                .map(|h| amps[h] * (harmonics[h] * t + phases[h]).sin())
                .sum::<f64>();
        let (u, v) = (
            r * f * t.cos() * aspect.sqrt(),
            r * f * t.sin() / aspect.sqrt(),
        );
        let p = (snap(c.0 + u * ca - v * sa), snap(c.1 + u * sa + v * ca));
        if ring.last() != Some(&p) {
            ring.push(p);
        }
    }
    while ring.len() > 1 && ring.first() == ring.last() {
        ring.pop();
    }
    drop_collinear(&mut ring);
    ring
}

/// Inserts the crossings of every cutter rectangle near the shape into its rings.
fn cut(shape: &mut Shape, cutters: &[Rect]) {
    let bbox = shape.bbox().grow(2.0 * CELL);
    for r in cutters.iter().filter(|r| r.touches(&bbox)) {
        for line in [Line::X(r.x0), Line::X(r.x1), Line::Y(r.y0), Line::Y(r.y1)] {
            for ring in shape.rings_mut() {
                *ring = insert_crossings(ring, line, CELL);
            }
        }
    }
}

/// True when every ring is simple, holes lie inside their outer ring, and parts and
/// rings do not touch one another.
fn valid(shape: &Shape) -> bool {
    let rings: Vec<&Vec<Pt>> = shape.rings().collect();
    if !rings.iter().all(|r| ring_is_simple(r)) {
        return false;
    }
    for (i, a) in rings.iter().enumerate() {
        for b in rings.iter().skip(i + 1) {
            if !rings_disjoint_edges(a, b) {
                return false;
            }
        }
    }
    for p in &shape.parts {
        for h in &p.holes {
            if !h.iter().all(|&v| crate::geom::point_in_ring(v, &p.outer)) {
                return false;
            }
        }
    }
    for (i, p) in shape.parts.iter().enumerate() {
        for q in shape.parts.iter().skip(i + 1) {
            if q.outer
                .iter()
                .any(|&v| crate::geom::point_in_ring(v, &p.outer))
                || p.outer
                    .iter()
                    .any(|&v| crate::geom::point_in_ring(v, &q.outer))
            {
                return false;
            }
        }
    }
    true
}

/// A blob pit with `holes` holes, crossings of `cutters` inserted; retried with new
/// seeds until valid.
fn blob_pit(
    seed: u64,
    c: Pt,
    area: f64,
    holes: usize,
    cutters: &[Rect],
    id: &str,
) -> Result<Shape, DemoError> {
    for attempt in 0..64u64 {
        let mut rng = SplitMix64::new(mix(seed.wrapping_add(attempt)));
        let outer = blob(&mut rng, c, area, 1.0);
        let mut hole_rings = Vec::new();
        for h in 0..holes {
            let a = rng.range(0.012, 0.022) * area;
            let ang = rng.range(0.0, 2.0 * PI) + h as f64 * PI;
            let d = 0.22 * (area / PI).sqrt();
            let hc = (c.0 + d * ang.cos(), c.1 + d * ang.sin());
            let ring = blob(&mut rng, hc, a, 0.6);
            let clear = ring.iter().all(|&v| {
                crate::geom::point_in_ring(v, &outer) && ring_distance(v, &outer) >= 30.0
            });
            if clear {
                hole_rings.push(ring);
            }
        }
        if hole_rings.len() != holes {
            continue;
        }
        let mut shape = Shape {
            parts: vec![Poly {
                outer,
                holes: hole_rings,
            }],
        };
        cut(&mut shape, cutters);
        if valid(&shape) {
            return Ok(shape);
        }
    }
    Err(broken("no valid blob after 64 attempts", id))
}

/// A rectilinear yard of exactly `area` m² (a multiple of 50) with its south-west
/// corner at `sw`, `w` cells wide: whole rows of cells, a partial top row, and a
/// chamfered corner (−50 m²) when the area is an odd multiple of 50.
pub fn yard(sw: Pt, w: i64, area: f64) -> Option<Vec<Pt>> {
    let units = (area / 50.0).round() as i64;
    if (units as f64 * 50.0 - area).abs() > 1e-6 || units <= 0 || w < 2 {
        return None;
    }
    let m = (units + 1) / 2; // cells, rounding up
    let chamfer = units % 2 == 1;
    let (q, rem) = (m / w, m % w);
    if q < 1 {
        return None;
    }
    let p = |i: i64, j: i64| (sw.0 + CELL * i as f64, sw.1 + CELL * j as f64);
    let mut ring = if chamfer {
        vec![p(1, 0)]
    } else {
        vec![p(0, 0)]
    };
    ring.push(p(w, 0));
    ring.push(p(w, q));
    if rem > 0 {
        ring.push(p(rem, q));
        ring.push(p(rem, q + 1));
        ring.push(p(0, q + 1));
    } else {
        ring.push(p(0, q));
    }
    if chamfer {
        ring.push(p(0, 1));
    }
    Some(ring)
}

/// The river 伊通河: centreline easting at northing `y`.
pub fn river_x(y: f64) -> f64 {
    let t = y - 4_786_000.0;
    685_800.0 + 900.0 * (t / 2900.0).sin() + 350.0 * (t / 1000.0 + 0.5).sin()
}

/// The county boundary: a wobbly ellipse that leaves the raster's corners outside.
fn county_ring() -> Vec<Pt> {
    let e = extent();
    let (cx, cy) = ((e.x0 + e.x1) / 2.0, (e.y0 + e.y1) / 2.0);
    (0..72)
        .map(|i| {
            let t = 2.0 * PI * i as f64 / 72.0;
            let f = 1.0 + 0.07 * (3.0 * t + 1.0).sin() + 0.04 * (5.0 * t + 2.0).sin();
            (cx + 17_500.0 * f * t.cos(), cy + 14_500.0 * f * t.sin())
        })
        .collect()
}

fn licence_id(i: usize, f: &LicenceFact) -> String {
    let seq = 10_000_000 + mix(SEED ^ (i as u64 + 1)) % 90_000_000;
    format!("C220323{:04}{:02}11{:08}", f.issued.0, f.issued.1, seq)
}

struct LegacySpot {
    town: &'static str,
    kind: &'static str,
    area: f64,
    share: f64,
    holes: usize,
    c: Pt,
}

fn rect_of(shapes: &[&Shape]) -> Rect {
    let mut r = shapes[0].bbox();
    for s in &shapes[1..] {
        let b = s.bbox();
        r = Rect {
            x0: r.x0.min(b.x0),
            y0: r.y0.min(b.y0),
            x1: r.x1.max(b.x1),
            y1: r.y1.max(b.y1),
        };
    }
    r
}

fn lattice_rect(r: Rect) -> Rect {
    Rect {
        x0: snap_down(r.x0),
        y0: snap_down(r.y0),
        x1: snap_up(r.x1),
        y1: snap_up(r.y1),
    }
}

fn pit_plan(
    kind: &'static str,
    town: &'static str,
    licence: Option<&'static LicenceFact>,
    shape: Shape,
    share: f64,
    seed: u64,
) -> PitPlan {
    PitPlan {
        id: String::new(),
        kind,
        town,
        mine: licence.map_or("历史遗留", |l| l.name).to_string(),
        licence: licence.map(|l| l.key),
        liable: licence.is_some_and(|l| is_liable(l.status)),
        shape,
        restored: [vec![], vec![]],
        water: [vec![], vec![]],
        order: vec![],
        share,
        seed,
    }
}

/// Area of `shape ∩ window ∩ (∪ rects)` by inclusion–exclusion over the rectangles
/// that touch the shape (at most a handful).
pub fn area_in_union(shape: &Shape, window: Option<&Rect>, rects: &[Rect]) -> f64 {
    let bbox = shape.bbox();
    let near: Vec<Rect> = rects
        .iter()
        .filter_map(|r| r.intersect(&bbox.grow(1.0)).map(|_| *r))
        .filter_map(|r| match window {
            Some(w) => r.intersect(w),
            None => Some(r),
        })
        .collect();
    let k = near.len();
    let mut total = 0.0;
    for mask in 1u32..(1u32 << k) {
        let mut acc: Option<Rect> = None;
        let mut empty = false;
        for (i, r) in near.iter().enumerate() {
            if mask & (1 << i) != 0 {
                acc = match acc {
                    None => Some(*r),
                    Some(a) => match a.intersect(r) {
                        Some(x) => Some(x),
                        None => {
                            empty = true;
                            break;
                        }
                    },
                };
            }
        }
        if empty {
            continue;
        }
        if let Some(r) = acc {
            let sign = if mask.count_ones() % 2 == 1 {
                1.0
            } else {
                -1.0
            };
            total += sign * shape.area_in_rect(&r);
        }
    }
    total
}

impl Layout {
    /// Liable licence polygons.
    pub fn liable_rects(&self) -> Vec<Rect> {
        self.licences
            .iter()
            .filter(|l| l.liable)
            .map(|l| l.rect)
            .collect()
    }

    /// Counted area of pit `i` (land of a smaller-id pit removed), m².
    pub fn counted_area(&self, i: usize) -> f64 {
        let a = self.pits[i].shape.area();
        if i == self.overlap.1 {
            a - self.overlap_area()
        } else {
            a
        }
    }

    /// Area shared by the overlapping pair, m².
    pub fn overlap_area(&self) -> f64 {
        let b = self.pits[self.overlap.1].shape.bbox();
        self.pits[self.overlap.0].shape.area_in_rect(&b)
    }

    /// Builds the county.
    ///
    /// # Errors
    /// [`DemoError::Construction`] if an invariant of the construction fails (a bug).
    pub fn build() -> Result<Layout, DemoError> {
        let county = county_ring();
        let mut rng = SplitMix64::new(SEED);

        // 1. Licensed mines: raw pits, then licence rectangles around them.
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
        let liable_rects: Vec<Rect> = licences
            .iter()
            .filter(|l| l.liable)
            .map(|l| l.rect)
            .collect();
        for p in &mut mine_pits {
            cut(&mut p.shape, &all_rects);
            if !valid(&p.shape) {
                return Err(broken("licence cut made a pit invalid", p.mine.clone()));
            }
        }

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
                .all(|&v| crate::geom::point_in_ring(v, &county) && inner.contains(v));
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

    /// Cells fit to be restored, flooded or clouded wholesale, ordered by the pit's
    /// restoration front (a direction plus smooth noise).
    fn rank_cells(&mut self) {
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
    fn distribute(&mut self, members: &[usize], target: usize) -> Result<(), DemoError> {
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

    /// 2024: progress on six legacy pits and two mines, one re-disturbed pit, one
    /// flooded pit, and a cloud with its shadow over the 放牛沟 pyrite pit.
    fn scenario_2024(&mut self) -> Result<(), DemoError> {
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
            .any(|&(idx, _)| pair_box.touches(&crate::grid::cell_rect(idx)))
        {
            return Err(broken("cloud over the overlapping pair", "cloud"));
        }
        self.unobserved_2024 = cells;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::ring_area;

    #[test]
    fn yards_have_the_exact_area() {
        for area in [15_000.0, 15_050.0, 20_000.0, 84_950.0, 2_050.0] {
            let r = yard((0.0, 0.0), 20, area).unwrap();
            assert!(ring_is_simple(&r), "{area}");
            assert_eq!(ring_area(&r), area, "{area}");
        }
        assert!(yard((0.0, 0.0), 20, 125.0).is_none());
        assert!(yard((0.0, 0.0), 20, 100.0).is_none(), "needs one full row");
    }

    #[test]
    fn inclusion_exclusion_over_overlapping_licences() {
        // 100 × 100 pit; licences x ∈ [−10, 60] and [40, 200] overlap on [40, 60].
        let pit = Shape::single(
            Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 100.0,
                y1: 100.0,
            }
            .ring(),
        );
        let a = Rect {
            x0: -10.0,
            y0: -10.0,
            x1: 60.0,
            y1: 110.0,
        };
        let b = Rect {
            x0: 40.0,
            y0: -10.0,
            x1: 200.0,
            y1: 110.0,
        };
        assert_eq!(area_in_union(&pit, None, &[a, b]), 10_000.0);
        assert_eq!(area_in_union(&pit, None, &[a]), 6_000.0);
        let w = Rect {
            x0: 50.0,
            y0: 0.0,
            x1: 70.0,
            y1: 10.0,
        };
        assert_eq!(area_in_union(&pit, Some(&w), &[a]), 100.0);
    }
}
