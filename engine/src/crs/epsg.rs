//! The built-in EPSG table (crate `crs-definitions`) and lookup of CRS names.
//!
//! Every EPSG code is resolved to its proj4 definition from `crs-definitions` 0.6
//! (≈ 6 000 codes: all WGS 84 UTM zones, CGCS2000 geographic and Gauss–Krüger zones
//! 4490–4554, Xian 1980, Beijing 1954, Web Mercator, …). EPSG:3857 uses the
//! `+proj=webmerc` form that matches modern PROJ.
//!
//! Names are matched after normalisation — lower case, only letters and digits, and
//! the ESRI spellings rewritten to EPSG's (`GCS_` prefix dropped, `WGS_1984` → `WGS 84`,
//! `GK` → `Gauss-Kruger`) — so the ESRI name `CGCS2000_3_Degree_GK_CM_126E` finds
//! EPSG:4551 "CGCS2000 / 3-degree Gauss-Kruger CM 126E".

use super::error::CrsError;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::OnceLock;

/// Names that normalisation alone does not map to their EPSG code.
const NAME_ALIASES: [(&str, u32); 8] = [
    ("wgs84webmercatorauxiliarysphere", 3857),
    ("wgs84webmercator", 3857),
    ("wgs84pseudomercator", 3857),
    ("webmercator", 3857),
    ("popularvisualisationcrsmercator", 3857),
    ("cgcs2000", 4490),
    ("china2000", 4490),
    ("wgs1984", 4326),
];

/// An EPSG code resolved from the built-in table.
#[derive(Debug, Clone)]
pub(crate) struct EpsgEntry {
    /// Name from the EPSG WKT, e.g. "WGS 84 / UTM zone 51N".
    pub name: String,
    /// proj4 definition.
    pub proj4: &'static str,
    /// WKT keyword of the definition ("PROJCS", "GEOGCS", "GEOCCS", …).
    pub kind: &'static str,
}

/// Looks an EPSG code up in the built-in table.
pub(crate) fn lookup(code: u32) -> Result<EpsgEntry, CrsError> {
    let def = u16::try_from(code)
        .ok()
        .and_then(crs_definitions::from_code)
        .ok_or(CrsError::UnknownEpsg { code })?;
    let proj4 = if code == 3857 {
        crs_definitions::EPSG_3857_WEBMERC.proj4
    } else {
        def.proj4
    };
    Ok(EpsgEntry {
        name: wkt_name(def.wkt).to_string(),
        proj4,
        kind: wkt_kind(def.wkt),
    })
}

/// The EPSG code whose name matches `name` (EPSG or ESRI spelling), if unique.
pub(crate) fn code_for_name(name: &str) -> Option<u32> {
    let key = normalise_name(name);
    if key.is_empty() {
        return None;
    }
    if let Some((_, code)) = NAME_ALIASES.iter().find(|(alias, _)| *alias == key) {
        return Some(*code);
    }
    name_index().get(&key).copied().flatten()
}

/// Normalises a CRS name: ESRI tokens rewritten, lower case, letters and digits only.
pub(crate) fn normalise_name(name: &str) -> String {
    let tokens: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut out = String::with_capacity(name.len());
    let mut i = 0;
    while let Some(t) = tokens.get(i) {
        let next = tokens.get(i + 1).map(String::as_str);
        match (t.as_str(), next) {
            ("gcs", _) if i == 0 && tokens.len() > 1 => {}
            ("wgs", Some("1984")) => {
                out.push_str("wgs84");
                i += 1;
            }
            ("gk", _) => out.push_str("gausskruger"),
            _ => out.push_str(t),
        }
        i += 1;
    }
    out
}

/// Normalised name → EPSG code of every 2-D PROJCS/GEOGCS in the table; `None` marks
/// a name that two codes with different definitions share.
fn name_index() -> &'static HashMap<String, Option<u32>> {
    static INDEX: OnceLock<HashMap<String, Option<u32>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        // Normalising every name is the cost: done on all cores, then merged in code
        // order (so which code a shared name keeps does not depend on scheduling).
        let named: Vec<(String, u32, &'static str)> = (0..=u16::MAX)
            .into_par_iter()
            .filter_map(|code| {
                let def = crs_definitions::from_code(code)?;
                matches!(wkt_kind(def.wkt), "PROJCS" | "GEOGCS").then(|| {
                    (
                        normalise_name(wkt_name(def.wkt)),
                        u32::from(code),
                        def.proj4,
                    )
                })
            })
            .collect();
        let mut map: HashMap<String, Option<u32>> = HashMap::new();
        let mut proj4_of: HashMap<u32, &'static str> = HashMap::new();
        for (key, code, proj4) in named {
            proj4_of.insert(code, proj4);
            match map.get(&key).copied() {
                None => {
                    map.insert(key, Some(code));
                }
                Some(Some(first)) => {
                    if proj4_of.get(&first) != Some(&proj4) {
                        map.insert(key, None);
                    }
                }
                Some(None) => {}
            }
        }
        map
    })
}

/// The keyword of a WKT text ("PROJCS" for `PROJCS["…",…]`).
fn wkt_kind(wkt: &'static str) -> &'static str {
    wkt.split('[').next().unwrap_or("").trim()
}

/// The first quoted string of a WKT text (the CRS name).
fn wkt_name(wkt: &str) -> &str {
    wkt.split('"').nth(1).unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esri_names_normalise_to_epsg_names() {
        assert_eq!(normalise_name("WGS_1984_UTM_Zone_51N"), "wgs84utmzone51n");
        assert_eq!(normalise_name("WGS 84 / UTM zone 51N"), "wgs84utmzone51n");
        assert_eq!(
            normalise_name("CGCS2000_3_Degree_GK_CM_126E"),
            normalise_name("CGCS2000 / 3-degree Gauss-Kruger CM 126E")
        );
        assert_eq!(normalise_name("GCS_WGS_1984"), "wgs84");
        assert_eq!(normalise_name("GCS"), "gcs");
    }

    #[test]
    fn names_find_codes() {
        let cases = [
            ("WGS_1984_UTM_Zone_51N", 32651),
            ("WGS_1984_UTM_Zone_18N", 32618),
            ("WGS_1984_UTM_Zone_51S", 32751),
            ("WGS 84 / UTM zone 51N", 32651),
            ("CGCS2000_3_Degree_GK_CM_126E", 4551),
            ("CGCS2000_3_Degree_GK_Zone_42", 4530),
            ("CGCS2000_3_Degree_GK_CM_114E", 4547),
            ("CGCS2000_GK_CM_123E", 4510),
            ("CGCS2000_GK_Zone_21", 4499),
            ("GCS_WGS_1984", 4326),
            ("GCS_China_Geodetic_Coordinate_System_2000", 4490),
            ("China Geodetic Coordinate System 2000", 4490),
            ("WGS_1984_Web_Mercator_Auxiliary_Sphere", 3857),
            ("Xian_1980_3_Degree_GK_CM_105E", 2380),
            ("Beijing_1954_3_Degree_GK_Zone_36", 2412),
            ("GCS_Xian_1980", 4610),
        ];
        for (name, code) in cases {
            assert_eq!(code_for_name(name), Some(code), "{name}");
        }
        assert_eq!(code_for_name("My_Local_Grid"), None);
        assert_eq!(code_for_name(""), None);
    }

    #[test]
    fn lookup_reads_the_table() {
        let e = lookup(32651).unwrap();
        assert_eq!(e.name, "WGS 84 / UTM zone 51N");
        assert_eq!(e.kind, "PROJCS");
        assert!(e.proj4.contains("+zone=51"));
        assert!(lookup(3857).unwrap().proj4.contains("webmerc"));
        assert_eq!(lookup(4978).unwrap().kind, "GEOCCS");
        assert!(matches!(
            lookup(70000),
            Err(CrsError::UnknownEpsg { code: 70000 })
        ));
        assert!(matches!(lookup(1), Err(CrsError::UnknownEpsg { code: 1 })));
    }
}
