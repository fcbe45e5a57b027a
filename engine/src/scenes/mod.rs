//! Scenes of a season: what one acquisition offers a composite, read from its own
//! metadata (Sentinel-2 L2A SAFE, Landsat Collection 2 Level-2, or a manifest line).
//!
//! A [`Scene`] names the red and near-infrared bands, the cloud mask, the date and
//! the reflectance scaling; the composite (`audit::composite`) reads the windows it
//! needs from them. Readers:
//! - `safe`: Sentinel-2 L2A `.SAFE` folders (`MTD_MSIL2A.xml`, `GRANULE/*/MTD_TL.xml`).
//! - `landsat`: Landsat C2 L2 `*_MTL.json` / `*_MTL.txt` with `SR_B4`, `SR_B5`, `QA_PIXEL`.
//! - `manifest`: a CSV or TOML list of red, NIR, optional mask and date per scene.
//! - `find`: paths, globs and collection folders → scenes, each recognised by its structure.

mod error;
mod find;
pub mod landsat;
pub mod manifest;
pub mod safe;
pub mod scene;
pub mod zipped;

pub use error::SceneError;
pub use find::{acquisition_key, find, in_season, Duplicate, Found, Season, SkipReason, Skipped};
pub use landsat::read_mtl;
pub use manifest::read_manifest;
pub use safe::read_safe;
pub use scene::{BandRef, Date, MaskRef, Scene, SceneGeoref, SceneKind};
