//! Turning a WKT tree (OGC WKT1, ESRI `.prj`, or WKT2) into a [`Crs`].
//!
//! Order of trust, as GDAL does:
//! 1. the top-level `AUTHORITY["EPSG","n"]` (WKT2: `ID["EPSG",n]`) — taken as is;
//! 2. the CRS name, EPSG or ESRI spelling (`WGS_1984_UTM_Zone_51N`,
//!    `CGCS2000_3_Degree_GK_CM_126E`, …) — taken when it agrees with the parameters;
//! 3. a proj4 definition built from the WKT's projection parameters, datum and units
//!    for Transverse Mercator (Gauss–Krüger), Lambert Conformal Conic (1SP/2SP),
//!    Albers and Mercator (including ESRI's Web Mercator auxiliary sphere).
//!
//! Anything else is a [`CrsError::UnrecognisedWkt`] naming the projection.

use super::definition::Crs;
use super::epsg;
use super::error::{clip, CrsError};
use super::wkt::{self, Node, Value};
use std::collections::BTreeMap;
use std::f64::consts::PI;

/// Radians per degree.
const DEGREE: f64 = PI / 180.0;

const PROJECTED: [&str; 3] = ["PROJCS", "PROJCRS", "PROJECTEDCRS"];
const GEOGRAPHIC: [&str; 6] = [
    "GEOGCS",
    "GEOGCRS",
    "GEODCRS",
    "GEOGRAPHICCRS",
    "GEODETICCRS",
    "BASEGEOGCRS",
];
const BASE_GEOGRAPHIC: [&str; 6] = [
    "GEOGCS",
    "BASEGEOGCRS",
    "BASEGEODCRS",
    "GEOGCRS",
    "GEODCRS",
    "GEOGRAPHICCRS",
];

impl Crs {
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
        crs_from_wkt(wkt)
    }
}

/// Resolves WKT text to a CRS.
pub(crate) fn crs_from_wkt(text: &str) -> Result<Crs, CrsError> {
    let root = wkt::parse(text)?;
    let top = horizontal_part(&root);
    let kw = top.keyword.as_str();
    if kw == "GEOCCS" {
        return Err(CrsError::UnsupportedCrs {
            crs: clip(top.name()),
            reason: "it is geocentric (x, y, z), not a map CRS",
        });
    }
    if !PROJECTED.contains(&kw) && !GEOGRAPHIC.contains(&kw) {
        return Err(unrecognised(
            top,
            "",
            "the WKT is not a projected or geographic CRS",
        ));
    }

    // 1. Authority code of the CRS itself.
    if let Some(code) = top.epsg_code() {
        if let Ok(crs) = Crs::from_epsg(code) {
            return Ok(crs);
        }
    }

    // 2. Name, cross-checked with 3. the parameters.
    let by_name = epsg::code_for_name(top.name()).and_then(|c| Crs::from_epsg(c).ok());
    let built = build(top);
    match (by_name, built) {
        (Some(named), Ok(built)) => Ok(if named.same_as(&built) { named } else { built }),
        (Some(named), Err(_)) => Ok(named),
        (None, built) => built,
    }
}

/// The horizontal CRS of a compound CRS, or the node itself.
fn horizontal_part(root: &Node) -> &Node {
    if matches!(root.keyword.as_str(), "COMPD_CS" | "COMPOUNDCRS") {
        let mut all = PROJECTED.to_vec();
        all.extend_from_slice(&GEOGRAPHIC);
        if let Some(h) = root.child(&all) {
            return h;
        }
    }
    root
}

fn unrecognised(top: &Node, projection: &str, detail: impl Into<String>) -> CrsError {
    CrsError::UnrecognisedWkt {
        name: clip(top.name()),
        projection: clip(projection),
        detail: detail.into(),
    }
}

/// The datum part of a proj4 string and the angular unit of a geographic CRS.
struct Geodetic {
    /// e.g. "+datum=WGS84", "+ellps=GRS80", "+a=6378140 +rf=298.257".
    datum: String,
    /// Radians per angular unit (π/180 for degrees).
    angle_unit: f64,
}

/// Reads DATUM / SPHEROID / TOWGS84 / PRIMEM / UNIT of a geographic CRS node.
fn geodetic(top: &Node, geog: &Node) -> Result<Geodetic, CrsError> {
    let angle_unit = geog
        .child(&["UNIT", "ANGLEUNIT"])
        .and_then(|u| u.number(0))
        .filter(|f| f.is_finite() && *f > 0.0)
        .unwrap_or(DEGREE);
    let datum = geog
        .child(&["DATUM", "GEODETICDATUM", "TRF"])
        .ok_or_else(|| unrecognised(top, "", "the geographic CRS has no DATUM"))?;
    let spheroid = datum
        .child(&["SPHEROID", "ELLIPSOID"])
        .ok_or_else(|| unrecognised(top, "", "the DATUM has no SPHEROID"))?;
    let a_unit = spheroid
        .child(&["LENGTHUNIT", "UNIT"])
        .and_then(|u| u.number(0))
        .unwrap_or(1.0);
    let (a, rf) = match (spheroid.number(0), spheroid.number(1)) {
        (Some(a), Some(rf)) if a.is_finite() && a > 0.0 && rf.is_finite() && rf >= 0.0 => {
            (a * a_unit, rf)
        }
        _ => {
            return Err(unrecognised(
                top,
                "",
                "the SPHEROID has no valid axis and flattening",
            ))
        }
    };
    let ellipsoid = super::Ellipsoid::from_a_rf(a, rf);
    let matches_wkt = |e: &super::Ellipsoid| {
        (e.a - ellipsoid.a).abs() < 1e-3 && (e.f - ellipsoid.f).abs() < 1e-12
    };

    // The datum of a known geographic CRS (by authority, then name), when its
    // ellipsoid is the one the WKT gives: this carries EPSG's datum shift along.
    let known = geog
        .epsg_code()
        .or_else(|| epsg::code_for_name(geog.name()))
        .and_then(|c| Crs::from_epsg(c).ok())
        .filter(|c| c.geographic && matches_wkt(&c.ellipsoid()));
    let towgs84: Vec<f64> = datum
        .child(&["TOWGS84"])
        .map(|t| t.values.iter().filter_map(num).collect())
        .unwrap_or_default();
    let mut parts: Vec<String> = Vec::new();
    if let Some(k) = known.filter(|_| towgs84.is_empty()) {
        parts.extend(
            k.proj4
                .split_whitespace()
                .filter(|t| !t.starts_with("+proj=") && *t != "+no_defs")
                .map(str::to_string),
        );
    } else {
        let dname = epsg::normalise_name(datum.name().trim_start_matches("D_"));
        if matches!(dname.as_str(), "wgs84" | "worldgeodeticsystem1984")
            && matches_wkt(&super::Ellipsoid::WGS84)
            && towgs84.iter().all(|v| *v == 0.0)
        {
            parts.push("+datum=WGS84".into());
        } else {
            parts.push(format!("+a={a}"));
            parts.push(if rf == 0.0 {
                format!("+b={a}")
            } else {
                format!("+rf={rf}")
            });
            if !towgs84.is_empty() {
                let list: Vec<String> = towgs84.iter().take(7).map(|v| v.to_string()).collect();
                parts.push(format!("+towgs84={}", list.join(",")));
            }
        }
    }
    let pm = geog
        .child(&["PRIMEM", "PRIMEMERIDIAN"])
        .and_then(|p| p.number(0))
        .unwrap_or(0.0);
    if pm != 0.0 && pm.is_finite() {
        parts.push(format!("+pm={}", pm * angle_unit / DEGREE));
    }
    Ok(Geodetic {
        datum: parts.join(" "),
        angle_unit,
    })
}

fn num(v: &Value) -> Option<f64> {
    match v {
        Value::Number(x) => Some(*x),
        _ => None,
    }
}

/// Builds a CRS from the WKT's own parameters.
fn build(top: &Node) -> Result<Crs, CrsError> {
    if GEOGRAPHIC.contains(&top.keyword.as_str()) {
        let g = geodetic(top, top)?;
        if (g.angle_unit - DEGREE).abs() > 1e-12 {
            return Err(unrecognised(
                top,
                "",
                "the angular unit is not the degree; reclaim reads longitude/latitude in degrees",
            ));
        }
        let proj4 = format!("+proj=longlat {} +no_defs", g.datum);
        return finish(top, "", &proj4);
    }
    let geog = top
        .child(&BASE_GEOGRAPHIC)
        .ok_or_else(|| unrecognised(top, "", "the projected CRS has no GEOGCS"))?;
    let g = geodetic(top, geog)?;

    // WKT1: PROJECTION and PARAMETERs are children of PROJCS. WKT2: of CONVERSION.
    let (method, holder) = match top.child(&["CONVERSION"]) {
        Some(conv) => (
            conv.child(&["METHOD", "PROJECTION"])
                .map(Node::name)
                .unwrap_or(""),
            conv,
        ),
        None => (
            top.child(&["PROJECTION"]).map(Node::name).unwrap_or(""),
            top,
        ),
    };
    let linear = linear_unit(top);
    let params = parameters(holder, linear, g.angle_unit);
    let p = |k: &str| params.get(k).copied();
    let key = epsg::normalise_name(method);
    let proj = match key.as_str() {
        "transversemercator" | "gausskruger" | "transversemercatorsouthorientated" => {
            if key.ends_with("southorientated") {
                return Err(unrecognised(
                    top,
                    method,
                    "south-orientated Transverse Mercator is not supported",
                ));
            }
            format!(
                "+proj=tmerc +lat_0={} +lon_0={} +k={} +x_0={} +y_0={}",
                p("lat_0").unwrap_or(0.0),
                p("lon_0").unwrap_or(0.0),
                p("k").unwrap_or(1.0),
                p("x_0").unwrap_or(0.0),
                p("y_0").unwrap_or(0.0)
            )
        }
        "lambertconformalconic" | "lambertconformalconic2sp" | "lambertconformalconic1sp" => {
            let two_sp =
                key.ends_with("2sp") || (key == "lambertconformalconic" && p("lat_2").is_some());
            let lat_0 = p("lat_0").unwrap_or(0.0);
            if two_sp {
                format!(
                    "+proj=lcc +lat_1={} +lat_2={} +lat_0={lat_0} +lon_0={} +x_0={} +y_0={}",
                    p("lat_1").unwrap_or(lat_0),
                    p("lat_2").unwrap_or(lat_0),
                    p("lon_0").unwrap_or(0.0),
                    p("x_0").unwrap_or(0.0),
                    p("y_0").unwrap_or(0.0)
                )
            } else {
                let lat_1 = p("lat_1").unwrap_or(lat_0);
                format!(
                    "+proj=lcc +lat_1={lat_1} +lat_0={lat_1} +lon_0={} +k_0={} +x_0={} +y_0={}",
                    p("lon_0").unwrap_or(0.0),
                    p("k").unwrap_or(1.0),
                    p("x_0").unwrap_or(0.0),
                    p("y_0").unwrap_or(0.0)
                )
            }
        }
        "albers" | "albersconicequalarea" | "albersequalarea" => format!(
            "+proj=aea +lat_1={} +lat_2={} +lat_0={} +lon_0={} +x_0={} +y_0={}",
            p("lat_1").unwrap_or(0.0),
            p("lat_2").unwrap_or(0.0),
            p("lat_0").unwrap_or(0.0),
            p("lon_0").unwrap_or(0.0),
            p("x_0").unwrap_or(0.0),
            p("y_0").unwrap_or(0.0)
        ),
        "mercator" | "mercator1sp" | "mercator2sp" | "mercatorvariantb" | "mercatorvarianta" => {
            let common = format!(
                "+lon_0={} +x_0={} +y_0={}",
                p("lon_0").unwrap_or(0.0),
                p("x_0").unwrap_or(0.0),
                p("y_0").unwrap_or(0.0)
            );
            match (p("lat_1"), p("k")) {
                (Some(lat_ts), _) => format!("+proj=merc +lat_ts={lat_ts} {common}"),
                (None, k) => format!("+proj=merc +k={} {common}", k.unwrap_or(1.0)),
            }
        }
        "mercatorauxiliarysphere" | "popularvisualisationpseudomercator" => {
            let all_zero = ["lon_0", "x_0", "y_0"]
                .iter()
                .all(|k| p(k).unwrap_or(0.0) == 0.0);
            if all_zero && (linear - 1.0).abs() < 1e-12 {
                return Crs::from_epsg(3857);
            }
            return Err(unrecognised(
                top,
                method,
                "Web Mercator with a non-zero origin or non-metre unit",
            ));
        }
        "" => return Err(unrecognised(top, "", "the projected CRS has no PROJECTION")),
        _ => {
            return Err(unrecognised(
                top,
                method,
                "the WKT has no EPSG code and a name reclaim does not know, and reclaim builds \
                 only Transverse_Mercator, Lambert_Conformal_Conic, Albers and Mercator from \
                 WKT parameters",
            ))
        }
    };
    let units = if (linear - 1.0).abs() < 1e-12 {
        "+units=m".to_string()
    } else {
        format!("+to_meter={linear}")
    };
    let proj4 = format!("{proj} {} {units} +no_defs", g.datum);
    finish(top, method, &proj4)
}

/// Validates a built proj4 definition with proj4rs and names the CRS.
fn finish(top: &Node, method: &str, proj4: &str) -> Result<Crs, CrsError> {
    let mut crs = Crs::from_proj4(proj4).map_err(|e| unrecognised(top, method, e.to_string()))?;
    crs.name = clip(top.name());
    Ok(crs)
}

/// Metres per linear unit of a projected CRS (WKT1 `UNIT`, WKT2 `LENGTHUNIT`).
fn linear_unit(top: &Node) -> f64 {
    let direct = top.child(&["UNIT", "LENGTHUNIT"]).and_then(|u| u.number(0));
    let in_cs = || {
        top.children(&["AXIS"])
            .find_map(|a| a.child(&["LENGTHUNIT", "UNIT"]))
            .and_then(|u| u.number(0))
    };
    direct
        .or_else(in_cs)
        .filter(|f| f.is_finite() && *f > 0.0)
        .unwrap_or(1.0)
}

/// The projection parameters as proj4 keys, angles in degrees and lengths in metres.
fn parameters(holder: &Node, linear: f64, angle_unit: f64) -> BTreeMap<&'static str, f64> {
    let mut out = BTreeMap::new();
    for p in holder.children(&["PARAMETER"]) {
        let Some(value) = p.number(0) else { continue };
        let Some((key, kind)) = parameter_key(&epsg::normalise_name(p.name())) else {
            continue;
        };
        let unit = |kws: &[&str]| p.child(kws).and_then(|u| u.number(0));
        let v = match kind {
            Kind::Angle => match unit(&["ANGLEUNIT", "UNIT"]) {
                Some(f) => value * f / DEGREE,
                None => value * angle_unit / DEGREE,
            },
            Kind::Length => value * unit(&["LENGTHUNIT", "UNIT"]).unwrap_or(linear),
            Kind::Scale => value * unit(&["SCALEUNIT", "UNIT"]).unwrap_or(1.0),
        };
        out.insert(key, v);
    }
    out
}

#[derive(Clone, Copy)]
enum Kind {
    Angle,
    Length,
    Scale,
}

/// proj4 key and kind of a normalised WKT1 / ESRI / WKT2 parameter name.
fn parameter_key(name: &str) -> Option<(&'static str, Kind)> {
    Some(match name {
        "latitudeoforigin"
        | "latitudeofnaturalorigin"
        | "latitudeofcenter"
        | "latitudeofcentre"
        | "latitudeoffalseorigin"
        | "latitudeofprojectioncentre" => ("lat_0", Kind::Angle),
        "centralmeridian"
        | "longitudeofnaturalorigin"
        | "longitudeofcenter"
        | "longitudeofcentre"
        | "longitudeoffalseorigin"
        | "longitudeoforigin"
        | "longitudeofprojectioncentre" => ("lon_0", Kind::Angle),
        "standardparallel1" | "latitudeof1ststandardparallel" => ("lat_1", Kind::Angle),
        "standardparallel2" | "latitudeof2ndstandardparallel" => ("lat_2", Kind::Angle),
        "scalefactor" | "scalefactoratnaturalorigin" => ("k", Kind::Scale),
        "falseeasting" | "eastingatfalseorigin" => ("x_0", Kind::Length),
        "falsenorthing" | "northingatfalseorigin" => ("y_0", Kind::Length),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::Transformer;
    use super::*;

    fn corpus() -> std::path::PathBuf {
        std::env::var_os("RECLAIM_CORPUS")
            .map(std::path::PathBuf::from)
            .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus").into())
    }

    fn wgs84_to(crs: &Crs, lon: f64, lat: f64) -> (f64, f64) {
        Transformer::new(&Crs::from_epsg(4326).unwrap(), crs)
            .unwrap()
            .transform_point(lon, lat)
            .unwrap()
    }

    fn close(got: (f64, f64), want: (f64, f64), tol: f64) {
        assert!(
            (got.0 - want.0).abs() <= tol && (got.1 - want.1).abs() <= tol,
            "got {got:?} want {want:?}"
        );
    }

    const ESRI_UTM51N: &str = r#"PROJCS["WGS_1984_UTM_Zone_51N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const ESRI_GK_CM126: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_126E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",126.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
    const ESRI_GK_ZONE42: &str = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_42",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",42500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",126.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

    #[test]
    fn corpus_prj_files() {
        // rasterio/box.prj: ESRI WKT of WGS 84 / UTM 18N, no AUTHORITY.
        let text = std::fs::read_to_string(corpus().join("rasterio/box.prj")).unwrap();
        let crs = Crs::from_wkt(&text).unwrap();
        assert_eq!(crs.epsg, Some(32618));
        // PROJ 9.5.1 (pyproj): EPSG:4326 → box.prj at (-75.5, 40.0).
        close(
            wgs84_to(&crs, -75.5, 40.0),
            (457_320.054_973, 4_427_876.924_419),
            1e-6,
        );

        // mapshaper/ldid/chinese.prj: ESRI GCS_WGS_1984.
        let text = std::fs::read_to_string(corpus().join("mapshaper/ldid/chinese.prj")).unwrap();
        let crs = Crs::from_wkt(&text).unwrap();
        assert_eq!(crs.epsg, Some(4326));
        assert!(crs.is_geographic());
    }

    #[test]
    fn esri_names_resolve_to_epsg() {
        for (wkt, code) in [
            (ESRI_UTM51N, 32651),
            (ESRI_GK_CM126, 4551),
            (ESRI_GK_ZONE42, 4530),
        ] {
            let crs = Crs::from_wkt(wkt).unwrap();
            assert_eq!(crs.epsg, Some(code));
        }
        let geo = r#"GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(Crs::from_wkt(geo).unwrap().epsg, Some(4490));
        let web = r#"PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(Crs::from_wkt(web).unwrap().epsg, Some(3857));
        // The same Web Mercator under an unknown name is still built from its projection.
        let renamed = web.replace("WGS_1984_Web_Mercator_Auxiliary_Sphere", "My_Tiles");
        assert_eq!(Crs::from_wkt(&renamed).unwrap().epsg, Some(3857));
    }

    #[test]
    fn authority_wins() {
        let wkt = crs_definitions::EPSG_4547.wkt;
        assert_eq!(Crs::from_wkt(wkt).unwrap().epsg, Some(4547));
        // GDAL-style WKT1 of UTM 51N with the EPSG authority.
        assert_eq!(
            Crs::from_wkt(crs_definitions::EPSG_32651.wkt).unwrap().epsg,
            Some(32651)
        );
    }

    #[test]
    fn name_that_disagrees_with_parameters_is_not_trusted() {
        // Says CM 126E but its meridian is 129: the parameters win.
        let lying = ESRI_GK_CM126.replace(
            "PARAMETER[\"Central_Meridian\",126.0]",
            "PARAMETER[\"Central_Meridian\",129.0]",
        );
        let crs = Crs::from_wkt(&lying).unwrap();
        assert_eq!(crs.epsg, None);
        assert!(crs.same_as(&Crs::from_epsg(4552).unwrap()), "{}", crs.proj4);
        assert_eq!(crs.name, "CGCS2000_3_Degree_GK_CM_126E");
    }

    #[test]
    fn built_from_parameters_matches_proj() {
        // Reference values: PROJ 9.5.1 via pyproj, Transformer.from_crs("EPSG:4326", WKT,
        // always_xy=True).transform(125.3, 43.3), with exactly these WKT strings.
        let lcc = r#"PROJCS["Asia_Lambert_Conformal_Conic",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",105.0],PARAMETER["Standard_Parallel_1",30.0],PARAMETER["Standard_Parallel_2",62.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        let aea = r#"PROJCS["Asia_North_Albers_Equal_Area_Conic",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Albers"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",95.0],PARAMETER["Standard_Parallel_1",15.0],PARAMETER["Standard_Parallel_2",65.0],PARAMETER["Latitude_Of_Origin",30.0],UNIT["Meter",1.0]]"#;
        let merc = r#"PROJCS["World_Mercator",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Mercator"],PARAMETER["False_Easting",0.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],PARAMETER["Standard_Parallel_1",0.0],UNIT["Meter",1.0]]"#;
        for (wkt, want) in [
            (lcc, (1_568_308.685_654, 5_353_823.528_537)),
            (aea, (2_195_090.783_128, 1_950_909.700_417)),
            (merc, (13_948_332.196_397, 5_328_433.318_306)),
        ] {
            let crs = Crs::from_wkt(wkt).unwrap();
            assert_eq!(crs.epsg, None, "{}", crs.name);
            close(wgs84_to(&crs, 125.3, 43.3), want, 1e-6);
        }
    }

    #[test]
    fn feet_and_custom_datum() {
        // GRS80 spheroid under an unknown datum name, US survey feet. PROJ 9.5.1 via
        // pyproj from EPSG:4490 at (125.3, 43.3) → (1454083.034428, 15734243.202781) ft.
        let ft = r#"PROJCS["Custom_TM_ft",GEOGCS["GCS_Custom",DATUM["D_Custom",SPHEROID["GRS_1980",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",1640416.6667],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",126.0],PARAMETER["Scale_Factor",0.9999],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Foot_US",0.3048006096012192]]"#;
        let crs = Crs::from_wkt(ft).unwrap();
        assert!((crs.metres_per_unit().unwrap() - 0.304_800_609_601_219_2).abs() < 1e-15);
        assert_eq!(crs.ellipsoid(), super::super::Ellipsoid::CGCS2000);
        let t = Transformer::new(&Crs::from_epsg(4490).unwrap(), &crs).unwrap();
        close(
            t.transform_point(125.3, 43.3).unwrap(),
            (1_454_083.034_428, 15_734_243.202_781),
            1e-5,
        );
    }

    #[test]
    fn beijing_1954_keeps_epsg_datum_shift() {
        let wkt = r#"PROJCS["Beijing_1954_3_Degree_GK_CM_126E_custom",GEOGCS["GCS_Beijing_1954",DATUM["D_Beijing_1954",SPHEROID["Krasovsky_1940",6378245.0,298.3]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",126.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        let crs = Crs::from_wkt(wkt).unwrap();
        assert!(
            crs.proj4.contains("+towgs84=15.8,-154.4,-82.3"),
            "{}",
            crs.proj4
        );
        assert!(crs.same_as(&Crs::from_epsg(2439).unwrap()));
    }

    #[test]
    fn unsupported_and_broken_wkt() {
        let robinson = r#"PROJCS["World_Robinson",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Robinson"],PARAMETER["Central_Meridian",0.0],UNIT["Meter",1.0]]"#;
        match Crs::from_wkt(robinson) {
            Err(e @ CrsError::UnrecognisedWkt { .. }) => {
                let msg = e.to_string();
                assert!(
                    msg.contains("Robinson") && msg.contains("--crs EPSG:"),
                    "{msg}"
                );
            }
            other => panic!("{other:?}"),
        }
        let no_proj = r#"PROJCS["x",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]],UNIT["Meter",1.0]]"#;
        assert!(matches!(
            Crs::from_wkt(no_proj),
            Err(CrsError::UnrecognisedWkt { .. })
        ));
        let no_datum = r#"GEOGCS["Mars"]"#;
        assert!(matches!(
            Crs::from_wkt(no_datum),
            Err(CrsError::UnrecognisedWkt { .. })
        ));
        let grads = r#"GEOGCS["NTF_grad",DATUM["D_NTF",SPHEROID["Clarke_1880_IGN",6378249.2,293.4660212936265]],PRIMEM["Paris",2.5969213],UNIT["Grad",0.01570796326794897]]"#;
        assert!(matches!(
            Crs::from_wkt(grads),
            Err(CrsError::UnrecognisedWkt { .. })
        ));
        assert!(matches!(
            Crs::from_wkt("PROJCS[\"x\""),
            Err(CrsError::MalformedWkt { .. })
        ));
        assert!(matches!(
            Crs::from_wkt("VERT_CS[\"h\"]"),
            Err(CrsError::UnrecognisedWkt { .. })
        ));
        let geoc = crs_definitions::EPSG_4978.wkt;
        assert!(matches!(
            Crs::from_wkt(geoc),
            Err(CrsError::UnsupportedCrs { .. })
        ));
    }

    #[test]
    fn compound_and_wkt2() {
        let compd = format!(
            "COMPD_CS[\"UTM + height\",{},VERT_CS[\"h\",VERT_DATUM[\"x\",2005]]]",
            ESRI_UTM51N
        );
        assert_eq!(Crs::from_wkt(&compd).unwrap().epsg, Some(32651));
        let wkt2 = r#"PROJCRS["my GK",BASEGEOGCRS["CGCS2000",DATUM["China 2000",ELLIPSOID["CGCS2000",6378137,298.257222101,LENGTHUNIT["metre",1]]],PRIMEM["Greenwich",0,ANGLEUNIT["degree",0.0174532925199433]]],CONVERSION["x",METHOD["Transverse Mercator",ID["EPSG",9807]],PARAMETER["Latitude of natural origin",0,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Longitude of natural origin",126,ANGLEUNIT["degree",0.0174532925199433]],PARAMETER["Scale factor at natural origin",1,SCALEUNIT["unity",1]],PARAMETER["False easting",500,LENGTHUNIT["kilometre",1000]],PARAMETER["False northing",0,LENGTHUNIT["metre",1]]],CS[Cartesian,2],AXIS["easting",east,LENGTHUNIT["metre",1]],AXIS["northing",north,LENGTHUNIT["metre",1]]]"#;
        let crs = Crs::from_wkt(wkt2).unwrap();
        assert!(crs.same_as(&Crs::from_epsg(4551).unwrap()), "{}", crs.proj4);
    }

    proptest::proptest! {
        #[test]
        fn damaged_prj_never_panics(start in 0usize..600, len in 0usize..40, junk in "[\\[\\](),\"0-9A-Za-z_.-]{0,5}") {
            let mut text = ESRI_GK_CM126.to_string();
            let start = start.min(text.len());
            let end = (start + len).min(text.len());
            text.replace_range(start..end, &junk);
            let _ = Crs::from_wkt(&text);
        }

        #[test]
        fn user_strings_never_panic(s in "\\PC{0,80}") {
            let _ = Crs::from_user_string(&s);
        }

        #[test]
        fn proj4_strings_never_panic(
            proj in "(tmerc|utm|lcc|merc|aea|longlat|webmerc|stere|laea)",
            params in proptest::collection::vec(("(lat_0|lat_1|lat_2|lon_0|k|x_0|y_0|zone|a|b|rf|R|ellps|datum|towgs84|units|to_meter|south)", "[-0-9.e,A-Za-z]{0,10}"), 0..6),
        ) {
            let mut s = format!("+proj={proj}");
            for (k, v) in params {
                s.push_str(&format!(" +{k}={v}"));
            }
            if let Ok(crs) = Crs::from_proj4(&s) {
                let _ = crs.ellipsoid();
                if let Ok(t) = Transformer::new(&Crs::from_epsg(4326).unwrap(), &crs) {
                    let _ = t.transform_point(125.3, 43.3);
                }
            }
        }
    }
}
