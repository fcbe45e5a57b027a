//! Drawing a stratified random sample of cells, reproducibly for a seed.
//!
//! Within a stratum every candidate cell carries a weight: the area of it that lies
//! in the stratum (a cell wholly inside a footprint weighs its full area, a cell on
//! the edge the part the footprint covers). Cells are drawn with probability
//! proportional to weight, without replacement: the Efraimidis–Spirakis method
//! (2006) — each cell gets the key `ln(u) / w` for a uniform `u`, and the `k` largest
//! keys are the sample — which is the same as drawing one cell at a time with
//! probability ∝ weight and drawing again on a repeat. With equal weights it is a
//! simple random sample. A point drawn so stands for a uniform random point of the
//! stratum's land, so the audit's exact class areas are the right stratum areas.

use crate::rng::SplitMix64;

/// Indices of `k` of the `weights` (those > 0), drawn with probability ∝ weight
/// without replacement, in increasing index order; `None` when fewer than `k` have
/// weight.
pub fn draw(weights: &[f64], k: usize, rng: &mut SplitMix64) -> Option<Vec<usize>> {
    let mut keyed: Vec<(f64, usize)> = Vec::with_capacity(weights.len());
    for (i, &w) in weights.iter().enumerate() {
        // One draw per candidate (weighted or not), so a cell's key does not depend
        // on the weights of the cells before it.
        let u = rng.unit();
        if w > 0.0 && w.is_finite() {
            // u in (0, 1): ln(u) < 0, the key is larger for a heavier cell.
            let u = u.max(f64::MIN_POSITIVE);
            keyed.push((u.ln() / w, i));
        }
    }
    if keyed.len() < k {
        return None;
    }
    keyed.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut picked: Vec<usize> = keyed.iter().take(k).map(|&(_, i)| i).collect();
    picked.sort_unstable();
    Some(picked)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reproducible_distinct_and_weighted() {
        let w = vec![1.0; 100];
        let a = draw(&w, 10, &mut SplitMix64::new(7)).unwrap();
        let b = draw(&w, 10, &mut SplitMix64::new(7)).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 10);
        assert!(a.windows(2).all(|p| p[0] < p[1]), "distinct, sorted");
        assert_ne!(a, draw(&w, 10, &mut SplitMix64::new(8)).unwrap());
        // Zero weights are never drawn; too few candidates is None.
        let z = [0.0, 1.0, 0.0, 1.0];
        assert_eq!(draw(&z, 2, &mut SplitMix64::new(1)).unwrap(), vec![1, 3]);
        assert!(draw(&z, 3, &mut SplitMix64::new(1)).is_none());
        // A cell of weight 0.1 among cells of weight 1 is drawn about 1/10 as often.
        let mut rng = SplitMix64::new(3);
        let mut light = 0;
        let w = [0.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        for _ in 0..20_000 {
            if draw(&w, 1, &mut rng).unwrap()[0] == 0 {
                light += 1;
            }
        }
        // Expected 20 000 × 0.1 / 9.1 ≈ 220 (sd ≈ 15).
        assert!((160..=280).contains(&light), "{light}");
    }
}
