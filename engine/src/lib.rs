#![warn(missing_docs)]
//! # reclaim — exact restoration audits of mine sites
//!
//! The engine turns mine footprints (pits, dumps, tailings), mining-licence polygons
//! and one year's imagery into exact hectares: restored, unrestored, water and
//! unobserved land, attributed to a liable licence holder or to historical legacy.
//!
//! ```text
//!   GeoTIFF ──raster──┐                         ┌─ zonal (per-value histogram)
//!                     ├─ grid ── coverage ──────┤
//!   Shapefile/GeoJSON ─vector── crs ── index ───┘─ audit: attribute (pieces)
//!                                                   → classify × coverage (sweep)
//!                                                   → pieces → pits → mines → county
//!                                                   → report (CSV, JSON, GeoJSON, HTML)
//! ```
//!
//! The engine never prints and never exits: every entry point returns a value or a
//! typed error that names the file, the place in it and what to do.
//!
//! Modules, bottom to top:
//! - [`grid`]: affine geotransforms, raster grids and cell windows.
//! - [`crs`]: EPSG codes, `.prj` WKT, and reprojection (pure Rust, proj4rs).
//! - [`raster`]: GeoTIFF reader with block-wise random access and allocation limits
//!   (GDAL fallback with the `gdal` feature).
//! - [`scenes`]: a season's scenes (Sentinel-2 L2A, Landsat C2 L2, manifest lines) for
//!   composites.
//! - [`vector`]: GeoJSON and ESRI Shapefile footprint readers (GDAL/OGR with `gdal`).
//! - [`index`]: R-tree over footprint envelopes.
//! - [`coverage`]: exact polygon-over-grid coverage fractions.
//! - [`area`]: cell and polygon areas in m² (planar, or ellipsoidal per row).
//! - [`footprints`]: footprints laid over a raster (ids, CRS checks, reprojection).
//! - [`plan`]: block plans — which blocks to decode and which footprints each feeds.
//! - [`zonal`]: per-zone, per-value exact areas (the categorical zonal histogram).
//! - [`classify`]: cell values → land classes (NDVI, land-cover maps, masks).
//! - [`attribute`]: pits × liable licences → exact pieces with a responsibility.
//! - [`audit`]: one restoration audit end to end (also sharded, and merged).
//! - [`results`]: what an audit produces: areas by class per piece, pit, mine and county.
//! - [`report`]: the audit's CSV, JSON, GeoJSON and self-contained HTML outputs.
//! - [`discover`]: bare land outside every mapped footprint (what the inventory misses).
//! - [`accuracy`]: sample design, accuracy and error-adjusted area with 95 % intervals.
//! - [`input`]: opening inputs safely (regular files only, byte caps).
//! - [`config`]: the error of configuration files (file, place, "did you mean").
//! - [`output`]: atomic file writing, and the guard that keeps `--out` off the inputs.
//! - [`folders`]: which folders reclaim wrote, and the output guard that knows them.
//! - [`csv`]: minimal RFC 4180 CSV: quoting on write, a strict reader for tables read back.
//! - [`cache_dir`]: where reclaim keeps what it may rebuild (checksums, unpacked archives).
//! - [`progress`]: progress callbacks for long runs.
//! - [`rng`]: seeded SplitMix64 and value noise (reproducible sample draws).
//! - [`suggest`]: "did you mean …?" for mistyped keys and field names.
//! - [`wording`]: English wording shared by messages, warnings and reports.
//! - [`warning`]: typed warnings returned beside results (printed once, listed, `--strict`).
//! - [`error`]: the engine's top-level error.
//!
//! The synthetic demo county that `reclaim demo` writes is a separate crate on top of
//! this one (`reclaim-demo`, in `engine/demo/`); the engine does not depend on it.

pub mod accuracy;
pub mod area;
pub mod attribute;
pub mod audit;
pub mod cache_dir;
pub mod classify;
pub mod config;
pub mod coverage;
pub mod crs;
pub mod csv;
pub mod discover;
pub mod error;
pub mod folders;
pub mod footprints;
pub mod grid;
pub mod index;
pub mod input;
pub mod output;
pub mod plan;
pub mod progress;
pub mod raster;
pub mod report;
pub mod results;
pub mod rng;
pub mod scenes;
pub mod suggest;
pub mod vector;
pub mod warning;
pub mod wording;
pub mod zonal;

pub use error::Error;

// The library's surface: what a caller needs to run an audit or a zonal histogram
// without knowing the module tree (docs/architecture.md has the tree).
pub use audit::{run as run_audit, run_inputs, AuditConfig, AuditError, AuditInputs, AuditOptions};
pub use crs::Crs;
pub use raster::Raster;
pub use results::AuditReport;
pub use vector::{FieldValue, Layer};
pub use zonal::{run as run_zonal, ZonalError, ZonalRequest, ZonalTable};

/// Any error of the engine, for callers that only report it (every engine error
/// converts into it with `?`).
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// `Result` whose error is, unless named, any engine error ([`BoxError`]).
pub type Result<T, E = BoxError> = std::result::Result<T, E>;
pub use grid::{GeoTransform, Grid, Window};
pub use warning::Warning;

/// The README's library example, run as a doctest.
#[cfg(doctest)]
#[doc = include_str!("../../README.md")]
pub struct ReadmeDoctests;
