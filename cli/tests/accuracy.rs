//! `reclaim sample` and `reclaim accuracy` end to end on the demo county, and their
//! refusals of bad input (exit 2, the file and row named, nothing written).

use std::path::Path;
use std::process::{Command, Output};

fn reclaim(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_reclaim"))
        .current_dir(dir)
        .env("RECLAIM_CACHE_DIR", dir.join("cache"))
        .args(args)
        .output()
        .unwrap()
}

#[track_caller]
fn expect_ok(o: &Output) {
    assert!(
        o.status.success(),
        "exit {:?}\n{}\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

#[track_caller]
fn expect_refused(o: &Output, needles: &[&str]) -> String {
    assert_eq!(
        o.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let e = String::from_utf8_lossy(&o.stderr).into_owned();
    for n in needles {
        assert!(e.contains(n), "{n:?} not in: {e}");
    }
    assert!(!e.contains("panicked"), "{e}");
    e
}

fn json(p: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

/// Rewrites the `reference` column (the last) of a sample CSV, row by row.
fn label(src: &Path, dst: &Path, f: impl Fn(usize, &str) -> String) {
    let text = std::fs::read_to_string(src).unwrap();
    let mut out = String::new();
    for (i, line) in text.lines().enumerate() {
        if i == 0 {
            out.push_str(line);
        } else {
            let fields: Vec<&str> = line.split(',').collect();
            let map_class = fields[6];
            out.push_str(&fields[..7].join(","));
            out.push(',');
            out.push_str(&f(i, map_class));
        }
        out.push('\n');
    }
    std::fs::write(dst, out).unwrap();
}

#[test]
fn sample_label_and_assess_the_demo_audit() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    reclaim_demo::generate(d).unwrap();
    expect_ok(&reclaim(
        d,
        &[
            "audit",
            "--config",
            "audit-2020.toml",
            "--out",
            "a",
            "--classes-tif",
            "-q",
        ],
    ));

    // Without classes.tif the error says how to get it.
    std::fs::create_dir(d.join("plain")).unwrap();
    std::fs::copy(d.join("a/summary.json"), d.join("plain/summary.json")).unwrap();
    expect_refused(
        &reclaim(
            d,
            &["sample", "--audit", "plain", "--n", "300", "--out", "x.csv"],
        ),
        &["classes.tif", "--classes-tif"],
    );
    assert!(!d.join("x.csv").exists());

    // Reproducible for a seed; another seed draws other cells.
    let args = |seed: &str, out: &str| {
        reclaim(
            d,
            &[
                "sample",
                "--audit",
                "a",
                "--n",
                "300",
                "--seed",
                seed,
                "--by-responsibility",
                "--out",
                out,
                "-q",
            ],
        )
    };
    expect_ok(&args("7", "s.csv"));
    expect_ok(&args("7", "t.csv"));
    expect_ok(&args("8", "u.csv"));
    let s = std::fs::read_to_string(d.join("s.csv")).unwrap();
    assert_eq!(s, std::fs::read_to_string(d.join("t.csv")).unwrap());
    assert_ne!(s, std::fs::read_to_string(d.join("u.csv")).unwrap());
    assert_eq!(s.lines().count(), 301);
    assert!(s.starts_with("id,x,y,lon,lat,stratum,map_class,reference\n"));
    // The demo has no water: four strata, each at least the minimum of 50.
    for stratum in [
        "restored/responsible",
        "restored/legacy",
        "unrestored/responsible",
        "unrestored/legacy",
    ] {
        let k = s
            .lines()
            .filter(|l| l.contains(&format!(",{stratum},")))
            .count();
        assert!(k >= 50, "{stratum}: {k}");
    }
    expect_ok(&reclaim(
        d,
        &[
            "sample",
            "--audit",
            "a",
            "--n",
            "300",
            "--seed",
            "7",
            "--by-responsibility",
            "--out",
            "s.geojson",
            "-q",
        ],
    ));
    let g = json(&d.join("s.geojson"));
    assert_eq!(g["features"].as_array().unwrap().len(), 300);
    assert_eq!(g["features"][0]["properties"]["reference"], "");

    // Labels that agree with the map everywhere: the estimates are the mapped areas,
    // with no uncertainty (hand-checkable: every stratum is all of its class).
    label(&d.join("s.csv"), &d.join("perfect.csv"), |_, m| {
        m.to_string()
    });
    expect_ok(&reclaim(
        d,
        &[
            "accuracy",
            "--audit",
            "a",
            "--reference",
            "perfect.csv",
            "--by-responsibility",
            "--out",
            "acc",
            "-q",
        ],
    ));
    let j = json(&d.join("acc/accuracy.json"));
    assert!((j["overall_accuracy"]["estimate"].as_f64().unwrap() - 1.0).abs() < 1e-12);
    let summary = json(&d.join("a/summary.json"));
    let restored = &j["classes"][0];
    assert_eq!(restored["class"], "restored");
    let est = restored["area_ha"]["estimate"].as_f64().unwrap();
    assert!(
        (est - summary["restored_ha"].as_f64().unwrap()).abs() < 1e-6,
        "{est}"
    );
    assert!(restored["area_ha"]["se"].as_f64().unwrap() < 1e-9);
    let legacy = j["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "unrestored/legacy")
        .unwrap();
    assert!(
        (legacy["area_ha"]["estimate"].as_f64().unwrap()
            - summary["unrestored_legacy_ha"].as_f64().unwrap())
        .abs()
            < 1e-6
    );
    assert!(std::fs::read_to_string(d.join("acc/accuracy.csv"))
        .unwrap()
        .starts_with("quantity,class,estimate,se,ci95_lo,ci95_hi\n"));

    // One restored point in ten is really bare: more unrestored land than mapped,
    // with an interval around it.
    label(&d.join("s.csv"), &d.join("noisy.csv"), |i, m| {
        if m == "restored" && i % 10 == 0 {
            "unrestored".into()
        } else {
            m.to_string()
        }
    });
    expect_ok(&reclaim(
        d,
        &[
            "accuracy",
            "--audit",
            "a",
            "--reference",
            "noisy.csv",
            "--by-responsibility",
            "--out",
            "acc",
            "-q",
        ],
    ));
    let j = json(&d.join("acc/accuracy.json"));
    let un = &j["classes"][1]["area_ha"];
    let mapped = summary["unrestored_ha"].as_f64().unwrap();
    assert!(
        un["estimate"].as_f64().unwrap() > mapped
            && un["ci95"][0].as_f64().unwrap() < un["estimate"].as_f64().unwrap()
    );
    assert!(
        j["classes"][0]["users_accuracy"]["estimate"]
            .as_f64()
            .unwrap()
            < 1.0
    );

    // The same sample named by [accuracy] in the audit's config: the audit's own
    // assessment (its in-process frame) equals the standalone one (the frame rebuilt
    // from the folder), figure for figure; the mapped figures are unchanged.
    let toml = std::fs::read_to_string(d.join("audit-2020.toml")).unwrap();
    std::fs::write(
        d.join("with-accuracy.toml"),
        format!("{toml}\n[accuracy]\nreference = \"noisy.csv\"\n"),
    )
    .unwrap();
    expect_ok(&reclaim(
        d,
        &[
            "audit",
            "--config",
            "with-accuracy.toml",
            "--out",
            "a-acc",
            "-q",
        ],
    ));
    let inside = json(&d.join("a-acc/accuracy.json"));
    for key in [
        "method",
        "n",
        "total_area_ha",
        "overall_accuracy",
        "classes",
        "error_matrix_counts",
        "domains",
    ] {
        assert_eq!(inside[key], j[key], "{key}");
    }
    let s2 = json(&d.join("a-acc/summary.json"));
    for key in [
        "restored_ha",
        "unrestored_ha",
        "unrestored_legacy_ha",
        "water_ha",
    ] {
        assert_eq!(s2[key], summary[key], "{key}");
    }
    assert_eq!(s2["accuracy"]["unrestored_ha"], j["classes"][1]["area_ha"]);
    let legacy = j["domains"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "unrestored/legacy")
        .unwrap();
    assert_eq!(s2["accuracy"]["unrestored_legacy_ha"], legacy["area_ha"]);
    assert_eq!(s2["accuracy"]["by_responsibility"], true);
    assert_eq!(
        std::fs::read(d.join("a-acc/classes.tif")).unwrap(),
        std::fs::read(d.join("a/classes.tif")).unwrap()
    );

    // Bad labels: not a class, empty, a point moved off its stratum, a stratum left
    // with one point. Each names the file and the row; nothing is written.
    label(&d.join("s.csv"), &d.join("bare.csv"), |i, m| {
        if i == 3 {
            "bare".into()
        } else {
            m.to_string()
        }
    });
    expect_refused(
        &reclaim(
            d,
            &[
                "accuracy",
                "--audit",
                "a",
                "--reference",
                "bare.csv",
                "--by-responsibility",
                "--out",
                "bad",
            ],
        ),
        &["bare.csv, row 4", "\"bare\"", "restored, unrestored, water"],
    );
    label(&d.join("s.csv"), &d.join("empty.csv"), |i, m| {
        if i == 5 {
            String::new()
        } else {
            m.to_string()
        }
    });
    expect_refused(
        &reclaim(
            d,
            &[
                "accuracy",
                "--audit",
                "a",
                "--reference",
                "empty.csv",
                "--by-responsibility",
                "--out",
                "bad",
            ],
        ),
        &["empty.csv, row 6", "label every point"],
    );
    let moved = std::fs::read_to_string(d.join("perfect.csv")).unwrap();
    let mut lines: Vec<String> = moved.lines().map(String::from).collect();
    let mut f: Vec<String> = lines[1].split(',').map(String::from).collect();
    f[1] = "0".into();
    f[2] = "0".into();
    lines[1] = f.join(",");
    std::fs::write(d.join("moved.csv"), lines.join("\n") + "\n").unwrap();
    expect_refused(
        &reclaim(
            d,
            &[
                "accuracy",
                "--audit",
                "a",
                "--reference",
                "moved.csv",
                "--by-responsibility",
                "--out",
                "bad",
            ],
        ),
        &["moved.csv, row 2", "outside its stratum"],
    );
    let keep_one: Vec<String> = moved
        .lines()
        .filter({
            let mut seen = false;
            move |l| {
                if l.contains(",unrestored/responsible,") {
                    let first = !seen;
                    seen = true;
                    first
                } else {
                    true
                }
            }
        })
        .map(String::from)
        .collect();
    std::fs::write(d.join("one.csv"), keep_one.join("\n") + "\n").unwrap();
    expect_refused(
        &reclaim(
            d,
            &[
                "accuracy",
                "--audit",
                "a",
                "--reference",
                "one.csv",
                "--by-responsibility",
                "--out",
                "bad",
            ],
        ),
        &["unrestored/responsible", "only 1 sample", "undefined"],
    );
    // Strata the sample was not drawn with.
    expect_refused(
        &reclaim(
            d,
            &[
                "accuracy",
                "--audit",
                "a",
                "--reference",
                "perfect.csv",
                "--out",
                "bad",
            ],
        ),
        &["perfect.csv, row 2", "none of the audit's strata"],
    );
    assert!(!d.join("bad").exists());
}

#[test]
fn table_mode_writes_the_olofsson_example_and_refuses_bad_tables() {
    let tmp = tempfile::tempdir().unwrap();
    let d = tmp.path();
    std::fs::write(d.join("areas.csv"), "class,area_ha\ndeforestation,18000\nforest_gain,13500\nstable_forest,288000\nstable_nonforest,580500\n").unwrap();
    let counts = "map_class,deforestation,forest_gain,stable_forest,stable_nonforest\ndeforestation,66,0,5,4\nforest_gain,0,55,8,12\nstable_forest,1,0,153,11\nstable_nonforest,2,1,9,313\n";
    std::fs::write(d.join("counts.csv"), counts).unwrap();
    let run = |c: &str, out: &str| {
        reclaim(
            d,
            &[
                "accuracy",
                "--matrix",
                c,
                "--map-areas",
                "areas.csv",
                "--out",
                out,
            ],
        )
    };
    let o = run("counts.csv", "acc");
    expect_ok(&o);
    // The published 21,158 ± 6,158 ha of deforestation (Olofsson et al. 2014).
    assert!(String::from_utf8_lossy(&o.stdout).contains("21157.76 ± 6157.63"));
    let j = json(&d.join("acc/accuracy.json"));
    assert_eq!(j["n"], 640);
    assert_eq!(j["method"], "olofsson2014");
    assert_eq!(j["classes"][0]["map_area_ha"], 18000.0);
    assert!((j["error_matrix_proportions"][0][0].as_f64().unwrap() - 0.0176).abs() < 5e-5);
    // Replacing its own folder is fine; a folder it did not write is not.
    expect_ok(&run("counts.csv", "acc"));
    std::fs::create_dir(d.join("mine")).unwrap();
    std::fs::write(d.join("mine/notes.txt"), "x").unwrap();
    expect_refused(&run("counts.csv", "mine"), &["notes.txt"]);

    for (name, text, needles) in [
        (
            "neg.csv",
            counts.replace(",66,", ",-66,"),
            vec!["neg.csv, row 2", "\"-66\""],
        ),
        (
            "cols.csv",
            counts.replace("forest_gain,stable", "gain,stable"),
            vec!["cols.csv", "same classes"],
        ),
        (
            "one.csv",
            counts.replace("forest_gain,0,55,8,12", "forest_gain,0,1,0,0"),
            vec!["forest_gain", "only 1 sample"],
        ),
        (
            "empty.csv",
            counts.replace("forest_gain,0,55,8,12", "forest_gain,0,0,0,0"),
            vec!["forest_gain", "no sample point"],
        ),
        (
            "rows.csv",
            counts.replace("stable_forest,1,", "stable,1,"),
            vec!["rows.csv, row 4", "\"stable\""],
        ),
    ] {
        std::fs::write(d.join(name), text).unwrap();
        expect_refused(&run(name, "bad"), &needles);
        assert!(!d.join("bad").exists());
    }
}
