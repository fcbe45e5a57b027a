//! Layers built in memory ([`Layer::from_features`]): a library caller's own
//! footprints, checked as a file's are (ring validity, orientation, crossings and
//! overlaps between rings).

use super::error::VectorError;
use super::feature::{Feature, FieldValue, Layer, VectorFormat};
use super::rings::{orient, validate_ring};
use crate::crs::Crs;
use geo::MultiPolygon;
use std::path::PathBuf;

/// One feature of [`Layer::from_features`]: its geometry and `(field, value)` pairs.
pub type MemoryFeature = (MultiPolygon<f64>, Vec<(String, FieldValue)>);

impl Layer {
    /// A layer from features in memory. `name` stands for the file in messages and
    /// provenance; `crs` is the coordinates' CRS (`None`: unknown, as for a shapefile without
    /// `.prj`; an audit then needs `[pits] crs = "EPSG:…"`). Fields are listed in the order
    /// they first appear.
    ///
    /// ```
    /// use geo::{polygon, MultiPolygon};
    /// use reclaim::vector::{FieldValue, Layer};
    ///
    /// let square = polygon![(x: 0.0, y: 0.0), (x: 100.0, y: 0.0), (x: 100.0, y: 100.0), (x: 0.0, y: 100.0)];
    /// let pits = Layer::from_features(
    ///     "pits",
    ///     None,
    ///     vec![(MultiPolygon::new(vec![square]), vec![("id".into(), FieldValue::Text("P1".into()))])],
    /// )?;
    /// assert_eq!(pits.fields, ["id"]);
    /// # Ok::<(), reclaim::vector::VectorError>(())
    /// ```
    ///
    /// # Errors
    /// [`VectorError::InvalidGeometry`] naming the feature (0-based) and ring: a ring
    /// with fewer than 4 positions, not closed, of zero area or with a non-finite
    /// coordinate; rings that cross or overlap.
    pub fn from_features(
        name: impl Into<PathBuf>,
        crs: Option<Crs>,
        features: Vec<MemoryFeature>,
    ) -> Result<Layer, VectorError> {
        let path = name.into();
        let mut fields: Vec<String> = Vec::new();
        let mut out = Vec::with_capacity(features.len());
        for (index, (geometry, properties)) in features.into_iter().enumerate() {
            let mut ring = 0;
            for polygon in &geometry {
                for r in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                    validate_ring(&r.0).map_err(|problem| VectorError::InvalidGeometry {
                        path: path.clone(),
                        feature: index,
                        ring: Some(ring),
                        problem,
                    })?;
                    ring += 1;
                }
            }
            for (name, _) in &properties {
                if !fields.contains(name) {
                    fields.push(name.clone());
                }
            }
            out.push(Feature {
                index,
                geometry: orient(geometry),
                properties,
            });
        }
        let layer = Layer {
            path,
            format: VectorFormat::Memory,
            crs,
            fields,
            features: out,
            encoding: None,
            encoding_source: None,
        };
        super::validate::check_layer(layer, false).map(|(layer, _)| layer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn a_bow_tie_is_refused_with_its_feature() {
        let bow =
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 10.0), (x: 10.0, y: 0.0), (x: 0.0, y: 10.0)];
        let square =
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)];
        let e = Layer::from_features(
            "mine",
            None,
            vec![
                (MultiPolygon::new(vec![square]), vec![]),
                (MultiPolygon::new(vec![bow]), vec![]),
            ],
        )
        .unwrap_err();
        assert!(
            matches!(e, VectorError::InvalidGeometry { feature: 1, .. }),
            "{e}"
        );
    }

    #[test]
    fn fields_in_first_seen_order() {
        let sq = |x: f64| {
            MultiPolygon::new(vec![
                polygon![(x: x, y: 0.0), (x: x + 1.0, y: 0.0), (x: x + 1.0, y: 1.0), (x: x, y: 1.0)],
            ])
        };
        let t = |s: &str| FieldValue::Text(s.into());
        let l = Layer::from_features(
            "l",
            None,
            vec![
                (sq(0.0), vec![("id".into(), t("a"))]),
                (
                    sq(5.0),
                    vec![("town".into(), t("x")), ("id".into(), t("b"))],
                ),
            ],
        )
        .unwrap();
        assert_eq!(l.fields, ["id", "town"]);
        assert_eq!(l.format, VectorFormat::Memory);
    }
}
