//! [`GeoTiff`]: open a GeoTIFF, describe it, and read blocks and windows of one band.
//!
//! Plan per read: find the blocks the window touches, decode each chunk once (the
//! last chunk is kept, so reading every band of one pixel-interleaved block decodes
//! it once), and copy the band's samples of the overlap into the output.

use std::fs::File;
use std::io::{BufReader, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::request;

use tiff::decoder::{Decoder, DecodingResult};
use tiff::tags::Tag;
use tiff::TiffError;

use super::blocks::BlockGrid;
use super::buffer::BandBuffer;
use super::direct::{ChunkReader, DirectCodec, DirectError};
use super::error::{compression_name, ChunkRef, Malformation, RasterError, UnsupportedFeature};
use super::gdal_tags::{parse_nodata, scale_offset, GDAL_METADATA_TAG};
use super::geokeys::GeoKeys;
use super::georef::georeference;
use super::info::{Layout, RasterInfo, SampleType};
use super::limits::{LimitKind, Limits};
use super::mask::{MaskReader, MaskSource};
use super::nodata::NoData;
use super::overlay::Overlay;
use super::scan::{self, tag, TiffScan};
use crate::grid::{Grid, Window};

type TiffDecoder = Decoder<Overlay<BufReader<File>>>;

/// Compression codes decoded by the `tiff` crate as configured for reclaim.
const SUPPORTED_COMPRESSION: [u16; 6] = [1, 5, 8, 32946, 32773, 50000];
/// Photometric interpretations whose samples are plain bands (MinIsWhite,
/// MinIsBlack, RGB, Palette, transparency mask).
const PLAIN_PHOTOMETRIC: [u16; 5] = [0, 1, 2, 3, 4];
/// PhotometricInterpretation = MinIsBlack, shown to the decoder (see `overlay`).
const MIN_IS_BLACK: u64 = 1;

/// An open GeoTIFF: its description and a decoder positioned on the full-resolution image.
#[derive(Debug)]
pub struct GeoTiff {
    path: PathBuf,
    info: RasterInfo,
    limits: Limits,
    grid: BlockGrid,
    /// Samples per pixel inside one chunk (bands when pixel-interleaved, 1 when planar).
    chunk_samples: usize,
    /// Compressed byte count of every chunk, in file order.
    chunk_bytes: Vec<u64>,
    /// Why chunks cannot be decoded (JPEG, WebP, YCbCr…); the file still opens for `info`.
    refusal: Option<UnsupportedFeature>,
    /// Fill value of sparse (zero-length) chunks: nodata when the type holds it, else 0.
    sparse_fill: f64,
    patches: Vec<(u64, Vec<u8>)>,
    decoder: TiffDecoder,
    /// File offset of every chunk, in file order.
    chunk_offsets: Vec<u64>,
    /// Set when chunks are uncompressed or DEFLATE: decoded here, not by `tiff`.
    direct: Option<DirectCodec>,
    /// File handle and buffers of the direct decoder.
    chunks: ChunkReader,
    /// The last decoded chunk (index, rows decoded from its top, interleaved samples).
    cache: Option<(usize, usize, BandBuffer)>,
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
        self.check_band(band)?;
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
        self.check_band(band)?;
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

    fn check_band(&self, band: usize) -> Result<(), RasterError> {
        request::check_band(&self.path, &self.info, band)
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

    /// Decodes at least the top `rows` rows of chunk `index` (covering `block`) into
    /// the cache unless they are there. Uncompressed and DEFLATE chunks are decoded
    /// only that far (see [`direct`](super::direct)); others whole.
    fn ensure_chunk(
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
    fn check_block_bytes(&self) -> Result<(), RasterError> {
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

    fn limit(&self, what: LimitKind, requested: u64, limit: u64) -> RasterError {
        RasterError::LimitExceeded {
            path: self.path.clone(),
            what,
            requested,
            limit,
        }
    }

    fn malformed(&self, index: Option<usize>, detail: Malformation) -> RasterError {
        RasterError::Malformed {
            path: self.path.clone(),
            chunk: index.map(|i| self.chunk_ref(i)),
            detail,
        }
    }

    fn tiff_error(&self, chunk: Option<ChunkRef>, e: TiffError) -> RasterError {
        tiff_error(&self.path, chunk, e)
    }
}

/// What `validate` derives from the first directory.
struct Validated {
    sample_type: SampleType,
    bands: usize,
    chunk_samples: usize,
    grid: BlockGrid,
    refusal: Option<UnsupportedFeature>,
    patches: Vec<(u64, Vec<u8>)>,
}

/// Checks the layout before the decoder sees the file; decides refusals and patches.
fn validate(path: &Path, scan: &TiffScan, limits: &Limits) -> Result<Validated, RasterError> {
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

fn new_decoder(
    path: &Path,
    reader: BufReader<File>,
    patches: &[(u64, Vec<u8>)],
    limits: &Limits,
) -> Result<TiffDecoder, RasterError> {
    let d = Decoder::new(Overlay::new(reader, patches.to_vec()))
        .map_err(|e| tiff_error(path, None, e))?;
    Ok(d.with_limits(limits.to_tiff()))
}

/// Which per-chunk array [`read_chunk_u64s`] reads.
#[derive(Clone, Copy)]
enum ChunkTag {
    /// StripOffsets / TileOffsets.
    Offsets,
    /// StripByteCounts / TileByteCounts.
    ByteCounts,
}

/// The offset or compressed size of every chunk.
fn read_chunk_u64s(
    path: &Path,
    d: &mut TiffDecoder,
    grid: &BlockGrid,
    which: ChunkTag,
) -> Result<Vec<u64>, RasterError> {
    let t = match (which, grid.tiled) {
        (ChunkTag::Offsets, true) => Tag::TileOffsets,
        (ChunkTag::Offsets, false) => Tag::StripOffsets,
        (ChunkTag::ByteCounts, true) => Tag::TileByteCounts,
        (ChunkTag::ByteCounts, false) => Tag::StripByteCounts,
    };
    let v = d.find_tag(t).map_err(|e| tiff_error(path, None, e))?;
    let values = v
        .map(|v| v.into_u64_vec())
        .transpose()
        .map_err(|e| tiff_error(path, None, e))?;
    values.ok_or_else(|| RasterError::Malformed {
        path: path.to_path_buf(),
        chunk: None,
        detail: Malformation::MissingTag { tag: t.to_u16() },
    })
}

/// Reads the GeoTIFF and GDAL tags and assembles the [`RasterInfo`].
fn describe(
    path: &Path,
    d: &mut TiffDecoder,
    scan: &TiffScan,
    v: &Validated,
) -> Result<RasterInfo, RasterError> {
    let bad = |t: u16| {
        move |_: TiffError| RasterError::Malformed {
            path: path.to_path_buf(),
            chunk: None,
            detail: Malformation::BadTag {
                tag: t,
                reason: "unreadable value",
            },
        }
    };
    let mut f64s = |t: Tag| -> Result<Option<Vec<f64>>, RasterError> {
        let code = t.to_u16();
        d.find_tag(t)
            .map_err(bad(code))?
            .map(|v| v.into_f64_vec())
            .transpose()
            .map_err(bad(code))
    };
    let pixel_scale = f64s(Tag::ModelPixelScaleTag)?;
    let tiepoints = f64s(Tag::ModelTiepointTag)?;
    let matrix = f64s(Tag::ModelTransformationTag)?;
    let key_code = Tag::GeoKeyDirectoryTag.to_u16();
    let key_dir = d
        .find_tag(Tag::GeoKeyDirectoryTag)
        .map_err(bad(key_code))?
        .map(|v| v.into_u16_vec())
        .transpose()
        .map_err(bad(key_code))?;
    // Optional text: an unreadable citation or metadata block is ignored, as GDAL does.
    let mut text = |t: Tag| {
        d.find_tag(t)
            .ok()
            .flatten()
            .and_then(|v| v.into_string().ok())
    };
    let ascii = text(Tag::GeoAsciiParamsTag);
    let metadata = text(Tag::Unknown(GDAL_METADATA_TAG));
    let nodata_code = Tag::GdalNodata.to_u16();
    let nodata_text = d
        .find_tag(Tag::GdalNodata)
        .map_err(bad(nodata_code))?
        .map(|v| v.into_string())
        .transpose()
        .map_err(bad(nodata_code))?;

    let keys = match &key_dir {
        Some(dir) => {
            GeoKeys::parse(dir, ascii.as_deref()).ok_or_else(|| RasterError::Malformed {
                path: path.to_path_buf(),
                chunk: None,
                detail: Malformation::BadTag {
                    tag: key_code,
                    reason: "GeoKeyDirectory is shorter than its key count",
                },
            })?
        }
        None => GeoKeys::default(),
    };
    let pixel_is_point = keys.pixel_is_point();
    let g = georeference(
        pixel_scale.as_deref(),
        tiepoints.as_deref(),
        matrix.as_deref(),
        pixel_is_point,
    );
    let ty = v.sample_type;
    let nodata = nodata_text.as_deref().and_then(parse_nodata).map(|n| {
        if ty == SampleType::F32 && !n.is_nan() {
            f64::from(n as f32)
        } else {
            n
        }
    });
    let (scale, offset) = metadata
        .as_deref()
        .map_or((None, None), |m| scale_offset(m, 0));
    let f = &scan.first;
    let layout = match f.tile {
        Some((w, h)) => Layout::Tiles {
            width: w as u32,
            height: h as u32,
        },
        None => Layout::Strips {
            rows_per_strip: u32::try_from(v.grid.block_height).unwrap_or(u32::MAX),
        },
    };
    Ok(RasterInfo {
        path: path.to_path_buf(),
        width: v.grid.width,
        height: v.grid.height,
        bands: v.bands,
        sample_type: ty,
        transform: g.transform,
        georeferenced: g.georeferenced,
        gcps: g.gcps,
        epsg: if g.georeferenced { keys.epsg() } else { None },
        crs_citation: keys.citation.clone(),
        pixel_is_point,
        nodata,
        scale,
        offset,
        layout,
        block_width: v.grid.block_width,
        block_height: v.grid.block_height,
        compression: compression_name(f.compression)
            .map_or_else(|| format!("code {}", f.compression), str::to_string),
        predictor: f.predictor,
        planar_separate: v.chunk_samples == 1 && v.bands > 1,
        big_tiff: scan.big_tiff,
        big_endian: scan.big_endian,
        overviews: scan.overviews(),
        bad_pixel_scale: g.bad_pixel_scale,
        mask: None,
    })
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

fn from_decoding(r: DecodingResult) -> Option<BandBuffer> {
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

/// `len` samples of `value` (already representable in `ty`).
fn filled(ty: SampleType, len: usize, value: f64) -> BandBuffer {
    match ty {
        SampleType::U8 => BandBuffer::U8(vec![value as u8; len]),
        SampleType::I8 => BandBuffer::I8(vec![value as i8; len]),
        SampleType::U16 => BandBuffer::U16(vec![value as u16; len]),
        SampleType::I16 => BandBuffer::I16(vec![value as i16; len]),
        SampleType::U32 => BandBuffer::U32(vec![value as u32; len]),
        SampleType::I32 => BandBuffer::I32(vec![value as i32; len]),
        SampleType::F32 => BandBuffer::F32(vec![value as f32; len]),
        SampleType::F64 => BandBuffer::F64(vec![value; len]),
    }
}

/// Copies sample `sample` of an interleaved chunk covering `src_win` into `dst`
/// (covering `dst_win`) over `overlap`. False when a buffer is too short or the
/// types differ.
fn copy_samples(
    src: &BandBuffer,
    spp: usize,
    sample: usize,
    src_win: Window,
    dst: &mut BandBuffer,
    dst_win: Window,
    overlap: Window,
) -> bool {
    macro_rules! pairs {
        ($($v:ident),*) => {
            match (src, dst) {
                $((BandBuffer::$v(s), BandBuffer::$v(d)) => copy_typed(s, spp, sample, src_win, d, dst_win, overlap),)*
                _ => false,
            }
        };
    }
    pairs!(U8, I8, U16, I16, U32, I32, F32, F64)
}

fn copy_typed<T: Copy>(
    src: &[T],
    spp: usize,
    sample: usize,
    src_win: Window,
    dst: &mut [T],
    dst_win: Window,
    o: Window,
) -> bool {
    let dx_src = o.col_off - src_win.col_off;
    let dx_dst = o.col_off - dst_win.col_off;
    for r in o.row_off..o.row_off + o.height {
        let s0 = ((r - src_win.row_off) * src_win.width + dx_src) * spp + sample;
        let d0 = (r - dst_win.row_off) * dst_win.width + dx_dst;
        let s_end = s0 + (o.width - 1) * spp + 1;
        let (Some(s), Some(d)) = (src.get(s0..s_end), dst.get_mut(d0..d0 + o.width)) else {
            return false;
        };
        if spp == 1 {
            d.copy_from_slice(s);
        } else {
            for (out, v) in d.iter_mut().zip(s.iter().step_by(spp)) {
                *out = *v;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_deinterleaves_the_overlap() {
        // A 3 × 2 block with 2 samples per pixel: value = 10·pixel + sample.
        let src = BandBuffer::U16((0..6).flat_map(|p| [10 * p, 10 * p + 1]).collect());
        let block = Window {
            col_off: 3,
            row_off: 2,
            width: 3,
            height: 2,
        };
        // Destination window (2..6) × (3..4): overlap is cols 3..6 of row 3.
        let dst_win = Window {
            col_off: 2,
            row_off: 3,
            width: 4,
            height: 1,
        };
        let overlap = block.intersect(&dst_win).unwrap();
        let mut dst = BandBuffer::zeros(SampleType::U16, 4);
        assert!(copy_samples(&src, 2, 1, block, &mut dst, dst_win, overlap));
        // Row 3 is the block's second row: pixels 3, 4, 5, sample 1.
        assert_eq!(dst, BandBuffer::U16(vec![0, 31, 41, 51]));
        let mut wrong = BandBuffer::zeros(SampleType::U8, 4);
        assert!(!copy_samples(
            &src, 2, 1, block, &mut wrong, dst_win, overlap
        ));
    }

    #[test]
    fn sparse_fill_uses_the_band_type() {
        assert_eq!(
            filled(SampleType::I16, 2, -9999.0),
            BandBuffer::I16(vec![-9999, -9999])
        );
        assert_eq!(filled(SampleType::U8, 1, 0.0), BandBuffer::U8(vec![0]));
    }
}
