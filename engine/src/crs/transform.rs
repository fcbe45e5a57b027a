//! [`Transformer`]: reprojection of points and multipolygons between two CRSs.
//!
//! Coordinates are always in GIS order (x = easting or longitude, y = northing or
//! latitude) and geographic coordinates are in degrees; proj4rs wants radians, so
//! the transformer converts on the way in and out. When both CRSs are the same
//! ([`Crs::same_as`]) the transformer is an identity and touches nothing.
//!
//! A `Transformer` holds two prepared `proj4rs::Proj` values; it is `Send + Sync`
//! (checked at compile time below) and can be shared by rayon workers.

use super::definition::Crs;
use super::error::CrsError;
use geo::{Coord, MapCoords, MultiPolygon};
use proj4rs::transform::{transform, Transform, TransformClosure};
use proj4rs::Proj;

/// Reprojects coordinates from one CRS to another.
#[derive(Debug, Clone)]
pub struct Transformer {
    from: Crs,
    to: Crs,
    /// `None` when the two CRSs are the same.
    pipeline: Option<Pipeline>,
}

/// The prepared source and target projections.
#[derive(Debug, Clone)]
struct Pipeline {
    src: Proj,
    dst: Proj,
}

// The audit shares transformers between rayon threads.
const _: fn() = || {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Transformer>();
};

/// One point handed to proj4rs.
struct OnePoint {
    x: f64,
    y: f64,
}

impl Transform for OnePoint {
    fn transform_coordinates<F: TransformClosure>(
        &mut self,
        f: &mut F,
    ) -> proj4rs::errors::Result<()> {
        let (x, y, _) = f(self.x, self.y, 0.0)?;
        self.x = x;
        self.y = y;
        Ok(())
    }
}

impl Transformer {
    /// A transformer from `from` to `to`.
    ///
    /// # Errors
    /// [`CrsError::InvalidProj4`] when proj4rs cannot prepare either definition.
    pub fn new(from: &Crs, to: &Crs) -> Result<Transformer, CrsError> {
        let pipeline = if from.same_as(to) {
            None
        } else {
            let prepare = |c: &Crs| {
                Proj::from_proj_string(&c.proj4).map_err(|e| CrsError::InvalidProj4 {
                    proj4: c.proj4.clone(),
                    detail: e.to_string(),
                })
            };
            Some(Pipeline {
                src: prepare(from)?,
                dst: prepare(to)?,
            })
        };
        Ok(Transformer {
            from: from.clone(),
            to: to.clone(),
            pipeline,
        })
    }

    /// True when the source and target CRS are the same (coordinates pass unchanged).
    pub fn is_identity(&self) -> bool {
        self.pipeline.is_none()
    }

    /// The source CRS.
    pub fn source(&self) -> &Crs {
        &self.from
    }

    /// The target CRS.
    pub fn target(&self) -> &Crs {
        &self.to
    }

    /// Reprojects one point (degrees for geographic CRSs, x = longitude).
    ///
    /// # Errors
    /// [`CrsError::Projection`] with the input point when it lies outside the
    /// projection's domain or is not finite.
    ///
    /// ```
    /// use reclaim::crs::{Crs, Transformer};
    /// let t = Transformer::new(&Crs::from_epsg(4326).unwrap(), &Crs::from_epsg(32651).unwrap()).unwrap();
    /// let (e, n) = t.transform_point(125.3, 43.3).unwrap();
    /// assert!((e - 686_557.625_728).abs() < 1e-6 && (n - 4_796_698.890_948).abs() < 1e-6);
    /// ```
    pub fn transform_point(&self, x: f64, y: f64) -> Result<(f64, f64), CrsError> {
        let Some(p) = &self.pipeline else {
            return Ok((x, y));
        };
        let fail = |detail: String| CrsError::Projection {
            from: self.from.label(),
            to: self.to.label(),
            x,
            y,
            detail,
        };
        if !x.is_finite() || !y.is_finite() {
            return Err(fail("the coordinate is not a finite number".into()));
        }
        let mut pt = if self.from.geographic {
            OnePoint {
                x: x.to_radians(),
                y: y.to_radians(),
            }
        } else {
            OnePoint { x, y }
        };
        transform(&p.src, &p.dst, &mut pt).map_err(|e| fail(e.to_string()))?;
        let out = if self.to.geographic {
            (pt.x.to_degrees(), pt.y.to_degrees())
        } else {
            (pt.x, pt.y)
        };
        if out.0.is_finite() && out.1.is_finite() {
            Ok(out)
        } else {
            Err(fail(
                "the result is not finite (outside the projection's domain)".into(),
            ))
        }
    }

    /// Reprojects points in place; on error the slice is partly transformed.
    ///
    /// # Errors
    /// The [`CrsError::Projection`] of the first point that fails.
    pub fn transform_coords(&self, pts: &mut [(f64, f64)]) -> Result<(), CrsError> {
        if self.is_identity() {
            return Ok(());
        }
        for p in pts.iter_mut() {
            *p = self.transform_point(p.0, p.1)?;
        }
        Ok(())
    }

    /// Reprojects a multipolygon (every ring, every vertex).
    ///
    /// Edges stay straight lines between reprojected vertices; for footprints of a
    /// few kilometres the curvature this ignores is below a millimetre.
    ///
    /// # Errors
    /// The [`CrsError::Projection`] of the first vertex that fails.
    pub fn transform_multipolygon(
        &self,
        mp: &MultiPolygon<f64>,
    ) -> Result<MultiPolygon<f64>, CrsError> {
        if self.is_identity() {
            return Ok(mp.clone());
        }
        mp.try_map_coords(|c: Coord<f64>| {
            self.transform_point(c.x, c.y).map(|(x, y)| Coord { x, y })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Area};

    fn tr(from: u32, to: u32) -> Transformer {
        Transformer::new(&Crs::from_epsg(from).unwrap(), &Crs::from_epsg(to).unwrap()).unwrap()
    }

    fn close(got: (f64, f64), want: (f64, f64), tol: f64) {
        assert!(
            (got.0 - want.0).abs() <= tol && (got.1 - want.1).abs() <= tol,
            "got {got:?} want {want:?}"
        );
    }

    // Reference values below were computed with PROJ 9.5.1 through pyproj 3.7.2:
    //   Transformer.from_crs(FROM, TO, always_xy=True).transform(x, y)
    // (python3 -m venv /tmp/crsvenv && /tmp/crsvenv/bin/pip install pyproj).

    #[test]
    fn wgs84_to_utm_51n_matches_proj() {
        close(
            tr(4326, 32651).transform_point(125.3, 43.3).unwrap(),
            (686_557.625_728, 4_796_698.890_948),
            1e-6,
        );
        close(
            tr(4326, 32751).transform_point(125.3, -43.3).unwrap(),
            (686_557.625_728, 5_203_301.109_052),
            1e-6,
        );
    }

    #[test]
    fn cgcs2000_gauss_kruger_matches_proj() {
        // CM 126E without zone prefix, and zone 42 with the prefix 42 in front of 500 km.
        close(
            tr(4490, 4551).transform_point(125.3, 43.3).unwrap(),
            (443_199.715_266, 4_796_286.548_476),
            1e-6,
        );
        close(
            tr(4490, 4530).transform_point(125.3, 43.3).unwrap(),
            (42_443_199.715_266, 4_796_286.548_476),
            1e-6,
        );
        close(
            tr(4490, 4547).transform_point(114.5, 30.6).unwrap(),
            (547_950.584_512, 3_386_734.414_510),
            1e-6,
        );
        close(
            tr(4490, 4513).transform_point(75.5, 40.0).unwrap(),
            (25_542_697.023_837, 4_429_648.783_819),
            1e-6,
        );
        close(
            tr(4490, 4554).transform_point(135.2, 48.0).unwrap(),
            (514_925.067_585, 5_318_446.953_701),
            1e-6,
        );
        // Projected to projected through geographic: UTM 51N → GK CM 126E.
        close(
            tr(32651, 4551)
                .transform_point(686_557.625_728, 4_796_698.890_948)
                .unwrap(),
            (443_199.715_266, 4_796_286.548_476),
            1e-5,
        );
    }

    #[test]
    fn hand_checkable_gauss_kruger() {
        // On the central meridian x is exactly the false easting; on the equator y is 0.
        close(
            tr(4490, 4551).transform_point(126.0, 0.0).unwrap(),
            (500_000.0, 0.0),
            1e-6,
        );
        // At the equator on the central meridian of zone 42: x = 42 500 000.
        close(
            tr(4490, 4530).transform_point(126.0, 0.0).unwrap(),
            (42_500_000.0, 0.0),
            1e-6,
        );
        // Along the central meridian (k = 1) y is the meridian arc: from the equator to
        // 1° N on GRS80 it is 110 574.388 554 m, the geodesic length by an independent
        // method (Karney's algorithm: pyproj Geod(ellps="GRS80").inv(126, 0, 126, 1)).
        let (_, y) = tr(4490, 4551).transform_point(126.0, 1.0).unwrap();
        assert!((y - 110_574.388_554).abs() < 1e-5, "{y}");
    }

    #[test]
    fn web_mercator_matches_proj_and_formula() {
        let t = tr(4326, 3857);
        let (x, y) = t.transform_point(125.3, 43.3).unwrap();
        close((x, y), (13_948_332.196_397, 5_357_746.958_178), 1e-6);
        // Spherical formula: x = Rλ, y = R ln tan(π/4 + φ/2).
        let r = 6_378_137.0_f64;
        assert!((x - r * 125.3f64.to_radians()).abs() < 1e-6);
        let y_formula = r
            * (std::f64::consts::FRAC_PI_4 + 43.3f64.to_radians() / 2.0)
                .tan()
                .ln();
        assert!((y - y_formula).abs() < 1e-6);
    }

    #[test]
    fn round_trips() {
        for (a, b, x, y) in [
            (4326, 32651, 125.3, 43.3),
            (4490, 4551, 125.9, 43.6),
            (4490, 4530, 124.7, 44.1),
            (4326, 3857, -75.5, 40.0),
        ] {
            let fwd = tr(a, b).transform_point(x, y).unwrap();
            let back = tr(b, a).transform_point(fwd.0, fwd.1).unwrap();
            close(back, (x, y), 1e-9);
        }
    }

    #[test]
    fn identity_and_errors() {
        let same = tr(32651, 32651);
        assert!(same.is_identity());
        assert_eq!(same.transform_point(1.5, 2.5).unwrap(), (1.5, 2.5));
        let p4 = Crs::from_proj4("+proj=utm +zone=51 +datum=WGS84").unwrap();
        assert!(Transformer::new(&Crs::from_epsg(32651).unwrap(), &p4)
            .unwrap()
            .is_identity());
        assert!(!tr(4326, 4490).is_identity());

        let t = tr(4326, 32651);
        let e = t.transform_point(f64::NAN, 43.0).unwrap_err();
        match &e {
            CrsError::Projection { from, to, y, .. } => {
                assert_eq!(
                    (from.as_str(), to.as_str(), *y),
                    ("EPSG:4326", "EPSG:32651", 43.0)
                );
            }
            other => panic!("{other:?}"),
        }
        assert!(e.to_string().contains("ogr2ogr -t_srs EPSG:32651"));
        // Latitude beyond the pole.
        assert!(t.transform_point(125.0, 95.0).is_err());
    }

    #[test]
    fn coords_and_multipolygons() {
        let t = tr(4326, 32651);
        let mut pts = [(125.3, 43.3), (125.3, 43.3)];
        t.transform_coords(&mut pts).unwrap();
        close(pts[1], (686_557.625_728, 4_796_698.890_948), 1e-6);
        let mut bad = [(125.3, 43.3), (f64::INFINITY, 0.0)];
        assert!(t.transform_coords(&mut bad).is_err());

        // A 0.01° square at Yitong: its UTM area is close to the ellipsoidal cell area
        // (UTM scale k ≈ 0.9996·(1 + (Δλ cos φ)²/2) ≈ 1.000026 at 2.3° from the meridian).
        let sq: MultiPolygon<f64> = polygon![
            (x: 125.30, y: 43.30), (x: 125.31, y: 43.30), (x: 125.31, y: 43.31), (x: 125.30, y: 43.31)
        ]
        .into();
        let utm = t.transform_multipolygon(&sq).unwrap();
        let cell = super::super::Ellipsoid::WGS84.cell_area(43.30, 43.31, 0.01);
        let ratio = utm.unsigned_area() / cell;
        assert!((ratio - 1.000_052).abs() < 1e-4, "{ratio}");
        assert_eq!(tr(4326, 4326).transform_multipolygon(&sq).unwrap(), sq);
    }
}
