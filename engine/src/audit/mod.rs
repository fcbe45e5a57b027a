//! The restoration audit: configuration → pieces → areas → reports.
//!
//! - [`config`]: the `audit.toml` keys, defaults and validation.
//! - [`model`]: land classes and the results every report is written from.
//! - [`imagery`]: the year's files and bands, on one grid, as a window classifier.
//! - [`sweep`]: the block sweep — exact coverage × classes, with change and maps.
//! - [`aggregate`]: pieces → pits → mines → county.
//! - [`run`]: one audit end to end, and the atomic writing of its folder.
//! - [`error`]: what can stop an audit.

// pub mod aggregate; (lead: enabled when deps land)
pub mod config;
// pub mod error; (lead: enabled when deps land)
// pub mod imagery; (lead: enabled when deps land)
pub mod model;
// pub mod run; (lead: enabled when deps land)
// pub mod sweep; (lead: enabled when deps land)

pub use config::{AuditConfig, ConfigError};
// pub use error::AuditError;
pub use model::{AuditReport, ClassAreas, LandClass, Responsibility};
// pub use run::{run, write, AuditOptions};
