//! In-memory entry points of the footprint readers: the same parsers as
//! [`read_layer`](super::read_layer) and [`read_dbf`](super::read_dbf), on bytes the
//! caller already holds (fuzz targets, archives, network payloads).
//!
//! `path` only names the input in errors and in [`Layer::path`]; nothing is read from it.

use std::path::Path;

use super::dbf::{parse_dbf, DbfTable};
use super::encoding::encoding_for_label;
use super::error::{EncodingSource, VectorError};
use super::feature::{Feature, Layer, VectorFormat};
use super::options::ReadOptions;
use super::{geojson_reader, shapefile_reader};
use crate::crs::Crs;

/// Parses a GeoJSON document (UTF-8, or `opts.encoding`) as [`read_layer`](super::read_layer) does.
///
/// # Errors
/// As [`read_layer`](super::read_layer) on a `.geojson` file, without I/O errors.
pub fn geojson_from_bytes(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<Layer, VectorError> {
    geojson_reader::parse_geojson(path, bytes, opts)
}

/// Parses a .dbf table; the encoding comes from `opts.encoding`, else the header or detection.
///
/// # Errors
/// As [`read_dbf`](super::read_dbf), without I/O errors.
pub fn dbf_from_bytes(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<DbfTable, VectorError> {
    let declared = match &opts.encoding {
        Some(label) => match encoding_for_label(label) {
            Some(enc) => Some((enc, EncodingSource::Explicit)),
            None => {
                return Err(VectorError::UnknownEncoding {
                    path: path.to_path_buf(),
                    label: label.trim().to_string(),
                    origin: EncodingSource::Explicit,
                })
            }
        },
        None => None,
    };
    parse_dbf(path, bytes, declared, opts.max_features)
}

/// Parses a shapefile from its `.shp` and `.dbf` bytes and optional `.prj` WKT.
///
/// # Errors
/// As [`read_layer`](super::read_layer) on a `.shp` file, without I/O errors.
pub fn shapefile_from_bytes(
    path: &Path,
    shp: &[u8],
    dbf: &[u8],
    prj: Option<&str>,
    opts: &ReadOptions,
) -> Result<Layer, VectorError> {
    let table = dbf_from_bytes(&path.with_extension("dbf"), dbf, opts)?;
    let crs = match prj {
        Some(wkt) => Some(
            Crs::from_wkt(wkt.trim().trim_start_matches('\u{feff}')).map_err(|source| {
                VectorError::Crs {
                    path: path.with_extension("prj"),
                    source,
                }
            })?,
        ),
        None => None,
    };
    let features: Vec<Feature> =
        shapefile_reader::shapes_with_records(path, shp.to_vec(), &table, opts)?;
    Ok(Layer {
        path: path.to_path_buf(),
        format: VectorFormat::Shapefile,
        crs,
        fields: table.field_names(),
        features,
        encoding: Some(table.encoding.name().to_string()),
        encoding_source: Some(table.encoding_source),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geojson_polygon_from_bytes() {
        let text = br#"{"type":"Polygon","coordinates":[[[0,0],[2,0],[2,1],[0,1],[0,0]]]}"#;
        let layer =
            geojson_from_bytes(Path::new("mem.geojson"), text, &ReadOptions::default()).unwrap();
        assert_eq!(layer.features.len(), 1);
        assert_eq!(layer.format, VectorFormat::GeoJson);
    }

    #[test]
    fn short_dbf_is_an_error_not_a_panic() {
        let err = dbf_from_bytes(Path::new("mem.dbf"), &[3, 0, 0], &ReadOptions::default());
        assert!(matches!(err, Err(VectorError::Malformed { .. })));
    }

    #[test]
    fn unknown_explicit_encoding_is_refused() {
        let opts = ReadOptions {
            encoding: Some("klingon".into()),
            ..ReadOptions::default()
        };
        let err = dbf_from_bytes(Path::new("mem.dbf"), &[0; 40], &opts).unwrap_err();
        assert!(matches!(err, VectorError::UnknownEncoding { .. }));
    }

    #[test]
    fn empty_shp_is_an_error() {
        let err = shapefile_from_bytes(
            Path::new("mem.shp"),
            &[],
            &[0; 10],
            None,
            &ReadOptions::default(),
        );
        assert!(err.is_err());
    }
}
