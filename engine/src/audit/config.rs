//! The audit configuration file (`audit.toml`): every key, its default, its meaning.
//!
//! Unknown keys are refused (a typo must not silently fall back to a default).
//! Relative paths are relative to the folder of the configuration file.

use super::error::AuditError;
use crate::config::parse_error;
pub use crate::config::{ConfigError, ParseProblem};
pub use crate::results::Baseline;
use crate::vector::Layer;
use crate::warning::Warning;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A whole audit configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Date the audit describes (usually the imagery's year end), `YYYY-MM-DD`
    /// (a quoted string or a TOML date literal). Optional in the file when the
    /// caller sets it (`--audit-date`); [`AuditConfig::validate`] requires it.
    #[serde(default, deserialize_with = "de_date")]
    pub audit_date: String,
    /// The year's imagery and how to classify it.
    pub imagery: ImageryConfig,
    /// Mine footprints (pits, dumps, tailings …).
    pub pits: PitsConfig,
    /// Mining licences (optional: without them every piece is `unattributed`;
    /// `[licences]` is accepted too).
    #[serde(default, alias = "licences")]
    pub licenses: Option<LicensesConfig>,
    /// The plan's baseline, to compare with.
    #[serde(default)]
    pub baseline: Option<Baseline>,
    /// Caps on what input files may make reclaim allocate (defaults pass real county
    /// and province data and stop decompression bombs and absurd headers).
    #[serde(default)]
    pub limits: Option<LimitsConfig>,
    /// `reclaim discover`: bare land outside the footprints (docs/discover.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discovery: Option<crate::discover::DiscoveryConfig>,
    /// The accuracy assessment with a labelled sample (docs/accuracy.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accuracy: Option<crate::accuracy::in_audit::AccuracyConfig>,
}

/// A section's defaults are what an empty section in a file means: every key at its
/// documented default (required keys empty), so code and files cannot disagree.
fn section_defaults<T: serde::de::DeserializeOwned>(required: &str) -> T {
    match toml::from_str(required) {
        Ok(v) => v,
        // The text is a constant of this file: a failure is a bug, caught by the tests.
        Err(e) => unreachable!("section defaults do not parse: {e}"),
    }
}

impl Default for AuditConfig {
    /// An audit with no date, the imagery's defaults, no pits path or id field, and
    /// no licences, baseline, limits, discovery or accuracy: fill in what you need.
    fn default() -> Self {
        AuditConfig {
            audit_date: String::new(),
            imagery: ImageryConfig::default(),
            pits: PitsConfig::default(),
            licenses: None,
            baseline: None,
            limits: None,
            discovery: None,
            accuracy: None,
        }
    }
}

impl Default for ImageryConfig {
    /// An empty `[imagery]`: no file, NDVI classifier, default thresholds and bands.
    fn default() -> Self {
        section_defaults("")
    }
}

impl Default for PitsConfig {
    /// `[pits]` with an empty path and id field.
    fn default() -> Self {
        section_defaults("path = \"\"\nid_field = \"\"")
    }
}

impl Default for LicensesConfig {
    /// `[licenses]` with an empty path and the default field names and statuses.
    fn default() -> Self {
        section_defaults("path = \"\"")
    }
}

/// `[limits]`: every key optional; unset keys keep their defaults.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitsConfig {
    /// Largest decoded raster block (strip or tile), MiB (default 256).
    #[serde(default)]
    pub max_block_mib: Option<u64>,
    /// Largest raster window read at once, MiB (default 2048).
    #[serde(default)]
    pub max_window_mib: Option<u64>,
    /// Most features in one vector layer (default 5 000 000).
    #[serde(default)]
    pub max_features: Option<usize>,
    /// Most vertices in one vector layer (default 200 000 000).
    #[serde(default)]
    pub max_vertices: Option<usize>,
    /// Largest vector file read (.geojson, .shp, .dbf, .shx), MiB (default 2048).
    #[serde(default)]
    pub max_vector_mib: Option<u64>,
}

impl LimitsConfig {
    /// Raster limits: `base` with the keys that are set.
    pub fn raster(&self, base: crate::raster::Limits) -> crate::raster::Limits {
        const MIB: u64 = 1 << 20;
        crate::raster::Limits {
            max_block_bytes: self
                .max_block_mib
                .map_or(base.max_block_bytes, |m| m.saturating_mul(MIB)),
            max_window_bytes: self
                .max_window_mib
                .map_or(base.max_window_bytes, |m| m.saturating_mul(MIB)),
            ..base
        }
    }

    /// Vector read options: `base` with the keys that are set.
    pub fn vector(&self, base: crate::vector::ReadOptions) -> crate::vector::ReadOptions {
        crate::vector::ReadOptions {
            max_features: self.max_features.unwrap_or(base.max_features),
            max_vertices: self.max_vertices.unwrap_or(base.max_vertices),
            max_file_bytes: self
                .max_vector_mib
                .map_or(base.max_file_bytes, |m| m.saturating_mul(1 << 20)),
            ..base
        }
    }
}

/// How cells become land classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ClassifierKind {
    /// NDVI from red and near-infrared bands.
    Ndvi,
    /// A categorical land-cover raster with a value → class mapping.
    Classes,
}

/// `[imagery]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ImageryConfig {
    /// One multi-band GeoTIFF (NDVI: red and NIR bands; classes: the class band).
    #[serde(default)]
    pub path: Option<PathBuf>,
    /// Red band in its own file (NDVI, instead of `path`).
    #[serde(default)]
    pub red_path: Option<PathBuf>,
    /// Near-infrared band in its own file (NDVI, instead of `path`).
    #[serde(default)]
    pub nir_path: Option<PathBuf>,
    /// `ndvi` or `classes`.
    #[serde(default = "default_classifier")]
    pub classifier: ClassifierKind,
    /// Red band number, from 1 (default: 1).
    #[serde(default)]
    pub red_band: Option<usize>,
    /// NIR band number, from 1 (default: 2 in a single `path`, 1 in its own `nir_path`).
    #[serde(default)]
    pub nir_band: Option<usize>,
    /// Class band number (classifier `classes`), from 1.
    #[serde(default = "one")]
    pub class_band: usize,
    /// Reflectance = value × scale + offset. Sentinel-2 L2A (processing baseline
    /// ≥ 04.00): scale = 0.0001, offset = -0.1 (the BOA_ADD_OFFSET of −1000 DN × 1e-4).
    #[serde(default = "one_f")]
    pub scale: f64,
    /// See `scale`.
    #[serde(default)]
    pub offset: f64,
    /// NDVI at or above this → restored (vegetated).
    #[serde(default = "default_restored_min_ndvi")]
    pub restored_min_ndvi: f64,
    /// NDVI below this → water.
    #[serde(default)]
    pub water_max_ndvi: f64,
    /// Mask raster on the same grid (cloud, shadow, nodata → unobserved).
    #[serde(default)]
    pub mask_path: Option<PathBuf>,
    /// Band of the mask raster, from 1.
    #[serde(default = "one")]
    pub mask_band: usize,
    /// `scl` (Sentinel-2 scene classification: 0,1,3,8,9,10 → unobserved) or
    /// `qa_pixel` (Landsat Collection 2 QA_PIXEL: bits 0–5, fill, dilated cloud,
    /// cirrus, cloud, cloud shadow, snow → unobserved).
    #[serde(default)]
    pub mask_preset: Option<String>,
    /// Mask values that make a cell unobserved (instead of, or added to, the preset).
    #[serde(default)]
    pub mask_values: Option<Vec<f64>>,
    /// Bits of an integer mask band (0 = least significant) any of which makes a
    /// cell unobserved (instead of, or added to, the preset).
    #[serde(default)]
    pub mask_bits: Option<Vec<u32>>,
    /// `worldcover` (ESA WorldCover 10 m codes) for classifier `classes`.
    #[serde(default)]
    pub classes_preset: Option<String>,
    /// Class name (`restored`, `unrestored`, `water`, `unobserved`) → raster values.
    #[serde(default)]
    pub classes_map: Option<BTreeMap<String, Vec<f64>>>,
    /// CRS of the imagery when its files have none (e.g. `EPSG:32651`).
    #[serde(default)]
    pub crs: Option<String>,
    /// A season of scenes to composite instead of one raster: Sentinel-2 L2A `.SAFE`
    /// folders, Landsat C2 L2 products (folder or `*_MTL.json`/`*_MTL.txt`), scene
    /// manifests (`.csv`/`.toml`), or globs of them (docs/imagery.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scenes: Option<Vec<PathBuf>>,
    /// A folder whose products (one or two levels down) are the scenes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection: Option<PathBuf>,
    /// First and last day (`"MM-DD"`, inclusive) of the audit year whose scenes are
    /// composited, e.g. `["05-01", "09-30"]`; default: every scene given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub season: Option<Vec<String>>,
    /// How a cell's clear observations become one NDVI: `median` (default), `max`
    /// (the greenest) or `latest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub composite: Option<CompositeRule>,
    /// Cells with fewer clear observations than this are unobserved (default 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_clear: Option<u32>,
    /// `nearest`: scenes whose grids have the first scene's cell size but lie a
    /// fraction of a cell off it are read at the cell under each cell centre of the
    /// first scene's grid. Default: such scenes are refused (docs/imagery.md).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resample: Option<Resample>,
}

/// `[imagery] resample`: how a composite may bring a shifted scene to its grid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Resample {
    /// Nearest neighbour: the scene's cell holding the grid cell's centre (on a
    /// cell edge, the cell right of / below it).
    Nearest,
}

/// `[imagery] composite`: how the clear observations of a cell become one NDVI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum CompositeRule {
    /// The median NDVI (the mean of the two middle values for an even count).
    #[default]
    Median,
    /// The greatest NDVI (the greenest observation).
    Max,
    /// The NDVI of the latest clear observation.
    Latest,
}

impl CompositeRule {
    /// The name used in configs and reports.
    pub fn name(self) -> &'static str {
        match self {
            CompositeRule::Median => "median",
            CompositeRule::Max => "max",
            CompositeRule::Latest => "latest",
        }
    }
}

impl ImageryConfig {
    /// True when the imagery is a season of scenes (`scenes` or `collection`).
    pub fn is_composite(&self) -> bool {
        self.scenes.is_some() || self.collection.is_some()
    }
}

/// `[pits]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PitsConfig {
    /// Shapefile or GeoJSON of footprints.
    pub path: PathBuf,
    /// Field with the pit id (unique).
    pub id_field: String,
    /// Field with the footprint kind (open pit, waste dump, tailings …), optional.
    #[serde(default)]
    pub kind_field: Option<String>,
    /// Field with the town (乡镇), optional.
    #[serde(default)]
    pub town_field: Option<String>,
    /// Text encoding of the .dbf when the .cpg is missing or wrong.
    #[serde(default)]
    pub encoding: Option<String>,
    /// CRS when the file has none.
    #[serde(default)]
    pub crs: Option<String>,
    /// Repair self-intersecting or overlapping footprints instead of refusing them
    /// (docs/robustness.md; default false).
    #[serde(default)]
    pub repair_geometry: bool,
}

/// `[licenses]`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LicensesConfig {
    /// Shapefile or GeoJSON of licence polygons.
    pub path: PathBuf,
    /// Field with the licence id (许可证号).
    #[serde(default = "default_license_id")]
    pub id_field: String,
    /// Field with the holder (采矿权人).
    #[serde(default = "default_holder")]
    pub holder_field: String,
    /// Field with the status (valid, expired, suspended, revoked, cancelled …).
    #[serde(default = "default_status")]
    pub status_field: String,
    /// Field with the valid-to date.
    #[serde(default = "default_valid_to")]
    pub valid_to_field: String,
    /// Field with the mineral, optional.
    #[serde(default)]
    pub mineral_field: Option<String>,
    /// Field with the mine name, optional.
    #[serde(default)]
    pub name_field: Option<String>,
    /// Statuses that make a licence liable for its land.
    #[serde(default = "default_liable")]
    pub liable_statuses: Vec<String>,
    /// Statuses known not to make a licence liable. A status in neither list is
    /// treated as not liable, with a warning (a typo or a new status word must not
    /// silently turn a holder's land into historical legacy).
    #[serde(default = "default_not_liable")]
    pub not_liable_statuses: Vec<String>,
    /// Text encoding of the .dbf when the .cpg is missing or wrong.
    #[serde(default)]
    pub encoding: Option<String>,
    /// CRS when the file has none.
    #[serde(default)]
    pub crs: Option<String>,
    /// Repair self-intersecting or overlapping footprints instead of refusing them
    /// (docs/robustness.md; default false).
    #[serde(default)]
    pub repair_geometry: bool,
}

impl PitsConfig {
    /// `(key, field)` of every field the audit reads from the pits layer.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        let mut v = vec![("[pits] id_field", self.id_field.as_str())];
        v.extend(self.kind_field.as_deref().map(|f| ("[pits] kind_field", f)));
        v.extend(self.town_field.as_deref().map(|f| ("[pits] town_field", f)));
        v
    }

    /// Checks the pits layer against this section: every field at once (see
    /// [`Layer::resolve_fields`]), and a CRS from the file or `crs`.
    ///
    /// # Errors
    /// [`VectorError::MissingFields`](crate::vector::VectorError::MissingFields),
    /// [`AuditError::LayerWithoutCrs`].
    pub fn check_layer(&self, layer: &mut Layer) -> Result<Vec<Warning>, AuditError> {
        check_layer(layer, "pits", &self.fields(), self.crs.as_deref())
    }
}

impl LicensesConfig {
    /// `(key, field)` of every field the audit reads from the licence layer.
    pub fn fields(&self) -> Vec<(&'static str, &str)> {
        let mut v = vec![
            ("[licenses] id_field", self.id_field.as_str()),
            ("[licenses] holder_field", self.holder_field.as_str()),
            ("[licenses] status_field", self.status_field.as_str()),
            ("[licenses] valid_to_field", self.valid_to_field.as_str()),
        ];
        v.extend(
            self.mineral_field
                .as_deref()
                .map(|f| ("[licenses] mineral_field", f)),
        );
        v.extend(
            self.name_field
                .as_deref()
                .map(|f| ("[licenses] name_field", f)),
        );
        v
    }

    /// As [`PitsConfig::check_layer`], for the licence layer.
    ///
    /// # Errors
    /// As [`PitsConfig::check_layer`].
    pub fn check_layer(&self, layer: &mut Layer) -> Result<Vec<Warning>, AuditError> {
        check_layer(layer, "licenses", &self.fields(), self.crs.as_deref())
    }
}

fn check_layer(
    layer: &mut Layer,
    section: &'static str,
    fields: &[(&str, &str)],
    crs: Option<&str>,
) -> Result<Vec<Warning>, AuditError> {
    let renames = layer.resolve_fields(fields).map_err(crate::Error::from)?;
    if layer.crs.is_none() && crs.is_none() {
        return Err(AuditError::LayerWithoutCrs {
            path: layer.path.clone(),
            section,
        });
    }
    Ok(renames
        .into_iter()
        .map(|(key, configured, found)| Warning::FieldCase {
            path: layer.path.clone(),
            key,
            configured,
            found,
        })
        .collect())
}

fn default_classifier() -> ClassifierKind {
    ClassifierKind::Ndvi
}
fn one() -> usize {
    1
}
fn one_f() -> f64 {
    1.0
}
fn default_restored_min_ndvi() -> f64 {
    0.3
}
fn default_license_id() -> String {
    "license_id".into()
}
fn default_holder() -> String {
    "holder".into()
}
fn default_status() -> String {
    "status".into()
}
fn default_valid_to() -> String {
    "valid_to".into()
}
fn default_liable() -> Vec<String> {
    vec!["valid".into(), "expired".into(), "suspended".into()]
}
fn default_not_liable() -> Vec<String> {
    vec!["revoked".into(), "cancelled".into(), "closed".into()]
}

/// Largest configuration file read (a real one is a few KiB).
pub const MAX_CONFIG_BYTES: u64 = 16 << 20;

/// `audit_date` as a quoted string or a TOML date literal (`2025-12-31`).
fn de_date<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    match toml::Value::deserialize(d)? {
        toml::Value::String(s) => Ok(s),
        toml::Value::Datetime(dt) => Ok(dt.to_string()),
        other => Err(serde::de::Error::custom(format!(
            "audit_date must be a date like \"2025-12-31\", not the {} {other}",
            other.type_str()
        ))),
    }
}

/// `Err(Invalid)` naming `key`, `value` and `allowed` unless `ok`.
fn check(
    ok: bool,
    key: &'static str,
    value: impl std::fmt::Display,
    allowed: &str,
) -> Result<(), ConfigError> {
    if ok {
        Ok(())
    } else {
        Err(ConfigError::Invalid {
            key,
            value: value.to_string(),
            allowed: allowed.to_string(),
            flag: match key {
                "[imagery] restored_min_ndvi" => Some("--restored-min-ndvi"),
                "[imagery] water_max_ndvi" => Some("--water-max-ndvi"),
                _ => None,
            },
        })
    }
}

impl AuditConfig {
    /// Parses TOML text; relative paths stay relative (see [`AuditConfig::resolve_paths`]).
    pub fn from_toml(text: &str, path: &Path) -> Result<AuditConfig, ConfigError> {
        toml::from_str(text).map_err(|e| parse_error(text, path, e))
    }

    /// Checks every setting's value (after the file is read and the command line has
    /// overridden it): `audit_date` is present and a date; every number finite;
    /// −1 ≤ `water_max_ndvi` < `restored_min_ndvi` ≤ 1 (NDVI's range); `scale` ≠ 0;
    /// band numbers ≥ 1; `[limits]` > 0; `[baseline]` figures ≥ 0; mask values and
    /// `classes_map` values finite.
    ///
    /// # Errors
    /// The first setting out of range, as [`ConfigError::Invalid`] (key, value and
    /// allowed range), [`ConfigError::MissingAuditDate`] or [`ConfigError::AuditDate`].
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.audit_date.trim().is_empty() {
            return Err(ConfigError::MissingAuditDate);
        }
        if let Err(e) = crate::attribute::Date::parse(&self.audit_date) {
            let problem = match e {
                crate::attribute::AttributeError::InvalidDate { problem, .. } => problem,
                _ => crate::attribute::DateProblem::Layout,
            };
            return Err(ConfigError::AuditDate {
                value: self.audit_date.clone(),
                problem,
            });
        }
        let im = &self.imagery;
        check(
            im.scale.is_finite() && im.scale != 0.0,
            "[imagery] scale",
            im.scale,
            "a finite number other than 0 (reflectance = value × scale + offset; 1 when the bands hold reflectance, 0.0001 for Sentinel-2 L2A)",
        )?;
        check(
            im.offset.is_finite(),
            "[imagery] offset",
            im.offset,
            "a finite number (0 unless the product adds an offset, -0.1 for Sentinel-2 L2A baseline ≥ 04.00)",
        )?;
        let (w, r) = (im.water_max_ndvi, im.restored_min_ndvi);
        check(
            r.is_finite() && r <= 1.0 && r > -1.0,
            "[imagery] restored_min_ndvi",
            r,
            "a number in (-1, 1], NDVI's range (default 0.3)",
        )?;
        check(
            w.is_finite() && (-1.0..1.0).contains(&w),
            "[imagery] water_max_ndvi",
            w,
            "a number in [-1, 1), NDVI's range (default 0)",
        )?;
        check(
            w < r,
            "[imagery] water_max_ndvi",
            w,
            &format!("it must be below restored_min_ndvi = {r} (-1 ≤ water_max_ndvi < restored_min_ndvi ≤ 1), or water would overlap restored land"),
        )?;
        const BAND: &str = "a band number from 1";
        if let Some(b) = im.red_band {
            check(b >= 1, "[imagery] red_band", b, BAND)?;
        }
        if let Some(b) = im.nir_band {
            check(b >= 1, "[imagery] nir_band", b, BAND)?;
        }
        check(
            im.class_band >= 1,
            "[imagery] class_band",
            im.class_band,
            BAND,
        )?;
        check(im.mask_band >= 1, "[imagery] mask_band", im.mask_band, BAND)?;
        if let Some(n) = im.min_clear {
            check(
                n >= 1,
                "[imagery] min_clear",
                n,
                "a whole number of clear observations, 1 or more (default 1)",
            )?;
        }
        if let Some(season) = &im.season {
            let shown = format!("{season:?}");
            check(
                crate::scenes::Season::from_list("[imagery] season", season).is_ok(),
                "[imagery] season",
                shown,
                "two days of the audit year, first and last, like season = [\"05-01\", \"09-30\"] (a season may not wrap the year end)",
            )?;
        }
        for v in im.mask_values.iter().flatten() {
            check(
                v.is_finite(),
                "[imagery] mask_values",
                v,
                "finite raster values (a nodata value needs no entry: nodata is unobserved)",
            )?;
        }
        for v in im.classes_map.iter().flat_map(|m| m.values()).flatten() {
            check(
                v.is_finite(),
                "[imagery] classes_map",
                v,
                "finite raster values (a nodata value needs no entry: nodata is unobserved)",
            )?;
        }
        if let Some(l) = &self.limits {
            const POSITIVE: &str = "a whole number above 0 (leave the key out for its default)";
            let keys = [
                ("[limits] max_block_mib", l.max_block_mib.map(|v| v as u128)),
                (
                    "[limits] max_window_mib",
                    l.max_window_mib.map(|v| v as u128),
                ),
                ("[limits] max_features", l.max_features.map(|v| v as u128)),
                ("[limits] max_vertices", l.max_vertices.map(|v| v as u128)),
            ];
            for (key, v) in keys {
                if let Some(v) = v {
                    check(v > 0, key, v, POSITIVE)?;
                }
            }
        }
        if let Some(d) = &self.discovery {
            d.validate()?;
        }
        if let Some(a) = &self.accuracy {
            a.validate()?;
        }
        if let Some(b) = &self.baseline {
            const HA: &str = "a finite area in hectares, 0 or more";
            for (key, v) in [
                ("[baseline] restored_ha", b.restored_ha),
                ("[baseline] unrestored_ha", b.unrestored_ha),
                (
                    "[baseline] unrestored_responsible_ha",
                    b.unrestored_responsible_ha,
                ),
                ("[baseline] unrestored_legacy_ha", b.unrestored_legacy_ha),
            ] {
                check(v.is_finite() && v >= 0.0, key, v, HA)?;
            }
        }
        Ok(())
    }

    /// Reads a configuration file (a regular file of at most 16 MiB) and joins its
    /// relative paths onto its folder, made absolute (symlinks and `..` resolved), so
    /// every path an audit records is absolute.
    pub fn load(path: &Path) -> Result<AuditConfig, ConfigError> {
        use crate::input::{read_capped, Cap, InputError};
        let io = |source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = read_capped(path, MAX_CONFIG_BYTES, Cap::Config).map_err(|e| match e {
            InputError::Io { source, .. } => io(source),
            other => ConfigError::Input(other),
        })?;
        let text = String::from_utf8(bytes)
            .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        let mut cfg = AuditConfig::from_toml(&text, path)?;
        let folder = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        cfg.resolve_paths(&folder.canonicalize().map_err(io)?);
        Ok(cfg)
    }

    /// Joins every relative input path onto `base`, and resolves each path's folder
    /// (symlinks, `..`; see [`crate::output::resolve_folder`]).
    pub fn resolve_paths(&mut self, base: &Path) {
        let fix = |p: &mut PathBuf| {
            *p = crate::output::resolve_folder(&base.join(&*p));
        };
        let im = &mut self.imagery;
        for p in [
            &mut im.path,
            &mut im.red_path,
            &mut im.nir_path,
            &mut im.mask_path,
        ]
        .into_iter()
        .flatten()
        {
            fix(p);
        }
        // Scenes may be globs: joined, not resolved (a pattern is no folder).
        for p in im.scenes.iter_mut().flatten() {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        if let Some(p) = &mut im.collection {
            fix(p);
        }
        fix(&mut self.pits.path);
        if let Some(l) = &mut self.licenses {
            fix(&mut l.path);
        }
        if let Some(d) = &mut self.discovery {
            d.resolve_paths(base);
        }
        if let Some(a) = &mut self.accuracy {
            fix(&mut a.reference);
        }
    }

    /// How this configuration classifies land, for the report; `geographic` tells
    /// whether the audit's CRS is in degrees.
    pub fn method(&self, geographic: bool) -> crate::results::Method {
        use crate::results::{Classifier, Method};
        let im = &self.imagery;
        Method {
            classifier: match im.classifier {
                ClassifierKind::Ndvi => Classifier::Ndvi {
                    restored_min_ndvi: im.restored_min_ndvi,
                    water_max_ndvi: im.water_max_ndvi,
                    scale: im.scale,
                    offset: im.offset,
                },
                ClassifierKind::Classes => Classifier::Classes {
                    preset: im.classes_preset.clone(),
                },
            },
            mask_preset: im.mask_preset.clone(),
            liable_statuses: self.licenses.as_ref().map(|l| l.liable_statuses.clone()),
            geographic,
        }
    }

    /// TOML text of this configuration (for provenance and `--print-config`).
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"
audit_date = "2025-12-31"
[imagery]
path = "bands.tif"
[pits]
path = "pits.shp"
id_field = "pit_id"
[licenses]
path = "licenses.shp"
"#;

    #[test]
    fn defaults_are_an_empty_section() {
        let im = ImageryConfig::default();
        assert_eq!(im.classifier, ClassifierKind::Ndvi);
        assert_eq!((im.red_band, im.nir_band, im.scale), (None, None, 1.0));
        assert_eq!(im.restored_min_ndvi, 0.3);
        let lc = LicensesConfig::default();
        assert!(!lc.liable_statuses.is_empty() && !lc.id_field.is_empty());
        assert_eq!(PitsConfig::default().id_field, "");
        let cfg = AuditConfig {
            audit_date: "2024-12-31".into(),
            ..AuditConfig::default()
        };
        let back = AuditConfig::from_toml(&cfg.to_toml(), Path::new("audit.toml")).unwrap();
        assert_eq!(back.imagery, cfg.imagery);
    }

    #[test]
    fn defaults_are_the_documented_ones() {
        let c = AuditConfig::from_toml(MINIMAL, Path::new("a.toml")).unwrap();
        assert_eq!(c.imagery.classifier, ClassifierKind::Ndvi);
        assert_eq!((c.imagery.red_band, c.imagery.nir_band), (None, None));
        assert_eq!((c.imagery.scale, c.imagery.offset), (1.0, 0.0));
        assert_eq!(c.imagery.restored_min_ndvi, 0.3);
        assert_eq!(c.imagery.water_max_ndvi, 0.0);
        let l = c.licenses.as_ref().unwrap();
        assert_eq!(l.id_field, "license_id");
        assert_eq!(l.liable_statuses, ["valid", "expired", "suspended"]);
        assert_eq!(l.not_liable_statuses, ["revoked", "cancelled", "closed"]);
        assert!(c.baseline.is_none());
    }

    #[test]
    fn limits_override_only_the_keys_set() {
        let text = format!("{MINIMAL}\n[limits]\nmax_block_mib = 8\nmax_features = 10\n");
        let c = AuditConfig::from_toml(&text, Path::new("a.toml")).unwrap();
        let l = c.limits.unwrap();
        let base = crate::raster::Limits::default();
        let r = l.raster(base);
        assert_eq!(r.max_block_bytes, 8 << 20);
        assert_eq!(r.max_window_bytes, base.max_window_bytes);
        let v = l.vector(crate::vector::ReadOptions::default());
        assert_eq!(
            (v.max_features, v.max_vertices),
            (10, crate::vector::ReadOptions::default().max_vertices)
        );
        let bad = format!("{MINIMAL}\n[limits]\nmax_blocks = 8\n");
        assert!(AuditConfig::from_toml(&bad, Path::new("a.toml")).is_err());
    }

    #[test]
    fn unknown_key_is_refused_with_its_name() {
        let bad = MINIMAL.replace(
            "id_field = \"pit_id\"",
            "id_field = \"pit_id\"\nidfield = \"x\"",
        );
        let e = AuditConfig::from_toml(&bad, Path::new("a.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("idfield") && e.contains("a.toml"), "{e}");
    }

    #[test]
    fn licences_are_optional_and_take_either_spelling() {
        let cut = MINIMAL.find("[licenses]").unwrap();
        let c = AuditConfig::from_toml(&MINIMAL[..cut], Path::new("a.toml")).unwrap();
        assert!(c.licenses.is_none());
        let british = MINIMAL.replace("[licenses]", "[licences]");
        let c = AuditConfig::from_toml(&british, Path::new("a.toml")).unwrap();
        assert_eq!(
            c.licenses.map(|l| l.path),
            Some(PathBuf::from("licenses.shp"))
        );
    }

    #[test]
    fn relative_paths_follow_the_config_folder() {
        let mut c = AuditConfig::from_toml(MINIMAL, Path::new("a.toml")).unwrap();
        c.resolve_paths(Path::new("/data/2025"));
        assert_eq!(c.pits.path, Path::new("/data/2025/pits.shp"));
        assert_eq!(
            c.imagery.path.as_deref(),
            Some(Path::new("/data/2025/bands.tif"))
        );
    }

    fn invalid(text: &str) -> String {
        let c = AuditConfig::from_toml(text, Path::new("a.toml")).unwrap();
        c.validate().unwrap_err().to_string()
    }

    #[test]
    fn dates_licences_and_a_missing_date() {
        let lit = MINIMAL.replace("\"2025-12-31\"", "2024-12-31");
        let c = AuditConfig::from_toml(&lit, Path::new("a.toml")).unwrap();
        assert_eq!(c.audit_date, "2024-12-31");
        c.validate().unwrap();
        let brit = MINIMAL.replace("[licenses]", "[licences]");
        let c = AuditConfig::from_toml(&brit, Path::new("a.toml")).unwrap();
        assert_eq!(c.licenses.as_ref().unwrap().path, Path::new("licenses.shp"));
        assert!(c.to_toml().contains("[licenses]"));
        let none = MINIMAL.replace("audit_date = \"2025-12-31\"", "");
        let mut c = AuditConfig::from_toml(&none, Path::new("a.toml")).unwrap();
        let e = c.validate().unwrap_err().to_string();
        assert!(
            e.contains("audit_date = \"2025-12-31\"") && e.contains("--audit-date"),
            "{e}"
        );
        c.audit_date = "2025-02-30".into();
        let e = c.validate().unwrap_err().to_string();
        assert!(e.contains("2025-02-30") && e.contains("day"), "{e}");
        let num = MINIMAL.replace("\"2025-12-31\"", "20251231");
        let e = AuditConfig::from_toml(&num, Path::new("a.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("audit_date must be a date"), "{e}");
    }

    #[test]
    fn every_number_is_checked() {
        let with = |k: &str| MINIMAL.replace("[imagery]", &format!("[imagery]\n{k}"));
        for (k, needle) in [
            ("water_max_ndvi = 0.5", "below restored_min_ndvi = 0.3"),
            ("restored_min_ndvi = nan", "restored_min_ndvi = NaN"),
            ("water_max_ndvi = nan", "water_max_ndvi = NaN"),
            ("restored_min_ndvi = 1.5", "(-1, 1]"),
            ("water_max_ndvi = -2", "[-1, 1)"),
            ("scale = 0", "scale = 0 is not allowed"),
            ("scale = inf", "scale = inf"),
            ("offset = nan", "offset = NaN"),
            ("red_band = 0", "red_band = 0"),
            ("class_band = 0", "class_band = 0"),
            ("mask_values = [nan]", "mask_values = NaN"),
            ("classes_map = { restored = [1, nan] }", "classes_map = NaN"),
        ] {
            let e = invalid(&with(k));
            assert!(e.contains(needle) && e.contains("not allowed"), "{k}: {e}");
        }
        let e = invalid(&format!("{MINIMAL}\n[limits]\nmax_block_mib = 0\n"));
        assert!(
            e.contains("[limits] max_block_mib = 0") && e.contains("above 0"),
            "{e}"
        );
        let b = "[baseline]\nrestored_ha = 1\nunrestored_ha = -1\nunrestored_responsible_ha = 0\nunrestored_legacy_ha = 0\n";
        let e = invalid(&format!("{MINIMAL}\n{b}"));
        assert!(e.contains("[baseline] unrestored_ha = -1"), "{e}");
        let e = invalid(&with("restored_min_ndvi = 2"));
        assert!(e.contains("--restored-min-ndvi"), "{e}");
        AuditConfig::from_toml(
            &with("water_max_ndvi = -1\nrestored_min_ndvi = 1"),
            Path::new("a"),
        )
        .unwrap()
        .validate()
        .unwrap();
    }

    #[test]
    fn unknown_keys_get_a_suggestion_and_their_place() {
        let bad = MINIMAL.replace(
            "id_field = \"pit_id\"",
            "id_field = \"pit_id\"\nkind_feild = \"x\"",
        );
        let e = AuditConfig::from_toml(&bad, Path::new("a.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("line 8")
                && e.contains("[pits]")
                && e.contains("did you mean `kind_field`?"),
            "{e}"
        );
        let bad = MINIMAL.replace("[imagery]", "[imagery]\nRestored_Min_NDVI = 0.4");
        let e = AuditConfig::from_toml(&bad, Path::new("a.toml"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("did you mean `restored_min_ndvi`?"), "{e}");
        let bad = MINIMAL.replace("id_field = \"pit_id\"", "");
        let e = AuditConfig::from_toml(&bad, Path::new("a.toml"))
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("`id_field` is missing") && e.contains("[pits]"),
            "{e}"
        );
        assert_eq!(e.lines().count(), 1, "{e}");
    }
}
