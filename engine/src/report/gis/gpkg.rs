//! The GeoPackage 1.3 writer (`results.gpkg`), on SQLite through `rusqlite`
//! (bundled: SQLite is compiled from its C source, no system library).
//!
//! What a reader expects (OGC 12-128r18): `application_id` "GPKG" and
//! `user_version` 10300; `gpkg_spatial_ref_sys` with the three mandatory rows
//! (-1, 0, 4326) and the project CRS (its EPSG code as `srs_id` and its EPSG
//! WKT, when it has one); `gpkg_contents` with each layer's extent;
//! `gpkg_geometry_columns` (`MULTIPOLYGON`, no z, no m); feature tables with an
//! `fid INTEGER PRIMARY KEY`, a `geom` column of GeoPackage binary geometry (the
//! `GP` header with an xy envelope, then little-endian WKB) and typed attribute
//! columns. QGIS's `layer_styles` table holds each layer's default style.
//!
//! The file is built under a temporary name beside the target and renamed when
//! whole and flushed; timestamps are the audit date, so a rerun writes the same
//! bytes.

use super::error::GisError;
use super::layers::{Cell, ColType, Layer};
use super::wkb::{envelope, multipolygon_wkb, polygons, Rings};
use crate::crs::Crs;
use rusqlite::{params, Connection};
use std::path::Path;

/// `PRAGMA application_id` of a GeoPackage: "GPKG" in ASCII.
pub const APPLICATION_ID: i32 = 0x4750_4B47;
/// `PRAGMA user_version` of a GeoPackage 1.3.0.
pub const USER_VERSION: i32 = 10300;
/// The `srs_id` of a project CRS without an EPSG code (user-defined range).
pub const CUSTOM_SRS_ID: i64 = 100_000;
/// GeoPackage binary header flags: little endian, xy envelope.
const FLAGS_LE_XY_ENVELOPE: u8 = 0b0000_0011;
/// GeoPackage binary header flags: little endian, empty geometry, no envelope.
const FLAGS_LE_EMPTY: u8 = 0b0001_0001;

/// The project CRS as a `gpkg_spatial_ref_sys` row.
#[derive(Debug, Clone, PartialEq)]
pub struct Srs {
    /// The CRS's name.
    pub srs_name: String,
    /// The id the layers refer to: the EPSG code, or [`CUSTOM_SRS_ID`].
    pub srs_id: i64,
    /// `EPSG`, or `NONE` for a CRS without an EPSG code.
    pub organization: String,
    /// The code within the organization: the EPSG code, or [`CUSTOM_SRS_ID`].
    pub organization_coordsys_id: i64,
    /// The CRS as OGC WKT (`undefined` without an EPSG code).
    pub definition: String,
    /// A one-line description.
    pub description: String,
}

impl Srs {
    /// The row of `crs` (`label` is the report's name for it, used when it has
    /// no EPSG code, whose definition is then "undefined").
    pub fn of(crs: Option<&Crs>, label: &str) -> Srs {
        match crs.and_then(|c| Some((c, c.epsg?, c.ogc_wkt()?))) {
            Some((c, code, wkt)) => Srs {
                srs_name: c.name.clone(),
                srs_id: i64::from(code),
                organization: "EPSG".into(),
                organization_coordsys_id: i64::from(code),
                definition: wkt.to_string(),
                description: format!("EPSG:{code}, the audit's raster CRS"),
            },
            None => Srs {
                srs_name: label.to_string(),
                srs_id: CUSTOM_SRS_ID,
                organization: "NONE".into(),
                organization_coordsys_id: CUSTOM_SRS_ID,
                definition: "undefined".into(),
                description: crs
                    .map(|c| format!("the audit's raster CRS: {}", c.proj4))
                    .unwrap_or_else(|| format!("the audit's raster CRS: {label}")),
            },
        }
    }
}

/// WKT of EPSG:4326 for the mandatory row (EPSG's text, as the table holds it).
fn wgs84_wkt() -> String {
    Crs::from_epsg(4326)
        .ok()
        .and_then(|c| c.ogc_wkt())
        .unwrap_or("undefined")
        .to_string()
}

/// The GeoPackage binary geometry of `polys` in `srs_id`.
pub fn geometry_blob(polys: &[Rings], srs_id: i64) -> Vec<u8> {
    let env = envelope(polys);
    let mut b = Vec::with_capacity(40 + 16 * polys.iter().flatten().flatten().count() + 64);
    b.extend_from_slice(b"GP");
    b.push(0); // version 1
    b.push(if env.is_some() {
        FLAGS_LE_XY_ENVELOPE
    } else {
        FLAGS_LE_EMPTY
    });
    // srs ids come from EPSG codes or the constants above: they fit an i32.
    b.extend_from_slice(&i32::try_from(srs_id).unwrap_or(-1).to_le_bytes());
    if let Some([minx, miny, maxx, maxy]) = env {
        for v in [minx, maxx, miny, maxy] {
            b.extend_from_slice(&v.to_le_bytes());
        }
    }
    multipolygon_wkb(polys, &mut b);
    b
}

/// A name as an SQL identifier (double quotes doubled).
fn ident(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

fn sql_type(t: ColType) -> &'static str {
    match t {
        ColType::Text => "TEXT",
        ColType::Real => "REAL",
        ColType::Integer => "INTEGER",
        ColType::Boolean => "BOOLEAN",
    }
}

/// `audit_date` (`YYYY-MM-DD`) as a GeoPackage timestamp, or the epoch when it is
/// not such a date.
fn timestamp(audit_date: &str) -> String {
    let ok = audit_date.len() == 10
        && audit_date.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if ok {
        format!("{audit_date}T00:00:00.000Z")
    } else {
        "1970-01-01T00:00:00.000Z".into()
    }
}

const SCHEMA: &str = "
CREATE TABLE gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL,
  srs_id INTEGER PRIMARY KEY,
  organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL,
  definition TEXT NOT NULL,
  description TEXT
);
CREATE TABLE gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY,
  data_type TEXT NOT NULL,
  identifier TEXT UNIQUE,
  description TEXT DEFAULT '',
  last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE,
  min_y DOUBLE,
  max_x DOUBLE,
  max_y DOUBLE,
  srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id)
);
CREATE TABLE gpkg_geometry_columns (
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL,
  z TINYINT NOT NULL,
  m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id)
);
CREATE TABLE layer_styles (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  f_table_catalog TEXT(256),
  f_table_schema TEXT(256),
  f_table_name TEXT(256),
  f_geometry_column TEXT(256),
  styleName TEXT(30),
  styleQML TEXT,
  styleSLD TEXT,
  useAsDefault BOOLEAN,
  description TEXT,
  owner TEXT(30),
  ui TEXT(30),
  update_time DATETIME DEFAULT CURRENT_TIMESTAMP
);
";

/// Writes `layers` as the GeoPackage `path` in the CRS `srs`.
///
/// # Errors
/// [`GisError::Sqlite`] / [`GisError::Io`] naming `path`; [`GisError::NonFinite`]
/// for a coordinate that is not a number.
pub fn write(path: &Path, layers: &[Layer], srs: &Srs, audit_date: &str) -> Result<(), GisError> {
    let tmp = path.with_extension("gpkg.part");
    let _ = std::fs::remove_file(&tmp);
    let result = write_to(&tmp, path, layers, srs, audit_date).and_then(|()| {
        // Flushed before it takes the final name.
        std::fs::File::open(&tmp)
            .and_then(|f| f.sync_all())
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|source| GisError::Io {
                path: path.to_path_buf(),
                source,
            })
    });
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn write_to(
    tmp: &Path,
    path: &Path,
    layers: &[Layer],
    srs: &Srs,
    audit_date: &str,
) -> Result<(), GisError> {
    let sql = |source| GisError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    let mut conn = Connection::open(tmp).map_err(sql)?;
    // One transaction, no journal: the file is renamed into place only when whole.
    conn.execute_batch(&format!(
        "PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {USER_VERSION}; \
         PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
    ))
    .map_err(sql)?;
    let when = timestamp(audit_date);
    let tx = conn.transaction().map_err(sql)?;
    tx.execute_batch(SCHEMA).map_err(sql)?;
    {
        let mut ins = tx
            .prepare(
                "INSERT INTO gpkg_spatial_ref_sys (srs_name, srs_id, organization, \
                 organization_coordsys_id, definition, description) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            )
            .map_err(sql)?;
        ins.execute(params![
            "Undefined cartesian SRS",
            -1,
            "NONE",
            -1,
            "undefined",
            "undefined cartesian coordinate reference system"
        ])
        .map_err(sql)?;
        ins.execute(params![
            "Undefined geographic SRS",
            0,
            "NONE",
            0,
            "undefined",
            "undefined geographic coordinate reference system"
        ])
        .map_err(sql)?;
        ins.execute(params![
            "WGS 84 geodetic",
            4326,
            "EPSG",
            4326,
            wgs84_wkt(),
            "longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid"
        ])
        .map_err(sql)?;
        if ![-1, 0, 4326].contains(&srs.srs_id) {
            ins.execute(params![
                srs.srs_name,
                srs.srs_id,
                srs.organization,
                srs.organization_coordsys_id,
                srs.definition,
                srs.description
            ])
            .map_err(sql)?;
        }
    }
    for layer in layers {
        write_layer(&tx, path, layer, srs.srs_id, &when)?;
    }
    // QGIS lists layer_styles as an attribute table, as it does when it creates one.
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change) \
         VALUES ('layer_styles', 'attributes', 'layer_styles', 'QGIS layer styles', ?1)",
        params![when],
    )
    .map_err(sql)?;
    tx.commit().map_err(sql)?;
    conn.close().map_err(|(_, e)| sql(e))
}

fn write_layer(
    tx: &rusqlite::Transaction<'_>,
    path: &Path,
    layer: &Layer,
    srs_id: i64,
    when: &str,
) -> Result<(), GisError> {
    let sql = |source| GisError::Sqlite {
        path: path.to_path_buf(),
        source,
    };
    let table = ident(layer.name);
    let mut create = format!(
        "CREATE TABLE {table} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom MULTIPOLYGON"
    );
    for c in &layer.columns {
        create.push_str(&format!(", {} {}", ident(c.name), sql_type(c.ty)));
    }
    create.push(')');
    tx.execute_batch(&create).map_err(sql)?;

    let placeholders: Vec<String> = (0..layer.columns.len() + 1)
        .map(|i| format!("?{}", i + 1))
        .collect();
    let names: Vec<String> = std::iter::once("geom".to_string())
        .chain(layer.columns.iter().map(|c| ident(c.name)))
        .collect();
    let mut ins = tx
        .prepare(&format!(
            "INSERT INTO {table} ({}) VALUES ({})",
            names.join(", "),
            placeholders.join(", ")
        ))
        .map_err(sql)?;
    let mut extent: Option<[f64; 4]> = None;
    for (i, f) in layer.features.iter().enumerate() {
        let polys = polygons(&f.geometry, true).map_err(|()| GisError::NonFinite {
            path: path.to_path_buf(),
            layer: layer.name,
            feature: i,
        })?;
        if let Some(e) = envelope(&polys) {
            extent = Some(match extent {
                None => e,
                Some(x) => [
                    x[0].min(e[0]),
                    x[1].min(e[1]),
                    x[2].max(e[2]),
                    x[3].max(e[3]),
                ],
            });
        }
        let mut values: Vec<rusqlite::types::Value> = Vec::with_capacity(f.cells.len() + 1);
        values.push(rusqlite::types::Value::Blob(geometry_blob(&polys, srs_id)));
        for c in &f.cells {
            values.push(match c {
                Cell::Null => rusqlite::types::Value::Null,
                Cell::Text(t) => rusqlite::types::Value::Text(t.clone()),
                Cell::Real(v) => rusqlite::types::Value::Real(*v),
                Cell::Integer(v) => rusqlite::types::Value::Integer(*v),
                Cell::Bool(b) => rusqlite::types::Value::Integer(i64::from(*b)),
            });
        }
        ins.execute(rusqlite::params_from_iter(values))
            .map_err(sql)?;
    }
    let [min_x, min_y, max_x, max_y] = match extent {
        Some(e) => e.map(Some),
        None => [None; 4],
    };
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, last_change, \
         min_x, min_y, max_x, max_y, srs_id) VALUES (?1, 'features', ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![layer.name, layer.description, when, min_x, min_y, max_x, max_y, srs_id],
    )
    .map_err(sql)?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns (table_name, column_name, geometry_type_name, srs_id, z, m) \
         VALUES (?1, 'geom', 'MULTIPOLYGON', ?2, 0, 0)",
        params![layer.name, srs_id],
    )
    .map_err(sql)?;
    tx.execute(
        "INSERT INTO layer_styles (f_table_catalog, f_table_schema, f_table_name, \
         f_geometry_column, styleName, styleQML, styleSLD, useAsDefault, description, owner, ui, \
         update_time) VALUES ('', '', ?1, 'geom', ?1, ?2, '', 1, ?3, '', NULL, ?4)",
        params![
            layer.name,
            super::qml::qml(layer, |c| c),
            format!("reclaim: {}", layer.description),
            when
        ],
    )
    .map_err(sql)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    #[test]
    fn blob_header_envelope_and_empty() {
        let sq: geo::Polygon<f64> =
            polygon![(x: 1.0, y: 2.0), (x: 5.0, y: 2.0), (x: 5.0, y: 3.0), (x: 1.0, y: 3.0)];
        let polys = polygons(&MultiPolygon(vec![sq]), true).unwrap();
        let b = geometry_blob(&polys, 32651);
        assert_eq!(&b[..4], &[b'G', b'P', 0, 3]);
        assert_eq!(&b[4..8], &32651i32.to_le_bytes());
        let env: Vec<f64> = (0..4)
            .map(|k| f64::from_le_bytes(b[8 + 8 * k..16 + 8 * k].try_into().unwrap()))
            .collect();
        assert_eq!(env, [1.0, 5.0, 2.0, 3.0], "minx maxx miny maxy");
        assert_eq!(b[40], 1, "WKB little endian after a 40-byte header");
        let e = geometry_blob(&[], 32651);
        assert_eq!(e[3], FLAGS_LE_EMPTY);
        assert_eq!(e.len(), 8 + 9);
    }

    #[test]
    fn srs_of_epsg_and_of_a_custom_crs() {
        let utm = Crs::from_epsg(32651).unwrap();
        let s = Srs::of(Some(&utm), "EPSG:32651");
        assert_eq!((s.srs_id, s.organization.as_str()), (32651, "EPSG"));
        assert!(s.definition.starts_with("PROJCS[\"WGS 84 / UTM zone 51N\""));
        let custom = Crs::from_proj4("+proj=tmerc +lon_0=125.5 +ellps=GRS80").unwrap();
        let s = Srs::of(Some(&custom), "custom");
        assert_eq!(
            (s.srs_id, s.definition.as_str()),
            (CUSTOM_SRS_ID, "undefined")
        );
        assert!(s.description.contains("+proj=tmerc"));
    }

    #[test]
    fn timestamps_from_the_audit_date() {
        assert_eq!(timestamp("2024-12-31"), "2024-12-31T00:00:00.000Z");
        assert_eq!(timestamp("31/12/2024"), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn unwritable_target_names_the_file() {
        let e = write(
            Path::new("/no/such/dir/results.gpkg"),
            &[],
            &Srs::of(None, "x"),
            "2024-12-31",
        )
        .unwrap_err();
        assert!(e.to_string().contains("/no/such/dir/results.gpkg"), "{e}");
    }
}
