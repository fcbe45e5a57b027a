//! The area of a cell to the left of the traversals inside it.
//!
//! For a counter-clockwise ring the covered part of a crossed cell lies to the left of
//! its traversals. That region is cut into pieces, each bounded by traversals and arcs
//! of the cell boundary: follow a traversal to its exit, then walk the boundary
//! counter-clockwise to the nearest entry of a traversal, follow that one, and so on
//! until the chain returns to where it started. Each closed chain is a polygon whose
//! shoelace area is one piece:
//!
//! ```text
//!   3 +------x-----+ 2     a traversal enters at e (ColMin side) and leaves at x
//!     | left/      |       (RowMax side). From x the boundary is walked ccw
//!     |    /       |       (towards corner 3) until it meets an entry: here e.
//!     e---·        |       The chain e → · → x → 3 → e encloses the covered part.
//!     |            |
//!   0 +------------+ 1
//! ```
//!
//! Closed traversals (a ring inside one cell) add their own area. Coordinates are taken
//! relative to the cell's corner, so the areas are exact to a few ulps of 1.

use geo::Coord;

use super::cell::CellBox;
use super::crossing::Crossing;
use super::perimeter::{ccw_gap, corners_between, distance, PERIMETER};
use super::side::Side;
use super::traversal::{Traversal, Traversals};
use crate::area::Shoelace;

/// Reusable buffers for [`left_area`] (per traversal of a cell: a flag and the
/// boundary position of its entry).
#[derive(Debug, Default)]
pub struct LeftAreaScratch {
    visited: Vec<bool>,
    entry_at: Vec<Option<f64>>,
}

/// Area of the unit cell `cell` left of `group` (all of its traversals), in `[0, 1]`.
pub fn left_area(
    cell: &CellBox,
    group: &[Traversal],
    all: &Traversals,
    scratch: &mut LeftAreaScratch,
) -> f64 {
    if let [t] = group {
        if let (Some(entry), Some(exit)) = (t.entry, t.exit) {
            return single(cell, t, entry.side, entry.point, exit, all);
        }
    }
    let origin = Coord {
        x: cell.xmin,
        y: cell.ymin,
    };
    scratch.visited.clear();
    scratch.visited.resize(group.len(), false);
    // Entry positions, computed once: `next_entry` looks at all of them at each step.
    scratch.entry_at.clear();
    scratch
        .entry_at
        .extend(group.iter().map(|t| match (t.entry, t.exit) {
            (Some(entry), Some(_)) => Some(distance(cell, entry.side, entry.point)),
            _ => None,
        }));
    let mut total = 0.0;

    for (start, t) in group.iter().enumerate() {
        if t.entry.is_none() || t.exit.is_none() {
            // A closed ring inside the cell.
            let mut s = Shoelace::new(origin);
            s.extend(all.points_of(t));
            total += s.area();
            if let Some(v) = scratch.visited.get_mut(start) {
                *v = true;
            }
        }
    }

    for start in 0..group.len() {
        if scratch.visited.get(start).copied().unwrap_or(true) {
            continue;
        }
        let mut chain = Shoelace::new(origin);
        let mut cur = start;
        // Each step visits a new traversal; the bound only guards invalid input.
        for _ in 0..=group.len() {
            let Some(t) = group.get(cur) else { break };
            if let Some(v) = scratch.visited.get_mut(cur) {
                *v = true;
            }
            chain.extend(all.points_of(t));
            let Some(exit) = t.exit else { break };
            let from = distance(cell, exit.side, exit.point);
            let Some((next, gap)) = next_entry(cell, group, &scratch.entry_at, all, cur, from)
            else {
                break;
            };
            corners_between(cell, from, gap, |p| chain.push(p));
            if next == start || scratch.visited.get(next).copied().unwrap_or(true) {
                break;
            }
            cur = next;
        }
        total += chain.area();
    }
    total.clamp(0.0, 1.0)
}

/// [`left_area`] of a cell crossed by one traversal, entering at `entry_point` on
/// `entry_side` and leaving at `exit` (the common case): the same steps without the
/// bookkeeping of several chains.
fn single(
    cell: &CellBox,
    t: &Traversal,
    entry_side: Side,
    entry_point: Coord<f64>,
    exit: Crossing,
    all: &Traversals,
) -> f64 {
    let mut chain = Shoelace::new(Coord {
        x: cell.xmin,
        y: cell.ymin,
    });
    chain.extend(all.points_of(t));
    let from = distance(cell, exit.side, exit.point);
    let mut gap = ccw_gap(from, distance(cell, entry_side, entry_point));
    if gap == 0.0 && loop_area(cell, t, all) < 0.0 {
        gap = PERIMETER;
    }
    corners_between(cell, from, gap, |p| chain.push(p));
    let mut total = 0.0;
    total += chain.area();
    total.clamp(0.0, 1.0)
}

/// The traversal whose entry comes first counter-clockwise from boundary position
/// `from` (the exit of traversal `cur`), and the boundary gap to it. `entry_at` holds
/// each traversal's entry position (`None` for a closed one).
fn next_entry(
    cell: &CellBox,
    group: &[Traversal],
    entry_at: &[Option<f64>],
    all: &Traversals,
    cur: usize,
    from: f64,
) -> Option<(usize, f64)> {
    let mut best: Option<(usize, f64)> = None;
    for (j, (t, at)) in group.iter().zip(entry_at).enumerate() {
        let Some(at) = *at else {
            continue;
        };
        let mut gap = ccw_gap(from, at);
        if j == cur && gap == 0.0 && loop_area(cell, t, all) < 0.0 {
            // The traversal leaves where it entered. A clockwise loop has the cell
            // outside it on its left: go once round the boundary before closing.
            gap = PERIMETER;
        }
        if best.is_none_or(|(_, g)| gap < g) {
            best = Some((j, gap));
        }
    }
    best
}

/// Signed area of a traversal's points closed on themselves.
fn loop_area(cell: &CellBox, t: &Traversal, all: &Traversals) -> f64 {
    let mut s = Shoelace::new(Coord {
        x: cell.xmin,
        y: cell.ymin,
    });
    s.extend(all.points_of(t));
    s.area()
}

#[cfg(test)]
mod tests {
    use super::*;

    const CELL: CellBox = CellBox {
        xmin: 0.0,
        xmax: 1.0,
        ymin: 0.0,
        ymax: 1.0,
    };

    fn c(x: f64, y: f64) -> Coord<f64> {
        Coord { x, y }
    }

    /// One traversal for [`make`]: its points, entry side and exit side.
    type Part<'a> = (&'a [(f64, f64)], Side, Side);

    /// Builds traversals of cell [0,1]² from point lists with entry/exit sides.
    fn make(parts: &[Part]) -> Traversals {
        let mut all = Traversals::default();
        for (pts, s_in, s_out) in parts {
            let start = all.points.len();
            all.points.extend(pts.iter().map(|&(x, y)| c(x, y)));
            let first = all.points[start];
            let last = *all.points.last().unwrap();
            all.list.push(Traversal {
                cell: (1, 1),
                start,
                end: all.points.len(),
                entry: Some(Crossing {
                    point: first,
                    side: *s_in,
                }),
                exit: Some(Crossing {
                    point: last,
                    side: *s_out,
                }),
            });
        }
        all
    }

    fn area_of(all: &Traversals) -> f64 {
        left_area(&CELL, &all.list, all, &mut LeftAreaScratch::default())
    }

    #[test]
    fn vertical_cut_keeps_the_left_part() {
        // Going up (+y) at x = 0.25: the left is x < 0.25.
        let all = make(&[(&[(0.25, 0.0), (0.25, 1.0)], Side::RowMin, Side::RowMax)]);
        assert!((area_of(&all) - 0.25).abs() < 1e-15);
        // Going down at x = 0.25: the left is x > 0.25.
        let all = make(&[(&[(0.25, 1.0), (0.25, 0.0)], Side::RowMax, Side::RowMin)]);
        assert!((area_of(&all) - 0.75).abs() < 1e-15);
    }

    #[test]
    fn corner_cut_as_in_the_figure() {
        // Enters at (0, 0.5) on ColMin, leaves at (0.75, 1) on RowMax.
        let all = make(&[(&[(0.0, 0.5), (0.75, 1.0)], Side::ColMin, Side::RowMax)]);
        // Left region: triangle (0,.5) (.75,1) (0,1): 0.5 · 0.75 · 0.5.
        assert!((area_of(&all) - 0.1875).abs() < 1e-15);
    }

    #[test]
    fn two_traversals_bound_a_strip() {
        // Up at x = 0.75, down at x = 0.25 (a ccw strip 0.25 < x < 0.75).
        let all = make(&[
            (&[(0.75, 0.0), (0.75, 1.0)], Side::RowMin, Side::RowMax),
            (&[(0.25, 1.0), (0.25, 0.0)], Side::RowMax, Side::RowMin),
        ]);
        assert!((area_of(&all) - 0.5).abs() < 1e-15);
    }

    #[test]
    fn two_traversals_cutting_opposite_corners() {
        // Down-right cut near corner 0 and up-left cut near corner 2, both ccw around
        // the middle band: covered = 1 - two corner triangles of 1/8.
        let all = make(&[
            (&[(0.0, 0.5), (0.5, 0.0)], Side::ColMin, Side::RowMin),
            (&[(1.0, 0.5), (0.5, 1.0)], Side::ColMax, Side::RowMax),
        ]);
        assert!((area_of(&all) - 0.75).abs() < 1e-15);
    }

    #[test]
    fn traversal_along_the_boundary() {
        // Up along the ColMax side: the whole cell is on the left.
        let all = make(&[(&[(1.0, 0.0), (1.0, 1.0)], Side::ColMax, Side::ColMax)]);
        assert_eq!(area_of(&all), 1.0);
        // Up along the ColMin side: nothing of the cell is on the left.
        let all = make(&[(&[(0.0, 0.0), (0.0, 1.0)], Side::ColMin, Side::ColMin)]);
        assert_eq!(area_of(&all), 0.0);
    }

    #[test]
    fn loop_leaving_where_it_entered() {
        // Counter-clockwise loop from (0.5, 0) back to (0.5, 0): covers its inside.
        let ccw = make(&[(
            &[(0.5, 0.0), (1.0, 0.5), (0.5, 1.0), (0.5, 0.0)],
            Side::RowMin,
            Side::RowMin,
        )]);
        assert!((area_of(&ccw) - 0.25).abs() < 1e-15);
        // Clockwise loop: covers the cell outside it.
        let cw = make(&[(
            &[(0.5, 0.0), (0.5, 1.0), (1.0, 0.5), (0.5, 0.0)],
            Side::RowMin,
            Side::RowMin,
        )]);
        assert!((area_of(&cw) - 0.75).abs() < 1e-15);
    }
}
