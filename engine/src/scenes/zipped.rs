//! Zipped Sentinel-2 L2A products (`S2x_MSIL2A_….SAFE.zip` or `….zip`, as the
//! Copernicus Data Space hands them out) → [`Scene`].
//!
//! JPEG 2000 is read with random access, which a deflated zip member does not
//! give, so the files the reader needs — `MTD_MSIL2A.xml`, `GRANULE/*/MTD_TL.xml`
//! and the B04, B08 (10 m) and SCL (20 m) bands, about a third of a product — are
//! unpacked once into reclaim's cache folder (`$RECLAIM_CACHE_DIR/unzipped`, see
//! [`crate::cache_dir`]) and read from there. The folder is named after the
//! archive's path, size and modification time, so a rerun reuses it and a new
//! download unpacks again; a half-written unpacking is never used (it is renamed
//! into place when complete). The archive itself is only read.
//!
//! Hostile archives: member names are never used as paths beyond the product's
//! own layout (no `..`, no absolute names), sizes are bounded, and CRCs are checked
//! while unpacking; any damage is an error naming the archive.

use super::error::SceneError;
use super::safe::{read_safe, L1C_METADATA, PRODUCT_METADATA, TILE_METADATA};
use super::Scene;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// Sub-folder of the cache folder holding unpacked products (versioned layout).
const UNZIPPED_DIR: &str = "unzipped-v1";
/// Written last into an unpacked product: it is complete.
const COMPLETE: &str = ".reclaim-unzipped";
/// A member larger than this is refused (a 10 980² 16-bit band is ~240 MB raw).
const MAX_MEMBER: u64 = 4 << 30;
/// Metadata members larger than this are refused.
const MAX_METADATA: u64 = 64 << 20;

/// Band files a scene needs, by the end of their file name.
const BAND_SUFFIXES: [&str; 3] = ["_B04_10m.jp2", "_B08_10m.jp2", "_SCL_20m.jp2"];

/// Reads the zipped product `path`, unpacking what it needs into the cache folder
/// (`$RECLAIM_CACHE_DIR`, else the XDG cache; the system's temporary folder when
/// neither is set).
///
/// # Errors
/// As [`read_safe_zip_in`].
pub fn read_safe_zip(path: &Path) -> Result<Scene, SceneError> {
    let root = crate::cache_dir::location().unwrap_or_else(|| std::env::temp_dir().join("reclaim"));
    read_safe_zip_in(path, &root)
}

/// Reads the zipped product `path`, unpacking into `cache_root/unzipped-v1/`.
///
/// # Errors
/// [`SceneError::Archive`] for a damaged or unreadable archive (or members too
/// large), [`SceneError::Unrecognised`] for a zip holding no L2A product,
/// [`SceneError::Refused`] for a Level-1C one, [`SceneError::Io`] when the cache
/// folder cannot be written, and the errors of [`read_safe`] on the product.
pub fn read_safe_zip_in(path: &Path, cache_root: &Path) -> Result<Scene, SceneError> {
    let file = crate::input::open_regular(path).map_err(|e| archive(path, e.to_string()))?;
    let meta = file.metadata().map_err(|e| SceneError::io(path, e))?;
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file))
        .map_err(|e| archive(path, e.to_string()))?;

    // The product's folder inside the archive: where MTD_MSIL2A.xml lies, at the
    // top or one folder down (`X.SAFE/MTD_MSIL2A.xml`).
    if zip.has_duplicate_names() {
        return Err(archive(path, "two members share a name".into()));
    }
    // Member names by index ("" for a name that is not valid UTF-8: never wanted).
    let names: Vec<String> = (0..zip.len())
        .map(|i| {
            zip.name_for_index(i)
                .and_then(Result::ok)
                .map(|n| n.into_owned())
                .unwrap_or_default()
        })
        .collect();
    let prefix_of = |meta_name: &str| {
        names.iter().find_map(|n| {
            let p = n.strip_suffix(meta_name)?;
            (p.is_empty() || (p.ends_with('/') && p.matches('/').count() == 1))
                .then(|| p.to_string())
        })
    };
    let Some(prefix) = prefix_of(PRODUCT_METADATA) else {
        if prefix_of(L1C_METADATA).is_some() {
            return Err(super::safe::level1c(path));
        }
        return Err(SceneError::Unrecognised {
            path: path.to_path_buf(),
            reason: format!("a zip archive without a Sentinel-2 L2A product ({PRODUCT_METADATA})"),
        });
    };
    let product = prefix.trim_end_matches('/');
    let product = if product.is_empty() {
        path.file_stem()
            .map(|s| s.to_string_lossy().trim_end_matches(".SAFE").to_string() + ".SAFE")
            .unwrap_or_else(|| "product.SAFE".into())
    } else {
        product.to_string()
    };

    // What to unpack: (index, path inside the product, size limit).
    let mut wanted: Vec<(usize, PathBuf, u64)> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let Some(rel) = name.strip_prefix(&prefix) else {
            continue;
        };
        let Some(rel_path) = safe_relative(rel) else {
            continue;
        };
        let parts: Vec<&str> = rel.split('/').collect();
        let limit = match parts.as_slice() {
            [m] if *m == PRODUCT_METADATA => MAX_METADATA,
            ["GRANULE", _, m] if *m == TILE_METADATA => MAX_METADATA,
            ["GRANULE", _, "IMG_DATA", .., f] if BAND_SUFFIXES.iter().any(|s| f.ends_with(s)) => {
                MAX_MEMBER
            }
            _ => continue,
        };
        wanted.push((i, rel_path, limit));
    }

    let key = cache_key(path, &meta);
    let base = cache_root.join(UNZIPPED_DIR);
    let done = base.join(format!("{}-{key}", sanitize(&product)));
    let safe_dir = done.join(&product);
    if !done.join(COMPLETE).is_file() {
        std::fs::create_dir_all(&base).map_err(|e| SceneError::io(&base, e))?;
        let staging = tempfile::Builder::new()
            .prefix(".unpacking-")
            .tempdir_in(&base)
            .map_err(|e| SceneError::io(&base, e))?;
        let stage_safe = staging.path().join(&product);
        for (index, rel, limit) in &wanted {
            let mut member = zip
                .by_index(*index)
                .map_err(|e| archive(path, e.to_string()))?;
            if member.is_dir() {
                continue;
            }
            let shown = rel.display().to_string();
            if member.size() > *limit {
                return Err(archive(
                    path,
                    format!(
                        "{shown} claims {} bytes, more than a product holds",
                        member.size()
                    ),
                ));
            }
            let out = stage_safe.join(rel);
            if let Some(parent) = out.parent() {
                std::fs::create_dir_all(parent).map_err(|e| SceneError::io(parent, e))?;
            }
            let mut w = File::create(&out).map_err(|e| SceneError::io(&out, e))?;
            // Reading to the end checks the member's CRC; `take` bounds a member
            // whose data runs past its declared size.
            let copied = std::io::copy(&mut (&mut member).take(*limit + 1), &mut w)
                .map_err(|e| archive(path, format!("{shown}: {e}")))?;
            if copied != member.size() {
                return Err(archive(
                    path,
                    format!(
                        "{shown} holds {copied} bytes, its header says {}",
                        member.size()
                    ),
                ));
            }
            w.flush().map_err(|e| SceneError::io(&out, e))?;
        }
        let marker = staging.path().join(COMPLETE);
        std::fs::write(&marker, format!("{}\n", path.display()))
            .map_err(|e| SceneError::io(&marker, e))?;
        let staged = staging.keep();
        if let Err(e) = std::fs::rename(&staged, &done) {
            // Another run may have unpacked the same archive meanwhile: use its copy.
            let _ = std::fs::remove_dir_all(&staged);
            if !done.join(COMPLETE).is_file() {
                return Err(SceneError::io(&done, e));
            }
        }
    }
    let mut scene = read_safe(&safe_dir)?;
    scene.source = path.to_path_buf();
    Ok(scene)
}

/// `rel` as a relative path of plain components (`None` for `..`, absolute or
/// empty names).
fn safe_relative(rel: &str) -> Option<PathBuf> {
    if rel.is_empty() || rel.contains('\\') || rel.contains('\0') {
        return None;
    }
    let p = PathBuf::from(rel);
    p.components()
        .all(|c| matches!(c, Component::Normal(_)))
        .then_some(p)
}

/// A folder-name-safe form of `s`.
fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The archive's identity: its absolute path, size and modification time.
fn cache_key(path: &Path, meta: &std::fs::Metadata) -> String {
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let mut h = Sha256::new();
    h.update(abs.to_string_lossy().as_bytes());
    h.update(meta.len().to_le_bytes());
    h.update(mtime.to_le_bytes());
    h.finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn archive(path: &Path, problem: String) -> SceneError {
    SceneError::Archive {
        path: path.to_path_buf(),
        problem,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn member_names_stay_inside_the_product() {
        assert!(safe_relative("GRANULE/L2A_x/MTD_TL.xml").is_some());
        for bad in ["", "../x", "GRANULE/../../x", "/etc/passwd", "a\\b", "./x"] {
            assert!(safe_relative(bad).is_none(), "{bad:?}");
        }
        assert_eq!(sanitize("S2A_MSIL2A_x.SAFE"), "S2A_MSIL2A_x.SAFE");
        assert_eq!(sanitize("a/b c"), "a_b_c");
    }
}
