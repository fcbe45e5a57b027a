//! Footprint readers: GeoJSON and ESRI Shapefile.
//!
//! [`read_layer`] reads a whole layer of (multi)polygon footprints with their
//! attributes and CRS, validating every ring. Parts:
//! - [`error`]: [`VectorError`] and the structured problems it carries.
//! - [`feature`]: [`Feature`], [`FieldValue`], [`Layer`].
//! - [`encoding`]: text-encoding labels, .dbf language-driver bytes, strict decoding.
//! - [`dbf`]: the .dbf attribute-table reader ([`read_dbf`] reads one alone).
//! - [`rings`]: ring validation, areas and assembly of shapefile rings into polygons.
//! - [`shx`]: the `.shx` index checked against its `.shp`.
//! - `shp_guard`: record sizes and counts checked before the shapefile crate allocates.
//! - [`from_bytes`]: in-memory entry points (used by the fuzz targets).
//! - [`validate`]: crossings and overlaps between rings; the explicit `--repair`.
//! - `geojson_reader`, `shapefile_reader`: the two formats.
//! - `gdal_reader` (feature `gdal`): every other format GDAL/OGR reads.
//!
//! ```text
//!  .geojson/.json ─ geojson_reader ─┐
//!                                   ├─ rings (validate, assemble, orient) ─ Layer
//!  .shp + .dbf/.prj/.cpg ─ shapefile_reader + dbf ─┘
//! ```
//!
//! Other formats (GeoPackage, KML, FileGDB …) are read through GDAL/OGR with the `gdal`
//! cargo feature; without it they are refused with a hint to convert them with
//! `ogr2ogr -f GeoJSON`.

pub mod dbf;
pub mod encoding;
pub mod error;
pub mod feature;
pub mod from_bytes;
#[cfg(feature = "gdal")]
mod gdal_reader;
mod geojson_reader;
pub mod memory;
pub mod rings;
mod shapefile_reader;
mod shp_guard;
pub mod shx;
pub mod validate;

use std::path::Path;

pub use dbf::{read_dbf, DbfField, DbfTable};
pub use error::{AbsentField, EncodingSource, GeometryProblem, Limit, Malformation, VectorError};
pub use feature::{Feature, FieldValue, Layer, VectorFormat};
pub use geojson_reader::crs_name_code;
pub(crate) use shapefile_reader::{read_prj, shape_kind, sidecar};
pub(crate) use shp_guard::check_record_sizes;

/// Options for reading a layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReadOptions {
    /// Text encoding of the attributes, overriding `.cpg` and detection: "utf-8", "gbk",
    /// "gb18030", "big5", "latin1", "936", "cp1252" … (the CLI's `--encoding`).
    pub encoding: Option<String>,
    /// Most features (records) a layer may have.
    pub max_features: usize,
    /// Most vertices (positions, all rings of all features) a layer may have.
    pub max_vertices: usize,
    /// Repair self-intersecting or overlapping geometry ([`validate::repair`]) instead of
    /// refusing it (the CLI's `--repair`; default false).
    pub repair: bool,
    /// Most bytes one file of the layer (.geojson, .shp, .dbf, .shx) may hold
    /// (default 2 GiB; `max_vector_mib` under an audit's `[limits]`).
    pub max_file_bytes: u64,
}

impl Default for ReadOptions {
    /// No explicit encoding; 5 million features; 200 million vertices; no repair;
    /// 2 GiB per file.
    fn default() -> Self {
        ReadOptions {
            encoding: None,
            max_features: 5_000_000,
            max_vertices: 200_000_000,
            repair: false,
            max_file_bytes: 2 << 30,
        }
    }
}

/// Reads a footprint layer, choosing the format by extension (case-insensitive):
/// `.shp` → ESRI Shapefile; `.geojson` / `.json` → GeoJSON.
///
/// # Errors
/// [`VectorError::Unsupported`] for any other extension (the message suggests
/// `ogr2ogr -f GeoJSON`) unless the `gdal` feature reads it through GDAL/OGR;
/// otherwise the format readers' errors: unreadable or malformed files, invalid or
/// non-polygon geometry (with the feature index), unresolvable CRS,
/// undecodable text, limits exceeded, self-intersecting or overlapping rings (unless
/// [`ReadOptions::repair`]; see [`validate`]). A shapefile without `.prj` is *not* an error
/// here: [`Layer::crs`] is `None` and [`Layer::require_crs`] reports it.
///
/// ```no_run
/// use reclaim::vector::{read_layer, ReadOptions};
/// let layer = read_layer("pits.shp".as_ref(), &ReadOptions::default())?;
/// layer.require_field("图斑编号")?;
/// for f in &layer.features {
///     println!("{}: {:?}", f.index, f.get("图斑编号").and_then(|v| v.as_text()));
/// }
/// # Ok::<(), reclaim::vector::VectorError>(())
/// ```
pub fn read_layer(path: &Path, opts: &ReadOptions) -> Result<Layer, VectorError> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let layer = match extension.as_str() {
        "shp" => {
            // A FIFO would block and a device never end: regular files only.
            crate::input::check_regular(path)?;
            if let Some(shx_path) = shapefile_reader::sidecar(path, "shx") {
                for p in [path, shx_path.as_path()] {
                    let cap = crate::input::Cap::Vector;
                    crate::input::check_capped(p, opts.max_file_bytes, cap)?;
                }
                shx::check(path, &shx_path)?;
            }
            shapefile_reader::read_shapefile(path, opts)?
        }
        "geojson" | "json" => geojson_reader::read_geojson(path, opts)?,
        #[cfg(feature = "gdal")]
        _ => {
            // GDAL also reads folders (FileGDB), but never a FIFO or a device.
            use crate::input::{check_regular, FileKind, InputError};
            match check_regular(path) {
                Err(e @ InputError::NotAFile { kind, .. }) if kind != FileKind::Directory => {
                    return Err(e.into())
                }
                _ => gdal_reader::read_ogr(path, opts)?,
            }
        }
        #[cfg(not(feature = "gdal"))]
        _ => {
            return Err(VectorError::Unsupported {
                path: path.to_path_buf(),
                extension,
            })
        }
    };
    // Crossings and overlaps: refused, or repaired when asked (docs/robustness.md).
    validate::check_layer(layer, opts.repair).map(|(layer, _repaired)| layer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(not(feature = "gdal"))]
    #[test]
    fn other_extensions_are_refused_with_a_conversion_hint() {
        let err = read_layer(Path::new("licences.gpkg"), &ReadOptions::default()).unwrap_err();
        assert!(matches!(&err, VectorError::Unsupported { extension, .. } if extension == "gpkg"));
        let msg = err.to_string();
        assert!(
            msg.contains("ogr2ogr -f GeoJSON out.geojson licences.gpkg"),
            "{msg}"
        );
    }

    #[test]
    fn defaults_are_generous() {
        let o = ReadOptions::default();
        assert_eq!(o.encoding, None);
        assert_eq!(o.max_features, 5_000_000);
        assert_eq!(o.max_vertices, 200_000_000);
    }
}
