//! GIS layers of an audit: `results.gpkg` and `shapefiles/`, in the project CRS
//! (the raster's), every figure a typed attribute.
//!
//! Layers (see `docs/gis.md`): `pieces` (the rows of `attribution.csv`), `pits`
//! (`pits.csv`), `mines` (`mines.csv`, every licence with its boundary), `orphans`
//! (`orphans.geojson` in the project CRS) and, with discovery in the audit,
//! `candidates` (`candidates.csv`).
//!
//! Parts:
//! - [`layers`]: the layers as typed tables ([`Layer`], [`Column`], [`Cell`]),
//!   column for column the CSV tables.
//! - [`wkb`]: rings closed and wound, envelopes, little-endian WKB `MultiPolygon`.
//! - [`gpkg`]: the GeoPackage 1.3 writer (SQLite through `rusqlite`, bundled).
//! - [`shp`]: the ESRI Shapefile writer (`.shp/.shx/.dbf/.prj/.cpg`), shared with
//!   the demo's inputs.
//! - [`names`]: dBASE field names (≤ 10 bytes) of the long column names.
//! - [`qml`]: QGIS styles in the report's class colours (`.qml`, `layer_styles`).
//! - [`error`]: the [`GisError`] type.

pub mod error;
pub mod gpkg;
pub mod layers;
pub mod names;
pub mod qml;
pub mod shp;
pub mod wkb;

pub use error::GisError;
pub use layers::{Cell, ColType, Column, Feature, Layer};
pub use shp::DbfEncoding;

use crate::crs::Crs;
use crate::results::AuditReport;
use std::path::Path;

/// File name of the GeoPackage.
pub const GPKG_FILE: &str = "results.gpkg";
/// Folder of the shapefiles.
pub const SHAPEFILE_DIR: &str = "shapefiles";

/// How the GIS files are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GisOptions {
    /// Text encoding of the shapefiles' `.dbf` (and the `.cpg` that names it).
    pub dbf_encoding: DbfEncoding,
}

/// The project CRS of a report: its `provenance.crs` (`EPSG:n` or a name).
///
/// `None` when the text resolves to no CRS (the files then carry no definition:
/// GeoPackage srs "undefined", no `.prj`).
pub fn project_crs(report: &AuditReport) -> Option<Crs> {
    Crs::from_user_string(&report.provenance.crs).ok()
}

/// Writes `results.gpkg` and `shapefiles/` into the existing folder `dir`.
///
/// The GeoPackage is written to a temporary name in `dir` and renamed when whole.
///
/// # Errors
/// [`GisError`] naming the file that could not be written, or the value that
/// does not fit the format (a text the `.dbf` encoding cannot hold, a number too
/// wide for its field).
pub fn write(dir: &Path, report: &AuditReport, opts: &GisOptions) -> Result<(), GisError> {
    let crs = project_crs(report);
    let layers = layers::layers(report)?;
    let srs = gpkg::Srs::of(crs.as_ref(), &report.provenance.crs);
    gpkg::write(
        &dir.join(GPKG_FILE),
        &layers,
        &srs,
        &report.summary.audit_date,
    )?;
    let shp_dir = dir.join(SHAPEFILE_DIR);
    std::fs::create_dir_all(&shp_dir).map_err(|source| GisError::Io {
        path: shp_dir.clone(),
        source,
    })?;
    let prj = crs.as_ref().and_then(Crs::esri_wkt);
    for layer in &layers {
        shp::write_layer_table(&shp_dir, layer, prj.as_deref(), opts.dbf_encoding)?;
    }
    Ok(())
}
