//! Coverage of a multipolygon: window, rings, holes, parts.
//!
//! The window is the set of grid cells under the multipolygon's bounding box, clipped to
//! the grid. Each ring's inside fractions (see [`super::ring`]) are added for exteriors
//! and subtracted for holes; parts add. The sums are clamped to `[0, 1]`, which absorbs
//! rounding (a cell covered by an exterior and cut by a hole may come out as −1e−17)
//! and bounds the result for overlapping parts, which are invalid input.

use geo::MultiPolygon;

use super::error::CoverageError;
use super::result::Coverage;
use super::ring::{cell_span, RingWork};
use super::traversal::{WalkFailed, MAX_TRAVERSALS};
use crate::grid::{GeoTransform, Grid, Window};

/// Largest window, in cells, that one coverage call will allocate (2 GiB of f64).
pub const MAX_WINDOW_CELLS: usize = 1 << 28;

/// Exact fraction of each grid cell covered by `poly`, over the polygon's window.
///
/// Coordinates are in the grid's CRS. The part of the polygon outside the grid is not in
/// the result: `polygon_area(poly) − Σ fraction × cell area` is the area outside.
///
/// # Errors
/// [`CoverageError::RotatedGrid`] for a grid with rotation terms,
/// [`CoverageError::InvalidTransform`] for a zero or non-finite cell size,
/// [`CoverageError::NonFiniteCoordinate`] / [`CoverageError::CoordinateOverflow`] for
/// unusable vertices, [`CoverageError::WindowTooLarge`] beyond [`MAX_WINDOW_CELLS`],
/// [`CoverageError::TooManyCrossings`] for a ring crossing more than
/// [`MAX_TRAVERSALS`] cell boundaries.
///
/// # Example
/// ```
/// use reclaim::coverage::coverage;
/// use reclaim::{GeoTransform, Grid};
/// use geo::{polygon, MultiPolygon};
///
/// // 3 × 3 grid of 10 m cells, north-up, top-left corner at (0, 30).
/// let t = GeoTransform { x0: 0.0, dx: 10.0, rx: 0.0, y0: 30.0, ry: 0.0, dy: -10.0 };
/// let grid = Grid { width: 3, height: 3, transform: t };
/// // A 10 m square offset by half a cell covers a quarter of four cells.
/// let sq = polygon![(x: 5.0, y: 5.0), (x: 15.0, y: 5.0), (x: 15.0, y: 15.0), (x: 5.0, y: 15.0)];
/// let cov = coverage(&MultiPolygon(vec![sq]), &grid).unwrap();
/// assert_eq!(cov.get(0, 2), 0.25);
/// assert_eq!(cov.get(1, 1), 0.25);
/// assert_eq!(cov.sum(), 1.0);
/// ```
pub fn coverage(poly: &MultiPolygon<f64>, grid: &Grid) -> Result<Coverage, CoverageError> {
    coverage_clipped(poly, grid, grid.full_window())
}

/// Like [`coverage`], with the window further clipped to `clip` (e.g. one raster block).
///
/// Fractions are the same as over the whole grid; cells outside `clip` are left out.
///
/// # Errors
/// As [`coverage`].
pub fn coverage_clipped(
    poly: &MultiPolygon<f64>,
    grid: &Grid,
    clip: Window,
) -> Result<Coverage, CoverageError> {
    let t = &grid.transform;
    check_transform(t)?;
    let Some(limits) = clip.intersect(&grid.full_window()) else {
        return Ok(Coverage::empty(clip));
    };
    let Some(window) = polygon_window(poly, t, &limits)? else {
        return Ok(Coverage::empty(limits));
    };
    if window.len() > MAX_WINDOW_CELLS {
        return Err(CoverageError::WindowTooLarge {
            width: window.width,
            height: window.height,
            limit: MAX_WINDOW_CELLS,
        });
    }

    // Allocated at the first ring that cannot hand over its matrix (see below).
    let mut fractions: Option<Vec<f64>> = None;
    // True while `fractions` is exactly one exterior ring's matrix, all in [0, 1].
    let mut only_one_exterior = false;
    // Each thread keeps its ring scratch (traversals, fill plan, matrix) from polygon
    // to polygon: no fresh pages per footprint (a matrix handed over as the result
    // is the one buffer allocated anew).
    thread_local! {
        static WORK: std::cell::RefCell<RingWork> = std::cell::RefCell::new(RingWork::default());
    }
    WORK.with(|cell| -> Result<(), CoverageError> {
        let mut own = None;
        let mut borrowed = cell.try_borrow_mut().ok();
        let work: &mut RingWork = match borrowed.as_deref_mut() {
            Some(w) => w,
            None => own.insert(RingWork::default()),
        };
        for (part, polygon) in poly.0.iter().enumerate() {
            let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
            for (ring_index, ring) in rings.enumerate() {
                let sign = if ring_index == 0 { 1.0 } else { -1.0 };
                let placed = work.cover(ring, t, &window).map_err(|e| match e {
                    WalkFailed::TooManyCrossings => CoverageError::TooManyCrossings {
                        part,
                        ring: ring_index,
                        limit: MAX_TRAVERSALS,
                    },
                    WalkFailed::NoProgress => CoverageError::TraversalFailed {
                        part,
                        ring: ring_index,
                    },
                })?;
                let Some(at) = placed else { continue };
                let m = &work.matrix;
                let whole = at.col == 0
                    && at.row == 0
                    && m.width() == window.width
                    && m.height() == window.height;
                match fractions.as_mut() {
                    // The first ring over the whole window, an exterior: 0 + 1 × v is v
                    // bit for bit (v is never −0), so its matrix becomes the result
                    // without zeroing a buffer and adding it in.
                    None if whole && sign > 0.0 => {
                        fractions = Some(work.matrix.take_values());
                        only_one_exterior = true;
                    }
                    None => {
                        let mut sum = vec![0.0; window.len()];
                        accumulate(&mut sum, window.width, work, at.col, at.row, sign);
                        fractions = Some(sum);
                    }
                    Some(sum) => {
                        accumulate(sum, window.width, work, at.col, at.row, sign);
                        only_one_exterior = false;
                    }
                }
            }
        }
        Ok(())
    })?;
    let fractions = match fractions {
        // Fractions of one ring are already in [0, 1] (or NaN, which clamp keeps).
        Some(f) if only_one_exterior => f,
        Some(mut f) => {
            for v in &mut f {
                *v = v.clamp(0.0, 1.0);
            }
            f
        }
        None => vec![0.0; window.len()],
    };
    Ok(Coverage { window, fractions })
}

/// Rejects rotated grids and unusable cell sizes.
fn check_transform(t: &GeoTransform) -> Result<(), CoverageError> {
    if !t.is_axis_aligned() {
        return Err(CoverageError::RotatedGrid { rx: t.rx, ry: t.ry });
    }
    let usable = |v: f64| v.is_finite() && v != 0.0;
    if !(usable(t.dx) && usable(t.dy) && t.x0.is_finite() && t.y0.is_finite()) {
        return Err(CoverageError::InvalidTransform {
            x0: t.x0,
            y0: t.y0,
            dx: t.dx,
            dy: t.dy,
        });
    }
    Ok(())
}

/// Cells of `limits` under the polygon's bounding box in index space, checking every
/// vertex. `None` when the polygon has no vertex or misses `limits`.
fn polygon_window(
    poly: &MultiPolygon<f64>,
    t: &GeoTransform,
    limits: &Window,
) -> Result<Option<Window>, CoverageError> {
    let (mut xmin, mut xmax, mut ymin, mut ymax) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    let mut any = false;
    for (part, polygon) in poly.0.iter().enumerate() {
        let rings = std::iter::once(polygon.exterior()).chain(polygon.interiors());
        for (ring, ls) in rings.enumerate() {
            for (vertex, c) in ls.0.iter().enumerate() {
                if !(c.x.is_finite() && c.y.is_finite()) {
                    return Err(CoverageError::NonFiniteCoordinate {
                        part,
                        ring,
                        vertex,
                        x: c.x,
                        y: c.y,
                    });
                }
                let (u, v) = ((c.x - t.x0) / t.dx, (c.y - t.y0) / t.dy);
                if !(u.is_finite() && v.is_finite()) {
                    return Err(CoverageError::CoordinateOverflow { part, ring, vertex });
                }
                xmin = xmin.min(u);
                xmax = xmax.max(u);
                ymin = ymin.min(v);
                ymax = ymax.max(v);
                any = true;
            }
        }
    }
    if !any {
        return Ok(None);
    }
    let shift = |v: f64, off: usize| v - off as f64;
    let (c0, c1) = cell_span(
        shift(xmin, limits.col_off),
        shift(xmax, limits.col_off),
        limits.width,
    );
    let (r0, r1) = cell_span(
        shift(ymin, limits.row_off),
        shift(ymax, limits.row_off),
        limits.height,
    );
    if c1 <= c0 || r1 <= r0 {
        return Ok(None);
    }
    Ok(Some(Window {
        col_off: limits.col_off + c0,
        row_off: limits.row_off + r0,
        width: c1 - c0,
        height: r1 - r0,
    }))
}

/// Adds `sign ×` the ring matrix of `work`, placed at (`col`, `row`), into `fractions`.
fn accumulate(
    fractions: &mut [f64],
    width: usize,
    work: &RingWork,
    col: usize,
    row: usize,
    sign: f64,
) {
    let m = &work.matrix;
    if m.width() == 0 {
        return;
    }
    for (r, src) in m.values().chunks(m.width()).enumerate() {
        let start = (row + r) * width + col;
        if let Some(dst) = fractions.get_mut(start..start + src.len()) {
            for (d, s) in dst.iter_mut().zip(src) {
                *d += sign * s;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::polygon_area;
    use geo::{polygon, Coord, MapCoords, Polygon};

    /// South-up unit grid: cell (c, r) is [c, c+1] × [r, r+1] in map units.
    fn unit_grid(w: usize, h: usize) -> Grid {
        Grid {
            width: w,
            height: h,
            transform: GeoTransform::UNIT,
        }
    }

    /// North-up grid of `cell`-sized cells whose bottom-left corner is at (x0, y_bottom).
    fn north_up(w: usize, h: usize, x0: f64, y_bottom: f64, cell: f64) -> Grid {
        Grid {
            width: w,
            height: h,
            transform: GeoTransform {
                x0,
                dx: cell,
                rx: 0.0,
                y0: y_bottom + h as f64 * cell,
                ry: 0.0,
                dy: -cell,
            },
        }
    }

    fn multi(p: Polygon<f64>) -> MultiPolygon<f64> {
        MultiPolygon(vec![p])
    }

    /// Fractions as rows of the whole grid, `rows[r][c]`.
    fn table(cov: &Coverage, grid: &Grid) -> Vec<Vec<f64>> {
        (0..grid.height)
            .map(|r| (0..grid.width).map(|c| cov.get(c, r)).collect())
            .collect()
    }

    fn assert_table(got: &[Vec<f64>], want: &[&[f64]], tol: f64) {
        assert_eq!(got.len(), want.len(), "{got:?}");
        for (g, w) in got.iter().zip(want) {
            assert_eq!(g.len(), w.len(), "{got:?}");
            for (a, b) in g.iter().zip(w.iter()) {
                assert!((a - b).abs() <= tol, "got {got:?}, want {want:?}");
            }
        }
    }

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> Polygon<f64> {
        polygon![(x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)]
    }

    #[test]
    fn unit_square_exactly_on_a_cell() {
        let g = unit_grid(3, 3);
        let cov = coverage(&multi(square(1.0, 1.0, 2.0, 2.0)), &g).unwrap();
        assert_eq!(
            cov.window,
            Window {
                col_off: 1,
                row_off: 1,
                width: 1,
                height: 1
            }
        );
        assert_eq!(cov.fractions, vec![1.0]);
    }

    #[test]
    fn square_offset_by_half_a_cell_gives_four_quarters() {
        let g = unit_grid(3, 3);
        let cov = coverage(&multi(square(0.5, 0.5, 1.5, 1.5)), &g).unwrap();
        assert_table(
            &table(&cov, &g),
            &[&[0.25, 0.25, 0.0], &[0.25, 0.25, 0.0], &[0.0, 0.0, 0.0]],
            0.0,
        );
    }

    #[test]
    fn right_triangle_halves_the_diagonal() {
        let g = unit_grid(2, 2);
        let tri = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)];
        let cov = coverage(&multi(tri), &g).unwrap();
        assert_table(&table(&cov, &g), &[&[1.0, 0.5], &[0.5, 0.0]], 0.0);
    }

    #[test]
    fn north_up_grid_puts_the_triangle_in_the_bottom_row() {
        // Same triangle; on a north-up grid row 0 is the top (y in [1, 2]).
        let g = north_up(2, 2, 0.0, 0.0, 1.0);
        let tri = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)];
        let cov = coverage(&multi(tri), &g).unwrap();
        assert_table(&table(&cov, &g), &[&[0.5, 0.0], &[1.0, 0.5]], 0.0);
    }

    #[test]
    fn south_up_and_north_up_agree_after_flipping_rows() {
        let shape = polygon![
            (x: 0.3, y: 0.2), (x: 2.7, y: 0.9), (x: 1.9, y: 2.8), (x: 1.1, y: 1.4), (x: 0.2, y: 2.5)
        ];
        let s = unit_grid(3, 3);
        let n = north_up(3, 3, 0.0, 0.0, 1.0);
        let a = coverage(&multi(shape.clone()), &s).unwrap();
        let b = coverage(&multi(shape), &n).unwrap();
        for r in 0..3 {
            for c in 0..3 {
                assert!((a.get(c, r) - b.get(c, 2 - r)).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn polygon_with_a_hole() {
        let g = unit_grid(4, 4);
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)],
            interiors: [[(x: 1.5, y: 1.5), (x: 2.5, y: 1.5), (x: 2.5, y: 2.5), (x: 1.5, y: 2.5)]],
        );
        let cov = coverage(&multi(p), &g).unwrap();
        assert_table(
            &table(&cov, &g),
            &[
                &[1.0, 1.0, 1.0, 1.0],
                &[1.0, 0.75, 0.75, 1.0],
                &[1.0, 0.75, 0.75, 1.0],
                &[1.0, 1.0, 1.0, 1.0],
            ],
            1e-15,
        );
        assert!((cov.sum() - 15.0).abs() < 1e-12);
    }

    #[test]
    fn hole_on_cell_boundaries_empties_its_cells() {
        let g = unit_grid(3, 3);
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 3.0), (x: 0.0, y: 3.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0)]],
        );
        let cov = coverage(&multi(p), &g).unwrap();
        assert_eq!(cov.get(1, 1), 0.0);
        assert_eq!(cov.sum(), 8.0);
    }

    #[test]
    fn diamond_with_vertices_on_edges() {
        // Vertices at the midpoints of the outer edges of a 2 × 2 block: each cell is
        // cut by the diagonal through its corner, half covered.
        let g = unit_grid(2, 2);
        let d = polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 2.0), (x: 0.0, y: 1.0)];
        let cov = coverage(&multi(d), &g).unwrap();
        assert_table(&table(&cov, &g), &[&[0.5, 0.5], &[0.5, 0.5]], 0.0);
    }

    #[test]
    fn vertices_on_corners_and_collinear_points() {
        // The 2 × 2 block [1, 3]², with extra collinear vertices on cell corners and edge
        // midpoints, and a repeated vertex.
        let g = unit_grid(4, 4);
        let p = polygon![
            (x: 1.0, y: 1.0), (x: 1.5, y: 1.0), (x: 2.0, y: 1.0), (x: 3.0, y: 1.0),
            (x: 3.0, y: 2.0), (x: 3.0, y: 2.0), (x: 3.0, y: 3.0), (x: 2.0, y: 3.0),
            (x: 1.0, y: 3.0), (x: 1.0, y: 2.5), (x: 1.0, y: 2.0)
        ];
        let cov = coverage(&multi(p), &g).unwrap();
        assert_table(
            &table(&cov, &g),
            &[
                &[0.0, 0.0, 0.0, 0.0],
                &[0.0, 1.0, 1.0, 0.0],
                &[0.0, 1.0, 1.0, 0.0],
                &[0.0, 0.0, 0.0, 0.0],
            ],
            0.0,
        );
        assert_eq!(
            cov.window,
            Window {
                col_off: 1,
                row_off: 1,
                width: 2,
                height: 2
            }
        );
    }

    #[test]
    fn edge_along_a_grid_line_inside_cells() {
        // Rectangle [0.5, 2.5] × [1, 2]: its bottom and top run along grid lines.
        let g = unit_grid(3, 3);
        let cov = coverage(&multi(square(0.5, 1.0, 2.5, 2.0)), &g).unwrap();
        assert_table(
            &table(&cov, &g),
            &[&[0.0, 0.0, 0.0], &[0.5, 1.0, 0.5], &[0.0, 0.0, 0.0]],
            0.0,
        );
    }

    #[test]
    fn thin_sliver_covers_a_row() {
        let g = unit_grid(3, 3);
        let cov = coverage(&multi(square(0.0, 1.5, 3.0, 1.501)), &g).unwrap();
        for c in 0..3 {
            assert!((cov.get(c, 1) - 0.001).abs() < 1e-12, "{:?}", cov);
            assert_eq!(cov.get(c, 0), 0.0);
            assert_eq!(cov.get(c, 2), 0.0);
        }
    }

    #[test]
    fn diagonal_sliver() {
        // A 0.001-wide band along the diagonal of a 3 × 3 grid: area 3·√2·0.001/√2·… =
        // parallelogram with vertical width 0.001 over x ∈ [0, 3]: area 0.003.
        let g = unit_grid(3, 3);
        let p =
            polygon![(x: 0.0, y: 0.0), (x: 3.0, y: 2.999), (x: 3.0, y: 3.0), (x: 0.0, y: 0.001)];
        let cov = coverage(&multi(p), &g).unwrap();
        assert!((cov.sum() - 0.003).abs() < 1e-12);
        assert!(cov.fractions.iter().all(|f| (0.0..=1.0).contains(f)));
    }

    #[test]
    fn polygon_larger_than_the_grid_covers_everything() {
        let g = unit_grid(3, 3);
        let cov = coverage(&multi(square(-10.0, -7.0, 20.0, 30.0)), &g).unwrap();
        assert_eq!(cov.window, g.full_window());
        assert!(cov.fractions.iter().all(|&f| f == 1.0));
        // A big triangle whose edges cut through the grid nowhere.
        let tri = polygon![(x: -10.0, y: -10.0), (x: 30.0, y: -10.0), (x: -10.0, y: 30.0)];
        let cov = coverage(&multi(tri), &g).unwrap();
        assert_eq!(cov.sum(), 9.0);
    }

    #[test]
    fn partially_outside() {
        let g = unit_grid(3, 3);
        let cov = coverage(&multi(square(-1.0, -1.0, 1.5, 1.5)), &g).unwrap();
        assert_table(
            &table(&cov, &g),
            &[&[1.0, 0.5, 0.0], &[0.5, 0.25, 0.0], &[0.0, 0.0, 0.0]],
            0.0,
        );
        assert_eq!(
            cov.window,
            Window {
                col_off: 0,
                row_off: 0,
                width: 2,
                height: 2
            }
        );
        // The caller's "outside" is polygon area minus the covered area: 6.25 − 2.25.
        let outside = polygon_area(&multi(square(-1.0, -1.0, 1.5, 1.5))) - cov.sum();
        assert_eq!(outside, 4.0);
    }

    #[test]
    fn edge_crossing_the_grid_from_far_outside() {
        // Triangle with vertices far outside; its hypotenuse x + y = 3 crosses the grid.
        let g = unit_grid(3, 3);
        let tri = polygon![(x: -50.0, y: -50.0), (x: 53.0, y: -50.0), (x: -50.0, y: 53.0)];
        let cov = coverage(&multi(tri), &g).unwrap();
        assert_table(
            &table(&cov, &g),
            &[&[1.0, 1.0, 0.5], &[1.0, 0.5, 0.0], &[0.5, 0.0, 0.0]],
            1e-12,
        );
    }

    #[test]
    fn entirely_outside_and_edge_touching_give_empty_windows() {
        let g = unit_grid(3, 3);
        let far = coverage(&multi(square(10.0, 10.0, 11.0, 11.0)), &g).unwrap();
        assert!(far.window.is_empty());
        assert_eq!(far.sum(), 0.0);
        let touching = coverage(&multi(square(3.0, 0.0, 4.0, 1.0)), &g).unwrap();
        assert!(touching.window.is_empty());
        let below = coverage(&multi(square(0.0, -1.0, 3.0, 0.0)), &g).unwrap();
        assert!(below.window.is_empty());
        // Around the grid but not over it: a window, all zeros.
        let corner = polygon![(x: -5.0, y: -5.0), (x: 0.5, y: -5.0), (x: -5.0, y: 0.5)];
        let cov = coverage(&multi(corner), &g).unwrap();
        assert_eq!(
            cov.window,
            Window {
                col_off: 0,
                row_off: 0,
                width: 1,
                height: 1
            }
        );
        assert_eq!(cov.sum(), 0.0);
    }

    #[test]
    fn both_ring_orientations_agree() {
        let g = unit_grid(4, 4);
        let ccw = polygon![(x: 0.3, y: 0.4), (x: 3.6, y: 1.1), (x: 2.2, y: 3.7)];
        let cw = polygon![(x: 0.3, y: 0.4), (x: 2.2, y: 3.7), (x: 3.6, y: 1.1)];
        let a = coverage(&multi(ccw), &g).unwrap();
        let b = coverage(&multi(cw), &g).unwrap();
        assert_eq!(a, b);
        // Area of the triangle: |(3.3)(3.3) − (0.7)(1.9)| / 2 = (10.89 − 1.33) / 2.
        assert!((a.sum() - 4.78).abs() < 1e-12);
    }

    #[test]
    fn a_cell_crossed_twice() {
        // A "U" lying on its side over 3 × 1 cells: two bars joined in the right cell.
        let g = unit_grid(3, 1);
        let u = polygon![
            (x: 0.2, y: 0.1), (x: 2.8, y: 0.1), (x: 2.8, y: 0.9), (x: 0.2, y: 0.9),
            (x: 0.2, y: 0.6), (x: 2.5, y: 0.6), (x: 2.5, y: 0.4), (x: 0.2, y: 0.4)
        ];
        let cov = coverage(&multi(u), &g).unwrap();
        assert_table(&table(&cov, &g), &[&[0.48, 0.6, 0.54]], 1e-15);
    }

    #[test]
    fn multipolygon_parts_add() {
        let g = unit_grid(3, 3);
        let mp = MultiPolygon(vec![
            square(0.0, 0.0, 0.5, 1.0),
            square(2.0, 2.0, 3.0, 2.25),
        ]);
        let cov = coverage(&mp, &g).unwrap();
        assert_eq!(cov.get(0, 0), 0.5);
        assert_eq!(cov.get(2, 2), 0.25);
        assert_eq!(cov.sum(), 0.75);
        assert_eq!(cov.window, g.full_window());
    }

    #[test]
    fn overlapping_parts_are_clamped() {
        let g = unit_grid(1, 1);
        let mp = MultiPolygon(vec![square(0.0, 0.0, 1.0, 1.0), square(0.0, 0.0, 1.0, 1.0)]);
        assert_eq!(coverage(&mp, &g).unwrap().fractions, vec![1.0]);
    }

    #[test]
    fn clipped_window_keeps_fractions() {
        let g = unit_grid(4, 4);
        let p = multi(square(0.5, 0.5, 3.5, 3.5));
        let clip = Window {
            col_off: 2,
            row_off: 0,
            width: 2,
            height: 2,
        };
        let cov = coverage_clipped(&p, &g, clip).unwrap();
        assert_eq!(cov.window, clip);
        assert_eq!(cov.get(3, 0), 0.25);
        assert_eq!(cov.get(2, 1), 1.0);
        assert_eq!(cov.get(1, 1), 0.0);
    }

    /// The shapes of the hand tests, in unit-grid coordinates.
    fn shapes() -> Vec<Polygon<f64>> {
        vec![
            square(0.5, 0.5, 1.5, 1.5),
            polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)],
            polygon![(x: 1.0, y: 0.0), (x: 2.0, y: 1.0), (x: 1.0, y: 2.0), (x: 0.0, y: 1.0)],
            square(0.0, 1.5, 3.0, 1.501),
            square(-1.0, -1.0, 1.5, 1.5),
            polygon![(x: 0.3, y: 0.4), (x: 2.2, y: 3.7), (x: 3.6, y: 1.1)],
            polygon!(
                exterior: [(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 4.0, y: 4.0), (x: 0.0, y: 4.0)],
                interiors: [[(x: 1.5, y: 1.5), (x: 2.5, y: 1.5), (x: 2.5, y: 2.5), (x: 1.5, y: 2.5)]],
            ),
        ]
    }

    fn same_fractions_at(x_origin: f64, y_origin: f64) {
        let unit = unit_grid(4, 4);
        // North-up 10 m grid whose bottom-left corner is at the origin: unit (x, y) maps
        // to map (x0 + 10x, y0 + 10y), and unit row r to map row 3 − r.
        let big = north_up(4, 4, x_origin, y_origin, 10.0);
        for shape in shapes() {
            let moved = shape.map_coords(|Coord { x, y }| Coord {
                x: x_origin + 10.0 * x,
                y: y_origin + 10.0 * y,
            });
            let a = coverage(&multi(shape), &unit).unwrap();
            let b = coverage(&multi(moved.clone()), &big).unwrap();
            for r in 0..4 {
                for c in 0..4 {
                    let (fa, fb) = (a.get(c, r), b.get(c, 3 - r));
                    assert!((fa - fb).abs() < 1e-9, "cell ({c}, {r}): {fa} vs {fb}");
                }
            }
            let area_unit = polygon_area(&multi(shape_area_check(&moved, x_origin, y_origin)));
            assert!((polygon_area(&multi(moved)) - area_unit).abs() < 1e-6);
        }
    }

    /// The moved shape moved back to the origin (area reference without big numbers).
    fn shape_area_check(p: &Polygon<f64>, x0: f64, y0: f64) -> Polygon<f64> {
        p.map_coords(|Coord { x, y }| Coord {
            x: x - x0,
            y: y - y0,
        })
    }

    #[test]
    fn utm_sized_coordinates_give_the_same_fractions() {
        same_fractions_at(640_010.0, 4_800_020.0);
    }

    #[test]
    fn gauss_krueger_zone_prefix_coordinates_give_the_same_fractions() {
        same_fractions_at(42_345_670.0, 4_812_340.0);
    }

    #[test]
    fn rotated_and_broken_grids_are_refused() {
        let mut g = unit_grid(3, 3);
        g.transform.rx = 0.1;
        let p = multi(square(0.0, 0.0, 1.0, 1.0));
        assert!(matches!(
            coverage(&p, &g),
            Err(CoverageError::RotatedGrid { .. })
        ));
        let mut g = unit_grid(3, 3);
        g.transform.dy = 0.0;
        assert!(matches!(
            coverage(&p, &g),
            Err(CoverageError::InvalidTransform { .. })
        ));
    }

    #[test]
    fn non_finite_coordinates_are_refused_with_their_place() {
        let g = unit_grid(3, 3);
        let p = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 3.0)],
            interiors: [[(x: 1.0, y: 1.0), (x: f64::NAN, y: 1.0), (x: 2.0, y: 2.0)]],
        );
        let err = coverage(&MultiPolygon(vec![square(0.0, 0.0, 1.0, 1.0), p]), &g).unwrap_err();
        assert!(matches!(
            err,
            CoverageError::NonFiniteCoordinate {
                part: 1,
                ring: 1,
                vertex: 1,
                ..
            }
        ));
    }

    #[test]
    fn huge_windows_are_refused() {
        let g = unit_grid(1 << 20, 1 << 20);
        let p = multi(square(0.0, 0.0, 1048576.0, 1048576.0));
        assert!(matches!(
            coverage(&p, &g),
            Err(CoverageError::WindowTooLarge { .. })
        ));
    }
}
