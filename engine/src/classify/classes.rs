//! Categorical land-cover rasters: value → land class.

use super::land_class::LandClass;
use std::collections::BTreeMap;

/// ESA WorldCover 10 m (v100/v200) codes and the class reclaim gives them.
///
/// Vegetation of any kind counts as restored; bare/sparse vegetation (60) and
/// built-up (50, plant sites and buildings on a mine) as unrestored; permanent water
/// (80) as water; snow and ice (70) hides the ground, so it is unobserved, as is 0
/// (no data).
pub const WORLDCOVER: [(f64, LandClass); 12] = [
    (0.0, LandClass::Unobserved),
    (10.0, LandClass::Restored),   // tree cover
    (20.0, LandClass::Restored),   // shrubland
    (30.0, LandClass::Restored),   // grassland
    (40.0, LandClass::Restored),   // cropland
    (50.0, LandClass::Unrestored), // built-up
    (60.0, LandClass::Unrestored), // bare / sparse vegetation
    (70.0, LandClass::Unobserved), // snow and ice
    (80.0, LandClass::Water),      // permanent water bodies
    (90.0, LandClass::Restored),   // herbaceous wetland
    (95.0, LandClass::Restored),   // mangroves
    (100.0, LandClass::Restored),  // moss and lichen
];

/// Errors building a class mapping.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClassesError {
    /// The preset name is not known.
    #[error(
        "unknown classes_preset {name:?}; known presets: \"worldcover\" (ESA WorldCover 10 m)"
    )]
    UnknownPreset {
        /// The preset name (trimmed, lowercased).
        name: String,
    },
    /// A class name in `classes_map` is not one of the four.
    #[error("classes_map key {name:?} is not a land class; use restored, unrestored, water or unobserved")]
    UnknownClass {
        /// The key as given.
        name: String,
    },
    /// One value mapped to two classes.
    #[error("value {value} is mapped to both {first} and {second} in classes_map")]
    Conflict {
        /// The cell value.
        value: f64,
        /// The class it was mapped to first.
        first: &'static str,
        /// The other class it is mapped to.
        second: &'static str,
    },
    /// Neither a preset nor a map.
    #[error("classifier \"classes\" needs classes_preset or classes_map")]
    Empty,
}

/// Raster value → land class. Values not in the mapping are *unmapped*: the audit
/// counts them as unobserved and reports their area by value.
#[derive(Debug, Clone, Default)]
pub struct ClassMapping {
    map: Vec<(f64, LandClass)>,
}

impl ClassMapping {
    /// A mapping from a preset and/or an explicit map (explicit entries win).
    pub fn new(
        preset: Option<&str>,
        explicit: Option<&BTreeMap<String, Vec<f64>>>,
    ) -> Result<ClassMapping, ClassesError> {
        let mut map: BTreeMap<u64, (f64, LandClass)> = BTreeMap::new();
        match preset.map(|p| p.trim().to_ascii_lowercase()) {
            Some(p) if p == "worldcover" || p == "esa-worldcover" => {
                for (v, c) in WORLDCOVER {
                    map.insert(v.to_bits(), (v, c));
                }
            }
            Some(p) => return Err(ClassesError::UnknownPreset { name: p }),
            None => {}
        }
        if let Some(ex) = explicit {
            let mut seen: BTreeMap<u64, LandClass> = BTreeMap::new();
            for (name, values) in ex {
                let class = LandClass::from_name(name)
                    .ok_or_else(|| ClassesError::UnknownClass { name: name.clone() })?;
                for &v in values {
                    if let Some(prev) = seen.insert(v.to_bits(), class) {
                        if prev != class {
                            return Err(ClassesError::Conflict {
                                value: v,
                                first: prev.name(),
                                second: class.name(),
                            });
                        }
                    }
                    map.insert(v.to_bits(), (v, class));
                }
            }
        }
        if map.is_empty() {
            return Err(ClassesError::Empty);
        }
        let mut map: Vec<(f64, LandClass)> = map.into_values().collect();
        map.sort_by(|a, b| a.0.total_cmp(&b.0));
        Ok(ClassMapping { map })
    }

    /// The class of a value, or `None` when the value is unmapped.
    #[inline]
    pub fn class_of(&self, v: f64) -> Option<LandClass> {
        self.map
            .binary_search_by(|(k, _)| k.total_cmp(&v))
            .ok()
            .map(|i| self.map[i].1)
    }

    /// Every (value, class) pair, ascending by value.
    pub fn entries(&self) -> &[(f64, LandClass)] {
        &self.map
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worldcover_preset() {
        let m = ClassMapping::new(Some("worldcover"), None).unwrap();
        assert_eq!(m.class_of(10.0), Some(LandClass::Restored));
        assert_eq!(m.class_of(60.0), Some(LandClass::Unrestored));
        assert_eq!(m.class_of(80.0), Some(LandClass::Water));
        assert_eq!(m.class_of(0.0), Some(LandClass::Unobserved));
        assert_eq!(m.class_of(61.0), None, "unmapped values are never guessed");
    }

    #[test]
    fn explicit_map_overrides_preset_and_detects_conflicts() {
        let mut ex = BTreeMap::new();
        ex.insert("unrestored".to_string(), vec![40.0]);
        let m = ClassMapping::new(Some("worldcover"), Some(&ex)).unwrap();
        assert_eq!(m.class_of(40.0), Some(LandClass::Unrestored));
        ex.insert("water".to_string(), vec![40.0]);
        assert!(matches!(
            ClassMapping::new(None, Some(&ex)),
            Err(ClassesError::Conflict { .. })
        ));
        let mut bad = BTreeMap::new();
        bad.insert("forest".to_string(), vec![1.0]);
        assert!(ClassMapping::new(None, Some(&bad))
            .unwrap_err()
            .to_string()
            .contains("forest"));
    }
}
