//! The `tiff` crate's decoder as the GeoTIFF and mask readers set it up: over the
//! [`Overlay`] that patches header bytes, under the reader's [`Limits`]; its errors
//! mapped to [`RasterError`], its decoded chunks to [`BandBuffer`]s.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use tiff::decoder::{Decoder, DecodingResult};
use tiff::TiffError;

use super::buffer::BandBuffer;
use super::error::{ChunkRef, Malformation, RasterError, UnsupportedFeature};
use super::limits::Limits;
use super::overlay::Overlay;

/// A `tiff` decoder reading a file through its patch overlay.
pub(super) type TiffDecoder = Decoder<Overlay<BufReader<File>>>;

/// `value` as `width` bytes in the file's byte order.
pub(super) fn endian_bytes(value: u64, width: usize, big_endian: bool) -> Vec<u8> {
    if big_endian {
        let b = value.to_be_bytes();
        b.get(b.len().saturating_sub(width)..)
            .unwrap_or(&[])
            .to_vec()
    } else {
        value.to_le_bytes().into_iter().take(width).collect()
    }
}

/// A decoder on `reader` with `patches` applied, under `limits`.
pub(super) fn new_decoder(
    path: &Path,
    reader: BufReader<File>,
    patches: &[(u64, Vec<u8>)],
    limits: &Limits,
) -> Result<TiffDecoder, RasterError> {
    let d = Decoder::new(Overlay::new(reader, patches.to_vec()))
        .map_err(|e| tiff_error(path, None, e))?;
    Ok(d.with_limits(limits.to_tiff()))
}

/// Maps a `tiff` crate error to the raster error families.
pub(super) fn tiff_error(path: &Path, chunk: Option<ChunkRef>, e: TiffError) -> RasterError {
    let path = path.to_path_buf();
    match e {
        TiffError::FormatError(f) => RasterError::Malformed {
            path,
            chunk,
            detail: Malformation::Tiff(f),
        },
        TiffError::UnsupportedError(u) => RasterError::Unsupported {
            path,
            chunk,
            feature: UnsupportedFeature::Decoder(u),
        },
        TiffError::IoError(io)
            if matches!(
                io.kind(),
                std::io::ErrorKind::InvalidData
                    | std::io::ErrorKind::InvalidInput
                    | std::io::ErrorKind::UnexpectedEof
            ) =>
        {
            RasterError::Malformed {
                path,
                chunk,
                detail: Malformation::Stream(io),
            }
        }
        TiffError::IoError(source) => RasterError::Io { path, source },
        other => RasterError::Malformed {
            path,
            chunk,
            detail: Malformation::Decoder(other),
        },
    }
}

/// A decoded chunk as a [`BandBuffer`]; `None` for sample types reclaim does not read.
pub(super) fn from_decoding(r: DecodingResult) -> Option<BandBuffer> {
    Some(match r {
        DecodingResult::U8(v) => BandBuffer::U8(v),
        DecodingResult::I8(v) => BandBuffer::I8(v),
        DecodingResult::U16(v) => BandBuffer::U16(v),
        DecodingResult::I16(v) => BandBuffer::I16(v),
        DecodingResult::U32(v) => BandBuffer::U32(v),
        DecodingResult::I32(v) => BandBuffer::I32(v),
        DecodingResult::F32(v) => BandBuffer::F32(v),
        DecodingResult::F64(v) => BandBuffer::F64(v),
        _ => return None,
    })
}
