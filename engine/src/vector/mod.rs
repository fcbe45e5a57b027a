//! Footprint readers: GeoJSON and ESRI Shapefile.
//!
//! OWNER: vector helper.
