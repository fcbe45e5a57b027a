//! Features, attribute values and layers: what the readers return.

use std::path::PathBuf;

use geo::MultiPolygon;

use super::error::{AbsentField, EncodingSource, VectorError};
use crate::crs::Crs;

/// One attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum FieldValue {
    /// No value (JSON `null`, a blank .dbf field).
    Null,
    /// A logical value.
    Bool(bool),
    /// An integer (JSON integer, .dbf numeric without decimals, .dbf `I`).
    Int(i64),
    /// A floating-point number.
    Float(f64),
    /// Text (decoded to UTF-8).
    Text(String),
    /// A calendar date (.dbf `D`).
    Date {
        /// Year, e.g. 2025.
        year: i32,
        /// Month 1–12.
        month: u32,
        /// Day 1–31.
        day: u32,
    },
}

impl FieldValue {
    /// The value as text: numbers in Rust's shortest round-trip form (`12`, `0.5`),
    /// dates as `YYYY-MM-DD`, booleans as `true`/`false`; `None` for [`FieldValue::Null`].
    pub fn as_text(&self) -> Option<String> {
        match self {
            FieldValue::Null => None,
            FieldValue::Bool(b) => Some(b.to_string()),
            FieldValue::Int(i) => Some(i.to_string()),
            FieldValue::Float(f) => Some(f.to_string()),
            FieldValue::Text(s) => Some(s.clone()),
            FieldValue::Date { year, month, day } => Some(format!("{year:04}-{month:02}-{day:02}")),
        }
    }

    /// The value as a number: ints, floats, and text that parses as a number.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            FieldValue::Int(i) => Some(*i as f64),
            FieldValue::Float(f) => Some(*f),
            FieldValue::Text(s) => s.trim().parse().ok(),
            _ => None,
        }
    }

    /// True for [`FieldValue::Null`].
    pub fn is_null(&self) -> bool {
        matches!(self, FieldValue::Null)
    }
}

/// One footprint: a (multi)polygon and its attributes.
///
/// Polygons are normalised: exterior rings counter-clockwise, holes clockwise, every
/// ring closed and validated (finite, ≥ 4 positions, non-zero area).
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    /// 0-based position of the feature in the file (deleted .dbf records keep their slot).
    pub index: usize,
    /// The footprint geometry.
    pub geometry: MultiPolygon<f64>,
    /// Attribute values in the layer's field order.
    pub properties: Vec<(String, FieldValue)>,
}

impl Feature {
    /// The value of `field`, if the feature has that field.
    pub fn get(&self, field: &str) -> Option<&FieldValue> {
        self.properties
            .iter()
            .find(|(name, _)| name == field)
            .map(|(_, v)| v)
    }
}

/// The format a layer was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum VectorFormat {
    /// GeoJSON (RFC 7946, or the 2008 draft with a `crs` member).
    GeoJson,
    /// ESRI Shapefile (.shp + .dbf + optional .prj/.cpg).
    Shapefile,
    /// Any other format GDAL/OGR reads: GeoPackage, FileGDB, KML, GML … (`gdal` feature).
    Gdal,
    /// Built in memory ([`Layer::from_features`]): no file.
    Memory,
}

/// A footprint layer read from one file.
#[derive(Debug, Clone)]
pub struct Layer {
    /// The file read.
    pub path: PathBuf,
    /// Its format.
    pub format: VectorFormat,
    /// The layer's CRS; `None` for a shapefile without `.prj` (the caller decides).
    pub crs: Option<Crs>,
    /// Field names in file order (GeoJSON: sorted by name).
    pub fields: Vec<String>,
    /// The features, in file order.
    pub features: Vec<Feature>,
    /// The encoding used for text (encoding_rs name, e.g. "GBK", "UTF-8").
    pub encoding: Option<String>,
    /// Where that encoding was chosen from.
    pub encoding_source: Option<EncodingSource>,
}

impl Layer {
    /// `Ok` when the layer has `name` among its fields; the error lists the fields it has.
    pub fn require_field(&self, name: &str) -> Result<(), VectorError> {
        if self.fields.iter().any(|f| f == name) {
            Ok(())
        } else {
            Err(VectorError::MissingField {
                path: self.path.clone(),
                field: name.to_string(),
                available: self.fields.clone(),
            })
        }
    }

    /// Checks every `(config key, field)` at once. A field found only ignoring case
    /// (`holder` for `HOLDER`), and by no other requested name, is accepted: it is
    /// renamed in the layer to the requested name, and returned as
    /// `(key, requested, found)` so the caller can warn.
    ///
    /// # Errors
    /// [`VectorError::MissingFields`] listing every field not found, with the key
    /// that asked for it, a "did you mean" where a field is close, and the fields
    /// the layer has.
    pub fn resolve_fields(
        &mut self,
        wanted: &[(&str, &str)],
    ) -> Result<Vec<(String, String, String)>, VectorError> {
        let mut missing = Vec::new();
        let mut renames = Vec::new();
        for &(key, field) in wanted {
            if self.fields.iter().any(|f| f == field) {
                continue;
            }
            let lower = field.to_lowercase();
            let same_case: Vec<&String> = self
                .fields
                .iter()
                .filter(|f| f.to_lowercase() == lower)
                .collect();
            let taken = |f: &str| wanted.iter().any(|&(_, w)| w == f);
            match same_case.as_slice() {
                [one] if !taken(one) => {
                    renames.push((key.to_string(), field.to_string(), (*one).clone()))
                }
                _ => missing.push(AbsentField {
                    key: key.to_string(),
                    field: field.to_string(),
                    suggestion: crate::suggest::did_you_mean(
                        field,
                        self.fields.iter().map(String::as_str),
                    )
                    .map(String::from),
                }),
            }
        }
        if !missing.is_empty() {
            return Err(VectorError::MissingFields {
                path: self.path.clone(),
                missing,
                available: self.fields.clone(),
            });
        }
        for (_, to, from) in &renames {
            for f in self.fields.iter_mut().filter(|f| *f == from) {
                f.clone_from(to);
            }
            for feat in &mut self.features {
                for (name, _) in feat.properties.iter_mut().filter(|(n, _)| n == from) {
                    name.clone_from(to);
                }
            }
        }
        Ok(renames)
    }

    /// `Err(MissingCrs)` when the layer has no CRS, else the CRS.
    pub fn require_crs(&self) -> Result<&Crs, VectorError> {
        self.crs.as_ref().ok_or_else(|| VectorError::MissingCrs {
            path: self.path.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn as_text_renders_every_kind() {
        assert_eq!(FieldValue::Null.as_text(), None);
        assert_eq!(FieldValue::Bool(true).as_text().as_deref(), Some("true"));
        assert_eq!(FieldValue::Int(-42).as_text().as_deref(), Some("-42"));
        assert_eq!(FieldValue::Float(12.0).as_text().as_deref(), Some("12"));
        assert_eq!(FieldValue::Float(0.25).as_text().as_deref(), Some("0.25"));
        assert_eq!(
            FieldValue::Text("采矿".into()).as_text().as_deref(),
            Some("采矿")
        );
        let d = FieldValue::Date {
            year: 2025,
            month: 3,
            day: 7,
        };
        assert_eq!(d.as_text().as_deref(), Some("2025-03-07"));
    }

    #[test]
    fn as_f64_parses_text() {
        assert_eq!(FieldValue::Text(" 3.5 ".into()).as_f64(), Some(3.5));
        assert_eq!(FieldValue::Int(2).as_f64(), Some(2.0));
        assert_eq!(FieldValue::Text("x".into()).as_f64(), None);
        assert_eq!(FieldValue::Null.as_f64(), None);
    }

    fn layer() -> Layer {
        Layer {
            path: PathBuf::from("pits.geojson"),
            format: VectorFormat::GeoJson,
            crs: None,
            fields: vec!["id".into(), "kind".into()],
            features: vec![Feature {
                index: 0,
                geometry: MultiPolygon::new(vec![]),
                properties: vec![
                    ("id".into(), FieldValue::Int(1)),
                    ("kind".into(), FieldValue::Text("pit".into())),
                ],
            }],
            encoding: Some("UTF-8".into()),
            encoding_source: Some(EncodingSource::GeoJsonUtf8),
        }
    }

    #[test]
    fn get_and_require_field() {
        let l = layer();
        assert_eq!(
            l.features[0].get("kind"),
            Some(&FieldValue::Text("pit".into()))
        );
        assert_eq!(l.features[0].get("nope"), None);
        assert!(l.require_field("id").is_ok());
        match l.require_field("ID") {
            Err(VectorError::MissingField {
                field, available, ..
            }) => {
                assert_eq!(field, "ID");
                assert_eq!(available, vec!["id".to_string(), "kind".to_string()]);
            }
            other => panic!("unexpected {other:?}"),
        }
        let mut l2 = layer();
        match l2.resolve_fields(&[
            ("[pits] id_field", "idd"),
            ("[pits] kind_field", "knd"),
            ("[pits] town_field", "town"),
        ]) {
            Err(VectorError::MissingFields { missing, .. }) => {
                assert_eq!(missing.len(), 3);
                assert_eq!(missing[0].suggestion.as_deref(), Some("id"));
                assert_eq!(missing[1].suggestion.as_deref(), Some("kind"));
                assert_eq!(missing[2].suggestion, None);
            }
            other => panic!("unexpected {other:?}"),
        }
        let renames = l2
            .resolve_fields(&[("[pits] id_field", "ID"), ("[pits] kind_field", "kind")])
            .unwrap();
        assert_eq!(
            renames,
            [("[pits] id_field".into(), "ID".into(), "id".into())]
        );
        assert_eq!(l2.fields, ["ID", "kind"]);
        assert_eq!(l2.features[0].get("ID"), Some(&FieldValue::Int(1)));
        assert!(matches!(
            l.require_crs(),
            Err(VectorError::MissingCrs { .. })
        ));
    }
}
