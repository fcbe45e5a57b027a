//! Which liable licence wins land covered by several.
//!
//! Order: status `valid` before any other liable status; then the latest valid-to date,
//! a missing date ranking after every date; then the smallest licence id (byte-wise
//! string comparison). Ids are unique, so the order is total.

use std::cmp::Ordering;

use super::input::Licence;
use super::liability::{canonical_status, STATUS_VALID};

/// Compares two licences by overlap priority: `Less` means `a` wins over `b`.
pub fn compare_priority(a: &Licence, b: &Licence) -> Ordering {
    let valid = |l: &Licence| canonical_status(&l.status) == STATUS_VALID;
    // `true` (valid) first.
    valid(b)
        .cmp(&valid(a))
        // Later date first; `None` last.
        .then_with(|| match (&a.valid_to, &b.valid_to) {
            (Some(x), Some(y)) => y.cmp(x),
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (None, None) => Ordering::Equal,
        })
        .then_with(|| a.id.cmp(&b.id))
}

/// Indices of `licences` sorted from highest to lowest priority.
pub fn priority_order(licences: &[Licence]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..licences.len()).collect();
    order.sort_by(|&i, &j| match (licences.get(i), licences.get(j)) {
        (Some(a), Some(b)) => compare_priority(a, b),
        _ => Ordering::Equal,
    });
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::attribute::Date;
    use geo::MultiPolygon;

    fn lic(id: &str, status: &str, to: Option<(i32, u32, u32)>) -> Licence {
        Licence {
            id: id.into(),
            holder: Some("h".into()),
            status: status.into(),
            valid_to: to.map(|(year, month, day)| Date { year, month, day }),
            geometry: MultiPolygon(vec![]),
        }
    }

    fn ids(ls: &[Licence]) -> Vec<&str> {
        priority_order(ls)
            .into_iter()
            .map(|i| ls[i].id.as_str())
            .collect()
    }

    #[test]
    fn valid_beats_later_expired() {
        let ls = [
            lic("a", "expired", Some((2030, 1, 1))),
            lic("b", "有效", Some((2020, 1, 1))),
        ];
        assert_eq!(ids(&ls), ["b", "a"]);
    }

    #[test]
    fn later_date_then_missing_date_then_id() {
        let ls = [
            lic("z", "valid", None),
            lic("c", "valid", Some((2025, 12, 31))),
            lic("b", "valid", Some((2026, 1, 1))),
            lic("a", "valid", Some((2025, 12, 31))),
            lic("y", "valid", None),
            lic("x", "suspended", Some((2099, 1, 1))),
        ];
        assert_eq!(ids(&ls), ["b", "a", "c", "y", "z", "x"]);
    }

    #[test]
    fn ids_compare_as_strings() {
        let ls = [lic("10", "valid", None), lic("9", "valid", None)];
        assert_eq!(ids(&ls), ["10", "9"]);
    }
}
