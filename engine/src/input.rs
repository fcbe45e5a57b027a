//! Opening input files safely: only regular files (a FIFO would block forever, a
//! device such as `/dev/zero` would fill memory), and never more bytes than a cap.
//!
//! Symlinks are followed and the *target's* type is checked, so a link to
//! `/dev/zero` is refused by name. Whole-file reads go through
//! [`read_capped`], which reads at most `cap + 1` bytes (`File::take`), so a file
//! whose size lies (a device, a file growing while read) cannot get past the cap.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

/// What a path is, when reclaim needs a regular file (or a folder) there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FileKind {
    /// A regular file.
    File,
    /// A directory (folder).
    Directory,
    /// A named pipe (FIFO).
    Fifo,
    /// A character device (`/dev/zero`, a terminal …).
    CharDevice,
    /// A block device (a disk).
    BlockDevice,
    /// A Unix socket.
    Socket,
    /// Anything else the platform has.
    Other,
}

impl FileKind {
    /// The kind of the file `m` describes.
    pub fn of(m: &std::fs::Metadata) -> FileKind {
        let t = m.file_type();
        if t.is_file() {
            return FileKind::File;
        }
        if t.is_dir() {
            return FileKind::Directory;
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if t.is_fifo() {
                return FileKind::Fifo;
            }
            if t.is_char_device() {
                return FileKind::CharDevice;
            }
            if t.is_block_device() {
                return FileKind::BlockDevice;
            }
            if t.is_socket() {
                return FileKind::Socket;
            }
        }
        FileKind::Other
    }
}

impl std::fmt::Display for FileKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            FileKind::File => "regular file",
            FileKind::Directory => "folder",
            FileKind::Fifo => "named pipe (FIFO)",
            FileKind::CharDevice => "character device",
            FileKind::BlockDevice => "block device",
            FileKind::Socket => "socket",
            FileKind::Other => "special file",
        })
    }
}

/// Which cap a file went over (each has its own way to raise it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cap {
    /// A vector layer file (.geojson, .shp, .dbf, .shx): `vector::ReadOptions::max_file_bytes`.
    Vector,
    /// An audit configuration file (fixed).
    Config,
}

impl Cap {
    fn hint(self) -> &'static str {
        match self {
            Cap::Vector => {
                "if the file is genuine, raise max_vector_mib under [limits] in the audit configuration (vector::ReadOptions::max_file_bytes)"
            }
            Cap::Config => {
                "an audit configuration is a small text file: check that --config names the .toml file"
            }
        }
    }
}

/// An input that is not a regular file, is too large, or cannot be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum InputError {
    /// The path is a folder, a FIFO, a device … (after following symlinks).
    #[error("{}: is a {kind}{}, not a regular file; reclaim reads inputs only from regular files: give the path of the data file itself{}", .path.display(), .target.as_ref().map(|t| format!(" (a symlink to {})", t.display())).unwrap_or_default(), if *.kind == FileKind::Directory { "" } else { " (copy the data into a file first)" })]
    NotAFile {
        /// The path as given.
        path: PathBuf,
        /// What it is.
        kind: FileKind,
        /// Where it leads, when the path is a symlink.
        target: Option<PathBuf>,
    },
    /// The file holds more bytes than the cap.
    #[error("{}: the file is larger than {} MiB ({}), the cap for {}; {}", .path.display(), .limit >> 20, .size.map(|s| format!("{s} bytes")).unwrap_or_else(|| "it kept growing while read".into()), match .cap { Cap::Vector => "a vector layer file", Cap::Config => "an audit configuration" }, .cap.hint())]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its declared size, when that is over the cap (`None` when more bytes came
        /// than it declared).
        size: Option<u64>,
        /// The cap, bytes.
        limit: u64,
        /// Which cap.
        cap: Cap,
    },
    /// The operating system refused to open or read it.
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The operating-system error.
        #[source]
        source: std::io::Error,
    },
}

/// Checks that `path` (symlinks followed) is a regular file, without opening it
/// (opening a FIFO blocks until a writer comes).
///
/// # Errors
/// [`InputError::NotAFile`], or [`InputError::Io`] when it does not exist.
pub fn check_regular(path: &Path) -> Result<std::fs::Metadata, InputError> {
    let m = std::fs::metadata(path).map_err(|source| InputError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let kind = FileKind::of(&m);
    if kind != FileKind::File {
        let target = std::fs::symlink_metadata(path)
            .ok()
            .filter(|l| l.file_type().is_symlink())
            .and_then(|_| std::fs::canonicalize(path).ok());
        return Err(InputError::NotAFile {
            path: path.to_path_buf(),
            kind,
            target,
        });
    }
    Ok(m)
}

/// [`check_regular`], and its size at most `limit` bytes (for files read in
/// pieces rather than whole).
///
/// # Errors
/// As [`check_regular`]; [`InputError::TooLarge`].
pub fn check_capped(path: &Path, limit: u64, cap: Cap) -> Result<std::fs::Metadata, InputError> {
    let m = check_regular(path)?;
    if m.len() > limit {
        return Err(InputError::TooLarge {
            path: path.to_path_buf(),
            size: Some(m.len()),
            limit,
            cap,
        });
    }
    Ok(m)
}

/// Opens `path` for reading after [`check_regular`], and checks the opened file
/// again (the path may have been swapped in between).
///
/// # Errors
/// As [`check_regular`]; [`InputError::Io`] when it cannot be opened.
pub fn open_regular(path: &Path) -> Result<File, InputError> {
    check_regular(path)?;
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    let f = File::open(path).map_err(io)?;
    let kind = FileKind::of(&f.metadata().map_err(io)?);
    if kind != FileKind::File {
        return Err(InputError::NotAFile {
            path: path.to_path_buf(),
            kind,
            target: None,
        });
    }
    Ok(f)
}

/// Reads the whole regular file `path`, refusing it when it holds more than
/// `limit` bytes (checked on its size, then on the bytes actually read).
///
/// # Errors
/// As [`open_regular`]; [`InputError::TooLarge`].
pub fn read_capped(path: &Path, limit: u64, cap: Cap) -> Result<Vec<u8>, InputError> {
    let f = open_regular(path)?;
    let too_large = |size| InputError::TooLarge {
        path: path.to_path_buf(),
        size,
        limit,
        cap,
    };
    let size = f
        .metadata()
        .map_err(|source| InputError::Io {
            path: path.to_path_buf(),
            source,
        })?
        .len();
    if size > limit {
        return Err(too_large(Some(size)));
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    f.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|source| InputError::Io {
            path: path.to_path_buf(),
            source,
        })?;
    if bytes.len() as u64 > limit {
        return Err(too_large(None));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_regular_file_reads_and_the_cap_is_exact() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.geojson");
        std::fs::write(&p, b"0123456789").unwrap();
        assert_eq!(read_capped(&p, 10, Cap::Vector).unwrap(), b"0123456789");
        match read_capped(&p, 9, Cap::Vector) {
            Err(InputError::TooLarge {
                size: Some(10),
                limit: 9,
                ..
            }) => {}
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_folder_is_refused_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let e = read_capped(dir.path(), 10, Cap::Config).unwrap_err();
        assert!(matches!(
            e,
            InputError::NotAFile {
                kind: FileKind::Directory,
                ..
            }
        ));
        assert!(e.to_string().contains("is a folder"), "{e}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symlink_to_dev_zero_is_refused_without_reading() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pits.geojson");
        std::os::unix::fs::symlink("/dev/zero", &p).unwrap();
        let e = read_capped(&p, 1 << 30, Cap::Vector).unwrap_err();
        let msg = e.to_string();
        assert!(
            matches!(
                e,
                InputError::NotAFile {
                    kind: FileKind::CharDevice,
                    ..
                }
            ),
            "{msg}"
        );
        assert!(
            msg.contains("pits.geojson") && msg.contains("/dev/zero"),
            "{msg}"
        );
    }
}
