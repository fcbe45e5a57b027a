//! `reclaim accuracy`: accuracy and error-adjusted area with 95 % confidence
//! intervals, from an error matrix of counts (table mode) or from a labelled sample
//! of an audit (`reclaim sample`).

use anyhow::Context;
use clap::Args;
use reclaim::accuracy::{self, output, EstimateOptions};
use reclaim::folders::check_out;
use reclaim::output::{InputPath, OutputKind};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `reclaim accuracy`.
#[derive(Args, Debug)]
#[command(after_help = "Two modes:\n\
  table:  --matrix counts.csv --map-areas areas.csv\n\
          counts.csv  header map_class,<reference class 1>,… ; one row per map class, whole counts\n\
          areas.csv   header class,area_ha ; the mapped area of every class (the strata)\n\
  audit:  --audit DIR --reference labelled.csv|labelled.geojson|labelled.shp\n\
          the sample written by `reclaim sample --audit DIR`, its `reference` field filled in\n\
          (a point shapefile: its geometry and .prj locate the points)\n\
          (restored, unrestored or water); the stratum areas are the audit's\n\n\
Writes DIR/accuracy.json (overall, user's and producer's accuracy, error-adjusted area per\n\
class, each with se and ci95 = estimate ± 1.96 se; the error matrix in counts and in area\n\
proportions) and DIR/accuracy.csv (one row per figure). Method: docs/accuracy.md\n\
(Olofsson et al. 2014; Stehman 2014 when strata are not the map classes).\n\n\
Examples:\n\
  reclaim accuracy --matrix counts.csv --map-areas areas.csv --out accuracy\n\
  reclaim sample --audit audit-2025 --n 300 --seed 7 --out sample.csv   # then label it\n\
  reclaim accuracy --audit audit-2025 --reference sample-labelled.csv --out accuracy-2025")]
pub struct AccuracyArgs {
    /// Error matrix of sample counts (table mode), rows = map classes.
    #[arg(long, value_name = "counts.csv", requires = "map_areas", conflicts_with_all = ["audit", "reference"])]
    pub matrix: Option<PathBuf>,
    /// Mapped area of every class, `class,area_ha` (table mode).
    #[arg(long, value_name = "areas.csv", requires = "matrix")]
    pub map_areas: Option<PathBuf>,
    /// Audit folder the sample was drawn from (audit mode).
    #[arg(long, value_name = "DIR", requires = "reference")]
    pub audit: Option<PathBuf>,
    /// The labelled sample (audit mode): .csv or .geojson as `reclaim sample` wrote it,
    /// or a point shapefile with its fields (stratum, map_class, reference).
    #[arg(long, value_name = "FILE", requires = "audit")]
    pub reference: Option<PathBuf>,
    /// The sample was stratified by responsibility (`reclaim sample --by-responsibility`).
    #[arg(long)]
    pub by_responsibility: bool,
    /// Apply the finite-population correction (1 − n_h/N_h); off by default, as in
    /// Olofsson et al. 2014. In table mode it needs --cell-size.
    #[arg(long)]
    pub fpc: bool,
    /// Cell side in metres, to count the cells of each stratum for --fpc (table mode).
    #[arg(long, value_name = "M")]
    pub cell_size: Option<f64>,
    /// Output folder (accuracy.json, accuracy.csv), written whole or not at all: new,
    /// empty, or one reclaim accuracy wrote; never an input or a folder holding one.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Runs the assessment and writes the folder.
pub fn run(a: &AccuracyArgs) -> anyhow::Result<ExitCode> {
    let mut inputs: Vec<InputPath> = Vec::new();
    for (role, p) in [
        ("matrix", &a.matrix),
        ("map areas", &a.map_areas),
        ("audit", &a.audit),
        ("reference", &a.reference),
    ] {
        if let Some(p) = p {
            inputs.push((role.to_string(), p.clone()));
        }
    }
    if inputs.is_empty() {
        anyhow::bail!("give --matrix counts.csv --map-areas areas.csv, or --audit DIR --reference labelled.csv (see reclaim accuracy --help)");
    }
    check_out(&a.out, OutputKind::AccuracyFolder, &inputs)?;
    let opts = EstimateOptions { fpc: a.fpc };
    let (acc, domains, source) = match (&a.matrix, &a.map_areas, &a.audit, &a.reference) {
        (Some(m), Some(areas_path), _, _) => {
            let mut strata = accuracy::table::read_areas(areas_path)?;
            if a.fpc {
                let side = a
                    .cell_size
                    .filter(|s| s.is_finite() && *s > 0.0)
                    .context("--fpc in table mode needs --cell-size M (the cell side in metres) to count each class's cells")?;
                for s in &mut strata {
                    s.units = Some(s.area * 10_000.0 / (side * side));
                }
            }
            let classes: Vec<String> = strata.iter().map(|s| s.name.clone()).collect();
            let counts = accuracy::table::read_counts(m, &classes, areas_path)?;
            let acc = accuracy::stratified::from_counts(&strata, &counts, opts)?;
            let source = serde_json::json!({"matrix": m, "map_areas": areas_path});
            (acc, Vec::new(), source)
        }
        (_, _, Some(dir), Some(labels)) => {
            let frame = accuracy::frame::frame(dir, a.by_responsibility)?;
            let points = accuracy::audit::read_labels(labels, &frame)?;
            let (acc, domains) = accuracy::audit::assess(&frame, &points, opts)?;
            let source = serde_json::json!({"audit": dir, "reference": labels, "by_responsibility": a.by_responsibility});
            (acc, domains, source)
        }
        _ => anyhow::bail!("give --matrix with --map-areas, or --audit with --reference"),
    };
    let files = [
        (
            output::ACCURACY_JSON,
            output::accuracy_json(&acc, a.fpc, &domains, Some(&source)),
        ),
        (output::ACCURACY_CSV, output::accuracy_csv(&acc, &domains)),
    ];
    output::write_folder(&a.out, &files).with_context(|| format!("writing {}", a.out.display()))?;
    if !a.quiet {
        crate::stdout::print(&table(&acc, &domains))?;
        eprintln!("wrote {}", a.out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// The terminal summary: one line per class, "estimate ± half-width".
fn table(a: &accuracy::Accuracy, domains: &[output::Domain]) -> String {
    let pm = |e: Option<accuracy::Estimate>, dp: usize| {
        e.map(|e| format!("{:.dp$} ± {:.dp$}", e.estimate, e.half_width()))
            .unwrap_or_else(|| "—".into())
    };
    let mut s = format!(
        "overall accuracy {} (95 % CI), n = {}\n",
        pm(Some(a.overall), 3),
        a.n
    );
    s.push_str(&format!(
        "{:<22} {:>16} {:>16} {:>12} {:>22}\n",
        "class", "user's", "producer's", "mapped ha", "estimated ha"
    ));
    for c in &a.per_class {
        s.push_str(&format!(
            "{:<22} {:>16} {:>16} {:>12} {:>22}\n",
            c.class,
            pm(c.users, 3),
            pm(c.producers, 3),
            c.map_area.map(|m| format!("{m:.2}")).unwrap_or_default(),
            pm(Some(c.area), 2)
        ));
    }
    for d in domains {
        s.push_str(&format!(
            "{:<22} {:>16} {:>16} {:>12} {:>22}\n",
            d.name,
            "",
            "",
            d.map_area_ha.map(|m| format!("{m:.2}")).unwrap_or_default(),
            pm(Some(d.area_ha), 2)
        ));
    }
    s
}
