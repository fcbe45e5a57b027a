//! The files of a discovery: their names, the columns of `candidates.csv`, and how
//! a discovery's folder is told.

use serde_json::Value;
use std::path::Path;

/// `summary.json`'s `format`, the marker of a discovery folder.
pub const FORMAT: &str = "reclaim-discovery-1";
/// Output file: the candidates' outlines in lon/lat (RFC 7946 GeoJSON).
pub const GEOJSON: &str = "candidates.geojson";
/// Output file: the candidates' outlines exactly, in the imagery's CRS.
pub const GEOJSON_PROJECTED: &str = "candidates_projected.geojson";
/// Output file: one row per candidate, columns [`CSV_HEADER`].
pub const CSV: &str = "candidates.csv";
/// Output file: the run's totals, settings and provenance (format [`FORMAT`]).
pub const SUMMARY: &str = "summary.json";
/// Output file: the self-contained HTML report.
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
