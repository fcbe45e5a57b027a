//! The files of a discovery: their names, the columns of `candidates.csv`, and how
//! a discovery's folder is told.

use serde_json::Value;
use std::path::Path;

/// `summary.json`'s `format`, the marker of a discovery folder.
pub const FORMAT: &str = "reclaim-discovery-1";
/// The output files.
pub const GEOJSON: &str = "candidates.geojson";
pub const GEOJSON_PROJECTED: &str = "candidates_projected.geojson";
pub const CSV: &str = "candidates.csv";
pub const SUMMARY: &str = "summary.json";
pub const HTML: &str = "report.html";

/// The columns of `candidates.csv` (and of the GIS `candidates` layer).
pub const CSV_HEADER: [&str; 19] = [
    "rank",
    "id",
    "label",
    "change",
    "area_ha",
    "cells",
    "ha_inside_licence",
    "ha_outside_licence",
    "licence_ids",
    "nearest_licence_id",
    "nearest_licence_status",
    "nearest_licence_distance_m",
    "centroid_x",
    "centroid_y",
    "centroid_lon",
    "centroid_lat",
    "holes",
    "compactness",
    "bare_before_ha",
];

/// Whether `dir` holds a discovery's `summary.json` (so `--out` may replace it).
pub fn is_discovery_folder(dir: &Path) -> bool {
    crate::input::read_capped(&dir.join(SUMMARY), 64 << 20, crate::input::Cap::Config)
        .ok()
        .and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        .is_some_and(|v| v.get("format").and_then(Value::as_str) == Some(FORMAT))
}
