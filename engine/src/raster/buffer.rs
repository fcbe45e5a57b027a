//! Decoded samples of one band over a window, in the band's native type.

use super::info::SampleType;

/// A row-major window of one band.
#[derive(Debug, Clone, PartialEq)]
pub enum BandBuffer {
    /// Unsigned 8-bit integer samples.
    U8(Vec<u8>),
    /// Signed 8-bit integer samples.
    I8(Vec<i8>),
    /// Unsigned 16-bit integer samples.
    U16(Vec<u16>),
    /// Signed 16-bit integer samples.
    I16(Vec<i16>),
    /// Unsigned 32-bit integer samples.
    U32(Vec<u32>),
    /// Signed 32-bit integer samples.
    I32(Vec<i32>),
    /// IEEE 754 single precision samples.
    F32(Vec<f32>),
    /// IEEE 754 double precision samples.
    F64(Vec<f64>),
}

/// Applies `$body` to the vector inside any variant, bound as `$v`.
macro_rules! each {
    ($buf:expr, $v:ident => $body:expr) => {
        match $buf {
            BandBuffer::U8($v) => $body,
            BandBuffer::I8($v) => $body,
            BandBuffer::U16($v) => $body,
            BandBuffer::I16($v) => $body,
            BandBuffer::U32($v) => $body,
            BandBuffer::I32($v) => $body,
            BandBuffer::F32($v) => $body,
            BandBuffer::F64($v) => $body,
        }
    };
}

impl BandBuffer {
    /// A buffer of `len` zeros of type `ty`.
    pub fn zeros(ty: SampleType, len: usize) -> BandBuffer {
        match ty {
            SampleType::U8 => BandBuffer::U8(vec![0; len]),
            SampleType::I8 => BandBuffer::I8(vec![0; len]),
            SampleType::U16 => BandBuffer::U16(vec![0; len]),
            SampleType::I16 => BandBuffer::I16(vec![0; len]),
            SampleType::U32 => BandBuffer::U32(vec![0; len]),
            SampleType::I32 => BandBuffer::I32(vec![0; len]),
            SampleType::F32 => BandBuffer::F32(vec![0.0; len]),
            SampleType::F64 => BandBuffer::F64(vec![0.0; len]),
        }
    }

    /// Makes `self` a buffer of `len` samples of type `ty`, keeping its allocation
    /// when the type already matches. Samples kept from before are not cleared: the
    /// caller overwrites every one (as `GeoTiff::read_window_into` does).
    pub fn reshape(&mut self, ty: SampleType, len: usize) {
        if self.sample_type() != ty {
            *self = BandBuffer::zeros(ty, len);
            return;
        }
        each!(self, v => v.resize(len, Default::default()));
    }

    /// Number of samples.
    pub fn len(&self) -> usize {
        each!(self, v => v.len())
    }

    /// Bytes the samples take.
    pub fn byte_len(&self) -> usize {
        self.len() * self.sample_type().size_bytes()
    }

    /// True when the buffer holds no sample.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The sample type.
    pub fn sample_type(&self) -> SampleType {
        match self {
            BandBuffer::U8(_) => SampleType::U8,
            BandBuffer::I8(_) => SampleType::I8,
            BandBuffer::U16(_) => SampleType::U16,
            BandBuffer::I16(_) => SampleType::I16,
            BandBuffer::U32(_) => SampleType::U32,
            BandBuffer::I32(_) => SampleType::I32,
            BandBuffer::F32(_) => SampleType::F32,
            BandBuffer::F64(_) => SampleType::F64,
        }
    }

    /// Sample `i` as f64 (exact for every type); NaN when `i` is out of range.
    // One expression for all variants; for F64 the conversion is the identity.
    #[allow(clippy::useless_conversion)]
    pub fn get_f64(&self, i: usize) -> f64 {
        each!(self, v => v.get(i).map_or(f64::NAN, |x| f64::from(*x)))
    }

    /// The samples as little-endian bytes of the native type (the layout
    /// `reference.json` hashes).
    pub fn to_le_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.len() * self.sample_type().size_bytes());
        each!(self, v => for x in v {
            out.extend_from_slice(&x.to_le_bytes());
        });
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessors() {
        let b = BandBuffer::I16(vec![-2, 300]);
        assert_eq!(b.len(), 2);
        assert_eq!(b.sample_type(), SampleType::I16);
        assert_eq!(b.get_f64(0), -2.0);
        assert!(b.get_f64(2).is_nan());
        assert_eq!(b.to_le_bytes(), vec![0xFE, 0xFF, 0x2C, 0x01]);
        let z = BandBuffer::zeros(SampleType::F64, 3);
        assert_eq!(z.to_le_bytes().len(), 24);
        assert!(!z.is_empty());
    }

    #[test]
    fn reshape_keeps_the_type_or_replaces_it() {
        let mut b = BandBuffer::U16(vec![7, 8, 9]);
        b.reshape(SampleType::U16, 2);
        assert_eq!(b, BandBuffer::U16(vec![7, 8]));
        b.reshape(SampleType::U16, 4);
        assert_eq!(b, BandBuffer::U16(vec![7, 8, 0, 0]));
        b.reshape(SampleType::F32, 1);
        assert_eq!(b, BandBuffer::F32(vec![0.0]));
    }

    #[test]
    fn f32_is_exact_in_f64() {
        let b = BandBuffer::F32(vec![-3.4e38_f32]);
        assert_eq!(b.get_f64(0), f64::from(-3.4e38_f32));
    }
}
