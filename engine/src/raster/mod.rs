//! GeoTIFF reading: georeferencing, nodata, block-wise random access, limits.
//!
//! OWNER: raster helper.
