//! [`Raster`]: one reader for every raster reclaim reads — the pure-Rust
//! [`GeoTiff`] and [`Jp2Raster`] first, and with the `gdal` feature GDAL for what
//! those refuse.
//!
//! JPEG 2000 files (a JP2 signature box, or a raw codestream's SOC + SIZ markers) are
//! recognised by their first bytes and go to [`Jp2Raster`], which checks the main
//! header at open (nothing is decoded): its [`RasterError::Unsupported`] errors go
//! to GDAL with the feature, and are returned without it; a tile the decoder
//! refuses later is an error naming the file and the tile.
//!
//! ```text
//!  path ─ GeoTiff::open ─┬─ Ok, first block decodes ──────────── Raster::Tiff
//!                        ├─ not a TIFF / Unsupported ─ [gdal] ── Raster::Gdal
//!                        │                             [no gdal] the error
//!                        └─ other errors (I/O, damaged, limits) ─ the error
//! ```
//!
//! `GeoTiff::open` succeeds on files whose blocks it cannot decode (JPEG, WebP, LERC,
//! YCbCr…) so that `reclaim info` can describe them; `Raster::open` decodes the first
//! block of band 1 to find out, once, at open time (the block stays cached, so the
//! first real read of it costs nothing). Without the feature such a file is refused
//! at open with the [`RasterError::Unsupported`] error and its `gdal_translate` hint,
//! before any work is done on it.

use std::path::Path;

use super::buffer::BandBuffer;
#[cfg(feature = "gdal")]
use super::error::Malformation;
use super::error::RasterError;
#[cfg(feature = "gdal")]
use super::gdal_reader::GdalRaster;
use super::info::RasterInfo;
use super::jp2::Jp2Raster;
use super::limits::Limits;
use super::reader::GeoTiff;
use crate::grid::{Grid, Window};

/// An open raster: a GeoTIFF read in pure Rust, or (feature `gdal`) a GDAL dataset.
#[derive(Debug)]
#[non_exhaustive]
// A GeoTiff holds its decoder inline (~1 KiB); there is one Raster per worker thread,
// never a collection of them, so boxing would only add an indirection to every read.
#[allow(clippy::large_enum_variant)]
pub enum Raster {
    /// Read by reclaim's own GeoTIFF reader.
    Tiff(GeoTiff),
    /// A JPEG 2000 file, read by reclaim's per-tile JPEG 2000 reader.
    Jp2(Jp2Raster),
    /// Read through GDAL (JPEG/WebP/LERC GeoTIFFs, JPEG 2000, VRT, Imagine …).
    #[cfg(feature = "gdal")]
    Gdal(GdalRaster),
}

/// Calls `$method` on whichever reader `$self` holds.
macro_rules! each {
    ($self:expr, $r:ident => $body:expr) => {
        match $self {
            Raster::Tiff($r) => $body,
            Raster::Jp2($r) => $body,
            #[cfg(feature = "gdal")]
            Raster::Gdal($r) => $body,
        }
    };
}

impl Raster {
    /// Opens `path` with the default [`Limits`].
    ///
    /// # Errors
    /// As [`Raster::open_with_limits`].
    pub fn open(path: &Path) -> Result<Raster, RasterError> {
        Raster::open_with_limits(path, Limits::default())
    }

    /// Opens `path`: the GeoTIFF reader when it decodes the file, else (feature
    /// `gdal`) GDAL.
    ///
    /// # Errors
    /// [`RasterError::Io`], [`RasterError::Malformed`] and
    /// [`RasterError::LimitExceeded`] from the GeoTIFF reader. Without the `gdal`
    /// feature, [`RasterError::Unsupported`] for encodings it cannot decode and
    /// [`RasterError::Malformed`] (`NotTiff`) for other formats; with it, those go to
    /// GDAL and GDAL's own errors are returned instead.
    pub fn open_with_limits(path: &Path, limits: Limits) -> Result<Raster, RasterError> {
        let first_cell = Window {
            col_off: 0,
            row_off: 0,
            width: 1,
            height: 1,
        };
        if super::jp2::starts_like_jpeg2000(path) {
            // No decoding at open: a tile costs as much as a whole TIFF strip set, and
            // a composite opens hundreds of bands. What the tile decoder refuses is
            // mostly announced in the main header (PPM), which open checks.
            let opened = Jp2Raster::open_with_limits(path, limits);
            return match opened {
                Ok(jp2) => Ok(Raster::Jp2(jp2)),
                #[cfg(feature = "gdal")]
                Err(RasterError::Unsupported { .. }) => {
                    GdalRaster::open_with_limits(path, limits).map(Raster::Gdal)
                }
                Err(e) => Err(e),
            };
        }
        // Reading one cell decodes (a prefix of) the first chunk only: cheap, and
        // enough to learn whether the encoding is one the reader decodes.
        let opened = GeoTiff::open_with_limits(path, limits).and_then(|mut tiff| {
            match tiff.read_window(1, first_cell) {
                Err(e @ RasterError::Unsupported { .. }) => Err(e),
                // Other errors of the first block (damage, limits) surface on read,
                // exactly as with `GeoTiff`.
                _ => Ok(tiff),
            }
        });
        match opened {
            Ok(tiff) => Ok(Raster::Tiff(tiff)),
            #[cfg(feature = "gdal")]
            Err(
                RasterError::Unsupported { .. }
                | RasterError::Malformed {
                    detail: Malformation::NotTiff,
                    ..
                },
            ) => GdalRaster::open_with_limits(path, limits).map(Raster::Gdal),
            Err(e) => Err(e),
        }
    }

    /// The description of the file (what `reclaim info` prints).
    pub fn info(&self) -> &RasterInfo {
        each!(self, r => r.info())
    }

    /// Shares decoded tiles with other readers through `tiles` (JPEG 2000; other
    /// readers keep no more than a block anyway).
    pub fn share_tiles(&mut self, tiles: &std::sync::Arc<super::jp2::SharedTiles>) {
        if let Raster::Jp2(r) = self {
            r.share_tiles(std::sync::Arc::clone(tiles));
        }
    }

    /// Tells the reader it will only be asked for (parts of) `windows`, so it may
    /// keep just those cells of what it decodes (JPEG 2000; other readers keep no
    /// more than a block anyway).
    pub fn keep_only(&mut self, windows: std::sync::Arc<Vec<Window>>) {
        if let Raster::Jp2(r) = self {
            r.keep_only(windows);
        }
    }

    /// The raster grid (size and transform).
    pub fn grid(&self) -> Grid {
        each!(self, r => r.grid())
    }

    /// The limits this raster was opened with.
    pub fn limits(&self) -> &Limits {
        each!(self, r => r.limits())
    }

    /// True when GDAL reads this raster (the `gdal` feature's fallback).
    pub fn is_gdal(&self) -> bool {
        #[cfg(feature = "gdal")]
        {
            matches!(self, Raster::Gdal(_))
        }
        #[cfg(not(feature = "gdal"))]
        {
            false
        }
    }

    /// True when reclaim's own JPEG 2000 reader reads this raster.
    pub fn is_jp2(&self) -> bool {
        matches!(self, Raster::Jp2(_))
    }

    /// A second reader on the same file, for another thread.
    ///
    /// # Errors
    /// When the file can no longer be opened or changed since it was opened.
    pub fn try_clone(&self) -> Result<Raster, RasterError> {
        Ok(match self {
            Raster::Tiff(r) => Raster::Tiff(r.try_clone()?),
            Raster::Jp2(r) => Raster::Jp2(r.try_clone()?),
            #[cfg(feature = "gdal")]
            Raster::Gdal(r) => Raster::Gdal(r.try_clone()?),
        })
    }

    /// Number of block columns.
    pub fn blocks_across(&self) -> usize {
        each!(self, r => r.blocks_across())
    }

    /// Number of block rows.
    pub fn blocks_down(&self) -> usize {
        each!(self, r => r.blocks_down())
    }

    /// The cells of block (`block_col`, `block_row`), clipped to the raster.
    pub fn block_window(&self, block_col: usize, block_row: usize) -> Window {
        each!(self, r => r.block_window(block_col, block_row))
    }

    /// Band `band` (1-based) over [`block_window`](Self::block_window).
    ///
    /// # Errors
    /// Out-of-range band or block, undecodable or damaged data, limits.
    pub fn read_block(
        &mut self,
        band: usize,
        block_col: usize,
        block_row: usize,
    ) -> Result<BandBuffer, RasterError> {
        each!(self, r => r.read_block(band, block_col, block_row))
    }

    /// Band `band` (1-based) over `win`.
    ///
    /// # Errors
    /// Out-of-range band, empty or outside window, `max_window_bytes`, and the errors
    /// of [`read_block`](Self::read_block).
    pub fn read_window(&mut self, band: usize, win: Window) -> Result<BandBuffer, RasterError> {
        each!(self, r => r.read_window(band, win))
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
        each!(self, r => r.read_window_into(band, win, out))
    }

    /// True when the raster has a per-dataset mask (GeoTIFF internal mask or `.msk`;
    /// through GDAL, band 1's mask when its flags are `GMF_PER_DATASET` alone).
    pub fn has_mask(&self) -> bool {
        each!(self, r => r.has_mask())
    }

    /// The per-dataset mask over `win` into `out` (0 masked, 1 valid); false when
    /// there is none.
    ///
    /// # Errors
    /// A window outside the raster, or a damaged mask.
    pub fn read_mask_window_into(
        &mut self,
        win: Window,
        out: &mut Vec<u8>,
    ) -> Result<bool, RasterError> {
        each!(self, r => r.read_mask_window_into(win, out))
    }

    /// All of band `band` (1-based), subject to `max_window_bytes`.
    ///
    /// # Errors
    /// As [`read_window`](Self::read_window).
    pub fn read_band(&mut self, band: usize) -> Result<BandBuffer, RasterError> {
        each!(self, r => r.read_band(band))
    }
}

impl From<GeoTiff> for Raster {
    fn from(t: GeoTiff) -> Raster {
        Raster::Tiff(t)
    }
}

impl From<Jp2Raster> for Raster {
    fn from(r: Jp2Raster) -> Raster {
        Raster::Jp2(r)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An 8-bit 2 × 2 TIFF (uncompressed, one strip) with `compression` in tag 259.
    fn tiny_tiff(compression: u16) -> Vec<u8> {
        let mut b = b"II*\0".to_vec();
        b.extend_from_slice(&8u32.to_le_bytes());
        // (tag, type SHORT=3 / LONG=4, value)
        let entries: [(u16, u16, u32); 8] = [
            (256, 3, 2),                      // width
            (257, 3, 2),                      // height
            (258, 3, 8),                      // bits per sample
            (259, 3, u32::from(compression)), // compression
            (262, 3, 1),                      // MinIsBlack
            (273, 4, 8 + 2 + 8 * 12 + 4),     // strip offset: right after the IFD
            (278, 3, 2),                      // rows per strip
            (279, 4, 4),                      // strip byte count
        ];
        b.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (tag, ty, value) in entries {
            b.extend_from_slice(&tag.to_le_bytes());
            b.extend_from_slice(&ty.to_le_bytes());
            b.extend_from_slice(&1u32.to_le_bytes());
            if ty == 3 {
                b.extend_from_slice(&(value as u16).to_le_bytes());
                b.extend_from_slice(&[0, 0]);
            } else {
                b.extend_from_slice(&value.to_le_bytes());
            }
        }
        b.extend_from_slice(&0u32.to_le_bytes());
        b.extend_from_slice(&[10, 20, 30, 40]);
        b
    }

    #[test]
    fn a_plain_tiff_stays_with_the_rust_reader() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("plain.tif");
        std::fs::write(&path, tiny_tiff(1)).unwrap();
        let mut r = Raster::open(&path).unwrap();
        assert!(!r.is_gdal());
        assert_eq!((r.info().width, r.info().height), (2, 2));
        assert_eq!((r.blocks_across(), r.blocks_down()), (1, 1));
        assert_eq!(
            r.read_band(1).unwrap(),
            BandBuffer::U8(vec![10, 20, 30, 40])
        );
        let win = Window {
            col_off: 1,
            row_off: 0,
            width: 1,
            height: 2,
        };
        let mut c = r.try_clone().unwrap();
        assert_eq!(c.read_window(1, win).unwrap(), BandBuffer::U8(vec![20, 40]));
        let mut out = BandBuffer::U8(Vec::new());
        r.read_window_into(1, win, &mut out).unwrap();
        assert_eq!(out, BandBuffer::U8(vec![20, 40]));
        assert_eq!(r.block_window(0, 0), r.grid().full_window());
    }

    #[test]
    fn missing_file_is_an_io_error_in_every_build() {
        let e = Raster::open(Path::new("/nonexistent/reclaim/x.tif")).unwrap_err();
        assert!(matches!(e, RasterError::Io { .. }), "{e:?}");
    }

    /// Compression 34887 (LERC) is refused by the Rust reader: without GDAL the open
    /// fails; with GDAL the (fake) LERC data fails to decode in GDAL instead.
    #[test]
    fn undecodable_compression_is_refused_at_open_without_gdal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("lerc.tif");
        std::fs::write(&path, tiny_tiff(34887)).unwrap();
        let r = Raster::open(&path);
        if cfg!(feature = "gdal") {
            // GDAL opens it (LERC is built in) but the 4 bytes are no LERC blob.
            let mut r = r.unwrap();
            assert!(r.is_gdal());
            assert_eq!(r.info().compression, "LERC");
            assert!(r.read_band(1).is_err());
        } else {
            let e = r.unwrap_err();
            assert!(matches!(e, RasterError::Unsupported { .. }), "{e:?}");
            assert!(e.to_string().contains("gdal_translate"), "{e}");
        }
    }
}
