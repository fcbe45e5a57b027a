//! Strata, their weights and the stratified estimators of a mean and of a ratio.
//!
//! Every estimator of this module is one of two forms (Stehman 2014, §2–3):
//!
//! - the stratified estimator of a population mean (a proportion of area when `y` is
//!   an indicator): `Ŷ = Σ_h W_h ȳ_h`, with variance
//!   `V̂(Ŷ) = Σ_h W_h² (1 − f_h) s²_yh / n_h` (Stehman 2014 eq. 25);
//! - the combined ratio estimator `R̂ = Σ_h W_h ȳ_h / Σ_h W_h x̄_h`, with variance
//!   `V̂(R̂) = 1/X̂² Σ_h W_h² (1 − f_h)(s²_yh + R̂² s²_xh − 2 R̂ s_xyh) / n_h`
//!   (Stehman 2014 eq. 28, written with weights `W_h = N_h / N` in place of `N_h`).
//!
//! `W_h` is the stratum's share of the area, `n_h` its sample size, `s²` and `s_xy`
//! the sample variance and covariance within the stratum (divisor `n_h − 1`), and
//! `f_h = n_h / N_h` the sampling fraction, used only with the finite-population
//! correction (off by default, as in Olofsson et al. 2014).

use super::error::AccuracyError;
use super::estimate::Estimate;

/// A stratum: its name, its area, and (for the finite-population correction) its
/// number of sampling units.
#[derive(Debug, Clone, PartialEq)]
pub struct Stratum {
    /// Its name (`restored`, `unrestored/legacy` …).
    pub name: String,
    /// Its area (hectares, or any unit: the estimates of area come out in it).
    pub area: f64,
    /// Its number of sampling units `N_h` (cells), when known.
    pub units: Option<f64>,
}

impl Stratum {
    /// A stratum of `area`, its number of units unknown.
    pub fn new(name: impl Into<String>, area: f64) -> Stratum {
        Stratum {
            name: name.into(),
            area,
            units: None,
        }
    }
}

/// Options of the estimators.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct EstimateOptions {
    /// Apply the finite-population correction `1 − n_h / N_h` (needs every
    /// stratum's [`Stratum::units`]).
    pub fpc: bool,
}

/// Checks the strata: unique names, finite areas of 0 or more, some area.
///
/// # Errors
/// [`AccuracyError::Nothing`], [`AccuracyError::Duplicate`],
/// [`AccuracyError::BadArea`], [`AccuracyError::NoArea`].
pub fn check_strata(strata: &[Stratum]) -> Result<f64, AccuracyError> {
    if strata.is_empty() {
        return Err(AccuracyError::Nothing { what: "stratum" });
    }
    for (i, s) in strata.iter().enumerate() {
        if !(s.area.is_finite() && s.area >= 0.0) {
            return Err(AccuracyError::BadArea {
                stratum: s.name.clone(),
                area: s.area,
            });
        }
        if strata[..i].iter().any(|t| t.name == s.name) {
            return Err(AccuracyError::Duplicate {
                what: "stratum",
                name: s.name.clone(),
            });
        }
    }
    let total: f64 = strata.iter().map(|s| s.area).sum();
    if total <= 0.0 {
        return Err(AccuracyError::NoArea);
    }
    Ok(total)
}

/// The sample of a stratified design, grouped by stratum: the weights and the
/// sample sizes the estimators need, checked.
#[derive(Debug, Clone)]
pub(crate) struct Design {
    /// `W_h`, the share of the area.
    pub weights: Vec<f64>,
    /// `1 − f_h` (1 without the finite-population correction).
    pub fpc: Vec<f64>,
    /// Indices of the sample units of each stratum.
    pub members: Vec<Vec<usize>>,
    /// Total area.
    pub total: f64,
}

impl Design {
    /// Groups `n` units, unit `u` in stratum `stratum_of(u)` (see [`Design::check`]).
    pub fn new(
        strata: &[Stratum],
        n: usize,
        stratum_of: impl Fn(usize) -> usize,
        opts: EstimateOptions,
    ) -> Result<Design, AccuracyError> {
        let mut members = vec![Vec::new(); strata.len()];
        for u in 0..n {
            if let Some(m) = members.get_mut(stratum_of(u)) {
                m.push(u);
            }
        }
        let sizes: Vec<u64> = members.iter().map(|m| m.len() as u64).collect();
        let (weights, fpc, total) = Design::check(strata, &sizes, opts)?;
        Ok(Design {
            weights,
            fpc,
            members,
            total,
        })
    }

    /// Checks strata and their sample sizes: every stratum with area has at least 2
    /// units, every stratum without has none. Returns the weights `W_h`, the factors
    /// `1 − f_h` and the total area.
    pub fn check(
        strata: &[Stratum],
        sizes: &[u64],
        opts: EstimateOptions,
    ) -> Result<(Vec<f64>, Vec<f64>, f64), AccuracyError> {
        let total = check_strata(strata)?;
        let mut fpc = Vec::with_capacity(strata.len());
        for (s, &k) in strata.iter().zip(sizes) {
            match (s.area > 0.0, k) {
                (true, 0) => {
                    return Err(AccuracyError::EmptyStratum {
                        stratum: s.name.clone(),
                        area: s.area,
                    })
                }
                (true, 1) => {
                    return Err(AccuracyError::OneSample {
                        stratum: s.name.clone(),
                    })
                }
                (false, k) if k > 0 => {
                    return Err(AccuracyError::SamplesWithoutArea {
                        stratum: s.name.clone(),
                        n: usize::try_from(k).unwrap_or(usize::MAX),
                    })
                }
                _ => {}
            }
            fpc.push(if opts.fpc && s.area > 0.0 {
                let big_n = s.units.ok_or_else(|| AccuracyError::NoPopulation {
                    stratum: s.name.clone(),
                })?;
                (1.0 - k as f64 / big_n).max(0.0)
            } else {
                1.0
            });
        }
        Ok((strata.iter().map(|s| s.area / total).collect(), fpc, total))
    }

    /// The stratified estimate of the mean of `y` (Stehman 2014 eq. 25 for its variance).
    pub fn mean(&self, y: impl Fn(usize) -> f64) -> Estimate {
        let mut est = 0.0;
        let mut var = 0.0;
        for h in 0..self.weights.len() {
            let m = &self.members[h];
            if m.is_empty() {
                continue;
            }
            let (w, nh) = (self.weights[h], m.len() as f64);
            let ybar = m.iter().map(|&u| y(u)).sum::<f64>() / nh;
            let s2 = m.iter().map(|&u| (y(u) - ybar).powi(2)).sum::<f64>() / (nh - 1.0);
            est += w * ybar;
            var += w * w * self.fpc[h] * s2 / nh;
        }
        Estimate::from_variance(est, var)
    }

    /// The combined ratio estimate `Σ W ȳ / Σ W x̄` (Stehman 2014 eq. 28 for its
    /// variance); `None` when the denominator is 0 (no unit with `x`).
    pub fn ratio(&self, y: impl Fn(usize) -> f64, x: impl Fn(usize) -> f64) -> Option<Estimate> {
        let mut stats = Vec::with_capacity(self.weights.len());
        let (mut ys, mut xs) = (0.0, 0.0);
        for h in 0..self.weights.len() {
            let m = &self.members[h];
            if m.is_empty() {
                continue;
            }
            let nh = m.len() as f64;
            let ybar = m.iter().map(|&u| y(u)).sum::<f64>() / nh;
            let xbar = m.iter().map(|&u| x(u)).sum::<f64>() / nh;
            let (mut syy, mut sxx, mut sxy) = (0.0, 0.0, 0.0);
            for &u in m {
                let (dy, dx) = (y(u) - ybar, x(u) - xbar);
                syy += dy * dy;
                sxx += dx * dx;
                sxy += dx * dy;
            }
            let d = nh - 1.0;
            stats.push((h, nh, syy / d, sxx / d, sxy / d));
            ys += self.weights[h] * ybar;
            xs += self.weights[h] * xbar;
        }
        if xs <= 0.0 {
            return None;
        }
        let r = ys / xs;
        let var = stats
            .iter()
            .map(|&(h, nh, syy, sxx, sxy)| {
                let w = self.weights[h];
                w * w * self.fpc[h] * (syy + r * r * sxx - 2.0 * r * sxy) / nh
            })
            .sum::<f64>()
            / (xs * xs);
        Some(Estimate::from_variance(r, var))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hand_checkable_mean_and_ratio() {
        // Two strata of equal area; y = [1, 0] in the first, [1, 1] in the second.
        let strata = [Stratum::new("a", 1.0), Stratum::new("b", 1.0)];
        let ys = [1.0, 0.0, 1.0, 1.0];
        let d = Design::new(&strata, 4, |u| u / 2, EstimateOptions::default()).unwrap();
        let m = d.mean(|u| ys[u]);
        // 0.5 × 0.5 + 0.5 × 1 = 0.75; V = 0.25 × 0.5 / 2 + 0 = 0.0625.
        assert!((m.estimate - 0.75).abs() < 1e-12);
        assert!((m.se - 0.25).abs() < 1e-12);
        // A ratio of y over itself is exactly 1, with no variance.
        let r = d.ratio(|u| ys[u], |u| ys[u]).unwrap();
        assert!((r.estimate - 1.0).abs() < 1e-12 && r.se.abs() < 1e-12);
        assert!(d.ratio(|u| ys[u], |_| 0.0).is_none());
    }

    #[test]
    fn a_stratum_with_one_sample_or_none_is_refused() {
        let strata = [Stratum::new("a", 1.0), Stratum::new("b", 1.0)];
        let one = Design::new(
            &strata,
            3,
            |u| usize::from(u == 2),
            EstimateOptions::default(),
        );
        assert!(matches!(one, Err(AccuracyError::OneSample { stratum }) if stratum == "b"));
        let none = Design::new(&strata, 2, |_| 0, EstimateOptions::default());
        assert!(matches!(none, Err(AccuracyError::EmptyStratum { stratum, .. }) if stratum == "b"));
        let zero = [Stratum::new("a", 1.0), Stratum::new("b", 0.0)];
        let extra = Design::new(&zero, 4, |u| u / 2, EstimateOptions::default());
        assert!(matches!(
            extra,
            Err(AccuracyError::SamplesWithoutArea { n: 2, .. })
        ));
        let fpc = Design::new(&strata, 4, |u| u / 2, EstimateOptions { fpc: true });
        assert!(matches!(fpc, Err(AccuracyError::NoPopulation { .. })));
    }

    #[test]
    fn the_finite_population_correction_shrinks_the_variance() {
        let mut strata = [Stratum::new("a", 1.0), Stratum::new("b", 1.0)];
        for s in &mut strata {
            s.units = Some(4.0);
        }
        let ys = [1.0, 0.0, 1.0, 1.0];
        let d = Design::new(&strata, 4, |u| u / 2, EstimateOptions { fpc: true }).unwrap();
        // Half of each stratum sampled: the variance halves.
        assert!((d.mean(|u| ys[u]).se - (0.0625f64 / 2.0).sqrt()).abs() < 1e-12);
    }
}
