//! Pits that overlap each other: quality-control pairs and disjoint "counted" pits.
//!
//! Land inside two pits must count once in county totals. Pits are taken in ascending
//! id order (byte-wise); each keeps only the part that no earlier pit has claimed:
//! `counted_i = pit_i − ⋃ {pit_j : id_j < id_i}`. The counted parts are disjoint and
//! their union is the union of all pits. Every pair whose overlap has positive area
//! (at least the sliver threshold) is reported with that area.

use geo::MultiPolygon;
use rayon::prelude::*;

use super::envelopes::EnvelopeTree;
use super::snap::{area, SnapGrid};

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

/// Counted (disjoint) geometry of every pit plus the overlapping pairs.
#[derive(Debug, Clone)]
pub(crate) struct Deduplicated {
    /// `pit_i` minus every pit with a smaller id, in input order.
    pub(crate) counted: Vec<MultiPolygon<f64>>,
    /// Overlapping pairs, sorted by (`pit_a`, `pit_b`).
    pub(crate) overlaps: Vec<PitOverlap>,
}

/// Splits normalised pit geometries into disjoint counted parts and overlap pairs.
///
/// `ids` and `geometries` are parallel slices; ids are unique.
pub(crate) fn deduplicate(
    ids: &[&str],
    geometries: &[MultiPolygon<f64>],
    grid: &SnapGrid,
    min_area: f64,
) -> Deduplicated {
    let tree = EnvelopeTree::new(geometries.iter().enumerate());
    let per_pit: Vec<(MultiPolygon<f64>, Vec<PitOverlap>)> = ids
        .par_iter()
        .zip(geometries.par_iter())
        .map(|(&id, geometry)| {
            // Earlier pits (smaller id) whose envelopes meet this one, in id order.
            let mut earlier: Vec<(&str, &MultiPolygon<f64>)> = tree
                .candidates(geometry)
                .into_iter()
                .filter_map(|j| Some((*ids.get(j)?, geometries.get(j)?)))
                .filter(|(other, _)| *other < id)
                .collect();
            earlier.sort_by(|a, b| a.0.cmp(b.0));
            let mut counted = geometry.clone();
            let mut overlaps = Vec::new();
            for (other, other_geometry) in earlier {
                let shared = area(&grid.intersection(geometry, other_geometry));
                if shared > 0.0 && shared >= min_area {
                    overlaps.push(PitOverlap {
                        pit_a: other.to_string(),
                        pit_b: id.to_string(),
                        area: shared,
                    });
                }
                counted = grid.difference(&counted, other_geometry);
            }
            (counted, overlaps)
        })
        .collect();
    let mut counted = Vec::with_capacity(per_pit.len());
    let mut overlaps = Vec::new();
    for (c, o) in per_pit {
        counted.push(c);
        overlaps.extend(o);
    }
    overlaps.sort_by(|a, b| a.pit_a.cmp(&b.pit_a).then_with(|| a.pit_b.cmp(&b.pit_b)));
    Deduplicated { counted, overlaps }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)
        ]])
    }

    #[test]
    fn three_pits_in_a_row() {
        // b: 0..10, a: 6..16, c: 14..24 (all 10 tall). Id order a < b < c.
        // a keeps 100; b loses 6..10 (40) → 60; c loses 14..16 (20) to a → 80.
        // Union = 0..24 × 10 = 240 = 100 + 60 + 80.
        let geoms = [
            rect(0.0, 0.0, 10.0, 10.0),
            rect(6.0, 0.0, 16.0, 10.0),
            rect(14.0, 0.0, 24.0, 10.0),
        ];
        let grid = SnapGrid::covering(geoms.iter());
        let d = deduplicate(&["b", "a", "c"], &geoms, &grid, 1e-6);
        let areas: Vec<f64> = d.counted.iter().map(area).collect();
        assert_eq!(areas, [60.0, 100.0, 80.0]);
        assert_eq!(
            d.overlaps,
            [
                PitOverlap {
                    pit_a: "a".into(),
                    pit_b: "b".into(),
                    area: 40.0
                },
                PitOverlap {
                    pit_a: "a".into(),
                    pit_b: "c".into(),
                    area: 20.0
                },
            ]
        );
    }

    #[test]
    fn touching_pits_do_not_overlap() {
        let geoms = [rect(0.0, 0.0, 1.0, 1.0), rect(1.0, 0.0, 2.0, 1.0)];
        let grid = SnapGrid::covering(geoms.iter());
        let d = deduplicate(&["p1", "p2"], &geoms, &grid, 1e-6);
        assert!(d.overlaps.is_empty());
        assert_eq!(area(&d.counted[1]), 1.0);
    }

    #[test]
    fn nested_pit_counts_nothing() {
        let geoms = [rect(0.0, 0.0, 4.0, 4.0), rect(1.0, 1.0, 2.0, 2.0)];
        let grid = SnapGrid::covering(geoms.iter());
        let d = deduplicate(&["p1", "p2"], &geoms, &grid, 1e-6);
        assert_eq!(area(&d.counted[0]), 16.0);
        assert_eq!(area(&d.counted[1]), 0.0);
        assert_eq!(d.overlaps.len(), 1);
        assert_eq!(d.overlaps[0].area, 1.0);
    }
}
