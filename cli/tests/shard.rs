//! Scale-out as a batch scheduler runs it: the demo county's 2024 audit (with
//! change since 2020) as 4 shard processes of the built `reclaim` binary running at
//! the same time, then `reclaim merge`; the merged folder must hold the same files
//! as a single `reclaim audit`, byte for byte.
//!
//! Nothing is excluded from the comparison, provenance included: the shards and the
//! merge see the inputs at the same paths, so `summary.json`'s `provenance`
//! (inputs with SHA-256, configuration, CRS, cell size, version) and `previous.dir`,
//! and the provenance footnote of `report.html`, are the same too.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Instant;

fn reclaim(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reclaim"));
    c.current_dir(dir)
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID");
    c
}

fn expect_ok(what: &str, o: &Output) {
    assert!(
        o.status.success(),
        "{what}: exit {:?}\n--- stdout\n{}\n--- stderr\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// File names in a folder, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// The files of `dir`, those of its subfolders (`shapefiles/`) as `sub/name`.
fn files(dir: &Path) -> Vec<String> {
    let mut v = Vec::new();
    for n in names(dir) {
        if dir.join(&n).is_dir() {
            v.extend(names(&dir.join(&n)).into_iter().map(|f| format!("{n}/{f}")));
        } else {
            v.push(n);
        }
    }
    v
}

#[test]
fn four_shard_processes_merge_to_the_one_shot_folder_byte_for_byte() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    reclaim_demo::generate(d).unwrap();
    let o = reclaim(d)
        .args([
            "audit",
            "--config",
            "audit-2020.toml",
            "--out",
            "audit-2020",
            "-q",
        ])
        .output()
        .unwrap();
    expect_ok("audit 2020", &o);

    let t = Instant::now();
    let o = reclaim(d)
        .args([
            "audit",
            "--config",
            "audit-2024.toml",
            "--previous",
            "audit-2020",
        ])
        .args(["--out", "one-shot", "-q"])
        .output()
        .unwrap();
    expect_ok("one-shot audit 2024", &o);
    let one_shot_s = t.elapsed().as_secs_f64();

    // Four jobs at once; two of them take their index as a batch scheduler gives it.
    let t = Instant::now();
    let children: Vec<_> = (0..4)
        .map(|i| {
            let mut c = reclaim(d);
            c.args([
                "audit",
                "--config",
                "audit-2024.toml",
                "--previous",
                "audit-2020",
            ])
            .args(["--out", &format!("parts/{i}")]);
            match i {
                1 => c
                    .args(["--shard", "auto/4"])
                    .env("JOB_COMPLETION_INDEX", "1"),
                3 => c
                    .args(["--shard", "auto/4"])
                    .env("SLURM_ARRAY_TASK_ID", "3"),
                _ => c.args(["--shard", &format!("{i}/4")]),
            };
            c.stdout(Stdio::piped()).stderr(Stdio::piped());
            (i, Instant::now(), c.spawn().unwrap())
        })
        .collect();
    let mut shard_s = Vec::new();
    for (i, start, child) in children {
        let o = child.wait_with_output().unwrap();
        expect_ok(&format!("shard {i}/4"), &o);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.contains(&format!("shard {i}/4: measured")), "{err}");
        // The shard's own measure ("… pieces in 0.09 s; …"), else its wall time.
        let own = err
            .split_once(" pieces in ")
            .and_then(|(_, r)| r.split_once(" s;"))
            .and_then(|(x, _)| x.parse::<f64>().ok());
        shard_s.push(own.unwrap_or_else(|| start.elapsed().as_secs_f64()));
    }
    let shards_wall_s = t.elapsed().as_secs_f64();

    let t = Instant::now();
    let o = reclaim(d)
        .args([
            "merge", "parts/0", "parts/1", "parts/2", "parts/3", "--out", "merged",
        ])
        .output()
        .unwrap();
    expect_ok("merge", &o);
    let merge_s = t.elapsed().as_secs_f64();
    let table = String::from_utf8_lossy(&o.stdout);
    assert!(table.contains("County figures, 2024-12-31"), "{table}");
    eprintln!(
        "one-shot {one_shot_s:.2} s; 4 shard processes at once {shards_wall_s:.2} s wall (audit time of each: {}); merge {merge_s:.2} s",
        shard_s
            .iter()
            .map(|s| format!("{s:.2} s"))
            .collect::<Vec<_>>()
            .join(", ")
    );

    let (a, b) = (d.join("one-shot"), d.join("merged"));
    assert_eq!(files(&a), files(&b));
    // Six report files, results.gpkg, and 4 layers × 6 files in shapefiles/.
    assert_eq!(files(&a).len(), 6 + 1 + 4 * 6, "{:?}", files(&a));
    for f in files(&a) {
        let x = std::fs::read(a.join(&f)).unwrap();
        let y = std::fs::read(b.join(&f)).unwrap();
        assert!(x == y, "{f} differs: {} vs {} bytes", x.len(), y.len());
    }

    // Not every shard: refused, naming the missing one, and nothing written.
    let o = reclaim(d)
        .args([
            "merge",
            "parts/0",
            "parts/1",
            "parts/3",
            "--out",
            "partial-merge",
        ])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("shards [2] of 4 are missing"), "{err}");
    assert!(!d.join("partial-merge").exists());
    // auto/N outside a batch job says which variables it reads.
    let o = reclaim(d)
        .args(["audit", "--config", "audit-2024.toml", "--shard", "auto/4"])
        .args(["--out", "parts/x"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("JOB_COMPLETION_INDEX") && err.contains("SLURM_ARRAY_TASK_ID"),
        "{err}"
    );
}
