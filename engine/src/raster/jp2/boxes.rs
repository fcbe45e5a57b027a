//! The JP2 box structure (ISO/IEC 15444-1 Annex I): where the codestream is, and
//! the GeoJP2 box (a UUID box holding a degenerate 1 × 1 GeoTIFF whose model tags
//! and GeoKeys georeference the image, read with the GeoTIFF reader's own parsers).

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use tiff::decoder::Decoder;
use tiff::tags::Tag;

use super::{malformed, unsupported};
use crate::raster::error::RasterError;
use crate::raster::geokeys::GeoKeys;
use crate::raster::georef::{georeference, Georef};

/// The JP2 signature box: length 12, type `jP  `, content `<CR><LF><0x87><LF>`.
pub(super) const JP2_SIGNATURE: [u8; 12] = [
    0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A,
];
/// The GeoJP2 UUID.
const GEOJP2_UUID: [u8; 16] = [
    0xB1, 0x4B, 0xF8, 0xBD, 0x08, 0x3D, 0x4B, 0x43, 0xA5, 0xAE, 0x8C, 0xD7, 0xD5, 0xA6, 0xCE, 0x03,
];
/// Largest GeoJP2 box read (a degenerate GeoTIFF is a few hundred bytes).
const MAX_GEOJP2: u64 = 1 << 20;
/// Most top-level boxes walked.
const MAX_BOXES: usize = 4096;

/// Georeferencing read from a GeoJP2 box.
#[derive(Debug, Clone)]
pub(super) struct GeoJp2 {
    pub georef: Georef,
    pub keys: GeoKeys,
}

/// What the boxes say.
#[derive(Debug)]
pub(super) struct Jp2Boxes {
    /// Byte range of the codestream in the file.
    pub codestream: (u64, u64),
    pub georef: Option<GeoJp2>,
}

/// Reads the box structure of a `.jp2`, or takes the whole file as a raw codestream.
pub(super) fn read(path: &Path, file: &mut File, len: u64) -> Result<Jp2Boxes, RasterError> {
    let mut head = [0u8; 12];
    let n = read_up_to(path, file, 0, &mut head)?;
    if head[..n].starts_with(&[0xFF, 0x4F, 0xFF, 0x51]) {
        return Ok(Jp2Boxes {
            codestream: (0, len),
            georef: None,
        });
    }
    if n < 12 || head != JP2_SIGNATURE {
        return Err(malformed(
            path,
            None,
            "no JP2 signature box and no codestream (SOC, SIZ) at the start",
        ));
    }
    let mut pos = 12u64;
    let mut codestream = None;
    let mut georef = None;
    for _ in 0..MAX_BOXES {
        if pos >= len {
            break;
        }
        let (kind, body, end) = box_at(path, file, pos, len)?;
        match &kind {
            b"jp2c" if codestream.is_none() => codestream = Some((body, end)),
            b"jp2h" if has_sub_box(path, file, body, end, b"pclr")? => {
                return Err(unsupported(
                    path,
                    None,
                    "a palette (pclr box): colour-mapped JPEG 2000",
                ));
            }
            b"uuid" if end - body >= 16 && end - body <= MAX_GEOJP2 => {
                let mut data = vec![0u8; usize::try_from(end - body).unwrap_or(0)];
                file.seek(SeekFrom::Start(body))
                    .and_then(|_| file.read_exact(&mut data))
                    .map_err(|e| super::io(path, e))?;
                if data[..16] == GEOJP2_UUID && georef.is_none() {
                    // A GeoJP2 box that cannot be read leaves the image without
                    // georeferencing rather than unreadable (as GDAL does).
                    georef = geotiff(&data[16..]);
                }
            }
            _ => {}
        }
        pos = end;
    }
    let codestream = codestream.ok_or_else(|| malformed(path, None, "no codestream box (jp2c)"))?;
    Ok(Jp2Boxes { codestream, georef })
}

/// The box at `pos`: type, start of its contents, end (clipped to nothing past `len`).
fn box_at(
    path: &Path,
    file: &mut File,
    pos: u64,
    len: u64,
) -> Result<([u8; 4], u64, u64), RasterError> {
    let mut h = [0u8; 16];
    let n = read_up_to(path, file, pos, &mut h)?;
    if n < 8 {
        return Err(malformed(
            path,
            None,
            format!("box header at byte {pos} lies past the end of the file"),
        ));
    }
    let lbox = u64::from(u32::from_be_bytes([h[0], h[1], h[2], h[3]]));
    let kind = [h[4], h[5], h[6], h[7]];
    let (body, end) = match lbox {
        0 => (pos + 8, len),
        1 if n >= 16 => {
            let xl = u64::from_be_bytes([h[8], h[9], h[10], h[11], h[12], h[13], h[14], h[15]]);
            (pos + 16, pos.saturating_add(xl))
        }
        l if l >= 8 => (pos + 8, pos.saturating_add(l)),
        _ => {
            return Err(malformed(
                path,
                None,
                format!("box at byte {pos} has an invalid length {lbox}"),
            ))
        }
    };
    if end > len || body > end {
        return Err(malformed(
            path,
            None,
            format!(
                "box '{}' at byte {pos} ends at byte {end}, past the end of the file ({len} bytes)",
                String::from_utf8_lossy(&kind)
            ),
        ));
    }
    Ok((kind, body, end))
}

/// True when the super-box contents `[body, end)` hold a box of type `kind`.
fn has_sub_box(
    path: &Path,
    file: &mut File,
    body: u64,
    end: u64,
    kind: &[u8; 4],
) -> Result<bool, RasterError> {
    let mut pos = body;
    for _ in 0..MAX_BOXES {
        if pos + 8 > end {
            break;
        }
        let (k, _, e) = box_at(path, file, pos, end)?;
        if &k == kind {
            return Ok(true);
        }
        pos = e;
    }
    Ok(false)
}

/// Reads as much of `buf` as the file holds from `pos`; the number of bytes read.
fn read_up_to(
    path: &Path,
    file: &mut File,
    pos: u64,
    buf: &mut [u8],
) -> Result<usize, RasterError> {
    file.seek(SeekFrom::Start(pos))
        .map_err(|e| super::io(path, e))?;
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(super::io(path, e)),
        }
    }
    Ok(n)
}

/// The georeferencing of the degenerate GeoTIFF in a GeoJP2 box; None when unreadable.
fn geotiff(tiff_bytes: &[u8]) -> Option<GeoJp2> {
    let mut d = Decoder::new(Cursor::new(tiff_bytes)).ok()?;
    let mut f64s = |t: Tag| {
        d.find_tag(t)
            .ok()
            .flatten()
            .and_then(|v| v.into_f64_vec().ok())
    };
    let pixel_scale = f64s(Tag::ModelPixelScaleTag);
    let tiepoints = f64s(Tag::ModelTiepointTag);
    let matrix = f64s(Tag::ModelTransformationTag);
    let dir = d
        .find_tag(Tag::GeoKeyDirectoryTag)
        .ok()
        .flatten()
        .and_then(|v| v.into_u16_vec().ok());
    let ascii = d
        .find_tag(Tag::GeoAsciiParamsTag)
        .ok()
        .flatten()
        .and_then(|v| v.into_string().ok());
    let keys = dir
        .and_then(|k| GeoKeys::parse(&k, ascii.as_deref()))
        .unwrap_or_default();
    let georef = georeference(
        pixel_scale.as_deref(),
        tiepoints.as_deref(),
        matrix.as_deref(),
        keys.pixel_is_point(),
    );
    Some(GeoJp2 { georef, keys })
}
