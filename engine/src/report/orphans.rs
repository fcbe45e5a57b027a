//! The orphan ranking: historical-legacy pieces with unrestored land, largest first,
//! and its GeoJSON file `orphans.geojson` (RFC 7946).
//!
//! Coordinates are longitude/latitude (WGS 84 / CGCS2000 — equal to within a metre),
//! rounded to 1e-7° (about 1 cm); exterior rings run counter-clockwise and holes
//! clockwise (the RFC 7946 right-hand rule), whatever the winding of the input.

use crate::results::{AuditReport, ClassAreas, PitResult, Responsibility};
use geo::{LineString, MultiPolygon};
use serde_json::{json, Value};

/// Rows of the orphan table of the page (and orphan ranks labelled on its maps).
pub const ORPHAN_ROWS: usize = 20;

/// Coordinates are rounded to 1 / `COORD_SCALE` degrees. Dividing the rounded integer
/// by this exact power of ten yields the double nearest the decimal, which prints short.
const COORD_SCALE: f64 = 1e7;

/// One ranked legacy piece.
#[derive(Debug, Clone, Copy)]
pub struct Orphan<'a> {
    /// Rank from 1 (largest unrestored area).
    pub rank: usize,
    /// Index into `report.pieces` / `report.piece_geometry`.
    pub piece: usize,
    /// The piece's pit id.
    pub pit_id: &'a str,
    /// The pit row, when the pit id is found in `report.pits`.
    pub pit: Option<&'a PitResult>,
    /// The piece's areas.
    pub areas: &'a ClassAreas,
}

/// Legacy pieces with unrestored land, by unrestored hectares descending, ties by pit id.
pub fn orphan_ranking(report: &AuditReport) -> Vec<Orphan<'_>> {
    // Pit rows by id (the first row of an id, as a linear search would find).
    let mut pits: std::collections::HashMap<&str, &PitResult> =
        std::collections::HashMap::with_capacity(report.pits.len());
    for q in &report.pits {
        pits.entry(q.pit_id.as_str()).or_insert(q);
    }
    let mut list: Vec<Orphan<'_>> = report
        .pieces
        .iter()
        .enumerate()
        .filter(|(_, p)| {
            matches!(p.responsibility, Responsibility::Legacy) && p.areas.unrestored_ha > 0.0
        })
        .map(|(i, p)| Orphan {
            rank: 0,
            piece: i,
            pit_id: &p.pit_id,
            pit: pits.get(p.pit_id.as_str()).copied(),
            areas: &p.areas,
        })
        .collect();
    list.sort_by(|a, b| {
        b.areas
            .unrestored_ha
            .total_cmp(&a.areas.unrestored_ha)
            .then_with(|| a.pit_id.cmp(b.pit_id))
            .then_with(|| a.piece.cmp(&b.piece))
    });
    for (i, o) in list.iter_mut().enumerate() {
        o.rank = i + 1;
    }
    list
}

/// `orphans.geojson`: a FeatureCollection of the ranked orphans, one feature a line.
pub fn orphans_geojson(report: &AuditReport) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let ranking = orphan_ranking(report);
    for (n, o) in ranking.iter().enumerate() {
        let geometry = report
            .piece_geometry
            .get(o.piece)
            .map(|g| multipolygon_json(&g.lonlat))
            .unwrap_or_else(|| "null".to_owned());
        let props = ordered_object(&[
            ("rank", json!(o.rank)),
            ("pit_id", json!(o.pit_id)),
            ("kind", json!(o.pit.and_then(|p| p.kind.as_deref()))),
            ("town", json!(o.pit.and_then(|p| p.town.as_deref()))),
            ("unrestored_ha", json!(o.areas.unrestored_ha)),
            ("restored_ha", json!(o.areas.restored_ha)),
            ("water_ha", json!(o.areas.water_ha)),
            ("unobserved_ha", json!(o.areas.unobserved_ha)),
            ("total_ha", json!(o.areas.total_ha())),
        ]);
        out.push_str("{\"type\":\"Feature\",\"properties\":");
        out.push_str(&props);
        out.push_str(",\"geometry\":");
        out.push_str(&geometry);
        out.push('}');
        if n + 1 < ranking.len() {
            out.push(',');
        }
        out.push('\n');
    }
    out.push_str("]}\n");
    out
}

/// Twice the signed area of a closed ring (positive when counter-clockwise).
fn signed_area2(points: &[(f64, f64)]) -> f64 {
    points
        .windows(2)
        .map(|w| match w {
            [a, b] => a.0 * b.1 - b.0 * a.1,
            _ => 0.0,
        })
        .sum()
}

/// A ring rounded to 1e-7°, without repeated points, closed and wound
/// counter-clockwise (`ccw`) or clockwise; `None` when it degenerates.
fn clean_ring(ring: &LineString<f64>, ccw: bool) -> Option<Vec<(f64, f64)>> {
    let round = |v: f64| (v * COORD_SCALE).round() / COORD_SCALE;
    let mut pts: Vec<(f64, f64)> = Vec::with_capacity(ring.0.len() + 1);
    for c in &ring.0 {
        if !(c.x.is_finite() && c.y.is_finite()) {
            return None;
        }
        let p = (round(c.x), round(c.y));
        if pts.last() != Some(&p) {
            pts.push(p);
        }
    }
    if let (Some(&first), Some(&last)) = (pts.first(), pts.last()) {
        if first != last {
            pts.push(first);
        }
    }
    if pts.len() < 4 {
        return None;
    }
    let area = signed_area2(&pts);
    if area == 0.0 {
        return None;
    }
    if (area > 0.0) != ccw {
        pts.reverse();
    }
    Some(pts)
}

/// GeoJSON `MultiPolygon` geometry text of lon/lat polygons.
pub fn multipolygon_json(mp: &MultiPolygon<f64>) -> String {
    let polys: Vec<Value> =
        mp.0.iter()
            .filter_map(|poly| {
                let ext = clean_ring(poly.exterior(), true)?;
                let mut rings = vec![ring_value(&ext)];
                rings.extend(
                    poly.interiors()
                        .iter()
                        .filter_map(|r| clean_ring(r, false))
                        .map(|r| ring_value(&r)),
                );
                Some(Value::Array(rings))
            })
            .collect();
    format!(
        "{{\"type\":\"MultiPolygon\",\"coordinates\":{}}}",
        Value::Array(polys)
    )
}

/// A JSON object with its keys in the given order (GIS tools show columns in it).
fn ordered_object(fields: &[(&str, Value)]) -> String {
    let mut s = String::from("{");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&Value::from(*k).to_string());
        s.push(':');
        s.push_str(&v.to_string());
    }
    s.push('}');
    s
}

/// A ring as a JSON array of `[lon, lat]` positions.
fn ring_value(pts: &[(f64, f64)]) -> Value {
    Value::Array(pts.iter().map(|&(x, y)| json!([x, y])).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Polygon};

    #[test]
    fn exterior_becomes_ccw_and_hole_cw() {
        // Clockwise square with a counter-clockwise hole: both must be reversed.
        let p: Polygon<f64> = polygon!(
            exterior: [(x: 0.0, y: 0.0), (x: 0.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 0.0)],
            interiors: [[(x: 0.25, y: 0.25), (x: 0.75, y: 0.25), (x: 0.75, y: 0.75), (x: 0.25, y: 0.75)]],
        );
        let text = multipolygon_json(&MultiPolygon(vec![p]));
        let v: Value = serde_json::from_str(&text).unwrap();
        let ext = &v["coordinates"][0][0];
        let pts: Vec<(f64, f64)> = ext
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        assert!(signed_area2(&pts) > 0.0, "{text}");
        assert_eq!(pts.first(), pts.last());
        let hole: Vec<(f64, f64)> = v["coordinates"][0][1]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| (p[0].as_f64().unwrap(), p[1].as_f64().unwrap()))
            .collect();
        assert!(signed_area2(&hole) < 0.0, "{text}");
    }

    #[test]
    fn coordinates_are_rounded_to_a_ten_millionth_degree() {
        let p: Polygon<f64> = polygon![
            (x: 125.123456789, y: 43.0),
            (x: 125.2, y: 43.0),
            (x: 125.2, y: 43.100000049),
        ];
        let text = multipolygon_json(&MultiPolygon(vec![p]));
        assert!(text.contains("[125.1234568,43.0]"), "{text}");
        assert!(text.contains("[125.2,43.1]"), "{text}");
    }

    #[test]
    fn degenerate_ring_is_dropped() {
        let p: Polygon<f64> =
            polygon![(x: 1.0, y: 1.0), (x: 1.00000001, y: 1.0), (x: 1.0, y: 1.00000001)];
        let text = multipolygon_json(&MultiPolygon(vec![p]));
        assert_eq!(text, r#"{"type":"MultiPolygon","coordinates":[]}"#);
    }
}
