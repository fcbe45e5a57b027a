//! Warnings: what does not stop a run but must never pass silently.
//!
//! A warning is something a plausible mistake would produce — most of a footprint
//! unobserved, a licence status that is neither liable nor listed as not liable, a
//! pit off the imagery. The engine returns warnings typed, beside its result; the
//! CLI prints each once, `summary.json` and `report.html` list them, and
//! `--strict` turns them into errors.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::path::PathBuf;

/// Share of a footprint that may be unobserved before a warning (10 %).
pub const UNOBSERVED_WARN_SHARE: f64 = 0.10;

/// One warning, with the fields a user needs to find and fix its cause.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Warning {
    /// More than [`UNOBSERVED_WARN_SHARE`] of a pit's land is unobserved, so its
    /// restored share rests on a small part of it.
    MostlyUnobserved {
        /// The pit.
        pit_id: String,
        /// The pit's counted land, ha.
        footprint_ha: f64,
        /// Unobserved land, ha, and its causes.
        unobserved: UnobservedCauses,
    },
    /// Licences whose status is neither liable nor listed as not liable: they are
    /// treated as not liable (their land becomes historical legacy).
    UnknownLicenceStatus {
        /// The licence layer.
        path: PathBuf,
        /// The status text as found.
        status: String,
        /// Ids of the licences with this status (first few).
        licence_ids: Vec<String>,
        /// How many licences have this status.
        count: usize,
    },
    /// A pit lies wholly outside the imagery: all its land is unobserved.
    PitOffImagery {
        /// The pit.
        pit_id: String,
        /// Its area, ha.
        area_ha: f64,
    },
    /// A zone lies wholly outside the raster (`zonal`): its rows are all `outside`.
    ZoneOffRaster {
        /// The zone.
        zone_id: String,
        /// The raster.
        raster: PathBuf,
    },
    /// The previous audit (`--previous`) is not earlier than this one.
    PreviousNotEarlier {
        /// The previous audit's folder.
        dir: PathBuf,
        /// Its audit date.
        previous_date: String,
        /// This audit's date.
        audit_date: String,
    },
    /// No licence layer (or an empty one): every piece is `unattributed`.
    NoLicences {
        /// The licence layer when one was given but held no feature.
        path: Option<PathBuf>,
    },
    /// A configured field name matched a field of the layer only ignoring case
    /// (`holder` for `HOLDER`): the field was used.
    FieldCase {
        /// The layer.
        path: PathBuf,
        /// The key, with its section, e.g. `[licenses] holder_field`.
        key: String,
        /// The name the key gives.
        configured: String,
        /// The layer's field that was used.
        found: String,
    },
}

/// Unobserved land split by cause, ha.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct UnobservedCauses {
    /// Masked (cloud, shadow, mask values, land-cover classes mapped to unobserved).
    pub mask_ha: f64,
    /// Nodata cells of the imagery.
    pub nodata_ha: f64,
    /// Reflectance outside its valid range (NDVI undefined): often a wrong
    /// `scale`/`offset`.
    pub invalid_ha: f64,
    /// Land beyond the imagery's extent.
    pub outside_ha: f64,
}

impl UnobservedCauses {
    /// All unobserved land, ha.
    pub fn total_ha(&self) -> f64 {
        self.mask_ha + self.nodata_ha + self.invalid_ha + self.outside_ha
    }

    /// Adds another split cause by cause.
    pub fn add(&mut self, o: &UnobservedCauses) {
        self.mask_ha += o.mask_ha;
        self.nodata_ha += o.nodata_ha;
        self.invalid_ha += o.invalid_ha;
        self.outside_ha += o.outside_ha;
    }

    /// The largest cause, by name.
    pub fn main_cause(&self) -> &'static str {
        let all = [
            (self.mask_ha, "masked (cloud, shadow, mask)"),
            (self.nodata_ha, "imagery nodata"),
            (self.invalid_ha, "invalid reflectance"),
            (self.outside_ha, "outside the imagery"),
        ];
        all.iter()
            .fold(
                (0.0, "none"),
                |best, &(v, n)| {
                    if v > best.0 {
                        (v, n)
                    } else {
                        best
                    }
                },
            )
            .1
    }
}

impl Warning {
    /// A short stable code (`mostly_unobserved`, …), as in summary.json's `kind`.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::MostlyUnobserved { .. } => "mostly_unobserved",
            Warning::UnknownLicenceStatus { .. } => "unknown_licence_status",
            Warning::PitOffImagery { .. } => "pit_off_imagery",
            Warning::ZoneOffRaster { .. } => "zone_off_raster",
            Warning::PreviousNotEarlier { .. } => "previous_not_earlier",
            Warning::NoLicences { .. } => "no_licences",
            Warning::FieldCase { .. } => "field_case",
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::MostlyUnobserved {
                pit_id,
                footprint_ha,
                unobserved: u,
            } => {
                let share = if *footprint_ha > 0.0 {
                    100.0 * u.total_ha() / footprint_ha
                } else {
                    0.0
                };
                write!(
                    f,
                    "pit {pit_id}: {:.2} of {:.2} ha ({share:.0} %) unobserved (masked {:.2}, nodata {:.2}, invalid reflectance {:.2}, outside the imagery {:.2} ha); its figures rest on the observed {:.2} ha",
                    u.total_ha(),
                    footprint_ha,
                    u.mask_ha,
                    u.nodata_ha,
                    u.invalid_ha,
                    u.outside_ha,
                    (footprint_ha - u.total_ha()).max(0.0)
                )?;
                if u.invalid_ha > 0.5 * u.total_ha() {
                    write!(
                        f,
                        " — mostly invalid reflectance: check [imagery] scale and offset"
                    )?;
                }
                Ok(())
            }
            Warning::UnknownLicenceStatus {
                path,
                status,
                licence_ids,
                count,
            } => write!(
                f,
                "{}: {count} licence(s) with status {status:?} ({}{}) are treated as not liable, their land as historical legacy; add {status:?} to [licenses] liable_statuses or not_liable_statuses",
                path.display(),
                licence_ids.join(", "),
                if *count > licence_ids.len() { ", …" } else { "" }
            ),
            Warning::PitOffImagery { pit_id, area_ha } => write!(
                f,
                "pit {pit_id} ({area_ha:.2} ha) lies wholly outside the imagery: all its land is unobserved"
            ),
            Warning::ZoneOffRaster { zone_id, raster } => write!(
                f,
                "zone {zone_id} lies wholly outside {}: its area is all `outside`",
                raster.display()
            ),
            Warning::PreviousNotEarlier {
                dir,
                previous_date,
                audit_date,
            } => write!(
                f,
                "--previous {} is dated {previous_date}, not before this audit ({audit_date}): the change columns compare the wrong way round",
                dir.display()
            ),
            Warning::FieldCase {
                path,
                key,
                configured,
                found,
            } => write!(
                f,
                "{}: {key} = {configured:?} matches the field {found:?} only ignoring case; it was used (write {found:?} in the config to say so)",
                path.display()
            ),
            Warning::NoLicences { path } => match path {
                Some(p) => write!(
                    f,
                    "{} holds no licence: every piece is unattributed (no holder can be named, and no land called historical legacy)",
                    p.display()
                ),
                None => write!(
                    f,
                    "no [licenses] layer: every piece is unattributed (no holder can be named, and no land called historical legacy)"
                ),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn main_cause_is_the_largest() {
        let u = UnobservedCauses {
            mask_ha: 1.0,
            nodata_ha: 0.5,
            invalid_ha: 3.0,
            outside_ha: 0.0,
        };
        assert_eq!(u.main_cause(), "invalid reflectance");
        assert_eq!(u.total_ha(), 4.5);
        assert_eq!(UnobservedCauses::default().main_cause(), "none");
    }

    #[test]
    fn invalid_reflectance_points_at_scale() {
        let w = Warning::MostlyUnobserved {
            pit_id: "P1".into(),
            footprint_ha: 10.0,
            unobserved: UnobservedCauses {
                invalid_ha: 7.5,
                ..Default::default()
            },
        };
        let s = w.to_string();
        assert!(s.contains("75 %") && s.contains("scale and offset"), "{s}");
        let j = serde_json::to_string(&w).unwrap();
        assert!(j.contains("\"kind\":\"mostly_unobserved\""), "{j}");
    }
}
