//! The demo's inputs as ESRI Shapefiles: `.shp` (polygons), `.shx`, `.dbf` (dBASE
//! III, GBK text with language driver 0x4D, Chinese field names), `.prj` (ESRI WKT)
//! and `.cpg` ("GBK"), written by the shared writer [`reclaim::report::gis::shp`].

use crate::error::DemoError;
use crate::geom::{ring_area, Pt, Shape};
use reclaim::report::gis::shp::{self, DbfEncoding, DbfField, DbfKind, DbfValue};
use reclaim::report::gis::GisError;
use std::path::Path;

pub use reclaim::report::gis::shp::LDID_GBK;

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

/// The shared writer's errors as the demo's.
fn demo_error(e: GisError) -> DemoError {
    match e {
        GisError::Io { path, source } => DemoError::Io { path, source },
        GisError::Encoding {
            path, field, value, ..
        } => DemoError::Encoding { path, field, value },
        GisError::TooLarge { path, what, value } => DemoError::TooLarge { path, what, value },
        other => DemoError::Construction {
            what: "shapefile writer",
            feature: other.to_string(),
        },
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

/// Width of numeric fields and their decimals.
const NUMBER_WIDTH: u8 = 16;
const NUMBER_DECIMALS: u8 = 2;

/// The demo's fields and rows as the shared writer's.
fn dbf_table(fields: &[Field], rows: &[Vec<Value>]) -> (Vec<DbfField>, Vec<Vec<DbfValue>>) {
    let fields = fields
        .iter()
        .map(|f| DbfField {
            name: f.name.to_string(),
            kind: if f.numeric {
                DbfKind::Number {
                    width: NUMBER_WIDTH,
                    decimals: NUMBER_DECIMALS,
                }
            } else {
                DbfKind::Text
            },
        })
        .collect();
    let rows = rows
        .iter()
        .map(|r| {
            r.iter()
                .map(|v| match v {
                    Value::Text(t) => DbfValue::Text(t.clone()),
                    Value::Number(n) => DbfValue::Number(*n),
                })
                .collect()
        })
        .collect();
    (fields, rows)
}

/// Writes the `.dbf` (dBASE III, GBK, language driver 0x4D).
#[cfg(test)]
fn write_dbf(base: &Path, fields: &[Field], rows: &[Vec<Value>]) -> Result<(), DemoError> {
    let (fields, rows) = dbf_table(fields, rows);
    shp::write_dbf(base, &fields, &rows, DbfEncoding::Gbk).map_err(demo_error)
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
    let (fields, rows) = dbf_table(fields, rows);
    shp::write_layer(base, &rings, &fields, &rows, Some(prj), DbfEncoding::Gbk).map_err(demo_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::Poly;

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
