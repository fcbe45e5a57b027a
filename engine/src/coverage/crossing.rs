//! Where a ring segment leaves a cell.
//!
//! A segment `a → q` whose end `q` lies outside the current (closed) cell leaves it
//! through the side it reaches first. The crossing point is put *exactly* on that side
//! (its other coordinate clamped to the side's extent), so the next cell sees it on
//! its own boundary and the walk can never step back across the same side for the same
//! segment: that is what makes the walk terminate.

use geo::Coord;

use super::cell::CellBox;
use super::side::Side;

/// A point where a ring crosses the boundary of a cell, and the side it lies on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Crossing {
    /// The point, exactly on `side`.
    pub point: Coord<f64>,
    /// The side of the cell (of the cell it is stored with) that holds the point.
    pub side: Side,
}

/// Where segment `a → q` leaves `cell`, or `None` when `q` is inside the closed cell.
///
/// The part of the segment before the current position is assumed inside the cell;
/// only sides that `q` lies beyond are candidates, and the first one reached wins.
/// Parameters are measured from the segment's start `a` (a vertex of the ring), not
/// from the previous crossing, so rounding does not build up along long segments.
#[inline]
pub fn exit_crossing(cell: &CellBox, a: Coord<f64>, q: Coord<f64>) -> Option<Crossing> {
    if cell.contains(q) {
        return None;
    }
    let dx = q.x - a.x;
    let dy = q.y - a.y;
    let mut best: Option<(Side, f64)> = None;
    let mut consider = |side: Side, t: f64| {
        // A NaN parameter (impossible for finite input) never wins.
        let t = if t.is_nan() {
            f64::INFINITY
        } else {
            t.clamp(0.0, 1.0)
        };
        if best.is_none_or(|(_, bt)| t < bt) {
            best = Some((side, t));
        }
    };
    if q.x > cell.xmax {
        consider(Side::ColMax, (cell.xmax - a.x) / dx);
    }
    if q.x < cell.xmin {
        consider(Side::ColMin, (cell.xmin - a.x) / dx);
    }
    if q.y > cell.ymax {
        consider(Side::RowMax, (cell.ymax - a.y) / dy);
    }
    if q.y < cell.ymin {
        consider(Side::RowMin, (cell.ymin - a.y) / dy);
    }
    let (side, t) = best?;
    let point = match side {
        Side::ColMin | Side::ColMax => Coord {
            x: cell.side_value(side),
            y: clamp(a.y + t * dy, cell.ymin, cell.ymax),
        },
        Side::RowMin | Side::RowMax => Coord {
            x: clamp(a.x + t * dx, cell.xmin, cell.xmax),
            y: cell.side_value(side),
        },
    };
    Some(Crossing { point, side })
}

/// `v` clamped to `[lo, hi]` (bounds may be infinite).
fn clamp(v: f64, lo: f64, hi: f64) -> f64 {
    v.max(lo).min(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    const UNIT: CellBox = CellBox {
        xmin: 0.0,
        xmax: 1.0,
        ymin: 0.0,
        ymax: 1.0,
    };

    #[test]
    fn inside_end_is_no_crossing() {
        assert_eq!(exit_crossing(&UNIT, c(0.2, 0.2), c(1.0, 1.0)), None);
    }

    #[test]
    fn leaves_through_the_first_side_reached() {
        // From (0.5, 0.5) to (2.5, 1.0): reaches x = 1 at t = 0.25, y = 0.625.
        let x = exit_crossing(&UNIT, c(0.5, 0.5), c(2.5, 1.0)).unwrap();
        assert_eq!(x.side, Side::ColMax);
        assert_eq!(x.point, c(1.0, 0.625));
        // From (0.5, 0.5) to (0.75, -0.5): leaves through y = 0 at x = 0.625.
        let x = exit_crossing(&UNIT, c(0.5, 0.5), c(0.75, -0.5)).unwrap();
        assert_eq!(x.side, Side::RowMin);
        assert_eq!(x.point, c(0.625, 0.0));
    }

    #[test]
    fn start_on_the_boundary_leaves_at_once() {
        let x = exit_crossing(&UNIT, c(0.0, 0.5), c(-1.0, 0.5)).unwrap();
        assert_eq!(x.side, Side::ColMin);
        assert_eq!(x.point, c(0.0, 0.5));
    }

    #[test]
    fn corner_exit_lies_on_the_corner() {
        let x = exit_crossing(&UNIT, c(0.5, 0.5), c(1.5, 1.5)).unwrap();
        assert_eq!(x.point, c(1.0, 1.0));
    }

    #[test]
    fn crossing_measured_from_the_vertex() {
        // Segment from (-3, 0.5) to (3, 0.5) seen from cell [0,1]²: leaves at x = 1.
        let x = exit_crossing(&UNIT, c(-3.0, 0.5), c(3.0, 0.5)).unwrap();
        assert_eq!(x.point, c(1.0, 0.5));
    }

    #[test]
    fn padding_cells_have_no_far_side() {
        let pad = CellBox {
            xmin: f64::NEG_INFINITY,
            xmax: 0.0,
            ymin: 0.0,
            ymax: 1.0,
        };
        let x = exit_crossing(&pad, c(-100.0, 0.5), c(-100.0, 3.0)).unwrap();
        assert_eq!((x.side, x.point), (Side::RowMax, c(-100.0, 1.0)));
    }
}
