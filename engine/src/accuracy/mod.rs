//! Honest uncertainty: accuracy and error-adjusted area with confidence intervals
//! from a stratified random sample (Olofsson et al. 2014, Remote Sensing of
//! Environment 148:42–57; Stehman 2014, International Journal of Remote Sensing
//! 35:4923–4939).
//!
//! The estimators are pure functions (no I/O); the readers of their files and the
//! sampling frame of an audit sit beside them. See `docs/accuracy.md`.
//!
//! - [`audit`]: drawing a sample of an audit's land, reading it back labelled, assessing.
//! - [`estimate`]: an estimate with its standard error and 95 % interval.
//! - [`design`]: strata, weights, the stratified mean and ratio estimators.
//! - [`stratified`]: strata = map classes, from an error matrix of counts (Olofsson 2014).
//! - [`frame`]: the sampling frame of an audit folder (its footprints' cells by class).
//! - [`general`]: strata ≠ map classes, from labelled points (Stehman 2014).
//! - [`table`]: reading the table mode's `counts.csv` and `areas.csv`.
//! - [`result`]: what an assessment reports ([`Accuracy`]).
//! - [`reference_shp`]: a labelled sample as a point shapefile.
//! - [`in_audit`]: the assessment inside `reclaim audit` (`[accuracy]` of audit.toml).
//! - [`draw`]: drawing cells with probability ∝ covered area, seeded.
//! - [`output`]: `accuracy.json` and `accuracy.csv`.
//! - [`sample_size`]: Olofsson 2014 eq. 13 and the allocation among strata.
//! - [`error`]: what can go wrong, [`AccuracyError`].

pub mod audit;
pub mod config;
pub mod design;
pub mod draw;
pub mod error;
pub mod estimate;
pub mod frame;
pub mod general;
pub mod in_audit;
pub mod labelled;
pub mod output;
pub mod reference_shp;
pub mod result;
pub mod sample_size;
pub mod stratified;
pub mod table;

pub use design::{EstimateOptions, Stratum};
pub use error::{AccuracyError, FileProblem, RowProblem};
pub use estimate::{Estimate, Z95};
pub use general::{Point, Sample};
pub use result::{Accuracy, ClassAccuracy, Method};
pub use sample_size::{allocate, sample_size, Allocation};
