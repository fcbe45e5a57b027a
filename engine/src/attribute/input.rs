//! Input features (pits and licences) and their validation.
//!
//! Validation runs before any geometry work: ids must be non-blank and unique, dates
//! must exist, coordinates must be finite and within ±[`MAX_COORDINATE`].

use std::collections::HashMap;

use geo::{CoordsIter, MultiPolygon};

use super::date::Date;
use super::error::{AttributeError, FeatureKind};

/// Largest accepted coordinate magnitude in map units (Web Mercator stays below 2.1e7).
pub const MAX_COORDINATE: f64 = 1e9;

/// A mining licence (采矿权) polygon with its holder, status and valid-to date.
#[derive(Debug, Clone, PartialEq)]
pub struct Licence {
    /// Licence id (unique; the last tie-breaker of the overlap priority).
    pub id: String,
    /// Holder (采矿权人); a missing or blank holder makes the licence non-liable.
    pub holder: Option<String>,
    /// Status as written in the source table (English or Chinese, any case).
    pub status: String,
    /// Last day of validity; a missing date ranks after every date.
    pub valid_to: Option<Date>,
    /// Licence area, in the same planar CRS as the pits.
    pub geometry: MultiPolygon<f64>,
}

impl Licence {
    /// The holder's name trimmed, or `None` when missing or blank.
    pub fn holder_name(&self) -> Option<&str> {
        self.holder
            .as_deref()
            .map(str::trim)
            .filter(|h| !h.is_empty())
    }
}

/// A mining-disturbed footprint (图斑): a pit, waste dump, tailings or plant site.
#[derive(Debug, Clone, PartialEq)]
pub struct Pit {
    /// Pit id (unique; pits are deduplicated in id order).
    pub id: String,
    /// Footprint, in the same planar CRS as the licences.
    pub geometry: MultiPolygon<f64>,
}

/// Checks ids, dates and coordinates of all inputs.
pub(crate) fn validate(pits: &[Pit], licences: &[Licence]) -> Result<(), AttributeError> {
    check_ids(FeatureKind::Pit, pits.iter().map(|p| p.id.as_str()))?;
    check_ids(FeatureKind::Licence, licences.iter().map(|l| l.id.as_str()))?;
    for licence in licences {
        if let Some(date) = &licence.valid_to {
            if let Some(problem) = date.problem() {
                return Err(AttributeError::InvalidDate {
                    licence: Some(licence.id.clone()),
                    value: date.to_string(),
                    problem,
                });
            }
        }
        check_coordinates(FeatureKind::Licence, &licence.id, &licence.geometry)?;
    }
    for pit in pits {
        check_coordinates(FeatureKind::Pit, &pit.id, &pit.geometry)?;
    }
    Ok(())
}

/// Rejects blank and repeated ids.
fn check_ids<'a>(
    kind: FeatureKind,
    ids: impl Iterator<Item = &'a str>,
) -> Result<(), AttributeError> {
    let mut seen: HashMap<&str, usize> = HashMap::new();
    for (index, id) in ids.enumerate() {
        if id.trim().is_empty() {
            return Err(AttributeError::EmptyId { kind, index });
        }
        if let Some(&first) = seen.get(id) {
            let id = id.to_string();
            return Err(match kind {
                FeatureKind::Pit => AttributeError::DuplicatePitId {
                    id,
                    first,
                    second: index,
                },
                FeatureKind::Licence => AttributeError::DuplicateLicenceId {
                    id,
                    first,
                    second: index,
                },
            });
        }
        seen.insert(id, index);
    }
    Ok(())
}

/// Rejects NaN, infinite and absurdly large coordinates.
fn check_coordinates(
    kind: FeatureKind,
    id: &str,
    geometry: &MultiPolygon<f64>,
) -> Result<(), AttributeError> {
    for c in geometry.coords_iter() {
        for value in [c.x, c.y] {
            if !value.is_finite() {
                return Err(AttributeError::NonFiniteCoordinate {
                    kind,
                    id: id.to_string(),
                });
            }
            if value.abs() > MAX_COORDINATE {
                return Err(AttributeError::CoordinateOutOfRange {
                    kind,
                    id: id.to_string(),
                    value,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    fn pit(id: &str, x: f64) -> Pit {
        Pit {
            id: id.into(),
            geometry: MultiPolygon(vec![
                polygon![(x: 0.0, y: 0.0), (x: x, y: 0.0), (x: 0.0, y: 1.0)],
            ]),
        }
    }

    #[test]
    fn duplicate_and_blank_ids() {
        assert_eq!(
            validate(&[pit("a", 1.0), pit("b", 1.0), pit("a", 1.0)], &[]),
            Err(AttributeError::DuplicatePitId {
                id: "a".into(),
                first: 0,
                second: 2
            })
        );
        assert_eq!(
            validate(&[pit("a", 1.0), pit(" ", 1.0)], &[]),
            Err(AttributeError::EmptyId {
                kind: FeatureKind::Pit,
                index: 1
            })
        );
        assert_eq!(validate(&[pit("a", 1.0), pit("A", 1.0)], &[]), Ok(()));
    }

    #[test]
    fn bad_coordinates() {
        assert_eq!(
            validate(&[pit("a", f64::NAN)], &[]),
            Err(AttributeError::NonFiniteCoordinate {
                kind: FeatureKind::Pit,
                id: "a".into()
            })
        );
        assert!(matches!(
            validate(&[pit("a", -2e9)], &[]),
            Err(AttributeError::CoordinateOutOfRange { value, .. }) if value == -2e9
        ));
    }

    #[test]
    fn invalid_stored_date_names_the_licence() {
        let licence = Licence {
            id: "L7".into(),
            holder: Some("A".into()),
            status: "valid".into(),
            valid_to: Some(Date {
                year: 2025,
                month: 2,
                day: 30,
            }),
            geometry: MultiPolygon(vec![]),
        };
        assert!(matches!(
            validate(&[], &[licence]),
            Err(AttributeError::InvalidDate { licence: Some(l), value, .. }) if l == "L7" && value == "2025-02-30"
        ));
    }

    #[test]
    fn holder_name_trims() {
        let mut l = Licence {
            id: "L".into(),
            holder: Some("  Acme Mining ".into()),
            status: "valid".into(),
            valid_to: None,
            geometry: MultiPolygon(vec![]),
        };
        assert_eq!(l.holder_name(), Some("Acme Mining"));
        l.holder = Some("\t".into());
        assert_eq!(l.holder_name(), None);
    }
}
