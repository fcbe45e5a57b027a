//! The codestream's main header and tile-part index (ISO/IEC 15444-1 Annex A).
//!
//! Only the structure is read here: the SIZ marker (sizes, tiling, components),
//! the other main-header marker segments (copied as they are into each tile's
//! codestream, except TLM and PLM, which index the whole file), and one SOT header
//! per tile-part, walked through their Psot lengths, to know where each tile's
//! tile-parts are.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;

use super::errors::{self, limit, malformed, unsupported};
use crate::raster::error::RasterError;
use crate::raster::info::SampleType;
use crate::raster::limits::{LimitKind, Limits};

const SOC: u16 = 0xFF4F;
const SIZ: u16 = 0xFF51;
const COD: u16 = 0xFF52;
const COC: u16 = 0xFF53;
const TLM: u16 = 0xFF55;
const PLM: u16 = 0xFF57;
const PPM: u16 = 0xFF60;
const SOT: u16 = 0xFF90;
const EOC: u16 = 0xFFD9;
/// Largest main header read (S2 headers are a few hundred bytes plus TLM).
const MAX_MAIN_HEADER: u64 = 64 << 20;

/// The SIZ marker segment.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Siz {
    pub rsiz: u16,
    pub xsiz: u32,
    pub ysiz: u32,
    pub xosiz: u32,
    pub yosiz: u32,
    pub xtsiz: u32,
    pub ytsiz: u32,
    pub xtosiz: u32,
    pub ytosiz: u32,
    /// Ssiz, XRsiz, YRsiz of each component.
    pub components: Vec<[u8; 3]>,
}

impl Siz {
    pub fn width(&self) -> u32 {
        self.xsiz - self.xosiz
    }

    pub fn height(&self) -> u32 {
        self.ysiz - self.yosiz
    }

    /// Precision (bits) and signedness of component `c`.
    pub fn precision(&self, c: usize) -> (u8, bool) {
        let s = self.components.get(c).map_or(0, |c| c[0]);
        ((s & 0x7F) + 1, s & 0x80 != 0)
    }

    /// The sample type shared by all components.
    pub fn sample_type(&self, path: &Path) -> Result<SampleType, RasterError> {
        let mut ty = None;
        for c in 0..self.components.len() {
            let (bits, signed) = self.precision(c);
            let t = SampleType::from_jpeg2000(bits, signed).ok_or_else(|| {
                unsupported(
                    path,
                    None,
                    format!(
                        "{bits}-bit {} samples (reclaim reads up to 16 bits)",
                        if signed { "signed" } else { "unsigned" }
                    ),
                )
            })?;
            if ty.is_some_and(|p| p != t) {
                return Err(unsupported(
                    path,
                    None,
                    "components of different bit depths or signedness",
                ));
            }
            ty = Some(t);
        }
        ty.ok_or_else(|| malformed(path, None, "no component"))
    }

    /// The SIZ segment (marker included) of a codestream whose only tile is the
    /// reference-grid rectangle `[x0, x1) × [y0, y1)`.
    pub fn one_tile(&self, x0: u32, y0: u32, x1: u32, y1: u32) -> Vec<u8> {
        let mut b = Vec::with_capacity(40 + 3 * self.components.len());
        b.extend_from_slice(&SIZ.to_be_bytes());
        b.extend_from_slice(&(38 + 3 * self.components.len() as u16).to_be_bytes());
        b.extend_from_slice(&self.rsiz.to_be_bytes());
        for v in [x1, y1, x0, y0, x1 - x0, y1 - y0, x0, y0] {
            b.extend_from_slice(&v.to_be_bytes());
        }
        b.extend_from_slice(&(self.components.len() as u16).to_be_bytes());
        for c in &self.components {
            b.extend_from_slice(c);
        }
        b
    }
}

/// What is needed to cut a tile out of the codestream.
#[derive(Debug)]
pub(super) struct Codestream {
    pub siz: Siz,
    /// Main-header marker segments after SIZ (TLM and PLM left out).
    pub header: Vec<u8>,
    /// Every component uses the reversible 5/3 wavelet (per COD/COC): lossless.
    pub reversible: bool,
    /// File offset and length of each tile-part, per tile, in codestream order.
    pub parts: Vec<Vec<(u64, u32)>>,
}

impl Codestream {
    /// Reads the main header and indexes the tile-parts of the codestream at
    /// `[start, end)` of `file`.
    pub fn read(
        path: &Path,
        file: &mut File,
        (start, end): (u64, u64),
        limits: &Limits,
    ) -> Result<Codestream, RasterError> {
        let io = |e: std::io::Error| {
            if e.kind() == std::io::ErrorKind::UnexpectedEof {
                malformed(path, None, "the codestream's main header is cut off")
            } else {
                errors::io(path, e)
            }
        };
        file.seek(SeekFrom::Start(start)).map_err(io)?;
        let mut r = BufReader::new(&mut *file);
        let u16_at = |r: &mut BufReader<&mut File>| -> Result<u16, RasterError> {
            let mut b = [0u8; 2];
            r.read_exact(&mut b).map_err(io)?;
            Ok(u16::from_be_bytes(b))
        };
        if u16_at(&mut r)? != SOC || u16_at(&mut r)? != SIZ {
            return Err(malformed(
                path,
                None,
                "the codestream does not start with SOC, SIZ",
            ));
        }
        let lsiz = u16_at(&mut r)?;
        let mut siz_body = vec![0u8; usize::from(lsiz.saturating_sub(2))];
        r.read_exact(&mut siz_body).map_err(io)?;
        let siz = parse_siz(path, lsiz, &siz_body)?;
        let mut pos = start + 4 + u64::from(lsiz);
        let mut header = Vec::new();
        let mut reversible = true;
        loop {
            if pos - start > MAX_MAIN_HEADER {
                return Err(malformed(path, None, "main header longer than 64 MiB"));
            }
            let marker = u16_at(&mut r)?;
            if marker == SOT {
                break;
            }
            if marker >> 8 != 0xFF {
                return Err(malformed(
                    path,
                    None,
                    format!("no marker at byte {pos} of the main header"),
                ));
            }
            if (0xFF30..=0xFF3F).contains(&marker) {
                header.extend_from_slice(&marker.to_be_bytes());
                pos += 2;
                continue;
            }
            let len = u16_at(&mut r)?;
            if len < 2 {
                return Err(malformed(
                    path,
                    None,
                    format!("marker segment at byte {pos} has length {len}"),
                ));
            }
            let mut body = vec![0u8; usize::from(len - 2)];
            r.read_exact(&mut body).map_err(io)?;
            pos += 2 + u64::from(len);
            match marker {
                PPM => {
                    return Err(unsupported(
                        path,
                        None,
                        "packed packet headers in the main header (PPM marker)",
                    ))
                }
                TLM | PLM => continue,
                COD => reversible &= body.get(9).is_some_and(|&t| t == 1),
                COC => {
                    let at = if siz.components.len() > 256 { 7 } else { 6 };
                    reversible &= body.get(at).is_some_and(|&t| t == 1);
                }
                _ => {}
            }
            header.extend_from_slice(&marker.to_be_bytes());
            header.extend_from_slice(&len.to_be_bytes());
            header.extend_from_slice(&body);
        }
        drop(r);
        let across = (siz.xsiz - siz.xtosiz).div_ceil(siz.xtsiz);
        let down = (siz.ysiz - siz.ytosiz).div_ceil(siz.ytsiz);
        let tiles = u64::from(across) * u64::from(down);
        if tiles > limits.max_chunks {
            return Err(limit(path, LimitKind::Chunks, tiles, limits.max_chunks));
        }
        let mut parts = vec![Vec::new(); usize::try_from(tiles).unwrap_or(usize::MAX)];
        // `pos` is at the first SOT marker.
        let mut count = 0u64;
        while pos + 2 <= end {
            let mut sot = [0u8; 12];
            file.seek(SeekFrom::Start(pos))
                .map_err(|e| errors::io(path, e))?;
            let got = read_up_to(file, &mut sot).map_err(|e| errors::io(path, e))?;
            let marker = u16::from_be_bytes([sot[0], sot[1]]);
            if marker == EOC && got >= 2 {
                break;
            }
            if got < 12 || marker != SOT || u16::from_be_bytes([sot[2], sot[3]]) != 10 {
                return Err(malformed(
                    path,
                    None,
                    format!(
                        "no tile-part header (SOT) at byte {pos}: the file is cut off or damaged"
                    ),
                ));
            }
            let isot = usize::from(u16::from_be_bytes([sot[4], sot[5]]));
            let psot = u32::from_be_bytes([sot[6], sot[7], sot[8], sot[9]]);
            let len = if psot == 0 {
                // The last tile-part runs to the EOC marker at the end.
                u32::try_from(end.saturating_sub(pos).saturating_sub(2)).unwrap_or(u32::MAX)
            } else {
                psot
            };
            if len < 14 || pos + u64::from(len) > end {
                return Err(malformed(
                    path,
                    Some(isot),
                    format!(
                        "tile-part at byte {pos} claims {len} bytes; the file is cut off or damaged"
                    ),
                ));
            }
            count += 1;
            if count > limits.max_chunks {
                return Err(limit(path, LimitKind::Chunks, count, limits.max_chunks));
            }
            parts
                .get_mut(isot)
                .ok_or_else(|| {
                    malformed(
                        path,
                        None,
                        format!("tile-part at byte {pos} names tile {isot} of {tiles}"),
                    )
                })?
                .push((pos, len));
            if psot == 0 {
                break;
            }
            pos += u64::from(len);
        }
        Ok(Codestream {
            siz,
            header,
            reversible,
            parts,
        })
    }
}

/// Checks the SIZ segment body (after Lsiz) and what reclaim supports of it.
fn parse_siz(path: &Path, lsiz: u16, b: &[u8]) -> Result<Siz, RasterError> {
    let bad = |what: &str| malformed(path, None, format!("SIZ marker: {what}"));
    if b.len() < 36 {
        return Err(bad("too short"));
    }
    let u32_at = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let csiz = usize::from(u16::from_be_bytes([b[34], b[35]]));
    if csiz == 0 || usize::from(lsiz) != 38 + 3 * csiz {
        return Err(bad("component count does not match the segment length"));
    }
    let siz = Siz {
        rsiz: u16::from_be_bytes([b[0], b[1]]),
        xsiz: u32_at(2),
        ysiz: u32_at(6),
        xosiz: u32_at(10),
        yosiz: u32_at(14),
        xtsiz: u32_at(18),
        ytsiz: u32_at(22),
        xtosiz: u32_at(26),
        ytosiz: u32_at(30),
        components: b[36..36 + 3 * csiz]
            .chunks_exact(3)
            .map(|c| [c[0], c[1], c[2]])
            .collect(),
    };
    if siz.xosiz >= siz.xsiz || siz.yosiz >= siz.ysiz {
        return Err(bad("empty image area"));
    }
    if siz.xtsiz == 0 || siz.ytsiz == 0 {
        return Err(bad("zero tile size"));
    }
    if siz.xtosiz > siz.xosiz
        || siz.ytosiz > siz.yosiz
        || u64::from(siz.xtosiz) + u64::from(siz.xtsiz) <= u64::from(siz.xosiz)
        || u64::from(siz.ytosiz) + u64::from(siz.ytsiz) <= u64::from(siz.yosiz)
    {
        return Err(bad("the first tile does not overlap the image"));
    }
    if siz.xtosiz != siz.xosiz || siz.ytosiz != siz.yosiz {
        return Err(unsupported(
            path,
            None,
            "a tile grid not anchored at the image origin (XTOsiz/YTOsiz ≠ XOsiz/YOsiz)",
        ));
    }
    if siz.components.iter().any(|c| c[1] != 1 || c[2] != 1) {
        return Err(unsupported(
            path,
            None,
            "subsampled components (XRsiz/YRsiz ≠ 1)",
        ));
    }
    Ok(siz)
}

/// Reads as much of `buf` as the file holds at its position.
fn read_up_to(file: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

impl SampleType {
    /// The sample type of JPEG 2000 components of `bits` precision.
    fn from_jpeg2000(bits: u8, signed: bool) -> Option<SampleType> {
        match (bits, signed) {
            (1..=8, false) => Some(SampleType::U8),
            (9..=16, false) => Some(SampleType::U16),
            (1..=16, true) => Some(SampleType::I16),
            _ => None,
        }
    }
}
