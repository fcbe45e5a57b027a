//! Irregular pits on the lattice: star-shaped blobs with optional holes, the crossings
//! of licence edges inserted as vertices, retried until the shape is valid.

use super::broken;
use super::lattice::snap;
use crate::error::DemoError;
use crate::geom::{
    drop_collinear, insert_crossings, point_in_ring, ring_distance, ring_is_simple,
    rings_disjoint_edges, Line, Poly, Pt, Rect, Shape,
};
use crate::grid::CELL;
use reclaim::rng::{mix, SplitMix64};
use std::f64::consts::PI;

/// An irregular star-shaped ring of about `area` m² around `c`, on the lattice.
pub(super) fn blob(rng: &mut SplitMix64, c: Pt, area: f64, roughness: f64) -> Vec<Pt> {
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
pub(super) fn cut(shape: &mut Shape, cutters: &[Rect]) {
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
pub(super) fn valid(shape: &Shape) -> bool {
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
            if !h.iter().all(|&v| point_in_ring(v, &p.outer)) {
                return false;
            }
        }
    }
    for (i, p) in shape.parts.iter().enumerate() {
        for q in shape.parts.iter().skip(i + 1) {
            if q.outer.iter().any(|&v| point_in_ring(v, &p.outer))
                || p.outer.iter().any(|&v| point_in_ring(v, &q.outer))
            {
                return false;
            }
        }
    }
    true
}

/// A blob pit with `holes` holes, crossings of `cutters` inserted; retried with new
/// seeds until valid.
pub(super) fn blob_pit(
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
            let clear = ring
                .iter()
                .all(|&v| point_in_ring(v, &outer) && ring_distance(v, &outer) >= 30.0);
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
