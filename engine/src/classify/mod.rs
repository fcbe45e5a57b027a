//! Cell values → land classes: restored, unrestored, water, unobserved.
//!
//! - [`ndvi`]: red and near-infrared reflectance → NDVI → class.
//! - [`classes`]: a categorical land-cover value → class, with presets (ESA WorldCover).
//! - [`mask`]: a mask raster that makes cells unobserved (preset: Sentinel-2 SCL).
//!
//! Unobserved land is reported as such, never guessed into another class: nodata,
//! masked cells, zero reflectance sums and unmapped land-cover values all become
//! [`LandClass::Unobserved`] (unmapped values are also counted, so they can be
//! reported by value).

pub mod classes;
pub mod mask;
pub mod ndvi;

pub use classes::{ClassMapping, ClassesError};
pub use mask::Mask;
pub use ndvi::NdviClassifier;

use serde::{Deserialize, Serialize};

/// The land class of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LandClass {
    /// Vegetated: restored (治理恢复).
    Restored = 0,
    /// Bare: unrestored (未恢复).
    Unrestored = 1,
    /// Open water.
    Water = 2,
    /// Not observed: nodata, cloud, shadow, or beyond the imagery.
    Unobserved = 3,
}

impl LandClass {
    /// All classes in report order.
    pub const ALL: [LandClass; 4] = [
        LandClass::Restored,
        LandClass::Unrestored,
        LandClass::Water,
        LandClass::Unobserved,
    ];

    /// Lower-case name as used in files and configs.
    pub fn name(self) -> &'static str {
        match self {
            LandClass::Restored => "restored",
            LandClass::Unrestored => "unrestored",
            LandClass::Water => "water",
            LandClass::Unobserved => "unobserved",
        }
    }

    /// The class with this name (`restored`, `unrestored`, `water`, `unobserved`).
    pub fn from_name(s: &str) -> Option<LandClass> {
        LandClass::ALL
            .into_iter()
            .find(|c| c.name() == s.trim().to_ascii_lowercase())
    }

    /// The class of a class code (`self as u8`).
    pub fn from_code(c: u8) -> Option<LandClass> {
        LandClass::ALL.get(c as usize).copied()
    }
}
