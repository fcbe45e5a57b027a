//! Per-dataset masks, as GDAL writes and reads them.
//!
//! GDAL marks invalid cells of a GeoTIFF with a mask instead of (or besides) a
//! nodata value: an *internal mask* — a directory of the same file with
//! NewSubfileType = 4 (transparency mask of the full-resolution image) and
//! PhotometricInterpretation = 4, usually 1 bit per pixel — or, failing that, a
//! sidecar `file.tif.msk` (a TIFF whose first band is the mask). A mask value of 0
//! is an invalid cell; anything else valid. reclaim reads masked cells as nodata.

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use tiff::decoder::{ChunkType, DecodingResult};
use tiff::ColorType;

use super::error::{Malformation, RasterError, UnsupportedFeature};
use super::limits::Limits;
use super::scan::{self, tag};
use super::tiff_decoder::{endian_bytes, new_decoder, tiff_error, TiffDecoder};
use crate::grid::Window;

/// Where a raster's mask comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MaskSource {
    /// A transparency-mask directory inside the file.
    Internal,
    /// The `.msk` sidecar.
    Sidecar(PathBuf),
}

/// A mask reader: one decoder positioned on the mask directory, with the last
/// decoded chunk kept (unpacked to one byte per cell, 0 = masked).
#[derive(Debug)]
pub(crate) struct MaskReader {
    /// The file holding the mask (the raster itself or its sidecar).
    path: PathBuf,
    source: MaskSource,
    ifd: usize,
    patches: Vec<(u64, Vec<u8>)>,
    limits: Limits,
    decoder: TiffDecoder,
    width: usize,
    height: usize,
    chunk_w: usize,
    chunk_h: usize,
    across: usize,
    bits: u8,
    /// Samples per pixel of the mask image (band 1 is read).
    samples: usize,
    cache: Option<(usize, Vec<u8>)>,
}

impl MaskReader {
    /// The mask of the raster at `path` (`width × height`): its internal mask
    /// directory `internal` (position in the chain, photometric entry, byte order)
    /// when it has one, else `path.msk` when that exists, else none.
    pub fn find(
        path: &Path,
        internal: Option<(usize, Option<scan::PhotometricEntry>, bool)>,
        width: usize,
        height: usize,
        limits: Limits,
    ) -> Result<Option<MaskReader>, RasterError> {
        if let Some((ifd, photometric, big_endian)) = internal {
            let patches = photometric
                .filter(|p| p.value != 1)
                .map(|p| vec![(p.pos, endian_bytes(1, p.width, big_endian))])
                .unwrap_or_default();
            let m = MaskReader::open(path, MaskSource::Internal, ifd, patches, limits)?;
            return m.checked(width, height).map(Some);
        }
        let mut side = path.as_os_str().to_owned();
        side.push(".msk");
        let side = PathBuf::from(side);
        if !side.is_file() {
            return Ok(None);
        }
        let io = |source| RasterError::Io {
            path: side.clone(),
            source,
        };
        let file = File::open(&side).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let s = scan::scan(&mut BufReader::new(file), len, &side, &limits)?;
        let patches = s
            .first
            .photometric
            .filter(|p| p.value != 1)
            .map(|p| vec![(p.pos, endian_bytes(1, p.width, s.big_endian))])
            .unwrap_or_default();
        let m = MaskReader::open(&side, MaskSource::Sidecar(side.clone()), 0, patches, limits)?;
        m.checked(width, height).map(Some)
    }

    /// Where the mask comes from.
    pub fn source(&self) -> &MaskSource {
        &self.source
    }

    /// Bits per mask cell (1 or 8).
    pub fn bits(&self) -> u8 {
        self.bits
    }

    fn checked(self, width: usize, height: usize) -> Result<MaskReader, RasterError> {
        if (self.width, self.height) != (width, height) {
            return Err(RasterError::Malformed {
                path: self.path.clone(),
                chunk: None,
                detail: Malformation::BadTag {
                    tag: tag::IMAGE_WIDTH,
                    reason: "the mask's size differs from the image's",
                },
            });
        }
        Ok(self)
    }

    fn open(
        path: &Path,
        source: MaskSource,
        ifd: usize,
        patches: Vec<(u64, Vec<u8>)>,
        limits: Limits,
    ) -> Result<MaskReader, RasterError> {
        let io = |source| RasterError::Io {
            path: path.to_path_buf(),
            source,
        };
        let reader = BufReader::new(File::open(path).map_err(io)?);
        let err = |e| tiff_error(path, None, e);
        let mut decoder = new_decoder(path, reader, &patches, &limits)?;
        decoder.seek_to_image(ifd).map_err(err)?;
        let (w, h) = decoder.dimensions().map_err(err)?;
        let (samples, bits) = match decoder.colortype().map_err(err)? {
            ColorType::Gray(b) => (1, b),
            ColorType::Multiband {
                bit_depth,
                num_samples,
            } => (usize::from(num_samples), bit_depth),
            other => {
                return Err(RasterError::Unsupported {
                    path: path.to_path_buf(),
                    chunk: None,
                    feature: UnsupportedFeature::Decoder(
                        tiff::TiffUnsupportedError::UnsupportedColorType(other),
                    ),
                })
            }
        };
        if !(bits == 1 || bits == 8) || (bits == 1 && samples != 1) {
            return Err(RasterError::Unsupported {
                path: path.to_path_buf(),
                chunk: None,
                feature: UnsupportedFeature::SampleType {
                    format: 1,
                    bits: u16::from(bits),
                },
            });
        }
        let (cw, ch) = decoder.chunk_dimensions();
        let (width, height) = (w as usize, h as usize);
        let (chunk_w, chunk_h) = match decoder.get_chunk_type() {
            ChunkType::Tile => (cw as usize, ch as usize),
            ChunkType::Strip => (width, ch as usize),
        };
        if chunk_w == 0 || chunk_h == 0 {
            return Err(RasterError::Malformed {
                path: path.to_path_buf(),
                chunk: None,
                detail: Malformation::BadTag {
                    tag: tag::TILE_WIDTH,
                    reason: "the mask's chunks are empty",
                },
            });
        }
        Ok(MaskReader {
            path: path.to_path_buf(),
            source,
            ifd,
            patches,
            limits,
            decoder,
            width,
            height,
            chunk_w,
            chunk_h,
            across: width.div_ceil(chunk_w),
            bits,
            samples,
            cache: None,
        })
    }

    /// A fresh reader on the same mask, for another thread.
    pub fn try_clone(&self) -> Result<MaskReader, RasterError> {
        MaskReader::open(
            &self.path,
            self.source.clone(),
            self.ifd,
            self.patches.clone(),
            self.limits,
        )
    }

    /// Mask over `win` into `out` (one byte per cell, row by row: 0 masked, 1 valid).
    pub fn read_window_into(&mut self, win: Window, out: &mut Vec<u8>) -> Result<(), RasterError> {
        out.clear();
        out.resize(win.len(), 1);
        if win.is_empty() {
            return Ok(());
        }
        let c0 = win.col_off / self.chunk_w;
        let c1 = (win.col_off + win.width - 1) / self.chunk_w;
        let r0 = win.row_off / self.chunk_h;
        let r1 = (win.row_off + win.height - 1) / self.chunk_h;
        for br in r0..=r1 {
            for bc in c0..=c1 {
                let chunk = Window {
                    col_off: bc * self.chunk_w,
                    row_off: br * self.chunk_h,
                    width: self
                        .chunk_w
                        .min(self.width.saturating_sub(bc * self.chunk_w)),
                    height: self
                        .chunk_h
                        .min(self.height.saturating_sub(br * self.chunk_h)),
                };
                let Some(o) = chunk.intersect(&win) else {
                    continue;
                };
                let index = br * self.across + bc;
                self.ensure(index, chunk)?;
                let Some((_, cells)) = &self.cache else {
                    continue;
                };
                for r in o.row_off..o.row_off + o.height {
                    let s0 = (r - chunk.row_off) * chunk.width + o.col_off - chunk.col_off;
                    let d0 = (r - win.row_off) * win.width + o.col_off - win.col_off;
                    if let (Some(s), Some(d)) =
                        (cells.get(s0..s0 + o.width), out.get_mut(d0..d0 + o.width))
                    {
                        d.copy_from_slice(s);
                    }
                }
            }
        }
        Ok(())
    }

    /// Decodes mask chunk `index` (covering `chunk`, clipped to the image) into the
    /// cache, one byte per cell.
    fn ensure(&mut self, index: usize, chunk: Window) -> Result<(), RasterError> {
        if self.cache.as_ref().is_some_and(|(i, _)| *i == index) {
            return Ok(());
        }
        let malformed = |detail| RasterError::Malformed {
            path: self.path.clone(),
            chunk: None,
            detail,
        };
        let at = u32::try_from(index).map_err(|_| {
            malformed(Malformation::BadTag {
                tag: tag::TILE_OFFSETS,
                reason: "too many mask chunks",
            })
        })?;
        let decoded = self
            .decoder
            .read_chunk(at)
            .map_err(|e| tiff_error(&self.path, None, e))?;
        let DecodingResult::U8(raw) = decoded else {
            return Err(malformed(Malformation::BadTag {
                tag: tag::BITS_PER_SAMPLE,
                reason: "the mask is not 1- or 8-bit",
            }));
        };
        // The decoder returns the chunk clipped to the image (rows of `chunk.width`
        // cells; 1-bit rows padded to whole bytes).
        let (w, h) = (chunk.width, chunk.height);
        let mut cells = Vec::with_capacity(w * h);
        if self.bits == 1 {
            let row_bytes = w.div_ceil(8);
            for r in 0..h {
                let row = raw.get(r * row_bytes..(r + 1) * row_bytes);
                let Some(row) = row else {
                    return Err(malformed(Malformation::ShortChunk {
                        expected: (w * h) as u64,
                        got: (raw.len() * 8) as u64,
                    }));
                };
                cells.extend(
                    (0..w).map(|c| (row.get(c / 8).copied().unwrap_or(0) >> (7 - c % 8)) & 1),
                );
            }
        } else {
            let spp = self.samples.max(1);
            if raw.len() < w * h * spp {
                return Err(malformed(Malformation::ShortChunk {
                    expected: (w * h * spp) as u64,
                    got: raw.len() as u64,
                }));
            }
            cells.extend(
                raw.iter()
                    .step_by(spp)
                    .take(w * h)
                    .map(|&v| u8::from(v != 0)),
            );
        }
        self.cache = Some((index, cells));
        Ok(())
    }
}
