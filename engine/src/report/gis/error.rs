//! [`GisError`]: what can stop the GIS writers.

use std::path::PathBuf;

/// Errors writing `results.gpkg` or the shapefiles.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GisError {
    /// A file or folder could not be written.
    #[error("{}: {source}; check that the folder exists and is writable", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        source: std::io::Error,
    },
    /// SQLite refused a statement while writing the GeoPackage.
    #[error("{}: SQLite: {source}", .path.display())]
    Sqlite {
        /// The GeoPackage.
        path: PathBuf,
        /// SQLite's error.
        #[source]
        source: rusqlite::Error,
    },
    /// A text attribute has a character the `.dbf` encoding cannot hold.
    #[error("{}: field {field:?} value {value:?} cannot be encoded in {encoding}; write the shapefiles in UTF-8 (the default)", .path.display())]
    Encoding {
        /// The `.dbf` file.
        path: PathBuf,
        /// The field's name.
        field: String,
        /// The text that cannot be encoded.
        value: String,
        /// The encoding (`GBK`).
        encoding: &'static str,
    },
    /// A value does not fit the shapefile or dBASE format (too many records, a
    /// text longer than 254 bytes, a number too wide for its field).
    #[error("{}: {what} is too large for the format ({value})", .path.display())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// What is too large (`record count`, `text field width`, `number` …).
        what: &'static str,
        /// Its size (bytes, characters or a count, by `what`).
        value: usize,
    },
    /// A geometry has a coordinate that is not a finite number.
    #[error("{}: layer {layer}, feature {feature}: a coordinate is not finite", .path.display())]
    NonFinite {
        /// The file.
        path: PathBuf,
        /// The layer's name.
        layer: &'static str,
        /// 0-based position of the feature in the layer.
        feature: usize,
    },
    /// A discovery candidate or its outline could not be read back from its spill file.
    #[error("candidates layer: {0}")]
    Candidates(#[source] Box<crate::discover::DiscoverError>),
}
