//! A tiny RGB canvas: pixels, rectangles, clipped lines, a 5×7 bitmap font for scale
//! labels, whole-row access for fast painting, and PNG encoding (the `png` crate, RGB8).
//!
//! Maps are a few flat colours enlarged by an integer factor, so most rows repeat the
//! row above. The encoder therefore uses the PNG `Up` filter on every row (a repeated
//! row becomes all zeros) and a fast deflate level instead of the adaptive filter and
//! the default level: about 3× less CPU for files about 1.2× larger.

use super::error::ReportError;

/// An sRGB colour.
pub type Rgb = [u8; 3];

/// Largest canvas side in pixels; larger requests are clamped (maps stay small).
pub const MAX_SIDE: usize = 4096;

/// zlib level for map PNGs (see the module docs).
const DEFLATE_LEVEL: u8 = 2;

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

/// An RGB8 image in memory, row-major from the top-left pixel.
#[derive(Debug, Clone, PartialEq)]
pub struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    /// A canvas filled with `background`; sides are clamped to `1..=MAX_SIDE`.
    pub fn new(width: usize, height: usize, background: Rgb) -> Canvas {
        let width = width.clamp(1, MAX_SIDE);
        let height = height.clamp(1, MAX_SIDE);
        // `repeat` copies by doubling (a few memcpy calls), not byte by byte.
        let pixels = background.repeat(width * height);
        Canvas {
            width,
            height,
            pixels,
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

    /// The RGB bytes of row `y` (`3 × width` long), `None` below the canvas.
    pub fn row_mut(&mut self, y: usize) -> Option<&mut [u8]> {
        let stride = self.width * 3;
        let start = y.checked_mul(stride)?;
        self.pixels.get_mut(start..start.checked_add(stride)?)
    }

    /// Copies row `src` over row `dst`; nothing happens if either is below the canvas.
    pub fn copy_row(&mut self, src: usize, dst: usize) {
        if src >= self.height || dst >= self.height || src == dst {
            return;
        }
        let stride = self.width * 3;
        self.pixels
            .copy_within(src * stride..(src + 1) * stride, dst * stride);
    }

    /// Byte offset of pixel (x, y), `None` outside the canvas.
    fn offset(&self, x: i64, y: i64) -> Option<usize> {
        let x = usize::try_from(x).ok().filter(|&x| x < self.width)?;
        let y = usize::try_from(y).ok().filter(|&y| y < self.height)?;
        Some((y * self.width + x) * 3)
    }

    /// The colour of pixel (x, y), `None` outside.
    pub fn get(&self, x: i64, y: i64) -> Option<Rgb> {
        let o = self.offset(x, y)?;
        match self.pixels.get(o..o + 3) {
            Some(&[r, g, b]) => Some([r, g, b]),
            _ => None,
        }
    }

    /// Sets pixel (x, y); pixels outside the canvas are ignored.
    pub fn set(&mut self, x: i64, y: i64, c: Rgb) {
        if let Some(o) = self.offset(x, y) {
            if let Some(px) = self.pixels.get_mut(o..o + 3) {
                px.copy_from_slice(&c);
            }
        }
    }

    /// Fills the rectangle of `w × h` pixels at (x, y), clipped to the canvas.
    pub fn fill_rect(&mut self, x: i64, y: i64, w: i64, h: i64, c: Rgb) {
        let x0 = x.max(0);
        let y0 = y.max(0);
        let x1 = (x + w).min(self.width as i64);
        let y1 = (y + h).min(self.height as i64);
        for yy in y0..y1 {
            for xx in x0..x1 {
                self.set(xx, yy, c);
            }
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
    /// `width` pixels wide (1 or more; a 2-pixel line adds the pixel above/left). The segment is clipped to the canvas first, so
    /// far-away or non-finite coordinates cost nothing.
    pub fn line(&mut self, a: (f64, f64), b: (f64, f64), width: u32, c: Rgb) {
        let Some((a, b)) = self.clip(a, b) else {
            return;
        };
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
                    self.set(x0 + ox, y0 + oy, c);
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
        if ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
            return None;
        }
        let (xmin, ymin) = (-1.0, -1.0);
        let (xmax, ymax) = (self.width as f64 + 1.0, self.height as f64 + 1.0);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let (mut t0, mut t1) = (0.0f64, 1.0f64);
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
        (t0 <= t1).then_some((
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

    /// The image as PNG bytes (RGB, 8 bits); `name` labels errors.
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
            enc.set_color(png::ColorType::Rgb);
            enc.set_depth(png::BitDepth::Eight);
            // See the module docs: `Up` zeroes repeated rows, level 2 is the cheapest
            // zlib level with dynamic Huffman codes (level 1 files are ~1.7× larger).
            enc.set_filter(png::Filter::Up);
            enc.set_deflate_compression(png::DeflateCompression::Level(DEFLATE_LEVEL));
            let mut writer = enc.write_header().map_err(err)?;
            writer.write_image_data(&self.pixels).map_err(err)?;
            writer.finish().map_err(err)?;
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: Rgb = [255, 255, 255];
    const K: Rgb = [0, 0, 0];

    fn count(c: &Canvas, col: Rgb) -> usize {
        (0..c.height() as i64)
            .flat_map(|y| (0..c.width() as i64).map(move |x| (x, y)))
            .filter(|&(x, y)| c.get(x, y) == Some(col))
            .count()
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
        c.line((f64::NAN, 0.0), (1.0, 1.0), 1, K);
        c.line((10.0, 10.0), (20.0, 30.0), 1, K);
        assert_eq!(count(&c, K), 4);
    }

    #[test]
    fn rect_is_clipped_and_get_outside_is_none() {
        let mut c = Canvas::new(3, 2, W);
        c.fill_rect(-5, -5, 7, 6, K); // covers x 0..2, y 0..1
        assert_eq!(count(&c, K), 2);
        assert_eq!(c.get(3, 0), None);
        assert_eq!(c.get(-1, 0), None);
    }

    #[test]
    fn glyph_one_has_ten_pixels() {
        let mut c = Canvas::new(6, 8, W);
        c.text(0, 0, 1, "1", K);
        assert_eq!(count(&c, K), 10);
        assert_eq!(Canvas::text_size("500 m", 2), (58, 14));
    }

    #[test]
    fn rows_are_stride_long_and_copy_whole() {
        let mut c = Canvas::new(3, 2, W);
        assert_eq!(c.row_mut(0).map(|r| r.len()), Some(9));
        assert!(c.row_mut(2).is_none());
        if let Some(r) = c.row_mut(1) {
            r.copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9]);
        }
        assert_eq!(c.get(2, 1), Some([7, 8, 9]));
        c.copy_row(1, 0);
        assert_eq!(c.get(0, 0), Some([1, 2, 3]));
        assert_eq!(c.get(2, 0), Some([7, 8, 9]));
        c.copy_row(0, 5); // below the canvas: ignored
        assert_eq!(count(&c, W), 0);
    }

    #[test]
    fn png_round_trips_every_pixel() {
        // Rows that repeat, rows that differ, and a first row (the `Up` filter's
        // row above is zeros): the decoder must give back exactly what was painted.
        let mut c = Canvas::new(4, 3, W);
        c.set(1, 0, K);
        c.fill_rect(0, 1, 4, 1, [200, 10, 30]);
        c.copy_row(1, 2);
        c.set(3, 2, [1, 2, 3]);
        let bytes = c.encode_png("t").unwrap();
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        assert_eq!(info.color_type, png::ColorType::Rgb);
        assert_eq!(&buf[..info.buffer_size()], c.pixels.as_slice());
        assert_eq!(&buf[3..6], &K);
        assert_eq!(&buf[33..36], &[1, 2, 3]);
    }

    #[test]
    fn png_signature_and_size() {
        let c = Canvas::new(3, 2, [10, 20, 30]);
        let bytes = c.encode_png("t").unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        // IHDR width and height, big-endian, at bytes 16..24.
        assert_eq!(&bytes[16..24], &[0, 0, 0, 3, 0, 0, 0, 2]);
    }
}
