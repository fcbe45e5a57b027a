//! R-tree of geometry envelopes, for finding candidate pairs before exact geometry.

use geo::{BoundingRect, MultiPolygon};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{RTree, AABB};

/// One entry: a bounding rectangle and a caller-chosen index.
type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// A bulk-loaded R-tree of envelopes; empty geometries are left out.
#[derive(Debug, Clone)]
pub(crate) struct EnvelopeTree {
    tree: RTree<Entry>,
}

impl EnvelopeTree {
    /// Indexes `(key, geometry)` pairs; queries return the keys.
    pub(crate) fn new<'a>(items: impl IntoIterator<Item = (usize, &'a MultiPolygon<f64>)>) -> Self {
        let entries = items
            .into_iter()
            .filter_map(|(key, g)| {
                let r = g.bounding_rect()?;
                let rect = Rectangle::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
                Some(GeomWithData::new(rect, key))
            })
            .collect();
        EnvelopeTree {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Keys whose envelope meets the envelope of `g` (touching counts), sorted ascending.
    pub(crate) fn candidates(&self, g: &MultiPolygon<f64>) -> Vec<usize> {
        let Some(r) = g.bounding_rect() else {
            return Vec::new();
        };
        let aabb = AABB::from_corners([r.min().x, r.min().y], [r.max().x, r.max().y]);
        let mut keys: Vec<usize> = self
            .tree
            .locate_in_envelope_intersecting(&aabb)
            .map(|e| e.data)
            .collect();
        keys.sort_unstable();
        keys
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn square(x: f64, y: f64, s: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x, y: y), (x: x + s, y: y), (x: x + s, y: y + s), (x: x, y: y + s), (x: x, y: y)
        ]])
    }

    #[test]
    fn finds_overlapping_and_touching_envelopes() {
        let geoms = [
            square(0.0, 0.0, 1.0),
            square(1.0, 0.0, 1.0),
            square(5.0, 5.0, 1.0),
        ];
        let empty = MultiPolygon(vec![]);
        let tree = EnvelopeTree::new(
            geoms
                .iter()
                .enumerate()
                .map(|(i, g)| (i * 10, g))
                .chain([(99, &empty)]),
        );
        assert_eq!(tree.candidates(&square(0.5, 0.5, 0.2)), [0]);
        assert_eq!(tree.candidates(&square(0.5, 0.0, 0.5)), [0, 10]);
        assert_eq!(tree.candidates(&square(3.0, 3.0, 1.0)), Vec::<usize>::new());
        assert_eq!(tree.candidates(&empty), Vec::<usize>::new());
    }
}
