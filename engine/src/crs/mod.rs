//! Coordinate reference systems: EPSG codes, `.prj` WKT, and reprojection — pure Rust.
//!
//! Reprojection runs on [`proj4rs`] (a Rust port of PROJ.4) with the EPSG table of
//! `crs-definitions`; at Yitong (125.3° E, 43.3° N) it matches PROJ 9 to 1e-6 m for
//! WGS 84 UTM and CGCS2000 Gauss–Krüger (see `docs/crs.md`).
//!
//! Parts:
//! - [`Crs`] (`definition.rs`): a resolved CRS — from an EPSG code or proj4; its
//!   ellipsoid, units, and equality by meaning.
//! - `from_wkt.rs`: [`Crs::from_wkt`], WKT tree → [`Crs`]; `user_string.rs`:
//!   [`Crs::from_user_string`], what a user may type for `--crs`.
//! - [`Transformer`] (`transform.rs`): points and multipolygons from one CRS to
//!   another, degrees in and out for geographic CRSs; `Send + Sync`.
//! - [`Ellipsoid`] (`ellipsoid.rs`): (a, f) and the exact area of a lon/lat cell.
//! - [`CrsError`] (`error.rs`): typed errors whose messages say how to fix them.
//! - `epsg.rs`: the built-in EPSG table and lookup by EPSG or ESRI name.
//! - `wkt.rs`: a bounded WKT tokenizer/parser.
//! - `esri.rs`: the OGC WKT (GeoPackage) and ESRI WKT (`.prj`) texts of an EPSG CRS.
//! - `proj4.rs`: canonical reading of proj4 strings (for equality and ellipsoids).

mod definition;
mod ellipsoid;
mod epsg;
mod error;
mod esri;
mod from_wkt;
mod proj4;
mod transform;
mod user_string;
mod wkt;

pub use definition::Crs;
pub use ellipsoid::Ellipsoid;
pub use error::CrsError;
pub use transform::Transformer;
