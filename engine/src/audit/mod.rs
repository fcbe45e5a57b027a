//! The restoration audit: configuration → pieces → areas → reports.
//!
//! - [`config`]: the `audit.toml` keys, defaults and validation.
//! - [`model`]: land classes and the results every report is written from.

pub mod config;
pub mod model;

pub use config::{AuditConfig, ConfigError};
pub use model::{ClassAreas, LandClass, Responsibility};
