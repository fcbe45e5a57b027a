//! The three audit tables: `attribution.csv`, `pits.csv` and `mines.csv`.
//!
//! `attribution.csv` writes numbers at full precision (shortest round-trip), for
//! reconciliation; `pits.csv` and `mines.csv`, the tables people open, round hectares
//! to 0.01 ha and percentages to 0.1 % ([`crate::csv::ha`], [`crate::csv::opt_pct`];
//! a mean of clear observations to 0.1). Optional values are empty fields, and the
//! change columns are always present (empty without a previous audit) so that every
//! year's tables have the same columns. A later audit's `--previous` reads the
//! full-precision figures from `attribution.csv` ([`super::previous`]).

use crate::csv::{fixed, ha, num, opt_num, opt_pct, push_record};
use crate::results::{AuditReport, Change, ClassAreas, Responsibility};

/// Header of `attribution.csv`.
pub const ATTRIBUTION_HEADER: [&str; 9] = [
    "pit_id",
    "license_id",
    "holder",
    "responsibility",
    "restored_ha",
    "unrestored_ha",
    "water_ha",
    "unobserved_ha",
    "total_ha",
];

/// Header of `pits.csv`.
pub const PITS_HEADER: [&str; 22] = [
    "pit_id",
    "kind",
    "town",
    "restored_ha",
    "unrestored_ha",
    "water_ha",
    "unobserved_ha",
    "total_ha",
    "polygon_ha",
    "restored_pct",
    "main_responsibility",
    "overlaps",
    "restored_before_ha",
    "unrestored_before_ha",
    "newly_restored_ha",
    "redisturbed_ha",
    "observed_pct",
    "unobserved_mask_ha",
    "unobserved_nodata_ha",
    "unobserved_invalid_ha",
    "unobserved_unmapped_ha",
    "unobserved_outside_ha",
];

/// Header of `mines.csv`.
pub const MINES_HEADER: [&str; 24] = [
    "license_id",
    "holder",
    "name",
    "mineral",
    "status",
    "valid_to",
    "liable",
    "restored_ha",
    "unrestored_ha",
    "water_ha",
    "unobserved_ha",
    "total_ha",
    "restored_pct",
    "pit_count",
    "restored_before_ha",
    "unrestored_before_ha",
    "newly_restored_ha",
    "redisturbed_ha",
    "observed_pct",
    "unobserved_mask_ha",
    "unobserved_nodata_ha",
    "unobserved_invalid_ha",
    "unobserved_unmapped_ha",
    "unobserved_outside_ha",
];

/// Columns added to all three tables when the imagery is a composite of scenes:
/// the mean number of clear observations (area-weighted over the land, unobserved
/// land included) and the land with fewer than `min_clear` of them.
pub const COMPOSITE_COLUMNS: [&str; 2] = ["clear_obs_mean", "unobserved_few_clear_ha"];

/// How a table writes its numbers: at full precision, or rounded for people.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Precision {
    /// Shortest round-trip (`attribution.csv`).
    Full,
    /// 0.01 ha, 0.1 %, 0.1 observation (`pits.csv`, `mines.csv`).
    Rounded,
}

impl Precision {
    /// Hectares.
    fn ha(self, v: f64) -> String {
        match self {
            Precision::Full => num(v),
            Precision::Rounded => ha(v),
        }
    }
}

/// The composite columns of `a`, when the audit is a composite.
fn composite_fields(composite: bool, a: &ClassAreas, p: Precision) -> Vec<String> {
    if !composite {
        return Vec::new();
    }
    let mean = match p {
        Precision::Full => opt_num(a.clear_obs_mean()),
        Precision::Rounded => a.clear_obs_mean().map(|m| fixed(m, 1)).unwrap_or_default(),
    };
    vec![mean, p.ha(a.unobserved_causes.few_clear_ha)]
}

/// `header`, plus the composite columns for a composite.
fn header(composite: bool, base: &[&'static str]) -> Vec<&'static str> {
    let mut h = base.to_vec();
    if composite {
        h.extend(COMPOSITE_COLUMNS);
    }
    h
}

/// Separator of pit ids in the `overlaps` column of `pits.csv`.
pub const OVERLAP_SEPARATOR: &str = ";";

/// The five class columns: restored, unrestored, water, unobserved, total.
fn class_fields(a: &ClassAreas, p: Precision) -> [String; 5] {
    [
        p.ha(a.restored_ha),
        p.ha(a.unrestored_ha),
        p.ha(a.water_ha),
        p.ha(a.unobserved_ha),
        p.ha(a.total_ha()),
    ]
}

/// The observed share and the unobserved land by cause (the last six columns of
/// `pits.csv` and `mines.csv`).
fn observation_fields(a: &ClassAreas) -> [String; 6] {
    let u = &a.unobserved_causes;
    [
        opt_pct(a.observed_pct()),
        ha(u.mask_ha),
        ha(u.nodata_ha),
        ha(u.invalid_ha),
        ha(u.unmapped_ha),
        ha(u.outside_ha),
    ]
}

/// The four change columns, empty without a previous audit.
fn change_fields(c: Option<&Change>) -> [String; 4] {
    match c {
        Some(c) => [
            ha(c.restored_before_ha),
            ha(c.unrestored_before_ha),
            ha(c.newly_restored_ha),
            ha(c.redisturbed_ha),
        ],
        None => Default::default(),
    }
}

/// `attribution.csv`: one row per piece, in `report.pieces` order.
pub fn attribution_csv(report: &AuditReport) -> String {
    let mut out = String::new();
    let composite = report.summary.composite.is_some();
    push_record(&mut out, &header(composite, &ATTRIBUTION_HEADER));
    for p in &report.pieces {
        let (license, holder, resp) = match &p.responsibility {
            Responsibility::Responsible { license_id, holder } => {
                (license_id.as_str(), holder.as_str(), "responsible")
            }
            Responsibility::Legacy => ("", "", "legacy"),
            Responsibility::Unattributed => ("", "", "unattributed"),
        };
        let mut row = vec![
            p.pit_id.clone(),
            license.to_owned(),
            holder.to_owned(),
            resp.to_owned(),
        ];
        row.extend(class_fields(&p.areas, Precision::Full));
        row.extend(composite_fields(composite, &p.areas, Precision::Full));
        push_record(&mut out, &row);
    }
    out
}

/// `pits.csv`: one row per pit, in `report.pits` order.
pub fn pits_csv(report: &AuditReport) -> String {
    let mut out = String::new();
    let composite = report.summary.composite.is_some();
    push_record(&mut out, &header(composite, &PITS_HEADER));
    for p in &report.pits {
        let mut row = vec![
            p.pit_id.clone(),
            p.kind.clone().unwrap_or_default(),
            p.town.clone().unwrap_or_default(),
        ];
        row.extend(class_fields(&p.areas, Precision::Rounded));
        row.push(ha(p.polygon_ha));
        row.push(opt_pct(p.areas.restored_pct()));
        row.push(p.main_responsibility.clone());
        row.push(p.overlaps.join(OVERLAP_SEPARATOR));
        row.extend(change_fields(p.change.as_ref()));
        row.extend(observation_fields(&p.areas));
        row.extend(composite_fields(composite, &p.areas, Precision::Rounded));
        push_record(&mut out, &row);
    }
    out
}

/// `mines.csv`: one row per licence, in `report.mines` order.
pub fn mines_csv(report: &AuditReport) -> String {
    let mut out = String::new();
    let composite = report.summary.composite.is_some();
    push_record(&mut out, &header(composite, &MINES_HEADER));
    for m in &report.mines {
        let mut row = vec![
            m.license_id.clone(),
            m.holder.clone().unwrap_or_default(),
            m.name.clone().unwrap_or_default(),
            m.mineral.clone().unwrap_or_default(),
            m.status.clone(),
            m.valid_to.clone().unwrap_or_default(),
            m.liable.to_string(),
        ];
        row.extend(class_fields(&m.areas, Precision::Rounded));
        row.push(opt_pct(m.areas.restored_pct()));
        row.push(m.pit_count.to_string());
        row.extend(change_fields(m.change.as_ref()));
        row.extend(observation_fields(&m.areas));
        row.extend(composite_fields(composite, &m.areas, Precision::Rounded));
        push_record(&mut out, &row);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_columns_are_empty_without_previous() {
        assert_eq!(change_fields(None), ["", "", "", ""].map(String::from));
        let c = Change {
            restored_before_ha: 1.5,
            unrestored_before_ha: 2.0,
            newly_restored_ha: 0.25,
            redisturbed_ha: 0.0,
        };
        assert_eq!(
            change_fields(Some(&c)),
            ["1.50", "2.00", "0.25", "0.00"].map(String::from)
        );
    }

    #[test]
    fn class_fields_end_with_the_total() {
        let a = ClassAreas {
            restored_ha: 1.0,
            unrestored_ha: 2.5,
            water_ha: 0.5,
            unobserved_ha: 0.0,
            ..ClassAreas::default()
        };
        assert_eq!(
            class_fields(&a, Precision::Full),
            ["1", "2.5", "0.5", "0", "4"].map(String::from)
        );
        let noisy = ClassAreas {
            unrestored_ha: 3.826_249_999_999_999_5,
            ..a
        };
        assert_eq!(
            class_fields(&noisy, Precision::Rounded),
            ["1.00", "3.83", "0.50", "0.00", "5.33"].map(String::from)
        );
    }
}
