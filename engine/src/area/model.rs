//! Cell and polygon areas in square metres for a grid and its CRS.
//!
//! Projected grids (metre units) have one cell area, `|dx·dy|`. Geographic grids
//! (degrees) have one cell area per row: the exact area of the lon/lat rectangle on
//! the CRS's ellipsoid, so a cell near the pole is smaller than one at the equator.
//!
//! The part of a polygon beyond the grid ([`AreaModel::outside`]) is measured with
//! the same cell model as the part over it, so a footprint's parts add up to its
//! area in that model: planar area for projected grids; for geographic grids, the
//! polygon's coverage of the grid's rows extended without end left and right and
//! continued above and below the grid, each row weighed by its ellipsoidal cell
//! area (see `docs/coverage.md`).

use super::shoelace::{polygon_area, signed_area};
use crate::crs::{Crs, Ellipsoid};
use crate::grid::Grid;
use geo::{GeodesicArea, LineString, MultiPolygon};

/// Most rows of the virtual grid above or below a geographic grid measured one by
/// one; beyond that, rows are measured in bands of equal height (a polygon reaching
/// more than 2¹⁶ rows off the raster).
pub const MAX_VIRTUAL_BANDS: f64 = 65_536.0;

/// How to turn cells and polygons of one grid into square metres.
#[derive(Debug, Clone)]
pub enum AreaModel {
    /// Projected grid in metres: every cell has the same area.
    Planar {
        /// Area of one cell in m².
        cell_m2: f64,
    },
    /// Geographic grid in degrees: cell area depends on the row.
    Geographic {
        /// Area of one cell of each row in m² (index = row).
        row_m2: Vec<f64>,
        /// The grid (for the rows continued beyond it).
        grid: Grid,
        /// The CRS's ellipsoid.
        ellipsoid: Ellipsoid,
    },
}

/// The part of a polygon beyond a grid.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Outside {
    /// Area in cells: for geographic grids the coverage of the virtual cells beyond
    /// the grid; for projected grids the area over one cell's.
    pub cells: f64,
    /// Area in m².
    pub m2: f64,
}

impl AreaModel {
    /// The area model of `grid` in `crs` (an axis-aligned grid).
    pub fn new(grid: &Grid, crs: &Crs) -> AreaModel {
        let t = grid.transform;
        if crs.is_geographic() {
            let ell: Ellipsoid = crs.ellipsoid();
            let row_m2 = (0..grid.height)
                .map(|r| virtual_row_m2(grid, &ell, r as f64, 1.0))
                .collect();
            AreaModel::Geographic {
                row_m2,
                grid: *grid,
                ellipsoid: ell,
            }
        } else {
            AreaModel::Planar {
                cell_m2: (t.dx * t.dy).abs(),
            }
        }
    }

    /// Area in m² of one cell in `row`.
    #[inline]
    pub fn cell_m2(&self, row: usize) -> f64 {
        match self {
            AreaModel::Planar { cell_m2 } => *cell_m2,
            AreaModel::Geographic { row_m2, .. } => row_m2.get(row).copied().unwrap_or(0.0),
        }
    }

    /// Area in m² of a polygon given in the grid's CRS: planar for projected grids,
    /// geodesic (on WGS 84) for geographic ones. For the part beyond the grid use
    /// [`outside_m2`](Self::outside_m2), which measures it like the cells.
    pub fn polygon_m2(&self, mp: &MultiPolygon<f64>) -> f64 {
        match self {
            AreaModel::Planar { .. } => polygon_area(mp),
            AreaModel::Geographic { .. } => mp.geodesic_area_unsigned(),
        }
    }

    /// The part of `mp` (in the grid's CRS) beyond the grid, in m², never negative.
    /// `inside_m2` is Σ coverage × cell area over the grid (what the grid holds).
    ///
    /// Projected grids: the planar area minus `inside_m2`; a difference within 1e-9
    /// (relative) is rounding of equal quantities and gives 0. Geographic grids: the
    /// polygon's coverage of the rows continued beyond the grid, each row weighed by
    /// its own ellipsoidal cell area, as the cells over the grid are — exactly 0 for
    /// a polygon within the grid, whatever its latitude (`inside_m2` is not used).
    pub fn outside_m2(&self, mp: &MultiPolygon<f64>, inside_m2: f64) -> f64 {
        self.outside(mp, inside_m2).m2
    }

    /// [`outside_m2`](Self::outside_m2) with the area in cells too.
    pub fn outside(&self, mp: &MultiPolygon<f64>, inside_m2: f64) -> Outside {
        match self {
            AreaModel::Planar { cell_m2 } => {
                let m2 = polygon_area(mp) - inside_m2;
                let tol = 1e-9 * inside_m2.max(1.0);
                if m2 > tol {
                    let cells = if *cell_m2 > 0.0 { m2 / cell_m2 } else { 0.0 };
                    Outside { cells, m2 }
                } else {
                    Outside::default()
                }
            }
            AreaModel::Geographic {
                row_m2,
                grid,
                ellipsoid,
            } => beyond_grid(mp, grid, ellipsoid, row_m2),
        }
    }
}

/// Ellipsoidal area of one cell of the band of rows `[r, r + h]` (index space; rows
/// beyond the grid continue its transform; latitudes beyond the poles hold nothing),
/// per row of the band.
fn virtual_row_m2(grid: &Grid, ell: &Ellipsoid, r: f64, h: f64) -> f64 {
    let t = grid.transform;
    let (_, ya) = t.apply(0.0, r);
    let (_, yb) = t.apply(0.0, r + h);
    ell.cell_area(ya.min(yb), ya.max(yb), t.dx.abs()) / h
}

/// Per-row sums of the part of a polygon beyond the grid, in cells (index space).
struct Beyond {
    /// Rows 0..height of the grid: the parts left of column 0 and right of `width`.
    grid_rows: Vec<f64>,
    /// Bands above the grid (index k: rows `[-(k+1)·h, -k·h]`).
    above: Vec<f64>,
    /// Bands below the grid (index k: rows `[H + k·h, H + (k+1)·h]`).
    below: Vec<f64>,
    h: f64,
    width: f64,
    height: f64,
}

/// ∫ min(c, 0) dr along a straight piece from (ca, ra) to (cb, rb): by Green's
/// theorem, the piece's share of the area left of column 0 (the closing segments on
/// c = 0 and on row lines contribute nothing).
fn left_part(ca: f64, cb: f64, dr: f64) -> f64 {
    if ca >= 0.0 && cb >= 0.0 {
        0.0
    } else if ca <= 0.0 && cb <= 0.0 {
        0.5 * dr * (ca + cb)
    } else {
        // Crosses c = 0 at fraction t of the piece.
        let t = ca / (ca - cb);
        if ca < 0.0 {
            0.5 * dr * t * ca
        } else {
            0.5 * dr * (1.0 - t) * cb
        }
    }
}

impl Beyond {
    /// Adds the piece of edge (c1, r1) → (c2, r2) within rows [lo, hi], times `sign`.
    fn piece(c1: f64, r1: f64, c2: f64, r2: f64, lo: f64, hi: f64) -> Option<(f64, f64, f64)> {
        let (ra, rb) = (r1.clamp(lo, hi), r2.clamp(lo, hi));
        if ra == rb {
            return None;
        }
        let at = |r: f64| c1 + (r - r1) * (c2 - c1) / (r2 - r1);
        Some((at(ra), at(rb), rb - ra))
    }

    fn edge(&mut self, c1: f64, r1: f64, c2: f64, r2: f64, sign: f64) {
        if r1 == r2 || !(c1.is_finite() && c2.is_finite() && r1.is_finite() && r2.is_finite()) {
            return;
        }
        let (rmin, rmax) = (r1.min(r2), r1.max(r2));
        let (w, hgt) = (self.width, self.height);
        // Over the grid's rows: only the parts left of 0 and right of `width`.
        if rmax > 0.0 && rmin < hgt && (c1.min(c2) < 0.0 || c1.max(c2) > w) {
            let k0 = rmin.max(0.0).floor() as usize;
            let k1 = (rmax.min(hgt).ceil() as usize).min(self.grid_rows.len());
            for k in k0..k1 {
                let Some((ca, cb, dr)) = Self::piece(c1, r1, c2, r2, k as f64, k as f64 + 1.0)
                else {
                    continue;
                };
                let v = left_part(ca, cb, dr) - left_part(w - ca, w - cb, dr);
                if let Some(s) = self.grid_rows.get_mut(k) {
                    *s += sign * v;
                }
            }
        }
        // Above the grid (r < 0): bands of height h counted upwards from row 0.
        if rmin < 0.0 {
            let k0 = ((-rmax.min(0.0)) / self.h).floor() as usize;
            let k1 = ((-rmin) / self.h).ceil() as usize;
            for k in k0..k1.min(self.above.len()) {
                let hi = -(k as f64) * self.h;
                let Some((ca, cb, dr)) = Self::piece(c1, r1, c2, r2, hi - self.h, hi) else {
                    continue;
                };
                if let Some(s) = self.above.get_mut(k) {
                    *s += sign * 0.5 * dr * (ca + cb);
                }
            }
        }
        // Below the grid (r > height).
        if rmax > hgt {
            let k0 = ((rmin.max(hgt) - hgt) / self.h).floor() as usize;
            let k1 = ((rmax - hgt) / self.h).ceil() as usize;
            for k in k0..k1.min(self.below.len()) {
                let lo = hgt + k as f64 * self.h;
                let Some((ca, cb, dr)) = Self::piece(c1, r1, c2, r2, lo, lo + self.h) else {
                    continue;
                };
                if let Some(s) = self.below.get_mut(k) {
                    *s += sign * 0.5 * dr * (ca + cb);
                }
            }
        }
    }
}

/// A ring in index space (col, row) and its orientation there (+1 ccw, −1 cw, 0 flat).
fn index_ring(ring: &LineString<f64>, grid: &Grid) -> (Vec<(f64, f64)>, f64) {
    let t = grid.transform;
    let pts: Vec<(f64, f64)> = ring
        .0
        .iter()
        .map(|p| ((p.x - t.x0) / t.dx, (p.y - t.y0) / t.dy))
        .collect();
    let area = signed_area(&pts);
    let sign = if area > 0.0 {
        1.0
    } else if area < 0.0 {
        -1.0
    } else {
        0.0
    };
    (pts, sign)
}

/// The part of `mp` beyond `grid` in the row-weighted cell model (see
/// [`AreaModel::outside`]).
fn beyond_grid(mp: &MultiPolygon<f64>, grid: &Grid, ell: &Ellipsoid, row_m2: &[f64]) -> Outside {
    let rings: Vec<(Vec<(f64, f64)>, f64)> =
        mp.0.iter()
            .flat_map(|p| {
                let ext = index_ring(p.exterior(), grid);
                let holes = p.interiors().iter().map(|h| {
                    let (pts, s) = index_ring(h, grid);
                    (pts, -s)
                });
                std::iter::once(ext).chain(holes)
            })
            .collect();
    let (mut rmin, mut rmax) = (f64::INFINITY, f64::NEG_INFINITY);
    for (pts, _) in &rings {
        for &(_, r) in pts {
            if r.is_finite() {
                rmin = rmin.min(r);
                rmax = rmax.max(r);
            }
        }
    }
    if rmin > rmax {
        return Outside::default();
    }
    let height = grid.height as f64;
    let span = (-rmin).max(rmax - height).max(0.0);
    let h = (span / MAX_VIRTUAL_BANDS).ceil().max(1.0);
    let bands = |reach: f64| (reach.max(0.0) / h).ceil().min(MAX_VIRTUAL_BANDS) as usize;
    let mut b = Beyond {
        grid_rows: vec![0.0; grid.height],
        above: vec![0.0; bands(-rmin)],
        below: vec![0.0; bands(rmax - height)],
        h,
        width: grid.width as f64,
        height,
    };
    for (pts, sign) in &rings {
        if *sign == 0.0 {
            continue;
        }
        for w in pts.windows(2) {
            if let [(c1, r1), (c2, r2)] = *w {
                // Each ring counts counter-clockwise: a clockwise ring's integrals flip.
                b.edge(c1, r1, c2, r2, *sign);
            }
        }
    }
    let mut out = Outside::default();
    let mut add = |cells: f64, m2_per_cell: f64| {
        // A row's share is never negative (rounding of a hole against its exterior).
        let cells = cells.max(0.0);
        out.cells += cells;
        out.m2 += cells * m2_per_cell;
    };
    for (k, &c) in b.grid_rows.iter().enumerate() {
        add(c, row_m2.get(k).copied().unwrap_or(0.0));
    }
    for (k, &c) in b.above.iter().enumerate() {
        add(c, virtual_row_m2(grid, ell, -((k + 1) as f64) * h, h));
    }
    for (k, &c) in b.below.iter().enumerate() {
        add(c, virtual_row_m2(grid, ell, height + k as f64 * h, h));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::GeoTransform;
    use geo::{polygon, MultiPolygon};

    /// 1° cells, 10 × 10, top-left at (100°E, 50°N).
    fn geo_grid() -> Grid {
        Grid {
            width: 10,
            height: 10,
            transform: GeoTransform {
                x0: 100.0,
                dx: 1.0,
                rx: 0.0,
                y0: 50.0,
                ry: 0.0,
                dy: -1.0,
            },
        }
    }

    fn model() -> AreaModel {
        AreaModel::new(&geo_grid(), &Crs::from_epsg(4326).unwrap())
    }

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)
        ]])
    }

    #[test]
    fn a_zone_within_the_grid_has_nothing_outside_at_any_latitude() {
        let m = model();
        // Touching the grid's edges too (west edge 100°, north edge 50°).
        for mp in [
            rect(102.0, 44.0, 104.0, 46.0),
            rect(100.0, 48.5, 101.5, 50.0),
            rect(100.0, 40.0, 110.0, 50.0),
        ] {
            assert_eq!(m.outside(&mp, 123.0), Outside::default());
        }
    }

    #[test]
    fn beyond_the_grid_uses_the_row_areas() {
        let m = model();
        let AreaModel::Geographic { row_m2, .. } = &m else {
            panic!("geographic")
        };
        // Half a cell west of the grid in row 0 (49°–50° N): half a cell of row 0.
        let o = m.outside(&rect(99.5, 49.0, 100.5, 50.0), 0.0);
        assert!((o.cells - 0.5).abs() < 1e-12, "{o:?}");
        assert!((o.m2 - 0.5 * row_m2[0]).abs() < 1e-6 * row_m2[0]);
        // East of the grid over rows 2 and 3 (two cells wide, either orientation).
        let mut cw = rect(111.0, 46.0, 113.0, 48.0);
        cw.0[0].exterior_mut(|r| r.0.reverse());
        let o = m.outside(&cw, 0.0);
        assert!((o.cells - 4.0).abs() < 1e-12, "{o:?}");
        assert!((o.m2 - 2.0 * (row_m2[2] + row_m2[3])).abs() < 1e-6 * row_m2[2]);
        // North of the grid: one row above (50°–51° N), one cell, ellipsoidal.
        let o = m.outside(&rect(103.0, 50.0, 104.0, 51.0), 0.0);
        let ell = Ellipsoid::WGS84;
        let want = ell.cell_area(50.0, 51.0, 1.0);
        assert!((o.cells - 1.0).abs() < 1e-12);
        assert!((o.m2 - want).abs() < 1e-6 * want, "{} {want}", o.m2);
        // South of the grid (39°–40° N) and beyond the poles (nothing there).
        let o = m.outside(&rect(103.0, 39.0, 104.0, 40.0), 0.0);
        let want = ell.cell_area(39.0, 40.0, 1.0);
        assert!((o.m2 - want).abs() < 1e-6 * want);
    }

    #[test]
    fn a_hole_beyond_the_grid_is_not_land() {
        let m = model();
        // 2° × 2° square straddling the west edge with a 1° hole west of it.
        let p = polygon!(
            exterior: [(x: 99.0, y: 45.0), (x: 101.0, y: 45.0), (x: 101.0, y: 47.0), (x: 99.0, y: 47.0)],
            interiors: [[(x: 99.25, y: 45.5), (x: 99.75, y: 45.5), (x: 99.75, y: 46.5), (x: 99.25, y: 46.5)]],
        );
        let o = m.outside(&MultiPolygon(vec![p]), 0.0);
        // Outside: 1° × 2° = 2 cells, minus the 0.5 × 1 hole.
        assert!((o.cells - 1.5).abs() < 1e-12, "{o:?}");
    }

    #[test]
    fn planar_outside_is_area_minus_inside() {
        let m = AreaModel::Planar { cell_m2: 100.0 };
        let mp = rect(0.0, 0.0, 20.0, 10.0); // 200 m²
        assert_eq!(
            m.outside(&mp, 150.0),
            Outside {
                cells: 0.5,
                m2: 50.0
            }
        );
        assert_eq!(m.outside(&mp, 200.0), Outside::default());
        assert_eq!(m.outside(&mp, 200.0 + 1e-10), Outside::default());
    }

    #[test]
    fn far_and_huge_polygons_are_bounded() {
        let m = model();
        // From the south pole to the north pole and across the antimeridian: bands.
        let o = m.outside(&rect(-180.0, -90.0, 180.0, 90.0), 0.0);
        assert!(o.m2.is_finite() && o.m2 > 0.0);
        let earth = 5.100_656e14;
        let inside: f64 = (0..10).map(|r| 10.0 * m.cell_m2(r)).sum();
        assert!(
            (o.m2 + inside - earth).abs() < 1e-3 * earth,
            "{}",
            o.m2 + inside
        );
    }
}
