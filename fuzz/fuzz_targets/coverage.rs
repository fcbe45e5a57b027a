//! Exact coverage over random polygons and grids.
//!
//! Always: no panic; `Ok` for finite input on these small grids (an error here, even
//! `TraversalFailed`, is a bug); every fraction finite and in [0, 1]; the window inside
//! the grid.
//!
//! When the multipolygon is valid (geo's `Validation`, no near-touching vertex):
//! `coverage_clipped` agrees with `coverage` on the clip; each cell's fraction equals the
//! area of the polygon inside that cell, computed independently by Sutherland–Hodgman
//! clipping of every ring against the cell; the fractions sum to the clipped area and,
//! when the polygon lies inside the grid, to `polygon_area`.
//!
//! Vertices are generated in cell-index space and, by default, snapped to a lattice of
//! 1/q cell (q ∈ {1, 2, 4, 8}) so rings run along cell edges and through cell corners,
//! the degenerate cases of the method. Star-shaped parts are usually simple; raw parts
//! are arbitrary (often self-intersecting: invariants only).
#![no_main]

use arbitrary::Arbitrary;
use geo::{Coord, LineString, MultiPolygon, Polygon, Validation};
use libfuzzer_sys::fuzz_target;
use reclaim::coverage::{coverage, coverage_clipped, polygon_area};
use reclaim::{GeoTransform, Grid, Window};

/// (x0, y0, cell width, cell height): a local grid, UTM metres, Gauss–Krüger with a
/// zone prefix, geographic degrees, and a non-square grid.
const FRAMES: [(f64, f64, f64, f64); 5] = [
    (0.0, 0.0, 1.0, 1.0),
    (640_000.5, 4_800_000.25, 10.0, 10.0),
    (42_180_000.0, 4_790_000.0, 30.0, 30.0),
    (
        125.3,
        43.1,
        8.983_152_841_195_214e-5,
        8.983_152_841_195_214e-5,
    ),
    (-3.5, 7.25, 0.5, 2.0),
];
/// Lattice denominators: vertices at multiples of 1/q cell (0 = no snapping).
const LATTICE: [f64; 5] = [0.0, 1.0, 2.0, 4.0, 8.0];
const MAX_SIDE: usize = 12;
const MAX_PARTS: usize = 3;
const MAX_VERTICES: usize = 24;

#[derive(Arbitrary, Debug)]
struct Input {
    width: u8,
    height: u8,
    frame: u8,
    flip_x: bool,
    south_up: bool,
    lattice: u8,
    parts: Vec<PartSpec>,
    clip: [u8; 4],
}

#[derive(Arbitrary, Debug)]
struct PartSpec {
    star: bool,
    center: (u16, u16),
    /// Star: (angle step, radius); raw: (u, v).
    vertices: Vec<(u16, u16)>,
    hole: Option<Vec<(u16, u16)>>,
}

/// Position in [-2, n + 2] cells from a u16.
fn spread(a: u16, n: usize) -> f64 {
    -2.0 + (n as f64 + 4.0) * f64::from(a) / 65535.0
}

fn snap(v: f64, q: f64) -> f64 {
    if q == 0.0 {
        v
    } else {
        (v * q).round() / q
    }
}

/// A star-shaped ring: increasing angles around `c`, radii scaled by `scale`.
fn star(c: (f64, f64), spec: &[(u16, u16)], scale: f64, q: f64) -> Vec<Coord<f64>> {
    let steps: Vec<f64> = spec.iter().map(|&(a, _)| 1.0 + f64::from(a % 64)).collect();
    let total: f64 = steps.iter().sum();
    let mut angle = 0.0_f64;
    let mut pts = Vec::with_capacity(spec.len());
    for (&(_, r), step) in spec.iter().zip(&steps) {
        let radius = scale * (0.05 + f64::from(r) / 65535.0);
        pts.push(Coord {
            x: snap(c.0 + radius * angle.cos(), q),
            y: snap(c.1 + radius * angle.sin(), q),
        });
        angle += std::f64::consts::TAU * step / total;
    }
    pts
}

fn raw(spec: &[(u16, u16)], w: usize, h: usize, q: f64) -> Vec<Coord<f64>> {
    spec.iter()
        .map(|&(a, b)| Coord {
            x: snap(spread(a, w), q),
            y: snap(spread(b, h), q),
        })
        .collect()
}

fn closed(mut pts: Vec<Coord<f64>>) -> LineString<f64> {
    if let Some(&first) = pts.first() {
        pts.push(first);
    }
    LineString(pts)
}

/// Signed area of a ring (implicitly closed), relative to its first vertex.
fn signed_area(pts: &[Coord<f64>]) -> f64 {
    let Some(&o) = pts.first() else { return 0.0 };
    let n = pts.len();
    let mut twice = 0.0;
    for i in 0..n {
        let (a, b) = (pts[i], pts[(i + 1) % n]);
        twice += (a.x - o.x) * (b.y - o.y) - (b.x - o.x) * (a.y - o.y);
    }
    0.5 * twice
}

/// Sutherland–Hodgman: `pts` clipped to the half-plane where `inside` holds.
fn clip_half(
    pts: &[Coord<f64>],
    inside: impl Fn(Coord<f64>) -> bool,
    cut: impl Fn(Coord<f64>, Coord<f64>) -> Coord<f64>,
) -> Vec<Coord<f64>> {
    let mut out = Vec::with_capacity(pts.len() + 4);
    for i in 0..pts.len() {
        let (a, b) = (pts[i], pts[(i + 1) % pts.len()]);
        match (inside(a), inside(b)) {
            (true, true) => out.push(b),
            (true, false) => out.push(cut(a, b)),
            (false, true) => {
                out.push(cut(a, b));
                out.push(b);
            }
            (false, false) => {}
        }
    }
    out
}

/// Signed area of a ring clipped to the rectangle [x0, x1] × [y0, y1]. Correct for
/// concave rings too (the degenerate edges it leaves on the rectangle add no area).
fn clipped_area(ring: &[Coord<f64>], x0: f64, x1: f64, y0: f64, y1: f64) -> f64 {
    let at_x = |x: f64| {
        move |a: Coord<f64>, b: Coord<f64>| Coord {
            x,
            y: a.y + (b.y - a.y) * (x - a.x) / (b.x - a.x),
        }
    };
    let at_y = |y: f64| {
        move |a: Coord<f64>, b: Coord<f64>| Coord {
            x: a.x + (b.x - a.x) * (y - a.y) / (b.y - a.y),
            y,
        }
    };
    let p = clip_half(ring, |c| c.x >= x0, at_x(x0));
    let p = clip_half(&p, |c| c.x <= x1, at_x(x1));
    let p = clip_half(&p, |c| c.y >= y0, at_y(y0));
    let p = clip_half(&p, |c| c.y <= y1, at_y(y1));
    signed_area(&p)
}

/// Area of the multipolygon (index space, rings open) inside cell (`col`, `row`).
fn cell_area_inside(rings: &[(Vec<Coord<f64>>, f64)], col: usize, row: usize) -> f64 {
    let (x0, y0) = (col as f64, row as f64);
    rings
        .iter()
        .map(|(ring, sign)| sign * clipped_area(ring, x0, x0 + 1.0, y0, y0 + 1.0))
        .sum()
}

/// Closest approach that counts as a touch: a vertex this near (in cells) to a segment
/// it is not an end of makes the ring numerically self-touching.
const TOUCH: f64 = 1e-7;

/// Distance from `p` to segment `a`–`b`.
fn point_segment_distance(p: Coord<f64>, a: Coord<f64>, b: Coord<f64>) -> f64 {
    let (dx, dy) = (b.x - a.x, b.y - a.y);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.x - a.x) * dx + (p.y - a.y) * dy) / len2).clamp(0.0, 1.0)
    };
    ((p.x - a.x - t * dx).powi(2) + (p.y - a.y - t * dy).powi(2)).sqrt()
}

/// True when some vertex lies within [`TOUCH`] of a segment it does not end: geo may
/// call such a polygon valid (the spike has a width of a few ulps), but crossing points
/// computed on the two sides of the spike can come out in either order. Known
/// limitation, kept in engine/tests/fuzz_regressions.rs; the oracle skips these.
fn nearly_touching(mp: &MultiPolygon<f64>) -> bool {
    let rings: Vec<&LineString<f64>> =
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .collect();
    for (ri, r) in rings.iter().enumerate() {
        for (vi, &p) in r.0.iter().enumerate() {
            for (si, s) in rings.iter().enumerate() {
                for (k, seg) in s.0.windows(2).enumerate() {
                    let same_ring = ri == si;
                    let n = r.0.len() - 1;
                    // Segment k joins vertices k and k + 1 (the closing vertex n is vertex 0).
                    let ends = |v: usize| {
                        v % n.max(1) == k % n.max(1) || v % n.max(1) == (k + 1) % n.max(1)
                    };
                    if same_ring && ends(vi) {
                        continue;
                    }
                    if point_segment_distance(p, seg[0], seg[1]) < TOUCH {
                        return true;
                    }
                }
            }
        }
    }
    false
}

fuzz_target!(|input: Input| {
    let w = 1 + usize::from(input.width) % MAX_SIDE;
    let h = 1 + usize::from(input.height) % MAX_SIDE;
    let (fx, fy, cx, cy) = FRAMES[usize::from(input.frame) % FRAMES.len()];
    let q = LATTICE[usize::from(input.lattice) % LATTICE.len()];
    let dx = if input.flip_x { -cx } else { cx };
    let dy = if input.south_up { cy } else { -cy };
    let t = GeoTransform {
        x0: fx,
        dx,
        rx: 0.0,
        y0: fy,
        ry: 0.0,
        dy,
    };
    let grid = Grid {
        width: w,
        height: h,
        transform: t,
    };

    // Index-space polygons (the oracle's geometry) and their world images.
    let mut index_polys = Vec::new();
    for spec in input.parts.iter().take(MAX_PARTS) {
        let verts = &spec.vertices[..spec.vertices.len().min(MAX_VERTICES)];
        let c = (spread(spec.center.0, w), spread(spec.center.1, h));
        let scale = (w.max(h) as f64) / 2.0 + 1.0;
        let exterior = if spec.star {
            star(c, verts, scale, q)
        } else {
            raw(verts, w, h, q)
        };
        let holes = match &spec.hole {
            Some(hv) => {
                let hv = &hv[..hv.len().min(MAX_VERTICES)];
                let hole = if spec.star {
                    star(c, hv, 0.04 * scale, q)
                } else {
                    raw(hv, w, h, q)
                };
                vec![closed(hole)]
            }
            None => Vec::new(),
        };
        index_polys.push(Polygon::new(closed(exterior), holes));
    }
    let index_mp = MultiPolygon(index_polys);
    let to_world = |c: &Coord<f64>| Coord {
        x: t.x0 + c.x * t.dx,
        y: t.y0 + c.y * t.dy,
    };
    let world_mp = MultiPolygon(
        index_mp
            .0
            .iter()
            .map(|p| {
                let map = |ls: &LineString<f64>| LineString(ls.0.iter().map(to_world).collect());
                Polygon::new(map(p.exterior()), p.interiors().iter().map(map).collect())
            })
            .collect(),
    );

    let cov = match coverage(&world_mp, &grid) {
        Ok(cov) => cov,
        Err(e) => panic!("finite polygon on a {w}×{h} grid: {e}"),
    };
    let win = cov.window;
    assert_eq!(cov.fractions.len(), win.len());
    assert!(win.is_empty() || (win.col_off + win.width <= w && win.row_off + win.height <= h));
    for &f in &cov.fractions {
        assert!(f.is_finite() && (0.0..=1.0).contains(&f), "fraction {f}");
    }

    // geo accepts an empty exterior with holes as valid; the oracle needs real exteriors.
    let real_exteriors = index_mp
        .0
        .iter()
        .all(|p| p.exterior().0.len() >= 4 && signed_area(&p.exterior().0) != 0.0);
    if index_mp.0.is_empty()
        || !real_exteriors
        || !index_mp.is_valid()
        || nearly_touching(&index_mp)
    {
        return;
    }
    // coverage_clipped equals coverage on the clip (for invalid rings it may not).
    let clip = Window {
        col_off: usize::from(input.clip[0]) % w,
        row_off: usize::from(input.clip[1]) % h,
        width: 1 + usize::from(input.clip[2]) % w,
        height: 1 + usize::from(input.clip[3]) % h,
    };
    let part = coverage_clipped(&world_mp, &grid, clip).expect("clipped coverage");
    for row in clip.row_off..clip.row_off + clip.height {
        for col in clip.col_off..clip.col_off + clip.width {
            let (a, b) = (part.get(col, row), cov.get(col, row));
            assert!((a - b).abs() <= 1e-9, "clip ({col}, {row}): {a} vs {b}");
        }
    }

    // Rings with the sign that makes exteriors add and holes subtract.
    let mut rings = Vec::new();
    for p in &index_mp.0 {
        for (k, ring) in std::iter::once(p.exterior())
            .chain(p.interiors())
            .enumerate()
        {
            let open = &ring.0[..ring.0.len().saturating_sub(1)];
            let s = signed_area(open).signum() * if k == 0 { 1.0 } else { -1.0 };
            rings.push((open.to_vec(), s));
        }
    }
    let mut expected_sum = 0.0;
    for row in 0..h {
        for col in 0..w {
            let expected = cell_area_inside(&rings, col, row);
            expected_sum += expected;
            let got = cov.get(col, row);
            assert!(
                (got - expected).abs() <= 1e-7,
                "cell ({col}, {row}): coverage {got}, clipped area {expected}"
            );
        }
    }
    let sum = cov.sum();
    let cells = (w * h) as f64;
    assert!(
        (sum - expected_sum).abs() <= 1e-7 * cells,
        "sum {sum} vs clipped area {expected_sum}"
    );
    let index_area = polygon_area(&index_mp);
    let inside = rings.iter().all(|(r, _)| {
        r.iter()
            .all(|c| (0.0..=w as f64).contains(&c.x) && (0.0..=h as f64).contains(&c.y))
    });
    if inside {
        assert!(
            (sum - index_area).abs() <= 1e-7 * cells.max(index_area),
            "inside the grid: coverage sum {sum} vs polygon_area {index_area}"
        );
        let world_area = polygon_area(&world_mp) / (cx * cy);
        assert!(
            (sum - world_area).abs() <= 1e-6 * cells.max(world_area),
            "inside the grid: coverage sum {sum} vs world polygon_area / cell {world_area}"
        );
    }
});
