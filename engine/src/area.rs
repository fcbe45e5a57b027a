//! Cell and polygon areas in square metres for a grid and its CRS.
//!
//! Projected grids (metre units) have one cell area, `|dx·dy|`. Geographic grids
//! (degrees) have one cell area per row: the exact area of the lon/lat rectangle on
//! the CRS's ellipsoid, so a cell near the pole is smaller than one at the equator.

use crate::crs::{Crs, Ellipsoid};
use crate::grid::Grid;
use geo::{GeodesicArea, MultiPolygon};

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
    },
}

impl AreaModel {
    /// The area model of `grid` in `crs` (an axis-aligned grid).
    pub fn new(grid: &Grid, crs: &Crs) -> AreaModel {
        let t = grid.transform;
        if crs.is_geographic() {
            let ell: Ellipsoid = crs.ellipsoid();
            let row_m2 = (0..grid.height)
                .map(|r| {
                    let (_, ya) = t.apply(0.0, r as f64);
                    let (_, yb) = t.apply(0.0, r as f64 + 1.0);
                    ell.cell_area(ya.min(yb), ya.max(yb), t.dx.abs())
                })
                .collect();
            AreaModel::Geographic { row_m2 }
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
            AreaModel::Geographic { row_m2 } => row_m2.get(row).copied().unwrap_or(0.0),
        }
    }

    /// Area in m² of a polygon given in the grid's CRS: planar for projected grids,
    /// geodesic (on WGS 84) for geographic ones.
    pub fn polygon_m2(&self, mp: &MultiPolygon<f64>) -> f64 {
        match self {
            AreaModel::Planar { .. } => crate::coverage::polygon_area(mp),
            AreaModel::Geographic { .. } => mp.geodesic_area_unsigned(),
        }
    }
}
