//! A minimal, bounded walk over the TIFF header and directory chain.
//!
//! The `tiff` crate does the real decoding, but some of its arithmetic overflows
//! (and panics) on hostile headers, and it only looks at one directory at a time.
//! This scan runs first: it reads the header, every image directory's subfile type
//! (to count overviews without decoding them) and the first directory's layout tags,
//! with every offset checked against the file length and every count capped, so the
//! reader can validate sizes before the decoder sees the file.

use std::collections::HashSet;
use std::io::{Read, Seek, SeekFrom};
use std::path::Path;

use super::error::{Malformation, RasterError};
use super::limits::{LimitKind, Limits};

/// Tag numbers this module reads.
pub(crate) mod tag {
    pub const NEW_SUBFILE_TYPE: u16 = 254;
    pub const IMAGE_WIDTH: u16 = 256;
    pub const IMAGE_LENGTH: u16 = 257;
    pub const BITS_PER_SAMPLE: u16 = 258;
    pub const COMPRESSION: u16 = 259;
    pub const PHOTOMETRIC: u16 = 262;
    pub const STRIP_OFFSETS: u16 = 273;
    pub const SAMPLES_PER_PIXEL: u16 = 277;
    pub const ROWS_PER_STRIP: u16 = 278;
    pub const PLANAR_CONFIGURATION: u16 = 284;
    pub const PREDICTOR: u16 = 317;
    pub const TILE_WIDTH: u16 = 322;
    pub const TILE_LENGTH: u16 = 323;
    pub const TILE_OFFSETS: u16 = 324;
    pub const SAMPLE_FORMAT: u16 = 339;
}

/// Most entries one directory may hold (tags are 16-bit, so more is nonsense).
const MAX_ENTRIES: u64 = 4096;
/// Most values read from one layout tag (BitsPerSample, SampleFormat: one per band).
const MAX_LAYOUT_VALUES: u64 = 65535;

/// One raw directory entry.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RawEntry {
    pub tag: u16,
    pub typ: u16,
    pub count: u64,
    /// The inline value/offset field (4 bytes used in classic TIFF, 8 in BigTIFF).
    pub field: [u8; 8],
    /// File position of `field`.
    pub field_pos: u64,
}

/// Where the PhotometricInterpretation value sits, to present it differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct PhotometricEntry {
    pub value: u16,
    pub pos: u64,
    /// Byte width of the stored value (2 for SHORT, 4 for LONG, 8 for LONG8).
    pub width: usize,
}

/// Layout of the first (full-resolution) image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FirstIfd {
    pub width: u64,
    pub height: u64,
    pub samples: u16,
    pub bits: Vec<u64>,
    pub sample_format: Vec<u64>,
    pub compression: u16,
    pub predictor: u16,
    pub planar: u16,
    pub photometric: Option<PhotometricEntry>,
    /// `Some((tile_width, tile_height))` for tiled images.
    pub tile: Option<(u64, u64)>,
    /// RowsPerStrip as written (absent means "whole image").
    pub rows_per_strip: Option<u64>,
    /// Number of strip or tile offsets declared.
    pub offsets_count: u64,
}

/// What the scan learned.
#[derive(Debug, Clone)]
pub(crate) struct TiffScan {
    pub big_endian: bool,
    pub big_tiff: bool,
    pub first: FirstIfd,
    /// NewSubfileType of every directory after the first (stopped at the first broken one).
    pub later_subfile_types: Vec<u64>,
    /// GDAL's internal mask of the full-resolution image, when there is one.
    pub mask: Option<MaskIfd>,
}

/// A directory holding the per-dataset mask (NewSubfileType = 4: transparency mask
/// of the full-resolution image, as GDAL writes it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MaskIfd {
    /// Position in the directory chain (0 = the main image).
    pub index: usize,
    /// Its PhotometricInterpretation entry (4, transparency mask, as written by GDAL).
    pub photometric: Option<PhotometricEntry>,
    /// Size in pixels (must equal the main image's).
    pub width: u64,
    pub height: u64,
}

impl TiffScan {
    /// Number of reduced-resolution images of the main image (masks and their overviews excluded).
    pub fn overviews(&self) -> usize {
        self.later_subfile_types
            .iter()
            .filter(|t| *t & 1 == 1 && *t & 4 == 0)
            .count()
    }
}

struct Scanner<'a, R> {
    r: &'a mut R,
    path: &'a Path,
    len: u64,
    big_endian: bool,
    big_tiff: bool,
}

/// Scans `r` (the whole file, `len` bytes long).
pub(crate) fn scan<R: Read + Seek>(
    r: &mut R,
    len: u64,
    path: &Path,
    limits: &Limits,
) -> Result<TiffScan, RasterError> {
    let mut s = Scanner {
        r,
        path,
        len,
        big_endian: false,
        big_tiff: false,
    };
    let head = s.bytes(0, 8, "TIFF header")?;
    s.big_endian = match &head[..2] {
        b"II" => false,
        b"MM" => true,
        _ => return Err(s.malformed(Malformation::NotTiff)),
    };
    let magic = s.u16_at(&head, 2);
    let first_ifd = match magic {
        42 => s.u32_at(&head, 4) as u64,
        43 => {
            s.big_tiff = true;
            if s.u16_at(&head, 4) != 8 {
                return Err(s.malformed(Malformation::NotTiff));
            }
            let h = s.bytes(8, 8, "BigTIFF header")?;
            s.u64_at(&h, 0)
        }
        _ => return Err(s.malformed(Malformation::NotTiff)),
    };
    let (entries, mut next) = s.directory(first_ifd)?;
    let first = s.first_ifd(&entries)?;

    let mut seen = HashSet::from([first_ifd]);
    let mut later = Vec::new();
    let mut mask = None;
    while next != 0 {
        if seen.len() >= limits.max_ifds {
            return Err(RasterError::LimitExceeded {
                path: path.to_path_buf(),
                what: LimitKind::Ifds,
                requested: seen.len() as u64 + 1,
                limit: limits.max_ifds as u64,
            });
        }
        // A loop or a broken overview directory ends the walk: the main image is
        // still readable, exactly as libtiff reads it.
        if !seen.insert(next) {
            break;
        }
        let Ok((entries, n)) = s.directory(next) else {
            break;
        };
        let subfile = match entries.iter().find(|e| e.tag == tag::NEW_SUBFILE_TYPE) {
            Some(e) => s.uints(e, 1)?.first().copied().unwrap_or(0),
            None => 0,
        };
        // The first full-resolution mask (bit 2 set, bit 0 clear) of the main image's
        // size with PhotometricInterpretation = 4 (transparency mask).
        if mask.is_none() && subfile & 4 != 0 && subfile & 1 == 0 {
            let photometric = s.photometric(&entries).ok().flatten();
            let width = s.scalar(&entries, tag::IMAGE_WIDTH).ok().flatten();
            let height = s.scalar(&entries, tag::IMAGE_LENGTH).ok().flatten();
            // As GDAL: the main image's mask has its size and says it is a mask.
            if width == Some(first.width)
                && height == Some(first.height)
                && photometric.is_some_and(|p| p.value == 4)
            {
                let (width, height) = (first.width, first.height);
                mask = Some(MaskIfd {
                    index: later.len() + 1,
                    photometric,
                    width,
                    height,
                });
            }
        }
        later.push(subfile);
        next = n;
    }
    Ok(TiffScan {
        big_endian: s.big_endian,
        big_tiff: s.big_tiff,
        first,
        later_subfile_types: later,
        mask,
    })
}

impl<R: Read + Seek> Scanner<'_, R> {
    fn malformed(&self, detail: Malformation) -> RasterError {
        RasterError::Malformed {
            path: self.path.to_path_buf(),
            chunk: None,
            detail,
        }
    }

    fn bytes(&mut self, offset: u64, n: u64, what: &'static str) -> Result<Vec<u8>, RasterError> {
        match offset.checked_add(n) {
            Some(end) if end <= self.len => {}
            _ => return Err(self.malformed(Malformation::Truncated { what, offset })),
        }
        let mut buf = vec![0u8; usize::try_from(n).unwrap_or(0)];
        let io = |source| RasterError::Io {
            path: self.path.to_path_buf(),
            source,
        };
        self.r.seek(SeekFrom::Start(offset)).map_err(io)?;
        self.r.read_exact(&mut buf).map_err(io)?;
        Ok(buf)
    }

    fn u16_at(&self, b: &[u8], i: usize) -> u16 {
        let a = [
            b.get(i).copied().unwrap_or(0),
            b.get(i + 1).copied().unwrap_or(0),
        ];
        if self.big_endian {
            u16::from_be_bytes(a)
        } else {
            u16::from_le_bytes(a)
        }
    }

    fn u32_at(&self, b: &[u8], i: usize) -> u32 {
        let mut a = [0u8; 4];
        for (k, v) in a.iter_mut().enumerate() {
            *v = b.get(i + k).copied().unwrap_or(0);
        }
        if self.big_endian {
            u32::from_be_bytes(a)
        } else {
            u32::from_le_bytes(a)
        }
    }

    fn u64_at(&self, b: &[u8], i: usize) -> u64 {
        let mut a = [0u8; 8];
        for (k, v) in a.iter_mut().enumerate() {
            *v = b.get(i + k).copied().unwrap_or(0);
        }
        if self.big_endian {
            u64::from_be_bytes(a)
        } else {
            u64::from_le_bytes(a)
        }
    }

    /// Reads the directory at `offset`: its entries and the next directory's offset.
    fn directory(&mut self, offset: u64) -> Result<(Vec<RawEntry>, u64), RasterError> {
        let (count, entry_size, head) = if self.big_tiff {
            let b = self.bytes(offset, 8, "image directory")?;
            (self.u64_at(&b, 0), 20u64, 8u64)
        } else {
            let b = self.bytes(offset, 2, "image directory")?;
            (u64::from(self.u16_at(&b, 0)), 12u64, 2u64)
        };
        if count > MAX_ENTRIES {
            return Err(self.malformed(Malformation::BadTag {
                tag: 0,
                reason: "image directory declares more than 4096 entries",
            }));
        }
        let next_size = if self.big_tiff { 8 } else { 4 };
        let body = self.bytes(
            offset + head,
            count * entry_size + next_size,
            "image directory",
        )?;
        let mut entries = Vec::with_capacity(count as usize);
        for k in 0..count as usize {
            let e = k * entry_size as usize;
            let tag = self.u16_at(&body, e);
            let typ = self.u16_at(&body, e + 2);
            let (count, field_off) = if self.big_tiff {
                (self.u64_at(&body, e + 4), e + 12)
            } else {
                (u64::from(self.u32_at(&body, e + 4)), e + 8)
            };
            let mut field = [0u8; 8];
            let width = if self.big_tiff { 8 } else { 4 };
            for (i, v) in field.iter_mut().take(width).enumerate() {
                *v = body.get(field_off + i).copied().unwrap_or(0);
            }
            entries.push(RawEntry {
                tag,
                typ,
                count,
                field,
                field_pos: offset + head + field_off as u64,
            });
        }
        let tail = count as usize * entry_size as usize;
        let next = if self.big_tiff {
            self.u64_at(&body, tail)
        } else {
            u64::from(self.u32_at(&body, tail))
        };
        Ok((entries, next))
    }

    /// Unsigned integer values of an entry (BYTE, SHORT, LONG, LONG8, IFD types).
    fn uints(&mut self, e: &RawEntry, max: u64) -> Result<Vec<u64>, RasterError> {
        let size: u64 = match e.typ {
            1 | 7 => 1,
            3 => 2,
            4 | 13 => 4,
            16 | 18 => 8,
            _ => {
                return Err(self.malformed(Malformation::BadTag {
                    tag: e.tag,
                    reason: "expected an unsigned integer type",
                }))
            }
        };
        if e.count > max {
            return Err(self.malformed(Malformation::BadTag {
                tag: e.tag,
                reason: "too many values",
            }));
        }
        let total = e.count * size;
        let inline = if self.big_tiff { 8 } else { 4 };
        let raw = if total <= inline {
            e.field[..total as usize].to_vec()
        } else {
            let off = if self.big_tiff {
                self.u64_at(&e.field, 0)
            } else {
                u64::from(self.u32_at(&e.field, 0))
            };
            self.bytes(off, total, "tag value")?
        };
        Ok(raw
            .chunks_exact(size as usize)
            .map(|c| match size {
                1 => u64::from(c.first().copied().unwrap_or(0)),
                2 => u64::from(self.u16_at(c, 0)),
                4 => u64::from(self.u32_at(c, 0)),
                _ => self.u64_at(c, 0),
            })
            .collect())
    }

    fn scalar(&mut self, entries: &[RawEntry], tag: u16) -> Result<Option<u64>, RasterError> {
        match entries.iter().find(|e| e.tag == tag) {
            None => Ok(None),
            Some(e) => {
                let v = self.uints(e, MAX_LAYOUT_VALUES)?;
                match v.first() {
                    Some(x) => Ok(Some(*x)),
                    None => Err(self.malformed(Malformation::BadTag {
                        tag,
                        reason: "no value",
                    })),
                }
            }
        }
    }

    fn scalar_u16(
        &mut self,
        entries: &[RawEntry],
        tag: u16,
        default: u16,
    ) -> Result<u16, RasterError> {
        match self.scalar(entries, tag)? {
            None => Ok(default),
            Some(v) => u16::try_from(v).map_err(|_| {
                self.malformed(Malformation::BadTag {
                    tag,
                    reason: "value does not fit 16 bits",
                })
            }),
        }
    }

    /// The PhotometricInterpretation entry of a directory: value and where it sits.
    fn photometric(
        &mut self,
        entries: &[RawEntry],
    ) -> Result<Option<PhotometricEntry>, RasterError> {
        Ok(match entries.iter().find(|e| e.tag == tag::PHOTOMETRIC) {
            None => None,
            Some(e) => {
                let width = match (e.typ, e.count) {
                    (3, 1) => 2,
                    (4, 1) => 4,
                    (16, 1) => 8,
                    _ => {
                        return Err(self.malformed(Malformation::BadTag {
                            tag: tag::PHOTOMETRIC,
                            reason: "expected one SHORT",
                        }))
                    }
                };
                let value = self.scalar_u16(entries, tag::PHOTOMETRIC, 1)?;
                Some(PhotometricEntry {
                    value,
                    pos: e.field_pos,
                    width,
                })
            }
        })
    }

    fn first_ifd(&mut self, entries: &[RawEntry]) -> Result<FirstIfd, RasterError> {
        let width = self.scalar(entries, tag::IMAGE_WIDTH)?.ok_or_else(|| {
            self.malformed(Malformation::MissingTag {
                tag: tag::IMAGE_WIDTH,
            })
        })?;
        let height = self.scalar(entries, tag::IMAGE_LENGTH)?.ok_or_else(|| {
            self.malformed(Malformation::MissingTag {
                tag: tag::IMAGE_LENGTH,
            })
        })?;
        if width == 0 || height == 0 || width > u64::from(u32::MAX) || height > u64::from(u32::MAX)
        {
            return Err(self.malformed(Malformation::ZeroDimension { width, height }));
        }
        let samples = self.scalar_u16(entries, tag::SAMPLES_PER_PIXEL, 1)?;
        if samples == 0 {
            return Err(self.malformed(Malformation::BadTag {
                tag: tag::SAMPLES_PER_PIXEL,
                reason: "zero samples per pixel",
            }));
        }
        let bits = match entries.iter().find(|e| e.tag == tag::BITS_PER_SAMPLE) {
            Some(e) => self.uints(e, MAX_LAYOUT_VALUES)?,
            None => vec![1],
        };
        let sample_format = match entries.iter().find(|e| e.tag == tag::SAMPLE_FORMAT) {
            Some(e) => self.uints(e, MAX_LAYOUT_VALUES)?,
            None => vec![1],
        };
        let compression = self.scalar_u16(entries, tag::COMPRESSION, 1)?;
        let predictor = self.scalar_u16(entries, tag::PREDICTOR, 1)?;
        let planar = self.scalar_u16(entries, tag::PLANAR_CONFIGURATION, 1)?;
        let photometric = self.photometric(entries)?;
        let tw = self.scalar(entries, tag::TILE_WIDTH)?;
        let th = self.scalar(entries, tag::TILE_LENGTH)?;
        let tile = match (tw, th) {
            (Some(w), Some(h)) if w > 0 && h > 0 => Some((w, h)),
            (None, None) => None,
            _ => {
                return Err(self.malformed(Malformation::BadTag {
                    tag: tag::TILE_WIDTH,
                    reason: "tile width and length must both be positive",
                }))
            }
        };
        let rows_per_strip = self.scalar(entries, tag::ROWS_PER_STRIP)?;
        if rows_per_strip == Some(0) && tile.is_none() {
            return Err(self.malformed(Malformation::BadTag {
                tag: tag::ROWS_PER_STRIP,
                reason: "zero rows per strip",
            }));
        }
        let offsets_tag = if tile.is_some() {
            tag::TILE_OFFSETS
        } else {
            tag::STRIP_OFFSETS
        };
        let offsets_count = entries
            .iter()
            .find(|e| e.tag == offsets_tag)
            .map(|e| e.count)
            .ok_or_else(|| self.malformed(Malformation::MissingTag { tag: offsets_tag }))?;
        Ok(FirstIfd {
            width,
            height,
            samples,
            bits,
            sample_format,
            compression,
            predictor,
            planar,
            photometric,
            tile,
            rows_per_strip,
            offsets_count,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Cursor;

    /// A little-endian classic TIFF: 2×3 pixels, one strip, u8, with `extra` entries.
    fn tiny(extra: &[(u16, u16, u32, u32)], next_ifd: u32) -> Vec<u8> {
        let mut entries: Vec<(u16, u16, u32, u32)> = vec![
            (256, 3, 1, 2),
            (257, 3, 1, 3),
            (258, 3, 1, 8),
            (262, 3, 1, 2),
            (273, 4, 1, 200),
            (277, 3, 1, 1),
            (279, 4, 1, 6),
        ];
        entries.extend_from_slice(extra);
        entries.sort_by_key(|e| e.0);
        let mut b = b"II*\0".to_vec();
        b.extend_from_slice(&8u32.to_le_bytes());
        b.extend_from_slice(&(entries.len() as u16).to_le_bytes());
        for (t, ty, c, v) in entries {
            b.extend_from_slice(&t.to_le_bytes());
            b.extend_from_slice(&ty.to_le_bytes());
            b.extend_from_slice(&c.to_le_bytes());
            b.extend_from_slice(&v.to_le_bytes());
        }
        b.extend_from_slice(&next_ifd.to_le_bytes());
        b.resize(206, 0);
        b
    }

    fn run(b: &[u8]) -> Result<TiffScan, RasterError> {
        scan(
            &mut Cursor::new(b),
            b.len() as u64,
            Path::new("t.tif"),
            &Limits::default(),
        )
    }

    #[test]
    fn reads_layout_and_photometric_position() {
        let b = tiny(&[], 0);
        let s = run(&b).unwrap();
        assert!(!s.big_endian && !s.big_tiff);
        assert_eq!((s.first.width, s.first.height, s.first.samples), (2, 3, 1));
        assert_eq!(s.first.bits, vec![8]);
        let p = s.first.photometric.unwrap();
        assert_eq!(p.value, 2);
        // Fourth entry (index 3): 8 header + 2 count + 3·12 + 8 (tag, type, count).
        assert_eq!(p.pos, 8 + 2 + 36 + 8);
        assert_eq!(b[p.pos as usize], 2);
        assert_eq!(s.overviews(), 0);
    }

    #[test]
    fn refuses_garbage_and_truncation() {
        assert!(matches!(
            run(b"GIF89a\0\0\0\0"),
            Err(RasterError::Malformed {
                detail: Malformation::NotTiff,
                ..
            })
        ));
        let mut b = tiny(&[], 0);
        b.truncate(30);
        assert!(matches!(
            run(&b),
            Err(RasterError::Malformed {
                detail: Malformation::Truncated { .. },
                ..
            })
        ));
    }

    #[test]
    fn self_loop_ends_the_walk() {
        // The next-IFD pointer points back at the first directory.
        let b = tiny(&[], 8);
        let s = run(&b).unwrap();
        assert!(s.later_subfile_types.is_empty());
    }

    #[test]
    fn zero_width_is_malformed() {
        let mut b = tiny(&[], 0);
        // ImageWidth value field: 8 + 2 + 8.
        b[18] = 0;
        assert!(matches!(
            run(&b),
            Err(RasterError::Malformed {
                detail: Malformation::ZeroDimension {
                    width: 0,
                    height: 3
                },
                ..
            })
        ));
    }
}
