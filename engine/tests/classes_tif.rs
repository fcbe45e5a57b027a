//! `classes.tif` of a single-raster audit: the class of every cell of the
//! footprints' window, read back with reclaim's own reader, against the classes
//! the scene was painted with and against the areas the audit's sweep measured.
//!
//! Grid: 600 × 320 cells of 10 m, UTM 51N, in strips of 7 rows (blocks that do not
//! line up with the 256 × 256 tiles). Pits are cell-aligned rectangles; their
//! bounding window is 570 × 295 cells: 3 × 2 tiles, the last ones partial.

use reclaim::audit::rasters::{CLASSES_FILE, CLEAR_OBS_FILE};
use reclaim::audit::{self, AuditConfig, AuditOptions};
use reclaim::raster::Raster;
use std::path::Path;
use tiff::encoder::colortype;

mod common;

const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_100.0;
const W: usize = 600;
const H: usize = 320;
/// Pits as (col0, row0, col1, row1), cells, exclusive ends.
const PITS: [(usize, usize, usize, usize); 3] =
    [(20, 5, 30, 15), (100, 50, 160, 90), (500, 280, 590, 300)];

/// The painted class of a cell: 0 restored, 1 unrestored, 2 water, 3 no data.
fn class(col: usize, row: usize) -> u8 {
    let mut x = (row * W + col) as u64;
    x = x
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    x ^= x >> 33;
    match x % 10 {
        0..=4 => 0,
        5..=7 => 1,
        8 => 2,
        _ => 3,
    }
}

fn write_scene(dir: &Path) -> AuditConfig {
    let band = |name: &str, pick: fn((u16, u16)) -> u16| {
        let data: Vec<u16> = (0..H)
            .flat_map(|r| (0..W).map(move |c| (c, r)))
            .map(|(c, r)| {
                pick(match class(c, r) {
                    0 => (500, 3000),
                    1 => (2000, 2500),
                    2 => (800, 400),
                    _ => (0, 0),
                })
            })
            .collect();
        common::write_geotiff::<colortype::Gray16>(
            &dir.join(name),
            (W as u32, H as u32),
            &data,
            (X0, Y0),
            10.0,
            7,
            Some("0"),
        );
    };
    band("red.tif", |v| v.0);
    band("nir.tif", |v| v.1);
    let features: Vec<String> = PITS
        .iter()
        .enumerate()
        .map(|(i, &(c0, r0, c1, r1))| {
            let p = |c: usize, r: usize| format!("[{},{}]", X0 + 10.0 * c as f64, Y0 - 10.0 * r as f64);
            format!(
                r#"{{"type":"Feature","properties":{{"pit_id":"P{i}"}},"geometry":{{"type":"Polygon","coordinates":[[{},{},{},{},{}]]}}}}"#,
                p(c0, r0),
                p(c1, r0),
                p(c1, r1),
                p(c0, r1),
                p(c0, r0)
            )
        })
        .collect();
    std::fs::write(
        dir.join("pits.geojson"),
        format!(
            r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:32651"}}}},"features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("audit.toml"),
        "audit_date = \"2024-12-31\"\n[imagery]\nred_path = \"red.tif\"\nnir_path = \"nir.tif\"\nclassifier = \"ndvi\"\nrestored_min_ndvi = 0.3\nwater_max_ndvi = 0.0\n[pits]\npath = \"pits.geojson\"\nid_field = \"pit_id\"\n",
    )
    .unwrap();
    AuditConfig::load(&dir.join("audit.toml")).unwrap()
}

#[test]
fn classes_tif_holds_the_classes_the_audit_measured() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_scene(dir.path());
    let opts = AuditOptions {
        classes_tif: true,
        scratch_dir: Some(dir.path().to_path_buf()),
        ..AuditOptions::default()
    };
    let report = audit::run(&cfg, &opts).unwrap();
    let out = dir.path().join("out");
    audit::write(&report, &out).unwrap();
    // A single raster has no clear-observation counts.
    assert!(!out.join(CLEAR_OBS_FILE).exists());
    assert!(report.clear_obs_map.is_none());

    let mut r = Raster::open(&out.join(CLASSES_FILE)).unwrap();
    let info = r.info().clone();
    let (c0, r0) = (20, 5);
    let (ww, wh) = (590 - c0, 300 - r0);
    assert_eq!((info.width, info.height, info.bands), (ww, wh, 1));
    assert_eq!(info.nodata, Some(255.0));
    let t = r.grid().transform;
    assert_eq!(
        (t.x0, t.y0, t.dx, t.dy),
        (X0 + 10.0 * c0 as f64, Y0 - 10.0 * r0 as f64, 10.0, -10.0)
    );
    let cells = r.read_window(1, r.grid().full_window()).unwrap();
    let code = |col: usize, row: usize| cells.get_f64((row - r0) * ww + (col - c0)) as u8;
    // Every cell of the window, in and out of the pits.
    for row in r0..r0 + wh {
        for col in c0..c0 + ww {
            assert_eq!(code(col, row), class(col, row), "cell ({row}, {col})");
        }
    }
    // The pit's areas from the raster equal pits.csv (what the sweep measured).
    let csv = reclaim::report::read_pits_csv(&out).unwrap();
    for (i, &(a0, b0, a1, b1)) in PITS.iter().enumerate() {
        let mut ha = [0.0f64; 4];
        for row in b0..b1 {
            for col in a0..a1 {
                ha[usize::from(code(col, row))] += 100.0 / 10_000.0;
            }
        }
        let got = &csv[&format!("P{i}")];
        let want = [
            got.restored_ha,
            got.unrestored_ha,
            got.water_ha,
            got.unobserved_ha,
        ];
        for k in 0..4 {
            assert!(
                (ha[k] - want[k]).abs() < 1e-6,
                "P{i} class {k}: {ha:?} vs {want:?}"
            );
        }
        assert!(ha.iter().all(|v| *v > 0.0), "P{i} has every class: {ha:?}");
    }

    // Without the flag: the same folder, byte for byte, without classes.tif.
    let plain = audit::run(&cfg, &AuditOptions::default()).unwrap();
    let out2 = dir.path().join("out2");
    audit::write(&plain, &out2).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&out2)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(!names.iter().any(|n| n.ends_with(".tif")), "{names:?}");
    // Folders (shapefiles/) file by file.
    let mut files = Vec::new();
    for n in &names {
        if out2.join(n).is_dir() {
            for e in std::fs::read_dir(out2.join(n)).unwrap() {
                files.push(Path::new(n).join(e.unwrap().file_name()));
            }
        } else {
            files.push(n.into());
        }
    }
    for n in &files {
        let a = std::fs::read(out.join(n)).unwrap();
        let b = std::fs::read(out2.join(n)).unwrap();
        assert!(a == b, "{} differs with --classes-tif", n.display());
    }
    let html = std::fs::read_to_string(out2.join("report.html")).unwrap();
    assert!(!html.contains("seasonal composite") && !html.contains("Clear obs."));
    // The scratch folder is gone with the report.
    drop(report);
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with(".reclaim-rasters")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}

/// GDAL opens `classes.tif` styled: palette with the report's colours, nodata 255,
/// 256 × 256 DEFLATE tiles, EPSG:32651, the class names.
#[cfg(feature = "gdal")]
#[test]
fn gdal_reads_the_colour_table_and_georeferencing() {
    use gdal::raster::ColorInterpretation;
    use gdal::Metadata;
    let dir = tempfile::tempdir().unwrap();
    let cfg = write_scene(dir.path());
    let opts = AuditOptions {
        classes_tif: true,
        ..AuditOptions::default()
    };
    let report = audit::run(&cfg, &opts).unwrap();
    let out = dir.path().join("out");
    audit::write(&report, &out).unwrap();
    let ds = gdal::Dataset::open(out.join(CLASSES_FILE)).unwrap();
    assert_eq!(ds.raster_size(), (570, 295));
    let gt = ds.geo_transform().unwrap();
    assert_eq!(gt, [X0 + 200.0, 10.0, 0.0, Y0 - 50.0, 0.0, -10.0]);
    assert_eq!(ds.spatial_ref().unwrap().auth_code().unwrap(), 32651);
    let band = ds.rasterband(1).unwrap();
    assert_eq!(band.block_size(), (256, 256));
    assert_eq!(band.no_data_value(), Some(255.0));
    assert_eq!(
        band.color_interpretation(),
        ColorInterpretation::PaletteIndex
    );
    let ct = band.color_table().expect("a colour table");
    use reclaim::report::maps::{RESTORED, UNOBSERVED, UNRESTORED, WATER};
    for (i, c) in [RESTORED, UNRESTORED, WATER, UNOBSERVED].iter().enumerate() {
        let e = ct.entry_as_rgb(i).unwrap();
        assert_eq!(
            [e.r, e.g, e.b],
            [i16::from(c[0]), i16::from(c[1]), i16::from(c[2])],
            "entry {i}"
        );
    }
    assert_eq!(
        band.metadata_item("CLASS_1", "").as_deref(),
        Some("unrestored")
    );
    assert_eq!(
        ds.metadata_item("COMPRESSION", "IMAGE_STRUCTURE")
            .as_deref(),
        Some("DEFLATE")
    );
    // GDAL's cells are reclaim's.
    let v = band
        .read_as::<u8>((0, 0), (570, 295), (570, 295), None)
        .unwrap();
    let data = v.data();
    for row in 5..300 {
        for col in 20..590 {
            assert_eq!(
                data[(row - 5) * 570 + col - 20],
                class(col, row),
                "({row}, {col})"
            );
        }
    }
}
