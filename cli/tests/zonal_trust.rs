//! `reclaim zonal` on the cases exactextract's own tests raised: zones off the
//! raster (error, warnings, `--strict`), NaN cells, GDAL masks, geographic grids.
//! Fixtures: `testdata/zonal/` (written by GDAL, see `testdata/zonal/make.py`).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/zonal")
        .join(name)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Writes a GeoJSON of axis-aligned rectangles `(id, xmin, ymin, xmax, ymax)`;
/// `epsg` None leaves the default (WGS 84 lon/lat).
fn zones(dir: &Path, epsg: Option<u32>, rects: &[(&str, f64, f64, f64, f64)]) -> PathBuf {
    let feats: Vec<String> = rects
        .iter()
        .map(|(id, x0, y0, x1, y1)| {
            format!(
                r#"{{"type":"Feature","properties":{{"id":"{id}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}}}"#
            )
        })
        .collect();
    let crs = epsg
        .map(|e| {
            format!(
                r#""crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::{e}"}}}},"#
            )
        })
        .unwrap_or_default();
    let path = dir.join("zones.geojson");
    std::fs::write(
        &path,
        format!(
            r#"{{"type":"FeatureCollection",{crs}"features":[{}]}}"#,
            feats.join(",")
        ),
    )
    .unwrap();
    path
}

fn zonal(raster: &Path, zones: &Path, out: &Path, extra: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .args(["zonal", "--raster"])
        .arg(raster)
        .arg("--zones")
        .arg(zones)
        .args(["--id-field", "id", "--out"])
        .arg(out)
        .args(extra)
        .output()
        .expect("the reclaim binary runs")
}

/// `(zone, class, cells, area_ha)` rows of a zonal CSV.
fn rows(out: &Path) -> Vec<(String, String, f64, f64)> {
    let t = std::fs::read_to_string(out).unwrap();
    t.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (
                f[0].to_string(),
                f[1].to_string(),
                f[2].parse().unwrap(),
                f[3].parse().unwrap(),
            )
        })
        .collect()
}

// The 6 × 4 grid of testdata/zonal: 10 m cells from (686000, 4796000) to (686060, 4796040).
const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_000.0;

#[test]
fn every_zone_off_the_raster_is_exit_2_naming_both_files() {
    let dir = tempfile::tempdir().unwrap();
    let z = zones(
        dir.path(),
        Some(32651),
        &[("far", X0 + 5000.0, Y0, X0 + 5100.0, Y0 + 100.0)],
    );
    let out = dir.path().join("o.csv");
    let o = zonal(&fixture("mask_internal.tif"), &z, &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    for n in [
        "mask_internal.tif",
        "zones.geojson",
        "CRS",
        "--zones-crs",
        "wrong file",
    ] {
        assert!(err.contains(n), "stderr lacks {n:?}: {err}");
    }
    assert!(!out.exists());
}

#[test]
fn some_zones_off_warn_once_and_strict_refuses() {
    let dir = tempfile::tempdir().unwrap();
    let far = ("far", X0 + 5000.0, Y0, X0 + 5100.0, Y0 + 100.0);
    let z = zones(
        dir.path(),
        Some(32651),
        &[far, ("in", X0, Y0, X0 + 20.0, Y0 + 20.0), far],
    );
    let out = dir.path().join("o.csv");
    let o = zonal(&fixture("mask_internal.tif"), &z, &out, &["-q"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert_eq!(err.matches("warning: ").count(), 1, "{err}");
    assert!(
        err.contains("warning: zone far lies wholly outside") && err.contains("mask_internal.tif"),
        "{err}"
    );
    let r = rows(&out);
    assert_eq!(r[0].1, "outside");
    assert!((r[0].3 - 1.0).abs() < 1e-12, "{r:?}"); // 100 m × 100 m
                                                    // --strict: exit 1 and nothing written.
    let out2 = dir.path().join("strict.csv");
    let o = zonal(&fixture("mask_internal.tif"), &z, &out2, &["--strict"]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert!(text(&o.stderr).contains("warning: zone far"));
    assert!(!out2.exists());
}

/// The whole grid as one zone: (class, cells) rows.
fn whole_grid(raster: &str) -> Vec<(String, f64)> {
    let dir = tempfile::tempdir().unwrap();
    let z = zones(
        dir.path(),
        Some(32651),
        &[("all", X0, Y0, X0 + 60.0, Y0 + 40.0)],
    );
    let out = dir.path().join("o.csv");
    let o = zonal(&fixture(raster), &z, &out, &["-q", "--strict"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    rows(&out).into_iter().map(|r| (r.1, r.2)).collect()
}

fn classes(v: &[(&str, f64)]) -> Vec<(String, f64)> {
    v.iter().map(|(c, n)| (c.to_string(), *n)).collect()
}

#[test]
fn masked_cells_are_nodata_internal_tiled_and_sidecar() {
    // Values 1 1 2 2 3 3 / 1 1 2 2 3 3 / 4 4 5 5 6 6 / 4 4 5 5 6 6; the mask drops
    // (0,0) (1,0) (2,0) (values 1 1 2) and (5,3) (value 6): make.py.
    let want = classes(&[
        ("1", 2.0),
        ("2", 3.0),
        ("3", 4.0),
        ("4", 4.0),
        ("5", 4.0),
        ("6", 3.0),
        ("nodata", 4.0),
    ]);
    for f in [
        "mask_internal.tif",
        "mask_internal_tiled.tif",
        "mask_sidecar.tif",
    ] {
        assert_eq!(whole_grid(f), want, "{f}");
    }
}

#[test]
fn nan_cells_are_nodata_without_a_declared_nodata() {
    // float32, no GDAL_NODATA; NaN at (0,0) (1,0) (5,3).
    let want = classes(&[
        ("1", 2.0),
        ("2", 4.0),
        ("3", 4.0),
        ("4", 4.0),
        ("5", 4.0),
        ("6", 3.0),
        ("nodata", 3.0),
    ]);
    assert_eq!(whole_grid("nan_no_nodata.tif"), want);
}

#[test]
fn geographic_zone_inside_has_no_outside_and_rows_add_up() {
    // geographic.tif: 0.5° cells over 120–126° E, 41–46° N, all value 7.
    let dir = tempfile::tempdir().unwrap();
    let z = zones(
        dir.path(),
        None,
        &[
            // 2° × 2°, wholly inside (the case that got 684 ha of `outside`).
            ("inside", 121.0, 42.0, 123.0, 44.0),
            // Cell-aligned, half beyond the east edge (126° E): 1° × 1° each side.
            ("east", 125.0, 44.0, 127.0, 45.0),
        ],
    );
    let out = dir.path().join("o.csv");
    let o = zonal(&fixture("geographic.tif"), &z, &out, &["-q"]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let r = rows(&out);
    let of = |id: &str| -> Vec<(String, f64, f64)> {
        r.iter()
            .filter(|x| x.0 == id)
            .map(|x| (x.1.clone(), x.2, x.3))
            .collect()
    };
    let inside = of("inside");
    assert_eq!(inside.len(), 1, "{inside:?}");
    assert_eq!((inside[0].0.as_str(), inside[0].1), ("7", 16.0));
    let east = of("east");
    assert_eq!(east.len(), 2, "{east:?}");
    assert_eq!(east[0].0, "7");
    assert_eq!(east[1].0, "outside");
    // Inside: 2 × 2 cells; outside: the same two rows continued east, 2 × 2 cells
    // of the same latitudes, so the same area to rounding.
    assert_eq!(east[0].1, 4.0);
    assert!((east[1].1 - 4.0).abs() < 1e-9, "{east:?}");
    assert!((east[1].2 - east[0].2).abs() < 1e-9 * east[0].2, "{east:?}");
}

#[test]
fn a_tiled_mask_among_overviews_matches_gdal() {
    // mask_overviews.tif (make.py): 300 × 200, 128 × 128 DEFLATE tiles, overviews
    // and their masks; value (col / 30 + row / 40) % 5 + 1, masked where
    // (7·col + 3·row) % 11 == 0 or col ≥ 290. Counts by that formula, equal to
    // GDAL 3.6's ReadRaster of band 1 and its mask band.
    let dir = tempfile::tempdir().unwrap();
    let z = zones(
        dir.path(),
        Some(32651),
        &[("all", X0, 4_794_040.0, X0 + 3000.0, 4_796_040.0)],
    );
    let out = dir.path().join("o.csv");
    let o = zonal(
        &fixture("mask_overviews.tif"),
        &z,
        &out,
        &["-q", "--strict"],
    );
    assert!(o.status.success(), "{}", text(&o.stderr));
    let got: Vec<(String, f64)> = rows(&out).into_iter().map(|r| (r.1, r.2)).collect();
    let mut want = std::collections::BTreeMap::new();
    for r in 0..200 {
        for c in 0..300 {
            let k = if (c * 7 + r * 3) % 11 == 0 || c >= 290 {
                "nodata".to_string()
            } else {
                ((c / 30 + r / 40) % 5 + 1).to_string()
            };
            *want.entry(k).or_insert(0.0) += 1.0;
        }
    }
    assert_eq!(want["nodata"], 7273.0);
    assert_eq!(got, want.into_iter().collect::<Vec<_>>());
}
