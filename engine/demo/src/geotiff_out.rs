//! GeoTIFF writer for the demo rasters (the `tiff` crate's encoder): strips, DEFLATE,
//! GeoKeys for EPSG:32651 (PixelIsArea), ModelPixelScale/ModelTiepoint, GDAL_NODATA.
//!
//! The two-band image is written pixel-interleaved (PlanarConfiguration 1) as
//! BlackIsZero with one extra sample (ExtraSamples = 0, unspecified), as GDAL writes a
//! 2-band UInt16 GeoTIFF; a small [`ColorType`] gives the encoder two 16-bit samples
//! and the horizontal predictor per sample.

use crate::error::DemoError;
use crate::grid::{CELL, HEIGHT, WIDTH, X0, Y_TOP};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;
use tiff::encoder::colortype::{ColorType, Gray8};
use tiff::encoder::compression::DeflateLevel;
use tiff::encoder::{Compression, DirectoryEncoder, Predictor, TiffEncoder, TiffKind};
use tiff::tags::{PhotometricInterpretation, SampleFormat, Tag};
use tiff::TiffResult;

/// Rows per strip (3000 × 2 × 2 B × 32 rows ≈ 384 KiB per strip before compression).
const ROWS_PER_STRIP: u32 = 32;

/// Two unsigned 16-bit samples per pixel (red, NIR).
struct RedNir16;

impl ColorType for RedNir16 {
    type Inner = u16;
    const TIFF_VALUE: PhotometricInterpretation = PhotometricInterpretation::BlackIsZero;
    const BITS_PER_SAMPLE: &'static [u16] = &[16, 16];
    const SAMPLE_FORMAT: &'static [SampleFormat] = &[SampleFormat::Uint, SampleFormat::Uint];

    fn horizontal_predict(row: &[u16], result: &mut Vec<u16>) {
        // Each sample minus the same sample of the previous pixel (TIFF 6.0, Predictor 2).
        result.extend(row.iter().take(2));
        result.extend(
            row.iter()
                .zip(row.iter().skip(2))
                .map(|(prev, cur)| cur.wrapping_sub(*prev)),
        );
    }
}

/// GeoKeyDirectory: version 1.1.0, 4 keys: GTModelType = projected, GTRasterType =
/// PixelIsArea, ProjectedCSType = 32651, ProjLinearUnits = metre.
const GEO_KEYS: [u16; 20] = [
    1, 1, 0, 4, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32651, 3076, 0, 1, 9001,
];

/// The part of the demo grid a raster covers: columns `col0..col0 + width`, all rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Span {
    /// First column.
    pub col0: usize,
    /// Columns.
    pub width: usize,
}

impl Span {
    /// The whole grid.
    pub const FULL: Span = Span {
        col0: 0,
        width: WIDTH,
    };
}

fn geo_tags<W: std::io::Write + std::io::Seek, K: TiffKind>(
    dir: &mut DirectoryEncoder<'_, W, K>,
    span: Span,
) -> TiffResult<()> {
    let t = reclaim::GeoTransform {
        x0: X0 + CELL * span.col0 as f64,
        dx: CELL,
        rx: 0.0,
        y0: Y_TOP,
        ry: 0.0,
        dy: -CELL,
    };
    reclaim::raster::write::write_georef(dir, &t, &GEO_KEYS)?;
    dir.write_tag(Tag::GdalNodata, "0")?;
    Ok(())
}

/// GDAL_METADATA naming the bands and their L2A scale and offset.
const GDAL_METADATA: &str = "<GDALMetadata>\
<Item name=\"DESCRIPTION\" sample=\"0\" role=\"description\">B04 red</Item>\
<Item name=\"SCALE\" sample=\"0\" role=\"scale\">0.0001</Item>\
<Item name=\"OFFSET\" sample=\"0\" role=\"offset\">-0.1</Item>\
<Item name=\"DESCRIPTION\" sample=\"1\" role=\"description\">B08 near-infrared</Item>\
<Item name=\"SCALE\" sample=\"1\" role=\"scale\">0.0001</Item>\
<Item name=\"OFFSET\" sample=\"1\" role=\"offset\">-0.1</Item>\
</GDALMetadata>";

fn create(path: &Path) -> Result<BufWriter<File>, DemoError> {
    File::create(path)
        .map(BufWriter::new)
        .map_err(|source| DemoError::Io {
            path: path.to_path_buf(),
            source,
        })
}

/// Writes the pixel-interleaved red/NIR DNs as a 2-band UInt16 GeoTIFF.
///
/// # Errors
/// [`DemoError::Io`] or [`DemoError::Tiff`].
pub fn write_bands(path: &Path, bands: &[u16]) -> Result<(), DemoError> {
    write_bands_span(path, bands, Span::FULL)
}

/// [`write_bands`] for the columns of `span` (`bands` holds just those).
///
/// # Errors
/// [`DemoError::Io`] or [`DemoError::Tiff`].
pub fn write_bands_span(path: &Path, bands: &[u16], span: Span) -> Result<(), DemoError> {
    let file = create(path)?;
    let tiff_err = |source| DemoError::Tiff {
        path: path.to_path_buf(),
        source,
    };
    let run = || -> TiffResult<()> {
        let mut enc = TiffEncoder::new(file)?
            .with_compression(Compression::Deflate(DeflateLevel::Balanced))
            .with_predictor(Predictor::Horizontal);
        let mut img = enc.new_image::<RedNir16>(span.width as u32, HEIGHT as u32)?;
        img.rows_per_strip(ROWS_PER_STRIP)?;
        img.encoder().write_tag(Tag::ExtraSamples, &[0u16][..])?;
        img.encoder()
            .write_tag(Tag::Unknown(42112), GDAL_METADATA)?;
        geo_tags(img.encoder(), span)?;
        img.write_data(bands)
    };
    run().map_err(tiff_err)
}

/// Writes the SCL codes as a 1-band UInt8 GeoTIFF.
///
/// # Errors
/// [`DemoError::Io`] or [`DemoError::Tiff`].
pub fn write_scl(path: &Path, scl: &[u8]) -> Result<(), DemoError> {
    write_scl_span(path, scl, Span::FULL)
}

/// [`write_scl`] for the columns of `span` (`scl` holds just those).
///
/// # Errors
/// [`DemoError::Io`] or [`DemoError::Tiff`].
pub fn write_scl_span(path: &Path, scl: &[u8], span: Span) -> Result<(), DemoError> {
    let file = create(path)?;
    let tiff_err = |source| DemoError::Tiff {
        path: path.to_path_buf(),
        source,
    };
    let run = || -> TiffResult<()> {
        let mut enc =
            TiffEncoder::new(file)?.with_compression(Compression::Deflate(DeflateLevel::Balanced));
        let mut img = enc.new_image::<Gray8>(span.width as u32, HEIGHT as u32)?;
        img.rows_per_strip(ROWS_PER_STRIP * 4)?;
        geo_tags(img.encoder(), span)?;
        img.write_data(scl)
    };
    run().map_err(tiff_err)
}
