//! Numerical robustness of exact coverage and geometry checks at the magnitudes of real
//! projected data: zone-prefixed Gauss–Krüger eastings (x ≈ 4.25e7, where one f64 step
//! is 7.5e-9 m), vertices exactly on cell corners, near-duplicate vertices, spikes and
//! slivers thinner than 1 mm. Every expected area is worked out by hand in the comments;
//! coordinates are chosen to be exact binary fractions, so "exact" means exact.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use reclaim::coverage::{coverage, polygon_area};
use reclaim::grid::{GeoTransform, Grid};
use reclaim::vector::validate;
use reclaim::vector::GeometryProblem;

/// Zone 42 CGCS2000 3° Gauss–Krüger with the zone number prefixed to the easting.
const X0: f64 = 42_500_000.0;
/// Top edge of the grid (northing).
const Y0: f64 = 4_800_000.0;

/// 20 × 20 cells of 10 m, top-left corner at (X0, Y0).
fn grid() -> Grid {
    Grid {
        width: 20,
        height: 20,
        transform: GeoTransform {
            x0: X0,
            dx: 10.0,
            rx: 0.0,
            y0: Y0,
            ry: 0.0,
            dy: -10.0,
        },
    }
}

/// A polygon from points in metres relative to the grid's bottom-left corner (X0, Y0 − 200).
fn poly(pts: &[(f64, f64)]) -> MultiPolygon<f64> {
    let ring: Vec<Coord<f64>> = pts
        .iter()
        .map(|&(x, y)| Coord {
            x: X0 + x,
            y: Y0 - 200.0 + y,
        })
        .collect();
    MultiPolygon::new(vec![Polygon::new(LineString::new(ring), vec![])])
}

fn rect(x: f64, y: f64, w: f64, h: f64) -> MultiPolygon<f64> {
    poly(&[(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)])
}

/// Covered area in m² (fractions × 100 m² cells).
fn covered_m2(mp: &MultiPolygon<f64>) -> f64 {
    coverage(mp, &grid()).unwrap().sum() * 100.0
}

#[test]
fn a_rectangle_on_cell_corners_covers_whole_cells_exactly() {
    // 30 m × 50 m from (20, 130): exactly 3 × 5 cells, 1500 m².
    let mp = rect(20.0, 130.0, 30.0, 50.0);
    let cov = coverage(&mp, &grid()).unwrap();
    assert!(
        cov.fractions.iter().all(|&f| f == 0.0 || f == 1.0),
        "{cov:?}"
    );
    assert_eq!(cov.fractions.iter().filter(|&&f| f == 1.0).count(), 15);
    assert_eq!(polygon_area(&mp), 1500.0);
    assert_eq!(covered_m2(&mp), 1500.0);
}

#[test]
fn a_diagonal_through_cell_corners_halves_cells_exactly() {
    // Right triangle with legs 100 m: 5000 m²; its hypotenuse runs through cell corners,
    // so the 10 cells it crosses are exactly half covered, 45 are whole.
    let mp = poly(&[(0.0, 0.0), (100.0, 0.0), (0.0, 100.0), (0.0, 0.0)]);
    let cov = coverage(&mp, &grid()).unwrap();
    let halves = cov.fractions.iter().filter(|&&f| f == 0.5).count();
    let wholes = cov.fractions.iter().filter(|&&f| f == 1.0).count();
    assert_eq!((halves, wholes), (10, 45));
    assert!(cov
        .fractions
        .iter()
        .all(|&f| f == 0.0 || f == 0.5 || f == 1.0));
    assert_eq!(polygon_area(&mp), 5000.0);
    assert_eq!(covered_m2(&mp), 5000.0);
}

#[test]
fn half_cell_offsets_give_quarters() {
    // 20 m × 20 m from (25, 25): corner cells a quarter, edge cells a half, centre one
    // whole: 4 × ¼ + 4 × ½ + 1 = 4 cells = 400 m².
    let mp = rect(25.0, 25.0, 20.0, 20.0);
    let cov = coverage(&mp, &grid()).unwrap();
    let count = |v: f64| cov.fractions.iter().filter(|&&f| f == v).count();
    assert_eq!((count(0.25), count(0.5), count(1.0)), (4, 4, 1));
    assert_eq!(covered_m2(&mp), 400.0);
}

#[test]
fn a_sliver_thinner_than_a_millimetre_keeps_its_area() {
    // 95 m long, 2⁻¹¹ m = 0.488 mm wide, across 10 cells: 95 × 2⁻¹¹ = 0.04638671875 m².
    let w = 2f64.powi(-11);
    let mp = rect(2.5, 66.75, 95.0, w);
    assert_eq!(polygon_area(&mp), 95.0 * w);
    let got = covered_m2(&mp);
    assert!((got - 95.0 * w).abs() <= 1e-9 * 95.0 * w, "{got}");
    // The geometry checks accept it (and would not repair it).
    assert_eq!(validate::check(&mp), Ok(()));
    // A sliver crossing a cell line diagonally: a parallelogram 2⁻¹¹ m wide in x,
    // 40 m tall, leaning 10 m: base × height = 2⁻¹¹ × 40.
    let lean = poly(&[
        (50.0, 20.0),
        (50.0 + w, 20.0),
        (60.0 + w, 60.0),
        (60.0, 60.0),
        (50.0, 20.0),
    ]);
    assert!((polygon_area(&lean) - 40.0 * w).abs() <= 1e-12);
    assert!((covered_m2(&lean) - 40.0 * w).abs() <= 1e-9 * 40.0 * w);
    assert_eq!(validate::check(&lean), Ok(()));
}

#[test]
fn near_duplicate_vertices_change_nothing() {
    // The 30 × 50 rectangle with each corner followed by a copy one f64 step further
    // along the next side (7.5e-9 m in x at this easting, 9.3e-10 m in y): the area is
    // 1500 m² to 1e-6 and the ring is still simple.
    let corners = [(20.0, 130.0), (50.0, 130.0), (50.0, 180.0), (20.0, 180.0)];
    let step = |v: f64, dir: f64| {
        if dir > 0.0 {
            f64::from_bits(v.to_bits() + 1)
        } else {
            f64::from_bits(v.to_bits() - 1)
        }
    };
    let mut ring = Vec::new();
    for (i, &(x, y)) in corners.iter().enumerate() {
        let c = Coord {
            x: X0 + x,
            y: Y0 - 200.0 + y,
        };
        let (nx, ny) = corners[(i + 1) % 4];
        ring.push(c);
        ring.push(if nx != x {
            Coord {
                x: step(c.x, nx - x),
                y: c.y,
            }
        } else {
            Coord {
                x: c.x,
                y: step(c.y, ny - y),
            }
        });
    }
    ring.push(ring[0]);
    let mp = MultiPolygon::new(vec![Polygon::new(LineString::new(ring.clone()), vec![])]);
    assert!((polygon_area(&mp) - 1500.0).abs() < 1e-6);
    assert!((covered_m2(&mp) - 1500.0).abs() < 1e-6);
    assert_eq!(validate::check(&mp), Ok(()));

    // The copy one step *diagonally* off the corner makes the ring come back across its
    // incoming side: a real (1e-17 m²) loop. It is found, and repaired to the rectangle.
    let mut looped = ring;
    looped[7] = Coord {
        x: step(looped[6].x, 1.0),
        y: step(looped[6].y, 1.0),
    };
    let mp = MultiPolygon::new(vec![Polygon::new(LineString::new(looped), vec![])]);
    assert!(matches!(
        validate::check(&mp),
        Err(GeometryProblem::SelfIntersection { .. })
    ));
    let fixed = validate::repair(&mp).unwrap();
    assert!((polygon_area(&fixed) - 1500.0).abs() < 1e-6);
    assert!((covered_m2(&fixed) - 1500.0).abs() < 1e-6);
}

#[test]
fn a_spike_adds_no_area() {
    // The 30 × 50 rectangle with a 60 m spike out of its right side and back along the
    // same line: zero width, so 1500 m²; the cells under the spike stay empty.
    let mp = poly(&[
        (20.0, 130.0),
        (50.0, 130.0),
        (50.0, 155.0),
        (110.0, 155.0),
        (50.0, 155.0),
        (50.0, 180.0),
        (20.0, 180.0),
        (20.0, 130.0),
    ]);
    assert_eq!(polygon_area(&mp), 1500.0);
    let cov = coverage(&mp, &grid()).unwrap();
    assert_eq!(cov.sum() * 100.0, 1500.0);
    assert!(cov.fractions.iter().all(|&f| f == 0.0 || f == 1.0));
    assert_eq!(validate::check(&mp), Ok(()));
}

#[test]
fn pieces_add_up_to_the_whole_cell_by_cell() {
    // A quadrilateral cut by a line that is not on the grid: per cell, the two pieces'
    // fractions add up to the whole's (to 1e-10), and so do the areas.
    let whole = poly(&[
        (3.25, 7.5),
        (151.5, 12.25),
        (143.75, 171.0),
        (11.0, 160.5),
        (3.25, 7.5),
    ]);
    // Cut along x = 77.125 (exactly representable): intersection points by hand on the
    // bottom edge (3.25,7.5)-(151.5,12.25) and top edge (143.75,171)-(11,160.5).
    let yb = 7.5 + (77.125 - 3.25) / (151.5 - 3.25) * (12.25 - 7.5);
    let yt = 160.5 + (77.125 - 11.0) / (143.75 - 11.0) * (171.0 - 160.5);
    let left = poly(&[
        (3.25, 7.5),
        (77.125, yb),
        (77.125, yt),
        (11.0, 160.5),
        (3.25, 7.5),
    ]);
    let right = poly(&[
        (77.125, yb),
        (151.5, 12.25),
        (143.75, 171.0),
        (77.125, yt),
        (77.125, yb),
    ]);
    let g = grid();
    let (cw, cl, cr) = (
        coverage(&whole, &g).unwrap(),
        coverage(&left, &g).unwrap(),
        coverage(&right, &g).unwrap(),
    );
    for row in 0..g.height {
        for col in 0..g.width {
            let d = cw.get(col, row) - cl.get(col, row) - cr.get(col, row);
            // The cut points are rounded to f64: 1e-10 of a cell is 1e-8 m².
            assert!(d.abs() < 1e-10, "cell ({col}, {row}): {d}");
        }
    }
    let d = polygon_area(&whole) - polygon_area(&left) - polygon_area(&right);
    // The cut points' northings are rounded to f64 (half a step = 4.7e-10 m at 4.8e6):
    // over a 150 m cut that moves up to ~7e-8 m² from one piece to the other.
    assert!(d.abs() < 1e-7, "{d}");
    // Shoelace of the whole, by hand: ½|Σ xᵢyᵢ₊₁ − xᵢ₊₁yᵢ| with the points above,
    // relative to (3.25, 7.5): (148.25, 4.75), (140.5, 163.5), (7.75, 153):
    // 148.25·163.5 − 140.5·4.75 = 23 571.5; 140.5·153 − 7.75·163.5 = 20 229.375 → ½·43 800.875.
    assert_eq!(polygon_area(&whole), 43_800.875 / 2.0);
    assert!((cw.sum() * 100.0 - 21_900.437_5).abs() < 1e-8);
}

#[test]
fn a_micro_bow_tie_far_from_the_origin_is_still_found() {
    // A 40 m square whose right side has a 2 mm detour drawn as an X: edges
    // (60,140)→(60.002,140.002) and (60.002,140)→(60,140.002) cross at (60.001,140.001).
    // The lobes are 2e-6 m² and the coordinates 4.25e7, yet the exact orientation
    // predicates find the crossing.
    let bow = poly(&[
        (20.0, 120.0),
        (60.0, 120.0),
        (60.0, 140.0),
        (60.002, 140.002),
        (60.002, 140.0),
        (60.0, 140.002),
        (60.0, 160.0),
        (20.0, 160.0),
        (20.0, 120.0),
    ]);
    match validate::check(&bow) {
        Err(GeometryProblem::SelfIntersection { x, y }) => {
            assert!((x - (X0 + 60.001)).abs() < 1e-6 && (y - (Y0 - 200.0 + 140.001)).abs() < 1e-6);
        }
        other => panic!("{other:?}"),
    }
}
