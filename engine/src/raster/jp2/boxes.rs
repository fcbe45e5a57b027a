//! The JP2 box structure (ISO/IEC 15444-1 Annex I): where the codestream is, and
//! the georeferencing, in GDAL's default order (`GEOREF_SOURCES` …GEOJP2,GMLJP2…):
//! - the GeoJP2 box, a UUID box holding a degenerate 1 × 1 GeoTIFF whose model tags
//!   and GeoKeys georeference the image, read with the GeoTIFF reader's own parsers;
//! - else GMLJP2 (an `asoc` box holding a GML `RectifiedGrid`, as in Sentinel-2
//!   products): origin (a cell centre), two offset vectors and an EPSG `srsName`,
//!   axes swapped for geographic CRSs (EPSG's latitude-first order), as GDAL does.

use std::fs::File;
use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use tiff::decoder::Decoder;
use tiff::tags::Tag;

use super::errors::{io, malformed, unsupported};
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
    let mut gml = None;
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
                    .map_err(|e| io(path, e))?;
                if data[..16] == GEOJP2_UUID && georef.is_none() {
                    // A GeoJP2 box that cannot be read leaves the image without
                    // georeferencing rather than unreadable (as GDAL does).
                    georef = geotiff(&data[16..]);
                }
            }
            b"asoc" if gml.is_none() && end - body <= MAX_GEOJP2 * 16 => {
                let mut data = vec![0u8; usize::try_from(end - body).unwrap_or(0)];
                file.seek(SeekFrom::Start(body))
                    .and_then(|_| file.read_exact(&mut data))
                    .map_err(|e| io(path, e))?;
                gml = gml_in_asoc(&data, 0);
            }
            _ => {}
        }
        pos = end;
    }
    let georef = georef.or(gml);
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
    file.seek(SeekFrom::Start(pos)).map_err(|e| io(path, e))?;
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(io(path, e)),
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

/// The georeferencing of the first GML `RectifiedGrid` in the `xml ` boxes of an
/// `asoc` box's contents (searched through nested `asoc` boxes).
fn gml_in_asoc(data: &[u8], depth: usize) -> Option<GeoJp2> {
    let mut pos = 0usize;
    while depth < 8 && pos + 8 <= data.len() {
        let lbox = u32::from_be_bytes(data[pos..pos + 4].try_into().ok()?) as usize;
        let kind = &data[pos + 4..pos + 8];
        let end = match lbox {
            0 => data.len(),
            l if l >= 8 => pos.checked_add(l)?.min(data.len()),
            _ => return None,
        };
        let body = &data[pos + 8..end];
        let found = match kind {
            b"asoc" => gml_in_asoc(body, depth + 1),
            b"xml " => std::str::from_utf8(body).ok().and_then(gml_grid),
            _ => None,
        };
        if found.is_some() {
            return found;
        }
        pos = end;
    }
    None
}

/// GDAL's reading of a GMLJP2 `RectifiedGrid`: the origin is the centre of cell
/// (0, 0), so the corner is half of each offset vector back.
fn gml_grid(xml: &str) -> Option<GeoJp2> {
    let grid = &xml[xml.find("RectifiedGrid")?..];
    let origin = &grid[grid.find("origin")?..];
    let (pos_attrs, pos) = element(origin, "pos")?;
    let point_attrs = element(origin, "Point").map_or(pos_attrs, |p| p.0);
    let epsg = epsg_of(point_attrs).or_else(|| epsg_of(grid.get(..200).unwrap_or(grid)));
    let nums = |t: &str| -> Option<(f64, f64)> {
        let mut it = t.split_whitespace().map(str::parse::<f64>);
        Some((it.next()?.ok()?, it.next()?.ok()?))
    };
    let (mut ox, mut oy) = nums(pos)?;
    let rest = &grid[grid.find("offsetVector")?.saturating_sub(12)..];
    let (_, v1) = element(rest, "offsetVector")?;
    let after = &rest[rest.find(v1)? + v1.len()..];
    let (_, v2) = element(after, "offsetVector")?;
    let ((mut a1, mut b1), (mut a2, mut b2)) = (nums(v1)?, nums(v2)?);
    let geographic = epsg
        .and_then(|(c, _)| crate::crs::Crs::from_epsg(c).ok())
        .is_some_and(|c| c.is_geographic());
    // The URN and URL forms carry EPSG's axis order (latitude first); "EPSG:4326" is
    // read longitude first, as GDAL does.
    let epsg_order = epsg.is_some_and(|(_, urn)| urn);
    let epsg = epsg.map(|(c, _)| c);
    if geographic && epsg_order {
        std::mem::swap(&mut ox, &mut oy);
        std::mem::swap(&mut a1, &mut b1);
        std::mem::swap(&mut a2, &mut b2);
    }
    let transform = crate::grid::GeoTransform {
        x0: ox - 0.5 * a1 - 0.5 * a2,
        dx: a1,
        rx: a2,
        y0: oy - 0.5 * b1 - 0.5 * b2,
        ry: b1,
        dy: b2,
    };
    if ![transform.x0, transform.y0, a1, a2, b1, b2]
        .iter()
        .all(|v| v.is_finite())
        || a1 * b2 - a2 * b1 == 0.0
    {
        return None;
    }
    let keys = GeoKeys {
        projected_cs: epsg
            .filter(|_| !geographic)
            .and_then(|c| u16::try_from(c).ok()),
        geographic_cs: epsg
            .filter(|_| geographic)
            .and_then(|c| u16::try_from(c).ok()),
        model_type: epsg.map(|_| if geographic { 2 } else { 1 }),
        ..GeoKeys::default()
    };
    Some(GeoJp2 {
        georef: Georef {
            transform,
            georeferenced: true,
            gcps: 0,
            bad_pixel_scale: None,
        },
        keys,
    })
}

/// The attributes and text of the first element named `name` (any namespace prefix).
fn element<'a>(xml: &'a str, name: &str) -> Option<(&'a str, &'a str)> {
    let mut from = 0;
    loop {
        let at = from + xml[from..].find('<')?;
        let tag = &xml[at + 1..];
        let local = tag.split([' ', '>', '/', '\n', '\t', '\r']).next()?;
        let local_name = local.rsplit(':').next()?;
        if local_name == name {
            let close = tag.find('>')?;
            let attrs = &tag[local.len()..close];
            let text = &tag[close + 1..];
            let end = text.find("</")?;
            return Some((attrs, text[..end].trim()));
        }
        from = at + 1;
    }
}

/// The EPSG code in an `srsName` ("urn:ogc:def:crs:EPSG::32632", "EPSG:4326",
/// "http://www.opengis.net/def/crs/EPSG/0/32632"), and whether it is a URN or URL.
fn epsg_of(attrs: &str) -> Option<(u32, bool)> {
    let at = attrs.find("srsName")?;
    let value = attrs[at..].split('"').nth(1)?;
    if !value.to_ascii_uppercase().contains("EPSG") {
        return None;
    }
    let digits: String = value
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let urn = value.starts_with("urn:") || value.contains("opengis.net");
    Some((digits.parse().ok()?, urn))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gml_rectified_grid_projected_and_geographic() {
        let xml = r#"<gml:RectifiedGrid dimension="2"><gml:origin>
            <gml:Point gml:id="P1" srsName="urn:ogc:def:crs:EPSG::32632">
            <gml:pos>600005 5000035</gml:pos></gml:Point></gml:origin>
            <gml:offsetVector srsName="urn:ogc:def:crs:EPSG::32632">10 0</gml:offsetVector>
            <gml:offsetVector srsName="urn:ogc:def:crs:EPSG::32632">0 -10</gml:offsetVector>
            </gml:RectifiedGrid>"#;
        let g = gml_grid(xml).unwrap();
        assert_eq!(
            g.georef.transform.to_gdal(),
            [600000.0, 10.0, 0.0, 5000040.0, 0.0, -10.0]
        );
        assert_eq!(g.keys.epsg(), Some(32632));
        // EPSG:4326 is latitude first: pos "lat lon", vectors (dlat, dlon).
        let xml = r#"<RectifiedGrid><origin><Point srsName="urn:ogc:def:crs:EPSG::4326"><pos>45.5 9.5</pos>
            </Point></origin><offsetVector>0 1</offsetVector><offsetVector>-1 0</offsetVector>
            </RectifiedGrid>"#;
        let g = gml_grid(xml).unwrap();
        assert_eq!(
            g.georef.transform.to_gdal(),
            [9.0, 1.0, 0.0, 46.0, 0.0, -1.0]
        );
        assert_eq!(g.keys.epsg(), Some(4326));
        assert!(gml_grid("<RectifiedGrid><origin></origin></RectifiedGrid>").is_none());
    }
}
