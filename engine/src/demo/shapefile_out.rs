//! ESRI Shapefile writer: `.shp` (polygons), `.shx`, `.dbf` (dBASE III, GBK text with
//! language driver 0x4D), `.prj` (ESRI WKT) and `.cpg` ("GBK").
//!
//! The `dbase` crate cannot write non-ASCII field names, and Chinese licence tables
//! have them (图斑编号, 采矿权人 …), so the formats are written here: a 100-byte main
//! header (big-endian file code and length, little-endian version, type and box),
//! polygon records with parts, the `.shx` index of record offsets, and a dBASE III
//! header with 32-byte field descriptors and space-padded records.

use super::error::DemoError;
use super::geom::{ring_area, Pt, Shape};
use std::path::{Path, PathBuf};

/// Shapefile shape type: polygon.
const SHAPE_POLYGON: i32 = 5;
/// dBASE language driver id for GBK / code page 936.
pub const LDID_GBK: u8 = 0x4D;

/// An attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// Text (type C).
    Text(String),
    /// A number written with two decimals (type N).
    Number(f64),
}

/// A field of the table: its name and whether it holds numbers.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Field {
    /// Field name (≤ 10 bytes in GBK).
    pub name: &'static str,
    /// True for a numeric field.
    pub numeric: bool,
}

/// ESRI WKT of WGS 84 / UTM zone 51N (EPSG:32651).
pub const PRJ_UTM51N: &str = "PROJCS[\"WGS_1984_UTM_Zone_51N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",123.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

/// ESRI WKT of CGCS2000 / 3-degree Gauss–Krüger CM 126°E (EPSG:4551).
pub const PRJ_CGCS2000_GK_CM126: &str = "PROJCS[\"CGCS2000_3_Degree_GK_CM_126E\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Gauss_Kruger\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",126.0],PARAMETER[\"Scale_Factor\",1.0],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

fn with_ext(base: &Path, ext: &str) -> PathBuf {
    base.with_extension(ext)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), DemoError> {
    std::fs::write(path, bytes).map_err(|source| DemoError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn too_large(path: &Path, what: &'static str, value: usize) -> DemoError {
    DemoError::TooLarge {
        path: path.to_path_buf(),
        what,
        value,
    }
}

/// Rings in shapefile order: each outer ring clockwise followed by its holes
/// counter-clockwise, each closed (first point repeated).
fn shapefile_rings(shape: &Shape) -> Vec<Vec<Pt>> {
    let mut out = Vec::new();
    for p in &shape.parts {
        for (k, ring) in std::iter::once(&p.outer).chain(p.holes.iter()).enumerate() {
            let mut r = ring.clone();
            let ccw = ring_area(&r) > 0.0;
            // Outer rings clockwise (k == 0), holes counter-clockwise.
            if (k == 0) == ccw {
                r.reverse();
            }
            if let Some(&first) = r.first() {
                r.push(first);
            }
            out.push(r);
        }
    }
    out
}

fn bbox_of(points: impl Iterator<Item = Pt>) -> [f64; 4] {
    let mut b = [
        f64::INFINITY,
        f64::INFINITY,
        f64::NEG_INFINITY,
        f64::NEG_INFINITY,
    ];
    for (x, y) in points {
        b = [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)];
    }
    if !b[0].is_finite() {
        b = [0.0; 4];
    }
    b
}

fn header(file_words: i32, bbox: [f64; 4]) -> Vec<u8> {
    let mut h = Vec::with_capacity(100);
    h.extend_from_slice(&9994i32.to_be_bytes());
    h.extend_from_slice(&[0u8; 20]);
    h.extend_from_slice(&file_words.to_be_bytes());
    h.extend_from_slice(&1000i32.to_le_bytes());
    h.extend_from_slice(&SHAPE_POLYGON.to_le_bytes());
    for v in bbox {
        h.extend_from_slice(&v.to_le_bytes());
    }
    h.extend_from_slice(&[0u8; 32]); // z and m ranges
    h
}

/// Writes `.shp` and `.shx` for polygons given as rings (already in file order).
fn write_shp(base: &Path, shapes: &[Vec<Vec<Pt>>]) -> Result<(), DemoError> {
    let shp_path = with_ext(base, "shp");
    let mut body = Vec::new();
    let mut index = Vec::new();
    for (i, rings) in shapes.iter().enumerate() {
        let points: usize = rings.iter().map(Vec::len).sum();
        let content = 44 + 4 * rings.len() + 16 * points;
        let offset_words = i32::try_from((100 + body.len()) / 2)
            .map_err(|_| too_large(&shp_path, "file", body.len()))?;
        let content_words =
            i32::try_from(content / 2).map_err(|_| too_large(&shp_path, "record", content))?;
        index.push((offset_words, content_words));
        let number = i32::try_from(i + 1).map_err(|_| too_large(&shp_path, "record count", i))?;
        body.extend_from_slice(&number.to_be_bytes());
        body.extend_from_slice(&content_words.to_be_bytes());
        body.extend_from_slice(&SHAPE_POLYGON.to_le_bytes());
        for v in bbox_of(rings.iter().flatten().copied()) {
            body.extend_from_slice(&v.to_le_bytes());
        }
        let parts =
            i32::try_from(rings.len()).map_err(|_| too_large(&shp_path, "parts", rings.len()))?;
        let npoints = i32::try_from(points).map_err(|_| too_large(&shp_path, "points", points))?;
        body.extend_from_slice(&parts.to_le_bytes());
        body.extend_from_slice(&npoints.to_le_bytes());
        let mut start = 0i32;
        for r in rings {
            body.extend_from_slice(&start.to_le_bytes());
            start += r.len() as i32;
        }
        for &(x, y) in rings.iter().flatten() {
            body.extend_from_slice(&x.to_le_bytes());
            body.extend_from_slice(&y.to_le_bytes());
        }
    }
    let bbox = bbox_of(shapes.iter().flatten().flatten().copied());
    let shp_words = i32::try_from((100 + body.len()) / 2)
        .map_err(|_| too_large(&shp_path, "file", body.len()))?;
    let mut shp = header(shp_words, bbox);
    shp.extend_from_slice(&body);
    write(&shp_path, &shp)?;

    let shx_words = i32::try_from((100 + 8 * index.len()) / 2)
        .map_err(|_| too_large(&shp_path, "index", index.len()))?;
    let mut shx = header(shx_words, bbox);
    for (offset, len) in index {
        shx.extend_from_slice(&offset.to_be_bytes());
        shx.extend_from_slice(&len.to_be_bytes());
    }
    write(&with_ext(base, "shx"), &shx)
}

fn gbk(path: &Path, field: &str, text: &str) -> Result<Vec<u8>, DemoError> {
    let (bytes, _, bad) = encoding_rs::GBK.encode(text);
    if bad {
        return Err(DemoError::Encoding {
            path: path.to_path_buf(),
            field: field.to_string(),
            value: text.to_string(),
        });
    }
    Ok(bytes.into_owned())
}

/// Width of numeric fields and their decimals.
const NUMBER_WIDTH: usize = 16;
const NUMBER_DECIMALS: u8 = 2;

/// Writes the `.dbf` (dBASE III, GBK, language driver 0x4D).
fn write_dbf(base: &Path, fields: &[Field], rows: &[Vec<Value>]) -> Result<(), DemoError> {
    let path = with_ext(base, "dbf");
    let mut encoded: Vec<Vec<Vec<u8>>> = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells = Vec::with_capacity(fields.len());
        for (f, v) in fields.iter().zip(row) {
            cells.push(match v {
                Value::Text(t) => gbk(&path, f.name, t)?,
                Value::Number(n) => format!(
                    "{:>w$.d$}",
                    n,
                    w = NUMBER_WIDTH,
                    d = NUMBER_DECIMALS as usize
                )
                .into_bytes(),
            });
        }
        encoded.push(cells);
    }
    let widths: Vec<usize> = fields
        .iter()
        .enumerate()
        .map(|(k, f)| {
            if f.numeric {
                NUMBER_WIDTH
            } else {
                encoded
                    .iter()
                    .filter_map(|r| r.get(k))
                    .map(Vec::len)
                    .max()
                    .unwrap_or(1)
                    .max(1)
            }
        })
        .collect();
    if let Some(&w) = widths.iter().find(|&&w| w > 254) {
        return Err(too_large(&path, "text field width", w));
    }
    let header_len = 32 + 32 * fields.len() + 1;
    let record_len = 1 + widths.iter().sum::<usize>();
    let nrec =
        u32::try_from(rows.len()).map_err(|_| too_large(&path, "record count", rows.len()))?;
    let hl = u16::try_from(header_len).map_err(|_| too_large(&path, "header", header_len))?;
    let rl = u16::try_from(record_len).map_err(|_| too_large(&path, "record", record_len))?;
    let mut out = Vec::with_capacity(header_len + record_len * rows.len() + 1);
    out.push(0x03); // dBASE III without memo
    out.extend_from_slice(&[121, 1, 1]); // last update 2021-01-01 (fixed: reproducible files)
    out.extend_from_slice(&nrec.to_le_bytes());
    out.extend_from_slice(&hl.to_le_bytes());
    out.extend_from_slice(&rl.to_le_bytes());
    out.extend_from_slice(&[0u8; 17]);
    out.push(LDID_GBK);
    out.extend_from_slice(&[0u8; 2]);
    for (f, &w) in fields.iter().zip(&widths) {
        let name = gbk(&path, f.name, f.name)?;
        if name.len() > 10 {
            return Err(too_large(&path, "field name (bytes)", name.len()));
        }
        let mut desc = [0u8; 32];
        desc[..name.len()].copy_from_slice(&name);
        desc[11] = if f.numeric { b'N' } else { b'C' };
        desc[16] = w as u8;
        desc[17] = if f.numeric { NUMBER_DECIMALS } else { 0 };
        out.extend_from_slice(&desc);
    }
    out.push(0x0D);
    for cells in &encoded {
        out.push(b' ');
        for ((cell, &w), f) in cells.iter().zip(&widths).zip(fields) {
            let pad = w.saturating_sub(cell.len());
            if f.numeric {
                out.extend(std::iter::repeat_n(b' ', pad));
                out.extend_from_slice(cell);
            } else {
                out.extend_from_slice(cell);
                out.extend(std::iter::repeat_n(b' ', pad));
            }
        }
    }
    out.push(0x1A);
    write(&path, &out)
}

/// Writes `<base>.shp/.shx/.dbf/.prj/.cpg`: one record per shape, `rows` parallel.
///
/// # Errors
/// [`DemoError::Io`], [`DemoError::Encoding`] (text GBK cannot hold),
/// [`DemoError::TooLarge`].
pub fn write_layer(
    base: &Path,
    shapes: &[Shape],
    fields: &[Field],
    rows: &[Vec<Value>],
    prj: &str,
) -> Result<(), DemoError> {
    let rings: Vec<Vec<Vec<Pt>>> = shapes.iter().map(shapefile_rings).collect();
    write_shp(base, &rings)?;
    write_dbf(base, fields, rows)?;
    write(&with_ext(base, "prj"), prj.as_bytes())?;
    write(&with_ext(base, "cpg"), b"GBK")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::geom::Poly;

    #[test]
    fn rings_are_closed_and_oriented_for_shapefiles() {
        let sq = |x: f64, s: f64| vec![(x, x), (x + s, x), (x + s, x + s), (x, x + s)];
        let shape = Shape {
            parts: vec![Poly {
                outer: sq(0.0, 10.0),
                holes: vec![sq(2.0, 2.0)],
            }],
        };
        let rings = shapefile_rings(&shape);
        assert_eq!(rings.len(), 2);
        assert_eq!(rings[0].first(), rings[0].last());
        assert!(ring_area(&rings[0]) < 0.0, "outer clockwise");
        assert!(ring_area(&rings[1]) > 0.0, "hole counter-clockwise");
    }

    #[test]
    fn dbf_header_and_gbk_names() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("t");
        let fields = [
            Field {
                name: "图斑编号",
                numeric: false,
            },
            Field {
                name: "面积",
                numeric: true,
            },
        ];
        let rows = vec![vec![Value::Text("YT-1".into()), Value::Number(12.5)]];
        write_dbf(&base, &fields, &rows).unwrap();
        let b = std::fs::read(base.with_extension("dbf")).unwrap();
        assert_eq!(b[0], 3);
        assert_eq!(b[29], LDID_GBK);
        assert_eq!(u32::from_le_bytes([b[4], b[5], b[6], b[7]]), 1);
        // 图斑编号 in GBK: CD BC B0 DF B1 E0 BA C5.
        assert_eq!(
            &b[32..40],
            &[0xCD, 0xBC, 0xB0, 0xDF, 0xB1, 0xE0, 0xBA, 0xC5]
        );
        assert_eq!(b[32 + 11], b'C');
        assert_eq!(b[32 + 16], 4);
        let header_len = u16::from_le_bytes([b[8], b[9]]) as usize;
        assert_eq!(header_len, 32 + 64 + 1);
        assert_eq!(&b[header_len..header_len + 5], b" YT-1");
        assert_eq!(
            std::str::from_utf8(&b[header_len + 5..header_len + 21])
                .unwrap()
                .trim(),
            "12.50"
        );
        assert_eq!(b.last(), Some(&0x1A));
    }
}
