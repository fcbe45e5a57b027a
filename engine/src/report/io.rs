//! Reading and writing report files with size caps and errors that name the file.

use super::error::ReportError;
use std::io::Read;
use std::path::Path;

/// Reads a UTF-8 text file, refusing files over `limit` bytes.
///
/// # Errors
/// [`ReportError::Io`] (also for invalid UTF-8), [`ReportError::TooLarge`].
pub fn read_capped(path: &Path, limit: u64) -> Result<String, ReportError> {
    let io = |source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    };
    // A FIFO would block and a device never end: regular files only.
    let file = crate::input::open_regular(path).map_err(|e| match e {
        crate::input::InputError::Io { source, .. } => io(source),
        other => ReportError::Input(other),
    })?;
    let size = file.metadata().map_err(io)?.len();
    if size > limit {
        return Err(ReportError::TooLarge {
            path: path.to_path_buf(),
            size,
            limit,
        });
    }
    let mut text = String::new();
    // `take` guards against a file that grows while being read.
    file.take(limit).read_to_string(&mut text).map_err(io)?;
    Ok(text)
}

/// Writes `bytes` to `path` (the audit runner swaps the whole folder atomically).
///
/// # Errors
/// [`ReportError::Io`] naming `path`.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), ReportError> {
    std::fs::write(path, bytes).map_err(|source| ReportError::Io {
        path: path.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn over_the_limit_is_refused_with_sizes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_file(&p, b"0123456789").unwrap();
        assert_eq!(read_capped(&p, 10).unwrap(), "0123456789");
        match read_capped(&p, 9) {
            Err(ReportError::TooLarge { size, limit, .. }) => assert_eq!((size, limit), (10, 9)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_file_names_the_path() {
        let e = read_capped(Path::new("/no/such/summary.json"), 10)
            .unwrap_err()
            .to_string();
        assert!(e.contains("/no/such/summary.json"), "{e}");
    }
}
