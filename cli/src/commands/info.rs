//! `reclaim info RASTER [--json]`.

use anyhow::Context;
use clap::Args;
use reclaim::raster::jp2::starts_like_jpeg2000;
use reclaim::raster::{GeoTiff, Layout, Raster, RasterInfo};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `reclaim info`.
#[derive(Args, Debug)]
pub struct InfoArgs {
    /// The GeoTIFF or JPEG 2000 file to describe.
    pub raster: PathBuf,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// Prints the raster's description.
pub fn run(a: &InfoArgs) -> anyhow::Result<ExitCode> {
    // JPEG 2000 through `Raster` (its own reader, or GDAL for what that refuses);
    // TIFFs through the GeoTIFF reader, which describes even the encodings it cannot
    // decode.
    let (info, format) = if starts_like_jpeg2000(&a.raster) {
        let r = Raster::open(&a.raster)?;
        let format = if r.is_jp2() {
            "JPEG 2000"
        } else {
            "JPEG 2000 (read by GDAL)"
        };
        (r.info().clone(), Some(format))
    } else {
        (GeoTiff::open(&a.raster)?.info().clone(), None)
    };
    let info = &info;
    if a.json {
        let s = serde_json::to_string_pretty(info).context("serialising the raster description")?;
        println!("{s}");
    } else {
        print!("{}", render(info, format));
    }
    Ok(ExitCode::SUCCESS)
}

/// The text form, laid out like gdalinfo.
fn render(i: &RasterInfo, format: Option<&str>) -> String {
    let t = &i.transform;
    let mut s = String::new();
    s += &format!("File: {}\n", i.path.display());
    match format {
        Some(f) => s += &format!("Format: {f}\n"),
        None => {
            s += &format!(
                "Format: {}{}\n",
                if i.big_tiff { "BigTIFF" } else { "GeoTIFF" },
                if i.big_endian { " (big-endian)" } else { "" }
            )
        }
    }
    s += &format!(
        "Size: {} x {} cells, {} band(s) of {}\n",
        i.width,
        i.height,
        i.bands,
        i.sample_type.name()
    );
    match (i.epsg, &i.crs_citation) {
        (Some(c), Some(n)) => s += &format!("CRS: EPSG:{c} ({n})\n"),
        (Some(c), None) => s += &format!("CRS: EPSG:{c}\n"),
        (None, Some(n)) => s += &format!("CRS: unknown EPSG ({n})\n"),
        (None, None) => s += "CRS: none\n",
    }
    if i.georeferenced {
        s += &format!("Origin: ({}, {})\n", t.x0, t.y0);
        s += &format!("Cell size: ({}, {})\n", t.dx, t.dy);
        if !t.is_axis_aligned() {
            s += &format!(
                "Rotation: ({}, {}) — rotated grid (areas need a north-up grid)\n",
                t.rx, t.ry
            );
        }
        s += &format!("GeoTransform (GDAL order): {:?}\n", t.to_gdal());
        if i.pixel_is_point {
            s += "Raster type: PixelIsPoint (origin shifted half a cell, as GDAL does)\n";
        }
    } else {
        s += "Georeferencing: none\n";
    }
    match i.nodata {
        Some(v) => s += &format!("NoData: {v}\n"),
        None => s += "NoData: none\n",
    }
    if let Some(m) = &i.mask {
        s += &format!("Mask: {m} (0 cells read as nodata)\n");
    }
    if i.scale.is_some() || i.offset.is_some() {
        s += &format!(
            "Scale/offset: {} / {}\n",
            i.scale.unwrap_or(1.0),
            i.offset.unwrap_or(0.0)
        );
    }
    match i.layout {
        Layout::Strips { rows_per_strip } => {
            s += &format!("Layout: strips of {rows_per_strip} row(s)\n")
        }
        Layout::Tiles { width, height } => s += &format!("Layout: tiles of {width} x {height}\n"),
    }
    s += &format!(
        "Interleave: {}\n",
        if i.planar_separate {
            "band (planar)"
        } else {
            "pixel"
        }
    );
    if format.is_some() {
        s += &format!("Compression: {}\n", i.compression);
    } else {
        s += &format!(
            "Compression: {}, predictor {}\n",
            i.compression, i.predictor
        );
    }
    if i.overviews > 0 {
        s += &format!("Overviews: {} (not read)\n", i.overviews);
    }
    s
}
