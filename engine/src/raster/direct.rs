//! Direct decoding of uncompressed and DEFLATE chunks, only as far as a read needs.
//!
//! Most imagery reclaim reads is DEFLATE (GDAL's and rasterio's default, Sentinel-2
//! and Landsat COGs) or uncompressed. For those layouts the chunk bytes are read with
//! one positioned read, inflated in one call into a reused buffer, and converted to
//! samples with the horizontal predictor undone row by row in the same pass. A
//! DEFLATE stream can only be decoded from its start, but it can be *stopped*: a
//! read that needs the top `r` rows of a tile inflates `r` rows' worth of bytes and
//! no more. Other layouts (LZW, ZSTD, PackBits, the floating-point predictor) go
//! through the `tiff` crate.

use std::fs::File;
use std::io;

use super::buffer::BandBuffer;
use super::info::SampleType;

/// How a chunk's bytes become samples, for the layouts decoded here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DirectCodec {
    deflate: bool,
    horizontal_predictor: bool,
    big_endian: bool,
    ty: SampleType,
    /// Samples per pixel inside one chunk.
    spp: usize,
}

impl DirectCodec {
    /// The codec for a layout, or `None` when the `tiff` crate must decode it.
    pub fn for_layout(
        compression: u16,
        predictor: u16,
        big_endian: bool,
        ty: SampleType,
        spp: usize,
    ) -> Option<DirectCodec> {
        let deflate = match compression {
            1 => false,
            8 | 32946 => true,
            _ => return None,
        };
        let horizontal_predictor = match predictor {
            1 => false,
            // Horizontal differencing is defined on integers; floats use predictor 3.
            2 if !ty.is_float() => true,
            _ => return None,
        };
        (spp > 0).then_some(DirectCodec {
            deflate,
            horizontal_predictor,
            big_endian,
            ty,
            spp,
        })
    }
}

/// Why a direct decode failed (mapped to a [`RasterError`](super::RasterError) by the reader).
#[derive(Debug)]
pub(crate) enum DirectError {
    /// The chunk's bytes could not be read.
    Io(io::Error),
    /// The chunk's byte range reaches past the end of the file.
    Truncated { offset: u64 },
    /// The DEFLATE stream is corrupt.
    Stream(io::Error),
    /// The stream ended before the rows asked for (bytes expected, bytes got).
    Short { expected: u64, got: u64 },
}

/// One reader's file handle, inflater and byte buffers, reused chunk after chunk.
#[derive(Debug)]
pub(crate) struct ChunkReader {
    file: File,
    inflater: flate2::Decompress,
    compressed: Vec<u8>,
    bytes: Vec<u8>,
}

impl ChunkReader {
    /// A reader over `file` (its own handle: reads are positioned, never seek).
    pub fn new(file: File) -> ChunkReader {
        ChunkReader {
            file,
            inflater: flate2::Decompress::new(true),
            compressed: Vec::new(),
            bytes: Vec::new(),
        }
    }

    /// Decodes the first `rows` rows (`row_samples` samples each) of the chunk at
    /// `offset` (`count` bytes on disk) into `out`, which is reshaped to exactly
    /// `rows × row_samples` samples. `count` has been checked against the limits.
    pub fn decode(
        &mut self,
        codec: &DirectCodec,
        offset: u64,
        count: u64,
        row_samples: usize,
        rows: usize,
        out: &mut BandBuffer,
    ) -> Result<(), DirectError> {
        let size = codec.ty.size_bytes();
        let want = rows * row_samples * size;
        if codec.deflate {
            let count = usize::try_from(count).map_err(|_| DirectError::Truncated { offset })?;
            self.compressed.resize(count, 0);
            read_at(&self.file, offset, &mut self.compressed)?;
            self.bytes.resize(want, 0);
            self.inflater.reset(true);
            let got = inflate_prefix(&mut self.inflater, &self.compressed, &mut self.bytes)?;
            if got < want {
                return Err(DirectError::Short {
                    expected: want as u64,
                    got: got as u64,
                });
            }
        } else {
            if count < want as u64 {
                return Err(DirectError::Short {
                    expected: want as u64,
                    got: count,
                });
            }
            self.bytes.resize(want, 0);
            read_at(&self.file, offset, &mut self.bytes)?;
        }
        let rows_of = |n: usize| row_samples.checked_mul(n).unwrap_or(0);
        out.reshape(codec.ty, rows_of(rows));
        let bytes = &self.bytes[..want.min(self.bytes.len())];
        macro_rules! convert {
            ($v:expr, $t:ty, $n:expr, $pred:expr) => {
                samples_from_bytes::<$t, $n>($v, bytes, row_samples, codec, $pred)
            };
        }
        let h = codec.horizontal_predictor;
        match out {
            BandBuffer::U8(v) => convert!(v, u8, 1, h),
            BandBuffer::I8(v) => convert!(v, i8, 1, h),
            BandBuffer::U16(v) => convert!(v, u16, 2, h),
            BandBuffer::I16(v) => convert!(v, i16, 2, h),
            BandBuffer::U32(v) => convert!(v, u32, 4, h),
            BandBuffer::I32(v) => convert!(v, i32, 4, h),
            BandBuffer::F32(v) => convert!(v, f32, 4, false),
            BandBuffer::F64(v) => convert!(v, f64, 8, false),
        }
        Ok(())
    }
}

/// Reads exactly `buf.len()` bytes at `offset`.
fn read_at(file: &File, offset: u64, buf: &mut [u8]) -> Result<(), DirectError> {
    // An offset no file can reach (a BigTIFF offset past 2⁶³, or one whose end
    // overflows) is damage at that offset, not an I/O or permission problem.
    let end = offset.checked_add(buf.len() as u64);
    if end.is_none_or(|e| e > i64::MAX as u64) {
        return Err(DirectError::Truncated { offset });
    }
    let r = {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileExt;
            file.read_exact_at(buf, offset)
        }
        #[cfg(not(unix))]
        {
            use std::io::{Read, Seek, SeekFrom};
            let mut f = file;
            f.seek(SeekFrom::Start(offset))
                .and_then(|_| f.read_exact(buf))
        }
    };
    r.map_err(|e| match e.kind() {
        io::ErrorKind::UnexpectedEof | io::ErrorKind::InvalidInput => {
            DirectError::Truncated { offset }
        }
        _ => DirectError::Io(e),
    })
}

/// Inflates the zlib stream `input` until `out` is full or the stream ends;
/// returns the number of bytes written.
fn inflate_prefix(
    z: &mut flate2::Decompress,
    input: &[u8],
    out: &mut [u8],
) -> Result<usize, DirectError> {
    loop {
        let (read, written) = (z.total_in() as usize, z.total_out() as usize);
        if written >= out.len() {
            return Ok(written);
        }
        let (Some(inp), Some(dst)) = (input.get(read..), out.get_mut(written..)) else {
            return Ok(written);
        };
        let status = z
            .decompress(inp, dst, flate2::FlushDecompress::None)
            .map_err(|e| DirectError::Stream(io::Error::new(io::ErrorKind::InvalidData, e)))?;
        let progressed = z.total_in() as usize != read || z.total_out() as usize != written;
        match status {
            flate2::Status::StreamEnd => return Ok(z.total_out() as usize),
            _ if !progressed => return Ok(z.total_out() as usize),
            _ => {}
        }
    }
}

/// A sample type decoded here: built from `N` bytes in either order, added with
/// wraparound (the horizontal predictor).
trait Sample: Copy + Default {
    /// The sample in `b` (exactly its size; shorter slices read as zero bytes).
    fn from_bytes(b: &[u8], big_endian: bool) -> Self;
    fn wrapping(self, other: Self) -> Self;
}

macro_rules! int_sample {
    ($($t:ty),*) => {$(
        impl Sample for $t {
            #[inline(always)]
            fn from_bytes(b: &[u8], big_endian: bool) -> Self {
                let a = <[u8; std::mem::size_of::<$t>()]>::try_from(b).unwrap_or_default();
                if big_endian { <$t>::from_be_bytes(a) } else { <$t>::from_le_bytes(a) }
            }
            #[inline(always)]
            fn wrapping(self, other: Self) -> Self {
                self.wrapping_add(other)
            }
        }
    )*};
}
int_sample!(u8, i8, u16, i16, u32, i32, u64);

macro_rules! float_sample {
    ($($t:ty => $bits:ty),*) => {$(
        impl Sample for $t {
            #[inline(always)]
            fn from_bytes(b: &[u8], big_endian: bool) -> Self {
                <$t>::from_bits(<$bits as Sample>::from_bytes(b, big_endian))
            }
            #[inline(always)]
            fn wrapping(self, other: Self) -> Self {
                self + other
            }
        }
    )*};
}
float_sample!(f32 => u32, f64 => u64);

/// Fills `out` (already `bytes.len() / N` long) from `bytes`, undoing horizontal
/// differencing per row of `row_samples` samples when `predictor` is set.
fn samples_from_bytes<T: Sample, const N: usize>(
    out: &mut [T],
    bytes: &[u8],
    row_samples: usize,
    codec: &DirectCodec,
    predictor: bool,
) {
    if row_samples == 0 {
        return;
    }
    let be = codec.big_endian;
    let rows = out
        .chunks_mut(row_samples)
        .zip(bytes.chunks(row_samples * N));
    // One pass per row: convert, and add the running sum of each sample of the
    // pixel kept in registers (the common pixel sizes get their own loop).
    match (predictor, codec.spp) {
        (false, _) => rows.for_each(|(d, s)| convert_row::<T, N>(d, s, be)),
        (true, 1) => rows.for_each(|(d, s)| undo_row::<T, N, 1>(d, s, be)),
        (true, 2) => rows.for_each(|(d, s)| undo_row::<T, N, 2>(d, s, be)),
        (true, 3) => rows.for_each(|(d, s)| undo_row::<T, N, 3>(d, s, be)),
        (true, 4) => rows.for_each(|(d, s)| undo_row::<T, N, 4>(d, s, be)),
        (true, spp) => rows.for_each(|(d, s)| {
            convert_row::<T, N>(d, s, be);
            for i in spp..d.len() {
                d[i] = d[i].wrapping(d[i - spp]);
            }
        }),
    }
}

/// Converts one row of samples.
#[inline(always)]
fn convert_row<T: Sample, const N: usize>(dst: &mut [T], src: &[u8], be: bool) {
    for (d, s) in dst.iter_mut().zip(src.chunks_exact(N)) {
        *d = T::from_bytes(s, be);
    }
}

/// Converts one row of `SPP`-sample pixels and undoes horizontal differencing.
#[inline(always)]
fn undo_row<T: Sample, const N: usize, const SPP: usize>(dst: &mut [T], src: &[u8], be: bool) {
    let mut acc = [T::default(); SPP];
    for (d, s) in dst.chunks_exact_mut(SPP).zip(src.chunks_exact(N * SPP)) {
        for ((dk, sk), a) in d.iter_mut().zip(s.chunks_exact(N)).zip(acc.iter_mut()) {
            *a = a.wrapping(T::from_bytes(sk, be));
            *dk = *a;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn codec(deflate: bool, predictor: u16, big_endian: bool, ty: SampleType) -> DirectCodec {
        DirectCodec::for_layout(if deflate { 8 } else { 1 }, predictor, big_endian, ty, 2).unwrap()
    }

    fn temp_file(bytes: &[u8]) -> (tempfile::NamedTempFile, File) {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(bytes).unwrap();
        f.flush().unwrap();
        let h = File::open(f.path()).unwrap();
        (f, h)
    }

    fn zlib(bytes: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn layouts_left_to_the_tiff_crate() {
        assert!(DirectCodec::for_layout(5, 1, false, SampleType::U8, 1).is_none()); // LZW
        assert!(DirectCodec::for_layout(8, 3, false, SampleType::F32, 1).is_none());
        assert!(DirectCodec::for_layout(8, 2, false, SampleType::F32, 1).is_none());
        assert!(DirectCodec::for_layout(32946, 2, true, SampleType::U16, 2).is_some());
    }

    #[test]
    fn undoes_horizontal_differencing_per_sample_and_row() {
        // Two rows of 2 pixels × 2 samples, u16 little-endian, differenced:
        // row 0: (10, 100) (12, 90) -> stored 10, 100, 2, -10
        // row 1: (1, 65535) (2, 1)  -> stored 1, 65535, 1, 2 (wraps)
        let stored: [u16; 8] = [10, 100, 2, 65526, 1, 65535, 1, 2];
        let bytes: Vec<u8> = stored.iter().flat_map(|v| v.to_le_bytes()).collect();
        let (_t, f) = temp_file(&zlib(&bytes));
        let len = f.metadata().unwrap().len();
        let mut r = ChunkReader::new(f);
        let mut out = BandBuffer::U16(vec![]);
        let c = codec(true, 2, false, SampleType::U16);
        r.decode(&c, 0, len, 4, 2, &mut out).unwrap();
        assert_eq!(out, BandBuffer::U16(vec![10, 100, 12, 90, 1, 65535, 2, 1]));
        // Only the first row asked: the stream is stopped after it.
        r.decode(&c, 0, len, 4, 1, &mut out).unwrap();
        assert_eq!(out, BandBuffer::U16(vec![10, 100, 12, 90]));
    }

    #[test]
    fn big_endian_and_uncompressed_with_an_offset() {
        let vals: [i16; 4] = [-2, 300, 7, -32768];
        let mut file = vec![0xAAu8; 5];
        file.extend(vals.iter().flat_map(|v| v.to_be_bytes()));
        let (_t, f) = temp_file(&file);
        let mut r = ChunkReader::new(f);
        let mut out = BandBuffer::I16(vec![]);
        r.decode(
            &codec(false, 1, true, SampleType::I16),
            5,
            8,
            4,
            1,
            &mut out,
        )
        .unwrap();
        assert_eq!(out, BandBuffer::I16(vals.to_vec()));
    }

    #[test]
    fn short_truncated_and_corrupt_chunks_are_errors() {
        let bytes = vec![7u8; 16];
        let z = zlib(&bytes);
        let (_t, f) = temp_file(&z);
        let mut r = ChunkReader::new(f);
        let mut out = BandBuffer::U8(vec![]);
        let c = codec(true, 1, false, SampleType::U8);
        // 3 rows of 8 asked, 16 bytes in the stream
        match r.decode(&c, 0, z.len() as u64, 8, 3, &mut out) {
            Err(DirectError::Short {
                expected: 24,
                got: 16,
            }) => {}
            other => panic!("{other:?}"),
        }
        // byte range past the end of the file
        match r.decode(&c, 4, z.len() as u64, 8, 1, &mut out) {
            Err(DirectError::Truncated { offset: 4 }) => {}
            other => panic!("{other:?}"),
        }
        // a BigTIFF offset no file reaches: damage at that offset, not an I/O error
        for off in [u64::MAX - 3, 1 << 63] {
            match r.decode(&c, off, z.len() as u64, 8, 1, &mut out) {
                Err(DirectError::Truncated { offset }) => assert_eq!(offset, off),
                other => panic!("{other:?}"),
            }
        }
        // garbage instead of a zlib stream
        let (_t2, g) = temp_file(&[0xFFu8; 32]);
        let mut r = ChunkReader::new(g);
        assert!(matches!(
            r.decode(&c, 0, 32, 8, 1, &mut out),
            Err(DirectError::Stream(_))
        ));
        // uncompressed chunk shorter than the rows asked
        let c = codec(false, 1, false, SampleType::U8);
        assert!(matches!(
            r.decode(&c, 0, 4, 8, 1, &mut out),
            Err(DirectError::Short {
                expected: 8,
                got: 4
            })
        ));
    }

    #[test]
    fn floats_from_bits() {
        let vals: [f32; 2] = [1.5, f32::NAN];
        let bytes: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
        let (_t, f) = temp_file(&bytes);
        let mut r = ChunkReader::new(f);
        let mut out = BandBuffer::F32(vec![]);
        let c = DirectCodec::for_layout(1, 1, false, SampleType::F32, 1).unwrap();
        r.decode(&c, 0, 8, 2, 1, &mut out).unwrap();
        let BandBuffer::F32(v) = out else { panic!() };
        assert_eq!(v[0], 1.5);
        assert!(v[1].is_nan());
    }
}
