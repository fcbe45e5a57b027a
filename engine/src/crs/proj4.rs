//! A canonical reading of proj4 strings, for comparing CRSs and finding their ellipsoid.
//!
//! Two proj4 strings can spell the same CRS differently: `+proj=utm +zone=51
//! +datum=WGS84` is `+proj=tmerc +lon_0=123 +k=0.9996 +x_0=500000 +ellps=WGS84
//! +towgs84=0,0,0`. [`Proj4Params::parse`] expands such shorthands so that
//! [`Proj4Params::same_as`] compares what matters: the projection, its parameters, the
//! ellipsoid, the datum shift and the linear unit.

use super::ellipsoid::Ellipsoid;
use std::collections::BTreeMap;

/// Tolerance for angles in degrees (≈ 0.1 mm on the ground).
const ANGLE_TOL_DEG: f64 = 1e-9;
/// Tolerance for lengths in metres.
const LENGTH_TOL_M: f64 = 1e-6;
/// Most parameters a proj4 string may have before we stop reading (hostile input).
const MAX_PARAMS: usize = 64;

/// The parameters of a proj4 string, with shorthands expanded.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Proj4Params {
    /// Projection: "longlat" for every geographic spelling, "tmerc" for utm/etmerc.
    pub proj: String,
    /// Numeric parameters in the string's own units (degrees for angles, metres for x_0/y_0).
    pub numbers: BTreeMap<String, f64>,
    /// Flags and other non-numeric parameters, e.g. "south", "nadgrids" → "@null".
    pub others: BTreeMap<String, String>,
    /// Resolved ellipsoid (WGS 84 when the string names none).
    pub ellipsoid: Ellipsoid,
    /// Seven-parameter datum shift to WGS 84, if any (3-parameter forms padded with 0).
    pub towgs84: Option<[f64; 7]>,
    /// Metres per linear unit (1 for metres; irrelevant for geographic CRSs).
    pub to_meter: f64,
}

/// Metres per unit of the proj4 `+units=` names reclaim knows.
pub(crate) fn unit_to_meter(name: &str) -> Option<f64> {
    Some(match name {
        "m" => 1.0,
        "km" => 1000.0,
        "dm" => 0.1,
        "cm" => 0.01,
        "mm" => 0.001,
        "ft" => 0.3048,
        "us-ft" => 1200.0 / 3937.0,
        "yd" => 0.9144,
        "us-yd" => 3600.0 / 3937.0,
        "mi" => 1609.344,
        "us-mi" => 6_336_000.0 / 3937.0,
        "fath" => 1.8288,
        "ch" => 20.1168,
        "link" => 0.201168,
        _ => return None,
    })
}

impl Proj4Params {
    /// Reads a proj4 string. Unknown ellipsoid names fall back to `fallback_ellipsoid`.
    pub fn parse(s: &str, fallback_ellipsoid: impl Fn(&str) -> Option<Ellipsoid>) -> Proj4Params {
        let mut raw: BTreeMap<String, Option<String>> = BTreeMap::new();
        for tok in s.split_whitespace().take(MAX_PARAMS) {
            let tok = tok.trim_start_matches('+');
            if tok.is_empty() {
                continue;
            }
            match tok.split_once('=') {
                Some((k, v)) => raw.insert(k.to_string(), Some(v.to_string())),
                None => raw.insert(tok.to_string(), None),
            };
        }
        let text = |k: &str| raw.get(k).and_then(|v| v.as_deref());
        let num = |k: &str| text(k).and_then(|v| v.parse::<f64>().ok());

        let proj_raw = text("proj").unwrap_or("").to_string();
        let mut numbers: BTreeMap<String, f64> = BTreeMap::new();
        let mut others: BTreeMap<String, String> = BTreeMap::new();
        let proj = match proj_raw.as_str() {
            "longlat" | "latlong" | "lonlat" | "latlon" => "longlat".to_string(),
            "utm" => {
                let zone = num("zone").unwrap_or(0.0);
                numbers.insert("lon_0".into(), zone * 6.0 - 183.0);
                numbers.insert("k_0".into(), 0.9996);
                numbers.insert("x_0".into(), 500_000.0);
                let south = raw.contains_key("south");
                numbers.insert("y_0".into(), if south { 10_000_000.0 } else { 0.0 });
                "tmerc".to_string()
            }
            "etmerc" => "tmerc".to_string(),
            other => other.to_string(),
        };

        // Datum and ellipsoid.
        let datum = text("datum");
        let mut towgs84 = text("towgs84").map(parse_towgs84);
        let mut ellipsoid = match datum {
            Some("WGS84") => {
                towgs84.get_or_insert([0.0; 7]);
                Some(Ellipsoid::WGS84)
            }
            Some("NAD83") => {
                towgs84.get_or_insert([0.0; 7]);
                Some(Ellipsoid::GRS80)
            }
            Some("NAD27") => Ellipsoid::from_proj_name("clrk66"),
            Some("potsdam") => Ellipsoid::from_proj_name("bessel"),
            _ => None,
        };
        if let Some(name) = text("ellps") {
            ellipsoid = Ellipsoid::from_proj_name(name).or_else(|| fallback_ellipsoid(name));
        }
        if let Some(r) = num("R") {
            ellipsoid = Some(Ellipsoid::sphere(r));
        }
        if let Some(a) = num("a") {
            let base = ellipsoid.unwrap_or_default();
            ellipsoid = Some(if let Some(b) = num("b") {
                Ellipsoid::from_a_b(a, b)
            } else if let Some(rf) = num("rf") {
                Ellipsoid::from_a_rf(a, rf)
            } else if let Some(f) = num("f") {
                Ellipsoid { a, f }
            } else {
                Ellipsoid { a, f: base.f }
            });
        }
        let ellipsoid = ellipsoid.unwrap_or_default();

        let to_meter = num("to_meter")
            .or_else(|| text("units").and_then(unit_to_meter))
            .unwrap_or(1.0);

        const HANDLED: [&str; 15] = [
            "proj", "zone", "south", "datum", "ellps", "R", "a", "b", "rf", "f", "towgs84",
            "units", "to_meter", "no_defs", "wktext",
        ];
        for (k, v) in &raw {
            if HANDLED.contains(&k.as_str()) || k == "type" {
                continue;
            }
            let key = if k == "k" {
                "k_0".to_string()
            } else {
                k.clone()
            };
            match v.as_deref().map(|t| (t, t.parse::<f64>())) {
                Some((_, Ok(x))) => {
                    numbers.insert(key, x);
                }
                Some((t, Err(_))) => {
                    others.insert(key, t.to_string());
                }
                None => {
                    others.insert(key, String::new());
                }
            }
        }
        // A grid shift "@null" means "no shift": the datum is WGS 84 compatible.
        if others.get("nadgrids").map(String::as_str) == Some("@null") {
            others.remove("nadgrids");
            towgs84.get_or_insert([0.0; 7]);
        }
        Proj4Params {
            proj,
            numbers,
            others,
            ellipsoid,
            towgs84,
            to_meter,
        }
    }

    /// The value of a numeric parameter, with proj4's default of 0 (1 for `k_0`).
    fn number(&self, key: &str) -> f64 {
        let default = if key == "k_0" { 1.0 } else { 0.0 };
        self.numbers.get(key).copied().unwrap_or(default)
    }

    /// True when both describe the same CRS within 1e-9° and 1 µm.
    pub fn same_as(&self, other: &Proj4Params) -> bool {
        if self.proj != other.proj
            || self.others != other.others
            || !self.ellipsoid.approx_eq(&other.ellipsoid)
            || (self.proj != "longlat" && (self.to_meter - other.to_meter).abs() > 1e-12)
        {
            return false;
        }
        let same_shift = match (self.towgs84, other.towgs84) {
            (None, None) => true,
            (Some(a), Some(b)) => a.iter().zip(b.iter()).all(|(x, y)| (x - y).abs() < 1e-9),
            _ => false,
        };
        if !same_shift {
            return false;
        }
        let keys: std::collections::BTreeSet<&String> =
            self.numbers.keys().chain(other.numbers.keys()).collect();
        keys.into_iter().all(|k| {
            let (a, b) = (self.number(k), other.number(k));
            let tol = if k.starts_with('x') || k.starts_with('y') {
                LENGTH_TOL_M
            } else {
                ANGLE_TOL_DEG
            };
            (a - b).abs() <= tol
        })
    }
}

/// Reads `+towgs84=dx,dy,dz[,rx,ry,rz,s]`, padding missing values with 0.
fn parse_towgs84(v: &str) -> [f64; 7] {
    let mut out = [0.0; 7];
    for (slot, part) in out.iter_mut().zip(v.split(',')) {
        *slot = part.trim().parse().unwrap_or(f64::NAN);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> Proj4Params {
        Proj4Params::parse(s, |_| None)
    }

    #[test]
    fn utm_equals_its_tmerc_expansion() {
        let utm = p("+proj=utm +zone=51 +datum=WGS84 +units=m +no_defs");
        let tm = p("+proj=tmerc +lat_0=0 +lon_0=123 +k=0.9996 +x_0=500000 +y_0=0 +ellps=WGS84 +towgs84=0,0,0");
        assert!(utm.same_as(&tm));
        let south = p("+proj=utm +zone=51 +south +datum=WGS84");
        assert!(!utm.same_as(&south));
        assert_eq!(south.number("y_0"), 10_000_000.0);
    }

    #[test]
    fn ellipsoid_and_datum_differences_matter() {
        let wgs = p("+proj=longlat +datum=WGS84 +no_defs");
        let cgcs = p("+proj=longlat +ellps=GRS80 +no_defs");
        assert!(!wgs.same_as(&cgcs));
        assert_eq!(cgcs.ellipsoid, Ellipsoid::CGCS2000);
        assert_eq!(wgs.proj, "longlat");
        let a_rf = p("+proj=latlong +a=6378137 +rf=298.257222101");
        assert!(a_rf.same_as(&cgcs));
        let xian = p("+proj=longlat +a=6378140 +b=6356755.288157528 +no_defs");
        assert!((1.0 / xian.ellipsoid.f - 298.257).abs() < 1e-6);
    }

    #[test]
    fn units_and_parameters() {
        let ft = p("+proj=tmerc +lon_0=126 +k=0.9999 +x_0=500000 +units=us-ft +ellps=GRS80");
        assert!((ft.to_meter - 0.304_800_609_601_219_2).abs() < 1e-15);
        let m = p("+proj=tmerc +lon_0=126 +k=0.9999 +x_0=500000 +units=m +ellps=GRS80");
        assert!(!ft.same_as(&m));
        let moved = p("+proj=tmerc +lon_0=127 +k=0.9999 +x_0=500000 +units=m +ellps=GRS80");
        assert!(!m.same_as(&moved));
        // Defaults: a missing lat_0 is 0, a missing k is 1.
        let explicit =
            p("+proj=tmerc +lat_0=0 +lon_0=126 +k=0.9999 +x_0=500000 +y_0=0 +ellps=GRS80");
        assert!(m.same_as(&explicit));
        assert_eq!(p("+proj=merc").number("k_0"), 1.0);
    }

    #[test]
    fn null_grid_is_a_wgs84_datum() {
        let merc = p("+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext +no_defs");
        assert_eq!(merc.towgs84, Some([0.0; 7]));
        assert_eq!(merc.ellipsoid.f, 0.0);
    }
}
