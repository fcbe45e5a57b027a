//! From GeoTIFF model tags to a GDAL-equivalent geotransform.
//!
//! Precedence and conventions are GDAL's (GTiff driver, default options):
//! 1. ModelPixelScale (two non-zero scales) + a ModelTiepoint: north-up grid; a
//!    negative y scale is read as north-up too (`dy = -|sy|`), as GDAL does unless
//!    `GTIFF_HONOUR_NEGATIVE_SCALEY` is set.
//! 2. else a 16-value ModelTransformation: the affine terms as written (rotated and
//!    south-up grids allowed).
//! 3. else tiepoints alone are ground control points: not georeferenced, unit transform.
//!
//! With RasterTypeGeoKey = PixelIsPoint the tie refers to the cell centre, so the
//! transform is moved half a cell up-left to keep "corner of cell (0,0)" semantics.

use crate::grid::GeoTransform;

/// The georeferencing of an image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Georef {
    /// Corner-based transform ([`GeoTransform::UNIT`] when not georeferenced).
    pub transform: GeoTransform,
    /// True when the transform comes from the file.
    pub georeferenced: bool,
    /// Number of ground control points (tiepoints without a scale or matrix).
    pub gcps: usize,
    /// The ModelPixelScale (x, y) when a tiepoint comes with it but a scale is zero
    /// or not finite: no usable grid, whatever the transform says.
    pub bad_pixel_scale: Option<(f64, f64)>,
}

/// Builds the transform from the raw tag values (any may be absent).
pub fn georeference(
    pixel_scale: Option<&[f64]>,
    tiepoints: Option<&[f64]>,
    matrix: Option<&[f64]>,
    pixel_is_point: bool,
) -> Georef {
    let tie = tiepoints.and_then(|t| t.get(..6));
    let bad_pixel_scale = match (pixel_scale, tie) {
        (Some(&[sx, sy, ..]), Some(_))
            if !(sx.is_finite() && sy.is_finite() && sx != 0.0 && sy != 0.0) =>
        {
            Some((sx, sy))
        }
        _ => None,
    };
    let transform = match (pixel_scale, tie) {
        (Some(&[sx, sy, ..]), Some(&[i, j, _, x, y, _])) if sx != 0.0 && sy != 0.0 => {
            let dy = -sy.abs();
            Some(GeoTransform {
                x0: x - i * sx,
                dx: sx,
                rx: 0.0,
                y0: y - j * dy,
                ry: 0.0,
                dy,
            })
        }
        _ => match matrix {
            Some(m) if m.len() == 16 => {
                let g = |i: usize| m.get(i).copied().unwrap_or(0.0);
                Some(GeoTransform {
                    x0: g(3),
                    dx: g(0),
                    rx: g(1),
                    y0: g(7),
                    ry: g(4),
                    dy: g(5),
                })
            }
            _ => None,
        },
    };
    match transform {
        Some(mut t) => {
            if pixel_is_point {
                t.x0 -= 0.5 * t.dx + 0.5 * t.rx;
                t.y0 -= 0.5 * t.ry + 0.5 * t.dy;
            }
            Georef {
                transform: t,
                georeferenced: true,
                gcps: 0,
                bad_pixel_scale,
            }
        }
        None => Georef {
            transform: GeoTransform::UNIT,
            georeferenced: false,
            gcps: tiepoints.map_or(0, |t| t.len() / 6),
            bad_pixel_scale,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_and_tiepoint_give_north_up_corner_transform() {
        // Cell (2, 1) sits at (1000, 5000) with 30 m cells: corner of (0, 0) is 60 m west, 30 m north.
        let g = georeference(
            Some(&[30.0, 30.0, 0.0]),
            Some(&[2.0, 1.0, 0.0, 1000.0, 5000.0, 0.0]),
            None,
            false,
        );
        assert!(g.georeferenced);
        assert_eq!(
            g.transform.to_affine(),
            [30.0, 0.0, 940.0, 0.0, -30.0, 5030.0]
        );
    }

    #[test]
    fn pixel_is_point_shifts_half_a_cell() {
        let g = georeference(
            Some(&[1000.0, 1000.0, 0.0]),
            Some(&[0.0, 0.0, 0.0, 4302000.0, 2811000.0, 0.0]),
            None,
            true,
        );
        assert_eq!(
            g.transform.to_affine(),
            [1000.0, 0.0, 4301500.0, 0.0, -1000.0, 2811500.0]
        );
    }

    #[test]
    fn negative_y_scale_is_still_north_up() {
        let g = georeference(
            Some(&[2.0, -2.0, 0.0]),
            Some(&[0.0, 0.0, 0.0, 10.0, 20.0, 0.0]),
            None,
            false,
        );
        assert_eq!(g.transform.dy, -2.0);
    }

    #[test]
    fn rotated_and_south_up_matrices_are_kept() {
        let m = [
            17.0, 5.0, 0.0, 100.0, 10.0, -8.0, 0.0, 200.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ];
        let g = georeference(None, None, Some(&m), false);
        assert_eq!(
            g.transform.to_affine(),
            [17.0, 5.0, 100.0, 10.0, -8.0, 200.0]
        );
        assert!(!g.transform.is_axis_aligned());
        let s = [
            0.5, 0.0, 0.0, -180.0, 0.0, 0.5, 0.0, -90.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0,
        ];
        let g = georeference(None, None, Some(&s), false);
        assert_eq!(g.transform.to_affine(), [0.5, 0.0, -180.0, 0.0, 0.5, -90.0]);
    }

    #[test]
    fn zero_or_nan_pixel_scale_is_flagged() {
        let tie = [0.0, 0.0, 0.0, 10.0, 20.0, 0.0];
        let g = georeference(Some(&[0.0, 10.0, 0.0]), Some(&tie), None, false);
        assert_eq!(g.bad_pixel_scale, Some((0.0, 10.0)));
        let g = georeference(Some(&[f64::NAN, 10.0, 0.0]), Some(&tie), None, false);
        assert!(g.bad_pixel_scale.is_some_and(|s| s.0.is_nan()));
        let g = georeference(Some(&[10.0, 10.0, 0.0]), Some(&tie), None, false);
        assert_eq!(g.bad_pixel_scale, None);
    }

    #[test]
    fn gcps_only_is_not_georeferenced() {
        let t = [0.0; 24];
        let g = georeference(None, Some(&t), None, false);
        assert!(!g.georeferenced);
        assert_eq!(g.gcps, 4);
        assert_eq!(g.transform, GeoTransform::UNIT);
        let g = georeference(None, None, None, true);
        assert_eq!((g.georeferenced, g.gcps), (false, 0));
    }
}
