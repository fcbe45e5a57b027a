//! Attribution: who answers for which square metre of disturbed land.
//!
//! A licence is *liable* when its status is in the [`LiabilityRule`]'s set (default:
//! valid, expired, suspended; Chinese status words accepted) and it names a holder.
//! Each pit is cut into exact polygon pieces: the part inside liable licence *k* is the
//! responsibility of *k*'s holder; the part outside every liable licence is historical
//! legacy. Where liable licences overlap, the land goes to one of them by
//! [`compare_priority`]: status `valid` first, then the latest valid-to date (missing
//! last), then the smallest id. Pits that overlap each other are made disjoint before
//! cutting (the pit with the smaller id keeps shared land), so county totals count land
//! once; the overlapping pairs are reported.
//!
//! Parts:
//! - [`date`]: valid-to dates in the layouts licence tables use.
//! - [`input`]: [`Pit`] and [`Licence`] and their validation.
//! - [`liability`]: the liable status set and the status vocabulary.
//! - [`priority`]: which licence wins an overlap.
//! - `snap`: the shared snapping grid that makes piece areas add up exactly.
//! - `envelopes`: R-tree of envelopes for candidate pairs.
//! - [`overlap`]: overlapping pits and their disjoint counted parts.
//! - [`pieces`]: cutting one pit by the liable licences.
//! - [`error`]: [`AttributeError`].
//!
//! See `docs/attribution.md` for the rule with a worked example.

pub mod date;
mod envelopes;
pub mod error;
pub mod input;
pub mod liability;
pub mod overlap;
pub mod pieces;
pub mod priority;
mod snap;

pub use date::Date;
pub use error::{AttributeError, DateProblem, FeatureKind};
pub use input::{Licence, Pit, MAX_COORDINATE};
pub use liability::{canonical_status, LiabilityRule, DEFAULT_MIN_PIECE_AREA, STATUS_VALID};
pub use overlap::PitOverlap;
pub use pieces::{Piece, Responsibility};
pub use priority::{compare_priority, priority_order};

use geo::MultiPolygon;
use rayon::prelude::*;

use pieces::{cut_pit, LiableLicence, LiableSet};
use snap::{area, SnapGrid};

/// The result of [`attribute`]: pieces, pit overlaps and per-pit area accounting.
///
/// For every pit `i`: `pit_areas[i]` is its full area; `counted_areas[i]` is what is
/// left after removing land already claimed by pits with smaller ids; the areas of its
/// pieces plus `dropped_areas[i]` equal `counted_areas[i]` (to ~1e-12 relative).
#[derive(Debug, Clone, PartialEq)]
pub struct Attribution {
    /// Pieces in pit input order; within a pit, responsible pieces by licence priority,
    /// then the legacy piece. Pieces are cut from the pit's *counted* geometry.
    pub pieces: Vec<Piece>,
    /// Pairs of pits that overlap, sorted by (`pit_a`, `pit_b`).
    pub overlaps: Vec<PitOverlap>,
    /// Full area of each pit (overlapping parts of a multipolygon counted once), map units².
    pub pit_areas: Vec<f64>,
    /// Area of each pit after removing land of pits with smaller ids, map units².
    pub counted_areas: Vec<f64>,
    /// Area of each pit's slivers below [`LiabilityRule::min_piece_area`], map units².
    pub dropped_areas: Vec<f64>,
    /// Step of the snapping grid all geometry was put on, map units.
    pub snap_step: f64,
}

impl Attribution {
    /// Total area of responsible pieces, map units².
    pub fn responsible_area(&self) -> f64 {
        self.pieces
            .iter()
            .filter(|p| p.responsibility != Responsibility::Legacy)
            .map(|p| p.area)
            .sum()
    }

    /// Total area of historical-legacy pieces, map units².
    pub fn legacy_area(&self) -> f64 {
        self.pieces
            .iter()
            .filter(|p| p.responsibility == Responsibility::Legacy)
            .map(|p| p.area)
            .sum()
    }
}

/// Cuts every pit into pieces with a responsibility; see the [module docs](self).
///
/// Geometry is first put on a common power-of-two grid of about 2⁻²⁸ of the data
/// extent (≤ 0.5 mm for a 100 km county) so that pieces tile each pit exactly; areas
/// are planar, in the squared unit of the (projected) input CRS. Pits and licences
/// with no area give no pieces. Pieces under `rule.min_piece_area` are not emitted;
/// their area is in [`Attribution::dropped_areas`].
///
/// ```
/// use geo::{polygon, MultiPolygon};
/// use reclaim::attribute::{attribute, LiabilityRule, Licence, Pit, Responsibility};
///
/// let square = |x0: f64, x1: f64| MultiPolygon(vec![polygon![
///     (x: x0, y: 0.0), (x: x1, y: 0.0), (x: x1, y: 10.0), (x: x0, y: 10.0), (x: x0, y: 0.0)
/// ]]);
/// let pits = [Pit { id: "P1".into(), geometry: square(0.0, 10.0) }];
/// let licences = [Licence {
///     id: "C1".into(), holder: Some("Acme".into()), status: "有效".into(),
///     valid_to: None, geometry: square(5.0, 20.0),
/// }];
/// let a = attribute(&pits, &licences, &LiabilityRule::default()).unwrap();
/// assert_eq!(a.pieces.len(), 2);
/// assert_eq!((a.pieces[0].area, a.pieces[1].area), (50.0, 50.0));
/// assert_eq!(a.pieces[1].responsibility, Responsibility::Legacy);
/// ```
///
/// # Errors
/// Blank or duplicate pit/licence ids, a licence date that does not exist, NaN,
/// infinite or out-of-range (beyond ±1e9) coordinates, and a negative or non-finite
/// `rule.min_piece_area`.
pub fn attribute(
    pits: &[Pit],
    licences: &[Licence],
    rule: &LiabilityRule,
) -> Result<Attribution, AttributeError> {
    let min_area = checked_min_area(rule)?;
    input::validate(pits, licences)?;

    let liable_indices: Vec<usize> = priority_order(licences)
        .into_iter()
        .filter(|&i| licences.get(i).is_some_and(|l| rule.is_liable(l)))
        .collect();
    let grid = SnapGrid::covering(
        pits.iter().map(|p| &p.geometry).chain(
            liable_indices
                .iter()
                .filter_map(|&i| licences.get(i).map(|l| &l.geometry)),
        ),
    );

    let pit_geometries: Vec<MultiPolygon<f64>> = pits
        .par_iter()
        .map(|p| grid.normalise(&p.geometry))
        .collect();
    let pit_ids: Vec<&str> = pits.iter().map(|p| p.id.as_str()).collect();
    let dedup = overlap::deduplicate(&pit_ids, &pit_geometries, &grid, min_area);

    let liable = LiableSet::new(
        liable_indices
            .par_iter()
            .filter_map(|&i| {
                let l = licences.get(i)?;
                Some(LiableLicence {
                    id: l.id.clone(),
                    holder: l.holder_name()?.to_string(),
                    geometry: grid.normalise(&l.geometry),
                })
            })
            .collect(),
    );

    let cuts: Vec<pieces::Cut> = dedup
        .counted
        .par_iter()
        .enumerate()
        .map(|(i, counted)| {
            let id = pit_ids.get(i).copied().unwrap_or_default();
            cut_pit(i, id, counted, &liable, &grid, min_area)
        })
        .collect();

    let mut all_pieces = Vec::new();
    let mut dropped_areas = Vec::with_capacity(cuts.len());
    for cut in cuts {
        all_pieces.extend(cut.pieces);
        dropped_areas.push(cut.dropped);
    }
    Ok(Attribution {
        pieces: all_pieces,
        overlaps: dedup.overlaps,
        pit_areas: pit_geometries.iter().map(area).collect(),
        counted_areas: dedup.counted.iter().map(area).collect(),
        dropped_areas,
        snap_step: grid.step(),
    })
}

/// Finds pairs of overlapping pits and their overlap areas (for quality control),
/// without cutting by licences. Pairs are sorted by (`pit_a`, `pit_b`), `pit_a < pit_b`.
///
/// # Errors
/// As [`attribute`], for the pits and the rule's `min_piece_area`.
pub fn pit_overlaps(pits: &[Pit], rule: &LiabilityRule) -> Result<Vec<PitOverlap>, AttributeError> {
    let min_area = checked_min_area(rule)?;
    input::validate(pits, &[])?;
    let grid = SnapGrid::covering(pits.iter().map(|p| &p.geometry));
    let geometries: Vec<MultiPolygon<f64>> = pits
        .par_iter()
        .map(|p| grid.normalise(&p.geometry))
        .collect();
    let ids: Vec<&str> = pits.iter().map(|p| p.id.as_str()).collect();
    Ok(overlap::deduplicate(&ids, &geometries, &grid, min_area).overlaps)
}

/// The rule's sliver threshold, if it is a finite non-negative number.
fn checked_min_area(rule: &LiabilityRule) -> Result<f64, AttributeError> {
    let value = rule.min_piece_area;
    if value.is_finite() && value >= 0.0 {
        Ok(value)
    } else {
        Err(AttributeError::InvalidMinPieceArea { value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)
        ]])
    }

    #[test]
    fn rejects_bad_threshold() {
        let mut rule = LiabilityRule::default();
        rule.min_piece_area = -1.0;
        assert_eq!(
            attribute(&[], &[], &rule),
            Err(AttributeError::InvalidMinPieceArea { value: -1.0 })
        );
        rule.min_piece_area = f64::NAN;
        assert!(pit_overlaps(&[], &rule).is_err());
    }

    #[test]
    fn empty_input_gives_empty_output() {
        let a = attribute(&[], &[], &LiabilityRule::default()).unwrap();
        assert!(a.pieces.is_empty() && a.overlaps.is_empty() && a.pit_areas.is_empty());
    }

    #[test]
    fn overlapping_pits_share_land_once() {
        // P1 0..10 × 0..10 and P2 5..15 × 0..10; licence L covers x ≥ 8.
        // P1 (counted 100): L gets 8..10 → 20, legacy 80.
        // P2 (counted 10..15 → 50): all inside L → 50. Union = 150 = 100 + 50.
        let pits = [
            Pit {
                id: "P2".into(),
                geometry: rect(5.0, 0.0, 15.0, 10.0),
            },
            Pit {
                id: "P1".into(),
                geometry: rect(0.0, 0.0, 10.0, 10.0),
            },
        ];
        let licences = [Licence {
            id: "L".into(),
            holder: Some("H".into()),
            status: "valid".into(),
            valid_to: None,
            geometry: rect(8.0, -1.0, 20.0, 11.0),
        }];
        let a = attribute(&pits, &licences, &LiabilityRule::default()).unwrap();
        assert_eq!(a.pit_areas, [100.0, 100.0]);
        assert_eq!(a.counted_areas, [50.0, 100.0]);
        let got: Vec<(&str, bool, f64)> = a
            .pieces
            .iter()
            .map(|p| {
                (
                    p.pit_id.as_str(),
                    p.responsibility == Responsibility::Legacy,
                    p.area,
                )
            })
            .collect();
        assert_eq!(
            got,
            [("P2", false, 50.0), ("P1", false, 20.0), ("P1", true, 80.0)]
        );
        assert_eq!(
            a.overlaps,
            [PitOverlap {
                pit_a: "P1".into(),
                pit_b: "P2".into(),
                area: 50.0
            }]
        );
        assert_eq!(a.responsible_area(), 70.0);
        assert_eq!(a.legacy_area(), 80.0);
        assert_eq!(
            pit_overlaps(&pits, &LiabilityRule::default()).unwrap(),
            a.overlaps
        );
    }
}
