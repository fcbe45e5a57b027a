//! Coverage of one ring: index space, orientation, walk, left areas, flood fill.
//!
//! Per ring: convert the vertices to local cell-index space (relative to the polygon's
//! window), drop repeated vertices, orient the ring counter-clockwise by its signed
//! area, restrict the work to the cells under the ring's bounding box, walk the ring
//! through those cells (padded by unbounded cells so parts outside the grid need no
//! clipping), give each crossed cell its left-hand area and flood-fill the rest.
//! The result is the fraction of each cell inside the ring, whatever the ring's role.

use geo::{Coord, LineString};

use super::cell::PaddedGrid;
use super::flood_fill::FillPlan;
use super::left_area::{left_area, LeftAreaScratch};
use super::matrix::Matrix;
use super::traversal::{Traversals, WalkFailed};
use crate::area::signed_area;
use crate::grid::{GeoTransform, Window};

/// Where a ring's matrix lies in the polygon's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RingWindow {
    /// First column, relative to the polygon's window.
    pub col: usize,
    /// First row, relative to the polygon's window.
    pub row: usize,
}

/// Buffers reused from ring to ring (allocated once per polygon, grown as needed).
#[derive(Debug, Default)]
pub struct RingWork {
    points: Vec<Coord<f64>>,
    /// Second point buffer, for dropping spikes without allocating.
    spare: Vec<Coord<f64>>,
    traversals: Traversals,
    scratch: LeftAreaScratch,
    fill: FillPlan,
    /// Fractions inside the last ring, over the ring's own window.
    pub matrix: Matrix,
}

impl RingWork {
    /// Computes the fraction of each cell inside `ring` into [`RingWork::matrix`].
    ///
    /// `window` is the polygon's window in raster cells. Returns where the matrix lies in
    /// it, or `None` when the ring encloses no area or misses the window.
    pub fn cover(
        &mut self,
        ring: &LineString<f64>,
        transform: &GeoTransform,
        window: &Window,
    ) -> Result<Option<RingWindow>, WalkFailed> {
        self.load(ring, transform, window);
        if self.points.len() < 3 {
            return Ok(None);
        }
        let signed = signed_area(&self.points);
        if signed == 0.0 || !signed.is_finite() {
            return Ok(None);
        }
        if signed < 0.0 {
            self.points.reverse();
        }

        // The ring's own window: cells under its bounding box, inside the polygon's.
        let (mut xmin, mut xmax, mut ymin, mut ymax) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for p in &self.points {
            xmin = xmin.min(p.x);
            xmax = xmax.max(p.x);
            ymin = ymin.min(p.y);
            ymax = ymax.max(p.y);
        }
        let (c0, c1) = cell_span(xmin, xmax, window.width);
        let (r0, r1) = cell_span(ymin, ymax, window.height);
        if c1 <= c0 || r1 <= r0 {
            return Ok(None);
        }
        let (shift_x, shift_y) = (c0 as f64, r0 as f64);
        for p in &mut self.points {
            p.x -= shift_x;
            p.y -= shift_y;
        }
        let grid = PaddedGrid {
            width: c1 - c0,
            height: r1 - r0,
        };

        self.traversals.trace(&self.points, &grid)?;
        self.traversals.sort_by_cell();
        let Self {
            points,
            traversals,
            scratch,
            fill,
            matrix,
            ..
        } = self;
        // Crossed cells come in row-major order (the sort): the fill plan lays out
        // the fillable runs between them, and the matrix is written once.
        fill.start(grid.width, grid.height);
        let list = &traversals.list;
        let mut i = 0;
        while let Some(first) = list.get(i) {
            let run = list.get(i..).map_or(0, |rest| {
                rest.iter().take_while(|t| t.cell == first.cell).count()
            });
            if let (Some((col, row)), Some(group)) = (grid.real(first.cell), list.get(i..i + run)) {
                let cell_box = grid.cell_box(first.cell);
                fill.crossed(col, row, left_area(&cell_box, group, traversals, scratch));
            }
            i += run.max(1);
        }
        matrix.rebuild(grid.width, grid.height, |out| fill.write(points, out));
        Ok(Some(RingWindow { col: c0, row: r0 }))
    }

    /// Loads `ring` into `points` in index space relative to `window`, without repeated
    /// vertices and without the closing vertex.
    fn load(&mut self, ring: &LineString<f64>, t: &GeoTransform, window: &Window) {
        self.points.clear();
        let (col_off, row_off) = (window.col_off as f64, window.row_off as f64);
        for c in &ring.0 {
            let p = Coord {
                x: (c.x - t.x0) / t.dx - col_off,
                y: (c.y - t.y0) / t.dy - row_off,
            };
            if self.points.last() != Some(&p) {
                self.points.push(p);
            }
        }
        if self.points.len() > 1 && self.points.first() == self.points.last() {
            self.points.pop();
        }
        drop_spikes(&self.points, &mut self.spare);
        std::mem::swap(&mut self.points, &mut self.spare);
    }
}

/// Largest |cross| / (|u|·|v|) at which a reversal a → b → c counts as a zero-width
/// spike: the sine of the angle between the two edges.
const SPIKE_SINE: f64 = 1e-12;

/// True when b is the tip of a zero-width spike: the ring goes a → b and comes straight
/// back along the same line (to within rounding).
fn is_spike(a: Coord<f64>, b: Coord<f64>, c: Coord<f64>) -> bool {
    let (ux, uy) = (b.x - a.x, b.y - a.y);
    let (vx, vy) = (c.x - b.x, c.y - b.y);
    let dot = ux * vx + uy * vy;
    let cross = ux * vy - uy * vx;
    dot < 0.0 && cross.abs() <= SPIKE_SINE * ux.hypot(uy) * vx.hypot(vy)
}

/// Copies the ring `pts` (given without its closing vertex) into `out` without its
/// zero-width spikes and the repeated vertices their removal leaves.
///
/// A spike encloses no area, but its two edges run along each other: their crossings
/// of a cell side coincide (or nearly, after rounding) and the left-hand-area walk
/// cannot order them, which can fill a whole cell. Dropping the tip changes the ring's
/// area by at most `SPIKE_SINE` × the two edges' lengths (≈ 1e-12 cell² per spike).
fn drop_spikes(pts: &[Coord<f64>], out: &mut Vec<Coord<f64>>) {
    out.clear();
    for &p in pts {
        if out.last() == Some(&p) {
            continue;
        }
        out.push(p);
        while out.len() >= 3 {
            let n = out.len();
            if !is_spike(out[n - 3], out[n - 2], out[n - 1]) {
                break;
            }
            out.remove(n - 2);
            if out.len() >= 2 && out[out.len() - 1] == out[out.len() - 2] {
                out.pop();
            }
        }
    }
    // Where the ring closes: the last vertex, and the first.
    loop {
        let n = out.len();
        if n < 3 {
            break;
        }
        if out[n - 1] == out[0] || is_spike(out[n - 2], out[n - 1], out[0]) {
            out.pop();
        } else if is_spike(out[n - 1], out[0], out[1]) {
            out.remove(0);
        } else {
            break;
        }
    }
}

/// Cells `lo..hi` under the coordinate range `[min, max]`, clipped to `0..n`.
pub fn cell_span(min: f64, max: f64, n: usize) -> (usize, usize) {
    let n_f = n as f64;
    let lo = min.floor().clamp(0.0, n_f);
    let hi = max.ceil().clamp(0.0, n_f);
    // Both are whole numbers in 0..=n (NaN clamps to NaN and casts to 0).
    (lo as usize, hi as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::line_string;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn spikes_are_dropped_and_real_corners_kept() {
        // square with a zero-width spike out of its top edge at (1, 2) → (1, 5) → (1, 2)
        let pts = vec![
            c(0.0, 0.0),
            c(2.0, 0.0),
            c(2.0, 2.0),
            c(1.0, 2.0),
            c(1.0, 5.0),
            c(1.0, 2.0),
            c(0.0, 2.0),
        ];
        let mut out = Vec::new();
        drop_spikes(&pts, &mut out);
        assert_eq!(
            out,
            vec![
                c(0.0, 0.0),
                c(2.0, 0.0),
                c(2.0, 2.0),
                c(1.0, 2.0),
                c(0.0, 2.0)
            ]
        );
        // a spike whose tip is the ring's first vertex
        let pts = vec![
            c(1.0, 5.0),
            c(1.0, 2.0),
            c(0.0, 2.0),
            c(0.0, 0.0),
            c(2.0, 0.0),
            c(2.0, 2.0),
            c(1.0, 2.0),
        ];
        drop_spikes(&pts, &mut out);
        assert_eq!(out.len(), 5, "{out:?}");
        // a plain triangle and a collinear run (no reversal) are untouched
        let tri = vec![c(0.0, 0.0), c(1.0, 0.0), c(2.0, 0.0), c(0.0, 1.0)];
        drop_spikes(&tri, &mut out);
        assert_eq!(out, tri);
    }

    const UNIT: GeoTransform = GeoTransform::UNIT;

    fn window(w: usize, h: usize) -> Window {
        Window {
            col_off: 0,
            row_off: 0,
            width: w,
            height: h,
        }
    }

    #[test]
    fn spans_clip_to_the_window() {
        assert_eq!(cell_span(0.5, 2.0, 4), (0, 2));
        assert_eq!(cell_span(-3.0, 9.5, 4), (0, 4));
        assert_eq!(cell_span(4.0, 6.0, 4), (4, 4));
        assert_eq!(cell_span(1.0, 1.0, 4), (1, 1));
    }

    #[test]
    fn square_on_a_cell_in_its_own_window() {
        let mut work = RingWork::default();
        let ring = line_string![
            (x: 1.0, y: 1.0), (x: 2.0, y: 1.0), (x: 2.0, y: 2.0), (x: 1.0, y: 2.0), (x: 1.0, y: 1.0)
        ];
        let at = work.cover(&ring, &UNIT, &window(3, 3)).unwrap();
        assert_eq!(at, Some(RingWindow { col: 1, row: 1 }));
        assert_eq!(work.matrix.values(), &[1.0]);
    }

    #[test]
    fn clockwise_ring_gives_the_same_fractions() {
        // Triangle (0,0) (2,0) (0,2) over a 2 × 2 window, both orientations.
        let ccw =
            line_string![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0), (x: 0.0, y: 0.0)];
        let cw =
            line_string![(x: 0.0, y: 0.0), (x: 0.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 0.0)];
        let mut work = RingWork::default();
        work.cover(&ccw, &UNIT, &window(2, 2)).unwrap();
        let a = work.matrix.values().to_vec();
        work.cover(&cw, &UNIT, &window(2, 2)).unwrap();
        assert_eq!(a, work.matrix.values());
        assert_eq!(a, vec![1.0, 0.5, 0.5, 0.0]);
    }

    #[test]
    fn degenerate_rings_cover_nothing() {
        let mut work = RingWork::default();
        let flat =
            line_string![(x: 0.0, y: 0.5), (x: 2.0, y: 0.5), (x: 1.0, y: 0.5), (x: 0.0, y: 0.5)];
        assert_eq!(work.cover(&flat, &UNIT, &window(3, 3)).unwrap(), None);
        let repeated = line_string![(x: 0.5, y: 0.5), (x: 0.5, y: 0.5), (x: 0.5, y: 0.5)];
        assert_eq!(work.cover(&repeated, &UNIT, &window(3, 3)).unwrap(), None);
    }
}
