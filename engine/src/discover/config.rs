//! `[discovery]`: the keys of `reclaim discover` in the audit configuration.
//!
//! Optional as a whole; every key has a default. Unknown keys are refused like
//! everywhere else in `audit.toml`. Relative paths are relative to the
//! configuration file (joined by [`DiscoveryConfig::resolve_paths`]).

use crate::config::ConfigError;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Default smallest patch reported, hectares.
pub const DEFAULT_MIN_AREA_HA: f64 = 0.5;

/// Default connectivity (edge and corner neighbours).
pub const DEFAULT_CONNECTIVITY: u8 = 8;

/// `[discovery]` of `audit.toml`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DiscoveryConfig {
    /// Smallest patch reported, hectares (default 0.5; 0 reports every patch).
    #[serde(default = "default_min_area")]
    pub min_area_ha: f64,
    /// 8 (default: cells touching by an edge or a corner join) or 4 (by an edge only).
    #[serde(default = "default_connectivity")]
    pub connectivity: u8,
    /// Area of interest (e.g. the county boundary): only cells whose centre lies
    /// inside it are scanned. Default: the whole imagery.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aoi: Option<PathBuf>,
    /// CRS of `aoi` when the file has none (e.g. `EPSG:4326`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aoi_crs: Option<String>,
    /// Land-cover raster whose `exclude_classes` are not candidates (e.g. ESA
    /// WorldCover on the imagery's grid). Default: the imagery's class raster when
    /// the classifier is `classes`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exclude_raster: Option<PathBuf>,
    /// Band of `exclude_raster`, from 1.
    #[serde(default = "one")]
    pub exclude_band: usize,
    /// Values of the exclusion raster that are not candidates (WorldCover: 40
    /// cropland, 50 built-up).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_classes: Vec<f64>,
    /// Polygon layers (roads, towns, fields …) whose land is not a candidate; each
    /// must carry its CRS (a `.prj`, or GeoJSON's lon/lat).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude_layers: Vec<PathBuf>,
    /// Smallest Polsby–Popper compactness 4πA/P² (0–1) of a reported patch;
    /// thin slivers along roads or footprint edges score near 0. Default 0 (off).
    #[serde(default)]
    pub min_compactness: f64,
    /// The previous year's configuration file: its `[imagery]` is classified too,
    /// and each patch is `new` or `persistent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous_config: Option<PathBuf>,
    /// Whether `reclaim audit` runs discovery too and puts the candidates into
    /// the audit folder, `summary.json` and `report.html` (default false:
    /// `[discovery]` then serves `reclaim discover` alone). `reclaim discover`
    /// ignores it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub in_audit: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
}

impl Default for DiscoveryConfig {
    fn default() -> Self {
        DiscoveryConfig {
            min_area_ha: DEFAULT_MIN_AREA_HA,
            connectivity: DEFAULT_CONNECTIVITY,
            aoi: None,
            aoi_crs: None,
            exclude_raster: None,
            exclude_band: 1,
            exclude_classes: Vec::new(),
            exclude_layers: Vec::new(),
            min_compactness: 0.0,
            previous_config: None,
            in_audit: false,
        }
    }
}

fn default_min_area() -> f64 {
    DEFAULT_MIN_AREA_HA
}
fn default_connectivity() -> u8 {
    DEFAULT_CONNECTIVITY
}
fn one() -> usize {
    1
}

impl DiscoveryConfig {
    /// Checks every value: `min_area_ha` finite and ≥ 0, `connectivity` 4 or 8,
    /// `exclude_band` ≥ 1, `exclude_classes` finite, `min_compactness` in [0, 1].
    ///
    /// # Errors
    /// [`ConfigError::Invalid`] naming the key, the value and what is allowed.
    pub fn validate(&self) -> Result<(), ConfigError> {
        check(
            self.min_area_ha.is_finite() && self.min_area_ha >= 0.0,
            "[discovery] min_area_ha",
            self.min_area_ha,
            "an area in hectares, 0 or more (default 0.5; 0 reports every patch)",
            Some("--min-area-ha"),
        )?;
        check(
            matches!(self.connectivity, 4 | 8),
            "[discovery] connectivity",
            self.connectivity,
            "4 (cells touching by an edge join a patch) or 8 (by an edge or a corner; the default)",
            Some("--connectivity"),
        )?;
        check(
            self.exclude_band >= 1,
            "[discovery] exclude_band",
            self.exclude_band,
            "a band number from 1",
            None,
        )?;
        for v in &self.exclude_classes {
            check(
                v.is_finite(),
                "[discovery] exclude_classes",
                v,
                "finite raster values, e.g. exclude_classes = [40, 50] (WorldCover cropland, built-up)",
                None,
            )?;
        }
        check(
            (0.0..=1.0).contains(&self.min_compactness),
            "[discovery] min_compactness",
            self.min_compactness,
            "a number from 0 (off, the default) to 1 (a disc); 0.05 drops thin slivers",
            None,
        )?;
        Ok(())
    }

    /// Joins relative paths onto `base` (the configuration file's folder).
    pub fn resolve_paths(&mut self, base: &Path) {
        let fix = |p: &mut PathBuf| *p = crate::output::resolve_folder(&base.join(&*p));
        for p in [
            &mut self.aoi,
            &mut self.exclude_raster,
            &mut self.previous_config,
        ]
        .into_iter()
        .flatten()
        {
            fix(p);
        }
        self.exclude_layers.iter_mut().for_each(fix);
    }
}

fn check(
    ok: bool,
    key: &'static str,
    value: impl std::fmt::Display,
    allowed: &str,
    flag: Option<&'static str>,
) -> Result<(), ConfigError> {
    if ok {
        return Ok(());
    }
    Err(ConfigError::Invalid {
        key,
        value: value.to_string(),
        allowed: allowed.to_string(),
        flag,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit::AuditConfig;

    const BASE: &str = "audit_date = \"2025-12-31\"\n[imagery]\npath = \"a.tif\"\n[pits]\npath = \"p.shp\"\nid_field = \"id\"\n";

    fn parse(extra: &str) -> Result<AuditConfig, ConfigError> {
        AuditConfig::from_toml(&format!("{BASE}{extra}"), Path::new("a.toml"))
    }

    #[test]
    fn the_section_is_optional_and_has_documented_defaults() {
        assert!(parse("").unwrap().discovery.is_none());
        let d = parse("[discovery]\n").unwrap().discovery.unwrap();
        assert_eq!(d, DiscoveryConfig::default());
        assert_eq!((d.min_area_ha, d.connectivity), (0.5, 8));
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        let e = parse("[discovery]\nmin_area_hq = 1\n")
            .unwrap_err()
            .to_string();
        assert!(
            e.contains("min_area_hq") && e.contains("did you mean `min_area_ha`"),
            "{e}"
        );
        for (text, needle) in [
            (
                "min_area_ha = -1",
                "[discovery] min_area_ha = -1 is not allowed",
            ),
            (
                "connectivity = 6",
                "[discovery] connectivity = 6 is not allowed",
            ),
            ("exclude_band = 0", "exclude_band = 0"),
            ("min_compactness = 2", "min_compactness = 2"),
            ("exclude_classes = [nan]", "exclude_classes = NaN"),
        ] {
            let c = parse(&format!("[discovery]\n{text}\n")).unwrap();
            let e = c.validate().unwrap_err().to_string();
            assert!(e.contains(needle), "{text}: {e}");
        }
    }

    #[test]
    fn paths_follow_the_config_folder() {
        let mut c =
            parse("[discovery]\naoi = \"county.geojson\"\nexclude_layers = [\"roads.shp\"]\n")
                .unwrap();
        c.resolve_paths(Path::new("/data"));
        let d = c.discovery.unwrap();
        assert_eq!(d.aoi.as_deref(), Some(Path::new("/data/county.geojson")));
        assert_eq!(d.exclude_layers, [PathBuf::from("/data/roads.shp")]);
    }
}
