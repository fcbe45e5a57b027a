//! The audit end to end on a hand-made 10 × 10 scene. Every expected hectare is
//! worked out by hand from the cell classes and the polygons (see the comments).
//!
//! Grid: 10 m cells, UTM 51N, top-left corner (686000, 4796100). Classes by column:
//! 0–3 vegetated (restored), 4–7 bare (unrestored), 8–9 water; row 9 is nodata.

use reclaim::audit::{self, AuditConfig, AuditOptions, AuditReport, Responsibility};
use std::path::{Path, PathBuf};
use tiff::encoder::colortype;

mod common;

const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_100.0;

fn write_band(dir: &Path, name: &str, value: impl Fn(usize, usize) -> u16) -> PathBuf {
    let path = dir.join(name);
    let data: Vec<u16> = (0..10)
        .flat_map(|r| (0..10).map(move |c| (r, c)))
        .map(|(r, c)| value(c, r))
        .collect();
    common::write_geotiff::<colortype::Gray16>(
        &path,
        (10, 10),
        &data,
        (X0, Y0),
        10.0,
        3,
        Some("0"),
    );
    path
}

/// Red and NIR: restored NDVI 0.714, bare 0.111, water −0.333; row 9 nodata.
fn write_imagery(dir: &Path, year_shift: bool) {
    let class = move |c: usize, r: usize| -> (u16, u16) {
        if r == 9 {
            return (0, 0);
        }
        // In the "later" year, column 4 of row 0 is re-vegetated and column 3 of row 0 is bare.
        let c = if year_shift && r == 0 && (c == 3 || c == 4) {
            7 - c
        } else {
            c
        };
        match c {
            0..=3 => (500, 3000),
            4..=7 => (2000, 2500),
            _ => (800, 400),
        }
    };
    write_band(dir, "red.tif", |c, r| class(c, r).0);
    write_band(dir, "nir.tif", |c, r| class(c, r).1);
}

/// A polygon ring in metres from the grid's top-left corner (y down).
fn ring(x0: f64, y0: f64, x1: f64, y1: f64) -> String {
    let p = |x: f64, y: f64| format!("[{},{}]", X0 + x, Y0 - y);
    format!(
        "[[{},{},{},{},{}]]",
        p(x0, y0),
        p(x1, y0),
        p(x1, y1),
        p(x0, y1),
        p(x0, y0)
    )
}

fn collection(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:32651"}}}},"features":[{}]}}"#,
        features.join(",")
    )
}

fn feature(props: &str, ring: String) -> String {
    format!(
        r#"{{"type":"Feature","properties":{{{props}}},"geometry":{{"type":"Polygon","coordinates":{ring}}}}}"#
    )
}

fn write_vectors(dir: &Path) {
    let pits = [
        // P1: cols 0–5, rows 0–1: 8 restored cells, 4 bare
        feature(
            r#""pit_id":"P1","kind":"open pit""#,
            ring(0.0, 0.0, 60.0, 20.0),
        ),
        // P2: cols 8–9 rows 2–3 (water) and 20 m beyond the east edge
        feature(
            r#""pit_id":"P2","kind":"tailings""#,
            ring(80.0, 20.0, 120.0, 40.0),
        ),
        // P3: cols 5–6, rows 1–2, all bare; overlaps P1 on col 5 row 1 (100 m²)
        feature(
            r#""pit_id":"P3","kind":"waste dump""#,
            ring(50.0, 10.0, 70.0, 30.0),
        ),
        // P4: cols 0–3, rows 8–9: 4 restored cells, 4 nodata cells
        feature(
            r#""pit_id":"P4","kind":"open pit""#,
            ring(0.0, 80.0, 40.0, 100.0),
        ),
        // P5: cols 4–5, row 6: 2 bare cells, no licence
        feature(
            r#""pit_id":"P5","kind":"plant site""#,
            ring(40.0, 60.0, 60.0, 70.0),
        ),
    ];
    std::fs::write(dir.join("pits.geojson"), collection(&pits)).unwrap();
    let licences = [
        feature(
            r#""license_id":"L1","holder":"甲矿业有限公司","status":"valid","valid_to":"2030-12-31","mineral":"andesite""#,
            ring(30.0, 0.0, 80.0, 50.0),
        ),
        feature(
            r#""license_id":"L2","holder":"丙公司","status":"revoked","valid_to":"2019-01-01","mineral":"granite""#,
            ring(75.0, 15.0, 130.0, 45.0),
        ),
        feature(
            r#""license_id":"L3","holder":"乙公司, Ltd","status":"expired","valid_to":"2020-06-30","mineral":"marble""#,
            ring(0.0, 0.0, 40.0, 20.0),
        ),
    ];
    std::fs::write(dir.join("licences.geojson"), collection(&licences)).unwrap();
}

const CONFIG: &str = r#"
audit_date = "2024-12-31"
[imagery]
red_path = "red.tif"
nir_path = "nir.tif"
classifier = "ndvi"
restored_min_ndvi = 0.3
water_max_ndvi = 0.0
[pits]
path = "pits.geojson"
id_field = "pit_id"
kind_field = "kind"
[licenses]
path = "licences.geojson"
mineral_field = "mineral"
[baseline]
restored_ha = 0.1
unrestored_ha = 0.1
unrestored_responsible_ha = 0.05
unrestored_legacy_ha = 0.05
"#;

fn scene(dir: &Path, later: bool) -> AuditConfig {
    write_imagery(dir, later);
    write_vectors(dir);
    std::fs::write(dir.join("audit.toml"), CONFIG).unwrap();
    AuditConfig::load(&dir.join("audit.toml")).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

fn run(dir: &Path) -> AuditReport {
    audit::run(&scene(dir, false), &AuditOptions::default()).unwrap()
}

#[test]
fn county_figures_match_the_hand_count() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path());
    let s = &r.summary;
    // restored: P1 8 cells (800 m²) + P4 4 cells (400 m²) = 0.12 ha
    assert!(close(s.restored_ha, 0.12), "{s:?}");
    // unrestored: P1 400 + P3 300 (its 100 m² shared with P1 is P1's) + P5 200 = 0.09 ha
    assert!(close(s.unrestored_ha, 0.09), "{s:?}");
    // responsible: P1∩L1 400 + P3 (inside L1) 300; legacy: P5 200
    assert!(close(s.unrestored_responsible_ha, 0.07), "{s:?}");
    assert!(close(s.unrestored_legacy_ha, 0.02), "{s:?}");
    // water: P2's 4 cells; unobserved: P2 beyond the raster 400 + P4 nodata 400
    assert!(close(s.water_ha, 0.04), "{s:?}");
    assert!(close(s.unobserved_ha, 0.08), "{s:?}");
    assert!(close(s.footprint_ha, 0.33), "{s:?}");
    assert_eq!(
        (s.pit_count, s.overlap_count, s.orphan_piece_count),
        (5, 1, 1)
    );
    let b = r.baseline.unwrap();
    assert!(close(b.restored_delta_ha, 0.02) && close(b.unrestored_legacy_delta_ha, -0.03));
}

#[test]
fn pieces_follow_the_liability_rule_and_priority() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path());
    let find = |pit: &str, lic: Option<&str>| {
        r.pieces
            .iter()
            .find(|p| {
                p.pit_id == pit
                    && match (&p.responsibility, lic) {
                        (Responsibility::Responsible { license_id, .. }, Some(l)) => {
                            license_id == l
                        }
                        (Responsibility::Legacy, None) => true,
                        _ => false,
                    }
            })
            .unwrap_or_else(|| panic!("no piece {pit} {lic:?} in {:?}", r.pieces))
    };
    // P1 ∩ L1 (valid) = x 30–60: col 3 restored (200 m²), cols 4–5 bare (400 m²).
    // L3 (expired) overlaps L1 on x 30–40: the valid licence wins there.
    let p = find("P1", Some("L1"));
    assert!(
        close(p.areas.restored_ha, 0.02) && close(p.areas.unrestored_ha, 0.04),
        "{p:?}"
    );
    // P1 ∩ L3 = x 0–30: 3 restored cells
    let p = find("P1", Some("L3"));
    assert!(
        close(p.areas.restored_ha, 0.06) && close(p.areas.unrestored_ha, 0.0),
        "{p:?}"
    );
    assert!(r
        .pieces
        .iter()
        .all(|p| !(p.pit_id == "P1" && p.responsibility == Responsibility::Legacy)));
    // P2 lies in L2, which is revoked: legacy
    let p = find("P2", None);
    assert!(
        close(p.areas.water_ha, 0.04) && close(p.areas.unobserved_ha, 0.04),
        "{p:?}"
    );
    // P3's counted land (300 m²) is all in L1
    let p = find("P3", Some("L1"));
    assert!(close(p.areas.unrestored_ha, 0.03), "{p:?}");
    // mines: L1 has pits P1 and P3; L2 is not liable and has no land
    let l1 = r.mines.iter().find(|m| m.license_id == "L1").unwrap();
    assert_eq!(l1.pit_count, 2);
    assert!(close(l1.areas.unrestored_ha, 0.07) && close(l1.areas.restored_ha, 0.02));
    let l2 = r.mines.iter().find(|m| m.license_id == "L2").unwrap();
    assert!(!l2.liable && l2.pit_count == 0, "{l2:?}");
    // the overlap of P1 and P3 is reported: one cell
    assert_eq!(r.overlaps.len(), 1);
    assert!(close(r.overlaps[0].overlap_ha, 0.01));
}

#[test]
fn output_folder_has_every_file_and_attribution_reconciles() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path());
    let out = dir.path().join("out");
    audit::write(&r, &out).unwrap();
    for f in [
        "attribution.csv",
        "pits.csv",
        "mines.csv",
        "orphans.geojson",
        "summary.json",
        "report.html",
    ] {
        assert!(out.join(f).is_file(), "{f} missing");
    }
    let csv = std::fs::read_to_string(out.join("attribution.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("pit_id,license_id,holder,responsibility,restored_ha,unrestored_ha,water_ha,unobserved_ha,total_ha")
    );
    // a holder with a comma is quoted
    assert!(csv.contains("\"乙公司, Ltd\""), "{csv}");
    let orphans: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("orphans.geojson")).unwrap())
            .unwrap();
    let feats = orphans["features"].as_array().unwrap();
    assert_eq!(feats.len(), 1);
    assert_eq!(feats[0]["properties"]["pit_id"], "P5");
    // lon/lat near Yitong
    let g = &feats[0]["geometry"];
    let first = match g["type"].as_str() {
        Some("Polygon") => &g["coordinates"][0][0],
        _ => &g["coordinates"][0][0][0],
    };
    let lon = first[0].as_f64().unwrap();
    assert!((125.0..126.0).contains(&lon), "{lon}");
}

#[test]
fn previous_audit_gives_newly_restored_and_redisturbed_land() {
    let before = tempfile::tempdir().unwrap();
    let r0 = run(before.path());
    let out0 = before.path().join("audit-before");
    audit::write(&r0, &out0).unwrap();
    // the later year swaps columns 3 and 4 of row 0: inside P1, one cell
    // (col 4, bare → vegetated) is newly restored and one (col 3) re-disturbed
    let later = tempfile::tempdir().unwrap();
    let cfg = scene(later.path(), true);
    let r1 = audit::run(
        &cfg,
        &AuditOptions {
            previous: Some(out0),
            ..AuditOptions::default()
        },
    )
    .unwrap();
    let p = r1.previous.as_ref().unwrap();
    assert!(close(p.change.newly_restored_ha, 0.01), "{:?}", p.change);
    assert!(close(p.change.redisturbed_ha, 0.01), "{:?}", p.change);
    let p1 = r1.pits.iter().find(|p| p.pit_id == "P1").unwrap();
    let c = p1.change.unwrap();
    assert!(close(c.newly_restored_ha, 0.01) && close(c.redisturbed_ha, 0.01));
    assert!(close(c.restored_before_ha, 0.08));
    // both years have the same totals: one cell each way
    assert!(close(r1.summary.restored_ha, r0.summary.restored_ha));
}

#[test]
fn failed_run_leaves_the_old_output_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path());
    let out = dir.path().join("out");
    audit::write(&r, &out).unwrap();
    let before = std::fs::read(out.join("summary.json")).unwrap();
    // a config with a typo fails before anything is written
    std::fs::write(
        dir.path().join("bad.toml"),
        CONFIG.replace("kind_field", "kind_feild"),
    )
    .unwrap();
    let e = AuditConfig::load(&dir.path().join("bad.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("kind_feild") && e.contains("bad.toml"), "{e}");
    // an imagery mismatch fails in the run: the output folder stays as it was
    let mut cfg = scene(dir.path(), false);
    cfg.imagery.nir_path = Some(PathBuf::from("/no/such/nir.tif"));
    let e = audit::run(&cfg, &AuditOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("/no/such/nir.tif"), "{e}");
    assert_eq!(std::fs::read(out.join("summary.json")).unwrap(), before);
}

/// A WorldCover-coded land-cover map: 10 tree, 60 bare, 80 water, 0 nodata,
/// and 61, a value the mapping lacks, in the cells of column 7.
fn write_worldcover(dir: &Path) -> PathBuf {
    let path = dir.join("worldcover.tif");
    let value = |c: usize, r: usize| -> u8 {
        if r == 9 {
            0
        } else if c == 7 {
            61
        } else {
            match c {
                0..=3 => 10,
                4..=6 => 60,
                _ => 80,
            }
        }
    };
    let data: Vec<u8> = (0..10)
        .flat_map(|r| (0..10).map(move |c| value(c, r)))
        .collect();
    common::write_geotiff::<colortype::Gray8>(&path, (10, 10), &data, (X0, Y0), 10.0, 10, None);
    path
}

#[test]
fn land_cover_map_with_worldcover_preset_reports_unmapped_values() {
    let dir = tempfile::tempdir().unwrap();
    write_vectors(dir.path());
    write_worldcover(dir.path());
    let cfg = CONFIG.replace(
        "red_path = \"red.tif\"\nnir_path = \"nir.tif\"\nclassifier = \"ndvi\"",
        "path = \"worldcover.tif\"\nclassifier = \"classes\"\nclasses_preset = \"worldcover\"",
    );
    std::fs::write(dir.path().join("lc.toml"), cfg).unwrap();
    let cfg = AuditConfig::load(&dir.path().join("lc.toml")).unwrap();
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    let s = &r.summary;
    // The pits cover columns 0–6 and 8–9 only, where the classes are those of the
    // NDVI scene; the unmapped value 61 (column 7) lies under no pit.
    assert!(
        close(s.restored_ha, 0.12) && close(s.unrestored_ha, 0.09) && close(s.water_ha, 0.04),
        "{s:?}"
    );
    assert!(close(s.unobserved_ha, 0.08), "{s:?}");
    assert_eq!(s.unmapped_ha, 0.0);
}

#[test]
fn unmapped_land_cover_under_a_pit_is_unobserved_and_reported() {
    let dir = tempfile::tempdir().unwrap();
    write_vectors(dir.path());
    write_worldcover(dir.path());
    // map only 10 and 80: bare (60) and 61 become unmapped
    let cfg = CONFIG.replace(
        "red_path = \"red.tif\"\nnir_path = \"nir.tif\"\nclassifier = \"ndvi\"",
        "path = \"worldcover.tif\"\nclassifier = \"classes\"\nclasses_map = { restored = [10], water = [80], unobserved = [0] }",
    );
    std::fs::write(dir.path().join("lc.toml"), cfg).unwrap();
    let cfg = AuditConfig::load(&dir.path().join("lc.toml")).unwrap();
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    let s = &r.summary;
    // the 0.09 ha of bare pit land (value 60) is unmapped: unobserved, never guessed
    assert!(close(s.unrestored_ha, 0.0), "{s:?}");
    assert!(close(s.unmapped_ha, 0.09), "{s:?}");
    assert!(close(s.unobserved_ha, 0.08 + 0.09), "{s:?}");
    assert!(s.unmapped_values.contains(&"60".to_string()), "{s:?}");
}

#[test]
fn config_limits_stop_an_oversized_layer() {
    let dir = tempfile::tempdir().unwrap();
    scene(dir.path(), false);
    // five pits, but the configuration allows two features per layer
    let text = format!("{CONFIG}\n[limits]\nmax_features = 2\n");
    std::fs::write(dir.path().join("small.toml"), text).unwrap();
    let cfg = AuditConfig::load(&dir.path().join("small.toml")).unwrap();
    let e = audit::run(&cfg, &AuditOptions::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("pits.geojson") && e.contains("2"), "{e}");
    // a zero cap is refused as a setting, not blamed on a good file
    let text = format!("{CONFIG}\n[limits]\nmax_block_mib = 0\n");
    std::fs::write(dir.path().join("tiny.toml"), text).unwrap();
    let cfg = AuditConfig::load(&dir.path().join("tiny.toml")).unwrap();
    let e = audit::run(&cfg, &AuditOptions::default())
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("[limits] max_block_mib = 0") && !e.contains("red.tif"),
        "{e}"
    );
}

/// The warnings of `r`, by kind code.
fn warnings_of<'a>(r: &'a AuditReport, code: &str) -> Vec<&'a reclaim::Warning> {
    r.warnings.iter().filter(|w| w.code() == code).collect()
}

#[test]
fn unobserved_land_is_split_by_cause_and_warned_of() {
    use reclaim::warning::{Level, Warning};
    let dir = tempfile::tempdir().unwrap();
    let r = run(dir.path());
    let pit = |id: &str| r.pits.iter().find(|p| p.pit_id == id).unwrap();
    // P2: 400 m² beyond the raster's east edge; P4: 4 nodata cells (row 9).
    let u2 = pit("P2").areas.unobserved_causes;
    assert!(
        close(u2.outside_ha, 0.04) && close(u2.nodata_ha, 0.0),
        "{u2:?}"
    );
    let u4 = pit("P4").areas.unobserved_causes;
    assert!(
        close(u4.nodata_ha, 0.04) && close(u4.outside_ha, 0.0),
        "{u4:?}"
    );
    let c = r.summary.unobserved_causes;
    assert!(close(c.total_ha(), r.summary.unobserved_ha), "{c:?}");
    assert!(close(c.outside_ha, 0.04) && close(c.nodata_ha, 0.04) && c.mask_ha == 0.0);
    // Both are half unobserved (> 10 %): one warning each; so is the county
    // (0.08 of 0.33 ha); P1, P3 and P5 are fully observed.
    let mostly = warnings_of(&r, "mostly_unobserved");
    let ids: Vec<(Level, &str)> = mostly
        .iter()
        .map(|w| match w {
            Warning::MostlyUnobserved { level, id, .. } => (*level, id.as_str()),
            _ => unreachable!(),
        })
        .collect();
    assert!(
        ids.contains(&(Level::Pit, "P2")) && ids.contains(&(Level::Pit, "P4")),
        "{ids:?}"
    );
    assert!(ids.contains(&(Level::County, "")), "{ids:?}");
    assert!(
        !ids.iter().any(|(_, id)| ["P1", "P3", "P5"].contains(id)),
        "{ids:?}"
    );
    let text = mostly
        .iter()
        .find(|w| w.to_string().starts_with("pit P4"))
        .unwrap()
        .to_string();
    assert!(
        text.contains("0.04 of 0.08 ha (50 %)") && text.contains("nodata 0.04 ha"),
        "{text}"
    );
    // No unrestored land: nobody owes restoration (P4 restored + nodata, P2 water).
    assert_eq!(pit("P4").main_responsibility, "none");
    assert_eq!(pit("P2").main_responsibility, "none");
    assert_eq!(pit("P5").main_responsibility, "legacy");
    // L2 is revoked, a status known not to be liable: no status warning.
    assert!(warnings_of(&r, "unknown_licence_status").is_empty());
}

#[test]
fn a_wrong_offset_shows_as_invalid_reflectance_not_as_figures() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = scene(dir.path(), false);
    // Reflectance = DN × 1e-4 − 0.5 is negative for every DN of the scene.
    cfg.imagery.scale = 1e-4;
    cfg.imagery.offset = -0.5;
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    let s = &r.summary;
    assert_eq!(
        (s.restored_ha, s.unrestored_ha, s.water_ha),
        (0.0, 0.0, 0.0)
    );
    // 0.33 ha: 0.04 beyond the raster, 0.04 nodata, the remaining 0.25 invalid.
    let c = s.unobserved_causes;
    assert!(
        close(c.invalid_ha, 0.25) && close(c.nodata_ha, 0.04) && close(c.outside_ha, 0.04),
        "{c:?}"
    );
    let county = r
        .warnings
        .iter()
        .find(|w| w.to_string().starts_with("county"))
        .unwrap()
        .to_string();
    assert!(county.contains("scale and offset"), "{county}");
}

#[test]
fn without_licences_every_piece_is_unattributed_not_legacy() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = scene(dir.path(), false);
    cfg.licenses = None;
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    let s = &r.summary;
    assert!(r
        .pieces
        .iter()
        .all(|p| p.responsibility == Responsibility::Unattributed));
    // The same land as with licences: 0.09 ha unrestored, none of it legacy.
    assert!(close(s.unrestored_ha, 0.09) && close(s.unrestored_unattributed_ha, 0.09));
    assert_eq!(
        (s.unrestored_legacy_ha, s.unrestored_responsible_ha),
        (0.0, 0.0)
    );
    assert_eq!((s.orphan_piece_count, s.license_count), (0, 0));
    assert_eq!(warnings_of(&r, "no_licences").len(), 1);
    let p5 = r.pits.iter().find(|p| p.pit_id == "P5").unwrap();
    assert_eq!(p5.main_responsibility, "unattributed");
    // Written and read back: no orphans, the report says why.
    let out = dir.path().join("out");
    audit::write(&r, &out).unwrap();
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("no licence layer"), "report does not say so");
    let orphans = std::fs::read_to_string(out.join("orphans.geojson")).unwrap();
    assert!(!orphans.contains("P5"), "{orphans}");

    // An empty licence layer (a valid file with no feature) is the same case.
    std::fs::write(dir.path().join("none.geojson"), collection(&[])).unwrap();
    let mut cfg = scene(dir.path(), false);
    if let Some(l) = &mut cfg.licenses {
        l.path = dir.path().join("none.geojson");
    }
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    assert!(close(r.summary.unrestored_unattributed_ha, 0.09));
    assert!(r
        .warnings
        .iter()
        .any(|w| w.to_string().contains("none.geojson")));
}

#[test]
fn a_status_in_neither_list_is_not_liable_and_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    scene(dir.path(), false);
    let path = dir.path().join("licences.geojson");
    let text = std::fs::read_to_string(&path).unwrap();
    // "active" is no status reclaim knows; "已关闭" reads as closed (not liable).
    let text = text
        .replace("\"status\":\"valid\"", "\"status\":\"active\"")
        .replace("\"status\":\"revoked\"", "\"status\":\"已关闭\"")
        .replace("\"holder\":\"乙公司, Ltd\"", "\"holder\":\" \"");
    std::fs::write(&path, text).unwrap();
    let cfg = AuditConfig::load(&dir.path().join("audit.toml")).unwrap();
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    let w = warnings_of(&r, "unknown_licence_status");
    assert_eq!(w.len(), 1, "{w:?}");
    let text = w[0].to_string();
    assert!(
        text.contains("\"active\"") && text.contains("L1") && text.contains("liable_statuses"),
        "{text}"
    );
    // L3 is expired (liable) but its holder is blank: not liable, warned of.
    let w = warnings_of(&r, "liable_without_holder");
    assert_eq!(w.len(), 1, "{:?}", r.warnings);
    assert!(w[0].to_string().contains("L3") && w[0].to_string().contains("\"holder\""));
    // Neither is liable now: P1 and P3 are legacy.
    let l1 = r.mines.iter().find(|m| m.license_id == "L1").unwrap();
    assert!(!l1.liable && l1.pit_count == 0, "{l1:?}");
}

#[test]
fn a_pit_off_the_imagery_and_a_previous_audit_of_the_same_date_are_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    scene(dir.path(), false);
    let path = dir.path().join("pits.geojson");
    let text = std::fs::read_to_string(&path).unwrap();
    // P6: 30 × 10 m, 1 km east of the raster.
    let p6 = feature(r#""pit_id":"P6""#, ring(1000.0, 0.0, 1030.0, 10.0));
    let text = text.replacen("\"features\":[", &format!("\"features\":[{p6},"), 1);
    std::fs::write(&path, text).unwrap();
    let cfg = AuditConfig::load(&dir.path().join("audit.toml")).unwrap();
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    let off = warnings_of(&r, "pit_off_imagery");
    assert_eq!(off.len(), 1, "{:?}", r.warnings);
    assert!(off[0].to_string().contains("P6") && off[0].to_string().contains("0.03 ha"));
    // P6 is said to be off the imagery, not "mostly unobserved" as well.
    assert!(!r
        .warnings
        .iter()
        .any(|w| w.code() == "mostly_unobserved" && w.to_string().starts_with("pit P6")));

    let out = dir.path().join("a");
    audit::write(&r, &out).unwrap();
    let again = audit::run(
        &cfg,
        &AuditOptions {
            previous: Some(out.clone()),
            ..AuditOptions::default()
        },
    )
    .unwrap();
    let w = warnings_of(&again, "previous_not_earlier");
    assert_eq!(w.len(), 1);
    assert!(w[0].to_string().contains("2024-12-31"), "{}", w[0]);
    // summary.json lists the warnings with their kind.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let kinds: Vec<&str> = json["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"pit_off_imagery"), "{kinds:?}");
    assert!(json["observed_pct"].as_f64().unwrap() < 100.0);
}

#[test]
fn masked_cells_are_their_own_cause() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = scene(dir.path(), false);
    // A mask band: value 9 (cloud) on row 0, clear elsewhere.
    let mask = write_band(dir.path(), "mask.tif", |_, r| if r == 0 { 9 } else { 1 });
    cfg.imagery.mask_path = Some(mask);
    cfg.imagery.mask_values = Some(vec![9.0]);
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    // Row 0 under P1 (cols 0–5): 6 cells = 0.06 ha masked, 50 % of P1.
    let p1 = r.pits.iter().find(|p| p.pit_id == "P1").unwrap();
    let u = p1.areas.unobserved_causes;
    assert!(
        close(u.mask_ha, 0.06) && close(p1.areas.unobserved_ha, 0.06),
        "{u:?}"
    );
    let pits = std::fs::read_to_string({
        let out = dir.path().join("out");
        audit::write(&r, &out).unwrap();
        out.join("pits.csv")
    })
    .unwrap();
    let mut lines = pits.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let col = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let p1_row: Vec<&str> = lines
        .find(|l| l.starts_with("P1,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(
        p1_row[col("unobserved_mask_ha")].parse::<f64>().unwrap(),
        u.mask_ha
    );
    assert_eq!(p1_row[col("observed_pct")].parse::<f64>().unwrap(), 50.0);
}

#[test]
fn digital_numbers_without_scale_are_classified_but_warned_of() {
    let dir = tempfile::tempdir().unwrap();
    // The scene's bands are DN 400–3000 and its configuration sets no scale:
    // reflectances of 400–3000 are impossible.
    let mut cfg = scene(dir.path(), false);
    let raw = audit::run(&cfg, &AuditOptions::default()).unwrap();
    let w = warnings_of(&raw, "implausible_reflectance");
    assert_eq!(w.len(), 1, "{:?}", raw.warnings);
    assert!(w[0].to_string().contains("scale and offset"), "{}", w[0]);
    // Every observed hectare (0.12 + 0.09 + 0.04) is implausible.
    assert!(
        close(raw.summary.implausible_reflectance_ha, 0.25),
        "{:?}",
        raw.summary
    );
    // With the scale set (no offset, so NDVI is the same) the figures are the
    // same to the bit and the warning is gone.
    cfg.imagery.scale = 1e-4;
    let scaled = audit::run(&cfg, &AuditOptions::default()).unwrap();
    assert!(warnings_of(&scaled, "implausible_reflectance").is_empty());
    assert_eq!(scaled.summary.implausible_reflectance_ha, 0.0);
    let figures = |r: &AuditReport| {
        let s = &r.summary;
        [s.restored_ha, s.unrestored_ha, s.water_ha, s.unobserved_ha].map(f64::to_bits)
    };
    assert_eq!(figures(&raw), figures(&scaled));
}

#[test]
fn a_per_dataset_mask_of_the_imagery_makes_its_cells_nodata() {
    // testdata/zonal: 6 × 4 cells of 10 m at (686000, 4796040), classes 1–3 on
    // the top two rows and 4–6 below, and a GDAL mask over 4 cells: (0,0), (1,0),
    // (2,0) on the top row and (5,3) at the bottom right (see make.py there).
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/zonal");
    for file in [
        "mask_internal.tif",
        "mask_internal_tiled.tif",
        "mask_sidecar.tif",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let whole =
            "[[[686000,4796000],[686060,4796000],[686060,4796040],[686000,4796040],[686000,4796000]]]"
                .to_string();
        let pits = collection(&[feature(r#""pit_id":"W""#, whole)]);
        std::fs::write(dir.path().join("pits.geojson"), pits).unwrap();
        let toml = format!(
            "audit_date = \"2024-12-31\"\n[imagery]\npath = \"{}\"\nclassifier = \"classes\"\nclasses_map = {{ restored = [1, 2, 3], unrestored = [4, 5, 6] }}\n[pits]\npath = \"pits.geojson\"\nid_field = \"pit_id\"\n",
            data.join(file).display()
        );
        std::fs::write(dir.path().join("a.toml"), toml).unwrap();
        let cfg = AuditConfig::load(&dir.path().join("a.toml")).unwrap();
        let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
        let s = &r.summary;
        // 12 cells of classes 1–3, 3 masked; 12 of 4–6, 1 masked.
        assert!(
            close(s.restored_ha, 0.09) && close(s.unrestored_ha, 0.11),
            "{file}: {s:?}"
        );
        assert!(close(s.unobserved_causes.nodata_ha, 0.04), "{file}: {s:?}");
        assert!(close(s.unobserved_ha, 0.04), "{file}: {s:?}");
    }
}

#[test]
fn a_landsat_qa_pixel_band_masks_by_bit() {
    let dir = tempfile::tempdir().unwrap();
    let mut cfg = scene(dir.path(), false);
    // QA_PIXEL: row 0 high-confidence cloud (22280: bit 3 set), row 1 snow (30048:
    // bit 5), the rest clear land (21824: bits 6, 8, 10, 12, 14 only).
    let qa = write_band(dir.path(), "qa_pixel.tif", |_, r| match r {
        0 => 22280,
        1 => 30048,
        _ => 21824,
    });
    cfg.imagery.mask_path = Some(qa);
    cfg.imagery.mask_preset = Some("qa_pixel".into());
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    // P1 (cols 0–5, rows 0–1) is wholly masked: 12 cells; P3 (cols 5–6, rows 1–2)
    // loses its row-1 cell at col 6 (col 5, row 1 is P1's): 1 cell.
    let pit = |id: &str| r.pits.iter().find(|p| p.pit_id == id).unwrap();
    assert!(
        close(pit("P1").areas.unobserved_causes.mask_ha, 0.12),
        "{:?}",
        pit("P1")
    );
    assert!(
        close(pit("P3").areas.unobserved_causes.mask_ha, 0.01),
        "{:?}",
        pit("P3")
    );
    assert!(
        close(r.summary.unobserved_causes.mask_ha, 0.13),
        "{:?}",
        r.summary
    );
    // Only bit 3 (cloud): the snow row is observed again.
    cfg.imagery.mask_preset = None;
    cfg.imagery.mask_bits = Some(vec![3]);
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    assert!(
        close(r.summary.unobserved_causes.mask_ha, 0.06),
        "{:?}",
        r.summary
    );
}

/// A rectangle as `ring` draws it, as a polygon in memory.
fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> geo::MultiPolygon<f64> {
    let p = |x: f64, y: f64| (X0 + x, Y0 - y);
    geo::MultiPolygon::new(vec![geo::Polygon::new(
        geo::LineString::from(vec![p(x0, y0), p(x1, y0), p(x1, y1), p(x0, y1), p(x0, y0)]),
        vec![],
    )])
}

#[test]
fn layers_given_in_memory_give_the_figures_of_the_files() {
    use reclaim::vector::{FieldValue, Layer};
    let dir = tempfile::tempdir().unwrap();
    let cfg = scene(dir.path(), false);
    let from_files = audit::run(&cfg, &AuditOptions::default()).unwrap();

    // The same footprints and licences, typed in, not read.
    let text = |pairs: &[(&str, &str)]| -> Vec<(String, FieldValue)> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), FieldValue::Text(v.to_string())))
            .collect()
    };
    let utm = reclaim::crs::Crs::from_epsg(32651).unwrap();
    let pits = Layer::from_features(
        "pits (in memory)",
        Some(utm.clone()),
        vec![
            (
                rect(0.0, 0.0, 60.0, 20.0),
                text(&[("pit_id", "P1"), ("kind", "open pit")]),
            ),
            (
                rect(80.0, 20.0, 120.0, 40.0),
                text(&[("pit_id", "P2"), ("kind", "tailings")]),
            ),
            (
                rect(50.0, 10.0, 70.0, 30.0),
                text(&[("pit_id", "P3"), ("kind", "waste dump")]),
            ),
            (
                rect(0.0, 80.0, 40.0, 100.0),
                text(&[("pit_id", "P4"), ("kind", "open pit")]),
            ),
            (
                rect(40.0, 60.0, 60.0, 70.0),
                text(&[("pit_id", "P5"), ("kind", "plant site")]),
            ),
        ],
    )
    .unwrap();
    let lic = |id: &str, holder: &str, status: &str, to: &str, mineral: &str| {
        text(&[
            ("license_id", id),
            ("holder", holder),
            ("status", status),
            ("valid_to", to),
            ("mineral", mineral),
        ])
    };
    let licences = Layer::from_features(
        "licences (in memory)",
        Some(utm),
        vec![
            (
                rect(30.0, 0.0, 80.0, 50.0),
                lic("L1", "甲矿业有限公司", "valid", "2030-12-31", "andesite"),
            ),
            (
                rect(75.0, 15.0, 130.0, 45.0),
                lic("L2", "丙公司", "revoked", "2019-01-01", "granite"),
            ),
            (
                rect(0.0, 0.0, 40.0, 20.0),
                lic("L3", "乙公司, Ltd", "expired", "2020-06-30", "marble"),
            ),
        ],
    )
    .unwrap();
    let inputs = audit::AuditInputs {
        pits,
        licences: Some(licences),
        imagery: cfg.imagery.clone(),
    };
    let given = audit::run_inputs(inputs, &cfg, &AuditOptions::default()).unwrap();

    assert_eq!(given.summary, from_files.summary);
    assert_eq!(given.pieces, from_files.pieces);
    assert_eq!(given.pits, from_files.pits);
    assert_eq!(given.mines, from_files.mines);
    assert_eq!(given.baseline, from_files.baseline);
    // Only the imagery was read from files, so only it is in the provenance.
    let roles: Vec<&str> = given
        .provenance
        .inputs
        .iter()
        .map(|i| i.role.as_str())
        .collect();
    assert!(roles.iter().all(|r| r.starts_with("imagery")), "{roles:?}");
    assert!(from_files
        .provenance
        .inputs
        .iter()
        .any(|i| i.role == "pits"));
}
