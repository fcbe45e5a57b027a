//! Typed errors of the raster layer.
//!
//! Four families, kept apart so callers can react differently:
//! *broken input* ([`RasterError::Malformed`]), *unsupported feature*
//! ([`RasterError::Unsupported`]), *limits exceeded* ([`RasterError::LimitExceeded`])
//! and *caller misuse* (band, block or window out of range). Every message names the
//! file and says what to do next.

use std::fmt;
use std::path::PathBuf;

use super::limits::LimitKind;
use crate::grid::Window;

/// The gdal_translate command that rewrites a file into something reclaim reads.
const CONVERT_HINT: &str =
    "convert with `gdal_translate -co COMPRESS=DEFLATE -co TILED=YES in.tif out.tif`";

/// Errors opening or reading a GeoTIFF.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum RasterError {
    /// The file could not be opened or read.
    #[error("{}: cannot read the file: {source}; check the path and permissions", .path.display())]
    Io {
        /// The raster file.
        path: PathBuf,
        /// What the system said.
        #[source]
        source: std::io::Error,
    },
    /// The file is not a valid TIFF or its data is damaged.
    #[error("{}: malformed {}{}: {detail}; {}", .path.display(), .detail.format(), at(*.chunk), .detail.fix())]
    Malformed {
        /// The raster file.
        path: PathBuf,
        /// The strip or tile where it was found, if in one.
        chunk: Option<ChunkRef>,
        /// What is broken.
        detail: Malformation,
    },
    /// The file uses a TIFF feature reclaim does not decode.
    #[error("{}: unsupported: {feature}{}; {}", .path.display(), at(*.chunk), .feature.hint())]
    Unsupported {
        /// The raster file.
        path: PathBuf,
        /// The strip or tile where it was found, if in one.
        chunk: Option<ChunkRef>,
        /// The feature.
        feature: UnsupportedFeature,
    },
    /// A size declared by the file or requested by the caller is over a [`Limits`](super::Limits) cap.
    #[error("{}: {what} {requested} exceeds the limit {limit} (Limits::{}); if the file is trusted, raise it (max_block_mib / max_window_mib under [limits] in the audit configuration)", .path.display(), .what.field())]
    LimitExceeded {
        /// The raster file.
        path: PathBuf,
        /// Which cap.
        what: LimitKind,
        /// The size asked for, bytes.
        requested: u64,
        /// The cap, bytes.
        limit: u64,
    },
    /// A band number outside `1..=bands` was requested.
    #[error("{}: band {band} does not exist; the file has bands 1..={bands}", .path.display())]
    BandOutOfRange {
        /// The raster file.
        path: PathBuf,
        /// The band asked for (1-based).
        band: usize,
        /// The file's band count.
        bands: usize,
    },
    /// A block outside the block grid was requested.
    #[error("{}: block (col {block_col}, row {block_row}) does not exist; the file has {blocks_across} × {blocks_down} blocks", .path.display())]
    BlockOutOfRange {
        /// The raster file.
        path: PathBuf,
        /// Column of the block asked for.
        block_col: usize,
        /// Row of the block asked for.
        block_row: usize,
        /// Blocks across the raster.
        blocks_across: usize,
        /// Blocks down the raster.
        blocks_down: usize,
    },
    /// A window reaching outside the raster (or empty) was requested.
    #[error("{}: window {window:?} is empty or outside the {width} × {height} raster; clip it to the raster first", .path.display())]
    WindowOutOfRange {
        /// The raster file.
        path: PathBuf,
        /// The window asked for.
        window: Window,
        /// The raster's width, cells.
        width: usize,
        /// The raster's height, cells.
        height: usize,
    },
    /// The path is a folder, a FIFO or a device, not a regular file.
    #[error(transparent)]
    Input(crate::input::InputError),
}

impl From<crate::input::InputError> for RasterError {
    /// A missing or unreadable file stays [`RasterError::Io`].
    fn from(e: crate::input::InputError) -> Self {
        match e {
            crate::input::InputError::Io { path, source } => RasterError::Io { path, source },
            other => RasterError::Input(other),
        }
    }
}

/// Which strip or tile an error refers to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChunkRef {
    /// True for tiles, false for strips.
    pub tiled: bool,
    /// Chunk index in file order (planes after one another).
    pub index: usize,
}

fn at(chunk: Option<ChunkRef>) -> String {
    match chunk {
        Some(c) => format!(" in {} {}", if c.tiled { "tile" } else { "strip" }, c.index),
        None => String::new(),
    }
}

/// The gdal_translate command that rewrites a JPEG 2000 file into a GeoTIFF.
const JP2_HINT: &str = "convert with `gdal_translate -of GTiff -co COMPRESS=DEFLATE -co TILED=YES in.jp2 out.tif`, or build reclaim with `--features gdal`";

/// What exactly is broken in a malformed file.
#[derive(Debug)]
#[non_exhaustive]
pub enum Malformation {
    /// The file does not start with `II*\0`, `MM\0*` or a BigTIFF header.
    NotTiff,
    /// A structure points past the end of the file.
    Truncated {
        /// The structure.
        what: &'static str,
        /// Its offset in the file, bytes.
        offset: u64,
    },
    /// The chain of image directories loops back on itself.
    IfdCycle {
        /// The directory's offset seen twice, bytes.
        offset: u64,
    },
    /// A required tag is missing.
    MissingTag {
        /// The TIFF tag number.
        tag: u16,
    },
    /// A tag has a value of the wrong type, count or range.
    BadTag {
        /// The TIFF tag number.
        tag: u16,
        /// What is wrong with its value.
        reason: &'static str,
    },
    /// Width or height is zero.
    ZeroDimension {
        /// The declared width, cells.
        width: u64,
        /// The declared height, cells.
        height: u64,
    },
    /// A decoded chunk is smaller than the image geometry requires.
    ShortChunk {
        /// Bytes the geometry needs.
        expected: u64,
        /// Bytes decoded.
        got: u64,
    },
    /// The `tiff` crate found a structural error.
    Tiff(tiff::TiffFormatError),
    /// The compressed stream of a chunk could not be decoded.
    Stream(std::io::Error),
    /// The `tiff` decoder reported an inconsistency (sizes, chunk indices).
    Decoder(tiff::TiffError),
    /// A JPEG 2000 structure or tile is damaged (what, in words).
    Jpeg2000(String),
}

impl Malformation {
    /// The format the damaged file claims to be.
    fn format(&self) -> &'static str {
        match self {
            Malformation::Jpeg2000(_) => "JPEG 2000",
            _ => "TIFF",
        }
    }

    /// What to do about it.
    fn fix(&self) -> &'static str {
        match self {
            Malformation::Jpeg2000(_) => "the file is damaged or cut off, download or re-create it",
            _ => "the file is damaged or not a TIFF, re-create it or re-export it with `gdal_translate in.tif out.tif`",
        }
    }
}

impl fmt::Display for Malformation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Malformation::NotTiff => f.write_str("no TIFF or BigTIFF signature"),
            Malformation::Truncated { what, offset } => {
                write!(f, "{what} at byte {offset} lies past the end of the file")
            }
            Malformation::IfdCycle { offset } => {
                write!(f, "image directory chain loops back to byte {offset}")
            }
            Malformation::MissingTag { tag } => write!(f, "required tag {tag} is missing"),
            Malformation::BadTag { tag, reason } => write!(f, "tag {tag}: {reason}"),
            Malformation::ZeroDimension { width, height } => {
                write!(f, "image is {width} × {height} pixels")
            }
            Malformation::ShortChunk { expected, got } => {
                write!(f, "decoded {got} samples where {expected} were expected")
            }
            Malformation::Tiff(e) => write!(f, "{e}"),
            Malformation::Stream(e) => write!(f, "compressed data is corrupt: {e}"),
            Malformation::Decoder(e) => write!(f, "{e}"),
            Malformation::Jpeg2000(what) => f.write_str(what),
        }
    }
}

/// A TIFF feature reclaim refuses, with the reason and a way out.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum UnsupportedFeature {
    /// Compression other than none, LZW, DEFLATE, PackBits, ZSTD.
    Compression {
        /// The TIFF Compression code.
        code: u16,
    },
    /// A sample format / bit depth outside u8…f64 (1-bit, 64-bit integers, f16, complex).
    SampleType {
        /// The TIFF SampleFormat code.
        format: u16,
        /// Bits per sample.
        bits: u16,
    },
    /// Samples of different bit depths or formats in one pixel.
    MixedSamples,
    /// Photometric interpretation whose samples are not bands (YCbCr, CMYK, CIE Lab…).
    Photometric {
        /// The TIFF PhotometricInterpretation code.
        code: u16,
    },
    /// A predictor that does not fit the sample type (floating-point on integers) or is unknown.
    Predictor {
        /// The TIFF Predictor code.
        code: u16,
    },
    /// Something the `tiff` crate refuses.
    Decoder(tiff::TiffUnsupportedError),
    /// A JPEG 2000 feature the per-tile JPEG 2000 reader does not decode (what, in words).
    Jpeg2000(String),
}

impl UnsupportedFeature {
    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            UnsupportedFeature::Jpeg2000(_) => JP2_HINT,
            _ => CONVERT_HINT,
        }
    }
}

/// GDAL-style name of a TIFF compression code.
pub fn compression_name(code: u16) -> Option<&'static str> {
    Some(match code {
        1 => "none",
        2 => "CCITTRLE",
        3 => "CCITTFAX3",
        4 => "CCITTFAX4",
        5 => "LZW",
        6 => "OJPEG",
        7 => "JPEG",
        8 => "DEFLATE",
        32773 => "PACKBITS",
        32946 => "DEFLATE",
        34712 => "JPEG2000",
        34887 => "LERC",
        34925 => "LZMA",
        50000 => "ZSTD",
        50001 => "WEBP",
        50002 => "JXL",
        _ => return None,
    })
}

impl fmt::Display for UnsupportedFeature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UnsupportedFeature::Compression { code } => match compression_name(*code) {
                Some(name) => write!(f, "{name} compression"),
                None => write!(f, "compression code {code}"),
            },
            UnsupportedFeature::SampleType { format, bits } => {
                let kind = match format {
                    1 => "unsigned integer",
                    2 => "signed integer",
                    3 => "floating-point",
                    4 => "untyped",
                    5 => "complex integer",
                    6 => "complex floating-point",
                    _ => "unknown-format",
                };
                write!(f, "{bits}-bit {kind} samples (reclaim reads 8/16/32-bit integers and 32/64-bit floats)")
            }
            UnsupportedFeature::MixedSamples => {
                f.write_str("samples of different bit depths or formats")
            }
            UnsupportedFeature::Photometric { code } => {
                let name = match code {
                    5 => "CMYK (separated)",
                    6 => "YCbCr",
                    8 => "CIE L*a*b*",
                    9 => "ICC L*a*b*",
                    10 => "ITU L*a*b*",
                    32844 | 32845 => "LogLuv",
                    _ => "unknown",
                };
                write!(f, "{name} photometric interpretation (code {code})")
            }
            UnsupportedFeature::Predictor { code } => {
                write!(f, "predictor {code} for this sample type")
            }
            UnsupportedFeature::Decoder(e) => write!(f, "{e}"),
            UnsupportedFeature::Jpeg2000(what) => write!(f, "JPEG 2000 with {what}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unsupported_message_names_file_chunk_and_fix() {
        let e = RasterError::Unsupported {
            path: PathBuf::from("a/b.tif"),
            chunk: Some(ChunkRef {
                tiled: true,
                index: 3,
            }),
            feature: UnsupportedFeature::Compression { code: 7 },
        };
        let s = e.to_string();
        assert!(
            s.starts_with(
                "a/b.tif: unsupported: JPEG compression in tile 3; convert with `gdal_translate"
            ),
            "{s}"
        );
    }

    #[test]
    fn limit_message_names_the_field() {
        let e = RasterError::LimitExceeded {
            path: PathBuf::from("x.tif"),
            what: LimitKind::BlockBytes,
            requested: 10,
            limit: 5,
        };
        let s = e.to_string();
        assert!(
            s.contains("10 exceeds the limit 5 (Limits::max_block_bytes)"),
            "{s}"
        );
    }

    #[test]
    fn compression_names() {
        assert_eq!(compression_name(32946), Some("DEFLATE"));
        assert_eq!(compression_name(50001), Some("WEBP"));
        assert_eq!(compression_name(999), None);
        let f = UnsupportedFeature::Compression { code: 999 };
        assert_eq!(f.to_string(), "compression code 999");
    }
}
