//! Lattice helpers: snapping to the 10 m cell-corner lattice, bounding rectangles,
//! rectilinear yards of an exact area, and a shape's area under a union of licence
//! rectangles (inclusion–exclusion).

use crate::geom::{Pt, Rect, Shape};
use crate::grid::CELL;

pub(super) fn snap(v: f64) -> f64 {
    (v / CELL).round() * CELL
}

pub(super) fn snap_down(v: f64) -> f64 {
    (v / CELL).floor() * CELL
}

pub(super) fn snap_up(v: f64) -> f64 {
    (v / CELL).ceil() * CELL
}

/// A rectilinear yard of exactly `area` m² (a multiple of 50) with its south-west
/// corner at `sw`, `w` cells wide: whole rows of cells, a partial top row, and a
/// chamfered corner (−50 m²) when the area is an odd multiple of 50.
pub fn yard(sw: Pt, w: i64, area: f64) -> Option<Vec<Pt>> {
    let units = (area / 50.0).round() as i64;
    if (units as f64 * 50.0 - area).abs() > 1e-6 || units <= 0 || w < 2 {
        return None;
    }
    let m = (units + 1) / 2; // cells, rounding up
    let chamfer = units % 2 == 1;
    let (q, rem) = (m / w, m % w);
    if q < 1 {
        return None;
    }
    let p = |i: i64, j: i64| (sw.0 + CELL * i as f64, sw.1 + CELL * j as f64);
    let mut ring = if chamfer {
        vec![p(1, 0)]
    } else {
        vec![p(0, 0)]
    };
    ring.push(p(w, 0));
    ring.push(p(w, q));
    if rem > 0 {
        ring.push(p(rem, q));
        ring.push(p(rem, q + 1));
        ring.push(p(0, q + 1));
    } else {
        ring.push(p(0, q));
    }
    if chamfer {
        ring.push(p(0, 1));
    }
    Some(ring)
}

pub(super) fn rect_of(shapes: &[&Shape]) -> Rect {
    let mut r = shapes[0].bbox();
    for s in &shapes[1..] {
        let b = s.bbox();
        r = Rect {
            x0: r.x0.min(b.x0),
            y0: r.y0.min(b.y0),
            x1: r.x1.max(b.x1),
            y1: r.y1.max(b.y1),
        };
    }
    r
}

pub(super) fn lattice_rect(r: Rect) -> Rect {
    Rect {
        x0: snap_down(r.x0),
        y0: snap_down(r.y0),
        x1: snap_up(r.x1),
        y1: snap_up(r.y1),
    }
}

/// Area of `shape ∩ window ∩ (∪ rects)` by inclusion–exclusion over the rectangles
/// that touch the shape (at most a handful).
pub fn area_in_union(shape: &Shape, window: Option<&Rect>, rects: &[Rect]) -> f64 {
    let bbox = shape.bbox();
    let near: Vec<Rect> = rects
        .iter()
        .filter_map(|r| r.intersect(&bbox.grow(1.0)).map(|_| *r))
        .filter_map(|r| match window {
            Some(w) => r.intersect(w),
            None => Some(r),
        })
        .collect();
    let k = near.len();
    let mut total = 0.0;
    for mask in 1u32..(1u32 << k) {
        let mut acc: Option<Rect> = None;
        let mut empty = false;
        for (i, r) in near.iter().enumerate() {
            if mask & (1 << i) != 0 {
                acc = match acc {
                    None => Some(*r),
                    Some(a) => match a.intersect(r) {
                        Some(x) => Some(x),
                        None => {
                            empty = true;
                            break;
                        }
                    },
                };
            }
        }
        if empty {
            continue;
        }
        if let Some(r) = acc {
            let sign = if mask.count_ones() % 2 == 1 {
                1.0
            } else {
                -1.0
            };
            total += sign * shape.area_in_rect(&r);
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geom::{ring_area, ring_is_simple};

    #[test]
    fn yards_have_the_exact_area() {
        for area in [15_000.0, 15_050.0, 20_000.0, 84_950.0, 2_050.0] {
            let r = yard((0.0, 0.0), 20, area).unwrap();
            assert!(ring_is_simple(&r), "{area}");
            assert_eq!(ring_area(&r), area, "{area}");
        }
        assert!(yard((0.0, 0.0), 20, 125.0).is_none());
        assert!(yard((0.0, 0.0), 20, 100.0).is_none(), "needs one full row");
    }

    #[test]
    fn inclusion_exclusion_over_overlapping_licences() {
        // 100 × 100 pit; licences x ∈ [−10, 60] and [40, 200] overlap on [40, 60].
        let pit = Shape::single(
            Rect {
                x0: 0.0,
                y0: 0.0,
                x1: 100.0,
                y1: 100.0,
            }
            .ring(),
        );
        let a = Rect {
            x0: -10.0,
            y0: -10.0,
            x1: 60.0,
            y1: 110.0,
        };
        let b = Rect {
            x0: 40.0,
            y0: -10.0,
            x1: 200.0,
            y1: 110.0,
        };
        assert_eq!(area_in_union(&pit, None, &[a, b]), 10_000.0);
        assert_eq!(area_in_union(&pit, None, &[a]), 6_000.0);
        let w = Rect {
            x0: 50.0,
            y0: 0.0,
            x1: 70.0,
            y1: 10.0,
        };
        assert_eq!(area_in_union(&pit, Some(&w), &[a]), 100.0);
    }
}
