//! A shapefile's sidecar files, found the way the readers find them.
//!
//! A shapefile is several files with one stem: `pits.shp` and beside it `pits.shx`
//! (record index), `pits.dbf` (attributes), `pits.prj` (CRS) and `pits.cpg` (text
//! encoding). Files copied from Windows often have other letter cases (`PITS.DBF`,
//! `pits.Prj`). [`sidecar`] finds one: `stem.ext`, then `stem.EXT`, then any file of
//! the folder whose name matches `stem.ext` ignoring ASCII case. [`sidecars`] lists
//! all of them that exist — the files a read of the layer actually opens, so that
//! whoever records what was read (an audit's provenance hashes) names the same files.

use std::path::{Path, PathBuf};

/// The sidecar extensions reclaim looks for beside a `.shp`, lower case, in the
/// order [`sidecars`] lists them: `.shx` (checked against the `.shp` when present),
/// `.dbf` (required), `.prj` (optional CRS), `.cpg` (optional encoding).
pub const SIDECAR_EXTENSIONS: [&str; 4] = ["shx", "dbf", "prj", "cpg"];

/// The sidecar of `path` with extension `ext` (lower case, without the dot),
/// matched case-insensitively; `None` when there is none.
///
/// Tries `path` with extension `ext`, then `EXT`, then scans `path`'s folder for a
/// name equal to `stem.ext` ignoring ASCII case. A folder of that name does not
/// count; any other file does (a FIFO or device is then refused by the reader that
/// opens it, by name). `path` need not exist; a `.dbf` path finds its own `.cpg`.
///
/// ```no_run
/// use std::path::Path;
/// // next to pits.shp: PITS.DBF
/// let dbf = reclaim::vector::sidecar(Path::new("data/pits.shp"), "dbf");
/// assert_eq!(dbf.as_deref(), Some(Path::new("data/PITS.DBF")));
/// ```
pub fn sidecar(path: &Path, ext: &str) -> Option<PathBuf> {
    for candidate in [
        path.with_extension(ext),
        path.with_extension(ext.to_ascii_uppercase()),
    ] {
        // Anything but a folder: a FIFO or device sidecar is then refused by name.
        if candidate.metadata().is_ok_and(|m| !m.is_dir()) {
            return Some(candidate);
        }
    }
    let stem = path.file_stem()?.to_str()?;
    let wanted = format!("{stem}.{ext}");
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::read_dir(&dir)
        .ok()?
        .flatten()
        .map(|e| e.path())
        .find(|p| {
            p.metadata().is_ok_and(|m| !m.is_dir())
                && p.file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.eq_ignore_ascii_case(&wanted))
        })
}

/// Every sidecar of the shapefile `shp` that exists, as `(extension, path)` in the
/// order of [`SIDECAR_EXTENSIONS`], each found by [`sidecar`].
pub fn sidecars(shp: &Path) -> Vec<(&'static str, PathBuf)> {
    SIDECAR_EXTENSIONS
        .iter()
        .filter_map(|ext| sidecar(shp, ext).map(|p| (*ext, p)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sidecars_are_found_case_insensitively() {
        let dir = tempfile::tempdir().unwrap();
        let shp = dir.path().join("pits.shp");
        std::fs::write(&shp, b"").unwrap();
        std::fs::write(dir.path().join("PITS.DBF"), b"").unwrap();
        std::fs::write(dir.path().join("pits.Prj"), b"").unwrap();
        assert_eq!(sidecar(&shp, "dbf"), Some(dir.path().join("PITS.DBF")));
        assert_eq!(sidecar(&shp, "prj"), Some(dir.path().join("pits.Prj")));
        assert_eq!(sidecar(&shp, "cpg"), None);
    }

    #[test]
    fn sidecars_lists_the_existing_ones_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let shp = dir.path().join("pits.shp");
        std::fs::write(&shp, b"").unwrap();
        std::fs::write(dir.path().join("pits.cpg"), b"").unwrap();
        std::fs::write(dir.path().join("PITS.DBF"), b"").unwrap();
        std::fs::write(dir.path().join("pits.SHX"), b"").unwrap();
        // a folder is not a sidecar
        std::fs::create_dir(dir.path().join("pits.prj")).unwrap();
        assert_eq!(
            sidecars(&shp),
            vec![
                ("shx", dir.path().join("pits.SHX")),
                ("dbf", dir.path().join("PITS.DBF")),
                ("cpg", dir.path().join("pits.cpg")),
            ]
        );
    }
}
