//! [`GdalRaster`]: any raster GDAL opens (JPEG/WebP/LERC GeoTIFFs, JPEG 2000, VRT,
//! ERDAS Imagine …), described as a [`RasterInfo`] and read window by window.
//!
//! Only with the `gdal` cargo feature. [`Raster`](super::Raster) tries the pure-Rust
//! [`GeoTiff`](super::GeoTiff) reader first and comes here for what it refuses.
//!
//! The description mirrors what the GeoTIFF reader reports: GDAL's geotransform
//! (already corner-based), the EPSG code from the spatial reference's authority,
//! band 1's nodata (rounded to f32 for float32 bands), scale and offset, the natural
//! block size, and the `IMAGE_STRUCTURE` metadata (compression, predictor, interleave).
//! Reads go through `GDALRasterIO` at full resolution (no resampling); the dataset
//! handle sits behind a mutex so a `GdalRaster` is `Send + Sync` like a `GeoTiff`,
//! and [`try_clone`](GdalRaster::try_clone) opens a second handle for another thread.
//!
//! Masks: like the GeoTIFF reader, only a *per-dataset* mask is honoured — band 1's
//! mask when GDAL's flags are `GMF_PER_DATASET` alone (an internal mask, a `.msk`
//! sidecar, a VRT `<MaskBand>`). Masks GDAL derives from nodata (`GMF_NODATA`, which
//! reclaim applies itself from band 1's nodata) or from an alpha band (`GMF_ALPHA`,
//! which the GeoTIFF reader does not read as a mask either) and `GMF_ALL_VALID` are
//! not masks here, so a file counts the same whichever reader opens it.

use std::fmt;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, Once};

use gdal::errors::GdalError;
use gdal::raster::{GdalType, RasterBand};
use gdal::{Dataset, DatasetOptions, GdalOpenFlags, Metadata};

use super::blocks::BlockGrid;
use super::buffer::BandBuffer;
use super::error::{Malformation, RasterError, UnsupportedFeature};
use super::info::{Layout, RasterInfo, SampleType};
use super::limits::{LimitKind, Limits};
use super::request;
use crate::grid::{GeoTransform, Grid, Window};

/// The metadata domain where GDAL drivers describe their encoding.
const IMAGE_STRUCTURE: &str = "IMAGE_STRUCTURE";

/// An open GDAL raster dataset: its description and a handle for reading.
pub struct GdalRaster {
    path: PathBuf,
    info: RasterInfo,
    limits: Limits,
    grid: BlockGrid,
    /// GDAL < 3.7 stores int8 as Byte with `PIXELTYPE=SIGNEDBYTE`: read u8, reinterpret.
    signed_byte: bool,
    /// Band 1 has a per-dataset mask (see the module notes).
    mask: bool,
    /// GDAL's handle is `Send` but not `Sync`; the mutex makes `&GdalRaster` shareable.
    dataset: Mutex<Dataset>,
}

impl fmt::Debug for GdalRaster {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("GdalRaster")
            .field("path", &self.path)
            .field("info", &self.info)
            .field("limits", &self.limits)
            .finish_non_exhaustive()
    }
}

impl GdalRaster {
    /// Opens `path` with GDAL and the default [`Limits`].
    ///
    /// # Errors
    /// As [`GdalRaster::open_with_limits`].
    pub fn open(path: &Path) -> Result<GdalRaster, RasterError> {
        GdalRaster::open_with_limits(path, Limits::default())
    }

    /// Opens `path` with GDAL; `limits` caps every window read.
    ///
    /// # Errors
    /// [`RasterError::Io`] (with GDAL's message) when GDAL cannot open the file as a
    /// raster or it has no band; [`RasterError::Unsupported`] for complex or 64-bit
    /// integer samples and for bands of different types;
    /// [`RasterError::LimitExceeded`] for more blocks than `max_chunks`.
    pub fn open_with_limits(path: &Path, limits: Limits) -> Result<GdalRaster, RasterError> {
        let dataset = open_dataset(path)?;
        let (width, height) = dataset.raster_size();
        let bands = dataset.raster_count();
        if bands == 0 {
            // A vector-only file GDAL still opened, or a subdataset container (HDF, NetCDF).
            return Err(RasterError::Io {
                path: path.to_path_buf(),
                source: std::io::Error::new(
                    std::io::ErrorKind::InvalidData,
                    "GDAL opened the file but it has no raster band",
                ),
            });
        }
        if width == 0 || height == 0 {
            return Err(RasterError::Malformed {
                path: path.to_path_buf(),
                chunk: None,
                detail: Malformation::ZeroDimension {
                    width: width as u64,
                    height: height as u64,
                },
            });
        }
        let band1 = dataset.rasterband(1).map_err(|e| gdal_io(path, e))?;
        let (sample_type, signed_byte) = sample_type(path, &band1)?;
        for b in 2..=bands {
            let band = dataset.rasterband(b).map_err(|e| gdal_io(path, e))?;
            if sample_type_of(&band).map(|t| t.0) != Some(sample_type) {
                return Err(unsupported(path, UnsupportedFeature::MixedSamples));
            }
        }
        let (block_width, block_height) = band1.block_size();
        let (block_width, block_height) = (block_width.max(1), block_height.max(1));
        let strips = block_width >= width;
        let grid = BlockGrid::new(
            width as u64,
            height as u64,
            (!strips).then_some((block_width as u64, block_height as u64)),
            strips.then_some(block_height as u64),
            1,
        )
        .ok_or_else(|| RasterError::LimitExceeded {
            path: path.to_path_buf(),
            what: LimitKind::Chunks,
            requested: u64::MAX,
            limit: limits.max_chunks,
        })?;
        let blocks = (grid.across as u64).saturating_mul(grid.down as u64);
        if blocks > limits.max_chunks {
            return Err(RasterError::LimitExceeded {
                path: path.to_path_buf(),
                what: LimitKind::Chunks,
                requested: blocks,
                limit: limits.max_chunks,
            });
        }
        let mut info = describe(path, &dataset, &band1, &grid, sample_type, bands);
        let mask = has_per_dataset_mask(&band1);
        if mask {
            info.mask = Some("per-dataset, read by GDAL".to_string());
        }
        Ok(GdalRaster {
            path: path.to_path_buf(),
            info,
            limits,
            grid,
            signed_byte,
            mask,
            dataset: Mutex::new(dataset),
        })
    }

    /// The description of the dataset, filled from GDAL.
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

    /// The limits this dataset was opened with.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// A second GDAL handle on the same file, for another thread.
    ///
    /// # Errors
    /// [`RasterError::Io`] when GDAL can no longer open the file, or
    /// [`RasterError::Malformed`] when its size changed since it was opened.
    pub fn try_clone(&self) -> Result<GdalRaster, RasterError> {
        let dataset = open_dataset(&self.path)?;
        if dataset.raster_size() != (self.info.width, self.info.height)
            || dataset.raster_count() != self.info.bands
        {
            return Err(RasterError::Malformed {
                path: self.path.clone(),
                chunk: None,
                detail: Malformation::BadTag {
                    tag: 0,
                    reason: "the file changed since it was opened",
                },
            });
        }
        Ok(GdalRaster {
            path: self.path.clone(),
            info: self.info.clone(),
            limits: self.limits,
            grid: self.grid,
            signed_byte: self.signed_byte,
            mask: self.mask,
            dataset: Mutex::new(dataset),
        })
    }

    /// Number of block columns (GDAL's natural block size).
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

    /// Band `band` (1-based) over [`block_window`](Self::block_window).
    ///
    /// # Errors
    /// Out-of-range band or block; GDAL's decoding errors as [`RasterError::Malformed`].
    pub fn read_block(
        &mut self,
        band: usize,
        block_col: usize,
        block_row: usize,
    ) -> Result<BandBuffer, RasterError> {
        request::check_block(&self.path, &self.grid, block_col, block_row)?;
        self.read_window(band, self.grid.window(block_col, block_row))
    }

    /// Reads band `band` (1-based) over `win` at full resolution.
    ///
    /// # Errors
    /// [`RasterError::BandOutOfRange`], [`RasterError::WindowOutOfRange`] (empty or
    /// outside the raster), [`RasterError::LimitExceeded`] over `max_window_bytes`,
    /// and GDAL's read errors as [`RasterError::Malformed`].
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
        request::check_band(&self.path, &self.info, band)?;
        request::check_window(&self.path, &self.info, &self.limits, win)?;
        out.reshape(self.info.sample_type, win.len());
        let path = &self.path;
        let dataset = match self.dataset.get_mut() {
            Ok(d) => d,
            // A panic while reading cannot leave GDAL's handle half-updated on our side.
            Err(poisoned) => poisoned.into_inner(),
        };
        let rb = dataset.rasterband(band).map_err(|e| gdal_io(path, e))?;
        let read = match out {
            BandBuffer::U8(v) => read_into(&rb, win, v),
            BandBuffer::I8(v) if self.signed_byte => {
                let mut raw = vec![0u8; v.len()];
                let r = read_into(&rb, win, &mut raw);
                v.iter_mut().zip(&raw).for_each(|(d, s)| *d = *s as i8);
                r
            }
            BandBuffer::I8(v) => {
                // GDAL ≥ 3.7 Int8: read through i16 (every version has it) and narrow.
                let mut wide = vec![0i16; v.len()];
                let r = read_into(&rb, win, &mut wide);
                v.iter_mut()
                    .zip(&wide)
                    .for_each(|(d, s)| *d = (*s).clamp(i8::MIN.into(), i8::MAX.into()) as i8);
                r
            }
            BandBuffer::U16(v) => read_into(&rb, win, v),
            BandBuffer::I16(v) => read_into(&rb, win, v),
            BandBuffer::U32(v) => read_into(&rb, win, v),
            BandBuffer::I32(v) => read_into(&rb, win, v),
            BandBuffer::F32(v) => read_into(&rb, win, v),
            BandBuffer::F64(v) => read_into(&rb, win, v),
        };
        read.map_err(|e| RasterError::Malformed {
            path: path.clone(),
            chunk: None,
            detail: Malformation::Stream(std::io::Error::other(e)),
        })
    }

    /// True when the dataset has a per-dataset mask (see the module notes).
    pub fn has_mask(&self) -> bool {
        self.mask
    }

    /// The per-dataset mask over `win` into `out`, one byte per cell (0 masked, 1
    /// valid: GDAL's 0 stays 0, anything else, normally 255, becomes 1); false (and
    /// `out` untouched) when the dataset has none.
    ///
    /// # Errors
    /// [`RasterError::WindowOutOfRange`] (empty or outside the raster),
    /// [`RasterError::LimitExceeded`] over `max_window_bytes`, and GDAL's errors
    /// reading the mask as [`RasterError::Malformed`].
    pub fn read_mask_window_into(
        &mut self,
        win: Window,
        out: &mut Vec<u8>,
    ) -> Result<bool, RasterError> {
        if !self.mask {
            return Ok(false);
        }
        request::check_band(&self.path, &self.info, 1)?;
        request::check_window(&self.path, &self.info, &self.limits, win)?;
        out.clear();
        out.resize(win.len(), 0);
        let path = &self.path;
        let dataset = match self.dataset.get_mut() {
            Ok(d) => d,
            Err(poisoned) => poisoned.into_inner(),
        };
        let band1 = dataset.rasterband(1).map_err(|e| gdal_io(path, e))?;
        band1
            .open_mask_band()
            .and_then(|m| read_into(&m, win, out))
            .map_err(|e| RasterError::Malformed {
                path: path.clone(),
                chunk: None,
                detail: Malformation::Stream(std::io::Error::other(format!(
                    "reading the per-dataset mask: {e}"
                ))),
            })?;
        out.iter_mut().for_each(|v| *v = u8::from(*v != 0));
        Ok(true)
    }

    /// Reads all of band `band` (1-based), subject to `max_window_bytes`.
    ///
    /// # Errors
    /// As [`read_window`](Self::read_window).
    pub fn read_band(&mut self, band: usize) -> Result<BandBuffer, RasterError> {
        self.read_window(band, self.grid().full_window())
    }
}

/// Reads `win` of `band` into `buf` (exactly `win.len()` samples) at full resolution.
fn read_into<T: Copy + GdalType>(
    band: &RasterBand<'_>,
    win: Window,
    buf: &mut [T],
) -> Result<(), GdalError> {
    let (x, y) = (
        isize::try_from(win.col_off).map_err(|_| GdalError::BadArgument("column".into()))?,
        isize::try_from(win.row_off).map_err(|_| GdalError::BadArgument("row".into()))?,
    );
    let size = (win.width, win.height);
    band.read_into_slice((x, y), size, size, buf, None)
}

/// Whether `band1`'s mask is a real per-dataset mask: `GMF_PER_DATASET` without
/// `GMF_ALL_VALID`, `GMF_NODATA` or `GMF_ALPHA` (see the module notes).
fn has_per_dataset_mask(band1: &RasterBand<'_>) -> bool {
    band1
        .mask_flags()
        .is_ok_and(|f| f.is_per_dataset() && !f.is_all_valid() && !f.is_nodata() && !f.is_alpha())
}

/// Installs a silent GDAL error handler once: the engine never prints, and GDAL's
/// errors still reach the caller through the `Result`s (CPLGetLastErrorMsg).
pub(crate) fn quiet_gdal() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| gdal::config::set_error_handler(|_, _, _| {}));
}

/// A GDAL failure to open or describe `path` as an I/O error carrying GDAL's message.
pub(crate) fn gdal_io(path: &Path, e: GdalError) -> RasterError {
    RasterError::Io {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    }
}

fn unsupported(path: &Path, feature: UnsupportedFeature) -> RasterError {
    RasterError::Unsupported {
        path: path.to_path_buf(),
        chunk: None,
        feature,
    }
}

/// Opens `path` read-only as a raster dataset, GDAL's messages kept off stderr.
fn open_dataset(path: &Path) -> Result<Dataset, RasterError> {
    quiet_gdal();
    let options = DatasetOptions {
        open_flags: GdalOpenFlags::GDAL_OF_RASTER | GdalOpenFlags::GDAL_OF_READONLY,
        ..DatasetOptions::default()
    };
    Dataset::open_ex(path, options).map_err(|e| gdal_io(path, e))
}

/// The reclaim sample type of a band, and whether it is GDAL < 3.7's signed Byte.
fn sample_type(path: &Path, band: &RasterBand<'_>) -> Result<(SampleType, bool), RasterError> {
    sample_type_of(band).ok_or_else(|| {
        let ty = band.band_type();
        let format = if ty.is_floating() {
            6
        } else if ty.is_signed() {
            2
        } else {
            1
        };
        unsupported(
            path,
            UnsupportedFeature::SampleType {
                format,
                bits: u16::from(ty.bits()),
            },
        )
    })
}

/// Like [`sample_type`], `None` when reclaim has no buffer type for the band's type.
fn sample_type_of(band: &RasterBand<'_>) -> Option<(SampleType, bool)> {
    // By name, not by `GdalDataType` variant: the variants differ between GDAL versions.
    match band.band_type().name().as_str() {
        "Byte" => {
            let signed =
                band.metadata_item("PIXELTYPE", IMAGE_STRUCTURE).as_deref() == Some("SIGNEDBYTE");
            Some(if signed {
                (SampleType::I8, true)
            } else {
                (SampleType::U8, false)
            })
        }
        name => sample_type_by_name(name).map(|t| (t, false)),
    }
}

/// GDAL data type names (other than Byte) to sample types.
fn sample_type_by_name(name: &str) -> Option<SampleType> {
    Some(match name {
        "Int8" => SampleType::I8,
        "UInt16" => SampleType::U16,
        "Int16" => SampleType::I16,
        "UInt32" => SampleType::U32,
        "Int32" => SampleType::I32,
        "Float32" => SampleType::F32,
        "Float64" => SampleType::F64,
        _ => return None,
    })
}

/// Everything `reclaim info` reports, from GDAL's view of the dataset.
fn describe(
    path: &Path,
    dataset: &Dataset,
    band1: &RasterBand<'_>,
    grid: &BlockGrid,
    sample_type: SampleType,
    bands: usize,
) -> RasterInfo {
    let (transform, georeferenced) = match dataset.geo_transform() {
        Ok(gt) => (transform_from_gdal(gt), true),
        Err(_) => (GeoTransform::UNIT, false),
    };
    let srs = dataset.spatial_ref().ok();
    let epsg = srs.as_ref().and_then(|s| {
        (s.auth_name().as_deref() == Some("EPSG"))
            .then(|| s.auth_code().ok())
            .flatten()
            .and_then(|c| u32::try_from(c).ok())
    });
    let item = |key: &str| dataset.metadata_item(key, IMAGE_STRUCTURE);
    let nodata = band1
        .no_data_value()
        .map(|v| nodata_as_stored(v, sample_type));
    let driver = dataset.driver().short_name();
    let header = tiff_header(path);
    RasterInfo {
        path: path.to_path_buf(),
        width: grid.width,
        height: grid.height,
        bands,
        sample_type,
        transform,
        georeferenced,
        gcps: dataset.gcps().len(),
        epsg,
        crs_citation: srs.as_ref().and_then(|s| s.name()),
        pixel_is_point: dataset.metadata_item("AREA_OR_POINT", "").as_deref() == Some("Point"),
        nodata,
        scale: band1.scale(),
        offset: band1.offset(),
        layout: if grid.tiled {
            Layout::Tiles {
                width: u32::try_from(grid.block_width).unwrap_or(u32::MAX),
                height: u32::try_from(grid.block_height).unwrap_or(u32::MAX),
            }
        } else {
            Layout::Strips {
                rows_per_strip: u32::try_from(grid.block_height).unwrap_or(u32::MAX),
            }
        },
        block_width: grid.block_width,
        block_height: grid.block_height,
        // GTiff says "JPEG", "YCbCr JPEG", "WEBP", "LERC_DEFLATE" …; other drivers
        // encode by nature (JPEG 2000, VRT): name the driver.
        compression: item("COMPRESSION").unwrap_or(driver),
        predictor: item("PREDICTOR")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or(1),
        planar_separate: bands > 1 && item("INTERLEAVE").as_deref() == Some("BAND"),
        big_tiff: header.is_some_and(|h| h.big),
        big_endian: header.is_some_and(|h| h.big_endian),
        overviews: band1
            .overview_count()
            .ok()
            .and_then(|n| usize::try_from(n).ok())
            .unwrap_or(0),
        bad_pixel_scale: None,
        mask: None,
    }
}

/// GDAL's `[x0, dx, rx, y0, ry, dy]`.
fn transform_from_gdal(gt: [f64; 6]) -> GeoTransform {
    let [x0, dx, rx, y0, ry, dy] = gt;
    GeoTransform {
        x0,
        dx,
        rx,
        y0,
        ry,
        dy,
    }
}

/// The nodata value as a band of type `ty` holds it (float32 bands round to f32,
/// as the GeoTIFF reader reports them).
fn nodata_as_stored(v: f64, ty: SampleType) -> f64 {
    if ty == SampleType::F32 && v.is_finite() {
        f64::from(v as f32)
    } else {
        v
    }
}

/// What the first four bytes say about a TIFF file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct TiffHeader {
    big: bool,
    big_endian: bool,
}

/// The TIFF header of `path`, `None` when it is not a (readable) TIFF.
fn tiff_header(path: &Path) -> Option<TiffHeader> {
    let mut magic = [0u8; 4];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut magic))
        .ok()?;
    parse_tiff_header(magic)
}

/// Classic or BigTIFF, little- or big-endian, from the first four bytes.
fn parse_tiff_header(magic: [u8; 4]) -> Option<TiffHeader> {
    let (big_endian, version) = match magic {
        [b'I', b'I', a, b] => (false, u16::from_le_bytes([a, b])),
        [b'M', b'M', a, b] => (true, u16::from_be_bytes([a, b])),
        _ => return None,
    };
    match version {
        42 => Some(TiffHeader {
            big: false,
            big_endian,
        }),
        43 => Some(TiffHeader {
            big: true,
            big_endian,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiff_headers() {
        let h = |b: &[u8; 4]| parse_tiff_header(*b);
        assert_eq!(
            h(b"II*\0"),
            Some(TiffHeader {
                big: false,
                big_endian: false
            })
        );
        assert_eq!(
            h(b"MM\0+"),
            Some(TiffHeader {
                big: true,
                big_endian: true
            })
        );
        assert_eq!(h(b"\0\0\0\x0cjP  "[..4].try_into().unwrap()), None);
        assert_eq!(h(b"II*\x01"), None);
    }

    #[test]
    fn type_names_and_nodata_rounding() {
        assert_eq!(sample_type_by_name("Float32"), Some(SampleType::F32));
        assert_eq!(sample_type_by_name("Int8"), Some(SampleType::I8));
        assert_eq!(sample_type_by_name("CFloat32"), None);
        assert_eq!(sample_type_by_name("UInt64"), None);
        // 0.1 is not an f32: the band stores 0.100000001490116…
        assert_eq!(nodata_as_stored(0.1, SampleType::F32), f64::from(0.1f32));
        assert_eq!(nodata_as_stored(0.1, SampleType::F64), 0.1);
        assert!(nodata_as_stored(f64::NAN, SampleType::F32).is_nan());
    }

    #[test]
    fn transform_order() {
        let t = transform_from_gdal([10.0, 2.0, 0.5, 20.0, 0.25, -2.0]);
        assert_eq!(t.to_gdal(), [10.0, 2.0, 0.5, 20.0, 0.25, -2.0]);
        assert_eq!(t.apply(1.0, 1.0), (12.5, 18.25));
    }

    /// A 3 × 2 Int16 raster written by GDAL's MEM-like GTiff driver into a temp dir,
    /// read back window by window.
    #[test]
    fn reads_windows_through_gdal() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.tif");
        {
            let driver = gdal::DriverManager::get_driver_by_name("GTiff").unwrap();
            let mut ds = driver
                .create_with_band_type::<i16, _>(&path, 3, 2, 1)
                .unwrap();
            ds.set_geo_transform(&[500.0, 10.0, 0.0, 900.0, 0.0, -10.0])
                .unwrap();
            let mut b = ds.rasterband(1).unwrap();
            let mut buf = gdal::raster::Buffer::new((3, 2), vec![1i16, -2, 3, 4, 5, -6]);
            b.write((0, 0), (3, 2), &mut buf).unwrap();
            b.set_no_data_value(Some(-6.0)).unwrap();
        }
        let mut r = GdalRaster::open(&path).unwrap();
        let info = r.info().clone();
        assert_eq!((info.width, info.height, info.bands), (3, 2, 1));
        assert_eq!(info.sample_type, SampleType::I16);
        assert_eq!(
            info.transform.to_gdal(),
            [500.0, 10.0, 0.0, 900.0, 0.0, -10.0]
        );
        assert!(info.georeferenced);
        assert_eq!(info.nodata, Some(-6.0));
        assert!(!info.big_endian && !info.big_tiff);
        let win = Window {
            col_off: 1,
            row_off: 0,
            width: 2,
            height: 2,
        };
        assert_eq!(
            r.read_window(1, win).unwrap(),
            BandBuffer::I16(vec![-2, 3, 5, -6])
        );
        assert_eq!(
            r.read_band(1).unwrap(),
            BandBuffer::I16(vec![1, -2, 3, 4, 5, -6])
        );
        let mut c = r.try_clone().unwrap();
        assert_eq!(
            c.read_window(1, win).unwrap(),
            BandBuffer::I16(vec![-2, 3, 5, -6])
        );
        assert!(matches!(
            r.read_band(2),
            Err(RasterError::BandOutOfRange { bands: 1, .. })
        ));
        let outside = Window { col_off: 2, ..win };
        assert!(matches!(
            r.read_window(1, outside),
            Err(RasterError::WindowOutOfRange { .. })
        ));
    }

    #[test]
    fn block_count_is_capped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("rows.bin");
        {
            // ENVI's blocks are single rows: 40 of them.
            let driver = gdal::DriverManager::get_driver_by_name("ENVI").unwrap();
            driver
                .create_with_band_type::<u8, _>(&path, 4, 40, 1)
                .unwrap();
        }
        let r = GdalRaster::open(&path).unwrap();
        let blocks = r.blocks_across() * r.blocks_down();
        assert_eq!((r.blocks_across(), r.blocks_down()), (1, 40));
        assert_eq!(r.info().layout, Layout::Strips { rows_per_strip: 1 });
        let limits = Limits {
            max_chunks: blocks as u64 - 1,
            ..Limits::default()
        };
        assert!(matches!(
            GdalRaster::open_with_limits(&path, limits),
            Err(RasterError::LimitExceeded {
                what: LimitKind::Chunks,
                ..
            })
        ));
    }

    #[test]
    fn not_a_raster_is_an_io_error_with_gdals_message() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.bin");
        std::fs::write(&path, b"hello, not a raster").unwrap();
        let e = GdalRaster::open(&path).unwrap_err();
        assert!(matches!(e, RasterError::Io { .. }), "{e:?}");
        assert!(e.to_string().contains("x.bin"), "{e}");
    }
}
