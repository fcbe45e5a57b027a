//! The `reclaim` binary as users run it: exit codes, messages, files.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn reclaim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .args(args)
        .output()
        .expect("the reclaim binary runs")
}

fn corpus(rel: &str) -> PathBuf {
    let base = std::env::var("RECLAIM_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|_| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus"));
    base.join(rel)
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// Fails with both streams shown, so a broken command is readable in the test log.
fn expect_ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        text(&o.stdout),
        text(&o.stderr)
    );
}

fn expect_user_error(o: &Output, needles: &[&str]) {
    assert_eq!(o.status.code(), Some(2), "stderr: {}", text(&o.stderr));
    let err = text(&o.stderr);
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn help_lists_the_commands() {
    let o = reclaim(&["--help"]);
    expect_ok(&o);
    let out = text(&o.stdout);
    for c in ["info", "zonal"] {
        assert!(out.contains(c), "{out}");
    }
}

#[test]
fn info_describes_a_gdal_file() {
    let f = corpus("rasterio/RGB.byte.tif");
    let o = reclaim(&["info", f.to_str().unwrap()]);
    expect_ok(&o);
    let out = text(&o.stdout);
    for n in [
        "791 x 718",
        "3 bands of uint8",
        "EPSG:32618",
        "NoData: 0",
        "101985",
    ] {
        assert!(out.contains(n), "lacks {n:?}:\n{out}");
    }
    let o = reclaim(&[
        "info",
        "--json",
        corpus("rio-tiler/web.tif").to_str().unwrap(),
    ]);
    expect_ok(&o);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["epsg"], 3857);
    assert_eq!(v["width"], 1024);
    assert_eq!(v["layout"]["tiles"]["width"], 256);
}

#[test]
fn info_on_a_missing_file_names_it() {
    let o = reclaim(&["info", "/no/such/scene.tif"]);
    expect_user_error(&o, &["/no/such/scene.tif"]);
}

#[test]
fn zonal_rows_of_each_zone_add_up_and_header_is_exact() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("z.csv");
    let o = reclaim(&[
        "zonal",
        "--raster",
        corpus("rasterframes/L8-Labels-Elkton-VA.tiff")
            .to_str()
            .unwrap(),
        "--zones",
        corpus("rasterframes/L8-Labels-Elkton-VA.geojson")
            .to_str()
            .unwrap(),
        "--id-field",
        "id",
        "--out",
        out.to_str().unwrap(),
    ]);
    expect_ok(&o);
    let csv = std::fs::read_to_string(&out).unwrap();
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("zone_id,class,cells,area_ha"));
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert!(!rows.is_empty());
    // cell area of this grid, from its transform (reference.json of the corpus)
    let cell_ha = 29.90640459139769 * 29.883120236686878 / 10_000.0;
    for r in &rows {
        let cells: f64 = r[2].parse().unwrap();
        let ha: f64 = r[3].parse().unwrap();
        assert!(cells >= 0.0 && ha >= 0.0);
        if r[1] != "outside" {
            assert!((cells * cell_ha - ha).abs() < 1e-9 * ha.max(1.0), "{r:?}");
        }
    }
    // the labels raster holds the zone's own id as its class inside each zone
    for id in ["0", "1", "2"] {
        let own: f64 = rows
            .iter()
            .filter(|r| r[0] == id && r[1] == id)
            .map(|r| r[3].parse::<f64>().unwrap())
            .sum();
        let all: f64 = rows
            .iter()
            .filter(|r| r[0] == id)
            .map(|r| r[3].parse::<f64>().unwrap())
            .sum();
        assert!(own > 0.5 * all, "zone {id}: own class {own} of {all}");
    }
}

#[test]
fn zonal_errors_name_the_file_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("z.csv");
    let raster = corpus("rasterio/RGB.byte.tif");
    let zones = corpus("rasterio/box.shp");
    let base = |extra: &[&str]| {
        let mut a = vec![
            "zonal",
            "--raster",
            raster.to_str().unwrap(),
            "--zones",
            zones.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ];
        a.extend_from_slice(extra);
        reclaim(&a)
    };
    expect_user_error(
        &base(&["--id-field", "nope"]),
        &["box.shp", "nope", "available fields: id"],
    );
    expect_user_error(
        &base(&["--id-field", "id", "--band", "4"]),
        &["RGB.byte.tif", "band 4", "3 band"],
    );
    assert!(!out.exists(), "no output after an error");
    let o = base(&["--id-field", "id", "--band", "2"]);
    expect_ok(&o);
    assert!(out.exists());
}
