//! `reclaim discover` on a generated county with planted patches of bare land:
//! every planted patch is found with its exact area (cells × 100 m²), its label
//! and its holes, nothing else is found, and every excluded hectare is counted.
//!
//! Grid: 600 × 560 cells of 10 m (EPSG:32651), a WorldCover-coded `u8` raster in
//! 256 × 256 tiles (block edges at columns and rows 256 and 512). Patches are
//! rectangles in cell coordinates `(col0, row0, col1, row1)`, exclusive ends.

use reclaim::audit::AuditConfig;
use reclaim::discover::{self, Candidate, DiscoverOptions, Label};
use reclaim::grid::GeoTransform;
use reclaim::raster::write::{geo_key_directory, write_tiled_u8, U8Tiff};
use std::path::Path;

const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_100.0;
const W: usize = 600;
const H: usize = 560;
const TREE: u8 = 10;
const BUILT: u8 = 50;
const BARE: u8 = 60;
const WATER: u8 = 80;
const NODATA: u8 = 0;

type Rect = (usize, usize, usize, usize);

/// Within licence L1 (cols 10..100, rows 10..100): 20 × 25 = 500 cells.
const WITHIN: Rect = (20, 20, 40, 45);
/// Across L1's east edge (col 100): 30 × 20 = 600 cells, 10 × 20 = 200 inside.
const ACROSS: Rect = (90, 60, 120, 80);
/// A ring outside every licence: 40 × 40 − 20 × 20 = 1200 cells, one hole…
const RING: Rect = (200, 30, 240, 70);
const RING_HOLE: Rect = (210, 40, 230, 60);
/// … with a 5 × 5 island in the hole (0.25 ha: below the minimum).
const ISLAND: Rect = (215, 45, 220, 50);
/// Bare land half under a cell-aligned pit: 60 × 40, the pit takes cols 300..330.
const UNDER_PIT: Rect = (300, 100, 360, 140);
const PIT_A: Rect = (300, 100, 330, 140);
/// Bare land under a pit whose east edge is at col 420.3: centres up to 419.5
/// are in it; the candidate is cols 420..440 (20 × 20 = 400 cells).
const UNDER_PIT_B: Rect = (400, 100, 440, 120);
/// 7 × 7 = 49 cells: 0.49 ha, below 0.5 ha.
const SMALL: Rect = (500, 30, 507, 37);
/// 5 × 10 = 50 cells: exactly 0.5 ha, kept ("at least").
const EXACT: Rect = (520, 30, 525, 40);
/// Over the tile corner at (256, 256): 40 × 30 = 1200 cells.
const CORNER: Rect = (240, 240, 280, 270);
/// Across the tile row edge at 512: 30 × 30 = 900 cells.
const ROW_EDGE: Rect = (100, 500, 130, 530);
/// Two 10 × 10 squares touching only at a corner.
const DIAG_A: Rect = (450, 300, 460, 310);
const DIAG_B: Rect = (460, 310, 470, 320);
/// Built-up land (an excluded class): 40 × 40 = 1600 cells.
const BUILT_UP: Rect = (500, 400, 540, 440);
/// Bare land under an exclusion layer (a road): 40 × 10 = 400 cells.
const ROAD: Rect = (50, 300, 90, 310);
/// Bare land inside a revoked (not liable) licence L2: 20 × 20 = 400 cells.
const IN_REVOKED: Rect = (150, 400, 170, 420);
/// Water and no data (not bare).
const LAKE: Rect = (300, 300, 350, 350);
const CLOUD: Rect = (380, 450, 420, 500);

fn fill(cells: &mut [u8], r: Rect, v: u8) {
    for row in r.1..r.3 {
        cells[row * W + r.0..row * W + r.2].fill(v);
    }
}

fn rect_cells(r: Rect) -> u64 {
    ((r.2 - r.0) * (r.3 - r.1)) as u64
}

/// The painted land cover; `year_before` paints last year's (WITHIN not yet bare).
fn paint(year_before: bool) -> Vec<u8> {
    let mut c = vec![TREE; W * H];
    for r in [
        WITHIN,
        ACROSS,
        RING,
        UNDER_PIT,
        UNDER_PIT_B,
        SMALL,
        EXACT,
        CORNER,
        ROW_EDGE,
        DIAG_A,
        DIAG_B,
        ROAD,
        IN_REVOKED,
    ] {
        fill(&mut c, r, BARE);
    }
    fill(&mut c, RING_HOLE, TREE);
    fill(&mut c, ISLAND, BARE);
    fill(&mut c, BUILT_UP, BUILT);
    // A staircase of 60 cells touching only diagonally: one 0.6 ha patch with
    // 8-connectivity, 60 single cells (below the minimum) with 4.
    for k in 0..60 {
        c[(200 + k) * W + 20 + k] = BARE;
    }
    fill(&mut c, LAKE, WATER);
    fill(&mut c, CLOUD, NODATA);
    if year_before {
        fill(&mut c, WITHIN, TREE);
    }
    c
}

fn write_raster(path: &Path, cells: &[u8]) {
    let t = GeoTransform {
        x0: X0,
        y0: Y0,
        dx: 10.0,
        dy: -10.0,
        rx: 0.0,
        ry: 0.0,
    };
    let file = U8Tiff {
        path: path.to_path_buf(),
        transform: t,
        geo_keys: geo_key_directory(Some(32651), false),
        nodata: NODATA,
        palette: None,
        metadata: None,
    };
    write_tiled_u8(
        &[file],
        W,
        cells.len() / W,
        |row0, rows, bufs: &mut [Vec<u8>]| {
            bufs[0].copy_from_slice(&cells[row0 * W..(row0 + rows) * W]);
            Ok::<(), String>(())
        },
    )
    .unwrap();
}

/// A polygon in cell coordinates as GeoJSON coordinates text.
fn ring(c0: f64, r0: f64, c1: f64, r1: f64) -> String {
    let p = |c: f64, r: f64| format!("[{},{}]", X0 + 10.0 * c, Y0 - 10.0 * r);
    format!(
        "[[{},{},{},{},{}]]",
        p(c0, r1),
        p(c1, r1),
        p(c1, r0),
        p(c0, r0),
        p(c0, r1)
    )
}

fn layer(features: &[(String, String)]) -> String {
    let f: Vec<String> = features
        .iter()
        .map(|(props, coords)| {
            format!(r#"{{"type":"Feature","properties":{props},"geometry":{{"type":"Polygon","coordinates":{coords}}}}}"#)
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:32651"}}}},"features":[{}]}}"#,
        f.join(",")
    )
}

fn r(rect: Rect) -> String {
    ring(rect.0 as f64, rect.1 as f64, rect.2 as f64, rect.3 as f64)
}

/// Writes the scene into `dir` with `discovery` as the `[discovery]` section.
fn scene(dir: &Path, discovery: &str) -> AuditConfig {
    write_raster(&dir.join("landcover.tif"), &paint(false));
    write_raster(&dir.join("landcover_before.tif"), &paint(true));
    let pits = layer(&[
        (r#"{"pit_id":"A"}"#.into(), r(PIT_A)),
        (r#"{"pit_id":"B"}"#.into(), ring(400.0, 100.0, 420.3, 120.0)),
    ]);
    std::fs::write(dir.join("pits.geojson"), pits).unwrap();
    let lic = |id: &str, status: &str| {
        format!(
            r#"{{"license_id":"{id}","holder":"Holder {id}","status":"{status}","valid_to":"2030-12-31"}}"#
        )
    };
    let licences = layer(&[
        (lic("L1", "valid"), ring(10.0, 10.0, 100.0, 100.0)),
        (lic("L2", "revoked"), ring(140.0, 390.0, 180.0, 430.0)),
        (lic("L3", "valid"), ring(260.0, 20.0, 280.0, 40.0)),
    ]);
    std::fs::write(dir.join("licences.geojson"), licences).unwrap();
    std::fs::write(dir.join("roads.geojson"), layer(&[("{}".into(), r(ROAD))])).unwrap();
    let base = "[imagery]\npath = \"landcover.tif\"\nclassifier = \"classes\"\nclasses_preset = \"worldcover\"\n[pits]\npath = \"pits.geojson\"\nid_field = \"pit_id\"\n[licences]\npath = \"licences.geojson\"\n";
    std::fs::write(
        dir.join("before.toml"),
        format!(
            "audit_date = \"2023-12-31\"\n{}",
            base.replace("landcover.tif", "landcover_before.tif")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("audit.toml"),
        format!("audit_date = \"2024-12-31\"\n{base}[discovery]\n{discovery}\n"),
    )
    .unwrap();
    AuditConfig::load(&dir.join("audit.toml")).unwrap()
}

const FULL: &str = "exclude_classes = [50]\nexclude_layers = [\"roads.geojson\"]\nprevious_config = \"before.toml\"";

/// A planted patch: first cell (row, col), cells, label, holes, ha inside a
/// liable licence.
type Expected = ((usize, usize), u64, Label, usize, f64);

/// The candidate whose first cell (top-left of its first run) is `(row, col)`.
fn at(cands: &[Candidate], row: usize, col: usize) -> &Candidate {
    cands
        .iter()
        .find(|c| c.first_cell == (row as u32, col as u32))
        .unwrap_or_else(|| panic!("no candidate at ({row}, {col})"))
}

#[test]
fn every_planted_patch_is_found_with_its_area_label_and_holes() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = scene(dir.path(), FULL);
    let d = discover::discover(&cfg, &DiscoverOptions::default()).unwrap();
    let c = &d.candidates.to_vec().unwrap();
    let ha = |cells: u64| cells as f64 * 100.0 / 10_000.0;
    // (first cell, cells, label, holes, ha inside a liable licence)
    let expected: Vec<Expected> = vec![
        (
            (WITHIN.1, WITHIN.0),
            rect_cells(WITHIN),
            Label::WithinLicence,
            0,
            ha(rect_cells(WITHIN)),
        ),
        (
            (ACROSS.1, ACROSS.0),
            rect_cells(ACROSS),
            Label::BeyondLicence,
            0,
            ha(10 * 20),
        ),
        (
            (RING.1, RING.0),
            rect_cells(RING) - rect_cells(RING_HOLE),
            Label::Unlicensed,
            1,
            0.0,
        ),
        ((UNDER_PIT.1, PIT_A.2), 30 * 40, Label::Unlicensed, 0, 0.0),
        ((UNDER_PIT_B.1, 420), 20 * 20, Label::Unlicensed, 0, 0.0),
        (
            (EXACT.1, EXACT.0),
            rect_cells(EXACT),
            Label::Unlicensed,
            0,
            0.0,
        ),
        (
            (CORNER.1, CORNER.0),
            rect_cells(CORNER),
            Label::Unlicensed,
            0,
            0.0,
        ),
        (
            (ROW_EDGE.1, ROW_EDGE.0),
            rect_cells(ROW_EDGE),
            Label::Unlicensed,
            0,
            0.0,
        ),
        (
            (DIAG_A.1, DIAG_A.0),
            rect_cells(DIAG_A) + rect_cells(DIAG_B),
            Label::Unlicensed,
            0,
            0.0,
        ),
        (
            (IN_REVOKED.1, IN_REVOKED.0),
            rect_cells(IN_REVOKED),
            Label::Unlicensed,
            0,
            0.0,
        ),
        ((200, 20), 60, Label::Unlicensed, 0, 0.0),
    ];
    for &((row, col), cells, label, holes, inside) in &expected {
        let k = at(c, row, col);
        assert_eq!(k.cells, cells, "{}", k.id);
        assert_eq!(k.area_ha, ha(cells), "{}", k.id);
        assert_eq!((k.label, k.holes), (label, holes), "{}", k.id);
        assert!(
            (k.inside_licence_ha - inside).abs() <= 1e-9 * k.area_ha,
            "{}: {}",
            k.id,
            k.inside_licence_ha
        );
        assert!((k.inside_licence_ha + k.outside_licence_ha - k.area_ha).abs() <= 1e-9 * k.area_ha);
        // The outline's exact area is the cells'.
        assert!(
            (geo::Area::unsigned_area(&d.outline(k).unwrap()) / 10_000.0 - k.area_ha).abs()
                <= 1e-9 * k.area_ha
        );
    }
    assert_eq!(
        c.len(),
        expected.len(),
        "none invented: {:?}",
        c.iter()
            .map(|k| (k.first_cell, k.cells))
            .collect::<Vec<_>>()
    );
    // Ranked by area, ids in rank order.
    assert!(c.windows(2).all(|w| w[0].area_ha >= w[1].area_ha));
    assert_eq!(c[0].id, "D0001");
    assert_eq!(c[0].first_cell, (RING.1 as u32, RING.0 as u32));

    // The diagonal pair is one patch of two polygons touching at a corner.
    assert_eq!(d.outline(at(c, DIAG_A.1, DIAG_A.0)).unwrap().0.len(), 2);
    // Nearest licences: L2 (revoked) holds its patch; L3 lies 20 cells east of the ring.
    let n = at(c, IN_REVOKED.1, IN_REVOKED.0).nearest.clone().unwrap();
    assert_eq!(
        (n.licence_id.as_str(), n.distance_m, n.liable),
        ("L2", 0.0, false)
    );
    let n = at(c, RING.1, RING.0).nearest.clone().unwrap();
    assert_eq!((n.licence_id.as_str(), n.distance_m), ("L3", 200.0));
    let n = at(c, ACROSS.1, ACROSS.0);
    assert_eq!(n.licence_ids, ["L1"]);
    assert_eq!(n.outside_licence_ha, ha(20 * 20));
    // Centre of a rectangle's cells.
    let k = at(c, CORNER.1, CORNER.0);
    assert_eq!(k.centroid, (X0 + 10.0 * 260.0, Y0 - 10.0 * 255.0));
    // Last year WITHIN was forest: new; the rest was bare: persistent.
    assert_eq!(
        at(c, WITHIN.1, WITHIN.0).change,
        Some(discover::Change::New)
    );
    assert_eq!(at(c, WITHIN.1, WITHIN.0).bare_before_ha, Some(0.0));
    assert_eq!(
        at(c, RING.1, RING.0).change,
        Some(discover::Change::Persistent)
    );

    // Every bare hectare is accounted for once.
    let a = &d.accounting;
    assert_eq!(a.scanned_ha, ha((W * H) as u64));
    assert_eq!(a.bare_in_footprints_ha, ha(rect_cells(PIT_A) + 20 * 20));
    assert_eq!(a.excluded_class_ha, ha(rect_cells(BUILT_UP)));
    assert_eq!(a.excluded_layers_ha.len(), 1);
    assert_eq!(a.excluded_layers_ha[0].1, ha(rect_cells(ROAD)));
    assert_eq!(
        a.below_min_area,
        (2, ha(rect_cells(ISLAND) + rect_cells(SMALL)))
    );
    assert_eq!(a.water_ha, ha(rect_cells(LAKE)));
    assert_eq!(a.unobserved_ha, ha(rect_cells(CLOUD)));
    let listed: f64 = c.iter().map(|k| k.area_ha).sum();
    let bare = a.bare_in_footprints_ha
        + a.excluded_class_ha
        + a.excluded_layers_ha[0].1
        + a.below_min_area.1
        + listed;
    assert!((a.bare_ha - bare).abs() < 1e-9, "{} vs {bare}", a.bare_ha);
}

#[test]
fn four_connectivity_splits_diagonal_contacts() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = scene(
        dir.path(),
        "connectivity = 4\nexclude_classes = [50]\nexclude_layers = [\"roads.geojson\"]",
    );
    let d = discover::discover(&cfg, &DiscoverOptions::default()).unwrap();
    let c = &d.candidates.to_vec().unwrap();
    assert_eq!(at(c, DIAG_A.1, DIAG_A.0).cells, 100);
    assert_eq!(at(c, DIAG_B.1, DIAG_B.0).cells, 100);
    assert!(
        c.iter().all(|k| k.first_cell != (200, 20)),
        "the staircase is 60 single cells"
    );
    assert_eq!(d.accounting.below_min_area.0, 2 + 60);
    assert!(c.iter().all(|k| k.change.is_none()));
}

#[test]
fn an_area_of_interest_limits_the_scan_by_cell_centre() {
    let dir = tempfile::tempdir().unwrap();
    // The west half of the ring and everything west of it: the east edge runs
    // through the centres of column 220, which (half-open) stay outside.
    std::fs::write(
        dir.path().join("aoi.geojson"),
        layer(&[("{}".into(), ring(0.0, 0.0, 220.5, 560.0))]),
    )
    .unwrap();
    let cfg = scene(dir.path(), "aoi = \"aoi.geojson\"\nmin_area_ha = 0");
    let d = discover::discover(&cfg, &DiscoverOptions::default()).unwrap();
    assert_eq!(d.accounting.scanned_ha, (220 * 560) as f64 / 100.0);
    let all = d.candidates.to_vec().unwrap();
    let ring_part = at(&all, RING.1, RING.0);
    // Columns 200..220 of the ring: 20 × 40 minus the hole's 10 × 20, now open
    // to the east (no hole); the island (cols 215..220) is its own patch.
    assert_eq!(ring_part.cells, 20 * 40 - 10 * 20);
    assert_eq!(ring_part.holes, 0);
    assert_eq!(
        at(&d.candidates.to_vec().unwrap(), ISLAND.1, ISLAND.0).cells,
        25
    );
    assert!(d
        .candidates
        .iter()
        .all(|k| k.unwrap().centroid.0 < X0 + 2200.0));
}

#[test]
fn the_folder_holds_every_file_and_replaces_only_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = scene(dir.path(), FULL);
    let d = discover::discover(&cfg, &DiscoverOptions::default()).unwrap();
    let out = dir.path().join("found");
    discover::write::write(&d, &out, &[]).unwrap();
    discover::write::write(&d, &out, &[]).unwrap();
    for f in [
        "candidates.geojson",
        "candidates_projected.geojson",
        "candidates.csv",
        "summary.json",
        "report.html",
    ] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let csv = std::fs::read_to_string(out.join("candidates.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + d.candidates.len());
    assert!(
        csv.lines()
            .nth(1)
            .unwrap()
            .starts_with("1,D0001,unlicensed,persistent,12,1200,"),
        "{csv}"
    );
    let v: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(out.join("candidates_projected.geojson")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        v["crs"]["properties"]["name"],
        "urn:ogc:def:crs:EPSG::32651"
    );
    assert_eq!(v["features"].as_array().unwrap().len(), d.candidates.len());
    let ll: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("candidates.geojson")).unwrap())
            .unwrap();
    let x = ll["features"][0]["geometry"]["coordinates"][0][0][0][0]
        .as_f64()
        .unwrap();
    assert!((125.0..126.0).contains(&x), "lon/lat: {x}");
    // A folder reclaim did not write is refused.
    let other = dir.path().join("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("notes.txt"), "x").unwrap();
    assert!(discover::write::write(&d, &other, &[]).is_err());
    assert!(other.join("notes.txt").is_file());
}

#[test]
fn bad_inputs_are_errors_naming_the_file_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let run = |extra: &str| {
        let cfg = scene(d, extra);
        discover::discover(&cfg, &DiscoverOptions::default())
            .unwrap_err()
            .to_string()
    };
    std::fs::write(
        d.join("empty.geojson"),
        r#"{"type":"FeatureCollection","features":[]}"#,
    )
    .unwrap();
    let e = run("aoi = \"empty.geojson\"");
    assert!(
        e.contains("empty.geojson") && e.contains("no polygon"),
        "{e}"
    );
    std::fs::write(
        d.join("far.geojson"),
        layer(&[("{}".into(), ring(5000.0, 5000.0, 5100.0, 5100.0))]),
    )
    .unwrap();
    let e = run("aoi = \"far.geojson\"");
    assert!(
        e.contains("far.geojson") && e.contains("does not overlap"),
        "{e}"
    );
    let e = run("aoi = \"far.geojson\"\naoi_crs = \"EPSG:999999\"");
    assert!(e.contains("far.geojson") && e.contains("aoi_crs"), "{e}");
    // A raster on another grid: one cell shifted.
    let shifted = paint(false);
    write_raster(&d.join("wc.tif"), &shifted[..W * (H - 1)]);
    let e = run("exclude_raster = \"wc.tif\"\nexclude_classes = [50]");
    assert!(
        e.contains("wc.tif") && e.contains("not on the imagery's grid") && e.contains("gdalwarp"),
        "{e}"
    );
    let e = run("connectivity = 6");
    assert!(e.contains("connectivity = 6") && e.contains("4 ("), "{e}");
    let e = run("min_area_ha = -1");
    assert!(e.contains("min_area_ha = -1"), "{e}");
}
