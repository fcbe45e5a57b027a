//! Report writers on a hand-built audit: exact headers, values, quoting, ranking,
//! read-back, a self-contained page, and reconciliation catching tampered figures.
//!
//! Every area is a multiple of 1/4 ha, so sums are exact and checkable by hand:
//!
//! | piece | pit | responsibility | restored | unrestored | water | unobserved |
//! |---|---|---|---|---|---|---|
//! | 0 | P1 | C001 (景台矿业) | 1.5 | 0.5 | 0 | 0 |
//! | 1 | P1 | legacy | 0.25 | 2.0 | 0.25 | 0 |
//! | 2 | P2 | C002 (`Smith, Jones & "Partners"`) | 0.75 | 1.0 | 0 | 0.5 |
//! | 3 | P3 | legacy | 0.5 | 3.0 | 0.5 | 0 |
//! | 4 | P4 | legacy | 1.0 | 0 | 0 | 0 |
//!
//! County: restored 4.0, unrestored 6.5 (responsible 1.5, legacy 5.0), water 0.75,
//! unobserved 0.5, footprint 11.75. Orphans: P3 (3.0 ha) then P1 (2.0 ha); P4 has no
//! bare land and is not an orphan.

use geo::{polygon, MultiPolygon, Polygon};
use reclaim::audit::config::Baseline;
use reclaim::report::{
    check_reconciliation, read_previous, read_summary, read_summary_file, write_all, Check,
    ReportError,
};
use reclaim::results::{
    AuditReport, BaselineDelta, Change, ClassAreas, ClassMap, InputFile, MineResult, OverlapResult,
    PieceGeometry, PieceResult, PitResult, Previous, Provenance, Responsibility, Summary,
};
use std::path::{Path, PathBuf};

const HOLDER_ZH: &str = "吉林省伊通县景台矿业有限公司";
const HOLDER_COMMA: &str = "Smith, Jones & \"Partners\"";

/// The fixture's configuration as run.
const FIXTURE_TOML: &str = "audit_date = \"2025-12-31\"\n\n[imagery]\npath = \"/data/2025/s2.tif\"\nscale = 0.0001\noffset = -0.1\nrestored_min_ndvi = 0.3\nmask_preset = \"scl\"\n\n[pits]\npath = \"/data/2025/pits.shp\"\nid_field = \"pit_id\"\n\n[licenses]\npath = \"/data/2025/licenses.shp\"\n";

fn areas(restored_ha: f64, unrestored_ha: f64, water_ha: f64, unobserved_ha: f64) -> ClassAreas {
    ClassAreas {
        restored_ha,
        unrestored_ha,
        water_ha,
        unobserved_ha,
        ..ClassAreas::default()
    }
}

/// A rectangle in UTM 51N metres, wound clockwise (the writer must fix the winding).
fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    let p: Polygon<f64> = polygon![(x: x0, y: y0), (x: x0, y: y1), (x: x1, y: y1), (x: x1, y: y0)];
    MultiPolygon(vec![p])
}

/// Rough lon/lat of UTM 51N metres near Yitong (enough for a map; 1 m ≈ 1.2e-5°).
fn lonlat(m: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    use geo::MapCoords;
    m.map_coords(|c| {
        geo::coord! {
            x: 125.2 + (c.x - 400_000.0) * 1.2e-5,
            y: 43.3 + (c.y - 4_800_000.0) * 0.9e-5,
        }
    })
}

fn geometry(x0: f64, y0: f64, x1: f64, y1: f64) -> PieceGeometry {
    let r = rect(x0, y0, x1, y1);
    PieceGeometry {
        lonlat: lonlat(&r),
        raster_crs: r,
    }
}

fn responsible(license: &str, holder: &str) -> Responsibility {
    Responsibility::Responsible {
        license_id: license.into(),
        holder: holder.into(),
    }
}

/// A class map of `bbox` at 10 m: each cell takes the class `f(x, y)` of its centre.
fn class_map(bbox: (f64, f64, f64, f64), f: impl Fn(f64, f64) -> u8) -> ClassMap {
    let (w, h) = (
        ((bbox.2 - bbox.0) / 10.0) as usize,
        ((bbox.3 - bbox.1) / 10.0) as usize,
    );
    let mut cells = Vec::with_capacity(w * h);
    for row in 0..h {
        for col in 0..w {
            let x = bbox.0 + 10.0 * col as f64 + 5.0;
            let y = bbox.3 - 10.0 * row as f64 - 5.0;
            cells.push(f(x, y));
        }
    }
    ClassMap {
        width: w,
        height: h,
        bbox,
        cells,
    }
}

/// Land class of the fixture's land at (x, y): restored (0), unrestored (1),
/// water (2), unobserved (3), outside (255). Drawn to look like the figures.
fn land(x: f64, y: f64) -> u8 {
    let inside = |x0: f64, y0: f64, x1: f64, y1: f64| x > x0 && x < x1 && y > y0 && y < y1;
    if inside(400_000.0, 4_800_000.0, 400_100.0, 4_800_100.0) {
        if y > 4_800_025.0 {
            0
        } else {
            1
        }
    } else if inside(400_100.0, 4_800_000.0, 400_200.0, 4_800_100.0) {
        if x > 400_190.0 {
            2
        } else if y > 4_800_090.0 {
            0
        } else {
            1
        }
    } else if inside(400_300.0, 4_800_000.0, 400_400.0, 4_800_100.0) {
        if y > 4_800_070.0 {
            3
        } else if x < 400_340.0 {
            0
        } else {
            1
        }
    } else if inside(400_000.0, 4_800_200.0, 400_100.0, 4_800_300.0) {
        if x < 400_020.0 {
            2
        } else if y > 4_800_280.0 {
            0
        } else {
            1
        }
    } else if inside(400_200.0, 4_800_200.0, 400_300.0, 4_800_300.0) {
        0
    } else {
        ClassMap::OUTSIDE
    }
}

fn summary() -> Summary {
    Summary {
        audit_date: "2025-12-31".into(),
        restored_ha: 4.0,
        unrestored_ha: 6.5,
        unrestored_responsible_ha: 1.5,
        unrestored_legacy_ha: 5.0,
        unrestored_unattributed_ha: 0.0,
        water_ha: 0.75,
        unobserved_ha: 0.5,
        unobserved_causes: Default::default(),
        implausible_reflectance_ha: 0.0,
        footprint_ha: 11.75,
        pit_count: 4,
        piece_count: 5,
        license_count: 3,
        liable_license_count: 2,
        orphan_piece_count: 2,
        overlap_count: 1,
        unmapped_ha: 0.0,
        unmapped_values: vec![],
        composite: None,
    }
}

fn pit(
    id: &str,
    kind: &str,
    town: &str,
    a: ClassAreas,
    main: &str,
    overlaps: &[&str],
) -> PitResult {
    PitResult {
        pit_id: id.into(),
        kind: Some(kind.into()),
        town: Some(town.into()),
        areas: a,
        polygon_ha: a.total_ha(),
        main_responsibility: main.into(),
        overlaps: overlaps.iter().map(|s| s.to_string()).collect(),
        change: None,
    }
}

fn mine(
    id: &str,
    holder: &str,
    status: &str,
    liable: bool,
    a: ClassAreas,
    pits: usize,
) -> MineResult {
    MineResult {
        license_id: id.into(),
        holder: Some(holder.into()),
        name: Some(format!("{id} quarry")),
        mineral: Some("建筑用安山岩".into()),
        status: status.into(),
        valid_to: Some("2027-06-30".into()),
        liable,
        areas: a,
        pit_count: pits,
        change: None,
    }
}

/// The fixture without baseline or previous audit.
fn report() -> AuditReport {
    let pieces = vec![
        PieceResult {
            pit_id: "P1".into(),
            responsibility: responsible("C001", HOLDER_ZH),
            areas: areas(1.5, 0.5, 0.0, 0.0),
        },
        PieceResult {
            pit_id: "P1".into(),
            responsibility: Responsibility::Legacy,
            areas: areas(0.25, 2.0, 0.25, 0.0),
        },
        PieceResult {
            pit_id: "P2".into(),
            responsibility: responsible("C002", HOLDER_COMMA),
            areas: areas(0.75, 1.0, 0.0, 0.5),
        },
        PieceResult {
            pit_id: "P3".into(),
            responsibility: Responsibility::Legacy,
            areas: areas(0.5, 3.0, 0.5, 0.0),
        },
        PieceResult {
            pit_id: "P4".into(),
            responsibility: Responsibility::Legacy,
            areas: areas(1.0, 0.0, 0.0, 0.0),
        },
    ];
    let piece_geometry = vec![
        geometry(400_000.0, 4_800_000.0, 400_100.0, 4_800_100.0),
        geometry(400_100.0, 4_800_000.0, 400_200.0, 4_800_100.0),
        geometry(400_300.0, 4_800_000.0, 400_400.0, 4_800_100.0),
        geometry(400_000.0, 4_800_200.0, 400_100.0, 4_800_300.0),
        geometry(400_200.0, 4_800_200.0, 400_300.0, 4_800_300.0),
    ];
    let pits = vec![
        pit(
            "P1",
            "采场 open pit",
            "景台镇",
            areas(1.75, 2.5, 0.25, 0.0),
            "mixed",
            &["P2"],
        ),
        pit(
            "P2",
            "排土场 waste dump",
            "营城子镇",
            areas(0.75, 1.0, 0.0, 0.5),
            "responsible",
            &["P1"],
        ),
        pit(
            "P3",
            "尾矿库 tailings",
            "景台镇",
            areas(0.5, 3.0, 0.5, 0.0),
            "legacy",
            &[],
        ),
        pit(
            "P4",
            "采场 open pit",
            "马鞍山镇",
            areas(1.0, 0.0, 0.0, 0.0),
            "legacy",
            &[],
        ),
    ];
    let mines = vec![
        mine(
            "C001",
            HOLDER_ZH,
            "valid",
            true,
            areas(1.5, 0.5, 0.0, 0.0),
            1,
        ),
        mine(
            "C002",
            HOLDER_COMMA,
            "expired",
            true,
            areas(0.75, 1.0, 0.0, 0.5),
            1,
        ),
        mine(
            "C003",
            "伊通县石材厂",
            "revoked",
            false,
            ClassAreas::default(),
            0,
        ),
    ];
    AuditReport {
        summary: summary(),
        baseline: None,
        previous: None,
        pieces,
        piece_geometry,
        pits,
        mines,
        overlaps: vec![OverlapResult {
            pit_a: "P1".into(),
            pit_b: "P2".into(),
            overlap_ha: 0.0125,
        }],
        warnings: vec![],
        provenance: Provenance {
            reclaim_version: "0.1.0".into(),
            inputs: vec![
                InputFile {
                    role: "imagery".into(),
                    path: PathBuf::from("/data/2025/s2_yitong_20250915.tif"),
                    sha256: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
                        .into(),
                    path_relative: None,
                },
                InputFile {
                    role: "pits".into(),
                    path: PathBuf::from("/data/2025/图斑.shp"),
                    sha256: "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"
                        .into(),
                    path_relative: None,
                },
            ],
            config_toml: FIXTURE_TOML.into(),
            crs: "EPSG:32651".into(),
            cell_size: (10.0, 10.0),
            method: Some(
                reclaim::audit::AuditConfig::from_toml(
                    FIXTURE_TOML,
                    std::path::Path::new("config"),
                )
                .expect("fixture configuration")
                .method(false),
            ),
        },
        county_map: class_map((400_000.0, 4_800_000.0, 400_400.0, 4_800_300.0), land),
        mine_maps: vec![
            (
                "C001".into(),
                class_map((400_000.0, 4_800_000.0, 400_100.0, 4_800_100.0), land),
            ),
            (
                "C002".into(),
                class_map((400_300.0, 4_800_000.0, 400_400.0, 4_800_100.0), land),
            ),
        ],
        licence_geometry: vec![(
            "C001".into(),
            rect(400_010.0, 4_800_010.0, 400_090.0, 4_800_090.0),
        )],
        pit_geometry: Vec::new(),
        clear_obs_map: None,
        rasters: None,
        accuracy: None,
        discovery: None,
    }
}

/// The fixture with the plan's baseline and a previous audit.
fn report_with_history() -> AuditReport {
    let mut r = report();
    let b = Baseline {
        restored_ha: 522.38,
        unrestored_ha: 705.09,
        unrestored_responsible_ha: 51.0,
        unrestored_legacy_ha: 654.09,
    };
    r.baseline = Some(BaselineDelta {
        baseline: b,
        restored_delta_ha: 4.0 - 522.38,
        unrestored_delta_ha: 6.5 - 705.09,
        unrestored_responsible_delta_ha: 1.5 - 51.0,
        unrestored_legacy_delta_ha: 5.0 - 654.09,
    });
    let mut prev = summary();
    prev.audit_date = "2024-12-31".into();
    prev.restored_ha = 3.0;
    prev.unrestored_ha = 7.5;
    prev.unrestored_legacy_ha = 6.0;
    r.previous = Some(Previous {
        dir: PathBuf::from("/audits/2024"),
        summary: prev,
        change: Change {
            restored_before_ha: 3.0,
            unrestored_before_ha: 7.5,
            newly_restored_ha: 1.25,
            redisturbed_ha: 0.25,
        },
    });
    let change = Change {
        restored_before_ha: 1.25,
        unrestored_before_ha: 2.75,
        newly_restored_ha: 0.5,
        redisturbed_ha: 0.0,
    };
    for p in &mut r.pits {
        p.change = Some(change);
    }
    for m in &mut r.mines {
        m.change = Some(change);
    }
    r
}

/// A small RFC 4180 reader, independent of the one in the crate.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    assert!(
        !quoted && field.is_empty() && row.is_empty(),
        "CSV must end with a newline"
    );
    rows
}

fn write(r: &AuditReport) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    write_all(dir.path(), r).unwrap();
    dir
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap()
}

fn num(s: &str) -> f64 {
    s.parse().unwrap_or_else(|_| panic!("not a number: {s:?}"))
}

#[test]
fn writes_exactly_the_report_files() {
    let d = write(&report());
    let mut names: Vec<String> = std::fs::read_dir(d.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "attribution.csv",
            "mines.csv",
            "orphans.geojson",
            "pits.csv",
            "report.html",
            "results.gpkg",
            "shapefiles",
            "summary.json"
        ]
    );
    let mut shp: Vec<String> = std::fs::read_dir(d.path().join("shapefiles"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    shp.sort();
    let mut want = Vec::new();
    for layer in ["mines", "orphans", "pieces", "pits"] {
        for ext in ["cpg", "dbf", "prj", "qml", "shp", "shx"] {
            want.push(format!("{layer}.{ext}"));
        }
    }
    assert_eq!(shp, want);
}

#[test]
fn attribution_rows_quote_and_keep_unicode() {
    let d = write(&report());
    let text = read(d.path(), "attribution.csv");
    assert!(!text.starts_with('\u{feff}'), "no byte-order mark");
    let first = text.lines().next().unwrap();
    assert_eq!(
        first,
        "pit_id,license_id,holder,responsibility,restored_ha,unrestored_ha,water_ha,unobserved_ha,total_ha"
    );
    // The comma-and-quote holder is quoted with doubled quotes (RFC 4180).
    assert!(
        text.contains("P2,C002,\"Smith, Jones & \"\"Partners\"\"\",responsible,"),
        "{text}"
    );
    let rows = parse_csv(&text);
    assert_eq!(rows.len(), 6);
    assert!(rows.iter().all(|r| r.len() == 9), "{rows:?}");
    assert_eq!(
        rows[1],
        [
            "P1",
            "C001",
            HOLDER_ZH,
            "responsible",
            "1.5",
            "0.5",
            "0",
            "0",
            "2"
        ]
    );
    assert_eq!(
        rows[2],
        ["P1", "", "", "legacy", "0.25", "2", "0.25", "0", "2.5"]
    );
    assert_eq!(rows[3][2], HOLDER_COMMA);
    // Column sums are the county figures: 4, 6.5, 0.75, 0.5, 11.75.
    let col = |i: usize| rows[1..].iter().map(|r| num(&r[i])).sum::<f64>();
    assert_eq!(
        [col(4), col(5), col(6), col(7), col(8)],
        [4.0, 6.5, 0.75, 0.5, 11.75]
    );
}

#[test]
fn full_precision_numbers() {
    let mut r = report();
    r.pieces[0].areas.restored_ha = 0.1 + 0.2;
    let d = write(&r);
    let rows = parse_csv(&read(d.path(), "attribution.csv"));
    assert_eq!(rows[1][4], "0.30000000000000004");
    assert_eq!(num(&rows[1][4]), 0.1 + 0.2);
}

#[test]
fn pits_table_without_and_with_previous() {
    let d = write(&report());
    let rows = parse_csv(&read(d.path(), "pits.csv"));
    assert_eq!(
        rows[0].join(","),
        "pit_id,kind,town,restored_ha,unrestored_ha,water_ha,unobserved_ha,total_ha,polygon_ha,restored_pct,main_responsibility,overlaps,restored_before_ha,unrestored_before_ha,newly_restored_ha,redisturbed_ha,observed_pct,unobserved_mask_ha,unobserved_nodata_ha,unobserved_invalid_ha,unobserved_unmapped_ha,unobserved_outside_ha"
    );
    assert_eq!(rows.len(), 5);
    let p1 = &rows[1];
    assert_eq!(
        &p1[..9],
        [
            "P1",
            "采场 open pit",
            "景台镇",
            "1.75",
            "2.50",
            "0.25",
            "0.00",
            "4.50",
            "4.50"
        ]
    );
    // restored / observed = 1.75 / 4.5 = 38.88… %, to 0.1 % (docs/report.md).
    assert_eq!(p1[9], "38.9");
    assert_eq!(&p1[10..16], ["mixed", "P2", "", "", "", ""]);
    // Everything observed: 100 %, no unobserved cause.
    assert_eq!(&p1[16..], ["100.0", "0.00", "0.00", "0.00", "0.00", "0.00"]);

    let d = write(&report_with_history());
    let rows = parse_csv(&read(d.path(), "pits.csv"));
    assert_eq!(&rows[3][12..16], ["1.25", "2.75", "0.50", "0.00"]);
}

#[test]
fn overlaps_column_joins_ids_with_semicolons() {
    let mut r = report();
    r.pits[0].overlaps = vec!["P2".into(), "P3".into()];
    let d = write(&r);
    let rows = parse_csv(&read(d.path(), "pits.csv"));
    assert_eq!(rows[1][11], "P2;P3");
}

#[test]
fn mines_table() {
    let d = write(&report());
    let rows = parse_csv(&read(d.path(), "mines.csv"));
    assert_eq!(
        rows[0].join(","),
        "license_id,holder,name,mineral,status,valid_to,liable,restored_ha,unrestored_ha,water_ha,unobserved_ha,total_ha,restored_pct,pit_count,restored_before_ha,unrestored_before_ha,newly_restored_ha,redisturbed_ha,observed_pct,unobserved_mask_ha,unobserved_nodata_ha,unobserved_invalid_ha,unobserved_unmapped_ha,unobserved_outside_ha"
    );
    assert_eq!(rows.len(), 4);
    // observed = 1.75 of 2.25 ha = 77.77… %, to 0.1 %.
    assert_eq!(rows[2][18], "77.8");
    assert_eq!(
        rows[2][..18],
        [
            "C002",
            HOLDER_COMMA,
            "C002 quarry",
            "建筑用安山岩",
            "expired",
            "2027-06-30",
            "true",
            "0.75",
            "1.00",
            "0.00",
            "0.50",
            "2.25",
            "42.9",
            "1",
            "",
            "",
            "",
            ""
        ]
    );
    // Revoked licence without land: not liable, no share, no pits.
    assert_eq!(
        &rows[3][6..14],
        ["false", "0.00", "0.00", "0.00", "0.00", "0.00", "", "0"]
    );
}

#[test]
fn orphans_are_legacy_with_bare_land_ranked() {
    let d = write(&report());
    let v: serde_json::Value = serde_json::from_str(&read(d.path(), "orphans.geojson")).unwrap();
    assert_eq!(v["type"], "FeatureCollection");
    let f = v["features"].as_array().unwrap();
    assert_eq!(
        f.len(),
        2,
        "P4 (no bare land) and responsible pieces are left out"
    );
    let p = |i: usize| &f[i]["properties"];
    assert_eq!(
        (p(0)["rank"].as_u64(), p(0)["pit_id"].as_str()),
        (Some(1), Some("P3"))
    );
    assert_eq!(
        (p(1)["rank"].as_u64(), p(1)["pit_id"].as_str()),
        (Some(2), Some("P1"))
    );
    assert_eq!(p(0)["unrestored_ha"], 3.0);
    assert_eq!(p(0)["total_ha"], 4.0);
    assert_eq!(p(0)["kind"], "尾矿库 tailings");
    assert_eq!(p(1)["town"], "景台镇");
    assert_eq!(p(1)["water_ha"], 0.25);
    // Exterior ring closed and counter-clockwise (RFC 7946), though given clockwise.
    let g = &f[0]["geometry"];
    assert_eq!(g["type"], "MultiPolygon");
    let ring: Vec<(f64, f64)> = g["coordinates"][0][0]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c[0].as_f64().unwrap(), c[1].as_f64().unwrap()))
        .collect();
    assert_eq!(ring.len(), 5);
    assert_eq!(ring.first(), ring.last());
    let area2: f64 = ring
        .windows(2)
        .map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1)
        .sum();
    assert!(area2 > 0.0);
    // P3 lies at x 400000..400100, y 4800200..4800300 → lon 125.2..125.2012, lat 43.3018..43.3027.
    let lons: Vec<f64> = ring.iter().map(|c| c.0).collect();
    assert!(
        lons.iter()
            .all(|&x| (125.2 - 1e-9..=125.2012 + 1e-9).contains(&x)),
        "{lons:?}"
    );
    assert!(ring.iter().any(|c| c.1 == 43.3027));
}

#[test]
fn orphan_ties_break_by_pit_id() {
    let mut r = report();
    r.pieces[1].areas = areas(0.25, 3.0, 0.25, 0.0); // P1 now ties with P3 at 3 ha
    let d = write(&r);
    let v: serde_json::Value = serde_json::from_str(&read(d.path(), "orphans.geojson")).unwrap();
    let ids: Vec<&str> = v["features"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["properties"]["pit_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["P1", "P3"]);
}

#[test]
fn summary_reads_back() {
    let r = report_with_history();
    let d = write(&r);
    assert_eq!(read_summary(d.path()).unwrap(), r.summary);
    let f = read_summary_file(d.path()).unwrap();
    assert_eq!(f.baseline, r.baseline);
    assert_eq!(f.previous, r.previous);
    assert_eq!(f.provenance, r.provenance);
    assert_eq!(f.overlaps, r.overlaps);
    let v: serde_json::Value = serde_json::from_str(&read(d.path(), "summary.json")).unwrap();
    for key in [
        "restored_ha",
        "unrestored_ha",
        "unrestored_responsible_ha",
        "unrestored_legacy_ha",
        "water_ha",
        "unobserved_ha",
        "footprint_ha",
        "pit_count",
    ] {
        assert!(v[key].is_number(), "{key}");
    }
    assert_eq!(v["footprint_ha"], 11.75);
    assert_eq!(v["provenance"]["crs"], "EPSG:32651");
    assert!(v["provenance"]["config_toml"]
        .as_str()
        .unwrap()
        .contains("restored_min_ndvi"));
    assert_eq!(v["baseline"]["unrestored_legacy_delta_ha"], 5.0 - 654.09);

    let prev = read_previous(d.path()).unwrap();
    assert_eq!(prev.summary, r.summary);
    assert_eq!(prev.pits.len(), 4);
    assert_eq!(prev.pits["P1"], areas(1.75, 2.5, 0.25, 0.0));
    assert_eq!(prev.mines["C002"], areas(0.75, 1.0, 0.0, 0.5));
    assert_eq!(prev.mines["C003"], ClassAreas::default());
}

#[test]
fn missing_or_broken_summary_is_an_error_naming_the_file() {
    let d = tempfile::tempdir().unwrap();
    let e = read_summary(d.path()).unwrap_err().to_string();
    assert!(e.contains("summary.json"), "{e}");
    std::fs::write(d.path().join("summary.json"), "{\"restored_ha\": ").unwrap();
    assert!(matches!(
        read_summary(d.path()),
        Err(ReportError::Json { .. })
    ));
}

/// Minimal base64 decoder for the test (the crate only encodes).
fn unbase64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => c - b'A',
        b'a'..=b'z' => c - b'a' + 26,
        b'0'..=b'9' => c - b'0' + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("bad base64 {c}"),
    };
    let bytes: Vec<u8> = s.bytes().filter(|&c| c != b'=').collect();
    let mut out = Vec::new();
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= u32::from(val(c)) << (18 - 6 * i);
        }
        let take = chunk.len() - 1;
        out.extend_from_slice(&n.to_be_bytes()[1..1 + take]);
    }
    out
}

/// Decodes a map PNG, which must be 8-bit indexed with a palette of at most 256
/// colours, expanded to RGB by the decoder: (width, height, RGB pixels).
fn decode_png(bytes: &[u8]) -> (u32, u32, Vec<[u8; 3]>) {
    let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().unwrap();
    let stored = reader.info();
    assert_eq!(
        (stored.color_type, stored.bit_depth),
        (png::ColorType::Indexed, png::BitDepth::Eight)
    );
    let palette = stored.palette.as_deref().unwrap();
    assert!(palette.len().is_multiple_of(3) && (3..=768).contains(&palette.len()));
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Rgb);
    let px = buf[..info.buffer_size()]
        .chunks(3)
        .map(|c| [c[0], c[1], c[2]])
        .collect();
    (info.width, info.height, px)
}

#[test]
fn html_is_self_contained_with_figures_and_maps() {
    let r = report_with_history();
    let d = write(&r);
    let html = read(d.path(), "report.html");
    if let Ok(keep) = std::env::var("RECLAIM_REPORT_KEEP") {
        std::fs::write(&keep, &html).unwrap();
    }
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(html.contains("2025-12-31"));
    // County figures and baseline with deltas (hand-computed).
    for s in [
        "4.00",
        "6.50",
        "1.50",
        "5.00",
        "0.75",
        "11.75",
        "522.38",
        "705.09",
        "654.09",
        "\u{2212}518.38",
        "\u{2212}649.09",
    ] {
        assert!(html.contains(s), "missing {s}");
    }
    // Change since the previous audit.
    assert!(
        html.contains("Newly restored") && html.contains("1.25") && html.contains("Re-disturbed")
    );
    // Text is escaped, Chinese kept.
    assert!(html.contains("Smith, Jones &amp; &quot;Partners&quot;"));
    assert!(html.contains(HOLDER_ZH));
    // No external resource: the only scripts are the vendored Leaflet, the map's
    // data and its builder, all inline; images are data: URIs.
    assert!(!html.contains("<link") && !html.contains("<iframe"));
    assert!(!html.contains("<script src") && !html.contains("url(http"));
    assert_eq!(html.matches("<script").count(), 3);
    let srcs: Vec<&str> = html.split("src=\"").skip(1).collect();
    assert!(srcs.iter().all(|s| s.starts_with("data:image/png;base64,")));
    // County map + a map for each of the two mines with land.
    assert_eq!(srcs.len(), 3);
    for s in &srcs {
        let b64 = &s["data:image/png;base64,".len()..s.find('"').unwrap()];
        let (w, _h, px) = decode_png(&unbase64(b64));
        assert!(w >= 300, "map {w} px wide");
        let green = px
            .iter()
            .filter(|p| **p == reclaim::report::maps::RESTORED)
            .count();
        let brown = px
            .iter()
            .filter(|p| **p == reclaim::report::maps::UNRESTORED)
            .count();
        assert!(green > 100 && brown > 100, "green {green}, brown {brown}");
    }
    // County map: legacy outlines in red.
    let b64 = &srcs[0]["data:image/png;base64,".len()..srcs[0].find('"').unwrap()];
    let (_, _, px) = decode_png(&unbase64(b64));
    assert!(px.contains(&reclaim::report::maps::LEGACY_OUTLINE));
    // The licence boundary: on C001's map (C002 has no geometry in the fixture)…
    let with_boundary: Vec<bool> = srcs
        .iter()
        .map(|s| {
            let b64 = &s["data:image/png;base64,".len()..s.find('"').unwrap()];
            let (_, _, px) = decode_png(&unbase64(b64));
            px.contains(&reclaim::report::maps::LICENCE_BOUNDARY)
        })
        .collect();
    // …and on the county map, which outlines every licence.
    assert_eq!(with_boundary.iter().filter(|b| **b).count(), 2);
    assert!(with_boundary[0], "licence boundaries on the county map");
    assert!(html.contains("Licence boundary"));
    assert_eq!(
        html.matches("Dashed dark blue: licence boundary").count(),
        1
    );
    // Orphans table: P3 ranked first.
    let orphans = html.split("Orphaned legacy pits").nth(1).unwrap();
    assert!(orphans.find("P3").unwrap() < orphans.find("P1").unwrap());
    // Provenance: checksum prefix and thresholds.
    assert!(html.contains("9f86d081884c7d65"));
    assert!(html.contains("NDVI ≥ 0.3"));
}

#[test]
fn reconciliation_passes_then_catches_tampering() {
    check_reconciliation(&report()).unwrap();
    check_reconciliation(&report_with_history()).unwrap();

    let unbalanced = |r: &AuditReport| match check_reconciliation(r) {
        Err(ReportError::Unbalanced {
            check, id, class, ..
        }) => (check, id, class),
        other => panic!("expected Unbalanced, got {other:?}"),
    };
    let mut r = report();
    r.pits[0].areas.restored_ha += 0.01;
    assert_eq!(
        unbalanced(&r),
        (Check::PitFromPieces, Some("P1".into()), "restored")
    );

    let mut r = report();
    r.mines[1].areas.unobserved_ha = 0.0;
    assert_eq!(
        unbalanced(&r),
        (Check::MineFromPieces, Some("C002".into()), "unobserved")
    );

    let mut r = report();
    r.summary.water_ha = 0.7;
    assert_eq!(unbalanced(&r).0, Check::CountyFromPieces);

    let mut r = report();
    r.summary.footprint_ha = 11.7;
    assert_eq!(unbalanced(&r).0, Check::Footprint);

    let mut r = report();
    r.summary.unrestored_legacy_ha = 4.0;
    assert_eq!(unbalanced(&r).0, Check::UnrestoredSplit);

    // Both split figures moved together: the split adds up but not to its pieces.
    let mut r = report();
    r.summary.unrestored_legacy_ha = 4.0;
    r.summary.unrestored_responsible_ha = 2.5;
    assert_eq!(unbalanced(&r).0, Check::ResponsibilityFromPieces);

    let mut r = report_with_history();
    if let Some(b) = &mut r.baseline {
        b.restored_delta_ha += 1.0;
    }
    assert_eq!(unbalanced(&r).0, Check::BaselineDelta);

    // Within 1e-6 ha is fine.
    let mut r = report();
    r.pits[2].areas.unrestored_ha += 5e-7;
    check_reconciliation(&r).unwrap();

    let mut r = report();
    r.pieces[4].areas.water_ha = f64::NAN;
    assert!(matches!(
        check_reconciliation(&r),
        Err(ReportError::InvalidArea { .. })
    ));

    let mut r = report();
    r.summary.piece_count = 6;
    assert!(matches!(
        check_reconciliation(&r),
        Err(ReportError::Inconsistent { .. })
    ));
}

#[test]
fn inconsistent_report_is_refused_before_writing() {
    let mut r = report();
    r.piece_geometry.pop();
    let d = tempfile::tempdir().unwrap();
    assert!(matches!(
        write_all(d.path(), &r),
        Err(ReportError::Inconsistent { .. })
    ));
    let mut r = report();
    r.county_map.cells.pop();
    assert!(matches!(
        write_all(d.path(), &r),
        Err(ReportError::Inconsistent { .. })
    ));
    assert_eq!(
        std::fs::read_dir(d.path()).unwrap().count(),
        0,
        "nothing written"
    );
}

#[test]
fn empty_audit_still_writes_valid_files() {
    let mut r = report();
    r.pieces.clear();
    r.piece_geometry.clear();
    r.pits.clear();
    r.mines.clear();
    r.overlaps.clear();
    r.mine_maps.clear();
    r.county_map = ClassMap {
        width: 0,
        height: 0,
        bbox: (0.0, 0.0, 0.0, 0.0),
        cells: vec![],
    };
    let d = write(&r);
    let v: serde_json::Value = serde_json::from_str(&read(d.path(), "orphans.geojson")).unwrap();
    assert_eq!(v["features"].as_array().map(Vec::len), Some(0));
    assert_eq!(parse_csv(&read(d.path(), "pits.csv")).len(), 1);
    assert!(read(d.path(), "report.html").contains("No county map"));
}

/// A composite's report: the section with every scene, the clear-obs. columns and
/// the map; the same report of one raster has none of them.
#[test]
fn composite_section_only_for_composites() {
    use reclaim::results::{ClearObsMap, CompositeSummary, FootprintShares, SceneListing};
    let plain = reclaim::report::html::report_html(&report()).unwrap();
    for absent in [
        "seasonal composite",
        "Clear obs.",
        "clear observations",
        "Scenes found",
    ] {
        assert!(
            !plain.contains(absent),
            "single raster report has {absent:?}"
        );
    }

    let mut r = report();
    let scene = |id: &str, date: &str, used: bool, reason: Option<&str>| SceneListing {
        id: id.into(),
        date: date.into(),
        tile: Some("T51TXM".into()),
        used,
        reason: reason.map(str::to_string),
        over_footprints: None,
    };
    r.summary.composite = Some(CompositeSummary {
        rule: "median".into(),
        min_clear: 3,
        season: Some(vec!["05-01".into(), "09-30".into()]),
        scenes_used: 2,
        clear_obs_mean: Some(4.25),
        scenes: vec![
            scene(
                "S2A_MSIL2A_20250412",
                "2025-04-12",
                false,
                Some("outside the season 05-01…09-30 of 2025"),
            ),
            SceneListing {
                over_footprints: Some(FootprintShares {
                    clear: 0.625,
                    masked: 0.25,
                    missing: 0.125,
                }),
                ..scene("S2B_MSIL2A_20250601", "2025-06-01", true, None)
            },
            scene("S2A_MSIL2A_20250716", "2025-07-16", true, None),
        ],
    });
    // Pit land with clear observations: P1's orphan piece shows its mean.
    for p in r.pieces.iter_mut() {
        let total = p.areas.total_ha();
        p.areas.clear_obs_ha = Some(total * 3.5);
    }
    for m in r.mines.iter_mut() {
        let total = m.areas.total_ha();
        m.areas.clear_obs_ha = Some(total * 6.0);
    }
    r.clear_obs_map = Some(ClearObsMap {
        width: 4,
        height: 3,
        bbox: (400_000.0, 4_800_000.0, 400_400.0, 4_800_300.0),
        means: (0..12).map(|i| (i % 5 != 0).then_some(i as f64)).collect(),
    });
    let html = reclaim::report::html::report_html(&r).unwrap();
    let section = html
        .split("Imagery: seasonal composite")
        .nth(1)
        .expect("composite section")
        .split("<h2>")
        .next()
        .unwrap();
    for want in [
        "<b>median</b>",
        "05-01 – 09-30",
        "<td class=\"n\">2 / 3</td>",
        "<td class=\"n\">4.2</td>",
        "<td class=\"n\">3</td>",
        "<img",
        "Clear observations 晴空观测次数",
    ] {
        assert!(section.contains(want), "no {want:?} in {section}");
    }
    // One row per scene found, the unused one with its reason.
    assert_eq!(section.matches("<tr><td>2025-").count(), 3, "{section}");
    assert!(section.contains(
        "<tr><td>2025-04-12</td><td>S2A_MSIL2A_20250412</td><td>T51TXM</td><td class=\"n\"></td><td class=\"n\"></td><td class=\"n\"></td><td><span class=\"tag no\">no 否</span></td><td>outside the season 05-01…09-30 of 2025</td></tr>"
    ));
    assert!(section.contains(
        "<td>S2B_MSIL2A_20250601</td><td>T51TXM</td><td class=\"n\">62.5</td><td class=\"n\">25.0</td><td class=\"n\">12.5</td><td><span class=\"tag\">yes 是</span></td><td></td>"
    ));
    // The pits (orphans) and mines tables gain the column, with the means.
    assert_eq!(
        html.matches("<th class=\"n\">Clear obs. 晴空观测</th>")
            .count(),
        2
    );
    assert!(
        html.contains("<td class=\"n\">3.5</td></tr>"),
        "orphan rows"
    );
    assert!(html.contains("<td class=\"n\">6.0</td></tr>"), "mine rows");
}

/// The interactive map's data block: one feature per piece with its pit's popup
/// (figures formatted as the tables format them), the licence with a boundary,
/// and the orphans ranked as the orphan table ranks them.
#[test]
fn interactive_map_carries_every_piece_with_its_pit_figures() {
    let r = report_with_history();
    let d = write(&r);
    let html = read(d.path(), "report.html");
    let start = html
        .find("<script type=\"application/json\" id=\"reclaim-map-data\">")
        .expect("the map's data block");
    let body = &html[start..];
    let body = &body[body.find('>').unwrap() + 1..body.find("</script>").unwrap()];
    let v: serde_json::Value = serde_json::from_str(body).unwrap();
    let pieces = v["pieces"].as_array().unwrap();
    assert_eq!(pieces.len(), r.pieces.len());
    let pits = v["pits"].as_array().unwrap();
    assert_eq!(pits.len(), r.pits.len());
    for (p, f) in r.pieces.iter().zip(pieces) {
        let pit = &pits[f["pit"].as_u64().unwrap() as usize];
        assert_eq!(pit["id"], p.pit_id.as_str());
        let row = r.pits.iter().find(|q| q.pit_id == p.pit_id).unwrap();
        let popup = pit["popup"].as_str().unwrap();
        // Total and unrestored hectares, to 0.01 ha, as in the pit table.
        for want in [row.areas.total_ha(), row.areas.unrestored_ha] {
            assert!(
                popup.contains(&format!("{want:.2} ha")),
                "{want} in {popup}"
            );
        }
        let kind = match p.responsibility {
            Responsibility::Legacy => "legacy",
            Responsibility::Responsible { .. } => "responsible",
            Responsibility::Unattributed => "unattributed",
        };
        assert_eq!(f["kind"], kind);
        // Rings: closed by the page, so the closing vertex is dropped; a 100 m
        // square keeps its 4 corners, 8 numbers, shifted to the map's corner.
        let ring = f["rings"][0][0].as_array().unwrap();
        assert_eq!(ring.len(), 8, "{ring:?}");
        assert!(ring.iter().all(|c| c.as_f64().unwrap() >= 0.0));
    }
    assert_eq!(v["licences"].as_array().unwrap().len(), 1);
    assert_eq!(v["licences"][0]["id"], "C001");
    let ranks: Vec<u64> = v["orphans"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["rank"].as_u64().unwrap())
        .collect();
    let want: Vec<u64> = reclaim::report::orphan_ranking(&r)
        .iter()
        .map(|o| o.rank as u64)
        .collect();
    assert_eq!(ranks, want);
    // The data cannot close its script element early.
    assert!(!body.contains("</"));
    // Printing keeps the configuration (details are closed on paper).
    assert!(html.contains("<div class=\"print-only\"><h3>Configuration as run"));
}

/// Clicks every pit of the fixture's interactive map in headless Chromium
/// (`scripts/click_map.py`, the DevTools protocol) and checks each popup against
/// pits.csv. Needs chromium and python3; CI installs both, elsewhere the test
/// says it was skipped.
#[test]
fn clicking_a_pit_on_the_interactive_map_shows_its_figures() {
    let has = |b: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {b}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !(has("chromium") && has("python3")) {
        eprintln!("skipped: no chromium or python3 (CI has both)");
        return;
    }
    let r = report_with_history();
    let d = write(&r);
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/click_map.py");
    let mut cmd = std::process::Command::new("python3");
    cmd.arg(&script).arg(d.path());
    for p in &r.pits {
        cmd.args(["--pit", &p.pit_id]);
    }
    let out = cmd.output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        text.matches("ok: clicked pit").count(),
        r.pits.len(),
        "{text}"
    );
}
