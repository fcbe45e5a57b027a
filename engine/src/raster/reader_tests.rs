//! Tests of [`GeoTiff`] on small files written with the `tiff` crate's encoder
//! (and a few headers built by hand), every expected value computed from the
//! pixel formula the file was written with.

use std::fs::File;
use std::path::{Path, PathBuf};

use tiff::encoder::{colortype, Compression, TiffEncoder};
use tiff::tags::{Predictor, Tag};

use super::*;

/// Pixel value of (col, row) in the single-band test image.
fn value(col: usize, row: usize) -> u16 {
    (row * 100 + col) as u16
}

/// Writes a 7 × 5 u16 image in strips of 2 rows, 30 m cells, EPSG:32651.
fn write_gray(
    dir: &Path,
    extra: impl FnOnce(&mut tiff::encoder::DirectoryEncoder<'_, File, tiff::encoder::TiffKindStandard>),
) -> PathBuf {
    let path = dir.join("gray.tif");
    let data: Vec<u16> = (0..5)
        .flat_map(|r| (0..7).map(move |c| value(c, r)))
        .collect();
    let mut enc = TiffEncoder::new(File::create(&path).unwrap()).unwrap();
    let mut img = enc.new_image::<colortype::Gray16>(7, 5).unwrap();
    img.rows_per_strip(2).unwrap();
    let e = img.encoder();
    e.write_tag(Tag::ModelPixelScaleTag, &[30.0f64, 30.0, 0.0][..])
        .unwrap();
    e.write_tag(
        Tag::ModelTiepointTag,
        &[0.0f64, 0.0, 0.0, 500000.0, 4000000.0, 0.0][..],
    )
    .unwrap();
    // Projected model, PixelIsArea, ProjectedCSType 32651.
    e.write_tag(
        Tag::GeoKeyDirectoryTag,
        &[
            1u16, 1, 0, 3, 1024, 0, 1, 1, 1025, 0, 1, 1, 3072, 0, 1, 32651,
        ][..],
    )
    .unwrap();
    e.write_tag(Tag::GdalNodata, "65535").unwrap();
    extra(e);
    img.write_data(&data).unwrap();
    path
}

fn expected(win: Window) -> BandBuffer {
    let mut v = Vec::new();
    for r in win.row_off..win.row_off + win.height {
        for c in win.col_off..win.col_off + win.width {
            v.push(value(c, r));
        }
    }
    BandBuffer::U16(v)
}

#[test]
fn info_of_a_striped_geotiff() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_gray(dir.path(), |_| {});
    let t = GeoTiff::open(&path).unwrap();
    let i = t.info();
    assert_eq!(
        (i.width, i.height, i.bands, i.sample_type),
        (7, 5, 1, SampleType::U16)
    );
    assert_eq!(
        i.transform.to_affine(),
        [30.0, 0.0, 500000.0, 0.0, -30.0, 4000000.0]
    );
    assert!(i.georeferenced && !i.pixel_is_point);
    assert_eq!(i.epsg, Some(32651));
    assert_eq!(i.nodata, Some(65535.0));
    assert_eq!(i.layout, Layout::Strips { rows_per_strip: 2 });
    assert_eq!((i.block_width, i.block_height), (7, 2));
    assert_eq!(i.compression, "none");
    assert!(!i.big_tiff && !i.big_endian && !i.planar_separate);
    assert_eq!(i.overviews, 0);
    assert_eq!((t.blocks_across(), t.blocks_down()), (1, 3));
    // The last strip holds one row.
    assert_eq!(
        t.block_window(0, 2),
        Window {
            col_off: 0,
            row_off: 4,
            width: 7,
            height: 1
        }
    );
    assert_eq!(
        t.grid().extent(),
        (500000.0, 4000000.0 - 150.0, 500000.0 + 210.0, 4000000.0)
    );
}

#[test]
fn windows_spanning_strips_and_blocks() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_gray(dir.path(), |_| {});
    let mut t = GeoTiff::open(&path).unwrap();
    // Rows 1..4 touch all three strips.
    let win = Window {
        col_off: 2,
        row_off: 1,
        width: 3,
        height: 4,
    };
    let got = t.read_window(1, win).unwrap();
    assert_eq!(got, expected(win));
    assert_eq!(got.get_f64(0), 102.0);
    assert_eq!(got.get_f64(11), 404.0);
    let b = t.read_block(1, 0, 1).unwrap();
    assert_eq!(
        b,
        expected(Window {
            col_off: 0,
            row_off: 2,
            width: 7,
            height: 2
        })
    );
    let all = t.read_band(1).unwrap();
    assert_eq!(all, expected(t.grid().full_window()));
    // A clone reads the same.
    let mut c = t.try_clone().unwrap();
    assert_eq!(c.read_window(1, win).unwrap(), got);
}

#[test]
fn caller_errors_are_typed() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_gray(dir.path(), |_| {});
    let mut t = GeoTiff::open(&path).unwrap();
    assert!(matches!(
        t.read_band(2),
        Err(RasterError::BandOutOfRange {
            band: 2,
            bands: 1,
            ..
        })
    ));
    assert!(matches!(
        t.read_band(0),
        Err(RasterError::BandOutOfRange { band: 0, .. })
    ));
    let outside = Window {
        col_off: 5,
        row_off: 0,
        width: 3,
        height: 1,
    };
    assert!(matches!(
        t.read_window(1, outside),
        Err(RasterError::WindowOutOfRange {
            width: 7,
            height: 5,
            ..
        })
    ));
    let empty = Window {
        col_off: 0,
        row_off: 0,
        width: 0,
        height: 1,
    };
    assert!(matches!(
        t.read_window(1, empty),
        Err(RasterError::WindowOutOfRange { .. })
    ));
    assert!(matches!(
        t.read_block(1, 1, 0),
        Err(RasterError::BlockOutOfRange {
            blocks_across: 1,
            blocks_down: 3,
            ..
        })
    ));
    let e = t.read_band(3).unwrap_err().to_string();
    assert!(
        e.contains("gray.tif: band 3 does not exist; the file has bands 1..=1"),
        "{e}"
    );
}

#[test]
fn window_limit_is_enforced() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_gray(dir.path(), |_| {});
    let limits = Limits {
        max_window_bytes: 20,
        ..Limits::default()
    };
    let mut t = GeoTiff::open_with_limits(&path, limits).unwrap();
    // 10 cells of 2 bytes fit, 11 do not.
    assert!(t
        .read_window(
            1,
            Window {
                col_off: 0,
                row_off: 0,
                width: 5,
                height: 2
            }
        )
        .is_ok());
    assert!(matches!(
        t.read_window(
            1,
            Window {
                col_off: 0,
                row_off: 0,
                width: 4,
                height: 3
            }
        ),
        Err(RasterError::LimitExceeded {
            what: LimitKind::WindowBytes,
            requested: 24,
            limit: 20,
            ..
        })
    ));
    assert!(matches!(
        t.read_band(1),
        Err(RasterError::LimitExceeded {
            what: LimitKind::WindowBytes,
            requested: 70,
            limit: 20,
            ..
        })
    ));
}

#[test]
fn rgb_lzw_predictor_bands_are_samples() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rgb.tif");
    // 5 × 4 pixels, sample s of (c, r) = 1000·s + 10·r + c.
    let data: Vec<u16> = (0..4)
        .flat_map(|r| (0..5).flat_map(move |c| (0..3).map(move |s| 1000 * s + 10 * r + c)))
        .collect();
    let mut enc = TiffEncoder::new(File::create(&path).unwrap())
        .unwrap()
        .with_compression(Compression::Lzw)
        .with_predictor(Predictor::Horizontal);
    let mut img = enc.new_image::<colortype::RGB16>(5, 4).unwrap();
    img.rows_per_strip(3).unwrap();
    img.write_data(&data).unwrap();
    let mut t = GeoTiff::open(&path).unwrap();
    assert_eq!(
        (
            t.info().bands,
            t.info().compression.as_str(),
            t.info().predictor
        ),
        (3, "LZW", 2)
    );
    assert!(!t.info().georeferenced);
    assert_eq!(t.info().transform, GeoTransform::UNIT);
    let win = Window {
        col_off: 1,
        row_off: 2,
        width: 3,
        height: 2,
    };
    assert_eq!(
        t.read_window(2, win).unwrap(),
        BandBuffer::U16(vec![1021, 1022, 1023, 1031, 1032, 1033])
    );
    assert_eq!(t.read_window(3, win).unwrap().get_f64(5), 2033.0);
}

#[test]
fn float_nodata_and_pixel_is_point() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("f.tif");
    let data = [1.5f32, -3.4e38, 2.0, f32::NAN];
    let mut enc = TiffEncoder::new(File::create(&path).unwrap()).unwrap();
    let mut img = enc.new_image::<colortype::Gray32Float>(2, 2).unwrap();
    let e = img.encoder();
    e.write_tag(Tag::ModelPixelScaleTag, &[1.0f64, 1.0, 0.0][..])
        .unwrap();
    e.write_tag(
        Tag::ModelTiepointTag,
        &[0.0f64, 0.0, 0.0, 100.0, 50.0, 0.0][..],
    )
    .unwrap();
    // Geographic model, PixelIsPoint, EPSG:4326.
    e.write_tag(
        Tag::GeoKeyDirectoryTag,
        &[
            1u16, 1, 0, 3, 1024, 0, 1, 2, 1025, 0, 1, 2, 2048, 0, 1, 4326,
        ][..],
    )
    .unwrap();
    e.write_tag(Tag::GdalNodata, "-3.39999999999999996e+38")
        .unwrap();
    img.write_data(&data).unwrap();
    let mut t = GeoTiff::open(&path).unwrap();
    let i = t.info().clone();
    assert!(i.pixel_is_point);
    assert_eq!(i.epsg, Some(4326));
    // Tie at the centre of cell (0, 0): the corner is half a cell up-left.
    assert_eq!(i.transform.to_affine(), [1.0, 0.0, 99.5, 0.0, -1.0, 50.5]);
    assert_eq!(i.nodata, Some(-3.3999999521443642e38));
    let nd = NoData::new(i.nodata.unwrap(), i.sample_type);
    let band = t.read_band(1).unwrap();
    let flags: Vec<bool> = (0..4).map(|k| nd.matches_f64(band.get_f64(k))).collect();
    assert_eq!(flags, [false, true, false, false]);
    assert!(NoData::new(f64::NAN, SampleType::F32).matches_f64(band.get_f64(3)));
}

#[test]
fn gcp_only_file_is_not_georeferenced() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_gray(dir.path(), |e| {
        // A second tiepoint; with the scale removed below the tiepoints are GCPs.
        e.write_tag(
            Tag::ModelTiepointTag,
            &[
                0.0f64, 0.0, 0.0, 1.0, 2.0, 0.0, 6.0, 4.0, 0.0, 7.0, 8.0, 0.0,
            ][..],
        )
        .unwrap();
        e.write_tag(Tag::ModelPixelScaleTag, &[0.0f64, 0.0, 0.0][..])
            .unwrap();
    });
    let t = GeoTiff::open(&path).unwrap();
    let i = t.info();
    assert!(!i.georeferenced);
    assert_eq!(i.gcps, 2);
    assert_eq!(i.transform, GeoTransform::UNIT);
    assert_eq!(i.epsg, None);
}

#[test]
fn overviews_are_counted_masks_are_not() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ovr.tif");
    let mut enc = TiffEncoder::new(File::create(&path).unwrap()).unwrap();
    enc.write_image::<colortype::Gray8>(4, 4, &[7u8; 16])
        .unwrap();
    for subfile in [1u32, 4, 1, 5] {
        let mut img = enc.new_image::<colortype::Gray8>(2, 2).unwrap();
        img.encoder()
            .write_tag(Tag::NewSubfileType, subfile)
            .unwrap();
        img.write_data(&[1u8; 4]).unwrap();
    }
    let mut t = GeoTiff::open(&path).unwrap();
    assert_eq!(t.info().overviews, 2);
    assert_eq!(t.read_band(1).unwrap(), BandBuffer::U8(vec![7; 16]));
}

/// Byte position of the value field of `tag` in a little-endian classic TIFF.
fn entry_value_pos(bytes: &[u8], tag: u16) -> usize {
    let ifd = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let n = u16::from_le_bytes(bytes[ifd..ifd + 2].try_into().unwrap()) as usize;
    (0..n)
        .map(|k| ifd + 2 + 12 * k)
        .find(|&e| u16::from_le_bytes(bytes[e..e + 2].try_into().unwrap()) == tag)
        .map(|e| e + 8)
        .expect("tag present")
}

#[test]
fn jpeg_compression_opens_for_info_and_refuses_reads() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_gray(dir.path(), |_| {});
    let mut bytes = std::fs::read(&path).unwrap();
    let p = entry_value_pos(&bytes, 259);
    bytes[p..p + 2].copy_from_slice(&7u16.to_le_bytes());
    std::fs::write(&path, &bytes).unwrap();
    let mut t = GeoTiff::open(&path).unwrap();
    assert_eq!(t.info().compression, "JPEG");
    let e = t.read_block(1, 0, 2).unwrap_err();
    assert!(matches!(
        &e,
        RasterError::Unsupported {
            feature: UnsupportedFeature::Compression { code: 7 },
            chunk: Some(ChunkRef {
                tiled: false,
                index: 2
            }),
            ..
        }
    ));
    assert!(
        e.to_string()
            .contains("unsupported: JPEG compression in strip 2; convert with `gdal_translate"),
        "{e}"
    );
}

/// A hand-built little-endian header: one u8 strip of `width × height` pixels.
fn huge_header(width: u32, height: u32, tile: Option<u32>) -> Vec<u8> {
    let mut entries: Vec<(u16, u16, u32, u32)> = vec![
        (256, 4, 1, width),
        (257, 4, 1, height),
        (258, 3, 1, 8),
        (262, 3, 1, 1),
    ];
    match tile {
        None => entries.extend([(273, 4, 1, 200), (279, 4, 1, 1)]),
        Some(t) => entries.extend([
            (322, 4, 1, t),
            (323, 4, 1, t),
            (324, 4, 1, 200),
            (325, 4, 1, 1),
        ]),
    }
    entries.sort_by_key(|e| e.0);
    let mut b = b"II*\0".to_vec();
    b.extend_from_slice(&8u32.to_le_bytes());
    b.extend_from_slice(&(entries.len() as u16).to_le_bytes());
    for (t, ty, c, v) in entries {
        b.extend_from_slice(&t.to_le_bytes());
        b.extend_from_slice(&ty.to_le_bytes());
        b.extend_from_slice(&c.to_le_bytes());
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(&0u32.to_le_bytes());
    b.resize(210, 0);
    b
}

#[test]
fn huge_dimensions_are_refused_before_allocating() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.tif");
    // 2^31 × 2^31 pixels in one strip: opens (info is cheap), reads are refused.
    std::fs::write(&path, huge_header(1 << 31, 1 << 31, None)).unwrap();
    let mut t = GeoTiff::open(&path).unwrap();
    assert_eq!((t.info().width, t.info().height), (1 << 31, 1 << 31));
    assert!(
        matches!(t.read_band(1), Err(RasterError::LimitExceeded { what: LimitKind::WindowBytes, requested, .. }) if requested == 1 << 62)
    );
    assert!(matches!(
        t.read_block(1, 0, 0),
        Err(RasterError::LimitExceeded {
            what: LimitKind::BlockBytes,
            ..
        })
    ));
    // The same size in 1 × 1 tiles declares 2^62 chunks: refused at open.
    std::fs::write(&path, huge_header(1 << 31, 1 << 31, Some(1))).unwrap();
    assert!(matches!(
        GeoTiff::open(&path),
        Err(RasterError::LimitExceeded {
            what: LimitKind::Chunks,
            ..
        })
    ));
    // A small image whose offsets count disagrees with its tiles is malformed.
    std::fs::write(&path, huge_header(64, 64, Some(16))).unwrap();
    assert!(matches!(
        GeoTiff::open(&path),
        Err(RasterError::Malformed {
            detail: Malformation::BadTag { tag: 324, .. },
            ..
        })
    ));
}

#[test]
fn damaged_files_never_panic() {
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read(write_gray(dir.path(), |_| {})).unwrap();
    let path = dir.path().join("bad.tif");
    // Every byte set to 0xFF in turn, and every truncation length: Ok or Err, never a panic.
    for i in 0..good.len() {
        let mut b = good.clone();
        b[i] = 0xFF;
        std::fs::write(&path, &b).unwrap();
        if let Ok(mut t) = GeoTiff::open(&path) {
            let _ = t.read_band(1);
        }
    }
    for n in (0..good.len()).step_by(7) {
        std::fs::write(&path, &good[..n]).unwrap();
        if let Ok(mut t) = GeoTiff::open(&path) {
            let _ = t.read_band(1);
        }
    }
    std::fs::write(&path, b"not a tiff at all").unwrap();
    assert!(matches!(
        GeoTiff::open(&path),
        Err(RasterError::Malformed {
            detail: Malformation::NotTiff,
            ..
        })
    ));
    let missing = dir.path().join("missing.tif");
    assert!(matches!(
        GeoTiff::open(&missing),
        Err(RasterError::Io { .. })
    ));
}

#[test]
fn geotiff_can_move_to_another_thread() {
    fn assert_send<T: Send>() {}
    assert_send::<GeoTiff>();
}

/// Byte position of the value field of `tag` in the second directory of a
/// little-endian classic TIFF.
fn second_ifd_value_pos(bytes: &[u8], tag: u16) -> usize {
    let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap()) as usize;
    let u16_at = |i: usize| u16::from_le_bytes(bytes[i..i + 2].try_into().unwrap()) as usize;
    let first = u32_at(4);
    let ifd = u32_at(first + 2 + 12 * u16_at(first));
    (0..u16_at(ifd))
        .map(|k| ifd + 2 + 12 * k)
        .find(|&e| u16_at(e) == usize::from(tag))
        .map(|e| e + 8)
        .expect("tag present")
}

/// A 5 × 3 u8 image of 7s and, after it, an 8-bit transparency mask (NewSubfileType
/// 4, PhotometricInterpretation 4) of `mask_size`: 0 (masked) at cells (1, 1) and
/// (4, 2), 255 elsewhere; strips of 2 rows.
fn with_8bit_mask(dir: &Path, mask_size: (u32, u32)) -> PathBuf {
    let path = dir.join("masked.tif");
    let mut enc = TiffEncoder::new(File::create(&path).unwrap()).unwrap();
    enc.write_image::<colortype::Gray8>(5, 3, &[7u8; 15])
        .unwrap();
    let (w, h) = mask_size;
    let mask: Vec<u8> = (0..h)
        .flat_map(|r| {
            (0..w).map(move |c| {
                if (c, r) == (1, 1) || (c, r) == (4, 2) {
                    0
                } else {
                    255
                }
            })
        })
        .collect();
    let mut img = enc.new_image::<colortype::Gray8>(w, h).unwrap();
    img.rows_per_strip(2).unwrap();
    img.encoder().write_tag(Tag::NewSubfileType, 4u32).unwrap();
    img.write_data(&mask).unwrap();
    drop(enc);
    // The encoder writes MinIsBlack; a GDAL mask says 4 (transparency mask).
    let mut bytes = std::fs::read(&path).unwrap();
    let pos = second_ifd_value_pos(&bytes, 262);
    bytes[pos] = 4;
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn an_8bit_internal_mask_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = with_8bit_mask(dir.path(), (5, 3));
    let mut t = GeoTiff::open(&path).unwrap();
    assert!(t.has_mask());
    assert_eq!(t.info().mask.as_deref(), Some("internal, 8-bit"));
    assert_eq!(t.info().overviews, 0);
    let mut m = Vec::new();
    let win = Window {
        col_off: 1,
        row_off: 1,
        width: 4,
        height: 2,
    };
    assert!(t.read_mask_window_into(win, &mut m).unwrap());
    assert_eq!(m, vec![0, 1, 1, 1, 1, 1, 1, 0]);
    // The band itself is untouched, and a clone reads the mask too.
    assert_eq!(t.read_band(1).unwrap(), BandBuffer::U8(vec![7; 15]));
    let mut c = t.try_clone().unwrap();
    assert!(c.read_mask_window_into(win, &mut m).unwrap());
    assert_eq!(m[7], 0);
    // Outside the raster: an error, not a panic.
    let bad = Window {
        col_off: 4,
        row_off: 0,
        width: 2,
        height: 1,
    };
    assert!(t.read_mask_window_into(bad, &mut m).is_err());
}

#[test]
fn a_mask_of_another_size_is_not_the_image_mask() {
    // As GDAL: only a mask of the image's own size masks it.
    let dir = tempfile::tempdir().unwrap();
    let path = with_8bit_mask(dir.path(), (3, 2));
    let t = GeoTiff::open(&path).unwrap();
    assert!(!t.has_mask());
}

#[test]
fn a_damaged_sidecar_mask_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("plain.tif");
    let mut enc = TiffEncoder::new(File::create(&path).unwrap()).unwrap();
    enc.write_image::<colortype::Gray8>(2, 2, &[1u8; 4])
        .unwrap();
    drop(enc);
    std::fs::write(dir.path().join("plain.tif.msk"), b"not a tiff").unwrap();
    let e = GeoTiff::open(&path).unwrap_err().to_string();
    assert!(e.contains("plain.tif.msk"), "{e}");
}
