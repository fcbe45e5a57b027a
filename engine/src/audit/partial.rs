//! A shard's partial result (`partial.json`): its format, reading it back, and
//! what can be wrong with it ([`ShardError`]).

use super::error::AuditError;
use crate::report::ReportError;
use crate::results::Provenance;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// File name of a partial result inside its folder.
pub const PARTIAL_FILE: &str = "partial.json";
/// Value of [`Partial::format`].
pub const PARTIAL_FORMAT: &str = "reclaim-audit-partial";
/// Version of the partial layout; bumped when a field changes meaning.
pub const PARTIAL_FORMAT_VERSION: u32 = 3;

/// Largest `partial.json` read back.
const PARTIAL_MAX_BYTES: u64 = 4 << 30;

/// What can stop a shard run or a merge.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ShardError {
    /// `--shard` is not `I/N` with `0 ≤ I < N`.
    #[error("shard {text:?}: expected I/N with 0 <= I < N <= {MAX_SHARDS}, e.g. 0/4")]
    BadSpec { text: String },
    /// The audit itself failed.
    #[error(transparent)]
    Audit(Box<AuditError>),
    /// A partial result cannot be written.
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A partial result cannot be read.
    #[error(transparent)]
    Read(Box<ReportError>),
    /// A file that is not a partial result.
    #[error("{path}: not a reclaim partial result: {source}")]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// A partial result of another format or version.
    #[error("{path}: format {format:?} version {version}; this reclaim reads {PARTIAL_FORMAT:?} version {PARTIAL_FORMAT_VERSION}")]
    Version {
        path: PathBuf,
        format: String,
        version: u32,
    },
    /// No partial result was given to merge.
    #[error("nothing to merge: give the folders of every shard")]
    NoParts,
    /// Two partial results do not come from the same audit.
    #[error("{path} does not belong with {first}: its {field} differs ({found} vs {expected}); every shard must run the same reclaim on the same configuration and inputs")]
    Mismatch {
        path: PathBuf,
        first: PathBuf,
        field: Field,
        expected: String,
        found: String,
    },
    /// Two partial results ran different configurations: the first key that differs.
    #[error("{path} does not belong with {first}: its configuration differs at {key}: {found} there, {expected} in {first}; every shard must run the same configuration")]
    ConfigDiffers {
        path: PathBuf,
        first: PathBuf,
        /// The key, with its section, e.g. `[imagery] scale`.
        key: String,
        expected: String,
        found: String,
    },
    /// One shard given twice.
    #[error("shard {index}/{count} is given twice: {first} and {second}")]
    Duplicate {
        index: usize,
        count: usize,
        first: PathBuf,
        second: PathBuf,
    },
    /// Shards missing from the merge.
    #[error("shards {missing:?} of {count} are missing: the merge needs every shard from 0 to {} exactly once", .count.saturating_sub(1))]
    Missing { count: usize, missing: Vec<usize> },
    /// A partial result whose content is inconsistent.
    #[error("{path}: {problem}")]
    Corrupt { path: PathBuf, problem: Corruption },
    /// An input file differs from the one the shards measured.
    #[error("input {role} {path} changed since the shards ran (sha256 {then} in the shards, {now} now); rerun the shards")]
    InputChanged {
        role: String,
        path: PathBuf,
        then: String,
        now: String,
    },
}

/// The field in which two partial results differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Field {
    /// `shard_count`.
    ShardCount,
    /// `reclaim_version`.
    Version,
    /// The configuration as run.
    Config,
    /// The inputs or their checksums.
    Inputs,
    /// The previous audit or its `summary.json` checksum.
    Previous,
    /// The number of pits or pieces.
    Counts,
}

impl std::fmt::Display for Field {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Field::ShardCount => "shard count",
            Field::Version => "reclaim version",
            Field::Config => "configuration",
            Field::Inputs => "inputs",
            Field::Previous => "previous audit",
            Field::Counts => "pit or piece count",
        })
    }
}

/// What is wrong inside a partial result.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Corruption {
    /// A piece number beyond the audit's pieces.
    #[error("piece {piece} is beyond the {count} pieces of the audit")]
    PieceOutOfRange { piece: usize, count: usize },
    /// A piece whose pit id is not the one the merge cut.
    #[error("piece {piece} is of pit {found:?}, the merge cut it from pit {expected:?}")]
    PitMismatch {
        piece: usize,
        expected: String,
        found: String,
    },
    /// A piece recorded by a shard that does not own its pit.
    #[error("piece {piece} (pit {pit_id:?}) belongs to shard {owner}, not this one")]
    WrongShard {
        piece: usize,
        pit_id: String,
        owner: usize,
    },
    /// A piece recorded twice.
    #[error("piece {piece} is recorded twice")]
    PieceTwice { piece: usize },
    /// A piece of this shard's pits that is missing.
    #[error("piece {piece} (pit {pit_id:?}) is missing")]
    PieceMissing { piece: usize, pit_id: String },
    /// A float that is not 16 hex digits.
    #[error("{text:?} is not a float's 16 hex digits")]
    BadFloat { text: String },
    /// A transition table without 16 entries.
    #[error("piece {piece} has {found} transition entries, expected 16")]
    TransitionCount { piece: usize, found: usize },
    /// Observation entries without 4 values.
    #[error(
        "piece {piece} has {found} unobserved-cause entries, expected 3 (masked, nodata, invalid)"
    )]
    CauseCount { piece: usize, found: usize },
    /// A cell run beyond the grid.
    #[error(
        "cells at row {row}, column {col} ({len} of them) lie beyond the {width}×{height} grid"
    )]
    CellOutsideGrid {
        row: usize,
        col: usize,
        len: usize,
        width: usize,
        height: usize,
    },
    /// A cell class that is not 0..=3.
    #[error("cell class {class:?} at row {row} is not 0, 1, 2 or 3")]
    BadClass { row: usize, class: char },
    /// One cell with two classes in two shards.
    #[error("cell at row {row}, column {col} has class {a} in one shard and {b} in another")]
    CellConflict {
        row: usize,
        col: usize,
        a: u8,
        b: u8,
    },
}

impl From<AuditError> for ShardError {
    fn from(e: AuditError) -> Self {
        ShardError::Audit(Box::new(e))
    }
}

impl From<ReportError> for ShardError {
    fn from(e: ReportError) -> Self {
        ShardError::Read(Box::new(e))
    }
}

/// One measured piece of a partial result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PartialPiece {
    /// Index of the piece in the audit (`attribution.csv` row order).
    pub piece: usize,
    /// Its pit's id.
    pub pit_id: String,
    /// m² by (previous class, current class), row-major, as hex of the f64 bits.
    pub transitions_m2: Vec<String>,
    /// m² over unmapped class values (counted as unobserved), hex of the f64 bits.
    pub unmapped_m2: String,
    /// m² over the raster unobserved by cause (masked, nodata, invalid), then
    /// observed with an implausible reflectance; hex of the f64 bits.
    pub observation_m2: Vec<String>,
}

/// The previous audit a shard compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartialPrevious {
    /// The folder as given to `--previous`.
    pub dir: PathBuf,
    /// SHA-256 of its `summary.json`.
    pub summary_sha256: String,
}

/// A run of footprint cells on one row: `(row, first column, classes)`, one
/// digit `0..=3` per cell ([`crate::classify::LandClass`] codes).
pub type CellRun = (usize, usize, String);

/// The content of `partial.json`: one shard's measurements.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Partial {
    /// Always [`PARTIAL_FORMAT`].
    pub format: String,
    /// [`PARTIAL_FORMAT_VERSION`] of the writer.
    pub format_version: u32,
    /// This shard, from 0.
    pub shard_index: usize,
    /// Number of shards.
    pub shard_count: usize,
    /// Always [`SHARD_RULE`].
    pub shard_rule: String,
    /// Provenance of the audit (inputs with SHA-256, configuration, version).
    pub provenance: Provenance,
    /// The previous audit, if any.
    pub previous: Option<PartialPrevious>,
    /// Pits in the audit (all shards).
    pub pit_count: usize,
    /// Pieces in the audit (all shards).
    pub piece_count: usize,
    /// This shard's pieces, ascending.
    pub pieces: Vec<PartialPiece>,
    /// Unmapped class values seen, as hex of the f64 bits, ascending.
    pub unmapped_values: Vec<String>,
    /// Footprint cells of this shard's pieces with their class, row-major.
    pub cells: Vec<CellRun>,
}

impl Partial {
    /// This shard as a spec.
    pub fn spec(&self) -> ShardSpec {
        ShardSpec {
            index: self.shard_index,
            count: self.shard_count,
        }
    }
}

/// The hex of a float's bits (exact through JSON).
pub(crate) fn f64_hex(v: f64) -> String {
    format!("{:016x}", v.to_bits())
}

/// A float from [`f64_hex`] text.
pub(crate) fn hex_f64(text: &str) -> Result<f64, Corruption> {
    if text.len() != 16 {
        return Err(Corruption::BadFloat {
            text: text.to_string(),
        });
    }
    u64::from_str_radix(text, 16)
        .map(f64::from_bits)
        .map_err(|_| Corruption::BadFloat {
            text: text.to_string(),
        })
}

/// Reads the partial result in folder `dir` (or the file itself) and checks its
/// format and version.
///
/// # Errors
/// [`ShardError::Read`] (missing, too large), [`ShardError::Json`],
/// [`ShardError::Version`].
pub fn read_partial(dir: &Path) -> Result<Partial, ShardError> {
    let path = if dir.is_dir() {
        dir.join(PARTIAL_FILE)
    } else {
        dir.to_path_buf()
    };
    let text = crate::report::io::read_capped(&path, PARTIAL_MAX_BYTES)?;
    #[derive(Deserialize)]
    struct Head {
        #[serde(default)]
        format: String,
        #[serde(default)]
        format_version: u32,
    }
    let head: Head = serde_json::from_str(&text).map_err(|source| ShardError::Json {
        path: path.clone(),
        source,
    })?;
    if head.format != PARTIAL_FORMAT || head.format_version != PARTIAL_FORMAT_VERSION {
        return Err(ShardError::Version {
            path,
            format: head.format,
            version: head.format_version,
        });
    }
    serde_json::from_str(&text).map_err(|source| ShardError::Json { path, source })
}

/// The rule that assigns pits to shards, recorded in every partial.
pub const SHARD_RULE: &str = "fnv1a64(pit id as UTF-8) mod shard_count";
/// Most shards of one audit.
pub const MAX_SHARDS: usize = 100_000;

/// Which shard of how many: `index` in `0..count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardSpec {
    /// This shard, from 0.
    pub index: usize,
    /// Number of shards.
    pub count: usize,
}

impl ShardSpec {
    /// A checked spec: `index < count ≤ MAX_SHARDS`.
    ///
    /// # Errors
    /// [`ShardError::BadSpec`] otherwise.
    pub fn new(index: usize, count: usize) -> Result<ShardSpec, ShardError> {
        if count == 0 || count > MAX_SHARDS || index >= count {
            return Err(ShardError::BadSpec {
                text: format!("{index}/{count}"),
            });
        }
        Ok(ShardSpec { index, count })
    }

    /// Parses `I/N` (e.g. `0/4`).
    ///
    /// # Errors
    /// [`ShardError::BadSpec`] naming the text.
    pub fn parse(text: &str) -> Result<ShardSpec, ShardError> {
        let bad = || ShardError::BadSpec {
            text: text.to_string(),
        };
        let (i, n) = text.split_once('/').ok_or_else(bad)?;
        let i = i.trim().parse::<usize>().map_err(|_| bad())?;
        let n = n.trim().parse::<usize>().map_err(|_| bad())?;
        ShardSpec::new(i, n).map_err(|_| bad())
    }
}

impl std::fmt::Display for ShardSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// The shard a pit belongs to: FNV-1a (64 bit) of its id's UTF-8 bytes, mod `count`.
pub fn shard_of(pit_id: &str, count: usize) -> usize {
    (fnv1a64(pit_id.as_bytes()) % count.max(1) as u64) as usize
}

/// FNV-1a, 64 bit: a stable hash (the same on every machine and version).
pub(crate) fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}
