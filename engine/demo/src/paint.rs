//! Sentinel-2-like imagery of the demo county: red (B04) and near-infrared (B08)
//! digital numbers with the L2A offset (reflectance = DN × 1e-4 − 0.1), and a scene
//! classification (SCL) mask, painted cell by cell.
//!
//! Background land is farmland in parcels, forest on the hills of the north-west and
//! south-east, towns and hamlets, roads and the 伊通河 river. Every cell that touches a
//! pit is bare (NDVI 0.04–0.22) unless the construction made it restored (NDVI 0.55–0.80,
//! a whole cell inside the pit) or water (NDVI below −0.1); so an NDVI classifier with
//! restored ≥ 0.3 and water < 0 sees exactly the designed land.

use crate::county::TOWNS;
use crate::geom::Pt;
use crate::grid::{cells_touching, centre, CELL, HEIGHT, WIDTH, X0, Y_TOP};
use crate::layout::{river_x, Layout, SEED, TOUCH_DISTANCE};
use rayon::prelude::*;
use reclaim::rng::{hash01, value_noise};

/// SCL: no data.
pub const SCL_NODATA: u8 = 0;
/// SCL: cloud shadow.
pub const SCL_SHADOW: u8 = 3;
/// SCL: vegetation.
pub const SCL_VEGETATION: u8 = 4;
/// SCL: not vegetated (bare soil, built-up).
pub const SCL_BARE: u8 = 5;
/// SCL: water.
pub const SCL_WATER: u8 = 6;

/// One year's painted rasters.
#[derive(Debug, Clone)]
pub struct Scene {
    /// Red and NIR DNs, pixel-interleaved, row-major from the north-west.
    pub bands: Vec<u16>,
    /// SCL codes, row-major.
    pub scl: Vec<u8>,
}

/// A cell's surface: red reflectance, NDVI, SCL code.
#[derive(Debug, Clone, Copy)]
struct Surface {
    red: f64,
    ndvi: f64,
    scl: u8,
}

/// L2A digital number of a reflectance (offset −0.1, scale 1e-4); never 0 (nodata).
pub fn dn(reflectance: f64) -> u16 {
    ((reflectance + 0.1) * 10_000.0)
        .round()
        .clamp(1.0, 65_535.0) as u16
}

/// NDVI seen by the audit from a pair of DNs.
pub fn ndvi_of(red_dn: u16, nir_dn: u16) -> f64 {
    let r = red_dn as f64 * 1e-4 - 0.1;
    let n = nir_dn as f64 * 1e-4 - 0.1;
    (n - r) / (n + r)
}

fn pixel(s: Surface) -> (u16, u16) {
    let nir = s.red * (1.0 + s.ndvi) / (1.0 - s.ndvi);
    (dn(s.red), dn(nir))
}

/// Bare pit land: NDVI 0.04–0.22.
fn bare(x: f64, y: f64, year: u64) -> Surface {
    let a = value_noise(SEED ^ 0xBA4E ^ year, x, y, 40.0);
    let b = hash01(SEED ^ 0xBA4F ^ year, (x / CELL) as i64, (y / CELL) as i64);
    Surface {
        red: 0.16 + 0.08 * a,
        ndvi: 0.05 + 0.12 * a + 0.05 * b,
        scl: SCL_BARE,
    }
}

/// Re-vegetated pit land: NDVI 0.55–0.80.
fn restored(x: f64, y: f64, year: u64) -> Surface {
    let a = value_noise(SEED ^ 0x7E57 ^ year, x, y, 50.0);
    let b = hash01(SEED ^ 0x7E58 ^ year, (x / CELL) as i64, (y / CELL) as i64);
    Surface {
        red: 0.035 + 0.025 * (1.0 - a),
        ndvi: 0.55 + 0.2 * a + 0.05 * b,
        scl: SCL_VEGETATION,
    }
}

/// Open water: NDVI −0.35 to −0.12.
fn water(x: f64, y: f64) -> Surface {
    let a = value_noise(SEED ^ 0x0A7E, x, y, 80.0);
    Surface {
        red: 0.03 + 0.015 * a,
        ndvi: -0.35 + 0.23 * a,
        scl: SCL_WATER,
    }
}

/// Roads between the county seat and the towns (segments).
fn roads() -> Vec<(Pt, Pt)> {
    let seat = TOWNS
        .first()
        .map(|t| (t.x, t.y))
        .unwrap_or((686_000.0, 4_801_500.0));
    TOWNS.iter().skip(1).map(|t| (seat, (t.x, t.y))).collect()
}

fn near_segment(p: Pt, a: Pt, b: Pt, w: f64) -> bool {
    if p.0 < a.0.min(b.0) - w
        || p.0 > a.0.max(b.0) + w
        || p.1 < a.1.min(b.1) - w
        || p.1 > a.1.max(b.1) + w
    {
        return false;
    }
    crate::geom::segment_distance(p, a, b) <= w
}

/// The background surface at a cell centre.
fn landscape(x: f64, y: f64, year: u64, roads: &[(Pt, Pt)]) -> Surface {
    let river = river_x(y);
    let half = 22.0 + 10.0 * value_noise(SEED ^ 0x41, x, y, 2000.0);
    if (x - river).abs() < half {
        return water(x, y);
    }
    if roads.iter().any(|&(a, b)| near_segment((x, y), a, b, 6.0)) {
        return Surface {
            red: 0.14,
            ndvi: 0.12,
            scl: SCL_BARE,
        };
    }
    for t in TOWNS {
        let (dx, dy) = (x - t.x, y - t.y);
        let d2 = dx * dx + dy * dy;
        if d2 >= (1.2 * t.radius).powi(2) {
            continue;
        }
        let wobble = 1.0 + 0.18 * (3.0 * dy.atan2(dx) + t.x / 1000.0).sin();
        if d2 < (t.radius * wobble).powi(2) {
            let a = value_noise(SEED ^ 0x70, x, y, 30.0);
            return Surface {
                red: 0.11 + 0.05 * a,
                ndvi: 0.12 + 0.15 * a,
                scl: SCL_BARE,
            };
        }
    }
    // Hamlets: one candidate per 1.6 km lattice cell.
    let (hi, hj) = ((x / 1600.0).floor() as i64, (y / 1600.0).floor() as i64);
    if hash01(SEED ^ 0x4A, hi, hj) > 0.55 {
        let hx = (hi as f64 + 0.2 + 0.6 * hash01(SEED ^ 0x4B, hi, hj)) * 1600.0;
        let hy = (hj as f64 + 0.2 + 0.6 * hash01(SEED ^ 0x4C, hi, hj)) * 1600.0;
        let r = 110.0 + 90.0 * hash01(SEED ^ 0x4D, hi, hj);
        if (x - hx).powi(2) + (y - hy).powi(2) < r * r {
            let a = value_noise(SEED ^ 0x71, x, y, 30.0);
            return Surface {
                red: 0.10 + 0.05 * a,
                ndvi: 0.18 + 0.15 * a,
                scl: SCL_BARE,
            };
        }
    }
    // Hills of the north-west and south-east carry forest.
    let (u, v) = ((x - 683_000.0) / 15_000.0, (y - 4_800_000.0) / 12_000.0);
    let elev = 0.55 * value_noise(SEED ^ 0xE1, x, y, 4000.0)
        + 0.25 * value_noise(SEED ^ 0xE2, x, y, 1200.0)
        + 0.35 * (u - v).abs();
    if elev > 0.72 {
        let a = value_noise(SEED ^ 0xF0, x, y, 250.0);
        return Surface {
            red: 0.022 + 0.012 * a,
            ndvi: 0.80 + 0.07 * a,
            scl: SCL_VEGETATION,
        };
    }
    // Farmland in parcels of ~260 × 180 m; crops change between years.
    let j = (y / 180.0).floor() as i64;
    let shift = 260.0 * hash01(SEED ^ 0xF1, 0, j);
    let i = ((x + shift) / 260.0).floor() as i64;
    let on_edge = (x + shift).rem_euclid(260.0) < CELL || y.rem_euclid(180.0) < CELL;
    if on_edge {
        return Surface {
            red: 0.07,
            ndvi: 0.38,
            scl: SCL_VEGETATION,
        };
    }
    let crop = hash01(SEED ^ 0xC0 ^ year, i, j);
    let a = value_noise(SEED ^ 0xC1 ^ year, x, y, 120.0);
    let (red, ndvi) = if crop < 0.55 {
        (0.034, 0.80) // maize
    } else if crop < 0.83 {
        (0.045, 0.72) // soybean
    } else if crop < 0.92 {
        (0.05, 0.66) // rice
    } else {
        (0.11, 0.22) // harvested or fallow
    };
    let s = Surface {
        red: red + 0.01 * a,
        ndvi: ndvi + 0.05 * (a - 0.5),
        scl: SCL_VEGETATION,
    };
    if s.ndvi < 0.3 {
        Surface { scl: SCL_BARE, ..s }
    } else {
        s
    }
}

/// West–east spans of the county polygon along the row's centre line.
fn county_spans(ring: &[Pt], y: f64) -> Vec<(f64, f64)> {
    let n = ring.len();
    let mut xs: Vec<f64> = (0..n)
        .filter_map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            ((a.1 > y) != (b.1 > y)).then(|| a.0 + (y - a.1) * (b.0 - a.0) / (b.1 - a.1))
        })
        .collect();
    xs.sort_by(f64::total_cmp);
    xs.chunks_exact(2).map(|c| (c[0], c[1])).collect()
}

/// Paints year `y` (0 = 2020, 1 = 2024).
pub fn paint(layout: &Layout, y: usize) -> Scene {
    let year = y as u64 + 1;
    let roads = roads();
    let mut bands = vec![0u16; WIDTH * HEIGHT * 2];
    let mut scl = vec![SCL_NODATA; WIDTH * HEIGHT];
    bands
        .par_chunks_mut(WIDTH * 2)
        .zip(scl.par_chunks_mut(WIDTH))
        .enumerate()
        .for_each(|(row, (brow, srow))| {
            let cy = Y_TOP - CELL * row as f64 - CELL / 2.0;
            for (x0, x1) in county_spans(&layout.county, cy) {
                let c0 = (((x0 - X0) / CELL - 0.5).ceil().max(0.0)) as usize;
                let c1 = (((x1 - X0) / CELL - 0.5).floor() + 1.0).clamp(0.0, WIDTH as f64) as usize;
                for col in c0..c1.max(c0) {
                    let cx = X0 + CELL * col as f64 + CELL / 2.0;
                    let s = landscape(cx, cy, year, &roads);
                    let (r, n) = pixel(s);
                    if let (Some(px), Some(code)) =
                        (brow.get_mut(2 * col..2 * col + 2), srow.get_mut(col))
                    {
                        px.copy_from_slice(&[r, n]);
                        *code = s.scl;
                    }
                }
            }
        });
    let mut put = |idx: usize, s: Surface| {
        let (r, n) = pixel(s);
        if let (Some(px), Some(code)) = (bands.get_mut(2 * idx..2 * idx + 2), scl.get_mut(idx)) {
            px.copy_from_slice(&[r, n]);
            *code = s.scl;
        }
    };
    for pit in &layout.pits {
        for idx in cells_touching(&pit.shape.bbox()) {
            let c = centre(idx);
            if pit.shape.contains(c) || pit.shape.boundary_distance(c) <= TOUCH_DISTANCE {
                put(idx, bare(c.0, c.1, year));
            }
        }
    }
    for pit in &layout.pits {
        for &idx in &pit.restored[y] {
            let c = centre(idx);
            put(idx, restored(c.0, c.1, year));
        }
        for &idx in &pit.water[y] {
            let c = centre(idx);
            put(idx, water(c.0, c.1));
        }
    }
    if y == 1 {
        for &(idx, code) in &layout.unobserved_2024 {
            let c = centre(idx);
            let a = value_noise(SEED ^ 0xC1D, c.0, c.1, 90.0);
            let s = if code == SCL_SHADOW {
                Surface {
                    red: 0.015 + 0.01 * a,
                    ndvi: 0.35 + 0.2 * a,
                    scl: code,
                }
            } else {
                Surface {
                    red: 0.42 + 0.15 * a,
                    ndvi: 0.03 + 0.03 * a,
                    scl: code,
                }
            };
            put(idx, s);
        }
    }
    Scene { bands, scl }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_survive_dn_rounding() {
        for k in 0..200 {
            let (x, y) = (690_000.0 + 37.0 * k as f64, 4_800_000.0 - 13.0 * k as f64);
            for year in [1, 2] {
                let (r, n) = pixel(bare(x, y, year));
                let v = ndvi_of(r, n);
                assert!(v > 0.0 && v < 0.3, "bare {v}");
                let (r, n) = pixel(restored(x, y, year));
                assert!(ndvi_of(r, n) >= 0.35, "restored");
            }
            let (r, n) = pixel(water(x, y));
            assert!(ndvi_of(r, n) < -0.05, "water");
        }
        assert_eq!(dn(0.0), 1000);
        assert_eq!(dn(-0.5), 1, "never the nodata value");
    }

    #[test]
    fn county_spans_of_a_square() {
        let sq = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        assert_eq!(county_spans(&sq, 5.0), vec![(0.0, 10.0)]);
        assert!(county_spans(&sq, 15.0).is_empty());
    }
}
