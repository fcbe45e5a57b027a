//! [`Crs`]: a resolved coordinate reference system and the ways to obtain one.

use super::ellipsoid::Ellipsoid;
use super::epsg;
use super::error::{clip, CrsError};
use super::from_wkt;
use super::proj4::Proj4Params;
use super::wkt;
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

    /// Resolves OGC WKT1, ESRI WKT (a `.prj` file) or WKT2.
    ///
    /// Uses the CRS's own `AUTHORITY["EPSG","n"]` when present, else its EPSG or
    /// ESRI name (`WGS_1984_UTM_Zone_51N`, `CGCS2000_3_Degree_GK_CM_126E`, …) when that
    /// agrees with the parameters, else a proj4 definition built from the parameters
    /// (Transverse Mercator / Gauss–Krüger, Lambert Conformal Conic, Albers, Mercator).
    ///
    /// # Errors
    /// [`CrsError::MalformedWkt`] for broken syntax, [`CrsError::UnrecognisedWkt`]
    /// naming the projection when none of the three ways works.
    pub fn from_wkt(wkt: &str) -> Result<Crs, CrsError> {
        from_wkt::crs_from_wkt(wkt)
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

    /// Resolves what a user may type for `--crs`.
    ///
    /// Accepts `EPSG:32651` (any case), a bare code `4490`, OGC URNs and URLs
    /// (`urn:ogc:def:crs:EPSG::4326`, `http://www.opengis.net/def/crs/EPSG/0/4326`),
    /// `CRS84`, a proj4 string (`+proj=utm …`), WKT, or an EPSG/ESRI CRS name
    /// (`WGS_1984_UTM_Zone_51N`).
    ///
    /// # Errors
    /// [`CrsError::UnrecognisedUserString`] when the text is none of these, or the
    /// error of the form it was read as.
    pub fn from_user_string(s: &str) -> Result<Crs, CrsError> {
        let t = s.trim();
        let bad = |reason: &'static str| CrsError::UnrecognisedUserString {
            input: clip(t),
            reason,
        };
        if t.is_empty() {
            return Err(bad("the CRS is empty"));
        }
        if wkt::looks_like_wkt(t) {
            return Crs::from_wkt(t);
        }
        if t.starts_with('+') || t.starts_with("proj=") {
            return Crs::from_proj4(t);
        }
        let lower = t.to_ascii_lowercase();
        if matches!(
            lower.as_str(),
            "crs84"
                | "ogc:crs84"
                | "urn:ogc:def:crs:ogc:1.3:crs84"
                | "urn:ogc:def:crs:ogc::crs84"
                | "wgs84"
        ) {
            return Crs::from_epsg(4326);
        }
        let code_text = if let Some(rest) = lower.strip_prefix("epsg:") {
            Some(rest)
        } else if lower.starts_with("urn:ogc:def:crs:epsg:") {
            lower.rsplit(':').next()
        } else if lower.contains("opengis.net/def/crs/epsg/") {
            lower.trim_end_matches('/').rsplit('/').next()
        } else if lower.bytes().all(|b| b.is_ascii_digit()) {
            Some(lower.as_str())
        } else {
            None
        };
        if let Some(code_text) = code_text {
            let code: u32 = code_text
                .trim()
                .parse()
                .map_err(|_| bad("the EPSG code is not a whole number"))?;
            return Crs::from_epsg(code);
        }
        if let Some(code) = epsg::code_for_name(t) {
            return Crs::from_epsg(code);
        }
        Err(bad(
            "it is not an EPSG code, a proj4 string, WKT or a known CRS name",
        ))
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
    fn user_strings() {
        let cases: [(&str, u32); 12] = [
            ("EPSG:32651", 32651),
            ("epsg:4326", 4326),
            ("  4490 ", 4490),
            ("urn:ogc:def:crs:EPSG::4326", 4326),
            ("urn:ogc:def:crs:EPSG:9.8.1:4551", 4551),
            ("http://www.opengis.net/def/crs/EPSG/0/4530", 4530),
            ("CRS84", 4326),
            ("urn:ogc:def:crs:OGC:1.3:CRS84", 4326),
            ("WGS_1984_UTM_Zone_51N", 32651),
            ("CGCS2000_3_Degree_GK_CM_126E", 4551),
            ("GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,298.257223563]],AUTHORITY[\"EPSG\",\"4326\"]]", 4326),
            ("WGS 84 / UTM zone 51N", 32651),
        ];
        for (s, code) in cases {
            let crs = Crs::from_user_string(s).unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(crs.epsg, Some(code), "{s}");
        }
        let p4 = Crs::from_user_string("+proj=utm +zone=51 +datum=WGS84 +units=m").unwrap();
        assert_eq!(p4.epsg, None);
        assert!(p4.same_as(&Crs::from_epsg(32651).unwrap()));
        let bare = Crs::from_user_string("proj=longlat ellps=GRS80").unwrap();
        assert!(bare.is_geographic() && bare.same_as(&Crs::from_epsg(4490).unwrap()));

        for bad in ["", "EPSG:abc", "EPSG:-1", "hello world", "EPSG:99999999999"] {
            let e = Crs::from_user_string(bad).unwrap_err();
            assert!(
                matches!(e, CrsError::UnrecognisedUserString { .. }),
                "{bad}: {e}"
            );
        }
        assert!(matches!(
            Crs::from_user_string("EPSG:99999"),
            Err(CrsError::UnknownEpsg { code: 99999 })
        ));
        assert!(matches!(
            Crs::from_user_string("+proj=nonsense"),
            Err(CrsError::InvalidProj4 { .. })
        ));
    }

    #[test]
    fn display_and_label() {
        let utm = Crs::from_epsg(32651).unwrap();
        assert_eq!(utm.to_string(), "EPSG:32651 (WGS 84 / UTM zone 51N)");
        assert_eq!(utm.label(), "EPSG:32651");
    }
}
