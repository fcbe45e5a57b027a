//! Coordinate reference systems: EPSG codes, `.prj` WKT, and reprojection.
//!
//! OWNER: crs helper. Public interface (keep these names; add freely):
//! - [`Crs`]: a resolved CRS (EPSG code when known, proj4 definition, geographic or not).
//! - [`Crs::from_epsg`], [`Crs::from_wkt`] (ESRI/OGC WKT from `.prj` and GeoJSON `crs`).
//! - [`Transformer`]: reprojects points and multipolygons between two CRSs.
//! - [`CrsError`]: typed errors.

use geo::MultiPolygon;

/// Errors resolving or using a CRS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CrsError {
    /// The EPSG code is not in reclaim's built-in table.
    #[error("EPSG:{code} is not supported; reproject the data to a supported CRS (UTM, CGCS2000 Gauss–Krüger, EPSG:4326/4490/3857)")]
    UnknownEpsg { code: u32 },
}

/// A resolved coordinate reference system.
#[derive(Debug, Clone, PartialEq)]
pub struct Crs {
    /// EPSG code, when the CRS is (equivalent to) one.
    pub epsg: Option<u32>,
    /// Human-readable name, e.g. "WGS 84 / UTM zone 51N".
    pub name: String,
    /// proj4 definition used for reprojection.
    pub proj4: String,
    /// True for longitude/latitude CRSs (degrees).
    pub geographic: bool,
}

impl Crs {
    /// Resolves an EPSG code.
    pub fn from_epsg(code: u32) -> Result<Crs, CrsError> {
        Err(CrsError::UnknownEpsg { code })
    }

    /// Resolves OGC or ESRI WKT (a `.prj` file, a GeoJSON `crs` name).
    pub fn from_wkt(_wkt: &str) -> Result<Crs, CrsError> {
        Err(CrsError::UnknownEpsg { code: 0 })
    }
}

/// Reprojects coordinates from one CRS to another.
#[derive(Debug, Clone)]
pub struct Transformer {}

impl Transformer {
    /// A transformer from `from` to `to`.
    pub fn new(_from: &Crs, _to: &Crs) -> Result<Transformer, CrsError> {
        Ok(Transformer {})
    }

    /// Reprojects a multipolygon.
    pub fn transform_multipolygon(&self, mp: &MultiPolygon<f64>) -> Result<MultiPolygon<f64>, CrsError> {
        Ok(mp.clone())
    }
}
