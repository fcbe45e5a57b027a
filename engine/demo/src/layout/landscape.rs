//! The county's landscape: its boundary and the river 伊通河.

use crate::geom::Pt;
use crate::grid::extent;
use std::f64::consts::PI;

/// The river 伊通河: centreline easting at northing `y`.
pub fn river_x(y: f64) -> f64 {
    let t = y - 4_786_000.0;
    685_800.0 + 900.0 * (t / 2900.0).sin() + 350.0 * (t / 1000.0 + 0.5).sin()
}

/// The county boundary: a wobbly ellipse that leaves the raster's corners outside.
pub(super) fn county_ring() -> Vec<Pt> {
    let e = extent();
    let (cx, cy) = ((e.x0 + e.x1) / 2.0, (e.y0 + e.y1) / 2.0);
    (0..72)
        .map(|i| {
            let t = 2.0 * PI * i as f64 / 72.0;
            let f = 1.0 + 0.07 * (3.0 * t + 1.0).sin() + 0.04 * (5.0 * t + 2.0).sin();
            (cx + 17_500.0 * f * t.cos(), cy + 14_500.0 * f * t.sin())
        })
        .collect()
}
