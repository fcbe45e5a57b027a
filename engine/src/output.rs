//! Writing outputs atomically: a reader sees the old file or the whole new one,
//! never a half-written file, and a failed run leaves nothing behind.

use crate::error::Error;
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `bytes` to `path` through a temporary file in the same folder, synced
/// and renamed into place.
///
/// # Errors
/// [`Error::Output`] naming `path` when the folder is missing or not writable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let err = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let tmp = temp_sibling(path);
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// A hidden temporary name next to `path` (same filesystem, so rename is atomic).
pub fn temp_sibling(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_atomic(&p, b"x,y\n").unwrap();
        write_atomic(&p, b"z\n").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"z\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn missing_folder_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/a.csv");
        let e = write_atomic(&p, b"x").unwrap_err().to_string();
        assert!(e.contains("a.csv"), "{e}");
    }
}
