//! Discovery inside the annual audit (`[discovery] in_audit = true`) on a small
//! generated scene with planted patches whose hectares are worked out by hand:
//! the candidates' files land in the audit folder, `summary.json`'s `discovery`
//! object holds per-label hectares equal to both the planted geometry and the
//! sum of `candidates.csv`, `report.html` lists them, and without the switch the
//! audit ignores `[discovery]`.
//!
//! Grid: 200 × 160 cells of 10 m (EPSG:32651), WorldCover-coded `u8`. Patches are
//! rectangles in cell coordinates `(col0, row0, col1, row1)`, exclusive ends; a
//! cell is 100 m² = 0.01 ha.

use reclaim::audit::{self, AuditConfig, AuditOptions};
use reclaim::grid::GeoTransform;
use reclaim::raster::write::{geo_key_directory, write_tiled_u8, U8Tiff};
use serde_json::Value;
use std::path::Path;

const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_100.0;
const W: usize = 200;
const H: usize = 160;
const TREE: u8 = 10;
const BARE: u8 = 60;
const NODATA: u8 = 0;

type Rect = (usize, usize, usize, usize);

/// Liable licence L1.
const L1: Rect = (10, 10, 60, 60);
/// Liable licence L2, far east.
const L2: Rect = (170, 10, 190, 30);
/// Inside L1: 20 × 10 = 200 cells = 2 ha, `within_licence`.
const WITHIN: Rect = (20, 20, 40, 30);
/// Across L1's east edge (col 60): 30 × 10 = 300 cells = 3 ha, 1 ha inside.
const ACROSS: Rect = (50, 40, 80, 50);
/// Outside both: 20 × 20 = 400 cells = 4 ha, bare last year too (`persistent`).
const OUT_C: Rect = (100, 20, 120, 40);
/// Outside both: 10 × 10 = 100 cells = 1 ha; nearest licence L2.
const OUT_D: Rect = (150, 100, 160, 110);
/// 5 × 5 = 25 cells = 0.25 ha: below the 0.5 ha minimum.
const SMALL: Rect = (100, 120, 105, 125);
/// A mapped pit, all bare: 40 × 30 = 1200 cells = 12 ha (the audit measures it).
const PIT: Rect = (20, 100, 60, 130);

fn fill(cells: &mut [u8], r: Rect, v: u8) {
    for row in r.1..r.3 {
        cells[row * W + r.0..row * W + r.2].fill(v);
    }
}

fn paint(year_before: bool) -> Vec<u8> {
    let mut c = vec![TREE; W * H];
    if year_before {
        fill(&mut c, OUT_C, BARE);
        fill(&mut c, PIT, BARE);
        return c;
    }
    for r in [WITHIN, ACROSS, OUT_C, OUT_D, SMALL, PIT] {
        fill(&mut c, r, BARE);
    }
    c
}

fn write_raster(path: &Path, cells: &[u8]) {
    let file = U8Tiff {
        path: path.to_path_buf(),
        transform: GeoTransform {
            x0: X0,
            y0: Y0,
            dx: 10.0,
            dy: -10.0,
            rx: 0.0,
            ry: 0.0,
        },
        geo_keys: geo_key_directory(Some(32651), false),
        nodata: NODATA,
        palette: None,
        metadata: None,
    };
    write_tiled_u8(&[file], W, H, |row0, rows, bufs: &mut [Vec<u8>]| {
        bufs[0].copy_from_slice(&cells[row0 * W..(row0 + rows) * W]);
        Ok::<(), String>(())
    })
    .unwrap();
}

fn ring(r: Rect) -> String {
    let p = |c: usize, row: usize| format!("[{},{}]", X0 + 10.0 * c as f64, Y0 - 10.0 * row as f64);
    format!(
        "[[{},{},{},{},{}]]",
        p(r.0, r.3),
        p(r.2, r.3),
        p(r.2, r.1),
        p(r.0, r.1),
        p(r.0, r.3)
    )
}

fn layer(features: &[(String, Rect)]) -> String {
    let f: Vec<String> = features
        .iter()
        .map(|(props, r)| {
            format!(
                r#"{{"type":"Feature","properties":{props},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
                ring(*r)
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:32651"}}}},"features":[{}]}}"#,
        f.join(",")
    )
}

/// Writes the scene into `dir`; the audit configuration with `discovery` as its
/// `[discovery]` section (none when `None`).
fn scene(dir: &Path, discovery: Option<&str>) -> AuditConfig {
    write_raster(&dir.join("landcover.tif"), &paint(false));
    write_raster(&dir.join("landcover_before.tif"), &paint(true));
    std::fs::write(
        dir.join("pits.geojson"),
        layer(&[(r#"{"pit_id":"P1"}"#.into(), PIT)]),
    )
    .unwrap();
    let lic = |id: &str| {
        format!(
            r#"{{"license_id":"{id}","holder":"Holder {id}","status":"valid","valid_to":"2030-12-31"}}"#
        )
    };
    std::fs::write(
        dir.join("licences.geojson"),
        layer(&[(lic("L1"), L1), (lic("L2"), L2)]),
    )
    .unwrap();
    let base = "[imagery]\npath = \"landcover.tif\"\nclassifier = \"classes\"\nclasses_preset = \"worldcover\"\n[pits]\npath = \"pits.geojson\"\nid_field = \"pit_id\"\n[licences]\npath = \"licences.geojson\"\n";
    std::fs::write(
        dir.join("before.toml"),
        format!(
            "audit_date = \"2023-12-31\"\n{}",
            base.replace("landcover.tif", "landcover_before.tif")
        ),
    )
    .unwrap();
    let section = discovery
        .map(|d| format!("[discovery]\n{d}\n"))
        .unwrap_or_default();
    std::fs::write(
        dir.join("audit.toml"),
        format!("audit_date = \"2024-12-31\"\n{base}{section}"),
    )
    .unwrap();
    AuditConfig::load(&dir.join("audit.toml")).unwrap()
}

fn ha(r: Rect) -> f64 {
    ((r.2 - r.0) * (r.3 - r.1)) as f64 * 100.0 / 10_000.0
}

fn audit_into(cfg: &AuditConfig, out: &Path) {
    let report = audit::run(cfg, &AuditOptions::default()).unwrap();
    audit::write(&report, out).unwrap();
}

fn json(path: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

const SECTION: &str = "in_audit = true\nmin_area_ha = 0.5\nprevious_config = \"before.toml\"";

#[test]
fn the_audit_lists_the_candidates_and_their_hectares_by_label() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = scene(dir.path(), Some(SECTION));
    let out = dir.path().join("audit-2024");
    audit_into(&cfg, &out);

    for f in [
        "candidates.geojson",
        "candidates_projected.geojson",
        "candidates.csv",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let s = json(&out.join("summary.json"));
    let d = &s["discovery"];
    // The planted geometry, by hand.
    let by = &d["by_label"];
    let expect = [
        ("within_licence", 1, ha(WITHIN)),
        ("beyond_licence", 1, ha(ACROSS)),
        ("unlicensed", 2, ha(OUT_C) + ha(OUT_D)),
    ];
    for (label, count, area) in expect {
        assert_eq!(by[label]["count"], count, "{label}");
        let got = by[label]["area_ha"].as_f64().unwrap();
        assert!((got - area).abs() <= 1e-9, "{label}: {got} vs {area}");
    }
    assert_eq!(
        (ha(WITHIN), ha(ACROSS), ha(OUT_C) + ha(OUT_D)),
        (2.0, 3.0, 5.0)
    );
    assert_eq!(d["count"], 4);
    assert!((d["area_ha"].as_f64().unwrap() - 10.0).abs() <= 1e-9);
    // ACROSS: 10 of its 30 columns inside L1 → 2 ha outside.
    assert!((d["beyond_licence_outside_ha"].as_f64().unwrap() - 2.0).abs() <= 1e-9);
    assert_eq!(d["change"]["persistent"], 1);
    assert_eq!(d["change"]["new"], 3);
    assert_eq!(d["below_min_area"]["count"], 1);
    assert!((d["below_min_area"]["ha"].as_f64().unwrap() - ha(SMALL)).abs() <= 1e-9);
    // The pit's bare land is the audit's, not a candidate.
    assert!((d["bare_in_footprints_ha"].as_f64().unwrap() - ha(PIT)).abs() <= 1e-9);
    assert!((s["unrestored_ha"].as_f64().unwrap() - ha(PIT)).abs() <= 1e-9);
    assert!(
        (d["bare_ha"].as_f64().unwrap()
            - (ha(PIT) + ha(WITHIN) + ha(ACROSS) + ha(OUT_C) + ha(OUT_D) + ha(SMALL)))
        .abs()
            <= 1e-9
    );

    // summary.json's hectares are the sums of candidates.csv, exactly.
    let csv = std::fs::read_to_string(out.join("candidates.csv")).unwrap();
    let mut lines = csv.lines();
    let head: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| head.iter().position(|h| *h == name).unwrap();
    let (c_id, c_label, c_area, c_near, c_change) = (
        col("id"),
        col("label"),
        col("area_ha"),
        col("nearest_licence_id"),
        col("change"),
    );
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(String::from).collect())
        .collect();
    assert_eq!(rows.len(), 4);
    for (label, _, _) in expect {
        let sum: f64 = rows
            .iter()
            .filter(|r| r[c_label] == label)
            .map(|r| r[c_area].parse::<f64>().unwrap())
            .sum();
        assert_eq!(sum, by[label]["area_ha"].as_f64().unwrap(), "{label}");
    }
    // Largest first; OUT_C persistent, nearest L1 (40 cells west); OUT_D nearest L2.
    let row = |id: &str| rows.iter().find(|r| r[c_id] == id).unwrap();
    assert_eq!(row("D0001")[c_area].parse::<f64>().unwrap(), ha(OUT_C));
    assert_eq!(row("D0001")[c_change], "persistent");
    assert_eq!(row("D0001")[c_near], "L1");
    assert_eq!(row("D0004")[c_area].parse::<f64>().unwrap(), ha(OUT_D));
    assert_eq!(row("D0004")[c_near], "L2");
    assert_eq!(row("D0004")[c_change], "new");

    // The report lists them.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("Bare land outside the footprints"));
    for id in ["D0001", "D0002", "D0003", "D0004"] {
        assert!(html.contains(&format!("<td>{id}</td>")), "{id}");
    }
    assert!(html.contains("persistent"));
    // …and draws their outlines on the interactive map: each one's rings enclose
    // its hectares (shoelace over the map's metres; outer rings minus holes).
    let start = html.find("id=\"reclaim-map-data\">").unwrap();
    let body = &html[start + "id=\"reclaim-map-data\">".len()..];
    let map: Value = serde_json::from_str(&body[..body.find("</script>").unwrap()]).unwrap();
    let cands = map["candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 4);
    let mut areas: Vec<f64> = cands
        .iter()
        .map(|c| {
            let mut a = 0.0;
            for poly in c["rings"].as_array().unwrap() {
                for (k, ring) in poly.as_array().unwrap().iter().enumerate() {
                    let v: Vec<f64> = ring
                        .as_array()
                        .unwrap()
                        .iter()
                        .map(|x| x.as_f64().unwrap())
                        .collect();
                    let n = v.len() / 2;
                    let twice: f64 = (0..n)
                        .map(|i| {
                            let j = (i + 1) % n;
                            v[2 * i] * v[2 * j + 1] - v[2 * j] * v[2 * i + 1]
                        })
                        .sum();
                    a += if k == 0 { twice.abs() } else { -twice.abs() } / 2.0;
                }
            }
            a / 10_000.0
        })
        .collect();
    areas.sort_by(f64::total_cmp);
    let mut want = vec![ha(WITHIN), ha(ACROSS), ha(OUT_C), ha(OUT_D)];
    want.sort_by(f64::total_cmp);
    for (a, w) in areas.iter().zip(&want) {
        assert!((a - w).abs() < 1e-6, "{areas:?} vs {want:?}");
    }

    // The GeoJSON has the same four, in the same order.
    let g = json(&out.join("candidates_projected.geojson"));
    let ids: Vec<&str> = g["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["D0001", "D0002", "D0003", "D0004"]);

    // The GIS layers have them too: `candidates` in results.gpkg and shapefiles/,
    // hectares by label as summary.json's.
    let db = rusqlite::Connection::open(out.join("results.gpkg")).unwrap();
    let mut st = db
        .prepare("SELECT id, label, area_ha FROM candidates ORDER BY fid")
        .unwrap();
    let got: Vec<(String, String, f64)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let ids: Vec<&str> = got.iter().map(|g| g.0.as_str()).collect();
    assert_eq!(ids, ["D0001", "D0002", "D0003", "D0004"]);
    for (label, _, _) in expect {
        let sum: f64 = got.iter().filter(|g| g.1 == label).map(|g| g.2).sum();
        assert_eq!(sum, by[label]["area_ha"].as_f64().unwrap(), "{label}");
    }
    let kind: String = db
        .query_row(
            "SELECT data_type FROM gpkg_contents WHERE table_name = 'candidates'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kind, "features");
    let shp = shapefile::read(out.join("shapefiles").join("candidates.shp")).unwrap();
    assert_eq!(shp.len(), 4);
}

#[test]
fn without_the_switch_the_audit_ignores_discovery() {
    let dir = tempfile::tempdir().unwrap();
    // [discovery] for `reclaim discover` only.
    let cfg = scene(dir.path(), Some("min_area_ha = 0.5"));
    let off = dir.path().join("off");
    audit_into(&cfg, &off);
    for f in [
        "candidates.geojson",
        "candidates_projected.geojson",
        "candidates.csv",
    ] {
        assert!(!off.join(f).exists(), "{f} written without in_audit");
    }
    let s = json(&off.join("summary.json"));
    assert!(s.get("discovery").is_none());
    let html = std::fs::read_to_string(off.join("report.html")).unwrap();
    assert!(!html.contains("Bare land outside the footprints"));

    // With it, the audit's own files are the same bytes (discovery only adds).
    let cfg_on = scene(dir.path(), Some(SECTION));
    let on = dir.path().join("on");
    audit_into(&cfg_on, &on);
    for f in [
        "attribution.csv",
        "pits.csv",
        "mines.csv",
        "orphans.geojson",
    ] {
        assert_eq!(
            std::fs::read(off.join(f)).unwrap(),
            std::fs::read(on.join(f)).unwrap(),
            "{f}"
        );
    }
}

#[test]
fn a_bad_discovery_input_stops_the_audit_naming_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = scene(
        dir.path(),
        Some("in_audit = true\nexclude_layers = [\"no_such_roads.geojson\"]"),
    );
    let e = audit::run(&cfg, &AuditOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("no_such_roads.geojson"), "{e}");
}
