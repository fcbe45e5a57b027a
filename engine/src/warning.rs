//! Warnings: what does not stop a run but must never pass silently.
//!
//! A warning is something a plausible mistake would produce — most of a footprint
//! unobserved, a licence status that is neither liable nor listed as not liable, a
//! pit off the imagery. The engine returns warnings typed, beside its result; the
//! CLI prints each once, `summary.json` and `report.html` list them, and
//! `--strict` turns them into errors.

pub use crate::classify::UnobservedCauses;
use crate::wording::plural;
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
    /// More than [`UNOBSERVED_WARN_SHARE`] of a pit's (a licence's, the county's)
    /// land is unobserved, so its restored share rests on a small part of it.
    MostlyUnobserved {
        /// What is mostly unobserved.
        level: Level,
        /// Its id (pit id, licence id; empty for the county).
        id: String,
        /// Its land, ha.
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
    /// Licences with a liable status but no holder: nobody can be named, so they
    /// are not liable and their land becomes historical legacy.
    LiableWithoutHolder {
        /// The licence layer.
        path: PathBuf,
        /// The holder field.
        field: String,
        /// Ids of those licences (first few).
        licence_ids: Vec<String>,
        /// How many.
        count: usize,
    },
    /// Much of the observed land has a red or NIR reflectance (value × scale +
    /// offset) outside −0.5…1.5: `scale`/`offset` are probably not set for the
    /// bands' digital numbers, and NDVI on raw DN with an offset is wrong.
    ImplausibleReflectance {
        /// Observed land with an implausible reflectance, ha.
        implausible_ha: f64,
        /// All observed land, ha.
        observed_ha: f64,
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
    /// A composite of fewer than [`FEW_SCENES`] scenes: no more robust to an
    /// undetected cloud than one scene (a glob that matched one tile, a season
    /// too short).
    FewScenes {
        /// Scenes composited.
        used: usize,
        /// Scenes found (in and out of the season).
        found: usize,
    },
}

/// A composite of fewer scenes than this is warned about.
pub const FEW_SCENES: usize = 3;

/// What a figure describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// One pit (图斑).
    Pit,
    /// One licence's land (a mine).
    Licence,
    /// The whole county.
    County,
}

impl Warning {
    /// A short stable code (`mostly_unobserved`, …), as in summary.json's `kind`.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::MostlyUnobserved { .. } => "mostly_unobserved",
            Warning::UnknownLicenceStatus { .. } => "unknown_licence_status",
            Warning::LiableWithoutHolder { .. } => "liable_without_holder",
            Warning::ImplausibleReflectance { .. } => "implausible_reflectance",
            Warning::PitOffImagery { .. } => "pit_off_imagery",
            Warning::ZoneOffRaster { .. } => "zone_off_raster",
            Warning::PreviousNotEarlier { .. } => "previous_not_earlier",
            Warning::NoLicences { .. } => "no_licences",
            Warning::FieldCase { .. } => "field_case",
            Warning::FewScenes { .. } => "few_scenes",
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::MostlyUnobserved {
                level,
                id,
                footprint_ha,
                unobserved: u,
            } => {
                match level {
                    Level::Pit => write!(f, "pit {id}: ")?,
                    Level::Licence => write!(f, "licence {id}: ")?,
                    Level::County => write!(f, "county: ")?,
                }
                let share = if *footprint_ha > 0.0 {
                    100.0 * u.total_ha() / footprint_ha
                } else {
                    0.0
                };
                write!(
                    f,
                    "{:.2} of {:.2} ha ({share:.0} %) unobserved ({}); its figures rest on the observed {:.2} ha",
                    u.total_ha(),
                    footprint_ha,
                    u.describe(),
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
                "{}: {} with status {status:?} ({}{}) {} treated as not liable, their land as historical legacy; add {status:?} to [licenses] liable_statuses or not_liable_statuses",
                path.display(),
                plural(*count, "licence", "licences"),
                licence_ids.join(", "),
                if *count > licence_ids.len() { ", …" } else { "" },
                if *count == 1 { "is" } else { "are" }
            ),
            Warning::LiableWithoutHolder {
                path,
                field,
                licence_ids,
                count,
            } => write!(
                f,
                "{}: {} with a liable status {} an empty {field:?} ({}{}): {} treated as not liable, their land as historical legacy; fill in the holder",
                path.display(),
                plural(*count, "licence", "licences"),
                if *count == 1 { "has" } else { "have" },
                licence_ids.join(", "),
                if *count > licence_ids.len() { ", …" } else { "" },
                if *count == 1 { "it is" } else { "they are" }
            ),
            Warning::ImplausibleReflectance {
                implausible_ha,
                observed_ha,
            } => write!(
                f,
                "{implausible_ha:.2} of {observed_ha:.2} observed ha ({:.0} %) have a reflectance outside -0.5…1.5 (value × scale + offset): check [imagery] scale and offset (Sentinel-2 L2A from baseline 04.00: 0.0001 and -0.1; Landsat C2 L2: 0.0000275 and -0.2)",
                if *observed_ha > 0.0 { 100.0 * implausible_ha / observed_ha } else { 0.0 }
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
            Warning::FewScenes { used, found } => write!(
                f,
                "the composite rests on {} ({found} found): no more robust to an undetected cloud than a single scene; add scenes or widen [imagery] season (`reclaim scenes` lists what was found and why it was left out)",
                plural(*used, "scene", "scenes")
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
    fn invalid_reflectance_points_at_scale() {
        let w = Warning::MostlyUnobserved {
            level: Level::Pit,
            id: "P1".into(),
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
