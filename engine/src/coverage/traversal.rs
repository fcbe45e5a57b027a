//! Walking a ring through the cells of a padded window.
//!
//! The ring is followed vertex by vertex. While the next vertex lies in the current
//! (closed) cell it is appended to the current *traversal*; otherwise the segment's
//! exit [`Crossing`] ends the traversal, and a new one starts in the neighbouring cell
//! at the same point. A traversal is thus the part of the ring inside one cell, from
//! the point where it enters to the point where it leaves:
//!
//! ```text
//!   +---------+---------+
//!   |    ·----x----·    |      x = crossing: exit of the left cell's traversal
//!   |   /     |     \   |          and entry of the right cell's traversal
//!   +--x------+------x--+
//! ```
//!
//! Traversals whose points all coincide (a ring grazing a cell corner) are dropped: they
//! enclose nothing and must not mark the cell as crossed. The ring's first vertex
//! usually lies inside a traversal; the last traversal (which ends at that vertex) and
//! the first one (which starts there) are then joined into one. A ring that never
//! leaves its first cell gives one *closed* traversal, without entry or exit.

use geo::Coord;

use super::cell::{PaddedCell, PaddedGrid};
use super::crossing::{exit_crossing, Crossing};

/// The part of a ring inside one cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traversal {
    /// The padded cell it lies in.
    pub cell: PaddedCell,
    /// Start of its points in [`Traversals::points`].
    pub start: usize,
    /// End (exclusive) of its points in [`Traversals::points`].
    pub end: usize,
    /// Where it enters the cell (`None` only for a closed ring inside the cell).
    pub entry: Option<Crossing>,
    /// Where it leaves the cell (`None` only for a closed ring inside the cell).
    pub exit: Option<Crossing>,
}

/// The traversals of one ring, with their points in one shared buffer.
#[derive(Debug, Default)]
pub struct Traversals {
    /// Points of all traversals; each traversal owns the range `start..end`.
    pub points: Vec<Coord<f64>>,
    /// The traversals, in walking order (increasing `start`) until
    /// [`Traversals::sort_by_cell`].
    pub list: Vec<Traversal>,
    /// Scratch for the counting sort: the list sorted by column.
    spare: Vec<Traversal>,
    /// Scratch for the counting sort: one counter per column or row.
    counts: Vec<usize>,
}

/// A traversal being built: its cell, first point and entry.
#[derive(Debug, Clone, Copy)]
struct Open {
    cell: PaddedCell,
    start: usize,
    entry: Option<Crossing>,
}

/// Most traversals one ring may produce (about 2 GiB of traversals and points).
pub const MAX_TRAVERSALS: usize = 1 << 24;

/// Why a walk stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WalkFailed {
    /// The walk did not progress (a numerical failure; never expected).
    NoProgress,
    /// The ring crosses more than [`MAX_TRAVERSALS`] cell boundaries.
    TooManyCrossings,
}

impl Traversals {
    /// Empties the buffers, keeping their capacity.
    pub fn clear(&mut self) {
        self.points.clear();
        self.list.clear();
    }

    /// The points of one traversal.
    pub fn points_of(&self, t: &Traversal) -> &[Coord<f64>] {
        self.points.get(t.start..t.end).unwrap_or(&[])
    }

    /// Sorts the traversals by cell (row, then column, then `start`), so each cell's
    /// are adjacent and in walking order.
    pub fn sort_by_cell(&mut self) {
        let n = self.list.len();
        if n < 2 {
            return;
        }
        // The radix passes below are stable: they need the list in `start` order,
        // which `trace` leaves it in.
        if !self.list.windows(2).all(|p| p[0].start < p[1].start) {
            self.list.sort_unstable_by_key(|t| t.start);
        }
        let (max_col, max_row) = self
            .list
            .iter()
            .fold((0, 0), |(c, r), t| (c.max(t.cell.0), r.max(t.cell.1)));
        // Counting costs one counter per column/row: only when that is O(n).
        let limit = n.saturating_mul(4).saturating_add(64);
        if max_col > limit || max_row > limit {
            self.list
                .sort_unstable_by_key(|t| (t.cell.1, t.cell.0, t.start));
            return;
        }
        // Two stable counting passes (least significant key first): by column into
        // `spare`, then by row back into `list`. Linear, where a comparison sort of
        // these 80-byte records was a sixth of the coverage time.
        scatter(
            &self.list,
            &mut self.spare,
            &mut self.counts,
            max_col,
            |t| t.cell.0,
        );
        scatter(
            &self.spare,
            &mut self.list,
            &mut self.counts,
            max_row,
            |t| t.cell.1,
        );
    }

    /// Walks the open ring `ring` (first vertex not repeated at the end, in local index
    /// space) through `grid`, replacing the current contents.
    pub fn trace(&mut self, ring: &[Coord<f64>], grid: &PaddedGrid) -> Result<(), WalkFailed> {
        self.clear();
        let Some(&first) = ring.first() else {
            return Ok(());
        };
        let guard = grid.max_steps();
        let mut open = Open {
            cell: grid.locate(first),
            start: 0,
            entry: None,
        };
        self.points.push(first);
        // Index in `list` of the traversal starting at `first` (if it was kept), and
        // whether that first traversal has been closed yet.
        let mut first_kept: Option<usize> = None;
        let mut first_closed = false;

        // The current cell's rectangle, recomputed only when the walk moves on.
        let mut cell_box = grid.cell_box(open.cell);
        let segments = ring.iter().zip(ring.iter().skip(1).chain(ring.first()));
        for (&a, &q) in segments {
            let mut steps = 0usize;
            loop {
                let Some(exit) = exit_crossing(&cell_box, a, q) else {
                    self.points.push(q);
                    break;
                };
                steps += 1;
                if steps > guard {
                    return Err(WalkFailed::NoProgress);
                }
                if self.list.len() >= MAX_TRAVERSALS {
                    return Err(WalkFailed::TooManyCrossings);
                }
                self.points.push(exit.point);
                let kept = self.finish(open, Some(exit));
                // A first vertex on a cell side may be located in the cell the ring
                // does not enter: that traversal is only `first` and is dropped, and the
                // next one (starting at `first`) is the one the last must join.
                if !first_closed && (kept.is_some() || exit.point != first) {
                    first_closed = true;
                    first_kept = kept;
                }
                let next = grid
                    .neighbour(open.cell, exit.side)
                    .ok_or(WalkFailed::NoProgress)?;
                cell_box = grid.cell_box(next);
                open = Open {
                    cell: next,
                    start: self.points.len(),
                    entry: Some(Crossing {
                        point: exit.point,
                        side: exit.side.opposite(),
                    }),
                };
                self.points.push(exit.point);
            }
        }

        if !first_closed {
            // Never left the first cell: one closed traversal.
            self.finish(open, None);
            return Ok(());
        }
        // `open` ends at `first`, where the first traversal began.
        match first_kept {
            Some(i) if self.list.get(i).is_some_and(|t| t.cell == open.cell) => {
                self.join(open, i);
            }
            _ => {
                let exit_side = grid.cell_box(open.cell).nearest_side(first);
                self.finish(
                    open,
                    Some(Crossing {
                        point: first,
                        side: exit_side,
                    }),
                );
                if let Some(t) = first_kept.and_then(|i| self.list.get_mut(i)) {
                    let side = grid.cell_box(t.cell).nearest_side(first);
                    t.entry = Some(Crossing { point: first, side });
                }
            }
        }
        Ok(())
    }

    /// Ends traversal `open` at the last pushed point; keeps it unless degenerate.
    /// Returns its index in `list` when kept.
    fn finish(&mut self, open: Open, exit: Option<Crossing>) -> Option<usize> {
        let end = self.points.len();
        let pts = self.points.get(open.start..end).unwrap_or(&[]);
        let degenerate = match pts.first() {
            Some(p0) => pts.iter().all(|p| p == p0),
            None => true,
        };
        if degenerate {
            self.points.truncate(open.start);
            return None;
        }
        self.list.push(Traversal {
            cell: open.cell,
            start: open.start,
            end,
            entry: open.entry,
            exit,
        });
        Some(self.list.len() - 1)
    }

    /// Joins the last traversal `open` (ending at the ring's first vertex) with the
    /// first traversal `list[i]` (starting there), in the same cell.
    fn join(&mut self, open: Open, i: usize) {
        let Some(first) = self.list.get(i).copied() else {
            return;
        };
        // Skip the first traversal's first point: it repeats `open`'s last one.
        self.points
            .extend_from_within(first.start.saturating_add(1).min(first.end)..first.end);
        if let Some(t) = self.list.get_mut(i) {
            *t = Traversal {
                cell: open.cell,
                start: open.start,
                end: self.points.len(),
                entry: open.entry,
                exit: first.exit,
            };
        }
        // The joined traversal now starts last: move it to the end so the list stays
        // in `start` order.
        if let Some(tail) = self.list.get_mut(i..) {
            tail.rotate_left(1);
        }
    }
}

/// Stable counting sort of `src` into `dst` by `key` (every key `<= max_key`).
fn scatter(
    src: &[Traversal],
    dst: &mut Vec<Traversal>,
    counts: &mut Vec<usize>,
    max_key: usize,
    key: impl Fn(&Traversal) -> usize,
) {
    counts.clear();
    counts.resize(max_key.saturating_add(1), 0);
    for t in src {
        if let Some(c) = counts.get_mut(key(t)) {
            *c += 1;
        }
    }
    // Each counter becomes the first slot of its key.
    let mut next = 0;
    for c in counts.iter_mut() {
        let here = *c;
        *c = next;
        next += here;
    }
    // Sized by a copy (a memmove), then every slot overwritten.
    dst.clear();
    dst.extend_from_slice(src);
    for t in src {
        if let Some(slot) = counts.get_mut(key(t)) {
            if let Some(d) = dst.get_mut(*slot) {
                *d = *t;
            }
            *slot += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::coverage::side::Side;

    fn ring(pts: &[(f64, f64)]) -> Vec<Coord<f64>> {
        pts.iter().map(|&(x, y)| Coord { x, y }).collect()
    }

    #[test]
    fn ring_inside_one_cell_is_closed() {
        let g = PaddedGrid {
            width: 2,
            height: 2,
        };
        let mut t = Traversals::default();
        t.trace(&ring(&[(0.2, 0.2), (0.8, 0.2), (0.5, 0.9)]), &g)
            .unwrap();
        assert_eq!(t.list.len(), 1);
        let tr = t.list[0];
        assert_eq!(tr.cell, (1, 1));
        assert!(tr.entry.is_none() && tr.exit.is_none());
        assert_eq!(t.points_of(&tr).len(), 4);
    }

    #[test]
    fn square_over_two_cells_joins_first_and_last() {
        // Rectangle [0.5, 1.5] × [0.25, 0.75] over cells (0,0) and (1,0).
        let g = PaddedGrid {
            width: 2,
            height: 1,
        };
        let mut t = Traversals::default();
        t.trace(
            &ring(&[(0.5, 0.25), (1.5, 0.25), (1.5, 0.75), (0.5, 0.75)]),
            &g,
        )
        .unwrap();
        assert_eq!(t.list.len(), 2);
        // The joined traversal (left cell, walked last) is moved behind the other:
        // the list stays in `start` order.
        assert_eq!(t.list[1].cell, (1, 1));
        assert!(t.list[0].start < t.list[1].start);
        t.sort_by_cell();
        let left = t.list[0];
        assert_eq!(left.cell, (1, 1));
        assert_eq!(left.entry.unwrap().point, Coord { x: 1.0, y: 0.75 });
        assert_eq!(left.entry.unwrap().side, Side::ColMax);
        assert_eq!(left.exit.unwrap().point, Coord { x: 1.0, y: 0.25 });
        // (1, .75) (.5, .75) (.5, .25) (1, .25)
        assert_eq!(t.points_of(&left).len(), 4);
        let right = t.list[1];
        assert_eq!(right.cell, (2, 1));
        assert_eq!(right.entry.unwrap().side, Side::ColMin);
        assert_eq!(t.points_of(&right).len(), 4);
    }

    #[test]
    fn grazing_a_corner_leaves_no_degenerate_traversal() {
        // Diagonal through the shared corner (1, 1) of four cells.
        let g = PaddedGrid {
            width: 2,
            height: 2,
        };
        let mut t = Traversals::default();
        t.trace(&ring(&[(0.5, 0.5), (1.5, 1.5), (0.5, 1.5)]), &g)
            .unwrap();
        for tr in &t.list {
            let pts = t.points_of(tr);
            assert!(pts.iter().any(|p| *p != pts[0]), "degenerate {tr:?}");
        }
        // Cells (0,0), (1,1) and (0,1) are crossed; (1,0) is not.
        let mut cells: Vec<_> = t.list.iter().map(|t| t.cell).collect();
        cells.sort();
        cells.dedup();
        assert_eq!(cells, vec![(1, 1), (1, 2), (2, 2)]);
    }

    #[test]
    fn start_on_a_corner_gets_entry_and_exit() {
        // Unit square of cell (0, 0), first vertex on its far corner (1, 1), which
        // `locate` puts in cell (1, 1).
        let g = PaddedGrid {
            width: 2,
            height: 2,
        };
        let mut t = Traversals::default();
        t.trace(&ring(&[(1.0, 1.0), (0.0, 1.0), (0.0, 0.0), (1.0, 0.0)]), &g)
            .unwrap();
        for tr in &t.list {
            assert!(tr.entry.is_some() && tr.exit.is_some(), "{tr:?}");
        }
    }

    #[test]
    fn ring_outside_the_window_walks_padding() {
        let g = PaddedGrid {
            width: 1,
            height: 1,
        };
        let mut t = Traversals::default();
        t.trace(
            &ring(&[(-5.0, -5.0), (5.0, -5.0), (5.0, 5.0), (-5.0, 5.0)]),
            &g,
        )
        .unwrap();
        assert!(t.list.iter().all(|tr| g.real(tr.cell).is_none()));
    }

    /// A traversal of `cell` owning points `start..start + 2` (points not needed).
    fn bare(cell: PaddedCell, start: usize) -> Traversal {
        Traversal {
            cell,
            start,
            end: start + 2,
            entry: None,
            exit: None,
        }
    }

    fn order(t: &Traversals) -> Vec<(PaddedCell, usize)> {
        t.list.iter().map(|t| (t.cell, t.start)).collect()
    }

    #[test]
    fn sort_by_cell_orders_by_row_column_then_start() {
        let mut t = Traversals {
            list: vec![
                bare((2, 1), 0),
                bare((1, 2), 2),
                bare((1, 1), 4),
                bare((2, 1), 6),
                bare((0, 2), 8),
                bare((1, 1), 10),
            ],
            ..Traversals::default()
        };
        let want = vec![
            ((1, 1), 4),
            ((1, 1), 10),
            ((2, 1), 0),
            ((2, 1), 6),
            ((0, 2), 8),
            ((1, 2), 2),
        ];
        t.sort_by_cell();
        assert_eq!(order(&t), want);
        // The same records out of `start` order sort the same way.
        t.list.reverse();
        t.sort_by_cell();
        assert_eq!(order(&t), want);
        // Cell indices far beyond the number of traversals: the comparison sort.
        t.list = vec![bare((1000, 7), 0), bare((3, 7), 2), bare((1000, 7), 4)];
        t.sort_by_cell();
        assert_eq!(order(&t), vec![((3, 7), 2), ((1000, 7), 0), ((1000, 7), 4)]);
    }
}
