//! `accuracy.json` and `accuracy.csv`: an assessment as files.

use super::estimate::Estimate;
use super::result::Accuracy;
use crate::csv::{num, push_record};
use serde::Serialize;

/// `format` of `accuracy.json`, which also marks a folder as reclaim's.
pub const ACCURACY_FORMAT: &str = "reclaim-accuracy";
pub use crate::results::{ACCURACY_CSV, ACCURACY_JSON};

/// An estimate over part of the land (e.g. unrestored land under legacy), reported
/// beside the classes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Domain {
    /// What it is (`unrestored/legacy` …).
    pub name: String,
    /// Its mapped area, ha.
    pub map_area_ha: Option<f64>,
    /// Its error-adjusted area, ha.
    pub area_ha: Estimate,
}

#[derive(Serialize)]
struct ClassJson<'a> {
    class: &'a str,
    map_area_ha: Option<f64>,
    users_accuracy: Option<Estimate>,
    producers_accuracy: Option<Estimate>,
    area_ha: Estimate,
    area_proportion: f64,
    area_proportion_se: f64,
}

#[derive(Serialize)]
struct AccuracyJson<'a> {
    format: &'static str,
    format_version: u32,
    method: &'static str,
    confidence: &'static str,
    finite_population_correction: bool,
    n: usize,
    total_area_ha: f64,
    overall_accuracy: Estimate,
    classes: Vec<ClassJson<'a>>,
    /// Rows = map classes, columns = reference classes, in the order of `classes`.
    error_matrix_counts: &'a [Vec<u64>],
    error_matrix_proportions: &'a [Vec<f64>],
    #[serde(skip_serializing_if = "<[Domain]>::is_empty")]
    domains: &'a [Domain],
    #[serde(skip_serializing_if = "Option::is_none")]
    source: Option<&'a serde_json::Value>,
}

/// The pretty-printed `accuracy.json` of `a` (areas in hectares), with the domains
/// and a free-form `source` (the inputs it came from).
pub fn accuracy_json(
    a: &Accuracy,
    fpc: bool,
    domains: &[Domain],
    source: Option<&serde_json::Value>,
) -> String {
    let doc = AccuracyJson {
        format: ACCURACY_FORMAT,
        format_version: 1,
        method: a.method.name(),
        confidence: "95 %: ci95 = estimate ± 1.96 × se",
        finite_population_correction: fpc,
        n: a.n,
        total_area_ha: a.total_area,
        overall_accuracy: a.overall,
        classes: a
            .per_class
            .iter()
            .map(|c| ClassJson {
                class: &c.class,
                map_area_ha: c.map_area,
                users_accuracy: c.users,
                producers_accuracy: c.producers,
                area_ha: c.area,
                area_proportion: c.proportion.estimate,
                area_proportion_se: c.proportion.se,
            })
            .collect(),
        error_matrix_counts: &a.matrix_counts,
        error_matrix_proportions: &a.matrix_proportions,
        domains,
        source,
    };
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

/// `accuracy.csv`: one row per figure, `quantity,class,estimate,se,ci95_lo,ci95_hi`
/// (se and interval empty for mapped areas; a figure that is undefined — a user's
/// accuracy of a class nothing is mapped as — has an empty estimate).
pub fn accuracy_csv(a: &Accuracy, domains: &[Domain]) -> String {
    let mut out = String::new();
    push_record(
        &mut out,
        &["quantity", "class", "estimate", "se", "ci95_lo", "ci95_hi"],
    );
    let est = |out: &mut String, q: &str, class: &str, e: Option<Estimate>| {
        let f = |v: Option<f64>| v.map(num).unwrap_or_default();
        push_record(
            out,
            &[
                q.to_string(),
                class.to_string(),
                f(e.map(|e| e.estimate)),
                f(e.map(|e| e.se)),
                f(e.map(|e| e.ci95[0])),
                f(e.map(|e| e.ci95[1])),
            ],
        );
    };
    est(&mut out, "overall_accuracy", "", Some(a.overall));
    for c in &a.per_class {
        if let Some(m) = c.map_area {
            push_record(&mut out, &["map_area_ha", &c.class, &num(m), "", "", ""]);
        }
        est(&mut out, "area_ha", &c.class, Some(c.area));
        est(&mut out, "area_proportion", &c.class, Some(c.proportion));
        est(&mut out, "users_accuracy", &c.class, c.users);
        est(&mut out, "producers_accuracy", &c.class, c.producers);
    }
    for d in domains {
        if let Some(m) = d.map_area_ha {
            push_record(&mut out, &["map_area_ha", &d.name, &num(m), "", "", ""]);
        }
        est(&mut out, "area_ha", &d.name, Some(d.area_ha));
    }
    out
}

/// Whether `dir` holds an `accuracy.json` that reclaim wrote.
pub fn is_accuracy_folder(dir: &std::path::Path) -> bool {
    crate::report::io::read_capped(&dir.join(ACCURACY_JSON), 64 << 20)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .is_some_and(|v| v.get("format").and_then(|f| f.as_str()) == Some(ACCURACY_FORMAT))
}

/// Writes `files` (name, bytes) as the folder `out`, whole or not at all: into a
/// temporary sibling, then swapped into place ([`crate::output::swap_folder`]).
///
/// # Errors
/// [`crate::Error::Output`] naming the file or folder.
pub fn write_folder(out: &std::path::Path, files: &[(&str, String)]) -> Result<(), crate::Error> {
    let tmp = crate::output::temp_sibling(out);
    let io = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| crate::Error::Output { path, source }
    };
    let result = (|| {
        std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        for (name, text) in files {
            let p = tmp.join(name);
            std::fs::write(&p, text).map_err(io(&p))?;
        }
        crate::output::swap_folder(&tmp, out)
    })();
    if result.is_err() {
        let _ = std::fs::remove_dir_all(&tmp);
    }
    result
}
