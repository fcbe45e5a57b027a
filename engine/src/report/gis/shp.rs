//! ESRI Shapefile writer: `.shp` (polygons), `.shx`, `.dbf` (dBASE III), `.prj`
//! (ESRI WKT) and `.cpg` (the text encoding), for the audit's layers and the
//! demo's inputs.
//!
//! The `dbase` crate cannot write non-ASCII field names, and Chinese tables have
//! them (图斑编号, 采矿权人 …), so the formats are written here: a 100-byte main
//! header (big-endian file code and length, little-endian version, type and box),
//! polygon records with parts (a feature without geometry is a null shape), the
//! `.shx` index of record offsets, and a dBASE III header with 32-byte field
//! descriptors and space-padded records.

use super::error::GisError;
use super::layers::{Cell, ColType, Layer};
use super::wkb::{polygons, Pt};
use std::path::{Path, PathBuf};

/// Shapefile shape type: polygon.
const SHAPE_POLYGON: i32 = 5;
/// Shapefile shape type: null shape (a record without geometry).
const SHAPE_NULL: i32 = 0;
/// dBASE language driver id for GBK / code page 936.
pub const LDID_GBK: u8 = 0x4D;
/// dBASE language driver id "none": the `.cpg` names the encoding (UTF-8).
pub const LDID_NONE: u8 = 0x00;
/// Longest text field dBASE III allows, in bytes.
const MAX_TEXT_WIDTH: usize = 254;
/// Numeric fields of the audit's layers: width and decimals of a real (as GDAL
/// writes a double: 24 characters, 15 decimals) and width of an integer.
pub const REAL_WIDTH: u8 = 24;
/// Decimals of a real field (see [`REAL_WIDTH`]).
pub const REAL_DECIMALS: u8 = 15;
/// Width of an integer field, characters (see [`REAL_WIDTH`]).
pub const INTEGER_WIDTH: u8 = 18;

/// Text encoding of a `.dbf`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum DbfEncoding {
    /// UTF-8 (`.cpg` "UTF-8"): QGIS, GDAL and ArcGIS Pro read it.
    #[default]
    Utf8,
    /// GBK / code page 936 (`.cpg` "GBK", language driver 0x4D): ArcMap 10.x and
    /// older Chinese GIS software.
    Gbk,
}

impl DbfEncoding {
    /// The name written in the `.cpg` file.
    pub fn cpg(self) -> &'static str {
        match self {
            DbfEncoding::Utf8 => "UTF-8",
            DbfEncoding::Gbk => "GBK",
        }
    }

    /// The language driver id of the `.dbf` header.
    pub fn ldid(self) -> u8 {
        match self {
            DbfEncoding::Utf8 => LDID_NONE,
            DbfEncoding::Gbk => LDID_GBK,
        }
    }

    /// Parses `utf-8` / `utf8` / `gbk` / `cp936` (any case).
    pub fn parse(s: &str) -> Option<DbfEncoding> {
        match s.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Some(DbfEncoding::Utf8),
            "gbk" | "cp936" | "936" => Some(DbfEncoding::Gbk),
            _ => None,
        }
    }

    fn encode(self, path: &Path, field: &str, text: &str) -> Result<Vec<u8>, GisError> {
        match self {
            DbfEncoding::Utf8 => Ok(text.as_bytes().to_vec()),
            DbfEncoding::Gbk => {
                let (bytes, _, bad) = encoding_rs::GBK.encode(text);
                if bad {
                    return Err(GisError::Encoding {
                        path: path.to_path_buf(),
                        field: field.to_string(),
                        value: text.to_string(),
                        encoding: "GBK",
                    });
                }
                Ok(bytes.into_owned())
            }
        }
    }
}

/// The kind of a dBASE field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DbfKind {
    /// Text (type C), as wide as its longest value.
    Text,
    /// A number (type N) of `width` characters with `decimals` decimals.
    Number {
        /// Width, characters.
        width: u8,
        /// Digits after the decimal point.
        decimals: u8,
    },
    /// True / false (type L).
    Logical,
}

/// A field of the table: its name (≤ 10 bytes once encoded) and kind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbfField {
    /// The field's name.
    pub name: String,
    /// Its kind.
    pub kind: DbfKind,
}

/// An attribute value of a `.dbf` record.
#[derive(Debug, Clone, PartialEq)]
pub enum DbfValue {
    /// Blank (read back as null).
    Null,
    /// Text, in the table's encoding once written.
    Text(String),
    /// A real number.
    Number(f64),
    /// A whole number.
    Integer(i64),
    /// True / false.
    Logical(bool),
}

fn with_ext(base: &Path, ext: &str) -> PathBuf {
    base.with_extension(ext)
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), GisError> {
    std::fs::write(path, bytes).map_err(|source| GisError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn too_large(path: &Path, what: &'static str, value: usize) -> GisError {
    GisError::TooLarge {
        path: path.to_path_buf(),
        what,
        value,
    }
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

/// Writes `.shp` and `.shx` for polygons given as rings already in file order
/// (outer rings clockwise, holes counter-clockwise, each closed); a shape without
/// rings is a null shape.
///
/// # Errors
/// [`GisError::Io`], [`GisError::TooLarge`] past the format's 2 GiB.
pub fn write_shp(base: &Path, shapes: &[Vec<Vec<Pt>>]) -> Result<(), GisError> {
    let shp_path = with_ext(base, "shp");
    let mut body = Vec::new();
    let mut index = Vec::new();
    for (i, rings) in shapes.iter().enumerate() {
        let points: usize = rings.iter().map(Vec::len).sum();
        let content = if rings.is_empty() {
            4
        } else {
            44 + 4 * rings.len() + 16 * points
        };
        let offset_words = i32::try_from((100 + body.len()) / 2)
            .map_err(|_| too_large(&shp_path, "file", body.len()))?;
        let content_words =
            i32::try_from(content / 2).map_err(|_| too_large(&shp_path, "record", content))?;
        index.push((offset_words, content_words));
        let number = i32::try_from(i + 1).map_err(|_| too_large(&shp_path, "record count", i))?;
        body.extend_from_slice(&number.to_be_bytes());
        body.extend_from_slice(&content_words.to_be_bytes());
        if rings.is_empty() {
            body.extend_from_slice(&SHAPE_NULL.to_le_bytes());
            continue;
        }
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
            // Bounded by `npoints`, which fits an i32.
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

/// A number in a field `width` wide with `decimals` decimals, fewer decimals when
/// the integer part needs the room; `None` when even that does not fit.
fn number_text(v: f64, width: usize, decimals: usize) -> Option<String> {
    if !v.is_finite() {
        return None;
    }
    let mut d = decimals;
    loop {
        let t = format!("{v:>width$.d$}");
        if t.len() <= width {
            return Some(t);
        }
        if d == 0 {
            return None;
        }
        d -= 1;
    }
}

/// Writes the `.dbf` (dBASE III) with its text in `encoding`.
///
/// # Errors
/// [`GisError::Io`]; [`GisError::Encoding`] for text `encoding` cannot hold;
/// [`GisError::TooLarge`] for a name over 10 bytes, a text over 254 bytes or a
/// number wider than its field.
pub fn write_dbf(
    base: &Path,
    fields: &[DbfField],
    rows: &[Vec<DbfValue>],
    encoding: DbfEncoding,
) -> Result<(), GisError> {
    let path = with_ext(base, "dbf");
    let mut encoded: Vec<Vec<Vec<u8>>> = Vec::with_capacity(rows.len());
    for row in rows {
        let mut cells = Vec::with_capacity(fields.len());
        for (f, v) in fields.iter().zip(row) {
            cells.push(match (v, f.kind) {
                (DbfValue::Null, _) => Vec::new(),
                (DbfValue::Text(t), _) => encoding.encode(&path, &f.name, t)?,
                (DbfValue::Number(n), DbfKind::Number { width, decimals }) => {
                    number_text(*n, width.into(), decimals.into())
                        .ok_or_else(|| too_large(&path, "number", width.into()))?
                        .into_bytes()
                }
                (DbfValue::Number(n), _) => format!("{n}").into_bytes(),
                (DbfValue::Integer(n), _) => n.to_string().into_bytes(),
                (DbfValue::Logical(b), _) => vec![if *b { b'T' } else { b'F' }],
            });
        }
        encoded.push(cells);
    }
    let widths: Vec<usize> = fields
        .iter()
        .enumerate()
        .map(|(k, f)| match f.kind {
            DbfKind::Number { width, .. } => width.into(),
            DbfKind::Logical => 1,
            DbfKind::Text => encoded
                .iter()
                .filter_map(|r| r.get(k))
                .map(Vec::len)
                .max()
                .unwrap_or(1)
                .max(1),
        })
        .collect();
    if let Some(&w) = widths.iter().find(|&&w| w > MAX_TEXT_WIDTH) {
        return Err(too_large(&path, "text field width", w));
    }
    for cells in &encoded {
        for (cell, &w) in cells.iter().zip(&widths) {
            if cell.len() > w {
                return Err(too_large(&path, "number", cell.len()));
            }
        }
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
    out.push(encoding.ldid());
    out.extend_from_slice(&[0u8; 2]);
    for (f, &w) in fields.iter().zip(&widths) {
        let name = encoding.encode(&path, &f.name, &f.name)?;
        if name.len() > 10 {
            return Err(too_large(&path, "field name (bytes)", name.len()));
        }
        let mut desc = [0u8; 32];
        desc[..name.len()].copy_from_slice(&name);
        let (ty, decimals) = match f.kind {
            DbfKind::Text => (b'C', 0),
            DbfKind::Number { decimals, .. } => (b'N', decimals),
            DbfKind::Logical => (b'L', 0),
        };
        desc[11] = ty;
        // At most 254, checked above.
        desc[16] = w as u8;
        desc[17] = decimals;
        out.extend_from_slice(&desc);
    }
    out.push(0x0D);
    for cells in &encoded {
        out.push(b' ');
        for ((cell, &w), f) in cells.iter().zip(&widths).zip(fields) {
            let pad = w.saturating_sub(cell.len());
            if matches!(f.kind, DbfKind::Number { .. }) {
                out.extend(std::iter::repeat_n(b' ', pad));
                out.extend_from_slice(cell);
            } else if f.kind == DbfKind::Logical && cell.is_empty() {
                out.push(b'?');
            } else {
                out.extend_from_slice(cell);
                out.extend(std::iter::repeat_n(b' ', pad));
            }
        }
    }
    out.push(0x1A);
    write(&path, &out)
}

/// Writes `<base>.shp/.shx/.dbf/.cpg` and, when given, `.prj`: one record per
/// shape (rings in file order, see [`write_shp`]), `rows` parallel.
///
/// # Errors
/// As [`write_shp`] and [`write_dbf`].
pub fn write_layer(
    base: &Path,
    shapes: &[Vec<Vec<Pt>>],
    fields: &[DbfField],
    rows: &[Vec<DbfValue>],
    prj: Option<&str>,
    encoding: DbfEncoding,
) -> Result<(), GisError> {
    write_shp(base, shapes)?;
    write_dbf(base, fields, rows, encoding)?;
    if let Some(prj) = prj {
        write(&with_ext(base, "prj"), prj.as_bytes())?;
    }
    write(&with_ext(base, "cpg"), encoding.cpg().as_bytes())
}

/// Writes one audit layer as `<dir>/<layer>.shp` (with `.shx/.dbf/.prj/.cpg`) and
/// its QGIS style `<layer>.qml`; field names shortened by [`super::names`].
///
/// # Errors
/// As [`write_layer`]; [`GisError::NonFinite`] for a coordinate that is not a number.
pub fn write_layer_table(
    dir: &Path,
    layer: &Layer,
    prj: Option<&str>,
    encoding: DbfEncoding,
) -> Result<(), GisError> {
    let base = dir.join(layer.name);
    let shp_path = with_ext(&base, "shp");
    let shapes = layer
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| {
            polygons(&f.geometry, false)
                .map(|p| p.into_iter().flatten().collect::<Vec<_>>())
                .map_err(|()| GisError::NonFinite {
                    path: shp_path.clone(),
                    layer: layer.name,
                    feature: i,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let fields: Vec<DbfField> = layer
        .columns
        .iter()
        .map(|c| DbfField {
            name: super::names::dbf_name(c.name).to_string(),
            kind: match c.ty {
                ColType::Text => DbfKind::Text,
                ColType::Real => DbfKind::Number {
                    width: REAL_WIDTH,
                    decimals: REAL_DECIMALS,
                },
                ColType::Integer => DbfKind::Number {
                    width: INTEGER_WIDTH,
                    decimals: 0,
                },
                ColType::Boolean => DbfKind::Logical,
            },
        })
        .collect();
    let rows: Vec<Vec<DbfValue>> = layer
        .features
        .iter()
        .map(|f| {
            f.cells
                .iter()
                .map(|c| match c {
                    Cell::Null => DbfValue::Null,
                    Cell::Text(t) => DbfValue::Text(t.clone()),
                    Cell::Real(v) => DbfValue::Number(*v),
                    Cell::Integer(v) => DbfValue::Integer(*v),
                    Cell::Bool(b) => DbfValue::Logical(*b),
                })
                .collect()
        })
        .collect();
    write_layer(&base, &shapes, &fields, &rows, prj, encoding)?;
    let qml = super::qml::qml(layer, super::names::dbf_name);
    write(&with_ext(&base, "qml"), qml.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_fill_their_width_and_keep_15_decimals() {
        assert_eq!(
            number_text(12.5, 24, 15).unwrap(),
            "      12.500000000000000"
        );
        let t = number_text(0.1 + 0.2, 24, 15).unwrap();
        assert_eq!(t.trim().parse::<f64>().unwrap(), 0.3);
        // A wide integer part takes room from the decimals.
        assert_eq!(
            number_text(1e12, 24, 15).unwrap().trim(),
            "1000000000000.0000000000"
        );
        assert_eq!(number_text(1e30, 24, 15), None);
        assert_eq!(number_text(f64::NAN, 24, 15), None);
    }

    #[test]
    fn null_shape_record() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("n");
        let sq = vec![vec![
            (0.0, 0.0),
            (0.0, 1.0),
            (1.0, 1.0),
            (1.0, 0.0),
            (0.0, 0.0),
        ]];
        write_shp(&base, &[vec![], sq]).unwrap();
        let shp = std::fs::read(base.with_extension("shp")).unwrap();
        // Record 1: number, 2 words of content, shape type 0.
        assert_eq!(&shp[100..112], &[0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0]);
        let shx = std::fs::read(base.with_extension("shx")).unwrap();
        assert_eq!(
            &shx[108..112],
            &(56i32).to_be_bytes(),
            "second record at 112 bytes"
        );
    }

    #[test]
    fn gbk_refuses_what_it_cannot_hold_and_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("t");
        let fields = [DbfField {
            name: "holder".into(),
            kind: DbfKind::Text,
        }];
        let e = write_dbf(
            &base,
            &fields,
            &[vec![DbfValue::Text("ok 😀".into())]],
            DbfEncoding::Gbk,
        )
        .unwrap_err();
        assert!(matches!(e, GisError::Encoding { .. }), "{e}");
        assert!(e.to_string().contains("t.dbf"), "{e}");
        write_dbf(
            &base,
            &fields,
            &[vec![DbfValue::Text("ok 😀".into())]],
            DbfEncoding::Utf8,
        )
        .unwrap();
    }

    #[test]
    fn logical_and_blank_values() {
        let dir = tempfile::tempdir().unwrap();
        let base = dir.path().join("l");
        let fields = [
            DbfField {
                name: "liable".into(),
                kind: DbfKind::Logical,
            },
            DbfField {
                name: "pct".into(),
                kind: DbfKind::Number {
                    width: 24,
                    decimals: 15,
                },
            },
        ];
        let rows = vec![
            vec![DbfValue::Logical(true), DbfValue::Null],
            vec![DbfValue::Null, DbfValue::Number(50.0)],
        ];
        write_dbf(&base, &fields, &rows, DbfEncoding::Utf8).unwrap();
        let b = std::fs::read(base.with_extension("dbf")).unwrap();
        let h = 32 + 64 + 1;
        assert_eq!(b[29], LDID_NONE);
        assert_eq!(&b[h..h + 2], b" T");
        assert!(b[h + 2..h + 26].iter().all(|&c| c == b' '));
        assert_eq!(&b[h + 26..h + 28], b" ?");
    }
}
