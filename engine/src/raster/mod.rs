//! GeoTIFF reading: georeferencing, nodata, block-wise random access, limits.
//!
//! A pure-Rust reader on the `tiff` crate that decodes what GDAL decodes, byte for
//! byte, for the formats reclaim supports (see `docs/formats.md`): strips and
//! tiles; none, LZW, DEFLATE, PackBits and ZSTD compression; horizontal and
//! floating-point predictors; BigTIFF and big-endian files; pixel- and
//! band-interleaved layouts; u8…f64 samples. JPEG, WebP, LERC and colour-space
//! encodings (YCbCr, CMYK, Lab) are refused with an error that says how to convert.
//!
//! Parts:
//! - [`error`]: [`RasterError`] and what exactly is unsupported or malformed.
//! - [`limits`]: [`Limits`] on every size a file can declare.
//! - `scan`: bounded walk over the header and directory chain (validation, overviews).
//! - `overlay`: presents every photometric interpretation's samples as plain bands.
//! - [`geokeys`]: the GeoKeyDirectory (EPSG code, PixelIsPoint, citation).
//! - [`georef`]: model tags to a GDAL-equivalent geotransform.
//! - `gdal_tags`: GDAL_NODATA and GDAL_METADATA (scale, offset).
//! - [`info`]: [`SampleType`], [`Layout`], [`RasterInfo`].
//! - `blocks`: strip/tile geometry and chunk indices.
//! - [`buffer`]: [`BandBuffer`], one band's samples in the native type.
//! - [`nodata`]: [`NoData`], GDAL's nodata comparison.
//! - [`mask`]: per-dataset masks (internal mask directory, `.msk` sidecar).
//! - `tiff_decoder`: the `tiff` crate's decoder over `overlay`; its errors as [`RasterError`].
//! - [`reader`]: [`GeoTiff`], open / info / read_block / read_window (a folder: layout,
//!   describe, chunk decoding, sample copies).
//! - [`jp2`]: [`Jp2Raster`], JPEG 2000 decoded per codestream tile (`hayro-jpeg2000`).
//! - `request`: band / window / size checks shared by every reader (GeoTIFF, JPEG 2000, GDAL).
//! - [`source`]: [`Raster`], the GeoTIFF or JPEG 2000 reader or (feature `gdal`) `gdal_reader::GdalRaster`.
//! - [`write`](mod@write): georeferencing tags and a tiled one-band `u8` GeoTIFF writer.

mod blocks;
pub mod buffer;
mod direct;
pub mod error;
#[cfg(feature = "gdal")]
pub mod gdal_reader;
mod gdal_tags;
pub mod geokeys;
pub mod georef;
pub mod info;
pub mod jp2;
pub mod limits;
pub mod mask;
pub mod nodata;
mod overlay;
pub mod reader;
#[cfg(test)]
mod reader_tests;
mod request;
mod scan;
pub mod source;
mod tiff_decoder;
pub mod write;

pub use crate::grid::{GeoTransform, Grid, Window};
pub use buffer::BandBuffer;
pub use error::{ChunkRef, Malformation, RasterError, UnsupportedFeature};
#[cfg(feature = "gdal")]
pub use gdal_reader::GdalRaster;
pub use info::{Layout, RasterInfo, SampleType};
pub use jp2::Jp2Raster;
pub use limits::{LimitKind, Limits};
pub use mask::MaskSource;
pub use nodata::NoData;
pub use reader::GeoTiff;
pub use source::Raster;
