//! The demo raster grid: EPSG:32651, 10 m cells, north-up, 3000 × 2400 cells.

use crate::geom::{Pt, Rect};

/// West edge of the raster, m (UTM 51N easting).
pub const X0: f64 = 668_000.0;
/// North edge of the raster, m (UTM 51N northing).
pub const Y_TOP: f64 = 4_812_000.0;
/// Cell size, m.
pub const CELL: f64 = 10.0;
/// Columns.
pub const WIDTH: usize = 3000;
/// Rows.
pub const HEIGHT: usize = 2400;
/// Area of one cell, m².
pub const CELL_AREA: f64 = CELL * CELL;

/// Centre of the cell with flat index `idx` (row-major from the north-west).
pub fn centre(idx: usize) -> Pt {
    let (row, col) = (idx / WIDTH, idx % WIDTH);
    (
        X0 + CELL * col as f64 + CELL / 2.0,
        Y_TOP - CELL * row as f64 - CELL / 2.0,
    )
}

/// The cell rectangle of flat index `idx`.
pub fn cell_rect(idx: usize) -> Rect {
    let (row, col) = (idx / WIDTH, idx % WIDTH);
    let x0 = X0 + CELL * col as f64;
    let y1 = Y_TOP - CELL * row as f64;
    Rect {
        x0,
        y0: y1 - CELL,
        x1: x0 + CELL,
        y1,
    }
}

/// Flat indices of the cells whose rectangles touch `r` (clamped to the raster).
pub fn cells_touching(r: &Rect) -> impl Iterator<Item = usize> {
    let col0 = (((r.x0 - X0) / CELL).floor() - 1.0).max(0.0) as usize;
    let col1 = (((r.x1 - X0) / CELL).ceil() + 1.0).clamp(0.0, WIDTH as f64) as usize;
    let row0 = (((Y_TOP - r.y1) / CELL).floor() - 1.0).max(0.0) as usize;
    let row1 = (((Y_TOP - r.y0) / CELL).ceil() + 1.0).clamp(0.0, HEIGHT as f64) as usize;
    (row0..row1).flat_map(move |row| (col0..col1).map(move |col| row * WIDTH + col))
}

/// The raster's extent.
pub fn extent() -> Rect {
    Rect {
        x0: X0,
        y0: Y_TOP - CELL * HEIGHT as f64,
        x1: X0 + CELL * WIDTH as f64,
        y1: Y_TOP,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cell_geometry() {
        assert_eq!(centre(0), (668_005.0, 4_811_995.0));
        assert_eq!(centre(WIDTH + 2), (668_025.0, 4_811_985.0));
        let r = cell_rect(WIDTH + 2);
        assert_eq!(
            (r.x0, r.y0, r.x1, r.y1),
            (668_020.0, 4_811_980.0, 668_030.0, 4_811_990.0)
        );
        let e = extent();
        assert_eq!((e.x1, e.y0), (698_000.0, 4_788_000.0));
        let touching: Vec<usize> = cells_touching(&r).collect();
        assert!(touching.contains(&(WIDTH + 2)) && touching.len() <= 16);
    }
}
