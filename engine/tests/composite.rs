//! Composites of several scenes on two overlapping tiles, cell by cell, against a
//! direct evaluation of the rules of docs/imagery.md written out in this test.
//!
//! Tile A: 8 × 6 cells of 10 m at (X0, Y0). Tile B: 8 × 6 cells, 4 columns right and
//! 2 rows down of A. Virtual grid: 12 × 8 cells. Scenes (date order):
//! - 06-01 on A and on B (one acquisition: in the overlap only A's clear value counts),
//! - 06-11 on A, 06-21 on B (its SCL at 20 m: 2 × 2 cells per mask cell),
//! - 07-01 on A.

use reclaim::audit::composite::{Composite, CompositeBlock, CompositeSettings};
use reclaim::audit::config::CompositeRule;
use reclaim::classify::{Unobserved, IMPLAUSIBLE};
use reclaim::raster::Limits;
use reclaim::scenes::{BandRef, Date, MaskRef, Scene, SceneKind};
use std::path::{Path, PathBuf};
use tiff::encoder::colortype;

mod common;

const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_100.0;
const W: usize = 8;
const H: usize = 6;
/// B's offset from A, cells.
const B_OFF: (usize, usize) = (4, 2);
/// The SCL values that hide a cell (preset "scl").
const SCL_HIDDEN: [u16; 6] = [0, 1, 3, 8, 9, 10];

/// A deterministic value for (scene, band, row, col).
fn lcg(seed: u64) -> u64 {
    let mut x = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51afd7ed558ccd);
    x ^ (x >> 29)
}

struct Spec {
    id: &'static str,
    date: (u32, u32),
    tile_b: bool,
    mask_factor: usize,
    red: Vec<u16>,
    nir: Vec<u16>,
    scl: Vec<u16>,
}

fn spec(n: u64, id: &'static str, date: (u32, u32), tile_b: bool, mask_factor: usize) -> Spec {
    let mut red = Vec::new();
    let mut nir = Vec::new();
    for i in 0..(W * H) as u64 {
        let r = lcg(n * 1000 + i);
        // DN with offset −1000: reflectance (DN − 1000) / 10000.
        let red_dn = 1000 + 300 + (r % 2500) as u16;
        let nir_dn = 1000 + 200 + ((r >> 20) % 4500) as u16;
        // Some nodata (0) and some invalid sums (both at DN 1000 → reflectance 0).
        let (red_dn, nir_dn) = match (r >> 40) % 23 {
            0 => (0, nir_dn),
            1 => (1000, 1000),
            _ => (red_dn, nir_dn),
        };
        red.push(red_dn);
        nir.push(nir_dn);
    }
    let (mw, mh) = (W.div_ceil(mask_factor), H.div_ceil(mask_factor));
    let scl = (0..(mw * mh) as u64)
        .map(|i| {
            let r = lcg(n * 7777 + i);
            // ~30 % cloud (8, 9) or shadow (3), else vegetation 4 / bare 5.
            [4u16, 5, 4, 5, 8, 4, 5, 9, 3, 4][(r % 10) as usize]
        })
        .collect();
    let mut scl: Vec<u16> = scl;
    if !tile_b {
        // Cell (0, 0), seen by tile A only: clear sky, reflectance sum 0 every time.
        red[0] = 1000;
        nir[0] = 1000;
        scl[0] = 4;
    }
    Spec {
        id,
        date,
        tile_b,
        mask_factor,
        red,
        nir,
        scl,
    }
}

fn write(
    dir: &Path,
    name: &str,
    size: (usize, usize),
    data: &[u16],
    origin: (f64, f64),
    cell: f64,
) -> PathBuf {
    let p = dir.join(name);
    common::write_geotiff::<colortype::Gray16>(
        &p,
        (size.0 as u32, size.1 as u32),
        data,
        origin,
        cell,
        2,
        None,
    );
    p
}

fn scene(dir: &Path, s: &Spec) -> Scene {
    let origin = if s.tile_b {
        (X0 + 10.0 * B_OFF.0 as f64, Y0 - 10.0 * B_OFF.1 as f64)
    } else {
        (X0, Y0)
    };
    let f = s.mask_factor;
    let red = write(
        dir,
        &format!("{}_red.tif", s.id),
        (W, H),
        &s.red,
        origin,
        10.0,
    );
    let nir = write(
        dir,
        &format!("{}_nir.tif", s.id),
        (W, H),
        &s.nir,
        origin,
        10.0,
    );
    let scl = write(
        dir,
        &format!("{}_scl.tif", s.id),
        (W.div_ceil(f), H.div_ceil(f)),
        &s.scl,
        origin,
        10.0 * f as f64,
    );
    Scene {
        id: s.id.to_string(),
        kind: SceneKind::Manifest,
        date: Date {
            year: 2024,
            month: s.date.0,
            day: s.date.1,
        },
        tile: Some(if s.tile_b { "B" } else { "A" }.into()),
        red: BandRef { path: red, band: 1 },
        nir: BandRef { path: nir, band: 1 },
        mask: Some(MaskRef {
            band: BandRef { path: scl, band: 1 },
            preset: Some("scl".into()),
            values: None,
            bits: None,
            factor: f,
        }),
        scale: 1e-4,
        offset: -0.1,
        nodata: Some(0.0),
        georef: None,
        source: dir.to_path_buf(),
    }
}

fn specs() -> Vec<Spec> {
    vec![
        spec(1, "a0601", (6, 1), false, 1),
        spec(2, "b0601", (6, 1), true, 1),
        spec(3, "a0611", (6, 11), false, 1),
        spec(4, "b0621", (6, 21), true, 2),
        spec(5, "a0701", (7, 1), false, 1),
    ]
}

/// What the rules say of virtual cell (row, col): (class code, clear count).
fn expected(
    specs: &[Spec],
    rule: CompositeRule,
    min_clear: u32,
    row: usize,
    col: usize,
) -> (u8, u32) {
    let mut ndvis: Vec<f64> = Vec::new();
    let mut dates_done: Vec<(u32, u32)> = Vec::new();
    let (mut masked, mut invalid, mut implausible) = (false, false, false);
    // Scenes are in (date, id) order already.
    for s in specs {
        let (r0, c0) = if s.tile_b { (B_OFF.1, B_OFF.0) } else { (0, 0) };
        if row < r0 || col < c0 || row >= r0 + H || col >= c0 + W {
            continue;
        }
        if dates_done.contains(&s.date) {
            continue;
        }
        let (r, c) = (row - r0, col - c0);
        let f = s.mask_factor;
        if SCL_HIDDEN.contains(&s.scl[(r / f) * W.div_ceil(f) + c / f]) {
            masked = true;
            continue;
        }
        let (red, nir) = (s.red[r * W + c], s.nir[r * W + c]);
        if red == 0 || nir == 0 {
            continue;
        }
        let rr = f64::from(red) * 1e-4 - 0.1;
        let nn = f64::from(nir) * 1e-4 - 0.1;
        if rr + nn <= 0.0 {
            invalid = true;
            continue;
        }
        implausible |= !(-0.5..=1.5).contains(&rr) || !(-0.5..=1.5).contains(&nn);
        ndvis.push((nn - rr) / (nn + rr));
        dates_done.push(s.date);
    }
    let n = ndvis.len() as u32;
    if n < min_clear {
        let cause = if n > 0 {
            Unobserved::FewClear
        } else if masked {
            Unobserved::Masked
        } else if invalid {
            Unobserved::Invalid
        } else {
            Unobserved::NoData
        };
        return (cause.code(), n);
    }
    let v = match rule {
        CompositeRule::Latest => *ndvis.last().unwrap(),
        CompositeRule::Max => ndvis.iter().copied().fold(f64::MIN, f64::max),
        CompositeRule::Median => {
            let mut s = ndvis.clone();
            s.sort_by(f64::total_cmp);
            let k = s.len();
            if k % 2 == 1 {
                s[k / 2]
            } else {
                (s[k / 2 - 1] + s[k / 2]) / 2.0
            }
        }
    };
    let class = if v >= 0.3 {
        0
    } else if v < 0.0 {
        2
    } else {
        1
    };
    (
        if implausible {
            class | IMPLAUSIBLE
        } else {
            class
        },
        n,
    )
}

fn settings(rule: CompositeRule, min_clear: u32) -> CompositeSettings {
    CompositeSettings {
        rule,
        min_clear,
        nearest: false,
        restored_min_ndvi: 0.3,
        water_max_ndvi: 0.0,
    }
}

#[test]
fn composites_follow_the_rules_cell_by_cell() {
    let dir = tempfile::tempdir().unwrap();
    let specs = specs();
    // Given in shuffled order: the composite sorts by (date, id).
    let mut scenes: Vec<Scene> = specs.iter().map(|s| scene(dir.path(), s)).collect();
    scenes.reverse();
    let mut seen_causes = std::collections::BTreeSet::new();
    for (rule, min_clear) in [
        (CompositeRule::Median, 1),
        (CompositeRule::Max, 1),
        (CompositeRule::Latest, 1),
        (CompositeRule::Median, 2),
    ] {
        let c = Composite::open(
            scenes.clone(),
            Vec::new(),
            settings(rule, min_clear),
            &Limits::default(),
        )
        .unwrap();
        assert_eq!((c.grid.width, c.grid.height), (W + B_OFF.0, H + B_OFF.1));
        assert_eq!((c.grid.transform.x0, c.grid.transform.y0), (X0, Y0));
        let mut readers = c.readers(None).unwrap();
        let mut block = CompositeBlock::default();
        for w in c.blocks() {
            c.load(&mut readers, w, &mut block).unwrap();
            for i in 0..w.len() {
                let (row, col) = (w.row_off + i / w.width, w.col_off + i % w.width);
                let got = c.class_at(&block, i);
                let want = expected(&specs, rule, min_clear, row, col);
                assert_eq!(
                    got, want,
                    "{rule:?} min_clear {min_clear}: cell ({row}, {col})"
                );
                seen_causes.insert(got.0 & !IMPLAUSIBLE);
            }
        }
    }
    // The scene data exercise every outcome: three classes and four causes.
    for code in [0, 1, 2, 5, 6, 7, 8] {
        assert!(
            seen_causes.contains(&code),
            "no cell with code {code}: {seen_causes:?}"
        );
    }
}

#[test]
fn one_acquisition_on_two_tiles_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    // Both tiles of 06-01 clear everywhere, with different values in the overlap.
    let mut a = spec(1, "a0601", (6, 1), false, 1);
    let mut b = spec(2, "b0601", (6, 1), true, 1);
    for s in [&mut a, &mut b] {
        s.scl.iter_mut().for_each(|v| *v = 4);
    }
    a.red.iter_mut().for_each(|v| *v = 1500); // reflectance 0.05
    a.nir.iter_mut().for_each(|v| *v = 5000); // 0.40: NDVI 0.778 (restored)
    b.red.iter_mut().for_each(|v| *v = 3000); // 0.20
    b.nir.iter_mut().for_each(|v| *v = 3500); // 0.25: NDVI 0.111 (bare)
    let scenes = vec![scene(dir.path(), &b), scene(dir.path(), &a)];
    let c = Composite::open(
        scenes,
        Vec::new(),
        settings(CompositeRule::Median, 1),
        &Limits::default(),
    )
    .unwrap();
    let mut readers = c.readers(None).unwrap();
    let mut block = CompositeBlock::default();
    let w = c.blocks()[0];
    c.load(&mut readers, w, &mut block).unwrap();
    let at = |row: usize, col: usize| c.class_at(&block, row * w.width + col);
    // Overlap (A's rows 2–5, cols 4–7): A (first by id) wins, one observation.
    assert_eq!(at(3, 5), (0, 1));
    // B alone: bare. A alone: restored. Neither (top right): no data.
    assert_eq!(at(7, 10), (1, 1));
    assert_eq!(at(0, 0), (0, 1));
    assert_eq!(at(0, 11), (Unobserved::NoData.code(), 0));
}

#[test]
fn scenes_off_the_grid_or_in_two_crss_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let a = scene(dir.path(), &spec(1, "a", (6, 1), false, 1));
    let mut half = a.clone();
    half.id = "half".into();
    let sh = spec(2, "half", (6, 2), false, 1);
    let red = write(
        dir.path(),
        "half_red.tif",
        (W, H),
        &sh.red,
        (X0 + 5.0, Y0),
        10.0,
    );
    half.red.path = red.clone();
    half.nir.path = red;
    half.mask = None;
    let err = Composite::open(
        vec![a.clone(), half],
        Vec::new(),
        settings(CompositeRule::Median, 1),
        &Limits::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("not on scene a's grid") && err.contains("0.5000"),
        "{err}"
    );

    // A scene whose metadata says another size than its files.
    let mut wrong = a.clone();
    wrong.id = "wrong".into();
    wrong.georef = Some(reclaim::scenes::SceneGeoref {
        epsg: 32651,
        transform: reclaim::GeoTransform {
            x0: X0,
            dx: 10.0,
            rx: 0.0,
            y0: Y0,
            ry: 0.0,
            dy: -10.0,
        },
        width: 10980,
        height: 10980,
    });
    let err = Composite::open(
        vec![wrong],
        Vec::new(),
        settings(CompositeRule::Median, 1),
        &Limits::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(
        err.contains("10980 × 10980") && err.contains("8 × 6"),
        "{err}"
    );

    // Another UTM zone.
    let mut z52 = a.clone();
    z52.id = "z52".into();
    z52.georef = Some(reclaim::scenes::SceneGeoref {
        epsg: 32652,
        transform: reclaim::GeoTransform {
            x0: X0,
            dx: 10.0,
            rx: 0.0,
            y0: Y0,
            ry: 0.0,
            dy: -10.0,
        },
        width: W,
        height: H,
    });
    let err = Composite::open(
        vec![a, z52],
        Vec::new(),
        settings(CompositeRule::Median, 1),
        &Limits::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("one CRS"), "{err}");

    let err = Composite::open(
        Vec::new(),
        Vec::new(),
        settings(CompositeRule::Median, 1),
        &Limits::default(),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("no scene"), "{err}");
}

#[test]
fn classes_and_clear_obs_rasters_hold_every_cell_of_the_composite() {
    use reclaim::audit::imagery::Imagery;
    use reclaim::audit::rasters::{class_rasters, output_code, CLASSES_FILE, CLEAR_OBS_FILE};
    use reclaim::raster::Raster;
    let dir = tempfile::tempdir().unwrap();
    let specs = specs();
    let scenes: Vec<Scene> = specs.iter().map(|s| scene(dir.path(), s)).collect();
    let c = Composite::open(
        scenes,
        Vec::new(),
        settings(CompositeRule::Median, 2),
        &Limits::default(),
    )
    .unwrap();
    let imagery = Imagery::from_composite(c);
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    // Every cell but the first row and column: the window's origin is not the grid's.
    let w = reclaim::grid::Window {
        col_off: 1,
        row_off: 1,
        width: W + B_OFF.0 - 1,
        height: H + B_OFF.1 - 1,
    };
    let files = class_rasters(&imagery, w, &out).unwrap();
    assert_eq!(files, [CLASSES_FILE, CLEAR_OBS_FILE]);
    let read = |name: &str| {
        let mut r = Raster::open(&out.join(name)).unwrap();
        let info = r.info().clone();
        assert_eq!((info.width, info.height), (w.width, w.height), "{name}");
        assert_eq!(info.nodata, Some(255.0), "{name}");
        let t = r.grid().transform;
        assert_eq!((t.x0, t.y0), (X0 + 10.0, Y0 - 10.0), "{name}");
        let full = r.grid().full_window();
        let v = r.read_window(1, full).unwrap();
        (0..w.len())
            .map(|i| v.get_f64(i) as u8)
            .collect::<Vec<u8>>()
    };
    let classes = read(CLASSES_FILE);
    let clear = read(CLEAR_OBS_FILE);
    let mut seen = std::collections::BTreeSet::new();
    for i in 0..w.len() {
        let (row, col) = (w.row_off + i / w.width, w.col_off + i % w.width);
        let (code, n) = expected(&specs, CompositeRule::Median, 2, row, col);
        assert_eq!(classes[i], output_code(code), "class of ({row}, {col})");
        assert_eq!(u32::from(clear[i]), n, "clear obs. of ({row}, {col})");
        seen.insert((classes[i], clear[i]));
    }
    // Restored, unrestored, water and unobserved, and several counts, all occur.
    let codes: std::collections::BTreeSet<u8> = seen.iter().map(|s| s.0).collect();
    assert_eq!(codes.into_iter().collect::<Vec<_>>(), [0, 1, 2, 3]);
    assert!(
        seen.iter()
            .map(|s| s.1)
            .collect::<std::collections::BTreeSet<_>>()
            .len()
            >= 3
    );
}

#[test]
fn resample_nearest_places_a_shifted_scene_at_the_cell_under_each_centre() {
    let dir = tempfile::tempdir().unwrap();
    let a = scene(dir.path(), &spec(1, "a", (6, 1), false, 1));
    let sb = spec(2, "b", (6, 2), false, 1);
    // Scene b written at an origin (dx, dy) metres from a's, 10 m cells.
    let at = |name: &str, dx: f64, dy: f64| {
        let mut b = a.clone();
        b.id = format!("b{name}");
        b.red.path = write(
            dir.path(),
            &format!("{name}_red.tif"),
            (W, H),
            &sb.red,
            (X0 + dx, Y0 + dy),
            10.0,
        );
        b.nir.path = write(
            dir.path(),
            &format!("{name}_nir.tif"),
            (W, H),
            &sb.nir,
            (X0 + dx, Y0 + dy),
            10.0,
        );
        b.mask = None;
        b
    };
    let classes = |scenes: Vec<Scene>, nearest: bool| {
        let c = Composite::open(
            scenes,
            Vec::new(),
            CompositeSettings {
                nearest,
                ..settings(CompositeRule::Median, 1)
            },
            &Limits::default(),
        )?;
        let mut readers = c.readers(None).unwrap();
        let mut block = CompositeBlock::default();
        let mut out = Vec::new();
        for w in c.blocks() {
            c.load(&mut readers, w, &mut block).unwrap();
            out.extend((0..w.len()).map(|i| {
                (
                    w.row_off + i / w.width,
                    w.col_off + i % w.width,
                    c.class_at(&block, i),
                )
            }));
        }
        out.sort_unstable();
        Ok::<_, reclaim::audit::AuditError>((
            (
                c.grid.width,
                c.grid.height,
                c.grid.transform.x0,
                c.grid.transform.y0,
            ),
            out,
        ))
    };
    // 2.3 cells east, 0.7 cells south: cell centres of a's grid fall in b's cells
    // 2 east and 1 south of where an aligned copy 2 east and 1 south would put them.
    let shifted = at("s", 23.0, -7.0);
    let err = classes(vec![a.clone(), shifted.clone()], false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("resample = \"nearest\""), "{err}");
    let got = classes(vec![a.clone(), shifted], true).unwrap();
    let want = classes(vec![a.clone(), at("s_aligned", 20.0, -10.0)], false).unwrap();
    assert_eq!(got, want);
    assert_eq!((got.0 .0, got.0 .1), (W + 2, H + 1));
    // Exactly half a cell: the centre is on b's cell edge, and the cell right of /
    // below it is taken (as a floor would): the same as b at a's origin.
    let half = at("h", 5.0, -5.0);
    let got = classes(vec![a.clone(), half], true).unwrap();
    let want = classes(vec![a.clone(), at("h_aligned", 0.0, 0.0)], false).unwrap();
    assert_eq!(got, want);
    // Another cell size is still refused, even with nearest.
    let mut coarse = a.clone();
    coarse.id = "coarse".into();
    coarse.red.path = write(dir.path(), "c_red.tif", (W, H), &sb.red, (X0, Y0), 20.0);
    coarse.nir.path = write(dir.path(), "c_nir.tif", (W, H), &sb.nir, (X0, Y0), 20.0);
    coarse.mask = None;
    let err = classes(vec![a, coarse], true).unwrap_err().to_string();
    assert!(err.contains("one cell size"), "{err}");
}
