//! The coverage of one polygon: a window of the grid and a fraction per cell.

use crate::grid::Window;

/// Fractions of each grid cell covered by a polygon, over the polygon's window.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// Cells of the grid under the polygon's bounding box, clipped to the grid.
    pub window: Window,
    /// Covered fraction of each cell of `window`, row-major, each in `[0, 1]`.
    pub fractions: Vec<f64>,
}

impl Coverage {
    /// A coverage with no cells (a polygon that misses the grid), at `window`'s offset.
    pub fn empty(window: Window) -> Self {
        Coverage {
            window: Window {
                width: 0,
                height: 0,
                ..window
            },
            fractions: Vec::new(),
        }
    }

    /// Fraction of raster cell (`col`, `row`) covered; 0 outside the window.
    pub fn get(&self, col: usize, row: usize) -> f64 {
        let w = &self.window;
        let (Some(c), Some(r)) = (col.checked_sub(w.col_off), row.checked_sub(w.row_off)) else {
            return 0.0;
        };
        if c >= w.width || r >= w.height {
            return 0.0;
        }
        self.fractions.get(r * w.width + c).copied().unwrap_or(0.0)
    }

    /// Sum of all fractions (covered area in cells).
    pub fn sum(&self) -> f64 {
        self.fractions.iter().sum()
    }

    /// `(col, row, fraction)` of every cell with a nonzero fraction, in raster indices,
    /// row by row.
    pub fn iter(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        let w = self.window;
        self.fractions
            .iter()
            .enumerate()
            .filter(|(_, &f)| f > 0.0)
            .map(move |(i, &f)| (w.col_off + i % w.width, w.row_off + i / w.width, f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_uses_raster_indices() {
        let cov = Coverage {
            window: Window {
                col_off: 2,
                row_off: 5,
                width: 2,
                height: 2,
            },
            fractions: vec![0.0, 0.25, 1.0, 0.5],
        };
        assert_eq!(cov.get(3, 5), 0.25);
        assert_eq!(cov.get(2, 6), 1.0);
        assert_eq!(cov.get(1, 5), 0.0);
        assert_eq!(cov.get(4, 5), 0.0);
        assert_eq!(cov.get(2, 7), 0.0);
        assert_eq!(cov.sum(), 1.75);
        let cells: Vec<_> = cov.iter().collect();
        assert_eq!(cells, vec![(3, 5, 0.25), (2, 6, 1.0), (3, 6, 0.5)]);
    }

    #[test]
    fn empty_has_no_cells() {
        let cov = Coverage::empty(Window {
            col_off: 4,
            row_off: 1,
            width: 3,
            height: 0,
        });
        assert!(cov.window.is_empty());
        assert_eq!(cov.sum(), 0.0);
        assert_eq!(cov.get(4, 1), 0.0);
        assert_eq!(cov.iter().count(), 0);
    }
}
