//! Exact polygon-over-grid coverage fractions (the exactextract method).
//!
//! For every cell of a raster grid under a polygon, the fraction of the cell the polygon
//! covers, exactly (to rounding), not by the cell's centre. The method is the one
//! described by exactextract (Daniel Baston): walk each ring through the cells, keep
//! for every crossed cell the pieces of ring inside it, measure the area to the left of
//! those pieces, and flood-fill the cells no ring crosses. See `docs/coverage.md`.
//!
//! Parts, bottom to top:
//! - [`side`] — the four sides of a cell, named in index space.
//! - [`cell`] — cell rectangles of a window padded with unbounded cells.
//! - [`crossing`] — where a segment leaves a cell.
//! - [`traversal`] — walking a ring into per-cell traversals.
//! - [`perimeter`] — counter-clockwise distances along a cell's boundary.
//! - [`left_area`] — the area of a cell left of its traversals.
//! - [`matrix`] — per-ring fraction matrix and the [`FILLABLE`] sentinel.
//! - [`flood_fill`] — values of cells no traversal crossed.
//! - [`ring`] — the coverage of one ring.
//! - [`polygon`] — the coverage of a multipolygon; [`coverage`].
//! - [`result`] — the [`Coverage`] value.
//! - [`error`] — [`CoverageError`].

pub mod cell;
pub mod crossing;
pub mod error;
pub mod flood_fill;
pub mod left_area;
pub mod matrix;
pub mod perimeter;
pub mod polygon;
pub mod result;
pub mod ring;
pub mod side;
pub mod traversal;

/// The planar area of a multipolygon (moved to [`crate::area`]; kept here, where the
/// coverage's users look for it: `polygon_area − Σ fraction × cell area` is the
/// area outside the grid).
pub use crate::area::polygon_area;
pub use error::CoverageError;
pub use matrix::FILLABLE;
pub use polygon::{coverage, coverage_clipped, MAX_WINDOW_CELLS};
pub use result::Coverage;
pub use traversal::MAX_TRAVERSALS;
