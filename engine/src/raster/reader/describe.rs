//! What an open GeoTIFF is: the GeoTIFF tags (model transform, GeoKeys), GDAL's
//! tags (nodata, scale and offset) and the layout assembled into a [`RasterInfo`];
//! and the per-chunk offset and byte-count arrays.

use std::path::Path;

use tiff::tags::Tag;
use tiff::TiffError;

use super::layout::Validated;
use crate::raster::blocks::BlockGrid;
use crate::raster::error::{compression_name, Malformation, RasterError};
use crate::raster::gdal_tags::{parse_nodata, scale_offset, GDAL_METADATA_TAG};
use crate::raster::geokeys::GeoKeys;
use crate::raster::georef::georeference;
use crate::raster::info::{Layout, RasterInfo, SampleType};
use crate::raster::scan::TiffScan;
use crate::raster::tiff_decoder::{tiff_error, TiffDecoder};

/// Which per-chunk array [`read_chunk_u64s`] reads.
#[derive(Clone, Copy)]
pub(super) enum ChunkTag {
    /// StripOffsets / TileOffsets.
    Offsets,
    /// StripByteCounts / TileByteCounts.
    ByteCounts,
}

/// The offset or compressed size of every chunk.
pub(super) fn read_chunk_u64s(
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
pub(super) fn describe(
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
