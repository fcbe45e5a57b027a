//! The first directory's layout, checked before the `tiff` decoder sees the file:
//! sample type, planar configuration, block grid and chunk count against the
//! [`Limits`]; what cannot be decoded is recorded as a refusal (the file still
//! opens, for `info`), and photometric values the decoder would reject are patched
//! to MinIsBlack (see `overlay`).

use std::path::Path;

use crate::raster::blocks::BlockGrid;
use crate::raster::error::{Malformation, RasterError, UnsupportedFeature};
use crate::raster::info::SampleType;
use crate::raster::limits::{LimitKind, Limits};
use crate::raster::scan::{tag, TiffScan};
use crate::raster::tiff_decoder::endian_bytes;

/// Compression codes decoded by the `tiff` crate as configured for reclaim.
const SUPPORTED_COMPRESSION: [u16; 6] = [1, 5, 8, 32946, 32773, 50000];
/// Photometric interpretations whose samples are plain bands (MinIsWhite,
/// MinIsBlack, RGB, Palette, transparency mask).
const PLAIN_PHOTOMETRIC: [u16; 5] = [0, 1, 2, 3, 4];
/// PhotometricInterpretation = MinIsBlack, shown to the decoder (see `overlay`).
const MIN_IS_BLACK: u64 = 1;

/// What `validate` derives from the first directory.
pub(super) struct Validated {
    pub(super) sample_type: SampleType,
    pub(super) bands: usize,
    pub(super) chunk_samples: usize,
    pub(super) grid: BlockGrid,
    pub(super) refusal: Option<UnsupportedFeature>,
    pub(super) patches: Vec<(u64, Vec<u8>)>,
}

/// Checks the layout before the decoder sees the file; decides refusals and patches.
pub(super) fn validate(
    path: &Path,
    scan: &TiffScan,
    limits: &Limits,
) -> Result<Validated, RasterError> {
    let f = &scan.first;
    let malformed = |tag, reason| RasterError::Malformed {
        path: path.to_path_buf(),
        chunk: None,
        detail: Malformation::BadTag { tag, reason },
    };
    let unsupported = |feature| RasterError::Unsupported {
        path: path.to_path_buf(),
        chunk: None,
        feature,
    };
    let bands = usize::from(f.samples);
    if f.bits.len() != 1 && f.bits.len() != bands {
        return Err(malformed(
            tag::BITS_PER_SAMPLE,
            "one value or one per sample expected",
        ));
    }
    let bits = f.bits.first().copied().unwrap_or(1);
    let format = f.sample_format.first().copied().unwrap_or(1);
    if f.bits.iter().any(|b| *b != bits) || f.sample_format.iter().any(|x| *x != format) {
        return Err(unsupported(UnsupportedFeature::MixedSamples));
    }
    let sample_type = SampleType::from_tiff(format, bits).ok_or_else(|| {
        unsupported(UnsupportedFeature::SampleType {
            format: u16::try_from(format).unwrap_or(u16::MAX),
            bits: u16::try_from(bits).unwrap_or(u16::MAX),
        })
    })?;
    let planar = match f.planar {
        1 => false,
        2 => bands > 1,
        _ => {
            return Err(malformed(
                tag::PLANAR_CONFIGURATION,
                "must be 1 (chunky) or 2 (planar)",
            ))
        }
    };
    let (planes, chunk_samples) = if planar { (bands, 1) } else { (1, bands) };
    let image_bytes = f
        .width
        .checked_mul(f.height)
        .and_then(|n| n.checked_mul(bands as u64))
        .and_then(|n| n.checked_mul(sample_type.size_bytes() as u64));
    if image_bytes.is_none() {
        return Err(RasterError::LimitExceeded {
            path: path.to_path_buf(),
            what: LimitKind::ImageBytes,
            requested: u64::MAX,
            limit: u64::MAX,
        });
    }
    let chunk_limit = |requested| RasterError::LimitExceeded {
        path: path.to_path_buf(),
        what: LimitKind::Chunks,
        requested,
        limit: limits.max_chunks,
    };
    let grid = BlockGrid::new(f.width, f.height, f.tile, f.rows_per_strip, planes)
        .ok_or_else(|| chunk_limit(u64::MAX))?;
    let chunks = grid.chunk_count().unwrap_or(usize::MAX) as u64;
    if chunks > limits.max_chunks {
        return Err(chunk_limit(chunks));
    }
    if f.tile
        .is_some_and(|(w, h)| w > u64::from(u32::MAX) || h > u64::from(u32::MAX))
    {
        return Err(malformed(tag::TILE_WIDTH, "tile size does not fit 32 bits"));
    }
    if f.offsets_count != chunks {
        let t = if grid.tiled {
            tag::TILE_OFFSETS
        } else {
            tag::STRIP_OFFSETS
        };
        return Err(malformed(
            t,
            "number of offsets does not match the image layout",
        ));
    }
    let photometric = f.photometric.map(|p| p.value);
    let refusal = if !SUPPORTED_COMPRESSION.contains(&f.compression) {
        Some(UnsupportedFeature::Compression {
            code: f.compression,
        })
    } else if let Some(code) = photometric.filter(|p| !PLAIN_PHOTOMETRIC.contains(p)) {
        Some(UnsupportedFeature::Photometric { code })
    } else {
        match f.predictor {
            1 | 2 => None,
            3 if sample_type.is_float() => None,
            code => Some(UnsupportedFeature::Predictor { code }),
        }
    };
    let mut patches = Vec::new();
    if let Some(p) = f
        .photometric
        .filter(|p| p.value != 1 && PLAIN_PHOTOMETRIC.contains(&p.value))
    {
        patches.push((p.pos, endian_bytes(MIN_IS_BLACK, p.width, scan.big_endian)));
    }
    Ok(Validated {
        sample_type,
        bands,
        chunk_samples,
        grid,
        refusal,
        patches,
    })
}
