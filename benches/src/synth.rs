//! Seeded synthetic inputs for the benches: star-shaped footprints and licences.
//!
//! Everything is a pure function of the seed (SplitMix64 from `reclaim::rng`), so
//! a bench measures the same work on every run and machine.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use reclaim::attribute::{Licence, Pit};
use reclaim::grid::{GeoTransform, Grid};
use reclaim::rng::SplitMix64;

/// A north-up grid of `cell`-metre cells, `width × height`, top-left at (0, height·cell).
pub fn grid(width: usize, height: usize, cell: f64) -> Grid {
    Grid {
        width,
        height,
        transform: GeoTransform {
            x0: 0.0,
            dx: cell,
            rx: 0.0,
            y0: height as f64 * cell,
            ry: 0.0,
            dy: -cell,
        },
    }
}

/// A simple star-shaped ring of `n` (at least 8) vertices around (`cx`, `cy`), radii in
/// [0.6, 1] × `radius`, counter-clockwise and closed.
pub fn star(rng: &mut SplitMix64, cx: f64, cy: f64, radius: f64, n: usize) -> LineString<f64> {
    // Evenly jittered angles: no gap over two steps, so the ring keeps clear of
    // the centre (holes of 0.25 × radius fit) and never crosses itself.
    let n = n.max(8);
    let step = std::f64::consts::TAU / n as f64;
    let angles: Vec<f64> = (0..n)
        .map(|i| (i as f64 + rng.range(0.0, 1.0)) * step)
        .collect();
    let mut pts: Vec<Coord<f64>> = angles
        .iter()
        .map(|a| {
            let r = radius * rng.range(0.6, 1.0);
            Coord {
                x: cx + r * a.cos(),
                y: cy + r * a.sin(),
            }
        })
        .collect();
    if let Some(first) = pts.first().copied() {
        pts.push(first);
    }
    LineString(pts)
}

/// `count` footprints inside `[0, extent]²`: stars of radius 30–300 m, every fourth
/// with a hole, every tenth with a second part; kept apart so none overlap.
pub fn footprints(seed: u64, count: usize, extent: f64) -> Vec<MultiPolygon<f64>> {
    let mut rng = SplitMix64::new(seed);
    let mut placed: Vec<(f64, f64, f64)> = Vec::new();
    let mut out = Vec::with_capacity(count);
    let mut tries = 0;
    while out.len() < count && tries < count * 100 {
        tries += 1;
        let r = rng.range(30.0, 300.0);
        let reach = if out.len() % 10 == 9 { 3.4 * r } else { r };
        let (cx, cy) = (
            rng.range(reach, extent - reach),
            rng.range(reach, extent - reach),
        );
        if placed
            .iter()
            .any(|(x, y, q)| (cx - x).hypot(cy - y) < reach + q)
        {
            continue;
        }
        placed.push((cx, cy, reach));
        let n = 12 + (rng.next_u64() % 48) as usize;
        let shell = star(&mut rng, cx, cy, r, n);
        let mut parts = Vec::new();
        if out.len() % 4 == 3 {
            let mut hole = star(&mut rng, cx, cy, 0.25 * r, 8);
            hole.0.reverse();
            parts.push(Polygon::new(shell, vec![hole]));
        } else {
            parts.push(Polygon::new(shell, vec![]));
        }
        if out.len() % 10 == 9 {
            parts.push(Polygon::new(star(&mut rng, cx + 2.3 * r, cy, r, n), vec![]));
        }
        out.push(MultiPolygon(parts));
    }
    out
}

/// Pits from [`footprints`], ids `P00000`…
pub fn pits(seed: u64, count: usize, extent: f64) -> Vec<Pit> {
    footprints(seed, count, extent)
        .into_iter()
        .enumerate()
        .map(|(i, geometry)| Pit {
            id: format!("P{i:05}"),
            geometry,
        })
        .collect()
}

/// `count` licences: octagons of 0.3–3 km² anywhere in `[0, extent]²` (they overlap
/// each other and the pits), mostly valid, some expired, some revoked.
pub fn licences(seed: u64, count: usize, extent: f64) -> Vec<Licence> {
    let mut rng = SplitMix64::new(seed ^ 0x5EED);
    (0..count)
        .map(|i| {
            let r = rng.range(300.0, 1000.0);
            let (cx, cy) = (rng.range(0.0, extent), rng.range(0.0, extent));
            let mut pts: Vec<Coord<f64>> = (0..8)
                .map(|k| {
                    let a = k as f64 * std::f64::consts::FRAC_PI_4;
                    let q = r * rng.range(0.8, 1.2);
                    Coord {
                        x: cx + q * a.cos(),
                        y: cy + q * a.sin(),
                    }
                })
                .collect();
            pts.push(pts[0]);
            let status = match i % 5 {
                0..=2 => "valid",
                3 => "expired",
                _ => "revoked",
            };
            Licence {
                id: format!("C{i:04}"),
                holder: Some(format!("Holder {}", i % 17)),
                status: status.to_string(),
                valid_to: None,
                geometry: MultiPolygon(vec![Polygon::new(LineString(pts), vec![])]),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    #[test]
    fn footprints_are_seeded_and_apart() {
        let a = footprints(1, 50, 20_000.0);
        let b = footprints(1, 50, 20_000.0);
        assert_eq!(a, b);
        assert_eq!(a.len(), 50);
        // Every footprint has area (stars of radius ≥ 30 m, 0.6 r inner: ≥ ~1,000 m²).
        assert!(a.iter().all(|m| m.unsigned_area() > 1_000.0));
        // Every fourth has a hole, every tenth a second part.
        assert_eq!(a[3].0[0].interiors().len(), 1);
        assert_eq!(a[9].0.len(), 2);
        assert_eq!(licences(1, 5, 10_000.0).len(), 5);
    }

    #[test]
    fn the_attribution_bench_input_attributes() {
        // What benches/attribution.rs times must be real work, not an early error.
        let pits = pits(11, 200, 20_000.0);
        let lic = licences(11, 40, 20_000.0);
        let rule = reclaim::attribute::LiabilityRule::default();
        let att = reclaim::attribute::attribute(&pits, &lic, &rule).unwrap();
        assert!(att.pieces.len() > pits.len(), "{} pieces", att.pieces.len());
    }
}
