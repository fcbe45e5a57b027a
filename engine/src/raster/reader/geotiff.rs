//! [`GeoTiff`]: open a GeoTIFF, describe it, and read blocks and windows of one band.
//!
//! Plan per read: find the blocks the window touches, decode each chunk once (the
//! last chunk is kept, so reading every band of one pixel-interleaved block decodes
//! it once), and copy the band's samples of the overlap into the output.

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::copy::copy_samples;
use super::describe::{describe, read_chunk_u64s, ChunkTag};
use super::layout::validate;
use crate::grid::{Grid, Window};
use crate::raster::blocks::BlockGrid;
use crate::raster::buffer::BandBuffer;
use crate::raster::direct::{ChunkReader, DirectCodec};
use crate::raster::error::{Malformation, RasterError, UnsupportedFeature};
use crate::raster::info::RasterInfo;
use crate::raster::limits::Limits;
use crate::raster::mask::{MaskReader, MaskSource};
use crate::raster::nodata::NoData;
use crate::raster::request;
use crate::raster::scan::{self, tag};
use crate::raster::tiff_decoder::{new_decoder, TiffDecoder};

/// An open GeoTIFF: its description and a decoder positioned on the full-resolution image.
#[derive(Debug)]
pub struct GeoTiff {
    pub(super) path: PathBuf,
    pub(super) info: RasterInfo,
    pub(super) limits: Limits,
    pub(super) grid: BlockGrid,
    /// Samples per pixel inside one chunk (bands when pixel-interleaved, 1 when planar).
    pub(super) chunk_samples: usize,
    /// Compressed byte count of every chunk, in file order.
    pub(super) chunk_bytes: Vec<u64>,
    /// Why chunks cannot be decoded (JPEG, WebP, YCbCr…); the file still opens for `info`.
    pub(super) refusal: Option<UnsupportedFeature>,
    /// Fill value of sparse (zero-length) chunks: nodata when the type holds it, else 0.
    pub(super) sparse_fill: f64,
    /// Header bytes patched for the decoder (see `overlay`), kept for `try_clone`.
    patches: Vec<(u64, Vec<u8>)>,
    pub(super) decoder: TiffDecoder,
    /// File offset of every chunk, in file order.
    pub(super) chunk_offsets: Vec<u64>,
    /// Set when chunks are uncompressed or DEFLATE: decoded here, not by `tiff`.
    pub(super) direct: Option<DirectCodec>,
    /// File handle and buffers of the direct decoder.
    pub(super) chunks: ChunkReader,
    /// The last decoded chunk (index, rows decoded from its top, interleaved samples).
    pub(super) cache: Option<(usize, usize, BandBuffer)>,
    /// The per-dataset mask (internal mask directory or `.msk` sidecar), if any.
    mask: Option<MaskReader>,
}

impl GeoTiff {
    /// Opens `path` with the default [`Limits`].
    ///
    /// # Errors
    /// [`RasterError::Io`] when the file cannot be read, [`RasterError::Malformed`]
    /// for broken TIFF structure, [`RasterError::Unsupported`] for sample types
    /// outside u8…f64, [`RasterError::LimitExceeded`] for absurd sizes.
    pub fn open(path: &Path) -> Result<GeoTiff, RasterError> {
        GeoTiff::open_with_limits(path, Limits::default())
    }

    /// Opens `path`, checking every size the header declares against `limits`.
    ///
    /// Compressions and photometric interpretations reclaim cannot decode (JPEG,
    /// WebP, LERC, YCbCr…) do not fail here, so `info` works; reads then return
    /// [`RasterError::Unsupported`].
    ///
    /// # Errors
    /// As [`GeoTiff::open`].
    pub fn open_with_limits(path: &Path, limits: Limits) -> Result<GeoTiff, RasterError> {
        let io = |source| RasterError::Io {
            path: path.to_path_buf(),
            source,
        };
        // A FIFO would block and a device never end: regular files only.
        let file = crate::input::open_regular(path)?;
        let len = file.metadata().map_err(io)?.len();
        let mut reader = BufReader::new(file);
        let scan = scan::scan(&mut reader, len, path, &limits)?;
        let v = validate(path, &scan, &limits)?;
        reader.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut decoder = new_decoder(path, reader, &v.patches, &limits)?;
        let chunk_bytes = read_chunk_u64s(path, &mut decoder, &v.grid, ChunkTag::ByteCounts)?;
        let chunk_offsets = read_chunk_u64s(path, &mut decoder, &v.grid, ChunkTag::Offsets)?;
        let mut info = describe(path, &mut decoder, &scan, &v)?;
        let internal = scan.mask.map(|m| (m.index, m.photometric, scan.big_endian));
        let mask = MaskReader::find(path, internal, info.width, info.height, limits)?;
        info.mask = mask.as_ref().map(|m| match m.source() {
            MaskSource::Internal => format!("internal, {}-bit", m.bits()),
            MaskSource::Sidecar(p) => format!("sidecar {}, {}-bit", p.display(), m.bits()),
        });
        let direct = match v.refusal {
            Some(_) => None,
            None => DirectCodec::for_layout(
                scan.first.compression,
                scan.first.predictor,
                scan.big_endian,
                v.sample_type,
                v.chunk_samples,
            ),
        };
        let chunks = ChunkReader::new(File::open(path).map_err(io)?);
        let sparse_fill = info
            .nodata
            .and_then(|n| NoData::new(n, v.sample_type).value())
            .filter(|x| !x.is_nan() || v.sample_type.is_float())
            .unwrap_or(0.0);
        Ok(GeoTiff {
            path: path.to_path_buf(),
            info,
            limits,
            grid: v.grid,
            chunk_samples: v.chunk_samples,
            chunk_bytes,
            refusal: v.refusal,
            sparse_fill,
            patches: v.patches,
            decoder,
            chunk_offsets,
            direct,
            chunks,
            cache: None,
            mask,
        })
    }

    /// The description of the file (what `reclaim info` prints).
    pub fn info(&self) -> &RasterInfo {
        &self.info
    }

    /// The raster grid (size and transform).
    pub fn grid(&self) -> Grid {
        Grid {
            width: self.info.width,
            height: self.info.height,
            transform: self.info.transform,
        }
    }

    /// The limits this file was opened with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A fresh decoder on the same file, for another thread.
    ///
    /// # Errors
    /// [`RasterError::Io`] when the file can no longer be opened, or a decoder error
    /// when it changed on disk.
    pub fn try_clone(&self) -> Result<GeoTiff, RasterError> {
        let io = |source| RasterError::Io {
            path: self.path.clone(),
            source,
        };
        let reader = BufReader::new(File::open(&self.path).map_err(io)?);
        let mut decoder = new_decoder(&self.path, reader, &self.patches, &self.limits)?;
        let dims = decoder.dimensions().map_err(|e| self.tiff_error(None, e))?;
        if (dims.0 as usize, dims.1 as usize) != (self.info.width, self.info.height) {
            return Err(RasterError::Malformed {
                path: self.path.clone(),
                chunk: None,
                detail: Malformation::BadTag {
                    tag: tag::IMAGE_WIDTH,
                    reason: "the file changed since it was opened",
                },
            });
        }
        Ok(GeoTiff {
            path: self.path.clone(),
            info: self.info.clone(),
            limits: self.limits,
            grid: self.grid,
            chunk_samples: self.chunk_samples,
            chunk_bytes: self.chunk_bytes.clone(),
            refusal: self.refusal.clone(),
            sparse_fill: self.sparse_fill,
            patches: self.patches.clone(),
            decoder,
            chunk_offsets: self.chunk_offsets.clone(),
            direct: self.direct,
            chunks: ChunkReader::new(File::open(&self.path).map_err(io)?),
            cache: None,
            mask: self.mask.as_ref().map(MaskReader::try_clone).transpose()?,
        })
    }

    /// Number of block columns (1 for strips).
    pub fn blocks_across(&self) -> usize {
        self.grid.across
    }

    /// Number of block rows.
    pub fn blocks_down(&self) -> usize {
        self.grid.down
    }

    /// The cells of block (`block_col`, `block_row`), clipped to the raster.
    pub fn block_window(&self, block_col: usize, block_row: usize) -> Window {
        self.grid.window(block_col, block_row)
    }

    /// Decodes exactly one chunk and returns band `band` (1-based) over
    /// [`block_window`](Self::block_window).
    ///
    /// # Errors
    /// Out-of-range band or block, unsupported compression, corrupt data, limits.
    pub fn read_block(
        &mut self,
        band: usize,
        block_col: usize,
        block_row: usize,
    ) -> Result<BandBuffer, RasterError> {
        request::check_band(&self.path, &self.info, band)?;
        request::check_block(&self.path, &self.grid, block_col, block_row)?;
        let win = self.grid.window(block_col, block_row);
        self.check_block_bytes()?;
        let mut out = BandBuffer::zeros(self.info.sample_type, win.len());
        self.copy_block(band, block_col, block_row, &mut out, win)?;
        Ok(out)
    }

    /// Reads band `band` (1-based) over `win`, decoding only the chunks it touches.
    ///
    /// # Errors
    /// [`RasterError::WindowOutOfRange`] for empty windows or windows reaching outside
    /// the raster, [`RasterError::LimitExceeded`] over `max_window_bytes`, and the
    /// errors of [`read_block`](Self::read_block).
    pub fn read_window(&mut self, band: usize, win: Window) -> Result<BandBuffer, RasterError> {
        let mut out = BandBuffer::zeros(self.info.sample_type, 0);
        self.read_window_into(band, win, &mut out)?;
        Ok(out)
    }

    /// Like [`read_window`](Self::read_window), into `out`, reusing its allocation
    /// (hot loops keep one buffer per worker instead of allocating per block).
    ///
    /// # Errors
    /// As [`read_window`](Self::read_window); on error `out` holds unspecified samples.
    pub fn read_window_into(
        &mut self,
        band: usize,
        win: Window,
        out: &mut BandBuffer,
    ) -> Result<(), RasterError> {
        request::check_band(&self.path, &self.info, band)?;
        request::check_window(&self.path, &self.info, &self.limits, win)?;
        // Every sample is overwritten below: the blocks touching `win` tile it.
        out.reshape(self.info.sample_type, win.len());
        let (cols, rows) = self.grid.blocks_touching(&win);
        for row in rows {
            for col in cols.clone() {
                self.copy_block(band, col, row, out, win)?;
            }
        }
        Ok(())
    }

    /// True when the file has a per-dataset mask (internal or `.msk` sidecar).
    pub fn has_mask(&self) -> bool {
        self.mask.is_some()
    }

    /// The per-dataset mask over `win` into `out`, one byte per cell (0 masked, 1
    /// valid); false (and `out` untouched) when the file has no mask.
    ///
    /// # Errors
    /// A window outside the raster, or a damaged mask.
    pub fn read_mask_window_into(
        &mut self,
        win: Window,
        out: &mut Vec<u8>,
    ) -> Result<bool, RasterError> {
        let Some(mask) = &mut self.mask else {
            return Ok(false);
        };
        request::check_window(&self.path, &self.info, &self.limits, win)?;
        mask.read_window_into(win, out)?;
        Ok(true)
    }

    /// Reads all of band `band` (1-based), subject to `max_window_bytes`.
    ///
    /// # Errors
    /// As [`read_window`](Self::read_window).
    pub fn read_band(&mut self, band: usize) -> Result<BandBuffer, RasterError> {
        self.read_window(band, self.grid().full_window())
    }

    /// Copies band `band` of block (`col`, `row`) where it overlaps `dst_win` into `dst`.
    fn copy_block(
        &mut self,
        band: usize,
        col: usize,
        row: usize,
        dst: &mut BandBuffer,
        dst_win: Window,
    ) -> Result<(), RasterError> {
        let block = self.grid.window(col, row);
        let Some(overlap) = block.intersect(&dst_win) else {
            return Ok(());
        };
        let (plane, sample) = if self.chunk_samples == 1 {
            (band - 1, 0)
        } else {
            (0, band - 1)
        };
        let index = self.grid.chunk_index(plane, col, row);
        // Rows from the block's top to the last one the read needs.
        let rows = overlap.row_off + overlap.height - block.row_off;
        self.ensure_chunk(index, block, rows)?;
        let spp = self.chunk_samples;
        let copied = match &self.cache {
            Some((_, decoded_rows, src)) => {
                // The cached chunk's rows are `block_width` pixels long (see `ensure_chunk`).
                let src_win = Window {
                    width: self.grid.block_width,
                    height: *decoded_rows,
                    ..block
                };
                copy_samples(src, spp, sample, src_win, dst, dst_win, overlap)
            }
            None => false,
        };
        if !copied {
            return Err(self.malformed(
                Some(index),
                Malformation::ShortChunk {
                    expected: (block.len() * spp) as u64,
                    got: self.cache.as_ref().map_or(0, |(_, _, b)| b.len() as u64),
                },
            ));
        }
        Ok(())
    }
}
