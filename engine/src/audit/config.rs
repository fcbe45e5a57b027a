//! The audit configuration file (`audit.toml`): every key, its default, its meaning.
//!
//! Unknown keys are refused (a typo must not silently fall back to a default).
//! Relative paths are relative to the folder of the configuration file.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// A whole audit configuration.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditConfig {
    /// Date the audit describes (usually the imagery's year end), `YYYY-MM-DD`.
    pub audit_date: String,
    /// The year's imagery and how to classify it.
    pub imagery: ImageryConfig,
    /// Mine footprints (pits, dumps, tailings …).
    pub pits: PitsConfig,
    /// Mining licences (optional: without them every piece is `unattributed`).
    #[serde(default, alias = "licences")]
    pub licenses: Option<LicensesConfig>,
    /// The plan's baseline, to compare with.
    #[serde(default)]
    pub baseline: Option<Baseline>,
    /// Caps on what input files may make reclaim allocate (defaults pass real county
    /// and province data and stop decompression bombs and absurd headers).
    #[serde(default)]
    pub limits: Option<LimitsConfig>,
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
    /// `scl` (Sentinel-2 scene classification: 0,1,3,8,9,10 → unobserved).
    #[serde(default)]
    pub mask_preset: Option<String>,
    /// Mask values that make a cell unobserved (instead of, or added to, the preset).
    #[serde(default)]
    pub mask_values: Option<Vec<f64>>,
    /// `worldcover` (ESA WorldCover 10 m codes) for classifier `classes`.
    #[serde(default)]
    pub classes_preset: Option<String>,
    /// Class name (`restored`, `unrestored`, `water`, `unobserved`) → raster values.
    #[serde(default)]
    pub classes_map: Option<BTreeMap<String, Vec<f64>>>,
    /// CRS of the imagery when its files have none (e.g. `EPSG:32651`).
    #[serde(default)]
    pub crs: Option<String>,
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

/// `[baseline]`: the plan's figures, in hectares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub restored_ha: f64,
    pub unrestored_ha: f64,
    pub unrestored_responsible_ha: f64,
    pub unrestored_legacy_ha: f64,
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

/// Errors reading a configuration file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The path is not a regular file, or is over 16 MiB.
    #[error("config {0}")]
    Input(crate::input::InputError),
    /// The TOML is malformed or has an unknown / mistyped key.
    #[error("config {path}: {source}")]
    Parse {
        path: PathBuf,
        #[source]
        source: toml::de::Error,
    },
}

impl AuditConfig {
    /// Parses TOML text; relative paths stay relative (see [`AuditConfig::resolve_paths`]).
    pub fn from_toml(text: &str, path: &Path) -> Result<AuditConfig, ConfigError> {
        toml::from_str(text).map_err(|source| ConfigError::Parse {
            path: path.to_path_buf(),
            source,
        })
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
        fix(&mut self.pits.path);
        if let Some(l) = &mut self.licenses {
            fix(&mut l.path);
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
}
