//! Filling the cells that no traversal crossed.
//!
//! A cell without traversals is either wholly inside the ring or wholly outside it.
//! Two such cells that share a side are on the same side of the ring (a ring between
//! them would have to run through one of them or along their shared side, which makes a
//! traversal in one of them). So each 4-connected group of fillable cells gets one
//! value: 1 when the centre of its first cell (in row-major order) is inside the ring,
//! else 0. The centre test is a crossing-number test; a fillable cell's centre is never
//! on the ring.
//!
//! The groups are found without visiting cells: a [`FillPlan`] is told the crossed
//! cells in row-major order, so the fillable cells between them are row *runs*. Runs
//! in neighbouring rows whose columns overlap are in the same group (union–find over
//! the runs, the smallest run as root, so a group's root is its first run and the
//! root's first cell its first cell). The matrix is then written once, row by row:
//! each crossed value, each run's value repeated.
//!
//! ```text
//!   row 0:  [ run 0 ] X [ run 1 ]      X = crossed cell
//!   row 1:  [run 2] X X X [ run 3 ]    run 2 overlaps run 0 → same group,
//!   row 2:  [      run 4      ]        run 4 joins runs 2 and 3 → runs 0–4 one group
//! ```

use geo::Coord;

use super::matrix::{Matrix, FILLABLE};

/// True when `p` is inside `ring` (open ring: last vertex not repeated), even-odd rule.
pub fn point_in_ring(ring: &[Coord<f64>], p: Coord<f64>) -> bool {
    let mut inside = false;
    let edges = ring.iter().zip(ring.iter().skip(1).chain(ring.first()));
    for (a, b) in edges {
        if (a.y > p.y) != (b.y > p.y) {
            let x = a.x + (p.y - a.y) * (b.x - a.x) / (b.y - a.y);
            if p.x < x {
                inside = !inside;
            }
        }
    }
    inside
}

/// A maximal row run of fillable cells: `row`, columns `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Run {
    /// Row of the run.
    pub row: usize,
    /// First column.
    pub start: usize,
    /// Column after the last.
    pub end: usize,
}

/// The layout of a `width × height` matrix as crossed cells and fillable runs, and
/// the buffers to label and fill the runs (reused from ring to ring).
#[derive(Debug, Default)]
pub struct FillPlan {
    width: usize,
    height: usize,
    /// Next cell not yet laid out, row-major.
    row: usize,
    col: usize,
    runs: Vec<Run>,
    /// Crossed cells: row-major index and value.
    crossed: Vec<(usize, f64)>,
    /// Union–find parent of each run (a smaller index than the run, or itself).
    parent: Vec<usize>,
    /// Fill value of each run.
    value: Vec<f64>,
}

impl FillPlan {
    /// Starts the layout of a `width × height` matrix.
    pub fn start(&mut self, width: usize, height: usize) {
        self.width = width;
        self.height = height;
        self.row = 0;
        self.col = 0;
        self.runs.clear();
        self.crossed.clear();
    }

    /// Lays out crossed cell (`col`, `row`) with `value`. Cells must come in row-major
    /// order, each once; a cell out of order or outside the matrix is ignored.
    #[inline]
    pub fn crossed(&mut self, col: usize, row: usize, value: f64) {
        if row >= self.height || col >= self.width || (row, col) < (self.row, self.col) {
            debug_assert!(false, "crossed cell ({col}, {row}) out of order");
            return;
        }
        self.runs_to(row, col);
        self.crossed
            .push((row.saturating_mul(self.width) + col, value));
        self.col = col + 1;
    }

    /// Lays out the fillable runs from the current position up to (`row`, `col`).
    fn runs_to(&mut self, row: usize, col: usize) {
        while self.row < row {
            if self.col < self.width {
                self.push_run(self.row, self.col, self.width);
            }
            self.row += 1;
            self.col = 0;
        }
        if self.col < col {
            self.push_run(row, self.col, col);
        }
    }

    fn push_run(&mut self, row: usize, start: usize, end: usize) {
        self.runs.push(Run { row, start, end });
    }

    /// The fillable runs laid out so far, row-major.
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }

    /// Ends the layout (the cells after the last crossed one are fillable), gives each
    /// run its group's value (inside `ring` or not, in the matrix's local index space)
    /// and writes the `width × height` values, row-major, into `out` (cleared first).
    pub fn write(&mut self, ring: &[Coord<f64>], out: &mut Vec<f64>) {
        self.runs_to(self.height, 0);
        self.label();
        self.value.clear();
        for (k, run) in self.runs.iter().enumerate() {
            let root = self.parent.get(k).copied().unwrap_or(k);
            let v = match self.value.get(root) {
                // The root is a smaller run: its value is known.
                Some(&v) if root < k => v,
                _ => {
                    let centre = Coord {
                        x: run.start as f64 + 0.5,
                        y: run.row as f64 + 0.5,
                    };
                    if point_in_ring(ring, centre) {
                        1.0
                    } else {
                        0.0
                    }
                }
            };
            self.value.push(v);
        }
        // Zeros first (a memset), then only the inside runs and the crossed cells.
        out.clear();
        out.resize(self.width.saturating_mul(self.height), 0.0);
        let w = self.width;
        for (run, &v) in self.runs.iter().zip(&self.value) {
            if v != 0.0 {
                let base = run.row.saturating_mul(w);
                if let Some(cells) = out.get_mut(base + run.start..base + run.end) {
                    cells.fill(v);
                }
            }
        }
        for &(i, v) in &self.crossed {
            if let Some(cell) = out.get_mut(i) {
                *cell = v;
            }
        }
    }

    /// Sets `parent` so that every run's root (after [`FillPlan::label`]'s final
    /// pass, its parent) is the first run of its 4-connected group.
    fn label(&mut self) {
        let n = self.runs.len();
        self.parent.clear();
        self.parent.extend(0..n);
        // Runs of the previous row: `prev..cur`; of this row: `cur..next`.
        let (mut prev, mut cur) = (0, 0);
        while cur < n {
            let row = self.runs.get(cur).map_or(0, |r| r.row);
            let next = cur
                + self
                    .runs
                    .get(cur..)
                    .map_or(0, |rest| rest.iter().take_while(|r| r.row == row).count());
            let prev_adjacent = self.runs.get(prev).is_some_and(|r| r.row + 1 == row);
            if prev_adjacent {
                // Both rows' runs are sorted by column: walk them together.
                let (mut i, mut j) = (prev, cur);
                while let (Some(&a), Some(&b)) = (self.runs.get(i), self.runs.get(j)) {
                    if i >= cur || j >= next {
                        break;
                    }
                    if a.start < b.end && b.start < a.end {
                        union(&mut self.parent, i, j);
                    }
                    if a.end <= b.end {
                        i += 1;
                    }
                    if b.end <= a.end {
                        j += 1;
                    }
                }
            }
            prev = cur;
            cur = next.max(cur + 1);
        }
        // Flatten: every parent becomes its root (roots come before their runs).
        for k in 0..n {
            let p = self.parent.get(k).copied().unwrap_or(k);
            let root = self.parent.get(p).copied().unwrap_or(p);
            if let Some(slot) = self.parent.get_mut(k) {
                *slot = root;
            }
        }
    }
}

/// The root of run `k`, halving the path on the way.
fn find(parent: &mut [usize], mut k: usize) -> usize {
    loop {
        let p = parent.get(k).copied().unwrap_or(k);
        if p == k {
            return k;
        }
        let gp = parent.get(p).copied().unwrap_or(p);
        if let Some(slot) = parent.get_mut(k) {
            *slot = gp;
        }
        k = p;
    }
}

/// Joins the groups of runs `a` and `b`; the smaller root wins.
fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    let (keep, drop) = if ra < rb { (ra, rb) } else { (rb, ra) };
    if let Some(slot) = parent.get_mut(drop) {
        *slot = keep;
    }
}

/// Replaces every [`FILLABLE`] cell of `m` by 1 (inside `ring`) or 0 (outside), one
/// point-in-ring test per 4-connected group. `ring` is in the matrix's local index
/// space (cell `(c, r)` spans `[c, c+1] × [r, r+1]`). `plan` is reused scratch.
pub fn flood_fill(m: &mut Matrix, ring: &[Coord<f64>], plan: &mut FillPlan) {
    let (w, h) = (m.width(), m.height());
    plan.start(w, h);
    if w == 0 {
        return;
    }
    for (row, cells) in m.values().chunks(w).enumerate() {
        for (col, &v) in cells.iter().enumerate() {
            if v != FILLABLE {
                plan.crossed(col, row, v);
            }
        }
    }
    m.rebuild(w, h, |out| plan.write(ring, out));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring(pts: &[(f64, f64)]) -> Vec<Coord<f64>> {
        pts.iter().map(|&(x, y)| Coord { x, y }).collect()
    }

    #[test]
    fn point_in_square_and_outside() {
        let sq = ring(&[(0.0, 0.0), (3.0, 0.0), (3.0, 3.0), (0.0, 3.0)]);
        assert!(point_in_ring(&sq, Coord { x: 1.5, y: 1.5 }));
        assert!(!point_in_ring(&sq, Coord { x: 3.5, y: 1.5 }));
        assert!(!point_in_ring(&sq, Coord { x: 1.5, y: -0.5 }));
    }

    #[test]
    fn fills_inside_and_outside_groups() {
        // 5 × 5 window, ring = square [1,4]²; crossed cells (the ring's border cells)
        // hold 0.5 as a stand-in; the centre cell is inside, the outer frame outside.
        let sq = ring(&[(1.0, 1.0), (4.0, 1.0), (4.0, 4.0), (1.0, 4.0)]);
        let mut m = Matrix::default();
        m.reset(5, 5);
        for r in 1..4 {
            for c in 1..4 {
                if r != 2 || c != 2 {
                    m.set(c, r, 0.5);
                }
            }
        }
        let mut plan = FillPlan::default();
        flood_fill(&mut m, &sq, &mut plan);
        assert_eq!(m.get(2, 2), Some(1.0));
        assert_eq!(m.get(0, 0), Some(0.0));
        assert_eq!(m.get(4, 2), Some(0.0));
        assert_eq!(m.get(1, 1), Some(0.5));
        assert!(m.values().iter().all(|&v| v != FILLABLE));
        // Runs: row 0 whole; rows 1–3 a cell at each end (and the centre in row 2).
        assert_eq!(plan.runs().len(), 1 + 2 + 3 + 2 + 1);
    }

    /// A 3 × 3 matrix with `walls` crossed (0.5), filled against a tiny ring around
    /// the centre of cell (0, 0): only a group whose *first* cell is (0, 0) gets 1.
    fn fill_against_first_cell(walls: &[(usize, usize)]) -> Vec<f64> {
        let tiny = ring(&[(0.25, 0.25), (0.75, 0.25), (0.75, 0.75), (0.25, 0.75)]);
        let mut m = Matrix::default();
        m.reset(3, 3);
        for &(c, r) in walls {
            m.set(c, r, 0.5);
        }
        flood_fill(&mut m, &tiny, &mut FillPlan::default());
        m.values().to_vec()
    }

    #[test]
    fn a_group_takes_the_value_of_its_first_cell() {
        // A "U": the arms (columns 0 and 2 of rows 0–1) meet only in row 2, so the
        // right arm's first run is joined to the left arm's group late. The whole
        // group takes the value of cell (0, 0), although (2, 0)'s centre is outside.
        let u = fill_against_first_cell(&[(1, 0), (1, 1)]);
        assert_eq!(u, vec![1.0, 0.5, 1.0, 1.0, 0.5, 1.0, 1.0, 1.0, 1.0]);
        // A full wall: two groups, the right one tested on its own (outside).
        let split = fill_against_first_cell(&[(1, 0), (1, 1), (1, 2)]);
        assert_eq!(split, vec![1.0, 0.5, 0.0, 1.0, 0.5, 0.0, 1.0, 0.5, 0.0]);
        // Runs touching only at a corner are not connected (4-connectivity).
        let diag = fill_against_first_cell(&[(1, 0), (0, 1), (2, 1), (1, 2)]);
        assert_eq!(diag, vec![1.0, 0.5, 0.0, 0.5, 0.0, 0.5, 0.0, 0.5, 0.0]);
    }

    #[test]
    fn fill_follows_a_winding_corridor() {
        // 5 × 5: crossed cells (0.5) form walls; the fillable cells form an S-shaped
        // corridor from (0, 0) to (4, 4) and must all get the first cell's value.
        let walls = [
            (0, 1),
            (1, 1),
            (2, 1),
            (3, 1),
            (1, 3),
            (2, 3),
            (3, 3),
            (4, 3),
        ];
        let tiny = ring(&[(0.25, 0.25), (0.75, 0.25), (0.75, 0.75), (0.25, 0.75)]);
        let mut m = Matrix::default();
        m.reset(5, 5);
        for (c, r) in walls {
            m.set(c, r, 0.5);
        }
        flood_fill(&mut m, &tiny, &mut FillPlan::default());
        assert!(m.values().iter().all(|&v| v == 1.0 || v == 0.5));
        assert_eq!(m.get(4, 4), Some(1.0));
        assert_eq!(m.get(0, 4), Some(1.0));
    }

    #[test]
    fn plan_from_crossed_cells_writes_every_cell_once() {
        // 4 × 2, crossed (1, 0) and (3, 1); ring = square [0, 2]² covers the centres
        // of columns 0 and 1 only. Runs: (0, 0..1), (0, 2..4), (1, 0..3) — all one group
        // (run (0, 2..4) meets (1, 0..3)), valued by cell (0, 0): inside.
        let sq = ring(&[(0.0, 0.0), (2.0, 0.0), (2.0, 2.0), (0.0, 2.0)]);
        let mut plan = FillPlan::default();
        plan.start(4, 2);
        plan.crossed(1, 0, 0.25);
        plan.crossed(3, 1, 0.75);
        let mut out = vec![9.0; 3];
        plan.write(&sq, &mut out);
        assert_eq!(out, vec![1.0, 0.25, 1.0, 1.0, 1.0, 1.0, 1.0, 0.75]);
        assert_eq!(
            plan.runs(),
            &[
                Run {
                    row: 0,
                    start: 0,
                    end: 1
                },
                Run {
                    row: 0,
                    start: 2,
                    end: 4
                },
                Run {
                    row: 1,
                    start: 0,
                    end: 3
                },
            ]
        );
    }

    /// The fill as first written: seeds in row-major order, each still unfilled one
    /// tested and its 4-connected group filled breadth-first (a reference).
    fn reference_fill(values: &mut [f64], w: usize, h: usize, ring: &[Coord<f64>]) {
        for seed in 0..w * h {
            if values[seed] != FILLABLE {
                continue;
            }
            let centre = Coord {
                x: (seed % w) as f64 + 0.5,
                y: (seed / w) as f64 + 0.5,
            };
            let v = if point_in_ring(ring, centre) {
                1.0
            } else {
                0.0
            };
            let mut queue = vec![seed];
            values[seed] = v;
            while let Some(i) = queue.pop() {
                let (c, r) = (i % w, i / w);
                let mut near = Vec::new();
                if c > 0 {
                    near.push(i - 1);
                }
                if c + 1 < w {
                    near.push(i + 1);
                }
                if r > 0 {
                    near.push(i - w);
                }
                if r + 1 < h {
                    near.push(i + w);
                }
                for n in near {
                    if values[n] == FILLABLE {
                        values[n] = v;
                        queue.push(n);
                    }
                }
            }
        }
    }

    #[test]
    fn run_labelling_matches_a_cell_by_cell_fill() {
        // Random walls (about a third of the cells) on random sizes, filled against a
        // zig-zag ring that puts neighbouring centres on different sides, so a wrong
        // grouping shows as a different value.
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = move |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % n
        };
        let zigzag = ring(&[
            (0.0, 0.0),
            (9.0, 0.0),
            (9.0, 9.0),
            (7.2, 1.3),
            (5.1, 8.8),
            (3.3, 0.7),
            (1.2, 8.1),
        ]);
        for _ in 0..300 {
            let (w, h) = (1 + next(9) as usize, 1 + next(9) as usize);
            let mut m = Matrix::default();
            m.reset(w, h);
            for v in m.values_mut() {
                if next(3) == 0 {
                    *v = 0.5;
                }
            }
            let mut want = m.values().to_vec();
            reference_fill(&mut want, w, h, &zigzag);
            flood_fill(&mut m, &zigzag, &mut FillPlan::default());
            assert_eq!(m.values(), want.as_slice(), "{w} × {h}");
        }
    }
}
