//! Typed errors of the coverage layer.
//!
//! Variants separate *unsupported grids* (rotated, degenerate transform), *broken input*
//! (non-finite or absurdly distant coordinates), *limits exceeded* (a window too large
//! to hold in memory, a ring crossing too many cells) and *internal failures* (a traversal that did not terminate, which
//! is a bug to report).

/// Errors computing the coverage of a polygon over a raster grid.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum CoverageError {
    /// The grid has rotation terms; exact coverage needs an axis-aligned grid.
    #[error(
        "the raster grid is rotated (rx = {rx}, ry = {ry}); exact coverage needs a north-up \
         or south-up grid: warp the raster first, e.g. `gdalwarp -t_srs <its CRS> in.tif out.tif`"
    )]
    RotatedGrid {
        /// x change per row.
        rx: f64,
        /// y change per column.
        ry: f64,
    },

    /// The grid's origin or cell size is not finite, or a cell size is zero.
    #[error(
        "the raster grid has an unusable geotransform (x0 = {x0}, y0 = {y0}, dx = {dx}, \
         dy = {dy}); cell sizes must be finite and non-zero: check the raster's georeferencing"
    )]
    InvalidTransform {
        /// x of the grid origin.
        x0: f64,
        /// y of the grid origin.
        y0: f64,
        /// Cell width.
        dx: f64,
        /// Cell height.
        dy: f64,
    },

    /// A polygon vertex has a NaN or infinite coordinate.
    #[error(
        "polygon part {part}, ring {ring}, vertex {vertex} has a non-finite coordinate \
         ({x}, {y}); repair the footprint geometry"
    )]
    NonFiniteCoordinate {
        /// Index of the polygon in the multipolygon.
        part: usize,
        /// Ring index in the polygon (0 = exterior, 1.. = holes).
        ring: usize,
        /// Vertex index in the ring.
        vertex: usize,
        /// The x coordinate as given.
        x: f64,
        /// The y coordinate as given.
        y: f64,
    },

    /// A vertex is so far from the grid that its cell index is not a finite number.
    #[error(
        "polygon part {part}, ring {ring}, vertex {vertex} lies too far from the raster grid \
         to be expressed in cell units; check that the footprints and the raster share a CRS"
    )]
    CoordinateOverflow {
        /// Index of the polygon in the multipolygon.
        part: usize,
        /// Ring index in the polygon (0 = exterior, 1.. = holes).
        ring: usize,
        /// Vertex index in the ring.
        vertex: usize,
    },

    /// The polygon's window over the grid holds more cells than the coverage limit.
    #[error(
        "the polygon covers a window of {width} × {height} raster cells, more than the limit \
         of {limit} cells; compute it in smaller windows (coverage_clipped) or split the polygon"
    )]
    WindowTooLarge {
        /// Window width in cells.
        width: usize,
        /// Window height in cells.
        height: usize,
        /// The cell limit ([`super::MAX_WINDOW_CELLS`]).
        limit: usize,
    },

    /// A ring crosses more cell boundaries than the coverage limit.
    #[error(
        "polygon part {part}, ring {ring} crosses more than {limit} cell boundaries of the \
         raster grid; simplify the footprint or compute it in smaller windows"
    )]
    TooManyCrossings {
        /// Index of the polygon in the multipolygon.
        part: usize,
        /// Ring index in the polygon (0 = exterior, 1.. = holes).
        ring: usize,
        /// The limit ([`super::traversal::MAX_TRAVERSALS`]).
        limit: usize,
    },

    /// Internal failure: walking a ring through the grid did not terminate.
    #[error(
        "internal error: the walk of polygon part {part}, ring {ring} through the grid did \
         not terminate; please report this with the footprint"
    )]
    TraversalFailed {
        /// Index of the polygon in the multipolygon.
        part: usize,
        /// Ring index in the polygon (0 = exterior, 1.. = holes).
        ring: usize,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_the_place() {
        let e = CoverageError::NonFiniteCoordinate {
            part: 1,
            ring: 2,
            vertex: 3,
            x: f64::NAN,
            y: 0.0,
        };
        let s = e.to_string();
        assert!(s.contains("part 1, ring 2, vertex 3"), "{s}");
        let e = CoverageError::RotatedGrid { rx: 0.5, ry: 0.0 };
        assert!(e.to_string().contains("rx = 0.5"));
    }
}
