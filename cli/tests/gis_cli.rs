//! `reclaim audit` writes `results.gpkg` and `shapefiles/`; `--encoding gbk` writes
//! the `.dbf` text in GBK, and an unknown encoding is a usage error.

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
fn encoding_flag_chooses_the_dbf_text_encoding() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    reclaim_demo::generate(d).unwrap();
    let audit = |out: &str, extra: &[&str]| {
        let mut c = reclaim(d);
        c.args(["audit", "--config", "audit-2024.toml", "--out", out, "-q"])
            .args(extra);
        c.output().unwrap()
    };
    expect_ok("audit", &audit("utf8", &[]));
    expect_ok(
        "audit --encoding gbk",
        &audit("gbk", &["--encoding", "GBK"]),
    );
    for (out, cpg, ldid) in [("utf8", "UTF-8", 0u8), ("gbk", "GBK", 0x4D)] {
        let shp = d.join(out).join("shapefiles");
        assert!(d.join(out).join("results.gpkg").is_file(), "{out}");
        assert_eq!(std::fs::read_to_string(shp.join("mines.cpg")).unwrap(), cpg);
        let dbf = std::fs::read(shp.join("mines.dbf")).unwrap();
        assert_eq!(dbf[29], ldid, "{out}");
        // The first licence's holder, as the county's GBK shapefiles hold it.
        let holder = "伊通满族自治县景台镇甲硫铁矿业有限公司";
        let bytes = match out {
            "gbk" => encoding_rs::GBK.encode(holder).0.into_owned(),
            _ => holder.as_bytes().to_vec(),
        };
        assert!(
            dbf.windows(bytes.len()).any(|w| w == bytes.as_slice()),
            "{out}: holder bytes"
        );
    }
    let o = audit("bad", &["--encoding", "latin9"]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("latin9") && err.contains("gbk"), "{err}");
    assert!(!d.join("bad").exists());
}
