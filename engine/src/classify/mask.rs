//! Masks that make cells unobserved: clouds, shadows, saturated or missing data.

use crate::raster::NoData;

/// Sentinel-2 L2A scene classification (SCL) values that hide the ground:
/// 0 no data, 1 saturated or defective, 3 cloud shadow, 8 cloud (medium
/// probability), 9 cloud (high probability), 10 thin cirrus.
pub const SCL_UNOBSERVED: [f64; 6] = [0.0, 1.0, 3.0, 8.0, 9.0, 10.0];

/// Which mask values make a cell unobserved.
#[derive(Debug, Clone)]
pub struct Mask {
    values: Vec<f64>,
    nodata: Option<NoData>,
}

/// Errors building a mask.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MaskError {
    /// The preset name is not known.
    #[error(
        "unknown mask_preset {name:?}; known presets: \"scl\" (Sentinel-2 scene classification)"
    )]
    UnknownPreset { name: String },
    /// Neither a preset nor values were given.
    #[error("mask_path is set but neither mask_preset nor mask_values says which values to mask")]
    NoValues,
}

impl Mask {
    /// A mask from a preset name and/or explicit values; the band's nodata (if
    /// any) is masked too.
    pub fn new(
        preset: Option<&str>,
        values: Option<&[f64]>,
        nodata: Option<NoData>,
    ) -> Result<Mask, MaskError> {
        let mut v: Vec<f64> = Vec::new();
        match preset.map(|p| p.trim().to_ascii_lowercase()) {
            Some(p) if p == "scl" => v.extend(SCL_UNOBSERVED),
            Some(p) => return Err(MaskError::UnknownPreset { name: p }),
            None => {}
        }
        if let Some(vals) = values {
            v.extend_from_slice(vals);
        }
        if v.is_empty() {
            return Err(MaskError::NoValues);
        }
        v.sort_by(f64::total_cmp);
        v.dedup();
        Ok(Mask { values: v, nodata })
    }

    /// The values this mask hides, ascending.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// True when a cell with mask value `v` is unobserved.
    #[inline]
    pub fn hides(&self, v: f64) -> bool {
        self.nodata.as_ref().is_some_and(|n| n.matches_f64(v)) || self.values.contains(&v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scl_preset_hides_clouds_not_vegetation() {
        let m = Mask::new(Some("SCL"), None, None).unwrap();
        for v in [0.0, 1.0, 3.0, 8.0, 9.0, 10.0] {
            assert!(m.hides(v), "{v}");
        }
        for v in [2.0, 4.0, 5.0, 6.0, 7.0, 11.0] {
            assert!(!m.hides(v), "{v}");
        }
    }

    #[test]
    fn explicit_values_add_to_preset() {
        let m = Mask::new(Some("scl"), Some(&[11.0]), None).unwrap();
        assert!(m.hides(11.0) && m.hides(9.0));
        let only = Mask::new(None, Some(&[1.0, 2.0]), None).unwrap();
        assert!(only.hides(2.0) && !only.hides(9.0));
    }

    #[test]
    fn unknown_preset_and_no_values_are_errors() {
        assert!(Mask::new(Some("fmask"), None, None)
            .unwrap_err()
            .to_string()
            .contains("fmask"));
        assert!(matches!(
            Mask::new(None, None, None),
            Err(MaskError::NoValues)
        ));
    }
}
