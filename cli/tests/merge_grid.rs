//! `reclaim merge` on shards of a Landsat-like grid whose cells are not whole metres
//! (29.906 × 29.883 m, the cell width one unit in the last place above 29.906, as a
//! geotransform computed from a scene's extent comes out): the merge is byte for byte
//! the one-shot audit, and parts run with another setting are refused naming that
//! one key with both values, each said once.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Output};
use tiff::encoder::{colortype, TiffEncoder};
use tiff::tags::Tag;

const X0: f64 = 686_013.457;
const Y0: f64 = 4_796_101.113;
const DX: f64 = 29.906000000000002;
const DY: f64 = 29.883;
const W: u32 = 12;
const H: u32 = 10;

fn band(path: &Path, value: impl Fn(u32) -> u16) {
    let data: Vec<u16> = (0..H).flat_map(|_| (0..W).map(&value)).collect();
    let mut enc = TiffEncoder::new(File::create(path).unwrap()).unwrap();
    let mut img = enc.new_image::<colortype::Gray16>(W, H).unwrap();
    img.rows_per_strip(4).unwrap();
    let e = img.encoder();
    e.write_tag(Tag::ModelPixelScaleTag, &[DX, DY, 0.0][..])
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
    img.write_data(&data).unwrap();
}

fn polygon(props: &str, (x0, y0, x1, y1): (f64, f64, f64, f64)) -> String {
    let p = |x: f64, y: f64| format!("[{},{}]", X0 + x, Y0 - y);
    format!(
        r#"{{"type":"Feature","properties":{{{props}}},"geometry":{{"type":"Polygon","coordinates":[[{},{},{},{},{}]]}}}}"#,
        p(x0, y0),
        p(x1, y0),
        p(x1, y1),
        p(x0, y1),
        p(x0, y0)
    )
}

fn layer(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:32651"}}}},"features":[{}]}}"#,
        features.join(",")
    )
}

const CONFIG: &str = r#"audit_date = "2024-12-31"
[imagery]
red_path = "red.tif"
nir_path = "nir.tif"
scale = 0.0001
[pits]
path = "pits.geojson"
id_field = "pit_id"
[licences]
path = "licences.geojson"
"#;

fn scene(dir: &Path) {
    // Columns 0–4 vegetated, 5–8 bare, 9–11 water.
    let class = |c: u32| match c {
        0..=4 => (500u16, 3000u16),
        5..=8 => (2000, 2500),
        _ => (800, 400),
    };
    band(&dir.join("red.tif"), |c| class(c).0);
    band(&dir.join("nir.tif"), |c| class(c).1);
    let pits: Vec<String> = (0..6)
        .map(|i| {
            let x = 13.7 + 55.3 * f64::from(i);
            polygon(
                &format!(r#""pit_id":"P{i}""#),
                (x, 17.1 + 9.0 * f64::from(i), x + 47.9, 160.2),
            )
        })
        .collect();
    std::fs::write(dir.join("pits.geojson"), layer(&pits)).unwrap();
    let lic = [polygon(
        r#""license_id":"L1","holder":"甲","status":"valid","valid_to":"2030-12-31""#,
        (0.0, 0.0, 150.5, 200.0),
    )];
    std::fs::write(dir.join("licences.geojson"), layer(&lic)).unwrap();
    std::fs::write(dir.join("audit.toml"), CONFIG).unwrap();
    std::fs::write(
        dir.join("other.toml"),
        CONFIG.replace("scale = 0.0001", "scale = 0.0002"),
    )
    .unwrap();
}

fn reclaim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .current_dir(dir)
        .env_remove("JOB_COMPLETION_INDEX")
        .env_remove("SLURM_ARRAY_TASK_ID")
        .args(args)
        .output()
        .expect("the reclaim binary runs")
}

fn ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}: {}",
        o.status.code(),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn shards_of_a_non_integer_grid_merge_and_a_changed_key_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    scene(d);
    // serde_json (without float_roundtrip) reads the cell width back one ulp off:
    // the scene tests what it means to.
    let json: f64 = serde_json::from_str(&serde_json::to_string(&DX).unwrap()).unwrap();
    assert_ne!(json, DX, "the scene no longer tests the round trip");
    ok(&reclaim(
        d,
        &["audit", "--config", "audit.toml", "--out", "one", "-q"],
    ));
    for i in 0..3 {
        let shard = format!("{i}/3");
        let out = format!("parts/{i}");
        ok(&reclaim(
            d,
            &[
                "audit",
                "--config",
                "audit.toml",
                "--shard",
                &shard,
                "--out",
                &out,
                "-q",
            ],
        ));
    }
    ok(&reclaim(
        d,
        &[
            "merge", "parts/0", "parts/1", "parts/2", "--out", "merged", "-q",
        ],
    ));
    for f in ["summary.json", "pits.csv", "mines.csv", "attribution.csv"] {
        let a = std::fs::read(d.join("one").join(f)).unwrap();
        let b = std::fs::read(d.join("merged").join(f)).unwrap();
        assert!(
            a == b,
            "{f} differs between the one-shot audit and the merge"
        );
    }

    ok(&reclaim(
        d,
        &[
            "audit",
            "--config",
            "other.toml",
            "--shard",
            "2/3",
            "--out",
            "odd",
            "-q",
        ],
    ));
    let o = reclaim(
        d,
        &["merge", "parts/0", "parts/1", "odd", "--out", "bad", "-q"],
    );
    let err = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("configuration differs at [imagery] scale: 0.0002 there, 0.0001 in"),
        "{err}"
    );
    assert!(
        !err.contains("red_path") && !err.contains("panicked"),
        "{err}"
    );
    assert_eq!(err.matches("[imagery] scale").count(), 1, "{err}");
    assert!(!d.join("bad").exists());
}
