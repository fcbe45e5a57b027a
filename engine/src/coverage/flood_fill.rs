//! Filling the cells that no traversal crossed.
//!
//! A cell without traversals is either wholly inside the ring or wholly outside it.
//! Two such cells that share a side are on the same side of the ring (a ring between
//! them would have to run through one of them or along their shared side, which makes a
//! traversal in one of them). So each 4-connected group of [`FILLABLE`] cells gets one
//! value: 1 when the centre of its first cell is inside the ring, else 0. The centre
//! test is a crossing-number test; a fillable cell's centre is never on the ring.

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

/// Replaces every [`FILLABLE`] cell of `m` by 1 (inside `ring`) or 0 (outside), one
/// point-in-ring test per 4-connected group. `ring` is in the matrix's local index
/// space (cell `(c, r)` spans `[c, c+1] × [r, r+1]`). `stack` is reused scratch.
///
/// Seeds are taken in row-major order, so each group's value comes from the centre of
/// its first cell in that order.
pub fn flood_fill(m: &mut Matrix, ring: &[Coord<f64>], stack: &mut Vec<usize>) {
    let (w, h) = (m.width(), m.height());
    if w == 0 {
        return;
    }
    let values = m.values_mut();
    let mut seed = 0;
    // Scan for the next cell still fillable: everything before it has a value.
    while let Some(skip) = values
        .get(seed..)
        .and_then(|rest| rest.iter().position(|&v| v == FILLABLE))
    {
        seed += skip;
        let centre = Coord {
            x: (seed % w) as f64 + 0.5,
            y: (seed / w) as f64 + 0.5,
        };
        let value = if point_in_ring(ring, centre) {
            1.0
        } else {
            0.0
        };
        fill_group(values, w, h, seed, value, stack);
        seed += 1;
    }
}

/// Sets the 4-connected [`FILLABLE`] group around `seed` to `value`, a row run at a
/// time (scanline fill): each run is filled at once and only the start of each
/// fillable run above and below it is pushed, so the stack stays short. Rows are
/// handled as slices: no per-cell index arithmetic or bounds checks.
fn fill_group(
    values: &mut [f64],
    w: usize,
    h: usize,
    seed: usize,
    value: f64,
    stack: &mut Vec<usize>,
) {
    debug_assert!(values.len() >= w * h);
    stack.clear();
    stack.push(seed);
    while let Some(i) = stack.pop() {
        let (c, r) = (i % w, i / w);
        let Some(row) = values.get_mut(r * w..(r + 1) * w) else {
            continue;
        };
        let (before, from_c) = row.split_at_mut(c.min(w));
        // The run through c: fillable cells left of c, c itself, fillable cells right.
        let right = from_c.iter().take_while(|&&v| v == FILLABLE).count();
        if right == 0 {
            continue;
        }
        let left = before.iter().rev().take_while(|&&v| v == FILLABLE).count();
        let (lo, hi) = (c - left, c + right);
        if let Some(run) = row.get_mut(lo..hi) {
            run.fill(value);
        }
        for next_row in [r.checked_sub(1), Some(r + 1).filter(|&n| n < h)]
            .into_iter()
            .flatten()
        {
            let base = next_row * w;
            let Some(cells) = values.get(base + lo..base + hi) else {
                continue;
            };
            let mut in_run = false;
            for (k, &v) in cells.iter().enumerate() {
                let f = v == FILLABLE;
                if f && !in_run {
                    stack.push(base + lo + k);
                }
                in_run = f;
            }
        }
    }
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
        let mut stack = Vec::new();
        flood_fill(&mut m, &sq, &mut stack);
        assert_eq!(m.get(2, 2), Some(1.0));
        assert_eq!(m.get(0, 0), Some(0.0));
        assert_eq!(m.get(4, 2), Some(0.0));
        assert_eq!(m.get(1, 1), Some(0.5));
        assert!(m.values().iter().all(|&v| v != FILLABLE));
    }

    #[test]
    fn fill_follows_a_winding_corridor() {
        // 5 × 5: crossed cells (0.5) form walls; the fillable cells form an S-shaped
        // corridor from (0, 0) to (4, 4) and must all get the seed's value.
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
        let mut m = Matrix::default();
        m.reset(5, 5);
        for (c, r) in walls {
            m.set(c, r, 0.5);
        }
        let mut stack = Vec::new();
        fill_group(m.values_mut(), 5, 5, 0, 1.0, &mut stack);
        assert!(m.values().iter().all(|&v| v == 1.0 || v == 0.5));
        assert_eq!(m.get(4, 4), Some(1.0));
        assert_eq!(m.get(0, 4), Some(1.0));
    }
}
