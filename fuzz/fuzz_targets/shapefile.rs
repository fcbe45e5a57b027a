//! Shapefile reader: `.shp` geometry + `.dbf` records + `.prj` WKT, in memory.
//!
//! Input layout (see `split` and docs/fuzzing.md): a little-endian u32 length and the
//! `.shp` bytes, a u32 length and the `.dbf` bytes, then the `.prj` text (absent when
//! empty). Lengths beyond the input are clamped, so every input is valid.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use reclaim::vector::from_bytes::shapefile_from_bytes;
use reclaim::vector::ReadOptions;

/// Takes a u32-length-prefixed part off the front of `data`.
fn take<'a>(data: &mut &'a [u8]) -> &'a [u8] {
    let Some((len, rest)) = data.split_first_chunk::<4>() else {
        let all = *data;
        *data = &[];
        return all;
    };
    let len = (u32::from_le_bytes(*len) as usize).min(rest.len());
    let (part, rest) = rest.split_at(len);
    *data = rest;
    part
}

fuzz_target!(|data: &[u8]| {
    let mut rest = data;
    let shp = take(&mut rest);
    let dbf = take(&mut rest);
    let prj = std::str::from_utf8(rest).ok().filter(|s| !s.is_empty());
    let opts = ReadOptions {
        max_features: 100_000,
        max_vertices: 1_000_000,
        ..ReadOptions::default()
    };
    if let Ok(layer) = shapefile_from_bytes(Path::new("fuzz.shp"), shp, dbf, prj, &opts) {
        for f in &layer.features {
            assert_eq!(
                f.properties.len(),
                layer.fields.len(),
                "one value per field"
            );
        }
    }
});
