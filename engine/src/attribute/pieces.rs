//! Cutting one pit into pieces, each answered for by one licence holder or by nobody.
//!
//! Liable licences are visited in priority order; each takes what is left of the pit
//! inside it: `piece_k = rest ∩ licence_k`, `rest = rest − licence_k`. That equals
//! `pit ∩ (licence_k − ⋃ higher-priority licences)`, so overlaps go to the winner, and
//! what remains at the end is the historical-legacy piece. Only licences whose envelope
//! meets the pit's (an R-tree query) are visited.

use geo::MultiPolygon;

use super::frame::{rings_of, shapes_area, to_multipolygon, Frame, Shapes};
use crate::index::FootprintIndex;

pub use super::responsibility::Responsibility;

/// A part of one pit with a single responsibility.
#[derive(Debug, Clone, PartialEq)]
pub struct Piece {
    /// Index of the pit in the input slice.
    pub pit_index: usize,
    /// The pit's id.
    pub pit_id: String,
    /// Who answers for this land.
    pub responsibility: Responsibility,
    /// Exact geometry of the piece (part of the pit's counted geometry).
    pub geometry: MultiPolygon<f64>,
    /// Planar area of `geometry`, map units².
    pub area: f64,
}

/// One liable licence, ready for cutting.
#[derive(Debug, Clone)]
pub(crate) struct LiableLicence {
    /// Licence id.
    pub(crate) id: String,
    /// Trimmed holder.
    pub(crate) holder: String,
    /// Geometry, oriented (exterior counter-clockwise, holes clockwise).
    pub(crate) geometry: MultiPolygon<f64>,
}

/// Liable licences sorted by priority (index 0 wins), with an envelope index.
#[derive(Debug, Clone)]
pub(crate) struct LiableSet {
    licences: Vec<LiableLicence>,
    tree: FootprintIndex,
}

impl LiableSet {
    /// Indexes licences that are already in priority order.
    pub(crate) fn new(licences: Vec<LiableLicence>) -> Self {
        let tree = FootprintIndex::new(licences.iter().map(|l| &l.geometry));
        LiableSet { licences, tree }
    }
}

/// The pieces of one pit and the area of slivers left out.
#[derive(Debug, Clone)]
pub(crate) struct Cut {
    /// Responsible pieces by licence priority, then the legacy piece.
    pub(crate) pieces: Vec<Piece>,
    /// Total area of pieces below the sliver threshold, map units².
    pub(crate) dropped: f64,
}

/// Cuts `counted` (the pit's deduplicated geometry on `frame`) by the liable licences
/// whose envelopes meet `envelope_of` (the pit's raw geometry).
pub(crate) fn cut_pit(
    pit_index: usize,
    pit_id: &str,
    frame: &Frame,
    envelope_of: &MultiPolygon<f64>,
    counted: Shapes,
    liable: &LiableSet,
    min_area: f64,
) -> Cut {
    let mut cut = Cut {
        pieces: Vec::new(),
        dropped: 0.0,
    };
    let mut keep = |responsibility: Responsibility, shapes: &Shapes| {
        let a = shapes_area(shapes);
        if a <= 0.0 {
            return;
        }
        if a < min_area {
            cut.dropped += a;
            return;
        }
        cut.pieces.push(Piece {
            pit_index,
            pit_id: pit_id.to_string(),
            responsibility,
            geometry: to_multipolygon(shapes),
            area: a,
        });
    };
    let mut rest = counted;
    // Candidates come back sorted by key, and keys are priority ranks.
    for rank in liable.tree.candidates(envelope_of) {
        if rest.is_empty() {
            break;
        }
        let Some(licence) = liable.licences.get(rank) else {
            continue;
        };
        let licence_rings = frame.rings(&licence.geometry);
        if licence_rings.is_empty() {
            continue;
        }
        let (inside, outside) = frame.split(&rings_of(&rest), &licence_rings);
        if inside.is_empty() {
            continue;
        }
        rest = outside;
        keep(
            Responsibility::Responsible {
                licence_id: licence.id.clone(),
                holder: licence.holder.clone(),
            },
            &inside,
        );
    }
    keep(Responsibility::Legacy, &rest);
    cut
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

    fn liable(id: &str, g: MultiPolygon<f64>) -> LiableLicence {
        LiableLicence {
            id: id.into(),
            holder: format!("holder of {id}"),
            geometry: oriented(&g),
        }
    }

    /// Cuts the whole of `pit`.
    fn cut(pit: &MultiPolygon<f64>, set: &LiableSet, min_area: f64) -> Cut {
        let frame = Frame::around(pit).unwrap();
        let shapes = frame.resolve(&frame.rings(&oriented(pit)));
        cut_pit(3, "p", &frame, pit, shapes, set, min_area)
    }

    fn summary(cut: &Cut) -> Vec<(String, f64)> {
        cut.pieces
            .iter()
            .map(|p| {
                let who = match &p.responsibility {
                    Responsibility::Responsible { licence_id, .. } => licence_id.clone(),
                    _ => "legacy".into(),
                };
                (who, p.area)
            })
            .collect()
    }

    #[test]
    fn higher_priority_takes_the_overlap() {
        // Pit 0..10 × 0..10. A (rank 0) covers x 0..6, B (rank 1) covers x 4..8.
        // A gets 60, B gets 6..8 → 20, legacy 8..10 → 20.
        let pit = rect(0.0, 0.0, 10.0, 10.0);
        let set = LiableSet::new(vec![
            liable("A", rect(0.0, -5.0, 6.0, 15.0)),
            liable("B", rect(4.0, -5.0, 8.0, 15.0)),
        ]);
        let cut = cut(&pit, &set, 1e-6);
        assert_eq!(
            summary(&cut),
            [
                ("A".into(), 60.0),
                ("B".into(), 20.0),
                ("legacy".into(), 20.0)
            ]
        );
        assert_eq!(cut.pieces[0].pit_index, 3);
        assert_eq!(cut.dropped, 0.0);
    }

    #[test]
    fn fully_covered_pit_has_no_legacy_and_slivers_are_counted() {
        let pit = rect(0.0, 0.0, 10.0, 10.0);
        // The licence covers all but a 10 × 2⁻¹⁰ strip (area 10/1024): with a 0.01
        // threshold that strip is a sliver, left out but accounted for.
        let strip = 2f64.powi(-10);
        let set = LiableSet::new(vec![liable("A", rect(-1.0, strip, 11.0, 11.0))]);
        let cut = cut(&pit, &set, 0.01);
        assert_eq!(summary(&cut), [("A".into(), 100.0 - 10.0 * strip)]);
        assert_eq!(cut.dropped, 10.0 * strip);
    }

    #[test]
    fn no_licences_means_one_legacy_piece() {
        let pit = rect(0.0, 0.0, 2.0, 3.0);
        let set = LiableSet::new(vec![]);
        let cut = cut(&pit, &set, 1e-6);
        assert_eq!(summary(&cut), [("legacy".into(), 6.0)]);
    }
}
