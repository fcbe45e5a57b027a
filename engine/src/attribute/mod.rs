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
//! - `frame`: one fixed integer frame per pit, so that its pieces add up exactly.
//! - [`overlap`]: overlapping pits and their disjoint counted parts.
//! - [`pieces`]: cutting one pit by the liable licences.
//! - [`error`]: the layer's error enum, [`AttributeError`].
//!
//! See `docs/attribution.md` for the rule with a worked example.

pub mod date;
pub mod error;
mod frame;
pub mod input;
pub mod liability;
pub mod overlap;
pub mod pieces;
pub mod priority;
pub mod responsibility;

pub use date::Date;
pub use error::{AttributeError, DateProblem, FeatureKind};
pub use input::{Licence, Pit, MAX_COORDINATE};
pub use liability::{canonical_status, LiabilityRule, DEFAULT_MIN_PIECE_AREA, STATUS_VALID};
pub use overlap::PitOverlap;
pub use pieces::{Piece, Responsibility};
pub use priority::{compare_priority, priority_order};

use geo::MultiPolygon;
use rayon::prelude::*;

use crate::index::FootprintIndex;

use frame::{oriented, shapes_area, Frame};
use pieces::{cut_pit, Cut, LiableLicence, LiableSet};

/// The result of [`attribute`]: pieces, pit overlaps and per-pit area accounting.
///
/// For every pit `i`: `pit_areas[i]` is its full area; `counted_areas[i]` is what is
/// left after removing land already claimed by pits with smaller ids; the areas of its
/// pieces plus `dropped_areas[i]` equal `counted_areas[i]` (exactly on the pit's
/// integer frame, up to the rounding of licence-edge crossings; see `docs/attribution.md`).
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
    /// Largest integer-frame grid step over all pits, map units (about 2⁻³⁰ of a pit's
    /// size): the resolution of every piece boundary.
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
/// Each pit is processed on its own integer frame (about 2⁻³⁰ of its size, e.g.
/// 1e-7 m for a 100 m pit) so that its pieces tile it; areas are planar, in the
/// squared unit of the (projected) input CRS. Pits with no area give no pieces.
/// Pieces under `rule.min_piece_area` are not emitted; their area is in
/// [`Attribution::dropped_areas`].
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
    let liable = LiableSet::new(
        priority_order(licences)
            .into_iter()
            .filter_map(|i| {
                let l = licences.get(i)?;
                if !rule.is_liable(l) {
                    return None;
                }
                Some(LiableLicence {
                    id: l.id.clone(),
                    holder: l.holder_name()?.to_string(),
                    geometry: oriented(&l.geometry),
                })
            })
            .collect(),
    );
    let results = process_pits(pits, Some(&liable), min_area);

    let mut out = Attribution {
        pieces: Vec::new(),
        overlaps: Vec::new(),
        pit_areas: Vec::with_capacity(results.len()),
        counted_areas: Vec::with_capacity(results.len()),
        dropped_areas: Vec::with_capacity(results.len()),
        snap_step: 0.0,
    };
    for r in results {
        out.pit_areas.push(r.pit_area);
        out.counted_areas.push(r.counted_area);
        out.dropped_areas.push(r.cut.dropped);
        out.pieces.extend(r.cut.pieces);
        out.overlaps.extend(r.overlaps);
        out.snap_step = out.snap_step.max(r.step);
    }
    sort_overlaps(&mut out.overlaps);
    Ok(out)
}

/// Finds pairs of overlapping pits and their overlap areas (for quality control),
/// without cutting by licences. Pairs are sorted by (`pit_a`, `pit_b`), `pit_a < pit_b`;
/// overlaps below `rule.min_piece_area` are left out.
///
/// # Errors
/// As [`attribute`], for the pits and the rule's `min_piece_area`.
pub fn pit_overlaps(pits: &[Pit], rule: &LiabilityRule) -> Result<Vec<PitOverlap>, AttributeError> {
    let min_area = checked_min_area(rule)?;
    input::validate(pits, &[])?;
    let mut overlaps: Vec<PitOverlap> = process_pits(pits, None, min_area)
        .into_iter()
        .flat_map(|r| r.overlaps)
        .collect();
    sort_overlaps(&mut overlaps);
    Ok(overlaps)
}

/// Everything computed for one pit.
struct PitResult {
    /// Full area.
    pit_area: f64,
    /// Area after removing earlier pits.
    counted_area: f64,
    /// Overlaps with earlier pits.
    overlaps: Vec<PitOverlap>,
    /// Pieces (none when no licence set was given).
    cut: Cut,
    /// The frame's grid step.
    step: f64,
}

/// Resolves, deduplicates and (when `liable` is given) cuts every pit, in parallel.
fn process_pits(pits: &[Pit], liable: Option<&LiableSet>, min_area: f64) -> Vec<PitResult> {
    let oriented_pits: Vec<MultiPolygon<f64>> =
        pits.par_iter().map(|p| oriented(&p.geometry)).collect();
    let tree = FootprintIndex::new(pits.iter().map(|p| &p.geometry));
    pits.par_iter()
        .enumerate()
        .map(|(i, pit)| {
            let empty = Cut {
                pieces: Vec::new(),
                dropped: 0.0,
            };
            let (Some(frame), Some(geometry)) =
                (Frame::around(&pit.geometry), oriented_pits.get(i))
            else {
                return PitResult {
                    pit_area: 0.0,
                    counted_area: 0.0,
                    overlaps: Vec::new(),
                    cut: empty,
                    step: 0.0,
                };
            };
            let shapes = frame.resolve(&frame.rings(geometry));
            let pit_area = shapes_area(&shapes);
            let mut earlier: Vec<(&str, &MultiPolygon<f64>)> = tree
                .candidates(&pit.geometry)
                .into_iter()
                .filter_map(|j| Some((pits.get(j)?.id.as_str(), oriented_pits.get(j)?)))
                .filter(|(id, _)| *id < pit.id.as_str())
                .collect();
            earlier.sort_by(|a, b| a.0.cmp(b.0));
            let (counted, overlaps) = overlap::claim(&frame, &pit.id, &shapes, earlier, min_area);
            let counted_area = shapes_area(&counted);
            let cut = match liable {
                Some(set) => cut_pit(i, &pit.id, &frame, &pit.geometry, counted, set, min_area),
                None => empty,
            };
            PitResult {
                pit_area,
                counted_area,
                overlaps,
                cut,
                step: frame.step(),
            }
        })
        .collect()
}

/// Sorts overlap pairs by (`pit_a`, `pit_b`).
fn sort_overlaps(overlaps: &mut [PitOverlap]) {
    overlaps.sort_by(|a, b| a.pit_a.cmp(&b.pit_a).then_with(|| a.pit_b.cmp(&b.pit_b)));
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
        let mut rule = LiabilityRule {
            min_piece_area: -1.0,
            ..LiabilityRule::default()
        };
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
