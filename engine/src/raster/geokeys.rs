//! The GeoTIFF GeoKeyDirectory: model type, raster type, EPSG codes, citations.
//!
//! Only what reclaim needs is interpreted: the CRS code is taken from
//! ProjectedCSTypeGeoKey (3072) for projected models and GeographicTypeGeoKey (2048)
//! for geographic ones; 32767 ("user-defined") and 0 mean "no EPSG code", as for GDAL.

/// GeoKey ids used here.
mod key {
    pub const MODEL_TYPE: u16 = 1024;
    pub const RASTER_TYPE: u16 = 1025;
    pub const GT_CITATION: u16 = 1026;
    pub const GEOGRAPHIC_TYPE: u16 = 2048;
    pub const GEOG_CITATION: u16 = 2049;
    pub const PROJECTED_CS_TYPE: u16 = 3072;
    pub const PCS_CITATION: u16 = 3073;
}

/// The GeoKeyDirectory tag (34735) and GeoAsciiParams tag (34737) locations.
const ASCII_PARAMS_TAG: u16 = 34737;
/// "User-defined" code.
const USER_DEFINED: u16 = 32767;
/// RasterTypeGeoKey value for PixelIsPoint.
const PIXEL_IS_POINT: u16 = 2;
/// ModelTypeGeoKey values.
const MODEL_PROJECTED: u16 = 1;
const MODEL_GEOGRAPHIC: u16 = 2;

/// Decoded GeoKeys (those reclaim uses).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GeoKeys {
    /// GTModelTypeGeoKey: 1 projected, 2 geographic, 3 geocentric.
    pub model_type: Option<u16>,
    /// GTRasterTypeGeoKey: 1 PixelIsArea, 2 PixelIsPoint.
    pub raster_type: Option<u16>,
    /// ProjectedCSTypeGeoKey.
    pub projected_cs: Option<u16>,
    /// GeographicTypeGeoKey.
    pub geographic_cs: Option<u16>,
    /// GTCitation, else PCSCitation, else GeogCitation (trailing `|` removed).
    pub citation: Option<String>,
}

impl GeoKeys {
    /// Parses the directory (`u16` values of tag 34735) with its ASCII parameters.
    ///
    /// Returns `None` when the header is malformed (too short, a key list longer
    /// than the tag). Keys pointing outside the parameter arrays are skipped.
    pub fn parse(dir: &[u16], ascii: Option<&str>) -> Option<GeoKeys> {
        let n = usize::from(*dir.get(3)?);
        let body = dir.get(4..4 + 4 * n)?;
        let mut k = GeoKeys::default();
        let (mut gt_cit, mut pcs_cit, mut geog_cit) = (None, None, None);
        for e in body.chunks_exact(4) {
            let &[id, loc, count, val] = e else { continue };
            let short = (loc == 0).then_some(val);
            match id {
                key::MODEL_TYPE => k.model_type = short,
                key::RASTER_TYPE => k.raster_type = short,
                key::PROJECTED_CS_TYPE => k.projected_cs = short,
                key::GEOGRAPHIC_TYPE => k.geographic_cs = short,
                key::GT_CITATION | key::PCS_CITATION | key::GEOG_CITATION
                    if loc == ASCII_PARAMS_TAG =>
                {
                    let text = ascii.and_then(|a| ascii_param(a, val, count));
                    match id {
                        key::GT_CITATION => gt_cit = text,
                        key::PCS_CITATION => pcs_cit = text,
                        _ => geog_cit = text,
                    }
                }
                _ => {}
            }
        }
        k.citation = gt_cit.or(pcs_cit).or(geog_cit);
        Some(k)
    }

    /// True for RasterTypeGeoKey = PixelIsPoint.
    pub fn pixel_is_point(&self) -> bool {
        self.raster_type == Some(PIXEL_IS_POINT)
    }

    /// The EPSG code of the CRS, when it is a registered one.
    pub fn epsg(&self) -> Option<u32> {
        let code = match self.model_type {
            Some(MODEL_PROJECTED) => self.projected_cs,
            Some(MODEL_GEOGRAPHIC) => self.geographic_cs,
            Some(_) => None,
            None => self.projected_cs.or(self.geographic_cs),
        }?;
        (code != 0 && code != USER_DEFINED).then_some(u32::from(code))
    }
}

/// `count` characters of the ASCII parameters from `offset`, without the `|` terminator.
fn ascii_param(ascii: &str, offset: u16, count: u16) -> Option<String> {
    let bytes = ascii.as_bytes();
    let start = usize::from(offset);
    let end = (start + usize::from(count)).min(bytes.len());
    let s = String::from_utf8_lossy(bytes.get(start..end)?).into_owned();
    let s = s.trim_end_matches(['|', '\0']).trim().to_string();
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn projected_epsg_and_point_raster() {
        // Version 1.1.0, 4 keys: projected model, PixelIsPoint, EPSG:32651, citation "UTM 51N|".
        let dir = [
            1, 1, 0, 4, 1024, 0, 1, 1, 1025, 0, 1, 2, 1026, 34737, 8, 0, 3072, 0, 1, 32651,
        ];
        let k = GeoKeys::parse(&dir, Some("UTM 51N|")).unwrap();
        assert_eq!(k.epsg(), Some(32651));
        assert!(k.pixel_is_point());
        assert_eq!(k.citation.as_deref(), Some("UTM 51N"));
    }

    #[test]
    fn user_defined_projection_has_no_epsg_even_with_a_datum_code() {
        let dir = [
            1, 1, 0, 3, 1024, 0, 1, 1, 2048, 0, 1, 4269, 3072, 0, 1, 32767,
        ];
        let k = GeoKeys::parse(&dir, None).unwrap();
        assert_eq!(k.epsg(), None);
        assert!(!k.pixel_is_point());
    }

    #[test]
    fn geographic_model_uses_geographic_type() {
        let dir = [1, 1, 0, 2, 1024, 0, 1, 2, 2048, 0, 1, 4326];
        assert_eq!(GeoKeys::parse(&dir, None).unwrap().epsg(), Some(4326));
    }

    #[test]
    fn truncated_directory_is_rejected() {
        assert_eq!(GeoKeys::parse(&[1, 1, 0, 5, 1024, 0, 1], None), None);
        assert_eq!(GeoKeys::parse(&[1, 1], None), None);
    }
}
