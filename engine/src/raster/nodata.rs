//! The nodata test, with GDAL's semantics.
//!
//! GDAL stores nodata as a double but compares it in the band's type:
//! - float32 bands compare in f32, so `-3.4e38` (stored as text) matches the f32
//!   sample `-3.3999999521443642e38`;
//! - NaN nodata matches NaN samples (any NaN payload);
//! - on integer bands a nodata value the type cannot hold (`-999` on uint8,
//!   `1.5` on int16) matches nothing.

use super::info::SampleType;

/// A prepared nodata test for one band type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoData {
    rule: Rule,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Rule {
    /// Samples equal to this value (already in the band's type, widened to f64).
    Equals(f64),
    /// NaN samples.
    Nan,
    /// Nothing is nodata.
    Never,
}

impl NoData {
    /// Prepares the test of `value` for a band of type `ty`.
    pub fn new(value: f64, ty: SampleType) -> NoData {
        let rule = if value.is_nan() {
            if ty.is_float() {
                Rule::Nan
            } else {
                Rule::Never
            }
        } else {
            match ty {
                SampleType::F64 => Rule::Equals(value),
                // `as f32` rounds to nearest (and saturates to ±inf), like GDAL's cast.
                SampleType::F32 => Rule::Equals(f64::from(value as f32)),
                _ => {
                    let (lo, hi) = int_range(ty);
                    if value.fract() == 0.0 && value >= lo && value <= hi {
                        Rule::Equals(value)
                    } else {
                        Rule::Never
                    }
                }
            }
        };
        NoData { rule }
    }

    /// True when sample `v` (a band value widened to f64) is nodata.
    pub fn matches_f64(&self, v: f64) -> bool {
        match self.rule {
            Rule::Equals(x) => v == x,
            Rule::Nan => v.is_nan(),
            Rule::Never => false,
        }
    }

    /// The nodata value as the band holds it (None when nothing can match).
    pub fn value(&self) -> Option<f64> {
        match self.rule {
            Rule::Equals(x) => Some(x),
            Rule::Nan => Some(f64::NAN),
            Rule::Never => None,
        }
    }
}

/// Inclusive range of an integer type.
fn int_range(ty: SampleType) -> (f64, f64) {
    match ty {
        SampleType::U8 => (0.0, f64::from(u8::MAX)),
        SampleType::I8 => (f64::from(i8::MIN), f64::from(i8::MAX)),
        SampleType::U16 => (0.0, f64::from(u16::MAX)),
        SampleType::I16 => (f64::from(i16::MIN), f64::from(i16::MAX)),
        SampleType::U32 => (0.0, f64::from(u32::MAX)),
        SampleType::I32 => (f64::from(i32::MIN), f64::from(i32::MAX)),
        SampleType::F32 | SampleType::F64 => (f64::NEG_INFINITY, f64::INFINITY),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn float32_nodata_compares_in_f32() {
        let nd = NoData::new(-3.4e38, SampleType::F32);
        let sample = f64::from(-3.4e38_f32);
        assert_eq!(sample, -3.3999999521443642e38);
        assert!(nd.matches_f64(sample));
        assert!(!nd.matches_f64(-3.4e38_f64 * 0.5));
        // The same value on a float64 band is exact.
        let nd64 = NoData::new(-3.4e38, SampleType::F64);
        assert!(!nd64.matches_f64(sample));
        assert!(nd64.matches_f64(-3.4e38));
    }

    #[test]
    fn nan_matches_nan_only_on_floats() {
        let nd = NoData::new(f64::NAN, SampleType::F32);
        assert!(nd.matches_f64(f64::NAN));
        assert!(!nd.matches_f64(0.0));
        assert!(!NoData::new(f64::NAN, SampleType::U8).matches_f64(0.0));
    }

    #[test]
    fn unrepresentable_integer_nodata_matches_nothing() {
        let nd = NoData::new(-999.0, SampleType::U8);
        assert_eq!(nd.value(), None);
        assert!(!nd.matches_f64(-999.0));
        assert!(!nd.matches_f64(0.0));
        assert!(!NoData::new(1.5, SampleType::I16).matches_f64(1.5));
        assert!(!NoData::new(256.0, SampleType::U8).matches_f64(0.0));
    }

    #[test]
    fn representable_integer_nodata() {
        assert!(NoData::new(255.0, SampleType::U8).matches_f64(255.0));
        assert!(NoData::new(-9999.0, SampleType::I16).matches_f64(-9999.0));
        assert!(NoData::new(0.0, SampleType::U16).matches_f64(0.0));
        assert!(!NoData::new(0.0, SampleType::U16).matches_f64(1.0));
        assert!(NoData::new(-2147483648.0, SampleType::I32).matches_f64(-2147483648.0));
    }
}
