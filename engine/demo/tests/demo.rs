//! The demo county: determinism, the 2020 baseline built in by construction, and the
//! written files read back independently (shapefile bytes and shoelace, the vector
//! reader with GBK field names, the GeoTIFF decoder and an NDVI count).

use geo::{BooleanOps, Contains, Coord, LineString, MultiPolygon, Polygon};
use reclaim::audit::AuditConfig;
use reclaim::crs::{Crs, Transformer};
use reclaim::vector::{read_layer, ReadOptions};
use reclaim_demo::{self as demo, DemoScene};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// One generated scene shared by the tests (generation takes seconds).
fn scene() -> &'static (tempfile::TempDir, DemoScene) {
    static SCENE: OnceLock<(tempfile::TempDir, DemoScene)> = OnceLock::new();
    SCENE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let scene = demo::generate(dir.path()).expect("demo generates");
        (dir, scene)
    })
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

const HA: f64 = 1e-6; // tolerance, hectares

#[test]
fn generating_twice_gives_identical_bytes() {
    let (first_dir, _) = scene();
    let second = tempfile::tempdir().expect("temp dir");
    demo::generate(second.path()).expect("second run");
    let a = files_under(first_dir.path());
    let b = files_under(second.path());
    assert_eq!(a.len(), 17, "{a:?}");
    assert_eq!(a.len(), b.len());
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(
            x.strip_prefix(first_dir.path()).ok(),
            y.strip_prefix(second.path()).ok()
        );
        let (bx, by) = (
            std::fs::read(x).expect("read"),
            std::fs::read(y).expect("read"),
        );
        assert!(bx == by, "{} differs between runs", x.display());
    }
}

#[test]
fn the_2020_figures_are_the_plan_baseline() {
    let (_, s) = scene();
    let c = s.year(2020).expect("2020").county;
    assert!((c.restored_ha - 522.38).abs() < HA, "{c:?}");
    assert!((c.unrestored_ha - 705.09).abs() < HA, "{c:?}");
    assert!((c.unrestored_responsible_ha - 51.00).abs() < HA, "{c:?}");
    assert!((c.unrestored_legacy_ha - 654.09).abs() < HA, "{c:?}");
    assert_eq!((c.water_ha, c.unobserved_ha), (0.0, 0.0));
    assert!((c.footprint_ha - 1227.47).abs() < HA);
    // Per-pit figures add up to the county.
    let y = s.year(2020).expect("2020");
    let sum = |f: &dyn Fn(&demo::PitFigures) -> f64| y.pits.iter().map(f).sum::<f64>();
    assert!((sum(&|p| p.restored_ha) - c.restored_ha).abs() < HA);
    assert!((sum(&|p| p.counted_ha) - c.footprint_ha).abs() < HA);
    // Licences: liable land attributed once; the non-liable ones get none.
    let lic_land: f64 = y.licences.iter().map(|l| l.land_ha).sum();
    assert!((lic_land - c.responsible_land_ha).abs() < HA);
    let lic_unrestored: f64 = y.licences.iter().map(|l| l.unrestored_ha).sum();
    assert!((lic_unrestored - 51.0).abs() < HA);
    for l in &y.licences {
        if !l.liable {
            assert_eq!(l.land_ha, 0.0, "{}", l.name);
        }
    }
    // The expired licence overlapping the valid 大岭村 licence keeps only its own strip.
    let get = |name: &str| y.licences.iter().find(|l| l.name == name).expect(name);
    let valid = get("伊通县伊丹镇大岭村建筑用大理岩矿");
    let old = get("伊通县伊丹镇大岭村建筑用大理岩矿（原）");
    assert!(valid.land_ha > 0.0 && old.land_ha > 0.0 && valid.land_ha > old.land_ha);
    assert!(y.overlap_ha > 0.0);
}

#[test]
fn the_2024_scene_tells_its_story() {
    let (_, s) = scene();
    let (a, b) = (s.year(2020).expect("2020"), s.year(2024).expect("2024"));
    let (c0, c1) = (a.county, b.county);
    assert!((c0.footprint_ha - c1.footprint_ha).abs() < HA);
    assert!(c1.restored_ha - c0.restored_ha > 40.0, "{c1:?}");
    assert!(c1.water_ha > 1.0 && c1.unobserved_ha > 1.0, "{c1:?}");
    let total = c1.restored_ha + c1.unrestored_ha + c1.water_ha + c1.unobserved_ha;
    assert!((total - c1.footprint_ha).abs() < HA);
    assert!((c1.unrestored_responsible_ha + c1.unrestored_legacy_ha - c1.unrestored_ha).abs() < HA);
    // One pit was re-disturbed: less restored land in 2024 than in 2020.
    let less = a
        .pits
        .iter()
        .zip(&b.pits)
        .filter(|(p, q)| q.restored_ha + q.unobserved_ha < p.restored_ha)
        .count();
    assert_eq!(less, 1);
}

/// Polygons of a `.shp` file parsed from its bytes: (ring list) per record.
fn parse_shp(path: &Path) -> Vec<Vec<Vec<(f64, f64)>>> {
    let b = std::fs::read(path).expect("read shp");
    let be = |o: usize| i32::from_be_bytes(b[o..o + 4].try_into().unwrap());
    let le = |o: usize| i32::from_le_bytes(b[o..o + 4].try_into().unwrap());
    let f = |o: usize| f64::from_le_bytes(b[o..o + 8].try_into().unwrap());
    assert_eq!(be(0), 9994);
    assert_eq!(be(24) as usize * 2, b.len(), "file length in words");
    assert_eq!((le(28), le(32)), (1000, 5));
    let mut out = Vec::new();
    let mut o = 100;
    while o < b.len() {
        let len = be(o + 4) as usize * 2;
        let c = o + 8;
        assert_eq!(le(c), 5);
        let (nparts, npoints) = (le(c + 36) as usize, le(c + 40) as usize);
        let starts: Vec<usize> = (0..nparts).map(|k| le(c + 44 + 4 * k) as usize).collect();
        let pts = c + 44 + 4 * nparts;
        let mut rings = Vec::new();
        for k in 0..nparts {
            let end = starts.get(k + 1).copied().unwrap_or(npoints);
            rings.push(
                (starts[k]..end)
                    .map(|i| (f(pts + 16 * i), f(pts + 16 * i + 8)))
                    .collect(),
            );
        }
        out.push(rings);
        o = c + len;
    }
    out
}

/// Shoelace area, counter-clockwise positive, about the first vertex.
fn shoelace(r: &[(f64, f64)]) -> f64 {
    let (ox, oy) = r[0];
    r.windows(2)
        .map(|w| (w[0].0 - ox) * (w[1].1 - oy) - (w[1].0 - ox) * (w[0].1 - oy))
        .sum::<f64>()
        / 2.0
}

fn to_geo(rings: &[Vec<(f64, f64)>]) -> MultiPolygon<f64> {
    // Shapefile: outer rings clockwise, holes counter-clockwise, holes follow their outer.
    let mut polys: Vec<Polygon<f64>> = Vec::new();
    for r in rings {
        let ls = LineString::from(r.iter().map(|&(x, y)| Coord { x, y }).collect::<Vec<_>>());
        if shoelace(r) < 0.0 {
            polys.push(Polygon::new(ls, vec![]));
        } else if let Some(last) = polys.last_mut() {
            last.interiors_push(ls);
        }
    }
    MultiPolygon(polys)
}

#[test]
fn shoelace_of_the_written_pits_gives_the_expected_footprint() {
    let (dir, s) = scene();
    let shapes = parse_shp(&dir.path().join("inputs/pits.shp"));
    let y = s.year(2020).expect("2020");
    assert_eq!(shapes.len(), y.pits.len());
    let mut total = 0.0;
    for (rings, pit) in shapes.iter().zip(&y.pits) {
        for r in rings {
            assert_eq!(r.first(), r.last(), "closed ring in {}", pit.id);
        }
        // Outer rings are clockwise (negative), holes counter-clockwise (positive).
        let area = -rings.iter().map(|r| shoelace(r)).sum::<f64>() / 1e4;
        assert!(
            (area - pit.polygon_ha).abs() < HA,
            "{}: {area} vs {}",
            pit.id,
            pit.polygon_ha
        );
        total += area;
    }
    // The one overlapping pair, measured with geo's boolean operations.
    let geoms: Vec<MultiPolygon<f64>> = shapes.iter().map(|r| to_geo(r)).collect();
    let mut overlap = 0.0;
    let mut pairs = 0;
    for i in 0..geoms.len() {
        for j in i + 1..geoms.len() {
            let a = geo::Area::unsigned_area(&geoms[i].intersection(&geoms[j]));
            if a > 0.0 {
                overlap += a / 1e4;
                pairs += 1;
            }
        }
    }
    assert_eq!(pairs, 1);
    assert!(
        (overlap - y.overlap_ha).abs() < HA,
        "{overlap} vs {}",
        y.overlap_ha
    );
    assert!((total - overlap - y.county.footprint_ha).abs() < HA);
    assert!(
        shapes.iter().any(|r| r.len() > 1 && to_geo(r).0.len() == 2),
        "a two-part pit"
    );
    assert!(
        shapes
            .iter()
            .any(|r| to_geo(r).0.iter().any(|p| !p.interiors().is_empty())),
        "a pit with a hole"
    );
}

#[test]
fn shapefiles_read_back_with_chinese_field_names() {
    let (dir, s) = scene();
    let pits =
        read_layer(&dir.path().join("inputs/pits.shp"), &ReadOptions::default()).expect("pits");
    for f in ["图斑编号", "类型", "乡镇", "矿山名称"] {
        pits.require_field(f).expect(f);
    }
    assert_eq!(pits.encoding.as_deref(), Some("GBK"));
    assert_eq!(pits.crs.as_ref().and_then(|c| c.epsg), Some(32651));
    let y = s.year(2020).expect("2020");
    let ids: Vec<String> = pits
        .features
        .iter()
        .filter_map(|f| f.get("图斑编号").and_then(|v| v.as_text()))
        .collect();
    let expected: Vec<String> = y.pits.iter().map(|p| p.id.clone()).collect();
    assert_eq!(ids, expected);
    let kinds: Vec<String> = pits
        .features
        .iter()
        .filter_map(|f| f.get("类型").and_then(|v| v.as_text()))
        .collect();
    for k in ["采场", "排土场", "尾矿库", "中转场地"] {
        assert!(kinds.iter().any(|x| x == k), "{k}");
    }
    assert!(pits
        .features
        .iter()
        .any(|f| f.get("矿山名称").and_then(|v| v.as_text()).as_deref() == Some("历史遗留")));

    let lic = read_layer(
        &dir.path().join("inputs/licenses.shp"),
        &ReadOptions::default(),
    )
    .expect("licences");
    for f in demo::LICENCE_FIELDS {
        lic.require_field(f).expect(f);
    }
    assert_eq!(lic.crs.as_ref().and_then(|c| c.epsg), Some(4551));
    let status = |st: &str| {
        lic.features
            .iter()
            .filter(|f| f.get("状态").and_then(|v| v.as_text()).as_deref() == Some(st))
            .count()
    };
    assert_eq!(
        (
            status("有效"),
            status("过期"),
            status("吊销"),
            status("注销")
        ),
        (13, 2, 1, 1)
    );
    // Back in UTM every licence vertex is on the 10 m lattice again (drift ≪ 1 mm).
    let t = Transformer::new(
        &Crs::from_epsg(4551).expect("4551"),
        &Crs::from_epsg(32651).expect("32651"),
    )
    .expect("t");
    let mut worst: f64 = 0.0;
    for f in &lic.features {
        let utm = t.transform_multipolygon(&f.geometry).expect("reproject");
        for p in utm.0.iter().flat_map(|p| p.exterior().coords()) {
            worst = worst
                .max((p.x - (p.x / 10.0).round() * 10.0).abs())
                .max((p.y - (p.y / 10.0).round() * 10.0).abs());
        }
    }
    assert!(worst < 1e-6, "licence drift {worst} m");
    assert!(s.licence_roundtrip_max_m < 1e-6);
}

#[test]
fn imagery_shows_exactly_the_restored_cells() {
    use tiff::decoder::{Decoder, DecodingResult};
    use tiff::tags::Tag;
    let (dir, s) = scene();
    let file = std::fs::File::open(dir.path().join("inputs/s2_2020.tif")).expect("open");
    let mut d = Decoder::new(std::io::BufReader::new(file)).expect("decoder");
    assert_eq!(d.dimensions().expect("dims"), (3000, 2400));
    assert_eq!(
        d.get_tag_f64_vec(Tag::ModelPixelScaleTag).expect("scale"),
        vec![10.0, 10.0, 0.0]
    );
    assert_eq!(
        d.get_tag_f64_vec(Tag::ModelTiepointTag).expect("tie"),
        vec![0.0, 0.0, 0.0, 668_000.0, 4_812_000.0, 0.0]
    );
    let keys = d.get_tag_u16_vec(Tag::GeoKeyDirectoryTag).expect("geokeys");
    assert!(keys.windows(4).any(|w| w == [3072, 0, 1, 32651]));
    assert_eq!(
        d.get_tag_ascii_string(Tag::GdalNodata)
            .expect("nodata")
            .trim_end_matches('\0'),
        "0"
    );
    let DecodingResult::U16(px) = d.read_image().expect("pixels") else {
        panic!("not u16");
    };
    assert_eq!(px.len(), 3000 * 2400 * 2);
    // Cells whose centre is in a pit (pit geometry from the file) and whose NDVI
    // (reflectance = DN × 1e-4 − 0.1) is ≥ 0.3: exactly the restored cells.
    let pits =
        read_layer(&dir.path().join("inputs/pits.shp"), &ReadOptions::default()).expect("pits");
    let mut restored = 0usize;
    let mut below_zero = 0usize;
    let mut inside = vec![false; 3000 * 2400];
    for f in &pits.features {
        let r = geo::BoundingRect::bounding_rect(&f.geometry).expect("bbox");
        let (c0, c1) = (
            ((r.min().x - 668_000.0) / 10.0) as usize,
            ((r.max().x - 668_000.0) / 10.0) as usize + 1,
        );
        let (r0, r1) = (
            ((4_812_000.0 - r.max().y) / 10.0) as usize,
            ((4_812_000.0 - r.min().y) / 10.0) as usize + 1,
        );
        for row in r0..r1 {
            for col in c0..c1 {
                let c = Coord {
                    x: 668_005.0 + 10.0 * col as f64,
                    y: 4_811_995.0 - 10.0 * row as f64,
                };
                if f.geometry.contains(&c) {
                    inside[row * 3000 + col] = true;
                }
            }
        }
    }
    for (i, _) in inside.iter().enumerate().filter(|(_, &b)| b) {
        let red = px[2 * i] as f64 * 1e-4 - 0.1;
        let nir = px[2 * i + 1] as f64 * 1e-4 - 0.1;
        let ndvi = (nir - red) / (nir + red);
        if ndvi >= 0.3 {
            restored += 1;
        }
        if ndvi < 0.0 {
            below_zero += 1;
        }
    }
    assert_eq!(
        restored as f64 / 100.0,
        s.year(2020).expect("2020").county.restored_ha
    );
    assert_eq!(restored, 52_238);
    assert_eq!(below_zero, 0, "no water in the 2020 pits");
}

#[test]
fn the_configurations_load_and_point_at_the_files() {
    let (dir, _) = scene();
    for year in [2020, 2024] {
        let cfg =
            AuditConfig::load(&dir.path().join(format!("audit-{year}.toml"))).expect("config");
        assert_eq!(cfg.audit_date, format!("{year}-12-31"));
        for p in [
            cfg.imagery.path.as_ref().expect("path"),
            cfg.imagery.mask_path.as_ref().expect("mask"),
            &cfg.pits.path,
            &cfg.licenses.as_ref().expect("licences").path,
        ] {
            assert!(p.exists(), "{}", p.display());
        }
        assert_eq!(cfg.pits.id_field, "图斑编号");
        assert_eq!((cfg.imagery.scale, cfg.imagery.offset), (0.0001, -0.1));
        let b = cfg.baseline.expect("baseline");
        assert_eq!(
            (
                b.restored_ha,
                b.unrestored_ha,
                b.unrestored_responsible_ha,
                b.unrestored_legacy_ha
            ),
            (522.38, 705.09, 51.0, 654.09)
        );
    }
}
