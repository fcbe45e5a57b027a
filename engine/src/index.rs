//! R-tree over geometry envelopes: the one spatial index of the engine.
//!
//! [`EnvelopeIndex`] bulk-loads the bounding boxes of geometries once; each entry
//! caches its envelope and carries a value of the caller's choosing (`D`), which
//! queries return. [`FootprintIndex`] is the common case: the value is the
//! geometry's position in the caller's slice. Two queries, the same semantics
//! (boxes that meet, touching edges included):
//! - by a box, [`query_into`](EnvelopeIndex::query_into) (unsorted, into a reused
//!   buffer, no allocation beyond the caller's) or [`query`](EnvelopeIndex::query)
//!   (sorted);
//! - by another geometry's envelope, [`candidates`](EnvelopeIndex::candidates)
//!   (sorted): the candidate pairs to check with exact geometry.
//!
//! Sorted results make whatever is done with the candidates independent of the
//! tree's shape.

use geo::{BoundingRect, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// One indexed geometry: its bounding rectangle and the value it carries.
type Entry<D> = GeomWithData<Rectangle<[f64; 2]>, D>;

/// A bulk-loaded R-tree of geometry bounding boxes, each carrying a `D`.
#[derive(Debug, Clone)]
pub struct EnvelopeIndex<D> {
    tree: RTree<Entry<D>>,
}

/// Footprint bounding boxes, each carrying the footprint's index in the input.
pub type FootprintIndex = EnvelopeIndex<usize>;

impl FootprintIndex {
    /// Builds the index over `footprints`, each carrying its position in the
    /// iteration; empty geometries are left out (their positions never come back).
    pub fn new<'a>(footprints: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> Self {
        EnvelopeIndex::with_data(footprints.into_iter().enumerate())
    }
}

impl<D: Copy> EnvelopeIndex<D> {
    /// Builds the index over `(data, geometry)` pairs; queries return the data.
    /// Empty geometries are left out.
    pub fn with_data<'a>(items: impl IntoIterator<Item = (D, &'a MultiPolygon<f64>)>) -> Self {
        let entries = items
            .into_iter()
            .filter_map(|(data, g)| {
                let r = g.bounding_rect()?;
                let rect = Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                Some(GeomWithData::new(rect, data))
            })
            .collect();
        EnvelopeIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Number of indexed geometries.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Appends to `out` the data of geometries whose bounding box meets the box
    /// `(xmin, ymin, xmax, ymax)` (touching edges count), in no particular order.
    /// `out` is cleared first, so one buffer serves many queries.
    pub fn query_into(&self, bbox: (f64, f64, f64, f64), out: &mut Vec<D>) {
        out.clear();
        let aabb = AABB::from_corners([bbox.0, bbox.1], [bbox.2, bbox.3]);
        out.extend(
            self.tree
                .locate_in_envelope_intersecting(&aabb)
                .map(|e| e.data),
        );
    }
}

impl<D: Copy + Ord> EnvelopeIndex<D> {
    /// The data of geometries whose bounding box meets `bbox`, sorted ascending.
    pub fn query(&self, bbox: (f64, f64, f64, f64)) -> Vec<D> {
        let mut out = Vec::new();
        self.query_into(bbox, &mut out);
        out.sort_unstable();
        out
    }

    /// The data of geometries whose bounding box meets the bounding box of `g`
    /// (touching counts), sorted ascending; empty for an empty `g`.
    pub fn candidates(&self, g: &MultiPolygon<f64>) -> Vec<D> {
        let Some(r) = g.bounding_rect() else {
            return Vec::new();
        };
        self.query((r.min().x, r.min().y, r.max().x, r.max().y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![
            polygon![(x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s)],
        ])
    }

    #[test]
    fn finds_only_intersecting_boxes() {
        let fps = vec![
            square(686_000.0, 4_796_000.0, 100.0),
            square(686_200.0, 4_796_000.0, 100.0),
            MultiPolygon(vec![]),
            square(686_090.0, 4_796_090.0, 20.0),
        ];
        let idx = FootprintIndex::new(&fps);
        assert_eq!(idx.len(), 3);
        assert_eq!(
            idx.query((686_050.0, 4_796_050.0, 686_095.0, 4_796_095.0)),
            vec![0, 3]
        );
        // touching an edge counts
        assert_eq!(
            idx.query((686_100.0, 4_796_000.0, 686_200.0, 4_796_010.0)),
            vec![0, 1]
        );
        assert!(idx.query((0.0, 0.0, 1.0, 1.0)).is_empty());
    }

    #[test]
    fn candidates_carry_the_callers_data() {
        let geoms = [
            square(0.0, 0.0, 1.0),
            square(1.0, 0.0, 1.0),
            square(5.0, 5.0, 1.0),
        ];
        let empty = MultiPolygon(vec![]);
        let tree = EnvelopeIndex::with_data(
            geoms
                .iter()
                .enumerate()
                .map(|(i, g)| (i * 10, g))
                .chain([(99, &empty)]),
        );
        assert_eq!(tree.len(), 3);
        assert_eq!(tree.candidates(&square(0.5, 0.5, 0.2)), [0]);
        assert_eq!(tree.candidates(&square(0.5, 0.0, 0.5)), [0, 10]);
        assert_eq!(tree.candidates(&square(3.0, 3.0, 1.0)), Vec::<usize>::new());
        assert_eq!(tree.candidates(&empty), Vec::<usize>::new());
    }
}
