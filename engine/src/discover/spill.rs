//! Candidates' outlines on disk: each listed patch's outline is appended to an
//! unnamed temporary file as the patch closes, and read back by its [`Span`]
//! when the candidates are labelled, measured and written. Memory then holds
//! only each candidate's small record, never its outline, so the peak does not
//! grow with the outlines of 100 000 candidates.
//!
//! The layout is private to one run (the file has no name and vanishes with the
//! last handle): per outline a `u32` polygon count, per polygon a `u32` ring
//! count, per ring a `u32` point count and the points as little-endian `f64`
//! pairs. Coordinates go through bit for bit, so the files written from them are
//! the same as from the outlines held in memory.

use super::error::DiscoverError;
use geo::{Coord, LineString, MultiPolygon, Polygon};
use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Where one outline lies in the spill file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Span {
    /// Byte offset.
    pub offset: u64,
    /// Byte length.
    pub len: u64,
}

/// Largest outline read back, bytes (a cap on the allocation a damaged span
/// could ask for; a patch of 20 million runs has far fewer corners).
const MAX_OUTLINE_BYTES: u64 = 1 << 32;

/// Appends outlines to the spill file.
#[derive(Debug)]
pub struct SpillWriter {
    w: BufWriter<File>,
    at: u64,
    spill: Spill,
    buf: Vec<u8>,
}

/// Reads outlines back (cheap to clone; shared between threads).
#[derive(Debug, Clone)]
pub struct Spill {
    file: Arc<File>,
    /// The folder the file lives in (for messages).
    dir: PathBuf,
}

impl SpillWriter {
    /// A new, unnamed spill file in `dir`.
    ///
    /// # Errors
    /// [`DiscoverError::Spill`] when `dir` cannot hold a temporary file.
    pub fn create(dir: &Path) -> Result<SpillWriter, DiscoverError> {
        let err = |source| DiscoverError::Spill {
            dir: dir.to_path_buf(),
            source,
        };
        let file = tempfile::tempfile_in(dir).map_err(err)?;
        let reader = file.try_clone().map_err(err)?;
        Ok(SpillWriter {
            w: BufWriter::with_capacity(1 << 20, file),
            at: 0,
            spill: Spill {
                file: Arc::new(reader),
                dir: dir.to_path_buf(),
            },
            buf: Vec::new(),
        })
    }

    /// Appends `mp`; its span.
    ///
    /// # Errors
    /// [`DiscoverError::Spill`] when the file cannot be written (disk full).
    pub fn push(&mut self, mp: &MultiPolygon<f64>) -> Result<Span, DiscoverError> {
        let mut buf = std::mem::take(&mut self.buf);
        buf.clear();
        encode(mp, &mut buf);
        let span = self.push_bytes(&buf);
        self.buf = buf;
        span
    }

    /// Appends raw bytes (a record); their span.
    ///
    /// # Errors
    /// [`DiscoverError::Spill`] when the file cannot be written (disk full).
    pub fn push_bytes(&mut self, b: &[u8]) -> Result<Span, DiscoverError> {
        self.w
            .write_all(b)
            .map_err(|source| self.spill.error(source))?;
        let span = Span {
            offset: self.at,
            len: b.len() as u64,
        };
        self.at += span.len;
        Ok(span)
    }

    /// Flushes the file; the reader.
    ///
    /// # Errors
    /// [`DiscoverError::Spill`] when the last outlines cannot be written.
    pub fn finish(mut self) -> Result<Spill, DiscoverError> {
        self.w.flush().map_err(|source| self.spill.error(source))?;
        Ok(self.spill)
    }

    /// Bytes written so far.
    pub fn len(&self) -> u64 {
        self.at
    }

    /// Whether nothing was written.
    pub fn is_empty(&self) -> bool {
        self.at == 0
    }
}

impl Spill {
    fn error(&self, source: io::Error) -> DiscoverError {
        DiscoverError::Spill {
            dir: self.dir.clone(),
            source,
        }
    }

    /// The folder the file lives in.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The bytes at `span` (a record).
    ///
    /// # Errors
    /// An I/O error naming the folder when they cannot be read back whole.
    pub fn read_bytes_io(&self, span: Span) -> io::Result<Vec<u8>> {
        let wrap = |e: io::Error| {
            io::Error::new(
                e.kind(),
                format!(
                    "reading a candidate back from the temporary file in {}: {e}",
                    self.dir.display()
                ),
            )
        };
        if span.len > MAX_OUTLINE_BYTES {
            return Err(wrap(invalid("record longer than 4 GiB")));
        }
        let mut buf = vec![0u8; span.len as usize];
        read_at(&self.file, &mut buf, span.offset).map_err(wrap)?;
        Ok(buf)
    }

    /// The outline at `span`.
    ///
    /// # Errors
    /// [`DiscoverError::Spill`] when it cannot be read back whole.
    pub fn read(&self, span: Span) -> Result<MultiPolygon<f64>, DiscoverError> {
        self.read_io(span).map_err(|e| self.error(e))
    }

    /// [`Spill::read`] as an I/O error that names the folder (for writers).
    ///
    /// # Errors
    /// As [`Spill::read`].
    pub fn read_io(&self, span: Span) -> io::Result<MultiPolygon<f64>> {
        let buf = self.read_bytes_io(span)?;
        decode(&buf).map_err(|e| {
            io::Error::new(
                e.kind(),
                format!(
                    "a candidate's outline in the temporary file in {} is damaged: {e}",
                    self.dir.display()
                ),
            )
        })
    }
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_string())
}

#[cfg(unix)]
fn read_at(f: &File, buf: &mut [u8], offset: u64) -> io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(f, buf, offset)
}

#[cfg(windows)]
fn read_at(f: &File, mut buf: &mut [u8], mut offset: u64) -> io::Result<()> {
    use std::os::windows::fs::FileExt;
    while !buf.is_empty() {
        match f.seek_read(buf, offset)? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            n => {
                buf = &mut buf[n..];
                offset += n as u64;
            }
        }
    }
    Ok(())
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    // Counts of one outline's parts stay far below u32 (20 M runs at most).
    out.extend_from_slice(&u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes());
}

fn encode(mp: &MultiPolygon<f64>, out: &mut Vec<u8>) {
    put_len(out, mp.0.len());
    for p in &mp.0 {
        put_len(out, 1 + p.interiors().len());
        for r in std::iter::once(p.exterior()).chain(p.interiors()) {
            put_len(out, r.0.len());
            for c in &r.0 {
                out.extend_from_slice(&c.x.to_le_bytes());
                out.extend_from_slice(&c.y.to_le_bytes());
            }
        }
    }
}

/// A cursor over a byte slice that refuses to read past its end.
struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn take<const N: usize>(&mut self) -> io::Result<[u8; N]> {
        let (head, rest) = self
            .0
            .split_first_chunk::<N>()
            .ok_or_else(|| invalid("outline cut short"))?;
        self.0 = rest;
        Ok(*head)
    }
    fn count(&mut self, item_bytes: usize) -> io::Result<usize> {
        let n = u32::from_le_bytes(self.take()?) as usize;
        // Each item needs at least `item_bytes`: a damaged count cannot allocate more.
        if n.saturating_mul(item_bytes) > self.0.len() {
            return Err(invalid("outline count beyond its bytes"));
        }
        Ok(n)
    }
    fn f64(&mut self) -> io::Result<f64> {
        Ok(f64::from_le_bytes(self.take()?))
    }
}

fn decode(bytes: &[u8]) -> io::Result<MultiPolygon<f64>> {
    let mut c = Cursor(bytes);
    let n_polys = c.count(4)?;
    let mut polys = Vec::with_capacity(n_polys);
    for _ in 0..n_polys {
        let n_rings = c.count(4)?;
        let mut rings = Vec::with_capacity(n_rings);
        for _ in 0..n_rings {
            let n = c.count(16)?;
            let mut pts = Vec::with_capacity(n);
            for _ in 0..n {
                let x = c.f64()?;
                let y = c.f64()?;
                pts.push(Coord { x, y });
            }
            rings.push(LineString(pts));
        }
        let mut rings = rings.into_iter();
        let exterior = rings
            .next()
            .ok_or_else(|| invalid("polygon without ring"))?;
        polys.push(Polygon::new(exterior, rings.collect()));
    }
    if !c.0.is_empty() {
        return Err(invalid("bytes after the outline"));
    }
    Ok(MultiPolygon(polys))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn outlines_come_back_bit_for_bit() {
        let a = MultiPolygon(vec![polygon![
            exterior: [(x: 0.1, y: 0.2), (x: 10.0, y: 0.2), (x: 10.0, y: 1e300), (x: 0.1, y: 0.2)],
            interiors: [[(x: 1.0, y: 1.0), (x: 1.0, y: 2.0), (x: 2.0, y: 1.0), (x: 1.0, y: 1.0)]],
        ]]);
        let b = MultiPolygon::<f64>(vec![]);
        let dir = tempfile::tempdir().unwrap();
        let mut w = SpillWriter::create(dir.path()).unwrap();
        let sa = w.push(&a).unwrap();
        let sb = w.push(&b).unwrap();
        let sc = w.push(&a).unwrap();
        assert_eq!(sb.offset, sa.len);
        let s = w.finish().unwrap();
        assert_eq!(s.read(sc).unwrap(), a);
        assert_eq!(s.read(sb).unwrap(), b);
        assert_eq!(s.read(sa).unwrap(), a);
        // A span past the end or cut short is an error, not a panic.
        assert!(s
            .read(Span {
                offset: sc.offset + 1,
                len: sc.len
            })
            .is_err());
        assert!(s
            .read(Span {
                offset: sa.offset,
                len: sa.len - 8
            })
            .is_err());
        // The file has no name: nothing is left in the folder.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
