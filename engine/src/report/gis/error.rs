//! [`GisError`]: what can stop the GIS writers.

use std::path::PathBuf;

/// Errors writing `results.gpkg` or the shapefiles.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GisError {
    /// A file or folder could not be written.
    #[error("{}: {source}; check that the folder exists and is writable", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// SQLite refused a statement while writing the GeoPackage.
    #[error("{}: SQLite: {source}", .path.display())]
    Sqlite {
        path: PathBuf,
        #[source]
        source: rusqlite::Error,
    },
    /// A text attribute has a character the `.dbf` encoding cannot hold.
    #[error("{}: field {field:?} value {value:?} cannot be encoded in {encoding}; write the shapefiles in UTF-8 (the default)", .path.display())]
    Encoding {
        path: PathBuf,
        field: String,
        value: String,
        encoding: &'static str,
    },
    /// A value does not fit the shapefile or dBASE format (too many records, a
    /// text longer than 254 bytes, a number too wide for its field).
    #[error("{}: {what} is too large for the format ({value})", .path.display())]
    TooLarge {
        path: PathBuf,
        what: &'static str,
        value: usize,
    },
    /// A geometry has a coordinate that is not a finite number.
    #[error("{}: layer {layer}, feature {feature}: a coordinate is not finite", .path.display())]
    NonFinite {
        path: PathBuf,
        layer: &'static str,
        feature: usize,
    },
    /// A discovery candidate or its outline could not be read back from its spill file.
    #[error("candidates layer: {0}")]
    Candidates(#[source] Box<crate::discover::DiscoverError>),
}
