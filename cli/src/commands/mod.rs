//! One module per subcommand: its clap arguments and its `run`.
//! - [`info`]: `reclaim info` — what gdalinfo tells, for GeoTIFFs.
//! - [`zonal`]: `reclaim zonal` — categorical zonal histogram to CSV.
//! - [`audit`]: `reclaim audit` — the annual restoration audit.
//! - [`demo`]: `reclaim demo` — the synthetic Yitong county, audited.

pub mod audit;
pub mod demo;
pub mod info;
pub mod zonal;
