//! The JPEG 2000 reader against GDAL: `testdata/jp2/*.jp2` were written by GDAL's
//! OpenJPEG driver from the `*.tif` beside them (see `testdata/jp2/make.py`), and
//! must decode to exactly the same samples, whole and window by window.

use std::path::{Path, PathBuf};

use reclaim::raster::{BandBuffer, GeoTiff, Jp2Raster, Raster, RasterError, SampleType, Window};

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../testdata/jp2")
        .join(name)
}

fn reference(name: &str, band: usize) -> BandBuffer {
    GeoTiff::open(&data(name)).unwrap().read_band(band).unwrap()
}

fn win(col_off: usize, row_off: usize, width: usize, height: usize) -> Window {
    Window {
        col_off,
        row_off,
        width,
        height,
    }
}

/// The samples of `b` inside `w` (a window of the `width`-wide raster `b` covers).
fn crop(b: &BandBuffer, width: usize, w: Window) -> BandBuffer {
    let idx = |r: usize, c: usize| (w.row_off + r) * width + w.col_off + c;
    let pick = |n: usize| (0..w.height).flat_map(move |r| (0..w.width).map(move |c| (r, c, n)));
    match b {
        BandBuffer::U8(v) => BandBuffer::U8(pick(0).map(|(r, c, _)| v[idx(r, c)]).collect()),
        BandBuffer::U16(v) => BandBuffer::U16(pick(0).map(|(r, c, _)| v[idx(r, c)]).collect()),
        BandBuffer::I16(v) => BandBuffer::I16(pick(0).map(|(r, c, _)| v[idx(r, c)]).collect()),
        other => panic!("unexpected {other:?}"),
    }
}

#[test]
fn fifteen_bit_lossless_is_bit_identical_whole_and_windowed() {
    let mut r = Raster::open(&data("u15.jp2")).unwrap();
    assert!(r.is_jp2());
    let i = r.info().clone();
    assert_eq!((i.width, i.height, i.bands), (300, 200, 1));
    assert_eq!(i.sample_type, SampleType::U16);
    assert_eq!((i.block_width, i.block_height), (128, 128));
    assert_eq!((r.blocks_across(), r.blocks_down()), (3, 2));
    assert_eq!(r.block_window(2, 1), win(256, 128, 44, 72));
    let want = reference("u15.tif", 1);
    assert_eq!(r.read_band(1).unwrap(), want);
    // Windows crossing tile edges (128, 256 across; 128 down), and edge tiles.
    let mut c = r.try_clone().unwrap();
    for w in [
        win(100, 100, 60, 50),
        win(0, 0, 300, 1),
        win(250, 120, 50, 80),
        win(127, 127, 2, 2),
        win(299, 199, 1, 1),
    ] {
        assert_eq!(c.read_window(1, w).unwrap(), crop(&want, 300, w), "{w:?}");
    }
    for (col, row) in [(0, 0), (2, 0), (1, 1), (2, 1)] {
        let w = r.block_window(col, row);
        assert_eq!(r.read_block(1, col, row).unwrap(), crop(&want, 300, w));
    }
    let mut out = BandBuffer::U16(Vec::new());
    r.read_window_into(1, win(10, 190, 280, 10), &mut out)
        .unwrap();
    assert_eq!(out, crop(&want, 300, win(10, 190, 280, 10)));
    assert!(!r.has_mask());
    assert!(!r
        .read_mask_window_into(win(0, 0, 1, 1), &mut Vec::new())
        .unwrap());
}

#[test]
fn geojp2_gives_the_grid_and_epsg() {
    let r = Raster::open(&data("u15.jp2")).unwrap();
    let i = r.info();
    assert!(i.georeferenced);
    assert_eq!(i.epsg, Some(32632));
    assert_eq!(
        i.transform.to_gdal(),
        [600000.0, 10.0, 0.0, 5000040.0, 0.0, -10.0]
    );
    let t = GeoTiff::open(&data("u15.tif")).unwrap();
    assert_eq!(r.grid(), t.grid());
    // Default GDAL output (GMLJP2 and GeoJP2 boxes) has the GeoJP2 georef too.
    let r = Raster::open(&data("u16.jp2")).unwrap();
    assert_eq!(r.info().epsg, Some(32633));
    assert_eq!(r.grid(), GeoTiff::open(&data("u16.tif")).unwrap().grid());
    // Boxes after the codestream box are found too.
    let r = Raster::open(&data("u16_features.jp2")).unwrap();
    assert_eq!(r.info().epsg, Some(32633));
    assert_eq!((r.blocks_across(), r.blocks_down()), (3, 3));
    assert_eq!(r.grid(), GeoTiff::open(&data("u16.tif")).unwrap().grid());
}

#[test]
fn gmljp2_alone_gives_the_same_grid() {
    // u16.jp2 has both boxes; hide its GeoJP2 UUID box (retyped to `free`) so that
    // the GMLJP2 RectifiedGrid (cell-centre origin) is what georeferences it.
    let mut bytes = std::fs::read(data("u16.jp2")).unwrap();
    let geojp2 = [0xB1, 0x4B, 0xF8, 0xBD, 0x08, 0x3D, 0x4B, 0x43];
    let at = bytes.windows(8).position(|w| w == geojp2).unwrap();
    assert_eq!(&bytes[at - 4..at], b"uuid");
    bytes[at - 4..at].copy_from_slice(b"free");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("gml_only.jp2");
    std::fs::write(&path, bytes).unwrap();
    let mut r = Raster::open(&path).unwrap();
    assert!(r.info().georeferenced);
    assert_eq!(r.info().epsg, Some(32633));
    assert_eq!(r.grid(), GeoTiff::open(&data("u16.tif")).unwrap().grid());
    assert_eq!(r.read_band(1).unwrap(), reference("u16.tif", 1));
}

#[test]
fn sixteen_bit_eight_bit_rgb_and_signed_are_bit_identical() {
    for (jp2, tif, ty) in [
        ("u16.jp2", "u16.tif", SampleType::U16),
        ("u16_tlm.j2k", "u16.tif", SampleType::U16),
        ("u16_features.jp2", "u16.tif", SampleType::U16),
        ("u8.jp2", "u8.tif", SampleType::U8),
        ("i16.jp2", "i16.tif", SampleType::I16),
    ] {
        let mut r = Raster::open(&data(jp2)).unwrap();
        assert!(r.is_jp2(), "{jp2}");
        assert_eq!(r.info().sample_type, ty, "{jp2}");
        let bands = r.info().bands;
        assert_eq!(bands, GeoTiff::open(&data(tif)).unwrap().info().bands);
        for b in 1..=bands {
            let want = reference(tif, b);
            assert_eq!(r.read_band(b).unwrap(), want, "{jp2} band {b}");
            let w = win(30, 20, 35, 25);
            let width = r.info().width;
            assert_eq!(r.read_window(b, w).unwrap(), crop(&want, width, w));
        }
    }
}

#[test]
fn a_raw_codestream_has_no_georef() {
    let r = Raster::open(&data("u16_tlm.j2k")).unwrap();
    assert!(!r.info().georeferenced);
    assert_eq!(r.info().epsg, None);
    assert_eq!(r.info().compression, "JPEG2000");
}

#[test]
fn requests_outside_the_raster_are_errors() {
    let mut r = Jp2Raster::open(&data("u16.jp2")).unwrap();
    assert!(matches!(
        r.read_band(2),
        Err(RasterError::BandOutOfRange { .. })
    ));
    assert!(matches!(
        r.read_window(1, win(140, 0, 20, 1)),
        Err(RasterError::WindowOutOfRange { .. })
    ));
    assert!(matches!(
        r.read_block(1, 3, 0),
        Err(RasterError::BlockOutOfRange { .. })
    ));
}

/// Opens and reads all of `bytes` as a JP2 file: Ok or an error, never a panic.
fn open_and_read(dir: &Path, bytes: &[u8]) -> Result<BandBuffer, RasterError> {
    let path = dir.join("cut.jp2");
    std::fs::write(&path, bytes).unwrap();
    let mut r = Jp2Raster::open(&path)?;
    let err = r.read_band(1);
    if let Err(e) = &err {
        assert!(e.to_string().contains("cut.jp2"), "{e}");
    }
    err
}

#[test]
fn truncated_files_are_errors_at_every_length() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read(data("u16.jp2")).unwrap();
    let mut lengths: Vec<usize> = (0..200).collect();
    lengths.extend((200..full.len()).step_by(97));
    for len in lengths {
        let res = open_and_read(dir.path(), &full[..len]);
        assert!(res.is_err(), "a file cut at {len} of {} read", full.len());
    }
}

#[test]
fn corrupted_tile_data_is_an_error_or_other_samples_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read(data("u16.jp2")).unwrap();
    let want = reference("u16.tif", 1);
    // The codestream's first tile-part (SOT) marker.
    let sot = full.windows(2).position(|w| w == [0xFF, 0x90]).unwrap();
    let mut errors = 0;
    for at in (sot..full.len()).step_by(131) {
        let mut bad = full.clone();
        bad[at] ^= 0xA5;
        bad[at.saturating_add(1).min(full.len() - 1)] ^= 0x3C;
        match open_and_read(dir.path(), &bad) {
            Err(_) => errors += 1,
            Ok(b) => assert_eq!(b.len(), want.len()),
        }
    }
    assert!(errors > 0, "no damaged byte was noticed");
    // A broken SOT marker is a named, tile-less error.
    let mut bad = full.clone();
    bad[sot + 1] = 0x00;
    let e = open_and_read(dir.path(), &bad).unwrap_err();
    assert!(matches!(e, RasterError::Malformed { .. }), "{e:?}");
    assert!(e.to_string().contains("malformed JPEG 2000"), "{e}");
}

#[test]
fn ppm_headers_are_refused_with_a_hint() {
    // The raw codestream with a (dummy) PPM segment inserted before the first tile.
    let dir = tempfile::tempdir().unwrap();
    let full = std::fs::read(data("u16_tlm.j2k")).unwrap();
    let sot = full.windows(2).position(|w| w == [0xFF, 0x90]).unwrap();
    let mut bytes = full[..sot].to_vec();
    bytes.extend_from_slice(&[0xFF, 0x60, 0x00, 0x03, 0x00]);
    bytes.extend_from_slice(&full[sot..]);
    let path = dir.path().join("ppm.j2k");
    std::fs::write(&path, bytes).unwrap();
    let e = Jp2Raster::open(&path).unwrap_err();
    assert!(matches!(e, RasterError::Unsupported { .. }), "{e:?}");
    let s = e.to_string();
    assert!(
        s.contains("PPM") && s.contains("gdal_translate -of GTiff"),
        "{s}"
    );
    if !cfg!(feature = "gdal") {
        assert!(matches!(
            Raster::open(&path),
            Err(RasterError::Unsupported { .. })
        ));
    }
}

#[test]
fn tiles_larger_than_the_block_limit_are_refused() {
    let limits = reclaim::raster::Limits {
        max_block_bytes: 1000,
        ..Default::default()
    };
    let mut r = Jp2Raster::open_with_limits(&data("u16.jp2"), limits).unwrap();
    assert!(matches!(
        r.read_window(1, win(0, 0, 1, 1)),
        Err(RasterError::LimitExceeded { .. })
    ));
}

#[test]
fn shared_tiles_kept_in_part_read_the_same_samples_on_many_threads() {
    use reclaim::raster::jp2::SharedTiles;
    use std::sync::Arc;
    let want = reference("u15.tif", 1);
    let base = Raster::open(&data("u15.jp2")).unwrap();
    // The windows a sweep would ask for: crossing tile edges, nested, repeated.
    let wanted = vec![
        win(100, 100, 60, 50),
        win(110, 110, 10, 10),
        win(250, 120, 50, 80),
        win(0, 0, 300, 1),
        win(127, 127, 2, 2),
    ];
    // A budget of about three 128² u16 tiles: parts are evicted and decoded again.
    let shared = Arc::new(SharedTiles::new(3 * 128 * 128 * 2));
    let threads: Vec<_> = (0..4)
        .map(|t| {
            let mut r = base.try_clone().unwrap();
            r.share_tiles(&shared);
            r.keep_only(Arc::new(wanted.clone()));
            let (wanted, want) = (wanted.clone(), want.clone());
            std::thread::spawn(move || {
                for k in 0..20 {
                    let w = wanted[(k + t) % wanted.len()];
                    assert_eq!(r.read_window(1, w).unwrap(), crop(&want, 300, w), "{w:?}");
                }
                // Outside the wanted windows: still right (the tile is decoded whole).
                let w = win(0, 150, 300, 50);
                assert_eq!(r.read_window(1, w).unwrap(), crop(&want, 300, w));
            })
        })
        .collect();
    for t in threads {
        t.join().unwrap();
    }
    assert!(shared.bytes() <= 3 * 128 * 128 * 2 + 128 * 128 * 2);
}
