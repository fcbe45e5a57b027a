//! One module per subcommand: its clap arguments and its `run`.
//! - [`info`]: `reclaim info` — what gdalinfo tells, for GeoTIFFs.
//! - [`zonal`]: `reclaim zonal` — categorical zonal histogram to CSV.
//! - [`audit`]: `reclaim audit` — the annual restoration audit.
//! - [`check`]: `reclaim audit --check` — the audit run in memory, nothing written.
//! - [`demo`]: `reclaim demo` — the synthetic Yitong county, audited.
//! - [`discover`]: `reclaim discover` — bare land outside the mapped footprints.
//! - [`merge`]: `reclaim merge` — shards' partial results into one audit (and
//!   the shard side of `reclaim audit --shard I/N`).
//! - [`accuracy`]: `reclaim accuracy` — accuracy and error-adjusted area with 95 % CIs.
//! - [`sample`]: `reclaim sample` — a stratified random sample of an audit's land.
//! - [`scenes`]: `reclaim scenes` — the scenes found in products, manifests and
//!   folders, and which a season uses.
//! - [`init`]: `reclaim init` — a commented audit.toml template.
//! - [`generate`]: `reclaim completions` and `reclaim man`, from the clap definitions.

pub mod accuracy;
pub mod audit;
pub mod check;
pub mod demo;
pub mod discover;
pub mod generate;
pub mod info;
pub mod init;
pub mod merge;
pub mod sample;
pub mod scenes;
pub mod zonal;
