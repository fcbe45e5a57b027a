//! Decoding one chunk of a [`GeoTiff`] into its cache: a sparse chunk is filled,
//! an uncompressed or DEFLATE one is decoded here only as far as the read needs (see
//! `direct`), anything else by the `tiff` crate, whole. Every size is checked
//! against the [`Limits`](crate::raster::Limits) first. Also the errors that name the
//! file and the chunk.

use tiff::decoder::DecodingResult;
use tiff::TiffError;

use super::copy::filled;
use super::geotiff::GeoTiff;
use crate::grid::Window;
use crate::raster::buffer::BandBuffer;
use crate::raster::direct::DirectError;
use crate::raster::error::{ChunkRef, Malformation, RasterError, UnsupportedFeature};
use crate::raster::limits::LimitKind;
use crate::raster::tiff_decoder::{from_decoding, tiff_error};

impl GeoTiff {
    /// Decodes at least the top `rows` rows of chunk `index` (covering `block`) into
    /// the cache unless they are there. Uncompressed and DEFLATE chunks are decoded
    /// only that far (see `direct`); others whole.
    pub(super) fn ensure_chunk(
        &mut self,
        index: usize,
        block: Window,
        rows: usize,
    ) -> Result<(), RasterError> {
        if self
            .cache
            .as_ref()
            .is_some_and(|(i, r, _)| *i == index && *r >= rows)
        {
            return Ok(());
        }
        // The chunk decoded before goes; its allocation is reused by a direct decode.
        let reuse = self.cache.take().map(|(_, _, b)| b);
        let at = Some(self.chunk_ref(index));
        if let Some(feature) = &self.refusal {
            return Err(RasterError::Unsupported {
                path: self.path.clone(),
                chunk: at,
                feature: feature.clone(),
            });
        }
        let ty = self.info.sample_type;
        self.check_block_bytes()?;
        let compressed = self.chunk_bytes.get(index).copied().unwrap_or(0);
        let compressed_cap = self.limits.max_block_bytes.saturating_mul(2);
        if compressed > compressed_cap {
            return Err(self.limit(LimitKind::CompressedBytes, compressed, compressed_cap));
        }
        // Rows come back at the full block width (padding included): the decoder then
        // reads whole encoded rows, which is both the layout the predictors were
        // applied to and the read pattern its LZW stream handles best.
        let stride = self.grid.block_width;
        let needed = stride * block.height * self.chunk_samples;
        // An uncompressed chunk must hold all its samples: the decoder would read on
        // past a short byte count into whatever follows it (libtiff refuses too).
        let needed_bytes = (needed * ty.size_bytes()) as u64;
        if self.info.compression == "none" && compressed != 0 && compressed < needed_bytes {
            return Err(self.malformed(
                Some(index),
                Malformation::ShortChunk {
                    expected: needed as u64,
                    got: compressed / ty.size_bytes() as u64,
                },
            ));
        }
        if compressed == 0 {
            // GDAL's sparse files: a chunk never written reads as nodata (or 0).
            self.cache = Some((index, block.height, filled(ty, needed, self.sparse_fill)));
            return Ok(());
        }
        if let Some(codec) = self.direct {
            let rows = rows.clamp(1, block.height);
            let offset = self.chunk_offsets.get(index).copied().unwrap_or(0);
            let row_samples = stride * self.chunk_samples;
            let size = ty.size_bytes() as u64;
            let mut buf = reuse.unwrap_or_else(|| BandBuffer::zeros(ty, 0));
            self.chunks
                .decode(&codec, offset, compressed, row_samples, rows, &mut buf)
                .map_err(|e| match e {
                    DirectError::Io(source) => RasterError::Io {
                        path: self.path.clone(),
                        source,
                    },
                    DirectError::Truncated { offset } => self.malformed(
                        Some(index),
                        Malformation::Truncated {
                            what: if self.grid.tiled {
                                "tile data"
                            } else {
                                "strip data"
                            },
                            offset,
                        },
                    ),
                    DirectError::Stream(e) => self.malformed(Some(index), Malformation::Stream(e)),
                    DirectError::Short { expected, got } => self.malformed(
                        Some(index),
                        Malformation::ShortChunk {
                            expected: expected / size,
                            got: got / size,
                        },
                    ),
                })?;
            self.cache = Some((index, rows, buf));
            return Ok(());
        }
        let chunk = u32::try_from(index)
            .map_err(|_| self.limit(LimitKind::Chunks, index as u64, u64::from(u32::MAX)))?;
        let row_bytes = stride * self.chunk_samples * ty.size_bytes();
        let mut decoded = DecodingResult::U8(Vec::new());
        self.decoder
            .read_chunk_to_buffer(&mut decoded, chunk, row_bytes)
            .map_err(|e| self.tiff_error(at, e))?;
        let buf = from_decoding(decoded)
            .filter(|b| b.sample_type() == ty)
            .ok_or_else(|| RasterError::Unsupported {
                path: self.path.clone(),
                chunk: at,
                feature: UnsupportedFeature::SampleType {
                    format: 0,
                    bits: (ty.size_bytes() * 8) as u16,
                },
            })?;
        if buf.len() < needed {
            return Err(self.malformed(
                Some(index),
                Malformation::ShortChunk {
                    expected: needed as u64,
                    got: buf.len() as u64,
                },
            ));
        }
        self.cache = Some((index, block.height, buf));
        Ok(())
    }

    /// Refuses chunks whose decoded size is over `max_block_bytes`. The nominal
    /// (unclipped) size is budgeted: the decoder may return full-height edge tiles.
    pub(super) fn check_block_bytes(&self) -> Result<(), RasterError> {
        let nominal = (self.grid.block_width as u64)
            .saturating_mul(self.grid.block_height as u64)
            .saturating_mul(self.chunk_samples as u64)
            .saturating_mul(self.info.sample_type.size_bytes() as u64);
        if nominal > self.limits.max_block_bytes {
            return Err(self.limit(LimitKind::BlockBytes, nominal, self.limits.max_block_bytes));
        }
        Ok(())
    }

    fn chunk_ref(&self, index: usize) -> ChunkRef {
        ChunkRef {
            tiled: self.grid.tiled,
            index,
        }
    }

    pub(super) fn limit(&self, what: LimitKind, requested: u64, limit: u64) -> RasterError {
        RasterError::LimitExceeded {
            path: self.path.clone(),
            what,
            requested,
            limit,
        }
    }

    pub(super) fn malformed(&self, index: Option<usize>, detail: Malformation) -> RasterError {
        RasterError::Malformed {
            path: self.path.clone(),
            chunk: index.map(|i| self.chunk_ref(i)),
            detail,
        }
    }

    pub(super) fn tiff_error(&self, chunk: Option<ChunkRef>, e: TiffError) -> RasterError {
        tiff_error(&self.path, chunk, e)
    }
}
