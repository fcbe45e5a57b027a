//! The four sides of a grid cell, named in cell-index space.
//!
//! The coverage engine works in a plane whose x axis is the column index and whose y
//! axis is the row index. Sides are named by the index bound they lie on, so the names
//! stay true whatever way the raster faces (north-up rasters have rows growing
//! southwards, south-up ones northwards).

/// One side of a cell, by the index bound it lies on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The side at the smallest column coordinate (`x = xmin`).
    ColMin,
    /// The side at the largest column coordinate (`x = xmax`).
    ColMax,
    /// The side at the smallest row coordinate (`y = ymin`).
    RowMin,
    /// The side at the largest row coordinate (`y = ymax`).
    RowMax,
}

impl Side {
    /// The same side seen from the neighbouring cell across it.
    pub fn opposite(self) -> Side {
        match self {
            Side::ColMin => Side::ColMax,
            Side::ColMax => Side::ColMin,
            Side::RowMin => Side::RowMax,
            Side::RowMax => Side::RowMin,
        }
    }

    /// Step in (column, row) to the neighbouring cell across this side.
    pub fn step(self) -> (isize, isize) {
        match self {
            Side::ColMin => (-1, 0),
            Side::ColMax => (1, 0),
            Side::RowMin => (0, -1),
            Side::RowMax => (0, 1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opposite_sides_step_back() {
        for s in [Side::ColMin, Side::ColMax, Side::RowMin, Side::RowMax] {
            let (a, b) = s.step();
            let (c, d) = s.opposite().step();
            assert_eq!((a + c, b + d), (0, 0));
            assert_eq!(s.opposite().opposite(), s);
        }
    }
}
