//! GeoTIFF writing on the `tiff` crate's encoder: georeferencing tags (shared by the
//! demo's rasters and the audit's `classes.tif`), and a tiled one-band `u8` writer
//! that takes the image one row of tiles at a time (DEFLATE with the horizontal
//! predictor, an optional colour table, GDAL_NODATA and GDAL_METADATA).

use crate::grid::GeoTransform;
use flate2::write::ZlibEncoder;
use rayon::prelude::*;
use std::fs::File;
use std::io::{Seek, Write};
use std::path::{Path, PathBuf};
use tiff::encoder::{DirectoryEncoder, TiffEncoder, TiffKind, TiffKindBig, TiffKindStandard};
use tiff::tags::Tag;
use tiff::TiffResult;

/// GeoKeyDirectory for a CRS given by EPSG code: GTModelType (projected or
/// geographic), GTRasterType = PixelIsArea, and ProjectedCSType or GeographicType.
/// Without a code only the model and raster types are written (no CRS).
pub fn geo_key_directory(epsg: Option<u32>, geographic: bool) -> Vec<u16> {
    let model = if geographic { 2 } else { 1 };
    let code = epsg.and_then(|c| u16::try_from(c).ok());
    let n = if code.is_some() { 3 } else { 2 };
    let mut keys = vec![1, 1, 0, n, 1024, 0, 1, model, 1025, 0, 1, 1];
    if let Some(c) = code {
        keys.extend([if geographic { 2048 } else { 3072 }, 0, 1, c]);
    }
    keys
}

/// Writes ModelPixelScale and ModelTiepoint (a grid without rotation) or
/// ModelTransformation (a rotated one) for `t` (cell corners, PixelIsArea), then
/// the GeoKeyDirectory `keys`.
pub fn write_georef<W: Write + Seek, K: TiffKind>(
    dir: &mut DirectoryEncoder<'_, W, K>,
    t: &GeoTransform,
    keys: &[u16],
) -> TiffResult<()> {
    if t.is_axis_aligned() {
        dir.write_tag(Tag::ModelPixelScaleTag, &[t.dx, -t.dy, 0.0][..])?;
        dir.write_tag(Tag::ModelTiepointTag, &[0.0, 0.0, 0.0, t.x0, t.y0, 0.0][..])?;
    } else {
        let m = [
            t.dx, t.rx, 0.0, t.x0, t.ry, t.dy, 0.0, t.y0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ];
        dir.write_tag(Tag::ModelTransformationTag, &m[..])?;
    }
    dir.write_tag(Tag::GeoKeyDirectoryTag, keys)?;
    Ok(())
}

/// Side of a tile of [`write_tiled_u8`], cells.
pub const TILE: usize = 256;

/// One single-band `u8` GeoTIFF of [`write_tiled_u8`].
#[derive(Debug, Clone)]
pub struct U8Tiff {
    /// The file to write.
    pub path: PathBuf,
    /// Georeferencing of cell (0, 0) of the image.
    pub transform: GeoTransform,
    /// GeoKeyDirectory ([`geo_key_directory`]).
    pub geo_keys: Vec<u16>,
    /// Written as GDAL_NODATA and used to pad the edge tiles.
    pub nodata: u8,
    /// A colour table (palette photometric) for all 256 values.
    pub palette: Option<Box<[[u8; 3]; 256]>>,
    /// GDAL_METADATA XML, when any.
    pub metadata: Option<String>,
}

/// Why a tiled GeoTIFF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file could not be created or written.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The TIFF encoder failed.
    #[error("{path}: {source}")]
    Tiff {
        /// The file.
        path: PathBuf,
        /// The encoder's error.
        source: tiff::TiffError,
    },
    /// The producer of the cells failed.
    #[error("{0}")]
    Producer(String),
}

/// Writes `files` (each one band of `u8`, `width` × `height`, 256 × 256 tiles,
/// DEFLATE with the horizontal predictor) from one pass of `produce`, which is
/// called once per row of tiles, top to bottom, with the first image row, the
/// number of rows (at most [`TILE`]) and one buffer per file of `width` × rows
/// cells, row-major, to fill. Only one row of tiles is in memory at a time; its
/// tiles are compressed in parallel. BigTIFF when the image is over 2 GiB.
///
/// # Errors
/// [`WriteError`] naming the file; a producer's error as [`WriteError::Producer`].
pub fn write_tiled_u8<E: std::fmt::Display>(
    files: &[U8Tiff],
    width: usize,
    height: usize,
    produce: impl FnMut(usize, usize, &mut [Vec<u8>]) -> Result<(), E>,
) -> Result<(), WriteError> {
    if width.saturating_mul(height) > (1usize << 31) {
        write_kind::<TiffKindBig, E>(files, width, height, produce)
    } else {
        write_kind::<TiffKindStandard, E>(files, width, height, produce)
    }
}

fn write_kind<K: TiffKind, E: std::fmt::Display>(
    files: &[U8Tiff],
    width: usize,
    height: usize,
    mut produce: impl FnMut(usize, usize, &mut [Vec<u8>]) -> Result<(), E>,
) -> Result<(), WriteError> {
    let io = |path: &Path, source| WriteError::Io {
        path: path.to_path_buf(),
        source,
    };
    let tiff_err = |path: &Path| {
        let path = path.to_path_buf();
        move |source| WriteError::Tiff {
            path: path.clone(),
            source,
        }
    };
    let (w32, h32) = match (u32::try_from(width), u32::try_from(height)) {
        (Ok(w), Ok(h)) if w > 0 && h > 0 => (w, h),
        _ => {
            return Err(WriteError::Producer(format!(
                "a {width} × {height} image cannot be written"
            )))
        }
    };
    let mut encoders = Vec::with_capacity(files.len());
    let mut handles = Vec::with_capacity(files.len());
    for f in files {
        // Unbuffered: every write's error is seen (tiles are written whole).
        let file = File::create(&f.path).map_err(|e| io(&f.path, e))?;
        handles.push(file.try_clone().map_err(|e| io(&f.path, e))?);
        encoders.push(TiffEncoder::<_, K>::new_generic(file).map_err(tiff_err(&f.path))?);
    }
    let mut dirs = Vec::with_capacity(files.len());
    for (e, f) in encoders.iter_mut().zip(files) {
        dirs.push(e.image_directory().map_err(tiff_err(&f.path))?);
    }
    let across = width.div_ceil(TILE);
    let down = height.div_ceil(TILE);
    let mut offsets: Vec<Vec<u64>> = vec![Vec::with_capacity(across * down); files.len()];
    let mut counts: Vec<Vec<u64>> = vec![Vec::with_capacity(across * down); files.len()];
    let mut bufs: Vec<Vec<u8>> = vec![Vec::new(); files.len()];
    for tr in 0..down {
        let row0 = tr * TILE;
        let rows = TILE.min(height - row0);
        for b in bufs.iter_mut() {
            b.clear();
            b.resize(width * rows, 0);
        }
        produce(row0, rows, &mut bufs).map_err(|e| WriteError::Producer(e.to_string()))?;
        for (k, f) in files.iter().enumerate() {
            let Some(buf) = bufs.get(k) else { continue };
            let tiles: Vec<Vec<u8>> = (0..across)
                .into_par_iter()
                .map(|tc| compress_tile(buf, width, rows, tc * TILE, f.nodata))
                .collect::<Result<_, _>>()
                .map_err(|e| io(&f.path, e))?;
            let (Some(dir), Some(offs), Some(cnts)) =
                (dirs.get_mut(k), offsets.get_mut(k), counts.get_mut(k))
            else {
                continue;
            };
            for t in &tiles {
                offs.push(dir.write_data(&t[..]).map_err(tiff_err(&f.path))?);
                cnts.push(t.len() as u64);
            }
        }
    }
    for ((mut dir, f), (offs, cnts)) in dirs.into_iter().zip(files).zip(offsets.iter().zip(&counts))
    {
        let run = || -> TiffResult<()> {
            dir.write_tag(Tag::ImageWidth, w32)?;
            dir.write_tag(Tag::ImageLength, h32)?;
            dir.write_tag(Tag::BitsPerSample, 8u16)?;
            dir.write_tag(Tag::Compression, 8u16)?; // Adobe DEFLATE
            let photometric: u16 = if f.palette.is_some() { 3 } else { 1 };
            dir.write_tag(Tag::PhotometricInterpretation, photometric)?;
            dir.write_tag(Tag::SamplesPerPixel, 1u16)?;
            dir.write_tag(Tag::PlanarConfiguration, 1u16)?;
            dir.write_tag(Tag::Predictor, 2u16)?;
            dir.write_tag(Tag::TileWidth, TILE as u32)?;
            dir.write_tag(Tag::TileLength, TILE as u32)?;
            let o = offs
                .iter()
                .map(|&v| K::convert_offset(v))
                .collect::<TiffResult<Vec<_>>>()?;
            let c = cnts
                .iter()
                .map(|&v| K::convert_offset(v))
                .collect::<TiffResult<Vec<_>>>()?;
            dir.write_tag(Tag::TileOffsets, K::convert_slice(&o))?;
            dir.write_tag(Tag::TileByteCounts, K::convert_slice(&c))?;
            dir.write_tag(Tag::SampleFormat, 1u16)?;
            if let Some(p) = &f.palette {
                let mut map = Vec::with_capacity(768);
                for ch in 0..3 {
                    map.extend(p.iter().map(|c| u16::from(c[ch]) * 257));
                }
                dir.write_tag(Tag::ColorMap, &map[..])?;
            }
            if let Some(m) = &f.metadata {
                dir.write_tag(Tag::Unknown(42112), m.as_str())?;
            }
            write_georef(&mut dir, &f.transform, &f.geo_keys)?;
            dir.write_tag(Tag::GdalNodata, f.nodata.to_string().as_str())?;
            dir.finish()
        };
        run().map_err(tiff_err(&f.path))?;
    }
    drop(encoders);
    for (h, f) in handles.iter().zip(files) {
        h.sync_all().map_err(|e| io(&f.path, e))?;
    }
    Ok(())
}

/// One tile (columns `col0…col0 + TILE` of the `rows` × `width` buffer, padded with
/// `nodata` to `TILE` × `TILE`), predicted and DEFLATE-compressed.
fn compress_tile(
    buf: &[u8],
    width: usize,
    rows: usize,
    col0: usize,
    nodata: u8,
) -> std::io::Result<Vec<u8>> {
    let mut tile = vec![nodata; TILE * TILE];
    let n = TILE.min(width.saturating_sub(col0));
    for r in 0..rows {
        let start = r * width + col0;
        if let (Some(dst), Some(src)) = (
            tile.get_mut(r * TILE..r * TILE + n),
            buf.get(start..start + n),
        ) {
            dst.copy_from_slice(src);
        }
    }
    // Horizontal predictor (TIFF 6.0, Predictor 2): each byte minus the one before.
    for row in tile.chunks_exact_mut(TILE) {
        for i in (1..TILE).rev() {
            row[i] = row[i].wrapping_sub(row[i - 1]);
        }
    }
    let mut z = ZlibEncoder::new(Vec::new(), flate2::Compression::new(6));
    z.write_all(&tile)?;
    z.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn geokeys_name_the_epsg_code() {
        assert_eq!(
            geo_key_directory(Some(32651), false),
            vec![1, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32651]
        );
        assert_eq!(
            geo_key_directory(Some(4326), true)[12..],
            [2048, 0, 1, 4326]
        );
        assert_eq!(geo_key_directory(None, false).len(), 12);
    }
}
