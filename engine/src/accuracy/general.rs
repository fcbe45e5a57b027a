//! Stehman (2014): stratified random sampling when the strata differ from the map
//! classes — e.g. strata by map class × responsibility, or a sample drawn for an
//! earlier map and reused.
//!
//! Each quantity is written as a population mean of a per-unit variable `y_u` (a
//! proportion of area) or a ratio of two (`R = Ȳ / X̄`), estimated by
//! [`super::design`]'s stratified mean (Stehman 2014 eq. 25 for its variance) or
//! combined ratio estimator (eq. 28). The variables (Stehman 2014 §3):
//!
//! | quantity | `y_u` | `x_u` |
//! |---|---|---|
//! | overall accuracy (eq. 12) | 1 if map = reference | — |
//! | area proportion of class k (eq. 14) | 1 if reference = k | — |
//! | cell `p_ij` of the error matrix (eq. 16) | 1 if map = i and reference = j | — |
//! | user's accuracy of class k (eqs. 18–19) | 1 if map = reference = k | 1 if map = k |
//! | producer's accuracy of class k (eqs. 22–23) | 1 if map = reference = k | 1 if reference = k |
//!
//! When the strata are the map classes these reduce to Olofsson et al. (2014)'s
//! estimators ([`super::stratified`]).

use super::design::{Design, EstimateOptions, Stratum};
use super::error::AccuracyError;
use super::estimate::Estimate;
use super::result::{Accuracy, ClassAccuracy, Method};

/// One labelled sample unit: indices into the strata and into the classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    /// Its stratum (index into the strata).
    pub stratum: usize,
    /// Its class on the map (index into the classes).
    pub map: usize,
    /// Its reference class, as labelled (index into the classes).
    pub reference: usize,
}

/// A labelled stratified sample, checked and grouped, ready for any estimate.
#[derive(Debug, Clone)]
pub struct Sample<'a> {
    points: &'a [Point],
    design: Design,
}

impl<'a> Sample<'a> {
    /// Groups `points` by stratum and checks the design: every stratum with area
    /// holds at least 2 points, every stratum without none.
    ///
    /// # Errors
    /// [`AccuracyError`] naming the stratum.
    pub fn new(
        strata: &[Stratum],
        points: &'a [Point],
        opts: EstimateOptions,
    ) -> Result<Sample<'a>, AccuracyError> {
        let design = Design::new(strata, points.len(), |u| points[u].stratum, opts)?;
        Ok(Sample { points, design })
    }

    /// Total area of the strata.
    pub fn total_area(&self) -> f64 {
        self.design.total
    }

    /// The estimated share of the area where `y` holds (e.g. reference = unrestored
    /// in the legacy strata): a domain's error-adjusted area is this × the total.
    pub fn proportion(&self, y: impl Fn(&Point) -> bool) -> Estimate {
        self.design
            .mean(|u| f64::from(u8::from(y(&self.points[u]))))
    }

    /// The estimated share of the land where `x` holds on which `y` holds too.
    /// `None` when no sample point has `x`.
    pub fn ratio(
        &self,
        y: impl Fn(&Point) -> bool,
        x: impl Fn(&Point) -> bool,
    ) -> Option<Estimate> {
        let ind = |b: bool| f64::from(u8::from(b));
        self.design
            .ratio(|u| ind(y(&self.points[u])), |u| ind(x(&self.points[u])))
    }
}

/// Estimates accuracy and area for `classes` from a labelled stratified sample.
/// `map_areas` (one per class, the strata's unit) is only reported.
///
/// # Errors
/// [`AccuracyError`] for bad areas, or a stratum with area but fewer than 2 points,
/// or points in a stratum without area.
pub fn estimate(
    classes: &[String],
    strata: &[Stratum],
    points: &[Point],
    map_areas: Option<&[f64]>,
    opts: EstimateOptions,
) -> Result<Accuracy, AccuracyError> {
    if classes.is_empty() {
        return Err(AccuracyError::Nothing { what: "class" });
    }
    let sample = Sample::new(strata, points, opts)?;
    let q = classes.len();
    let total = sample.total_area();
    let mut counts = vec![vec![0u64; q]; q];
    for p in points {
        if let Some(c) = counts.get_mut(p.map).and_then(|r| r.get_mut(p.reference)) {
            *c += 1;
        }
    }
    let proportions: Vec<Vec<f64>> = (0..q)
        .map(|i| {
            (0..q)
                .map(|j| {
                    sample
                        .proportion(|p| p.map == i && p.reference == j)
                        .estimate
                })
                .collect()
        })
        .collect();
    let per_class = (0..q)
        .map(|k| {
            let proportion = sample.proportion(|p| p.reference == k);
            let hit = |p: &Point| p.map == k && p.reference == k;
            ClassAccuracy {
                class: classes[k].clone(),
                map_area: map_areas.and_then(|a| a.get(k).copied()),
                users: sample.ratio(hit, |p| p.map == k),
                producers: sample.ratio(hit, |p| p.reference == k),
                proportion,
                area: proportion.scaled(total),
            }
        })
        .collect();
    Ok(Accuracy {
        method: Method::Stehman2014,
        n: points.len(),
        total_area: total,
        classes: classes.to_vec(),
        overall: sample.proportion(|p| p.map == p.reference),
        per_class,
        matrix_counts: counts,
        matrix_proportions: proportions,
    })
}
