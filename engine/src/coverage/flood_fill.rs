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
pub fn flood_fill(m: &mut Matrix, ring: &[Coord<f64>], stack: &mut Vec<usize>) {
    let (w, h) = (m.width(), m.height());
    for seed in 0..w.saturating_mul(h) {
        if m.values().get(seed).copied() != Some(FILLABLE) {
            continue;
        }
        let centre = Coord {
            x: (seed % w) as f64 + 0.5,
            y: (seed / w) as f64 + 0.5,
        };
        let value = if point_in_ring(ring, centre) {
            1.0
        } else {
            0.0
        };
        fill_group(m.values_mut(), w, h, seed, value, stack);
    }
}

/// Sets the 4-connected [`FILLABLE`] group around `seed` to `value`.
fn fill_group(
    values: &mut [f64],
    w: usize,
    h: usize,
    seed: usize,
    value: f64,
    stack: &mut Vec<usize>,
) {
    stack.clear();
    stack.push(seed);
    while let Some(i) = stack.pop() {
        match values.get_mut(i) {
            Some(v) if *v == FILLABLE => *v = value,
            _ => continue,
        }
        let (c, r) = (i % w, i / w);
        if c > 0 {
            stack.push(i - 1);
        }
        if c + 1 < w {
            stack.push(i + 1);
        }
        if r > 0 {
            stack.push(i - w);
        }
        if r + 1 < h {
            stack.push(i + w);
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
}
