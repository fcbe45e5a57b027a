//! Footprints laid over a raster: ids from a field, geometry in the raster's CRS.
//!
//! This joins the vector, CRS and raster layers: it resolves both CRSs (refusing a
//! missing one rather than guessing), reprojects the footprints when they differ,
//! and checks the grid can carry exact areas (axis-aligned, metres or degrees).

use crate::area::AreaModel;
use crate::crs::{Crs, Transformer};
use crate::error::Error;
use crate::raster::Raster;
use crate::vector::Layer;
use geo::MultiPolygon;

/// One zone: its id and its geometry in the raster's CRS.
#[derive(Debug, Clone)]
pub struct Zone {
    /// Zone id as written in the output.
    pub id: String,
    /// Geometry in the raster's CRS.
    pub geometry: MultiPolygon<f64>,
}

/// The CRS of `raster`: an explicit override, or its GeoTIFF keys.
///
/// # Errors
/// [`Error::RasterWithoutCrs`] when the file has no EPSG code and no override is given.
pub fn raster_crs(raster: &Raster, override_crs: Option<&Crs>) -> Result<Crs, Error> {
    check_geotransform(raster)?;
    let info = raster.info();
    if let Some(c) = override_crs {
        return Ok(c.clone());
    }
    match info.epsg {
        Some(code) => Crs::from_epsg(code).map_err(|source| Error::Crs {
            path: info.path.clone(),
            source,
        }),
        None => Err(Error::RasterWithoutCrs {
            path: info.path.clone(),
            citation: info.crs_citation.clone(),
        }),
    }
}

/// Refuses a raster whose georeferencing cannot carry a grid — a zero or non-finite
/// ModelPixelScale, or a geotransform with a non-finite origin or a zero cell size —
/// naming the raster and the tag (not the first footprint laid over it).
///
/// # Errors
/// [`Error::BadGeotransform`].
pub fn check_geotransform(raster: &Raster) -> Result<(), Error> {
    let info = raster.info();
    let t = info.transform;
    let detail = if let Some((sx, sy)) = info.bad_pixel_scale {
        format!("the ModelPixelScale tag (33550) gives a cell size of {sx} × {sy}")
    } else if ![t.x0, t.y0, t.dx, t.dy, t.rx, t.ry]
        .iter()
        .all(|v| v.is_finite())
        || t.dx == 0.0
        || t.dy == 0.0
    {
        format!(
            "the geotransform (ModelPixelScale/ModelTiepoint or ModelTransformation) is [{}, {}, {}, {}, {}, {}]",
            t.x0, t.dx, t.rx, t.y0, t.ry, t.dy
        )
    } else {
        return Ok(());
    };
    Err(Error::BadGeotransform {
        path: info.path.clone(),
        detail,
    })
}

/// The area model of `raster` in `crs`, after checking the grid is axis-aligned and
/// a projected CRS is in metres.
pub fn area_model(raster: &Raster, crs: &Crs) -> Result<AreaModel, Error> {
    check_geotransform(raster)?;
    let info = raster.info();
    if !info.transform.is_axis_aligned() {
        return Err(Error::RotatedGrid {
            path: info.path.clone(),
        });
    }
    if !crs.is_geographic()
        && crs
            .metres_per_unit()
            .is_some_and(|m| (m - 1.0).abs() > 1e-12)
    {
        return Err(Error::NonMetricCrs {
            path: info.path.clone(),
            crs: crs.name.clone(),
        });
    }
    Ok(AreaModel::new(&raster.grid(), crs))
}

/// Zones from `layer`: ids from `id_field`, geometry reprojected into `target`.
///
/// # Errors
/// A missing id field (the message lists the fields there are), a layer without a
/// CRS and no `layer_crs_override`, or a reprojection failure.
pub fn zones_in_crs(
    layer: &Layer,
    id_field: &str,
    layer_crs_override: Option<&Crs>,
    target: &Crs,
) -> Result<Vec<Zone>, Error> {
    layer.require_field(id_field)?;
    let src = match (layer_crs_override, &layer.crs) {
        (Some(c), _) => c.clone(),
        (None, Some(c)) => c.clone(),
        (None, None) => {
            return Err(Error::VectorWithoutCrs {
                path: layer.path.clone(),
            })
        }
    };
    let tf = Transformer::new(&src, target).map_err(|source| Error::Crs {
        path: layer.path.clone(),
        source,
    })?;
    layer
        .features
        .iter()
        .map(|f| {
            let id = f
                .get(id_field)
                .and_then(|v| v.as_text())
                .unwrap_or_default();
            let geometry = tf
                .transform_multipolygon(&f.geometry)
                .map_err(|source| Error::Crs {
                    path: layer.path.clone(),
                    source,
                })?;
            Ok(Zone { id, geometry })
        })
        .collect()
}
