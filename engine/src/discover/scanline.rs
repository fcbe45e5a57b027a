//! Polygons over the grid by cell centre, one row at a time: which cells of row
//! `r` have their centre inside a layer (footprints, the area of interest, an
//! exclusion layer).
//!
//! A scanline fill with an active edge table: the edges are sorted once by the
//! first row whose centre line they cross, so a row costs the edges that cross it,
//! not the layer's size. The rule is non-zero winding over every ring of the layer,
//! oriented (exteriors one way, holes the other), so overlapping polygons are a
//! union and a hole of one polygon lying on another is still covered.
//!
//! A cell whose centre lies exactly on an edge is inside when the edge is a
//! polygon's left edge (the span of a row is `[x_in, x_out)` along the centre line)
//! and, on a horizontal edge, when the edge is the polygon's top (the crossing test
//! is `y_min ≤ y < y_max`), the usual half-open rule of scanline fills.

use crate::grid::Grid;
use geo::algorithm::orient::Direction;
use geo::{MultiPolygon, Orient};

/// One edge in cell coordinates (column, row), with its winding direction.
#[derive(Debug, Clone, Copy)]
struct Edge {
    /// The end with the smaller row coordinate.
    x0: f64,
    y0: f64,
    /// dx / dy along the edge.
    slope: f64,
    /// The larger row coordinate.
    y1: f64,
    /// +1 or −1.
    wind: i32,
    /// First grid row whose centre line `r + 0.5` is ≥ `y0`.
    first_row: i64,
}

/// Row-by-row centre-rule fill of one layer's polygons over a grid.
#[derive(Debug, Clone)]
pub struct Scanline {
    width: usize,
    /// Edges by `first_row`.
    edges: Vec<Edge>,
    /// Next edge of `edges` to activate.
    next: usize,
    /// Indices of edges that may cross the rows from here on.
    active: Vec<usize>,
    /// Crossings of the current row (x, winding), reused.
    crossings: Vec<(f64, i32)>,
    /// The spans of the last row asked.
    spans: Vec<(usize, usize)>,
    /// The last row asked (rows must be asked in increasing order).
    last_row: Option<usize>,
}

impl Scanline {
    /// The fill of `layer` (in the grid's CRS) over `grid` (axis-aligned).
    pub fn new(layer: &MultiPolygon<f64>, grid: &Grid) -> Scanline {
        let t = grid.transform;
        // Exteriors counter-clockwise and holes clockwise in map coordinates; the
        // map → cell mapping may mirror them all, which non-zero winding ignores.
        let oriented = layer.orient(Direction::Default);
        let mut edges = Vec::new();
        let to_cell = |x: f64, y: f64| ((x - t.x0) / t.dx, (y - t.y0) / t.dy);
        for poly in &oriented {
            for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
                for seg in ring.0.windows(2) {
                    let (a, b) = (to_cell(seg[0].x, seg[0].y), to_cell(seg[1].x, seg[1].y));
                    if !(a.0.is_finite() && a.1.is_finite() && b.0.is_finite() && b.1.is_finite())
                        || a.1 == b.1
                    {
                        // Horizontal edges cross no centre line (half-open rows).
                        continue;
                    }
                    let (lo, hi, wind) = if a.1 < b.1 { (a, b, 1) } else { (b, a, -1) };
                    edges.push(Edge {
                        x0: lo.0,
                        y0: lo.1,
                        slope: (hi.0 - lo.0) / (hi.1 - lo.1),
                        y1: hi.1,
                        wind,
                        first_row: (lo.1 - 0.5).ceil().max(-1.0) as i64,
                    });
                }
            }
        }
        edges.sort_by_key(|e| e.first_row);
        Scanline {
            width: grid.width,
            edges,
            next: 0,
            active: Vec::new(),
            crossings: Vec::new(),
            spans: Vec::new(),
            last_row: None,
        }
    }

    /// True when the layer has no edge at all (nothing is ever inside).
    pub fn is_empty(&self) -> bool {
        self.edges.is_empty()
    }

    /// The cells of `row` whose centre is inside, as sorted, disjoint column
    /// ranges `[start, end)`. Rows must be asked in increasing order (a row may be
    /// asked again); skipped rows cost nothing.
    pub fn row(&mut self, row: usize) -> &[(usize, usize)] {
        if self.last_row == Some(row) {
            return &self.spans;
        }
        debug_assert!(self.last_row.is_none_or(|r| r < row), "rows go down");
        self.last_row = Some(row);
        let y = row as f64 + 0.5;
        while let Some(e) = self.edges.get(self.next) {
            if e.first_row > row as i64 {
                break;
            }
            self.active.push(self.next);
            self.next += 1;
        }
        let edges = &self.edges;
        // Edges whose last row is above this one never cross again.
        self.active.retain(|&i| edges[i].y1 > y);
        self.crossings.clear();
        for &i in &self.active {
            let e = &edges[i];
            if e.y0 <= y && y < e.y1 {
                self.crossings.push((e.x0 + (y - e.y0) * e.slope, e.wind));
            }
        }
        self.crossings.sort_by(|a, b| a.0.total_cmp(&b.0));
        self.spans.clear();
        let mut winding = 0;
        let mut start = 0.0;
        for &(x, w) in &self.crossings {
            let before = winding;
            winding += w;
            if before == 0 && winding != 0 {
                start = x;
            } else if before != 0 && winding == 0 {
                // Cells whose centre c + 0.5 lies in [start, x).
                let c0 = (start - 0.5).ceil().max(0.0);
                let c1 = (x - 0.5).ceil().min(self.width as f64);
                if c1 > c0 {
                    let (c0, c1) = (c0 as usize, c1 as usize);
                    match self.spans.last_mut() {
                        Some(last) if last.1 >= c0 => last.1 = last.1.max(c1),
                        _ => self.spans.push((c0, c1)),
                    }
                }
            }
        }
        &self.spans
    }
}

/// Sets `out[c] = value` for every cell of `spans` where `keep(out[c])` holds.
#[inline]
pub fn paint_spans(out: &mut [u8], spans: &[(usize, usize)], value: u8, keep: impl Fn(u8) -> bool) {
    for &(a, b) in spans {
        if let Some(s) = out.get_mut(a..b.min(out.len())) {
            for v in s {
                if keep(*v) {
                    *v = value;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::GeoTransform;
    use geo::polygon;

    fn grid(w: usize, h: usize) -> Grid {
        Grid {
            width: w,
            height: h,
            transform: GeoTransform {
                x0: 1000.0,
                y0: 2000.0,
                dx: 10.0,
                dy: -10.0,
                rx: 0.0,
                ry: 0.0,
            },
        }
    }

    /// A polygon given in cell coordinates (col, row).
    fn cells(rings: &[&[(f64, f64)]]) -> geo::Polygon<f64> {
        let map = |r: &[(f64, f64)]| {
            geo::LineString::from(
                r.iter()
                    .map(|&(c, w)| (1000.0 + 10.0 * c, 2000.0 - 10.0 * w))
                    .collect::<Vec<_>>(),
            )
        };
        geo::Polygon::new(map(rings[0]), rings[1..].iter().map(|r| map(r)).collect())
    }

    #[test]
    fn a_square_with_a_hole_by_cell_centre() {
        // Cells 1..5 across and down, minus the hole over cell (2, 2); edges at
        // 0.8 and 5.2 put centres 1.5 … 4.5 inside (0.5 and 5.5 outside).
        let p = cells(&[
            &[(0.8, 0.8), (5.2, 0.8), (5.2, 5.2), (0.8, 5.2), (0.8, 0.8)],
            &[(1.9, 1.9), (3.1, 1.9), (3.1, 3.1), (1.9, 3.1), (1.9, 1.9)],
        ]);
        let mut s = Scanline::new(&MultiPolygon(vec![p]), &grid(8, 8));
        assert_eq!(s.row(0), &[]);
        assert_eq!(s.row(1), &[(1, 5)]);
        // The hole holds the centre (2.5, 2.5) only.
        assert_eq!(s.row(2), &[(1, 2), (3, 5)]);
        assert_eq!(s.row(3), &[(1, 5)]);
        assert_eq!(s.row(4), &[(1, 5)]);
        assert_eq!(s.row(5), &[]);
    }

    #[test]
    fn overlapping_polygons_are_a_union_and_spans_are_clipped() {
        let a = cells(&[&[
            (-3.0, 0.0),
            (2.2, 0.0),
            (2.2, 1.0),
            (-3.0, 1.0),
            (-3.0, 0.0),
        ]]);
        let b = cells(&[&[(1.0, 0.0), (9.0, 0.0), (9.0, 1.0), (1.0, 1.0), (1.0, 0.0)]]);
        let mut s = Scanline::new(&MultiPolygon(vec![a, polygon_rev(b)]), &grid(6, 2));
        assert_eq!(s.row(0), &[(0, 6)]);
        assert_eq!(s.row(1), &[]);
    }

    fn polygon_rev(p: geo::Polygon<f64>) -> geo::Polygon<f64> {
        let mut ext = p.exterior().clone();
        ext.0.reverse();
        geo::Polygon::new(ext, vec![])
    }

    #[test]
    fn a_centre_on_an_edge_is_half_open() {
        // Left edge through the centres of column 1, right edge through column 3:
        // column 1 is in, column 3 out. Top edge at row 1's centre line: in.
        let p = cells(&[&[(1.5, 1.5), (3.5, 1.5), (3.5, 2.5), (1.5, 2.5), (1.5, 1.5)]]);
        let mut s = Scanline::new(&MultiPolygon(vec![p]), &grid(5, 4));
        assert_eq!(s.row(1), &[(1, 3)]);
        assert_eq!(s.row(2), &[]);
        let _ = polygon![(x: 0.0, y: 0.0)];
    }
}
