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
        "Size: 300 x 200 cells, 1 band(s) of uint16\n",
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
