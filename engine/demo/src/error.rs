//! [`DemoError`]: what can stop the demo-county generator.

use std::path::PathBuf;

/// Errors generating the demo county.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DemoError {
    /// A file or folder could not be written.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// The GeoTIFF encoder refused the image.
    #[error("cannot encode GeoTIFF {path}: {source}")]
    Tiff {
        /// The file being written.
        path: PathBuf,
        /// The encoder's error.
        #[source]
        source: tiff::TiffError,
    },
    /// A text attribute has a character GBK cannot encode.
    #[error("{path}: field {field:?} value {value:?} cannot be encoded in GBK")]
    Encoding {
        /// The .dbf being written.
        path: PathBuf,
        /// The field name.
        field: String,
        /// The value.
        value: String,
    },
    /// A value does not fit the shapefile or dBASE format (too many records, too long).
    #[error("{path}: {what} is too large for the format ({value})")]
    TooLarge {
        /// The file being written.
        path: PathBuf,
        /// What overflowed.
        what: &'static str,
        /// The offending size.
        value: usize,
    },
    /// Reprojecting licence corners to CGCS2000 Gauss–Krüger failed.
    #[error("cannot reproject licence {licence} to EPSG:4551: {source}")]
    Crs {
        /// The licence number.
        licence: String,
        /// The CRS layer's error.
        #[source]
        source: reclaim::crs::CrsError,
    },
    /// The construction broke one of its own invariants (a generator bug, never input).
    #[error("demo construction invariant broken: {what} (feature {feature})")]
    Construction {
        /// Which invariant.
        what: &'static str,
        /// The pit or licence concerned.
        feature: String,
    },
}
