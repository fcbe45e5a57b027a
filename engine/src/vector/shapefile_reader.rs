//! ESRI Shapefile reader: `.shp` geometry (shapefile crate), `.dbf` attributes
//! ([`super::dbf`]), `.prj` CRS and `.cpg` encoding.
//!
//! The `.shp` is read sequentially, so a missing `.shx` is not an error. Sidecar files
//! are found case-insensitively (`PITS.DBF` next to `pits.shp`). Records whose `.dbf`
//! row is deleted are skipped (as GDAL does); the others keep their file position as
//! [`Feature::index`]. Polygon rings are assembled by containment
//! ([`super::rings::organize_rings`]), not by ring order or orientation.

use std::io::Read;
use std::path::Path;

use geo::{Coord, LineString, MultiPolygon};
use shapefile::{Shape, ShapeReader};

use super::dbf::{read_dbf_with_cpg, DbfTable};
use super::error::{GeometryProblem, Limit, Malformation, VectorError};
use super::feature::{Feature, Layer, VectorFormat};
use super::options::ReadOptions;
use super::rings::{organize_rings, validate_ring};
use super::sidecar::sidecar;
use crate::crs::Crs;

/// Largest .prj file read (WKT is a few hundred bytes).
const MAX_PRJ_BYTES: u64 = 64 * 1024;

/// Reads a shapefile layer.
pub(crate) fn read_shapefile(path: &Path, opts: &ReadOptions) -> Result<Layer, VectorError> {
    let shp = crate::input::read_capped(path, opts.max_file_bytes, crate::input::Cap::Vector)?;
    let dbf_path = sidecar(path, "dbf").ok_or_else(|| VectorError::MissingSidecar {
        path: path.to_path_buf(),
        extension: "dbf",
    })?;
    let cpg_path = sidecar(path, "cpg");
    let table = read_dbf_with_cpg(&dbf_path, cpg_path.as_deref(), opts)?;
    let crs = read_prj(path)?;

    let fields = table.field_names();
    let features = shapes_with_records(path, shp, &table, opts)?;
    Ok(Layer {
        path: path.to_path_buf(),
        format: VectorFormat::Shapefile,
        crs,
        fields,
        features,
        encoding: Some(table.encoding.name().to_string()),
        encoding_source: Some(table.encoding_source),
    })
}

/// The CRS of the `.prj` beside the shapefile `path`; `None` without one.
pub(crate) fn read_prj(path: &Path) -> Result<Option<Crs>, VectorError> {
    let Some(prj_path) = sidecar(path, "prj") else {
        return Ok(None);
    };
    let mut wkt = String::new();
    let file = crate::input::open_regular(&prj_path)?;
    let mut bytes = Vec::new();
    file.take(MAX_PRJ_BYTES)
        .read_to_end(&mut bytes)
        .map_err(|source| VectorError::Io {
            path: prj_path.clone(),
            source,
        })?;
    wkt.push_str(
        String::from_utf8_lossy(&bytes)
            .trim()
            .trim_start_matches('\u{feff}'),
    );
    Crs::from_wkt(&wkt)
        .map(Some)
        .map_err(|source| VectorError::Crs {
            path: prj_path,
            source,
        })
}

/// Pairs the shapes of `.shp` bytes with the records of `table` (in memory, so the
/// hostile-input tests need no files).
pub(crate) fn shapes_with_records(
    path: &Path,
    shp: Vec<u8>,
    table: &DbfTable,
    opts: &ReadOptions,
) -> Result<Vec<Feature>, VectorError> {
    let shape_error = |feature| {
        let p = path.to_path_buf();
        move |source| VectorError::Shapefile {
            path: p,
            feature,
            source,
        }
    };
    super::shp_guard::check_record_sizes(&shp).map_err(|(i, e)| shape_error(i)(e))?;
    let mut reader = ShapeReader::new(std::io::Cursor::new(shp)).map_err(shape_error(0))?;
    let fields = table.field_names();
    let mut features = Vec::new();
    let mut vertices = 0usize;
    let mut shapes = 0usize;
    for (index, shape) in reader.iter_shapes().enumerate() {
        if index >= opts.max_features {
            return Err(VectorError::LimitExceeded {
                path: path.to_path_buf(),
                what: Limit::Features,
                limit: opts.max_features,
            });
        }
        shapes = index + 1;
        let shape = shape.map_err(shape_error(index))?;
        // Deleted .dbf record: the shape is skipped. Records beyond the .dbf are caught below.
        let values = match table.records.get(index) {
            Some(None) => continue,
            Some(Some(values)) => values,
            None => continue,
        };
        let geometry = shape_geometry(path, index, shape, &mut vertices, opts.max_vertices)?;
        features.push(Feature {
            index,
            geometry,
            properties: fields.iter().cloned().zip(values.iter().cloned()).collect(),
        });
    }
    if shapes != table.records.len() {
        return Err(VectorError::Malformed {
            path: path.to_path_buf(),
            problem: Malformation::RecordCountMismatch {
                shapes,
                records: table.records.len(),
            },
        });
    }
    Ok(features)
}

/// The (multi)polygon of one shape record, validated ring by ring.
fn shape_geometry(
    path: &Path,
    feature: usize,
    shape: Shape,
    vertices: &mut usize,
    max_vertices: usize,
) -> Result<MultiPolygon<f64>, VectorError> {
    let rings: Vec<Vec<Coord<f64>>> = match shape {
        Shape::Polygon(p) => p
            .rings()
            .iter()
            .map(|r| xy(r.points(), |q| (q.x, q.y)))
            .collect(),
        Shape::PolygonM(p) => p
            .rings()
            .iter()
            .map(|r| xy(r.points(), |q| (q.x, q.y)))
            .collect(),
        Shape::PolygonZ(p) => p
            .rings()
            .iter()
            .map(|r| xy(r.points(), |q| (q.x, q.y)))
            .collect(),
        Shape::NullShape => {
            return Err(VectorError::InvalidGeometry {
                path: path.to_path_buf(),
                feature,
                ring: None,
                problem: GeometryProblem::Null,
            })
        }
        other => {
            return Err(VectorError::UnsupportedGeometry {
                path: path.to_path_buf(),
                feature,
                kind: shape_kind(&other),
            })
        }
    };
    if rings.is_empty() {
        return Err(VectorError::InvalidGeometry {
            path: path.to_path_buf(),
            feature,
            ring: None,
            problem: GeometryProblem::Empty,
        });
    }
    let mut lines = Vec::with_capacity(rings.len());
    for (ring, coords) in rings.into_iter().enumerate() {
        *vertices = vertices.saturating_add(coords.len());
        if *vertices > max_vertices {
            return Err(VectorError::LimitExceeded {
                path: path.to_path_buf(),
                what: Limit::Vertices,
                limit: max_vertices,
            });
        }
        validate_ring(&coords).map_err(|problem| VectorError::InvalidGeometry {
            path: path.to_path_buf(),
            feature,
            ring: Some(ring),
            problem,
        })?;
        lines.push(LineString::new(coords));
    }
    Ok(organize_rings(lines))
}

/// Planar coordinates of a ring's points.
fn xy<P>(points: &[P], f: impl Fn(&P) -> (f64, f64)) -> Vec<Coord<f64>> {
    points
        .iter()
        .map(|p| {
            let (x, y) = f(p);
            Coord { x, y }
        })
        .collect()
}

/// The shapefile name of a non-polygon shape type.
pub(crate) fn shape_kind(shape: &Shape) -> &'static str {
    match shape {
        Shape::NullShape => "NullShape",
        Shape::Point(_) => "Point",
        Shape::PointM(_) => "PointM",
        Shape::PointZ(_) => "PointZ",
        Shape::Polyline(_) => "Polyline",
        Shape::PolylineM(_) => "PolylineM",
        Shape::PolylineZ(_) => "PolylineZ",
        Shape::Polygon(_) => "Polygon",
        Shape::PolygonM(_) => "PolygonM",
        Shape::PolygonZ(_) => "PolygonZ",
        Shape::Multipoint(_) => "Multipoint",
        Shape::MultipointM(_) => "MultipointM",
        Shape::MultipointZ(_) => "MultipointZ",
        Shape::Multipatch(_) => "Multipatch",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn null_and_point_shapes_are_refused() {
        let p = Path::new("x.shp");
        let mut v = 0;
        assert!(matches!(
            shape_geometry(p, 4, Shape::NullShape, &mut v, 100),
            Err(VectorError::InvalidGeometry {
                feature: 4,
                ring: None,
                problem: GeometryProblem::Null,
                ..
            })
        ));
        assert!(matches!(
            shape_geometry(
                p,
                2,
                Shape::Point(shapefile::Point::new(1.0, 2.0)),
                &mut v,
                100
            ),
            Err(VectorError::UnsupportedGeometry {
                feature: 2,
                kind: "Point",
                ..
            })
        ));
    }

    #[test]
    fn polygon_rings_are_validated_and_counted() {
        let p = Path::new("x.shp");
        let square = vec![
            shapefile::Point::new(0.0, 0.0),
            shapefile::Point::new(0.0, 2.0),
            shapefile::Point::new(2.0, 2.0),
            shapefile::Point::new(2.0, 0.0),
            shapefile::Point::new(0.0, 0.0),
        ];
        let poly =
            shapefile::Polygon::with_rings(vec![shapefile::PolygonRing::Outer(square.clone())]);
        let mut v = 0;
        let mp = shape_geometry(p, 0, Shape::Polygon(poly.clone()), &mut v, 100).unwrap();
        assert_eq!(v, 5);
        assert_eq!(geo::Area::unsigned_area(&mp), 4.0);
        // The vertex budget is cumulative over the layer.
        assert!(matches!(
            shape_geometry(p, 1, Shape::Polygon(poly), &mut v, 9),
            Err(VectorError::LimitExceeded {
                what: Limit::Vertices,
                limit: 9,
                ..
            })
        ));
    }
    /// Corrupting any byte of a real shapefile (.shp or .dbf), or cutting it anywhere,
    /// gives features or an error: never a panic, a hang or a runaway allocation.
    #[test]
    fn mutated_shapefiles_never_panic() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../testdata/vector/gbk_pits");
        let shp = std::fs::read(format!("{dir}.shp")).unwrap();
        let dbf = std::fs::read(format!("{dir}.dbf")).unwrap();
        let p = Path::new("m.shp");
        let opts = ReadOptions::default();
        let gbk = Some((encoding_rs::GBK, crate::vector::EncodingSource::Cpg));
        let table = crate::vector::dbf::parse_dbf(p, &dbf, gbk, opts.max_features).unwrap();
        assert_eq!(
            shapes_with_records(p, shp.clone(), &table, &opts)
                .unwrap()
                .len(),
            3
        );
        let mutate = |bytes: &[u8], i: usize, variant: u8| {
            let mut b = bytes.to_vec();
            match variant {
                0 => b[i] = 0xFF,
                1 => b[i] ^= 0x80,
                _ => b.truncate(i),
            }
            b
        };
        let mut outcomes = [0usize; 2];
        for i in 0..shp.len() {
            for variant in 0..3 {
                let r = shapes_with_records(p, mutate(&shp, i, variant), &table, &opts);
                outcomes[usize::from(r.is_ok())] += 1;
            }
        }
        for i in 0..dbf.len() {
            for variant in 0..3 {
                let r = crate::vector::dbf::parse_dbf(p, &mutate(&dbf, i, variant), gbk, 1000)
                    .and_then(|t| shapes_with_records(p, shp.clone(), &t, &opts));
                outcomes[usize::from(r.is_ok())] += 1;
            }
        }
        // Both outcomes occur: most corruptions are caught, some (in text) are harmless.
        assert!(outcomes[0] > 0 && outcomes[1] > 0, "{outcomes:?}");
    }
}
