//! Reading an audit's vector inputs: the pits and licence layers in the imagery's
//! CRS, with their report rows and the liability rule.

use super::aggregate::LicenceMeta;
use super::config::{LicensesConfig, LimitsConfig};
use super::error::AuditError;
use crate::attribute::{canonical_status, Date, LiabilityRule, Licence};
use crate::crs::Crs;
use crate::error::Error;
use crate::footprints;
use crate::vector::{self, Layer, ReadOptions};
use crate::warning::Warning;
use std::path::{Path, PathBuf};

/// An audit's vector inputs given in memory ([`super::run_inputs`]): no file is read
/// for them, and the configuration's `[pits]` / `[licenses]` sections only name
/// their fields. Build a layer with [`Layer::from_features`] or read one with
/// [`crate::vector::read_layer`].
#[derive(Debug, Clone)]
pub struct AuditInputs {
    /// Mine footprints, the fields as `[pits]` names them (`id_field` …).
    pub pits: Layer,
    /// Mining licences, the fields as `[licenses]` names them; `None`: no licence
    /// layer (every piece unattributed).
    pub licences: Option<Layer>,
    /// The imagery and how to classify it (its rasters are read from their files).
    pub imagery: super::config::ImageryConfig,
}

/// Licence ids named in one warning, at most.
const MAX_IDS_IN_WARNING: usize = 5;

/// Reads the licence layer in the imagery's CRS: licences, their report rows and
/// the liability rule; warns of statuses in neither status list and of an empty
/// layer.
pub(crate) fn read_licences(
    lc: &LicensesConfig,
    limits: Option<&LimitsConfig>,
    crs: &Crs,
    warnings: &mut Vec<Warning>,
) -> Result<(Vec<Licence>, Vec<LicenceMeta>, LiabilityRule), AuditError> {
    let layer = read(&lc.path, lc.encoding.as_deref(), lc.repair_geometry, limits)?;
    licences_from_layer(layer, lc, crs, warnings)
}

/// [`read_licences`] of a layer already in memory (its fields as `lc` names them).
pub(crate) fn licences_from_layer(
    mut lic_layer: Layer,
    lc: &LicensesConfig,
    crs: &Crs,
    warnings: &mut Vec<Warning>,
) -> Result<(Vec<Licence>, Vec<LicenceMeta>, LiabilityRule), AuditError> {
    let rule = LiabilityRule::with_statuses(lc.liable_statuses.iter().cloned());
    if lic_layer.features.is_empty() {
        warnings.push(Warning::NoLicences {
            path: Some(lc.path.clone()),
        });
        return Ok((Vec::new(), Vec::new(), rule));
    }
    // Every configured field at once, with did-you-mean; case-only matches are used
    // and warned of.
    warnings.extend(lc.check_layer(&mut lic_layer)?);
    let lic_zones = footprints::zones_in_crs(
        &lic_layer,
        &lc.id_field,
        user_crs(lc.crs.as_deref(), &lc.path)?.as_ref(),
        crs,
    )?;
    let not_liable = LiabilityRule::with_statuses(lc.not_liable_statuses.iter().cloned());
    // Unknown statuses, by canonical status in first-seen order: (as found, ids, count).
    let mut unknown: Vec<(String, String, Vec<String>, usize)> = Vec::new();
    // Liable statuses without a holder: (first ids, count).
    let (mut no_holder, mut no_holder_count) = (Vec::new(), 0);
    let mut licences = Vec::with_capacity(lic_zones.len());
    let mut lic_meta = Vec::with_capacity(lic_zones.len());
    for (f, z) in lic_layer.features.iter().zip(lic_zones) {
        if z.id.trim().is_empty() {
            return Err(AuditError::EmptyField {
                path: lc.path.clone(),
                feature: f.index,
                field: lc.id_field.clone(),
            });
        }
        let valid_to_text = text(f, Some(&lc.valid_to_field));
        let valid_to = match &valid_to_text {
            Some(t) => Date::parse_optional(&z.id, t).map_err(|source| AuditError::Attribute {
                path: lc.path.clone(),
                source,
            })?,
            None => None,
        };
        let l = Licence {
            id: z.id.clone(),
            holder: text(f, Some(&lc.holder_field)),
            status: text(f, Some(&lc.status_field)).unwrap_or_default(),
            valid_to,
            geometry: z.geometry,
        };
        let liable_status = rule.has_liable_status(&l.status);
        if liable_status && l.holder.is_none() {
            if no_holder.len() < MAX_IDS_IN_WARNING {
                no_holder.push(l.id.clone());
            }
            no_holder_count += 1;
        }
        if !liable_status && !not_liable.has_liable_status(&l.status) {
            let canonical = canonical_status(&l.status);
            match unknown.iter_mut().find(|u| u.0 == canonical) {
                Some(u) => {
                    if u.2.len() < MAX_IDS_IN_WARNING {
                        u.2.push(l.id.clone());
                    }
                    u.3 += 1;
                }
                None => unknown.push((canonical, l.status.clone(), vec![l.id.clone()], 1)),
            }
        }
        lic_meta.push(LicenceMeta {
            id: z.id,
            holder: l.holder.clone(),
            name: text(f, lc.name_field.as_deref()),
            mineral: text(f, lc.mineral_field.as_deref()),
            status: l.status.clone(),
            valid_to: valid_to.map(|d| d.to_string()).or(valid_to_text),
            liable: rule.is_liable(&l),
        });
        licences.push(l);
    }
    warnings.extend(unknown.into_iter().map(|(_, status, licence_ids, count)| {
        Warning::UnknownLicenceStatus {
            path: lc.path.clone(),
            status,
            licence_ids,
            count,
        }
    }));
    if no_holder_count > 0 {
        warnings.push(Warning::LiableWithoutHolder {
            path: lc.path.clone(),
            field: lc.holder_field.clone(),
            licence_ids: no_holder,
            count: no_holder_count,
        });
    }
    Ok((licences, lic_meta, rule))
}

/// Reads a vector layer with the configuration's encoding, repair and limits.
pub(crate) fn read(
    path: &Path,
    encoding: Option<&str>,
    repair: bool,
    limits: Option<&LimitsConfig>,
) -> Result<Layer, AuditError> {
    let base = ReadOptions {
        encoding: encoding.map(str::to_string),
        repair,
        ..ReadOptions::default()
    };
    let opts = match limits {
        Some(l) => l.vector(base),
        None => base,
    };
    Ok(vector::read_layer(path, &opts).map_err(Error::from)?)
}

/// The CRS a user named for a layer (`crs = \"EPSG:…\"`), if any.
pub(crate) fn user_crs(s: Option<&str>, path: &Path) -> Result<Option<Crs>, AuditError> {
    s.map(|v| {
        Crs::from_user_string(v).map_err(|source| {
            AuditError::from(Error::Crs {
                path: path.to_path_buf(),
                source,
            })
        })
    })
    .transpose()
}

/// A field's text, trimmed; `None` when absent or blank.
pub(crate) fn text(f: &vector::Feature, field: Option<&str>) -> Option<String> {
    let t = f.get(field?)?.as_text()?;
    let t = t.trim();
    (!t.is_empty()).then(|| t.to_string())
}

/// A vector file and its sidecars (.shx .dbf .prj .cpg) that exist.
pub(crate) fn sidecars(role: &str, path: &Path) -> Vec<(String, PathBuf)> {
    crate::output::vector_inputs(role, path)
        .into_iter()
        .filter(|(r, p)| r == role || p.exists())
        .collect()
}
