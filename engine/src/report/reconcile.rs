//! Every figure adds up: pieces → pits → licences → county.
//!
//! The runner computes the figures; [`check_reconciliation`] proves, before anything
//! is written, that the tables a bureau will add up by hand do add up.

use super::error::{Check, Inconsistency, ReportError};
use crate::results::{AuditReport, ClassAreas, LandClass, Responsibility};
use std::collections::HashMap;

/// Absolute tolerance of a comparison, in hectares.
pub const TOLERANCE_HA: f64 = 1e-6;

/// Relative tolerance, for sums over very many pieces (rounding grows with size).
const RELATIVE_TOLERANCE: f64 = 1e-12;

/// Checks that the figures of a report add up.
///
/// - every area is finite and ≥ 0;
/// - `summary.piece_count`, `pit_count`, `license_count`, `overlap_count` match the lists;
/// - each pit = Σ its pieces; each licence = Σ its responsible pieces (class by class);
/// - county = Σ pieces = Σ pits (class by class);
/// - footprint = restored + unrestored + water + unobserved;
/// - unrestored = responsible + legacy, and each = Σ those pieces' unrestored land;
/// - baseline deltas = now − baseline.
///
/// Comparisons allow 1e-6 ha (or 1e-12 of the figure, if larger).
///
/// # Errors
/// The first failed check: [`ReportError::Unbalanced`], [`ReportError::InvalidArea`]
/// or [`ReportError::Inconsistent`].
pub fn check_reconciliation(report: &AuditReport) -> Result<(), ReportError> {
    check_counts(report)?;
    for p in &report.pieces {
        check_valid("piece of pit", &p.pit_id, &p.areas)?;
    }
    for p in &report.pits {
        check_valid("pit", &p.pit_id, &p.areas)?;
    }
    for m in &report.mines {
        check_valid("licence", &m.license_id, &m.areas)?;
    }

    let mut by_pit: HashMap<&str, ClassAreas> = HashMap::new();
    let mut by_licence: HashMap<&str, ClassAreas> = HashMap::new();
    let mut all = ClassAreas::default();
    let (mut responsible, mut legacy, mut unattributed) = (0.0, 0.0, 0.0);
    for p in &report.pieces {
        by_pit.entry(&p.pit_id).or_default().add(&p.areas);
        all.add(&p.areas);
        match &p.responsibility {
            Responsibility::Responsible { license_id, .. } => {
                by_licence.entry(license_id).or_default().add(&p.areas);
                responsible += p.areas.unrestored_ha;
            }
            Responsibility::Legacy => legacy += p.areas.unrestored_ha,
            Responsibility::Unattributed => unattributed += p.areas.unrestored_ha,
        }
    }
    let zero = ClassAreas::default();
    for p in &report.pits {
        let sum = by_pit.remove(p.pit_id.as_str()).unwrap_or_default();
        compare_classes(Check::PitFromPieces, Some(&p.pit_id), &sum, &p.areas)?;
    }
    // Pieces of a pit that has no row: the county from pits would miss them.
    if let Some((id, areas)) = by_pit.into_iter().next() {
        compare_classes(Check::PitFromPieces, Some(id), &areas, &zero)?;
    }
    for m in &report.mines {
        let sum = by_licence.remove(m.license_id.as_str()).unwrap_or_default();
        compare_classes(Check::MineFromPieces, Some(&m.license_id), &sum, &m.areas)?;
    }
    if let Some((id, areas)) = by_licence.into_iter().next() {
        compare_classes(Check::MineFromPieces, Some(id), &areas, &zero)?;
    }

    let s = &report.summary;
    let county = s.county_areas();
    check_valid("county", "summary", &county)?;
    compare_classes(Check::CountyFromPieces, None, &all, &county)?;
    let mut pits_sum = ClassAreas::default();
    for p in &report.pits {
        pits_sum.add(&p.areas);
    }
    compare_classes(Check::CountyFromPits, None, &pits_sum, &county)?;
    compare(
        Check::Footprint,
        None,
        "footprint",
        county.total_ha(),
        s.footprint_ha,
    )?;
    compare(
        Check::UnrestoredSplit,
        None,
        "unrestored",
        s.unrestored_responsible_ha + s.unrestored_legacy_ha + s.unrestored_unattributed_ha,
        s.unrestored_ha,
    )?;
    compare(
        Check::ResponsibilityFromPieces,
        None,
        "unrestored unattributed",
        unattributed,
        s.unrestored_unattributed_ha,
    )?;
    compare(
        Check::ResponsibilityFromPieces,
        None,
        "unrestored responsible",
        responsible,
        s.unrestored_responsible_ha,
    )?;
    compare(
        Check::ResponsibilityFromPieces,
        None,
        "unrestored legacy",
        legacy,
        s.unrestored_legacy_ha,
    )?;
    if let Some(b) = &report.baseline {
        let pairs = [
            (
                "restored",
                s.restored_ha - b.baseline.restored_ha,
                b.restored_delta_ha,
            ),
            (
                "unrestored",
                s.unrestored_ha - b.baseline.unrestored_ha,
                b.unrestored_delta_ha,
            ),
            (
                "unrestored responsible",
                s.unrestored_responsible_ha - b.baseline.unrestored_responsible_ha,
                b.unrestored_responsible_delta_ha,
            ),
            (
                "unrestored legacy",
                s.unrestored_legacy_ha - b.baseline.unrestored_legacy_ha,
                b.unrestored_legacy_delta_ha,
            ),
        ];
        for (class, expected, found) in pairs {
            compare(Check::BaselineDelta, None, class, expected, found)?;
        }
    }
    Ok(())
}

/// The list lengths the summary counts must match.
fn check_counts(report: &AuditReport) -> Result<(), ReportError> {
    let s = &report.summary;
    let pairs = [
        (
            Inconsistency::PieceGeometryCount,
            report.pieces.len(),
            report.piece_geometry.len(),
        ),
        (
            Inconsistency::PieceCount,
            report.pieces.len(),
            s.piece_count,
        ),
        (Inconsistency::PitCount, report.pits.len(), s.pit_count),
        (
            Inconsistency::LicenseCount,
            report.mines.len(),
            s.license_count,
        ),
        (
            Inconsistency::OverlapCount,
            report.overlaps.len(),
            s.overlap_count,
        ),
    ];
    for (what, expected, found) in pairs {
        if expected != found {
            return Err(ReportError::Inconsistent {
                what,
                expected,
                found,
            });
        }
    }
    Ok(())
}

/// Every class finite and not negative.
fn check_valid(level: &'static str, id: &str, a: &ClassAreas) -> Result<(), ReportError> {
    for c in LandClass::ALL {
        let value = a.get(c);
        if !(value.is_finite() && value >= 0.0) {
            return Err(ReportError::InvalidArea {
                level,
                id: id.to_owned(),
                class: c.name(),
                value,
            });
        }
    }
    Ok(())
}

/// Compares four classes.
fn compare_classes(
    check: Check,
    id: Option<&str>,
    expected: &ClassAreas,
    found: &ClassAreas,
) -> Result<(), ReportError> {
    for c in LandClass::ALL {
        compare(check, id, c.name(), expected.get(c), found.get(c))?;
    }
    Ok(())
}

/// Compares one figure within the tolerance.
fn compare(
    check: Check,
    id: Option<&str>,
    class: &'static str,
    expected: f64,
    found: f64,
) -> Result<(), ReportError> {
    let tol = TOLERANCE_HA.max(RELATIVE_TOLERANCE * expected.abs().max(found.abs()));
    // Written so that NaN fails.
    if (expected - found).abs() <= tol {
        Ok(())
    } else {
        Err(ReportError::Unbalanced {
            check,
            id: id.map(str::to_owned),
            class,
            expected,
            found,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tolerance_is_a_millionth_hectare() {
        assert!(compare(Check::Footprint, None, "x", 10.0, 10.0 + 9e-7).is_ok());
        assert!(compare(Check::Footprint, None, "x", 10.0, 10.0 + 2e-6).is_err());
        assert!(compare(Check::Footprint, None, "x", f64::NAN, f64::NAN).is_err());
    }

    #[test]
    fn negative_or_nan_area_is_invalid() {
        let mut a = ClassAreas::default();
        assert!(check_valid("pit", "P1", &a).is_ok());
        a.water_ha = -0.5;
        let e = check_valid("pit", "P1", &a).unwrap_err().to_string();
        assert!(e.contains("P1") && e.contains("water"), "{e}");
        a.water_ha = f64::NAN;
        assert!(check_valid("pit", "P1", &a).is_err());
    }

    #[test]
    fn message_names_the_check_and_the_id() {
        let e = compare(Check::PitFromPieces, Some("P7"), "restored", 1.0, 1.5)
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("pit = Σ its pieces") && e.contains("P7") && e.contains("restored"),
            "{e}"
        );
    }
}
