//! `reclaim discover` from the command line: a run on a small generated scene,
//! and bad input → exit 2, a message naming the file and the fix, no output.

use std::path::Path;
use std::process::{Command, Output};

const W: u32 = 300;
const H: u32 = 200;
const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_100.0;

fn reclaim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .current_dir(dir)
        .args(args)
        .output()
        .unwrap()
}

/// A WorldCover-coded u8 GeoTIFF (EPSG:32651, 10 m): forest with two bare
/// rectangles, 20 × 30 cells at (10, 10) and 5 × 5 at (100, 100).
fn scene(dir: &Path, discovery: &str) {
    let mut cells = vec![10u8; (W * H) as usize];
    for (c0, r0, c1, r1) in [(10, 10, 30, 40), (100, 100, 105, 105)] {
        for r in r0..r1 {
            for c in c0..c1 {
                cells[r * W as usize + c] = 60;
            }
        }
    }
    let file = std::fs::File::create(dir.join("lc.tif")).unwrap();
    let mut enc = tiff::encoder::TiffEncoder::new(file).unwrap();
    let mut img = enc
        .new_image::<tiff::encoder::colortype::Gray8>(W, H)
        .unwrap();
    let e = img.encoder();
    use tiff::tags::Tag;
    e.write_tag(Tag::ModelPixelScaleTag, &[10.0, 10.0, 0.0][..])
        .unwrap();
    e.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, X0, Y0, 0.0][..])
        .unwrap();
    e.write_tag(
        Tag::GeoKeyDirectoryTag,
        &[
            1u16, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32651,
        ][..],
    )
    .unwrap();
    img.write_data(&cells).unwrap();
    let pit = format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:32651"}}}},"features":[{{"type":"Feature","properties":{{"pit_id":"P1"}},"geometry":{{"type":"Polygon","coordinates":[[[{a},{b}],[{c},{b}],[{c},{d}],[{a},{d}],[{a},{b}]]]}}}}]}}"#,
        a = X0 + 2000.0,
        b = Y0 - 1000.0,
        c = X0 + 2100.0,
        d = Y0 - 900.0
    );
    std::fs::write(dir.join("pits.geojson"), pit).unwrap();
    std::fs::write(
        dir.join("audit.toml"),
        format!("audit_date = \"2024-12-31\"\n[imagery]\npath = \"lc.tif\"\nclassifier = \"classes\"\nclasses_preset = \"worldcover\"\n[pits]\npath = \"pits.geojson\"\nid_field = \"pit_id\"\n{discovery}"),
    )
    .unwrap();
}

#[test]
fn a_run_writes_the_folder_and_prints_the_table() {
    let dir = tempfile::tempdir().unwrap();
    scene(dir.path(), "");
    let o = reclaim(
        dir.path(),
        &["discover", "--config", "audit.toml", "--out", "found"],
    );
    let (out, err) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "{out}\n{err}");
    // One candidate of 600 cells = 6 ha; the 25-cell patch is below 0.5 ha.
    assert!(out.contains("1 candidate, 6.00 ha"), "{out}");
    assert!(out.contains("1 patch below 0.5 ha"), "{out}");
    let csv = std::fs::read_to_string(dir.path().join("found/candidates.csv")).unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("1,D0001,unlicensed,,6,600,"),
        "{csv}"
    );
    // With --min-area-ha 0 both are reported; the folder is replaced.
    let o = reclaim(
        dir.path(),
        &[
            "discover",
            "--config",
            "audit.toml",
            "--out",
            "found",
            "--min-area-ha",
            "0",
            "-q",
        ],
    );
    assert!(o.status.success());
    let csv = std::fs::read_to_string(dir.path().join("found/candidates.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3, "{csv}");
}

#[test]
fn bad_input_exits_2_and_writes_nothing() {
    for (discovery, args, needle) in [
        (
            "[discovery]\nconnectivity = 6\n",
            &[][..],
            "[discovery] connectivity = 6 is not allowed",
        ),
        (
            "[discovery]\nmin_area_ha = -0.5\n",
            &[],
            "min_area_ha = -0.5 is not allowed",
        ),
        ("", &["--connectivity", "6"][..], "possible values: 4, 8"),
        (
            "[discovery]\naoi = \"empty.geojson\"\n",
            &[],
            "empty.geojson",
        ),
        ("[discovery]\naoi = \"nocrs.shp\"\n", &[], "nocrs.shp"),
        (
            "[discovery]\nexclude_raster = \"small.tif\"\nexclude_classes = [50]\n",
            &[],
            "small.tif",
        ),
        (
            "[discovery]\nexclude_classes = [50]\nmin_area_hq = 1\n",
            &[],
            "did you mean `min_area_ha`",
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        scene(dir.path(), discovery);
        std::fs::write(
            dir.path().join("empty.geojson"),
            r#"{"type":"FeatureCollection","features":[]}"#,
        )
        .unwrap();
        std::fs::write(dir.path().join("nocrs.shp"), b"not a shapefile").unwrap();
        // A raster of another size: not on the imagery's grid.
        let f = std::fs::File::create(dir.path().join("small.tif")).unwrap();
        let mut enc = tiff::encoder::TiffEncoder::new(f).unwrap();
        enc.write_image::<tiff::encoder::colortype::Gray8>(2, 2, &[0, 0, 0, 0])
            .unwrap();
        let mut all = vec!["discover", "--config", "audit.toml", "--out", "found"];
        all.extend_from_slice(args);
        let o = reclaim(dir.path(), &all);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{discovery}: {err}");
        assert!(err.contains(needle), "{discovery}: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            !dir.path().join("found").exists(),
            "{discovery}: partial output"
        );
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with(".found"))
            .collect();
        assert!(leftovers.is_empty(), "{discovery}");
    }
}

#[test]
fn the_audit_runs_discovery_only_when_switched_on() {
    let dir = tempfile::tempdir().unwrap();
    scene(dir.path(), "[discovery]\nin_audit = true\n");
    let o = reclaim(
        dir.path(),
        &["audit", "--config", "audit.toml", "--out", "audit", "-q"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    // The 600-cell patch (6 ha, no licences: unlicensed) in the audit folder.
    let csv = std::fs::read_to_string(dir.path().join("audit/candidates.csv")).unwrap();
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("1,D0001,unlicensed,,6,600,"),
        "{csv}"
    );
    let s: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("audit/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(s["discovery"]["by_label"]["unlicensed"]["area_ha"], 6.0);
    assert_eq!(s["discovery"]["licences_given"], false);
    // No temporary file is left beside the folder.
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");

    // [discovery] without the switch: no candidates, no `discovery` object.
    scene(dir.path(), "[discovery]\nmin_area_ha = 0.1\n");
    let o = reclaim(
        dir.path(),
        &["audit", "--config", "audit.toml", "--out", "audit", "-q"],
    );
    assert!(o.status.success());
    assert!(!dir.path().join("audit/candidates.csv").exists());
    let s = std::fs::read_to_string(dir.path().join("audit/summary.json")).unwrap();
    assert!(!s.contains("\"discovery\""));
}

#[test]
fn a_bad_discovery_input_stops_the_audit_with_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    scene(
        dir.path(),
        "[discovery]\nin_audit = true\naoi = \"empty.geojson\"\n",
    );
    std::fs::write(
        dir.path().join("empty.geojson"),
        r#"{"type":"FeatureCollection","features":[]}"#,
    )
    .unwrap();
    let o = reclaim(
        dir.path(),
        &["audit", "--config", "audit.toml", "--out", "audit"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(err.contains("empty.geojson"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(!dir.path().join("audit").exists(), "partial output");
}
