//! Scale-out: one audit split into `N` shards that run as independent jobs, each
//! writing a partial result that [`super::merge`] adds up into the one-shot report.
//!
//! Every shard reads all pits and licences and cuts all pieces (so pit
//! de-duplication and overlap reporting are the same as in one run), but only
//! *measures* the pieces of its own pits: pit `p` belongs to shard
//! `fnv1a64(p.id) mod N` ([`shard_of`]), whatever the input order. A piece's
//! transition table is summed over blocks in row-major block order whichever
//! shard computes it, so per-piece figures are bit-identical to a one-shot run.
//!
//! Besides the tables, a shard records every footprint cell its pieces touch with
//! that cell's class (row runs), so the merge can paint the county and mine maps
//! exactly as one sweep would (a cell shared by pieces of two shards counts once).
//!
//! The partial result is a folder with one versioned JSON file, [`PARTIAL_FILE`];
//! floats are stored as the hex of their bits so they survive JSON unchanged.

use super::config::AuditConfig;
use super::error::AuditError;
use super::run::{run_with, sha256_file, AuditOptions};
use super::sweep::{Canvas, Causes, SweepResult, Transitions};
use crate::attribute::Attribution;
use crate::coverage::Coverage;
use crate::grid::{Grid, Window};
use crate::report::ReportError;
use crate::results::{ClassMap, Provenance};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// File name of a partial result inside its folder.
pub const PARTIAL_FILE: &str = "partial.json";
/// Value of [`Partial::format`].
pub const PARTIAL_FORMAT: &str = "reclaim-audit-partial";
/// Version of the partial layout; bumped when a field changes meaning.
pub const PARTIAL_FORMAT_VERSION: u32 = 3;
/// The rule that assigns pits to shards, recorded in every partial.
pub const SHARD_RULE: &str = "fnv1a64(pit id as UTF-8) mod shard_count";
/// Most shards of one audit.
pub const MAX_SHARDS: usize = 100_000;
/// Largest `partial.json` read back.
const PARTIAL_MAX_BYTES: u64 = 4 << 30;

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
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

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

// ---------------------------------------------------------------------------
// How `run_with` measures pieces: one sweep, a shard's sweep, or a merge.

/// Per-piece tables, unmapped values and finished maps, as the runner needs them.
#[derive(Debug, Default)]
pub(crate) struct Measured {
    /// Per piece (all of them), m² by (previous class, current class).
    pub transitions: Vec<Transitions>,
    /// Unmapped values seen (value bits → cells; only the keys are reported).
    pub unmapped: super::imagery::Unmapped,
    /// Footprint m² over unmapped values.
    pub unmapped_m2: f64,
    /// Per piece, m² over unmapped values.
    pub unmapped_m2_by_piece: Vec<f64>,
    /// Per piece, m² over the raster by [`Causes`] slot.
    pub causes_m2_by_piece: Vec<Causes>,
    /// Composites only, per piece: m² with too few clear observations, and the sum
    /// of m² × clear observations (empty for one raster).
    pub composite_m2_by_piece: Vec<[f64; 2]>,
    /// Composites only: per used scene, what it says of the footprint cells.
    pub scene_tally: Vec<super::composite::SceneTally>,
    /// The county map, then one map per mine, as the canvases were given.
    pub maps: Vec<ClassMap>,
}

/// A canvas to paint: window of the grid, longest side in pixels.
pub(crate) type MapSpec = (Window, usize);

/// The sweep, as the runner offers it: coverages and canvases in, result out.
pub(crate) type SweepFn<'a> =
    dyn FnMut(&[Coverage], Vec<Canvas>) -> Result<SweepResult, AuditError> + 'a;

/// The measuring step of an audit run.
pub(crate) trait Measure {
    /// Measures the pieces of `att` (with `coverages`, one per piece) and paints
    /// `maps`, calling `sweep` as needed.
    fn measure(
        &mut self,
        att: &Attribution,
        coverages: Vec<Coverage>,
        maps: Vec<MapSpec>,
        grid: &Grid,
        sweep: &mut SweepFn<'_>,
    ) -> Result<Measured, AuditError>;

    /// True for the one-shot audit (which alone makes the class raster).
    fn one_shot(&self) -> bool {
        false
    }
}

/// The one-shot audit: one sweep over every piece.
pub(crate) struct OneShot;

impl Measure for OneShot {
    fn one_shot(&self) -> bool {
        true
    }

    fn measure(
        &mut self,
        _att: &Attribution,
        coverages: Vec<Coverage>,
        maps: Vec<MapSpec>,
        grid: &Grid,
        sweep: &mut SweepFn<'_>,
    ) -> Result<Measured, AuditError> {
        let canvases = maps.into_iter().map(|(w, px)| Canvas::new(w, px)).collect();
        let swept = sweep(&coverages, canvases)?;
        Ok(Measured {
            maps: swept.canvases.iter().map(|c| c.finish(grid)).collect(),
            transitions: swept.transitions,
            unmapped: swept.unmapped,
            unmapped_m2: swept.unmapped_m2,
            unmapped_m2_by_piece: swept.unmapped_m2_by_piece,
            causes_m2_by_piece: swept.causes_m2_by_piece,
            composite_m2_by_piece: swept.composite_m2_by_piece,
            scene_tally: swept.scene_tally,
        })
    }
}

/// What a shard's sweep keeps.
#[derive(Debug, Default)]
struct ShardData {
    pieces: Vec<PartialPiece>,
    unmapped_values: Vec<String>,
    cells: Vec<CellRun>,
}

/// A shard: sweeps only its own pieces, and records their cells at full resolution.
struct ShardMeasure {
    spec: ShardSpec,
    data: Option<ShardData>,
}

impl Measure for ShardMeasure {
    fn measure(
        &mut self,
        att: &Attribution,
        mut coverages: Vec<Coverage>,
        _maps: Vec<MapSpec>,
        grid: &Grid,
        sweep: &mut SweepFn<'_>,
    ) -> Result<Measured, AuditError> {
        let own: Vec<bool> = att
            .pieces
            .iter()
            .map(|p| shard_of(&p.pit_id, self.spec.count) == self.spec.index)
            .collect();
        // One full-resolution canvas (1 cell per pixel) per own pit: its cells.
        let mut pit_windows: Vec<(usize, Window)> = Vec::new();
        for ((p, c), mine) in att.pieces.iter().zip(&coverages).zip(&own) {
            if !*mine || c.window.is_empty() {
                continue;
            }
            match pit_windows.last_mut() {
                Some((pit, w)) if *pit == p.pit_index => *w = w.bounding(&c.window),
                _ => pit_windows.push((p.pit_index, c.window)),
            }
        }
        let windows: Vec<Window> = pit_windows.into_iter().map(|(_, w)| w).collect();
        let canvases = windows
            .iter()
            .map(|w| Canvas::new(*w, w.width.max(w.height)))
            .collect();
        // Foreign pieces are not swept: an empty coverage keeps their index.
        for (c, mine) in coverages.iter_mut().zip(&own) {
            if !*mine {
                *c = Coverage::empty(c.window);
            }
        }
        let swept = sweep(&coverages, canvases)?;

        let mut cells: Vec<(usize, usize, u8)> = Vec::new();
        for (w, c) in windows.iter().zip(&swept.canvases) {
            let map = c.finish(grid);
            if map.width != w.width || map.height != w.height {
                return Err(AuditError::Reconciliation {
                    detail: format!(
                        "shard canvas {}×{} for a {}×{} window",
                        map.width, map.height, w.width, w.height
                    ),
                });
            }
            for (i, v) in map.cells.iter().enumerate() {
                if *v < 4 {
                    cells.push((w.row_off + i / w.width, w.col_off + i % w.width, *v));
                }
            }
        }
        cells.sort_unstable();
        cells.dedup();
        let pieces = att
            .pieces
            .iter()
            .zip(swept.transitions.iter().zip(&swept.unmapped_m2_by_piece))
            .zip(&swept.causes_m2_by_piece)
            .enumerate()
            .filter(|(i, _)| own.get(*i).copied().unwrap_or(false))
            .map(|(i, ((p, (t, um)), causes))| PartialPiece {
                piece: i,
                pit_id: p.pit_id.clone(),
                transitions_m2: t.iter().flatten().map(|v| f64_hex(*v)).collect(),
                unmapped_m2: f64_hex(*um),
                observation_m2: causes.iter().map(|v| f64_hex(*v)).collect(),
            })
            .collect();
        self.data = Some(ShardData {
            pieces,
            unmapped_values: swept.unmapped.keys().map(|k| format!("{k:016x}")).collect(),
            cells: runs(&cells),
        });
        Ok(Measured {
            transitions: swept.transitions,
            unmapped: swept.unmapped,
            unmapped_m2: swept.unmapped_m2,
            unmapped_m2_by_piece: swept.unmapped_m2_by_piece,
            causes_m2_by_piece: swept.causes_m2_by_piece,
            composite_m2_by_piece: swept.composite_m2_by_piece,
            scene_tally: swept.scene_tally,
            maps: Vec::new(),
        })
    }
}

/// Sorted, distinct `(row, col, class)` cells as row runs of adjacent cells.
fn runs(cells: &[(usize, usize, u8)]) -> Vec<CellRun> {
    let mut out: Vec<CellRun> = Vec::new();
    for &(row, col, class) in cells {
        let digit = char::from(b'0' + class.min(9));
        match out.last_mut() {
            Some((r, c, s)) if *r == row && *c + s.len() == col => s.push(digit),
            _ => out.push((row, col, digit.to_string())),
        }
    }
    out
}

/// Runs one shard of an audit: every pit and piece is read and cut, only this
/// shard's pieces are measured.
///
/// # Errors
/// Any [`AuditError`] of the audit (as [`ShardError::Audit`]).
pub fn run_shard(
    cfg: &AuditConfig,
    opts: &AuditOptions,
    spec: ShardSpec,
) -> Result<Partial, ShardError> {
    if cfg.imagery.is_composite() {
        return Err(AuditError::Scenes {
            detail: "a composite of scenes is not sharded yet (the partial format has no clear-observation counts): run `reclaim audit` on it, which streams the scenes in bounded memory".into(),
        }
        .into());
    }
    let mut m = ShardMeasure { spec, data: None };
    let report = run_with(cfg, opts, &mut m)?;
    let data = m.data.take().unwrap_or_default();
    let previous = match &report.previous {
        Some(p) => Some(PartialPrevious {
            dir: p.dir.clone(),
            summary_sha256: sha256_file(&p.dir.join(crate::report::SUMMARY_FILE))?,
        }),
        None => None,
    };
    Ok(Partial {
        format: PARTIAL_FORMAT.to_string(),
        format_version: PARTIAL_FORMAT_VERSION,
        shard_index: spec.index,
        shard_count: spec.count,
        shard_rule: SHARD_RULE.to_string(),
        provenance: report.provenance,
        previous,
        pit_count: report.pits.len(),
        piece_count: report.pieces.len(),
        pieces: data.pieces,
        unmapped_values: data.unmapped_values,
        cells: data.cells,
    })
}

/// Writes a partial result into the folder `dir` (created if needed); the file is
/// replaced atomically. `dir` is checked first with [`crate::folders::check_out`].
///
/// # Errors
/// [`ShardError::Io`] naming the folder or file.
pub fn write_partial(partial: &Partial, dir: &Path) -> Result<(), ShardError> {
    let mut inputs: Vec<_> = partial
        .provenance
        .inputs
        .iter()
        .map(|i| (i.role.clone(), i.path.clone()))
        .collect();
    if let Some(p) = &partial.previous {
        inputs.push(("previous audit".into(), p.dir.clone()));
    }
    crate::folders::check_out(dir, crate::output::OutputKind::PartialFolder, &inputs)
        .map_err(|e| ShardError::Audit(Box::new(AuditError::from(e))))?;
    std::fs::create_dir_all(dir).map_err(|source| ShardError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let path = dir.join(PARTIAL_FILE);
    let mut text = serde_json::to_string(partial).map_err(|source| ShardError::Json {
        path: path.clone(),
        source,
    })?;
    text.push('\n');
    crate::output::write_atomic(&path, text.as_bytes()).map_err(|e| match e {
        crate::Error::Output { path, source } => ShardError::Io { path, source },
        other => ShardError::Audit(Box::new(AuditError::from(other))),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_bad_ones_are_refused() {
        assert_eq!(
            ShardSpec::parse("3/4").unwrap(),
            ShardSpec { index: 3, count: 4 }
        );
        assert_eq!(ShardSpec::parse(" 0 / 1 ").unwrap().count, 1);
        for bad in ["4/4", "0/0", "a/4", "1", "-1/4", "1/4/5", ""] {
            let e = ShardSpec::parse(bad).unwrap_err().to_string();
            assert!(e.contains("I/N"), "{bad}: {e}");
        }
        assert_eq!(ShardSpec::new(1, 2).unwrap().to_string(), "1/2");
    }

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        // FNV-1a 64 test vectors: "" → cbf29ce484222325, "a" → af63dc4c8601ec8c,
        // "foobar" → 85944171f73967e8.
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
        assert_eq!(shard_of("a", 1), 0);
        assert_eq!(shard_of("a", 4), (0xaf63dc4c8601ec8c_u64 % 4) as usize);
    }

    #[test]
    fn floats_round_trip_bit_for_bit() {
        for v in [0.0, -0.0, 0.1 + 0.2, 1e-300, f64::MAX, 123456.789] {
            assert_eq!(hex_f64(&f64_hex(v)).unwrap().to_bits(), v.to_bits());
        }
        assert_eq!(f64_hex(1.0), "3ff0000000000000");
        assert!(hex_f64("3ff").is_err());
        assert!(hex_f64("3ff000000000000g").is_err());
    }

    #[test]
    fn cells_become_row_runs() {
        let cells = [(0, 1, 0), (0, 2, 1), (0, 4, 3), (1, 0, 2), (1, 1, 2)];
        assert_eq!(
            runs(&cells),
            vec![
                (0, 1, "01".to_string()),
                (0, 4, "3".to_string()),
                (1, 0, "22".to_string())
            ]
        );
    }
}
