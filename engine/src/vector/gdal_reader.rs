//! Footprint layers from any format GDAL/OGR reads — GeoPackage, FileGDB, KML, GML,
//! MapInfo, GPX, CSV with WKT … — into the same [`Layer`] as the pure-Rust readers.
//!
//! Only with the `gdal` cargo feature; [`read_layer`](super::read_layer) sends every
//! extension other than `.shp`, `.geojson` and `.json` here. The first layer of the
//! dataset that has a geometry column is read (GeoPackages often hold one layer;
//! extract another with `ogr2ogr -f GPKG out.gpkg in.gpkg LAYER`).
//!
//! Geometries go through the same checks as GeoJSON: Polygon or MultiPolygon only
//! (Z and M dropped), every ring validated by [`validate_ring`], then [`orient`]ed;
//! curved geometries (CurvePolygon, MultiSurface) are refused. Feature indices are
//! 0-based positions in reading order, not OGR FIDs (a GeoPackage's start at 1).
//! OGR hands out text as UTF-8; its field types map to [`FieldValue`]s (integers,
//! reals, strings, dates; date-times and lists as OGR's text). The CRS is the layer's
//! spatial reference: its EPSG authority code when reclaim knows it, else its WKT.

use std::path::Path;

use gdal::spatial_ref::SpatialRef;
use gdal::vector::{geometry_type_flatten, Geometry, LayerAccess, OGRwkbGeometryType as Wkb};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags};
use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::error::{GeometryProblem, Limit, VectorError};
use super::feature::{Feature, FieldValue, Layer, VectorFormat};
use super::options::ReadOptions;
use super::rings::{orient, validate_ring};
use crate::crs::{Crs, CrsError};
use crate::raster::gdal_reader::quiet_gdal;

/// Reads the first geometry layer of `path` with GDAL/OGR.
///
/// # Errors
/// [`VectorError::Io`] when the file is missing or GDAL cannot open it (GDAL's
/// message), [`VectorError::InvalidGeometry`] / [`VectorError::UnsupportedGeometry`]
/// with the feature index, [`VectorError::Crs`] for a spatial reference reclaim
/// cannot resolve, [`VectorError::LimitExceeded`] over `max_features` / `max_vertices`.
pub(crate) fn read_ogr(path: &Path, opts: &ReadOptions) -> Result<Layer, VectorError> {
    let io = |source| VectorError::Io {
        path: path.to_path_buf(),
        source,
    };
    // A missing file gets the operating system's error, not GDAL's "not recognized".
    std::fs::metadata(path).map_err(io)?;
    quiet_gdal();
    let options = DatasetOptions {
        open_flags: GdalOpenFlags::GDAL_OF_VECTOR | GdalOpenFlags::GDAL_OF_READONLY,
        ..DatasetOptions::default()
    };
    let dataset = Dataset::open_ex(path, options).map_err(|e| io(std::io::Error::other(e)))?;
    let index = geometry_layer_index(&dataset);
    let mut layer = dataset
        .layer(index)
        .map_err(|e| io(std::io::Error::other(e)))?;
    if let Some(n) = layer.try_feature_count() {
        if n > opts.max_features as u64 {
            return Err(limit(path, Limit::Features, opts.max_features));
        }
    }
    let crs = layer
        .spatial_ref()
        .map(|srs| resolve_crs(&srs))
        .transpose()
        .map_err(|source| VectorError::Crs {
            path: path.to_path_buf(),
            source,
        })?;
    let fields: Vec<String> = layer.defn().fields().map(|f| f.name()).collect();

    let mut vertices = 0usize;
    let mut features = Vec::new();
    for (index, f) in layer.features().enumerate() {
        if index >= opts.max_features {
            return Err(limit(path, Limit::Features, opts.max_features));
        }
        let geometry = match f.geometry() {
            Some(g) => polygons(path, index, g, &mut vertices, opts.max_vertices)?,
            None => {
                return Err(VectorError::InvalidGeometry {
                    path: path.to_path_buf(),
                    feature: index,
                    ring: None,
                    problem: GeometryProblem::Null,
                })
            }
        };
        let properties = fields
            .iter()
            .enumerate()
            .map(|(i, name)| (name.clone(), field_value(&f, i)))
            .collect();
        features.push(Feature {
            index,
            geometry,
            properties,
        });
    }
    Ok(Layer {
        path: path.to_path_buf(),
        format: VectorFormat::Gdal,
        crs,
        fields,
        features,
        encoding: Some("UTF-8".to_string()),
        encoding_source: None,
    })
}

fn limit(path: &Path, what: Limit, limit: usize) -> VectorError {
    VectorError::LimitExceeded {
        path: path.to_path_buf(),
        what,
        limit,
    }
}

/// The first layer with a geometry column (GeoPackages may list attribute tables
/// first), else layer 0.
fn geometry_layer_index(dataset: &Dataset) -> usize {
    dataset
        .layers()
        .position(|l| l.defn().geom_fields().next().is_some())
        .unwrap_or(0)
}

/// The layer's CRS: by EPSG code when it has one reclaim resolves, else by WKT
/// (proj4 when GDAL cannot write WKT).
fn resolve_crs(srs: &SpatialRef) -> Result<Crs, CrsError> {
    let epsg = (srs.auth_name().as_deref() == Some("EPSG"))
        .then(|| srs.auth_code().ok())
        .flatten()
        .and_then(|c| u32::try_from(c).ok());
    let code_error = match epsg.map(Crs::from_epsg) {
        Some(Ok(crs)) => return Ok(crs),
        Some(Err(e)) => Some(e),
        None => None,
    };
    let fallback = match (srs.to_wkt(), srs.to_proj4()) {
        (Ok(wkt), _) => Crs::from_wkt(&wkt),
        (_, Ok(proj4)) => Crs::from_proj4(&proj4),
        _ => Err(CrsError::UnrecognisedWkt {
            name: srs.name().unwrap_or_default(),
            projection: String::new(),
            detail: "GDAL can write it neither as WKT nor as proj4".to_string(),
        }),
    };
    // The code's error ("EPSG:n is not in the table") says more than the WKT's.
    fallback.map_err(|e| code_error.unwrap_or(e))
}

/// Attribute `i` of `f`: typed where OGR's type maps, OGR's text otherwise.
fn field_value(f: &gdal::vector::Feature<'_>, i: usize) -> FieldValue {
    use gdal::vector::FieldValue as Ogr;
    match f.field(i) {
        Ok(None) => FieldValue::Null,
        Ok(Some(v)) => match v {
            Ogr::IntegerValue(n) => FieldValue::Int(n.into()),
            Ogr::Integer64Value(n) => FieldValue::Int(n),
            Ogr::RealValue(x) => FieldValue::Float(x),
            Ogr::StringValue(s) => FieldValue::Text(s),
            Ogr::DateValue(d) => date_value(&d.to_string()),
            Ogr::DateTimeValue(_) => text_or_null(f, i),
            // Lists: OGR's own text form, e.g. "(2:a,b)".
            _ => text_or_null(f, i),
        },
        // A type the bindings do not wrap (binary …): OGR's text form.
        Err(_) => text_or_null(f, i),
    }
}

fn text_or_null(f: &gdal::vector::Feature<'_>, i: usize) -> FieldValue {
    match f.field_as_string(i) {
        Ok(Some(s)) => FieldValue::Text(s),
        _ => FieldValue::Null,
    }
}

/// `YYYY-MM-DD` as a [`FieldValue::Date`] (text when it is anything else).
fn date_value(iso: &str) -> FieldValue {
    let mut parts = iso.splitn(3, '-');
    let parsed = (|| {
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Some(FieldValue::Date { year, month, day })
    })();
    parsed.unwrap_or_else(|| FieldValue::Text(iso.to_string()))
}

/// OGR's name of a (flattened) geometry type that is not a footprint.
fn kind_name(flat: u32) -> &'static str {
    match flat {
        Wkb::wkbPoint => "Point",
        Wkb::wkbLineString => "LineString",
        Wkb::wkbMultiPoint => "MultiPoint",
        Wkb::wkbMultiLineString => "MultiLineString",
        Wkb::wkbGeometryCollection => "GeometryCollection",
        Wkb::wkbCircularString => "CircularString",
        Wkb::wkbCompoundCurve => "CompoundCurve",
        Wkb::wkbCurvePolygon => "CurvePolygon (linearize it: `ogr2ogr -nlt MULTIPOLYGON`)",
        Wkb::wkbMultiCurve => "MultiCurve",
        Wkb::wkbMultiSurface => "MultiSurface (linearize it: `ogr2ogr -nlt MULTIPOLYGON`)",
        Wkb::wkbPolyhedralSurface => "PolyhedralSurface",
        Wkb::wkbTIN => "TIN",
        Wkb::wkbTriangle => "Triangle",
        _ => "geometry of an unknown type",
    }
}

/// The validated (multi)polygon of feature `feature`.
fn polygons(
    path: &Path,
    feature: usize,
    g: &Geometry,
    vertices: &mut usize,
    max_vertices: usize,
) -> Result<MultiPolygon<f64>, VectorError> {
    let invalid = |ring, problem| VectorError::InvalidGeometry {
        path: path.to_path_buf(),
        feature,
        ring,
        problem,
    };
    let flat = geometry_type_flatten(g.geometry_type());
    let multi = match flat {
        Wkb::wkbPolygon => false,
        Wkb::wkbMultiPolygon => true,
        other => {
            return Err(VectorError::UnsupportedGeometry {
                path: path.to_path_buf(),
                feature,
                kind: kind_name(other),
            })
        }
    };
    if g.is_empty() {
        return Err(invalid(None, GeometryProblem::Empty));
    }
    let parts = if multi { g.geometry_count() } else { 1 };
    let mut ring_index = 0usize;
    let mut out = Vec::with_capacity(parts);
    let mut points = Vec::new();
    for part in 0..parts {
        let part_ref = multi.then(|| g.get_geometry(part));
        let polygon: &Geometry = part_ref.as_deref().unwrap_or(g);
        let mut rings = Vec::with_capacity(polygon.geometry_count());
        for r in 0..polygon.geometry_count() {
            let ring = polygon.get_geometry(r);
            // Counted before the points are copied out, so a huge ring is refused unread.
            *vertices = vertices.saturating_add(ring.point_count());
            if *vertices > max_vertices {
                return Err(limit(path, Limit::Vertices, max_vertices));
            }
            points.clear();
            ring.get_points(&mut points);
            let coords: Vec<Coord<f64>> = points.iter().map(|&(x, y, _)| Coord { x, y }).collect();
            validate_ring(&coords).map_err(|p| invalid(Some(ring_index), p))?;
            rings.push(LineString::new(coords));
            ring_index += 1;
        }
        let mut rings = rings.into_iter();
        match rings.next() {
            Some(exterior) => out.push(Polygon::new(exterior, rings.collect())),
            None => return Err(invalid(None, GeometryProblem::Empty)),
        }
    }
    Ok(orient(MultiPolygon::new(out)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_parse_or_stay_text() {
        assert_eq!(
            date_value("2024-03-07"),
            FieldValue::Date {
                year: 2024,
                month: 3,
                day: 7
            }
        );
        assert_eq!(date_value("soon"), FieldValue::Text("soon".into()));
        assert_eq!(date_value("2024-03"), FieldValue::Text("2024-03".into()));
    }

    #[test]
    fn kinds_have_names() {
        assert_eq!(kind_name(Wkb::wkbPoint), "Point");
        assert!(kind_name(Wkb::wkbMultiSurface).starts_with("MultiSurface"));
        assert_eq!(kind_name(12345), "geometry of an unknown type");
    }
}
