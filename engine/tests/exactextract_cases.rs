//! exactextract's own unit tests, ported to what reclaim computes.
//!
//! Each case takes its grid, polygon and expected numbers from exactextract's test
//! suite (<https://github.com/isciences/exactextract>; file named per case), as facts
//! checked by hand in the comments; no code was copied. exactextract's grids are
//! `Grid{xmin, ymin, xmax, ymax, dx, dy}` with row 0 at the top (ymax); its
//! statistics map to reclaim's rows as: `count` = Σ cells of the value rows (nodata
//! and outside excluded), `frac` of a value = its cells / `count`, `unique` = the
//! value rows. Areas here are planar with 1 m² cells unless said otherwise.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use reclaim::area::AreaModel;
use reclaim::coverage::coverage;
use reclaim::crs::{Crs, Ellipsoid};
use reclaim::grid::{GeoTransform, Grid};
use reclaim::raster::Raster;
use reclaim::zonal::{zonal_histogram, zones_off_raster, ClassKey, Zone};
use std::path::Path;
use tiff::encoder::colortype;

mod common;

/// exactextract's `Grid{xmin, ymin, xmax, ymax, dx, dy}` as a north-up grid.
fn ee_grid(xmin: f64, ymin: f64, xmax: f64, ymax: f64, dx: f64, dy: f64) -> Grid {
    Grid {
        width: ((xmax - xmin) / dx).round() as usize,
        height: ((ymax - ymin) / dy).round() as usize,
        transform: GeoTransform {
            x0: xmin,
            dx,
            rx: 0.0,
            y0: ymax,
            ry: 0.0,
            dy: -dy,
        },
    }
}

/// A polygon from WKT-like rings of (x, y).
fn poly(rings: &[&[(f64, f64)]]) -> MultiPolygon<f64> {
    let ls = |r: &[(f64, f64)]| LineString(r.iter().map(|&(x, y)| Coord { x, y }).collect());
    let mut it = rings.iter();
    let ext = ls(it.next().expect("an exterior"));
    MultiPolygon(vec![Polygon::new(ext, it.map(|r| ls(r)).collect())])
}

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    poly(&[&[(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]])
}

/// The coverage of `mp` over every cell of `grid`, row by row from the top.
fn fractions(grid: &Grid, mp: &MultiPolygon<f64>) -> Vec<Vec<f64>> {
    let c = coverage(mp, grid).expect("coverage");
    (0..grid.height)
        .map(|r| (0..grid.width).map(|col| c.get(col, r)).collect())
        .collect()
}

fn assert_matrix(got: &[Vec<f64>], want: &[&[f64]]) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!(g.len(), w.len(), "{got:?}");
        for (a, b) in g.iter().zip(w.iter()) {
            assert!((a - b).abs() < 1e-12, "got {got:?}, want {want:?}");
        }
    }
}

// ---- test/test_raster_cell_intersection.cpp: coverage fractions ----

#[test]
fn ee_basic_and_diagonals() {
    let g = ee_grid(0.0, 0.0, 3.0, 3.0, 1.0, 1.0);
    // "Basic": a 2 × 2 square centred on the 3 × 3 grid.
    assert_matrix(
        &fractions(&g, &rect(0.5, 0.5, 2.5, 2.5)),
        &[&[0.25, 0.5, 0.25], &[0.5, 1.0, 0.5], &[0.25, 0.5, 0.25]],
    );
    // "Diagonals": a diamond through the cell centres of the edge cells.
    let d = poly(&[&[(1.5, 0.5), (2.5, 1.5), (1.5, 2.5), (0.5, 1.5), (1.5, 0.5)]]);
    assert_matrix(
        &fractions(&g, &d),
        &[&[0.0, 0.25, 0.0], &[0.25, 1.0, 0.25], &[0.0, 0.25, 0.0]],
    );
}

#[test]
fn ee_starting_on_cell_boundary_and_bouncing_off_it() {
    // "Starting on cell boundary": ring starts at (1, 1.5), on a vertical cell side.
    let g = ee_grid(0.0, 0.0, 2.0, 2.0, 1.0, 1.0);
    let p = poly(&[&[
        (1.0, 1.5),
        (1.5, 1.5),
        (1.5, 0.5),
        (0.5, 0.5),
        (0.5, 1.5),
        (1.0, 1.5),
    ]]);
    assert_matrix(&fractions(&g, &p), &[&[0.25, 0.25], &[0.25, 0.25]]);
    // "Bouncing off boundary": grid {0, -1, 2, 2} (2 columns, 3 rows); the ring
    // touches y = 0 at (0.5, 0) and turns back. Row 1 (y 0..1) holds the part
    // above the edge y = (x − 0.5)/2: left cell ∫ from 0.5 to 1 of (1 − (x − 0.5)/2)
    // dx = 0.5 − 0.0625 = 0.4375, right cell ∫ from 1 to 1.5 = 0.5 − 0.1875 = 0.3125.
    let g = ee_grid(0.0, -1.0, 2.0, 2.0, 1.0, 1.0);
    let p = poly(&[&[
        (0.5, 1.5),
        (0.5, 0.5),
        (0.5, 0.0),
        (1.5, 0.5),
        (1.5, 1.5),
        (0.5, 1.5),
    ]]);
    assert_matrix(
        &fractions(&g, &p),
        &[&[0.25, 0.25], &[0.4375, 0.3125], &[0.0, 0.0]],
    );
    // "Bouncing off boundary (2)": must not fail.
    let g = ee_grid(0.0, 0.0, 2.0, 2.0, 1.0, 1.0);
    let p = poly(&[&[
        (0.5, 0.5),
        (1.5, 0.5),
        (1.5, 1.5),
        (0.5, 1.5),
        (1.0, 1.2),
        (0.5, 0.5),
    ]]);
    assert!(coverage(&p, &g).is_ok());
}

#[test]
fn ee_edges_along_grid_lines() {
    let g3 = ee_grid(0.0, 0.0, 3.0, 3.0, 1.0, 1.0);
    // "Follows grid boundary": the east edge runs along x = 2.
    let p = poly(&[&[
        (0.5, 0.5),
        (2.0, 0.5),
        (2.0, 1.5),
        (2.0, 2.5),
        (0.5, 2.5),
        (0.5, 0.5),
    ]]);
    assert_matrix(
        &fractions(&g3, &p),
        &[&[0.25, 0.5, 0.0], &[0.5, 1.0, 0.0], &[0.25, 0.5, 0.0]],
    );
    // "Starts on vertical boundary, moving up / down" (4 × 3 grid), and at the
    // grid's rightmost extent (3 × 3 grid): same fractions.
    let g4 = ee_grid(0.0, 0.0, 4.0, 3.0, 1.0, 1.0);
    let want: &[&[f64]] = &[
        &[0.25, 0.5, 0.5, 0.0],
        &[0.5, 1.0, 1.0, 0.0],
        &[0.25, 0.5, 0.5, 0.0],
    ];
    let up = poly(&[&[(3.0, 0.5), (3.0, 2.5), (0.5, 2.5), (0.5, 0.5), (3.0, 0.5)]]);
    let down = poly(&[&[(0.5, 2.5), (0.5, 0.5), (3.0, 0.5), (3.0, 2.5), (0.5, 2.5)]]);
    assert_matrix(&fractions(&g4, &up), want);
    assert_matrix(&fractions(&g4, &down), want);
    let right = poly(&[&[(3.0, 2.5), (3.0, 0.5), (0.5, 0.5), (0.5, 2.5), (3.0, 2.5)]]);
    assert_matrix(
        &fractions(&g3, &right),
        &[&[0.25, 0.5, 0.5], &[0.5, 1.0, 1.0], &[0.25, 0.5, 0.5]],
    );
    // "Starts on horizontal boundary, moving right / left" (3 × 4 grid).
    let g34 = ee_grid(0.0, 0.0, 3.0, 4.0, 1.0, 1.0);
    let p = poly(&[&[(0.5, 1.0), (2.5, 1.0), (2.5, 3.5), (0.5, 3.5), (0.5, 1.0)]]);
    assert_matrix(
        &fractions(&g34, &p),
        &[
            &[0.25, 0.5, 0.25],
            &[0.5, 1.0, 0.5],
            &[0.5, 1.0, 0.5],
            &[0.0, 0.0, 0.0],
        ],
    );
    let p = poly(&[&[
        (2.5, 3.0),
        (0.5, 3.0),
        (0.5, 3.5),
        (0.25, 3.5),
        (0.25, 0.5),
        (2.5, 0.5),
        (2.5, 3.0),
    ]]);
    assert_matrix(
        &fractions(&g34, &p),
        &[
            &[0.125, 0.0, 0.0],
            &[0.75, 1.0, 0.5],
            &[0.75, 1.0, 0.5],
            &[0.375, 0.5, 0.25],
        ],
    );
}

#[test]
fn ee_small_polygon_fill_and_indexing() {
    // "Small polygon": a 1 × 1 square in one 10 × 10 cell covers 0.01 of it.
    let g = ee_grid(0.0, 0.0, 10.0, 10.0, 10.0, 10.0);
    assert_matrix(&fractions(&g, &rect(3.0, 3.0, 4.0, 4.0)), &[&[0.01]]);
    // "Fill handled correctly": a C-shaped ring whose inner cells must be filled
    // right (3 × 5 grid).
    let g = ee_grid(0.0, 0.0, 3.0, 5.0, 1.0, 1.0);
    let p = poly(&[&[
        (0.5, 0.2),
        (2.2, 0.2),
        (2.2, 0.4),
        (0.7, 0.4),
        (0.7, 2.2),
        (2.2, 2.2),
        (2.2, 0.6),
        (2.4, 0.6),
        (2.4, 4.8),
        (0.5, 4.8),
        (0.5, 0.2),
    ]]);
    assert_matrix(
        &fractions(&g, &p),
        &[
            &[0.40, 0.80, 0.32],
            &[0.50, 1.00, 0.40],
            &[0.44, 0.80, 0.36],
            &[0.20, 0.00, 0.20],
            &[0.22, 0.20, 0.12],
        ],
    );
    // "Result indexing is correct": grid {-20, -15, 40, 30} with 0.5 × 1 cells;
    // the polygon's window is columns 40..46, rows 25..30.
    let g = ee_grid(-20.0, -15.0, 40.0, 30.0, 0.5, 1.0);
    let c = coverage(&rect(0.25, 0.2, 2.75, 4.5), &g).unwrap();
    assert_eq!(
        (
            c.window.col_off,
            c.window.width,
            c.window.row_off,
            c.window.height
        ),
        (40, 6, 25, 5)
    );
    let want = [
        [0.25, 0.50, 0.50, 0.50, 0.50, 0.25],
        [0.50, 1.00, 1.00, 1.00, 1.00, 0.50],
        [0.50, 1.00, 1.00, 1.00, 1.00, 0.50],
        [0.50, 1.00, 1.00, 1.00, 1.00, 0.50],
        [0.40, 0.80, 0.80, 0.80, 0.80, 0.40],
    ];
    for (r, row) in want.iter().enumerate() {
        for (k, w) in row.iter().enumerate() {
            assert!((c.get(40 + k, 25 + r) - w).abs() < 1e-12);
        }
    }
}

// ---- categorical rows over GeoTIFFs ----

/// A GeoTIFF of `values` (row 0 at the top) on exactextract's grid `g` with 1 m cells
/// (as far as the file's CRS goes; areas use `AreaModel::Planar` with 1 m² cells).
fn raster_u8(dir: &Path, g: &Grid, values: &[&[u8]], nodata: Option<&str>) -> Raster {
    let path = dir.join("r.tif");
    let data: Vec<u8> = values.iter().flat_map(|r| r.iter().copied()).collect();
    let (w, h) = (g.width as u32, g.height as u32);
    let origin = (g.transform.x0, g.transform.y0);
    common::write_geotiff::<colortype::Gray8>(
        &path,
        (w, h),
        &data,
        origin,
        g.transform.dx,
        h,
        nodata,
    );
    Raster::open(&path).unwrap()
}

fn raster_f32(dir: &Path, g: &Grid, values: &[&[f32]]) -> Raster {
    let path = dir.join("f.tif");
    let data: Vec<f32> = values.iter().flat_map(|r| r.iter().copied()).collect();
    let (w, h) = (g.width as u32, g.height as u32);
    let origin = (g.transform.x0, g.transform.y0);
    common::write_geotiff::<colortype::Gray32Float>(
        &path,
        (w, h),
        &data,
        origin,
        g.transform.dx,
        h,
        None,
    );
    Raster::open(&path).unwrap()
}

fn raster_i32(dir: &Path, g: &Grid, values: &[&[i32]], nodata: &str) -> Raster {
    let path = dir.join("i.tif");
    let data: Vec<i32> = values.iter().flat_map(|r| r.iter().copied()).collect();
    let (w, h) = (g.width as u32, g.height as u32);
    let origin = (g.transform.x0, g.transform.y0);
    common::write_geotiff::<colortype::GrayI32>(
        &path,
        (w, h),
        &data,
        origin,
        g.transform.dx,
        h,
        Some(nodata),
    );
    Raster::open(&path).unwrap()
}

/// (class, cells) rows of one zone.
fn classes(raster: &Raster, mp: MultiPolygon<f64>) -> Vec<(String, f64)> {
    let zones = [Zone {
        id: "z".into(),
        geometry: mp,
    }];
    let area = AreaModel::Planar { cell_m2: 1.0 };
    let rows = zonal_histogram(raster, 1, &zones, &area).unwrap();
    rows.iter()
        .map(|r| {
            // Cells and m² agree for 1 m² cells.
            assert!((r.cells - r.area_ha * 10_000.0).abs() < 1e-9);
            (r.class.label(), r.cells)
        })
        .collect()
}

fn assert_classes(got: &[(String, f64)], want: &[(&str, f64)]) {
    assert_eq!(got.len(), want.len(), "{got:?}");
    for ((gc, gn), (wc, wn)) in got.iter().zip(want) {
        assert_eq!(gc, wc, "{got:?}");
        assert!((gn - wn).abs() < 1e-9, "{got:?} vs {want:?}");
    }
}

#[test]
fn ee_frac_and_unique() {
    // python/tests/test_exact_extract.py, test_frac: rows of 1, 2, 3 on a 3 × 3
    // grid. Square (0.5, 0.5)–(1, 1) lies in the bottom row: frac {3: 1}, a
    // quarter cell. Square (0.5, 0.5)–(2.5, 2.5): frac {1: .25, 2: .5, 3: .25} of
    // count 4, so 1, 2 and 1 cells.
    let dir = tempfile::tempdir().unwrap();
    let g = ee_grid(0.0, 0.0, 3.0, 3.0, 1.0, 1.0);
    let r = raster_u8(dir.path(), &g, &[&[1, 1, 1], &[2, 2, 2], &[3, 3, 3]], None);
    assert_classes(&classes(&r, rect(0.5, 0.5, 1.0, 1.0)), &[("3", 0.25)]);
    assert_classes(
        &classes(&r, rect(0.5, 0.5, 2.5, 2.5)),
        &[("1", 1.0), ("2", 2.0), ("3", 1.0)],
    );
    // test_output_map_fields: bottom row 3 3 4: frac {1: .25, 2: .5, 3: .1875,
    // 4: .0625} of count 4.
    let r = raster_u8(dir.path(), &g, &[&[1, 1, 1], &[2, 2, 2], &[3, 3, 4]], None);
    assert_classes(
        &classes(&r, rect(0.5, 0.5, 2.5, 2.5)),
        &[("1", 1.0), ("2", 2.0), ("3", 0.75), ("4", 0.25)],
    );
}

#[test]
fn ee_frac_of_a_triangle() {
    // test/test_operation.cpp, "frac sets appropriate column names": values
    // 9 1 1 / 2 2 2 / 3 3 3, triangle (0.5 0.5, 2.5 0.5, 2.5 2.5) of area 2:
    // frac_1 0.0625, frac_2 0.5, frac_3 0.4375, and no frac_9 (the 9 cell is
    // not reached). In cells: 0.125, 1, 0.875.
    let dir = tempfile::tempdir().unwrap();
    let g = ee_grid(0.0, 0.0, 3.0, 3.0, 1.0, 1.0);
    let r = raster_u8(dir.path(), &g, &[&[9, 1, 1], &[2, 2, 2], &[3, 3, 3]], None);
    let t = poly(&[&[(0.5, 0.5), (2.5, 0.5), (2.5, 2.5), (0.5, 0.5)]]);
    assert_classes(&classes(&r, t), &[("1", 0.125), ("2", 1.0), ("3", 0.875)]);
}

/// test/test_stats.cpp, "Basic float stats" / "Basic integer stats": a 5 × 5 grid
/// {-1, -1, 4, 4}, the square (0.5, 0.5)–(2.5, 2.5) covering rows 1–3 and columns
/// 1–3 with fractions .25 .5 .25 / .5 1 .5 / .25 .5 .25, over values 1 2 3 / 4 5 6
/// / 0 x 7 where x is NaN (float) or the nodata value -999 (integer). exactextract:
/// count 3.5 (x left out), sum 13.75, variety 8.
const STATS_GRID: [f64; 6] = [-1.0, -1.0, 4.0, 4.0, 1.0, 1.0];
const STATS_WANT: [(&str, f64); 9] = [
    ("0", 0.25),
    ("1", 0.25),
    ("2", 0.5),
    ("3", 0.25),
    ("4", 0.5),
    ("5", 1.0),
    ("6", 0.5),
    ("7", 0.25),
    ("nodata", 0.5),
];

fn stats_check(got: &[(String, f64)]) {
    assert_classes(got, &STATS_WANT);
    let values: Vec<&(String, f64)> = got.iter().filter(|r| r.0 != "nodata").collect();
    let count: f64 = values.iter().map(|r| r.1).sum();
    let sum: f64 = values
        .iter()
        .map(|r| r.0.parse::<f64>().unwrap() * r.1)
        .sum();
    assert_eq!((count, sum, values.len()), (3.5, 13.75, 8));
}

#[test]
fn ee_nan_is_nodata_on_float_rasters() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b, c, d, dx, dy] = STATS_GRID;
    let g = ee_grid(a, b, c, d, dx, dy);
    let n = f32::NAN;
    let r = raster_f32(
        dir.path(),
        &g,
        &[
            &[1.0, 1.0, 1.0, 1.0, 1.0],
            &[1.0, 1.0, 2.0, 3.0, 1.0],
            &[1.0, 4.0, 5.0, 6.0, 1.0],
            &[1.0, 0.0, n, 7.0, 1.0],
            &[1.0, 1.0, 1.0, 1.0, 1.0],
        ],
    );
    assert_eq!(
        r.info().nodata,
        None,
        "no nodata declared: NaN alone is nodata"
    );
    stats_check(&classes(&r, rect(0.5, 0.5, 2.5, 2.5)));
}

#[test]
fn ee_declared_nodata_on_integer_rasters() {
    let dir = tempfile::tempdir().unwrap();
    let [a, b, c, d, dx, dy] = STATS_GRID;
    let g = ee_grid(a, b, c, d, dx, dy);
    let r = raster_i32(
        dir.path(),
        &g,
        &[
            &[1, 1, 1, 1, 1],
            &[1, 1, 2, 3, 1],
            &[1, 4, 5, 6, 1],
            &[1, 0, -999, 7, 1],
            &[1, 1, 1, 1, 1],
        ],
        "-999",
    );
    stats_check(&classes(&r, rect(0.5, 0.5, 2.5, 2.5)));
}

#[test]
fn ee_nodata_block() {
    // python/tests/test_exact_extract.py, test_nodata: 10 × 10 values 1..100 row
    // by row, rows 6–9 × columns 0–3 set to the nodata -999. Square (0, 0)–(3, 3)
    // lies wholly in the nodata block (sum 0): 9 nodata cells. Square
    // (3.5, 3.5)–(4.5, 4.5) covers a quarter of cells 54, 55, 65 and of one nodata
    // cell: sum 43.5 = .25 (54 + 55 + 65), mean 58.
    let dir = tempfile::tempdir().unwrap();
    let g = ee_grid(0.0, 0.0, 10.0, 10.0, 1.0, 1.0);
    let rows: Vec<Vec<i32>> = (0..10)
        .map(|r| {
            (0..10)
                .map(|c| {
                    if r >= 6 && c < 4 {
                        -999
                    } else {
                        10 * r + c + 1
                    }
                })
                .collect()
        })
        .collect();
    let refs: Vec<&[i32]> = rows.iter().map(Vec::as_slice).collect();
    let r = raster_i32(dir.path(), &g, &refs, "-999");
    assert_classes(&classes(&r, rect(0.0, 0.0, 3.0, 3.0)), &[("nodata", 9.0)]);
    let got = classes(&r, rect(3.5, 3.5, 4.5, 4.5));
    assert_classes(
        &got,
        &[("54", 0.25), ("55", 0.25), ("65", 0.25), ("nodata", 0.25)],
    );
    let sum: f64 = got
        .iter()
        .filter(|r| r.0 != "nodata")
        .map(|r| r.0.parse::<f64>().unwrap() * r.1)
        .sum();
    assert_eq!(sum, 43.5);
}

#[test]
fn ee_partly_and_wholly_off_the_grid() {
    // test/test_operation.cpp, "correct result for feature partially intersecting
    // raster": values 1..9 on the 3 × 3 grid, polygon (2, 2)–(100, 100): count 1,
    // median 3 (the top-right cell). reclaim adds the rest as `outside`:
    // 98 × 98 − 1 = 9603 cells.
    let dir = tempfile::tempdir().unwrap();
    let g = ee_grid(0.0, 0.0, 3.0, 3.0, 1.0, 1.0);
    let r = raster_u8(dir.path(), &g, &[&[1, 2, 3], &[4, 5, 6], &[7, 8, 9]], None);
    assert_classes(
        &classes(&r, rect(2.0, 2.0, 100.0, 100.0)),
        &[("3", 1.0), ("outside", 9603.0)],
    );
    // "no error if feature does not intersect raster": grid {100, 100, 103, 103},
    // triangle (0 0, 3 0, 3 3): count 0. reclaim: the whole 4.5 cells `outside`,
    // and the zone is reported off the raster (an error when every zone is).
    let g = ee_grid(100.0, 100.0, 103.0, 103.0, 1.0, 1.0);
    let r = raster_u8(dir.path(), &g, &[&[9, 1, 1], &[2, 2, 2], &[3, 3, 3]], None);
    let zones = [Zone {
        id: "15".into(),
        geometry: poly(&[&[(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (0.0, 0.0)]]),
    }];
    let rows = zonal_histogram(&r, 1, &zones, &AreaModel::Planar { cell_m2: 1.0 }).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!((rows[0].class, rows[0].cells), (ClassKey::Outside, 4.5));
    assert_eq!(zones_off_raster(&rows, 1), vec![0]);
}

// ---- test/test_raster_area.cpp: geographic cell areas ----

#[test]
fn ee_geographic_cell_area() {
    // "Spherical area raster returns pixel area": 1° cells over {0, 45, 10, 55};
    // cell (col 3, row 4) is 3–4° E, 50–51° N. PostGIS (geographiclib) gives
    // 7892061583.206543 m² for that polygon; exactextract's spherical model is
    // within 0.2 %. reclaim's cell is the exact lon/lat rectangle on WGS 84, whose
    // parallels bound slightly less than geodesic edges do; within 0.2 % too.
    let g = ee_grid(0.0, 45.0, 10.0, 55.0, 1.0, 1.0);
    let m = AreaModel::new(&g, &Crs::from_epsg(4326).unwrap());
    let postgis = 7_892_061_583.206_543;
    let cell = m.cell_m2(4);
    assert!(((cell - postgis) / postgis).abs() < 0.002, "{cell}");
    assert_eq!(cell, Ellipsoid::WGS84.cell_area(50.0, 51.0, 1.0));
    // A 2° × 2° zone inside this grid has no `outside`, at any latitude.
    for (y0, y1) in [(45.0, 47.0), (50.0, 52.0), (53.0, 55.0)] {
        assert_eq!(m.outside_m2(&rect(2.0, y0, 4.0, y1), 0.0), 0.0);
    }
}
