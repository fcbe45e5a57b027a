//! Allocation and work limits for reading untrusted GeoTIFFs.
//!
//! Every size that comes from a file (decoded chunk, requested window, number of
//! directories, number of chunks) is checked against these limits
//! *before* anything is allocated, so a 200-byte header that claims a
//! 4-billion-pixel strip is refused instead of exhausting memory.

use serde::Serialize;
use std::fmt;

const MIB: u64 = 1024 * 1024;

/// Caps on what one [`GeoTiff`](super::GeoTiff) may allocate or walk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Limits {
    /// Largest decoded chunk (strip or tile, all its samples), in bytes.
    pub max_block_bytes: u64,
    /// Largest window returned by `read_window` / `read_band`, in bytes.
    pub max_window_bytes: u64,
    /// Most image file directories (main image, overviews, masks) walked.
    pub max_ifds: usize,
    /// Most chunks (strips or tiles, all planes) one image may declare; this also
    /// bounds the strip/tile offset arrays read from the header.
    pub max_chunks: u64,
}

impl Default for Limits {
    /// Generous for real imagery (a 100 000 × 100 000 COG opens and streams), but
    /// stops decompression bombs and absurd headers.
    fn default() -> Limits {
        Limits {
            max_block_bytes: 256 * MIB,
            max_window_bytes: 2048 * MIB,
            max_ifds: 1024,
            max_chunks: 1 << 22,
        }
    }
}

impl Limits {
    /// The limits handed to the `tiff` decoder (one decoded chunk, one tag's values).
    pub(crate) fn to_tiff(self) -> tiff::decoder::Limits {
        let mut l = tiff::decoder::Limits::default();
        l.decoding_buffer_size = usize::try_from(self.max_block_bytes).unwrap_or(usize::MAX);
        // Compressed bytes of one chunk: incompressible data grows slightly under
        // DEFLATE/LZW, so allow twice the decoded cap before calling it a bomb.
        l.intermediate_buffer_size =
            usize::try_from(self.max_block_bytes.saturating_mul(2)).unwrap_or(usize::MAX);
        l
    }
}

/// Which limit a request ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum LimitKind {
    /// Decoded size of one strip or tile.
    BlockBytes,
    /// Compressed size of one strip or tile (allowed up to twice `max_block_bytes`).
    CompressedBytes,
    /// Size of a requested window or whole band.
    WindowBytes,
    /// Number of image file directories.
    Ifds,
    /// Number of strips or tiles.
    Chunks,
    /// width × height × bands × sample size does not fit in 64 bits.
    ImageBytes,
}

impl LimitKind {
    /// The `Limits` field that governs this kind (for the error message).
    pub fn field(&self) -> &'static str {
        match self {
            LimitKind::BlockBytes => "max_block_bytes",
            LimitKind::CompressedBytes => "max_block_bytes (x2)",
            LimitKind::WindowBytes => "max_window_bytes",
            LimitKind::Ifds => "max_ifds",
            LimitKind::Chunks => "max_chunks",
            LimitKind::ImageBytes => "(64-bit size)",
        }
    }
}

impl fmt::Display for LimitKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LimitKind::BlockBytes => "decoded strip/tile size in bytes",
            LimitKind::CompressedBytes => "compressed strip/tile size in bytes",
            LimitKind::WindowBytes => "window size in bytes",
            LimitKind::Ifds => "number of image directories",
            LimitKind::Chunks => "number of strips/tiles",
            LimitKind::ImageBytes => "image size in bytes",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_generous_but_finite() {
        let l = Limits::default();
        assert_eq!(l.max_block_bytes, 256 * 1024 * 1024);
        assert_eq!(l.max_window_bytes, 2 * 1024 * 1024 * 1024);
        assert!(l.max_ifds >= 64);
        let t = l.to_tiff();
        assert_eq!(t.decoding_buffer_size, 256 * 1024 * 1024);
        assert_eq!(t.intermediate_buffer_size, 512 * 1024 * 1024);
    }

    #[test]
    fn kind_names_the_field() {
        assert_eq!(LimitKind::WindowBytes.field(), "max_window_bytes");
        assert_eq!(LimitKind::Chunks.to_string(), "number of strips/tiles");
    }
}
