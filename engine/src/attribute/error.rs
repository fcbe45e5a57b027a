//! Errors of the attribution layer.
//!
//! Variants separate *broken input* (a duplicate id, a date that does not exist, a
//! coordinate that is not a number) from *caller misuse* (a negative sliver threshold).
//! Every variant names the feature it is about.

use std::fmt;

/// Which kind of input feature an error is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum FeatureKind {
    /// A mining-disturbed footprint (图斑).
    Pit,
    /// A mining licence polygon (采矿权).
    Licence,
}

impl fmt::Display for FeatureKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            FeatureKind::Pit => "pit",
            FeatureKind::Licence => "licence",
        })
    }
}

/// What is wrong with a date string or a date value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DateProblem {
    /// The text matches none of the accepted layouts.
    Layout,
    /// The month is not 1–12.
    Month,
    /// The day does not exist in that month (e.g. 2025-02-30).
    Day,
    /// The year is outside 1–9999.
    Year,
}

impl fmt::Display for DateProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            DateProblem::Layout => {
                "expected YYYY-MM-DD, YYYY/MM/DD, YYYY.MM.DD, YYYYMMDD or YYYY年MM月DD日"
            }
            DateProblem::Month => "the month is not 1–12",
            DateProblem::Day => "that day does not exist in that month",
            DateProblem::Year => "the year is not 1–9999",
        })
    }
}

/// Errors from [`attribute`](super::attribute) and its inputs.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AttributeError {
    /// Two pits share an id; ids must be unique because they order the deduplication.
    #[error("pit id {id:?} occurs more than once (inputs #{first} and #{second}); pit ids must be unique")]
    DuplicatePitId {
        /// The repeated id.
        id: String,
        /// Index of its first occurrence.
        first: usize,
        /// Index of the repeat.
        second: usize,
    },
    /// Two licences share an id; ids break priority ties, so they must be unique.
    #[error("licence id {id:?} occurs more than once (inputs #{first} and #{second}); licence ids must be unique")]
    DuplicateLicenceId {
        /// The repeated id.
        id: String,
        /// Index of its first occurrence.
        first: usize,
        /// Index of the repeat.
        second: usize,
    },
    /// A pit or licence has an empty (or all-blank) id.
    #[error("{kind} #{index} has an empty id; every {kind} needs a non-blank id")]
    EmptyId {
        /// Pit or licence.
        kind: FeatureKind,
        /// Position in the input slice.
        index: usize,
    },
    /// A date could not be read, or a licence carries a date that does not exist.
    #[error("invalid date {value:?}{}: {problem}", licence.as_ref().map(|l| format!(" on licence {l:?}")).unwrap_or_default())]
    InvalidDate {
        /// The licence whose valid-to date is wrong, when known.
        licence: Option<String>,
        /// The offending text (or the date as written `Y-M-D`).
        value: String,
        /// What is wrong with it.
        problem: DateProblem,
    },
    /// A coordinate is NaN or infinite.
    #[error("{kind} {id:?} has a coordinate that is not a finite number")]
    NonFiniteCoordinate {
        /// Pit or licence.
        kind: FeatureKind,
        /// The feature's id.
        id: String,
    },
    /// A coordinate is beyond ±1e9 map units, far outside any projected or geographic CRS.
    #[error("{kind} {id:?} has coordinate {value} beyond ±1e9 map units; is the CRS right?")]
    CoordinateOutOfRange {
        /// Pit or licence.
        kind: FeatureKind,
        /// The feature's id.
        id: String,
        /// The offending value.
        value: f64,
    },
    /// The sliver threshold in the rule is negative or not a number.
    #[error("min_piece_area must be a finite number >= 0, got {value}")]
    InvalidMinPieceArea {
        /// The value given.
        value: f64,
    },
}
