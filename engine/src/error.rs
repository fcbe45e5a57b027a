//! The engine's top-level error: one variant per layer, plus the checks that join
//! layers (CRS agreement, bands, fields). Every message names the file and the fix.

use crate::crs::CrsError;
use crate::raster::RasterError;
use crate::vector::VectorError;
use crate::zonal::ZonalError;
use std::path::PathBuf;

/// Anything that can stop an engine run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading a raster failed.
    #[error(transparent)]
    Raster(#[from] RasterError),
    /// Reading a vector layer failed.
    #[error(transparent)]
    Vector(#[from] VectorError),
    /// Zonal sums failed.
    #[error(transparent)]
    Zonal(#[from] ZonalError),
    /// A CRS could not be resolved or applied for a file.
    #[error("{path}: {source}")]
    Crs {
        path: PathBuf,
        #[source]
        source: CrsError,
    },
    /// A raster has no CRS reclaim can resolve.
    #[error("{path}: the raster has no usable CRS{}; pass --raster-crs EPSG:xxxx or fix it with `gdal_edit.py -a_srs EPSG:xxxx`", citation.as_ref().map(|c| format!(" (it says {c:?})")).unwrap_or_default())]
    RasterWithoutCrs {
        path: PathBuf,
        citation: Option<String>,
    },
    /// A vector layer has no CRS.
    #[error("{path}: the layer has no CRS (no .prj file); add the .prj from the data supplier or pass --zones-crs EPSG:xxxx")]
    VectorWithoutCrs { path: PathBuf },
    /// The raster's projected CRS is not in metres.
    #[error("{path}: the raster's CRS {crs:?} is not in metres; reproject it with `gdalwarp -t_srs EPSG:xxxx`")]
    NonMetricCrs { path: PathBuf, crs: String },
    /// A band number beyond the raster's bands.
    #[error(
        "{path}: band {band} requested but the raster has {bands} band(s) (bands count from 1)"
    )]
    BandOutOfRange {
        path: PathBuf,
        band: usize,
        bands: usize,
    },
    /// The raster's geotransform has a zero or non-finite cell size or origin.
    #[error("{path}: unusable georeferencing: {detail}; cell sizes must be finite and non-zero: fix the raster's georeferencing (e.g. `gdal_edit.py -a_ullr` or `-a_srs`) or re-export it")]
    BadGeotransform { path: PathBuf, detail: String },
    /// The raster's grid is rotated; areas need an axis-aligned grid.
    #[error("{path}: the grid is rotated; warp it north-up first with `gdalwarp in.tif out.tif`")]
    RotatedGrid { path: PathBuf },
    /// Reading an input file failed (e.g. for its checksum).
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Writing an output failed.
    #[error("cannot write {path}: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
