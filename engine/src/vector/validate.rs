//! Polygon validity beyond single rings, and the explicit repair (`--repair`).
//!
//! [`super::rings::validate_ring`] checks each ring alone (finite, closed, ≥ 4 positions,
//! non-zero area). This module checks what only the whole feature shows, and refuses
//! exactly the defects that would make a measured area wrong:
//!
//! - [`GeometryProblem::SelfIntersection`]: two edges of one ring cross. The lobes on
//!   either side of the crossing wind in opposite directions, so a shoelace or
//!   exact-coverage sum subtracts one lobe from the other (a symmetric bow-tie measures 0).
//! - [`GeometryProblem::RingsCross`]: edges of two rings cross (a hole crossing its
//!   shell, two parts of a multipolygon crossing).
//! - [`GeometryProblem::Overlap`]: no edges cross, but the rings still do not describe
//!   one set of land: a hole outside its shell, overlapping holes, parts lying on or
//!   inside one another, a ring crossing itself through a shared vertex. Found by
//!   comparing the area the rings add up to with the area they cover.
//!
//! What is *not* refused, because the area is right whatever a strict OGC validator
//! says: rings touching at points, a ring touching itself (ESRI "inverted holes"),
//! spikes and cut lines (zero-width), repeated and near-duplicate vertices, parts or
//! holes sharing an edge.
//!
//! [`repair`] resolves an invalid feature with the **non-zero fill rule per ring**, then
//! *shells minus holes*, then the union of the parts (the "structure" approach of
//! GEOS `MakeValid`): every point a shell's outline goes around (any non-zero winding
//! number) is land, every point a hole's outline goes around is not land of that
//! polygon, and overlapping parts count once. A bow-tie keeps both lobes; a ring that
//! loops twice around a point keeps it (even-odd would punch a hole the digitiser never
//! drew); a hole sticking out of its shell removes only the part inside the shell.
//!
//! Cost: the crossing search sorts edges by x and compares edges whose x ranges
//! overlap, O(n log n) on ordinary footprints; the overlap test is one `i_overlay`
//! union per feature.

use geo::algorithm::kernels::{Kernel, Orientation, RobustKernel};
use geo::{BooleanOps, Coord, LineString, MultiPolygon, Polygon};
use i_overlay::core::fill_rule::FillRule;
use rayon::prelude::*;

use super::error::{GeometryProblem, VectorError};
use super::feature::Layer;
use super::rings::orient;
use crate::area::signed_area;

/// How many i_overlay grid steps of area error per unit of perimeter the overlap test
/// tolerates: the overlay snaps every vertex to a grid of `half extent × 2⁻²⁹`, and
/// the repair snaps up to three times (ring, shells − holes, union of parts).
const SNAP_STEPS_TOLERATED: f64 = 8.0;

/// Relative size of a rounding error in a shoelace sum (see `rings`).
const SHOELACE_RELATIVE: f64 = 1e-12;

/// One edge of a feature: its end points and the ring it belongs to.
#[derive(Debug, Clone, Copy)]
struct Edge {
    a: Coord<f64>,
    b: Coord<f64>,
    ring: usize,
}

impl Edge {
    fn x_range(&self) -> (f64, f64) {
        (self.a.x.min(self.b.x), self.a.x.max(self.b.x))
    }
    fn y_range(&self) -> (f64, f64) {
        (self.a.y.min(self.b.y), self.a.y.max(self.b.y))
    }
}

/// Checks a (multi)polygon whose rings each passed `validate_ring`.
///
/// # Errors
/// [`GeometryProblem::SelfIntersection`], [`GeometryProblem::RingsCross`] (with the
/// approximate crossing point) or [`GeometryProblem::Overlap`] (with both areas).
pub fn check(mp: &MultiPolygon<f64>) -> Result<(), GeometryProblem> {
    if let Some((x, y, same_ring)) = first_crossing(mp) {
        return Err(if same_ring {
            GeometryProblem::SelfIntersection { x, y }
        } else {
            GeometryProblem::RingsCross { x, y }
        });
    }
    let summed = summed_area(mp);
    let covered = area_of(&resolve(mp));
    if (summed - covered).abs() > tolerance(mp) {
        return Err(GeometryProblem::Overlap {
            summed_area: summed,
            covered_area: covered,
        });
    }
    Ok(())
}

/// The land `mp` describes, as a valid multipolygon (see the module docs for the rule).
///
/// # Errors
/// [`GeometryProblem::Empty`] when nothing is left (e.g. a hole covering its shell).
pub fn repair(mp: &MultiPolygon<f64>) -> Result<MultiPolygon<f64>, GeometryProblem> {
    let out = resolve(mp);
    if out.0.is_empty() || area_of(&out) <= 0.0 {
        return Err(GeometryProblem::Empty);
    }
    Ok(orient(out))
}

/// Checks every feature of `layer`; with `repair_invalid`, replaces each invalid
/// geometry by its [`repair`]. Returns the layer and the indices of repaired features.
///
/// # Errors
/// [`VectorError::InvalidGeometry`] for the first feature that is invalid (without
/// `repair_invalid`) or that repairs to nothing.
pub fn check_layer(
    mut layer: Layer,
    repair_invalid: bool,
) -> Result<(Layer, Vec<usize>), VectorError> {
    let path = layer.path.clone();
    // Features are checked (and repaired) in parallel; the first invalid one in
    // file order is reported, as a serial pass would.
    let outcomes: Vec<Result<bool, VectorError>> = layer
        .features
        .par_iter_mut()
        .map(|f| {
            let invalid = |problem| VectorError::InvalidGeometry {
                path: path.clone(),
                feature: f.index,
                ring: None,
                problem,
            };
            match check(&f.geometry) {
                Ok(()) => Ok(false),
                Err(problem) if !repair_invalid => Err(invalid(problem)),
                Err(_) => {
                    f.geometry = repair(&f.geometry).map_err(invalid)?;
                    Ok(true)
                }
            }
        })
        .collect();
    let mut repaired = Vec::new();
    for (f, outcome) in layer.features.iter().zip(outcomes) {
        if outcome? {
            repaired.push(f.index);
        }
    }
    Ok((layer, repaired))
}

/// The first pair of edges that cross at a point interior to both (exact orientation
/// predicates): the approximate crossing point and whether both edges are one ring's.
fn first_crossing(mp: &MultiPolygon<f64>) -> Option<(f64, f64, bool)> {
    let mut edges = Vec::new();
    let rings =
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()));
    for (ring, ls) in rings.enumerate() {
        for w in ls.0.windows(2) {
            if let [a, b] = w {
                if a != b {
                    edges.push(Edge { a: *a, b: *b, ring });
                }
            }
        }
    }
    edges.sort_by(|e, f| e.x_range().0.total_cmp(&f.x_range().0));
    for (i, e) in edges.iter().enumerate() {
        let (_, e_x1) = e.x_range();
        let (e_y0, e_y1) = e.y_range();
        for f in edges.iter().skip(i + 1) {
            if f.x_range().0 > e_x1 {
                break;
            }
            let (f_y0, f_y1) = f.y_range();
            if f_y0 > e_y1 || f_y1 < e_y0 {
                continue;
            }
            if crosses(e, f) {
                let (x, y) = crossing_point(e, f);
                return Some((x, y, e.ring == f.ring));
            }
        }
    }
    None
}

/// True when the open segments cross at one point interior to both.
fn crosses(e: &Edge, f: &Edge) -> bool {
    let o1 = RobustKernel::orient2d(e.a, e.b, f.a);
    let o2 = RobustKernel::orient2d(e.a, e.b, f.b);
    let o3 = RobustKernel::orient2d(f.a, f.b, e.a);
    let o4 = RobustKernel::orient2d(f.a, f.b, e.b);
    let strict = |o: Orientation| o != Orientation::Collinear;
    strict(o1) && strict(o2) && strict(o3) && strict(o4) && o1 != o2 && o3 != o4
}

/// Where two crossing segments meet (floating point, for the message only).
fn crossing_point(e: &Edge, f: &Edge) -> (f64, f64) {
    let (d1x, d1y) = (e.b.x - e.a.x, e.b.y - e.a.y);
    let (d2x, d2y) = (f.b.x - f.a.x, f.b.y - f.a.y);
    let den = d1x * d2y - d1y * d2x;
    if den == 0.0 {
        return (e.a.x, e.a.y);
    }
    let t = ((f.a.x - e.a.x) * d2y - (f.a.y - e.a.y) * d2x) / den;
    (e.a.x + t * d1x, e.a.y + t * d1y)
}

/// The non-zero-fill resolution of `mp`: per polygon, shell minus holes; then the
/// union of the polygons.
fn resolve(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let nothing = MultiPolygon::<f64>::new(vec![]);
    let ring_fill = |ring: &LineString<f64>| {
        Polygon::new(ring.clone(), vec![]).union_with_fill_rule(&nothing, FillRule::NonZero)
    };
    let mut parts = Vec::new();
    for p in &mp.0 {
        let shell = ring_fill(p.exterior());
        if p.interiors().is_empty() {
            parts.extend(shell.0);
            continue;
        }
        let holes = MultiPolygon::new(p.interiors().iter().flat_map(|h| ring_fill(h).0).collect());
        parts.extend(shell.difference_with_fill_rule(&holes, FillRule::NonZero).0);
    }
    if parts.len() <= 1 {
        return MultiPolygon::new(parts);
    }
    // i_overlay returns shells counter-clockwise and holes clockwise, so under the
    // non-zero rule overlapping parts add up to one, and a part over another's hole fills it.
    MultiPolygon::new(parts).union_with_fill_rule(&nothing, FillRule::NonZero)
}

/// Area as the rings add up: |shell| − Σ |hole| per polygon, summed over polygons.
fn summed_area(mp: &MultiPolygon<f64>) -> f64 {
    mp.0.iter()
        .map(|p| {
            signed_area(&p.exterior().0).abs()
                - p.interiors()
                    .iter()
                    .map(|h| signed_area(&h.0).abs())
                    .sum::<f64>()
        })
        .sum()
}

/// Area of a valid multipolygon (precise far from the origin).
fn area_of(mp: &MultiPolygon<f64>) -> f64 {
    summed_area(mp)
}

/// How far the summed and covered areas of a valid feature may differ: the overlay's
/// snapping error (perimeter × grid step) plus shoelace rounding.
fn tolerance(mp: &MultiPolygon<f64>) -> f64 {
    let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::MIN, f64::MIN);
    let (mut perimeter, mut scale) = (0.0, 0.0);
    for ring in
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
    {
        for c in &ring.0 {
            (x0, y0, x1, y1) = (x0.min(c.x), y0.min(c.y), x1.max(c.x), y1.max(c.y));
        }
        for w in ring.0.windows(2) {
            if let [a, b] = w {
                perimeter += (b.x - a.x).hypot(b.y - a.y);
            }
        }
        scale += signed_area(&ring.0).abs();
    }
    let half_extent = ((x1 - x0).max(y1 - y0) / 2.0).max(0.0);
    let step = half_extent * 2f64.powi(-29);
    SNAP_STEPS_TOLERATED * perimeter * step + SHOELACE_RELATIVE * scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(pts: &[(f64, f64)]) -> LineString<f64> {
        LineString::new(pts.iter().map(|&(x, y)| Coord { x, y }).collect())
    }

    fn rect(x0: f64, y0: f64, w: f64, h: f64) -> LineString<f64> {
        ring(&[
            (x0, y0),
            (x0 + w, y0),
            (x0 + w, y0 + h),
            (x0, y0 + h),
            (x0, y0),
        ])
    }

    fn one(exterior: LineString<f64>, holes: Vec<LineString<f64>>) -> MultiPolygon<f64> {
        orient(MultiPolygon::new(vec![Polygon::new(exterior, holes)]))
    }

    /// Bow-tie (0,0)→(4,4)→(4,0)→(0,2)→(0,0): edges (0,0)-(4,4) and (4,0)-(0,2) cross
    /// at x = y = 4/3. Left lobe: triangle (0,0),(4/3,4/3),(0,2) = ½·2·4/3 = 4/3;
    /// right lobe: triangle (4/3,4/3),(4,4),(4,0) = ½·4·(4 − 4/3) = 16/3.
    fn bow_tie() -> MultiPolygon<f64> {
        one(
            ring(&[(0., 0.), (4., 4.), (4., 0.), (0., 2.), (0., 0.)]),
            vec![],
        )
    }

    #[test]
    fn a_bow_tie_is_refused_at_its_crossing() {
        let mp = bow_tie();
        // What a shoelace would measure: the lobes cancel, 16/3 − 4/3 = 4.
        assert!((summed_area(&mp) - 4.0).abs() < 1e-12);
        match check(&mp) {
            Err(GeometryProblem::SelfIntersection { x, y }) => {
                assert!((x - 4.0 / 3.0).abs() < 1e-12 && (y - 4.0 / 3.0).abs() < 1e-12);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_bow_tie_repairs_to_both_lobes() {
        let fixed = repair(&bow_tie()).unwrap();
        // The crossing is snapped to the overlay's grid (step 2⁻²⁸ here): ~1e-9 off.
        assert!((area_of(&fixed) - 20.0 / 3.0).abs() < 1e-8, "{fixed:?}");
        assert!(check(&fixed).is_ok());
    }

    #[test]
    fn valid_shapes_pass_untouched() {
        // Square with a hole touching the shell at a vertex, a spike, a repeated vertex.
        let shell = ring(&[
            (0., 0.),
            (10., 0.),
            (10., 0.),
            (10., 5.),
            (14., 5.),
            (10., 5.),
            (10., 10.),
            (0., 10.),
            (0., 0.),
        ]);
        let hole = ring(&[(0., 0.), (2., 5.), (5., 2.), (0., 0.)]);
        assert_eq!(check(&one(shell, vec![hole])), Ok(()));
        // Two parts sharing an edge.
        let mp = orient(MultiPolygon::new(vec![
            Polygon::new(rect(0., 0., 1., 1.), vec![]),
            Polygon::new(rect(1., 0., 1., 1.), vec![]),
        ]));
        assert_eq!(check(&mp), Ok(()));
    }

    #[test]
    fn a_hole_crossing_its_shell_is_refused_and_repaired() {
        // 10×10 shell, hole 4×4 from (8,3): sticks 2 out of the shell.
        let mp = one(rect(0., 0., 10., 10.), vec![rect(8., 3., 4., 4.)]);
        assert!(matches!(
            check(&mp),
            Err(GeometryProblem::RingsCross { x, .. }) if x == 10.0
        ));
        // Repaired: only the 2×4 part inside the shell is removed.
        assert!((area_of(&repair(&mp).unwrap()) - 92.0).abs() < 1e-9);
    }

    #[test]
    fn a_hole_outside_its_shell_and_overlapping_parts_are_refused() {
        let far_hole = one(rect(0., 0., 10., 10.), vec![rect(20., 0., 2., 2.)]);
        assert!(matches!(
            check(&far_hole),
            Err(GeometryProblem::Overlap { summed_area, covered_area })
                if summed_area == 96.0 && (covered_area - 100.0).abs() < 1e-9
        ));
        assert!((area_of(&repair(&far_hole).unwrap()) - 100.0).abs() < 1e-9);
        // A part inside another: counted twice by a sum, once by the land.
        let nested = orient(MultiPolygon::new(vec![
            Polygon::new(rect(0., 0., 10., 10.), vec![]),
            Polygon::new(rect(2., 2., 3., 3.), vec![]),
        ]));
        assert!(matches!(
            check(&nested),
            Err(GeometryProblem::Overlap { summed_area, .. }) if summed_area == 109.0
        ));
        assert!((area_of(&repair(&nested).unwrap()) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn a_crossing_through_a_shared_vertex_is_refused() {
        // The bow-tie with its crossing point written as a vertex of both passes:
        // no two edges cross in their interiors, but the lobes still cancel.
        let mp = one(
            ring(&[
                (0., 0.),
                (2., 2.),
                (4., 4.),
                (4., 0.),
                (2., 2.),
                (0., 4.),
                (0., 0.),
            ]),
            vec![],
        );
        assert!(first_crossing(&mp).is_none());
        assert!(matches!(check(&mp), Err(GeometryProblem::Overlap { .. })));
        // Lobes: two triangles of base 4 and height 2 = 4 + 4.
        assert!((area_of(&repair(&mp).unwrap()) - 8.0).abs() < 1e-9);
    }

    #[test]
    fn a_hole_covering_its_shell_repairs_to_nothing() {
        let mp = one(rect(0., 0., 1., 1.), vec![rect(-1., -1., 3., 3.)]);
        assert!(check(&mp).is_err());
        assert_eq!(repair(&mp), Err(GeometryProblem::Empty));
    }

    #[test]
    fn far_from_the_origin_the_tolerance_stays_small() {
        // 1 mm × 1000 m sliver at Gauss–Krüger magnitudes (zone-prefixed x ≈ 4.2e7).
        let mp = one(rect(42_500_000.0, 4_800_000.0, 1000.0, 0.001), vec![]);
        assert_eq!(check(&mp), Ok(()));
        // 8 × perimeter 2000 m × grid step (500 m × 2⁻²⁹) ≈ 0.015 m²: a hundredth of
        // a 10 m cell's per mille, far below the 0.01 ha figures are reported in.
        assert!(tolerance(&mp) < 0.02, "{}", tolerance(&mp));
        let covered = area_of(&resolve(&mp));
        assert!((covered - 1.0).abs() < 1e-3, "{covered}");
    }
}
