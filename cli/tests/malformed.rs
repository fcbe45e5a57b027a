//! Hostile and broken inputs through the real binary: every file in
//! `testdata/malformed/` makes `reclaim info`, `zonal` or `audit` exit with code 2 (a
//! user error, never 101 = panic), with a message naming the file, the place in it
//! and what to do; no output file or folder is left behind and no input changes.
//!
//! The fixtures are written byte by byte by the [`fixtures`] module below (its own
//! TIFF, shapefile and dBase writers, not the reader's crates); provenance in
//! `testdata/README.md`. `generated_fixtures_are_current` fails when the files and
//! the generator differ; regenerate with
//! `RECLAIM_REGEN_FIXTURES=1 cargo test -p reclaim-cli --test malformed`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/malformed")
}

/// The generator of `testdata/malformed/`.
mod fixtures {
    /// A TIFF tag value.
    pub enum Val {
        Short(Vec<u16>),
        Long(Vec<u32>),
        Double(Vec<f64>),
    }

    /// How the image is cut into chunks.
    #[derive(Clone, Copy)]
    pub enum Layout {
        Strips { rows: u32 },
        Tiles { w: u32, h: u32 },
    }

    /// A little-endian classic TIFF, described tag by tag.
    pub struct Tiff {
        pub width: u32,
        pub height: u32,
        pub bands: u16,
        pub bits: u16,
        pub format: u16,
        pub compression: u16,
        pub layout: Layout,
        pub chunks: Vec<Vec<u8>>,
        pub georef: bool,
        /// Replaces the real byte counts (to lie about them).
        pub byte_counts: Option<Vec<u32>>,
        /// Replaces the real offsets.
        pub offsets: Option<Vec<u32>>,
    }

    /// The demo-like grid: 8 × 8 cells of 10 m at (500 000, 4 800 080), EPSG:32651.
    pub const X0: f64 = 500_000.0;
    pub const Y0: f64 = 4_800_080.0;

    impl Tiff {
        /// An 8 × 8 two-band uint16 scene in one strip: band 1 = class (1 left half,
        /// 2 right half), band 2 = 1000.
        pub fn scene() -> Tiff {
            let mut px = Vec::new();
            for _row in 0..8 {
                for col in 0..8u16 {
                    px.extend((if col < 4 { 1u16 } else { 2 }).to_le_bytes());
                    px.extend(1000u16.to_le_bytes());
                }
            }
            Tiff {
                width: 8,
                height: 8,
                bands: 2,
                bits: 16,
                format: 1,
                compression: 1,
                layout: Layout::Strips { rows: 8 },
                chunks: vec![px],
                georef: true,
                byte_counts: None,
                offsets: None,
            }
        }

        /// A 32 × 32 one-band uint8 scene in four 16 × 16 tiles (TIFF tile sizes are
        /// multiples of 16) holding 1, 2, 3, 4.
        pub fn tiled() -> Tiff {
            Tiff {
                width: 32,
                height: 32,
                bands: 1,
                bits: 8,
                format: 1,
                compression: 1,
                layout: Layout::Tiles { w: 16, h: 16 },
                chunks: (0..4).map(|t| vec![t as u8 + 1; 256]).collect(),
                georef: true,
                byte_counts: None,
                offsets: None,
            }
        }

        pub fn bytes(&self) -> Vec<u8> {
            let mut out = b"II*\0".to_vec();
            out.extend(0u32.to_le_bytes()); // IFD offset, patched below
            let mut offsets = Vec::new();
            for c in &self.chunks {
                offsets.push(out.len() as u32);
                out.extend(c);
                if out.len() % 2 == 1 {
                    out.push(0);
                }
            }
            let counts: Vec<u32> = self.chunks.iter().map(|c| c.len() as u32).collect();
            let offsets = self.offsets.clone().unwrap_or(offsets);
            let counts = self.byte_counts.clone().unwrap_or(counts);
            let b = usize::from(self.bands);
            let mut tags: Vec<(u16, Val)> = vec![
                (256, Val::Long(vec![self.width])),
                (257, Val::Long(vec![self.height])),
                (258, Val::Short(vec![self.bits; b])),
                (259, Val::Short(vec![self.compression])),
                (262, Val::Short(vec![1])),
                (277, Val::Short(vec![self.bands])),
                (284, Val::Short(vec![1])),
                (339, Val::Short(vec![self.format; b])),
            ];
            match self.layout {
                Layout::Strips { rows } => {
                    tags.push((273, Val::Long(offsets)));
                    tags.push((278, Val::Long(vec![rows])));
                    tags.push((279, Val::Long(counts)));
                }
                Layout::Tiles { w, h } => {
                    tags.push((322, Val::Long(vec![w])));
                    tags.push((323, Val::Long(vec![h])));
                    tags.push((324, Val::Long(offsets)));
                    tags.push((325, Val::Long(counts)));
                }
            }
            if self.georef {
                tags.push((33550, Val::Double(vec![10.0, 10.0, 0.0])));
                tags.push((33922, Val::Double(vec![0.0, 0.0, 0.0, X0, Y0, 0.0])));
                let keys = vec![1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32651];
                tags.push((34735, Val::Short(keys)));
            }
            tags.sort_by_key(|t| t.0);
            ifd(&mut out, &tags, 0);
            out
        }
    }

    /// Appends an IFD (and its out-of-line values) and points the header (or the
    /// previous IFD) at it; `next` is the next-IFD offset written.
    pub fn ifd(out: &mut Vec<u8>, tags: &[(u16, Val)], next: u32) {
        if out.len() % 2 == 1 {
            out.push(0);
        }
        let start = out.len();
        out[4..8].copy_from_slice(&(start as u32).to_le_bytes());
        let values_at = start + 2 + 12 * tags.len() + 4;
        let mut values: Vec<u8> = Vec::new();
        out.extend((tags.len() as u16).to_le_bytes());
        for (tag, v) in tags {
            let (typ, count, raw): (u16, usize, Vec<u8>) = match v {
                Val::Short(s) => (3, s.len(), s.iter().flat_map(|x| x.to_le_bytes()).collect()),
                Val::Long(s) => (4, s.len(), s.iter().flat_map(|x| x.to_le_bytes()).collect()),
                Val::Double(s) => (
                    12,
                    s.len(),
                    s.iter().flat_map(|x| x.to_le_bytes()).collect(),
                ),
            };
            out.extend(tag.to_le_bytes());
            out.extend(typ.to_le_bytes());
            out.extend((count as u32).to_le_bytes());
            if raw.len() <= 4 {
                let mut field = raw.clone();
                field.resize(4, 0);
                out.extend(field);
            } else {
                out.extend(((values_at + values.len()) as u32).to_le_bytes());
                values.extend(raw);
            }
        }
        out.extend(next.to_le_bytes());
        out.extend(values);
    }

    // ---- shapefiles -------------------------------------------------------------

    fn be(out: &mut Vec<u8>, v: i32) {
        out.extend(v.to_be_bytes());
    }
    fn le(out: &mut Vec<u8>, v: i32) {
        out.extend(v.to_le_bytes());
    }
    fn f(out: &mut Vec<u8>, v: f64) {
        out.extend(v.to_le_bytes());
    }

    /// A polygon shape: its rings (closed or not, as given); `None` = null shape.
    pub type Shape = Option<Vec<Vec<(f64, f64)>>>;

    /// `.shp` and `.shx` bytes for polygon shapes.
    pub fn shp(shapes: &[Shape]) -> (Vec<u8>, Vec<u8>) {
        let mut records = Vec::new();
        let mut index = Vec::new();
        let mut offset = 50i32; // in 16-bit words, after the 100-byte header
        for (i, s) in shapes.iter().enumerate() {
            let mut c = Vec::new();
            match s {
                None => le(&mut c, 0),
                Some(rings) => {
                    le(&mut c, 5);
                    let pts: Vec<(f64, f64)> = rings.iter().flatten().copied().collect();
                    let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
                    for &(x, y) in &pts {
                        (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
                    }
                    if pts.is_empty() {
                        (x0, y0, x1, y1) = (0.0, 0.0, 0.0, 0.0);
                    }
                    for v in [x0, y0, x1, y1] {
                        f(&mut c, v);
                    }
                    le(&mut c, rings.len() as i32);
                    le(&mut c, pts.len() as i32);
                    let mut start = 0;
                    for r in rings {
                        le(&mut c, start);
                        start += r.len() as i32;
                    }
                    for (x, y) in pts {
                        f(&mut c, x);
                        f(&mut c, y);
                    }
                }
            }
            let words = (c.len() / 2) as i32;
            be(&mut records, i as i32 + 1);
            be(&mut records, words);
            records.extend(c);
            be(&mut index, offset);
            be(&mut index, words);
            offset += 4 + words;
        }
        let header = |len_words: i32| {
            let mut h = Vec::new();
            be(&mut h, 9994);
            h.extend([0u8; 20]);
            be(&mut h, len_words);
            le(&mut h, 1000);
            le(&mut h, 5);
            for v in [X0, Y0 - 80.0, X0 + 80.0, Y0, 0.0, 0.0, 0.0, 0.0] {
                f(&mut h, v);
            }
            h
        };
        let mut shp = header(50 + records.len() as i32 / 2);
        shp.extend(records);
        let mut shx = header(50 + index.len() as i32 / 2);
        shx.extend(index);
        (shp, shx)
    }

    /// A dBase III table of character fields (name, width) and raw values.
    pub fn dbf(fields: &[(&str, u8)], records: &[Vec<&[u8]>]) -> Vec<u8> {
        let record_len: u16 = 1 + fields.iter().map(|f| u16::from(f.1)).sum::<u16>();
        let header_len = 32 + 32 * fields.len() as u16 + 1;
        let mut out = vec![3u8, 125, 1, 1];
        out.extend((records.len() as u32).to_le_bytes());
        out.extend(header_len.to_le_bytes());
        out.extend(record_len.to_le_bytes());
        out.extend([0u8; 20]);
        for (name, width) in fields {
            let mut n = name.as_bytes().to_vec();
            n.resize(11, 0);
            out.extend(n);
            out.push(b'C');
            out.extend([0u8; 4]);
            out.push(*width);
            out.extend([0u8; 15]);
        }
        out.push(0x0D);
        for r in records {
            out.push(b' ');
            for ((_, width), v) in fields.iter().zip(r) {
                let mut cell = v.to_vec();
                cell.resize(usize::from(*width), b' ');
                out.extend(cell);
            }
        }
        out.push(0x1A);
        out
    }

    /// ESRI WKT of WGS 84 / UTM zone 51N.
    pub const PRJ: &str = "PROJCS[\"WGS_1984_UTM_Zone_51N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",123.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

    /// A closed rectangle ring, counter-clockwise, in grid-relative metres.
    pub fn rect(x: f64, y: f64, w: f64, h: f64) -> Vec<(f64, f64)> {
        let (x, y) = (X0 + x, Y0 - 80.0 + y);
        vec![(x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y)]
    }

    /// A ring from grid-relative points (written as given).
    pub fn ring(pts: &[(f64, f64)]) -> Vec<(f64, f64)> {
        pts.iter().map(|&(x, y)| (X0 + x, Y0 - 80.0 + y)).collect()
    }

    /// The bow-tie (0,0)→(40,40)→(40,0)→(0,20) (+10 m in): crosses near (23.3, 23.3).
    pub fn bow_tie() -> Vec<(f64, f64)> {
        ring(&[(10., 10.), (50., 50.), (50., 10.), (10., 30.), (10., 10.)])
    }

    /// A feature: string properties and polygon rings.
    pub type GeoFeature<'a> = (&'a [(&'a str, &'a str)], Vec<Vec<(f64, f64)>>);

    /// GeoJSON text of polygon features in EPSG:32651 with string properties.
    pub fn geojson(features: &[GeoFeature]) -> Vec<u8> {
        let feats: Vec<String> = features
            .iter()
            .map(|(props, rings)| {
                let p: Vec<String> = props.iter().map(|(k, v)| format!("\"{k}\": \"{v}\"")).collect();
                let r: Vec<String> = rings
                    .iter()
                    .map(|ring| {
                        let c: Vec<String> = ring.iter().map(|(x, y)| format!("[{x}, {y}]")).collect();
                        format!("[{}]", c.join(", "))
                    })
                    .collect();
                format!(
                    "    {{\"type\": \"Feature\", \"properties\": {{{}}}, \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": [{}]}}}}",
                    p.join(", "),
                    r.join(", ")
                )
            })
            .collect();
        format!(
            "{{\"type\": \"FeatureCollection\",\n  \"crs\": {{\"type\": \"name\", \"properties\": {{\"name\": \"urn:ogc:def:crs:EPSG::32651\"}}}},\n  \"features\": [\n{}\n  ]\n}}\n",
            feats.join(",\n")
        )
        .into_bytes()
    }

    fn pits() -> Vec<u8> {
        geojson(&[
            (&[("pit_id", "P1")], vec![rect(10.0, 10.0, 20.0, 20.0)]),
            (&[("pit_id", "P2")], vec![rect(45.0, 45.0, 20.0, 20.0)]),
        ])
    }

    fn licenses(valid_to: &str) -> Vec<u8> {
        geojson(&[(
            &[
                ("license_id", "C1"),
                ("holder", "甲矿业"),
                ("status", "valid"),
                ("valid_to", valid_to),
            ],
            vec![rect(0.0, 0.0, 40.0, 40.0)],
        )])
    }

    /// An audit configuration: its date, the [imagery] lines, the pits and licences.
    fn config(date: &str, imagery: &str, pits: &str, licenses: &str) -> Vec<u8> {
        format!(
            "audit_date = \"{date}\"\n\n[imagery]\n{imagery}\n\n[pits]\npath = \"{pits}\"\nid_field = \"pit_id\"\n\n[licenses]\npath = \"{licenses}\"\n"
        )
        .into_bytes()
    }

    const IMAGERY: &str = "path = \"ok/scene.tif\"\nred_band = 1\nnir_band = 2";

    /// Every file of `testdata/malformed/`, by relative path.
    pub fn all() -> Vec<(String, Vec<u8>)> {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        let mut add = |name: &str, bytes: Vec<u8>| files.push((name.to_string(), bytes));

        // Valid partners.
        let scene = Tiff::scene().bytes();
        add("ok/scene.tif", scene.clone());
        let mut shifted = Tiff::scene();
        shifted.width = 4;
        shifted.chunks = vec![shifted.chunks[0][..4 * 8 * 4].to_vec()];
        add("ok/scene_4x8.tif", shifted.bytes());
        add("ok/pits.geojson", pits());
        // Over the whole 320 m × 320 m of `Tiff::tiled()`.
        add(
            "ok/pits_wide.geojson",
            geojson(&[(&[("pit_id", "W")], vec![rect(0.0, -240.0, 320.0, 320.0)])]),
        );
        add("ok/licenses.geojson", licenses("2030-12-31"));

        // --- TIFF -------------------------------------------------------------------
        add(
            "tiff_not_a_tiff.tif",
            b"Pixels? No: this is a text file.\n".to_vec(),
        );
        add("tiff_truncated_header.tif", scene[..6].to_vec());
        let ifd_at = u32::from_le_bytes([scene[4], scene[5], scene[6], scene[7]]) as usize;
        add(
            "tiff_truncated_ifd.tif",
            scene[..ifd_at + 2 + 12 * 5].to_vec(),
        );
        // The strip (256 bytes) starts 64 bytes before the end of the file.
        let mut t = Tiff::scene();
        t.offsets = Some(vec![scene.len() as u32 - 64]);
        let strip_cut = t.bytes();
        add("tiff_truncated_strip.tif", strip_cut);
        let mut past = Tiff::scene();
        past.offsets = Some(vec![1_000_000]);
        add("tiff_offset_past_eof.tif", past.bytes());
        // IFD loop: the first directory's next-IFD offset points back at itself.
        let mut looped = scene.clone();
        let n = u16::from_le_bytes([looped[ifd_at], looped[ifd_at + 1]]) as usize;
        let next_at = ifd_at + 2 + 12 * n;
        looped[next_at..next_at + 4].copy_from_slice(&(ifd_at as u32).to_le_bytes());
        add("tiff_ifd_loop.tif", looped);
        // Tiles whose byte counts are wrong: tile 2 claims 100 bytes of 256.
        let mut short = Tiff::tiled();
        short.byte_counts = Some(vec![256, 256, 100, 256]);
        add("tiff_tile_short.tif", short.bytes());
        // DEFLATE tiles: tile 1 holds a corrupt stream.
        let mut deflate = Tiff::tiled();
        deflate.compression = 8;
        deflate.chunks = (0..4u8)
            .map(|t| {
                if t == 1 {
                    vec![0x78, 0x9c, 0xff, 0xfe, 0xfd, 0x00, 0x13]
                } else {
                    stored_zlib(&[t + 1; 256])
                }
            })
            .collect();
        add("tiff_tile_corrupt_deflate.tif", deflate.bytes());
        // A bomb: 1 000 000 × 1 000 000 uint8 in one strip (a 1 TB decode) from 200 bytes.
        let mut bomb = Tiff::scene();
        bomb.width = 1_000_000;
        bomb.height = 1_000_000;
        bomb.bands = 1;
        bomb.layout = Layout::Strips { rows: 1_000_000 };
        bomb.chunks = vec![stored_zlib(&[0; 64])];
        bomb.compression = 8;
        add("tiff_bomb_one_strip.tif", bomb.bytes());
        // Absurd tile count: 4 000 000 000 × 4 000 000 000 in 16 × 16 tiles.
        let mut tiles = Tiff::tiled();
        tiles.width = 4_000_000_000;
        tiles.height = 4_000_000_000;
        add("tiff_bomb_tile_count.tif", tiles.bytes());
        // Complex float samples.
        let mut complex = Tiff::scene();
        complex.bits = 64;
        complex.format = 6;
        complex.bands = 1;
        add("tiff_complex_samples.tif", complex.bytes());
        let mut twelve = Tiff::scene();
        twelve.bits = 12;
        twelve.bands = 1;
        add("tiff_12_bit_samples.tif", twelve.bytes());
        let mut nogeo = Tiff::scene();
        nogeo.georef = false;
        add("tiff_no_georeferencing.tif", nogeo.bytes());

        // --- shapefiles -------------------------------------------------------------
        let attrs = |ids: &[&str]| -> Vec<u8> {
            let recs: Vec<Vec<&[u8]>> = ids.iter().map(|i| vec![i.as_bytes()]).collect();
            dbf(&[("pit_id", 10)], &recs)
        };
        let two = [
            Some(vec![rect(10.0, 10.0, 20.0, 20.0)]),
            Some(vec![rect(45.0, 45.0, 20.0, 20.0)]),
        ];
        // (stem, shapes, .dbf, with .prj, .shx replacing the true one)
        type ShapefileCase = (&'static str, Vec<Shape>, Vec<u8>, bool, Option<Vec<u8>>);
        let mut shapefiles: Vec<ShapefileCase> = Vec::new();
        let (_, good_shx) = shp(&two);
        let mut bad_shx = good_shx.clone();
        // Record 1's offset in the index points into the middle of record 0.
        bad_shx[108..112].copy_from_slice(&60i32.to_be_bytes());
        shapefiles.push((
            "shp_bad_shx",
            two.to_vec(),
            attrs(&["P1", "P2"]),
            true,
            Some(bad_shx),
        ));
        shapefiles.push(("shp_dbf_shorter", two.to_vec(), attrs(&["P1"]), true, None));
        let mut open_ring = rect(10.0, 10.0, 20.0, 20.0);
        open_ring.pop();
        shapefiles.push((
            "shp_unclosed_ring",
            vec![two[0].clone(), Some(vec![open_ring])],
            attrs(&["P1", "P2"]),
            true,
            None,
        ));
        shapefiles.push((
            "shp_self_intersecting",
            vec![two[0].clone(), Some(vec![bow_tie()])],
            attrs(&["P1", "P2"]),
            true,
            None,
        ));
        let flat = ring(&[(10., 10.), (30., 10.), (50., 10.), (10., 10.)]);
        shapefiles.push((
            "shp_zero_area",
            vec![Some(vec![flat]), two[1].clone()],
            attrs(&["P1", "P2"]),
            true,
            None,
        ));
        shapefiles.push((
            "shp_empty_geometry",
            vec![two[0].clone(), Some(vec![])],
            attrs(&["P1", "P2"]),
            true,
            None,
        ));
        shapefiles.push((
            "shp_no_prj",
            two.to_vec(),
            attrs(&["P1", "P2"]),
            false,
            None,
        ));
        let gbk_in_utf8 = dbf(
            &[("pit_id", 10)],
            &[vec![b"P1"], vec![&[0xB2, 0xC9, 0xBF, 0xF3]]],
        );
        shapefiles.push((
            "shp_undecodable_text",
            two.to_vec(),
            gbk_in_utf8,
            true,
            None,
        ));
        for (stem, shapes, dbf_bytes, prj, shx) in shapefiles {
            let (s, x) = shp(&shapes);
            add(&format!("{stem}.shp"), s);
            add(&format!("{stem}.shx"), shx.unwrap_or(x));
            add(&format!("{stem}.dbf"), dbf_bytes);
            if prj {
                add(&format!("{stem}.prj"), PRJ.as_bytes().to_vec());
            }
            if stem == "shp_undecodable_text" {
                add(&format!("{stem}.cpg"), b"UTF-8".to_vec());
            }
        }

        // --- GeoJSON ----------------------------------------------------------------
        add(
            "geojson_not_json.geojson",
            b"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feat".to_vec(),
        );
        add(
            "geojson_wrong_types.geojson",
            b"{\"type\": \"FeatureCollection\", \"features\": [{\"type\": \"Feature\", \"properties\": {\"pit_id\": \"P1\"}, \"geometry\": {\"type\": \"Polygon\", \"coordinates\": [[[\"500010\", \"4800010\"], [500030, 4800010], [500030, 4800030], [500010, 4800010]]]}}]}\n".to_vec(),
        );
        add(
            "geojson_self_intersecting.geojson",
            geojson(&[
                (&[("pit_id", "P1")], vec![rect(10.0, 10.0, 20.0, 20.0)]),
                (&[("pit_id", "P2")], vec![bow_tie()]),
            ]),
        );
        add(
            "geojson_hole_outside_shell.geojson",
            geojson(&[(
                &[("pit_id", "P1")],
                vec![
                    rect(10.0, 10.0, 20.0, 20.0),
                    rect(50.0, 50.0, 10.0, 10.0).into_iter().rev().collect(),
                ],
            )]),
        );

        // --- audit configurations ---------------------------------------------------
        let ok = |s: &str| format!("ok/{s}");
        add("config_unknown_key.toml", {
            let mut c = config(
                "2025-12-31",
                IMAGERY,
                &ok("pits.geojson"),
                &ok("licenses.geojson"),
            );
            c.extend(b"holder_feild = \"holder\"\n");
            c
        });
        add(
            "config_missing_file.toml",
            config(
                "2025-12-31",
                IMAGERY,
                "ok/no_such_pits.shp",
                &ok("licenses.geojson"),
            ),
        );
        add(
            "config_band_out_of_range.toml",
            config(
                "2025-12-31",
                "path = \"ok/scene.tif\"\nred_band = 1\nnir_band = 5",
                &ok("pits.geojson"),
                &ok("licenses.geojson"),
            ),
        );
        add(
            "config_grids_differ.toml",
            config("2025-12-31", "path = \"ok/scene.tif\"\nred_band = 1\nnir_band = 2\nmask_path = \"ok/scene_4x8.tif\"\nmask_values = [3]", &ok("pits.geojson"), &ok("licenses.geojson")),
        );
        add(
            "config_no_overlap.toml",
            config(
                "2025-12-31",
                IMAGERY,
                "pits_far_away.geojson",
                &ok("licenses.geojson"),
            ),
        );
        add(
            "pits_far_away.geojson",
            geojson(&[(&[("pit_id", "P9")], vec![rect(100_000.0, 0.0, 20.0, 20.0)])]),
        );
        add(
            "config_duplicate_pit_ids.toml",
            config(
                "2025-12-31",
                IMAGERY,
                "pits_duplicate_ids.geojson",
                &ok("licenses.geojson"),
            ),
        );
        add(
            "pits_duplicate_ids.geojson",
            geojson(&[
                (&[("pit_id", "P1")], vec![rect(10.0, 10.0, 20.0, 20.0)]),
                (&[("pit_id", "P1")], vec![rect(45.0, 45.0, 20.0, 20.0)]),
            ]),
        );
        add(
            "config_bad_audit_date.toml",
            config(
                "2025-13-45",
                IMAGERY,
                &ok("pits.geojson"),
                &ok("licenses.geojson"),
            ),
        );
        add(
            "config_bad_valid_to.toml",
            config(
                "2025-12-31",
                IMAGERY,
                &ok("pits.geojson"),
                "licenses_bad_date.geojson",
            ),
        );
        add("licenses_bad_date.geojson", licenses("someday"));
        add(
            "config_self_intersecting_pit.toml",
            config(
                "2025-12-31",
                IMAGERY,
                "geojson_self_intersecting.geojson",
                &ok("licenses.geojson"),
            ),
        );
        files
    }

    /// A zlib stream holding `data` in one stored (uncompressed) DEFLATE block.
    pub fn stored_zlib(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0x78, 0x01, 0x01];
        let len = data.len() as u16;
        out.extend(len.to_le_bytes());
        out.extend((!len).to_le_bytes());
        out.extend(data);
        let (mut a, mut b) = (1u32, 0u32);
        for &x in data {
            a = (a + u32::from(x)) % 65521;
            b = (b + a) % 65521;
        }
        out.extend(((b << 16) | a).to_be_bytes());
        out
    }
}

#[test]
fn generated_fixtures_are_current() {
    let regen = std::env::var_os("RECLAIM_REGEN_FIXTURES").is_some();
    let mut stale = Vec::new();
    for (name, bytes) in fixtures::all() {
        let path = dir().join(&name);
        if regen {
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(&path, &bytes).unwrap();
        } else if std::fs::read(&path).ok().as_deref() != Some(bytes.as_slice()) {
            stale.push(name);
        }
    }
    assert!(
        stale.is_empty(),
        "stale fixtures {stale:?}; run RECLAIM_REGEN_FIXTURES=1 cargo test -p reclaim-cli --test malformed"
    );
    let total: usize = fixtures::all().iter().map(|(_, b)| b.len()).sum();
    assert!(
        total < 1 << 20,
        "testdata/malformed must stay small: {total} bytes"
    );
}

const ZONAL: &[&str] = &["zonal", "--id-field", "pit_id", "--out", "OUT"];

fn zonal_raster(raster: &'static str) -> Vec<String> {
    let mut v: Vec<String> = ZONAL.iter().map(|s| s.to_string()).collect();
    // Zones over the whole of the tiled rasters, so every tile is decoded.
    let zones = if raster.contains("tile") {
        "ok/pits_wide.geojson"
    } else {
        "ok/pits.geojson"
    };
    v.extend([
        "--raster".into(),
        raster.into(),
        "--zones".into(),
        zones.into(),
    ]);
    v
}

fn zonal_zones(zones: &'static str) -> Vec<String> {
    let mut v: Vec<String> = ZONAL.iter().map(|s| s.to_string()).collect();
    v.extend([
        "--raster".into(),
        "ok/scene.tif".into(),
        "--zones".into(),
        zones.into(),
    ]);
    v
}

/// Every case: the command line, and what stderr must name.
fn cases() -> Vec<(Vec<String>, Vec<&'static str>)> {
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let audit = |c: &'static str| s(&["audit", "--config", c, "--out", "OUT"]);
    vec![
        // TIFF: header-level problems already stop `info`.
        (
            s(&["info", "tiff_not_a_tiff.tif"]),
            vec!["tiff_not_a_tiff.tif", "not a TIFF"],
        ),
        (
            s(&["info", "tiff_truncated_header.tif"]),
            vec!["tiff_truncated_header.tif", "malformed"],
        ),
        (
            s(&["info", "tiff_truncated_ifd.tif"]),
            vec!["tiff_truncated_ifd.tif", "malformed"],
        ),
        (
            s(&["info", "tiff_ifd_loop.tif"]),
            vec!["tiff_ifd_loop.tif", "cycle"],
        ),
        (
            s(&["info", "tiff_bomb_tile_count.tif"]),
            vec!["tiff_bomb_tile_count.tif", "max_chunks"],
        ),
        (
            zonal_raster("tiff_truncated_strip.tif"),
            vec!["tiff_truncated_strip.tif", "strip 0"],
        ),
        (
            zonal_raster("tiff_offset_past_eof.tif"),
            vec!["tiff_offset_past_eof.tif", "strip 0"],
        ),
        (
            zonal_raster("tiff_tile_short.tif"),
            vec!["tiff_tile_short.tif", "tile 2"],
        ),
        (
            zonal_raster("tiff_tile_corrupt_deflate.tif"),
            vec!["tiff_tile_corrupt_deflate.tif", "tile 1"],
        ),
        (
            zonal_raster("tiff_bomb_one_strip.tif"),
            vec!["tiff_bomb_one_strip.tif", "exceeds the limit"],
        ),
        (
            zonal_raster("tiff_complex_samples.tif"),
            vec!["tiff_complex_samples.tif", "complex"],
        ),
        (
            zonal_raster("tiff_12_bit_samples.tif"),
            vec!["tiff_12_bit_samples.tif", "12-bit"],
        ),
        (
            zonal_raster("tiff_no_georeferencing.tif"),
            vec!["tiff_no_georeferencing.tif", "--raster-crs"],
        ),
        // Shapefiles.
        (
            zonal_zones("shp_bad_shx.shp"),
            vec!["shp_bad_shx.shx", "record 1", "rebuild"],
        ),
        (
            zonal_zones("shp_dbf_shorter.shp"),
            vec!["shp_dbf_shorter.shp", "2 shapes", "1 records"],
        ),
        (
            zonal_zones("shp_unclosed_ring.shp"),
            vec!["shp_unclosed_ring.shp", "feature 1, ring 0", "not closed"],
        ),
        (
            zonal_zones("shp_self_intersecting.shp"),
            vec![
                "shp_self_intersecting.shp",
                "feature 1",
                "crosses itself near (500023.3",
                "--repair",
            ],
        ),
        (
            zonal_zones("shp_zero_area.shp"),
            vec!["shp_zero_area.shp", "feature 0, ring 0", "zero area"],
        ),
        (
            zonal_zones("shp_empty_geometry.shp"),
            vec!["shp_empty_geometry.shp", "feature 1", "empty"],
        ),
        (
            zonal_zones("shp_no_prj.shp"),
            vec!["shp_no_prj.shp", "--zones-crs"],
        ),
        (
            zonal_zones("shp_undecodable_text.shp"),
            vec![
                "shp_undecodable_text.dbf",
                "feature 1",
                "pit_id",
                "--encoding",
            ],
        ),
        // GeoJSON.
        (
            zonal_zones("geojson_not_json.geojson"),
            vec!["geojson_not_json.geojson", "not valid GeoJSON"],
        ),
        (
            zonal_zones("geojson_wrong_types.geojson"),
            vec!["geojson_wrong_types.geojson", "not valid GeoJSON"],
        ),
        (
            zonal_zones("geojson_self_intersecting.geojson"),
            vec![
                "geojson_self_intersecting.geojson",
                "feature 1",
                "crosses itself",
                "--repair",
            ],
        ),
        (
            zonal_zones("geojson_hole_outside_shell.geojson"),
            vec![
                "geojson_hole_outside_shell.geojson",
                "feature 0",
                "hole outside its shell",
            ],
        ),
        // Audit configurations.
        (
            audit("config_unknown_key.toml"),
            vec!["config_unknown_key.toml", "holder_feild"],
        ),
        (audit("config_missing_file.toml"), vec!["no_such_pits.shp"]),
        (
            audit("config_band_out_of_range.toml"),
            vec!["scene.tif", "band 5"],
        ),
        (
            audit("config_grids_differ.toml"),
            vec!["scene_4x8.tif", "grid"],
        ),
        (
            audit("config_no_overlap.toml"),
            vec!["pits_far_away.geojson", "overlaps"],
        ),
        (
            audit("config_duplicate_pit_ids.toml"),
            vec!["pits_duplicate_ids.geojson", "P1"],
        ),
        (
            audit("config_bad_audit_date.toml"),
            vec!["audit_date", "2025-13-45"],
        ),
        (
            audit("config_bad_valid_to.toml"),
            vec!["licenses_bad_date.geojson", "C1", "someday"],
        ),
        (
            audit("config_self_intersecting_pit.toml"),
            vec![
                "geojson_self_intersecting.geojson",
                "feature 1",
                "crosses itself",
            ],
        ),
    ]
}

/// SHA-256 of every file under `testdata/malformed/`.
fn checksums() -> BTreeMap<PathBuf, String> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(p.clone(), reclaim::audit::run::sha256_file(&p).unwrap());
            }
        }
    }
    out
}

fn run(args: &[String], out: &Path) -> Output {
    let args: Vec<String> = args
        .iter()
        .map(|a| {
            if a == "OUT" {
                out.display().to_string()
            } else if a.starts_with('-') || !a.contains('.') {
                a.clone()
            } else {
                dir().join(a).display().to_string()
            }
        })
        .collect();
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .args(&args)
        .output()
        .expect("the reclaim binary runs")
}

/// Walks `testdata/malformed/`: every case exits 2 with a message naming the file and
/// the place, leaves no output behind and changes no input; every top-level file is
/// used by some case (a new fixture needs a case).
#[test]
fn every_malformed_input_is_refused_cleanly() {
    /// Files the pure-Rust reader refuses but the GDAL fallback (`--features gdal`)
    /// reads correctly.
    const GDAL_READS: &[&str] = &["tiff_12_bit_samples.tif"];
    let before = checksums();
    let mut failures = Vec::new();
    let mut used = std::collections::BTreeSet::new();
    for (args, needles) in cases() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("result");
        let o = run(&args, &out);
        let err = String::from_utf8_lossy(&o.stderr).into_owned();
        let label = args.join(" ");
        for a in args
            .iter()
            .map(String::as_str)
            .chain(needles.iter().copied())
        {
            let stem = Path::new(a)
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("");
            used.insert(stem.to_string());
        }
        // With the GDAL fallback, files only GDAL reads are read, not refused:
        // they must still never panic.
        if cfg!(feature = "gdal") && args.iter().any(|a| GDAL_READS.contains(&a.as_str())) {
            if err.contains("panicked") || o.status.code() == Some(101) {
                failures.push(format!("{label}: panicked with GDAL\n{err}"));
            }
            continue;
        }
        if o.status.code() != Some(2) {
            failures.push(format!("{label}: exit {:?}\n{err}", o.status.code()));
            continue;
        }
        if err.contains("panicked") {
            failures.push(format!("{label}: panicked\n{err}"));
        }
        for n in &needles {
            if !err.contains(n) {
                failures.push(format!("{label}: stderr lacks {n:?}:\n{err}"));
            }
        }
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        if !left.is_empty() {
            failures.push(format!("{label}: left {left:?} behind"));
        }
    }
    assert_eq!(before, checksums(), "an input file changed");
    for (name, _) in fixtures::all() {
        let stem = Path::new(&name)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("")
            .to_string();
        if !name.starts_with("ok/") && !used.contains(&stem) {
            failures.push(format!("{name}: no case uses it"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

/// The two refused self-intersecting footprints are measured with `--repair`: the
/// bow-tie's lobes (10,10)–(50,50)–(50,10)–(10,30) cross at (23⅓, 23⅓) (grid-relative
/// metres): left lobe ½·20·13⅓ = 133⅓ m², right lobe ½·40·26⅔ = 533⅓ m², 666⅔ m² in all.
#[test]
fn repair_measures_both_lobes_of_a_bow_tie() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("z.csv");
    let mut args = zonal_zones("geojson_self_intersecting.geojson");
    args.push("--repair".into());
    let o = run(&args, &out);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let csv = std::fs::read_to_string(&out).unwrap();
    let p2: f64 = csv
        .lines()
        .filter(|l| l.starts_with("P2,"))
        .map(|l| l.rsplit(',').next().unwrap().parse::<f64>().unwrap())
        .sum();
    assert!((p2 * 10_000.0 - 2000.0 / 3.0).abs() < 1e-4, "{csv}");
}
