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
pub mod land_class;
pub mod mask;
pub mod ndvi;

pub use classes::{ClassMapping, ClassesError};
pub use land_class::{land_class_of_code, LandClass, Unobserved, UnobservedCauses};
pub use mask::Mask;
pub use ndvi::{NdviClassifier, IMPLAUSIBLE, PLAUSIBLE_REFLECTANCE};
