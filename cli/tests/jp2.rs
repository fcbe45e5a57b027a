//! `reclaim info` on JPEG 2000 files (the fixtures of `testdata/jp2/`, see its make.py).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/jp2")
        .join(name)
}

fn reclaim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .args(args)
        .output()
        .expect("the reclaim binary runs")
}

#[test]
fn info_describes_a_georeferenced_jp2() {
    let path = data("u15.jp2");
    let out = reclaim(&["info", path.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for want in [
        "Format: JPEG 2000\n",
        "Size: 300 x 200 cells, 1 band of uint16\n",
        "CRS: EPSG:32632",
        "GeoTransform (GDAL order): [600000.0, 10.0, 0.0, 5000040.0, 0.0, -10.0]\n",
        "Layout: tiles of 128 x 128\n",
        "Compression: JPEG2000\n",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    let out = reclaim(&["info", data("u8.jp2").to_str().unwrap(), "--json"]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["bands"], 3);
    assert_eq!(v["sample_type"], "uint8");
    assert_eq!(v["epsg"], 32632);
}

#[test]
fn info_on_a_cut_off_jp2_is_a_clean_error() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(data("u16.jp2")).unwrap();
    let path = dir.path().join("cut.jp2");
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    let out = reclaim(&["info", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("cut.jp2") && err.contains("JPEG 2000"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn zonal_on_a_jp2_matches_zonal_on_the_same_pixels_as_geotiff() {
    // u8.jp2 / u8.tif: 120 x 90 cells of 10 m from (600000, 5000040), EPSG:32632.
    let dir = tempfile::tempdir().unwrap();
    let zones = dir.path().join("zones.geojson");
    let square = |id: u32, x0: f64, y0: f64, s: f64| {
        format!(
            r#"{{"type":"Feature","properties":{{"id":{id}}},"geometry":{{"type":"Polygon","coordinates":[[[{x0},{y0}],[{x1},{y0}],[{x1},{y1}],[{x0},{y1}],[{x0},{y0}]]]}}}}"#,
            x1 = x0 + s,
            y1 = y0 + s
        )
    };
    std::fs::write(
        &zones,
        format!(
            r#"{{"type":"FeatureCollection","features":[{},{}]}}"#,
            square(1, 600003.0, 4999200.0, 333.0),
            square(2, 600640.0, 4999500.0, 507.0)
        ),
    )
    .unwrap();
    let mut csvs = Vec::new();
    for raster in ["u8.jp2", "u8.tif"] {
        let out = dir.path().join(format!("{raster}.csv"));
        let run = reclaim(&[
            "zonal",
            "--raster",
            data(raster).to_str().unwrap(),
            "--band",
            "2",
            "--zones",
            zones.to_str().unwrap(),
            "--zones-crs",
            "EPSG:32632",
            "--id-field",
            "id",
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        assert!(
            run.status.success(),
            "{raster}: {}",
            String::from_utf8_lossy(&run.stderr)
        );
        csvs.push(std::fs::read_to_string(&out).unwrap());
    }
    assert!(csvs[0].lines().count() > 10, "{}", csvs[0]);
    // Same zones, classes and cell counts; areas summed block by block, and the
    // blocks differ (64 x 64 codestream tiles vs the TIFF's), so to the last bits.
    let rows = |csv: &str| -> Vec<(String, String, f64, f64)> {
        csv.lines()
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
    };
    let (jp2, tif) = (rows(&csvs[0]), rows(&csvs[1]));
    assert_eq!(jp2.len(), tif.len());
    for (a, b) in jp2.iter().zip(&tif) {
        assert_eq!((&a.0, &a.1), (&b.0, &b.1));
        assert!(
            (a.2 - b.2).abs() < 1e-9 && (a.3 - b.3).abs() < 1e-11,
            "{a:?} {b:?}"
        );
    }
}
