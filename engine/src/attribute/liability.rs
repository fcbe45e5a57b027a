//! Which licences are liable: the configured status set and the status vocabulary.
//!
//! Statuses are compared after trimming and lower-casing, and common Chinese status
//! words are read as their English names (有效 → valid, 过期/已过期 → expired,
//! 停产/暂停 → suspended, 注销/已注销 → cancelled, 吊销/已吊销 → revoked,
//! 关闭/已关闭/闭坑 → closed), so a licence
//! table written in either language works with the same rule.

use super::input::Licence;

/// The status that wins overlaps first (see [`priority`](super::priority)).
pub const STATUS_VALID: &str = "valid";

/// Default area below which a piece is a sliver and is not emitted: 1e-6 map units²,
/// i.e. one square millimetre when the map unit is the metre.
pub const DEFAULT_MIN_PIECE_AREA: f64 = 1e-6;

/// Chinese (and spelling-variant) status words and the canonical status they mean.
const ALIASES: &[(&str, &str)] = &[
    ("有效", "valid"),
    ("过期", "expired"),
    ("已过期", "expired"),
    ("停产", "suspended"),
    ("暂停", "suspended"),
    ("注销", "cancelled"),
    ("已注销", "cancelled"),
    ("canceled", "cancelled"),
    ("吊销", "revoked"),
    ("已吊销", "revoked"),
    ("关闭", "closed"),
    ("已关闭", "closed"),
    ("闭坑", "closed"),
];

/// Canonical form of a status: trimmed, lower-case, aliases resolved.
///
/// ```
/// use reclaim::attribute::canonical_status;
/// assert_eq!(canonical_status("  Valid "), "valid");
/// assert_eq!(canonical_status("已过期"), "expired");
/// assert_eq!(canonical_status("Dormant"), "dormant");
/// ```
pub fn canonical_status(status: &str) -> String {
    let lower = status.trim().to_lowercase();
    match ALIASES.iter().find(|(alias, _)| *alias == lower) {
        Some((_, canonical)) => (*canonical).to_string(),
        None => lower,
    }
}

/// The rule deciding which licences answer for the land they cover.
#[derive(Debug, Clone, PartialEq)]
pub struct LiabilityRule {
    /// Statuses that make a licence liable (any spelling [`canonical_status`] accepts).
    pub liable_statuses: Vec<String>,
    /// Pieces smaller than this (map units²) are not emitted; their area is reported in
    /// [`Attribution::dropped_areas`](super::Attribution::dropped_areas). Lower it for
    /// geographic (degree) coordinates.
    pub min_piece_area: f64,
}

impl Default for LiabilityRule {
    /// Liable statuses valid, expired and suspended; slivers below 1e-6 map units².
    fn default() -> Self {
        LiabilityRule::with_statuses(["valid", "expired", "suspended"])
    }
}

impl LiabilityRule {
    /// A rule with the given liable statuses and the default sliver threshold.
    pub fn with_statuses<S: Into<String>>(statuses: impl IntoIterator<Item = S>) -> Self {
        LiabilityRule {
            liable_statuses: statuses.into_iter().map(Into::into).collect(),
            min_piece_area: DEFAULT_MIN_PIECE_AREA,
        }
    }

    /// True when the licence's status is in the liable set and it names a holder.
    pub fn is_liable(&self, licence: &Licence) -> bool {
        licence.holder_name().is_some() && self.has_liable_status(&licence.status)
    }

    /// True when `status` (any spelling [`canonical_status`] accepts) is in the set.
    pub fn has_liable_status(&self, status: &str) -> bool {
        let status = canonical_status(status);
        self.liable_statuses
            .iter()
            .any(|s| canonical_status(s) == status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::MultiPolygon;

    fn licence(status: &str, holder: Option<&str>) -> Licence {
        Licence {
            id: "L".into(),
            holder: holder.map(Into::into),
            status: status.into(),
            valid_to: None,
            geometry: MultiPolygon(vec![]),
        }
    }

    #[test]
    fn default_set_is_valid_expired_suspended() {
        let rule = LiabilityRule::default();
        for s in [
            "valid",
            "VALID",
            " Expired\t",
            "suspended",
            "有效",
            "已过期",
            "停产",
            "暂停",
        ] {
            assert!(rule.is_liable(&licence(s, Some("Acme"))), "{s}");
        }
        for s in [
            "revoked",
            "cancelled",
            "吊销",
            "已注销",
            "",
            "pending",
            "valid?",
        ] {
            assert!(!rule.is_liable(&licence(s, Some("Acme"))), "{s}");
        }
    }

    #[test]
    fn blank_holder_is_never_liable() {
        let rule = LiabilityRule::default();
        assert!(!rule.is_liable(&licence("valid", None)));
        assert!(!rule.is_liable(&licence("valid", Some(""))));
        assert!(!rule.is_liable(&licence("valid", Some("  "))));
    }

    #[test]
    fn configured_set_accepts_aliases_too() {
        let rule = LiabilityRule::with_statuses(["吊销", "Cancelled"]);
        assert!(rule.is_liable(&licence("revoked", Some("A"))));
        assert!(rule.is_liable(&licence("已注销", Some("A"))));
        assert!(rule.is_liable(&licence("canceled", Some("A"))));
        assert!(!rule.is_liable(&licence("valid", Some("A"))));
    }

    #[test]
    fn canonical_forms() {
        assert_eq!(canonical_status("注销"), "cancelled");
        assert_eq!(canonical_status(" 已吊销 "), "revoked");
        assert_eq!(canonical_status("Suspended"), "suspended");
    }
}
