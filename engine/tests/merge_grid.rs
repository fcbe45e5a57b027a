//! Shards of a real Landsat-like grid (cells 29.906 × 29.883 m, not snapped to whole
//! metres) merge: the cell size's JSON round trip in `partial.json` must not read as
//! another configuration. Parts that really differ name the one key that differs.

use reclaim::audit::merge::merge_parts;
use reclaim::audit::shard::{read_partial, run_shard, write_partial, ShardError, ShardSpec};
use reclaim::audit::{self, AuditConfig, AuditOptions};
use reclaim::raster::Limits;
use std::fs::File;
use std::path::Path;
use tiff::encoder::{colortype, TiffEncoder};
use tiff::tags::Tag;

const X0: f64 = 686_013.457;
const Y0: f64 = 4_796_101.113;
/// 29.906 one unit in the last place up, as a geotransform computed from a scene's
/// extent comes out: serde_json reads its shortest form back as 29.906, one ulp off.
const DX: f64 = 29.906000000000002;
const DY: f64 = 29.883;
const W: u32 = 12;
const H: u32 = 10;

fn band(path: &Path, value: impl Fn(u32, u32) -> u16) {
    let data: Vec<u16> = (0..H)
        .flat_map(|r| (0..W).map(move |c| (c, r)))
        .map(|(c, r)| value(c, r))
        .collect();
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

fn scene(dir: &Path) -> AuditConfig {
    // Columns 0–4 vegetated, 5–8 bare, 9–11 water.
    let class = |c: u32| match c {
        0..=4 => (500u16, 3000u16),
        5..=8 => (2000, 2500),
        _ => (800, 400),
    };
    band(&dir.join("red.tif"), |c, _| class(c).0);
    band(&dir.join("nir.tif"), |c, _| class(c).1);
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
    let cfg = r#"
audit_date = "2024-12-31"
[imagery]
red_path = "red.tif"
nir_path = "nir.tif"
scale = 0.0001
[pits]
path = "pits.geojson"
id_field = "pit_id"
[licenses]
path = "licences.geojson"
"#;
    std::fs::write(dir.join("audit.toml"), cfg).unwrap();
    AuditConfig::load(&dir.join("audit.toml")).unwrap()
}

#[test]
fn shards_of_a_non_integer_grid_merge_to_the_one_shot_audit() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = scene(dir.path());
    let opts = AuditOptions::default();
    let one = audit::run(&cfg, &opts).unwrap();
    assert_eq!(one.provenance.cell_size.0, DX);
    let json: f64 = serde_json::from_str(&serde_json::to_string(&DX).unwrap()).unwrap();
    assert_ne!(json, DX, "the scene no longer tests the round trip");
    assert!(one.summary.restored_ha > 0.0 && one.summary.unrestored_ha > 0.0);
    let parts: Vec<_> = (0..3)
        .map(|i| {
            let part = run_shard(&cfg, &opts, ShardSpec::new(i, 3).unwrap()).unwrap();
            let d = dir.path().join(format!("part-{i}"));
            write_partial(&part, &d).unwrap();
            (d.clone(), read_partial(&d).unwrap())
        })
        .collect();
    let merged = merge_parts(parts.clone(), &Limits::default()).unwrap();
    assert!(merged == one, "the merge differs from the one-shot audit");

    // A real difference names its key and both values, once.
    let mut other = cfg.clone();
    other.imagery.scale = 0.0002;
    let mut p = parts;
    let d = dir.path().join("other-2");
    write_partial(
        &run_shard(&other, &opts, ShardSpec::new(2, 3).unwrap()).unwrap(),
        &d,
    )
    .unwrap();
    p[2] = (d.clone(), read_partial(&d).unwrap());
    let e = merge_parts(p, &Limits::default()).unwrap_err();
    match &e {
        ShardError::ConfigDiffers {
            key,
            expected,
            found,
            ..
        } => {
            assert_eq!(key, "[imagery] scale");
            assert_eq!((found.as_str(), expected.as_str()), ("0.0002", "0.0001"));
        }
        other => panic!("{other:?}"),
    }
    let text = e.to_string();
    assert!(
        text.contains("[imagery] scale") && !text.contains("red_path"),
        "{text}"
    );
}
