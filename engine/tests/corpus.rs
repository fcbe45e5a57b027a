//! The real-file corpus against GDAL's reference decoding.
//!
//! Every `.tif`/`.tiff` under the corpus either decodes to exactly GDAL's bytes
//! (SHA-256 of each band, row-major little-endian native type) with GDAL's size,
//! band count, dtype, geotransform, EPSG code and nodata — or is refused with an
//! `Unsupported` error and listed in [`EXPECTED_UNSUPPORTED`] with the reason. A
//! listed file that starts decoding fails the test (the list must stay honest), and
//! so does an unlisted file that fails.
//!
//! The corpus is found at `RECLAIM_CORPUS` or `../../shared/corpus` from the engine
//! crate; when it is missing the test fails unless `RECLAIM_SKIP_CORPUS=1`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use reclaim::raster::{BandBuffer, GeoTiff, RasterError, Window};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// Files reclaim refuses, with the reason. Keep minimal: only what cannot be read.
const EXPECTED_UNSUPPORTED: &[(&str, &str)] = &[
    (
        "image-tiff/tiled-jpeg-rgb-u8.tif",
        "JPEG compression (lossy)",
    ),
    (
        "image-tiff/tiled-jpeg-ycbcr.tif",
        "JPEG compression, YCbCr 2x2 subsampled",
    ),
    ("image-tiff/usda_naip_256_webp_z3.tif", "WebP compression"),
    ("rasterio/alpha.tif", "JPEG compression"),
    ("rasterio/cogeo.tif", "JPEG compression, YCbCr"),
    (
        "rasterio/corrupt.tif",
        "JPEG compression (and a damaged tile: GDAL fails too)",
    ),
    ("rasterio/goes.tif", "JPEG compression, YCbCr"),
];

/// GDAL itself cannot read this one; a malformed-data error is as right as "unsupported".
const MALFORMED_OK: &[&str] = &["rasterio/corrupt.tif"];

fn corpus_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("RECLAIM_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
        });
    dir.join("reference.json").is_file().then_some(dir)
}

fn tiffs(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            tiffs(&p, out);
        } else if p
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| e.eq_ignore_ascii_case("tif") || e.eq_ignore_ascii_case("tiff"))
        {
            out.push(p);
        }
    }
}

/// How one file went.
enum Outcome {
    /// Decoded, and everything matched GDAL.
    Identical,
    /// Refused with this error.
    Refused(RasterError),
    /// Decoded but differs from GDAL (message says where).
    Mismatch(String),
}

fn close(a: f64, b: f64) -> bool {
    a == b || (a - b).abs() <= 1e-9 * a.abs().max(b.abs())
}

fn check(path: &Path, r: &Value) -> Outcome {
    let mut tif = match GeoTiff::open(path) {
        Ok(t) => t,
        Err(e) => return Outcome::Refused(e),
    };
    let info = tif.info().clone();
    // Decode first: a refused file (JPEG…) is judged by its error, not its header.
    let mut hashes = Vec::new();
    let mut diffs = Vec::new();
    for band in 1..=info.bands {
        match tif.read_band(band) {
            Ok(buf) => {
                hashes.push(format!("{:x}", Sha256::digest(buf.to_le_bytes())));
                if band == 1 || band == info.bands {
                    if let Err(m) = windows_agree(&mut tif, band, &buf) {
                        diffs.push(m);
                    }
                }
            }
            Err(e) => return Outcome::Refused(e),
        }
    }
    let num = |k: &str| r.get(k).and_then(Value::as_u64);
    if num("width") != Some(info.width as u64) || num("height") != Some(info.height as u64) {
        diffs.push(format!(
            "size {}x{} vs {:?}x{:?}",
            info.width,
            info.height,
            num("width"),
            num("height")
        ));
    }
    if num("count") != Some(info.bands as u64) {
        diffs.push(format!("bands {} vs {:?}", info.bands, num("count")));
    }
    let dtypes: Vec<&str> = r["dtypes"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if dtypes.iter().any(|d| *d != info.sample_type.name()) {
        diffs.push(format!("dtype {} vs {:?}", info.sample_type.name(), dtypes));
    }
    let t: Vec<f64> = r["transform"]
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_f64).collect())
        .unwrap_or_default();
    let ours = info.transform.to_affine();
    if t.len() != 6 || !t.iter().zip(ours.iter()).all(|(a, b)| close(*a, *b)) {
        diffs.push(format!("transform {ours:?} vs {t:?}"));
    }
    let epsg = r.get("crs_epsg").and_then(Value::as_u64).map(|e| e as u32);
    if epsg != info.epsg {
        diffs.push(format!("epsg {:?} vs {epsg:?}", info.epsg));
    }
    let nodata = match r.get("nodata") {
        Some(Value::Null) | None => None,
        Some(Value::String(s)) if s.eq_ignore_ascii_case("nan") => Some(f64::NAN),
        Some(v) => v.as_f64(),
    };
    let nodata_ok = match (nodata, info.nodata) {
        (None, None) => true,
        // serde_json's default float parsing may be one ulp off ("-3.3999999521443642e+38").
        (Some(a), Some(b)) => {
            (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-15 * a.abs().max(b.abs())
        }
        _ => false,
    };
    if !nodata_ok {
        diffs.push(format!("nodata {:?} vs {nodata:?}", info.nodata));
    }
    let bands = r["bands"].as_array().cloned().unwrap_or_default();
    for (i, (b, got)) in bands.iter().zip(&hashes).enumerate() {
        if b["sha256"].as_str() != Some(got.as_str()) {
            diffs.push(format!("band {} sha256 differs", i + 1));
        }
    }
    if diffs.is_empty() {
        Outcome::Identical
    } else {
        Outcome::Mismatch(diffs.join("; "))
    }
}

/// `full[win]`, row-major.
fn slice(full: &BandBuffer, width: usize, win: Window) -> Vec<f64> {
    let mut out = Vec::with_capacity(win.len());
    for r in win.row_off..win.row_off + win.height {
        for c in win.col_off..win.col_off + win.width {
            out.push(full.get_f64(r * width + c));
        }
    }
    out
}

fn same(a: &[f64], b: &BandBuffer) -> bool {
    a.len() == b.len()
        && a.iter().enumerate().all(|(i, x)| {
            let y = b.get_f64(i);
            *x == y || (x.is_nan() && y.is_nan())
        })
}

/// A window across block boundaries, the last (clipped) block, the same window
/// through a cloned decoder, and windows ending above a block's bottom (decoded
/// only down to their last row, then grown to the whole block) all agree with the
/// whole band.
fn windows_agree(tif: &mut GeoTiff, band: usize, full: &BandBuffer) -> Result<(), String> {
    let (w, h) = (tif.info().width, tif.info().height);
    let first = tif.block_window(0, 0);
    let top = Window {
        height: (first.height / 3).max(1),
        width: (first.width / 2).max(1),
        ..first
    };
    let middle = Window {
        row_off: first.height / 3,
        height: (first.height / 3).max(1),
        ..first
    };
    for (what, win) in [("top rows", top), ("middle rows", middle), ("whole", first)] {
        let got = tif.read_window(band, win).map_err(|e| e.to_string())?;
        if !same(&slice(full, w, win), &got) {
            return Err(format!(
                "band {band}: {what} of block (0, 0) {win:?} differ from the band"
            ));
        }
    }
    let win = Window {
        col_off: w / 3,
        row_off: h / 3,
        width: (w / 2).max(1),
        height: (h / 2).max(1),
    };
    let got = tif.read_window(band, win).map_err(|e| e.to_string())?;
    if !same(&slice(full, w, win), &got) {
        return Err(format!(
            "band {band}: read_window {win:?} differs from the band"
        ));
    }
    let (bc, br) = (tif.blocks_across() - 1, tif.blocks_down() - 1);
    let bwin = tif.block_window(bc, br);
    let block = tif.read_block(band, bc, br).map_err(|e| e.to_string())?;
    if !same(&slice(full, w, bwin), &block) {
        return Err(format!(
            "band {band}: read_block({bc}, {br}) differs from the band"
        ));
    }
    let mut other = tif.try_clone().map_err(|e| e.to_string())?;
    let again = other.read_window(band, win).map_err(|e| e.to_string())?;
    if again.to_le_bytes() != got.to_le_bytes() {
        return Err(format!("band {band}: try_clone reads differently"));
    }
    Ok(())
}

#[test]
fn corpus_decodes_like_gdal_or_is_refused() {
    let Some(dir) = corpus_dir() else {
        if std::env::var("RECLAIM_SKIP_CORPUS").as_deref() == Ok("1") {
            eprintln!("corpus missing; skipped because RECLAIM_SKIP_CORPUS=1");
            return;
        }
        panic!("corpus not found (set RECLAIM_CORPUS, or RECLAIM_SKIP_CORPUS=1 to skip)");
    };
    let text =
        std::fs::read_to_string(dir.join("reference.json")).expect("reference.json readable");
    let reference: BTreeMap<String, Value> =
        serde_json::from_str(&text).expect("reference.json parses");
    let expected: BTreeMap<&str, &str> = EXPECTED_UNSUPPORTED.iter().copied().collect();

    let mut files = Vec::new();
    tiffs(&dir, &mut files);
    assert!(
        files.len() >= 90,
        "only {} TIFFs found under {}",
        files.len(),
        dir.display()
    );

    let (mut identical, mut refused, mut failures) = (0, Vec::new(), Vec::new());
    for path in &files {
        let rel = path
            .strip_prefix(&dir)
            .unwrap_or(path)
            .to_string_lossy()
            .replace('\\', "/");
        let Some(r) = reference.get(&rel) else {
            failures.push(format!("{rel}: no entry in reference.json"));
            continue;
        };
        let listed = expected.get(rel.as_str());
        match (check(path, r), listed) {
            (Outcome::Identical, None) => identical += 1,
            (Outcome::Identical, Some(why)) => {
                failures.push(format!("{rel}: listed as unsupported ({why}) but now decodes like GDAL; remove it from the list"))
            }
            (Outcome::Refused(e), Some(why)) => {
                let kind_ok = matches!(e, RasterError::Unsupported { .. })
                    || (MALFORMED_OK.contains(&rel.as_str()) && matches!(e, RasterError::Malformed { .. }));
                if kind_ok {
                    refused.push(format!("{rel} ({why}): {e}"));
                } else {
                    failures.push(format!("{rel}: expected an unsupported error ({why}), got: {e}"));
                }
            }
            (Outcome::Refused(e), None) => failures.push(format!("{rel}: failed: {e}")),
            (Outcome::Mismatch(m), _) => failures.push(format!("{rel}: differs from GDAL: {m}")),
        }
    }
    for (name, _) in EXPECTED_UNSUPPORTED {
        if !files.iter().any(|p| p.ends_with(name)) {
            failures.push(format!(
                "{name}: listed as unsupported but not in the corpus"
            ));
        }
    }
    eprintln!(
        "{identical} of {} TIFFs decode identical to GDAL; {} refused:",
        files.len(),
        refused.len()
    );
    for r in &refused {
        eprintln!("  {r}");
    }
    assert!(
        failures.is_empty(),
        "{} corpus failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert_eq!(identical + refused.len(), files.len());
}

/// Damaged copies of small real files (each header/data byte set to 0x00 and to
/// 0xFF in turn, across compressions, predictors and layouts) open and read to
/// `Ok` or `Err`, never a panic.
#[test]
fn damaged_corpus_files_never_panic() {
    let Some(dir) = corpus_dir() else {
        if std::env::var("RECLAIM_SKIP_CORPUS").as_deref() == Ok("1") {
            return;
        }
        panic!("corpus not found (set RECLAIM_CORPUS, or RECLAIM_SKIP_CORPUS=1 to skip)");
    };
    let files = [
        "image-tiff/seq-1c-8b-lzw-hpredict-20f3db0c.tiff",
        "image-tiff/seq-1c-32f-deflate-fpredict-390fe673.tiff",
        "image-tiff/seq-1c-8b-tiled-bigtiff-20f3db0c.tiff",
        "image-tiff/seq-3c-8b-tiled-8743c999.tiff",
        "image-tiff/seq-1c-16b-bigendian-68f373a0.tiff",
        "image-tiff/seq-1c-8b-packbits-20f3db0c.tiff",
        "rasterio/float32.tif",
        "rasterio/float_nan.tif",
    ];
    let tmp = tempfile::tempdir().expect("tempdir");
    let path = tmp.path().join("damaged.tif");
    let mut opened = 0;
    for f in files {
        let good = std::fs::read(dir.join(f)).expect("corpus file readable");
        for i in 0..good.len() {
            for v in [0x00u8, 0xFF] {
                let mut b = good.clone();
                if b[i] == v {
                    continue;
                }
                b[i] = v;
                std::fs::write(&path, &b).expect("write temp file");
                if let Ok(mut t) = GeoTiff::open(&path) {
                    opened += 1;
                    for band in 1..=t.info().bands.min(4) {
                        let _ = t.read_band(band);
                    }
                }
            }
        }
    }
    assert!(
        opened > 100,
        "mutations should mostly keep the header readable ({opened})"
    );
}
