//! `reclaim info RASTER [--json]`: what gdalinfo tells — extent, corners in the
//! raster's CRS and in lon/lat — and whether reclaim can use the file (or why not).

use anyhow::Context;
use clap::Args;
use reclaim::crs::{Crs, Transformer};
use reclaim::raster::jp2::starts_like_jpeg2000;
use reclaim::raster::{GeoTiff, Layout, Raster, RasterInfo};
use serde::Serialize;
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
    let place = Place::of(info);
    let usable = usable(&a.raster);
    if a.json {
        // The description's keys, then the place and the verdict.
        let mut v = serde_json::to_value(info).context("serialising the raster description")?;
        if let Some(o) = v.as_object_mut() {
            o.insert("crs_name".into(), serde_json::to_value(&place.crs_name)?);
            o.insert("extent".into(), serde_json::to_value(place.extent)?);
            o.insert("corners".into(), serde_json::to_value(&place.corners)?);
            o.insert("usable".into(), usable.is_ok().into());
            o.insert(
                "unusable_reason".into(),
                usable.as_ref().err().map(|e| e.to_string()).into(),
            );
        }
        let s = serde_json::to_string_pretty(&v).context("serialising the raster description")?;
        crate::stdout::print(&(s + "\n"))?;
    } else {
        let mut text = render(info, format);
        text += &render_place(&place);
        text += &match &usable {
            Ok(()) => "Usable by reclaim: yes\n".to_string(),
            Err(why) => format!("Usable by reclaim: no — {why}\n"),
        };
        crate::stdout::print(&text)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Whether an audit or `zonal` can read the file: opened as they open it, its CRS
/// found, its first block decoded. The error says why not (and how to fix it).
fn usable(path: &std::path::Path) -> Result<(), anyhow::Error> {
    let mut r = Raster::open(path)?;
    reclaim::footprints::raster_crs(&r, None)?;
    let t = r.info().transform;
    if !t.is_axis_aligned() {
        anyhow::bail!(
            "the grid is rotated; areas need a north-up grid: warp it with `gdalwarp` first"
        );
    }
    r.read_block(1, 0, 0)?;
    Ok(())
}

/// A corner in the raster's CRS and, when the CRS is known, in lon/lat (WGS 84).
#[derive(Debug, Clone, Serialize)]
struct Corner {
    /// x in the raster's CRS.
    x: f64,
    /// y in the raster's CRS.
    y: f64,
    /// Longitude, degrees east.
    lon: Option<f64>,
    /// Latitude, degrees north.
    lat: Option<f64>,
}

/// Bounds in the raster's CRS.
#[derive(Debug, Clone, Copy, Serialize)]
struct Extent {
    xmin: f64,
    ymin: f64,
    xmax: f64,
    ymax: f64,
}

/// The four corners, in the order gdalinfo lists them.
#[derive(Debug, Clone, Serialize)]
struct Corners {
    upper_left: Corner,
    lower_left: Corner,
    upper_right: Corner,
    lower_right: Corner,
}

/// Where the raster lies: CRS name, extent and corners (none without georeferencing).
struct Place {
    crs_name: Option<String>,
    extent: Option<Extent>,
    corners: Option<Corners>,
}

impl Place {
    fn of(i: &RasterInfo) -> Place {
        let crs = i.epsg.and_then(|c| Crs::from_epsg(c).ok());
        let crs_name = crs.as_ref().map(|c| c.name.clone());
        if !i.georeferenced {
            return Place {
                crs_name,
                extent: None,
                corners: None,
            };
        }
        let to_lonlat = crs.as_ref().and_then(|c| {
            if c.is_geographic() {
                return None;
            }
            Crs::from_epsg(4326)
                .ok()
                .and_then(|w| Transformer::new(c, &w).ok())
        });
        let geographic = crs.as_ref().is_some_and(Crs::is_geographic);
        let t = &i.transform;
        let (w, h) = (i.width as f64, i.height as f64);
        let corner = |col: f64, row: f64| {
            let (x, y) = t.apply(col, row);
            let ll = if geographic {
                Some((x, y))
            } else {
                to_lonlat
                    .as_ref()
                    .and_then(|tr| tr.transform_point(x, y).ok())
            };
            Corner {
                x,
                y,
                lon: ll.map(|p| p.0),
                lat: ll.map(|p| p.1),
            }
        };
        let corners = Corners {
            upper_left: corner(0.0, 0.0),
            lower_left: corner(0.0, h),
            upper_right: corner(w, 0.0),
            lower_right: corner(w, h),
        };
        let all = [
            &corners.upper_left,
            &corners.lower_left,
            &corners.upper_right,
            &corners.lower_right,
        ];
        let fold = |f: fn(f64, f64) -> f64, get: fn(&Corner) -> f64, init: f64| {
            all.iter().map(|c| get(c)).fold(init, f)
        };
        let extent = Extent {
            xmin: fold(f64::min, |c| c.x, f64::INFINITY),
            ymin: fold(f64::min, |c| c.y, f64::INFINITY),
            xmax: fold(f64::max, |c| c.x, f64::NEG_INFINITY),
            ymax: fold(f64::max, |c| c.y, f64::NEG_INFINITY),
        };
        Place {
            crs_name,
            extent: Some(extent),
            corners: Some(corners),
        }
    }
}

/// Extent and corners as text: `Upper Left  (  x,  y) ( lon° E,  lat° N)`.
fn render_place(p: &Place) -> String {
    let mut s = String::new();
    if let Some(n) = &p.crs_name {
        s += &format!("CRS name: {n}\n");
    }
    let (Some(e), Some(c)) = (p.extent, &p.corners) else {
        return s;
    };
    s += &format!(
        "Extent: ({}, {}) - ({}, {})\n",
        e.xmin, e.ymin, e.xmax, e.ymax
    );
    s += "Corner coordinates:\n";
    for (name, k) in [
        ("Upper Left", &c.upper_left),
        ("Lower Left", &c.lower_left),
        ("Upper Right", &c.upper_right),
        ("Lower Right", &c.lower_right),
    ] {
        let ll = match (k.lon, k.lat) {
            (Some(lon), Some(lat)) => format!(" ({})", lonlat(lon, lat)),
            _ => String::new(),
        };
        s += &format!("  {name:<11} ({:.3}, {:.3}){ll}\n", k.x, k.y);
    }
    s
}

/// `124.834421° E, 43.331234° N`.
fn lonlat(lon: f64, lat: f64) -> String {
    format!(
        "{:.6}° {}, {:.6}° {}",
        lon.abs(),
        if lon < 0.0 { 'W' } else { 'E' },
        lat.abs(),
        if lat < 0.0 { 'S' } else { 'N' }
    )
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
        "Size: {} x {} cells, {} of {}\n",
        i.width,
        i.height,
        reclaim::report::format::plural(i.bands, "band", "bands"),
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
            s += &format!(
                "Layout: strips of {}\n",
                reclaim::report::format::plural(rows_per_strip, "row", "rows")
            )
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
