//! Property tests of exact coverage: areas add up, fractions stay in [0, 1], and single
//! cells agree with an independent oracle (geo's boolean intersection with the cell).
//!
//! Polygons are simple by construction: star-shaped polygons (vertices at increasing
//! angles around a centre, random radii), optionally with a star-shaped hole that fits
//! in the disc the exterior is known to contain, and rectangles with rectangular holes.

use geo::{Area, BooleanOps, Coord, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use reclaim::coverage::{coverage, polygon_area};
use reclaim::{GeoTransform, Grid};

/// A random axis-aligned grid: size, cell size, orientation and origin.
#[derive(Debug, Clone)]
struct GridSpec {
    width: usize,
    height: usize,
    cell_x: f64,
    cell_y: f64,
    north_up: bool,
    origin: (f64, f64),
}

impl GridSpec {
    fn grid(&self) -> Grid {
        let h = self.height as f64 * self.cell_y;
        let (y0, dy) = if self.north_up {
            (self.origin.1 + h, -self.cell_y)
        } else {
            (self.origin.1, self.cell_y)
        };
        Grid {
            width: self.width,
            height: self.height,
            transform: GeoTransform {
                x0: self.origin.0,
                dx: self.cell_x,
                rx: 0.0,
                y0,
                ry: 0.0,
                dy,
            },
        }
    }

    /// Map extent (xmin, ymin, xmax, ymax).
    fn extent(&self) -> (f64, f64, f64, f64) {
        let (x, y) = self.origin;
        (
            x,
            y,
            x + self.width as f64 * self.cell_x,
            y + self.height as f64 * self.cell_y,
        )
    }

    fn cell_area(&self) -> f64 {
        self.cell_x * self.cell_y
    }

    /// Map rectangle of raster cell (col, row).
    fn cell_polygon(&self, col: usize, row: usize) -> Polygon<f64> {
        let t = self.grid().transform;
        let (xa, ya) = t.apply(col as f64, row as f64);
        let (xb, yb) = t.apply(col as f64 + 1.0, row as f64 + 1.0);
        rect(xa.min(xb), ya.min(yb), xa.max(xb), ya.max(yb))
    }
}

fn grid_spec(far_origins: bool) -> impl Strategy<Value = GridSpec> {
    let origin = if far_origins {
        prop_oneof![
            Just((0.0, 0.0)),
            (-1000.0..1000.0f64, -1000.0..1000.0f64),
            Just((640_000.0, 4_800_000.0)),
            Just((42_300_000.0, 4_810_000.0)),
        ]
        .boxed()
    } else {
        (-100.0..100.0f64, -100.0..100.0f64).boxed()
    };
    (
        3usize..24,
        3usize..24,
        prop_oneof![Just(10.0), Just(1.0), 0.3..30.0f64],
        prop_oneof![Just(10.0), Just(1.0), 0.3..30.0f64],
        any::<bool>(),
        origin,
    )
        .prop_map(
            |(width, height, cell_x, cell_y, north_up, origin)| GridSpec {
                width,
                height,
                cell_x,
                cell_y,
                north_up,
                origin,
            },
        )
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
    Polygon::new(
        LineString::from(vec![(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]),
        vec![],
    )
}

/// A star-shaped ring: `n` vertices at jittered, increasing angles with radii in
/// `[r_min, r_max]` (unit fractions given), around `centre`.
#[derive(Debug, Clone)]
struct Star {
    jitter: Vec<f64>,
    radii: Vec<f64>,
    clockwise: bool,
}

fn star() -> impl Strategy<Value = Star> {
    (3usize..32).prop_flat_map(|n| {
        (
            prop::collection::vec(-0.35..0.35f64, n),
            prop::collection::vec(0.2..1.0f64, n),
            any::<bool>(),
        )
            .prop_map(|(jitter, radii, clockwise)| Star {
                jitter,
                radii,
                clockwise,
            })
    })
}

impl Star {
    fn angles(&self) -> Vec<f64> {
        let n = self.radii.len() as f64;
        let step = std::f64::consts::TAU / n;
        self.jitter
            .iter()
            .enumerate()
            .map(|(i, j)| (i as f64 + j) * step)
            .collect()
    }

    /// Ring coordinates for scale `r` around `c`.
    fn ring(&self, c: (f64, f64), r: f64) -> LineString<f64> {
        let mut pts: Vec<(f64, f64)> = self
            .angles()
            .iter()
            .zip(&self.radii)
            .map(|(a, k)| (c.0 + r * k * a.cos(), c.1 + r * k * a.sin()))
            .collect();
        if self.clockwise {
            pts.reverse();
        }
        LineString::from(pts)
    }

    /// Fraction of the scale within which a disc around the centre is surely inside.
    fn inner_disc(&self) -> f64 {
        let a = self.angles();
        let n = a.len();
        let mut max_gap: f64 = 0.0;
        for i in 0..n {
            let next = if i + 1 < n {
                a[i + 1]
            } else {
                a[0] + std::f64::consts::TAU
            };
            max_gap = max_gap.max(next - a[i]);
        }
        let r_min = self.radii.iter().copied().fold(f64::INFINITY, f64::min);
        if max_gap >= std::f64::consts::PI {
            0.0
        } else {
            r_min * (max_gap / 2.0).cos()
        }
    }
}

/// A star polygon (with an optional star hole) centred at fraction `(fx, fy)` of the
/// grid extent, of scale `scale` × the smallest distance to the extent's edges.
fn star_polygon(
    spec: &GridSpec,
    outer: &Star,
    hole: Option<&Star>,
    (fx, fy): (f64, f64),
    scale: f64,
) -> Polygon<f64> {
    let (x0, y0, x1, y1) = spec.extent();
    let c = (x0 + fx * (x1 - x0), y0 + fy * (y1 - y0));
    let room = (c.0 - x0).min(x1 - c.0).min(c.1 - y0).min(y1 - c.1);
    let r = scale * room;
    let holes = hole
        .filter(|_| outer.inner_disc() > 0.0)
        .map(|h| h.ring(c, r * outer.inner_disc() * 0.9))
        .into_iter()
        .collect();
    Polygon::new(outer.ring(c, r), holes)
}

/// geo's boolean ops (i_overlay) snap coordinates to an integer grid scaled to the
/// inputs' extent (about extent · 2⁻³⁰), which moves a cell's fraction by about
/// snap · (edge length in the cell) / cell area: measured up to 1e-7 on long thin cells.
/// Its agreement is checked to that scale; the tight 1e-9 check is against
/// [`clipped_area`], whose plain f64 arithmetic does not snap.
fn geo_boolean_tolerance(poly: &Polygon<f64>, spec: &GridSpec) -> f64 {
    let r = geo::BoundingRect::bounding_rect(poly).unwrap();
    let (x0, y0, x1, y1) = spec.extent();
    let extent = (r.max().x.max(x1) - r.min().x.min(x0)).max(r.max().y.max(y1) - r.min().y.min(y0));
    let snap = extent * 2f64.powi(-30);
    1e-9 + 8.0 * snap * (spec.cell_x + spec.cell_y) / spec.cell_area()
}

/// Area of `poly ∩ cell` by Sutherland–Hodgman clipping of every ring against the
/// (convex) cell rectangle: the clipped ring may have degenerate edges along the cell
/// boundary, which carry no area, so its shoelace area is the intersection's area.
fn clipped_area(poly: &Polygon<f64>, cell: &Polygon<f64>) -> f64 {
    let r = geo::BoundingRect::bounding_rect(cell).unwrap();
    let (xmin, ymin, xmax, ymax) = (r.min().x, r.min().y, r.max().x, r.max().y);
    let ring_area = |ring: &LineString<f64>| {
        let mut pts: Vec<Coord<f64>> = ring.0.clone();
        pts.pop(); // closing vertex
                   // Translate to the cell corner so the products stay small.
        let mut pts: Vec<Coord<f64>> = pts
            .iter()
            .map(|c| Coord {
                x: c.x - xmin,
                y: c.y - ymin,
            })
            .collect();
        let (w, h) = (xmax - xmin, ymax - ymin);
        pts = clip(&pts, |p| p.x >= 0.0, |p, q| at_x(p, q, 0.0));
        pts = clip(&pts, |p| p.x <= w, |p, q| at_x(p, q, w));
        pts = clip(&pts, |p| p.y >= 0.0, |p, q| at_y(p, q, 0.0));
        pts = clip(&pts, |p| p.y <= h, |p, q| at_y(p, q, h));
        let n = pts.len();
        let twice: f64 = (0..n)
            .map(|i| {
                let (a, b) = (pts[i], pts[(i + 1) % n]);
                a.x * b.y - b.x * a.y
            })
            .sum();
        (twice / 2.0).abs()
    };
    ring_area(poly.exterior()) - poly.interiors().iter().map(ring_area).sum::<f64>()
}

/// One Sutherland–Hodgman pass: keep the part of the ring where `inside` holds.
fn clip(
    ring: &[Coord<f64>],
    inside: impl Fn(Coord<f64>) -> bool,
    cut: impl Fn(Coord<f64>, Coord<f64>) -> Coord<f64>,
) -> Vec<Coord<f64>> {
    let mut out = Vec::new();
    for i in 0..ring.len() {
        let p = ring[(i + ring.len() - 1) % ring.len()];
        let q = ring[i];
        match (inside(p), inside(q)) {
            (true, true) => out.push(q),
            (true, false) => out.push(cut(p, q)),
            (false, true) => {
                out.push(cut(p, q));
                out.push(q);
            }
            (false, false) => {}
        }
    }
    out
}

fn at_x(p: Coord<f64>, q: Coord<f64>, x: f64) -> Coord<f64> {
    Coord {
        x,
        y: p.y + (x - p.x) * (q.y - p.y) / (q.x - p.x),
    }
}

fn at_y(p: Coord<f64>, q: Coord<f64>, y: f64) -> Coord<f64> {
    Coord {
        x: p.x + (y - p.y) * (q.x - p.x) / (q.y - p.y),
        y,
    }
}

/// True when every vertex maps into the grid's index range (as the engine maps it).
/// Rectangles snapped to the grid's border may round to a few ulps outside it.
fn inside_grid(p: &MultiPolygon<f64>, spec: &GridSpec) -> bool {
    let t = spec.grid().transform;
    let (w, h) = (spec.width as f64, spec.height as f64);
    p.0.iter()
        .flat_map(|poly| std::iter::once(poly.exterior()).chain(poly.interiors()))
        .flat_map(|ring| ring.0.iter())
        .all(|c| {
            let (u, v) = ((c.x - t.x0) / t.dx, (c.y - t.y0) / t.dy);
            (0.0..=w).contains(&u) && (0.0..=h).contains(&v)
        })
}

/// Cases per property: 192, or `PROPTEST_CASES` for a longer run.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(192)
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(f64::MIN_POSITIVE)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Inside the grid, the covered area is the polygon's area.
    #[test]
    fn star_inside_grid_sums_to_its_area(
        spec in grid_spec(true),
        outer in star(),
        hole in prop::option::of(star()),
        centre in (0.3..0.7f64, 0.3..0.7f64),
        scale in 0.05..0.999f64,
    ) {
        let p = MultiPolygon(vec![star_polygon(&spec, &outer, hole.as_ref(), centre, scale)]);
        let cov = coverage(&p, &spec.grid()).unwrap();
        let covered = cov.sum() * spec.cell_area();
        let area = polygon_area(&p);
        prop_assert!(close(covered, area, 1e-9), "covered {covered} vs area {area}");
        prop_assert!(cov.fractions.iter().all(|f| (0.0..=1.0).contains(f)));
    }

    /// Rectangles with a rectangular hole, vertices anywhere (on grid lines often).
    #[test]
    fn rectangle_with_hole_sums_to_its_area(
        spec in grid_spec(true),
        outer in (0.0..1.0f64, 0.0..1.0f64, 0.0..1.0f64, 0.0..1.0f64),
        hole in (0.1..0.9f64, 0.1..0.9f64, 0.1..0.9f64, 0.1..0.9f64),
        snap in any::<bool>(),
    ) {
        let (x0, y0, x1, y1) = spec.extent();
        let (w, h) = (spec.width as f64, spec.height as f64);
        // Fractions of the extent; snapped to whole cells (at least one) when `snap`.
        let span = |a: f64, b: f64, n: f64| {
            let (lo, hi) = (a.min(b), a.max(b));
            if snap {
                let first = (lo * n).floor().min(n - 1.0);
                (first / n, (hi * n).ceil().max(first + 1.0) / n)
            } else {
                (lo, hi)
            }
        };
        let (ax, bx) = span(outer.0, outer.1, w);
        let (ay, by) = span(outer.2, outer.3, h);
        prop_assume!(bx > ax && by > ay);
        let mx = |f: f64| x0 + f * (x1 - x0);
        let my = |f: f64| y0 + f * (y1 - y0);
        let ext = rect(mx(ax), my(ay), mx(bx), my(by));
        // The hole inside the exterior, as fractions of it.
        let (hx0, hx1) = (hole.0.min(hole.1), hole.0.max(hole.1));
        let (hy0, hy1) = (hole.2.min(hole.3), hole.2.max(hole.3));
        let lx = |f: f64| ax + f * (bx - ax);
        let ly = |f: f64| ay + f * (by - ay);
        let hole_ring = rect(mx(lx(hx0)), my(ly(hy0)), mx(lx(hx1)), my(ly(hy1)));
        let p = MultiPolygon(vec![Polygon::new(
            ext.exterior().clone(),
            vec![hole_ring.exterior().clone()],
        )]);
        let cov = coverage(&p, &spec.grid()).unwrap();
        let covered = cov.sum() * spec.cell_area();
        let area = polygon_area(&p);
        if inside_grid(&p, &spec) {
            prop_assert!(close(covered, area, 1e-9), "covered {covered} vs area {area}");
        } else {
            // An edge on the grid's border, rounded a few ulps outside it.
            prop_assert!(covered <= area * (1.0 + 1e-12), "covered {covered} > area {area}");
            prop_assert!(close(covered, area, 1e-6), "covered {covered} vs area {area}");
        }
    }

    /// Partly outside the grid: never more than the area, fractions in [0, 1].
    #[test]
    fn star_partly_outside_stays_bounded(
        spec in grid_spec(true),
        outer in star(),
        hole in prop::option::of(star()),
        centre in (-0.5..1.5f64, -0.5..1.5f64),
        reach in 0.2..3.0f64,
    ) {
        let (x0, y0, x1, y1) = spec.extent();
        let c = (x0 + centre.0 * (x1 - x0), y0 + centre.1 * (y1 - y0));
        let r = reach * (x1 - x0).max(y1 - y0);
        let holes = hole
            .filter(|_| outer.inner_disc() > 0.0)
            .map(|h| h.ring(c, r * outer.inner_disc() * 0.9))
            .into_iter()
            .collect();
        let p = MultiPolygon(vec![Polygon::new(outer.ring(c, r), holes)]);
        let cov = coverage(&p, &spec.grid()).unwrap();
        prop_assert!(cov.fractions.iter().all(|f| (0.0..=1.0).contains(f)));
        let covered = cov.sum() * spec.cell_area();
        let area = polygon_area(&p);
        prop_assert!(covered <= area * (1.0 + 1e-9), "covered {covered} > area {area}");
        // The window never leaves the grid.
        let w = cov.window;
        prop_assert!(w.col_off + w.width <= spec.width && w.row_off + w.height <= spec.height);
    }

    /// Single cells agree with geo's boolean intersection of the polygon and the cell.
    #[test]
    fn cells_match_the_boolean_ops_oracle(
        spec in grid_spec(false),
        outer in star(),
        hole in prop::option::of(star()),
        centre in (-0.2..1.2f64, -0.2..1.2f64),
        reach in 0.1..1.0f64,
        cells in prop::collection::vec((0.0..1.0f64, 0.0..1.0f64), 8),
    ) {
        let (x0, y0, x1, y1) = spec.extent();
        let c = (x0 + centre.0 * (x1 - x0), y0 + centre.1 * (y1 - y0));
        let r = reach * (x1 - x0).max(y1 - y0);
        let holes = hole
            .filter(|_| outer.inner_disc() > 0.0)
            .map(|h| h.ring(c, r * outer.inner_disc() * 0.9))
            .into_iter()
            .collect();
        let poly = Polygon::new(outer.ring(c, r), holes);
        let cov = coverage(&MultiPolygon(vec![poly.clone()]), &spec.grid()).unwrap();
        // Half of the probes go to crossed cells (fraction strictly between 0 and 1).
        let partial: Vec<(usize, usize)> = (0..spec.height)
            .flat_map(|row| (0..spec.width).map(move |col| (col, row)))
            .filter(|&(col, row)| {
                let f = cov.get(col, row);
                f > 0.0 && f < 1.0
            })
            .collect();
        let geo_tol = geo_boolean_tolerance(&poly, &spec);
        for (i, (a, b)) in cells.iter().enumerate() {
            let (col, row) = if i % 2 == 0 && !partial.is_empty() {
                partial[((a * partial.len() as f64) as usize).min(partial.len() - 1)]
            } else {
                (
                    ((a * spec.width as f64) as usize).min(spec.width - 1),
                    ((b * spec.height as f64) as usize).min(spec.height - 1),
                )
            };
            let cell = spec.cell_polygon(col, row);
            let got = cov.get(col, row);
            let clipped = clipped_area(&poly, &cell) / spec.cell_area();
            prop_assert!(
                (got - clipped).abs() <= 1e-9,
                "cell ({col}, {row}): coverage {got}, clipping oracle {clipped}"
            );
            let boolean = poly.intersection(&cell).unsigned_area() / spec.cell_area();
            prop_assert!(
                (got - boolean).abs() <= geo_tol,
                "cell ({col}, {row}): coverage {got}, geo boolean-ops oracle {boolean}"
            );
        }
    }
}

/// A unit south-up grid at `origin` (cell (c, r) = [c, c+1] × [r, r+1] + origin).
fn lattice_spec(width: usize, height: usize, origin: (f64, f64), north_up: bool) -> GridSpec {
    GridSpec {
        width,
        height,
        cell_x: 1.0,
        cell_y: 1.0,
        north_up,
        origin,
    }
}

/// Checks every cell of `spec` against the clipping oracle, and the total against the
/// polygon's area when it lies inside the grid.
fn check_all_cells(poly: &Polygon<f64>, spec: &GridSpec) -> Result<(), TestCaseError> {
    let p = MultiPolygon(vec![poly.clone()]);
    let cov = coverage(&p, &spec.grid()).unwrap();
    for row in 0..spec.height {
        for col in 0..spec.width {
            let want = clipped_area(poly, &spec.cell_polygon(col, row)) / spec.cell_area();
            let got = cov.get(col, row);
            prop_assert!(
                (got - want).abs() <= 1e-9,
                "cell ({col}, {row}): coverage {got}, clipping oracle {want}"
            );
        }
    }
    if inside_grid(&p, spec) {
        let covered = cov.sum() * spec.cell_area();
        prop_assert!(close(covered, polygon_area(&p), 1e-9));
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Star polygons whose vertices are snapped to a quarter-cell lattice: many vertices
    /// on cell corners and sides, edges along grid lines.
    #[test]
    fn lattice_star_matches_the_oracle(
        n in 3usize..24,
        radii in prop::collection::vec(0.5..6.0f64, 24),
        clockwise in any::<bool>(),
        north_up in any::<bool>(),
        far in any::<bool>(),
    ) {
        let origin = if far { (640_000.0, 4_800_000.0) } else { (0.0, 0.0) };
        let spec = lattice_spec(12, 12, origin, north_up);
        // Centre off the lattice, so angles around it are never ambiguous.
        let c = (6.37, 5.91);
        let step = std::f64::consts::TAU / n as f64;
        let snap = |v: f64| (v * 4.0).round() / 4.0;
        let mut pts: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let a = i as f64 * step;
                (snap(c.0 + radii[i] * a.cos()), snap(c.1 + radii[i] * a.sin()))
            })
            .collect();
        pts.dedup();
        // Still star-shaped around the centre: strictly increasing angles.
        let angles: Vec<f64> = pts
            .iter()
            .map(|&(x, y)| (y - c.1).atan2(x - c.0).rem_euclid(std::f64::consts::TAU))
            .collect();
        prop_assume!(pts.len() >= 3 && angles.windows(2).all(|w| w[1] > w[0]));
        prop_assume!(angles[angles.len() - 1] - angles[0] < std::f64::consts::TAU);
        if clockwise {
            pts.reverse();
        }
        let ring: Vec<(f64, f64)> = pts.iter().map(|&(x, y)| (x + origin.0, y + origin.1)).collect();
        let poly = Polygon::new(LineString::from(ring), vec![]);
        check_all_cells(&poly, &spec)?;
    }

    /// "Histogram" polygons: columns of random heights on half-cell steps, i.e. a
    /// rectilinear outline whose edges often run along grid lines, some outside the grid.
    #[test]
    fn histogram_polygon_matches_the_oracle(
        heights in prop::collection::vec(1u32..20, 2..12),
        widths in prop::collection::vec(1u32..5, 12),
        base in -2i32..4,
        left in -2i32..4,
        north_up in any::<bool>(),
    ) {
        let spec = lattice_spec(10, 8, (0.0, 0.0), north_up);
        let mut x = f64::from(left) / 2.0;
        let y0 = f64::from(base) / 2.0;
        // Outline: along the bottom to the right, then back over the column tops.
        let mut tops = Vec::new();
        for (i, h) in heights.iter().enumerate() {
            let x_next = x + f64::from(widths[i]) / 2.0;
            tops.push((x, x_next, y0 + f64::from(*h) / 2.0));
            x = x_next;
        }
        let mut ring = vec![(tops[0].0, y0), (x, y0)];
        for &(xa, xb, top) in tops.iter().rev() {
            ring.push((xb, top));
            ring.push((xa, top));
        }
        let poly = Polygon::new(LineString::from(ring), vec![]);
        check_all_cells(&poly, &spec)?;
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    /// Invalid input (self-intersecting rings, spikes, repeated and lattice vertices,
    /// holes anywhere): no panic, no NaN, every fraction in [0, 1].
    #[test]
    fn arbitrary_rings_stay_in_range(
        rings in prop::collection::vec(
            prop::collection::vec((-2i32..14, -2i32..14), 0..12),
            1..4,
        ),
        halves in any::<bool>(),
    ) {
        let scale = if halves { 0.5 } else { 1.0 };
        let line = |r: &Vec<(i32, i32)>| {
            LineString::from(
                r.iter()
                    .map(|&(x, y)| (f64::from(x) * scale, f64::from(y) * scale))
                    .collect::<Vec<_>>(),
            )
        };
        let poly = Polygon::new(line(&rings[0]), rings[1..].iter().map(line).collect());
        let spec = lattice_spec(10, 10, (0.0, 0.0), true);
        let cov = coverage(&MultiPolygon(vec![poly]), &spec.grid()).unwrap();
        prop_assert!(cov.fractions.iter().all(|f| (0.0..=1.0).contains(f)));
        prop_assert_eq!(cov.fractions.len(), cov.window.len());
    }
}

/// Many rings far from the origin on a north-up 10 m grid: still exact.
#[test]
fn utm_star_with_hole_matches_its_area() {
    let spec = GridSpec {
        width: 40,
        height: 30,
        cell_x: 10.0,
        cell_y: 10.0,
        north_up: true,
        origin: (640_000.0, 4_800_000.0),
    };
    let outer = Star {
        jitter: (0..50)
            .map(|i| ((i * 7) % 11) as f64 / 40.0 - 0.12)
            .collect(),
        radii: (0..50)
            .map(|i| 0.6 + ((i * 13) % 17) as f64 / 50.0)
            .collect(),
        clockwise: false,
    };
    let hole = Star {
        jitter: vec![0.0; 12],
        radii: (0..12).map(|i| 0.5 + (i % 3) as f64 / 6.0).collect(),
        clockwise: false,
    };
    let p = MultiPolygon(vec![star_polygon(
        &spec,
        &outer,
        Some(&hole),
        (0.5, 0.5),
        0.95,
    )]);
    let cov = coverage(&p, &spec.grid()).unwrap();
    let covered = cov.sum() * spec.cell_area();
    assert!(close(covered, polygon_area(&p), 1e-12), "{covered}");
}
