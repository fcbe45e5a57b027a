//! Typed errors of the report writers and readers.
//!
//! Three families: *file trouble* (cannot write or read a file, a file read back is
//! malformed), *inconsistent report* (the [`AuditReport`](crate::results::AuditReport)
//! handed in breaks its own invariants — caller misuse) and *figures that do not add up*
//! ([`ReportError::Unbalanced`], from [`check_reconciliation`](super::check_reconciliation)).

use std::fmt;

pub use crate::csv::CsvProblem;
use std::path::PathBuf;

/// Errors writing or reading an audit's output folder.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReportError {
    /// A file could not be written or read.
    #[error("{}: {source}; check that the folder exists and is writable/readable", .path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A file read back is a FIFO, a device or a folder, not a regular file.
    #[error(transparent)]
    Input(crate::input::InputError),
    /// A file read back is larger than reclaim accepts for it.
    #[error("{}: {size} bytes exceeds the limit of {limit} bytes for this file; is it really an audit output?", .path.display())]
    TooLarge {
        path: PathBuf,
        size: u64,
        limit: u64,
    },
    /// `summary.json` could not be encoded or parsed.
    #[error("{}: {source}; the file is damaged or not a reclaim summary", .path.display())]
    Json {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    /// A CSV file read back is malformed.
    #[error("{}: line {line}: {problem}; the file is damaged or not a reclaim audit table", .path.display())]
    Csv {
        path: PathBuf,
        line: usize,
        problem: CsvProblem,
    },
    /// A GIS file (`results.gpkg`, `shapefiles/`) could not be written.
    #[error(transparent)]
    Gis(#[from] super::gis::GisError),
    /// A map image could not be encoded.
    #[error("map {map}: PNG encoding failed: {source}")]
    Png {
        map: String,
        #[source]
        source: png::EncodingError,
    },
    /// The report handed to the writers breaks one of its own invariants.
    #[error("inconsistent audit report: {what}: expected {expected}, found {found}")]
    Inconsistent {
        what: Inconsistency,
        expected: usize,
        found: usize,
    },
    /// A figure does not add up (see [`check_reconciliation`](super::check_reconciliation)).
    #[error("figures do not add up: {check}{}: {class}: expected {expected} ha, found {found} ha (difference {})",
        .id.as_ref().map(|i| format!(" ({i})")).unwrap_or_default(), .found - .expected)]
    Unbalanced {
        check: Check,
        /// The pit or licence id when the check is per pit or per licence.
        id: Option<String>,
        /// The land class or figure compared (`restored`, `footprint`, …).
        class: &'static str,
        expected: f64,
        found: f64,
    },
    /// An area is negative, infinite or NaN.
    #[error(
        "invalid area: {level} {id}: {class} = {value} ha; areas must be finite and not negative"
    )]
    InvalidArea {
        level: &'static str,
        id: String,
        class: &'static str,
        value: f64,
    },
}

/// Which invariant of an [`AuditReport`](crate::results::AuditReport) is broken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Inconsistency {
    /// `piece_geometry` must be parallel to `pieces`.
    PieceGeometryCount,
    /// A class map's `cells` must hold `width × height` values.
    MapCells,
    /// `summary.piece_count` must equal the number of pieces.
    PieceCount,
    /// `summary.pit_count` must equal the number of pits.
    PitCount,
    /// `summary.license_count` must equal the number of licences (mines).
    LicenseCount,
    /// `summary.overlap_count` must equal the number of overlaps.
    OverlapCount,
}

impl fmt::Display for Inconsistency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Inconsistency::PieceGeometryCount => "piece_geometry entries (one per piece)",
            Inconsistency::MapCells => "class map cells (width × height)",
            Inconsistency::PieceCount => "summary.piece_count (number of pieces)",
            Inconsistency::PitCount => "summary.pit_count (number of pits)",
            Inconsistency::LicenseCount => "summary.license_count (number of licences)",
            Inconsistency::OverlapCount => "summary.overlap_count (number of overlaps)",
        })
    }
}

/// Which sum [`check_reconciliation`](super::check_reconciliation) compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Check {
    /// One pit's areas against the sum of its pieces.
    PitFromPieces,
    /// One licence's areas against the sum of its responsible pieces.
    MineFromPieces,
    /// The county against the sum of all pieces.
    CountyFromPieces,
    /// The county against the sum of all pits.
    CountyFromPits,
    /// Footprint against restored + unrestored + water + unobserved.
    Footprint,
    /// Unrestored against responsible + legacy.
    UnrestoredSplit,
    /// Responsible (or legacy) unrestored land against the sum of those pieces.
    ResponsibilityFromPieces,
    /// A baseline delta against now − baseline.
    BaselineDelta,
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Check::PitFromPieces => "pit = Σ its pieces",
            Check::MineFromPieces => "licence = Σ its pieces",
            Check::CountyFromPieces => "county = Σ pieces",
            Check::CountyFromPits => "county = Σ pits",
            Check::Footprint => "footprint = restored + unrestored + water + unobserved",
            Check::UnrestoredSplit => "unrestored = responsible + legacy",
            Check::ResponsibilityFromPieces => "county responsible/legacy = Σ those pieces",
            Check::BaselineDelta => "baseline delta = now − baseline",
        })
    }
}
