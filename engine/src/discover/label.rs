//! Connected patches in one pass down the rows: runs of candidate cells, joined
//! to the runs of the row above by union-find, and each patch handed over the
//! moment it closes (a row holds none of its runs).
//!
//! The sweep feeds the runs of each row in order; the labeller keeps only the
//! previous row's runs and the patches still open, so memory follows the open
//! patches' outlines, not the raster. Block borders need no special care: a
//! border across the raster is inside a row, a border down is between two rows.
//!
//! A patch's runs are kept with it (merged small into large on a union) so its
//! polygon can be traced when it closes, with its cell count, area and the cells
//! that were bare the year before.

/// One run of candidate cells in a row: columns `[c0, c1)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// The row of the grid.
    pub row: u32,
    /// The first column of the run.
    pub c0: u32,
    /// The column just past the run's last.
    pub c1: u32,
}

/// A closed patch.
#[derive(Debug, Clone, Default)]
pub struct Patch {
    /// Its runs, sorted by (row, c0).
    pub runs: Vec<Run>,
    /// Cells.
    pub cells: u64,
    /// Area, m².
    pub area_m2: f64,
    /// Area bare in the previous year's imagery, m².
    pub before_m2: f64,
}

/// What is known of an open patch.
#[derive(Debug, Default)]
struct Open {
    runs: Vec<Run>,
    cells: u64,
    area_m2: f64,
    before_m2: f64,
    /// The last row with a run (to know when it closes).
    last_row: u32,
}

/// The streaming labeller.
#[derive(Debug)]
pub struct Labeller {
    /// 8: corner neighbours join; 4: edge neighbours only.
    eight: bool,
    /// Union-find parents; a root is its own parent.
    parent: Vec<u32>,
    /// Data of roots (`None` for merged or free labels).
    open: Vec<Option<Open>>,
    /// Labels free for reuse.
    free: Vec<u32>,
    /// The previous row's runs and their labels (roots at the row's end).
    above: Vec<(Run, u32)>,
    /// The current row's.
    here: Vec<(Run, u32)>,
    /// Labels merged away during the current row (freed at its end).
    merged: Vec<u32>,
    /// The row being fed.
    row: Option<u32>,
    /// Most runs one patch may hold.
    max_runs: usize,
}

/// Too many runs in one patch (see [`Labeller::new`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TooManyRuns {
    /// The last row of the patch that went over the cap.
    pub row: u32,
}

impl Labeller {
    /// A labeller with 4- or 8-connectivity; one patch may hold at most
    /// `max_runs` runs (a cap against noise).
    pub fn new(connectivity: u8, max_runs: usize) -> Labeller {
        Labeller {
            eight: connectivity != 4,
            parent: Vec::new(),
            open: Vec::new(),
            free: Vec::new(),
            above: Vec::new(),
            here: Vec::new(),
            merged: Vec::new(),
            row: None,
            max_runs,
        }
    }

    fn find(&mut self, mut a: u32) -> u32 {
        let mut root = a;
        while self.parent[root as usize] != root {
            root = self.parent[root as usize];
        }
        while self.parent[a as usize] != root {
            let next = self.parent[a as usize];
            self.parent[a as usize] = root;
            a = next;
        }
        root
    }

    fn new_label(&mut self, run: Run, cell_m2: f64, before_m2: f64) -> u32 {
        let open = Open {
            runs: vec![run],
            cells: u64::from(run.c1 - run.c0),
            area_m2: f64::from(run.c1 - run.c0) * cell_m2,
            before_m2,
            last_row: run.row,
        };
        match self.free.pop() {
            Some(l) => {
                self.parent[l as usize] = l;
                self.open[l as usize] = Some(open);
                l
            }
            None => {
                let l = self.parent.len() as u32;
                self.parent.push(l);
                self.open.push(Some(open));
                l
            }
        }
    }

    fn union(&mut self, a: u32, b: u32) -> Result<u32, TooManyRuns> {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return Ok(ra);
        }
        let (Some(oa), Some(ob)) = (self.open[ra as usize].take(), self.open[rb as usize].take())
        else {
            unreachable!("roots hold their patch");
        };
        // The root with more runs absorbs the other (its runs are not moved).
        let (keep, gone, mut big, small) = if oa.runs.len() >= ob.runs.len() {
            (ra, rb, oa, ob)
        } else {
            (rb, ra, ob, oa)
        };
        big.runs.extend_from_slice(&small.runs);
        big.cells += small.cells;
        big.area_m2 += small.area_m2;
        big.before_m2 += small.before_m2;
        big.last_row = big.last_row.max(small.last_row);
        if big.runs.len() > self.max_runs {
            return Err(TooManyRuns { row: big.last_row });
        }
        self.open[keep as usize] = Some(big);
        self.parent[gone as usize] = keep;
        self.merged.push(gone);
        Ok(keep)
    }

    /// Feeds one run of `row` (rows in increasing order, runs of a row left to
    /// right); `cell_m2` is the area of a cell of the row, `before_m2` the run's
    /// area that was bare the year before.
    ///
    /// Patches that close (no run in `row` touches them) are appended to `closed`.
    pub fn push(
        &mut self,
        run: Run,
        cell_m2: f64,
        before_m2: f64,
        closed: &mut Vec<Patch>,
    ) -> Result<(), TooManyRuns> {
        if self.row != Some(run.row) {
            self.end_row(Some(run.row), closed);
        }
        let label = self.new_label(run, cell_m2, before_m2);
        let mut label = label;
        // Runs above that touch: overlapping columns (4), or one column apart (8).
        let reach = u32::from(self.eight);
        let lo = run.c0.saturating_sub(reach);
        let hi = run.c1 + reach;
        // `above` is sorted by c0 and disjoint: the first candidate is the first
        // run whose end passes `lo`.
        let start = self.above.partition_point(|(r, _)| r.c1 <= lo);
        let mut i = start;
        while let Some(&(r, l)) = self.above.get(i) {
            if r.c0 >= hi {
                break;
            }
            label = self.union(label, l)?;
            i += 1;
        }
        self.here.push((run, label));
        Ok(())
    }

    /// Ends the current row before `next` (or at the end of the raster: `None`):
    /// patches with no run in the finished row close.
    fn end_row(&mut self, next: Option<u32>, closed: &mut Vec<Patch>) {
        let Some(row) = self.row else {
            self.row = next;
            return;
        };
        // Labels of this row's runs → roots; a root seen here stays open.
        for k in 0..self.here.len() {
            let l = self.here[k].1;
            let root = self.find(l);
            self.here[k].1 = root;
            if let Some(o) = self.open[root as usize].as_mut() {
                o.last_row = row;
            }
        }
        // A skipped row closes every patch, as an empty row does.
        let gap = next.is_some_and(|n| n > row + 1) || next.is_none();
        for k in 0..self.above.len() {
            let root = self.find(self.above[k].1);
            let still = !gap
                && self.open[root as usize]
                    .as_ref()
                    .is_some_and(|o| o.last_row == row);
            if still {
                continue;
            }
            if let Some(o) = self.open[root as usize].take() {
                closed.push(finish(o));
                self.free.push(root);
            }
        }
        if gap {
            for k in 0..self.here.len() {
                let root = self.here[k].1;
                if let Some(o) = self.open[root as usize].take() {
                    closed.push(finish(o));
                    self.free.push(root);
                }
            }
            self.here.clear();
        }
        // Every label merged away this row is referenced by no run any more.
        self.free.append(&mut self.merged);
        std::mem::swap(&mut self.above, &mut self.here);
        self.here.clear();
        self.row = next;
    }

    /// Closes every open patch (the raster's end).
    pub fn finish(&mut self, closed: &mut Vec<Patch>) {
        self.end_row(None, closed);
        self.end_row(None, closed);
    }

    /// Patches open now (for tests and memory checks).
    pub fn open_patches(&self) -> usize {
        self.open.iter().filter(|o| o.is_some()).count()
    }
}

fn finish(mut o: Open) -> Patch {
    o.runs.sort_unstable_by_key(|r| (r.row, r.c0));
    Patch {
        runs: o.runs,
        cells: o.cells,
        area_m2: o.area_m2,
        before_m2: o.before_m2,
    }
}

/// Runs of `value` in `row_cells` (row `row`), appended to `out`.
pub fn runs_of(row: u32, row_cells: &[u8], value: u8, out: &mut Vec<Run>) {
    let mut c = 0;
    let n = row_cells.len();
    while c < n {
        // Skip to the next cell of `value`.
        match row_cells[c..].iter().position(|&v| v == value) {
            Some(p) => c += p,
            None => break,
        }
        let len = row_cells[c..]
            .iter()
            .position(|&v| v != value)
            .unwrap_or(n - c);
        out.push(Run {
            row,
            c0: c as u32,
            c1: (c + len) as u32,
        });
        c += len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Labels a picture ('#' = candidate) and returns the patches' cell counts, sorted.
    fn label(picture: &[&str], connectivity: u8) -> Vec<u64> {
        let mut l = Labeller::new(connectivity, 1000);
        let mut closed = Vec::new();
        let mut runs = Vec::new();
        for (r, line) in picture.iter().enumerate() {
            let cells: Vec<u8> = line.bytes().map(|b| u8::from(b == b'#')).collect();
            runs.clear();
            runs_of(r as u32, &cells, 1, &mut runs);
            for &run in &runs {
                l.push(run, 1.0, 0.0, &mut closed).unwrap();
            }
        }
        l.finish(&mut closed);
        assert_eq!(l.open_patches(), 0);
        let mut n: Vec<u64> = closed.iter().map(|p| p.cells).collect();
        for p in &closed {
            assert_eq!(
                p.cells,
                p.runs.iter().map(|r| u64::from(r.c1 - r.c0)).sum::<u64>()
            );
            assert_eq!(p.area_m2, p.cells as f64);
        }
        n.sort_unstable();
        n
    }

    #[test]
    fn diagonal_contacts_join_under_8_only() {
        let pic = ["#...", ".#..", "..#.", "...#"];
        assert_eq!(label(&pic, 8), [4]);
        assert_eq!(label(&pic, 4), [1, 1, 1, 1]);
    }

    #[test]
    fn a_u_shape_merges_late_and_a_ring_holds_its_hole() {
        let u = ["#..#", "#..#", "####", "....", ".##."];
        assert_eq!(label(&u, 4), [2, 8]);
        let ring = ["#####", "#...#", "#.#.#", "#...#", "#####"];
        // The island inside the ring is its own patch under 4 and 8 alike.
        assert_eq!(label(&ring, 4), [1, 16]);
        assert_eq!(label(&ring, 8), [1, 16]);
    }

    #[test]
    fn a_gap_row_closes_patches_and_labels_are_reused() {
        let mut l = Labeller::new(8, 1000);
        let mut closed = Vec::new();
        let run = |row, c0, c1| Run { row, c0, c1 };
        l.push(run(0, 0, 3), 1.0, 0.0, &mut closed).unwrap();
        l.push(run(1, 2, 4), 1.0, 1.0, &mut closed).unwrap();
        assert!(closed.is_empty());
        // Row 2 is empty: the patch closes when row 3 starts.
        l.push(run(3, 0, 1), 1.0, 0.0, &mut closed).unwrap();
        assert_eq!(closed.len(), 1);
        assert_eq!((closed[0].cells, closed[0].before_m2), (5, 1.0));
        assert_eq!(closed[0].runs, [run(0, 0, 3), run(1, 2, 4)]);
        l.finish(&mut closed);
        assert_eq!(closed.len(), 2);
        assert!(l.parent.len() <= 3, "labels are reused: {}", l.parent.len());
    }

    #[test]
    fn the_run_cap_stops_a_noisy_patch() {
        let mut l = Labeller::new(8, 3);
        let mut closed = Vec::new();
        let mut r = Ok(());
        for row in 0..4 {
            r = r.and_then(|_| l.push(Run { row, c0: 0, c1: 1 }, 1.0, 0.0, &mut closed));
        }
        assert_eq!(r, Err(TooManyRuns { row: 3 }));
    }

    #[test]
    fn runs_are_found_at_both_ends() {
        let mut out = Vec::new();
        runs_of(7, &[1, 1, 0, 1, 0, 0, 1], 1, &mut out);
        let spans: Vec<(u32, u32)> = out.iter().map(|r| (r.c0, r.c1)).collect();
        assert_eq!(spans, [(0, 2), (3, 4), (6, 7)]);
        assert!(out.iter().all(|r| r.row == 7));
    }
}
