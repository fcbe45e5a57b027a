//! A patch's cells → its exact outline: polygons whose edges are the cell edges
//! between the patch and the rest, with holes.
//!
//! Every boundary edge is directed with the patch on its right (in cell
//! coordinates, rows growing downwards): tops of runs run east, bottoms west, a
//! run's left end north, its right end south. Edges meet only at cell corners.
//! Walking from edge to edge traces closed rings: exteriors turn one way, holes the
//! other. At a corner where two cells of the patch touch only diagonally (a
//! "pinch", four edges meet), the walk turns towards the patch, so the two cells
//! end up in different rings that share that corner: every ring is simple, and
//! the polygons are valid (OGC: rings may touch at a point, never cross).
//!
//! Each hole goes to the smallest exterior that holds a cell next to it. Only
//! corners are kept (straight runs of edges are one segment).

use super::label::Run;
use crate::grid::GeoTransform;
use geo::{Coord, LineString, MultiPolygon, Polygon};

/// Direction of a boundary edge in cell coordinates (x east, y south).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Dir {
    E,
    S,
    W,
    N,
}

impl Dir {
    /// The direction after a right turn (clockwise on the screen).
    fn right(self) -> Dir {
        match self {
            Dir::E => Dir::S,
            Dir::S => Dir::W,
            Dir::W => Dir::N,
            Dir::N => Dir::E,
        }
    }
}

/// One boundary edge from `(x0, y0)` to `(x1, y1)` (cell corners).
#[derive(Debug, Clone, Copy)]
struct Edge {
    x0: i64,
    y0: i64,
    x1: i64,
    y1: i64,
    dir: Dir,
}

/// The traced outline of a patch.
#[derive(Debug, Clone)]
pub struct Outline {
    /// Polygons in map coordinates: exteriors counter-clockwise, holes clockwise.
    pub polygons: MultiPolygon<f64>,
    /// Number of holes.
    pub holes: usize,
    /// Length of every ring, map units.
    pub perimeter: f64,
}

/// `a − b` of two sorted lists of disjoint column ranges.
fn difference(a: &[(i64, i64)], b: &[(i64, i64)], out: &mut Vec<(i64, i64)>) {
    out.clear();
    let mut j = 0;
    for &(mut s, e) in a {
        while j < b.len() && b[j].1 <= s {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].0 < e {
            if b[k].0 > s {
                out.push((s, b[k].0));
            }
            s = s.max(b[k].1);
            k += 1;
        }
        if s < e {
            out.push((s, e));
        }
    }
}

fn key(x: i64, y: i64) -> (i64, i64) {
    (y, x)
}

/// Traces the outline of the cells `runs` (sorted by row, then column) on a grid
/// with transform `t` (axis-aligned).
pub fn trace(runs: &[Run], t: &GeoTransform) -> Outline {
    // Runs by row, as column ranges.
    let mut rows: Vec<(i64, Vec<(i64, i64)>)> = Vec::new();
    for r in runs {
        let (row, span) = (i64::from(r.row), (i64::from(r.c0), i64::from(r.c1)));
        match rows.last_mut() {
            Some((last, v)) if *last == row => v.push(span),
            _ => rows.push((row, vec![span])),
        }
    }
    let empty: Vec<(i64, i64)> = Vec::new();
    let mut edges: Vec<Edge> = Vec::new();
    let mut diff = Vec::new();
    for (k, (row, spans)) in rows.iter().enumerate() {
        let row = *row;
        let above = match k.checked_sub(1).and_then(|i| rows.get(i)) {
            Some((r, s)) if *r == row - 1 => s,
            _ => &empty,
        };
        let below = match rows.get(k + 1) {
            Some((r, s)) if *r == row + 1 => s,
            _ => &empty,
        };
        difference(spans, above, &mut diff);
        for &(a, b) in &diff {
            edges.push(Edge {
                x0: a,
                y0: row,
                x1: b,
                y1: row,
                dir: Dir::E,
            });
        }
        difference(spans, below, &mut diff);
        for &(a, b) in &diff {
            edges.push(Edge {
                x0: b,
                y0: row + 1,
                x1: a,
                y1: row + 1,
                dir: Dir::W,
            });
        }
        for &(a, b) in spans {
            edges.push(Edge {
                x0: a,
                y0: row + 1,
                x1: a,
                y1: row,
                dir: Dir::N,
            });
            edges.push(Edge {
                x0: b,
                y0: row,
                x1: b,
                y1: row + 1,
                dir: Dir::S,
            });
        }
    }
    // Outgoing edges by start corner.
    let mut starts: Vec<((i64, i64), u32)> = edges
        .iter()
        .enumerate()
        .map(|(i, e)| (key(e.x0, e.y0), i as u32))
        .collect();
    starts.sort_unstable();
    let next_of = |e: &Edge| -> usize {
        let k = key(e.x1, e.y1);
        let from = starts.partition_point(|s| s.0 < k);
        let outs: Vec<usize> = starts[from..]
            .iter()
            .take_while(|s| s.0 == k)
            .map(|s| s.1 as usize)
            .collect();
        match outs.as_slice() {
            [one] => *one,
            many => {
                // A pinch: turn towards the patch (right).
                let want = e.dir.right();
                many.iter()
                    .copied()
                    .find(|&i| edges[i].dir == want)
                    .unwrap_or(many[0])
            }
        }
    };
    let mut used = vec![false; edges.len()];
    // Rings in cell coordinates, corners only, with their signed doubled area.
    let mut rings: Vec<(Vec<(i64, i64)>, i64)> = Vec::new();
    let mut perimeter_cells = (0i64, 0i64);
    for start in 0..edges.len() {
        // Start on a horizontal edge: its ends are corners.
        if used[start] || !matches!(edges[start].dir, Dir::E | Dir::W) {
            continue;
        }
        let mut pts = Vec::new();
        let mut i = start;
        let mut prev_dir: Option<Dir> = None;
        loop {
            used[i] = true;
            let e = edges[i];
            if prev_dir != Some(e.dir) {
                pts.push((e.x0, e.y0));
            }
            match e.dir {
                Dir::E | Dir::W => perimeter_cells.0 += (e.x1 - e.x0).abs(),
                Dir::N | Dir::S => perimeter_cells.1 += (e.y1 - e.y0).abs(),
            }
            prev_dir = Some(e.dir);
            i = next_of(&e);
            if i == start {
                break;
            }
        }
        // A ring through a pinch twice (a hole reaching a corner of the outline, two
        // holes touching at a corner) is split there into simple rings.
        split_at_repeats(pts, &mut rings);
    }
    // Exteriors have the patch on the right going round: positive area here.
    let (exteriors, holes): (Vec<_>, Vec<_>) = rings.into_iter().partition(|r| r.1 > 0);
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); exteriors.len()];
    for (h, (pts, _)) in holes.iter().enumerate() {
        // A cell of the patch next to the hole: right of the ring's first edge.
        let (a, b) = (pts[0], pts[1]);
        let (ax, ay) = (a.0 as f64, a.1 as f64);
        let cell = match (b.0.cmp(&a.0), b.1.cmp(&a.1)) {
            (std::cmp::Ordering::Greater, _) => (ax + 0.5, ay + 0.5),
            (std::cmp::Ordering::Less, _) => (ax - 0.5, ay - 0.5),
            (_, std::cmp::Ordering::Greater) => (ax - 0.5, ay + 0.5),
            _ => (ax + 0.5, ay - 0.5),
        };
        let owner = exteriors
            .iter()
            .enumerate()
            .filter(|(_, (e, _))| contains(e, cell))
            .min_by_key(|(_, (_, area))| *area)
            .map(|(i, _)| i);
        if let Some(o) = owner {
            children[o].push(h);
        }
    }
    let to_map = |pts: &[(i64, i64)], exterior: bool| -> LineString<f64> {
        let mut coords: Vec<Coord<f64>> = pts
            .iter()
            .map(|&(c, r)| Coord {
                x: t.x0 + c as f64 * t.dx,
                y: t.y0 + r as f64 * t.dy,
            })
            .collect();
        coords.push(coords[0]);
        let mut ls = LineString(coords);
        let ccw = signed_area(&ls) > 0.0;
        if ccw != exterior {
            ls.0.reverse();
        }
        ls
    };
    let mut n_holes = 0;
    let polygons = exteriors
        .iter()
        .zip(&children)
        .map(|((pts, _), kids)| {
            n_holes += kids.len();
            Polygon::new(
                to_map(pts, true),
                kids.iter().map(|&h| to_map(&holes[h].0, false)).collect(),
            )
        })
        .collect();
    Outline {
        polygons: MultiPolygon(polygons),
        holes: n_holes,
        perimeter: perimeter_cells.0 as f64 * t.dx.abs() + perimeter_cells.1 as f64 * t.dy.abs(),
    }
}

/// Splits a closed ring of corners (first point not repeated at the end) at every
/// corner it visits twice, pushing each simple ring with its doubled signed area.
fn split_at_repeats(pts: Vec<(i64, i64)>, rings: &mut Vec<(Vec<(i64, i64)>, i64)>) {
    let mut stack: Vec<(i64, i64)> = Vec::with_capacity(pts.len());
    let mut seen: std::collections::HashMap<(i64, i64), usize> = std::collections::HashMap::new();
    for p in pts {
        if let Some(&at) = seen.get(&p) {
            // The loop since the first visit is a ring of its own.
            let ring: Vec<(i64, i64)> = stack.drain(at + 1..).collect();
            for q in &ring {
                seen.remove(q);
            }
            let mut ring = ring;
            ring.insert(0, p);
            push_ring(ring, rings);
        } else {
            seen.insert(p, stack.len());
            stack.push(p);
        }
    }
    push_ring(stack, rings);
}

fn push_ring(pts: Vec<(i64, i64)>, rings: &mut Vec<(Vec<(i64, i64)>, i64)>) {
    // Corners only: drop a point between two collinear segments (a split can
    // leave one where the loop was cut off).
    let n = pts.len();
    let pts: Vec<(i64, i64)> = (0..n)
        .filter(|&k| {
            let (a, b, c) = (pts[(k + n - 1) % n], pts[k], pts[(k + 1) % n]);
            (b.0 - a.0) * (c.1 - b.1) - (b.1 - a.1) * (c.0 - b.0) != 0
        })
        .map(|k| pts[k])
        .collect();
    if pts.len() < 4 {
        return;
    }
    let area2: i64 = (0..pts.len())
        .map(|k| {
            let (a, b) = (pts[k], pts[(k + 1) % pts.len()]);
            a.0 * b.1 - b.0 * a.1
        })
        .sum();
    rings.push((pts, area2));
}

/// The signed area of a closed ring (positive counter-clockwise).
fn signed_area(ls: &LineString<f64>) -> f64 {
    ls.0.windows(2)
        .map(|w| w[0].x * w[1].y - w[1].x * w[0].y)
        .sum::<f64>()
        / 2.0
}

/// Whether the point `p` (at half-integers: never on a ring) is inside `ring`.
fn contains(ring: &[(i64, i64)], p: (f64, f64)) -> bool {
    let mut inside = false;
    for k in 0..ring.len() {
        let (a, b) = (ring[k], ring[(k + 1) % ring.len()]);
        let (ax, ay, bx, by) = (a.0 as f64, a.1 as f64, b.0 as f64, b.1 as f64);
        if (ay > p.1) != (by > p.1) {
            let x = ax + (p.1 - ay) * (bx - ax) / (by - ay);
            if p.0 < x {
                inside = !inside;
            }
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::label::runs_of;
    use geo::{Area, Validation};

    fn unit() -> GeoTransform {
        GeoTransform {
            x0: 0.0,
            y0: 0.0,
            dx: 1.0,
            dy: -1.0,
            rx: 0.0,
            ry: 0.0,
        }
    }

    fn runs(picture: &[&str]) -> Vec<Run> {
        let mut out = Vec::new();
        for (r, line) in picture.iter().enumerate() {
            let cells: Vec<u8> = line.bytes().map(|b| u8::from(b == b'#')).collect();
            runs_of(r as u32, &cells, 1, &mut out);
        }
        out
    }

    fn check(picture: &[&str], polygons: usize, holes: usize, corners: usize) -> Outline {
        let o = trace(&runs(picture), &unit());
        let cells = picture
            .iter()
            .flat_map(|l| l.bytes())
            .filter(|&b| b == b'#')
            .count();
        assert_eq!(o.polygons.unsigned_area(), cells as f64, "{picture:?}");
        assert_eq!(o.polygons.signed_area(), cells as f64, "exteriors ccw");
        assert_eq!(
            (o.polygons.0.len(), o.holes),
            (polygons, holes),
            "{picture:?}"
        );
        let n: usize = o
            .polygons
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(|r| r.0.len() - 1)
            .sum();
        assert_eq!(n, corners, "{picture:?}");
        assert!(o.polygons.is_valid(), "{picture:?}: {:?}", o.polygons);
        o
    }

    #[test]
    fn a_cell_a_rectangle_and_an_l() {
        let o = check(&["#"], 1, 0, 4);
        assert_eq!(o.perimeter, 4.0);
        check(&["###", "###"], 1, 0, 4);
        check(&["#..", "#..", "###"], 1, 0, 6);
    }

    #[test]
    fn a_ring_has_a_hole_and_an_island_is_its_own_polygon() {
        let o = check(&["#####", "#...#", "#...#", "#####"], 1, 1, 8);
        assert_eq!(o.perimeter, 18.0 + 10.0);
        // The island inside the hole (traced together, as 8-connectivity never
        // joins them here) is a second polygon; the hole stays with the ring.
        check(&["#####", "#...#", "#.#.#", "#...#", "#####"], 2, 1, 12);
    }

    #[test]
    fn diagonal_contacts_make_rings_that_touch_at_a_corner() {
        // Two cells touching at a corner: two squares sharing one vertex.
        check(&["#.", ".#"], 2, 0, 8);
        check(&[".#", "#."], 2, 0, 8);
        // A hole whose corner touches the outside: a ring pinched at a corner.
        check(&["###.", "#.#.", "##.#", "...#"], 2, 1, 14);
        // A cell in the hole's corner: an L-shaped hole.
        check(&["#####", "#...#", "#...#", "#..##", "#####"], 1, 1, 10);
        check(
            &["######", "#....#", "#.#..#", "#....#", "######"],
            2,
            1,
            12,
        );
    }

    #[test]
    fn map_coordinates_follow_the_transform() {
        let t = GeoTransform {
            x0: 500_000.0,
            y0: 4_800_000.0,
            dx: 10.0,
            dy: -10.0,
            rx: 0.0,
            ry: 0.0,
        };
        let o = trace(
            &[Run {
                row: 2,
                c0: 3,
                c1: 5,
            }],
            &t,
        );
        let ext: Vec<(f64, f64)> = o.polygons.0[0]
            .exterior()
            .0
            .iter()
            .map(|c| (c.x, c.y))
            .collect();
        assert_eq!(o.polygons.unsigned_area(), 200.0);
        assert!(ext.contains(&(500_030.0, 4_799_980.0)) && ext.contains(&(500_050.0, 4_799_970.0)));
        assert_eq!(o.perimeter, 60.0);
    }
}
