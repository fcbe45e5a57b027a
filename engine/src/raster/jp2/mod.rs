//! [`Jp2Raster`]: JPEG 2000 (`.jp2` and raw `.j2k`/`.j2c` codestreams) in pure Rust,
//! decoded one codestream tile at a time.
//!
//! The decoder (`hayro-jpeg2000`) decodes whole images only, on one thread, into f32
//! planes. To read a window without decoding the whole image, each codestream tile
//! the window touches is rewritten as a codestream of its own (`tile`): the main
//! header with the SIZ image area shrunk to that tile (kept at its place on the
//! reference grid, so precinct and code-block partitions, and the parity the
//! wavelet depends on, are unchanged), TLM/PLM markers dropped, the tile's
//! tile-parts copied with tile index 0, then EOC. Samples are bit-identical to GDAL's
//! for lossless (5/3 reversible) files; the integral values are checked.
//!
//! Parts:
//! - `boxes`: the JP2 box structure and the georeferencing (GeoJP2, else GMLJP2).
//! - `codestream`: main header (SIZ, what is copied into tile codestreams) and the
//!   index of tile-parts, from SOT markers.
//! - `tile`: building and decoding one tile's codestream.
//! - `errors`: the reader's errors, naming the file and the tile.
//!
//! Refused with [`RasterError::Unsupported`] (and the advice to convert with
//! `gdal_translate -of GTiff` or use the `gdal` feature): PPM packed headers,
//! subsampled components, more than 16 bits, tile grids not anchored at the image
//! origin, palettes, and whatever the decoder itself does not support.

mod boxes;
mod codestream;
mod errors;
mod shared;
mod tile;

pub use shared::SharedTiles;

use std::collections::VecDeque;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::blocks::BlockGrid;
use super::buffer::BandBuffer;
use super::error::RasterError;
use super::info::{Layout, RasterInfo};
use super::limits::Limits;
use crate::grid::{GeoTransform, Grid, Window};
use codestream::Codestream;
use errors::{io, malformed};

/// Decoded tiles kept per reader: at most this many bytes (and at least one tile).
const CACHE_BYTES: usize = 64 << 20;

/// One decoded tile in a reader's own cache, by its key (see `decoded`).
type DecodedTile = (shared::Key, shared::Bands);

/// An open JPEG 2000 file.
#[derive(Debug)]
pub struct Jp2Raster {
    path: PathBuf,
    info: RasterInfo,
    limits: Limits,
    grid: BlockGrid,
    stream: Arc<Codestream>,
    file: File,
    file_len: u64,
    /// Most recently used last.
    cache: VecDeque<DecodedTile>,
    cache_tiles: usize,
    /// Tiles shared with other readers (see [`Jp2Raster::share_tiles`]).
    shared: Option<Arc<SharedTiles>>,
    /// The only windows this reader will be asked for, when known (see
    /// [`Jp2Raster::keep_only`]), and a hash of them naming them in the cache
    /// (readers given equal lists share their cached tiles).
    wanted: Option<(Arc<Vec<Window>>, usize)>,
}

/// True when `head` starts like a JP2 file or a raw JPEG 2000 codestream.
pub fn is_jpeg2000(head: &[u8]) -> bool {
    head.starts_with(&boxes::JP2_SIGNATURE) || head.starts_with(&[0xFF, 0x4F, 0xFF, 0x51])
}

/// True when the file at `path` starts like a JPEG 2000 file (false when it cannot
/// be read or is no regular file — a FIFO is never opened here, opening it would
/// block: the caller's own open reports those).
pub fn starts_like_jpeg2000(path: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 12];
    if !std::fs::metadata(path).is_ok_and(|m| m.is_file()) {
        return false;
    }
    let Ok(file) = File::open(path) else {
        return false;
    };
    let mut n = 0;
    let mut take = file.take(12);
    while n < head.len() {
        match take.read(&mut head[n..]) {
            Ok(0) | Err(_) => break,
            Ok(k) => n += k,
        }
    }
    is_jpeg2000(&head[..n])
}

impl Jp2Raster {
    /// Opens `path` with the default [`Limits`].
    ///
    /// # Errors
    /// As [`Jp2Raster::open_with_limits`].
    pub fn open(path: &Path) -> Result<Jp2Raster, RasterError> {
        Jp2Raster::open_with_limits(path, Limits::default())
    }

    /// Opens `path`: reads the boxes, the main header and the tile-part index.
    ///
    /// # Errors
    /// [`RasterError::Io`]; [`RasterError::Malformed`] for damaged or truncated
    /// structures; [`RasterError::Unsupported`] for what is refused (see the module
    /// notes); [`RasterError::LimitExceeded`] for too many tiles or tiles too large.
    pub fn open_with_limits(path: &Path, limits: Limits) -> Result<Jp2Raster, RasterError> {
        let mut file = crate::input::open_regular(path)?;
        let file_len = file.metadata().map_err(|e| io(path, e))?.len();
        let jp2 = boxes::read(path, &mut file, file_len)?;
        let stream = Codestream::read(path, &mut file, jp2.codestream, &limits)?;
        let siz = &stream.siz;
        let (width, height) = (siz.width(), siz.height());
        let grid = BlockGrid::new(
            u64::from(width),
            u64::from(height),
            Some((u64::from(siz.xtsiz), u64::from(siz.ytsiz))),
            None,
            1,
        )
        .ok_or_else(|| malformed(path, None, "the image or its tiles are empty"))?;
        let sample_type = siz.sample_type(path)?;
        let georef = jp2.georef;
        let transform = georef
            .as_ref()
            .map_or(GeoTransform::UNIT, |g| g.georef.transform);
        let georeferenced = georef.as_ref().is_some_and(|g| g.georef.georeferenced);
        let info = RasterInfo {
            path: path.to_path_buf(),
            width: grid.width,
            height: grid.height,
            bands: siz.components.len(),
            sample_type,
            transform,
            georeferenced,
            gcps: georef.as_ref().map_or(0, |g| g.georef.gcps),
            epsg: georef
                .as_ref()
                .filter(|g| g.georef.georeferenced)
                .and_then(|g| g.keys.epsg()),
            crs_citation: georef.as_ref().and_then(|g| g.keys.citation.clone()),
            pixel_is_point: georef.as_ref().is_some_and(|g| g.keys.pixel_is_point()),
            nodata: None,
            scale: None,
            offset: None,
            layout: Layout::Tiles {
                width: siz.xtsiz,
                height: siz.ytsiz,
            },
            block_width: grid.block_width,
            block_height: grid.block_height,
            compression: "JPEG2000".to_string(),
            predictor: 1,
            planar_separate: false,
            big_tiff: false,
            big_endian: false,
            overviews: 0,
            bad_pixel_scale: georef.as_ref().and_then(|g| g.georef.bad_pixel_scale),
            mask: None,
        };
        let tile_bytes = grid
            .block_width
            .saturating_mul(grid.block_height)
            .saturating_mul(info.bands)
            .saturating_mul(sample_type.size_bytes())
            .max(1);
        Ok(Jp2Raster {
            path: path.to_path_buf(),
            info,
            limits,
            grid,
            stream: Arc::new(stream),
            file,
            file_len,
            cache: VecDeque::new(),
            cache_tiles: (CACHE_BYTES / tile_bytes).clamp(1, grid.across + 1),
            shared: None,
            wanted: None,
        })
    }

    /// Looks tiles up in, and adds decoded tiles to, `tiles`, which other readers
    /// (of this file on other threads, or of other files) share; this reader then
    /// keeps no tile of its own, so the memory of decoded tiles is the shared
    /// budget whatever the number of readers. Clones made afterwards share it too.
    pub fn share_tiles(&mut self, tiles: Arc<SharedTiles>) {
        self.shared = Some(tiles);
        self.cache.clear();
    }

    /// Tells the reader that it will only be asked for (parts of) `windows`: of a
    /// decoded tile it then keeps only the cells those windows need, so that many
    /// more tiles stay cached in the same memory. A read outside them is still
    /// answered (by decoding the tile again). Clones made afterwards inherit it.
    pub fn keep_only(&mut self, windows: Arc<Vec<Window>>) {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        windows.hash(&mut h);
        // Odd: never the 0 that names whole tiles.
        let key = (h.finish() as usize) | 1;
        self.wanted = Some((windows, key));
        self.cache.clear();
    }

    /// The description of the file.
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

    /// The limits this raster was opened with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A second reader on the same file (sharing the parsed header), for another thread.
    ///
    /// # Errors
    /// [`RasterError::Io`] when the file can no longer be opened,
    /// [`RasterError::Malformed`] when its size changed since it was opened.
    pub fn try_clone(&self) -> Result<Jp2Raster, RasterError> {
        let file = crate::input::open_regular(&self.path)?;
        let len = file.metadata().map_err(|e| io(&self.path, e))?.len();
        if len != self.file_len {
            return Err(malformed(
                &self.path,
                None,
                "the file changed since it was opened",
            ));
        }
        Ok(Jp2Raster {
            path: self.path.clone(),
            info: self.info.clone(),
            limits: self.limits,
            grid: self.grid,
            stream: Arc::clone(&self.stream),
            file,
            file_len: self.file_len,
            cache: VecDeque::new(),
            cache_tiles: self.cache_tiles,
            shared: self.shared.clone(),
            wanted: self.wanted.clone(),
        })
    }

    /// Number of tile columns.
    pub fn blocks_across(&self) -> usize {
        self.grid.across
    }

    /// Number of tile rows.
    pub fn blocks_down(&self) -> usize {
        self.grid.down
    }

    /// The cells of codestream tile (`block_col`, `block_row`), clipped to the image.
    pub fn block_window(&self, block_col: usize, block_row: usize) -> Window {
        self.grid.window(block_col, block_row)
    }

    /// Band `band` (1-based) over [`block_window`](Self::block_window).
    ///
    /// # Errors
    /// Out-of-range band or block; damaged or unsupported tile data; limits.
    pub fn read_block(
        &mut self,
        band: usize,
        block_col: usize,
        block_row: usize,
    ) -> Result<BandBuffer, RasterError> {
        super::request::check_block(&self.path, &self.grid, block_col, block_row)?;
        self.read_window(band, self.grid.window(block_col, block_row))
    }

    /// Band `band` (1-based) over `win`, decoding only the tiles it touches.
    ///
    /// # Errors
    /// [`RasterError::BandOutOfRange`], [`RasterError::WindowOutOfRange`],
    /// [`RasterError::LimitExceeded`], and the errors of decoding a tile.
    pub fn read_window(&mut self, band: usize, win: Window) -> Result<BandBuffer, RasterError> {
        let mut out = BandBuffer::zeros(self.info.sample_type, 0);
        self.read_window_into(band, win, &mut out)?;
        Ok(out)
    }

    /// Like [`read_window`](Self::read_window), into `out`, reusing its allocation.
    ///
    /// # Errors
    /// As [`read_window`](Self::read_window); on error `out` holds unspecified samples.
    pub fn read_window_into(
        &mut self,
        band: usize,
        win: Window,
        out: &mut BandBuffer,
    ) -> Result<(), RasterError> {
        super::request::check_band(&self.path, &self.info, band)?;
        super::request::check_window(&self.path, &self.info, &self.limits, win)?;
        out.reshape(self.info.sample_type, win.len());
        let (cols, rows) = self.grid.blocks_touching(&win);
        for row in rows {
            for col in cols.clone() {
                let index = self.grid.chunk_index(0, col, row);
                let tile_win = self.grid.window(col, row);
                let Some(need) = tile_win.intersect(&win) else {
                    continue;
                };
                let mut tile = self.decoded(index, false)?;
                if !tile.parts.iter().any(|(w, _)| contains(w, &need)) {
                    // Asked for more than was kept: decode the whole tile again.
                    tile = self.decoded(index, true)?;
                }
                for (w, bands) in &tile.parts {
                    if contains(w, &need) {
                        copy_overlap(&bands[band - 1], *w, out, win);
                        break;
                    }
                }
            }
        }
        Ok(())
    }

    /// JPEG 2000 files have no per-dataset mask here.
    pub fn has_mask(&self) -> bool {
        false
    }

    /// No mask: always `Ok(false)`, `out` untouched.
    ///
    /// # Errors
    /// None.
    pub fn read_mask_window_into(
        &mut self,
        _win: Window,
        _out: &mut Vec<u8>,
    ) -> Result<bool, RasterError> {
        Ok(false)
    }

    /// All of band `band` (1-based), subject to `max_window_bytes`.
    ///
    /// # Errors
    /// As [`read_window`](Self::read_window).
    pub fn read_band(&mut self, band: usize) -> Result<BandBuffer, RasterError> {
        self.read_window(band, self.grid().full_window())
    }

    /// Tile `index`: from this reader's cache or the shared one, else decoded (and
    /// kept: in the shared cache when there is one, else here, most recent last).
    /// Of a decoded tile only the parts of the wanted windows are kept, unless
    /// `whole` (or no windows were given).
    fn decoded(&mut self, index: usize, whole: bool) -> Result<shared::Bands, RasterError> {
        let wanted = if whole { None } else { self.wanted.clone() };
        // The parsed header is shared by every clone of this file's reader and by
        // no other file's: its address and the wanted windows' hash name what is
        // cached.
        let key = (
            Arc::as_ptr(&self.stream) as usize,
            wanted.as_ref().map_or(0, |w| w.1),
            index,
        );
        if let Some(pos) = self.cache.iter().position(|(k, _)| *k == key) {
            if let Some(hit) = self.cache.remove(pos) {
                let tile = Arc::clone(&hit.1);
                self.cache.push_back(hit);
                return Ok(tile);
            }
        }
        let shared = self.shared.clone();
        if let Some(tile) = shared.as_ref().and_then(|s| s.get_or_claim(key)) {
            return Ok(tile);
        }
        // Claimed: other readers wait for this one; released however this ends.
        struct Claim<'a>(Option<&'a SharedTiles>, shared::Key);
        impl Drop for Claim<'_> {
            fn drop(&mut self) {
                if let Some(s) = self.0 {
                    s.give_up(self.1);
                }
            }
        }
        let _claim = Claim(shared.as_deref(), key);
        let win = self
            .grid
            .window(index % self.grid.across, index / self.grid.across);
        let bands = self.decode(index, win)?;
        let tile = Arc::new(match wanted {
            None => shared::Tile {
                parts: vec![(win, bands)],
            },
            Some((wanted, _)) => {
                let mut parts: Vec<Window> =
                    wanted.iter().filter_map(|w| w.intersect(&win)).collect();
                parts.sort_unstable_by_key(|w| (w.row_off, w.col_off, w.height, w.width));
                parts.dedup();
                let kept: Vec<Window> = parts
                    .iter()
                    .enumerate()
                    .filter(|(i, p)| {
                        !parts
                            .iter()
                            .enumerate()
                            .any(|(j, q)| j != *i && contains(q, p))
                    })
                    .map(|(_, p)| *p)
                    .collect();
                shared::Tile {
                    parts: kept
                        .into_iter()
                        .map(|p| {
                            let cut = bands
                                .iter()
                                .map(|b| {
                                    let mut out = BandBuffer::zeros(b.sample_type(), p.len());
                                    copy_overlap(b, win, &mut out, p);
                                    out
                                })
                                .collect();
                            (p, cut)
                        })
                        .collect(),
                }
            }
        });
        match &self.shared {
            Some(s) => s.put(key, &tile),
            None => {
                while self.cache.len() >= self.cache_tiles {
                    self.cache.pop_front();
                }
                self.cache.push_back((key, Arc::clone(&tile)));
            }
        }
        Ok(tile)
    }

    /// Decodes tile `index`.
    fn decode(&mut self, index: usize, win: Window) -> Result<Vec<BandBuffer>, RasterError> {
        tile::decode(
            &self.path,
            &mut self.file,
            &self.stream,
            index,
            win,
            self.info.sample_type,
            &self.limits,
        )
    }
}

/// Copies the part of `src` (a tile covering `src_win`) that lies in `dst_win` into `dst`.
fn copy_overlap(src: &BandBuffer, src_win: Window, dst: &mut BandBuffer, dst_win: Window) {
    fn rows<T: Copy>(src: &[T], sw: Window, dst: &mut [T], dw: Window) {
        let c0 = sw.col_off.max(dw.col_off);
        let c1 = (sw.col_off + sw.width).min(dw.col_off + dw.width);
        let r0 = sw.row_off.max(dw.row_off);
        let r1 = (sw.row_off + sw.height).min(dw.row_off + dw.height);
        if c0 >= c1 || r0 >= r1 {
            return;
        }
        let n = c1 - c0;
        for r in r0..r1 {
            let s = (r - sw.row_off) * sw.width + (c0 - sw.col_off);
            let d = (r - dw.row_off) * dw.width + (c0 - dw.col_off);
            if let (Some(from), Some(to)) = (src.get(s..s + n), dst.get_mut(d..d + n)) {
                to.copy_from_slice(from);
            }
        }
    }
    match (src, dst) {
        (BandBuffer::U8(s), BandBuffer::U8(d)) => rows(s, src_win, d, dst_win),
        (BandBuffer::U16(s), BandBuffer::U16(d)) => rows(s, src_win, d, dst_win),
        (BandBuffer::I16(s), BandBuffer::I16(d)) => rows(s, src_win, d, dst_win),
        // Tiles are decoded into the raster's sample type, as `out` is reshaped.
        _ => {}
    }
}

/// Whether window `a` holds every cell of `b`.
fn contains(a: &Window, b: &Window) -> bool {
    a.col_off <= b.col_off
        && a.row_off <= b.row_off
        && b.col_off + b.width <= a.col_off + a.width
        && b.row_off + b.height <= a.row_off + a.height
}
