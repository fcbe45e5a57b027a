//! Masks that make cells unobserved: clouds, shadows, saturated or missing data.

use crate::raster::NoData;

/// Sentinel-2 L2A scene classification (SCL) values that hide the ground:
/// 0 no data, 1 saturated or defective, 3 cloud shadow, 8 cloud (medium
/// probability), 9 cloud (high probability), 10 thin cirrus.
pub const SCL_UNOBSERVED: [f64; 6] = [0.0, 1.0, 3.0, 8.0, 9.0, 10.0];

/// Landsat Collection 2 Level-2 `QA_PIXEL` bits that hide the ground: 0 fill,
/// 1 dilated cloud, 2 cirrus (high confidence), 3 cloud, 4 cloud shadow, 5 snow
/// (USGS Landsat 8–9 Collection 2 Level-2 Science Product Guide; the same six bits
/// Google Earth Engine's Landsat C2 masking example clears with `0b111111`).
pub const QA_PIXEL_UNOBSERVED_BITS: [u32; 6] = [0, 1, 2, 3, 4, 5];

/// Which mask values (or bits of an integer mask) make a cell unobserved.
#[derive(Debug, Clone)]
pub struct Mask {
    values: Vec<f64>,
    /// Bits of an integer mask value that hide the cell (0: none).
    bits: u64,
    nodata: Option<NoData>,
}

/// Errors building a mask.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MaskError {
    /// The preset name is not known.
    #[error(
        "unknown mask_preset {name:?}; known presets: \"scl\" (Sentinel-2 scene classification), \"qa_pixel\" (Landsat Collection 2 QA_PIXEL bits)"
    )]
    UnknownPreset {
        /// The preset name (trimmed, lowercased).
        name: String,
    },
    /// Neither a preset nor values were given.
    #[error("mask_path is set but none of mask_preset, mask_values or mask_bits says which cells to mask")]
    NoValues,
    /// A mask bit beyond an integer's 64 bits.
    #[error("mask_bits holds {bit}; bits are numbered 0 (least significant) to 63")]
    BitOutOfRange {
        /// The bit number as given.
        bit: u32,
    },
}

impl Mask {
    /// A mask from a preset name and/or explicit values; the band's nodata (if
    /// any) is masked too.
    pub fn new(
        preset: Option<&str>,
        values: Option<&[f64]>,
        nodata: Option<NoData>,
    ) -> Result<Mask, MaskError> {
        Mask::with_bits(preset, values, None, nodata)
    }

    /// [`Mask::new`] with bits of an integer mask value (`mask_bits`, 0 = least
    /// significant) that hide a cell when any of them is set.
    pub fn with_bits(
        preset: Option<&str>,
        values: Option<&[f64]>,
        bit_numbers: Option<&[u32]>,
        nodata: Option<NoData>,
    ) -> Result<Mask, MaskError> {
        let mut v: Vec<f64> = Vec::new();
        let mut numbers: Vec<u32> = Vec::new();
        match preset.map(|p| p.trim().to_ascii_lowercase()) {
            Some(p) if p == "scl" => v.extend(SCL_UNOBSERVED),
            Some(p) if p == "qa_pixel" || p == "landsat_qa_pixel" => {
                numbers.extend(QA_PIXEL_UNOBSERVED_BITS)
            }
            Some(p) => return Err(MaskError::UnknownPreset { name: p }),
            None => {}
        }
        if let Some(vals) = values {
            v.extend_from_slice(vals);
        }
        numbers.extend(bit_numbers.unwrap_or_default());
        let mut bits = 0u64;
        for &b in &numbers {
            if b > 63 {
                return Err(MaskError::BitOutOfRange { bit: b });
            }
            bits |= 1 << b;
        }
        if v.is_empty() && bits == 0 {
            return Err(MaskError::NoValues);
        }
        v.sort_by(f64::total_cmp);
        v.dedup();
        Ok(Mask {
            values: v,
            bits,
            nodata,
        })
    }

    /// The values this mask hides, ascending.
    pub fn values(&self) -> &[f64] {
        &self.values
    }

    /// True when a cell with mask value `v` is unobserved.
    #[inline]
    pub fn hides(&self, v: f64) -> bool {
        self.nodata.as_ref().is_some_and(|n| n.matches_f64(v))
            || self.values.contains(&v)
            || (self.bits != 0 && integer_bits(v).is_some_and(|b| b & self.bits != 0))
    }

    /// The bits this mask tests, as a bit set (0: none).
    pub fn bits(&self) -> u64 {
        self.bits
    }
}

/// The bits of a mask value that is a non-negative integer (a QA band's value);
/// `None` for a fraction, a negative number or NaN, which have no bits.
#[inline]
fn integer_bits(v: f64) -> Option<u64> {
    // 2^64 as f64: every integer below it converts exactly.
    const TWO_64: f64 = 18_446_744_073_709_551_616.0;
    ((0.0..TWO_64).contains(&v) && v.fract() == 0.0).then_some(v as u64)
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
    fn qa_pixel_preset_hides_fill_cloud_shadow_snow_by_bit() {
        let m = Mask::new(Some("qa_pixel"), None, None).unwrap();
        assert_eq!(m.bits(), 0b11_1111);
        // Landsat C2 QA_PIXEL values: 21824 = clear land (bits 6, 8, 10, 12, 14),
        // 21952 = clear water (bit 7 too), 1 = fill, 22280 = cloud (bit 3) …
        for v in [21824.0, 21952.0, 21888.0] {
            assert!(!m.hides(v), "{v} is clear");
        }
        for (v, why) in [
            (1.0, "fill"),
            (22280.0, "cloud"),
            (23888.0, "cloud shadow"),
            (30048.0, "snow"),
            (55052.0, "cirrus and cloud"),
            (21826.0, "dilated cloud"),
        ] {
            assert!(m.hides(v), "{v} ({why})");
        }
        // Fractions, negatives and NaN have no bits.
        assert!(!m.hides(2.5) && !m.hides(-8.0) && !m.hides(f64::NAN));
        let custom = Mask::with_bits(None, None, Some(&[3]), None).unwrap();
        assert!(custom.hides(8.0) && !custom.hides(16.0));
        assert!(matches!(
            Mask::with_bits(None, None, Some(&[64]), None),
            Err(MaskError::BitOutOfRange { bit: 64 })
        ));
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
