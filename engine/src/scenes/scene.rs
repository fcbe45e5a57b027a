//! One scene as the readers find it: its date, kind, bands, mask and georeference.

use crate::grid::GeoTransform;
use serde::Serialize;
use std::fmt;
use std::path::PathBuf;

/// A calendar date (proleptic Gregorian), ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Date {
    /// Year, e.g. 2024.
    pub year: i32,
    /// Month 1–12.
    pub month: u32,
    /// Day 1–31.
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD` (a longer timestamp such as `2024-06-01T02:55:51.024Z`
    /// is read up to its date); `None` for anything else or an impossible date.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        let d = s.get(..10)?;
        let b = d.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        if s.len() > 10 && !matches!(s.as_bytes()[10], b'T' | b' ' | b'Z') {
            return None;
        }
        let year: i32 = d[..4].parse().ok()?;
        let month: u32 = d[5..7].parse().ok()?;
        let day: u32 = d[8..10].parse().ok()?;
        let date = Date { year, month, day };
        ((1..=12).contains(&month) && day >= 1 && day <= date.days_in_month()).then_some(date)
    }

    /// Days in this date's month.
    pub fn days_in_month(&self) -> u32 {
        match self.month {
            1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
            4 | 6 | 9 | 11 => 30,
            _ => {
                let leap = self.year % 4 == 0 && (self.year % 100 != 0 || self.year % 400 == 0);
                if leap {
                    29
                } else {
                    28
                }
            }
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Which reader recognised a scene.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SceneKind {
    /// A Sentinel-2 Level-2A `.SAFE` product.
    Sentinel2L2a,
    /// A Landsat Collection 2 Level-2 product.
    LandsatC2L2,
    /// A line of a scene manifest.
    Manifest,
}

/// One band of one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandRef {
    /// The file (GeoTIFF or JPEG 2000).
    pub path: PathBuf,
    /// Band number, from 1.
    pub band: usize,
}

/// A scene's cloud mask.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MaskRef {
    /// The mask file and band.
    pub band: BandRef,
    /// Mask preset (`scl`, `qa_pixel`), as in `[imagery] mask_preset`.
    pub preset: Option<String>,
    /// Values that hide a cell (besides the preset's).
    pub values: Option<Vec<f64>>,
    /// Bits that hide a cell when set (besides the preset's).
    pub bits: Option<Vec<u32>>,
    /// How many band cells one mask cell spans along each axis: 1 on the same grid,
    /// 2 for Sentinel-2's 20 m SCL over the 10 m bands (one SCL cell = 2×2 cells).
    pub factor: usize,
}

/// Where a scene's grid comes from when its metadata, not its files, states it
/// (Sentinel-2's JPEG 2000 bands are georeferenced by `MTD_TL.xml`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SceneGeoref {
    /// EPSG code of the CRS (e.g. 32651 for UTM 51N).
    pub epsg: u32,
    /// The geotransform of the red/NIR band grid.
    pub transform: GeoTransform,
    /// Width of the band grid, cells.
    pub width: usize,
    /// Height of the band grid, cells.
    pub height: usize,
}

/// One acquisition, ready to be composited.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scene {
    /// A short name: the product id (`S2B_MSIL2A_20240601T…`), the Landsat product id,
    /// or the manifest's `id`.
    pub id: String,
    /// Which reader recognised it.
    pub kind: SceneKind,
    /// Acquisition date (UTC).
    pub date: Date,
    /// Tile or path/row (`T51TYM`, `119029`), when the metadata says.
    pub tile: Option<String>,
    /// Red band.
    pub red: BandRef,
    /// Near-infrared band.
    pub nir: BandRef,
    /// Cloud mask, if any.
    pub mask: Option<MaskRef>,
    /// Reflectance = value × scale + offset.
    pub scale: f64,
    /// See `scale`.
    pub offset: f64,
    /// A stored value meaning "no data" in red and NIR, when the metadata says
    /// (Sentinel-2 L2A and Landsat: 0); a file's own nodata applies as well.
    pub nodata: Option<f64>,
    /// The band grid as the metadata states it, when the band files do not carry it.
    pub georef: Option<SceneGeoref>,
    /// What the scene was read from (SAFE folder, MTL file, manifest).
    pub source: PathBuf,
}
