//! Warnings through the binary: printed once each, listed in summary.json, and
//! `--strict` turns them into exit code 1 with nothing written.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn reclaim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .args(args)
        .output()
        .expect("the reclaim binary runs")
}

fn ok_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/malformed/ok")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// A pit layer on the 8 × 8, 10 m test scene (x 500 000–500 080, y 4 800 000–
/// 4 800 080): P1 inside, P2 half beyond the east edge, P3 wholly beyond it.
const PITS: &str = r#"{"type":"FeatureCollection",
"crs":{"type":"name","properties":{"name":"EPSG:32651"}},
"features":[
{"type":"Feature","properties":{"pit_id":"P1"},"geometry":{"type":"Polygon","coordinates":[[[500010,4800010],[500030,4800010],[500030,4800030],[500010,4800030],[500010,4800010]]]}},
{"type":"Feature","properties":{"pit_id":"P2"},"geometry":{"type":"Polygon","coordinates":[[[500060,4800040],[500100,4800040],[500100,4800060],[500060,4800060],[500060,4800040]]]}},
{"type":"Feature","properties":{"pit_id":"P3"},"geometry":{"type":"Polygon","coordinates":[[[500200,4800040],[500220,4800040],[500220,4800060],[500200,4800060],[500200,4800040]]]}}
]}"#;

/// Writes the scene's configuration into `dir`, with `licences` as the
/// `[licenses]` table (or none).
fn scene(dir: &Path, licences: Option<&str>) -> PathBuf {
    std::fs::write(dir.join("pits.geojson"), PITS).unwrap();
    let mut toml = format!(
        "audit_date = \"2024-12-31\"\n[imagery]\npath = \"{}\"\nred_band = 1\nnir_band = 2\nscale = 0.0001\n[pits]\npath = \"pits.geojson\"\nid_field = \"pit_id\"\n",
        ok_dir().join("scene.tif").display()
    );
    if let Some(l) = licences {
        toml.push_str(l);
    }
    let path = dir.join("audit.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

#[test]
fn warnings_are_printed_once_and_listed_in_summary_json() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = scene(dir.path(), None);
    let out = dir.path().join("out");
    let o = reclaim(&[
        "audit",
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = text(&o.stderr);
    assert!(o.status.success(), "{err}");
    let warnings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning:")).collect();
    // P2 half beyond the raster, P3 wholly, the county, and no licence layer.
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("pit P2") && w.contains("outside the imagery 0.04 ha")),
        "{err}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("pit P3") && w.contains("wholly outside")),
        "{err}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("no [licenses]")),
        "{err}"
    );
    let mut distinct = warnings.clone();
    distinct.sort_unstable();
    distinct.dedup();
    assert_eq!(
        distinct.len(),
        warnings.len(),
        "a warning printed twice:\n{err}"
    );
    // Without licences the county table says "unattributed", never "legacy".
    let table = text(&o.stdout);
    assert!(table.contains("unattributed"), "{table}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(json["unrestored_legacy_ha"].as_f64(), Some(0.0));
    assert_eq!(
        json["warnings"].as_array().map(Vec::len),
        Some(warnings.len())
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("wholly outside"),
        "report.html lacks the warnings"
    );
}

#[test]
fn strict_turns_warnings_into_exit_1_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = scene(dir.path(), None);
    let out = dir.path().join("out");
    let o = reclaim(&[
        "audit",
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--strict",
    ]);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(err.contains("--strict") && err.contains("pit P3"), "{err}");
    assert!(!out.exists(), "--strict wrote {}", out.display());
    assert!(
        std::fs::read_dir(dir.path()).unwrap().all(|e| !e
            .unwrap()
            .file_name()
            .to_string_lossy()
            .contains(".tmp")),
        "a temporary folder was left behind"
    );
}

#[test]
fn strict_passes_a_clean_audit_and_an_unknown_status_fails_it() {
    let dir = tempfile::tempdir().unwrap();
    // Only P1, inside the scene, under a valid licence: nothing to warn of.
    let pits = PITS.replace(
        &PITS[PITS
            .find(",\n{\"type\":\"Feature\",\"properties\":{\"pit_id\":\"P2\"")
            .unwrap()..PITS.rfind("\n]}").unwrap()],
        "",
    );
    let licences = |status: &str| {
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:32651"}}}},"features":[{{"type":"Feature","properties":{{"license_id":"C1","holder":"甲矿业","status":"{status}","valid_to":"2030-01-01"}},"geometry":{{"type":"Polygon","coordinates":[[[500000,4800000],[500040,4800000],[500040,4800040],[500000,4800040],[500000,4800000]]]}}}}]}}"#
        )
    };
    let cfg = scene(
        dir.path(),
        Some("[licences]\npath = \"licences.geojson\"\n"),
    );
    std::fs::write(dir.path().join("pits.geojson"), &pits).unwrap();
    std::fs::write(dir.path().join("licences.geojson"), licences("有效")).unwrap();
    let out = dir.path().join("out");
    let args = [
        "audit",
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--strict",
    ];
    let o = reclaim(&args);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert!(!text(&o.stderr).contains("warning"), "{}", text(&o.stderr));

    // "active" is in neither status list: not liable, warned of; --strict fails.
    std::fs::write(dir.path().join("licences.geojson"), licences("active")).unwrap();
    let before = std::fs::read(out.join("summary.json")).unwrap();
    let o = reclaim(&args);
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("\"active\"") && err.contains("not_liable_statuses"),
        "{err}"
    );
    // The earlier audit is untouched.
    assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), before);
}

#[test]
fn raw_digital_numbers_and_a_previous_audit_of_the_same_date_are_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = scene(dir.path(), None);
    // Without `scale`, the scene's NIR band (DN 1000) is a reflectance of 1000.
    let text = std::fs::read_to_string(&cfg)
        .unwrap()
        .replace("scale = 0.0001\n", "");
    std::fs::write(&cfg, text).unwrap();
    let first = dir.path().join("first");
    let o = reclaim(&[
        "audit",
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        first.to_str().unwrap(),
    ]);
    let err = text_of(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.lines().any(|l| l.starts_with("warning:")
            && l.contains("reflectance outside")
            && l.contains("scale and offset")),
        "{err}"
    );
    // The same audit again with itself as --previous: same date.
    let second = dir.path().join("second");
    let o = reclaim(&[
        "audit",
        "--config",
        cfg.to_str().unwrap(),
        "--out",
        second.to_str().unwrap(),
        "--previous",
        first.to_str().unwrap(),
    ]);
    let err = text_of(&o);
    assert!(o.status.success(), "{err}");
    assert!(
        err.contains("--previous") && err.contains("not before this audit (2024-12-31)"),
        "{err}"
    );
}

fn text_of(o: &Output) -> String {
    text(&o.stderr)
}
