//! GDAL's private TIFF tags: GDAL_NODATA (42113) and GDAL_METADATA (42112).

/// GDAL_METADATA tag number (XML text).
pub const GDAL_METADATA_TAG: u16 = 42112;

/// Parses the GDAL_NODATA text ("-9999", "nan", "-3.39999999999999996e+38", " 0\0").
///
/// Returns `None` for empty or unparsable text (GDAL then has no nodata either).
pub fn parse_nodata(text: &str) -> Option<f64> {
    let t = text.trim_matches(|c: char| c.is_whitespace() || c == '\0');
    if t.is_empty() {
        return None;
    }
    match t.to_ascii_lowercase().as_str() {
        "nan" | "-nan" | "+nan" => return Some(f64::NAN),
        "inf" | "+inf" | "infinity" => return Some(f64::INFINITY),
        "-inf" | "-infinity" => return Some(f64::NEG_INFINITY),
        _ => {}
    }
    t.parse::<f64>().ok()
}

/// Scale and offset of `band` (0-based `sample`) from GDAL_METADATA XML:
/// `<Item name="SCALE" sample="0" role="scale">0.0001</Item>`.
pub fn scale_offset(xml: &str, sample: usize) -> (Option<f64>, Option<f64>) {
    let (mut scale, mut offset) = (None, None);
    let want = sample.to_string();
    for item in xml.split("<Item").skip(1) {
        let Some(close) = item.find('>') else {
            continue;
        };
        let (attrs, rest) = item.split_at(close);
        let Some(end) = rest.find("</Item>") else {
            continue;
        };
        let value = rest.get(1..end).and_then(|v| v.trim().parse::<f64>().ok());
        if attr(attrs, "sample").as_deref() != Some(want.as_str()) {
            continue;
        }
        match attr(attrs, "role")
            .or_else(|| attr(attrs, "name"))
            .map(|r| r.to_ascii_lowercase())
            .as_deref()
        {
            Some("scale") => scale = value.or(scale),
            Some("offset") => offset = value.or(offset),
            _ => {}
        }
    }
    (scale, offset)
}

/// Value of `name="…"` in an XML attribute list.
fn attr(attrs: &str, name: &str) -> Option<String> {
    let pat = format!("{name}=\"");
    let start = attrs.find(&pat)? + pat.len();
    let len = attrs.get(start..)?.find('"')?;
    attrs.get(start..start + len).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodata_texts() {
        assert_eq!(parse_nodata("-9999"), Some(-9999.0));
        assert_eq!(parse_nodata(" 0\0"), Some(0.0));
        assert_eq!(parse_nodata("-3.39999999999999996e+38"), Some(-3.4e38));
        assert!(parse_nodata("nan").unwrap().is_nan());
        assert!(parse_nodata("NaN").unwrap().is_nan());
        assert_eq!(parse_nodata("-inf"), Some(f64::NEG_INFINITY));
        assert_eq!(parse_nodata(""), None);
        assert_eq!(parse_nodata("none"), None);
    }

    #[test]
    fn scale_and_offset_per_sample() {
        let xml = r#"<GDALMetadata>
  <Item name="OVR_RESAMPLING_ALG">NEAREST</Item>
  <Item name="OFFSET" sample="0" role="offset">1000</Item>
  <Item name="SCALE" sample="0" role="scale">0.000100000000000000005</Item>
  <Item name="OFFSET" sample="1" role="offset">2000</Item>
  <Item name="SCALE" sample="1" role="scale">0.001</Item>
</GDALMetadata>"#;
        assert_eq!(scale_offset(xml, 0), (Some(0.0001), Some(1000.0)));
        assert_eq!(scale_offset(xml, 1), (Some(0.001), Some(2000.0)));
        assert_eq!(scale_offset(xml, 2), (None, None));
        assert_eq!(scale_offset("<GDALMetadata><Item", 0), (None, None));
    }
}
