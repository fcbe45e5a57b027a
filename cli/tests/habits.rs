//! Everyday habits of the `reclaim` binary: `init`, `audit --check`, `--json`,
//! `--excel`, completions, man pages, exit codes in `--help`, quiet broken pipes,
//! singular nouns.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_reclaim")
}

fn reclaim(dir: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the reclaim binary runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn expect_code(o: &Output, code: i32) {
    assert_eq!(
        o.status.code(),
        Some(code),
        "--- stdout\n{}\n--- stderr\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    assert!(!text(&o.stderr).contains("panicked"), "{}", text(&o.stderr));
}

fn ok_scene() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/malformed/ok")
}

/// A folder with the valid 8 × 8 scene, its pits and licences, and `audit.toml`
/// from `reclaim init` pointed at them.
fn scene_with_template() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    for f in ["scene.tif", "pits.geojson", "licenses.geojson"] {
        std::fs::copy(ok_scene().join(f), d.path().join(f)).unwrap();
    }
    expect_code(&reclaim(d.path(), &["init"]), 0);
    let t = std::fs::read_to_string(d.path().join("audit.toml")).unwrap();
    let t = t
        .replace("\"imagery.tif\"", "\"scene.tif\"")
        .replace("\"pits.shp\"", "\"pits.geojson\"")
        .replace("\"licenses.shp\"", "\"licenses.geojson\"");
    std::fs::write(d.path().join("audit.toml"), t).unwrap();
    d
}

#[test]
fn init_writes_a_template_the_engine_reads_and_refuses_to_overwrite() {
    let d = tempfile::tempdir().unwrap();
    expect_code(&reclaim(d.path(), &["init", "--out", "a.toml"]), 0);
    let path = d.path().join("a.toml");
    let template = std::fs::read_to_string(&path).unwrap();
    let cfg = reclaim::audit::AuditConfig::load(&path).expect("the template parses");
    assert_eq!(cfg.pits.id_field, "pit_id");
    // Every section and the keys of the configuration are named.
    for key in [
        "[imagery]",
        "[pits]",
        "[licenses]",
        "[baseline]",
        "[limits]",
        "[discovery]",
        "[accuracy]",
        "restored_min_ndvi = 0.3",
        "water_max_ndvi = 0.0",
        "liable_statuses = [\"valid\", \"expired\", \"suspended\"]",
        "mask_preset",
        "classes_map",
        "min_clear = 1",
        "max_block_mib = 256",
        "min_area_ha = 0.5",
        "fpc = false",
    ] {
        assert!(template.contains(key), "the template lacks {key}");
    }
    // Never overwritten: exit 2 naming the file, the file unchanged.
    std::fs::write(&path, "mine").unwrap();
    let o = reclaim(d.path(), &["init", "--out", "a.toml"]);
    expect_code(&o, 2);
    assert!(text(&o.stderr).contains("a.toml"), "{}", text(&o.stderr));
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "mine");
}

#[test]
fn the_template_pointed_at_a_scene_runs() {
    let d = scene_with_template();
    let o = reclaim(
        d.path(),
        &["audit", "--config", "audit.toml", "--out", "out"],
    );
    expect_code(&o, 0);
    let out = text(&o.stdout);
    // Singular nouns for one.
    assert!(
        out.contains("2 pits, 2 pieces, 1 licence (1 liable)"),
        "{out}"
    );
    assert!(d.path().join("out/summary.json").is_file());
}

#[test]
fn check_writes_nothing_and_says_what_it_found() {
    let d = scene_with_template();
    let o = reclaim(
        d.path(),
        &["audit", "--config", "audit.toml", "--out", "out", "--check"],
    );
    expect_code(&o, 0);
    let out = text(&o.stdout);
    for want in [
        "scene.tif",
        "pits.geojson",
        "EPSG:32651",
        "2 pits",
        "1 licence",
    ] {
        assert!(out.contains(want), "lacks {want}:\n{out}");
    }
    // The scene's raw digital numbers read as reflectances: a warning, listed.
    assert!(text(&o.stderr).contains("warning: "), "{}", text(&o.stderr));
    let names: Vec<_> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(!names.iter().any(|n| n.contains("out")), "{names:?}");
    // --strict: the warning is an error, exit 1; JSON says the same.
    let args = ["audit", "--config", "audit.toml", "--out", "out", "--check"];
    let o = reclaim(d.path(), &[&args[..], &["--strict"]].concat());
    expect_code(&o, 1);
    let o = reclaim(d.path(), &[&args[..], &["--json"]].concat());
    expect_code(&o, 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["usable"], true);
    assert_eq!(v["summary"]["pit_count"], 2);
    assert_eq!(v["warnings"].as_array().unwrap().len(), 1);
    // A broken input: exit 2 naming it.
    std::fs::write(d.path().join("pits.geojson"), "{").unwrap();
    let o = reclaim(d.path(), &args);
    expect_code(&o, 2);
    assert!(
        text(&o.stderr).contains("pits.geojson"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn excel_folders_start_csvs_with_a_bom_and_serve_as_previous() {
    let d = scene_with_template();
    let o = reclaim(
        d.path(),
        &[
            "audit",
            "--config",
            "audit.toml",
            "--out",
            "a1",
            "--excel",
            "--json",
        ],
    );
    expect_code(&o, 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["pit_count"], 2);
    for f in ["attribution.csv", "pits.csv", "mines.csv"] {
        let b = std::fs::read(d.path().join("a1").join(f)).unwrap();
        assert!(b.starts_with("\u{feff}".as_bytes()), "{f} has no BOM");
    }
    assert!(!std::fs::read(d.path().join("a1/summary.json"))
        .unwrap()
        .starts_with("\u{feff}".as_bytes()));
    // --previous reads the folder (full precision, from attribution.csv).
    let o = reclaim(
        d.path(),
        &[
            "audit",
            "--config",
            "audit.toml",
            "--out",
            "a2",
            "--previous",
            "a1",
            "--audit-date",
            "2026-12-31",
        ],
    );
    expect_code(&o, 0);
    // What --previous reads is what the audit held, bit for bit, though pits.csv
    // and mines.csv are rounded.
    let cfg = reclaim::audit::AuditConfig::load(&d.path().join("audit.toml")).unwrap();
    let r = reclaim::audit::run(&cfg, &reclaim::audit::AuditOptions::default()).unwrap();
    let prev = reclaim::report::read_previous(&d.path().join("a1")).unwrap();
    assert_eq!(prev.pits.len(), r.pits.len());
    let four = |a: &reclaim::audit::ClassAreas| {
        [a.restored_ha, a.unrestored_ha, a.water_ha, a.unobserved_ha].map(f64::to_bits)
    };
    for p in &r.pits {
        assert_eq!(four(&prev.pits[&p.pit_id]), four(&p.areas), "{}", p.pit_id);
    }
    for m in &r.mines {
        assert_eq!(
            four(&prev.mines[&m.license_id]),
            four(&m.areas),
            "{}",
            m.license_id
        );
    }
    // Without --excel: no BOM.
    let o = reclaim(
        d.path(),
        &["audit", "--config", "audit.toml", "--out", "a3", "-q"],
    );
    expect_code(&o, 0);
    assert!(std::fs::read(d.path().join("a3/pits.csv"))
        .unwrap()
        .starts_with(b"pit_id,"));
}

#[test]
fn zonal_json_excel_and_stdout() {
    let d = tempfile::tempdir().unwrap();
    let s = ok_scene();
    let raster = s.join("scene.tif");
    let zones = s.join("pits.geojson");
    let base = [
        "zonal",
        "--raster",
        raster.to_str().unwrap(),
        "--zones",
        zones.to_str().unwrap(),
        "--id-field",
        "pit_id",
    ];
    let o = reclaim(
        d.path(),
        &[&base[..], &["--out", "z.csv", "--json", "--excel"]].concat(),
    );
    expect_code(&o, 0);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["zones"], 2);
    assert_eq!(v["out"], "z.csv");
    let csv = std::fs::read_to_string(d.path().join("z.csv")).unwrap();
    assert!(csv.starts_with("\u{feff}zone_id,class"), "{csv}");
    let o = reclaim(d.path(), &[&base[..], &["--out", "-", "-q"]].concat());
    expect_code(&o, 0);
    assert!(text(&o.stdout).starts_with("zone_id,class,cells,area_ha\n"));
    let o = reclaim(d.path(), &[&base[..], &["--out", "-", "--json"]].concat());
    expect_code(&o, 2);
}

/// The page's first request after roff's quote-character set-up (`.ie`/`.el`) is
/// the title `.TH`.
fn starts_with_th(page: &str) -> bool {
    page.lines()
        .find(|l| !l.starts_with(".ie ") && !l.starts_with(".el "))
        .is_some_and(|l| l.starts_with(".TH "))
}

#[test]
fn completions_and_man_pages_come_from_the_commands() {
    let d = tempfile::tempdir().unwrap();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let o = reclaim(d.path(), &["completions", shell]);
        expect_code(&o, 0);
        let out = text(&o.stdout);
        for sub in ["audit", "zonal", "init", "scenes"] {
            assert!(out.contains(sub), "{shell} completions lack {sub}");
        }
    }
    let o = reclaim(d.path(), &["man"]);
    expect_code(&o, 0);
    let page = text(&o.stdout);
    assert!(starts_with_th(&page), "{}", &page[..page.len().min(200)]);
    assert!(
        page.contains("Exit codes"),
        "the man page lists the exit codes"
    );
    let o = reclaim(d.path(), &["man", "--out", "man1"]);
    expect_code(&o, 0);
    for f in ["reclaim.1", "reclaim-audit.1", "reclaim-init.1"] {
        let t = std::fs::read_to_string(d.path().join("man1").join(f)).unwrap();
        assert!(starts_with_th(&t), "{f}");
    }
}

#[test]
fn every_command_lists_its_exit_codes() {
    let d = tempfile::tempdir().unwrap();
    let o = reclaim(d.path(), &["--help"]);
    expect_code(&o, 0);
    let help = text(&o.stdout);
    let commands: Vec<String> = help
        .split_once("Commands:")
        .unwrap()
        .1
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect();
    assert!(commands.len() >= 12, "{commands:?}");
    for c in &commands {
        let o = reclaim(d.path(), &[c, "--help"]);
        expect_code(&o, 0);
        let h = text(&o.stdout);
        assert!(
            h.contains("Exit codes") && h.contains("2  bad input"),
            "{c} --help:\n{h}"
        );
        let strict = h.contains("--strict");
        assert_eq!(h.contains("1  warnings under --strict"), strict, "{c}");
    }
}

/// Runs `reclaim args` with its stdout a pipe whose reading end is already closed:
/// every write fails with EPIPE.
fn with_closed_stdout(dir: &Path, args: &[&str]) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    Command::new(bin())
        .current_dir(dir)
        .args(args)
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("the reclaim binary runs")
}

#[test]
fn a_closed_pipe_ends_quietly() {
    let d = tempfile::tempdir().unwrap();
    let s = ok_scene();
    let scenes = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenes");
    let raster = s.join("scene.tif");
    let zones = s.join("pits.geojson");
    let runs: [Vec<&str>; 5] = [
        vec!["info", raster.to_str().unwrap()],
        vec!["info", "--json", raster.to_str().unwrap()],
        vec!["scenes", scenes.to_str().unwrap()],
        vec![
            "zonal",
            "--raster",
            raster.to_str().unwrap(),
            "--zones",
            zones.to_str().unwrap(),
            "--id-field",
            "pit_id",
            "--out",
            "-",
            "-q",
        ],
        vec!["completions", "bash"],
    ];
    for args in &runs {
        let o = with_closed_stdout(d.path(), args);
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", text(&o.stderr));
        let err = text(&o.stderr);
        assert!(
            !err.contains("panicked") && !err.contains("error") && !err.contains("Broken pipe"),
            "{args:?}: {err}"
        );
    }
}

#[test]
fn info_gives_corners_in_lon_lat_and_says_the_file_is_usable() {
    let d = tempfile::tempdir().unwrap();
    let raster = ok_scene().join("scene.tif");
    let o = reclaim(d.path(), &["info", raster.to_str().unwrap()]);
    expect_code(&o, 0);
    let out = text(&o.stdout);
    for want in [
        "CRS name: WGS 84 / UTM zone 51N",
        "Extent: (500000, 4800000) - (500080, 4800080)",
        "Upper Left  (500000.000, 4800080.000) (123.000000° E, 43.35",
        "Lower Right (500080.000, 4800000.000) (123.000987° E, 43.35",
    ] {
        assert!(out.contains(want), "lacks {want}:\n{out}");
    }
    assert!(out.ends_with("Usable by reclaim: yes\n"), "{out}");
    let o = reclaim(d.path(), &["info", "--json", raster.to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["usable"], true);
    assert_eq!(v["epsg"], 32651);
    assert_eq!(v["extent"]["xmax"], 500080.0);
    assert!((v["corners"]["upper_left"]["lon"].as_f64().unwrap() - 123.0).abs() < 1e-9);
    // A GeoTIFF without CRS: described, and said unusable with the reason.
    let no_crs = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/malformed");
    let candidates: Vec<PathBuf> = std::fs::read_dir(&no_crs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            p.file_name()
                .unwrap()
                .to_string_lossy()
                .contains("no_georeferencing")
        })
        .filter(|p| p.extension().is_some_and(|x| x == "tif"))
        .collect();
    for p in candidates {
        let o = reclaim(d.path(), &["info", p.to_str().unwrap()]);
        expect_code(&o, 0);
        let out = text(&o.stdout);
        assert!(out.contains("Usable by reclaim: no — "), "{out}");
    }
}
