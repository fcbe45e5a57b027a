//! Distances along the boundary of a unit cell, counter-clockwise.
//!
//! A point on the boundary of cell `[x0, x0+1] × [y0, y0+1]` is located by its distance
//! from the corner `(x0, y0)`, walking counter-clockwise in index space
//! (x = column, y = row):
//!
//! ```text
//!          3 ◄────── RowMax ────── 2
//!          │                       ▲
//!        ColMin                  ColMax
//!          ▼                       │
//!        0/4 ────── RowMin ──────► 1
//! ```
//!
//! Corners sit at 0, 1, 2, 3; the perimeter is [`PERIMETER`] long and 4 ≡ 0.

use geo::Coord;

use super::cell::CellBox;
use super::side::Side;

/// Length of the boundary of a unit cell.
pub const PERIMETER: f64 = 4.0;

/// Counter-clockwise distance of `p` (on `side` of the unit cell `cell`) from the
/// cell's `(xmin, ymin)` corner, in `[0, PERIMETER)`.
#[inline]
pub fn distance(cell: &CellBox, side: Side, p: Coord<f64>) -> f64 {
    let along_x = (p.x - cell.xmin).clamp(0.0, 1.0);
    let along_y = (p.y - cell.ymin).clamp(0.0, 1.0);
    let d = match side {
        Side::RowMin => along_x,
        Side::ColMax => 1.0 + along_y,
        Side::RowMax => 3.0 - along_x,
        Side::ColMin => PERIMETER - along_y,
    };
    if d >= PERIMETER {
        d - PERIMETER
    } else {
        d
    }
}

/// Counter-clockwise distance from boundary position `from` to `to`, in `[0, PERIMETER)`.
#[inline]
pub fn ccw_gap(from: f64, to: f64) -> f64 {
    let g = to - from;
    if g < 0.0 {
        g + PERIMETER
    } else {
        g
    }
}

/// The cell corners met strictly between boundary position `from` and `from + gap`,
/// walking counter-clockwise; at most four. Calls `visit` with each, in order.
#[inline]
pub fn corners_between(cell: &CellBox, from: f64, gap: f64, mut visit: impl FnMut(Coord<f64>)) {
    // The first corner strictly after `from`: corners sit at whole distances.
    let first = whole_part(from) + 1.0;
    for k in 0..4 {
        let at = first + f64::from(k);
        if at - from >= gap {
            break;
        }
        visit(corner(cell, at));
    }
}

/// `v.floor()`, by comparisons for a boundary position in `[0, PERIMETER)` (without
/// SSE4.1, `floor` is a library call, and this runs for every crossed cell).
#[inline]
fn whole_part(v: f64) -> f64 {
    if !(0.0..PERIMETER).contains(&v) {
        v.floor()
    } else if v >= 3.0 {
        3.0
    } else if v >= 2.0 {
        2.0
    } else if v >= 1.0 {
        1.0
    } else {
        0.0
    }
}

/// The corner at whole boundary distance `at` (taken modulo the perimeter).
#[inline]
fn corner(cell: &CellBox, at: f64) -> Coord<f64> {
    // `at` is a small whole number (1 to 7 from `corners_between`); the modulo is
    // one exact subtraction there, `rem_euclid` (a library `fmod`) elsewhere.
    let k = if (0.0..PERIMETER).contains(&at) {
        at
    } else if (PERIMETER..2.0 * PERIMETER).contains(&at) {
        at - PERIMETER
    } else {
        at.rem_euclid(PERIMETER)
    };
    if k < 0.5 {
        Coord {
            x: cell.xmin,
            y: cell.ymin,
        }
    } else if k < 1.5 {
        Coord {
            x: cell.xmax,
            y: cell.ymin,
        }
    } else if k < 2.5 {
        Coord {
            x: cell.xmax,
            y: cell.ymax,
        }
    } else {
        Coord {
            x: cell.xmin,
            y: cell.ymax,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    const CELL: CellBox = CellBox {
        xmin: 2.0,
        xmax: 3.0,
        ymin: 5.0,
        ymax: 6.0,
    };

    #[test]
    fn distances_on_each_side() {
        assert_eq!(distance(&CELL, Side::RowMin, c(2.25, 5.0)), 0.25);
        assert_eq!(distance(&CELL, Side::ColMax, c(3.0, 5.5)), 1.5);
        assert_eq!(distance(&CELL, Side::RowMax, c(2.25, 6.0)), 2.75);
        assert_eq!(distance(&CELL, Side::ColMin, c(2.0, 5.75)), 3.25);
    }

    #[test]
    fn corners_agree_whichever_side() {
        assert_eq!(distance(&CELL, Side::ColMin, c(2.0, 5.0)), 0.0);
        assert_eq!(distance(&CELL, Side::RowMin, c(2.0, 5.0)), 0.0);
        assert_eq!(distance(&CELL, Side::RowMin, c(3.0, 5.0)), 1.0);
        assert_eq!(distance(&CELL, Side::ColMax, c(3.0, 5.0)), 1.0);
        assert_eq!(distance(&CELL, Side::ColMax, c(3.0, 6.0)), 2.0);
        assert_eq!(distance(&CELL, Side::RowMax, c(3.0, 6.0)), 2.0);
    }

    #[test]
    fn gaps_wrap_around() {
        assert_eq!(ccw_gap(3.5, 0.25), 0.75);
        assert_eq!(ccw_gap(1.0, 2.5), 1.5);
        assert_eq!(ccw_gap(2.0, 2.0), 0.0);
    }

    #[test]
    fn corners_walked_in_order() {
        let mut seen = Vec::new();
        corners_between(&CELL, 3.5, 2.0, |p| seen.push(p));
        assert_eq!(seen, vec![c(2.0, 5.0), c(3.0, 5.0)]);
        seen.clear();
        // Starting on a corner excludes it; ending on one excludes it too.
        corners_between(&CELL, 1.0, 1.0, |p| seen.push(p));
        assert!(seen.is_empty());
        corners_between(&CELL, 0.0, PERIMETER, |p| seen.push(p));
        assert_eq!(seen, vec![c(3.0, 5.0), c(3.0, 6.0), c(2.0, 6.0)]);
    }
}
