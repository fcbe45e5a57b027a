//! What a GeoTIFF is: size, bands, sample type, georeferencing, nodata, layout.

use std::path::PathBuf;

use serde::{Serialize, Serializer};

use crate::grid::GeoTransform;

/// Sample type of a band, named as numpy / rasterio name dtypes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SampleType {
    /// Unsigned 8-bit integer.
    U8,
    /// Signed 8-bit integer.
    I8,
    /// Unsigned 16-bit integer.
    U16,
    /// Signed 16-bit integer.
    I16,
    /// Unsigned 32-bit integer.
    U32,
    /// Signed 32-bit integer.
    I32,
    /// IEEE 754 single precision.
    F32,
    /// IEEE 754 double precision.
    F64,
}

impl SampleType {
    /// The numpy / rasterio dtype name ("uint8", "int16", "float32", …).
    pub fn name(&self) -> &'static str {
        match self {
            SampleType::U8 => "uint8",
            SampleType::I8 => "int8",
            SampleType::U16 => "uint16",
            SampleType::I16 => "int16",
            SampleType::U32 => "uint32",
            SampleType::I32 => "int32",
            SampleType::F32 => "float32",
            SampleType::F64 => "float64",
        }
    }

    /// Bytes per sample.
    pub fn size_bytes(&self) -> usize {
        match self {
            SampleType::U8 | SampleType::I8 => 1,
            SampleType::U16 | SampleType::I16 => 2,
            SampleType::U32 | SampleType::I32 | SampleType::F32 => 4,
            SampleType::F64 => 8,
        }
    }

    /// True for the floating-point types.
    pub fn is_float(&self) -> bool {
        matches!(self, SampleType::F32 | SampleType::F64)
    }

    /// The type for TIFF SampleFormat (1 uint, 2 int, 3 float) and BitsPerSample.
    pub fn from_tiff(format: u64, bits: u64) -> Option<SampleType> {
        Some(match (format, bits) {
            (1, 8) => SampleType::U8,
            (2, 8) => SampleType::I8,
            (1, 16) => SampleType::U16,
            (2, 16) => SampleType::I16,
            (1, 32) => SampleType::U32,
            (2, 32) => SampleType::I32,
            (3, 32) => SampleType::F32,
            (3, 64) => SampleType::F64,
            _ => return None,
        })
    }
}

impl Serialize for SampleType {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.name())
    }
}

/// How the pixels are cut into chunks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// Full-width strips of `rows_per_strip` rows (the last may be shorter).
    Strips {
        /// Rows per strip.
        rows_per_strip: u32,
    },
    /// Tiles of `width × height` pixels (edge tiles are clipped on read).
    Tiles {
        /// Tile width, cells.
        width: u32,
        /// Tile height, cells.
        height: u32,
    },
}

/// Everything `reclaim info` reports about a GeoTIFF.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RasterInfo {
    /// The file.
    pub path: PathBuf,
    /// Columns.
    pub width: usize,
    /// Rows.
    pub height: usize,
    /// Number of bands (samples per pixel).
    pub bands: usize,
    /// Sample type shared by all bands.
    pub sample_type: SampleType,
    /// Corner-based transform (GDAL semantics; unit transform when not georeferenced).
    pub transform: GeoTransform,
    /// True when the transform comes from the file's GeoTIFF tags.
    pub georeferenced: bool,
    /// Number of ground control points when the file has tiepoints only.
    pub gcps: usize,
    /// EPSG code of the CRS (None for user-defined CRSs, GCP-only and plain TIFFs).
    pub epsg: Option<u32>,
    /// GeoTIFF citation text (GTCitation, else PCSCitation, else GeogCitation).
    pub crs_citation: Option<String>,
    /// RasterTypeGeoKey is PixelIsPoint (the transform is already shifted half a cell).
    pub pixel_is_point: bool,
    /// GDAL_NODATA, as the band type holds it (rounded to f32 for float32 bands).
    #[serde(serialize_with = "finite_or_text")]
    pub nodata: Option<f64>,
    /// Band 1 scale from GDAL_METADATA (value = raw · scale + offset).
    pub scale: Option<f64>,
    /// Band 1 offset from GDAL_METADATA.
    pub offset: Option<f64>,
    /// Strips or tiles.
    pub layout: Layout,
    /// Width of one block (the raster width for strips).
    pub block_width: usize,
    /// Height of one block.
    pub block_height: usize,
    /// GDAL-style compression name ("none", "LZW", "DEFLATE", "JPEG", …).
    pub compression: String,
    /// Predictor tag (1 none, 2 horizontal, 3 floating point).
    pub predictor: u16,
    /// PlanarConfiguration = 2 (one plane of chunks per band).
    pub planar_separate: bool,
    /// BigTIFF header.
    pub big_tiff: bool,
    /// Big-endian ("MM") byte order.
    pub big_endian: bool,
    /// Reduced-resolution images after the first (not decoded).
    pub overviews: usize,
    /// ModelPixelScale (x, y) when it is zero or not finite (the grid is unusable).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bad_pixel_scale: Option<(f64, f64)>,
    /// The per-dataset mask, when there is one ("internal, 1-bit", "sidecar x.tif.msk,
    /// 8-bit"): its 0 cells are read as nodata.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mask: Option<String>,
}

/// JSON cannot hold NaN or infinities: write them as the strings GDAL uses.
fn finite_or_text<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        None => s.serialize_none(),
        Some(x) if x.is_nan() => s.serialize_str("nan"),
        Some(x) if x.is_infinite() => s.serialize_str(if *x > 0.0 { "inf" } else { "-inf" }),
        Some(x) => s.serialize_f64(*x),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_sizes() {
        assert_eq!(SampleType::I16.name(), "int16");
        assert_eq!(SampleType::F64.size_bytes(), 8);
        assert_eq!(SampleType::from_tiff(3, 32), Some(SampleType::F32));
        assert_eq!(SampleType::from_tiff(1, 1), None);
        assert_eq!(SampleType::from_tiff(3, 16), None);
        assert_eq!(
            serde_json::to_string(&SampleType::U16).unwrap(),
            "\"uint16\""
        );
    }

    #[test]
    fn nan_nodata_serializes_as_text() {
        #[derive(Serialize)]
        struct T {
            #[serde(serialize_with = "finite_or_text")]
            v: Option<f64>,
        }
        assert_eq!(
            serde_json::to_string(&T { v: Some(f64::NAN) }).unwrap(),
            r#"{"v":"nan"}"#
        );
        assert_eq!(
            serde_json::to_string(&T { v: Some(-1.5) }).unwrap(),
            r#"{"v":-1.5}"#
        );
        assert_eq!(
            serde_json::to_string(&T { v: None }).unwrap(),
            r#"{"v":null}"#
        );
    }
}
