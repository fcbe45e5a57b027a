//! Class maps as PNG: land classes in a fixed palette, piece outlines (legacy in
//! red, responsible in black), on a mine's map its licence boundary (dashed dark
//! blue), and below the map a strip with a scale bar and a north arrow (north is up:
//! class maps are north-up). Lines are clipped to the map, never drawn in the strip.
//!
//! Small maps are enlarged by an integer factor with nearest-neighbour sampling so
//! every map is at least [`MIN_WIDTH`] pixels wide and cells stay crisp squares;
//! very large maps are reduced by nearest-neighbour sampling to [`MAX_WIDTH`].

use super::error::{Inconsistency, ReportError};
use super::png::{Canvas, Rgb};
use crate::results::{ClassMap, LandClass};
use geo::{LineString, MultiPolygon};

/// Restored (vegetated) land: green.
pub const RESTORED: Rgb = [56, 158, 72];
/// Unrestored (bare) land: brown-orange.
pub const UNRESTORED: Rgb = [214, 120, 44];
/// Water: blue.
pub const WATER: Rgb = [52, 120, 212];
/// Unobserved (cloud, shadow, nodata): grey.
pub const UNOBSERVED: Rgb = [160, 160, 160];
/// Outside every footprint: near-white.
pub const OUTSIDE: Rgb = [246, 246, 242];
/// Outline of a historical-legacy piece.
pub const LEGACY_OUTLINE: Rgb = [214, 24, 24];
/// Outline of a piece with a responsible holder.
pub const RESPONSIBLE_OUTLINE: Rgb = [20, 20, 20];
/// Boundary of a mine's licence (采矿许可证), drawn dashed.
pub const LICENCE_BOUNDARY: Rgb = [24, 44, 140];

/// Pixels drawn, then skipped, along a dashed licence boundary.
const DASH_ON: f64 = 9.0;
/// Pixels skipped between the dashes of a licence boundary.
const DASH_OFF: f64 = 5.0;

/// Smallest width in pixels of a per-mine map after enlargement.
pub const MIN_WIDTH: usize = 320;
/// Smallest width in pixels of the county map after enlargement.
pub const COUNTY_MIN_WIDTH: usize = 640;
/// Largest map width in pixels.
pub const MAX_WIDTH: usize = 960;
/// Largest map height in pixels (without the strip below).
pub const MAX_HEIGHT: usize = 1200;
/// Height of the white strip below a map with the scale bar and north arrow.
pub const STRIP_HEIGHT: usize = 30;

/// Metres per degree of latitude (and of longitude at the equator), approximately.
pub(super) const METRES_PER_DEGREE: f64 = 111_320.0;

/// The colour of a class value of a [`ClassMap`].
pub fn class_colour(v: u8) -> Rgb {
    match v {
        x if x == LandClass::Restored as u8 => RESTORED,
        x if x == LandClass::Unrestored as u8 => UNRESTORED,
        x if x == LandClass::Water as u8 => WATER,
        x if x == LandClass::Unobserved as u8 => UNOBSERVED,
        _ => OUTSIDE,
    }
}

/// A piece outline to draw on a map.
#[derive(Debug, Clone, Copy)]
pub struct Outline<'a> {
    /// Geometry in the map's CRS.
    pub geometry: &'a MultiPolygon<f64>,
    /// True for historical legacy (drawn in red, on top).
    pub legacy: bool,
}

/// A rendered map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapImage {
    /// PNG bytes.
    pub png: Vec<u8>,
    /// Width in pixels.
    pub width: usize,
    /// Height in pixels.
    pub height: usize,
    /// Length of the scale bar, e.g. `500 m`; `None` when the extent is unusable.
    pub scale_label: Option<String>,
    /// Whether any of the licence boundary lies on the map.
    pub boundary_shown: bool,
}

/// A painted map, before encoding.
#[derive(Debug)]
pub struct Painted {
    /// The map and the strip below it.
    pub canvas: Canvas,
    /// Length of the scale bar, e.g. `500 m`; `None` when the extent is unusable.
    pub scale_label: Option<String>,
    /// Whether any of the licence boundary lies on the map.
    pub boundary_shown: bool,
}

/// Output pixels per map cell: an integer ≥ 1 to enlarge, a fraction to reduce.
fn scale_factor(w: usize, h: usize, min_width: usize) -> f64 {
    let (wf, hf) = (w as f64, h as f64);
    if w < min_width {
        let k = (min_width as f64 / wf).ceil();
        // Keep tall maps within MAX_HEIGHT (integer factor, at least 1).
        let k_max = (MAX_HEIGHT as f64 / hf).floor().max(1.0);
        k.min(k_max)
    } else {
        (MAX_WIDTH as f64 / wf).min(MAX_HEIGHT as f64 / hf).min(1.0)
    }
}

/// Metres per map unit along x and y; `geographic` maps are in degrees.
pub(super) fn metres_per_unit(geographic: bool, bbox: (f64, f64, f64, f64)) -> f64 {
    if geographic {
        let lat = 0.5 * (bbox.1 + bbox.3);
        METRES_PER_DEGREE * lat.to_radians().cos()
    } else {
        1.0
    }
}

/// The largest 1, 2 or 5 × 10ⁿ not above `x` (x > 0).
fn nice_length(x: f64) -> f64 {
    let p = 10f64.powf(x.log10().floor());
    [5.0, 2.0, 1.0]
        .into_iter()
        .map(|m| m * p)
        .find(|&v| v <= x)
        .unwrap_or(p)
}

/// `500 m`, `2 km`, `1.5 km` …
fn length_label(m: f64) -> String {
    if m >= 1000.0 {
        format!("{} km", m / 1000.0)
    } else {
        format!("{m} m")
    }
}

/// Renders a class map with outlines (and a licence `boundary`, dashed) as PNG, at
/// least `min_width` pixels wide (up to [`MAX_WIDTH`]); `geographic` says the CRS is
/// in degrees. `None` for an empty map.
///
/// # Errors
/// [`ReportError::Inconsistent`] when `cells` is not `width × height` long;
/// [`ReportError::Png`] if encoding fails.
pub fn render_map(
    name: &str,
    map: &ClassMap,
    outlines: &[Outline<'_>],
    boundary: Option<&MultiPolygon<f64>>,
    min_width: usize,
    geographic: bool,
) -> Result<Option<MapImage>, ReportError> {
    let colours: [Rgb; 256] = std::array::from_fn(|v| class_colour(v as u8));
    render_map_coloured(
        name, map, &colours, outlines, boundary, min_width, geographic,
    )
}

/// [`render_map`] with the colour of every cell value given (e.g. a ramp of
/// clear-observation counts).
///
/// # Errors
/// As [`render_map`].
pub fn render_map_coloured(
    name: &str,
    map: &ClassMap,
    colours: &[Rgb; 256],
    outlines: &[Outline<'_>],
    boundary: Option<&MultiPolygon<f64>>,
    min_width: usize,
    geographic: bool,
) -> Result<Option<MapImage>, ReportError> {
    let Some(p) = paint_map_coloured(map, colours, outlines, boundary, min_width, geographic)?
    else {
        return Ok(None);
    };
    Ok(Some(MapImage {
        png: p.canvas.encode_png(name)?,
        width: p.canvas.width(),
        height: p.canvas.height(),
        scale_label: p.scale_label,
        boundary_shown: p.boundary_shown,
    }))
}

/// [`render_map`] with the outlines drawn as a caller hands them over:
/// `outlines(legacy, draw)` calls `draw` on every outline of that kind (the
/// responsible ones are drawn first, the legacy ones on top), so they need not
/// all be in memory at once.
///
/// # Errors
/// As [`render_map`].
pub fn render_map_streamed(
    name: &str,
    map: &ClassMap,
    outlines: &OutlineSource<'_>,
    boundary: Option<&MultiPolygon<f64>>,
    min_width: usize,
    geographic: bool,
) -> Result<Option<MapImage>, ReportError> {
    let colours: [Rgb; 256] = std::array::from_fn(|v| class_colour(v as u8));
    let Some(p) = paint_map_with(map, &colours, outlines, boundary, min_width, geographic)? else {
        return Ok(None);
    };
    Ok(Some(MapImage {
        png: p.canvas.encode_png(name)?,
        width: p.canvas.width(),
        height: p.canvas.height(),
        scale_label: p.scale_label,
        boundary_shown: p.boundary_shown,
    }))
}

/// Hands every outline of one kind (`legacy` or not) to a drawing callback.
pub type OutlineSource<'a> = dyn Fn(bool, &mut dyn FnMut(&MultiPolygon<f64>)) + 'a;

/// Paints a class map with outlines, the licence `boundary` (dashed, on top), scale
/// bar and north arrow, at least `min_width` pixels wide. `None` for an empty map.
///
/// # Errors
/// [`ReportError::Inconsistent`] when `cells` is not `width × height` long.
pub fn paint_map(
    map: &ClassMap,
    outlines: &[Outline<'_>],
    boundary: Option<&MultiPolygon<f64>>,
    min_width: usize,
    geographic: bool,
) -> Result<Option<Painted>, ReportError> {
    let colours: [Rgb; 256] = std::array::from_fn(|v| class_colour(v as u8));
    paint_map_coloured(map, &colours, outlines, boundary, min_width, geographic)
}

/// [`paint_map`] with the colour of every cell value given.
///
/// # Errors
/// As [`paint_map`].
pub fn paint_map_coloured(
    map: &ClassMap,
    colours: &[Rgb; 256],
    outlines: &[Outline<'_>],
    boundary: Option<&MultiPolygon<f64>>,
    min_width: usize,
    geographic: bool,
) -> Result<Option<Painted>, ReportError> {
    let source = |legacy: bool, draw: &mut dyn FnMut(&MultiPolygon<f64>)| {
        for o in outlines.iter().filter(|o| o.legacy == legacy) {
            draw(o.geometry);
        }
    };
    paint_map_with(map, colours, &source, boundary, min_width, geographic)
}

/// [`paint_map_coloured`] with the outlines from a callback ([`OutlineSource`]).
fn paint_map_with(
    map: &ClassMap,
    colours: &[Rgb; 256],
    outlines: &OutlineSource<'_>,
    boundary: Option<&MultiPolygon<f64>>,
    min_width: usize,
    geographic: bool,
) -> Result<Option<Painted>, ReportError> {
    let expected = map.width.saturating_mul(map.height);
    if map.cells.len() != expected {
        return Err(ReportError::Inconsistent {
            what: Inconsistency::MapCells,
            expected,
            found: map.cells.len(),
        });
    }
    if expected == 0 {
        return Ok(None);
    }
    let min_width = min_width.min(MAX_WIDTH);
    let s = scale_factor(map.width, map.height, min_width);
    let out_w = ((map.width as f64 * s).round() as usize).clamp(1, MAX_WIDTH);
    let out_h = ((map.height as f64 * s).round() as usize).clamp(1, MAX_HEIGHT);
    // The strip below the map holds the scale bar and north arrow, so they hide no land.
    let mut canvas = Canvas::new(out_w, out_h + STRIP_HEIGHT, [255, 255, 255]);
    let out_w = canvas.width();
    let out_h = canvas.height().saturating_sub(STRIP_HEIGHT).max(1);
    paint_cells(&mut canvas, map, colours, s, out_w, out_h);

    let (xmin, ymin, xmax, ymax) = map.bbox;
    let (bw, bh) = (xmax - xmin, ymax - ymin);
    let usable = bw.is_finite() && bh.is_finite() && bw > 0.0 && bh > 0.0;
    let mut boundary_shown = false;
    if usable {
        let frame = Frame {
            xmin,
            ymax,
            sx: out_w as f64 / bw,
            sy: out_h as f64 / bh,
            w: out_w as f64,
            h: out_h as f64,
        };
        let width = if s >= 3.0 { 2 } else { 1 };
        // Responsible first, legacy on top: the red outlines are the point of the map.
        for legacy in [false, true] {
            let colour = if legacy {
                LEGACY_OUTLINE
            } else {
                RESPONSIBLE_OUTLINE
            };
            outlines(legacy, &mut |g| {
                for ring in rings(g) {
                    frame.ring(&mut canvas, ring, width, colour, None);
                }
            });
        }
        // The licence last, dashed: where it runs along a piece's edge both show.
        for ring in boundary.into_iter().flat_map(rings) {
            boundary_shown |= frame.ring(
                &mut canvas,
                ring,
                width,
                LICENCE_BOUNDARY,
                Some((DASH_ON, DASH_OFF)),
            );
        }
    }
    let strip_top = out_h as i64;
    canvas.fill_rect(0, strip_top, out_w as i64, 1, [200, 200, 200]);
    let scale_label = if usable {
        draw_scale_bar(
            &mut canvas,
            strip_top,
            bw * metres_per_unit(geographic, map.bbox),
        )
    } else {
        None
    };
    draw_north_arrow(&mut canvas, strip_top);
    Ok(Some(Painted {
        canvas,
        scale_label,
        boundary_shown,
    }))
}

/// Exterior and hole rings of every polygon of `g`.
fn rings(g: &MultiPolygon<f64>) -> impl Iterator<Item = &LineString<f64>> {
    g.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
}

/// The map area of a canvas (`w × h` pixels from the top left) and the transform
/// from map coordinates to it.
struct Frame {
    xmin: f64,
    ymax: f64,
    /// Pixels per map unit along x.
    sx: f64,
    /// Pixels per map unit along y (rows grow southwards).
    sy: f64,
    w: f64,
    h: f64,
}

impl Frame {
    /// Pixel position of map point (x, y).
    fn px(&self, x: f64, y: f64) -> (f64, f64) {
        ((x - self.xmin) * self.sx, (self.ymax - y) * self.sy)
    }

    /// Draws `ring` clipped to the map area: solid, or with `dash` = (on, off) pixels,
    /// the pattern running on along the ring from its first point. True when any of
    /// it lies on the map.
    fn ring(
        &self,
        c: &mut Canvas,
        ring: &LineString<f64>,
        width: u32,
        colour: Rgb,
        dash: Option<(f64, f64)>,
    ) -> bool {
        // Distance along the ring from its start, modulo the dash period.
        let mut phase = 0.0;
        let mut shown = false;
        for seg in ring.0.windows(2) {
            let [a, b] = seg else { continue };
            let (a, b) = (self.px(a.x, a.y), self.px(b.x, b.y));
            let len = (b.0 - a.0).hypot(b.1 - a.1);
            if !len.is_finite() {
                continue;
            }
            let at = |t: f64| (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            if let Some((t0, t1)) = clip_to(a, b, self.w, self.h) {
                shown = true;
                match dash {
                    None => c.line(at(t0), at(t1), width, colour),
                    Some((on, off)) if len > 0.0 => {
                        // Dashes in pixels from the visible start `t0`: the pattern
                        // is at `start` there, so dash j begins at j·period − start.
                        let period = on + off;
                        let start = (phase + t0 * len) % period;
                        let visible = (t1 - t0) * len;
                        let mut d = -start;
                        while d < visible {
                            let (u0, u1) = (d.max(0.0), (d + on).min(visible));
                            if u1 > u0 {
                                c.line(at(t0 + u0 / len), at(t0 + u1 / len), width, colour);
                            }
                            d += period;
                        }
                    }
                    Some(_) => {}
                }
            }
            if let Some((on, off)) = dash {
                phase = (phase + len) % (on + off);
            }
        }
        shown
    }
}

/// Liang–Barsky: the part of segment a→b inside `[0, w] × [0, h]`, as parameters
/// `0 ≤ t0 ≤ t1 ≤ 1` along it; `None` when it lies outside or is not finite.
fn clip_to(a: (f64, f64), b: (f64, f64), w: f64, h: f64) -> Option<(f64, f64)> {
    super::png::clip_params(a, b, (0.0, 0.0, w, h))
}

/// Paints the cells of `map` into the top `out_w × out_h` pixels of `canvas` by
/// nearest-neighbour sampling at `s` output pixels per cell (pixel centres sampled).
///
/// The sampling is planned once per map (the source column of every output column,
/// the source row of every output row), so the pixel loop is table look-ups and byte
/// stores (one palette index per pixel); an output row sampling the same map row as the
/// row above is one copy.
fn paint_cells(
    canvas: &mut Canvas,
    map: &ClassMap,
    colours: &[Rgb; 256],
    s: f64,
    out_w: usize,
    out_h: usize,
) {
    let last_col = map.width.saturating_sub(1);
    let last_row = map.height.saturating_sub(1);
    let cols: Vec<usize> = (0..out_w)
        .map(|ox| (((ox as f64 + 0.5) / s).floor() as usize).min(last_col))
        .collect();
    let mut painter = canvas.row_painter(colours);
    let mut painted: Option<(usize, usize)> = None; // (output row, map row)
    for oy in 0..out_h {
        let cy = (((oy as f64 + 0.5) / s).floor() as usize).min(last_row);
        if let Some((prev_oy, prev_cy)) = painted {
            if prev_cy == cy {
                painter.copy_row(prev_oy, oy);
                continue;
            }
        }
        let start = cy * map.width;
        let Some(src) = map.cells.get(start..start + map.width) else {
            continue;
        };
        painter.paint_row(
            oy,
            cols.iter()
                .map(|&cx| src.get(cx).copied().unwrap_or(ClassMap::OUTSIDE)),
        );
        painted = Some((oy, cy));
    }
}

/// Draws a scale bar about a quarter of the map wide in the strip starting at row
/// `top`, its label to the right; returns the label.
fn draw_scale_bar(c: &mut Canvas, top: i64, map_width_m: f64) -> Option<String> {
    let w = c.width() as f64;
    let per_px = map_width_m / w;
    if !(per_px.is_finite() && per_px > 0.0) {
        return None;
    }
    let length = nice_length(per_px * w * 0.25);
    let bar = (length / per_px).round() as i64;
    if bar < 4 {
        return None;
    }
    let label = length_label(length);
    let (x, y) = (10, top + 11);
    // Two-tone bar: a black frame, the right half white.
    c.fill_rect(x, y, bar, 8, [0, 0, 0]);
    c.fill_rect(x + bar / 2, y + 1, bar - bar / 2 - 1, 6, [255, 255, 255]);
    c.text(x + bar + 8, top + 8, 2, &label, [0, 0, 0]);
    Some(label)
}

/// Draws a north arrow (a triangle and an `N`) at the right of the strip at row `top`.
fn draw_north_arrow(c: &mut Canvas, top: i64) {
    let x = c.width() as i64 - 34;
    if x < 0 {
        return;
    }
    for row in 0..14i64 {
        c.fill_rect(x + 6 - row / 2, top + 8 + row, row + 1, 1, [0, 0, 0]);
    }
    c.text(x + 16, top + 8, 2, "N", [0, 0, 0]);
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn nice_lengths() {
        assert_eq!(nice_length(730.0), 500.0);
        assert_eq!(nice_length(2500.0), 2000.0);
        assert_eq!(nice_length(10.0), 10.0);
        assert_eq!(nice_length(0.3), 0.2);
        assert_eq!(length_label(2000.0), "2 km");
        assert_eq!(length_label(500.0), "500 m");
        assert_eq!(length_label(1500.0), "1.5 km");
    }

    #[test]
    fn small_maps_are_enlarged_by_an_integer_factor() {
        assert_eq!(scale_factor(10, 10, MIN_WIDTH), 32.0);
        assert_eq!(scale_factor(100, 50, MIN_WIDTH), 4.0);
        assert_eq!(scale_factor(100, 50, COUNTY_MIN_WIDTH), 7.0);
        assert_eq!(scale_factor(10, 1000, MIN_WIDTH), 1.0);
        assert_eq!(scale_factor(500, 100, MIN_WIDTH), 1.0);
        assert_eq!(scale_factor(1920, 100, MIN_WIDTH), 0.5);
    }

    #[test]
    fn degrees_are_metres_at_the_latitude() {
        let m = metres_per_unit(true, (125.0, 60.0, 126.0, 60.0));
        assert!((m - 55_660.0).abs() < 1.0, "{m}");
        assert_eq!(metres_per_unit(false, (0.0, 0.0, 1.0, 1.0)), 1.0);
    }

    #[test]
    fn enlarged_pixels_take_the_class_of_their_cell() {
        // 10×2 cells → factor 32 → 320×64 pixels; pixel (x, y) lies in cell
        // (x / 32, y / 32). Row 1 differs from row 0, so both rows are painted.
        let map = ClassMap {
            width: 10,
            height: 2,
            bbox: (0.0, 0.0, 100.0, 20.0),
            cells: vec![
                0, 1, 2, 3, 255, 0, 0, 1, 1, 2, //
                1, 0, 3, 2, 0, 255, 1, 1, 0, 0,
            ],
        };
        let Painted { canvas: c, .. } = paint_map(&map, &[], None, MIN_WIDTH, false)
            .unwrap()
            .unwrap();
        assert_eq!((c.width(), c.height()), (320, 64 + STRIP_HEIGHT));
        for y in 0..64i64 {
            for x in 0..320i64 {
                let cell = map.cells[(y / 32 * 10 + x / 32) as usize];
                assert_eq!(c.get(x, y), Some(class_colour(cell)), "pixel ({x}, {y})");
            }
        }
    }

    #[test]
    fn reduced_maps_sample_pixel_centres() {
        // 1920×1 cells → factor 0.5 → 960 pixels; the centre of pixel x is at cell
        // 2x + 1, so odd cells (unrestored) show and even cells (restored) never do.
        let map = ClassMap {
            width: 1920,
            height: 1,
            bbox: (0.0, 0.0, 19_200.0, 10.0),
            cells: (0..1920).map(|i| (i % 2) as u8).collect(),
        };
        let Painted { canvas: c, .. } = paint_map(&map, &[], None, MIN_WIDTH, false)
            .unwrap()
            .unwrap();
        assert_eq!(c.width(), 960);
        assert_eq!(c.height(), 1 + STRIP_HEIGHT);
        assert!((0..960).all(|x| c.get(x, 0) == Some(UNRESTORED)));
    }

    #[test]
    fn cells_keep_their_colour_and_outline_is_red() {
        // 2×1 map, 10 m cells: left restored, right unrestored; a legacy outline
        // around the right cell. Factor 160 → 320×160 pixels.
        let map = ClassMap {
            width: 2,
            height: 1,
            bbox: (0.0, 0.0, 20.0, 10.0),
            cells: vec![0, 1],
        };
        let g = MultiPolygon(vec![polygon![
            (x: 10.0, y: 0.0), (x: 20.0, y: 0.0), (x: 20.0, y: 10.0), (x: 10.0, y: 10.0)
        ]]);
        let Painted {
            canvas: c,
            scale_label: label,
            ..
        } = paint_map(
            &map,
            &[Outline {
                geometry: &g,
                legacy: true,
            }],
            None,
            MIN_WIDTH,
            false,
        )
        .unwrap()
        .unwrap();
        assert_eq!((c.width(), c.height()), (320, 160 + STRIP_HEIGHT));
        assert_eq!(label.as_deref(), Some("5 m"));
        assert_eq!(c.get(100, 60), Some(RESTORED));
        assert_eq!(c.get(240, 80), Some(UNRESTORED));
        // Left edge x = 10 m → pixel 160; top edge → row 0; bottom edge → row 159.
        assert_eq!(c.get(160, 80), Some(LEGACY_OUTLINE));
        assert_eq!(c.get(240, 0), Some(LEGACY_OUTLINE));
        assert_eq!(c.get(240, 159), Some(LEGACY_OUTLINE));
        assert_eq!(c.get(120, 80), Some(RESTORED));
        let img = render_map("t", &map, &[], None, MIN_WIDTH, false)
            .unwrap()
            .unwrap();
        assert_eq!((img.width, img.height), (320, 160 + STRIP_HEIGHT));
        // The scale bar (5 m = 80 px) starts at x = 10 in the strip, black frame.
        assert_eq!(c.get(10, 160 + 11), Some([0, 0, 0]));
        assert_eq!(c.get(89, 160 + 11), Some([0, 0, 0]));
        assert_eq!(c.get(60, 160 + 14), Some([255, 255, 255]));
        assert_eq!(&img.png[..4], b"\x89PNG");
        let bad = ClassMap {
            cells: vec![0],
            ..map
        };
        assert!(matches!(
            render_map("t", &bad, &[], None, MIN_WIDTH, false),
            Err(ReportError::Inconsistent {
                expected: 2,
                found: 1,
                ..
            })
        ));
    }

    /// A 10×10 map of 10 m cells (100 m square), all restored: factor 32, 320×320 px.
    fn square_map() -> ClassMap {
        ClassMap {
            width: 10,
            height: 10,
            bbox: (0.0, 0.0, 100.0, 100.0),
            cells: vec![0; 100],
        }
    }

    fn square(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
        MultiPolygon(vec![polygon![
            (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1)
        ]])
    }

    /// Pixels of `colour` in the top `h` rows.
    fn pixels_of(c: &Canvas, h: i64, colour: Rgb) -> Vec<(i64, i64)> {
        (0..h)
            .flat_map(|y| (0..c.width() as i64).map(move |x| (x, y)))
            .filter(|&(x, y)| c.get(x, y) == Some(colour))
            .collect()
    }

    #[test]
    fn licence_boundary_is_dashed_on_the_square_edge() {
        // Licence 20..80 m → pixels 64..256 (32 px per 10 m); lines are 2 px wide
        // (pixels p − 1 and p), so every boundary pixel is within 1 px of an edge.
        let map = square_map();
        let lic = square(20.0, 20.0, 80.0, 80.0);
        let Painted {
            canvas: c,
            boundary_shown,
            ..
        } = paint_map(&map, &[], Some(&lic), MIN_WIDTH, false)
            .unwrap()
            .unwrap();
        assert!(boundary_shown);
        let px = pixels_of(&c, 320, LICENCE_BOUNDARY);
        assert!(!px.is_empty());
        let near = |v: i64, e: i64| (v - e).abs() <= 1;
        let within = |v: i64| (63..=256).contains(&v);
        for &(x, y) in &px {
            let on_edge = (within(x) && (near(y, 64) || near(y, 256)))
                || (within(y) && (near(x, 64) || near(x, 256)));
            assert!(on_edge, "boundary pixel ({x}, {y}) off the square's edge");
        }
        // Inside and outside the square: the class colours only.
        assert_eq!(c.get(160, 160), Some(RESTORED));
        assert_eq!(c.get(30, 30), Some(RESTORED));
        // Each side 192 px long, dashes 9 on / 5 off: roughly 9/14 of it is inked;
        // 2 px wide, so a side has about 2 · 192 · 9/14 ≈ 247 pixels, and gaps.
        let top: Vec<i64> = px
            .iter()
            .filter(|&&(_, y)| y == 64)
            .map(|&(x, _)| x)
            .collect();
        assert!(
            (100..=160).contains(&top.len()),
            "{} pixels on row 64",
            top.len()
        );
        assert!((66..254).any(|x| c.get(x, 64) == Some(RESTORED)), "no gap");
        // Bottom-left corner (20, 20) m → pixel (64, 256): the ring starts there, so
        // its first dash is drawn.
        assert_eq!(c.get(64, 256), Some(LICENCE_BOUNDARY));
    }

    #[test]
    fn licence_boundary_beyond_the_map_is_clipped() {
        // Licence −50..50 m: only its right edge (x = 50 m → column 160, rows 160..320)
        // and top edge (y = 50 m → row 160, columns 0..160) are on the map; nothing
        // may reach the strip below it or wrap around.
        let map = square_map();
        let lic = square(-50.0, -50.0, 50.0, 50.0);
        let piece = square(10.0, 10.0, 30.0, 30.0);
        let Painted { canvas: c, .. } = paint_map(
            &map,
            &[Outline {
                geometry: &piece,
                legacy: false,
            }],
            Some(&lic),
            MIN_WIDTH,
            false,
        )
        .unwrap()
        .unwrap();
        let px = pixels_of(&c, 320, LICENCE_BOUNDARY);
        assert!(px.len() > 100, "{} pixels", px.len());
        for &(x, y) in &px {
            let on_edge =
                (x <= 160 && (159..=160).contains(&y)) || (y >= 159 && (159..=160).contains(&x));
            assert!(on_edge, "boundary pixel ({x}, {y}) off the visible edges");
        }
        let strip = (320..c.height() as i64)
            .flat_map(|y| (0..320).map(move |x| (x, y)))
            .filter(|&(x, y)| c.get(x, y) == Some(LICENCE_BOUNDARY))
            .count();
        assert_eq!(strip, 0);
        // The piece is still outlined in black (left edge x = 10 m → column 32).
        assert_eq!(c.get(32, 250), Some(RESPONSIBLE_OUTLINE));
        // Three colours of lines plus a class: the PNG palette still encodes.
        assert!(c.encode_png("t").is_ok());
        // A licence around the whole map: no boundary on it, and the map says so.
        let around = square(-100.0, -100.0, 200.0, 200.0);
        let img = render_map("t", &map, &[], Some(&around), MIN_WIDTH, false)
            .unwrap()
            .unwrap();
        assert!(!img.boundary_shown);
        let img = render_map("t", &map, &[], Some(&lic), MIN_WIDTH, false)
            .unwrap()
            .unwrap();
        assert!(img.boundary_shown);
    }

    #[test]
    fn clipping_parameters() {
        // Horizontal segment from x = −10 to 30 across a 20-wide canvas: t 0.25..0.75.
        assert_eq!(
            clip_to((-10.0, 5.0), (30.0, 5.0), 20.0, 10.0),
            Some((0.25, 0.75))
        );
        assert_eq!(clip_to((-10.0, 5.0), (-1.0, 5.0), 20.0, 10.0), None);
        assert_eq!(clip_to((0.0, 20.0), (20.0, 20.0), 20.0, 10.0), None);
        assert_eq!(clip_to((f64::NAN, 0.0), (1.0, 1.0), 20.0, 10.0), None);
        assert_eq!(
            clip_to((1.0, 1.0), (2.0, 2.0), 20.0, 10.0),
            Some((0.0, 1.0))
        );
    }
}
