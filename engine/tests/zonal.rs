//! Zonal histograms on a hand-made 4 × 4 grid: every expected area is worked out
//! by hand from the cell values and the zone geometry.

use reclaim::raster::Limits;
use reclaim::vector::ReadOptions;
use reclaim::warning::Warning;
use reclaim::zonal::{run, ZonalRequest, ZonalTable};
use std::path::{Path, PathBuf};
use tiff::encoder::colortype;

mod common;

const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_040.0; // top edge; 4 rows of 10 m below it

/// Cell values, row 0 at the top (north). 255 is nodata.
const VALUES: [[u8; 4]; 4] = [
    [1, 1, 2, 2], //
    [1, 1, 2, 2],
    [3, 3, 255, 4],
    [3, 3, 4, 4],
];

fn write_raster(dir: &Path) -> PathBuf {
    let path = dir.join("classes.tif");
    let data: Vec<u8> = VALUES.iter().flatten().copied().collect();
    common::write_geotiff::<colortype::Gray8>(&path, (4, 4), &data, (X0, Y0), 10.0, 1, Some("255"));
    path
}

/// A GeoJSON FeatureCollection in EPSG:32651 (legacy `crs` member) from rings
/// given in metres relative to the grid's top-left corner (y down, so -dy).
fn write_zones(dir: &Path, zones: &[(&str, Vec<(f64, f64)>)]) -> PathBuf {
    let feats: Vec<String> = zones
        .iter()
        .map(|(id, ring)| {
            let coords: Vec<String> = ring
                .iter()
                .chain(ring.first())
                .map(|(dx, dy)| format!("[{},{}]", X0 + dx, Y0 - dy))
                .collect();
            format!(
                r#"{{"type":"Feature","properties":{{"zone":"{id}"}},"geometry":{{"type":"Polygon","coordinates":[[{}]]}}}}"#,
                coords.join(",")
            )
        })
        .collect();
    let text = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::32651"}}}},"features":[{}]}}"#,
        feats.join(",")
    );
    let path = dir.join("zones.geojson");
    std::fs::write(&path, text).unwrap();
    path
}

fn table(zones: &[(&str, Vec<(f64, f64)>)]) -> Vec<(String, String, f64)> {
    rows_of(&try_table(zones).unwrap())
}

fn rows_of(t: &ZonalTable) -> Vec<(String, String, f64)> {
    t.rows
        .iter()
        .map(|r| {
            (
                t.zone_ids[r.zone_index].clone(),
                r.class.label(),
                r.area_ha * 10_000.0,
            )
        })
        .collect()
}

fn try_table(zones: &[(&str, Vec<(f64, f64)>)]) -> Result<ZonalTable, reclaim::zonal::ZonalError> {
    let dir = tempfile::tempdir().unwrap();
    let req = ZonalRequest {
        raster: write_raster(dir.path()),
        band: 1,
        zones: write_zones(dir.path(), zones),
        id_field: "zone".into(),
        read: ReadOptions::default(),
        zones_crs: None,
        raster_crs: None,
        limits: Limits::default(),
    };
    run(&req)
}

fn assert_rows(got: &[(String, String, f64)], want: &[(&str, &str, f64)]) {
    assert_eq!(got.len(), want.len(), "got {got:?}");
    for ((gz, gc, gm2), (wz, wc, wm2)) in got.iter().zip(want) {
        assert_eq!((gz.as_str(), gc.as_str()), (*wz, *wc), "got {got:?}");
        assert!((gm2 - wm2).abs() < 1e-6, "{gz}/{gc}: {gm2} m² vs {wm2} m²");
    }
}

#[test]
fn cell_aligned_square_takes_whole_cells() {
    // the top-left 2 × 2 cells: four cells of value 1
    let got = table(&[(
        "A",
        vec![(0.0, 0.0), (20.0, 0.0), (20.0, 20.0), (0.0, 20.0)],
    )]);
    assert_rows(&got, &[("A", "1", 400.0)]);
}

#[test]
fn half_cell_offset_square_takes_quarters_and_halves() {
    // 20 × 20 m square from (5, 5) to (25, 25): a 3 × 3 block of cells, corners a
    // quarter (25 m²), edges a half (50 m²), centre whole (100 m²).
    // cells: (0,0)=1 q, (1,0)=1 h, (2,0)=2 q, (0,1)=1 h, (1,1)=1 whole, (2,1)=2 h,
    //        (0,2)=3 q, (1,2)=3 h, (2,2)=nodata q
    let got = table(&[(
        "B",
        vec![(5.0, 5.0), (25.0, 5.0), (25.0, 25.0), (5.0, 25.0)],
    )]);
    assert_rows(
        &got,
        &[
            ("B", "1", 25.0 + 50.0 + 50.0 + 100.0),
            ("B", "2", 25.0 + 50.0),
            ("B", "3", 25.0 + 50.0),
            ("B", "nodata", 25.0),
        ],
    );
}

#[test]
fn part_beyond_the_raster_is_outside() {
    // the bottom row's right two cells (values 4, 4) plus 15 m beyond the east edge
    let got = table(&[(
        "C",
        vec![(20.0, 30.0), (55.0, 30.0), (55.0, 40.0), (20.0, 40.0)],
    )]);
    assert_rows(&got, &[("C", "4", 200.0), ("C", "outside", 150.0)]);
}

#[test]
fn triangle_splits_cells_on_the_diagonal() {
    // right triangle (0,0) (20,0) (0,20), y down: cells (0,0) whole, (1,0) and (0,1)
    // halves, (1,1) nothing (the diagonal passes through its corner only). All value 1.
    let got = table(&[("T", vec![(0.0, 0.0), (20.0, 0.0), (0.0, 20.0)])]);
    assert_rows(&got, &[("T", "1", 200.0)]);
}

#[test]
fn zones_come_in_input_order_and_do_not_mix() {
    let got = table(&[
        (
            "second",
            vec![(30.0, 30.0), (40.0, 30.0), (40.0, 40.0), (30.0, 40.0)],
        ),
        (
            "first",
            vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)],
        ),
    ]);
    assert_rows(&got, &[("second", "4", 100.0), ("first", "1", 100.0)]);
}

#[test]
fn zone_entirely_outside_is_all_outside_and_warned() {
    let far = vec![(100.0, 0.0), (110.0, 0.0), (110.0, 10.0), (100.0, 10.0)];
    let near = vec![(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
    let t = try_table(&[("far", far.clone()), ("near", near), ("far", far)]).unwrap();
    assert_rows(
        &rows_of(&t),
        &[
            ("far", "outside", 100.0),
            ("near", "1", 100.0),
            ("far", "outside", 100.0),
        ],
    );
    // One warning per zone id, naming the raster.
    assert_eq!(t.warnings.len(), 1, "{:?}", t.warnings);
    match &t.warnings[0] {
        Warning::ZoneOffRaster { zone_id, raster } => {
            assert_eq!(zone_id, "far");
            assert!(raster.ends_with("classes.tif"));
        }
        w => panic!("{w:?}"),
    }
}

#[test]
fn every_zone_off_the_raster_is_an_error() {
    let far = vec![(100.0, 0.0), (110.0, 0.0), (110.0, 10.0), (100.0, 10.0)];
    let e = try_table(&[("far", far)]).unwrap_err().to_string();
    for part in [
        "none of the 1 zone(s)",
        "zones.geojson",
        "classes.tif",
        "--zones-crs",
        "wrong file",
    ] {
        assert!(e.contains(part), "{part:?} not in {e}");
    }
}

#[test]
fn zero_or_nan_pixel_scale_blames_the_raster_and_the_tag() {
    for cell in [0.0, f64::NAN] {
        let dir = tempfile::tempdir().unwrap();
        let raster = dir.path().join("bad_scale.tif");
        let data: Vec<u8> = VALUES.iter().flatten().copied().collect();
        common::write_geotiff::<colortype::Gray8>(&raster, (4, 4), &data, (X0, Y0), cell, 1, None);
        let req = ZonalRequest {
            raster,
            band: 1,
            zones: write_zones(
                dir.path(),
                &[(
                    "A",
                    vec![(0.0, 0.0), (20.0, 0.0), (20.0, 20.0), (0.0, 20.0)],
                )],
            ),
            id_field: "zone".into(),
            read: ReadOptions::default(),
            zones_crs: None,
            raster_crs: None,
            limits: Limits::default(),
        };
        let e = run(&req).unwrap_err().to_string();
        assert!(
            e.contains("bad_scale.tif") && e.contains("ModelPixelScale") && !e.contains("zone"),
            "{e}"
        );
    }
}
