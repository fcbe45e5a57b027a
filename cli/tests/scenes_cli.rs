//! `reclaim scenes`: listing, season marks, JSON, and clean refusals.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn reclaim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .args(args)
        .output()
        .expect("the reclaim binary runs")
}

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenes")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn expect_ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout)
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
fn lists_a_collection_with_season_marks() {
    let dir = fixtures();
    let o = reclaim(&[
        "scenes",
        dir.to_str().unwrap(),
        "--season",
        "05-01,09-30",
        "--year",
        "2024",
    ]);
    let out = expect_ok(&o);
    for n in [
        "S2B_MSIL2A_20230823T095559_N0509_R122_T34UCF_20230823T124759",
        "tile T34UCF, CRS EPSG:32634",
        "T34UCF_20230823T095559_B04_10m.jp2",
        "T34UCF_20230823T095559_SCL_20m.jp2 (band 1; preset scl, 1 mask cell = 2×2 cells)",
        "reflectance = value × 0.0001 - 0.1, nodata 0",
        "not used: another year (2023, the audit is of 2024)",
        "LC09_L2SP_119029_20240601_20240602_02_T1_SR_B4.TIF",
        "tile 119029, CRS from file",
        "reflectance = value × 0.0000275 - 0.2",
        "not used: duplicate of a",
        "Level-1C: top-of-atmosphere, use L2A",
        "7 scenes found, 3 used in the season 05-01..09-30 of 2024; 2 duplicates, 4 other entries skipped",
    ] {
        assert!(out.contains(n), "lacks {n:?}:\n{out}");
    }
    // The Landsat 9 scene of 2024-06-01 is used; the block ends with its status.
    let lc09 = out
        .split("\n\n")
        .find(|b| b.starts_with("LC09_"))
        .expect("LC09 listed");
    assert!(lc09.ends_with("  used"), "{lc09}");
}

#[test]
fn season_excludes_by_month_day() {
    let safe =
        fixtures().join("s2/S2B_MSIL2A_20230823T095559_N0509_R122_T34UCF_20230823T124759.SAFE");
    let o = reclaim(&["scenes", safe.to_str().unwrap(), "--season", "05-01,07-31"]);
    let out = expect_ok(&o);
    assert!(
        out.contains("not used: outside the season 05-01..07-31"),
        "{out}"
    );
    assert!(out.contains("1 scene found, 0 used"), "{out}");
    let o = reclaim(&[
        "scenes",
        safe.to_str().unwrap(),
        "--season",
        "08-01,08-31",
        "--year",
        "2023",
    ]);
    let out = expect_ok(&o);
    assert!(out.contains("1 scene found, 1 used"), "{out}");
}

#[test]
fn json_lists_scenes_duplicates_and_skipped() {
    let o = reclaim(&[
        "scenes",
        fixtures().to_str().unwrap(),
        "--year",
        "2024",
        "--json",
    ]);
    let out = expect_ok(&o);
    let v: serde_json::Value = serde_json::from_str(&out).expect("valid JSON");
    let scenes = v["scenes"].as_array().unwrap();
    assert_eq!(scenes.len(), 7);
    assert_eq!(v["used"], 3);
    let s2 = scenes
        .iter()
        .find(|s| s["id"].as_str().unwrap().starts_with("S2B_MSIL2A"))
        .unwrap();
    assert_eq!(s2["kind"], "sentinel2_l2a");
    assert_eq!(s2["date"]["year"], 2023);
    assert_eq!(s2["georef"]["epsg"], 32634);
    assert_eq!(s2["mask"]["factor"], 2);
    assert_eq!(s2["used"], false);
    assert!(s2["why"].as_str().unwrap().contains("another year"));
    assert_eq!(v["duplicates"].as_array().unwrap().len(), 2);
    let skipped = v["skipped"].as_array().unwrap();
    assert!(skipped.iter().any(|s| s["why"]["kind"] == "refused"
        && s["why"]["reason"].as_str().unwrap().contains("Level-1C")));
}

#[test]
fn refusals_exit_2_with_the_path_and_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp.path().join("S2A_MSIL2A_x.zip");
    std::fs::write(&zip, b"PK").unwrap();
    let o = reclaim(&["scenes", zip.to_str().unwrap()]);
    expect_user_error(
        &o,
        &["damaged or unreadable zip archive", zip.to_str().unwrap()],
    );

    let l1c =
        fixtures().join("s2/S2B_MSIL1C_20230823T095559_N0509_R122_T34UCF_20230823T120234.SAFE");
    let o = reclaim(&["scenes", l1c.to_str().unwrap()]);
    expect_user_error(&o, &["Level-1C: top-of-atmosphere, use L2A", "S2B_MSIL1C"]);

    let pattern = tmp.path().join("*.SAFE");
    let o = reclaim(&["scenes", pattern.to_str().unwrap()]);
    expect_user_error(&o, &["matches nothing", "*.SAFE"]);

    let safe =
        fixtures().join("s2/S2B_MSIL2A_20230823T095559_N0509_R122_T34UCF_20230823T124759.SAFE");
    let o = reclaim(&["scenes", safe.to_str().unwrap(), "--season", "10-01,03-31"]);
    expect_user_error(&o, &["--season", "wraps the year end"]);

    let o = reclaim(&["scenes"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn a_folder_without_scenes_says_so() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), b"hello").unwrap();
    std::fs::write(tmp.path().join("band.tif"), b"").unwrap();
    let o = reclaim(&["scenes", tmp.path().to_str().unwrap()]);
    let out = expect_ok(&o);
    assert!(out.contains("no scene found"), "{out}");
    assert!(out.contains("a raster alone is not a scene"), "{out}");
    assert!(
        out.contains("0 scenes found, 0 used; 0 duplicates, 2 other entries skipped"),
        "{out}"
    );

    let empty = tempfile::tempdir().unwrap();
    let o = reclaim(&["scenes", empty.path().to_str().unwrap()]);
    expect_user_error(&o, &["an empty folder"]);
}
