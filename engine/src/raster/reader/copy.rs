//! Samples out of decoded chunks: one band of an interleaved chunk copied into a
//! window's buffer, and the chunk a sparse file never wrote.

use crate::grid::Window;
use crate::raster::buffer::BandBuffer;
use crate::raster::info::SampleType;

/// `len` samples of `value` (already representable in `ty`).
pub(super) fn filled(ty: SampleType, len: usize, value: f64) -> BandBuffer {
    match ty {
        SampleType::U8 => BandBuffer::U8(vec![value as u8; len]),
        SampleType::I8 => BandBuffer::I8(vec![value as i8; len]),
        SampleType::U16 => BandBuffer::U16(vec![value as u16; len]),
        SampleType::I16 => BandBuffer::I16(vec![value as i16; len]),
        SampleType::U32 => BandBuffer::U32(vec![value as u32; len]),
        SampleType::I32 => BandBuffer::I32(vec![value as i32; len]),
        SampleType::F32 => BandBuffer::F32(vec![value as f32; len]),
        SampleType::F64 => BandBuffer::F64(vec![value; len]),
    }
}

/// Copies sample `sample` of an interleaved chunk covering `src_win` into `dst`
/// (covering `dst_win`) over `overlap`. False when a buffer is too short or the
/// types differ.
pub(super) fn copy_samples(
    src: &BandBuffer,
    spp: usize,
    sample: usize,
    src_win: Window,
    dst: &mut BandBuffer,
    dst_win: Window,
    overlap: Window,
) -> bool {
    macro_rules! pairs {
        ($($v:ident),*) => {
            match (src, dst) {
                $((BandBuffer::$v(s), BandBuffer::$v(d)) => copy_typed(s, spp, sample, src_win, d, dst_win, overlap),)*
                _ => false,
            }
        };
    }
    pairs!(U8, I8, U16, I16, U32, I32, F32, F64)
}

fn copy_typed<T: Copy>(
    src: &[T],
    spp: usize,
    sample: usize,
    src_win: Window,
    dst: &mut [T],
    dst_win: Window,
    o: Window,
) -> bool {
    let dx_src = o.col_off - src_win.col_off;
    let dx_dst = o.col_off - dst_win.col_off;
    for r in o.row_off..o.row_off + o.height {
        let s0 = ((r - src_win.row_off) * src_win.width + dx_src) * spp + sample;
        let d0 = (r - dst_win.row_off) * dst_win.width + dx_dst;
        let s_end = s0 + (o.width - 1) * spp + 1;
        let (Some(s), Some(d)) = (src.get(s0..s_end), dst.get_mut(d0..d0 + o.width)) else {
            return false;
        };
        if spp == 1 {
            d.copy_from_slice(s);
        } else {
            for (out, v) in d.iter_mut().zip(s.iter().step_by(spp)) {
                *out = *v;
            }
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_deinterleaves_the_overlap() {
        // A 3 × 2 block with 2 samples per pixel: value = 10·pixel + sample.
        let src = BandBuffer::U16((0..6).flat_map(|p| [10 * p, 10 * p + 1]).collect());
        let block = Window {
            col_off: 3,
            row_off: 2,
            width: 3,
            height: 2,
        };
        // Destination window (2..6) × (3..4): overlap is cols 3..6 of row 3.
        let dst_win = Window {
            col_off: 2,
            row_off: 3,
            width: 4,
            height: 1,
        };
        let overlap = block.intersect(&dst_win).unwrap();
        let mut dst = BandBuffer::zeros(SampleType::U16, 4);
        assert!(copy_samples(&src, 2, 1, block, &mut dst, dst_win, overlap));
        // Row 3 is the block's second row: pixels 3, 4, 5, sample 1.
        assert_eq!(dst, BandBuffer::U16(vec![0, 31, 41, 51]));
        let mut wrong = BandBuffer::zeros(SampleType::U8, 4);
        assert!(!copy_samples(
            &src, 2, 1, block, &mut wrong, dst_win, overlap
        ));
    }

    #[test]
    fn sparse_fill_uses_the_band_type() {
        assert_eq!(
            filled(SampleType::I16, 2, -9999.0),
            BandBuffer::I16(vec![-9999, -9999])
        );
        assert_eq!(filled(SampleType::U8, 1, 0.0), BandBuffer::U8(vec![0]));
    }
}
