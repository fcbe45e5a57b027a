//! The definitions GIS files carry: OGC WKT1 (GeoPackage `gpkg_spatial_ref_sys`)
//! and ESRI WKT (a shapefile's `.prj`), for CRSs with an EPSG code.
//!
//! The OGC text is the EPSG definition from the built-in table as it stands. The
//! ESRI text is that tree rewritten the way ArcGIS writes `.prj` files (GDAL's
//! `morphToESRI` for the common cases): `AUTHORITY`, `AXIS` and `TOWGS84` dropped,
//! names in ESRI spelling (`WGS_1984_UTM_Zone_51N`, `GCS_WGS_1984`, `D_WGS_1984`),
//! units `Degree` / `Meter`, parameter names capitalised (`False_Easting`).

use super::wkt::{self, Node, Value};

/// The OGC WKT1 definition of EPSG `code` from the built-in table.
pub(crate) fn ogc_wkt(code: u32) -> Option<&'static str> {
    u16::try_from(code)
        .ok()
        .and_then(crs_definitions::from_code)
        .map(|d| d.wkt)
}

/// The ESRI WKT (`.prj` text) of EPSG `code`; `None` when the table lacks it or
/// its WKT does not parse.
pub(crate) fn esri_wkt(code: u32) -> Option<String> {
    let node = wkt::parse(ogc_wkt(code)?).ok()?;
    let mut out = String::new();
    emit(&node, None, &mut out);
    Some(out)
}

/// Nodes ESRI WKT does not have.
const DROPPED: [&str; 4] = ["AUTHORITY", "AXIS", "TOWGS84", "EXTENSION"];

/// Writes `node` in ESRI form; `parent` is the enclosing keyword.
fn emit(node: &Node, parent: Option<&str>, out: &mut String) {
    out.push_str(&node.keyword);
    out.push('[');
    let mut first = true;
    for v in &node.values {
        if let Value::Node(n) = v {
            if DROPPED.contains(&n.keyword.as_str()) {
                continue;
            }
        }
        if !first {
            out.push(',');
        }
        first = false;
        match v {
            Value::Text(t) => {
                out.push('"');
                out.push_str(&esri_text(&node.keyword, parent, t));
                out.push('"');
            }
            Value::Number(x) => out.push_str(&number(*x)),
            Value::Word(w) => out.push_str(w),
            Value::Node(n) => emit(n, Some(&node.keyword), out),
        }
    }
    out.push(']');
}

/// A number as ESRI writes it: always with a decimal point (`500000.0`).
fn number(x: f64) -> String {
    if x == 0.0 {
        return "0.0".into();
    }
    format!("{x:?}")
}

/// The ESRI spelling of the name of a `keyword` node.
fn esri_text(keyword: &str, parent: Option<&str>, t: &str) -> String {
    match keyword {
        "PROJCS" => esri_name(t),
        "GEOGCS" if t.starts_with("GCS_") => t.to_string(),
        "GEOGCS" => format!("GCS_{}", esri_name(t)),
        "DATUM" if t.starts_with("D_") => t.to_string(),
        "DATUM" => format!("D_{}", esri_name(t)),
        "SPHEROID" => esri_name(t),
        "UNIT" => match t.to_ascii_lowercase().as_str() {
            "degree" => "Degree".into(),
            "metre" | "meter" => "Meter".into(),
            "us survey foot" => "Foot_US".into(),
            "foot" => "Foot".into(),
            _ => esri_name(t),
        },
        "PARAMETER" => capitalise(t),
        "PROJECTION" if parent == Some("PROJCS") => t.to_string(),
        _ => t.to_string(),
    }
}

/// `latitude_of_origin` → `Latitude_Of_Origin`.
fn capitalise(t: &str) -> String {
    t.split('_')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<String>>()
        .join("_")
}

/// An EPSG name in ESRI spelling: `WGS 84 / UTM zone 51N` → `WGS_1984_UTM_Zone_51N`,
/// `CGCS2000 / 3-degree Gauss-Kruger CM 126E` → `CGCS2000_3_Degree_GK_CM_126E`.
fn esri_name(name: &str) -> String {
    let t = name
        .replace("WGS 84", "WGS_1984")
        .replace("Gauss-Kruger", "GK")
        .replace(" zone ", " Zone ")
        .replace("-degree", "_Degree");
    let mut out = String::with_capacity(t.len());
    for c in t.chars() {
        let c = if c.is_ascii_alphanumeric() { c } else { '_' };
        if !(c == '_' && (out.is_empty() || out.ends_with('_'))) {
            out.push(c);
        }
    }
    out.trim_end_matches('_').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crs::Crs;

    /// The demo's hand-written `.prj` of EPSG:32651 (ArcGIS's text).
    const ARCGIS_UTM51N: &str = "PROJCS[\"WGS_1984_UTM_Zone_51N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",123.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";

    #[test]
    fn utm51n_has_arcgis_names_and_no_authority() {
        let t = esri_wkt(32651).unwrap();
        assert!(
            t.starts_with("PROJCS[\"WGS_1984_UTM_Zone_51N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"]"),
            "{t}"
        );
        for p in [
            "PARAMETER[\"False_Easting\",500000.0]",
            "PARAMETER[\"Central_Meridian\",123.0]",
            "PARAMETER[\"Scale_Factor\",0.9996]",
            "UNIT[\"Meter\",1.0]",
        ] {
            assert!(t.contains(p), "{p} in {t}");
        }
        assert!(!t.contains("AUTHORITY") && !t.contains("AXIS"), "{t}");
        // Same parameters as ArcGIS's own text, in EPSG's order.
        let sorted = |s: &str| {
            let mut v: Vec<String> = s.split(',').map(String::from).collect();
            v.sort();
            v
        };
        assert_eq!(sorted(&t), sorted(ARCGIS_UTM51N));
    }

    #[test]
    fn cgcs2000_gauss_kruger_names() {
        let t = esri_wkt(4551).unwrap();
        assert!(
            t.starts_with("PROJCS[\"CGCS2000_3_Degree_GK_CM_126E\",GEOGCS[\"GCS_China_Geodetic_Coordinate_System_2000\",DATUM[\"D_China_2000\",SPHEROID[\"CGCS2000\",6378137.0,298.257222101]]"),
            "{t}"
        );
    }

    #[test]
    fn esri_text_reads_back_as_the_same_crs() {
        for code in [32651, 32750, 4551, 4490, 4326] {
            let crs = Crs::from_epsg(code).unwrap();
            let t = esri_wkt(code).unwrap();
            let back = Crs::from_wkt(&t).unwrap();
            assert!(back.same_as(&crs), "EPSG:{code}: {t} → {back:?}");
        }
        // By its parameters too, not only by its name.
        let t = esri_wkt(32651)
            .unwrap()
            .replace("WGS_1984_UTM_Zone_51N", "my_utm");
        let back = Crs::from_wkt(&t).unwrap();
        assert!(back.same_as(&Crs::from_epsg(32651).unwrap()), "{back:?}");
    }

    #[test]
    fn unknown_code_has_none() {
        assert!(ogc_wkt(1).is_none());
        assert!(esri_wkt(99_999).is_none());
    }
}
