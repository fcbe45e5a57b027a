//! How many sample points, and how to share them among strata.
//!
//! - Olofsson et al. (2014) eq. 13: `n = (Σ_i W_i S_i / S(Ô))²`, with `S_i =
//!   √(U_i (1 − U_i))` the standard deviation of stratum `i` from its expected user's
//!   accuracy `U_i` and `S(Ô)` the target standard error of overall accuracy.
//! - Allocation: proportional to area with a minimum per stratum (their
//!   recommendation for rare classes: a rare class gets enough points for its user's
//!   accuracy, the rest follows area), or equal. Fractions are rounded by largest
//!   remainder, so the allocation adds up to `n`.

use super::error::AccuracyError;

/// The sample size of Olofsson et al. (2014) eq. 13, before rounding up: for strata
/// with area shares `weights` and expected user's accuracies `expected_ua`, the `n`
/// that gives overall accuracy the standard error `target_se`.
///
/// # Errors
/// [`AccuracyError::BadTarget`] for a target outside (0, 1),
/// [`AccuracyError::BadExpected`] for an accuracy outside 0…1.
pub fn sample_size(
    weights: &[f64],
    expected_ua: &[(String, f64)],
    target_se: f64,
) -> Result<f64, AccuracyError> {
    if !(target_se > 0.0 && target_se < 1.0) {
        return Err(AccuracyError::BadTarget { value: target_se });
    }
    let mut sum = 0.0;
    for (w, (class, u)) in weights.iter().zip(expected_ua) {
        if !(0.0..=1.0).contains(u) {
            return Err(AccuracyError::BadExpected {
                class: class.clone(),
                value: *u,
            });
        }
        sum += w * (u * (1.0 - u)).sqrt();
    }
    Ok((sum / target_se).powi(2))
}

/// How a sample is shared among strata.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Allocation {
    /// Proportional to area, but at least `min` per stratum with area.
    Proportional {
        /// The fewest points a stratum with area receives.
        min: usize,
    },
    /// The same number in every stratum with area.
    Equal,
}

/// Shares `n` among strata of areas `areas` (strata without area get none).
///
/// # Errors
/// [`AccuracyError::TooSmall`] when `n` cannot give every stratum its minimum.
pub fn allocate(n: usize, areas: &[f64], how: Allocation) -> Result<Vec<usize>, AccuracyError> {
    let live: Vec<usize> = (0..areas.len()).filter(|&h| areas[h] > 0.0).collect();
    let mut out = vec![0usize; areas.len()];
    if live.is_empty() {
        return Err(AccuracyError::NoArea);
    }
    match how {
        Allocation::Equal => {
            let shares: Vec<f64> = live.iter().map(|_| n as f64 / live.len() as f64).collect();
            for (h, k) in live.iter().zip(round_shares(n, &shares)) {
                out[*h] = k;
            }
        }
        Allocation::Proportional { min } => {
            if n < min * live.len() {
                return Err(AccuracyError::TooSmall {
                    n,
                    strata: live.len(),
                    min,
                });
            }
            // Strata whose proportional share falls below the minimum are fixed at the
            // minimum; the rest of the sample is shared among the others by area,
            // again and again until no share falls below.
            let mut fixed = vec![false; areas.len()];
            loop {
                let rest = n - min * fixed.iter().filter(|&&f| f).count();
                let free: Vec<usize> = live.iter().copied().filter(|&h| !fixed[h]).collect();
                let area: f64 = free.iter().map(|&h| areas[h]).sum();
                let below: Vec<usize> = free
                    .iter()
                    .copied()
                    .filter(|&h| (rest as f64) * areas[h] / area < min as f64)
                    .collect();
                if below.is_empty() || free.is_empty() {
                    let shares: Vec<f64> = free
                        .iter()
                        .map(|&h| rest as f64 * areas[h] / area)
                        .collect();
                    for (h, k) in free.iter().zip(round_shares(rest, &shares)) {
                        out[*h] = k;
                    }
                    for &h in &live {
                        if fixed[h] {
                            out[h] = min;
                        }
                    }
                    break;
                }
                for h in below {
                    fixed[h] = true;
                }
            }
        }
    }
    Ok(out)
}

/// Rounds `shares` (adding up to `n`) to whole numbers adding up to `n`: the floors,
/// then one more to the largest remainders (ties to the first).
fn round_shares(n: usize, shares: &[f64]) -> Vec<usize> {
    let mut out: Vec<usize> = shares.iter().map(|s| s.floor() as usize).collect();
    let given: usize = out.iter().sum();
    let mut order: Vec<usize> = (0..shares.len()).collect();
    order.sort_by(|&a, &b| {
        let (ra, rb) = (shares[a] - shares[a].floor(), shares[b] - shares[b].floor());
        rb.total_cmp(&ra).then(a.cmp(&b))
    });
    for &i in order.iter().take(n.saturating_sub(given)) {
        out[i] += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proportional_with_a_minimum_lifts_rare_strata_and_adds_up() {
        // 300 points over 2 % / 8 % / 90 %: proportional gives 6 / 24 / 270;
        // with a minimum of 50 the two rare strata get 50, the third the rest.
        let a = allocate(300, &[2.0, 8.0, 90.0], Allocation::Proportional { min: 50 }).unwrap();
        assert_eq!(a, vec![50, 50, 200]);
        let p = allocate(300, &[2.0, 8.0, 90.0], Allocation::Proportional { min: 0 }).unwrap();
        assert_eq!(p, vec![6, 24, 270]);
        let e = allocate(10, &[1.0, 0.0, 5.0, 5.0], Allocation::Equal).unwrap();
        assert_eq!(e, vec![4, 0, 3, 3]);
        assert!(matches!(
            allocate(90, &[1.0, 1.0], Allocation::Proportional { min: 50 }),
            Err(AccuracyError::TooSmall {
                n: 90,
                strata: 2,
                min: 50
            })
        ));
    }

    #[test]
    fn bad_targets_and_accuracies_are_refused() {
        let ua = [("a".to_string(), 0.8)];
        assert!(matches!(
            sample_size(&[1.0], &ua, 0.0),
            Err(AccuracyError::BadTarget { .. })
        ));
        let bad = [("a".to_string(), 1.5)];
        assert!(matches!(
            sample_size(&[1.0], &bad, 0.01),
            Err(AccuracyError::BadExpected { .. })
        ));
        // One stratum, U = 0.8: S = 0.4; SE 0.02 → n = 400.
        assert!((sample_size(&[1.0], &ua, 0.02).unwrap() - 400.0).abs() < 1e-9);
    }
}
