//! The land classes an audit reports ([`LandClass`]), their byte codes, and why
//! land is unobserved ([`Unobserved`], [`UnobservedCauses`]).

use serde::{Deserialize, Serialize};

/// The land class of a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LandClass {
    /// Vegetated: restored (治理恢复).
    Restored = 0,
    /// Bare: unrestored (未恢复).
    Unrestored = 1,
    /// Open water.
    Water = 2,
    /// Not observed: nodata, cloud, shadow, or beyond the imagery.
    Unobserved = 3,
}

/// Why a cell is unobserved. Its class code (`code()`, from 5) travels beside the
/// [`LandClass`] codes 0–3 through the sweep, so the unobserved land of every
/// piece is split by cause; every such code is [`LandClass::Unobserved`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unobserved {
    /// A mask hides it (cloud, shadow, mask values; land-cover classes mapped to
    /// `unobserved`).
    Masked,
    /// Declared nodata, or NaN in a floating-point band.
    NoData,
    /// A value with no meaning: a reflectance sum that is not positive (NDVI
    /// undefined), often from a wrong `scale`/`offset`.
    Invalid,
    /// Fewer clear observations than a composite's `min_clear` (some, not none).
    FewClear,
}

impl Unobserved {
    /// Every cause, in code order.
    pub const ALL: [Unobserved; 4] = [
        Unobserved::Masked,
        Unobserved::NoData,
        Unobserved::Invalid,
        Unobserved::FewClear,
    ];
    /// The first cause code.
    pub const FIRST_CODE: u8 = 5;

    /// This cause's class code (5, 6, 7, 8).
    #[inline]
    pub const fn code(self) -> u8 {
        Self::FIRST_CODE + self as u8
    }

    /// The cause of a class code, if it is one.
    #[inline]
    pub fn from_code(c: u8) -> Option<Unobserved> {
        Self::ALL
            .get(usize::from(c.checked_sub(Self::FIRST_CODE)?))
            .copied()
    }
}

/// Unobserved land split by cause, ha.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnobservedCauses {
    /// Masked (cloud, shadow, mask values, land-cover classes mapped to unobserved).
    pub mask_ha: f64,
    /// Nodata cells of the imagery.
    pub nodata_ha: f64,
    /// Reflectance outside its valid range (NDVI undefined): often a wrong
    /// `scale`/`offset`.
    pub invalid_ha: f64,
    /// Land-cover values the class mapping lacks.
    pub unmapped_ha: f64,
    /// Land beyond the imagery's extent.
    pub outside_ha: f64,
    /// Cells of a composite with fewer clear observations than `min_clear` (written
    /// only when there are some).
    #[serde(skip_serializing_if = "is_zero")]
    pub few_clear_ha: f64,
}

fn is_zero(v: &f64) -> bool {
    *v == 0.0
}

impl UnobservedCauses {
    /// All unobserved land, ha.
    pub fn total_ha(&self) -> f64 {
        self.mask_ha
            + self.nodata_ha
            + self.invalid_ha
            + self.unmapped_ha
            + self.outside_ha
            + self.few_clear_ha
    }

    /// Adds another split cause by cause.
    pub fn add(&mut self, o: &UnobservedCauses) {
        self.mask_ha += o.mask_ha;
        self.nodata_ha += o.nodata_ha;
        self.invalid_ha += o.invalid_ha;
        self.unmapped_ha += o.unmapped_ha;
        self.outside_ha += o.outside_ha;
        self.few_clear_ha += o.few_clear_ha;
    }

    /// The non-zero causes with their hectares, e.g. `masked 1.20 ha, outside the
    /// imagery 0.40 ha`.
    pub fn describe(&self) -> String {
        let parts: Vec<String> = [
            (self.mask_ha, "masked"),
            (self.nodata_ha, "nodata"),
            (self.invalid_ha, "invalid reflectance"),
            (self.unmapped_ha, "unmapped values"),
            (self.outside_ha, "outside the imagery"),
            (self.few_clear_ha, "too few clear observations"),
        ]
        .iter()
        .filter(|(v, _)| *v > 0.0)
        .map(|(v, n)| format!("{n} {v:.2} ha"))
        .collect();
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(", ")
        }
    }
}

/// The land class a class code stands for: 0–3 themselves, cause codes
/// [`LandClass::Unobserved`] (as is every other code).
#[inline]
pub fn land_class_of_code(c: u8) -> LandClass {
    LandClass::from_code(c).unwrap_or(LandClass::Unobserved)
}

impl LandClass {
    /// All classes in report order.
    pub const ALL: [LandClass; 4] = [
        LandClass::Restored,
        LandClass::Unrestored,
        LandClass::Water,
        LandClass::Unobserved,
    ];

    /// Lower-case name as used in files and configs.
    pub fn name(self) -> &'static str {
        match self {
            LandClass::Restored => "restored",
            LandClass::Unrestored => "unrestored",
            LandClass::Water => "water",
            LandClass::Unobserved => "unobserved",
        }
    }

    /// The class with this name (`restored`, `unrestored`, `water`, `unobserved`).
    pub fn from_name(s: &str) -> Option<LandClass> {
        LandClass::ALL
            .into_iter()
            .find(|c| c.name() == s.trim().to_ascii_lowercase())
    }

    /// The class of a class code (`self as u8`).
    pub fn from_code(c: u8) -> Option<LandClass> {
        LandClass::ALL.get(c as usize).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cause_codes_follow_the_classes() {
        for c in Unobserved::ALL {
            assert!(c.code() > 4, "{c:?} clashes with a class or UNMAPPED");
            assert_eq!(Unobserved::from_code(c.code()), Some(c));
            assert_eq!(land_class_of_code(c.code()), LandClass::Unobserved);
        }
        assert_eq!(Unobserved::from_code(3), None);
        assert_eq!(land_class_of_code(1), LandClass::Unrestored);
    }

    #[test]
    fn causes_add_and_describe_themselves() {
        let mut u = UnobservedCauses {
            mask_ha: 1.0,
            nodata_ha: 0.5,
            invalid_ha: 3.0,
            ..Default::default()
        };
        u.add(&UnobservedCauses {
            outside_ha: 0.25,
            ..Default::default()
        });
        assert_eq!(u.total_ha(), 4.75);
        assert_eq!(
            u.describe(),
            "masked 1.00 ha, nodata 0.50 ha, invalid reflectance 3.00 ha, outside the imagery 0.25 ha"
        );
        assert_eq!(UnobservedCauses::default().describe(), "none");
    }
}
