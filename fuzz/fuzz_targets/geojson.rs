//! GeoJSON reader: parsing, legacy `crs` members, geometry validation, properties.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use reclaim::vector::from_bytes::geojson_from_bytes;
use reclaim::vector::{crs_name_code, ReadOptions};

fuzz_target!(|data: &[u8]| {
    let opts = ReadOptions {
        max_features: 10_000,
        max_vertices: 1_000_000,
        ..ReadOptions::default()
    };
    if let Ok(layer) = geojson_from_bytes(Path::new("fuzz.geojson"), data, &opts) {
        assert!(layer.crs.is_some(), "GeoJSON always has a CRS");
        for f in &layer.features {
            assert_eq!(
                f.properties.len(),
                layer.fields.len(),
                "one value per field"
            );
        }
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = crs_name_code(text);
    }
});
