//! The result of an accuracy assessment: the error matrix, accuracies and areas.

use super::estimate::Estimate;

/// Which estimators produced a result.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Method {
    /// Strata are the map classes: Olofsson et al. (2014) eqs. 1–12.
    Olofsson2014,
    /// Strata may differ from the map classes: Stehman (2014) ratio estimators.
    Stehman2014,
}

impl Method {
    /// The name written to `accuracy.json`.
    pub fn name(self) -> &'static str {
        match self {
            Method::Olofsson2014 => "olofsson2014",
            Method::Stehman2014 => "stehman2014",
        }
    }
}

/// Accuracy and error-adjusted area of one class.
#[derive(Debug, Clone, PartialEq)]
pub struct ClassAccuracy {
    /// The class.
    pub class: String,
    /// Its mapped area, when known (the same unit as the strata's areas).
    pub map_area: Option<f64>,
    /// User's accuracy: of the land mapped as this class, the share that is it.
    /// `None` when no sample point is mapped as the class.
    pub users: Option<Estimate>,
    /// Producer's accuracy: of the land that is this class, the share mapped so.
    /// `None` when the sample finds none of the class.
    pub producers: Option<Estimate>,
    /// Its estimated share of the area (the column total of the matrix of proportions).
    pub proportion: Estimate,
    /// Its error-adjusted area: `proportion × total area`.
    pub area: Estimate,
}

/// Everything an accuracy assessment reports.
#[derive(Debug, Clone, PartialEq)]
pub struct Accuracy {
    /// The estimators used.
    pub method: Method,
    /// Sample size.
    pub n: usize,
    /// Total area of the strata.
    pub total_area: f64,
    /// The classes, in the order of every table below.
    pub classes: Vec<String>,
    /// Overall accuracy: the share of the area mapped correctly.
    pub overall: Estimate,
    /// One entry per class.
    pub per_class: Vec<ClassAccuracy>,
    /// Sample counts, rows = map classes, columns = reference classes.
    pub matrix_counts: Vec<Vec<u64>>,
    /// Estimated area proportions `p̂_ij`, rows = map classes, columns = reference
    /// classes; they add up to 1.
    pub matrix_proportions: Vec<Vec<f64>>,
}

impl Accuracy {
    /// The entry of `class`.
    pub fn class(&self, class: &str) -> Option<&ClassAccuracy> {
        self.per_class.iter().find(|c| c.class == class)
    }
}
