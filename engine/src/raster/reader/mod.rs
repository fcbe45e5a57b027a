//! The GeoTIFF reader, [`GeoTiff`]: open a GeoTIFF, describe it, and read blocks and
//! windows of one band.
//!
//! Parts, in the order of an open and a read:
//! - `layout`: the first directory's layout checked before decoding; refusals, patches.
//! - `describe`: the GeoTIFF and GDAL tags assembled into a [`RasterInfo`](super::RasterInfo).
//! - `geotiff`: [`GeoTiff`] — open, describe, read blocks, windows and masks.
//! - `chunk`: decoding one chunk into the reader's cache; errors naming the chunk.
//! - `copy`: one band's samples copied out of an interleaved chunk.

mod chunk;
mod copy;
mod describe;
mod geotiff;
mod layout;

pub use geotiff::GeoTiff;
