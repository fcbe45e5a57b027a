//! R-tree over footprint envelopes.
//!
//! Footprints are bulk-loaded once; each entry caches its envelope and carries the
//! footprint's position in the input, so queries return indices into the caller's
//! slice. Queries use rstar's iterator variants: no allocation beyond the caller's.

use geo::{BoundingRect, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// One indexed footprint: its bounding rectangle and its index in the input.
type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// A bulk-loaded R-tree of footprint bounding boxes.
#[derive(Debug, Clone)]
pub struct FootprintIndex {
    tree: RTree<Entry>,
}

impl FootprintIndex {
    /// Builds the index over `footprints`; empty geometries are left out.
    pub fn new<'a>(footprints: impl IntoIterator<Item = &'a MultiPolygon<f64>>) -> Self {
        let entries = footprints
            .into_iter()
            .enumerate()
            .filter_map(|(i, mp)| {
                let r = mp.bounding_rect()?;
                let rect = Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                Some(GeomWithData::new(rect, i))
            })
            .collect();
        FootprintIndex {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Number of indexed footprints.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Appends to `out` the indices of footprints whose bounding box meets the box
    /// `(xmin, ymin, xmax, ymax)` (touching edges count), in no particular order.
    /// `out` is cleared first, so one buffer serves many queries.
    pub fn query_into(&self, bbox: (f64, f64, f64, f64), out: &mut Vec<usize>) {
        out.clear();
        let aabb = AABB::from_corners([bbox.0, bbox.1], [bbox.2, bbox.3]);
        out.extend(
            self.tree
                .locate_in_envelope_intersecting(&aabb)
                .map(|e| e.data),
        );
    }

    /// Indices of footprints whose bounding box meets `bbox`, sorted ascending.
    pub fn query(&self, bbox: (f64, f64, f64, f64)) -> Vec<usize> {
        let mut out = Vec::new();
        self.query_into(bbox, &mut out);
        out.sort_unstable();
        out
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
}
