//! GeoJSON reader (RFC 7946, plus the 2008 draft's `crs` member).
//!
//! Accepts a FeatureCollection, a single Feature or a bare Polygon/MultiPolygon.
//! CRS: no `crs` member → EPSG:4326 (RFC 7946 longitude/latitude); a legacy
//! `{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::32651"}}` (or "EPSG:32651",
//! an OGC `http://www.opengis.net/def/crs/EPSG/0/32651` URL, or `{"type":"EPSG",
//! "properties":{"code":32651}}`) → that EPSG code; "CRS84" → EPSG:4326. Coordinates
//! are always read as x = easting/longitude, y = northing/latitude, as GDAL writes them.
//!
//! Properties: the fields are the union of all features' property names, sorted by
//! name; a feature lacking one gets [`FieldValue::Null`]. Nested arrays/objects are kept
//! as their JSON text. The feature `id` member is not a property.

use std::collections::BTreeSet;
use std::path::Path;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson::{GeoJson, GeometryValue, JsonValue, Position};

use super::encoding::encoding_for_label;
use super::error::{EncodingSource, GeometryProblem, Limit, VectorError};
use super::feature::{Feature, FieldValue, Layer, VectorFormat};
use super::options::ReadOptions;
use super::rings::{orient, validate_ring};
use crate::crs::Crs;

/// EPSG code of WGS 84 longitude/latitude, the RFC 7946 CRS.
const WGS84: u32 = 4326;

/// Reads a GeoJSON layer.
pub(crate) fn read_geojson(path: &Path, opts: &ReadOptions) -> Result<Layer, VectorError> {
    let bytes = crate::input::read_capped(path, opts.max_file_bytes, crate::input::Cap::Vector)?;
    parse_geojson(path, &bytes, opts)
}

/// Parses GeoJSON bytes read from `path` (in memory, for the hostile-input tests).
pub(crate) fn parse_geojson(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<Layer, VectorError> {
    let (text, encoding, source) = decode_text(path, bytes, opts)?;
    let doc: GeoJson = text.parse().map_err(|source| VectorError::GeoJson {
        path: path.to_path_buf(),
        source,
    })?;
    let (features, foreign) = match doc {
        GeoJson::FeatureCollection(fc) => (fc.features, fc.foreign_members),
        GeoJson::Feature(f) => {
            let foreign = f.foreign_members.clone();
            (vec![f], foreign)
        }
        GeoJson::Geometry(g) => {
            let foreign = g.foreign_members.clone();
            (vec![geojson::Feature::from(g)], foreign)
        }
    };
    if features.len() > opts.max_features {
        return Err(VectorError::LimitExceeded {
            path: path.to_path_buf(),
            what: Limit::Features,
            limit: opts.max_features,
        });
    }
    let code = match foreign.as_ref().and_then(|m| m.get("crs")) {
        None | Some(JsonValue::Null) => WGS84,
        Some(member) => legacy_crs_code(member).ok_or_else(|| VectorError::CrsName {
            path: path.to_path_buf(),
            name: crs_member_summary(member),
        })?,
    };
    let crs = Crs::from_epsg(code).map_err(|source| VectorError::Crs {
        path: path.to_path_buf(),
        source,
    })?;

    let fields: Vec<String> = features
        .iter()
        .flat_map(|f| f.properties.iter().flat_map(|p| p.keys().cloned()))
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect();
    let mut vertices = 0usize;
    let mut out = Vec::with_capacity(features.len());
    for (index, f) in features.iter().enumerate() {
        let geometry = feature_geometry(path, index, f.geometry.as_ref(), &mut vertices, opts)?;
        let properties = fields
            .iter()
            .map(|name| {
                let v = f.properties.as_ref().and_then(|p| p.get(name));
                (name.clone(), v.map_or(FieldValue::Null, json_value))
            })
            .collect();
        out.push(Feature {
            index,
            geometry,
            properties,
        });
    }
    Ok(Layer {
        path: path.to_path_buf(),
        format: VectorFormat::GeoJson,
        crs: Some(crs),
        fields,
        features: out,
        encoding: Some(encoding.to_string()),
        encoding_source: Some(source),
    })
}

/// The file as text: UTF-8 (BOM stripped), or the explicit `--encoding` when given.
fn decode_text(
    path: &Path,
    bytes: &[u8],
    opts: &ReadOptions,
) -> Result<(String, &'static str, EncodingSource), VectorError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let (encoding, source) = match &opts.encoding {
        Some(label) => match encoding_for_label(label) {
            Some(enc) => (enc, EncodingSource::Explicit),
            None => {
                return Err(VectorError::UnknownEncoding {
                    path: path.to_path_buf(),
                    label: label.trim().to_string(),
                    origin: EncodingSource::Explicit,
                })
            }
        },
        None => (encoding_rs::UTF_8, EncodingSource::GeoJsonUtf8),
    };
    if encoding == encoding_rs::UTF_8 {
        return match std::str::from_utf8(bytes) {
            Ok(s) => Ok((s.to_string(), encoding.name(), source)),
            Err(e) => Err(VectorError::NotText {
                path: path.to_path_buf(),
                encoding: encoding.name(),
                byte_offset: e.valid_up_to(),
            }),
        };
    }
    match encoding.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(s) => Ok((s.into_owned(), encoding.name(), source)),
        None => Err(VectorError::NotText {
            path: path.to_path_buf(),
            encoding: encoding.name(),
            byte_offset: 0,
        }),
    }
}

/// The EPSG code named by a legacy `crs` member, if it names one.
fn legacy_crs_code(member: &JsonValue) -> Option<u32> {
    match member {
        JsonValue::String(name) => crs_name_code(name),
        JsonValue::Object(obj) => {
            let props = obj.get("properties").and_then(JsonValue::as_object)?;
            if let Some(name) = props.get("name").and_then(JsonValue::as_str) {
                return crs_name_code(name);
            }
            // 2008 draft: {"type": "EPSG", "properties": {"code": 32651}}.
            match props.get("code")? {
                JsonValue::Number(n) => n.as_u64().and_then(|c| u32::try_from(c).ok()),
                JsonValue::String(s) => s.trim().parse().ok(),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The EPSG code in a CRS name: `urn:ogc:def:crs:EPSG::32651`, `EPSG:32651`,
/// `http://www.opengis.net/def/crs/EPSG/0/32651`; CRS84 → 4326.
pub fn crs_name_code(name: &str) -> Option<u32> {
    let upper = name.trim().to_ascii_uppercase();
    if upper.ends_with("CRS84") {
        return Some(WGS84);
    }
    if !upper.contains("EPSG") {
        return None;
    }
    let last = upper.rsplit([':', '/']).next()?;
    last.parse().ok().filter(|&c| c > 0)
}

/// A short description of an unusable `crs` member for the error message.
fn crs_member_summary(member: &JsonValue) -> String {
    let name = member
        .get("properties")
        .and_then(|p| p.get("name"))
        .and_then(JsonValue::as_str)
        .or_else(|| member.as_str());
    match name {
        Some(n) => n.to_string(),
        None => {
            let mut s = member.to_string();
            if s.len() > 120 {
                let cut = (0..=120)
                    .rev()
                    .find(|&i| s.is_char_boundary(i))
                    .unwrap_or(0);
                s.truncate(cut);
                s.push('…');
            }
            s
        }
    }
}

/// A JSON property value as a [`FieldValue`].
fn json_value(v: &JsonValue) -> FieldValue {
    match v {
        JsonValue::Null => FieldValue::Null,
        JsonValue::Bool(b) => FieldValue::Bool(*b),
        JsonValue::Number(n) => match n.as_i64() {
            Some(i) => FieldValue::Int(i),
            None => n.as_f64().map_or(FieldValue::Null, FieldValue::Float),
        },
        JsonValue::String(s) => FieldValue::Text(s.clone()),
        other => FieldValue::Text(other.to_string()),
    }
}

/// The validated (multi)polygon of one feature.
fn feature_geometry(
    path: &Path,
    feature: usize,
    geometry: Option<&geojson::Geometry>,
    vertices: &mut usize,
    opts: &ReadOptions,
) -> Result<MultiPolygon<f64>, VectorError> {
    let invalid = |ring, problem| VectorError::InvalidGeometry {
        path: path.to_path_buf(),
        feature,
        ring,
        problem,
    };
    let polygons: Vec<&Vec<Vec<Position>>> = match geometry.map(|g| &g.value) {
        None => return Err(invalid(None, GeometryProblem::Null)),
        Some(GeometryValue::Polygon { coordinates }) => vec![coordinates],
        Some(GeometryValue::MultiPolygon { coordinates }) => coordinates.iter().collect(),
        Some(other) => {
            return Err(VectorError::UnsupportedGeometry {
                path: path.to_path_buf(),
                feature,
                kind: other.type_name(),
            })
        }
    };
    if polygons.iter().all(|rings| rings.is_empty()) {
        return Err(invalid(None, GeometryProblem::Empty));
    }
    let mut ring_index = 0usize;
    let mut out = Vec::with_capacity(polygons.len());
    for rings in polygons {
        let mut lines = Vec::with_capacity(rings.len());
        for ring in rings {
            *vertices = vertices.saturating_add(ring.len());
            if *vertices > opts.max_vertices {
                return Err(VectorError::LimitExceeded {
                    path: path.to_path_buf(),
                    what: Limit::Vertices,
                    limit: opts.max_vertices,
                });
            }
            let coords: Vec<Coord<f64>> = ring.iter().map(coord).collect();
            validate_ring(&coords).map_err(|p| invalid(Some(ring_index), p))?;
            lines.push(LineString::new(coords));
            ring_index += 1;
        }
        let mut lines = lines.into_iter();
        match lines.next() {
            Some(exterior) => out.push(Polygon::new(exterior, lines.collect())),
            // An empty polygon inside a MultiPolygon.
            None => return Err(invalid(None, GeometryProblem::Empty)),
        }
    }
    Ok(orient(MultiPolygon::new(out)))
}

/// x, y of a position (missing ordinates become NaN and fail validation).
fn coord(p: &Position) -> Coord<f64> {
    let s = p.as_slice();
    Coord {
        x: s.first().copied().unwrap_or(f64::NAN),
        y: s.get(1).copied().unwrap_or(f64::NAN),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crs_names() {
        assert_eq!(crs_name_code("urn:ogc:def:crs:EPSG::32651"), Some(32651));
        assert_eq!(crs_name_code("urn:ogc:def:crs:EPSG:6.6:4490"), Some(4490));
        assert_eq!(crs_name_code("EPSG:32651"), Some(32651));
        assert_eq!(crs_name_code("epsg:4326"), Some(4326));
        assert_eq!(
            crs_name_code("http://www.opengis.net/def/crs/EPSG/0/3857"),
            Some(3857)
        );
        assert_eq!(crs_name_code("urn:ogc:def:crs:OGC:1.3:CRS84"), Some(4326));
        assert_eq!(crs_name_code("urn:ogc:def:crs:EPSG::"), None);
        assert_eq!(crs_name_code("local"), None);
    }

    #[test]
    fn legacy_members() {
        let named: JsonValue =
            serde_json::json!({"type": "name", "properties": {"name": "EPSG:4490"}});
        assert_eq!(legacy_crs_code(&named), Some(4490));
        let draft: JsonValue = serde_json::json!({"type": "EPSG", "properties": {"code": 32651}});
        assert_eq!(legacy_crs_code(&draft), Some(32651));
        let link: JsonValue = serde_json::json!({"type": "link", "properties": {"href": "x.prj"}});
        assert_eq!(legacy_crs_code(&link), None);
        assert!(crs_member_summary(&link).contains("link"));
    }

    #[test]
    fn json_values() {
        assert_eq!(json_value(&serde_json::json!(3)), FieldValue::Int(3));
        assert_eq!(json_value(&serde_json::json!(3.5)), FieldValue::Float(3.5));
        assert_eq!(
            json_value(&serde_json::json!("矿")),
            FieldValue::Text("矿".into())
        );
        assert_eq!(json_value(&serde_json::json!(null)), FieldValue::Null);
        assert_eq!(
            json_value(&serde_json::json!(false)),
            FieldValue::Bool(false)
        );
        assert_eq!(
            json_value(&serde_json::json!([1, 2])),
            FieldValue::Text("[1,2]".into())
        );
    }

    #[test]
    fn geometries() {
        let opts = ReadOptions::default();
        let p = Path::new("t.geojson");
        let mut v = 0;
        let square: geojson::Geometry = serde_json::from_value(serde_json::json!({
            "type": "Polygon",
            "coordinates": [[[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]], [[1, 1], [1, 2], [2, 2], [2, 1], [1, 1]]]
        }))
        .unwrap();
        let mp = feature_geometry(p, 0, Some(&square), &mut v, &opts).unwrap();
        assert_eq!(geo::Area::unsigned_area(&mp), 16.0 - 1.0);
        assert_eq!(v, 10);
        assert!(matches!(
            feature_geometry(p, 5, None, &mut v, &opts),
            Err(VectorError::InvalidGeometry {
                feature: 5,
                problem: GeometryProblem::Null,
                ..
            })
        ));
        let line: geojson::Geometry = serde_json::from_value(
            serde_json::json!({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}),
        )
        .unwrap();
        assert!(matches!(
            feature_geometry(p, 1, Some(&line), &mut v, &opts),
            Err(VectorError::UnsupportedGeometry {
                kind: "LineString",
                ..
            })
        ));
        let empty: geojson::Geometry =
            serde_json::from_value(serde_json::json!({"type": "MultiPolygon", "coordinates": []}))
                .unwrap();
        assert!(matches!(
            feature_geometry(p, 2, Some(&empty), &mut v, &opts),
            Err(VectorError::InvalidGeometry {
                problem: GeometryProblem::Empty,
                ..
            })
        ));
        // Second polygon's hole is unclosed: ring index counts across parts (0, 1, 2).
        let multi: geojson::Geometry = serde_json::from_value(serde_json::json!({
            "type": "MultiPolygon",
            "coordinates": [
                [[[0, 0], [1, 0], [1, 1], [0, 0]]],
                [[[5, 5], [9, 5], [9, 9], [5, 9], [5, 5]], [[6, 6], [7, 6], [7, 7], [6, 7]]]
            ]
        }))
        .unwrap();
        assert!(matches!(
            feature_geometry(p, 3, Some(&multi), &mut v, &opts),
            Err(VectorError::InvalidGeometry {
                feature: 3,
                ring: Some(2),
                problem: GeometryProblem::Unclosed,
                ..
            })
        ));
    }
    /// Cutting a GeoJSON document anywhere is an error, never a panic.
    #[test]
    fn truncated_geojson_is_an_error() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../testdata/vector/legacy_crs.geojson"
        );
        let bytes = std::fs::read(path).unwrap();
        let p = Path::new("t.geojson");
        let opts = ReadOptions::default();
        assert_eq!(parse_geojson(p, &bytes, &opts).unwrap().features.len(), 2);
        for i in 0..bytes.len() - 2 {
            assert!(parse_geojson(p, &bytes[..i], &opts).is_err(), "cut at {i}");
        }
    }
}
