//! An estimate with its standard error and 95 % confidence interval.

use serde::{Deserialize, Serialize};

/// The normal quantile of a two-sided 95 % interval, as Olofsson et al. (2014) use it.
pub const Z95: f64 = 1.96;

/// An estimate, its standard error, and the 95 % confidence interval
/// `estimate ± 1.96 × se` (not clipped: an interval of a proportion may pass 0 or 1,
/// which says the sample is too small to bound it there).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The estimate.
    pub estimate: f64,
    /// Its estimated standard error.
    pub se: f64,
    /// `[estimate − 1.96 se, estimate + 1.96 se]`.
    pub ci95: [f64; 2],
}

impl Estimate {
    /// An estimate with its 95 % interval from its standard error.
    pub fn new(estimate: f64, se: f64) -> Estimate {
        let h = Z95 * se;
        Estimate {
            estimate,
            se,
            ci95: [estimate - h, estimate + h],
        }
    }

    /// An estimate from a variance (negative rounding noise is taken as 0).
    pub fn from_variance(estimate: f64, variance: f64) -> Estimate {
        Estimate::new(estimate, variance.max(0.0).sqrt())
    }

    /// The same estimate in another unit (proportion × total area → hectares).
    pub fn scaled(&self, k: f64) -> Estimate {
        Estimate::new(self.estimate * k, self.se * k.abs())
    }

    /// Half the width of the 95 % interval (the "±" figure).
    pub fn half_width(&self) -> f64 {
        Z95 * self.se
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_is_estimate_plus_minus_1_96_se() {
        let e = Estimate::new(0.5, 0.1);
        assert!((e.ci95[0] - 0.304).abs() < 1e-12 && (e.ci95[1] - 0.696).abs() < 1e-12);
        let h = e.scaled(100.0);
        assert!((h.estimate - 50.0).abs() < 1e-12 && (h.half_width() - 19.6).abs() < 1e-9);
        assert_eq!(Estimate::from_variance(1.0, -1e-18).se, 0.0);
    }
}
