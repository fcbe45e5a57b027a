//! Cells of a ring's working window, padded by one ring of unbounded cells.
//!
//! A ring is walked over a `width × height` window of unit cells in local index space
//! (cell `(c, r)` spans `[c, c+1] × [r, r+1]`). Around it lies one ring of *padding*
//! cells that reach to infinity (the padding column left of the window spans
//! `(-∞, 0]`), so every point of the plane belongs to some cell and the part of a ring
//! outside the window is walked like any other, without clipping the ring.
//!
//! ```text
//!   (-∞,0]  [0,1]  [1,2]  [2,∞)      padded column index 0 | 1 | 2 | 3
//!  +------+------+------+------+
//!  | pad  | pad  | pad  | pad  |     window of 2 × 1 real cells (padded 1..=2)
//!  +------+------+------+------+
//!  | pad  | real | real | pad  |
//!  +------+------+------+------+
//!  | pad  | pad  | pad  | pad  |
//!  +------+------+------+------+
//! ```

use geo::Coord;

use super::side::Side;

/// The closed rectangle of one cell (bounds may be infinite for padding cells).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CellBox {
    /// Smallest column coordinate.
    pub xmin: f64,
    /// Largest column coordinate.
    pub xmax: f64,
    /// Smallest row coordinate.
    pub ymin: f64,
    /// Largest row coordinate.
    pub ymax: f64,
}

impl CellBox {
    /// True when `p` lies in the closed rectangle (on its boundary included).
    #[inline]
    pub fn contains(&self, p: Coord<f64>) -> bool {
        p.x >= self.xmin && p.x <= self.xmax && p.y >= self.ymin && p.y <= self.ymax
    }

    /// The coordinate of a side (may be infinite for padding cells).
    #[inline]
    pub fn side_value(&self, side: Side) -> f64 {
        match side {
            Side::ColMin => self.xmin,
            Side::ColMax => self.xmax,
            Side::RowMin => self.ymin,
            Side::RowMax => self.ymax,
        }
    }

    /// The finite side nearest to `p` (for a point on the boundary: a side it lies on).
    pub fn nearest_side(&self, p: Coord<f64>) -> Side {
        let candidates = [
            (Side::RowMin, (p.y - self.ymin).abs()),
            (Side::ColMax, (p.x - self.xmax).abs()),
            (Side::RowMax, (p.y - self.ymax).abs()),
            (Side::ColMin, (p.x - self.xmin).abs()),
        ];
        let mut best = (Side::RowMin, f64::INFINITY);
        for (side, d) in candidates {
            // Infinite sides give an infinite (or NaN) distance and never win.
            if d < best.1 {
                best = (side, d);
            }
        }
        best.0
    }
}

/// Index of a cell in the padded window: `(col, row)`, both in `0..=width+1`/`height+1`.
pub type PaddedCell = (usize, usize);

/// A `width × height` window of unit cells surrounded by unbounded padding cells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PaddedGrid {
    /// Real cells per row.
    pub width: usize,
    /// Real rows.
    pub height: usize,
}

impl PaddedGrid {
    /// The padded cell whose closed rectangle holds `p` (the lower one on a shared side).
    pub fn locate(&self, p: Coord<f64>) -> PaddedCell {
        (
            padded_index(p.x, self.width),
            padded_index(p.y, self.height),
        )
    }

    /// The rectangle of a padded cell.
    #[inline]
    pub fn cell_box(&self, cell: PaddedCell) -> CellBox {
        let (xmin, xmax) = padded_bounds(cell.0, self.width);
        let (ymin, ymax) = padded_bounds(cell.1, self.height);
        CellBox {
            xmin,
            xmax,
            ymin,
            ymax,
        }
    }

    /// The neighbour across `side`, or `None` when it would leave the padded window.
    #[inline]
    pub fn neighbour(&self, cell: PaddedCell, side: Side) -> Option<PaddedCell> {
        let (dc, dr) = side.step();
        let c = cell.0.checked_add_signed(dc)?;
        let r = cell.1.checked_add_signed(dr)?;
        (c <= self.width + 1 && r <= self.height + 1).then_some((c, r))
    }

    /// The real cell `(col, row)` of the window, or `None` for a padding cell.
    #[inline]
    pub fn real(&self, cell: PaddedCell) -> Option<(usize, usize)> {
        let (c, r) = cell;
        (c >= 1 && c <= self.width && r >= 1 && r <= self.height).then(|| (c - 1, r - 1))
    }

    /// Upper bound on the cells one straight segment can cross (a loop guard).
    pub fn max_steps(&self) -> usize {
        self.width.saturating_add(self.height).saturating_add(8)
    }
}

/// Padded index along one axis of a coordinate, with `n` real cells.
#[inline]
fn padded_index(v: f64, n: usize) -> usize {
    let f = v.floor();
    if f.is_nan() || f < 0.0 {
        0
    } else if f >= n as f64 {
        n + 1
    } else {
        // 0 <= f < n: exact conversion.
        f as usize + 1
    }
}

/// Bounds along one axis of padded index `i`, with `n` real cells.
#[inline]
fn padded_bounds(i: usize, n: usize) -> (f64, f64) {
    if i == 0 {
        (f64::NEG_INFINITY, 0.0)
    } else if i > n {
        (n as f64, f64::INFINITY)
    } else {
        ((i - 1) as f64, i as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn locate_real_and_padding_cells() {
        let g = PaddedGrid {
            width: 3,
            height: 2,
        };
        assert_eq!(g.locate(c(0.5, 0.5)), (1, 1));
        assert_eq!(g.locate(c(2.9, 1.1)), (3, 2));
        assert_eq!(g.locate(c(-7.0, 0.5)), (0, 1));
        assert_eq!(g.locate(c(3.0, 2.0)), (4, 3));
        assert_eq!(g.locate(c(1e300, -1e300)), (4, 0));
        assert_eq!(g.real((1, 1)), Some((0, 0)));
        assert_eq!(g.real((0, 1)), None);
        assert_eq!(g.real((4, 1)), None);
    }

    #[test]
    fn padding_boxes_are_unbounded() {
        let g = PaddedGrid {
            width: 2,
            height: 2,
        };
        let b = g.cell_box((0, 3));
        assert_eq!(b.xmin, f64::NEG_INFINITY);
        assert_eq!(b.xmax, 0.0);
        assert_eq!(b.ymin, 2.0);
        assert_eq!(b.ymax, f64::INFINITY);
        assert!(b.contains(c(-1e9, 1e9)));
        let r = g.cell_box((2, 1));
        assert_eq!((r.xmin, r.xmax, r.ymin, r.ymax), (1.0, 2.0, 0.0, 1.0));
        assert!(r.contains(c(1.0, 1.0)));
        assert!(!r.contains(c(2.0001, 0.5)));
    }

    #[test]
    fn neighbours_stay_in_the_padded_window() {
        let g = PaddedGrid {
            width: 1,
            height: 1,
        };
        assert_eq!(g.neighbour((1, 1), Side::ColMax), Some((2, 1)));
        assert_eq!(g.neighbour((0, 1), Side::ColMin), None);
        assert_eq!(g.neighbour((2, 2), Side::RowMax), None);
    }

    #[test]
    fn nearest_side_of_boundary_points() {
        let b = CellBox {
            xmin: 0.0,
            xmax: 1.0,
            ymin: 0.0,
            ymax: 1.0,
        };
        assert_eq!(b.nearest_side(c(1.0, 0.5)), Side::ColMax);
        assert_eq!(b.nearest_side(c(0.3, 1.0)), Side::RowMax);
        assert_eq!(b.nearest_side(c(0.0, 0.7)), Side::ColMin);
        let pad = CellBox {
            xmin: f64::NEG_INFINITY,
            xmax: 0.0,
            ymin: 0.0,
            ymax: 1.0,
        };
        assert_eq!(pad.nearest_side(c(0.0, 0.5)), Side::ColMax);
    }
}
