//! Footprint readers against real corpus files and hand-made fixtures.
//!
//! Fixtures in `testdata/vector/` are written by [`fixtures`] below (shapefiles, by a
//! writer independent of the reader) or by hand (GeoJSON). `generated_fixtures_are_current`
//! fails when the generator and the checked-in files differ; run it with
//! `RECLAIM_REGEN_FIXTURES=1` to rewrite them. Expected areas are computed by hand in
//! the comments next to each shape.

use std::path::{Path, PathBuf};

use geo::Area;
use reclaim::vector::{
    read_dbf, read_layer, EncodingSource, FieldValue, GeometryProblem, Layer, Malformation,
    ReadOptions, VectorError, VectorFormat,
};

fn corpus() -> PathBuf {
    std::env::var_os("RECLAIM_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
        })
}

fn testdata() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/vector"))
}

fn read(path: &Path) -> Result<Layer, VectorError> {
    read_layer(path, &ReadOptions::default())
}

fn read_with(path: &Path, encoding: &str) -> Result<Layer, VectorError> {
    let opts = ReadOptions {
        encoding: Some(encoding.to_string()),
        ..ReadOptions::default()
    };
    read_layer(path, &opts)
}

fn text(s: &str) -> FieldValue {
    FieldValue::Text(s.to_string())
}

fn areas(layer: &Layer) -> Vec<f64> {
    layer
        .features
        .iter()
        .map(|f| f.geometry.unsigned_area())
        .collect()
}

/// Writes the shapefile fixtures; every byte is laid out here, not by the reader's crate.
mod fixtures {
    use std::path::Path;

    /// A shape record: `None` is a null shape; otherwise rings of (x, y).
    pub type Shape = Option<Vec<Vec<(f64, f64)>>>;

    /// One .dbf field: name (already encoded), type letter, width, decimals.
    pub struct Field<'a> {
        pub name: &'a [u8],
        pub kind: u8,
        pub len: u8,
        pub dec: u8,
    }

    fn be(out: &mut Vec<u8>, v: i32) {
        out.extend_from_slice(&v.to_be_bytes());
    }
    fn le(out: &mut Vec<u8>, v: i32) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    fn f(out: &mut Vec<u8>, v: f64) {
        out.extend_from_slice(&v.to_le_bytes());
    }

    fn bbox(rings: &[Vec<(f64, f64)>]) -> [f64; 4] {
        rings.iter().flatten().fold(
            [
                f64::INFINITY,
                f64::INFINITY,
                f64::NEG_INFINITY,
                f64::NEG_INFINITY,
            ],
            |b, &(x, y)| [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)],
        )
    }

    fn header(out: &mut Vec<u8>, words: i32, shape_type: i32, b: [f64; 4]) {
        be(out, 9994);
        out.extend_from_slice(&[0; 20]);
        be(out, words);
        le(out, 1000);
        le(out, shape_type);
        for v in b {
            f(out, if v.is_finite() { v } else { 0.0 });
        }
        out.extend_from_slice(&[0; 32]);
    }

    /// .shp and .shx bytes for polygon shapes (type 5).
    pub fn shp(shapes: &[Shape]) -> (Vec<u8>, Vec<u8>) {
        let mut records = Vec::new();
        let mut index = Vec::new();
        let all: Vec<Vec<(f64, f64)>> = shapes.iter().flatten().flatten().cloned().collect();
        for (i, shape) in shapes.iter().enumerate() {
            let mut content = Vec::new();
            match shape {
                None => le(&mut content, 0),
                Some(rings) => {
                    le(&mut content, 5);
                    for v in bbox(rings) {
                        f(&mut content, v);
                    }
                    le(&mut content, rings.len() as i32);
                    le(
                        &mut content,
                        rings.iter().map(Vec::len).sum::<usize>() as i32,
                    );
                    let mut start = 0;
                    for r in rings {
                        le(&mut content, start);
                        start += r.len() as i32;
                    }
                    for &(x, y) in rings.iter().flatten() {
                        f(&mut content, x);
                        f(&mut content, y);
                    }
                }
            }
            index.push(((100 + records.len()) as i32 / 2, content.len() as i32 / 2));
            be(&mut records, i as i32 + 1);
            be(&mut records, content.len() as i32 / 2);
            records.extend_from_slice(&content);
        }
        let mut shp = Vec::new();
        header(&mut shp, (100 + records.len()) as i32 / 2, 5, bbox(&all));
        shp.extend_from_slice(&records);
        let mut shx = Vec::new();
        header(&mut shx, (100 + 8 * index.len()) as i32 / 2, 5, bbox(&all));
        for (offset, len) in index {
            be(&mut shx, offset);
            be(&mut shx, len);
        }
        (shp, shx)
    }

    /// .dbf bytes (dBase III); `deleted[i]` marks record i deleted.
    pub fn dbf(ldid: u8, fields: &[Field], records: &[(bool, Vec<Vec<u8>>)]) -> Vec<u8> {
        let header_len = 32 + 32 * fields.len() + 1;
        let record_len = 1 + fields.iter().map(|f| usize::from(f.len)).sum::<usize>();
        let mut out = vec![0u8; 32];
        out[0] = 0x03;
        out[1..4].copy_from_slice(&[125, 6, 1]); // last update 2025-06-01
        out[4..8].copy_from_slice(&(records.len() as u32).to_le_bytes());
        out[8..10].copy_from_slice(&(header_len as u16).to_le_bytes());
        out[10..12].copy_from_slice(&(record_len as u16).to_le_bytes());
        out[29] = ldid;
        for fd in fields {
            let mut d = [0u8; 32];
            d[..fd.name.len()].copy_from_slice(fd.name);
            d[11] = fd.kind;
            d[16] = fd.len;
            d[17] = fd.dec;
            out.extend_from_slice(&d);
        }
        out.push(0x0D);
        for (deleted, values) in records {
            out.push(if *deleted { b'*' } else { b' ' });
            for (fd, v) in fields.iter().zip(values) {
                let mut cell = v.clone();
                // Numbers are right-aligned, text left-aligned, both blank-padded.
                if fd.kind == b'N' {
                    let mut padded = vec![b' '; usize::from(fd.len).saturating_sub(cell.len())];
                    padded.extend_from_slice(&cell);
                    cell = padded;
                }
                cell.resize(usize::from(fd.len), b' ');
                out.extend_from_slice(&cell);
            }
        }
        out.push(0x1A);
        out
    }

    /// GBK bytes of a string.
    pub fn gbk(s: &str) -> Vec<u8> {
        encoding_rs::GBK.encode(s).0.into_owned()
    }

    /// GB18030 bytes of a string.
    pub fn gb18030(s: &str) -> Vec<u8> {
        encoding_rs::GB18030.encode(s).0.into_owned()
    }

    /// Clockwise rectangle (a shapefile outer ring).
    pub fn cw(x0: f64, y0: f64, w: f64, h: f64) -> Vec<(f64, f64)> {
        vec![
            (x0, y0),
            (x0, y0 + h),
            (x0 + w, y0 + h),
            (x0 + w, y0),
            (x0, y0),
        ]
    }

    /// Counter-clockwise rectangle (a shapefile hole).
    pub fn ccw(x0: f64, y0: f64, w: f64, h: f64) -> Vec<(f64, f64)> {
        let mut r = cw(x0, y0, w, h);
        r.reverse();
        r
    }

    /// ESRI WKT of WGS 84 / UTM zone 51N (EPSG:32651), as ArcGIS writes it.
    pub const UTM51N_PRJ: &str = "PROJCS[\"WGS_1984_UTM_Zone_51N\",GEOGCS[\"GCS_WGS_1984\",\
        DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],\
        PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],\
        PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],\
        PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",123.0],\
        PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],\
        UNIT[\"Meter\",1.0]]";

    /// Every generated file: (relative path, bytes).
    pub fn all() -> Vec<(String, Vec<u8>)> {
        let (x, y) = (500_000.0, 4_800_000.0);
        let pits: Vec<Shape> = vec![
            // 0: 100×100 square with a 20×20 hole: 10 000 − 400 = 9 600 m².
            Some(vec![
                cw(x, y, 100.0, 100.0),
                ccw(x + 20.0, y + 20.0, 20.0, 20.0),
            ]),
            // 1: deleted in the .dbf (a triangle).
            Some(vec![vec![(x, y), (x, y + 10.0), (x + 10.0, y), (x, y)]]),
            // 2: two parts, 10×10 and 20×10: 100 + 200 = 300 m².
            Some(vec![
                cw(x + 200.0, y, 10.0, 10.0),
                cw(x + 300.0, y, 20.0, 10.0),
            ]),
            // 3: outer A 100×100, outer B 50×50, then A's 10×10 hole listed last:
            //    (10 000 − 100) + 2 500 = 12 400 m².
            Some(vec![
                cw(x + 400.0, y, 100.0, 100.0),
                cw(x + 600.0, y, 50.0, 50.0),
                ccw(x + 440.0, y + 40.0, 10.0, 10.0),
            ]),
        ];
        let names = [
            gbk("图斑编号"),
            gbk("采矿权人"),
            gbk("许可证号"),
            gbk("有效期至"),
            gbk("面积"),
        ];
        let fields = [
            Field {
                name: &names[0],
                kind: b'C',
                len: 10,
                dec: 0,
            },
            Field {
                name: &names[1],
                kind: b'C',
                len: 40,
                dec: 0,
            },
            Field {
                name: &names[2],
                kind: b'C',
                len: 24,
                dec: 0,
            },
            Field {
                name: &names[3],
                kind: b'D',
                len: 8,
                dec: 0,
            },
            Field {
                name: &names[4],
                kind: b'N',
                len: 12,
                dec: 2,
            },
        ];
        let row = |id: &str, holder: &str, licence: &str, until: &str, area: &str| {
            vec![
                gbk(id),
                gbk(holder),
                licence.as_bytes().to_vec(),
                until.as_bytes().to_vec(),
                area.as_bytes().to_vec(),
            ]
        };
        let records = vec![
            (
                false,
                row(
                    "TB-001",
                    "伊通县石场有限公司",
                    "C2201002010067120071234",
                    "20261231",
                    "9600.00",
                ),
            ),
            (true, row("TB-002", "已注销", "", "", "50.00")),
            (false, row("TB-003", "", "", "", "300.00")),
            (
                false,
                row(
                    "TB-004",
                    "吉林省某矿业公司",
                    "C2201002015127130140999",
                    "20210630",
                    "12400.00",
                ),
            ),
        ];
        let (shp, shx) = shp(&pits);
        let mut files = vec![
            ("gbk_pits.shp".to_string(), shp.clone()),
            ("gbk_pits.shx".to_string(), shx.clone()),
            ("gbk_pits.dbf".to_string(), dbf(0, &fields, &records)),
            ("gbk_pits.cpg".to_string(), b"GBK".to_vec()),
            ("gbk_pits.prj".to_string(), UTM51N_PRJ.as_bytes().to_vec()),
            // Same table, no .cpg, LDID 0x4D (CP936): the header byte decides.
            ("gbk_ldid.shp".to_string(), shp.clone()),
            ("gbk_ldid.dbf".to_string(), dbf(0x4D, &fields, &records)),
            // Same table, no .cpg, LDID 0: detection (not UTF-8 → GB18030).
            ("gbk_nocpg.shp".to_string(), shp),
            ("gbk_nocpg.dbf".to_string(), dbf(0, &fields, &records)),
        ];

        // GB18030 .cpg; 𠮷 (U+20BB7) exists in GB18030 only. Triangle 40×30: 600 m². No .prj.
        let holder = gb18030("𠮷林矿业有限公司");
        let name = gb18030("采矿权人");
        let tri: Vec<Shape> = vec![Some(vec![vec![
            (0.0, 0.0),
            (0.0, 30.0),
            (40.0, 0.0),
            (0.0, 0.0),
        ]])];
        let (shp, _) = self::shp(&tri);
        files.push(("gb18030_pit.shp".into(), shp));
        files.push((
            "gb18030_pit.dbf".into(),
            dbf(
                0,
                &[Field {
                    name: &name,
                    kind: b'C',
                    len: 20,
                    dec: 0,
                }],
                &[(false, vec![holder])],
            ),
        ));
        files.push(("gb18030_pit.cpg".into(), b"GB18030\r\n".to_vec()));

        // Broken shapefiles: each with a one-field .dbf of matching length.
        let id = Field {
            name: b"ID",
            kind: b'N',
            len: 4,
            dec: 0,
        };
        let ids = |n: usize| {
            (0..n)
                .map(|i| (false, vec![i.to_string().into_bytes()]))
                .collect::<Vec<_>>()
        };
        let square = cw(0.0, 0.0, 10.0, 10.0);
        let broken: Vec<(&str, Vec<Shape>, usize)> = vec![
            ("null_shape", vec![Some(vec![square.clone()]), None], 2),
            ("unclosed_ring", vec![Some(vec![square[..4].to_vec()])], 1),
            (
                "nan_coordinate",
                vec![Some(vec![vec![
                    (0.0, 0.0),
                    (f64::NAN, 5.0),
                    (5.0, 0.0),
                    (0.0, 0.0),
                ]])],
                1,
            ),
            (
                "zero_area",
                vec![Some(vec![vec![
                    (0.0, 0.0),
                    (5.0, 5.0),
                    (10.0, 10.0),
                    (0.0, 0.0),
                ]])],
                1,
            ),
            (
                "count_mismatch",
                vec![Some(vec![square.clone()]), Some(vec![square.clone()])],
                1,
            ),
        ];
        for (stem, shapes, n) in broken {
            let (shp, _) = self::shp(&shapes);
            files.push((format!("malformed/{stem}.shp"), shp));
            files.push((
                format!("malformed/{stem}.dbf"),
                dbf(0, &[Field { ..id }], &ids(n)),
            ));
        }
        // A .shp cut in the middle of its only record.
        let (shp, _) = self::shp(&[Some(vec![square])]);
        files.push(("malformed/truncated.shp".into(), shp[..130].to_vec()));
        files.push((
            "malformed/truncated.dbf".into(),
            dbf(0, &[Field { ..id }], &ids(1)),
        ));
        // A .shp whose .dbf was not copied.
        files.push(("malformed/missing_dbf.shp".into(), shp));
        files
    }

    /// Writes all fixtures under `dir`.
    pub fn write(dir: &Path) {
        for (rel, bytes) in all() {
            let p = dir.join(rel);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, bytes).unwrap();
        }
    }
}

#[test]
fn generated_fixtures_are_current() {
    if std::env::var_os("RECLAIM_REGEN_FIXTURES").is_some() {
        fixtures::write(&testdata());
    }
    for (rel, bytes) in fixtures::all() {
        let on_disk = std::fs::read(testdata().join(&rel))
            .unwrap_or_else(|e| panic!("{rel}: {e} (run with RECLAIM_REGEN_FIXTURES=1)"));
        assert!(
            on_disk == bytes,
            "{rel} differs from the generator (RECLAIM_REGEN_FIXTURES=1)"
        );
    }
}

// ---------------------------------------------------------------- shapefile fixtures

#[test]
fn gbk_shapefile_with_chinese_field_names() {
    let layer = read(&testdata().join("gbk_pits.shp")).unwrap();
    assert_eq!(layer.format, VectorFormat::Shapefile);
    assert_eq!(
        layer.fields,
        ["图斑编号", "采矿权人", "许可证号", "有效期至", "面积"]
    );
    assert_eq!(layer.encoding.as_deref(), Some("GBK"));
    assert_eq!(layer.encoding_source, Some(EncodingSource::Cpg));
    layer.require_field("图斑编号").unwrap();
    // Deleted record 1 is skipped; the others keep their file positions.
    let idx: Vec<usize> = layer.features.iter().map(|f| f.index).collect();
    assert_eq!(idx, [0, 2, 3]);
    let f0 = &layer.features[0];
    assert_eq!(f0.get("图斑编号"), Some(&text("TB-001")));
    assert_eq!(f0.get("采矿权人"), Some(&text("伊通县石场有限公司")));
    assert_eq!(f0.get("许可证号"), Some(&text("C2201002010067120071234")));
    assert_eq!(
        f0.get("有效期至"),
        Some(&FieldValue::Date {
            year: 2026,
            month: 12,
            day: 31
        })
    );
    assert_eq!(
        f0.get("有效期至").and_then(FieldValue::as_text).as_deref(),
        Some("2026-12-31")
    );
    assert_eq!(f0.get("面积"), Some(&FieldValue::Float(9600.0)));
    // Attributes stay aligned after the deleted record.
    assert_eq!(layer.features[1].get("图斑编号"), Some(&text("TB-003")));
    assert_eq!(layer.features[1].get("采矿权人"), Some(&FieldValue::Null));
    assert_eq!(
        layer.features[2].get("采矿权人"),
        Some(&text("吉林省某矿业公司"))
    );
    // Hand-computed areas (see the generator).
    assert_eq!(areas(&layer), [9_600.0, 300.0, 12_400.0]);
    // The declared area field agrees with the geometry.
    for f in &layer.features {
        assert_eq!(
            f.get("面积").and_then(FieldValue::as_f64),
            Some(f.geometry.unsigned_area())
        );
    }
}

#[test]
fn shapefile_rings_become_polygons_with_holes() {
    let layer = read(&testdata().join("gbk_pits.shp")).unwrap();
    let hole = &layer.features[0].geometry;
    assert_eq!(hole.0.len(), 1);
    assert_eq!(hole.0[0].interiors().len(), 1);
    let multi = &layer.features[1].geometry;
    assert_eq!(multi.0.len(), 2);
    // The hole listed after a second outer ring still goes to the ring containing it.
    let tricky = &layer.features[2].geometry;
    assert_eq!(tricky.0.len(), 2);
    assert_eq!(tricky.0[0].interiors().len(), 1);
    assert_eq!(tricky.0[0].unsigned_area(), 9_900.0);
    assert_eq!(tricky.0[1].interiors().len(), 0);
    assert_eq!(tricky.0[1].unsigned_area(), 2_500.0);
}

#[test]
fn encoding_from_language_driver_and_detection() {
    let cpg = read(&testdata().join("gbk_pits.shp")).unwrap();
    let ldid = read(&testdata().join("gbk_ldid.shp")).unwrap();
    assert_eq!(ldid.encoding.as_deref(), Some("GBK"));
    assert_eq!(ldid.encoding_source, Some(EncodingSource::LanguageDriver));
    let detected = read(&testdata().join("gbk_nocpg.shp")).unwrap();
    assert_eq!(detected.encoding.as_deref(), Some("gb18030"));
    assert_eq!(
        detected.encoding_source,
        Some(EncodingSource::DefaultGb18030)
    );
    for other in [&ldid, &detected] {
        assert_eq!(other.fields, cpg.fields);
        for (a, b) in other.features.iter().zip(&cpg.features) {
            assert_eq!(a.properties, b.properties);
        }
    }
    // No .prj: the CRS is left to the caller.
    assert!(ldid.crs.is_none() && detected.crs.is_none());
    assert!(matches!(
        detected.require_crs(),
        Err(VectorError::MissingCrs { .. })
    ));
}

#[test]
fn explicit_encoding_wins_over_cpg() {
    let layer = read_with(&testdata().join("gbk_pits.shp"), "gb18030").unwrap();
    assert_eq!(layer.encoding_source, Some(EncodingSource::Explicit));
    assert_eq!(layer.fields[0], "图斑编号");
    match read_with(&testdata().join("gbk_pits.shp"), "utf-8") {
        Err(
            e @ VectorError::Encoding {
                feature: None,
                field_index: 0,
                ..
            },
        ) => {
            assert!(e.to_string().contains("pass --encoding"), "{e}");
        }
        other => panic!("unexpected {other:?}"),
    }
    assert!(matches!(
        read_with(&testdata().join("gbk_pits.shp"), "klingon"),
        Err(VectorError::UnknownEncoding {
            origin: EncodingSource::Explicit,
            ..
        })
    ));
}

#[test]
fn gb18030_cpg_decodes_characters_outside_gbk() {
    let layer = read(&testdata().join("gb18030_pit.shp")).unwrap();
    assert_eq!(layer.encoding.as_deref(), Some("gb18030"));
    assert_eq!(layer.encoding_source, Some(EncodingSource::Cpg));
    assert_eq!(
        layer.features[0].get("采矿权人"),
        Some(&text("𠮷林矿业有限公司"))
    );
    // Triangle with legs 40 and 30: 600 m².
    assert_eq!(areas(&layer), [600.0]);
    assert!(layer.crs.is_none());
}

// ---------------------------------------------------------------- corpus shapefiles

#[test]
fn corpus_rasterio_box() {
    let layer = read(&corpus().join("rasterio/box.shp")).unwrap();
    assert_eq!(layer.fields, ["id"]);
    assert_eq!(layer.features.len(), 1);
    assert_eq!(layer.features[0].get("id"), Some(&FieldValue::Int(0)));
    // .cpg says ISO-8859-1, decoded as its superset windows-1252.
    assert_eq!(layer.encoding.as_deref(), Some("windows-1252"));
    assert_eq!(layer.encoding_source, Some(EncodingSource::Cpg));
    // The box spans x 175 000..250 000, y 2 700 000..2 750 000: 75 km × 50 km.
    assert_eq!(areas(&layer), [75_000.0 * 50_000.0]);
}

#[test]
fn corpus_mapshaper_points_are_refused() {
    for rel in ["mapshaper/ldid/chinese.shp", "mapshaper/cpg/big5.shp"] {
        match read(&corpus().join(rel)) {
            Err(VectorError::UnsupportedGeometry {
                feature: 0,
                kind: "Point",
                ..
            }) => {}
            other => panic!("{rel}: unexpected {other:?}"),
        }
    }
}

#[test]
fn corpus_mapshaper_dbf_encodings() {
    let opts = ReadOptions::default();
    let name = |rel: &str, opts: &ReadOptions| {
        let t = read_dbf(&corpus().join(rel), opts).unwrap();
        (
            t.value(0, "NAME").cloned(),
            t.encoding.name(),
            t.encoding_source,
        )
    };
    // LDID 0x7A (CP936), no .cpg.
    assert_eq!(
        name("mapshaper/ldid/chinese.dbf", &opts),
        (Some(text("简体")), "GBK", EncodingSource::LanguageDriver)
    );
    // .cpg "Big-5" next to the .dbf.
    assert_eq!(
        name("mapshaper/cpg/big5.dbf", &opts),
        (Some(text("國語")), "Big5", EncodingSource::Cpg)
    );
    // No declaration: valid UTF-8 is detected; GBK/GB2312 falls back to GB18030.
    assert_eq!(
        name("mapshaper/utf8.dbf", &opts),
        (
            Some(text("国语國語")),
            "UTF-8",
            EncodingSource::DetectedUtf8
        )
    );
    for rel in ["mapshaper/gbk.dbf", "mapshaper/gb2312.dbf"] {
        assert_eq!(
            name(rel, &opts),
            (
                Some(text("简体国语")),
                "gb18030",
                EncodingSource::DefaultGb18030
            )
        );
    }
    // Undeclared Big5 cannot be told from GBK: only --encoding gets it right.
    let big5 = ReadOptions {
        encoding: Some("big5".into()),
        ..ReadOptions::default()
    };
    assert_eq!(
        name("mapshaper/big5.dbf", &big5),
        (Some(text("繁體國語")), "Big5", EncodingSource::Explicit)
    );
    let (guess, _, source) = name("mapshaper/big5.dbf", &opts);
    assert_eq!(source, EncodingSource::DefaultGb18030);
    assert_ne!(guess, Some(text("繁體國語")));
}

// ---------------------------------------------------------------- GeoJSON

#[test]
fn corpus_geojson_polygons() {
    let layer = read(&corpus().join("rasterframes/L8-Labels-Elkton-VA.geojson")).unwrap();
    assert_eq!(layer.format, VectorFormat::GeoJson);
    assert_eq!(layer.features.len(), 3);
    assert_eq!(layer.fields, ["id"]);
    assert_eq!(layer.encoding.as_deref(), Some("UTF-8"));
    let ids: Vec<_> = layer
        .features
        .iter()
        .map(|f| f.get("id").cloned())
        .collect();
    assert_eq!(
        ids,
        [
            Some(FieldValue::Int(0)),
            Some(FieldValue::Int(1)),
            Some(FieldValue::Int(2))
        ]
    );
    assert!(areas(&layer).iter().all(|&a| a > 0.0));

    let luray = read(&corpus().join("rasterframes/luray-labels.geojson")).unwrap();
    assert_eq!(luray.features.len(), 11);
    assert_eq!(luray.fields, ["id"]);
}

#[test]
fn corpus_geojson_bare_polygon_with_legacy_crs() {
    let layer = read(&corpus().join("eo-learn/bbox.geojson")).unwrap();
    assert_eq!(layer.features.len(), 1);
    assert!(layer.fields.is_empty());
    // (466180.53145382757 − 465181.0522318204) × (5080254.63349641 − 5079244.8912012065)
    let expected: f64 = (466_180.531_453_827_57 - 465_181.052_231_820_4)
        * (5_080_254.633_496_41 - 5_079_244.891_201_206_5);
    assert!((expected - 1_009_216.443_637_942_5).abs() < 1e-6);
    let got = layer.features[0].geometry.unsigned_area();
    assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
    assert_eq!(layer.crs.as_ref().and_then(|c| c.epsg), Some(32633));
}

#[test]
fn corpus_geojson_non_polygons_are_refused() {
    let cases = [
        ("rasterframes/example.geojson", 0, "Point"),
        ("georust-gdal/roads.geojson", 0, "LineString"),
        ("georust-gdal/null_feature_fields.geojson", 0, "Point"),
        ("rasterio/issue1446.geojson", 0, "LineString"),
    ];
    for (rel, feature, kind) in cases {
        match read(&corpus().join(rel)) {
            Err(VectorError::UnsupportedGeometry {
                feature: f,
                kind: k,
                ..
            }) => {
                assert_eq!((f, k), (feature, kind), "{rel}");
            }
            other => panic!("{rel}: unexpected {other:?}"),
        }
    }
}

#[test]
fn geojson_hole_multipolygon_and_legacy_crs() {
    let layer = read(&testdata().join("legacy_crs.geojson")).unwrap();
    assert_eq!(layer.fields, ["图斑编号", "面积"]);
    // 100×100 with a 20×20 hole: 9 600; two parts 10×10 + 20×10: 300.
    assert_eq!(areas(&layer), [9_600.0, 300.0]);
    assert_eq!(layer.features[0].geometry.0[0].interiors().len(), 1);
    assert_eq!(layer.features[1].geometry.0.len(), 2);
    assert_eq!(layer.features[1].get("图斑编号"), Some(&text("TB-002")));
    // Missing property → null.
    assert_eq!(layer.features[1].get("面积"), Some(&FieldValue::Null));
    assert_eq!(layer.crs.as_ref().and_then(|c| c.epsg), Some(32651));
}

#[test]
fn geojson_without_crs_is_wgs84() {
    let layer = read(&testdata().join("lonlat.geojson")).unwrap();
    // 0.01° × 0.01° square: 1e-4 square degrees (planar, in the file's CRS).
    let a = areas(&layer);
    assert!((a[0] - 1e-4).abs() < 1e-12, "{a:?}");
    let crs = layer.crs.expect("RFC 7946 GeoJSON is EPSG:4326");
    assert_eq!(crs.epsg, Some(4326));
}

#[test]
fn geojson_in_gbk_needs_explicit_encoding() {
    let path = testdata().join("gbk_encoded.geojson");
    assert!(matches!(
        read(&path),
        Err(VectorError::NotText {
            encoding: "UTF-8",
            ..
        })
    ));
    let layer = read_with(&path, "gbk").unwrap();
    assert_eq!(layer.features[0].get("采矿权人"), Some(&text("伊通县石场")));
    assert_eq!(layer.encoding_source, Some(EncodingSource::Explicit));
}

// ---------------------------------------------------------------- refusals

/// Every file in testdata/vector/malformed fails with the expected error, never a panic.
#[test]
fn malformed_files_are_refused() {
    let dir = testdata().join("malformed");
    let mut seen = 0;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("shp" | "geojson")
            )
        })
        .collect();
    entries.sort();
    for path in entries {
        let stem = path.file_stem().unwrap().to_str().unwrap().to_string();
        let err = read(&path).expect_err(&stem);
        let ok = match (stem.as_str(), &err) {
            (
                "null_shape",
                VectorError::InvalidGeometry {
                    feature: 1,
                    ring: None,
                    problem: GeometryProblem::Null,
                    ..
                },
            ) => true,
            (
                "null_geometry",
                VectorError::InvalidGeometry {
                    feature: 1,
                    ring: None,
                    problem: GeometryProblem::Null,
                    ..
                },
            ) => true,
            (
                "unclosed_ring",
                VectorError::InvalidGeometry {
                    feature: 0,
                    ring: Some(0),
                    problem: GeometryProblem::Unclosed,
                    ..
                },
            ) => true,
            (
                "unclosed",
                VectorError::InvalidGeometry {
                    feature: 0,
                    ring: Some(1),
                    problem: GeometryProblem::Unclosed,
                    ..
                },
            ) => true,
            (
                "nan_coordinate",
                VectorError::InvalidGeometry {
                    problem: GeometryProblem::NonFinite,
                    ..
                },
            ) => true,
            (
                "zero_area",
                VectorError::InvalidGeometry {
                    problem: GeometryProblem::ZeroArea,
                    ..
                },
            ) => true,
            (
                "three_positions",
                VectorError::InvalidGeometry {
                    problem: GeometryProblem::TooFewPositions { count: 3 },
                    ..
                },
            ) => true,
            (
                "empty_polygon",
                VectorError::InvalidGeometry {
                    problem: GeometryProblem::Empty,
                    ..
                },
            ) => true,
            (
                "count_mismatch",
                VectorError::Malformed {
                    problem:
                        Malformation::RecordCountMismatch {
                            shapes: 2,
                            records: 1,
                        },
                    ..
                },
            ) => true,
            ("truncated", VectorError::Shapefile { feature: 0, .. }) => true,
            ("not_json", VectorError::GeoJson { .. }) => true,
            ("bad_crs", VectorError::CrsName { name, .. }) => name == "urn:ogc:def:crs:LOCAL::mine",
            (
                "point",
                VectorError::UnsupportedGeometry {
                    feature: 0,
                    kind: "Point",
                    ..
                },
            ) => true,
            (
                "missing_dbf",
                VectorError::MissingSidecar {
                    extension: "dbf", ..
                },
            ) => true,
            _ => false,
        };
        assert!(ok, "{stem}: unexpected error {err:?}");
        // Every message names the file.
        assert!(err.to_string().contains(&stem), "{stem}: {err}");
        seen += 1;
    }
    assert_eq!(seen, 14, "malformed fixtures walked");
}

#[test]
fn limits_are_enforced() {
    let path = testdata().join("gbk_pits.shp");
    let few = ReadOptions {
        max_features: 2,
        ..ReadOptions::default()
    };
    assert!(matches!(
        read_layer(&path, &few),
        Err(VectorError::LimitExceeded { limit: 2, .. })
    ));
    let small = ReadOptions {
        max_vertices: 12,
        ..ReadOptions::default()
    };
    assert!(matches!(
        read_layer(&path, &small),
        Err(VectorError::LimitExceeded { limit: 12, .. })
    ));
    let gj = testdata().join("legacy_crs.geojson");
    let one = ReadOptions {
        max_features: 1,
        ..ReadOptions::default()
    };
    assert!(matches!(
        read_layer(&gj, &one),
        Err(VectorError::LimitExceeded { limit: 1, .. })
    ));
}

#[test]
fn missing_files_and_other_formats() {
    assert!(matches!(
        read(Path::new("/nonexistent/pits.shp")),
        Err(VectorError::Io { .. })
    ));
    assert!(matches!(
        read(Path::new("/nonexistent/pits.geojson")),
        Err(VectorError::Io { .. })
    ));
    // With the `gdal` feature GeoPackages are read instead (tests/gdal.rs).
    #[cfg(not(feature = "gdal"))]
    {
        let err = read(&corpus().join("eo-learn/LULC.gpkg")).unwrap_err();
        assert!(err.to_string().contains("ogr2ogr -f GeoJSON"), "{err}");
    }
}
