//! Reference ellipsoids and the exact area of a longitude/latitude cell.
//!
//! The area of the region between two parallels φ₁ < φ₂ and two meridians Δλ apart on
//! an ellipsoid of revolution (semi-major axis `a`, flattening `f`, eccentricity
//! `e² = f(2 − f)`, semi-minor axis `b = a(1 − f)`) has the closed form
//!
//! ```text
//!   A = (b² / 2) · Δλ · [q(φ₂) − q(φ₁)],
//!   q(φ) = sin φ / (1 − e² sin² φ) + atanh(e sin φ) / e
//! ```
//!
//! (Snyder, *Map Projections — A Working Manual*, eq. 3-12, the authalic-latitude
//! function, up to the factor 1 − e²). On a sphere `q(φ) = 2 sin φ` and
//! `A = a² Δλ (sin φ₂ − sin φ₁)`. For the difference we use an algebraically equal
//! form without cancellation, so a 10 m cell keeps full double precision:
//!
//! ```text
//!   Δs = sin φ₂ − sin φ₁ = 2 cos((φ₁+φ₂)/2) sin((φ₂−φ₁)/2)
//!   q(φ₂) − q(φ₁) = Δs (1 + e² s₁ s₂) / ((1 − e² s₁²)(1 − e² s₂²))
//!                 + atanh(e Δs / (1 − e² s₁ s₂)) / e
//! ```

/// A reference ellipsoid of revolution: semi-major axis `a` (metres) and flattening `f`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ellipsoid {
    /// Semi-major axis in metres.
    pub a: f64,
    /// Flattening (a − b) / a; 0 for a sphere.
    pub f: f64,
}

/// Below this eccentricity `atanh(e x) / e` is replaced by its limit `x`.
const SPHERE_ECCENTRICITY: f64 = 1e-8;

impl Ellipsoid {
    /// WGS 84 (EPSG:7030): a = 6378137 m, 1/f = 298.257223563.
    pub const WGS84: Ellipsoid = Ellipsoid {
        a: 6_378_137.0,
        f: 1.0 / 298.257_223_563,
    };

    /// CGCS2000 (EPSG:1024): a = 6378137 m, 1/f = 298.257222101 (same as GRS 1980).
    pub const CGCS2000: Ellipsoid = Ellipsoid {
        a: 6_378_137.0,
        f: 1.0 / 298.257_222_101,
    };

    /// GRS 1980 (EPSG:7019), the ellipsoid of NAD83, ETRS89 and CGCS2000.
    pub const GRS80: Ellipsoid = Ellipsoid::CGCS2000;

    /// An ellipsoid from its semi-major axis and inverse flattening (0 = sphere).
    pub fn from_a_rf(a: f64, rf: f64) -> Ellipsoid {
        let f = if rf == 0.0 { 0.0 } else { 1.0 / rf };
        Ellipsoid { a, f }
    }

    /// An ellipsoid from its two semi-axes.
    pub fn from_a_b(a: f64, b: f64) -> Ellipsoid {
        Ellipsoid { a, f: (a - b) / a }
    }

    /// A sphere of radius `r`.
    pub fn sphere(r: f64) -> Ellipsoid {
        Ellipsoid { a: r, f: 0.0 }
    }

    /// Semi-minor axis b = a (1 − f).
    pub fn b(&self) -> f64 {
        self.a * (1.0 - self.f)
    }

    /// First eccentricity squared e² = f (2 − f).
    pub fn e2(&self) -> f64 {
        self.f * (2.0 - self.f)
    }

    /// True when both ellipsoids agree to 0.1 mm in `a` and 1e-14 in `f`.
    pub fn approx_eq(&self, other: &Ellipsoid) -> bool {
        (self.a - other.a).abs() < 1e-4 && (self.f - other.f).abs() < 1e-14
    }

    /// The ellipsoid of a proj4 `+ellps=` name (the common ones), if known.
    pub fn from_proj_name(name: &str) -> Option<Ellipsoid> {
        let e = match name {
            "WGS84" => Ellipsoid::WGS84,
            "GRS80" => Ellipsoid::GRS80,
            "WGS72" => Ellipsoid::from_a_rf(6_378_135.0, 298.26),
            "krass" => Ellipsoid::from_a_rf(6_378_245.0, 298.3),
            "intl" => Ellipsoid::from_a_rf(6_378_388.0, 297.0),
            "clrk66" => Ellipsoid::from_a_b(6_378_206.4, 6_356_583.8),
            "clrk80" => Ellipsoid::from_a_rf(6_378_249.145, 293.4663),
            "bessel" => Ellipsoid::from_a_rf(6_377_397.155, 299.152_812_8),
            "airy" => Ellipsoid::from_a_b(6_377_563.396, 6_356_256.910),
            "IAU76" => Ellipsoid::from_a_rf(6_378_140.0, 298.257),
            "GRS67" => Ellipsoid::from_a_rf(6_378_160.0, 298.247_167_427),
            "aust_SA" => Ellipsoid::from_a_rf(6_378_160.0, 298.25),
            "sphere" => Ellipsoid::sphere(6_370_997.0),
            _ => return None,
        };
        Some(e)
    }

    /// Exact area in m² of the cell between two parallels and two meridians `dlon_deg` apart.
    ///
    /// Latitudes are in degrees and clamped to [−90, 90]; their order does not matter,
    /// and the sign of `dlon_deg` is ignored, so the result is never negative (NaN in,
    /// NaN out). Uses the closed form in the module docs, exact for the ellipsoid.
    ///
    /// ```
    /// use reclaim::crs::Ellipsoid;
    /// // A 1°×1° cell south of 44° N at Yitong, Jilin: about 9 000 km².
    /// let a = Ellipsoid::CGCS2000.cell_area(43.0, 44.0, 1.0);
    /// assert!((a / 1e6 - 9_000.0).abs() < 100.0);
    /// ```
    pub fn cell_area(&self, lat_south_deg: f64, lat_north_deg: f64, dlon_deg: f64) -> f64 {
        let p1 = lat_south_deg.clamp(-90.0, 90.0).to_radians();
        let p2 = lat_north_deg.clamp(-90.0, 90.0).to_radians();
        let (p1, p2) = if p1 <= p2 { (p1, p2) } else { (p2, p1) };
        let dlon = dlon_deg.abs().to_radians();
        let (s1, s2) = (p1.sin(), p2.sin());
        // sin φ₂ − sin φ₁ without cancellation.
        let ds = 2.0 * (0.5 * (p1 + p2)).cos() * (0.5 * (p2 - p1)).sin();
        let e2 = self.e2();
        let e = e2.sqrt();
        let term1 = ds * (1.0 + e2 * s1 * s2) / ((1.0 - e2 * s1 * s1) * (1.0 - e2 * s2 * s2));
        let x = ds / (1.0 - e2 * s1 * s2);
        let term2 = if e < SPHERE_ECCENTRICITY {
            x
        } else {
            (e * x).atanh() / e
        };
        let b = self.b();
        0.5 * b * b * dlon * (term1 + term2)
    }
}

impl Default for Ellipsoid {
    /// WGS 84.
    fn default() -> Ellipsoid {
        Ellipsoid::WGS84
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Coord, GeodesicArea, LineString, Polygon};

    /// Geodesic area (Karney, via geo) of the lon/lat rectangle with each side split
    /// into `n` geodesic segments. Geodesics bulge poleward from the parallels, and
    /// the gap shrinks as 1/n², so Richardson extrapolation of n and 2n converges
    /// to the area bounded by the true parallels.
    fn geodesic_rect(lon0: f64, lat0: f64, lon1: f64, lat1: f64, n: usize) -> f64 {
        let mut pts = Vec::with_capacity(4 * n + 1);
        for i in 0..n {
            pts.push(Coord {
                x: lon0 + (lon1 - lon0) * i as f64 / n as f64,
                y: lat0,
            });
        }
        for i in 0..n {
            pts.push(Coord {
                x: lon1,
                y: lat0 + (lat1 - lat0) * i as f64 / n as f64,
            });
        }
        for i in 0..n {
            pts.push(Coord {
                x: lon1 - (lon1 - lon0) * i as f64 / n as f64,
                y: lat1,
            });
        }
        for i in 0..n {
            pts.push(Coord {
                x: lon0,
                y: lat1 - (lat1 - lat0) * i as f64 / n as f64,
            });
        }
        pts.push(Coord { x: lon0, y: lat0 });
        Polygon::new(LineString::new(pts), vec![]).geodesic_area_unsigned()
    }

    fn geodesic_parallel_area(lon0: f64, lat0: f64, lon1: f64, lat1: f64) -> f64 {
        let n = 400;
        let a1 = geodesic_rect(lon0, lat0, lon1, lat1, n);
        let a2 = geodesic_rect(lon0, lat0, lon1, lat1, 2 * n);
        (4.0 * a2 - a1) / 3.0
    }

    #[test]
    fn matches_karney_geodesic_area_on_wgs84() {
        // (lon0, lat0, lon1, lat1): Yitong 1°×1°, an equatorial cell, a polar-ish
        // cell, a southern cell and a 0.1° cell.
        let cases = [
            (125.0, 43.0, 126.0, 44.0),
            (10.0, -0.5, 11.0, 0.5),
            (0.0, 70.0, 2.0, 71.5),
            (-60.0, -40.0, -59.0, -38.0),
            (125.3, 43.3, 125.4, 43.4),
        ];
        for (lon0, lat0, lon1, lat1) in cases {
            let ours = Ellipsoid::WGS84.cell_area(lat0, lat1, lon1 - lon0);
            let karney = geodesic_parallel_area(lon0, lat0, lon1, lat1);
            let rel = (ours - karney).abs() / karney;
            assert!(
                rel < 1e-9,
                "{lon0},{lat0}: ours {ours} karney {karney} rel {rel:e}"
            );
        }
    }

    #[test]
    fn whole_ellipsoid_area() {
        // Surface of WGS 84: 510 065 621.724 km² (Karney 2013, table of constants;
        // 4π R_q² with authalic radius 6 371 007.181 m).
        let total = Ellipsoid::WGS84.cell_area(-90.0, 90.0, 360.0);
        assert!(
            (total - 510_065_621_724_088.5).abs() / total < 1e-12,
            "{total}"
        );
    }

    #[test]
    fn sphere_limit() {
        // Sphere: A = R² Δλ (sin φ₂ − sin φ₁), checkable by hand.
        let r = 6_371_000.0;
        let s = Ellipsoid::sphere(r);
        let want =
            r * r * 1f64.to_radians() * (44f64.to_radians().sin() - 43f64.to_radians().sin());
        let got = s.cell_area(43.0, 44.0, 1.0);
        assert!((got - want).abs() / want < 1e-14, "{got} {want}");
        // A nearly spherical ellipsoid is continuous with the sphere.
        let near = Ellipsoid { a: r, f: 1e-12 }.cell_area(43.0, 44.0, 1.0);
        assert!((near - want).abs() / want < 1e-11);
        // Hemisphere of the unit sphere is 2π.
        let hemi = Ellipsoid::sphere(1.0).cell_area(0.0, 90.0, 360.0);
        assert!((hemi - 2.0 * std::f64::consts::PI).abs() < 1e-14);
    }

    #[test]
    fn small_cells_are_additive_and_order_free() {
        let e = Ellipsoid::CGCS2000;
        // A 10 m-ish cell (1/10 000 °) keeps precision: two halves sum to the whole.
        let whole = e.cell_area(43.3, 43.3001, 0.0001);
        let lower = e.cell_area(43.3, 43.30005, 0.0001);
        let upper = e.cell_area(43.30005, 43.3001, 0.0001);
        assert!((lower + upper - whole).abs() / whole < 1e-13);
        // Roughly 8.1 m × 11.1 m at 43.3° N.
        assert!((whole - 90.0).abs() < 1.0, "{whole}");
        assert_eq!(e.cell_area(44.0, 43.0, -1.0), e.cell_area(43.0, 44.0, 1.0));
        assert_eq!(e.cell_area(43.0, 43.0, 1.0), 0.0);
        assert!(e.cell_area(f64::NAN, 43.0, 1.0).is_nan());
    }

    #[test]
    fn named_ellipsoids() {
        assert_eq!(Ellipsoid::from_proj_name("WGS84"), Some(Ellipsoid::WGS84));
        assert_eq!(
            Ellipsoid::from_proj_name("GRS80"),
            Some(Ellipsoid::CGCS2000)
        );
        assert!(Ellipsoid::from_proj_name("nonsense").is_none());
        assert!((Ellipsoid::WGS84.b() - 6_356_752.314_245).abs() < 1e-6);
        assert!(!Ellipsoid::WGS84.approx_eq(&Ellipsoid::CGCS2000));
    }
}
