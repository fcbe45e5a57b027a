//! One exact integer frame per pit, so that a pit's pieces add up to the pit.
//!
//! Boolean operations (i_overlay, the engine under geo's `BooleanOps`) work on an
//! integer grid: coordinates are mapped by an *adapter* (offset + power-of-two scale)
//! onto i32, cut there exactly, and mapped back. geo builds a new adapter for every
//! operation from the operands' bounding box, so the result of one operation is
//! re-rounded by the next one and areas drift. Here every operation on one pit uses
//! the **same** adapter, built from the pit's bounding box widened by
//! [`FRAME_MARGIN`]: results map back onto the same integers exactly, `a ∩ b` and
//! `a − b` come from one overlay graph, and the pieces tile the pit in integer space.
//! The grid step is about 2⁻³⁰ of the frame size (≈ 1e-7 m for a 100 m pit).
//!
//! Licences and other pits are first clipped to the frame rectangle (Sutherland–
//! Hodgman in plain f64, which leaves every vertex inside the frame untouched): the
//! frame lies wholly outside the pit, so the clipping cuts nothing that matters and the
//! adapter's integer range is never exceeded.
//!
//! The one remaining error: a crossing point of a licence edge with a pit edge is
//! rounded to the grid, which bends that pit edge by under a grid step. For
//! axis-parallel edges this never happens; in general it changes a pit's area by less
//! than ½ × edge length × step per crossing (~1e-10 relative for compact pits).

use geo::algorithm::orient::Direction;
use geo::{BoundingRect, LineString, MultiPolygon, Orient, Polygon};
use i_overlay::core::extract::BooleanExtractionBuffer;
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay::ShapeType;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::core::solver::Solver;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};
use i_overlay::i_float::adapter::FloatPointAdapter;
use i_overlay::i_float::float::rect::FloatRect;

use crate::area::signed_area;

/// A point as i_overlay takes it.
type Pt = [f64; 2];

/// Closed rings without the repeated last point (orientation carries the meaning:
/// counter-clockwise adds, clockwise subtracts; the non-zero fill rule applies).
pub(crate) type Rings = Vec<Vec<Pt>>;

/// Overlay results: each shape is an outer contour followed by its holes.
pub(crate) type Shapes = Vec<Vec<Vec<Pt>>>;

/// The frame is the pit's bounding box widened on every side by this fraction of its
/// larger side, so licence edges clipped to the frame never touch the pit.
pub(crate) const FRAME_MARGIN: f64 = 0.125;

/// Smallest frame margin as a fraction of the largest coordinate magnitude (2⁻³⁰).
const MIN_MARGIN_OF_MAGNITUDE: f64 = 1.0 / 1_073_741_824.0;

/// The fixed integer frame of one pit.
#[derive(Clone)]
pub(crate) struct Frame {
    /// Frame rectangle: x min, y min, x max, y max.
    rect: [f64; 4],
    /// The one adapter every operation of this pit uses.
    adapter: FloatPointAdapter<Pt, f64>,
}

impl std::fmt::Debug for Frame {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Frame")
            .field("rect", &self.rect)
            .field("step", &self.step())
            .finish()
    }
}

impl Frame {
    /// The frame around a geometry; `None` when it has no extent.
    pub(crate) fn around(geometry: &MultiPolygon<f64>) -> Option<Frame> {
        let r = geometry.bounding_rect()?;
        let size = r.width().max(r.height());
        if size <= 0.0 || !size.is_finite() {
            return None;
        }
        // At least 2⁻³⁰ of the coordinate magnitude, so that even a sub-millimetre pit at
        // UTM northings has a frame many f64 ulps wide (i_overlay checks, in debug
        // builds, that mapped-back points stay inside the frame).
        let magnitude = [r.min().x, r.min().y, r.max().x, r.max().y]
            .into_iter()
            .fold(0.0_f64, |acc, v| acc.max(v.abs()));
        let m = (size * FRAME_MARGIN).max(magnitude * MIN_MARGIN_OF_MAGNITUDE);
        let rect = [r.min().x - m, r.min().y - m, r.max().x + m, r.max().y + m];
        let adapter = FloatPointAdapter::new(FloatRect::new(rect[0], rect[2], rect[1], rect[3]));
        Some(Frame { rect, adapter })
    }

    /// Integer grid step of this frame, map units.
    pub(crate) fn step(&self) -> f64 {
        self.adapter.inv_scale
    }

    /// Rings of an oriented geometry, clipped to the frame; empty rings left out.
    pub(crate) fn rings(&self, oriented: &MultiPolygon<f64>) -> Rings {
        let mut out = Vec::new();
        for polygon in oriented {
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let clipped = clip_ring(ring, self.rect);
                if clipped.len() >= 3 {
                    out.push(clipped);
                }
            }
        }
        out
    }

    /// An overlay of `subject` and `clip` on this frame's grid.
    fn overlay(&self, subject: &Rings, clip: &Rings) -> FloatOverlay<Pt, f64> {
        let capacity = subject.iter().chain(clip).map(Vec::len).sum();
        FloatOverlay::new_custom(
            self.adapter.clone(),
            OverlayOptions::ogc(),
            Solver::default(),
            capacity,
        )
        .unsafe_add_source(subject, ShapeType::Subject)
        .unsafe_add_source(clip, ShapeType::Clip)
    }

    /// The region of `rings` as valid rings on the grid (overlapping parts merged).
    pub(crate) fn resolve(&self, rings: &Rings) -> Shapes {
        self.overlay(rings, &Vec::new())
            .overlay(OverlayRule::Subject, FillRule::NonZero)
    }

    /// `(a ∩ b, a − b)` from one overlay graph: they share their boundary exactly.
    pub(crate) fn split(&self, a: &Rings, b: &Rings) -> (Shapes, Shapes) {
        if a.is_empty() {
            return (Vec::new(), Vec::new());
        }
        let mut overlay = self.overlay(a, b);
        let Some(graph) = overlay.build_graph_view(FillRule::NonZero) else {
            return (Vec::new(), Vec::new());
        };
        let mut buffer = BooleanExtractionBuffer::default();
        let inside = graph.extract_shapes(OverlayRule::Intersect, &mut buffer);
        let outside = graph.extract_shapes(OverlayRule::Difference, &mut buffer);
        (inside, outside)
    }
}

/// Exterior counter-clockwise, holes clockwise (what the non-zero rule needs).
pub(crate) fn oriented(geometry: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    geometry.orient(Direction::Default)
}

/// Flat rings of shapes, for feeding a result into the next operation.
pub(crate) fn rings_of(shapes: &Shapes) -> Rings {
    shapes.iter().flatten().cloned().collect()
}

/// Shapes (outer contour first, then its holes) as a geo multipolygon.
pub(crate) fn to_multipolygon(shapes: &Shapes) -> MultiPolygon<f64> {
    let close = |r: &Vec<Pt>| {
        let mut coords: Vec<geo::Coord<f64>> =
            r.iter().map(|p| geo::Coord { x: p[0], y: p[1] }).collect();
        if let Some(&first) = coords.first() {
            coords.push(first);
        }
        LineString(coords)
    };
    MultiPolygon(
        shapes
            .iter()
            .filter_map(|shape| {
                let (outer, holes) = shape.split_first()?;
                Some(Polygon::new(
                    close(outer),
                    holes.iter().map(close).collect(),
                ))
            })
            .collect(),
    )
}

/// Area of shapes: each outer contour minus its holes, whatever their orientation.
pub(crate) fn shapes_area(shapes: &Shapes) -> f64 {
    shapes
        .iter()
        .map(|shape| {
            let mut contours = shape.iter().map(|c| signed_area(c).abs());
            let outer = contours.next().unwrap_or(0.0);
            outer - contours.sum::<f64>()
        })
        .sum()
}

/// Clips a closed ring to a rectangle (Sutherland–Hodgman, one pass per side).
/// Vertices inside the rectangle are kept bit for bit; the result is implicitly closed.
fn clip_ring(ring: &LineString<f64>, rect: [f64; 4]) -> Vec<Pt> {
    let mut points: Vec<Pt> = ring.0.iter().map(|c| [c.x, c.y]).collect();
    if points.len() > 1 && points.first() == points.last() {
        points.pop();
    }
    let [x0, y0, x1, y1] = rect;
    if points
        .iter()
        .all(|p| p[0] >= x0 && p[0] <= x1 && p[1] >= y0 && p[1] <= y1)
    {
        return points;
    }
    // (axis, bound, keep-if-greater)
    for (axis, bound, above) in [(0, x0, true), (0, x1, false), (1, y0, true), (1, y1, false)] {
        let inside = |p: &Pt| {
            if above {
                p[axis] >= bound
            } else {
                p[axis] <= bound
            }
        };
        let mut out = Vec::with_capacity(points.len() + 4);
        let n = points.len();
        for i in 0..n {
            let (Some(&cur), Some(&prev)) = (points.get(i), points.get((i + n - 1) % n)) else {
                continue;
            };
            let (ci, pi) = (inside(&cur), inside(&prev));
            if ci != pi {
                let t = (bound - prev[axis]) / (cur[axis] - prev[axis]);
                let other = 1 - axis;
                let mut q = [0.0; 2];
                q[axis] = bound;
                q[other] = prev[other] + t * (cur[other] - prev[other]);
                out.push(q);
            }
            if ci {
                out.push(cur);
            }
        }
        points = out;
        if points.is_empty() {
            break;
        }
    }
    points
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
    fn frame_is_widened_and_step_follows_size() {
        let f = Frame::around(&rect(0.0, 0.0, 100.0, 40.0)).unwrap();
        assert_eq!(f.rect, [-12.5, -12.5, 112.5, 52.5]);
        // i_overlay: half-size 62.5, log2 = 5.97 rounds to 6, step 2^(6 − 29) = 2^-23.
        assert_eq!(f.step(), 2f64.powi(-23));
        assert!(Frame::around(&rect(1.0, 1.0, 1.0, 1.0)).is_none());
        assert!(Frame::around(&MultiPolygon(vec![])).is_none());
    }

    #[test]
    fn clipping_keeps_inside_vertices_and_cuts_at_the_frame() {
        let ring = rect(-10.0, 2.0, 10.0, 4.0).0[0].exterior().clone();
        let clipped = clip_ring(&ring, [0.0, 0.0, 5.0, 5.0]);
        assert!((signed_area(&clipped) - 10.0).abs() < 1e-12);
        let inside = rect(1.0, 1.0, 2.0, 2.0).0[0].exterior().clone();
        assert_eq!(clip_ring(&inside, [0.0, 0.0, 5.0, 5.0]).len(), 4);
        let outside = rect(7.0, 7.0, 8.0, 8.0).0[0].exterior().clone();
        assert!(signed_area(&clip_ring(&outside, [0.0, 0.0, 5.0, 5.0])).abs() < 1e-12);
    }

    #[test]
    fn resolve_merges_overlaps_and_keeps_holes() {
        // Two overlapping 2×2 squares: 4 + 4 − 1 = 7.
        let mut mp = rect(0.0, 0.0, 2.0, 2.0);
        mp.0.extend(rect(1.0, 1.0, 3.0, 3.0).0);
        let f = Frame::around(&mp).unwrap();
        assert_eq!(shapes_area(&f.resolve(&f.rings(&oriented(&mp)))), 7.0);
        // 4×4 with a 2×2 hole, exterior given clockwise: 16 − 4 = 12.
        let mut outer = rect(0.0, 0.0, 4.0, 4.0).0[0].exterior().0.clone();
        outer.reverse();
        let hole = rect(1.0, 1.0, 3.0, 3.0).0[0].exterior().clone();
        let p = MultiPolygon(vec![Polygon::new(LineString(outer), vec![hole])]);
        let f = Frame::around(&p).unwrap();
        let r = f.resolve(&f.rings(&oriented(&p)));
        assert_eq!(shapes_area(&r), 12.0);
        let mp = to_multipolygon(&r);
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert_eq!(geo::Area::unsigned_area(&mp), 12.0);
    }

    #[test]
    fn split_tiles_the_subject_at_utm_magnitudes() {
        // A triangle cut by a large square along slanted edges: crossings off the grid.
        let tri = MultiPolygon(vec![polygon![
            (x: 686_000.0, y: 4_796_000.0), (x: 686_300.0, y: 4_796_017.0),
            (x: 686_011.0, y: 4_796_300.0), (x: 686_000.0, y: 4_796_000.0)
        ]]);
        let sq = rect(686_100.3, 4_796_050.7, 696_400.0, 4_806_400.0);
        let f = Frame::around(&tri).unwrap();
        let t = f.resolve(&f.rings(&oriented(&tri)));
        let (inside, outside) = f.split(&rings_of(&t), &f.rings(&oriented(&sq)));
        let (a, i, o) = (shapes_area(&t), shapes_area(&inside), shapes_area(&outside));
        assert!(i > 0.0 && o > 0.0);
        // Bend bound: ½ × edge (< 430 m) × step per crossing, two crossings.
        let bound = 430.0 * f.step();
        assert!(
            (i + o - a).abs() <= bound,
            "{} vs {a}, bound {bound}",
            i + o
        );
        // Independent check of the whole: the triangle's exact area.
        let exact = geo::Area::unsigned_area(&tri);
        assert!((a - exact).abs() <= 1e-6, "{a} vs {exact}");
    }
}
