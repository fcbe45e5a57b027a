//! Affine geotransforms, raster grids and cell windows.
//!
//! Conventions follow GDAL: the transform maps the *corner* of a cell
//! (`col`, `row`) to map coordinates, `x = x0 + col·dx + row·rx`,
//! `y = y0 + col·ry + row·dy`. A north-up grid has `rx = ry = 0` and `dy < 0`.

use serde::Serialize;

/// Affine map from cell corner (col, row) to map coordinates (x, y).
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GeoTransform {
    /// x of the top-left corner of cell (0, 0).
    pub x0: f64,
    /// Cell width along a row (x change per column).
    pub dx: f64,
    /// Rotation term: x change per row (0 for north-up grids).
    pub rx: f64,
    /// y of the top-left corner of cell (0, 0).
    pub y0: f64,
    /// Rotation term: y change per column (0 for north-up grids).
    pub ry: f64,
    /// Cell height (y change per row; negative for north-up grids).
    pub dy: f64,
}

impl GeoTransform {
    /// The identity-like transform GDAL reports for ungeoreferenced files.
    pub const UNIT: GeoTransform = GeoTransform {
        x0: 0.0,
        dx: 1.0,
        rx: 0.0,
        y0: 0.0,
        ry: 0.0,
        dy: 1.0,
    };

    /// Coefficients in rasterio/`Affine` order `[a, b, c, d, e, f]`
    /// (`x = c + col·a + row·b`, `y = f + col·d + row·e`), as in `reference.json`.
    pub fn to_affine(&self) -> [f64; 6] {
        [self.dx, self.rx, self.x0, self.ry, self.dy, self.y0]
    }

    /// Coefficients in GDAL `GetGeoTransform` order `[x0, dx, rx, y0, ry, dy]`.
    pub fn to_gdal(&self) -> [f64; 6] {
        [self.x0, self.dx, self.rx, self.y0, self.ry, self.dy]
    }

    /// True when the grid has no rotation terms (north-up or south-up).
    pub fn is_axis_aligned(&self) -> bool {
        self.rx == 0.0 && self.ry == 0.0
    }

    /// Map coordinates of the corner of cell (col, row) (fractional values allowed).
    pub fn apply(&self, col: f64, row: f64) -> (f64, f64) {
        (
            self.x0 + col * self.dx + row * self.rx,
            self.y0 + col * self.ry + row * self.dy,
        )
    }
}

/// A window of cells: `width × height` cells starting at (`col_off`, `row_off`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub struct Window {
    /// Column of the window's first (left) cell.
    pub col_off: usize,
    /// Row of the window's first (top) cell.
    pub row_off: usize,
    /// Width in cells.
    pub width: usize,
    /// Height in cells.
    pub height: usize,
}

impl Window {
    /// Number of cells in the window.
    pub fn len(&self) -> usize {
        self.width * self.height
    }

    /// True when the window holds no cell.
    pub fn is_empty(&self) -> bool {
        self.width == 0 || self.height == 0
    }

    /// The overlap of two windows, or `None` when they do not share a cell.
    pub fn intersect(&self, other: &Window) -> Option<Window> {
        let c0 = self.col_off.max(other.col_off);
        let r0 = self.row_off.max(other.row_off);
        let c1 = (self.col_off + self.width).min(other.col_off + other.width);
        let r1 = (self.row_off + self.height).min(other.row_off + other.height);
        (c1 > c0 && r1 > r0).then(|| Window {
            col_off: c0,
            row_off: r0,
            width: c1 - c0,
            height: r1 - r0,
        })
    }

    /// The smallest window holding both (meant for non-empty windows: an empty one
    /// still counts with its offset).
    pub fn bounding(&self, other: &Window) -> Window {
        let c0 = self.col_off.min(other.col_off);
        let r0 = self.row_off.min(other.row_off);
        let c1 = (self.col_off + self.width).max(other.col_off + other.width);
        let r1 = (self.row_off + self.height).max(other.row_off + other.height);
        Window {
            col_off: c0,
            row_off: r0,
            width: c1 - c0,
            height: r1 - r0,
        }
    }
}

/// A raster grid: its size in cells and its georeferencing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Grid {
    /// Width in cells (columns).
    pub width: usize,
    /// Height in cells (rows).
    pub height: usize,
    /// Where the cells lie in map coordinates.
    pub transform: GeoTransform,
}

impl Grid {
    /// The window covering the whole grid.
    pub fn full_window(&self) -> Window {
        Window {
            col_off: 0,
            row_off: 0,
            width: self.width,
            height: self.height,
        }
    }

    /// Map extent `(xmin, ymin, xmax, ymax)` of an axis-aligned grid.
    pub fn extent(&self) -> (f64, f64, f64, f64) {
        let (xa, ya) = self.transform.apply(0.0, 0.0);
        let (xb, yb) = self.transform.apply(self.width as f64, self.height as f64);
        (xa.min(xb), ya.min(yb), xa.max(xb), ya.max(yb))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounding_window_holds_both() {
        let a = Window {
            col_off: 2,
            row_off: 5,
            width: 3,
            height: 1,
        };
        let b = Window {
            col_off: 0,
            row_off: 6,
            width: 1,
            height: 4,
        };
        assert_eq!(
            a.bounding(&b),
            Window {
                col_off: 0,
                row_off: 5,
                width: 5,
                height: 5
            }
        );
    }

    #[test]
    fn window_intersection() {
        let a = Window {
            col_off: 0,
            row_off: 0,
            width: 10,
            height: 10,
        };
        let b = Window {
            col_off: 5,
            row_off: 8,
            width: 10,
            height: 10,
        };
        assert_eq!(
            a.intersect(&b),
            Some(Window {
                col_off: 5,
                row_off: 8,
                width: 5,
                height: 2
            })
        );
        let c = Window {
            col_off: 10,
            row_off: 0,
            width: 1,
            height: 1,
        };
        assert_eq!(a.intersect(&c), None);
    }

    #[test]
    fn affine_order_matches_rasterio() {
        let t = GeoTransform {
            x0: 100.0,
            dx: 10.0,
            rx: 0.0,
            y0: 200.0,
            ry: 0.0,
            dy: -10.0,
        };
        assert_eq!(t.to_affine(), [10.0, 0.0, 100.0, 0.0, -10.0, 200.0]);
        assert_eq!(t.apply(1.0, 2.0), (110.0, 180.0));
        let g = Grid {
            width: 3,
            height: 2,
            transform: t,
        };
        assert_eq!(g.extent(), (100.0, 180.0, 130.0, 200.0));
    }
}
