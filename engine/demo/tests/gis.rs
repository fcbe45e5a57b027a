//! The GIS files of an audit (`results.gpkg`, `shapefiles/`) read back by
//! independent readers — SQLite for the GeoPackage with a small WKB reader
//! written here, the `shapefile` crate and a dBASE field parser for the
//! shapefiles — must hold the audit's figures: every piece's polygon has the
//! area `attribution.csv` gives it, the attributes are the CSV tables' values,
//! and they add up to `summary.json`.
//!
//! Engine behaviour, tested here because it runs on the demo county (the engine does
//! not depend on `reclaim-demo`).

use reclaim::audit::{self, AuditConfig, AuditOptions, AuditReport};
use reclaim::report::gis::{DbfEncoding, GisOptions};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// Runs the demo's 2024 audit once; writes it in UTF-8 and in GBK.
fn audited() -> (tempfile::TempDir, AuditReport, PathBuf, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let scene = reclaim_demo::generate(dir.path()).unwrap();
    let cfg = AuditConfig::load(&scene.files.configs[1]).unwrap();
    let report = audit::run(&cfg, &AuditOptions::default()).unwrap();
    let utf8 = dir.path().join("audit-utf8");
    audit::write(&report, &utf8).unwrap();
    let gbk = dir.path().join("audit-gbk");
    let opts = GisOptions {
        dbf_encoding: DbfEncoding::Gbk,
    };
    let opts = audit::WriteOptions {
        gis: opts,
        ..Default::default()
    };
    audit::write_with(&report, &gbk, &opts).unwrap();
    (dir, report, utf8, gbk)
}

// ---- a CSV table, as written by reclaim (quoted fields allowed) ----

struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn read(path: &Path) -> Table {
        let text = std::fs::read_to_string(path).unwrap();
        let mut recs = reclaim::csv::parse(&text).unwrap().into_iter();
        let header = recs.next().unwrap();
        Table {
            header,
            rows: recs.collect(),
        }
    }
    fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("column {name}"))
    }
    fn num(&self, row: usize, name: &str) -> Option<f64> {
        let v = &self.rows[row][self.col(name)];
        (!v.is_empty()).then(|| v.parse().unwrap())
    }
}

// ---- GeoPackage binary geometry → polygons (a reader independent of the writer) ----

type Ring = Vec<(f64, f64)>;

struct Cursor<'a> {
    b: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn take(&mut self, n: usize) -> &[u8] {
        let s = &self.b[self.at..self.at + n];
        self.at += n;
        s
    }
    fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.take(4).try_into().unwrap())
    }
    fn f64(&mut self) -> f64 {
        f64::from_le_bytes(self.take(8).try_into().unwrap())
    }
}

/// Parses a GeoPackage geometry: checks its header (magic, srs id, envelope that
/// holds every point) and returns its polygons, rings as written.
fn parse_gpkg_geometry(blob: &[u8], srs_id: i32) -> Vec<Vec<Ring>> {
    assert_eq!(&blob[..3], b"GP\0");
    let flags = blob[3];
    assert_eq!(flags & 1, 1, "little-endian header");
    assert_eq!(i32::from_le_bytes(blob[4..8].try_into().unwrap()), srs_id);
    let env_kind = (flags >> 1) & 7;
    let mut c = Cursor { b: blob, at: 8 };
    let env = match env_kind {
        0 => None,
        1 => Some([c.f64(), c.f64(), c.f64(), c.f64()]),
        k => panic!("envelope kind {k}"),
    };
    assert_eq!(c.take(1), [1], "little-endian WKB");
    assert_eq!(c.u32(), 6, "MultiPolygon");
    let n = c.u32();
    let mut polys = Vec::new();
    for _ in 0..n {
        assert_eq!(c.take(1), [1]);
        assert_eq!(c.u32(), 3, "Polygon");
        let nr = c.u32();
        let mut rings = Vec::new();
        for _ in 0..nr {
            let np = c.u32();
            let ring: Ring = (0..np).map(|_| (c.f64(), c.f64())).collect();
            rings.push(ring);
        }
        polys.push(rings);
    }
    assert_eq!(c.at, blob.len(), "trailing bytes");
    if let Some([minx, maxx, miny, maxy]) = env {
        for &(x, y) in polys.iter().flatten().flatten() {
            assert!(minx <= x && x <= maxx && miny <= y && y <= maxy);
        }
    } else {
        assert!(polys.is_empty(), "no envelope on a non-empty geometry");
    }
    polys
}

/// Shoelace: twice the signed area about the first point.
fn area2(r: &[(f64, f64)]) -> f64 {
    let (ox, oy) = r[0];
    r.windows(2)
        .map(|w| (w[0].0 - ox) * (w[1].1 - oy) - (w[1].0 - ox) * (w[0].1 - oy))
        .sum()
}

/// Area in hectares of polygons whose exteriors run counter-clockwise and holes
/// clockwise (checked), every ring closed.
fn ha_ogc(polys: &[Vec<Ring>]) -> f64 {
    let mut a2 = 0.0;
    for rings in polys {
        for (k, r) in rings.iter().enumerate() {
            assert!(r.len() >= 4 && r.first() == r.last(), "ring closed");
            let s = area2(r);
            assert_eq!(s > 0.0, k == 0, "exterior CCW, holes CW");
            a2 += s;
        }
    }
    a2 / 2.0 / 10_000.0
}

struct Gpkg {
    conn: Connection,
}

impl Gpkg {
    fn open(path: &Path) -> Gpkg {
        Gpkg {
            conn: Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
                .unwrap(),
        }
    }
    fn columns(&self, table: &str) -> Vec<(String, String)> {
        let mut st = self
            .conn
            .prepare(&format!("PRAGMA table_info(\"{table}\")"))
            .unwrap();
        st.query_map([], |r| Ok((r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }
    /// Geometry and attribute values (as SQLite values) in fid order.
    fn rows(&self, table: &str) -> Vec<(Vec<u8>, Vec<rusqlite::types::Value>)> {
        let cols = self.columns(table);
        let mut st = self
            .conn
            .prepare(&format!("SELECT * FROM \"{table}\" ORDER BY fid"))
            .unwrap();
        st.query_map([], |r| {
            let geom: Vec<u8> = r.get(1)?;
            let vals = (2..cols.len())
                .map(|i| r.get::<_, rusqlite::types::Value>(i))
                .collect::<Result<Vec<_>, _>>()?;
            Ok((geom, vals))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    }
}

fn real(v: &rusqlite::types::Value) -> Option<f64> {
    match v {
        rusqlite::types::Value::Real(x) => Some(*x),
        rusqlite::types::Value::Null => None,
        other => panic!("not REAL: {other:?}"),
    }
}

/// The layer `table` holds the CSV `csv` column for column, value for value;
/// `rounded`: the CSV rounds its reals (pits.csv, mines.csv: 0.01 ha, 0.1 %) while
/// the layer keeps full precision, so each layer value must round to the CSV's.
fn same_as_csv(g: &Gpkg, table: &str, csv: &Table, rounded: bool) {
    let cols = g.columns(table);
    assert_eq!(cols[0], ("fid".into(), "INTEGER".into()));
    assert_eq!(cols[1], ("geom".into(), "MULTIPOLYGON".into()));
    let names: Vec<&str> = cols[2..].iter().map(|c| c.0.as_str()).collect();
    assert_eq!(names, csv.header, "{table}: the CSV's columns");
    let rows = g.rows(table);
    assert_eq!(rows.len(), csv.rows.len(), "{table}: one feature per row");
    for (i, (_, vals)) in rows.iter().enumerate() {
        for (k, v) in vals.iter().enumerate() {
            let want = &csv.rows[i][k];
            let ty = cols[k + 2].1.as_str();
            use rusqlite::types::Value as V;
            match (ty, v) {
                (_, V::Null) => assert_eq!(want, "", "{table} row {i} {}", names[k]),
                ("REAL", V::Real(x)) if rounded => {
                    let decimals = want.split_once('.').map_or(0, |(_, f)| f.len());
                    assert!(decimals > 0, "{table} row {i} {}: {want}", names[k]);
                    let half = 0.5 * 10f64.powi(-(decimals as i32));
                    close(
                        &format!("{table} row {i} {}", names[k]),
                        *x,
                        want.parse::<f64>().unwrap(),
                        half * (1.0 + 1e-9),
                    );
                }
                ("REAL", V::Real(x)) => assert_eq!(
                    *x,
                    want.parse::<f64>().unwrap(),
                    "{table} row {i} {}",
                    names[k]
                ),
                ("INTEGER", V::Integer(x)) => assert_eq!(x.to_string(), *want),
                ("BOOLEAN", V::Integer(x)) => {
                    assert_eq!(if *x == 1 { "true" } else { "false" }, want)
                }
                ("TEXT", V::Text(t)) => assert_eq!(t, want, "{table} row {i} {}", names[k]),
                (ty, v) => panic!("{table} row {i} {}: {ty} holds {v:?}", names[k]),
            }
        }
    }
}

fn close(what: &str, got: f64, want: f64, tol: f64) {
    assert!(
        (got - want).abs() <= tol,
        "{what}: {got} vs {want} (tolerance {tol})"
    );
}

#[test]
fn geopackage_holds_the_tables_geometry_and_figures() {
    let (_dir, report, out, _) = audited();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let crs = summary["provenance"]["crs"].as_str().unwrap();
    assert_eq!(crs, "EPSG:32651");
    let srs_id = 32651;
    let g = Gpkg::open(&out.join("results.gpkg"));
    let c = &g.conn;
    let pragma = |p: &str| -> i64 {
        c.query_row(&format!("PRAGMA {p}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(pragma("application_id"), 0x4750_4B47);
    assert_eq!(pragma("user_version"), 10300);
    assert_eq!(
        c.query_row("PRAGMA integrity_check", [], |r| r.get::<_, String>(0))
            .unwrap(),
        "ok"
    );
    assert!(!out.join("results.gpkg.part").exists());

    // The spatial reference systems: the three mandatory rows and the project CRS.
    let mut st = c
        .prepare("SELECT srs_id, organization, organization_coordsys_id, definition FROM gpkg_spatial_ref_sys ORDER BY srs_id")
        .unwrap();
    let srs: Vec<(i64, String, i64, String)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let ids: Vec<i64> = srs.iter().map(|s| s.0).collect();
    assert_eq!(ids, [-1, 0, 4326, 32651]);
    let utm = &srs[3];
    assert_eq!((utm.1.as_str(), utm.2), ("EPSG", 32651));
    assert!(
        utm.3.starts_with("PROJCS[\"WGS 84 / UTM zone 51N\"")
            && utm.3.ends_with("AUTHORITY[\"EPSG\",\"32651\"]]"),
        "{}",
        utm.3
    );
    let back = reclaim::crs::Crs::from_wkt(&utm.3).unwrap();
    assert_eq!(back.epsg, Some(32651));

    // Contents and geometry columns.
    let mut st = c
        .prepare("SELECT table_name, data_type, srs_id FROM gpkg_contents ORDER BY table_name")
        .unwrap();
    let contents: Vec<(String, String, Option<i64>)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let features: Vec<&str> = contents
        .iter()
        .filter(|c| c.1 == "features")
        .map(|c| c.0.as_str())
        .collect();
    assert_eq!(features, ["mines", "orphans", "pieces", "pits"]);
    assert!(contents
        .iter()
        .all(|c| c.1 != "features" || c.2 == Some(srs_id)));
    let n: i64 = c
        .query_row(
            "SELECT count(*) FROM gpkg_geometry_columns WHERE geometry_type_name = 'MULTIPOLYGON' AND srs_id = 32651 AND column_name = 'geom' AND z = 0 AND m = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(n, 4);

    // Pieces: the rows of attribution.csv; each polygon has its piece's area.
    let att = Table::read(&out.join("attribution.csv"));
    same_as_csv(&g, "pieces", &att, false);
    let rows = g.rows("pieces");
    let (mut restored, mut unrestored, mut legacy) = (0.0, 0.0, 0.0);
    let resp_col = att.col("responsibility");
    for (i, (blob, vals)) in rows.iter().enumerate() {
        let polys = parse_gpkg_geometry(blob, srs_id as i32);
        let total = att.num(i, "total_ha").unwrap();
        close(&format!("piece {i} area"), ha_ogc(&polys), total, 1e-6);
        restored += real(&vals[att.col("restored_ha")]).unwrap();
        let u = real(&vals[att.col("unrestored_ha")]).unwrap();
        unrestored += u;
        if att.rows[i][resp_col] == "legacy" {
            legacy += u;
        }
    }
    let s = |k: &str| summary[k].as_f64().unwrap();
    close("restored", restored, s("restored_ha"), 1e-6);
    close("unrestored", unrestored, s("unrestored_ha"), 1e-6);
    close("legacy", legacy, s("unrestored_legacy_ha"), 1e-6);

    // Pits: pits.csv; each outline has the pit polygon's area.
    let pits = Table::read(&out.join("pits.csv"));
    same_as_csv(&g, "pits", &pits, true);
    for (i, (blob, _)) in g.rows("pits").iter().enumerate() {
        let a = ha_ogc(&parse_gpkg_geometry(blob, srs_id as i32));
        close(
            &format!("pit {i}"),
            a,
            // pits.csv rounds to 0.01 ha: the figure at full precision.
            report.pits[i].polygon_ha,
            1e-6,
        );
    }
    assert_eq!(pits.rows.len(), report.pits.len());
    let pit_total: f64 = report.pits.iter().map(|p| p.areas.total_ha()).sum();
    close("pits' land", pit_total, s("footprint_ha"), 1e-6);

    // Mines: every licence of mines.csv, those without land too, with its boundary.
    let mines = Table::read(&out.join("mines.csv"));
    same_as_csv(&g, "mines", &mines, true);
    assert_eq!(mines.rows.len(), report.mines.len());
    let without_land = (0..mines.rows.len())
        .filter(|&i| mines.num(i, "pit_count") == Some(0.0))
        .count();
    assert!(without_land > 0, "the demo has licences without land");
    for (i, (blob, _)) in g.rows("mines").iter().enumerate() {
        let a = ha_ogc(&parse_gpkg_geometry(blob, srs_id as i32));
        assert!(a > 0.0, "licence {i} has a boundary");
        // A licence's land lies inside it.
        assert!(a + 1e-6 >= mines.num(i, "total_ha").unwrap(), "licence {i}");
    }

    // Orphans: the features of orphans.geojson, in the project CRS.
    let gj: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("orphans.geojson")).unwrap())
            .unwrap();
    let feats = gj["features"].as_array().unwrap();
    let orphans = g.rows("orphans");
    assert_eq!(orphans.len(), feats.len());
    assert_eq!(
        orphans.len() as u64,
        summary["orphan_piece_count"].as_u64().unwrap()
    );
    let unrestored_orphans: f64 = orphans
        .iter()
        .enumerate()
        .map(|(i, (blob, vals))| {
            let f = &feats[i]["properties"];
            assert_eq!(vals[0], rusqlite::types::Value::Integer(i as i64 + 1));
            assert_eq!(
                vals[1],
                rusqlite::types::Value::Text(f["pit_id"].as_str().unwrap().into())
            );
            let a = ha_ogc(&parse_gpkg_geometry(blob, srs_id as i32));
            close("orphan area", a, f["total_ha"].as_f64().unwrap(), 1e-6);
            real(&vals[4]).unwrap()
        })
        .sum();
    close("orphans' unrestored", unrestored_orphans, legacy, 1e-6);

    // QGIS default styles, one per layer, in the report's colours.
    let mut st = c
        .prepare("SELECT f_table_name, styleQML, useAsDefault FROM layer_styles ORDER BY id")
        .unwrap();
    let styles: Vec<(String, String, bool)> = st
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let names: Vec<&str> = styles.iter().map(|s| s.0.as_str()).collect();
    assert_eq!(names, ["pieces", "pits", "mines", "orphans"]);
    assert!(styles.iter().all(|s| s.2));
    assert!(
        styles[0].1.contains("56,158,72,255") && styles[0].1.contains("&quot;unrestored_ha&quot;")
    );
}

// ---- shapefiles ----

/// A `.dbf` field: name, type letter, width.
type DbfField = (String, u8, usize);
/// A `.dbf` record: the raw bytes of each field.
type DbfRecord = Vec<Vec<u8>>;

/// A `.dbf` read by hand: its language driver byte, its fields and its records.
fn read_dbf(path: &Path) -> (u8, Vec<DbfField>, Vec<DbfRecord>) {
    let b = std::fs::read(path).unwrap();
    let n = u32::from_le_bytes(b[4..8].try_into().unwrap()) as usize;
    let hl = u16::from_le_bytes(b[8..10].try_into().unwrap()) as usize;
    let rl = u16::from_le_bytes(b[10..12].try_into().unwrap()) as usize;
    let mut fields = Vec::new();
    let mut at = 32;
    while b[at] != 0x0D {
        let d = &b[at..at + 32];
        let end = d[..11].iter().position(|&c| c == 0).unwrap_or(11);
        fields.push((
            String::from_utf8(d[..end].to_vec()).unwrap(),
            d[11],
            d[16] as usize,
        ));
        at += 32;
    }
    assert_eq!(at + 1, hl);
    let mut recs = Vec::new();
    for i in 0..n {
        let mut p = hl + i * rl + 1;
        let mut rec = Vec::new();
        for f in &fields {
            rec.push(b[p..p + f.2].to_vec());
            p += f.2;
        }
        recs.push(rec);
    }
    assert_eq!(b[hl + n * rl], 0x1A);
    (b[29], fields, recs)
}

#[test]
fn shapefiles_read_back_with_the_same_figures_in_utf8_and_gbk() {
    let (_dir, report, out, gbk) = audited();
    let shp = out.join("shapefiles");
    let att = Table::read(&out.join("attribution.csv"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();

    for layer in ["pieces", "pits", "mines", "orphans"] {
        for ext in ["shp", "shx", "dbf", "prj", "cpg", "qml"] {
            assert!(
                shp.join(format!("{layer}.{ext}")).is_file(),
                "{layer}.{ext}"
            );
        }
        assert_eq!(
            std::fs::read_to_string(shp.join(format!("{layer}.cpg"))).unwrap(),
            "UTF-8"
        );
        assert_eq!(
            std::fs::read_to_string(gbk.join("shapefiles").join(format!("{layer}.cpg"))).unwrap(),
            "GBK"
        );
        let prj = std::fs::read_to_string(shp.join(format!("{layer}.prj"))).unwrap();
        assert!(prj.starts_with("PROJCS[\"WGS_1984_UTM_Zone_51N\""), "{prj}");
        let crs = reclaim::crs::Crs::from_wkt(&prj).unwrap();
        assert!(crs.same_as(&reclaim::crs::Crs::from_epsg(32651).unwrap()));
    }

    // Pieces through the shapefile crate: areas, and the figures to 1e-9 ha.
    let pieces = shapefile::read(shp.join("pieces.shp")).unwrap();
    assert_eq!(pieces.len(), att.rows.len());
    let mut restored = 0.0;
    for (i, (shape, rec)) in pieces.iter().enumerate() {
        let shapefile::Shape::Polygon(p) = shape else {
            panic!("piece {i}: {}", shape.shapetype());
        };
        let mut a2 = 0.0;
        for r in p.rings() {
            let pts: Vec<(f64, f64)> = r.points().iter().map(|q| (q.x, q.y)).collect();
            assert_eq!(pts.first(), pts.last());
            let s = area2(&pts);
            // Shapefile order: outer rings clockwise, holes counter-clockwise.
            match r {
                shapefile::PolygonRing::Outer(_) => assert!(s < 0.0),
                shapefile::PolygonRing::Inner(_) => assert!(s > 0.0),
            }
            a2 -= s;
        }
        close(
            &format!("piece {i} area"),
            a2 / 2.0 / 10_000.0,
            att.num(i, "total_ha").unwrap(),
            1e-6,
        );
        let num = |name: &str| match rec.get(name) {
            Some(shapefile::dbase::FieldValue::Numeric(v)) => *v,
            other => panic!("{name}: {other:?}"),
        };
        for (short, long) in [
            ("restored", "restored_ha"),
            ("unrestored", "unrestored_ha"),
            ("water_ha", "water_ha"),
            ("unobserved", "unobserved_ha"),
            ("total_ha", "total_ha"),
        ] {
            close(
                &format!("piece {i} {long}"),
                num(short).unwrap(),
                att.num(i, long).unwrap(),
                1e-9,
            );
        }
        restored += num("restored").unwrap();
        match rec.get("pit_id") {
            Some(shapefile::dbase::FieldValue::Character(Some(t))) => {
                assert_eq!(t, &att.rows[i][0])
            }
            other => panic!("pit_id: {other:?}"),
        }
    }
    close(
        "restored",
        restored,
        summary["restored_ha"].as_f64().unwrap(),
        1e-6,
    );

    // Mines: pit_count an integer, liable a logical, holders in UTF-8; and in the
    // GBK folder the same holders in GBK (Chinese holder names round-trip).
    let mines = Table::read(&out.join("mines.csv"));
    let (ldid, fields, recs) = read_dbf(&shp.join("mines.dbf"));
    assert_eq!(ldid, 0);
    let fi = |n: &str| fields.iter().position(|f| f.0 == n).unwrap();
    assert_eq!(fields[fi("pit_count")].1, b'N');
    assert_eq!(fields[fi("liable")].1, b'L');
    assert_eq!(fields[fi("restored")].1, b'N');
    let (ldid_gbk, fields_gbk, recs_gbk) = read_dbf(&gbk.join("shapefiles").join("mines.dbf"));
    assert_eq!(ldid_gbk, 0x4D);
    assert_eq!(fields_gbk.len(), fields.len());
    let h = fi("holder");
    let mut chinese = 0;
    for (i, m) in report.mines.iter().enumerate() {
        let want = m.holder.clone().unwrap_or_default();
        assert_eq!(want, mines.rows[i][mines.col("holder")]);
        let utf8 = String::from_utf8(recs[i][h].clone()).unwrap();
        assert_eq!(utf8.trim_end(), want);
        let (text, _, bad) = encoding_rs::GBK.decode(&recs_gbk[i][h]);
        assert!(!bad);
        assert_eq!(text.trim_end(), want, "GBK round trip");
        if !want.is_ascii() {
            chinese += 1;
            assert_ne!(recs_gbk[i][h], recs[i][h], "GBK bytes differ from UTF-8");
        }
        let liable = if m.liable { b"T" } else { b"F" };
        assert_eq!(recs[i][fi("liable")], liable);
        let count = String::from_utf8(recs[i][fi("pit_count")].clone()).unwrap();
        assert_eq!(count.trim(), m.pit_count.to_string());
    }
    assert!(chinese > 0, "the demo's holders are Chinese");

    // The GBK folder's other files are the UTF-8 folder's.
    for f in ["attribution.csv", "pits.csv", "mines.csv", "results.gpkg"] {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(gbk.join(f)).unwrap(),
            "{f}"
        );
    }
}
