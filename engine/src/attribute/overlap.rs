//! Pits that overlap each other: quality-control pairs and disjoint "counted" pits.
//!
//! Land inside two pits must count once in county totals. Pits are taken in ascending
//! id order (byte-wise); each keeps only the part that no earlier pit has claimed:
//! `counted_i = pit_i − ⋃ {pit_j : id_j < id_i}`. The counted parts are disjoint and
//! their union is the union of all pits. Every pair whose overlap has positive area
//! (at least the sliver threshold) is reported with that area.

use geo::MultiPolygon;

use super::frame::{rings_of, shapes_area, Frame, Shapes};

/// Two pits whose footprints overlap, for quality-control reports.
#[derive(Debug, Clone, PartialEq)]
pub struct PitOverlap {
    /// The pit that keeps the shared land (smaller id).
    pub pit_a: String,
    /// The pit that loses it in the counted totals (larger id).
    pub pit_b: String,
    /// Area of `pit_a ∩ pit_b`, map units².
    pub area: f64,
}

/// Removes from one pit the land of earlier pits and lists the overlaps.
///
/// `pit` is the pit's resolved geometry on `frame`; `earlier` are the pits with smaller
/// ids whose envelopes meet it, as (id, oriented geometry), in id order. Returns the
/// counted geometry and the overlaps of area at least `min_area` (and above zero).
pub(crate) fn claim<'a>(
    frame: &Frame,
    pit_id: &str,
    pit: &Shapes,
    earlier: impl IntoIterator<Item = (&'a str, &'a MultiPolygon<f64>)>,
    min_area: f64,
) -> (Shapes, Vec<PitOverlap>) {
    let pit_rings = rings_of(pit);
    let mut counted = pit.clone();
    let mut overlaps = Vec::new();
    for (other_id, other) in earlier {
        let other_rings = frame.rings(other);
        if other_rings.is_empty() {
            continue;
        }
        let (shared, _) = frame.split(&pit_rings, &other_rings);
        let shared = shapes_area(&shared);
        if shared > 0.0 && shared >= min_area {
            overlaps.push(PitOverlap {
                pit_a: other_id.to_string(),
                pit_b: pit_id.to_string(),
                area: shared,
            });
        }
        counted = frame.split(&rings_of(&counted), &other_rings).1;
    }
    (counted, overlaps)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::frame::oriented;
    use geo::polygon;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)
        ]])
    }

    /// Counted area and overlaps of `pit` against `earlier`.
    fn run(
        pit: &MultiPolygon<f64>,
        earlier: &[(&str, MultiPolygon<f64>)],
    ) -> (f64, Vec<PitOverlap>) {
        let frame = Frame::around(pit).unwrap();
        let shapes = frame.resolve(&frame.rings(&oriented(pit)));
        let (counted, overlaps) = claim(
            &frame,
            "me",
            &shapes,
            earlier.iter().map(|(i, g)| (*i, g)),
            1e-6,
        );
        (shapes_area(&counted), overlaps)
    }

    #[test]
    fn loses_land_to_each_earlier_pit() {
        // me: 6..16 × 0..10; a: 0..10 (overlap 40); b: 14..24 (overlap 20). 100 − 60 = 40.
        let (counted, overlaps) = run(
            &rect(6.0, 0.0, 16.0, 10.0),
            &[
                ("a", rect(0.0, 0.0, 10.0, 10.0)),
                ("b", rect(14.0, 0.0, 24.0, 10.0)),
            ],
        );
        assert_eq!(counted, 40.0);
        let got: Vec<(&str, f64)> = overlaps
            .iter()
            .map(|o| (o.pit_a.as_str(), o.area))
            .collect();
        assert_eq!(got, [("a", 40.0), ("b", 20.0)]);
        assert!(overlaps.iter().all(|o| o.pit_b == "me"));
    }

    #[test]
    fn touching_is_not_overlapping() {
        let (counted, overlaps) = run(
            &rect(1.0, 0.0, 2.0, 1.0),
            &[("a", rect(0.0, 0.0, 1.0, 1.0))],
        );
        assert_eq!(counted, 1.0);
        assert!(overlaps.is_empty());
    }

    #[test]
    fn nested_pit_keeps_nothing() {
        // A large earlier pit reaching far beyond the frame is clipped, not overflowed.
        let (counted, overlaps) = run(
            &rect(1.0, 1.0, 2.0, 2.0),
            &[("a", rect(-1e6, -1e6, 1e6, 1e6))],
        );
        assert_eq!(counted, 0.0);
        assert_eq!(overlaps[0].area, 1.0);
    }
}
