//! [`Crs::from_user_string`]: what a user may type for `--crs` — an EPSG code in any
//! of its spellings, a proj4 string, WKT, or an EPSG/ESRI CRS name.

use super::definition::Crs;
use super::epsg;
use super::error::{clip, CrsError};
use super::from_wkt::crs_from_wkt;
use super::wkt;

impl Crs {
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
            return crs_from_wkt(t);
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
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
