//! Olofsson et al. (2014): stratified random sampling with the map classes as
//! strata, from the error matrix of sample counts and the mapped areas.
//!
//! With `W_i` the mapped share of class `i`, `n_ij` the sample count mapped `i` and
//! labelled `j`, and `n_i·` the row total (equation numbers of Olofsson et al. 2014):
//!
//! - (4) `p̂_ij = W_i n_ij / n_i·`, the error matrix of estimated area proportions;
//! - (1) overall accuracy `Ô = Σ_j p̂_jj`, (5) `V̂(Ô) = Σ_i W_i² Û_i (1 − Û_i) / (n_i· − 1)`;
//! - (2) user's accuracy `Û_i = p̂_ii / p̂_i·`, (6) `V̂(Û_i) = Û_i (1 − Û_i) / (n_i· − 1)`;
//! - (3) producer's accuracy `P̂_j = p̂_jj / p̂_·j`, (7)
//!   `V̂(P̂_j) = 1/N̂_·j² [N_j·² (1 − P̂_j)² Û_j (1 − Û_j)/(n_j· − 1)
//!   + P̂_j² Σ_{i≠j} N_i·² (n_ij/n_i·)(1 − n_ij/n_i·)/(n_i· − 1)]`, `N̂_·j = Σ_i N_i· n_ij / n_i·`;
//! - (8) area proportion `p̂_·k = Σ_i W_i n_ik / n_i·`, (10) its standard error
//!   `S(p̂_·k) = √(Σ_i W_i² (n_ik/n_i·)(1 − n_ik/n_i·)/(n_i· − 1))`;
//! - (9, 11) error-adjusted area `Â_k = A p̂_·k`, `S(Â_k) = A S(p̂_·k)`; (12) 95 %
//!   interval `Â_k ± 1.96 S(Â_k)`.
//!
//! With the finite-population correction each stratum's term is multiplied by
//! `1 − n_i· / N_i`. These are the general estimators of [`super::general`] with
//! strata = map classes, written out; a test checks that both agree.

use super::design::{Design, EstimateOptions, Stratum};
use super::error::AccuracyError;
use super::estimate::Estimate;
use super::result::{Accuracy, ClassAccuracy, Method};

/// Estimates accuracy and area from an error matrix of counts (rows = map classes,
/// columns = reference classes, both in the order of `strata`, which are the map
/// classes with their mapped areas).
///
/// # Errors
/// [`AccuracyError`] for bad areas, a class with area but fewer than 2 samples, or
/// samples in a class without area; a matrix that is not square panics in debug
/// builds and is read as far as it goes otherwise — callers parse it first.
pub fn from_counts(
    strata: &[Stratum],
    counts: &[Vec<u64>],
    opts: EstimateOptions,
) -> Result<Accuracy, AccuracyError> {
    let q = strata.len();
    debug_assert!(counts.len() == q && counts.iter().all(|r| r.len() == q));
    let cell = |i: usize, j: usize| counts.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0);
    let rows: Vec<u64> = (0..q).map(|i| (0..q).map(|j| cell(i, j)).sum()).collect();
    // The design's checks (empty strata, one sample, samples without area, FPC).
    let n: u64 = rows.iter().sum();
    let (w, fpc, total) = Design::check(strata, &rows, opts)?;
    let ni = |i: usize| rows[i] as f64;
    let share = |i: usize, j: usize| {
        if rows[i] == 0 {
            0.0
        } else {
            cell(i, j) as f64 / ni(i)
        }
    };

    // (4) the matrix of area proportions.
    let p: Vec<Vec<f64>> = (0..q)
        .map(|i| (0..q).map(|j| w[i] * share(i, j)).collect())
        .collect();
    let ua: Vec<Option<f64>> = (0..q).map(|i| (rows[i] > 0).then(|| share(i, i))).collect();
    // Variance terms are 0 for strata without samples (they have no area).
    let term = |i: usize, v: f64| {
        if rows[i] > 1 {
            fpc[i] * v / (ni(i) - 1.0)
        } else {
            0.0
        }
    };

    // (1), (5)
    let overall = Estimate::from_variance(
        (0..q).map(|j| p[j][j]).sum(),
        (0..q)
            .map(|i| {
                let u = ua[i].unwrap_or(0.0);
                term(i, w[i] * w[i] * u * (1.0 - u))
            })
            .sum(),
    );

    let mut per_class = Vec::with_capacity(q);
    for k in 0..q {
        // (8), (10): the column total and its standard error.
        let col: f64 = (0..q).map(|i| p[i][k]).sum();
        let var_col: f64 = (0..q)
            .map(|i| {
                let s = share(i, k);
                term(i, w[i] * w[i] * s * (1.0 - s))
            })
            .sum();
        let proportion = Estimate::from_variance(col, var_col);
        // (2), (6)
        let users = ua[k].map(|u| Estimate::from_variance(u, term(k, u * (1.0 - u))));
        // (3), (7): with N_i· as areas (the estimator is unchanged by the unit).
        let producers = (col > 0.0).then(|| {
            let pk = p[k][k] / col;
            let big_n = |i: usize| strata[i].area;
            let n_col: f64 = (0..q).map(|i| big_n(i) * share(i, k)).sum();
            let u = ua[k].unwrap_or(0.0);
            let own = big_n(k).powi(2) * (1.0 - pk).powi(2) * term(k, u * (1.0 - u));
            let others: f64 = (0..q)
                .filter(|&i| i != k)
                .map(|i| {
                    let s = share(i, k);
                    big_n(i).powi(2) * term(i, s * (1.0 - s))
                })
                .sum();
            Estimate::from_variance(pk, (own + pk * pk * others) / (n_col * n_col))
        });
        per_class.push(ClassAccuracy {
            class: strata[k].name.clone(),
            map_area: Some(strata[k].area),
            users,
            producers,
            proportion,
            // (9), (11), (12)
            area: proportion.scaled(total),
        });
    }
    Ok(Accuracy {
        method: Method::Olofsson2014,
        n: usize::try_from(n).unwrap_or(usize::MAX),
        total_area: total,
        classes: strata.iter().map(|s| s.name.clone()).collect(),
        overall,
        per_class,
        matrix_counts: (0..q)
            .map(|i| (0..q).map(|j| cell(i, j)).collect())
            .collect(),
        matrix_proportions: p,
    })
}
