//! One codestream tile as a codestream of its own, decoded to integer samples.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;

use hayro_jpeg2000::error::{DecodeError, FormatError, MarkerError};
use hayro_jpeg2000::{DecodeSettings, DecoderContext, Image};

use super::codestream::Codestream;
use super::errors::{io, limit, malformed, unsupported};
use crate::grid::Window;
use crate::raster::buffer::BandBuffer;
use crate::raster::error::RasterError;
use crate::raster::info::SampleType;
use crate::raster::limits::{LimitKind, Limits};

/// SOC, then EOC.
const SOC: [u8; 2] = [0xFF, 0x4F];
const EOC: [u8; 2] = [0xFF, 0xD9];

/// The codestream of tile `index` alone: SOC, SIZ shrunk to the tile (kept at its
/// place on the reference grid), the other main-header segments, the tile's
/// tile-parts renumbered to tile 0, EOC.
pub(super) fn build(
    path: &Path,
    file: &mut File,
    cs: &Codestream,
    index: usize,
    win: Window,
    limits: &Limits,
) -> Result<Vec<u8>, RasterError> {
    let parts = cs.parts.get(index).map_or(&[][..], Vec::as_slice);
    if parts.is_empty() {
        return Err(malformed(
            path,
            Some(index),
            "the tile has no tile-part in the codestream",
        ));
    }
    let data: u64 = parts.iter().map(|p| u64::from(p.1)).sum();
    let cap = limits.max_block_bytes.saturating_mul(2);
    if data > cap {
        return Err(limit(path, LimitKind::CompressedBytes, data, cap));
    }
    let s = &cs.siz;
    // Pixel coordinates are reference-grid coordinates less the image offset.
    let x0 = s.xosiz + win.col_off as u32;
    let y0 = s.yosiz + win.row_off as u32;
    let (x1, y1) = (x0 + win.width as u32, y0 + win.height as u32);
    let mut b = Vec::with_capacity(data as usize + cs.header.len() + 64);
    b.extend_from_slice(&SOC);
    b.extend_from_slice(&s.one_tile(x0, y0, x1, y1));
    b.extend_from_slice(&cs.header);
    for &(offset, len) in parts {
        let at = b.len();
        b.resize(at + len as usize, 0);
        file.seek(SeekFrom::Start(offset))
            .and_then(|_| file.read_exact(&mut b[at..]))
            .map_err(|e| {
                if e.kind() == std::io::ErrorKind::UnexpectedEof {
                    malformed(path, Some(index), "tile data lies past the end of the file")
                } else {
                    io(path, e)
                }
            })?;
        // SOT: marker, Lsot, Isot (→ 0), Psot (→ the length, also when it was 0).
        b[at + 4..at + 6].copy_from_slice(&0u16.to_be_bytes());
        b[at + 6..at + 10].copy_from_slice(&len.to_be_bytes());
    }
    b.extend_from_slice(&EOC);
    Ok(b)
}

/// Decodes tile `index` (covering `win` of the image) into one buffer per band.
pub(super) fn decode(
    path: &Path,
    file: &mut File,
    cs: &Codestream,
    index: usize,
    win: Window,
    ty: SampleType,
    limits: &Limits,
) -> Result<Vec<BandBuffer>, RasterError> {
    // The decoder holds f32 samples of every component.
    let bytes = (win.len() as u64)
        .saturating_mul(cs.siz.components.len() as u64)
        .saturating_mul(4);
    if bytes > limits.max_block_bytes {
        return Err(limit(
            path,
            LimitKind::BlockBytes,
            bytes,
            limits.max_block_bytes,
        ));
    }
    let stream = build(path, file, cs, index, win, limits)?;
    let settings = DecodeSettings {
        resolve_palette_indices: false,
        strict: false,
        target_resolution: None,
    };
    // The decoder is fuzzed but third-party: a panic on a damaged tile is an error.
    let decoded = catch_unwind(AssertUnwindSafe(|| -> Result<_, Failure> {
        let image = Image::new(&stream, &settings).map_err(Failure::Decoder)?;
        if (image.width() as usize, image.height() as usize) != (win.width, win.height) {
            return Err(Failure::Other("decoded tile size differs from the tile's"));
        }
        let mut ctx = DecoderContext::default();
        let img = image.decode(&mut ctx).map_err(Failure::Decoder)?;
        let comps = img.components();
        if comps.len() != cs.siz.components.len() {
            return Err(Failure::Other("decoded component count differs from SIZ"));
        }
        comps
            .iter()
            .enumerate()
            .map(|(c, data)| {
                let (bits, signed) = cs.siz.precision(c);
                let samples = data.samples();
                if samples.len() != win.len() {
                    return Err(Failure::Other(
                        "decoded sample count differs from the tile's",
                    ));
                }
                convert(samples, bits, signed, ty, cs.reversible)
            })
            .collect::<Result<Vec<_>, _>>()
    }));
    match decoded {
        Ok(Ok(bands)) => Ok(bands),
        Ok(Err(Failure::Decoder(e))) => Err(match e {
            DecodeError::Marker(MarkerError::Unsupported)
            | DecodeError::Format(FormatError::Unsupported) => {
                unsupported(path, Some(index), format!("{e} (decoder)"))
            }
            _ => malformed(path, Some(index), e.to_string()),
        }),
        Ok(Err(Failure::Other(what))) => Err(malformed(path, Some(index), what)),
        Err(_) => Err(malformed(
            path,
            Some(index),
            "the decoder failed on the tile data",
        )),
    }
}

enum Failure {
    Decoder(DecodeError),
    Other(&'static str),
}

/// f32 samples of a `bits`-bit component to `ty`: the decoder's DC level shift is
/// undone for signed components, values are clamped to the component's range (as
/// OpenJPEG does) and, for lossless codestreams, must be integers.
fn convert(
    samples: &[f32],
    bits: u8,
    signed: bool,
    ty: SampleType,
    reversible: bool,
) -> Result<BandBuffer, Failure> {
    let (shift, lo, hi) = if signed {
        let half = 1i32 << (bits - 1);
        (half, -half, half - 1)
    } else {
        (0, 0, (1i32 << bits) - 1)
    };
    let mut inexact = false;
    let mut to_int = |v: f32| -> i32 {
        let r = v.round_ties_even();
        inexact |= r != v;
        (r as i32 - shift).clamp(lo, hi)
    };
    let out = match ty {
        SampleType::U8 => BandBuffer::U8(samples.iter().map(|&v| to_int(v) as u8).collect()),
        SampleType::U16 => BandBuffer::U16(samples.iter().map(|&v| to_int(v) as u16).collect()),
        SampleType::I16 => BandBuffer::I16(samples.iter().map(|&v| to_int(v) as i16).collect()),
        _ => return Err(Failure::Other("unexpected sample type")),
    };
    if reversible && inexact {
        return Err(Failure::Other(
            "a lossless (reversible) tile decoded to non-integer samples",
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn convert_shifts_clamps_and_checks() {
        let Ok(BandBuffer::I16(v)) = convert(&[0.0, 1.0, 70000.0], 16, true, SampleType::I16, true)
        else {
            panic!("i16 expected")
        };
        assert_eq!(v, vec![-32768, -32767, 32767]);
        let Ok(BandBuffer::U16(v)) =
            convert(&[-3.0, 32767.0, 40000.0], 15, false, SampleType::U16, true)
        else {
            panic!("u16 expected")
        };
        assert_eq!(v, vec![0, 32767, 32767]);
        assert!(convert(&[1.5], 8, false, SampleType::U8, true).is_err());
        let Ok(BandBuffer::U8(v)) = convert(&[1.4, 2.5], 8, false, SampleType::U8, false) else {
            panic!("u8 expected")
        };
        assert_eq!(v, vec![1, 2]);
    }
}
