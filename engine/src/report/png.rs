//! A tiny paletted canvas: pixels, rectangles, clipped lines, a 5×7 bitmap font for
//! scale labels, planned row painting from a colour table, and PNG encoding (the `png`
//! crate).
//!
//! Maps use a handful of flat colours (about ten), so the canvas stores one palette
//! index per pixel and writes an indexed PNG (8-bit, `PLTE` built from the colours
//! painted, in first-use order). A canvas asked for more than [`MAX_COLOURS`] colours
//! switches once to three bytes per pixel and writes RGB8, so the picture is always
//! exact.
//!
//! Maps are flat colours enlarged by an integer factor: runs along a row and rows that
//! repeat the row above. The encoder uses the PNG `Paeth` filter on every row (it
//! predicts from the left and from above, so both kinds of repetition become zeros)
//! and the `fdeflate` fast compressor, which is tuned for filtered data. On the county
//! benchmark (123 maps, 18.6 Mpx) this encodes about 4× faster than RGB8 with `Up` and
//! zlib level 2, in files about 20 % smaller. Measured alternatives on the same
//! indices: `Up` + `fdeflate` is a little faster but its files are as large as the RGB
//! ones; zlib level 2 gives files 13 % smaller than `Paeth` + `fdeflate` for twice the
//! CPU.

use super::error::ReportError;

/// An sRGB colour.
pub type Rgb = [u8; 3];

/// `#rrggbb` of a colour.
pub fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// Largest canvas side in pixels; larger requests are clamped (maps stay small).
pub const MAX_SIDE: usize = 4096;

/// Most colours an indexed canvas holds (an 8-bit PNG palette); one more switches the
/// canvas to RGB.
pub const MAX_COLOURS: usize = 256;

/// Width of a glyph of [`FONT`] in font pixels.
const GLYPH_W: i64 = 5;
/// Height of a glyph of [`FONT`] in font pixels.
const GLYPH_H: i64 = 7;

/// 5×7 glyphs: each row a 5-bit mask, most significant bit on the left.
const FONT: [(char, [u8; 7]); 15] = [
    ('0', [0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E]),
    ('1', [0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E]),
    ('2', [0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F]),
    ('3', [0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E]),
    ('4', [0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02]),
    ('5', [0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E]),
    ('6', [0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E]),
    ('7', [0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08]),
    ('8', [0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E]),
    ('9', [0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C]),
    ('.', [0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x0C]),
    ('k', [0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12]),
    ('m', [0x00, 0x00, 0x1A, 0x15, 0x15, 0x11, 0x11]),
    ('N', [0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x11]),
    (' ', [0x00; 7]),
];

/// The pixels of a canvas, row-major from the top-left pixel.
#[derive(Debug, Clone, PartialEq)]
enum Pixels {
    /// One index into `palette` per pixel; at most [`MAX_COLOURS`] colours.
    Indexed { index: Vec<u8>, palette: Vec<Rgb> },
    /// Three bytes per pixel, once more than [`MAX_COLOURS`] colours were painted.
    Rgb(Vec<u8>),
}

/// A colour resolved for painting: its palette index while the canvas is indexed.
/// The RGB value is kept as well, so an ink stays right after the canvas turns RGB
/// (the switch is one-way).
#[derive(Debug, Clone, Copy)]
struct Ink {
    index: Option<u8>,
    rgb: Rgb,
}

/// An image in memory: a palette of up to [`MAX_COLOURS`] colours and one index per
/// pixel, or RGB8 when more colours were painted.
#[derive(Debug, Clone, PartialEq)]
pub struct Canvas {
    width: usize,
    height: usize,
    pixels: Pixels,
}

impl Canvas {
    /// A canvas filled with `background`; sides are clamped to `1..=MAX_SIDE`.
    pub fn new(width: usize, height: usize, background: Rgb) -> Canvas {
        let width = width.clamp(1, MAX_SIDE);
        let height = height.clamp(1, MAX_SIDE);
        Canvas {
            width,
            height,
            pixels: Pixels::Indexed {
                index: vec![0; width * height],
                palette: vec![background],
            },
        }
    }

    /// Width in pixels.
    pub fn width(&self) -> usize {
        self.width
    }

    /// Height in pixels.
    pub fn height(&self) -> usize {
        self.height
    }

    /// The palette in first-use order (the background first) while the canvas is
    /// indexed; `None` once it has switched to RGB.
    pub fn palette(&self) -> Option<&[Rgb]> {
        match &self.pixels {
            Pixels::Indexed { palette, .. } => Some(palette),
            Pixels::Rgb(_) => None,
        }
    }

    /// Resolves `c` for painting: finds or adds it in the palette, or switches the
    /// canvas to RGB when the palette is full.
    fn ink(&mut self, c: Rgb) -> Ink {
        if let Pixels::Indexed { palette, .. } = &mut self.pixels {
            // The palette never holds more than MAX_COLOURS = 256 entries, so every
            // position fits in a byte.
            if let Some(i) = palette.iter().position(|&p| p == c) {
                return Ink {
                    index: u8::try_from(i).ok(),
                    rgb: c,
                };
            }
            if palette.len() < MAX_COLOURS {
                let index = u8::try_from(palette.len()).ok();
                palette.push(c);
                return Ink { index, rgb: c };
            }
            self.expand_to_rgb();
        }
        Ink {
            index: None,
            rgb: c,
        }
    }

    /// Turns an indexed canvas into RGB, same picture.
    fn expand_to_rgb(&mut self) {
        if let Pixels::Indexed { index, palette } = &self.pixels {
            let lut: [Rgb; 256] =
                std::array::from_fn(|i| palette.get(i).copied().unwrap_or_default());
            let mut rgb = Vec::with_capacity(index.len() * 3);
            for &i in index {
                rgb.extend_from_slice(&lut[usize::from(i)]);
            }
            self.pixels = Pixels::Rgb(rgb);
        }
    }

    /// Bytes per pixel of the storage: 1 while indexed, 3 once RGB.
    fn bytes_per_pixel(&self) -> usize {
        match self.pixels {
            Pixels::Indexed { .. } => 1,
            Pixels::Rgb(_) => 3,
        }
    }

    /// Pixel number of (x, y), `None` outside the canvas.
    fn offset(&self, x: i64, y: i64) -> Option<usize> {
        let x = usize::try_from(x).ok().filter(|&x| x < self.width)?;
        let y = usize::try_from(y).ok().filter(|&y| y < self.height)?;
        Some(y * self.width + x)
    }

    /// Paints `n` pixels from pixel number `p` on (within one row) with `ink`.
    fn put_run(&mut self, p: usize, n: usize, ink: Ink) {
        match &mut self.pixels {
            Pixels::Indexed { index, .. } => {
                if let (Some(px), Some(i)) = (index.get_mut(p..p + n), ink.index) {
                    px.fill(i);
                }
            }
            Pixels::Rgb(rgb) => {
                if let Some(px) = rgb.get_mut(p * 3..(p + n) * 3) {
                    for px in px.chunks_exact_mut(3) {
                        px.copy_from_slice(&ink.rgb);
                    }
                }
            }
        }
    }

    /// Copies row `src` over row `dst`; nothing happens if either is below the canvas.
    pub fn copy_row(&mut self, src: usize, dst: usize) {
        if src >= self.height || dst >= self.height || src == dst {
            return;
        }
        let stride = self.width * self.bytes_per_pixel();
        let bytes = match &mut self.pixels {
            Pixels::Indexed { index, .. } => index,
            Pixels::Rgb(rgb) => rgb,
        };
        bytes.copy_within(src * stride..(src + 1) * stride, dst * stride);
    }

    /// A painter of whole rows from key bytes, key `k` painted `colours[k]`. Every
    /// colour of the table enters the palette, painted or not.
    pub fn row_painter(&mut self, colours: &[Rgb; 256]) -> RowPainter<'_> {
        let mut index = [0u8; 256];
        for (slot, &c) in index.iter_mut().zip(colours) {
            // If the canvas turns RGB here, the painter uses `colours` instead.
            *slot = self.ink(c).index.unwrap_or(0);
        }
        RowPainter {
            canvas: self,
            index,
            colours: *colours,
        }
    }

    /// The colour of pixel (x, y), `None` outside.
    pub fn get(&self, x: i64, y: i64) -> Option<Rgb> {
        let p = self.offset(x, y)?;
        match &self.pixels {
            Pixels::Indexed { index, palette } => palette.get(usize::from(*index.get(p)?)).copied(),
            Pixels::Rgb(rgb) => match rgb.get(p * 3..p * 3 + 3) {
                Some(&[r, g, b]) => Some([r, g, b]),
                _ => None,
            },
        }
    }

    /// Sets pixel (x, y); pixels outside the canvas are ignored.
    pub fn set(&mut self, x: i64, y: i64, c: Rgb) {
        if let Some(p) = self.offset(x, y) {
            let ink = self.ink(c);
            self.put_run(p, 1, ink);
        }
    }

    /// Fills the rectangle of `w × h` pixels at (x, y), clipped to the canvas.
    pub fn fill_rect(&mut self, x: i64, y: i64, w: i64, h: i64, c: Rgb) {
        let x0 = x.max(0);
        let y0 = y.max(0);
        let x1 = x.saturating_add(w).min(self.width as i64);
        let y1 = y.saturating_add(h).min(self.height as i64);
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let ink = self.ink(c);
        // Clipped above: 0 ≤ x0 < x1 ≤ width and 0 ≤ y0 < y1 ≤ height.
        let (x0, x1, y0, y1) = (x0 as usize, x1 as usize, y0 as usize, y1 as usize);
        for yy in y0..y1 {
            self.put_run(yy * self.width + x0, x1 - x0, ink);
        }
    }

    /// Draws the outline of a rectangle, one pixel wide.
    pub fn stroke_rect(&mut self, x: i64, y: i64, w: i64, h: i64, c: Rgb) {
        self.fill_rect(x, y, w, 1, c);
        self.fill_rect(x, y + h - 1, w, 1, c);
        self.fill_rect(x, y, 1, h, c);
        self.fill_rect(x + w - 1, y, 1, h, c);
    }

    /// Draws a line between two points in pixel coordinates (pixel centres at +0.5),
    /// `width` pixels wide (1 or more; a 2-pixel line adds the pixel above/left). The
    /// segment is clipped to the canvas first, so far-away or non-finite coordinates
    /// cost nothing.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64), width: u32, c: Rgb) {
        let Some((a, b)) = self.clip(a, b) else {
            return;
        };
        let ink = self.ink(c);
        let (mut x0, mut y0) = (a.0.floor() as i64, a.1.floor() as i64);
        let (x1, y1) = (b.0.floor() as i64, b.1.floor() as i64);
        let dx = (x1 - x0).abs();
        let dy = -(y1 - y0).abs();
        let sx = if x0 < x1 { 1 } else { -1 };
        let sy = if y0 < y1 { 1 } else { -1 };
        let mut err = dx + dy;
        let lo = -(width.max(1) as i64 / 2);
        let hi = lo + width.max(1) as i64;
        loop {
            for oy in lo..hi {
                for ox in lo..hi {
                    if let Some(p) = self.offset(x0 + ox, y0 + oy) {
                        self.put_run(p, 1, ink);
                    }
                }
            }
            if x0 == x1 && y0 == y1 {
                break;
            }
            let e2 = 2 * err;
            if e2 >= dy {
                err += dy;
                x0 += sx;
            }
            if e2 <= dx {
                err += dx;
                y0 += sy;
            }
        }
    }

    /// Liang–Barsky clipping of a segment to the canvas (with a one-pixel margin).
    fn clip(&self, a: (f64, f64), b: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
        let bounds = (
            -1.0,
            -1.0,
            self.width as f64 + 1.0,
            self.height as f64 + 1.0,
        );
        let (t0, t1) = clip_params(a, b, bounds)?;
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        Some((
            (a.0 + t0 * dx, a.1 + t0 * dy),
            (a.0 + t1 * dx, a.1 + t1 * dy),
        ))
    }

    /// Writes `text` with the 5×7 font, top-left at (x, y), each font pixel `scale`
    /// pixels wide; characters without a glyph are skipped as spaces.
    pub fn text(&mut self, x: i64, y: i64, scale: i64, text: &str, c: Rgb) {
        let mut cx = x;
        for ch in text.chars() {
            if let Some((_, rows)) = FONT.iter().find(|(g, _)| *g == ch) {
                for (ry, bits) in (0i64..).zip(rows) {
                    for rx in 0..GLYPH_W {
                        if bits & (0x10 >> rx) != 0 {
                            self.fill_rect(cx + rx * scale, y + ry * scale, scale, scale, c);
                        }
                    }
                }
            }
            cx += (GLYPH_W + 1) * scale;
        }
    }

    /// Pixel size of `text` written at `scale`: (width, height).
    pub fn text_size(text: &str, scale: i64) -> (i64, i64) {
        let n = text.chars().count() as i64;
        ((n * (GLYPH_W + 1) - 1).max(0) * scale, GLYPH_H * scale)
    }

    /// The image as PNG bytes: 8-bit indexed with the palette, or RGB8 once the canvas
    /// holds more than [`MAX_COLOURS`] colours; `name` labels errors.
    ///
    /// # Errors
    /// [`ReportError::Png`] if the encoder fails.
    pub fn encode_png(&self, name: &str) -> Result<Vec<u8>, ReportError> {
        let err = |source| ReportError::Png {
            map: name.to_owned(),
            source,
        };
        let mut out = Vec::new();
        {
            // Sides are clamped to MAX_SIDE, so they fit in u32.
            let w = u32::try_from(self.width).unwrap_or(1);
            let h = u32::try_from(self.height).unwrap_or(1);
            let mut enc = png::Encoder::new(&mut out, w, h);
            let data = match &self.pixels {
                Pixels::Indexed { index, palette } => {
                    enc.set_color(png::ColorType::Indexed);
                    enc.set_palette(palette.concat());
                    index.as_slice()
                }
                Pixels::Rgb(rgb) => {
                    enc.set_color(png::ColorType::Rgb);
                    rgb.as_slice()
                }
            };
            enc.set_depth(png::BitDepth::Eight);
            // See the module docs: `Paeth` zeroes runs and repeated rows, which
            // `fdeflate` packs cheaply.
            enc.set_filter(png::Filter::Paeth);
            enc.set_deflate_compression(png::DeflateCompression::FdeflateUltraFast);
            let mut writer = enc.write_header().map_err(err)?;
            writer.write_image_data(data).map_err(err)?;
            writer.finish().map_err(err)?;
        }
        Ok(out)
    }
}

/// Paints whole rows of a [`Canvas`] from key bytes through a table of 256 colours;
/// made by [`Canvas::row_painter`].
///
/// The colours are resolved to palette indices once, so painting a row is one table
/// look-up and one byte store per pixel.
#[derive(Debug)]
pub struct RowPainter<'a> {
    canvas: &'a mut Canvas,
    /// Palette index of each key (used while the canvas is indexed).
    index: [u8; 256],
    /// Colour of each key (used once the canvas is RGB).
    colours: [Rgb; 256],
}

impl RowPainter<'_> {
    /// Paints row `y` from the left, pixel by pixel, with the colours of `keys`; a
    /// short `keys` leaves the rest of the row as it was, extra keys are ignored, and
    /// rows below the canvas are ignored.
    pub fn paint_row(&mut self, y: usize, keys: impl IntoIterator<Item = u8>) {
        let w = self.canvas.width;
        let Some(start) = y.checked_mul(w) else {
            return;
        };
        match &mut self.canvas.pixels {
            Pixels::Indexed { index, .. } => {
                if let Some(row) = index.get_mut(start..start.saturating_add(w)) {
                    for (px, k) in row.iter_mut().zip(keys) {
                        *px = self.index[usize::from(k)];
                    }
                }
            }
            Pixels::Rgb(rgb) => {
                if let Some(row) = rgb.get_mut(start * 3..start.saturating_add(w) * 3) {
                    for (px, k) in row.chunks_exact_mut(3).zip(keys) {
                        px.copy_from_slice(&self.colours[usize::from(k)]);
                    }
                }
            }
        }
    }

    /// Copies row `src` over row `dst`, as [`Canvas::copy_row`].
    pub fn copy_row(&mut self, src: usize, dst: usize) {
        self.canvas.copy_row(src, dst);
    }
}

/// Liang–Barsky: the part `t0..=t1` (0 ≤ t0 ≤ t1 ≤ 1) of the segment a → b inside
/// the box `(xmin, ymin, xmax, ymax)`, or `None` when it misses the box or has a
/// non-finite end.
pub(crate) fn clip_params(
    a: (f64, f64),
    b: (f64, f64),
    (xmin, ymin, xmax, ymax): (f64, f64, f64, f64),
) -> Option<(f64, f64)> {
    if ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
        return None;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    // Each edge as p·t ≤ q: left, right, top, bottom.
    for (p, q) in [
        (-dx, a.0 - xmin),
        (dx, xmax - a.0),
        (-dy, a.1 - ymin),
        (dy, ymax - a.1),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let r = q / p;
            if p < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some((t0, t1))
}
#[cfg(test)]
mod tests {
    use super::*;

    const W: Rgb = [255, 255, 255];
    const K: Rgb = [0, 0, 0];
    const R: Rgb = [200, 10, 30];

    fn count(c: &Canvas, col: Rgb) -> usize {
        (0..c.height() as i64)
            .flat_map(|y| (0..c.width() as i64).map(move |x| (x, y)))
            .filter(|&(x, y)| c.get(x, y) == Some(col))
            .count()
    }

    /// Every pixel of `c` as RGB, row by row.
    fn pixels(c: &Canvas) -> Vec<u8> {
        (0..c.height() as i64)
            .flat_map(|y| (0..c.width() as i64).map(move |x| (x, y)))
            .flat_map(|(x, y)| c.get(x, y).unwrap())
            .collect()
    }

    /// Decodes PNG bytes: the colour type in the file, the palette (if any) and the
    /// pixels expanded to RGB by the decoder.
    fn decode(bytes: Vec<u8>) -> (png::ColorType, Option<Vec<u8>>, Vec<u8>) {
        let mut dec = png::Decoder::new(std::io::Cursor::new(bytes));
        dec.set_transformations(png::Transformations::EXPAND);
        let mut reader = dec.read_info().unwrap();
        let stored = reader.info().color_type;
        let palette = reader.info().palette.as_ref().map(|p| p.to_vec());
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        buf.truncate(info.buffer_size());
        (stored, palette, buf)
    }

    #[test]
    fn diagonal_line_sets_one_pixel_per_step() {
        let mut c = Canvas::new(5, 5, W);
        c.line((0.5, 0.5), (4.5, 4.5), 1, K);
        for i in 0..5 {
            assert_eq!(c.get(i, i), Some(K));
        }
        assert_eq!(count(&c, K), 5);
    }

    #[test]
    fn line_far_outside_is_clipped_not_walked() {
        let mut c = Canvas::new(4, 4, W);
        c.line((-1e12, 2.5), (1e12, 2.5), 1, K);
        assert_eq!(count(&c, K), 4);
        assert!((0..4).all(|x| c.get(x, 2) == Some(K)));
        c.line((f64::NAN, 0.0), (1.0, 1.0), 1, R);
        c.line((10.0, 10.0), (20.0, 30.0), 1, R);
        assert_eq!(count(&c, K), 4);
        // Lines that paint nothing add no colour.
        assert_eq!(c.palette(), Some(&[W, K][..]));
    }

    #[test]
    fn rect_is_clipped_and_get_outside_is_none() {
        let mut c = Canvas::new(3, 2, W);
        c.fill_rect(-5, -5, 7, 6, K); // covers x 0..2, y 0..1
        assert_eq!(count(&c, K), 2);
        assert_eq!(c.get(3, 0), None);
        assert_eq!(c.get(-1, 0), None);
        c.fill_rect(3, 0, 5, 5, R); // right of the canvas
        c.set(0, 2, R); // below it
        assert_eq!(c.palette(), Some(&[W, K][..]));
    }

    #[test]
    fn glyph_one_has_ten_pixels() {
        let mut c = Canvas::new(6, 8, W);
        c.text(0, 0, 1, "1", K);
        assert_eq!(count(&c, K), 10);
        assert_eq!(Canvas::text_size("500 m", 2), (58, 14));
    }

    #[test]
    fn palette_keeps_first_use_order_without_repeats() {
        let mut c = Canvas::new(2, 2, W);
        c.set(0, 0, R);
        c.set(1, 0, K);
        c.set(1, 1, R);
        c.fill_rect(0, 1, 1, 1, W);
        assert_eq!(c.palette(), Some(&[W, R, K][..]));
        assert_eq!(pixels(&c), [R, K, W, R].concat());
    }

    #[test]
    fn rows_are_painted_through_the_table_and_copied_whole() {
        // Key 1 → red, every other key → black.
        let table: [Rgb; 256] = std::array::from_fn(|k| if k == 1 { R } else { K });
        let mut c = Canvas::new(3, 3, W);
        {
            let mut p = c.row_painter(&table);
            p.paint_row(1, [1, 0, 1]);
            p.paint_row(0, [1]); // short: x = 1, 2 keep the background
            p.copy_row(1, 2);
            p.paint_row(3, [1, 1, 1]); // below the canvas: ignored
        }
        assert_eq!(pixels(&c), [R, W, W, R, K, R, R, K, R].concat());
        c.copy_row(0, 5); // below the canvas: ignored
        c.copy_row(0, 2);
        assert_eq!(pixels(&c), [R, W, W, R, K, R, R, W, W].concat());
        assert_eq!(c.palette(), Some(&[W, K, R][..]));
    }

    #[test]
    fn more_than_256_colours_switch_to_rgb_and_stay_exact() {
        // 17 × 17 = 289 pixels, each its own colour [10x, 10y, 7]: the background
        // and the first 255 painted colours fill the palette; the next one switches.
        let mut c = Canvas::new(17, 17, W);
        let colour = |x: i64, y: i64| [(10 * x) as u8, (10 * y) as u8, 7];
        let mut n = 0;
        for y in 0..17 {
            for x in 0..17 {
                c.set(x, y, colour(x, y));
                n += 1;
                assert_eq!(c.palette().is_some(), n < 256, "after {n} colours");
            }
        }
        c.fill_rect(0, 16, 2, 1, R);
        for y in 0..17 {
            for x in 0..17 {
                let want = if y == 16 && x < 2 { R } else { colour(x, y) };
                assert_eq!(c.get(x, y), Some(want), "pixel ({x}, {y})");
            }
        }
        // Rows painted through a table after the switch use the table's colours.
        let table: [Rgb; 256] = std::array::from_fn(|k| [k as u8, 1, 2]);
        c.row_painter(&table).paint_row(0, [5, 6]);
        assert_eq!(c.get(1, 0), Some([6, 1, 2]));
        assert_eq!(c.get(2, 0), Some(colour(2, 0)));
        let (stored, palette, rgb) = decode(c.encode_png("t").unwrap());
        assert_eq!((stored, palette), (png::ColorType::Rgb, None));
        assert_eq!(rgb, pixels(&c));
    }

    #[test]
    fn png_is_indexed_and_decodes_to_every_pixel() {
        // Rows that repeat, rows that differ, and a first row (the `Paeth` filter's
        // row above is zeros): the decoder must give back exactly what was painted.
        let mut c = Canvas::new(4, 3, W);
        c.set(1, 0, K);
        c.fill_rect(0, 1, 4, 1, R);
        c.copy_row(1, 2);
        c.set(3, 2, [1, 2, 3]);
        let (stored, palette, rgb) = decode(c.encode_png("t").unwrap());
        assert_eq!(stored, png::ColorType::Indexed);
        assert_eq!(palette, Some([W, K, R, [1, 2, 3]].concat()));
        #[rustfmt::skip]
        let want = [
            W, K, W, W,
            R, R, R, R,
            R, R, R, [1, 2, 3],
        ].concat();
        assert_eq!(rgb, want);
    }

    #[test]
    fn png_signature_and_size() {
        let c = Canvas::new(3, 2, [10, 20, 30]);
        let bytes = c.encode_png("t").unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR width and height, big-endian, at bytes 16..24; then bit depth 8 and
        // colour type 3 (indexed).
        assert_eq!(&bytes[16..26], &[0, 0, 0, 3, 0, 0, 0, 2, 8, 3]);
    }
}
