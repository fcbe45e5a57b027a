//! reclaim never destroys a user's data, through the real binary: `--out` never
//! lands on an input, a folder holding one, the configuration or the current
//! directory, and replaces only a folder reclaim wrote; inputs are read only from
//! regular files (no FIFO, device or folder) under a byte cap; `--previous` works
//! from any working directory. Every refusal exits 2 with a message naming the path
//! and the fix, changes no file (SHA-256 of every file before and after) and leaves
//! no temporary `.*.tmp-*` behind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The small valid scene of `testdata/malformed/ok/` (an 8 × 8 two-band GeoTIFF,
/// pits and licences as GeoJSON) and a GBK shapefile for `zonal`.
fn testdata(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata")
        .join(rel)
}

/// An audit configuration with paths relative to its folder.
fn config(date: &str, imagery: &str, pits: &str) -> String {
    format!(
        "audit_date = \"{date}\"\n\n[imagery]\npath = \"{imagery}\"\nred_band = 1\nnir_band = 2\n\n[pits]\npath = \"{pits}\"\nid_field = \"pit_id\"\n\n[licenses]\npath = \"inputs/licenses.geojson\"\n"
    )
}

/// `ROOT/data/{a.toml, inputs/{scene.tif, pits.geojson, licenses.geojson,
/// zones.shp/.shx/.dbf/.prj/.cpg}}`; commands run in `ROOT/data` unless told.
struct Fixture {
    _tmp: tempfile::TempDir,
    /// The checksum cache, outside the tree whose files are compared.
    cache: tempfile::TempDir,
    root: PathBuf,
    data: PathBuf,
}

impl Fixture {
    fn new() -> Fixture {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().canonicalize().unwrap();
        let data = root.join("data");
        let inputs = data.join("inputs");
        std::fs::create_dir_all(&inputs).unwrap();
        for f in ["scene.tif", "pits.geojson", "licenses.geojson"] {
            std::fs::copy(testdata(&format!("malformed/ok/{f}")), inputs.join(f)).unwrap();
        }
        for ext in ["shp", "shx", "dbf", "prj", "cpg"] {
            std::fs::copy(
                testdata(&format!("vector/gbk_pits.{ext}")),
                inputs.join(format!("zones.{ext}")),
            )
            .unwrap();
        }
        std::fs::write(
            data.join("a.toml"),
            config("2025-12-31", "inputs/scene.tif", "inputs/pits.geojson"),
        )
        .unwrap();
        Fixture {
            _tmp: tmp,
            cache: tempfile::tempdir().unwrap(),
            root,
            data,
        }
    }

    /// `reclaim ARGS` run in `dir`.
    fn run_in(&self, dir: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_reclaim"))
            .args(args)
            .current_dir(dir)
            .env("RECLAIM_CACHE_DIR", self.cache.path())
            .output()
            .expect("the reclaim binary runs")
    }

    fn run(&self, args: &[&str]) -> Output {
        self.run_in(&self.data, args)
    }

    /// SHA-256 of every regular file under the root (FIFOs and devices are not opened).
    fn snapshot(&self) -> BTreeMap<PathBuf, String> {
        let mut out = BTreeMap::new();
        let mut stack = vec![self.root.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let p = e.unwrap().path();
                let m = std::fs::symlink_metadata(&p).unwrap();
                if m.is_dir() {
                    stack.push(p);
                } else if m.is_file() {
                    out.insert(p.clone(), reclaim::audit::run::sha256_file(&p).unwrap());
                }
            }
        }
        out
    }

    /// Runs `args` (in `dir`), expects a refusal naming every needle, and no change
    /// to any file, and no temporary left.
    fn refused_in(&self, dir: &Path, args: &[&str], needles: &[&str]) {
        let before = self.snapshot();
        let o = self.run_in(dir, args);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{args:?}: stderr: {err}");
        for n in needles {
            assert!(err.contains(n), "{args:?}: stderr lacks {n:?}:\n{err}");
        }
        assert!(!err.contains("panicked"), "{err}");
        assert_eq!(before, self.snapshot(), "{args:?}: a file changed");
        self.no_temporaries();
    }

    fn refused(&self, args: &[&str], needles: &[&str]) {
        self.refused_in(&self.data, args, needles);
    }

    /// No `.NAME.tmp-PID` / `.NAME.old-PID` anywhere under the root.
    fn no_temporaries(&self) {
        let mut stack = vec![self.root.clone()];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(&d).unwrap() {
                let e = e.unwrap();
                let name = e.file_name().to_string_lossy().into_owned();
                assert!(
                    !(name.starts_with('.') && (name.contains(".tmp-") || name.contains(".old-"))),
                    "temporary left behind: {}",
                    e.path().display()
                );
                if e.file_type().unwrap().is_dir() {
                    stack.push(e.path());
                }
            }
        }
    }

    fn ok(&self, args: &[&str]) {
        expect_ok(&self.run(args));
    }
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn expect_ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        text(&o.stdout),
        text(&o.stderr)
    );
}

fn audit(out: &str) -> Vec<&str> {
    vec!["audit", "--config", "a.toml", "--out", out, "-q"]
}

#[test]
fn out_is_the_inputs_folder() {
    let f = Fixture::new();
    f.refused(
        &audit("inputs"),
        &["output inputs", "holds the", "inputs/", "give a new folder"],
    );
    // Spelled another way: a trailing slash, `..`, a symlink to it.
    f.refused(&audit("inputs/"), &["holds the"]);
    f.refused(&audit("../data/inputs"), &["holds the"]);
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(f.data.join("inputs"), f.data.join("link")).unwrap();
        f.refused(&audit("link"), &["output link", "holds the"]);
    }
}

#[test]
fn out_is_the_config_file() {
    let f = Fixture::new();
    f.refused(
        &audit("a.toml"),
        &[
            "output a.toml",
            "config input",
            "give an output path that is not an input",
        ],
    );
}

#[test]
fn out_is_an_ancestor_of_the_inputs_and_config() {
    let f = Fixture::new();
    let args = ["audit", "--config", "data/a.toml", "--out", "data", "-q"];
    f.refused_in(&f.root, &args, &["output data", "holds the config input"]);
    // An input elsewhere, the output above it.
    let elsewhere = f.root.join("elsewhere/deep");
    std::fs::create_dir_all(&elsewhere).unwrap();
    std::fs::copy(
        f.data.join("inputs/pits.geojson"),
        elsewhere.join("pits.geojson"),
    )
    .unwrap();
    let p = elsewhere.join("pits.geojson");
    std::fs::write(
        f.data.join("b.toml"),
        config("2025-12-31", "inputs/scene.tif", p.to_str().unwrap()),
    )
    .unwrap();
    f.refused(
        &["audit", "--config", "b.toml", "--out", "../elsewhere", "-q"],
        &["output ../elsewhere", "holds the pits input"],
    );
}

#[test]
fn out_is_the_current_directory() {
    let f = Fixture::new();
    let cwd = f.data.to_str().unwrap().to_string();
    for out in [".", "./", cwd.as_str(), "..", "../.."] {
        f.refused(&audit(out), &["current directory", "give a new folder"]);
    }
    f.refused(
        &["demo", "--out", ".", "-q"],
        &["current directory", "--out demo"],
    );
}

#[test]
fn out_is_a_folder_reclaim_did_not_write() {
    let f = Fixture::new();
    let mine = f.data.join("mine");
    std::fs::create_dir(&mine).unwrap();
    std::fs::write(mine.join("notes.txt"), "field notes\n").unwrap();
    f.refused(
        &audit("mine"),
        &[
            "output mine",
            "not written by reclaim",
            "notes.txt",
            "choose a new folder name",
        ],
    );
    f.refused(
        &["demo", "--out", "mine", "-q"],
        &["not written by reclaim", "notes.txt"],
    );
    // A summary.json that is not reclaim's does not make a folder reclaim's.
    std::fs::write(mine.join("summary.json"), "{\"mine\": true}\n").unwrap();
    f.refused(&audit("mine"), &["not written by reclaim"]);
    assert!(mine.join("notes.txt").exists());
}

#[test]
fn out_is_an_existing_file() {
    let f = Fixture::new();
    std::fs::write(f.data.join("report.txt"), "mine\n").unwrap();
    f.refused(
        &audit("report.txt"),
        &[
            "output report.txt",
            "is a regular file",
            "an audit folder",
            "does not exist yet",
        ],
    );
    // And a folder where a file is written.
    f.refused(
        &[
            "zonal",
            "--raster",
            "inputs/scene.tif",
            "--zones",
            "inputs/pits.geojson",
            "--id-field",
            "pit_id",
            "--out",
            "inputs",
        ],
        &["output inputs", "is a folder", "a file"],
    );
}

#[test]
fn zonal_out_is_an_input_or_a_sidecar() {
    let f = Fixture::new();
    let zonal = |out: &'static str| {
        vec![
            "zonal",
            "--raster",
            "inputs/scene.tif",
            "--zones",
            "inputs/zones.shp",
            "--id-field",
            "pit_id",
            "--out",
            out,
        ]
    };
    f.refused(
        &zonal("inputs/scene.tif"),
        &["raster input", "not an input"],
    );
    f.refused(&zonal("inputs/zones.shp"), &["zones input"]);
    for (out, role) in [
        ("inputs/zones.dbf", "zones.dbf"),
        ("inputs/zones.shx", "zones.shx"),
        ("inputs/zones.prj", "zones.prj"),
        ("inputs/zones.cpg", "zones.cpg"),
        // Another case of the same name: the same file on a case-insensitive disk.
        ("inputs/ZONES.DBF", "zones.dbf"),
        // Through `..`.
        ("../data/inputs/zones.dbf", "zones.dbf"),
    ] {
        f.refused(&zonal(out), &[out, role, "not an input"]);
    }
    // A sidecar that does not exist yet would still become the layer's.
    std::fs::remove_file(f.data.join("inputs/zones.cpg")).unwrap();
    f.refused(&zonal("inputs/zones.cpg"), &["zones.cpg"]);
}

#[cfg(unix)]
#[test]
fn a_fifo_input_is_refused_by_name() {
    let f = Fixture::new();
    let fifo = f.data.join("inputs/fifo.geojson");
    let st = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(st.success());
    std::fs::write(
        f.data.join("b.toml"),
        config("2025-12-31", "inputs/scene.tif", "inputs/fifo.geojson"),
    )
    .unwrap();
    f.refused(
        &["audit", "--config", "b.toml", "--out", "out", "-q"],
        &["fifo.geojson", "named pipe (FIFO)", "regular file"],
    );
    f.refused(
        &[
            "zonal",
            "--raster",
            "inputs/scene.tif",
            "--zones",
            "inputs/fifo.geojson",
            "--id-field",
            "pit_id",
            "--out",
            "z.csv",
        ],
        &["fifo.geojson", "named pipe (FIFO)"],
    );
    // A FIFO summary.json given as --previous, and as a part to merge.
    std::fs::create_dir(f.data.join("fp")).unwrap();
    let st = Command::new("mkfifo")
        .arg(f.data.join("fp/summary.json"))
        .status()
        .unwrap();
    assert!(st.success());
    f.refused(
        &[
            "audit",
            "--config",
            "a.toml",
            "--previous",
            "fp",
            "--out",
            "out",
            "-q",
        ],
        &["fp/summary.json", "named pipe (FIFO)"],
    );
    f.refused(
        &["merge", "inputs/fifo.geojson", "--out", "out", "-q"],
        &["fifo.geojson", "named pipe (FIFO)"],
    );
    // A FIFO raster and a FIFO configuration too.
    f.refused(
        &["info", "inputs/fifo.geojson"],
        &["fifo.geojson", "named pipe (FIFO)"],
    );
    f.refused(
        &[
            "audit",
            "--config",
            "inputs/fifo.geojson",
            "--out",
            "out",
            "-q",
        ],
        &["fifo.geojson", "named pipe (FIFO)"],
    );
}

#[cfg(unix)]
#[test]
fn a_symlink_to_dev_zero_is_refused_by_name() {
    let f = Fixture::new();
    std::os::unix::fs::symlink("/dev/zero", f.data.join("inputs/zero.geojson")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", f.data.join("inputs/zero.tif")).unwrap();
    std::fs::write(
        f.data.join("b.toml"),
        config("2025-12-31", "inputs/scene.tif", "inputs/zero.geojson"),
    )
    .unwrap();
    f.refused(
        &["audit", "--config", "b.toml", "--out", "out", "-q"],
        &["zero.geojson", "character device", "/dev/zero"],
    );
    std::fs::write(
        f.data.join("c.toml"),
        config("2025-12-31", "inputs/zero.tif", "inputs/pits.geojson"),
    )
    .unwrap();
    f.refused(
        &["audit", "--config", "c.toml", "--out", "out", "-q"],
        &["zero.tif", "character device", "/dev/zero"],
    );
}

#[test]
fn a_folder_as_input_is_refused_by_name() {
    let f = Fixture::new();
    std::fs::create_dir(f.data.join("inputs/dir.geojson")).unwrap();
    std::fs::write(
        f.data.join("b.toml"),
        config("2025-12-31", "inputs/scene.tif", "inputs/dir.geojson"),
    )
    .unwrap();
    f.refused(
        &["audit", "--config", "b.toml", "--out", "out", "-q"],
        &["dir.geojson", "is a folder", "regular file"],
    );
    f.refused(
        &["audit", "--config", "inputs", "--out", "out", "-q"],
        &["config", "inputs", "is a folder"],
    );
}

#[test]
fn a_file_over_the_byte_cap_is_refused() {
    let f = Fixture::new();
    // Pits padded past 1 MiB (JSON allows the whitespace), with the cap at 1 MiB.
    let mut pits = std::fs::read(f.data.join("inputs/pits.geojson")).unwrap();
    pits.extend(std::iter::repeat_n(b' ', 1 << 20));
    std::fs::write(f.data.join("inputs/big.geojson"), &pits).unwrap();
    let mut cfg = config("2025-12-31", "inputs/scene.tif", "inputs/big.geojson");
    cfg.push_str("\n[limits]\nmax_vector_mib = 1\n");
    std::fs::write(f.data.join("b.toml"), cfg).unwrap();
    f.refused(
        &["audit", "--config", "b.toml", "--out", "out", "-q"],
        &["big.geojson", "larger than 1 MiB", "max_vector_mib"],
    );
    // The default cap passes it.
    std::fs::write(
        f.data.join("c.toml"),
        config("2025-12-31", "inputs/scene.tif", "inputs/big.geojson"),
    )
    .unwrap();
    f.ok(&["audit", "--config", "c.toml", "--out", "out", "-q"]);
    // A configuration over 16 MiB.
    let mut huge = config("2025-12-31", "inputs/scene.tif", "inputs/pits.geojson");
    huge.push_str(&"# padding\n".repeat((16 << 20) / 10 + 1));
    std::fs::write(f.data.join("huge.toml"), huge).unwrap();
    f.refused(
        &["audit", "--config", "huge.toml", "--out", "out2", "-q"],
        &["huge.toml", "larger than 16 MiB"],
    );
}

#[test]
fn previous_works_from_another_directory_and_after_a_move() {
    let f = Fixture::new();
    std::fs::copy(
        f.data.join("inputs/scene.tif"),
        f.data.join("inputs/prev.tif"),
    )
    .unwrap();
    std::fs::write(
        f.data.join("p.toml"),
        config("2024-12-31", "inputs/prev.tif", "inputs/pits.geojson"),
    )
    .unwrap();
    f.ok(&["audit", "--config", "p.toml", "--out", "prev", "-q"]);
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.data.join("prev/summary.json")).unwrap()).unwrap();
    let inputs = summary["provenance"]["inputs"].as_array().unwrap();
    assert_eq!(
        inputs[0]["path"],
        f.data.join("inputs/prev.tif").to_str().unwrap(),
        "absolute"
    );
    assert_eq!(inputs[0]["path_relative"], "../inputs/prev.tif");

    // From another working directory.
    let elsewhere = f.root.join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    let o = f.run_in(
        &elsewhere,
        &[
            "audit",
            "--config",
            "../data/a.toml",
            "--previous",
            "../data/prev",
            "--out",
            "../data/now",
            "-q",
        ],
    );
    expect_ok(&o);
    let now: serde_json::Value =
        serde_json::from_slice(&std::fs::read(f.data.join("now/summary.json")).unwrap()).unwrap();
    assert_eq!(
        now["previous"]["dir"],
        f.data.join("prev").to_str().unwrap()
    );

    // The whole tree moved: the absolute paths are gone, the relative ones hold.
    let moved = f.root.join("moved");
    std::fs::rename(&f.data, &moved).unwrap();
    let o = f.run_in(
        &elsewhere,
        &[
            "audit",
            "--config",
            "../moved/a.toml",
            "--previous",
            "../moved/prev",
            "--out",
            "../moved/again",
            "-q",
        ],
    );
    expect_ok(&o);

    // The previous imagery gone too: the error says summary.json recorded it.
    std::fs::remove_file(moved.join("inputs/prev.tif")).unwrap();
    let before = f.snapshot();
    let o = f.run_in(
        &elsewhere,
        &[
            "audit",
            "--config",
            "../moved/a.toml",
            "--previous",
            "../moved/prev",
            "--out",
            "../moved/again",
            "-q",
        ],
    );
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    for n in [
        "--previous",
        "prev/summary.json",
        "records the [imagery] path",
        "prev.tif",
        "run that audit again",
    ] {
        assert!(err.contains(n), "stderr lacks {n:?}:\n{err}");
    }
    assert_eq!(before, f.snapshot());
    f.no_temporaries();
}

#[test]
fn a_failed_run_leaves_no_temporary_and_the_old_folder() {
    let f = Fixture::new();
    f.ok(&audit("out"));
    let before = f.snapshot();
    // Fails after the guard, in the audit itself (pits far off the imagery).
    std::fs::copy(
        testdata("malformed/pits_far_away.geojson"),
        f.data.join("inputs/far.geojson"),
    )
    .unwrap();
    std::fs::write(
        f.data.join("b.toml"),
        config("2025-12-31", "inputs/scene.tif", "inputs/far.geojson"),
    )
    .unwrap();
    let o = f.run(&["audit", "--config", "b.toml", "--out", "out", "-q"]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
    let mut after = f.snapshot();
    after.remove(&f.data.join("inputs/far.geojson"));
    after.remove(&f.data.join("b.toml"));
    assert_eq!(before, after, "the old output is untouched");
    f.no_temporaries();
    // `--out .` used to leave `.out.tmp-PID` behind.
    f.refused(&audit("."), &["current directory"]);
}

#[test]
fn rerunning_into_a_folder_reclaim_wrote_replaces_it() {
    let f = Fixture::new();
    f.ok(&audit("out"));
    let first = std::fs::read(f.data.join("out/summary.json")).unwrap();
    std::fs::write(f.data.join("out/stale.txt"), "from before\n").unwrap();
    f.ok(&audit("out"));
    assert_eq!(
        std::fs::read(f.data.join("out/summary.json")).unwrap(),
        first
    );
    assert!(
        !f.data.join("out/stale.txt").exists(),
        "the folder is replaced as a whole"
    );
    // An empty folder may be used.
    std::fs::create_dir(f.data.join("empty")).unwrap();
    f.ok(&audit("empty"));
    // A shard's folder, then the merge into the audit folder (replacing it).
    f.ok(&[
        "audit", "--config", "a.toml", "--shard", "0/1", "--out", "part", "-q",
    ]);
    f.ok(&[
        "audit", "--config", "a.toml", "--shard", "0/1", "--out", "part", "-q",
    ]);
    f.ok(&["merge", "part", "--out", "out", "-q"]);
    assert_eq!(
        std::fs::read(f.data.join("out/summary.json")).unwrap(),
        first
    );
    // But never into a part it reads.
    f.refused(
        &["merge", "part", "--out", "part", "-q"],
        &["output part", "part input"],
    );
    f.no_temporaries();
}
