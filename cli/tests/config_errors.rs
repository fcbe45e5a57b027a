//! A typo or an out-of-range setting never changes the figures silently: through the
//! real binary, every bad setting exits with code 2 naming the key, the value and the
//! allowed range or the fix, once (no line of the message repeated), and the
//! spellings the docs use (`[licences]`, date literals, `--audit-date` for a missing
//! key, a field matched ignoring case) are accepted (exit 0).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn malformed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/malformed")
}

/// A folder with the valid 8 × 8 scene, its pits and licences, and a shapefile
/// without .prj.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for f in ["scene.tif", "pits.geojson", "licenses.geojson"] {
        std::fs::copy(malformed().join("ok").join(f), dir.path().join(f)).unwrap();
    }
    for ext in ["shp", "shx", "dbf"] {
        let f = format!("shp_no_prj.{ext}");
        std::fs::copy(malformed().join(&f), dir.path().join(&f)).unwrap();
    }
    dir
}

const BASE: &str = r#"audit_date = "2025-12-31"

[imagery]
path = "scene.tif"
red_band = 1
nir_band = 2

[pits]
path = "pits.geojson"
id_field = "pit_id"

[licenses]
path = "licenses.geojson"
"#;

/// `reclaim audit` on `config` (written as audit.toml in `dir`) with `args`.
fn audit(dir: &Path, config: &str, args: &[&str]) -> Output {
    std::fs::write(dir.join("audit.toml"), config).unwrap();
    let _ = std::fs::remove_dir_all(dir.join("out"));
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .current_dir(dir)
        .args(["audit", "--config", "audit.toml", "--out", "out", "-q"])
        .args(args)
        .output()
        .expect("the reclaim binary runs")
}

/// `BASE` with `line` added under `[section]` (or at the top for "").
fn with(section: &str, line: &str) -> String {
    if section.is_empty() {
        format!("{line}\n{BASE}")
    } else {
        BASE.replace(&format!("[{section}]\n"), &format!("[{section}]\n{line}\n"))
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// No line of `text` appears twice.
fn no_repeated_lines(text: &str) {
    let mut seen = std::collections::BTreeSet::new();
    for l in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        assert!(seen.insert(l), "line repeated: {l:?}\n{text}");
    }
    for l in text.lines() {
        let body = l.trim().trim_start_matches("caused by: ");
        assert!(
            body.len() < 20 || text.matches(body).count() == 1,
            "text said twice: {body:?}\n{text}"
        );
    }
}

/// Exit 2, every needle in stderr, nothing said twice, no output folder.
fn refused(dir: &Path, o: &Output, needles: &[&str], absent: &[&str]) -> String {
    let err = stderr(o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    for n in needles {
        assert!(err.contains(n), "stderr lacks {n:?}:\n{err}");
    }
    for n in absent {
        assert!(!err.contains(n), "stderr has {n:?}:\n{err}");
    }
    assert!(!err.contains("panicked"), "{err}");
    no_repeated_lines(&err);
    assert!(!dir.join("out").exists(), "an output folder was left");
    err
}

fn accepted(dir: &Path, o: &Output) {
    assert_eq!(o.status.code(), Some(0), "{}", stderr(o));
    assert!(dir.join("out/summary.json").is_file());
}

#[test]
fn thresholds_out_of_range_are_refused_with_key_value_and_range() {
    let d = fixture();
    let d = d.path();
    let cases: [(String, &[&str], &[&str]); 6] = [
        (
            with("imagery", "water_max_ndvi = 0.5"),
            &[],
            &[
                "[imagery] water_max_ndvi = 0.5",
                "below restored_min_ndvi = 0.3",
                "audit.toml",
            ],
        ),
        (
            with("imagery", "restored_min_ndvi = nan"),
            &[],
            &["[imagery] restored_min_ndvi = NaN", "(-1, 1]"],
        ),
        (
            BASE.to_string(),
            &["--restored-min-ndvi", "1.5"],
            &["restored_min_ndvi = 1.5", "(-1, 1]", "--restored-min-ndvi"],
        ),
        (
            BASE.to_string(),
            &["--water-max-ndvi", "NaN"],
            &["water_max_ndvi = NaN", "[-1, 1)", "--water-max-ndvi"],
        ),
        (
            with("imagery", "scale = 0"),
            &[],
            &["[imagery] scale = 0", "other than 0"],
        ),
        (
            format!("{BASE}\n[limits]\nmax_block_mib = 0\n"),
            &[],
            &["[limits] max_block_mib = 0", "above 0"],
        ),
    ];
    for (config, args, needles) in cases {
        let o = audit(d, &config, args);
        refused(d, &o, needles, &["scene.tif"]);
    }
    // Band numbers count from 1; baseline figures are hectares ≥ 0.
    let o = audit(d, &with("imagery", "mask_band = 0"), &[]);
    refused(d, &o, &["[imagery] mask_band = 0", "from 1"], &[]);
    let b = "[baseline]\nrestored_ha = 1\nunrestored_ha = nan\nunrestored_responsible_ha = 0\nunrestored_legacy_ha = 0\n";
    let o = audit(d, &format!("{BASE}\n{b}"), &[]);
    refused(d, &o, &["[baseline] unrestored_ha = NaN"], &[]);
}

#[test]
fn audit_date_messages_and_the_spellings_the_docs_use() {
    let d = fixture();
    let d = d.path();
    let no_date = BASE.replace("audit_date = \"2025-12-31\"\n", "");
    let o = audit(d, &no_date, &[]);
    refused(
        d,
        &o,
        &[
            "audit_date = \"2025-12-31\"",
            "top of the config file",
            "--audit-date",
        ],
        &["line 1, column 1"],
    );
    // --audit-date stands in for the key.
    accepted(d, &audit(d, &no_date, &["--audit-date", "2025-12-31"]));
    // A TOML date literal.
    let literal = BASE.replace("\"2025-12-31\"", "2025-12-31");
    accepted(d, &audit(d, &literal, &[]));
    // A date that does not exist.
    let o = audit(d, &BASE.replace("2025-12-31", "2025-02-30"), &[]);
    refused(
        d,
        &o,
        &["audit_date = \"2025-02-30\"", "that day does not exist"],
        &[],
    );
    let o = audit(d, BASE, &["--audit-date", "31/12/2025"]);
    refused(d, &o, &["\"31/12/2025\"", "YYYY-MM-DD"], &[]);
    // The British spelling of the table.
    accepted(d, &audit(d, &BASE.replace("[licenses]", "[licences]"), &[]));
}

#[test]
fn unknown_keys_get_a_did_you_mean_and_their_place() {
    let d = fixture();
    let d = d.path();
    let o = audit(d, &with("imagery", "restored_min_nvdi = 0.4"), &[]);
    refused(
        d,
        &o,
        &[
            "audit.toml, line 4",
            "[imagery]",
            "unknown key `restored_min_nvdi`",
            "did you mean `restored_min_ndvi`?",
        ],
        &[],
    );
    let o = audit(d, &with("licenses", "Holder_Field = \"holder\""), &[]);
    refused(d, &o, &["did you mean `holder_field`?"], &[]);
    let o = audit(d, &BASE.replace("id_field = \"pit_id\"\n", ""), &[]);
    refused(d, &o, &["[pits]", "`id_field` is missing"], &[]);
    // An unknown table, a key below a table that belongs above it, a missing table.
    let o = audit(d, &BASE.replace("[licenses]", "[licnses]"), &[]);
    refused(
        d,
        &o,
        &["unknown key `licnses`, did you mean `licenses`?"],
        &[],
    );
    let moved = BASE.replace("audit_date = \"2025-12-31\"\n", "") + "audit_date = \"2025-12-31\"\n";
    let o = audit(d, &moved, &[]);
    refused(
        d,
        &o,
        &[
            "(in [licenses])",
            "audit_date belongs at the top of the file",
        ],
        &[],
    );
    let o = audit(
        d,
        &BASE.replace(
            "[pits]\npath = \"pits.geojson\"\nid_field = \"pit_id\"\n",
            "",
        ),
        &[],
    );
    refused(d, &o, &["the [pits] section is missing"], &["line 1"]);
}

#[test]
fn every_missing_field_is_listed_at_once_with_its_key() {
    let d = fixture();
    let d = d.path();
    let config = with(
        "licenses",
        "holder_field = \"holdr\"\nstatus_field = \"STATE\"",
    );
    let o = audit(d, &config, &[]);
    refused(
        d,
        &o,
        &[
            "licenses.geojson",
            "[licenses] holder_field = \"holdr\" (did you mean \"holder\"?)",
            "[licenses] status_field = \"STATE\"",
            "holder, license_id, status, valid_to",
        ],
        &[],
    );
    let config = with("pits", "kind_field = \"kind\"\ntown_field = \"town\"");
    let o = audit(d, &config, &[]);
    refused(
        d,
        &o,
        &[
            "pits.geojson has no field named by [pits] kind_field = \"kind\", [pits] town_field = \"town\"; its fields are: pit_id",
        ],
        &[],
    );
    // A field that differs only in case is used.
    let config = BASE.replace("\"pit_id\"", "\"PIT_ID\"");
    let o = audit(d, &config, &[]);
    accepted(d, &o);
    let ids = std::fs::read_to_string(d.join("out/pits.csv")).unwrap();
    assert!(ids.contains("P1") && ids.contains("P2"), "{ids}");
    // … and said so: once on stderr, and in summary.json.
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(
        err.lines()
            .filter(|l| l.starts_with("warning:") && l.contains("PIT_ID"))
            .count(),
        1,
        "{err}"
    );
    let summary = std::fs::read_to_string(d.join("out/summary.json")).unwrap();
    assert!(summary.contains("\"field_case\""), "{summary}");
}

#[test]
fn a_missing_prj_points_at_the_config_key() {
    let d = fixture();
    let d = d.path();
    let o = audit(d, &BASE.replace("pits.geojson", "shp_no_prj.shp"), &[]);
    refused(
        d,
        &o,
        &["shp_no_prj.shp", "crs = \"EPSG:", "under [pits]"],
        &["--zones-crs"],
    );
}

#[test]
fn errors_with_causes_say_each_thing_once() {
    let d = fixture();
    let d = d.path();
    // A missing config file (an I/O error with its cause).
    let o = Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .current_dir(d)
        .args(["audit", "--config", "nope.toml", "--out", "out"])
        .output()
        .unwrap();
    refused(d, &o, &["nope.toml"], &[]);
    // A missing input file, and a malformed TOML value.
    let o = audit(d, &BASE.replace("pits.geojson", "no_such.geojson"), &[]);
    refused(d, &o, &["no_such.geojson"], &[]);
    let o = audit(d, &with("imagery", "scale = \"small\""), &[]);
    refused(d, &o, &["line 4", "`scale`: invalid type"], &[]);
    // --previous that is not an audit.
    let o = audit(d, BASE, &["--previous", "nowhere"]);
    refused(d, &o, &["nowhere"], &[]);
}
