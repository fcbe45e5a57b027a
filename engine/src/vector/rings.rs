//! Ring validation and polygon assembly shared by the readers.
//!
//! - [`validate_ring`]: finite coordinates, ≥ 4 positions, closed, non-zero area
//!   (the area by [`crate::area::signed_area`], about the first vertex, which keeps
//!   precision for small polygons far from the origin: UTM metres, ~10⁶).
//! - [`organize_rings`]: turns the flat ring list of a shapefile polygon into polygons
//!   with holes by *containment*, not by ring order or orientation (as GDAL does): a
//!   ring inside an even number of other rings is an exterior, inside an odd number a
//!   hole of the smallest ring that contains it.
//! - [`orient`]: exteriors counter-clockwise, holes clockwise.
//!
//! TODO(hostile-input issue): self-intersection and hole-outside-shell checks.

use geo::orient::{Direction, Orient};
use geo::{Coord, LineString, MultiPolygon, Polygon};

use super::error::GeometryProblem;
use crate::area::{area_scale, signed_area};

/// Relative size below which a ring's area counts as zero (floating-point cancellation).
const ZERO_AREA_RELATIVE: f64 = 1e-12;

/// Checks one ring: finite coordinates, at least 4 positions, closed, non-zero area.
pub fn validate_ring(coords: &[Coord<f64>]) -> Result<(), GeometryProblem> {
    if coords.iter().any(|c| !c.x.is_finite() || !c.y.is_finite()) {
        return Err(GeometryProblem::NonFinite);
    }
    if coords.len() < 4 {
        return Err(GeometryProblem::TooFewPositions {
            count: coords.len(),
        });
    }
    if coords.first() != coords.last() {
        return Err(GeometryProblem::Unclosed);
    }
    let (area, scale) = (signed_area(coords), area_scale(coords));
    if area.abs() <= ZERO_AREA_RELATIVE * scale {
        return Err(GeometryProblem::ZeroArea);
    }
    Ok(())
}

/// Where a point lies relative to a closed ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// Strictly inside.
    Inside,
    /// Exactly on an edge or vertex.
    Boundary,
    /// Strictly outside.
    Outside,
}

/// Locates `p` relative to the closed ring `ring` (crossing-number test).
pub fn locate(p: Coord<f64>, ring: &[Coord<f64>]) -> Side {
    let mut inside = false;
    for w in ring.windows(2) {
        let [a, b] = w else { continue };
        let cross = (b.x - a.x) * (p.y - a.y) - (b.y - a.y) * (p.x - a.x);
        if cross == 0.0
            && p.x >= a.x.min(b.x)
            && p.x <= a.x.max(b.x)
            && p.y >= a.y.min(b.y)
            && p.y <= a.y.max(b.y)
        {
            return Side::Boundary;
        }
        if (a.y > p.y) != (b.y > p.y) {
            let x_at = a.x + (b.x - a.x) * (p.y - a.y) / (b.y - a.y);
            if p.x < x_at {
                inside = !inside;
            }
        }
    }
    if inside {
        Side::Inside
    } else {
        Side::Outside
    }
}

/// True when ring `inner` lies inside ring `outer`, judged by its first vertex that is
/// not on `outer`'s boundary (rings of a valid polygon never cross).
fn ring_inside(inner: &[Coord<f64>], outer: &[Coord<f64>]) -> bool {
    for p in inner {
        match locate(*p, outer) {
            Side::Inside => return true,
            Side::Outside => return false,
            Side::Boundary => {}
        }
    }
    false
}

/// Axis-aligned bounds (min x, min y, max x, max y) of a ring.
fn bounds(coords: &[Coord<f64>]) -> [f64; 4] {
    coords.iter().fold(
        [
            f64::INFINITY,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::NEG_INFINITY,
        ],
        |b, c| [b[0].min(c.x), b[1].min(c.y), b[2].max(c.x), b[3].max(c.y)],
    )
}

/// Assembles validated rings into polygons by containment depth (see module docs).
///
/// Exteriors appear in the order of their rings in the input; holes follow their
/// exterior in input order. The result is [`orient`]ed.
pub fn organize_rings(rings: Vec<LineString<f64>>) -> MultiPolygon<f64> {
    let n = rings.len();
    let areas: Vec<f64> = rings.iter().map(|r| signed_area(&r.0).abs()).collect();
    let boxes: Vec<[f64; 4]> = rings.iter().map(|r| bounds(&r.0)).collect();
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|&a, &b| areas[b].total_cmp(&areas[a]).then(a.cmp(&b)));

    // parent[i] = smallest ring containing ring i; depth[i] = number of containing rings.
    let mut parent: Vec<Option<usize>> = vec![None; n];
    let mut depth: Vec<usize> = vec![0; n];
    for (pos, &i) in order.iter().enumerate() {
        let bi = boxes[i];
        // Earlier entries are larger; scanning back finds the smallest container first.
        for &j in order[..pos].iter().rev() {
            let bj = boxes[j];
            let box_inside = bj[0] <= bi[0] && bj[1] <= bi[1] && bj[2] >= bi[2] && bj[3] >= bi[3];
            if areas[j] > areas[i] && box_inside && ring_inside(&rings[i].0, &rings[j].0) {
                parent[i] = Some(j);
                depth[i] = depth[j] + 1;
                break;
            }
        }
    }

    let mut polygon_of: Vec<Option<usize>> = vec![None; n];
    let mut exteriors: Vec<LineString<f64>> = Vec::new();
    let mut holes: Vec<Vec<LineString<f64>>> = Vec::new();
    let mut pending_holes: Vec<(usize, LineString<f64>)> = Vec::new();
    for (i, ring) in rings.into_iter().enumerate() {
        match parent[i] {
            Some(p) if depth[i] % 2 == 1 => pending_holes.push((p, ring)),
            _ => {
                polygon_of[i] = Some(exteriors.len());
                exteriors.push(ring);
                holes.push(Vec::new());
            }
        }
    }
    for (p, ring) in pending_holes {
        if let Some(list) = polygon_of[p].and_then(|k| holes.get_mut(k)) {
            list.push(ring);
        }
    }
    let polygons = exteriors
        .into_iter()
        .zip(holes)
        .map(|(ext, ints)| Polygon::new(ext, ints))
        .collect();
    orient(MultiPolygon::new(polygons))
}

/// Exterior rings counter-clockwise, holes clockwise.
pub fn orient(mp: MultiPolygon<f64>) -> MultiPolygon<f64> {
    mp.orient(Direction::Default)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Area;

    fn ring(pts: &[(f64, f64)]) -> Vec<Coord<f64>> {
        pts.iter().map(|&(x, y)| Coord { x, y }).collect()
    }

    fn square(x0: f64, y0: f64, side: f64) -> Vec<Coord<f64>> {
        // Clockwise, as a shapefile outer ring.
        ring(&[
            (x0, y0),
            (x0, y0 + side),
            (x0 + side, y0 + side),
            (x0 + side, y0),
            (x0, y0),
        ])
    }

    #[test]
    fn area_of_a_unit_square_far_from_origin() {
        // 1 m² at UTM-like coordinates: shoelace on raw coordinates would cancel badly.
        let r = square(500_000.0, 4_800_000.0, 1.0);
        assert_eq!(signed_area(&r), -1.0);
        assert!(validate_ring(&r).is_ok());
    }

    #[test]
    fn ring_problems() {
        assert_eq!(
            validate_ring(&ring(&[(0., 0.), (1., 0.), (0., 0.)])),
            Err(GeometryProblem::TooFewPositions { count: 3 })
        );
        assert_eq!(
            validate_ring(&ring(&[(0., 0.), (1., 0.), (1., 1.), (0., 1.)])),
            Err(GeometryProblem::Unclosed)
        );
        assert_eq!(
            validate_ring(&ring(&[(0., 0.), (1., 1.), (2., 2.), (0., 0.)])),
            Err(GeometryProblem::ZeroArea)
        );
        assert_eq!(
            validate_ring(&ring(&[(0., 0.), (f64::NAN, 0.), (1., 1.), (0., 0.)])),
            Err(GeometryProblem::NonFinite)
        );
        assert_eq!(
            validate_ring(&ring(&[(0., 0.), (1., 0.), (f64::INFINITY, 1.), (0., 0.)])),
            Err(GeometryProblem::NonFinite)
        );
        // A thin but real sliver is fine: 1000 m × 1 mm = 1 m².
        assert!(validate_ring(&ring(&[
            (0., 0.),
            (1000., 0.),
            (1000., 0.001),
            (0., 0.001),
            (0., 0.)
        ]))
        .is_ok());
    }

    #[test]
    fn locate_points() {
        let r = square(0.0, 0.0, 10.0);
        assert_eq!(locate(Coord { x: 5.0, y: 5.0 }, &r), Side::Inside);
        assert_eq!(locate(Coord { x: 15.0, y: 5.0 }, &r), Side::Outside);
        assert_eq!(locate(Coord { x: 10.0, y: 5.0 }, &r), Side::Boundary);
        assert_eq!(locate(Coord { x: 0.0, y: 0.0 }, &r), Side::Boundary);
    }

    #[test]
    fn holes_go_to_the_ring_that_contains_them_whatever_the_order() {
        // Outer A (100×100 at 0,0), outer B (50×50 at 200,0), then A's hole (10×10):
        // "attach to the last outer" would give the hole to B.
        let a = square(0.0, 0.0, 100.0);
        let b = square(200.0, 0.0, 50.0);
        let mut hole = square(40.0, 40.0, 10.0);
        hole.reverse(); // counter-clockwise, as a shapefile hole
        let mp = organize_rings(vec![a.into(), b.into(), hole.into()]);
        assert_eq!(mp.0.len(), 2);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert_eq!(mp.0[1].interiors().len(), 0);
        assert_eq!(mp.0[0].unsigned_area(), 10_000.0 - 100.0);
        assert_eq!(mp.0[1].unsigned_area(), 2_500.0);
        // Orientation normalised: exterior CCW (positive), hole CW (negative).
        assert!(signed_area(&mp.0[0].exterior().0) > 0.0);
        assert!(signed_area(&mp.0[0].interiors()[0].0) < 0.0);
    }

    #[test]
    fn island_in_a_hole_is_an_exterior() {
        // 100×100 shell, 60×60 hole, 20×20 island inside the hole; orientation ignored.
        let shell = square(0.0, 0.0, 100.0);
        let hole = square(20.0, 20.0, 60.0);
        let island = square(40.0, 40.0, 20.0);
        let mp = organize_rings(vec![island.into(), hole.into(), shell.into()]);
        assert_eq!(mp.0.len(), 2);
        assert_eq!(mp.unsigned_area(), 10_000.0 - 3_600.0 + 400.0);
        // The island is listed first because its ring came first.
        assert_eq!(mp.0[0].unsigned_area(), 400.0);
        assert_eq!(mp.0[1].interiors().len(), 1);
    }

    #[test]
    fn hole_touching_the_shell_at_a_vertex() {
        let shell = square(0.0, 0.0, 10.0);
        // Triangle hole with a vertex on the shell's corner (0,0).
        let hole = ring(&[(0., 0.), (5., 2.), (2., 5.), (0., 0.)]);
        let mp = organize_rings(vec![shell.into(), hole.into()]);
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert_eq!(mp.unsigned_area(), 100.0 - 10.5);
    }
}
