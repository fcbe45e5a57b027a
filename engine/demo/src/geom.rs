//! Plane geometry for the construction: lattice polygons, exact-by-construction areas,
//! distances, and Sutherland–Hodgman clipping by axis-aligned rectangles.
//!
//! Every pit vertex lies on the 10 m cell-corner lattice, and wherever a licence or a
//! yard edge (an axis-aligned line on the same lattice) crosses a pit, the crossing is a
//! pit vertex too (see [`insert_crossings`]). Shoelace areas of such polygons, and of
//! their clips by lattice rectangles, are multiples of 50 m² computed without rounding.

/// A point (x, y) in metres.
pub type Pt = (f64, f64);

/// An axis-aligned rectangle `[x0, x1] × [y0, y1]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    /// West edge.
    pub x0: f64,
    /// South edge.
    pub y0: f64,
    /// East edge.
    pub x1: f64,
    /// North edge.
    pub y1: f64,
}

impl Rect {
    /// The intersection of two rectangles, `None` when it has no area.
    pub fn intersect(&self, o: &Rect) -> Option<Rect> {
        let r = Rect {
            x0: self.x0.max(o.x0),
            y0: self.y0.max(o.y0),
            x1: self.x1.min(o.x1),
            y1: self.y1.min(o.y1),
        };
        (r.x0 < r.x1 && r.y0 < r.y1).then_some(r)
    }

    /// True when the two rectangles share interior or boundary points.
    pub fn touches(&self, o: &Rect) -> bool {
        self.x0 <= o.x1 && o.x0 <= self.x1 && self.y0 <= o.y1 && o.y0 <= self.y1
    }

    /// The rectangle grown by `d` on every side.
    pub fn grow(&self, d: f64) -> Rect {
        Rect {
            x0: self.x0 - d,
            y0: self.y0 - d,
            x1: self.x1 + d,
            y1: self.y1 + d,
        }
    }

    /// True when `p` is inside or on the boundary.
    pub fn contains(&self, p: Pt) -> bool {
        p.0 >= self.x0 && p.0 <= self.x1 && p.1 >= self.y0 && p.1 <= self.y1
    }

    /// The four corners, counter-clockwise from the south-west.
    pub fn ring(&self) -> Vec<Pt> {
        vec![
            (self.x0, self.y0),
            (self.x1, self.y0),
            (self.x1, self.y1),
            (self.x0, self.y1),
        ]
    }

    /// Area in m².
    pub fn area(&self) -> f64 {
        (self.x1 - self.x0) * (self.y1 - self.y0)
    }
}

/// One polygon: an outer ring and holes; rings are open (no repeated closing point).
#[derive(Debug, Clone, PartialEq)]
pub struct Poly {
    /// The exterior ring.
    pub outer: Vec<Pt>,
    /// The interior rings.
    pub holes: Vec<Vec<Pt>>,
}

/// A (multi)polygon footprint.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// The polygons, disjoint.
    pub parts: Vec<Poly>,
}

impl Shape {
    /// A shape of one polygon without holes.
    pub fn single(outer: Vec<Pt>) -> Shape {
        Shape {
            parts: vec![Poly {
                outer,
                holes: vec![],
            }],
        }
    }

    /// Every ring (outer rings and holes).
    pub fn rings(&self) -> impl Iterator<Item = &Vec<Pt>> {
        self.parts
            .iter()
            .flat_map(|p| std::iter::once(&p.outer).chain(p.holes.iter()))
    }

    /// Every ring, mutable.
    pub fn rings_mut(&mut self) -> impl Iterator<Item = &mut Vec<Pt>> {
        self.parts
            .iter_mut()
            .flat_map(|p| std::iter::once(&mut p.outer).chain(p.holes.iter_mut()))
    }

    /// Area in m²: outer rings minus holes (shoelace).
    pub fn area(&self) -> f64 {
        self.parts
            .iter()
            .map(|p| {
                ring_area(&p.outer).abs() - p.holes.iter().map(|h| ring_area(h).abs()).sum::<f64>()
            })
            .sum()
    }

    /// Bounding rectangle.
    pub fn bbox(&self) -> Rect {
        let mut r = Rect {
            x0: f64::INFINITY,
            y0: f64::INFINITY,
            x1: f64::NEG_INFINITY,
            y1: f64::NEG_INFINITY,
        };
        for &(x, y) in self.rings().flatten() {
            r.x0 = r.x0.min(x);
            r.y0 = r.y0.min(y);
            r.x1 = r.x1.max(x);
            r.y1 = r.y1.max(y);
        }
        r
    }

    /// True when `p` is inside the shape (even–odd over every ring).
    pub fn contains(&self, p: Pt) -> bool {
        self.rings().filter(|r| point_in_ring(p, r)).count() % 2 == 1
    }

    /// Area of the shape inside `rect`, m² (clip each ring, signed areas).
    pub fn area_in_rect(&self, rect: &Rect) -> f64 {
        self.parts
            .iter()
            .map(|p| {
                clipped_abs_area(&p.outer, rect)
                    - p.holes
                        .iter()
                        .map(|h| clipped_abs_area(h, rect))
                        .sum::<f64>()
            })
            .sum()
    }

    /// Least distance from `p` to any ring edge.
    pub fn boundary_distance(&self, p: Pt) -> f64 {
        self.rings()
            .map(|r| ring_distance(p, r))
            .fold(f64::INFINITY, f64::min)
    }
}

/// Signed shoelace area (counter-clockwise positive), computed about the first vertex
/// so that large UTM coordinates lose no precision.
pub fn ring_area(r: &[Pt]) -> f64 {
    let Some(&(ox, oy)) = r.first() else {
        return 0.0;
    };
    let mut twice = 0.0;
    for (i, &(x0, y0)) in r.iter().enumerate() {
        let (x1, y1) = r[(i + 1) % r.len()];
        twice += (x0 - ox) * (y1 - oy) - (x1 - ox) * (y0 - oy);
    }
    twice / 2.0
}

fn clipped_abs_area(ring: &[Pt], rect: &Rect) -> f64 {
    let sign = ring_area(ring).signum();
    ring_area(&clip_ring(ring, rect)) * sign
}

/// True when `p` is strictly inside the ring (crossing number; points on the boundary
/// may go either way, callers keep away from boundaries).
pub fn point_in_ring(p: Pt, r: &[Pt]) -> bool {
    let mut inside = false;
    let n = r.len();
    for i in 0..n {
        let (xi, yi) = r[i];
        let (xj, yj) = r[(i + n - 1) % n];
        if (yi > p.1) != (yj > p.1) {
            let x = xi + (p.1 - yi) * (xj - xi) / (yj - yi);
            if p.0 < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// Distance from `p` to the segment `a`–`b`.
pub fn segment_distance(p: Pt, a: Pt, b: Pt) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 > 0.0 {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (qx, qy) = (a.0 + t * dx - p.0, a.1 + t * dy - p.1);
    (qx * qx + qy * qy).sqrt()
}

/// Least distance from `p` to the edges of a closed ring.
pub fn ring_distance(p: Pt, r: &[Pt]) -> f64 {
    let n = r.len();
    (0..n)
        .map(|i| segment_distance(p, r[i], r[(i + 1) % n]))
        .fold(f64::INFINITY, f64::min)
}

/// Sutherland–Hodgman clip of a ring by a rectangle. The result may have degenerate
/// edges along the rectangle's sides, which do not change its signed area.
pub fn clip_ring(ring: &[Pt], rect: &Rect) -> Vec<Pt> {
    let mut out = ring.to_vec();
    // (axis, bound, keep-greater)
    let planes = [
        (0, rect.x0, true),
        (0, rect.x1, false),
        (1, rect.y0, true),
        (1, rect.y1, false),
    ];
    for (axis, bound, greater) in planes {
        if out.is_empty() {
            break;
        }
        let coord = |p: &Pt| if axis == 0 { p.0 } else { p.1 };
        let inside = |p: &Pt| {
            if greater {
                coord(p) >= bound
            } else {
                coord(p) <= bound
            }
        };
        let input = std::mem::take(&mut out);
        let n = input.len();
        for i in 0..n {
            let cur = input[i];
            let prev = input[(i + n - 1) % n];
            let (ci, pi) = (inside(&cur), inside(&prev));
            if ci != pi {
                let t = (bound - coord(&prev)) / (coord(&cur) - coord(&prev));
                let p = if axis == 0 {
                    (bound, prev.1 + t * (cur.1 - prev.1))
                } else {
                    (prev.0 + t * (cur.0 - prev.0), bound)
                };
                out.push(p);
            }
            if ci {
                out.push(cur);
            }
        }
    }
    out
}

/// An axis-parallel line on the lattice: `x = c` or `y = c`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Line {
    /// The vertical line x = c.
    X(f64),
    /// The horizontal line y = c.
    Y(f64),
}

/// Inserts a vertex wherever an edge strictly crosses `line`, at the crossing rounded
/// to the `step` lattice along the line, so that afterwards no edge crosses the line
/// except at a vertex (the ring moves by less than `step / 2` near the crossing).
pub fn insert_crossings(ring: &[Pt], line: Line, step: f64) -> Vec<Pt> {
    let n = ring.len();
    let mut out = Vec::with_capacity(n + 4);
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        out.push(a);
        match line {
            Line::X(c) => {
                if (a.0 - c) * (b.0 - c) < 0.0 {
                    let y = a.1 + (c - a.0) * (b.1 - a.1) / (b.0 - a.0);
                    out.push((c, (y / step).round() * step));
                }
            }
            Line::Y(c) => {
                if (a.1 - c) * (b.1 - c) < 0.0 {
                    let x = a.0 + (c - a.1) * (b.0 - a.0) / (b.1 - a.1);
                    out.push(((x / step).round() * step, c));
                }
            }
        }
    }
    out
}

/// Orientation of the triangle a, b, c: > 0 counter-clockwise.
fn orient(a: Pt, b: Pt, c: Pt) -> f64 {
    (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0)
}

fn on_segment(a: Pt, b: Pt, p: Pt) -> bool {
    orient(a, b, p) == 0.0
        && p.0 >= a.0.min(b.0)
        && p.0 <= a.0.max(b.0)
        && p.1 >= a.1.min(b.1)
        && p.1 <= a.1.max(b.1)
}

/// True when the closed segments a–b and c–d share a point.
pub fn segments_touch(a: Pt, b: Pt, c: Pt, d: Pt) -> bool {
    let (o1, o2, o3, o4) = (
        orient(a, b, c),
        orient(a, b, d),
        orient(c, d, a),
        orient(c, d, b),
    );
    if o1 * o2 < 0.0 && o3 * o4 < 0.0 {
        return true;
    }
    on_segment(a, b, c) || on_segment(a, b, d) || on_segment(c, d, a) || on_segment(c, d, b)
}

/// True when the ring is simple: ≥ 3 distinct vertices, no repeated vertex, edges that
/// meet only at their shared endpoint, non-zero area. Exact for lattice coordinates.
pub fn ring_is_simple(r: &[Pt]) -> bool {
    let n = r.len();
    if n < 3 || ring_area(r) == 0.0 {
        return false;
    }
    for i in 0..n {
        for j in i + 1..n {
            if r[i] == r[j] {
                return false;
            }
        }
    }
    for i in 0..n {
        let (a, b) = (r[i], r[(i + 1) % n]);
        for j in i + 1..n {
            let (c, d) = (r[j], r[(j + 1) % n]);
            let adjacent = j == i + 1 || (i == 0 && j == n - 1);
            if adjacent {
                // Adjacent edges share one endpoint; they must not fold back onto each other.
                let (shared, other_ab, other_cd) = if j == i + 1 { (b, a, d) } else { (a, b, c) };
                if orient(other_ab, shared, other_cd) == 0.0
                    && (other_cd.0 - shared.0) * (other_ab.0 - shared.0)
                        + (other_cd.1 - shared.1) * (other_ab.1 - shared.1)
                        > 0.0
                {
                    return false;
                }
            } else if segments_touch(a, b, c, d) {
                return false;
            }
        }
    }
    true
}

/// True when no edge of `a` touches an edge of `b`.
pub fn rings_disjoint_edges(a: &[Pt], b: &[Pt]) -> bool {
    let (na, nb) = (a.len(), b.len());
    for i in 0..na {
        for j in 0..nb {
            if segments_touch(a[i], a[(i + 1) % na], b[j], b[(j + 1) % nb]) {
                return false;
            }
        }
    }
    true
}

/// Removes vertices that lie on the straight line between their neighbours.
pub fn drop_collinear(r: &mut Vec<Pt>) {
    let mut changed = true;
    while changed && r.len() > 3 {
        changed = false;
        let n = r.len();
        for i in 0..n {
            let (p, c, q) = (r[(i + n - 1) % n], r[i], r[(i + 1) % n]);
            if orient(p, c, q) == 0.0 || p == c {
                r.remove(i);
                changed = true;
                break;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f64, y0: f64, s: f64) -> Vec<Pt> {
        vec![(x0, y0), (x0 + s, y0), (x0 + s, y0 + s), (x0, y0 + s)]
    }

    #[test]
    fn shoelace_of_a_lattice_l_shape() {
        // 30 × 20 rectangle minus a 10 × 10 corner: 500 m².
        let l = vec![
            (0.0, 0.0),
            (30.0, 0.0),
            (30.0, 10.0),
            (20.0, 10.0),
            (20.0, 20.0),
            (0.0, 20.0),
        ];
        assert_eq!(ring_area(&l), 500.0);
        let mut cw = l.clone();
        cw.reverse();
        assert_eq!(ring_area(&cw), -500.0);
    }

    #[test]
    fn clip_of_a_concave_ring_keeps_exact_area() {
        // A "U" of width 30: 30 × 30 minus the 10 × 20 notch from the top = 700.
        let u = vec![
            (0.0, 0.0),
            (30.0, 0.0),
            (30.0, 30.0),
            (20.0, 30.0),
            (20.0, 10.0),
            (10.0, 10.0),
            (10.0, 30.0),
            (0.0, 30.0),
        ];
        assert_eq!(ring_area(&u), 700.0);
        // Top half y ≥ 15: the two prongs, 2 × 10 × 15 = 300.
        let r = Rect {
            x0: -5.0,
            y0: 15.0,
            x1: 35.0,
            y1: 40.0,
        };
        assert_eq!(ring_area(&clip_ring(&u, &r)), 300.0);
        let shape = Shape {
            parts: vec![Poly {
                outer: u,
                holes: vec![square(1.0, 1.0, 2.0)],
            }],
        };
        assert_eq!(shape.area(), 696.0);
        assert_eq!(
            shape.area_in_rect(&Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 2.0,
                y1: 2.0
            }),
            3.0
        );
    }

    #[test]
    fn crossings_are_inserted_on_the_lattice() {
        let tri = vec![(0.0, 0.0), (40.0, 0.0), (0.0, 30.0)];
        let r = insert_crossings(&tri, Line::X(20.0), 10.0);
        // Hypotenuse crosses x = 20 at y = 15 → rounded to 20 (ties away from zero).
        assert_eq!(
            r,
            vec![
                (0.0, 0.0),
                (20.0, 0.0),
                (40.0, 0.0),
                (20.0, 20.0),
                (0.0, 30.0)
            ]
        );
        assert!(ring_is_simple(&r));
        assert_eq!(ring_area(&r), ring_area(&tri) + 100.0);
    }

    #[test]
    fn simplicity_catches_bow_ties_and_spikes() {
        assert!(ring_is_simple(&square(0.0, 0.0, 10.0)));
        let bow = vec![(0.0, 0.0), (10.0, 10.0), (10.0, 0.0), (0.0, 10.0)];
        assert!(!ring_is_simple(&bow));
        let spike = vec![
            (0.0, 0.0),
            (10.0, 0.0),
            (20.0, 0.0),
            (10.0, 0.0),
            (0.0, 10.0),
        ];
        assert!(!ring_is_simple(&spike));
        let fold = vec![(0.0, 0.0), (20.0, 0.0), (10.0, 0.0), (10.0, 10.0)];
        assert!(!ring_is_simple(&fold));
    }

    #[test]
    fn containment_and_distance() {
        let s = Shape {
            parts: vec![Poly {
                outer: square(0.0, 0.0, 30.0),
                holes: vec![square(10.0, 10.0, 10.0)],
            }],
        };
        assert!(s.contains((5.0, 5.0)));
        assert!(!s.contains((15.0, 15.0)));
        assert_eq!(s.boundary_distance((15.0, 15.0)), 5.0);
        assert_eq!(segment_distance((0.0, 5.0), (1.0, 0.0), (1.0, 10.0)), 1.0);
    }
}
