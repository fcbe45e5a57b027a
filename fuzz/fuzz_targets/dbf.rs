//! .dbf attribute tables: header, field descriptors, records, encodings.
//!
//! Each input is parsed twice: with the encoding from the header or detection, and
//! with an explicit GBK (the common case for Chinese county data).
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use reclaim::vector::from_bytes::dbf_from_bytes;
use reclaim::vector::ReadOptions;

fuzz_target!(|data: &[u8]| {
    let path = Path::new("fuzz.dbf");
    let limited = ReadOptions {
        max_features: 100_000,
        ..ReadOptions::default()
    };
    if let Ok(table) = dbf_from_bytes(path, data, &limited) {
        let names = table.field_names();
        for name in &names {
            let _ = table.value(0, name);
        }
        for values in table.records.iter().flatten() {
            assert_eq!(values.len(), names.len(), "one value per field");
        }
    }
    let gbk = ReadOptions {
        encoding: Some("gbk".into()),
        ..limited
    };
    let _ = dbf_from_bytes(path, data, &gbk);
});
