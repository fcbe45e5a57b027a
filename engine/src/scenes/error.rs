//! Errors reading scenes: each names the file (or pattern) and says the fix.

use std::path::PathBuf;

/// Why a scene, a manifest or a season could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SceneError {
    /// The input path does not exist.
    #[error("{}: no such file or folder; check the path (a pattern needs `*`, `?` or `[...]`)", .path.display())]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// A file or folder could not be read.
    #[error("cannot read {}: {source}; check that it exists and is readable", .path.display())]
    Io {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        source: std::io::Error,
    },
    /// A metadata file is not well-formed XML.
    #[error("{}: not well-formed XML ({source}); the file is damaged or truncated: download the product again", .path.display())]
    Xml {
        /// The XML file.
        path: PathBuf,
        /// What the parser said.
        source: roxmltree::Error,
    },
    /// A metadata file is not valid JSON.
    #[error("{}: not valid JSON ({source}); the file is damaged or truncated: download the product again", .path.display())]
    Json {
        /// The JSON file.
        path: PathBuf,
        /// What the parser said.
        source: serde_json::Error,
    },
    /// A field the reader needs is absent from the metadata.
    #[error("{}: no {field}; {fix}", .path.display())]
    Missing {
        /// The metadata file.
        path: PathBuf,
        /// The field (element, key or column) that is missing.
        field: String,
        /// What to do about it.
        fix: String,
    },
    /// A field holds a value the reader cannot use.
    #[error("{}: {field} = {value:?} {problem}; {fix}", .path.display())]
    Invalid {
        /// The metadata file.
        path: PathBuf,
        /// The field (element, key or column).
        field: String,
        /// The value found.
        value: String,
        /// What is wrong with it.
        problem: String,
        /// What to do about it.
        fix: &'static str,
    },
    /// A band or mask file the metadata names is not there.
    #[error("{}: the {role} file {} does not exist; the product is incomplete: download or unpack it again", .meta.display(), .file.display())]
    FileMissing {
        /// The metadata that names (or the folder that should hold) the file.
        meta: PathBuf,
        /// Which file (`red band B04`, `QA_PIXEL mask`, …).
        role: String,
        /// The missing file.
        file: PathBuf,
    },
    /// A product this reader recognises but will not use (zipped, Level-1, …).
    #[error("{}: {reason}; {fix}", .path.display())]
    Refused {
        /// The product.
        path: PathBuf,
        /// Why it is refused (`Level-1C: top-of-atmosphere, use L2A`).
        reason: String,
        /// What to do instead.
        fix: String,
    },
    /// A zip archive that cannot be read (damaged, truncated, members too large).
    #[error("{}: a damaged or unreadable zip archive: {problem}; download it again, or unzip it and give the folder", .path.display())]
    Archive {
        /// The archive.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// A path that is no scene product, MTL file or manifest.
    #[error("{}: not a scene: {reason}; give a Sentinel-2 L2A .SAFE folder, a Landsat Collection 2 Level-2 folder or *_MTL.json/*_MTL.txt file, a scene manifest (.csv or .toml), or a folder holding these", .path.display())]
    Unrecognised {
        /// The path.
        path: PathBuf,
        /// What it looked like.
        reason: String,
    },
    /// A glob pattern that is malformed.
    #[error("pattern {pattern:?}: {problem}; write `*` for any characters, `?` for one, `[abc]` for a set")]
    BadPattern {
        /// The pattern.
        pattern: String,
        /// What the pattern parser said.
        problem: String,
    },
    /// A glob pattern that matches nothing.
    #[error("pattern {pattern:?} matches nothing; check the folder and the spelling (patterns are case-sensitive)")]
    NoMatch {
        /// The pattern.
        pattern: String,
    },
    /// A manifest line or table that is wrong.
    #[error("{}, {place}: {problem}; {fix}", .path.display())]
    Manifest {
        /// The manifest.
        path: PathBuf,
        /// Where (`line 3`, `[[scene]] 2`).
        place: String,
        /// What is wrong.
        problem: String,
        /// What to do about it.
        fix: String,
    },
    /// An unknown manifest column or key.
    #[error("{}, {place}: unknown {} {name:?}{}; known: {known}", .path.display(), if .place == "header" { "column" } else { "key" }, .suggestion.as_ref().map(|s| format!(" (did you mean {s:?}?)")).unwrap_or_default())]
    UnknownKey {
        /// The manifest.
        path: PathBuf,
        /// Where (`header` for a CSV column, `[[scene]] 2` or `top level` for a
        /// TOML key).
        place: String,
        /// The name found.
        name: String,
        /// The closest known name.
        suggestion: Option<&'static str>,
        /// The known names, comma-separated.
        known: &'static str,
    },
    /// A season window that cannot be used.
    #[error("{origin}: season {value:?} {problem}; write it as two MM-DD dates in order, e.g. [\"05-01\", \"09-30\"]")]
    Season {
        /// Where the window came from (`--season`, a config file).
        origin: String,
        /// The window as given.
        value: String,
        /// What is wrong.
        problem: String,
    },
}

impl SceneError {
    /// A [`SceneError::Io`] for `path`.
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> SceneError {
        SceneError::Io {
            path: path.into(),
            source,
        }
    }

    /// A [`SceneError::Missing`].
    pub(crate) fn missing(
        path: impl Into<PathBuf>,
        field: impl Into<String>,
        fix: impl Into<String>,
    ) -> SceneError {
        SceneError::Missing {
            path: path.into(),
            field: field.into(),
            fix: fix.into(),
        }
    }

    /// A [`SceneError::Invalid`].
    pub(crate) fn invalid(
        path: impl Into<PathBuf>,
        field: impl Into<String>,
        value: impl Into<String>,
        problem: impl Into<String>,
        fix: &'static str,
    ) -> SceneError {
        SceneError::Invalid {
            path: path.into(),
            field: field.into(),
            value: value.into(),
            problem: problem.into(),
            fix,
        }
    }
}

/// Metadata files larger than this are not metadata (a real `MTD_TL.xml` is
/// under 1 MB); refusing them keeps a wrong path from filling memory.
pub(crate) const MAX_METADATA_BYTES: u64 = 64 << 20;

/// Reads a metadata text file, refusing one that is too large or not UTF-8.
pub(crate) fn read_metadata(path: &std::path::Path) -> Result<String, SceneError> {
    let meta = std::fs::metadata(path).map_err(|e| SceneError::io(path, e))?;
    if meta.len() > MAX_METADATA_BYTES {
        return Err(SceneError::invalid(
            path,
            "size",
            format!("{} bytes", meta.len()),
            "is too large for a metadata file",
            "point at the product's metadata (MTD_MSIL2A.xml, *_MTL.json) or its folder",
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| SceneError::io(path, e))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        SceneError::invalid(
            path,
            "encoding",
            format!("invalid UTF-8 at byte {}", e.utf8_error().valid_up_to()),
            "is not text",
            "metadata files are UTF-8 text: download the product again",
        )
    })?;
    Ok(text
        .strip_prefix('\u{feff}')
        .map(str::to_string)
        .unwrap_or(text))
}
