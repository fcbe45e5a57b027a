//! Finding what the inventory misses: bare land outside every mapped footprint.
//!
//! `reclaim discover` classifies every cell of the imagery (or of an area of
//! interest) as the audit does, keeps the bare cells outside the footprints and
//! the exclusions, joins them into connected patches in one pass down the rows,
//! traces each patch's exact outline when it closes, and labels it against the
//! licences. The method and its limits: `docs/discover.md`.
//!
//! ```text
//! imagery ─ blocks ─► classes ─► minus footprints, exclusions ─► runs ─► patches ─► outlines ─► labels
//! ```
//!
//! - [`config`]: the `[discovery]` keys.
//! - [`scanline`]: polygons over the grid by cell centre, row by row.
//! - [`label`]: runs of cells → patches by union-find, closed as the sweep passes.
//! - [`trace`]: a patch's cells → its pixel-edge polygons with holes.
//! - [`model`]: candidates and the accounting of the land scanned.
//! - [`spill`]: candidates' outlines on disk until they are written.
//! - [`records`]: candidates' records on disk, ranked by small keys in memory.
//! - [`run`]: one run end to end ([`discover`]).
//! - [`write`]: the output folder (GeoJSON, CSV, summary.json, report.html).
//! - [`in_audit`]: discovery inside `reclaim audit` (`[discovery] in_audit = true`).
//! - [`error`]: what can stop a run.

pub mod candidate;
pub mod config;
pub mod error;
pub mod files;
pub mod in_audit;
pub mod label;
pub mod model;
pub mod records;
pub mod run;
pub mod scanline;
pub mod spill;
pub mod sweep;
pub mod trace;
pub mod write;

pub use config::DiscoveryConfig;
pub use error::DiscoverError;
pub use model::{Accounting, Candidate, Change, Discovery, Label};
pub use records::Candidates;
pub use run::{discover, DiscoverOptions};
