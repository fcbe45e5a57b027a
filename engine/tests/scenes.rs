//! Scene readers on the fixtures of `testdata/scenes/` (metadata from GDAL's
//! autotest, empty band files): what each reads, and how each refuses.

use reclaim::scenes::{
    find, in_season, read_manifest, read_mtl, read_safe, Date, SceneError, SceneKind, Season,
    SkipReason,
};
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../testdata/scenes")
}

const S2_0509: &str = "s2/S2B_MSIL2A_20230823T095559_N0509_R122_T34UCF_20230823T124759.SAFE";
const S2_0208: &str = "s2/S2A_MSIL2A_20180818T094031_N0208_R036_T34VFJ_20180818T120345.SAFE";
const S2_0205: &str = "s2/S2A_MSIL2A_20170823T094031_N0205_R036_T34VFJ_20170823T094252.SAFE";
const S2_L1C: &str = "s2/S2B_MSIL1C_20230823T095559_N0509_R122_T34UCF_20230823T120234.SAFE";
const LC09: &str = "landsat/LC09_L2SP_119029_20240601_20240602_02_T1";
const LE07: &str = "landsat/LE07_L2SP_090084_20210331_20210426_02_T1";

fn date(y: i32, m: u32, d: u32) -> Date {
    Date {
        year: y,
        month: m,
        day: d,
    }
}

/// Copies a fixture folder into a temporary one, for tests that break it.
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for e in fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            fs::copy(e.path(), dest).unwrap();
        }
    }
}

fn file_name(p: &Path) -> String {
    p.file_name().unwrap().to_string_lossy().into_owned()
}

fn err_text(e: SceneError) -> String {
    e.to_string()
}

#[test]
fn safe_baseline_05_09_reads_offsets_grid_and_files() {
    let dir = fixtures().join(S2_0509);
    let s = read_safe(&dir).unwrap();
    assert_eq!(
        s.id,
        "S2B_MSIL2A_20230823T095559_N0509_R122_T34UCF_20230823T124759"
    );
    assert_eq!(s.kind, SceneKind::Sentinel2L2a);
    assert_eq!(s.date, date(2023, 8, 23));
    assert_eq!(s.tile.as_deref(), Some("T34UCF"));
    assert_eq!(s.scale, 1.0 / 10000.0);
    assert!((s.offset - -0.1).abs() < 1e-12, "{}", s.offset);
    assert_eq!(s.nodata, Some(0.0));
    assert_eq!(file_name(&s.red.path), "T34UCF_20230823T095559_B04_10m.jp2");
    assert_eq!(file_name(&s.nir.path), "T34UCF_20230823T095559_B08_10m.jp2");
    assert!(s.red.path.is_file() && s.nir.path.is_file());
    assert_eq!((s.red.band, s.nir.band), (1, 1));
    let m = s.mask.as_ref().unwrap();
    assert_eq!(
        file_name(&m.band.path),
        "T34UCF_20230823T095559_SCL_20m.jp2"
    );
    assert_eq!(m.preset.as_deref(), Some("scl"));
    assert_eq!(m.factor, 2);
    let g = s.georef.as_ref().unwrap();
    assert_eq!(g.epsg, 32634);
    assert_eq!((g.width, g.height), (10980, 10980));
    assert_eq!(
        (
            g.transform.x0,
            g.transform.dx,
            g.transform.y0,
            g.transform.dy
        ),
        (300000.0, 10.0, 6100020.0, -10.0)
    );
    assert_eq!((g.transform.rx, g.transform.ry), (0.0, 0.0));
    assert_eq!(s.source, dir);
}

#[test]
fn safe_baseline_02_08_has_no_offset() {
    let s = read_safe(&fixtures().join(S2_0208)).unwrap();
    assert_eq!(s.date, date(2018, 8, 18));
    assert_eq!(s.tile.as_deref(), Some("T34VFJ"));
    assert_eq!(s.offset, 0.0);
    assert_eq!(s.scale, 1e-4);
    let g = s.georef.unwrap();
    assert_eq!((g.transform.x0, g.transform.y0), (600000.0, 6400020.0));
}

#[test]
fn safe_level_2ap_layout_is_read() {
    let s = read_safe(&fixtures().join(S2_0205)).unwrap();
    assert_eq!(
        s.id,
        "S2A_MSIL2A_20170823T094031_N0205_R036_T34VFJ_20170823T094252"
    );
    assert_eq!(s.date, date(2017, 8, 23));
    assert_eq!(s.offset, 0.0);
    assert_eq!(
        file_name(&s.red.path),
        "L2A_T34VFJ_20170823T094031_B04_10m.jp2"
    );
    assert_eq!(
        file_name(&s.mask.unwrap().band.path),
        "L2A_T34VFJ_20170823T094031_SCL_20m.jp2"
    );
}

#[test]
fn safe_level_1c_is_refused() {
    let e = err_text(read_safe(&fixtures().join(S2_L1C)).unwrap_err());
    assert!(e.contains("Level-1C: top-of-atmosphere, use L2A"), "{e}");
    let e = err_text(find(&[fixtures().join(S2_L1C)]).unwrap_err());
    assert!(e.contains("Level-1C"), "{e}");
}

#[test]
fn safe_missing_band_file_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x.SAFE");
    copy_dir(&fixtures().join(S2_0509), &dir);
    let b08 = dir.join("GRANULE/L2A_T34UCF_A033753_20230823T095553/IMG_DATA/R10m/T34UCF_20230823T095559_B08_10m.jp2");
    fs::remove_file(&b08).unwrap();
    let e = err_text(read_safe(&dir).unwrap_err());
    assert!(e.contains("B08") && e.contains("does not exist"), "{e}");
    assert!(e.contains("MTD_MSIL2A.xml"), "{e}");
}

#[test]
fn safe_without_image_file_list_falls_back_to_the_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x.SAFE");
    copy_dir(&fixtures().join(S2_0509), &dir);
    let mtd = dir.join("MTD_MSIL2A.xml");
    let text = fs::read_to_string(&mtd).unwrap();
    let stripped: String = text
        .lines()
        .filter(|l| !l.contains("<IMAGE_FILE>"))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&mtd, stripped).unwrap();
    let s = read_safe(&dir).unwrap();
    assert_eq!(file_name(&s.red.path), "T34UCF_20230823T095559_B04_10m.jp2");
    assert_eq!(
        file_name(&s.mask.unwrap().band.path),
        "T34UCF_20230823T095559_SCL_20m.jp2"
    );
}

#[test]
fn safe_baseline_4_without_offsets_uses_the_documented_minus_1000() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x.SAFE");
    copy_dir(&fixtures().join(S2_0509), &dir);
    let mtd = dir.join("MTD_MSIL2A.xml");
    let text = fs::read_to_string(&mtd).unwrap();
    let stripped: String = text
        .lines()
        .filter(|l| !l.contains("<BOA_ADD_OFFSET "))
        .map(|l| format!("{l}\n"))
        .collect();
    fs::write(&mtd, &stripped).unwrap();
    assert!((read_safe(&dir).unwrap().offset - -0.1).abs() < 1e-12);
    // and a quantification of 1000 scales both
    fs::write(
        &mtd,
        stripped.replace(
            ">10000</BOA_QUANTIFICATION_VALUE>",
            ">1000</BOA_QUANTIFICATION_VALUE>",
        ),
    )
    .unwrap();
    let s = read_safe(&dir).unwrap();
    assert_eq!(s.scale, 1e-3);
    assert_eq!(s.offset, -1.0);
}

#[test]
fn safe_with_shifted_20m_grid_or_broken_xml_is_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x.SAFE");
    copy_dir(&fixtures().join(S2_0509), &dir);
    let tl = dir.join("GRANULE/L2A_T34UCF_A033753_20230823T095553/MTD_TL.xml");
    let text = fs::read_to_string(&tl).unwrap();
    // Shift only the 20 m corner (the second ULX).
    let first = text.find("<ULX>300000</ULX>").unwrap();
    let second = first + 1 + text[first + 1..].find("<ULX>300000</ULX>").unwrap();
    let shifted = format!(
        "{}<ULX>300010</ULX>{}",
        &text[..second],
        &text[second + 17..]
    );
    fs::write(&tl, shifted).unwrap();
    let e = err_text(read_safe(&dir).unwrap_err());
    assert!(e.contains("MTD_TL.xml") && e.contains("20 m"), "{e}");

    fs::write(&tl, &text[..text.len() / 2]).unwrap();
    let e = err_text(read_safe(&dir).unwrap_err());
    assert!(
        e.contains("not well-formed XML") && e.contains("MTD_TL.xml"),
        "{e}"
    );

    fs::remove_file(&tl).unwrap();
    let e = err_text(read_safe(&dir).unwrap_err());
    assert!(
        e.contains("MTD_TL.xml") && e.contains("does not exist"),
        "{e}"
    );
}

#[test]
fn safe_bad_values_are_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("x.SAFE");
    copy_dir(&fixtures().join(S2_0509), &dir);
    let mtd = dir.join("MTD_MSIL2A.xml");
    let text = fs::read_to_string(&mtd).unwrap();
    for (from, to, needle) in [
        (
            "2023-08-23T09:55:59.024Z</PRODUCT_START_TIME>",
            "yesterday</PRODUCT_START_TIME>",
            "PRODUCT_START_TIME",
        ),
        (
            ">10000</BOA_QUANTIFICATION_VALUE>",
            ">0</BOA_QUANTIFICATION_VALUE>",
            "BOA_QUANTIFICATION_VALUE",
        ),
        (
            "<BOA_ADD_OFFSET band_id=\"7\">-1000<",
            "<BOA_ADD_OFFSET band_id=\"7\">-999<",
            "differs",
        ),
        (
            "<BOA_ADD_OFFSET band_id=\"3\">-1000<",
            "<BOA_ADD_OFFSET band_id=\"3\">x<",
            "band_id=\"3\" = \"x\" is not a number",
        ),
        (
            "<IMAGE_FILE>GRANULE/",
            "<IMAGE_FILE>../../GRANULE/",
            "outside the product folder",
        ),
    ] {
        assert!(text.contains(from), "{from}");
        fs::write(&mtd, text.replace(from, to)).unwrap();
        let e = err_text(read_safe(&dir).unwrap_err());
        assert!(
            e.contains(needle) && e.contains("MTD_MSIL2A.xml"),
            "{needle}: {e}"
        );
    }
}

#[test]
fn landsat_json_and_text_mtl_agree() {
    let dir = fixtures().join(LC09);
    let j = read_mtl(&dir.join("LC09_L2SP_119029_20240601_20240602_02_T1_MTL.json")).unwrap();
    let t = read_mtl(&dir.join("LC09_L2SP_119029_20240601_20240602_02_T1_MTL.txt")).unwrap();
    for s in [&j, &t] {
        assert_eq!(s.id, "LC09_L2SP_119029_20240601_20240602_02_T1");
        assert_eq!(s.kind, SceneKind::LandsatC2L2);
        assert_eq!(s.date, date(2024, 6, 1));
        assert_eq!(s.tile.as_deref(), Some("119029"));
        assert_eq!(s.scale, 2.75e-5);
        assert_eq!(s.offset, -0.2);
        assert_eq!(s.nodata, Some(0.0));
        assert!(s.georef.is_none());
        assert!(file_name(&s.red.path).ends_with("_SR_B4.TIF"));
        assert!(file_name(&s.nir.path).ends_with("_SR_B5.TIF"));
        let m = s.mask.as_ref().unwrap();
        assert!(file_name(&m.band.path).ends_with("_QA_PIXEL.TIF"));
        assert_eq!(m.preset.as_deref(), Some("qa_pixel"));
        assert_eq!(m.factor, 1);
    }
    assert_eq!(j.red, t.red);
    assert_eq!(j.mask, t.mask);
}

#[test]
fn landsat_7_reads_bands_3_and_4() {
    let s = read_mtl(
        &fixtures()
            .join(LE07)
            .join("LE07_L2SP_090084_20210331_20210426_02_T1_MTL.txt"),
    )
    .unwrap();
    assert_eq!(s.date, date(2021, 3, 31));
    assert_eq!(s.tile.as_deref(), Some("090084"));
    assert!(file_name(&s.red.path).ends_with("_SR_B3.TIF"));
    assert!(file_name(&s.nir.path).ends_with("_SR_B4.TIF"));
}

#[test]
fn landsat_level_1_and_broken_mtls_are_refused() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    copy_dir(&fixtures().join(LC09), &dir);
    let json = dir.join("LC09_L2SP_119029_20240601_20240602_02_T1_MTL.json");
    let text = fs::read_to_string(&json).unwrap();

    fs::write(&json, text.replace("\"L2SP\"", "\"L1TP\"")).unwrap();
    let e = err_text(read_mtl(&json).unwrap_err());
    assert!(e.contains("Level-1") && e.contains("L1TP"), "{e}");

    fs::write(&json, text.replace("LANDSAT_9", "LANDSAT_10")).unwrap();
    let e = err_text(read_mtl(&json).unwrap_err());
    assert!(
        e.contains("SPACECRAFT_ID") && e.contains("LANDSAT_10"),
        "{e}"
    );

    fs::write(&json, text.replace("\"2024-06-01\"", "\"2024-02-30\"")).unwrap();
    let e = err_text(read_mtl(&json).unwrap_err());
    assert!(e.contains("DATE_ACQUIRED"), "{e}");

    fs::write(&json, &text[..text.len() / 3]).unwrap();
    let e = err_text(read_mtl(&json).unwrap_err());
    assert!(e.contains("not valid JSON"), "{e}");

    fs::write(&json, &text).unwrap();
    fs::remove_file(dir.join("LC09_L2SP_119029_20240601_20240602_02_T1_QA_PIXEL.TIF")).unwrap();
    let e = err_text(read_mtl(&json).unwrap_err());
    assert!(
        e.contains("QA_PIXEL") && e.contains("does not exist"),
        "{e}"
    );
}

#[test]
fn manifests_csv_and_toml() {
    let csv = read_manifest(&fixtures().join("manifest/scenes.csv")).unwrap();
    let toml = read_manifest(&fixtures().join("manifest/scenes.toml")).unwrap();
    assert_eq!(csv.len(), 2);
    assert_eq!(toml.len(), 2);
    for s in csv.iter().chain(&toml) {
        assert_eq!(s.kind, SceneKind::Manifest);
        assert!(s.red.path.is_file(), "{:?}", s.red.path);
    }
    let a = &csv[0];
    assert_eq!((a.id.as_str(), a.date), ("a", date(2024, 6, 3)));
    assert_eq!((a.scale, a.offset), (0.0001, -0.1));
    let m = a.mask.as_ref().unwrap();
    assert_eq!((m.preset.as_deref(), m.factor), (Some("scl"), 2));
    let mut a_toml = toml[0].clone();
    a_toml.source = a.source.clone();
    assert_eq!(csv[0], a_toml, "the two manifests list the same scene a");
    assert!(csv[1].mask.is_none());
    let b = &toml[1];
    assert_eq!((b.red.band, b.nir.band), (3, 4));
    let m = b.mask.as_ref().unwrap();
    assert_eq!(m.values.as_deref(), Some(&[3.0, 8.0, 9.0][..]));
    assert_eq!(m.bits.as_deref(), Some(&[3, 4][..]));
    assert_eq!(b.nodata, Some(0.0));
    assert_eq!(b.tile.as_deref(), Some("119029"));
}

#[test]
fn manifest_errors_name_line_and_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    fs::write(d.join("r.tif"), b"").unwrap();
    let cases: &[(&str, &str, &[&str])] = &[
        ("m.csv", "id,date,red,nir,maks\n", &["unknown column \"maks\"", "did you mean \"mask\""]),
        ("m.csv", "id,date,red\n", &["no column \"nir\""]),
        ("m.csv", "id,date,red,nir\na,2024-13-01,r.tif,r.tif\n", &["line 2", "date", "YYYY-MM-DD"]),
        ("m.csv", "id,date,red,nir\na,2024-06-01,r.tif,gone.tif\n", &["line 2", "gone.tif", "does not exist"]),
        ("m.csv", "id,date,red,nir\na,2024-06-01,r.tif\n", &["line 2", "3 field(s)", "4"]),
        ("m.csv", "id,date,red,nir,mask\na,2024-06-01,r.tif,r.tif,r.tif\n", &["line 2", "mask_preset"]),
        ("m.csv", "id,date,red,nir,mask,mask_preset\na,2024-06-01,r.tif,r.tif,r.tif,sclx\n", &["sclx", "did you mean \"scl\""]),
        ("m.csv", "id,date,red,nir,scale\na,2024-06-01,r.tif,r.tif,0\n", &["scale", "non-zero"]),
        ("m.csv", "id,date,red,nir\n", &["lists no scene"]),
        ("m.csv", "", &["empty"]),
        ("m.csv", "id,date,red,nir\na,2024-06-01,r.tif,r.tif\na,2024-06-02,r.tif,r.tif\n", &["line 3", "\"a\" is already used (line 2)"]),
        ("m.toml", "[[scenes]]\nid = \"a\"\n", &["unknown key \"scenes\"", "did you mean \"scene\""]),
        ("m.toml", "[[scene]]\nid = \"a\"\ndate = \"2024-06-01\"\nred = \"r.tif\"\nnir = \"r.tif\"\nred_bnd = 2\n", &["[[scene]] 1", "red_bnd", "did you mean \"red_band\""]),
        ("m.toml", "[[scene]]\nid = \"a\"\nred = \"r.tif\"\nnir = \"r.tif\"\n", &["[[scene]] 1", "no date"]),
        ("m.toml", "[[scene]\n", &["not valid TOML", "line 1"]),
    ];
    for (name, text, needles) in cases {
        let p = d.join(name);
        fs::write(&p, text).unwrap();
        let e = err_text(read_manifest(&p).unwrap_err());
        assert!(e.contains(&p.display().to_string()), "{e}");
        for n in *needles {
            assert!(e.contains(n), "{text:?}: lacks {n:?}: {e}");
        }
    }
}

#[test]
fn find_walks_a_collection_sorts_and_reports() {
    let f = find(&[fixtures()]).unwrap();
    let ids: Vec<&str> = f.scenes.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "S2A_MSIL2A_20170823T094031_N0205_R036_T34VFJ_20170823T094252",
            "S2A_MSIL2A_20180818T094031_N0208_R036_T34VFJ_20180818T120345",
            "LE07_L2SP_090084_20210331_20210426_02_T1",
            "S2B_MSIL2A_20230823T095559_N0509_R122_T34UCF_20230823T124759",
            "LC09_L2SP_119029_20240601_20240602_02_T1",
            "a",
            "b",
        ]
    );
    let dates: Vec<Date> = f.scenes.iter().map(|s| s.date).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    // The JSON MTL is read, not also the text one beside it.
    let lc09 = &f.scenes[4];
    assert!(lc09.source.to_string_lossy().ends_with("_MTL.json"));
    // scenes.csv and scenes.toml list the same ids: one copy of each is reported.
    assert_eq!(f.duplicates.len(), 2, "{:?}", f.duplicates);
    assert!(f.duplicates.iter().all(|d| d.why.contains("same scene id")));
    // The L1C is refused, the README, make.py and the loose rasters unrecognised.
    let l1c = f
        .skipped
        .iter()
        .find(|s| s.path.to_string_lossy().contains("MSIL1C"))
        .expect("the L1C is reported");
    assert!(
        matches!(&l1c.why, SkipReason::Refused(r) if r.contains("Level-1C: top-of-atmosphere, use L2A"))
    );
    let readme = f
        .skipped
        .iter()
        .find(|s| s.path.ends_with("README.md"))
        .expect("README reported");
    assert!(matches!(readme.why, SkipReason::Unrecognised(_)));
    // manifest/rasters is three levels down: reported, not searched.
    let rasters = f
        .skipped
        .iter()
        .find(|s| s.path.ends_with("manifest/rasters"))
        .expect("the rasters folder is reported");
    assert!(
        rasters.why.to_string().contains("3 levels down"),
        "{}",
        rasters.why
    );

    // One level further in, the loose rasters are reported one by one.
    let f = find(&[fixtures().join("manifest")]).unwrap();
    assert_eq!(f.scenes.len(), 2);
    let raster = f
        .skipped
        .iter()
        .find(|s| s.path.ends_with("a_red.tif"))
        .expect("a loose raster is reported");
    assert!(
        raster.why.to_string().contains("manifest"),
        "{}",
        raster.why
    );
}

#[test]
fn find_patterns_and_direct_paths() {
    let base = fixtures();
    let pattern = base.join("s2/*MSIL2A*.SAFE");
    let f = find(&[pattern]).unwrap();
    assert_eq!(f.scenes.len(), 3);
    assert!(f.skipped.is_empty());

    // An empty folder among a pattern's matches is reported as such.
    let tmp = tempfile::tempdir().unwrap();
    fs::create_dir(tmp.path().join("empty")).unwrap();
    let f = find(&[tmp.path().join("*")]).unwrap();
    assert_eq!(f.skipped.len(), 1);
    assert_eq!(
        f.skipped[0].why,
        SkipReason::Unrecognised("an empty folder".into())
    );

    let none = base.join("s2/*.nothing");
    let e = err_text(find(std::slice::from_ref(&none)).unwrap_err());
    assert!(
        e.contains("matches nothing") && e.contains(&none.display().to_string()),
        "{e}"
    );

    let e = err_text(find(&[base.join("s2/[")]).unwrap_err());
    assert!(e.contains("pattern"), "{e}");

    let e = err_text(find(&[base.join("no/such/folder")]).unwrap_err());
    assert!(e.contains("no such file or folder"), "{e}");

    // The product folder, its metadata file and the MTL: the same scenes.
    let f = find(&[
        base.join(S2_0509),
        base.join(S2_0509).join("MTD_MSIL2A.xml"),
        base.join(LC09),
        base.join(LC09)
            .join("LC09_L2SP_119029_20240601_20240602_02_T1_MTL.txt"),
    ])
    .unwrap();
    assert_eq!(f.scenes.len(), 2);
    assert_eq!(f.duplicates.len(), 2);
    assert!(f.duplicates.iter().all(|d| d.why == "the same product"));

    let e = err_text(find(&[base.join("README.md")]).unwrap_err());
    assert!(e.contains("not a scene"), "{e}");
}

#[test]
fn find_reports_bad_zips_and_keeps_the_later_processing() {
    let tmp = tempfile::tempdir().unwrap();
    let zip = tmp
        .path()
        .join("S2B_MSIL2A_20230823T095559_N0509_R122_T34UCF_20230823T124759.zip");
    fs::write(&zip, b"PK").unwrap();
    let e = err_text(find(std::slice::from_ref(&zip)).unwrap_err());
    assert!(
        e.contains(&zip.display().to_string())
            && e.contains("damaged or unreadable zip archive")
            && e.contains("unzip it and give the folder"),
        "{e}"
    );

    // The same acquisition processed twice (baseline 05.09 and a copy renamed
    // as an older 04.00 processing): the later one is kept.
    let newer = tmp.path().join("c/new.SAFE");
    copy_dir(&fixtures().join(S2_0509), &newer);
    let older = tmp.path().join("c/old.SAFE");
    copy_dir(&fixtures().join(S2_0509), &older);
    let mtd = older.join("MTD_MSIL2A.xml");
    let text = fs::read_to_string(&mtd).unwrap();
    fs::write(
        &mtd,
        text.replace(
            "_N0509_R122_T34UCF_20230823T124759",
            "_N0400_R122_T34UCF_20230823T110000",
        ),
    )
    .unwrap();
    let f = find(&[tmp.path().join("c")]).unwrap();
    assert_eq!(f.scenes.len(), 1);
    assert!(f.scenes[0].id.contains("N0509"));
    assert_eq!(f.duplicates.len(), 1);
    assert!(f.duplicates[0].scene.id.contains("N0400"));
    assert!(f.duplicates[0].why.contains("same acquisition"));
    // A zip beside its unzipped folder says to use the folder.
    let beside = tmp.path().join("c/new.zip");
    fs::write(&beside, b"PK").unwrap();
    let e = err_text(find(std::slice::from_ref(&beside)).unwrap_err());
    assert!(
        e.contains("zipped copy of") && e.contains("new.SAFE"),
        "{e}"
    );
    fs::remove_file(&beside).unwrap();
    // A damaged zip in the collection is skipped as unreadable, not fatal.
    fs::rename(&zip, tmp.path().join("c/x_MSIL2A.zip")).unwrap();
    let f = find(&[tmp.path().join("c")]).unwrap();
    assert!(f.skipped.iter().any(
        |s| matches!(&s.why, SkipReason::Unreadable(r) if r.contains("unreadable zip archive"))
    ));
}

#[test]
fn a_broken_product_in_a_collection_is_skipped_as_unreadable() {
    let tmp = tempfile::tempdir().unwrap();
    let good = tmp.path().join("good.SAFE");
    copy_dir(&fixtures().join(S2_0509), &good);
    let bad = tmp.path().join("bad.SAFE");
    copy_dir(&fixtures().join(S2_0208), &bad);
    fs::write(bad.join("MTD_MSIL2A.xml"), "<oops").unwrap();
    let f = find(&[tmp.path().to_path_buf()]).unwrap();
    assert_eq!(f.scenes.len(), 1);
    assert_eq!(f.skipped.len(), 1);
    assert!(
        matches!(&f.skipped[0].why, SkipReason::Unreadable(r) if r.contains("not well-formed XML"))
    );
    // Named directly, the same product is an error.
    assert!(find(&[bad]).is_err());
}

#[test]
fn seasons() {
    let s = Season::parse("test", "05-01", "09-30").unwrap();
    assert!(in_season(date(2024, 5, 1), 2024, &s));
    assert!(in_season(date(2024, 9, 30), 2024, &s));
    assert!(!in_season(date(2024, 4, 30), 2024, &s));
    assert!(!in_season(date(2024, 10, 1), 2024, &s));
    assert!(!in_season(date(2023, 6, 1), 2024, &s));
    assert_eq!(s.to_string(), "05-01..09-30");
    assert_eq!(Season::parse_pair("--season", "05-01,09-30").unwrap(), s);
    let e = err_text(Season::parse("config.toml", "11-01", "02-28").unwrap_err());
    assert!(
        e.contains("config.toml") && e.contains("wraps the year end"),
        "{e}"
    );
    let e = err_text(Season::parse("--season", "5-1", "09-30").unwrap_err());
    assert!(e.contains("MM-DD"), "{e}");
    assert!(Season::parse("x", "02-30", "03-01").is_err());
    assert!(Season::parse_pair("x", "05-01").is_err());
    assert_eq!(Season::from_list("cfg", &["05-01", "09-30"]).unwrap(), s);
    let e = err_text(Season::from_list("cfg", &["05-01"]).unwrap_err());
    assert!(e.contains("cfg") && e.contains("1 date(s), not two"), "{e}");
    // 02-29 is a valid bound; in a common year the window still ends on 03-01.
    let leap = Season::parse("x", "02-29", "03-01").unwrap();
    assert!(in_season(date(2023, 3, 1), 2023, &leap));
    assert!(!in_season(date(2023, 2, 28), 2023, &leap));
    assert!(in_season(date(2024, 2, 29), 2024, &leap));
}

/// Every truncation of every metadata fixture is read without a panic: a clean
/// error (naming the file) or, where the cut left a complete document, a scene.
#[test]
fn truncated_metadata_never_panics() {
    let tmp = tempfile::tempdir().unwrap();
    let cases: [(&str, &str); 5] = [
        (S2_0509, "MTD_MSIL2A.xml"),
        (
            S2_0509,
            "GRANULE/L2A_T34UCF_A033753_20230823T095553/MTD_TL.xml",
        ),
        (LC09, "LC09_L2SP_119029_20240601_20240602_02_T1_MTL.json"),
        (LC09, "LC09_L2SP_119029_20240601_20240602_02_T1_MTL.txt"),
        ("manifest", "scenes.toml"),
    ];
    for (i, (product, file)) in cases.iter().enumerate() {
        let dir = tmp.path().join(format!("{i}.SAFE"));
        copy_dir(&fixtures().join(product), &dir);
        let target = dir.join(file);
        let full = fs::read(&target).unwrap();
        let step = (full.len() / 40).max(1);
        for cut in (0..full.len()).step_by(step) {
            fs::write(&target, &full[..cut]).unwrap();
            let result = if file.ends_with(".toml") {
                read_manifest(&target).map(|_| ())
            } else if file.contains("_MTL.") {
                read_mtl(&target).map(|_| ())
            } else {
                read_safe(&dir).map(|_| ())
            };
            if let Err(e) = result {
                let msg = e.to_string();
                assert!(
                    msg.contains(&dir.display().to_string()),
                    "{file} cut at {cut}: {msg}"
                );
            }
        }
    }
}

/// Zips the fixture product folder `dir` as `zip` (members under `top/`, or at the
/// archive's root when `top` is empty), deflated or stored by turns, plus `extra`
/// members (name, bytes).
fn zip_product(dir: &Path, zip: &Path, top: &str, extra: &[(&str, &[u8])]) {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    fn files(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut es: Vec<_> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        es.sort();
        for p in es {
            if p.is_dir() {
                files(&p, out);
            } else {
                out.push(p);
            }
        }
    }
    let mut all = Vec::new();
    files(dir, &mut all);
    let mut w = zip::ZipWriter::new(fs::File::create(zip).unwrap());
    for (k, p) in all.iter().enumerate() {
        let rel = p
            .strip_prefix(dir)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let name = if top.is_empty() {
            rel
        } else {
            format!("{top}/{rel}")
        };
        let method = if k % 2 == 0 {
            zip::CompressionMethod::Deflated
        } else {
            zip::CompressionMethod::Stored
        };
        w.start_file(
            name,
            SimpleFileOptions::default().compression_method(method),
        )
        .unwrap();
        w.write_all(&fs::read(p).unwrap()).unwrap();
    }
    for (name, bytes) in extra {
        w.start_file(*name, SimpleFileOptions::default()).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap();
}

#[test]
fn zipped_products_read_as_their_folders() {
    use reclaim::scenes::zipped::{read_safe_zip_in, unpack_bands};
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let dir = fixtures().join(S2_0509);
    let folder = read_safe(&dir).unwrap();
    let product = file_name(&dir);
    for (zip_name, top) in [
        (format!("{product}.zip"), product.clone()),
        ("flat.zip".to_string(), String::new()),
    ] {
        let zip = tmp.path().join("dl").join(&zip_name);
        fs::create_dir_all(zip.parent().unwrap()).unwrap();
        // A member that tries to leave the product, and one the reader ignores.
        zip_product(
            &dir,
            &zip,
            &top,
            &[("../escape.txt", b"x"), ("manifest.safe", b"<x/>")],
        );
        let before = fs::read(&zip).unwrap();
        let s = read_safe_zip_in(&zip, &cache).unwrap();
        // Everything but where the files are equals the folder's scene.
        assert_eq!(s.source, zip);
        assert_eq!(
            (&s.id, s.kind, s.date, &s.tile, s.scale, s.offset, s.nodata, &s.georef),
            (
                &folder.id,
                folder.kind,
                folder.date,
                &folder.tile,
                folder.scale,
                folder.offset,
                folder.nodata,
                &folder.georef
            )
        );
        // Listing unpacks the metadata only; the bands come when the scene is used,
        // then they are the product's, byte for byte.
        let mut bands = vec![
            (&s.red.path, &folder.red.path),
            (&s.nir.path, &folder.nir.path),
            (
                &s.mask.as_ref().unwrap().band.path,
                &folder.mask.as_ref().unwrap().band.path,
            ),
        ];
        for (a, b) in &bands {
            assert_eq!(file_name(a), file_name(b));
            assert!(a.starts_with(&cache), "{}", a.display());
            assert!(!a.exists(), "{}", a.display());
        }
        unpack_bands(&s).unwrap();
        for (a, b) in bands.drain(..) {
            assert_eq!(fs::read(a).unwrap(), fs::read(b).unwrap());
        }
        unpack_bands(&s).unwrap(); // nothing to do the second time
        unpack_bands(&folder).unwrap(); // not from a zip: nothing to do
                                        // The archive is untouched; nothing escaped; a rerun reuses the unpacking.
        assert_eq!(fs::read(&zip).unwrap(), before);
        assert!(!tmp.path().join("escape.txt").exists());
        assert!(!cache.join("escape.txt").exists());
        let again = read_safe_zip_in(&zip, &cache).unwrap();
        assert_eq!(again.red.path, s.red.path);
    }
    let unpacked: Vec<_> = fs::read_dir(cache.join("unzipped-v1"))
        .unwrap()
        .map(|e| file_name(&e.unwrap().path()))
        .collect();
    assert_eq!(unpacked.len(), 2, "{unpacked:?}"); // one per archive
    assert!(no_part_files(&cache));
}

/// No half-written file (`.part-…`) below `dir`.
fn no_part_files(dir: &Path) -> bool {
    fs::read_dir(dir).map_or(true, |es| {
        es.flatten().all(|e| {
            let p = e.path();
            !file_name(&p).starts_with(".part-") && (!p.is_dir() || no_part_files(&p))
        })
    })
}

#[test]
fn damaged_and_foreign_zips_are_errors_never_panics() {
    use reclaim::scenes::zipped::read_safe_zip_in;
    let tmp = tempfile::tempdir().unwrap();
    let cache = tmp.path().join("cache");
    let good = tmp.path().join("good.zip");
    zip_product(&fixtures().join(S2_0509), &good, "P.SAFE", &[]);
    let bytes = fs::read(&good).unwrap();
    // Cut anywhere, or a byte flipped in the data: an error naming the archive.
    let bad = tmp.path().join("S2B_MSIL2A_bad.zip");
    for cut in [2, 30, bytes.len() / 3, bytes.len() / 2, bytes.len() - 10] {
        fs::write(&bad, &bytes[..cut]).unwrap();
        let e = err_text(read_safe_zip_in(&bad, &cache).unwrap_err());
        assert!(e.contains("S2B_MSIL2A_bad.zip"), "{e}");
    }
    let mut flipped = bytes.clone();
    for b in flipped.iter_mut().skip(200).step_by(97).take(40) {
        *b ^= 0x5a;
    }
    fs::write(&bad, &flipped).unwrap();
    if let Err(e) = read_safe_zip_in(&bad, &cache) {
        assert!(err_text(e).contains("S2B_MSIL2A_bad.zip"));
    }
    // No half-written file is ever left to be read.
    assert!(no_part_files(&cache));
    // A zip of something else, and a zipped Level-1C product.
    let other = tmp.path().join("other.zip");
    zip_product(&fixtures().join(LC09), &other, "LC09", &[]);
    let e = err_text(read_safe_zip_in(&other, &cache).unwrap_err());
    assert!(e.contains("without a Sentinel-2 L2A product"), "{e}");
    let l1c = tmp.path().join("l1c.zip");
    zip_product(&fixtures().join(S2_L1C), &l1c, "L1C.SAFE", &[]);
    let e = err_text(read_safe_zip_in(&l1c, &cache).unwrap_err());
    assert!(e.contains("Level-1C"), "{e}");
}
