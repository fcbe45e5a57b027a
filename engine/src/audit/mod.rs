//! The restoration audit: configuration → pieces → areas → reports.
//!
//! - [`config`]: the `audit.toml` keys, defaults and validation.
//! - [`model`]: land classes and the results every report is written from.
//! - [`imagery`]: the year's files and bands, on one grid, as a window classifier.
//! - [`sweep`]: the block sweep — exact coverage × classes, with change and maps.
//! - [`aggregate`]: pieces → pits → mines → county.
//! - [`run`]: one audit end to end, and the atomic writing of its folder.
//! - [`rasters`]: `classes.tif`, `clear_obs.tif` and the clear-observation map.
//! - [`shard`]: one shard of an audit (`--shard I/N`) and its partial result.
//! - [`merge`]: partial results of every shard → the one-shot report.
//! - [`error`]: what can stop an audit.

pub mod aggregate;
pub mod checksum;
pub mod composite;
pub mod composite_scenes;
pub mod config;
pub mod error;
pub mod imagery;
pub mod inputs;
pub mod measure;
pub mod merge;
pub mod options;
pub mod partial;
pub mod rasters;
pub mod run;
pub mod shard;
pub mod sweep;

pub use crate::results::{AuditReport, ClassAreas, LandClass, Responsibility};
pub use config::{AuditConfig, ConfigError};
pub use error::AuditError;
pub use inputs::AuditInputs;
pub use merge::{merge, merge_parts};
pub use run::{run, run_inputs, write, write_with, AuditOptions, WriteOptions};
pub use shard::{read_partial, run_shard, write_partial, Partial, ShardError, ShardSpec};
