//! Planar areas by the shoelace formula, relative to a local origin: the one
//! shoelace of the engine.
//!
//! Map coordinates of footprints are large (UTM x ≈ 6.4e5, y ≈ 4.8e6; Gauss–Krüger with
//! a zone prefix x ≈ 4.2e7). Cross products of such coordinates cancel catastrophically,
//! so every ring is summed relative to its own first vertex: the area of a ring does not
//! depend on where the origin is, and the products stay small.
//!
//! - [`signed_area`]: a ring's signed area about its first vertex, for any point type
//!   that converts to a [`Coord`] (`Coord`, `[f64; 2]`, `(f64, f64)`). The ring may be
//!   closed (last point = first) or not: about the first vertex, the closing edge adds
//!   nothing, so both give the same sum.
//! - [`area_scale`]: the size of the terms that sum, to tell a zero area from rounding.
//! - [`polygon_area`]: a multipolygon's area, exteriors minus holes.
//! - [`Shoelace`]: the streaming sum behind them, about any origin (the coverage's
//!   left-hand areas use a cell corner).

use geo::{Coord, LineString, MultiPolygon};

/// Streaming shoelace sum of a closed polygon, relative to an origin.
#[derive(Debug, Clone, Copy)]
pub struct Shoelace {
    origin: Coord<f64>,
    first: Option<Coord<f64>>,
    prev: Coord<f64>,
    twice_area: f64,
}

impl Shoelace {
    /// An empty polygon whose points are taken relative to `origin`.
    #[inline]
    pub fn new(origin: Coord<f64>) -> Self {
        Shoelace {
            origin,
            first: None,
            prev: Coord { x: 0.0, y: 0.0 },
            twice_area: 0.0,
        }
    }

    /// Appends a vertex.
    #[inline]
    pub fn push(&mut self, p: Coord<f64>) {
        let p = Coord {
            x: p.x - self.origin.x,
            y: p.y - self.origin.y,
        };
        if self.first.is_none() {
            self.first = Some(p);
        } else {
            self.twice_area += self.prev.x * p.y - p.x * self.prev.y;
        }
        self.prev = p;
    }

    /// Appends vertices, in order (the same sums as pushing them one by one, with the
    /// running state kept in registers).
    #[inline]
    pub fn extend<P: Copy + Into<Coord<f64>>>(&mut self, pts: &[P]) {
        let mut rest = pts;
        if self.first.is_none() {
            let Some((&p, tail)) = pts.split_first() else {
                return;
            };
            self.push(p.into());
            rest = tail;
        }
        let (ox, oy) = (self.origin.x, self.origin.y);
        let mut prev = self.prev;
        let mut twice = self.twice_area;
        for &p in rest {
            let p: Coord<f64> = p.into();
            let q = Coord {
                x: p.x - ox,
                y: p.y - oy,
            };
            twice += prev.x * q.y - q.x * prev.y;
            prev = q;
        }
        self.prev = prev;
        self.twice_area = twice;
    }

    /// Signed area of the polygon closed back to its first vertex (ccw positive).
    #[inline]
    pub fn area(&self) -> f64 {
        let closing = match self.first {
            Some(f) => self.prev.x * f.y - f.x * self.prev.y,
            None => 0.0,
        };
        0.5 * (self.twice_area + closing)
    }
}

/// Signed area of a ring (positive when counter-clockwise in x-right, y-up axes),
/// summed relative to its first vertex; 0 for an empty ring.
///
/// The ring may repeat its first point at the end or not; the sum is the same.
/// A non-finite coordinate gives NaN or an infinity.
///
/// ```
/// use reclaim::area::signed_area;
/// // 1 m² far from the origin, clockwise: no cancellation.
/// let (x, y) = (42_345_678.0, 4_812_345.0);
/// let square = [(x, y), (x, y + 1.0), (x + 1.0, y + 1.0), (x + 1.0, y)];
/// assert_eq!(signed_area(&square), -1.0);
/// ```
pub fn signed_area<P: Copy + Into<Coord<f64>>>(ring: &[P]) -> f64 {
    let Some(&origin) = ring.first() else {
        return 0.0;
    };
    let mut s = Shoelace::new(origin.into());
    s.extend(ring);
    s.area()
}

/// Half the sum of the absolute shoelace terms of `ring` about its first vertex:
/// the scale of the numbers [`signed_area`] adds, so that an area below a tiny
/// fraction of it (1e-12) is rounding, not area. 0 for an empty ring.
pub fn area_scale<P: Copy + Into<Coord<f64>>>(ring: &[P]) -> f64 {
    let Some(&origin) = ring.first() else {
        return 0.0;
    };
    let origin: Coord<f64> = origin.into();
    let mut scale = 0.0;
    for w in ring.windows(2) {
        if let [a, b] = w {
            let (a, b): (Coord<f64>, Coord<f64>) = ((*a).into(), (*b).into());
            let (ax, ay) = (a.x - origin.x, a.y - origin.y);
            let (bx, by) = (b.x - origin.x, b.y - origin.y);
            scale += (ax * by).abs() + (bx * ay).abs();
        }
    }
    scale / 2.0
}

/// Unsigned area of a geo ring (either orientation).
fn ring_area(ring: &LineString<f64>) -> f64 {
    signed_area(&ring.0).abs()
}

/// Planar area of a multipolygon in map units²: each exterior minus its holes, parts
/// added. Rings may be in either orientation. Overlapping parts (invalid input) are
/// counted once per part; a non-finite coordinate gives NaN.
pub fn polygon_area(poly: &MultiPolygon<f64>) -> f64 {
    poly.0
        .iter()
        .map(|p| ring_area(p.exterior()) - p.interiors().iter().map(ring_area).sum::<f64>())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Polygon};

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    #[test]
    fn shoelace_of_unit_square() {
        let mut s = Shoelace::new(c(10.0, 10.0));
        for p in [c(10.0, 10.0), c(11.0, 10.0), c(11.0, 11.0), c(10.0, 11.0)] {
            s.push(p);
        }
        assert_eq!(s.area(), 1.0);
    }

    #[test]
    fn ring_orientation_gives_the_sign() {
        let ccw = [c(0.0, 0.0), c(2.0, 0.0), c(2.0, 3.0), c(0.0, 3.0)];
        assert_eq!(signed_area(&ccw), 6.0);
        let cw: Vec<_> = ccw.iter().rev().copied().collect();
        assert_eq!(signed_area(&cw), -6.0);
        assert_eq!(signed_area::<Coord<f64>>(&[]), 0.0);
    }

    #[test]
    fn square_with_hole_far_from_the_origin() {
        // 100 m × 100 m square with a 10 m × 20 m hole, at Gauss–Krüger coordinates.
        let (x0, y0) = (42_345_678.25, 4_812_345.5);
        let p: Polygon<f64> = polygon!(
            exterior: [
                (x: x0, y: y0), (x: x0 + 100.0, y: y0),
                (x: x0 + 100.0, y: y0 + 100.0), (x: x0, y: y0 + 100.0),
            ],
            interiors: [[
                (x: x0 + 10.0, y: y0 + 10.0), (x: x0 + 10.0, y: y0 + 30.0),
                (x: x0 + 20.0, y: y0 + 30.0), (x: x0 + 20.0, y: y0 + 10.0),
            ]],
        );
        let area = polygon_area(&MultiPolygon(vec![p]));
        assert_eq!(area, 10_000.0 - 200.0);
    }

    #[test]
    fn parts_add() {
        let a: Polygon<f64> = polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0)];
        let b: Polygon<f64> = polygon![(x: 5.0, y: 5.0), (x: 5.0, y: 7.0), (x: 7.0, y: 5.0)];
        assert_eq!(polygon_area(&MultiPolygon(vec![a, b])), 0.5 + 2.0);
    }

    #[test]
    fn closed_and_open_rings_and_point_types_agree() {
        let (x0, y0) = (686_123.25, 4_796_321.5);
        let open = [
            [x0, y0],
            [x0 + 30.0, y0 + 0.5],
            [x0 + 29.0, y0 + 40.25],
            [x0 - 1.0, y0 + 39.0],
        ];
        let mut closed = open.to_vec();
        closed.push(open[0]);
        let a = signed_area(&open);
        assert_eq!(signed_area(&closed), a);
        let tuples: Vec<(f64, f64)> = open.iter().map(|p| (p[0], p[1])).collect();
        assert_eq!(signed_area(&tuples), a);
        let coords: Vec<Coord<f64>> = closed.iter().map(|&p| p.into()).collect();
        assert_eq!(signed_area(&coords), a);
    }

    #[test]
    fn scale_bounds_the_area() {
        let ccw = [
            c(0.0, 0.0),
            c(2.0, 0.0),
            c(2.0, 3.0),
            c(0.0, 3.0),
            c(0.0, 0.0),
        ];
        // terms about (0, 0): 0, 2·3 − 2·0 = 6, 2·3 − 0·3 = 6, 0 → |terms| sum 12 + 0.
        assert_eq!(area_scale(&ccw), 6.0);
        assert!(signed_area(&ccw).abs() <= area_scale(&ccw));
        assert_eq!(area_scale::<Coord<f64>>(&[]), 0.0);
    }
}
