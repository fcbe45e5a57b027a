//! A shared dyadic snapping grid that makes piece areas add up exactly.
//!
//! geo's boolean operations (i_overlay) map each operation's input onto an integer
//! grid of its own, centred on the operands' bounding box with a power-of-two step of
//! at most 2⁻²⁸ of the box's half-extent. Two facts follow:
//!
//! * `a ∩ b` and `a − b` computed from the same operands use the same grid, so they
//!   share their common boundary vertex for vertex and their areas add up to the area
//!   of `a` *as that grid sees it*;
//! * a vertex that already lies on a coarser power-of-two grid `G` (anchored at 0)
//!   passes through any operation's grid unchanged when `G`'s step is at least twice
//!   that operation's step.
//!
//! So every geometry is snapped to one grid `G` chosen from the extent of all inputs
//! (step = the power of two ≥ extent·2⁻²⁸, i.e. ≤ 0.5 mm for a 100 km county), and every
//! operation's output is snapped back to `G` vertex by vertex. Snapping is a function of
//! the vertex, so boundaries that were shared stay shared, and the pieces cut from a pit
//! tile it: their areas add up to the pit's area up to floating-point rounding of the
//! shoelace sums (~1e-15 relative), not merely up to the operation grids.

use geo::algorithm::orient::Direction;
use geo::{
    unary_union, Area, BooleanOps, BoundingRect, Coord, CoordsIter, LineString, MultiPolygon,
    Orient, Polygon,
};

/// Bits of the extent below which coordinates are snapped (the grid step is the power of
/// two at or above extent·2⁻ᴱˣᵀᴱᴺᵀ_ᴮᴵᵀˢ). i_overlay resolves extent·2⁻²⁹ at worst; one
/// bit of margin keeps every `G` vertex exactly representable on its grid.
const EXTENT_BITS: i32 = 28;

/// Bits of the largest coordinate magnitude kept: coordinates stay integers of the
/// step below 2⁵⁰, well inside f64's 53-bit mantissa, so snapped arithmetic is exact.
const MAGNITUDE_BITS: i32 = 50;

/// The common snapping grid of one attribution run.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SnapGrid {
    /// Grid step in map units; a power of two.
    step: f64,
}

impl SnapGrid {
    /// The grid for a set of geometries: fine enough to be invisible (extent·2⁻²⁸), coarse
    /// enough for every boolean operation among them to reproduce its vertices exactly.
    pub(crate) fn covering<'a>(
        geometries: impl IntoIterator<Item = &'a MultiPolygon<f64>>,
    ) -> Self {
        let mut min = Coord {
            x: f64::INFINITY,
            y: f64::INFINITY,
        };
        let mut max = Coord {
            x: f64::NEG_INFINITY,
            y: f64::NEG_INFINITY,
        };
        for g in geometries {
            if let Some(r) = g.bounding_rect() {
                min.x = min.x.min(r.min().x);
                min.y = min.y.min(r.min().y);
                max.x = max.x.max(r.max().x);
                max.y = max.y.max(r.max().y);
            }
        }
        if !(min.x <= max.x && min.y <= max.y) {
            return SnapGrid { step: 1.0 };
        }
        let extent = (max.x - min.x).max(max.y - min.y);
        let magnitude = [min.x, min.y, max.x, max.y]
            .into_iter()
            .fold(0.0_f64, |m, v| m.max(v.abs()));
        let mut exponent = i32::MIN;
        if extent > 0.0 {
            exponent = exponent.max(ceil_log2(extent) - EXTENT_BITS);
        }
        if magnitude > 0.0 {
            exponent = exponent.max(ceil_log2(magnitude) - MAGNITUDE_BITS);
        }
        if exponent == i32::MIN {
            // Every coordinate is zero: nothing has area, any step will do.
            exponent = 0;
        }
        SnapGrid {
            step: 2f64.powi(exponent.clamp(-1000, 1000)),
        }
    }

    /// The grid step in map units.
    pub(crate) fn step(&self) -> f64 {
        self.step
    }

    /// Nearest grid value (exact: the step is a power of two).
    fn snap_value(&self, v: f64) -> f64 {
        (v / self.step).round() * self.step
    }

    /// Snaps a ring; `None` when it collapses to zero area.
    fn snap_ring(&self, ring: &LineString<f64>) -> Option<LineString<f64>> {
        let mut coords: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len() + 1);
        for c in ring.coords() {
            let s = Coord {
                x: self.snap_value(c.x),
                y: self.snap_value(c.y),
            };
            if coords.last() != Some(&s) {
                coords.push(s);
            }
        }
        // Drop the closing duplicate if present, then close explicitly.
        if coords.len() > 1 && coords.first() == coords.last() {
            coords.pop();
        }
        if coords.len() < 3 {
            return None;
        }
        if let Some(&first) = coords.first() {
            coords.push(first);
        }
        let ring = LineString(coords);
        if Polygon::new(ring.clone(), vec![]).signed_area() == 0.0 {
            return None;
        }
        Some(ring)
    }

    /// Snaps every vertex to the grid, dropping rings and polygons that collapse.
    pub(crate) fn snap(&self, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        let polygons = mp
            .iter()
            .filter_map(|p| {
                let exterior = self.snap_ring(p.exterior())?;
                let interiors = p
                    .interiors()
                    .iter()
                    .filter_map(|r| self.snap_ring(r))
                    .collect();
                Some(Polygon::new(exterior, interiors))
            })
            .collect();
        MultiPolygon(polygons)
    }

    /// Snaps an input footprint and resolves it to a valid multipolygon: parts that
    /// overlap are merged (counted once), holes are subtracted, rings may wind either way.
    pub(crate) fn normalise(&self, mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
        let oriented = self.snap(mp).orient(Direction::Default);
        if oriented.0.is_empty() {
            return oriented;
        }
        self.snap(&unary_union(oriented.iter()))
    }

    /// `a ∩ b`, snapped back to the grid.
    pub(crate) fn intersection(
        &self,
        a: &MultiPolygon<f64>,
        b: &MultiPolygon<f64>,
    ) -> MultiPolygon<f64> {
        if a.0.is_empty() || b.0.is_empty() {
            return MultiPolygon(vec![]);
        }
        self.snap(&a.intersection(b))
    }

    /// `a − b`, snapped back to the grid.
    pub(crate) fn difference(
        &self,
        a: &MultiPolygon<f64>,
        b: &MultiPolygon<f64>,
    ) -> MultiPolygon<f64> {
        if a.0.is_empty() || b.0.is_empty() {
            return a.clone();
        }
        self.snap(&a.difference(b))
    }
}

/// Planar area of a multipolygon in map units² (holes subtracted).
pub(crate) fn area(mp: &MultiPolygon<f64>) -> f64 {
    mp.unsigned_area()
}

/// True when the geometry has no vertices.
pub(crate) fn is_empty(mp: &MultiPolygon<f64>) -> bool {
    mp.coords_iter().next().is_none()
}

/// Smallest integer `e` with `2^e >= v`, for finite `v > 0`.
fn ceil_log2(v: f64) -> i32 {
    let mut e = v.log2().ceil() as i32;
    // `log2` may be off by one ulp near powers of two; correct with exact powers.
    while 2f64.powi(e) < v {
        e += 1;
    }
    while e > -1074 && 2f64.powi(e - 1) >= v {
        e -= 1;
    }
    e
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
    fn ceil_log2_at_and_around_powers() {
        assert_eq!(ceil_log2(1.0), 0);
        assert_eq!(ceil_log2(1.5), 1);
        assert_eq!(ceil_log2(1024.0), 10);
        assert_eq!(ceil_log2(1025.0), 11);
        assert_eq!(ceil_log2(0.25), -2);
        assert_eq!(ceil_log2(0.3), -1);
    }

    #[test]
    fn grid_step_follows_extent_and_magnitude() {
        // 1000 m extent: next power 1024 = 2^10, step 2^-18.
        let g = SnapGrid::covering([&rect(0.0, 0.0, 1000.0, 10.0)]);
        assert_eq!(g.step(), 2f64.powi(-18));
        // UTM magnitudes, 100 m extent: extent gives 2^(7-28) = 2^-21; northing
        // 4.8e6 < 2^23 gives 2^(23-50) = 2^-27; the coarser wins.
        let g = SnapGrid::covering([&rect(686_000.0, 4_796_000.0, 686_100.0, 4_796_050.0)]);
        assert_eq!(g.step(), 2f64.powi(-21));
        // A 1 cm patch at UTM magnitude is limited by the magnitude.
        let g = SnapGrid::covering([&rect(686_000.0, 4_796_000.0, 686_000.01, 4_796_000.01)]);
        assert_eq!(g.step(), 2f64.powi(-27));
        assert_eq!(SnapGrid::covering(std::iter::empty()).step(), 1.0);
    }

    #[test]
    fn snapping_keeps_grid_points_and_drops_collapsed_rings() {
        let g = SnapGrid { step: 0.5 };
        let r = rect(0.0, 0.0, 2.0, 1.0);
        assert_eq!(g.snap(&r), r);
        let sliver = rect(0.0, 0.0, 2.0, 0.1);
        assert!(g.snap(&sliver).0.is_empty());
        let moved = rect(0.1, 0.0, 2.2, 1.1);
        assert_eq!(g.snap(&moved), rect(0.0, 0.0, 2.0, 1.0));
    }

    #[test]
    fn normalise_merges_overlapping_parts_and_keeps_holes() {
        let g = SnapGrid { step: 1.0 / 1024.0 };
        // Two overlapping 2×2 squares: union is 4 + 4 − 1 = 7.
        let mut mp = rect(0.0, 0.0, 2.0, 2.0);
        mp.0.extend(rect(1.0, 1.0, 3.0, 3.0).0);
        assert_eq!(area(&g.normalise(&mp)), 7.0);
        // A 4×4 square with a 2×2 hole, exterior wound clockwise: 16 − 4 = 12.
        let mut outer: Vec<_> = rect(0.0, 0.0, 4.0, 4.0).0[0].exterior().0.clone();
        outer.reverse();
        let hole = rect(1.0, 1.0, 3.0, 3.0).0[0].exterior().clone();
        let p = MultiPolygon(vec![Polygon::new(LineString(outer), vec![hole])]);
        assert_eq!(area(&g.normalise(&p)), 12.0);
    }

    #[test]
    fn intersection_and_difference_tile_the_subject() {
        // A triangle cut by a square along a slanted edge: crossing points are off-grid.
        let g = SnapGrid::covering([&rect(686_000.0, 4_796_000.0, 686_300.0, 4_796_300.0)]);
        let tri = g.normalise(&MultiPolygon(vec![polygon![
            (x: 686_000.0, y: 4_796_000.0), (x: 686_300.0, y: 4_796_017.0), (x: 686_011.0, y: 4_796_300.0)
        ]]));
        let sq = g.normalise(&rect(686_100.3, 4_796_050.7, 686_400.0, 4_796_400.0));
        let inside = g.intersection(&tri, &sq);
        let outside = g.difference(&tri, &sq);
        let total = area(&inside) + area(&outside);
        assert!(area(&inside) > 0.0 && area(&outside) > 0.0);
        assert!(
            (total - area(&tri)).abs() <= 1e-12 * area(&tri),
            "{total} vs {}",
            area(&tri)
        );
    }
}
