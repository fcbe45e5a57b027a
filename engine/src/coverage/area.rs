//! Planar areas by the shoelace formula, relative to a local origin.
//!
//! Map coordinates of footprints are large (UTM x ≈ 6.4e5, y ≈ 4.8e6; Gauss–Krüger with
//! a zone prefix x ≈ 4.2e7). Cross products of such coordinates cancel catastrophically,
//! so every ring is summed relative to its own first vertex: the area of a ring does not
//! depend on where the origin is, and the products stay small.

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
    pub fn extend(&mut self, pts: &[Coord<f64>]) {
        let mut rest = pts;
        if self.first.is_none() {
            let Some((&p, tail)) = pts.split_first() else {
                return;
            };
            self.push(p);
            rest = tail;
        }
        let (ox, oy) = (self.origin.x, self.origin.y);
        let mut prev = self.prev;
        let mut twice = self.twice_area;
        for p in rest {
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
/// summed relative to its first vertex.
pub fn ring_signed_area(ring: &[Coord<f64>]) -> f64 {
    let Some(&origin) = ring.first() else {
        return 0.0;
    };
    let mut s = Shoelace::new(origin);
    s.extend(ring);
    s.area()
}

/// Unsigned area of a geo ring (either orientation).
fn ring_area(ring: &LineString<f64>) -> f64 {
    ring_signed_area(&ring.0).abs()
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
        assert_eq!(ring_signed_area(&ccw), 6.0);
        let cw: Vec<_> = ccw.iter().rev().copied().collect();
        assert_eq!(ring_signed_area(&cw), -6.0);
        assert_eq!(ring_signed_area(&[]), 0.0);
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
}
