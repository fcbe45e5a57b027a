//! NDVI classification: `(nir − red) / (nir + red)` on reflectances.
//!
//! Reflectance is `value × scale + offset`. Sentinel-2 L2A products from processing
//! baseline 04.00 (January 2022) on carry `BOA_ADD_OFFSET = −1000`: reflectance =
//! (DN − 1000) / 10000, i.e. `scale = 0.0001`, `offset = -0.1`. Older L2A products and
//! Landsat Collection 2 surface reflectance use other values; see docs/method.md.

use super::land_class::{LandClass, Unobserved};
use crate::raster::NoData;

/// Thresholds and scaling of the NDVI classifier.
#[derive(Debug, Clone)]
pub struct NdviClassifier {
    /// Reflectance = value × scale + offset.
    pub scale: f64,
    /// See `scale`.
    pub offset: f64,
    /// NDVI at or above this → restored.
    pub restored_min_ndvi: f64,
    /// NDVI below this → water.
    pub water_max_ndvi: f64,
    /// Nodata of the red band, if any.
    pub red_nodata: Option<NoData>,
    /// Nodata of the NIR band, if any.
    pub nir_nodata: Option<NoData>,
}

/// Reflectances a real surface gives, with room for noise, snow and glint: a cell
/// outside this range in either band is classified, but flagged [`IMPLAUSIBLE`]
/// (most often `scale`/`offset` were not set for integer DN bands).
pub const PLAUSIBLE_REFLECTANCE: std::ops::RangeInclusive<f64> = -0.5..=1.5;

/// Flag on a class code from [`NdviClassifier::classify_code`]: observed, but a
/// reflectance lies outside [`PLAUSIBLE_REFLECTANCE`]. Clear it to get the class.
pub const IMPLAUSIBLE: u8 = 0x40;

impl NdviClassifier {
    /// The reflectances (red, NIR) of one cell from raw values, or why it has none:
    /// [`Unobserved::NoData`] for declared nodata or a NaN value.
    #[inline]
    fn reflectances(&self, red: f64, nir: f64) -> Result<(f64, f64), Unobserved> {
        if red.is_nan()
            || nir.is_nan()
            || self.red_nodata.as_ref().is_some_and(|n| n.matches_f64(red))
            || self.nir_nodata.as_ref().is_some_and(|n| n.matches_f64(nir))
        {
            return Err(Unobserved::NoData);
        }
        Ok((
            red * self.scale + self.offset,
            nir * self.scale + self.offset,
        ))
    }

    /// The NDVI of reflectances `r` and `n`, or `None` for a sum that is not
    /// positive or not finite (no real surface gives one).
    #[inline]
    fn ndvi_of(r: f64, n: f64) -> Option<f64> {
        let sum = n + r;
        if sum.is_nan() || sum <= 0.0 || sum.is_infinite() {
            return None;
        }
        let v = (n - r) / sum;
        v.is_finite().then_some(v)
    }

    /// The class of an NDVI value by the thresholds.
    #[inline]
    fn class_of(&self, v: f64) -> LandClass {
        if v >= self.restored_min_ndvi {
            LandClass::Restored
        } else if v < self.water_max_ndvi {
            LandClass::Water
        } else {
            LandClass::Unrestored
        }
    }

    /// The NDVI of one cell from raw values, or `None` when the cell is not observed
    /// (nodata in either band, a non-positive reflectance sum, or a non-finite value).
    #[inline]
    pub fn ndvi(&self, red: f64, nir: f64) -> Option<f64> {
        let (r, n) = self.reflectances(red, nir).ok()?;
        Self::ndvi_of(r, n)
    }

    /// Why a cell has no NDVI: [`Unobserved::NoData`] for declared nodata or a NaN
    /// value, [`Unobserved::Invalid`] for a reflectance sum that is not positive or
    /// not finite (often a wrong `scale`/`offset`); `None` when it has an NDVI.
    #[inline]
    pub fn unobserved_cause(&self, red: f64, nir: f64) -> Option<Unobserved> {
        match self.reflectances(red, nir) {
            Err(cause) => Some(cause),
            Ok((r, n)) => Self::ndvi_of(r, n).is_none().then_some(Unobserved::Invalid),
        }
    }

    /// The class code of one cell: a [`LandClass`] code for an observed cell (with
    /// [`IMPLAUSIBLE`] set when a reflectance is out of range), or the
    /// [`Unobserved`] cause code of an unobserved one (see
    /// [`land_class_of_code`](super::land_class_of_code)). Reflectances are computed once.
    #[inline]
    pub fn classify_code(&self, red: f64, nir: f64) -> u8 {
        match self.observe(red, nir) {
            Err(cause) => cause.code(),
            Ok((v, plausible)) => {
                let class = self.class_of_ndvi(v) as u8;
                if plausible {
                    class
                } else {
                    class | IMPLAUSIBLE
                }
            }
        }
    }

    /// One observation of stored values `red` and `nir`: its NDVI and whether both
    /// reflectances are plausible ([`PLAUSIBLE_REFLECTANCE`]), or why it is no
    /// observation (nodata, or an undefined NDVI: [`Unobserved::Invalid`]).
    #[inline]
    pub fn observe(&self, red: f64, nir: f64) -> Result<(f64, bool), Unobserved> {
        let (r, n) = self.reflectances(red, nir)?;
        let v = Self::ndvi_of(r, n).ok_or(Unobserved::Invalid)?;
        Ok((
            v,
            PLAUSIBLE_REFLECTANCE.contains(&r) && PLAUSIBLE_REFLECTANCE.contains(&n),
        ))
    }

    /// The class of an NDVI value under this classifier's thresholds.
    #[inline]
    pub fn class_of_ndvi(&self, v: f64) -> LandClass {
        self.class_of(v)
    }

    /// The land class of one cell from raw band values.
    #[inline]
    pub fn classify(&self, red: f64, nir: f64) -> LandClass {
        match self.ndvi(red, nir) {
            None => LandClass::Unobserved,
            Some(v) => self.class_of(v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::raster::SampleType;

    fn s2() -> NdviClassifier {
        NdviClassifier {
            scale: 1e-4,
            offset: -0.1,
            restored_min_ndvi: 0.3,
            water_max_ndvi: 0.0,
            red_nodata: Some(NoData::new(0.0, SampleType::U16)),
            nir_nodata: Some(NoData::new(0.0, SampleType::U16)),
        }
    }

    #[test]
    fn sentinel2_offset_is_applied() {
        // red DN 1500 → 0.05, nir DN 4000 → 0.30: NDVI = 0.25 / 0.35
        let v = s2().ndvi(1500.0, 4000.0).unwrap();
        assert!((v - 0.25 / 0.35).abs() < 1e-12);
        assert_eq!(s2().classify(1500.0, 4000.0), LandClass::Restored);
    }

    #[test]
    fn thresholds_are_inclusive_for_restored_and_exclusive_for_water() {
        let c = NdviClassifier {
            scale: 1.0,
            offset: 0.0,
            red_nodata: None,
            nir_nodata: None,
            ..s2()
        };
        // NDVI exactly 0.3: red 0.35, nir 0.65
        assert_eq!(c.classify(0.35, 0.65), LandClass::Restored);
        // NDVI exactly 0.0 is not water
        assert_eq!(c.classify(0.2, 0.2), LandClass::Unrestored);
        assert_eq!(c.classify(0.3, 0.1), LandClass::Water);
        assert_eq!(c.classify(0.2, 0.3), LandClass::Unrestored);
    }

    #[test]
    fn nodata_and_zero_sum_are_unobserved() {
        assert_eq!(s2().classify(0.0, 4000.0), LandClass::Unobserved);
        assert_eq!(s2().classify(1500.0, 0.0), LandClass::Unobserved);
        // DN 1000 in both bands: reflectance 0 + 0 = 0
        assert_eq!(s2().classify(1000.0, 1000.0), LandClass::Unobserved);
        let c = NdviClassifier {
            red_nodata: None,
            nir_nodata: None,
            ..s2()
        };
        assert_eq!(c.classify(f64::NAN, 4000.0), LandClass::Unobserved);
    }

    #[test]
    fn unobserved_cells_keep_their_cause() {
        let c = s2();
        assert_eq!(c.classify_code(0.0, 4000.0), Unobserved::NoData.code());
        assert_eq!(c.classify_code(f64::NAN, 4000.0), Unobserved::NoData.code());
        // DN 1000 + 1000: reflectance sum 0, no NDVI: invalid, not nodata.
        assert_eq!(c.classify_code(1000.0, 1000.0), Unobserved::Invalid.code());
        // A wrong offset makes every sum negative.
        let wrong = NdviClassifier {
            offset: -0.5,
            ..s2()
        };
        assert_eq!(
            wrong.classify_code(1500.0, 4000.0),
            Unobserved::Invalid.code()
        );
        assert_eq!(c.classify_code(1500.0, 4000.0), LandClass::Restored as u8);
        for (r, n) in [
            (1500.0, 4000.0),
            (3000.0, 2000.0),
            (1200.0, 1300.0),
            (0.0, 5.0),
        ] {
            assert_eq!(
                crate::classify::land_class_of_code(c.classify_code(r, n)),
                c.classify(r, n),
                "{r} {n}"
            );
        }
    }
}
