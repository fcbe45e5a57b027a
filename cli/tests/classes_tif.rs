//! `reclaim audit --classes-tif` on the demo county: the raster joins the folder,
//! a run without the flag replaces the folder without it, and shards refuse it.

use std::path::Path;
use std::process::{Command, Output};

fn reclaim(dir: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_reclaim"));
    c.current_dir(dir)
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .env("RECLAIM_CACHE_DIR", dir.join("cache"));
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

#[test]
fn classes_tif_is_added_to_the_folder_and_refused_by_shards() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    reclaim_demo::generate(d).unwrap();
    let audit = |extra: &[&str]| {
        let mut c = reclaim(d);
        c.args(["audit", "--config", "audit-2024.toml", "--out", "a"])
            .args(extra);
        c.output().unwrap()
    };
    let o = audit(&["--classes-tif"]);
    expect_ok("audit --classes-tif", &o);
    let stdout = String::from_utf8_lossy(&o.stdout);
    // One raster: no composite line.
    assert!(!stdout.contains("imagery:"), "{stdout}");
    let tif = d.join("a").join("classes.tif");
    let mut r = reclaim::raster::Raster::open(&tif).unwrap();
    assert_eq!(r.info().nodata, Some(255.0));
    let v = r.read_window(1, r.grid().full_window()).unwrap();
    let mut seen = [0usize; 256];
    for i in 0..v.len() {
        seen[v.get_f64(i) as usize] += 1;
    }
    // The demo has every class and nothing beyond the four codes.
    assert!(seen[..4].iter().all(|n| *n > 0), "{:?}", &seen[..5]);
    assert_eq!(seen[4..].iter().sum::<usize>(), 0);
    assert!(!d.join("a").join("clear_obs.tif").exists());
    // No scratch folder is left beside the output.
    let left: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".reclaim-rasters")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // Again without the flag: the folder is replaced whole, without the raster.
    let o = audit(&["-q"]);
    expect_ok("audit", &o);
    assert!(!tif.exists());

    let o = audit(&["--classes-tif", "--shard", "1/2"]);
    assert!(!o.status.success());
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--classes-tif"), "{err}");
}
