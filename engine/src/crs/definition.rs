//! [`Crs`]: a resolved coordinate reference system, from an EPSG code or a proj4
//! definition, and what it says (ellipsoid, units, equality by meaning).
//!
//! The other ways to obtain one build on these two: [`Crs::from_wkt`] in
//! `from_wkt.rs`, [`Crs::from_user_string`] in `user_string.rs`.

use super::ellipsoid::Ellipsoid;
use super::epsg;
use super::error::{clip, CrsError};
use super::proj4::Proj4Params;
use std::fmt;

/// A resolved coordinate reference system.
#[derive(Debug, Clone, PartialEq)]
pub struct Crs {
    /// EPSG code, when the CRS is (equivalent to) one.
    pub epsg: Option<u32>,
    /// Human-readable name, e.g. "WGS 84 / UTM zone 51N".
    pub name: String,
    /// proj4 definition used for reprojection.
    pub proj4: String,
    /// True for longitude/latitude CRSs (degrees).
    pub geographic: bool,
}

impl Crs {
    /// Resolves an EPSG code from the built-in table (crate `crs-definitions`).
    ///
    /// Covers ≈ 6 000 codes, among them every WGS 84 UTM zone (326xx/327xx),
    /// EPSG:4326, CGCS2000 (4490) and its Gauss–Krüger zones with and without zone
    /// prefix (4491–4554), Xian 1980, Beijing 1954 and Web Mercator (3857).
    ///
    /// # Errors
    /// [`CrsError::UnknownEpsg`] for a code not in the table;
    /// [`CrsError::UnsupportedCrs`] for a geocentric CRS or a projection that
    /// proj4rs does not implement.
    ///
    /// ```
    /// let utm = reclaim::crs::Crs::from_epsg(32651).unwrap();
    /// assert_eq!(utm.name, "WGS 84 / UTM zone 51N");
    /// assert!(!utm.is_geographic());
    /// ```
    pub fn from_epsg(code: u32) -> Result<Crs, CrsError> {
        let entry = epsg::lookup(code)?;
        let label = format!("EPSG:{code} ({})", entry.name);
        if entry.kind == "GEOCCS" || entry.proj4.contains("+proj=geocent") {
            return Err(CrsError::UnsupportedCrs {
                crs: label,
                reason: "it is geocentric (x, y, z), not a map CRS",
            });
        }
        let proj =
            proj4rs::Proj::from_proj_string(entry.proj4).map_err(|_| CrsError::UnsupportedCrs {
                crs: label.clone(),
                reason: "its projection is not implemented by proj4rs, reclaim's pure-Rust \
                         projection engine",
            })?;
        Ok(Crs {
            epsg: Some(code),
            name: entry.name,
            proj4: entry.proj4.to_string(),
            geographic: proj.is_latlong(),
        })
    }

    /// Resolves a proj4 definition such as `+proj=utm +zone=51 +datum=WGS84`.
    ///
    /// # Errors
    /// [`CrsError::InvalidProj4`] when proj4rs rejects it; [`CrsError::UnsupportedCrs`]
    /// for `+proj=geocent`.
    pub fn from_proj4(proj4: &str) -> Result<Crs, CrsError> {
        let normalised: Vec<String> = proj4
            .split_whitespace()
            .take(64)
            .map(|t| {
                if t.starts_with('+') {
                    t.to_string()
                } else {
                    format!("+{t}")
                }
            })
            .collect();
        let normalised = normalised.join(" ");
        let proj =
            proj4rs::Proj::from_proj_string(&normalised).map_err(|e| CrsError::InvalidProj4 {
                proj4: clip(proj4),
                detail: e.to_string(),
            })?;
        if proj.is_geocent() {
            return Err(CrsError::UnsupportedCrs {
                crs: clip(proj4),
                reason: "it is geocentric (x, y, z), not a map CRS",
            });
        }
        Ok(Crs {
            epsg: None,
            name: format!("custom ({})", proj.projname()),
            proj4: normalised,
            geographic: proj.is_latlong(),
        })
    }

    /// True for longitude/latitude CRSs, whose coordinates are degrees.
    pub fn is_geographic(&self) -> bool {
        self.geographic
    }

    /// The (a, f) of the CRS's ellipsoid; WGS 84 when the definition names none.
    pub fn ellipsoid(&self) -> Ellipsoid {
        self.params().ellipsoid
    }

    /// Metres per coordinate unit of a projected CRS (1 for metres, 0.3048 for feet);
    /// `None` for a geographic CRS.
    pub fn metres_per_unit(&self) -> Option<f64> {
        if self.geographic {
            None
        } else {
            Some(self.params().to_meter)
        }
    }

    /// True when both are the same CRS: equal EPSG codes, or proj4 definitions that
    /// agree after normalisation (utm ≡ tmerc, datum names expanded, defaults filled).
    pub fn same_as(&self, other: &Crs) -> bool {
        if let (Some(a), Some(b)) = (self.epsg, other.epsg) {
            if a == b {
                return true;
            }
        }
        self.params().same_as(&other.params())
    }

    /// The CRS's OGC WKT1 definition (EPSG's text), when it has an EPSG code.
    pub fn ogc_wkt(&self) -> Option<&'static str> {
        self.epsg.and_then(super::esri::ogc_wkt)
    }

    /// The CRS in ESRI WKT, as a shapefile's `.prj` holds it, when it has an EPSG code.
    pub fn esri_wkt(&self) -> Option<String> {
        self.epsg.and_then(super::esri::esri_wkt)
    }

    /// A short label for messages: "EPSG:32651" or the name.
    pub fn label(&self) -> String {
        match self.epsg {
            Some(code) => format!("EPSG:{code}"),
            None => self.name.clone(),
        }
    }

    /// The canonical reading of the proj4 definition.
    pub(crate) fn params(&self) -> Proj4Params {
        Proj4Params::parse(&self.proj4, proj4rs_ellipsoid)
    }
}

/// Asks proj4rs for an ellipsoid reclaim's own table lacks.
fn proj4rs_ellipsoid(name: &str) -> Option<Ellipsoid> {
    let p = proj4rs::Proj::from_proj_string(&format!("+proj=longlat +ellps={name}")).ok()?;
    let (a, b) = p.ellipse_parameters();
    Some(Ellipsoid::from_a_b(a, b))
}

impl fmt::Display for Crs {
    /// "EPSG:32651 (WGS 84 / UTM zone 51N)" or "name (+proj=…)".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.epsg {
            Some(code) => write!(f, "EPSG:{code} ({})", self.name),
            None => write!(f, "{} ({})", self.name, self.proj4),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epsg_codes_of_the_brief() {
        for code in [
            4326, 4490, 3857, 32651, 32751, 4547, 4551, 4530, 4513, 4554, 4502, 4491,
        ] {
            let crs = Crs::from_epsg(code).unwrap_or_else(|e| panic!("EPSG:{code}: {e}"));
            assert_eq!(crs.epsg, Some(code));
            assert_eq!(crs.is_geographic(), code == 4326 || code == 4490, "{code}");
        }
        for zone in 1..=60 {
            assert!(Crs::from_epsg(32600 + zone).is_ok());
            assert!(Crs::from_epsg(32700 + zone).is_ok());
        }
        for code in 4490..=4554 {
            assert!(Crs::from_epsg(code).is_ok(), "{code}");
        }
        assert_eq!(
            Crs::from_epsg(4551).unwrap().name,
            "CGCS2000 / 3-degree Gauss-Kruger CM 126E"
        );
    }

    #[test]
    fn unknown_and_unsupported_codes() {
        let e = Crs::from_epsg(99999).unwrap_err();
        assert!(matches!(e, CrsError::UnknownEpsg { code: 99999 }));
        let msg = e.to_string();
        assert!(msg.contains("EPSG:99999") && msg.contains("--crs") && msg.contains("ogr2ogr"));
        assert!(matches!(
            Crs::from_epsg(4_000_000_000),
            Err(CrsError::UnknownEpsg { .. })
        ));
        let geocentric = Crs::from_epsg(4978).unwrap_err();
        assert!(
            matches!(geocentric, CrsError::UnsupportedCrs { .. }),
            "{geocentric}"
        );
        assert!(geocentric.to_string().contains("geocentric"));
    }

    #[test]
    fn ellipsoids_and_units() {
        assert_eq!(Crs::from_epsg(4326).unwrap().ellipsoid(), Ellipsoid::WGS84);
        assert_eq!(
            Crs::from_epsg(4490).unwrap().ellipsoid(),
            Ellipsoid::CGCS2000
        );
        assert_eq!(Crs::from_epsg(32651).unwrap().ellipsoid(), Ellipsoid::WGS84);
        assert_eq!(
            Crs::from_epsg(4551).unwrap().ellipsoid(),
            Ellipsoid::CGCS2000
        );
        let xian = Crs::from_epsg(2380).unwrap().ellipsoid();
        assert!((xian.a - 6_378_140.0).abs() < 1e-9 && (1.0 / xian.f - 298.257).abs() < 1e-6);
        // Krassowsky through the proj4 name "krass" (Beijing 1954).
        assert_eq!(Crs::from_epsg(2412).unwrap().ellipsoid().a, 6_378_245.0);
        assert_eq!(Crs::from_epsg(32651).unwrap().metres_per_unit(), Some(1.0));
        assert_eq!(Crs::from_epsg(4326).unwrap().metres_per_unit(), None);
        let ft = Crs::from_proj4("+proj=tmerc +lon_0=126 +units=us-ft +ellps=GRS80").unwrap();
        assert!((ft.metres_per_unit().unwrap() - 0.304_800_609_601_219_2).abs() < 1e-15);
    }

    #[test]
    fn same_as_compares_meaning() {
        let utm = Crs::from_epsg(32651).unwrap();
        let p4 = Crs::from_proj4(
            "+proj=tmerc +lat_0=0 +lon_0=123 +k=0.9996 +x_0=500000 +y_0=0 +datum=WGS84",
        )
        .unwrap();
        assert!(utm.same_as(&p4) && p4.same_as(&utm));
        assert!(!utm.same_as(&Crs::from_epsg(32652).unwrap()));
        assert!(!Crs::from_epsg(4326)
            .unwrap()
            .same_as(&Crs::from_epsg(4490).unwrap()));
        // 4551 and 4530 share the meridian but not the false easting.
        assert!(!Crs::from_epsg(4551)
            .unwrap()
            .same_as(&Crs::from_epsg(4530).unwrap()));
        assert!(utm.same_as(&utm.clone()));
    }

    #[test]
    fn display_and_label() {
        let utm = Crs::from_epsg(32651).unwrap();
        assert_eq!(utm.to_string(), "EPSG:32651 (WGS 84 / UTM zone 51N)");
        assert_eq!(utm.label(), "EPSG:32651");
    }
}
