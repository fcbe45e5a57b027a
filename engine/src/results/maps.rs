//! The small rasters an audit keeps for its maps, and its raster outputs waiting
//! to be written.

use serde::{Deserialize, Serialize};

/// A small raster of land classes for a map: one byte per map pixel,
/// [`LandClass`](crate::classify::LandClass) as u8, or [`ClassMap::OUTSIDE`] where no footprint is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClassMap {
    pub width: usize,
    pub height: usize,
    /// Map extent in the raster's CRS: (xmin, ymin, xmax, ymax); row 0 is the north edge.
    pub bbox: (f64, f64, f64, f64),
    pub cells: Vec<u8>,
}

impl ClassMap {
    /// Pixel value for land outside every footprint.
    pub const OUTSIDE: u8 = 255;
}

/// A composite's mean number of clear observations per map pixel (over every cell
/// of the footprints' window the pixel covers), for the report's map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClearObsMap {
    pub width: usize,
    pub height: usize,
    /// Map extent in the raster's CRS: (xmin, ymin, xmax, ymax); row 0 is the north edge.
    pub bbox: (f64, f64, f64, f64),
    /// Row-major; `None` where the pixel covers no cell of the window.
    pub means: Vec<Option<f64>>,
}

/// Raster outputs made during the run (`classes.tif`, `clear_obs.tif`), waiting in
/// a scratch folder for `audit::write` to move them into the audit folder.
#[derive(Debug, Clone)]
pub struct RasterFiles {
    /// The scratch folder (removed when the last copy of the report is dropped).
    pub dir: std::sync::Arc<tempfile::TempDir>,
    /// File names inside it.
    pub names: Vec<String>,
}

impl PartialEq for RasterFiles {
    fn eq(&self, o: &Self) -> bool {
        self.names == o.names && self.dir.path() == o.dir.path()
    }
}
