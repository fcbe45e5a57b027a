//! `reclaim audit` with an `[accuracy]` section, end to end: the folder carries the
//! assessment; a sample of another map is refused (exit 2, the file and the fix
//! named, nothing written); a shard refuses the section; and `reclaim accuracy
//! --reference labelled.shp` on the folder agrees with the audit's own assessment.
//!
//! Scene: 30 × 10 cells of 10 m (UTM 51N), one pit over cols 1–28, rows 1–8; a cell
//! is unrestored when its column is a multiple of 4, water when col % 7 = 3, else
//! restored.

use std::fs::File;
use std::path::Path;
use std::process::{Command, Output};
use tiff::encoder::{colortype, TiffEncoder};
use tiff::tags::Tag;

const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_100.0;
const W: usize = 30;
const H: usize = 10;
const PIT: (usize, usize, usize, usize) = (1, 1, 29, 9);
const PRJ_UTM51N: &str = "PROJCS[\"WGS_1984_UTM_Zone_51N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",123.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
const CLASSES: [&str; 3] = ["restored", "unrestored", "water"];

fn class(col: usize) -> usize {
    if col.is_multiple_of(4) {
        1
    } else if col % 7 == 3 {
        2
    } else {
        0
    }
}

fn reclaim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .current_dir(dir)
        .env("RECLAIM_CACHE_DIR", dir.join("cache"))
        .args(args)
        .output()
        .unwrap()
}

#[track_caller]
fn expect_ok(o: &Output) -> String {
    assert!(
        o.status.success(),
        "exit {:?}\n{}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[track_caller]
fn expect_refused(o: &Output, needles: &[&str]) {
    let e = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{e}");
    for n in needles {
        assert!(e.contains(n), "{n:?} not in: {e}");
    }
    assert!(!e.contains("panicked"), "{e}");
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// A band of the scene as a GeoTIFF (u16, one strip per 4 rows, nodata 0).
fn write_band(path: &Path, pick: fn((u16, u16)) -> u16) {
    let data: Vec<u16> = (0..H)
        .flat_map(|_| (0..W).map(|c| pick([(500, 3000), (2000, 2500), (800, 400)][class(c)])))
        .collect();
    let mut enc = TiffEncoder::new(File::create(path).unwrap()).unwrap();
    let mut img = enc
        .new_image::<colortype::Gray16>(W as u32, H as u32)
        .unwrap();
    img.rows_per_strip(4).unwrap();
    let e = img.encoder();
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
    e.write_tag(Tag::GdalNodata, "0").unwrap();
    img.write_data(&data).unwrap();
}

fn write_scene(d: &Path) {
    write_band(&d.join("red.tif"), |v| v.0);
    write_band(&d.join("nir.tif"), |v| v.1);
    let (c0, r0, c1, r1) = PIT;
    let p = |c: usize, r: usize| format!("[{},{}]", X0 + 10.0 * c as f64, Y0 - 10.0 * r as f64);
    std::fs::write(
        d.join("pits.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:32651"}}}},"features":[{{"type":"Feature","properties":{{"pit_id":"P0"}},"geometry":{{"type":"Polygon","coordinates":[[{},{},{},{},{}]]}}}}]}}"#,
            p(c0, r0),
            p(c1, r0),
            p(c1, r1),
            p(c0, r1),
            p(c0, r0)
        ),
    )
    .unwrap();
}

fn write_config(d: &Path, name: &str, accuracy: &str) {
    std::fs::write(
        d.join(name),
        format!("audit_date = \"2024-12-31\"\n[imagery]\nred_path = \"red.tif\"\nnir_path = \"nir.tif\"\n[pits]\npath = \"pits.geojson\"\nid_field = \"pit_id\"\n{accuracy}"),
    )
    .unwrap();
}

/// Points: (col, row, map class, reference), the first `n` cells of each class in
/// the pit (scan order); the first point of each class is labelled the next class.
fn points(n: usize) -> Vec<(usize, usize, usize, usize)> {
    let mut out = Vec::new();
    for c in 0..3 {
        let cells = (PIT.1..PIT.3)
            .flat_map(|r| (PIT.0..PIT.2).map(move |col| (col, r)))
            .filter(|&(col, _)| class(col) == c)
            .take(n);
        for (j, (col, row)) in cells.enumerate() {
            out.push((col, row, c, if j == 0 { (c + 1) % 3 } else { c }));
        }
    }
    out
}

fn centre(col: usize, row: usize) -> (f64, f64) {
    (
        X0 + 10.0 * (col as f64 + 0.5),
        Y0 - 10.0 * (row as f64 + 0.5),
    )
}

fn write_csv(path: &Path, pts: &[(usize, usize, usize, usize)]) {
    let mut s = "id,x,y,lon,lat,stratum,map_class,reference\n".to_string();
    for (i, &(col, row, m, r)) in pts.iter().enumerate() {
        let (x, y) = centre(col, row);
        s += &format!(
            "{},{x},{y},0,0,{},{},{}\n",
            i + 1,
            CLASSES[m],
            CLASSES[m],
            CLASSES[r]
        );
    }
    std::fs::write(path, s).unwrap();
}

/// The same points as a point shapefile with a .prj (fields stratum, map_class,
/// reference), written byte by byte.
fn write_shp(base: &Path, pts: &[(usize, usize, usize, usize)]) {
    let n = pts.len() as i32;
    let header = |words: i32| {
        let mut h = vec![0u8; 100];
        h[0..4].copy_from_slice(&9994i32.to_be_bytes());
        h[24..28].copy_from_slice(&words.to_be_bytes());
        h[28..32].copy_from_slice(&1000i32.to_le_bytes());
        h[32..36].copy_from_slice(&1i32.to_le_bytes());
        h
    };
    let (mut shp, mut shx) = (header(50 + 14 * n), header(50 + 4 * n));
    for (i, &(col, row, _, _)) in pts.iter().enumerate() {
        let (x, y) = centre(col, row);
        shx.extend_from_slice(&(50 + 14 * i as i32).to_be_bytes());
        shx.extend_from_slice(&10i32.to_be_bytes());
        shp.extend_from_slice(&(i as i32 + 1).to_be_bytes());
        shp.extend_from_slice(&10i32.to_be_bytes());
        shp.extend_from_slice(&1i32.to_le_bytes());
        shp.extend_from_slice(&x.to_le_bytes());
        shp.extend_from_slice(&y.to_le_bytes());
    }
    let fields = ["stratum", "map_class", "reference"];
    let mut dbf = vec![0x03, 125, 1, 1];
    dbf.extend_from_slice(&(n as u32).to_le_bytes());
    dbf.extend_from_slice(&((32 + 32 * fields.len() + 1) as u16).to_le_bytes());
    dbf.extend_from_slice(&((1 + 12 * fields.len()) as u16).to_le_bytes());
    dbf.extend_from_slice(&[0u8; 20]);
    for f in fields {
        let mut d = [0u8; 32];
        d[..f.len()].copy_from_slice(f.as_bytes());
        d[11] = b'C';
        d[16] = 12;
        dbf.extend_from_slice(&d);
    }
    dbf.push(0x0D);
    for &(_, _, m, r) in pts {
        dbf.push(b' ');
        for v in [CLASSES[m], CLASSES[m], CLASSES[r]] {
            dbf.extend_from_slice(format!("{v:<12}").as_bytes());
        }
    }
    dbf.push(0x1A);
    std::fs::write(base.with_extension("shp"), shp).unwrap();
    std::fs::write(base.with_extension("shx"), shx).unwrap();
    std::fs::write(base.with_extension("dbf"), dbf).unwrap();
    std::fs::write(base.with_extension("prj"), PRJ_UTM51N).unwrap();
}

#[test]
fn audit_with_accuracy_writes_the_assessment_and_refuses_another_maps_sample() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write_scene(d);
    let pts = points(6);
    assert_eq!(pts.len(), 18);
    write_csv(&d.join("labelled.csv"), &pts);
    write_config(
        d,
        "audit.toml",
        "[accuracy]\nreference = \"labelled.csv\"\n",
    );
    let stdout = expect_ok(&reclaim(
        d,
        &["audit", "--config", "audit.toml", "--out", "a"],
    ));
    assert!(
        stdout.contains("error-adjusted (95 %, 18 labelled points): restored "),
        "{stdout}"
    );
    for f in [
        "accuracy.json",
        "accuracy.csv",
        "classes.tif",
        "report.html",
    ] {
        assert!(d.join("a").join(f).is_file(), "{f}");
    }
    let s = json(&d.join("a/summary.json"));
    let acc = &s["accuracy"];
    assert_eq!(acc["n"], 18);
    // One point in six of each class is labelled another class: no class is mapped
    // perfectly, so every area has an interval.
    for k in ["restored_ha", "unrestored_ha", "water_ha"] {
        assert!(acc[k]["se"].as_f64().unwrap() > 0.0, "{k}");
    }
    // The sample is an input: its checksum is recorded.
    assert!(s["provenance"]["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["role"] == "accuracy reference"
            && i["path"].as_str().unwrap().ends_with("labelled.csv")
            && i["sha256"].as_str().is_some_and(|h| h.len() == 64)));

    // The same sample as a point shapefile, through the standalone command on the
    // folder: the same figures as the audit's own assessment.
    write_shp(&d.join("labelled"), &pts);
    expect_ok(&reclaim(
        d,
        &[
            "accuracy",
            "--audit",
            "a",
            "--reference",
            "labelled.shp",
            "--out",
            "acc",
            "-q",
        ],
    ));
    let standalone = json(&d.join("acc/accuracy.json"));
    let inside = json(&d.join("a/accuracy.json"));
    assert_eq!(standalone["classes"], inside["classes"]);
    assert_eq!(standalone["overall_accuracy"], inside["overall_accuracy"]);
    assert_eq!(
        standalone["error_matrix_counts"],
        serde_json::json!([[5, 1, 0], [0, 5, 1], [1, 0, 5]])
    );

    // A sample of another map: its first unrestored point now lies on restored land.
    let mut moved = pts.clone();
    let k = moved.iter().position(|p| p.2 == 1).unwrap();
    moved[k].0 = 1; // column 1: restored
    write_csv(&d.join("other.csv"), &moved);
    write_config(d, "other.toml", "[accuracy]\nreference = \"other.csv\"\n");
    expect_refused(
        &reclaim(d, &["audit", "--config", "other.toml", "--out", "b"]),
        &[
            "other.csv",
            &format!("row {}", k + 2),
            "does not match this audit",
            "reclaim sample --audit",
        ],
    );
    assert!(!d.join("b").exists());
    let left: Vec<_> = std::fs::read_dir(d)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    // Unknown keys are refused; a shard refuses the section.
    write_config(
        d,
        "typo.toml",
        "[accuracy]\nreference = \"labelled.csv\"\nfcp = true\n",
    );
    expect_refused(
        &reclaim(d, &["audit", "--config", "typo.toml", "--out", "c"]),
        &["typo.toml", "fcp", "did you mean `fpc`"],
    );
    expect_refused(
        &reclaim(
            d,
            &[
                "audit",
                "--config",
                "audit.toml",
                "--out",
                "p",
                "--shard",
                "1/2",
            ],
        ),
        &["[accuracy]", "--shard"],
    );
    assert!(!d.join("c").exists() && !d.join("p").exists());
}
