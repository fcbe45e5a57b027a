//! Areas in square metres: the planar shoelace of rings and polygons, and the cell
//! and polygon areas of a grid in its CRS.
//!
//! Parts:
//! - [`shoelace`]: signed ring areas about the first vertex ([`signed_area`]),
//!   multipolygon areas ([`polygon_area`]), the streaming [`Shoelace`].
//! - `model`: [`AreaModel`] — one cell area for projected grids, one per row
//!   (ellipsoidal) for geographic ones, and the part of a polygon beyond the grid.

mod model;
pub mod shoelace;

pub use model::{AreaModel, Outside, MAX_VIRTUAL_BANDS};
pub use shoelace::{area_scale, polygon_area, signed_area, Shoelace};
