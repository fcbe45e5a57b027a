//! Zipped Sentinel-2 L2A products (`S2x_MSIL2A_….SAFE.zip` or `….zip`, as the
//! Copernicus Data Space hands them out) → [`Scene`].
//!
//! JPEG 2000 is read with random access, which a deflated zip member does not
//! give, so the files the reader needs are unpacked into reclaim's cache folder
//! (`$RECLAIM_CACHE_DIR/unzipped-v1`, see [`crate::cache_dir`]) and read from
//! there: `MTD_MSIL2A.xml` and `GRANULE/*/MTD_TL.xml` when the product is listed
//! (`reclaim scenes`, a season's search), the B04, B08 (10 m) and SCL (20 m) bands —
//! about a third of a product — only when the scene enters a composite. The folder
//! is named after the archive's path, size and modification time, so a rerun reuses
//! it and a new download unpacks again; each file is renamed into place when
//! complete, so a half-written file is never read. The archive itself is only read.
//!
//! Hostile archives: member names are never used as paths beyond the product's
//! own layout (no `..`, no absolute names), sizes are bounded, and CRCs are checked
//! while unpacking; any damage is an error naming the archive.

use super::error::SceneError;
use super::safe::{read_safe_with, BandFiles, L1C_METADATA, PRODUCT_METADATA, TILE_METADATA};
use super::scene::Scene;
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Component, Path, PathBuf};

/// Sub-folder of the cache folder holding unpacked products (versioned layout).
const UNZIPPED_DIR: &str = "unzipped-v1";
/// A member larger than this is refused (a 10 980² 16-bit band is ~240 MB raw).
const MAX_MEMBER: u64 = 4 << 30;
/// Metadata members larger than this are refused.
const MAX_METADATA: u64 = 64 << 20;

/// Band files a scene needs, by the end of their file name.
const BAND_SUFFIXES: [&str; 3] = ["_B04_10m.jp2", "_B08_10m.jp2", "_SCL_20m.jp2"];

/// Reads the zipped product `path`: its metadata is unpacked into the cache folder
/// (`$RECLAIM_CACHE_DIR`, else the XDG cache; the system's temporary folder when
/// neither is set); its bands only when the scene is used ([`unpack_bands`]).
///
/// # Errors
/// As [`read_safe_zip_in`].
pub fn read_safe_zip(path: &Path) -> Result<Scene, SceneError> {
    let root = crate::cache_dir::location().unwrap_or_else(|| std::env::temp_dir().join("reclaim"));
    read_safe_zip_in(path, &root)
}

/// Reads the zipped product `path`, unpacking its metadata into
/// `cache_root/unzipped-v1/`. The scene's band paths point where
/// [`unpack_bands`] puts them.
///
/// # Errors
/// [`SceneError::Archive`] for a damaged or unreadable archive (or members too
/// large), [`SceneError::Unrecognised`] for a zip holding no L2A product,
/// [`SceneError::Refused`] for a Level-1C one, [`SceneError::Io`] when the cache
/// folder cannot be written, and the errors of [`read_safe`](super::read_safe) on the product.
pub fn read_safe_zip_in(path: &Path, cache_root: &Path) -> Result<Scene, SceneError> {
    let mut a = Archive::open(path, cache_root)?;
    a.unpack(false)?;
    let mut scene = read_safe_with(&a.safe_dir, BandFiles::Listed)?;
    scene.source = path.to_path_buf();
    Ok(scene)
}

/// Unpacks the band files of a scene read from a zip ([`read_safe_zip`]) when they
/// are not there yet; nothing for other scenes.
///
/// # Errors
/// As [`read_safe_zip_in`], and [`SceneError::FileMissing`] when the archive does
/// not hold a band its metadata lists.
pub fn unpack_bands(scene: &Scene) -> Result<(), SceneError> {
    let is_zip = scene
        .source
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    let mut bands = vec![&scene.red.path, &scene.nir.path];
    bands.extend(scene.mask.as_ref().map(|m| &m.band.path));
    if !is_zip || bands.iter().all(|p| p.is_file()) {
        return Ok(());
    }
    // The product folder in the cache: the band's ancestor holding the metadata.
    let safe_dir = scene
        .red
        .path
        .ancestors()
        .find(|d| d.join(PRODUCT_METADATA).is_file())
        .map(Path::to_path_buf)
        .ok_or_else(|| SceneError::FileMissing {
            meta: scene.source.clone(),
            role: "red band B04".into(),
            file: scene.red.path.clone(),
        })?;
    let mut a = Archive::open_into(&scene.source, safe_dir)?;
    a.unpack(true)?;
    for (p, role) in bands.into_iter().zip([
        "red band B04",
        "near-infrared band B08",
        "scene classification SCL",
    ]) {
        if !p.is_file() {
            return Err(SceneError::FileMissing {
                meta: scene.source.clone(),
                role: role.into(),
                file: p.clone(),
            });
        }
    }
    Ok(())
}

/// An open zipped product and where it unpacks.
struct Archive {
    path: PathBuf,
    zip: zip::ZipArchive<std::io::BufReader<File>>,
    /// Member index, path inside the product, whether it is a band.
    members: Vec<(usize, PathBuf, bool)>,
    /// The product's folder in the cache.
    safe_dir: PathBuf,
}

impl Archive {
    /// Opens `path` and finds the product in it; it unpacks under `cache_root`.
    fn open(path: &Path, cache_root: &Path) -> Result<Archive, SceneError> {
        let (zip, members, product) = Self::read(path)?;
        let meta = std::fs::metadata(path).map_err(|e| SceneError::io(path, e))?;
        let dir = cache_root.join(UNZIPPED_DIR).join(format!(
            "{}-{}",
            sanitize(&product),
            cache_key(path, &meta)
        ));
        Ok(Archive {
            path: path.to_path_buf(),
            zip,
            members,
            safe_dir: dir.join(product),
        })
    }

    /// Opens `path` to unpack into the product folder `safe_dir`.
    fn open_into(path: &Path, safe_dir: PathBuf) -> Result<Archive, SceneError> {
        let (zip, members, _) = Self::read(path)?;
        Ok(Archive {
            path: path.to_path_buf(),
            zip,
            members,
            safe_dir,
        })
    }

    /// The archive, the members a scene needs, and the product's folder name.
    #[allow(clippy::type_complexity)]
    fn read(
        path: &Path,
    ) -> Result<
        (
            zip::ZipArchive<std::io::BufReader<File>>,
            Vec<(usize, PathBuf, bool)>,
            String,
        ),
        SceneError,
    > {
        let file = crate::input::open_regular(path).map_err(|e| archive(path, e.to_string()))?;
        let zip = zip::ZipArchive::new(std::io::BufReader::new(file))
            .map_err(|e| archive(path, e.to_string()))?;
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
        // The product's folder inside the archive: where MTD_MSIL2A.xml lies, at
        // the top or one folder down (`X.SAFE/MTD_MSIL2A.xml`).
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
                reason: format!(
                    "a zip archive without a Sentinel-2 L2A product ({PRODUCT_METADATA})"
                ),
            });
        };
        let product = match prefix.trim_end_matches('/') {
            "" => path
                .file_stem()
                .map(|s| s.to_string_lossy().trim_end_matches(".SAFE").to_string() + ".SAFE")
                .unwrap_or_else(|| "product.SAFE".into()),
            p => p.to_string(),
        };
        let mut members = Vec::new();
        for (i, name) in names.iter().enumerate() {
            let Some(rel) = name.strip_prefix(&prefix) else {
                continue;
            };
            let Some(rel_path) = safe_relative(rel) else {
                continue;
            };
            let parts: Vec<&str> = rel.split('/').collect();
            let band = match parts.as_slice() {
                [m] if *m == PRODUCT_METADATA => false,
                ["GRANULE", _, m] if *m == TILE_METADATA => false,
                ["GRANULE", _, "IMG_DATA", .., f]
                    if BAND_SUFFIXES.iter().any(|s| f.ends_with(s)) =>
                {
                    true
                }
                _ => continue,
            };
            members.push((i, rel_path, band));
        }
        Ok((zip, members, product))
    }

    /// Unpacks the metadata members (`bands`: the band members) that are not there
    /// yet. Each file is written under a temporary name beside its place and
    /// renamed into it when complete, so a file in the cache is always whole.
    fn unpack(&mut self, bands: bool) -> Result<(), SceneError> {
        let path = self.path.clone();
        for (index, rel, is_band) in self.members.clone() {
            if is_band != bands {
                continue;
            }
            let out = self.safe_dir.join(&rel);
            if out.is_file() {
                continue;
            }
            let mut member = self
                .zip
                .by_index(index)
                .map_err(|e| archive(&path, e.to_string()))?;
            if member.is_dir() {
                continue;
            }
            let shown = rel.display().to_string();
            let limit = if is_band { MAX_MEMBER } else { MAX_METADATA };
            if member.size() > limit {
                return Err(archive(
                    &path,
                    format!(
                        "{shown} claims {} bytes, more than a product holds",
                        member.size()
                    ),
                ));
            }
            let parent = out.parent().unwrap_or(&self.safe_dir).to_path_buf();
            std::fs::create_dir_all(&parent).map_err(|e| SceneError::io(&parent, e))?;
            let mut tmp = tempfile::Builder::new()
                .prefix(".part-")
                .tempfile_in(&parent)
                .map_err(|e| SceneError::io(&parent, e))?;
            // Reading to the end checks the member's CRC; `take` bounds a member
            // whose data runs past its declared size.
            let copied = std::io::copy(&mut (&mut member).take(limit + 1), tmp.as_file_mut())
                .map_err(|e| archive(&path, format!("{shown}: {e}")))?;
            if copied != member.size() {
                return Err(archive(
                    &path,
                    format!(
                        "{shown} holds {copied} bytes, its header says {}",
                        member.size()
                    ),
                ));
            }
            tmp.as_file_mut()
                .flush()
                .map_err(|e| SceneError::io(&out, e))?;
            tmp.persist(&out)
                .map_err(|e| SceneError::io(&out, e.error))?;
        }
        Ok(())
    }
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
