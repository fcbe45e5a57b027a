//! `[accuracy]` in audit.toml: the audit assesses its own map with a labelled sample.
//!
//! A 40 × 20-cell scene of 10 m cells (UTM 51N) with two cell-aligned pits, P0 under
//! a valid licence (responsible) and P1 outside it (legacy). Cells are painted
//! restored / unrestored / water / no data by a fixed hash, so every mapped area is a
//! count of cells × 0.01 ha, counted here from the painting. The samples are written
//! by hand (cell centres chosen in scan order, labels by a fixed rule), and the
//! expected estimates are computed here from the counts with Olofsson et al. (2014)
//! eqs. 1–11 and Stehman (2014)'s stratified estimators, independently of reclaim.

use reclaim::accuracy::in_audit::InAuditError;
use reclaim::audit::{self, AuditConfig, AuditError, AuditOptions};
use std::path::Path;
use tiff::encoder::colortype;

mod common;

const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_100.0;
const W: usize = 40;
const H: usize = 20;
/// Pits as (col0, row0, col1, row1), exclusive ends: P0 responsible, P1 legacy.
const PITS: [(usize, usize, usize, usize); 2] = [(2, 2, 18, 10), (22, 4, 38, 16)];
/// The licence over P0: (col0, row0, col1, row1).
const LICENCE: (usize, usize, usize, usize) = (0, 0, 20, 12);
/// Hectares of one 10 m cell.
const CELL_HA: f64 = 0.01;
const CLASSES: [&str; 3] = ["restored", "unrestored", "water"];

/// The painted class of a cell: 0 restored, 1 unrestored, 2 water, 3 no data.
fn class(col: usize, row: usize) -> u8 {
    let mut x = (row * W + col) as u64 + 17;
    x = x
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407);
    x ^= x >> 29;
    match x % 20 {
        0..=10 => 0,
        11..=16 => 1,
        17..=18 => 2,
        _ => 3,
    }
}

/// The pit holding a cell, if any.
fn pit_of(col: usize, row: usize) -> Option<usize> {
    PITS.iter()
        .position(|&(c0, r0, c1, r1)| (c0..c1).contains(&col) && (r0..r1).contains(&row))
}

fn centre(col: usize, row: usize) -> (f64, f64) {
    (
        X0 + 10.0 * (col as f64 + 0.5),
        Y0 - 10.0 * (row as f64 + 0.5),
    )
}

fn rect(c0: usize, r0: usize, c1: usize, r1: usize) -> String {
    let p = |c: usize, r: usize| format!("[{},{}]", X0 + 10.0 * c as f64, Y0 - 10.0 * r as f64);
    format!(
        "[[{},{},{},{},{}]]",
        p(c0, r0),
        p(c1, r0),
        p(c1, r1),
        p(c0, r1),
        p(c0, r0)
    )
}

fn collection(features: &[String]) -> String {
    format!(
        r#"{{"type":"FeatureCollection","crs":{{"type":"name","properties":{{"name":"EPSG:32651"}}}},"features":[{}]}}"#,
        features.join(",")
    )
}

/// Writes the scene and its audit.toml (with `extra` appended) into `dir`.
fn write_scene(dir: &Path, licences: bool, extra: &str) -> AuditConfig {
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
            5,
            Some("0"),
        );
    };
    band("red.tif", |v| v.0);
    band("nir.tif", |v| v.1);
    let pits: Vec<String> = PITS
        .iter()
        .enumerate()
        .map(|(i, &(c0, r0, c1, r1))| {
            format!(
                r#"{{"type":"Feature","properties":{{"pit_id":"P{i}"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
                rect(c0, r0, c1, r1)
            )
        })
        .collect();
    std::fs::write(dir.join("pits.geojson"), collection(&pits)).unwrap();
    let (c0, r0, c1, r1) = LICENCE;
    std::fs::write(
        dir.join("licences.geojson"),
        collection(&[format!(
            r#"{{"type":"Feature","properties":{{"license_id":"L1","holder":"Holder A","status":"valid","valid_to":"2030-12-31"}},"geometry":{{"type":"Polygon","coordinates":{}}}}}"#,
            rect(c0, r0, c1, r1)
        )]),
    )
    .unwrap();
    let licence_section = if licences {
        "[licenses]\npath = \"licences.geojson\"\n"
    } else {
        ""
    };
    std::fs::write(
        dir.join("audit.toml"),
        format!(
            "audit_date = \"2024-12-31\"\n[imagery]\nred_path = \"red.tif\"\nnir_path = \"nir.tif\"\nrestored_min_ndvi = 0.3\nwater_max_ndvi = 0.0\n[pits]\npath = \"pits.geojson\"\nid_field = \"pit_id\"\n{licence_section}{extra}"
        ),
    )
    .unwrap();
    AuditConfig::load(&dir.join("audit.toml")).unwrap()
}

/// One hand-made sample point: its cell, stratum, map class and label.
#[derive(Debug, Clone)]
struct Pt {
    col: usize,
    row: usize,
    stratum: String,
    map: usize,
    reference: usize,
}

/// The first `n[k]` cells (scan order) of each stratum `k`, labelled by `label(k, j)`
/// (the j-th point of stratum k). Strata: the map classes, or with `by_resp` each
/// class on responsible (P0) then legacy (P1) land.
fn sample(n: &[usize], by_resp: bool, label: impl Fn(usize, usize) -> usize) -> Vec<Pt> {
    let strata: Vec<(usize, Option<usize>)> = (0..3)
        .flat_map(|c| {
            if by_resp {
                vec![(c, Some(0)), (c, Some(1))]
            } else {
                vec![(c, None)]
            }
        })
        .collect();
    let mut out = Vec::new();
    for (k, &(c, pit)) in strata.iter().enumerate() {
        let cells = (0..H)
            .flat_map(|r| (0..W).map(move |col| (col, r)))
            .filter(|&(col, r)| {
                class(col, r) as usize == c
                    && pit_of(col, r).is_some_and(|p| pit.is_none_or(|q| q == p))
            })
            .take(n[k]);
        for (j, (col, row)) in cells.enumerate() {
            let stratum = match pit {
                None => CLASSES[c].to_string(),
                Some(0) => format!("{}/responsible", CLASSES[c]),
                Some(_) => format!("{}/legacy", CLASSES[c]),
            };
            out.push(Pt {
                col,
                row,
                stratum,
                map: c,
                reference: label(k, j),
            });
        }
    }
    out
}

fn sample_csv(points: &[Pt]) -> String {
    let mut s = "id,x,y,lon,lat,stratum,map_class,reference\n".to_string();
    for (i, p) in points.iter().enumerate() {
        let (x, y) = centre(p.col, p.row);
        s += &format!(
            "{},{x},{y},0,0,{},{},{}\n",
            i + 1,
            p.stratum,
            CLASSES[p.map],
            CLASSES[p.reference]
        );
    }
    s
}

/// Mapped hectares of class `c` on pit `pit` (any pit: `None`), from the painting.
fn mapped_ha(c: u8, pit: Option<usize>) -> f64 {
    let cells = (0..H)
        .flat_map(|r| (0..W).map(move |col| (col, r)))
        .filter(|&(col, r)| {
            class(col, r) == c && pit_of(col, r).is_some_and(|p| pit.is_none_or(|q| q == p))
        })
        .count();
    cells as f64 * CELL_HA
}

/// A stratum as the expectation sees it: area, points, and per point (map, reference).
struct Stratum {
    area: f64,
    points: Vec<(usize, usize)>,
}

/// Expected `Σ_h W_h ȳ_h` and its SE `√Σ_h W_h² s²_h / n_h` of a 0/1 variable
/// (s²_h = p_h(1 − p_h) n_h/(n_h − 1) for a share p_h): Stehman eq. 25, and with
/// strata = classes Olofsson eqs. 8 and 10.
fn mean_and_se(strata: &[Stratum], y: impl Fn(usize, usize, usize) -> bool) -> (f64, f64) {
    let a: f64 = strata.iter().map(|s| s.area).sum();
    let (mut est, mut var) = (0.0, 0.0);
    for (h, s) in strata.iter().enumerate() {
        let n = s.points.len() as f64;
        let p = s.points.iter().filter(|&&(m, r)| y(h, m, r)).count() as f64 / n;
        let w = s.area / a;
        est += w * p;
        var += w * w * p * (1.0 - p) / (n - 1.0);
    }
    (est, var.sqrt())
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

#[track_caller]
fn close(v: &serde_json::Value, expected: f64, what: &str) {
    let got = v
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {v}"));
    assert!(
        (got - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{what}: {got} vs expected {expected}"
    );
}

#[track_caller]
fn close_estimate(v: &serde_json::Value, est: f64, se: f64, what: &str) {
    close(&v["estimate"], est, what);
    close(&v["se"], se, &format!("{what} se"));
    close(&v["ci95"][0], est - 1.96 * se, &format!("{what} ci95 lo"));
    close(&v["ci95"][1], est + 1.96 * se, &format!("{what} ci95 hi"));
}

/// "585 ± 31", the report's rounding: no decimals from a half-width of 10, 1 from 1.
fn pm(est: f64, se: f64) -> String {
    let h = 1.96 * se;
    let d = if h >= 10.0 {
        0
    } else if h >= 1.0 {
        1
    } else {
        2
    };
    format!("{est:.d$} ± {h:.d$}")
}

fn run_and_write(cfg: &AuditConfig, dir: &Path, out: &str) -> Result<(), AuditError> {
    let opts = AuditOptions {
        scratch_dir: Some(dir.to_path_buf()),
        ..AuditOptions::default()
    };
    let report = audit::run(cfg, &opts)?;
    audit::write(&report, &dir.join(out)).unwrap();
    Ok(())
}

#[test]
fn audit_with_a_sample_stratified_by_class_reports_olofsson_areas() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // 20 / 15 / 6 points; a fifth of the restored points are unrestored and one is
    // water, a third of the unrestored ones restored, one water point unrestored.
    let points = sample(&[20, 15, 6], false, |k, j| match (k, j) {
        (0, 1) => 2,
        (0, j) if j.is_multiple_of(5) => 1,
        (0, _) => 0,
        (1, j) if j.is_multiple_of(3) => 0,
        (1, _) => 1,
        (_, 0) => 1,
        _ => 2,
    });
    std::fs::write(d.join("labelled.csv"), sample_csv(&points)).unwrap();
    let cfg = write_scene(d, true, "[accuracy]\nreference = \"labelled.csv\"\n");
    // The path is relative to the config file.
    assert_eq!(
        cfg.accuracy.as_ref().unwrap().reference,
        d.canonicalize().unwrap().join("labelled.csv")
    );
    run_and_write(&cfg, d, "out").unwrap();
    let out = d.join("out");
    let s = json(&out.join("summary.json"));

    // The mapped areas, counted from the painting.
    let areas: Vec<f64> = (0..3).map(|c| mapped_ha(c, None)).collect();
    close(&s["restored_ha"], areas[0], "mapped restored");
    close(&s["unrestored_ha"], areas[1], "mapped unrestored");
    close(&s["water_ha"], areas[2], "mapped water");
    let a_total: f64 = areas.iter().sum();
    let strata: Vec<Stratum> = (0..3)
        .map(|c| Stratum {
            area: areas[c],
            points: points
                .iter()
                .filter(|p| p.map == c)
                .map(|p| (p.map, p.reference))
                .collect(),
        })
        .collect();
    // The counts are what the rule says (so the test's sample is the intended one).
    let n = |i: usize, j: usize| strata[i].points.iter().filter(|p| p.1 == j).count();
    assert_eq!([n(0, 0), n(0, 1), n(0, 2)], [15, 4, 1]);
    assert_eq!([n(1, 0), n(1, 1), n(1, 2)], [5, 10, 0]);
    assert_eq!([n(2, 0), n(2, 1), n(2, 2)], [0, 1, 5]);

    let acc = &s["accuracy"];
    assert_eq!(acc["method"], "olofsson2014");
    assert_eq!(acc["n"], 41);
    assert_eq!(acc["by_responsibility"], false);
    assert_eq!(acc["finite_population_correction"], false);
    close(&acc["observed_ha"], a_total, "observed");
    // Olofsson eq. 8 / 10 (p̂_·k = Σ_i W_i n_ik / n_i·), eq. 9 / 11 (× A).
    let mut headline = Vec::new();
    for (k, key) in ["restored_ha", "unrestored_ha", "water_ha"]
        .iter()
        .enumerate()
    {
        let (p, se) = mean_and_se(&strata, |_, _, r| r == k);
        close_estimate(&acc[key], a_total * p, a_total * se, key);
        close_estimate(
            &acc["classes"][k]["area_ha"],
            a_total * p,
            a_total * se,
            key,
        );
        close(&acc["classes"][k]["map_area_ha"], areas[k], "map area");
        headline.push(pm(a_total * p, a_total * se));
    }
    assert!(acc.get("unrestored_legacy_ha").is_none());
    // Overall (eqs. 1, 5) and user's accuracy (eqs. 2, 6).
    let (o, ose) = mean_and_se(&strata, |_, m, r| m == r);
    close_estimate(&acc["overall_accuracy"], o, ose, "overall");
    for i in 0..3 {
        let ni = strata[i].points.len() as f64;
        let u = n(i, i) as f64 / ni;
        close_estimate(
            &acc["classes"][i]["users_accuracy"],
            u,
            (u * (1.0 - u) / (ni - 1.0)).sqrt(),
            "user's",
        );
        // Producer's (eq. 3): p̂_jj / p̂_·j.
        let w = |c: usize| areas[c] / a_total;
        let pjj = w(i) * u;
        let pj: f64 = (0..3)
            .map(|c| w(c) * n(c, i) as f64 / strata[c].points.len() as f64)
            .sum();
        close(
            &acc["classes"][i]["producers_accuracy"]["estimate"],
            pjj / pj,
            "producer's",
        );
    }
    assert_eq!(
        acc["files"],
        serde_json::json!(["accuracy.json", "accuracy.csv"])
    );

    // The folder has the standalone command's files, and the class raster.
    for f in ["accuracy.json", "accuracy.csv", "classes.tif"] {
        assert!(out.join(f).is_file(), "{f}");
    }
    let aj = json(&out.join("accuracy.json"));
    assert_eq!(aj["format"], "reclaim-accuracy");
    assert_eq!(aj["classes"][0]["area_ha"], acc["restored_ha"]);
    assert_eq!(
        aj["error_matrix_counts"],
        serde_json::json!([[15, 4, 1], [5, 10, 0], [0, 1, 5]])
    );
    let csv = std::fs::read_to_string(out.join("accuracy.csv")).unwrap();
    assert!(csv.starts_with("quantity,class,estimate,se,ci95_lo,ci95_hi\noverall_accuracy,"));

    // The report: "x ± y ha" with the rounding of the interval, and the accuracies.
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains(&format!("restored <b>{} ha</b>", headline[0])),
        "{}",
        headline[0]
    );
    assert!(html.contains(&format!("unrestored <b>{} ha</b>", headline[1])));
    assert!(html.contains("精度评价与面积校正"));
    assert!(html.contains(&format!("{:.3} ± {:.3}", o, 1.96 * ose)));
    assert!(html.contains("From 41 labelled points"));

    // With the finite-population correction each stratum's variance term is
    // multiplied by 1 − n_h / N_h, N_h its cells (here whole cells: A_h / 0.01 ha).
    let cfg = write_scene(
        d,
        true,
        "[accuracy]\nreference = \"labelled.csv\"\nfpc = true\n",
    );
    run_and_write(&cfg, d, "out-fpc").unwrap();
    let acc = json(&d.join("out-fpc/summary.json"))["accuracy"].clone();
    assert_eq!(acc["finite_population_correction"], true);
    for (k, key) in ["restored_ha", "unrestored_ha", "water_ha"]
        .iter()
        .enumerate()
    {
        let (p, _) = mean_and_se(&strata, |_, _, r| r == k);
        let var: f64 = strata
            .iter()
            .map(|s| {
                let n = s.points.len() as f64;
                let q = s.points.iter().filter(|x| x.1 == k).count() as f64 / n;
                let w = s.area / a_total;
                w * w * (1.0 - n / (s.area / CELL_HA).round()) * q * (1.0 - q) / (n - 1.0)
            })
            .sum();
        close_estimate(&acc[key], a_total * p, a_total * var.sqrt(), key);
    }
}

#[test]
fn audit_with_a_sample_by_responsibility_reports_legacy_and_responsible_land() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    // Strata: restored/responsible, restored/legacy, unrestored/…, water/…; every
    // third point is labelled another class.
    let n = [8, 8, 6, 6, 3, 3];
    let flip = |k: usize, j: usize| {
        let c = k / 2;
        if j.is_multiple_of(3) {
            [1, 0, 1][c]
        } else {
            c
        }
    };
    let points = sample(&n, true, flip);
    assert_eq!(points.len(), 34);
    std::fs::write(d.join("labelled.csv"), sample_csv(&points)).unwrap();
    let cfg = write_scene(d, true, "[accuracy]\nreference = \"labelled.csv\"\n");
    run_and_write(&cfg, d, "out").unwrap();
    let s = json(&d.join("out/summary.json"));
    let acc = &s["accuracy"];
    assert_eq!(acc["method"], "stehman2014");
    assert_eq!(acc["by_responsibility"], true);

    // Strata in the sample's order: class × (P0 responsible, P1 legacy).
    let strata: Vec<Stratum> = (0..6)
        .map(|k| Stratum {
            area: mapped_ha((k / 2) as u8, Some(k % 2)),
            points: points
                .iter()
                .filter(|p| {
                    p.map == k / 2 && p.stratum.ends_with(["/responsible", "/legacy"][k % 2])
                })
                .map(|p| (p.map, p.reference))
                .collect(),
        })
        .collect();
    let a_total: f64 = strata.iter().map(|s| s.area).sum();
    close(&s["unrestored_legacy_ha"], strata[3].area, "mapped legacy");
    let (p, se) = mean_and_se(&strata, |_, _, r| r == 1);
    close_estimate(
        &acc["unrestored_ha"],
        a_total * p,
        a_total * se,
        "unrestored",
    );
    let (p, se) = mean_and_se(&strata, |h, _, r| r == 1 && h % 2 == 1);
    close_estimate(
        &acc["unrestored_legacy_ha"],
        a_total * p,
        a_total * se,
        "legacy",
    );
    let legacy = pm(a_total * p, a_total * se);
    let (p, se) = mean_and_se(&strata, |h, _, r| r == 1 && h % 2 == 0);
    close_estimate(
        &acc["unrestored_responsible_ha"],
        a_total * p,
        a_total * se,
        "responsible",
    );
    let responsible = pm(a_total * p, a_total * se);
    let (p, se) = mean_and_se(&strata, |_, _, r| r == 0);
    close_estimate(&acc["restored_ha"], a_total * p, a_total * se, "restored");

    let html = std::fs::read_to_string(d.join("out/report.html")).unwrap();
    assert!(
        html.contains(&format!(
            "of which responsible {responsible} ha and legacy {legacy} ha"
        )),
        "{responsible} / {legacy}"
    );
}

#[test]
fn a_sample_of_another_map_is_refused_naming_the_file_and_the_fix() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let mut points = sample(&[5, 5, 3], false, |k, _| k);
    // Drawn from another run: its third restored point lies on unrestored land here.
    let (col, row) = (0..H)
        .flat_map(|r| (0..W).map(move |c| (c, r)))
        .find(|&(c, r)| class(c, r) == 1 && pit_of(c, r).is_some())
        .unwrap();
    points[2].col = col;
    points[2].row = row;
    std::fs::write(d.join("other-run.csv"), sample_csv(&points)).unwrap();
    let cfg = write_scene(d, true, "[accuracy]\nreference = \"other-run.csv\"\n");
    let e = run_and_write(&cfg, d, "out").unwrap_err();
    assert!(
        matches!(&e, AuditError::Accuracy(b) if matches!(**b, InAuditError::Mismatch { .. })),
        "{e:?}"
    );
    let msg = e.to_string();
    for needle in [
        "other-run.csv",
        "row 4",
        "does not match this audit",
        "reclaim sample --audit",
        "remove [accuracy]",
    ] {
        assert!(msg.contains(needle), "{needle:?} not in {msg}");
    }
    assert!(!d.join("out").exists());

    // A sample by responsibility in an audit without licences.
    let points = sample(&[3, 3, 3, 3, 2, 2], true, |k, _| k / 2);
    std::fs::write(d.join("by-resp.csv"), sample_csv(&points)).unwrap();
    let cfg = write_scene(d, false, "[accuracy]\nreference = \"by-resp.csv\"\n");
    let e = run_and_write(&cfg, d, "out").unwrap_err().to_string();
    assert!(
        e.contains("by-resp.csv") && e.contains("no licence layer"),
        "{e}"
    );

    // A stratum with one point: no variance; the error names the stratum.
    let points = sample(&[5, 5, 1], false, |k, _| k);
    std::fs::write(d.join("one.csv"), sample_csv(&points)).unwrap();
    let cfg = write_scene(d, true, "[accuracy]\nreference = \"one.csv\"\n");
    let e = run_and_write(&cfg, d, "out").unwrap_err().to_string();
    assert!(
        e.contains("one.csv") && e.contains("\"water\"") && e.contains("only 1"),
        "{e}"
    );

    // A label that is not a class: the file and row named.
    let text =
        sample_csv(&sample(&[5, 5, 3], false, |k, _| k)).replacen(",restored\n", ",forest\n", 1);
    std::fs::write(d.join("bad.csv"), text).unwrap();
    let cfg = write_scene(d, true, "[accuracy]\nreference = \"bad.csv\"\n");
    let e = run_and_write(&cfg, d, "out").unwrap_err().to_string();
    assert!(
        e.contains("bad.csv, row 2") && e.contains("\"forest\""),
        "{e}"
    );
    assert!(!d.join("out").exists());
}

#[test]
fn the_accuracy_section_refuses_unknown_keys_and_other_formats() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    write_scene(d, true, "");
    let text = std::fs::read_to_string(d.join("audit.toml")).unwrap();
    let with = |section: &str| format!("{text}[accuracy]\n{section}");
    let e = AuditConfig::from_toml(
        &with("reference = \"s.csv\"\nfcp = true\n"),
        Path::new("a.toml"),
    )
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("fcp") && e.contains("did you mean `fpc`") && e.contains("[accuracy]"),
        "{e}"
    );
    let e = AuditConfig::from_toml(&with("fpc = true\n"), Path::new("a.toml"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("`reference` is missing"), "{e}");
    let c = AuditConfig::from_toml(&with("reference = \"s.xlsx\"\n"), Path::new("a.toml")).unwrap();
    let e = c.validate().unwrap_err().to_string();
    assert!(
        e.contains("[accuracy] reference") && e.contains(".csv, .geojson or .shp"),
        "{e}"
    );
    // Without the section the configuration as recorded has none.
    let c = AuditConfig::from_toml(&text, Path::new("a.toml")).unwrap();
    assert!(c.accuracy.is_none() && !c.to_toml().contains("accuracy"));
    let c = AuditConfig::from_toml(
        &with("reference = \"s.csv\"\nfpc = true\n"),
        Path::new("a.toml"),
    )
    .unwrap();
    assert!(c.to_toml().contains("[accuracy]") && c.accuracy.unwrap().fpc);
}

// ---- Point shapefiles --------------------------------------------------------

const PRJ_UTM51N: &str = "PROJCS[\"WGS_1984_UTM_Zone_51N\",GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]],PROJECTION[\"Transverse_Mercator\"],PARAMETER[\"False_Easting\",500000.0],PARAMETER[\"False_Northing\",0.0],PARAMETER[\"Central_Meridian\",123.0],PARAMETER[\"Scale_Factor\",0.9996],PARAMETER[\"Latitude_Of_Origin\",0.0],UNIT[\"Meter\",1.0]]";
const PRJ_WGS84: &str = "GEOGCS[\"GCS_WGS_1984\",DATUM[\"D_WGS_1984\",SPHEROID[\"WGS_1984\",6378137.0,298.257223563]],PRIMEM[\"Greenwich\",0.0],UNIT[\"Degree\",0.0174532925199433]]";

/// Writes a point shapefile (.shp, .shx, .dbf, and .prj when given) byte by byte:
/// `points` (x, y) with text fields `fields` and one row of values per point.
fn write_point_shapefile(
    base: &Path,
    points: &[(f64, f64)],
    fields: &[&str],
    rows: &[Vec<String>],
    prj: Option<&str>,
) {
    let header = |words: i32| {
        let mut h = vec![0u8; 100];
        h[0..4].copy_from_slice(&9994i32.to_be_bytes());
        h[24..28].copy_from_slice(&words.to_be_bytes());
        h[28..32].copy_from_slice(&1000i32.to_le_bytes());
        h[32..36].copy_from_slice(&1i32.to_le_bytes());
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for &(x, y) in points {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
        for (k, v) in [x0, y0, x1, y1].iter().enumerate() {
            h[36 + 8 * k..44 + 8 * k].copy_from_slice(&v.to_le_bytes());
        }
        h
    };
    let n = points.len() as i32;
    let mut shp = header(50 + 14 * n);
    let mut shx = header(50 + 4 * n);
    for (i, &(x, y)) in points.iter().enumerate() {
        shx.extend_from_slice(&(50 + 14 * i as i32).to_be_bytes());
        shx.extend_from_slice(&10i32.to_be_bytes());
        shp.extend_from_slice(&(i as i32 + 1).to_be_bytes());
        shp.extend_from_slice(&10i32.to_be_bytes());
        shp.extend_from_slice(&1i32.to_le_bytes());
        shp.extend_from_slice(&x.to_le_bytes());
        shp.extend_from_slice(&y.to_le_bytes());
    }
    const LEN: usize = 24;
    let mut dbf = vec![0x03, 125, 1, 1];
    dbf.extend_from_slice(&(rows.len() as u32).to_le_bytes());
    dbf.extend_from_slice(&((32 + 32 * fields.len() + 1) as u16).to_le_bytes());
    dbf.extend_from_slice(&((1 + LEN * fields.len()) as u16).to_le_bytes());
    dbf.extend_from_slice(&[0u8; 20]);
    for f in fields {
        let mut d = [0u8; 32];
        d[..f.len()].copy_from_slice(f.as_bytes());
        d[11] = b'C';
        d[16] = LEN as u8;
        dbf.extend_from_slice(&d);
    }
    dbf.push(0x0D);
    for r in rows {
        dbf.push(b' ');
        for v in r {
            dbf.extend_from_slice(format!("{v:<LEN$}").as_bytes());
        }
    }
    dbf.push(0x1A);
    std::fs::write(base.with_extension("shp"), shp).unwrap();
    std::fs::write(base.with_extension("shx"), shx).unwrap();
    std::fs::write(base.with_extension("dbf"), dbf).unwrap();
    if let Some(p) = prj {
        std::fs::write(base.with_extension("prj"), p).unwrap();
    }
}

#[test]
fn a_point_shapefile_reads_as_the_csv_it_was_saved_from() {
    use reclaim::accuracy::audit::read_labelled;
    use reclaim::crs::{Crs, Transformer};
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    let points = sample(
        &[4, 4, 3, 3, 2, 2],
        true,
        |k, j| if j == 0 { 1 } else { k / 2 },
    );
    std::fs::write(d.join("s.csv"), sample_csv(&points)).unwrap();
    let utm = Crs::from_epsg(32651).unwrap();
    let from_csv = read_labelled(&d.join("s.csv"), &utm).unwrap();
    let rows: Vec<Vec<String>> = points
        .iter()
        .map(|p| {
            let (x, y) = centre(p.col, p.row);
            vec![
                x.to_string(),
                y.to_string(),
                p.stratum.clone(),
                CLASSES[p.map].to_string(),
                CLASSES[p.reference].to_string(),
            ]
        })
        .collect();
    let xy: Vec<(f64, f64)> = points.iter().map(|p| centre(p.col, p.row)).collect();
    // QGIS upper-cases no names, but other tools do: fields match ignoring case.
    let fields = ["x", "y", "STRATUM", "map_class", "Reference"];
    let to_lonlat = Transformer::new(&utm, &Crs::from_epsg(4326).unwrap()).unwrap();
    let lonlat: Vec<(f64, f64)> = xy
        .iter()
        .map(|&(x, y)| to_lonlat.transform_point(x, y).unwrap())
        .collect();
    // In the project CRS, in lon/lat (moved back by the .prj), and without a .prj
    // (located by the x, y fields).
    for (name, pts, prj) in [
        ("utm", &xy, Some(PRJ_UTM51N)),
        ("lonlat", &lonlat, Some(PRJ_WGS84)),
        ("noprj", &xy, None),
    ] {
        // The geometry, not the fields, locates points that have a .prj: garble them.
        let rows: Vec<Vec<String>> = rows
            .iter()
            .map(|r| {
                let mut r = r.clone();
                if prj.is_some() {
                    r[0] = "garbled".into();
                }
                r
            })
            .collect();
        write_point_shapefile(&d.join(name), pts, &fields, &rows, prj);
        let got = read_labelled(&d.join(format!("{name}.shp")), &utm).unwrap();
        assert_eq!(got.len(), from_csv.len(), "{name}");
        for (g, c) in got.iter().zip(&from_csv) {
            assert_eq!(
                (g.row, &g.stratum, &g.map_class, &g.reference),
                (c.row, &c.stratum, &c.map_class, &c.reference),
                "{name}"
            );
            assert!(
                (g.x - c.x).abs() < 1e-3 && (g.y - c.y).abs() < 1e-3,
                "{name}: {g:?} vs {c:?}"
            );
        }
    }

    // Without a .prj and without x, y: the CRS is not guessed.
    write_point_shapefile(
        &d.join("bare"),
        &xy,
        &fields[2..],
        &rows.iter().map(|r| r[2..].to_vec()).collect::<Vec<_>>(),
        None,
    );
    let e = read_labelled(&d.join("bare.shp"), &utm)
        .unwrap_err()
        .to_string();
    assert!(e.contains("bare.shp") && e.contains(".prj"), "{e}");
    // Without the reference field: named, with the fields found.
    write_point_shapefile(
        &d.join("noref"),
        &xy,
        &fields[..4],
        &rows.iter().map(|r| r[..4].to_vec()).collect::<Vec<_>>(),
        Some(PRJ_UTM51N),
    );
    let e = read_labelled(&d.join("noref.shp"), &utm)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("noref.shp") && e.contains("\"reference\"") && e.contains("STRATUM"),
        "{e}"
    );
    // A truncated .shp is an error, not a panic.
    let shp = std::fs::read(d.join("utm.shp")).unwrap();
    std::fs::write(d.join("utm.shp"), &shp[..shp.len() - 9]).unwrap();
    std::fs::remove_file(d.join("utm.shx")).unwrap();
    assert!(read_labelled(&d.join("utm.shp"), &utm).is_err());
}
