//! Polygons as the GIS formats want them: rings closed and wound one way, their
//! envelope, and little-endian WKB `MultiPolygon` (ISO 19125 / OGC simple features).
//!
//! GeoPackage geometries wind exteriors counter-clockwise and holes clockwise (the
//! OGC convention); shapefiles the other way round. Coordinates are written as
//! they are (no rounding): the areas of the layers are the audit's.

use geo::{LineString, MultiPolygon};

/// A point (x, y).
pub type Pt = (f64, f64);
/// A closed ring: first point repeated at the end.
pub type Ring = Vec<Pt>;
/// A polygon: its exterior ring, then its holes.
pub type Rings = Vec<Ring>;

/// WKB geometry type code of a polygon.
const WKB_POLYGON: u32 = 3;
/// WKB geometry type code of a multipolygon.
const WKB_MULTIPOLYGON: u32 = 6;
/// WKB byte-order marker: little endian (NDR).
const WKB_NDR: u8 = 1;

/// Twice the signed area of a closed ring (positive when counter-clockwise),
/// about its first point (so large coordinates lose no precision).
pub fn signed_area2(r: &[Pt]) -> f64 {
    let Some(&(ox, oy)) = r.first() else {
        return 0.0;
    };
    r.windows(2)
        .map(|w| match w {
            [a, b] => (a.0 - ox) * (b.1 - oy) - (b.0 - ox) * (a.1 - oy),
            _ => 0.0,
        })
        .sum()
}

/// A ring closed and wound counter-clockwise (`ccw`) or clockwise; `Ok(None)` when
/// it has fewer than three distinct points or no area; `Err(())` for a coordinate
/// that is not finite.
fn ring(r: &LineString<f64>, ccw: bool) -> Result<Option<Ring>, ()> {
    let mut pts: Ring = Vec::with_capacity(r.0.len() + 1);
    for c in &r.0 {
        if !(c.x.is_finite() && c.y.is_finite()) {
            return Err(());
        }
        pts.push((c.x, c.y));
    }
    if let (Some(&first), Some(&last)) = (pts.first(), pts.last()) {
        if first != last {
            pts.push(first);
        }
    }
    if pts.len() < 4 {
        return Ok(None);
    }
    let a = signed_area2(&pts);
    if a == 0.0 {
        return Ok(None);
    }
    if (a > 0.0) != ccw {
        pts.reverse();
    }
    Ok(Some(pts))
}

/// The polygons of `mp` as closed rings, exteriors counter-clockwise and holes
/// clockwise when `exterior_ccw`, else the other way round. Polygons whose
/// exterior has no area are left out, and so are such holes.
///
/// # Errors
/// `Err(())` when a coordinate is not finite.
#[allow(clippy::result_unit_err)]
pub fn polygons(mp: &MultiPolygon<f64>, exterior_ccw: bool) -> Result<Vec<Rings>, ()> {
    let mut out = Vec::with_capacity(mp.0.len());
    for p in &mp.0 {
        let Some(ext) = ring(p.exterior(), exterior_ccw)? else {
            continue;
        };
        let mut rings = vec![ext];
        for h in p.interiors() {
            if let Some(h) = ring(h, !exterior_ccw)? {
                rings.push(h);
            }
        }
        out.push(rings);
    }
    Ok(out)
}

/// The envelope (min x, min y, max x, max y) of `polys`; `None` when empty.
pub fn envelope(polys: &[Rings]) -> Option<[f64; 4]> {
    let mut pts = polys.iter().flatten().flatten();
    let &(x, y) = pts.next()?;
    Some(pts.fold([x, y, x, y], |b, &(x, y)| {
        [b[0].min(x), b[1].min(y), b[2].max(x), b[3].max(y)]
    }))
}

fn put_u32(out: &mut Vec<u8>, v: usize) {
    // Counts come from geometry held in memory: far below u32::MAX.
    out.extend_from_slice(&u32::try_from(v).unwrap_or(u32::MAX).to_le_bytes());
}

/// Appends `polys` as a little-endian WKB `MultiPolygon`.
pub fn multipolygon_wkb(polys: &[Rings], out: &mut Vec<u8>) {
    out.push(WKB_NDR);
    out.extend_from_slice(&WKB_MULTIPOLYGON.to_le_bytes());
    put_u32(out, polys.len());
    for rings in polys {
        out.push(WKB_NDR);
        out.extend_from_slice(&WKB_POLYGON.to_le_bytes());
        put_u32(out, rings.len());
        for r in rings {
            put_u32(out, r.len());
            for &(x, y) in r {
                out.extend_from_slice(&x.to_le_bytes());
                out.extend_from_slice(&y.to_le_bytes());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Polygon};

    fn square_with_hole_cw() -> MultiPolygon<f64> {
        let p: Polygon<f64> = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 0.0, y: 10.0), (x: 10.0, y: 10.0), (x: 10.0, y: 0.0)],
            interiors: [[(x: 2.0, y: 2.0), (x: 4.0, y: 2.0), (x: 4.0, y: 4.0), (x: 2.0, y: 4.0)]],
        );
        MultiPolygon(vec![p])
    }

    #[test]
    fn rings_closed_and_wound_both_ways() {
        let mp = square_with_hole_cw();
        let ogc = polygons(&mp, true).unwrap();
        assert_eq!(ogc[0].len(), 2);
        for r in &ogc[0] {
            assert_eq!(r.first(), r.last());
        }
        assert_eq!(signed_area2(&ogc[0][0]), 200.0);
        assert_eq!(signed_area2(&ogc[0][1]), -8.0);
        let esri = polygons(&mp, false).unwrap();
        assert_eq!(signed_area2(&esri[0][0]), -200.0);
        assert_eq!(signed_area2(&esri[0][1]), 8.0);
        assert_eq!(envelope(&ogc), Some([0.0, 0.0, 10.0, 10.0]));
    }

    #[test]
    fn degenerate_dropped_and_nan_refused() {
        let flat: Polygon<f64> = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 2.0, y: 0.0)];
        assert!(polygons(&MultiPolygon(vec![flat]), true)
            .unwrap()
            .is_empty());
        let nan: Polygon<f64> = polygon![(x: 0.0, y: 0.0), (x: f64::NAN, y: 0.0), (x: 2.0, y: 1.0)];
        assert!(polygons(&MultiPolygon(vec![nan]), true).is_err());
        assert_eq!(envelope(&[]), None);
    }

    #[test]
    fn wkb_bytes_by_hand() {
        let tri: Polygon<f64> = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 0.0, y: 1.0)];
        let polys = polygons(&MultiPolygon(vec![tri]), true).unwrap();
        let mut b = Vec::new();
        multipolygon_wkb(&polys, &mut b);
        // 1+4+4 header, 1+4+4 polygon, 4 ring count, 4 points × 16.
        assert_eq!(b.len(), 9 + 9 + 4 + 64);
        assert_eq!(&b[..9], &[1, 6, 0, 0, 0, 1, 0, 0, 0]);
        assert_eq!(&b[9..22], &[1, 3, 0, 0, 0, 1, 0, 0, 0, 4, 0, 0, 0]);
        assert_eq!(&b[22..30], &0.0f64.to_le_bytes());
        assert_eq!(&b[38..46], &1.0f64.to_le_bytes());
    }
}
