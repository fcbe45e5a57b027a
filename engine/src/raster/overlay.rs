//! A reader that presents a file with a few bytes replaced.
//!
//! reclaim reads *samples*, like GDAL: a palette image's band is its indices, an
//! RGB(+NIR) image's bands are its samples, a MinIsWhite band is its stored values.
//! The `tiff` crate instead interprets PhotometricInterpretation: it inverts
//! MinIsWhite data, refuses palettes, and drops extra samples after RGB. Showing it
//! the value MinIsBlack (1) instead of the stored one makes it hand back every
//! sample unchanged, so the first directory's PhotometricInterpretation value is
//! overlaid here. Nothing is written to disk.

use std::io::{self, Read, Seek, SeekFrom};

/// `inner` with `patches` (file offset, replacement bytes) applied on every read.
#[derive(Debug)]
pub(crate) struct Overlay<R> {
    inner: R,
    pos: u64,
    patches: Vec<(u64, Vec<u8>)>,
}

impl<R: Read + Seek> Overlay<R> {
    /// Wraps `inner`, which must be positioned at its start.
    pub fn new(inner: R, patches: Vec<(u64, Vec<u8>)>) -> Overlay<R> {
        Overlay {
            inner,
            pos: 0,
            patches,
        }
    }
}

impl<R: Read> Read for Overlay<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let start = self.pos;
        let end = start + n as u64;
        for (at, bytes) in &self.patches {
            for (k, b) in bytes.iter().enumerate() {
                let p = at + k as u64;
                if p >= start && p < end {
                    if let Some(slot) = buf.get_mut((p - start) as usize) {
                        *slot = *b;
                    }
                }
            }
        }
        self.pos = end;
        Ok(n)
    }
}

impl<R: Seek> Seek for Overlay<R> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        self.pos = self.inner.seek(to)?;
        Ok(self.pos)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    #[test]
    fn patches_only_the_listed_bytes_in_any_read_pattern() {
        let data: Vec<u8> = (0..20).collect();
        let mut o = Overlay::new(
            Cursor::new(data),
            vec![(5, vec![100, 101]), (19, vec![200])],
        );
        let mut all = Vec::new();
        o.read_to_end(&mut all).unwrap();
        assert_eq!(&all[3..8], &[3, 4, 100, 101, 7]);
        assert_eq!(all[19], 200);
        // A read that starts inside a patch.
        o.seek(SeekFrom::Start(6)).unwrap();
        let mut two = [0u8; 2];
        o.read_exact(&mut two).unwrap();
        assert_eq!(two, [101, 7]);
    }
}
