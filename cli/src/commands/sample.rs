//! `reclaim sample`: a stratified random sample of an audit's land, to label in the
//! field or on very-high-resolution images, for `reclaim accuracy --audit`.

use anyhow::Context;
use clap::Args;
use reclaim::accuracy::audit::{draw_sample, sample_csv, sample_geojson, SampleSize};
use reclaim::accuracy::{frame, sample_size, Allocation};
use reclaim::folders::check_out;
use reclaim::output::OutputKind;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `reclaim sample`.
#[derive(Args, Debug)]
#[command(
    after_help = "Strata are the audit's map classes (restored, unrestored, water; unobserved land is\n\
not sampled), or with --by-responsibility each class on responsible and on legacy land.\n\
Cells are drawn with probability proportional to their land in the stratum (edge cells\n\
weigh their covered part), so a point stands for a random point of the stratum's land.\n\
Needs the audit's classes.tif: run the audit with --classes-tif.\n\n\
Allocation (Olofsson et al. 2014): proportional to area with at least --min-per-class\n\
points per stratum (default 50), or --per-class N in every stratum. --target-se with\n\
--expected-ua sizes the sample by their eq. 13 instead of --n.\n\n\
Output (.csv or .geojson by extension): id, x, y (cell centre, project CRS), lon, lat,\n\
stratum, map_class, reference (empty: fill in restored, unrestored or water).\n\
The same audit, options and --seed give the same sample.\n\n\
Examples:\n\
  reclaim sample --audit audit-2025 --n 300 --seed 7 --out sample.geojson\n\
  reclaim sample --audit audit-2025 --per-class 100 --seed 7 --out sample.csv\n\
  reclaim sample --audit audit-2025 --target-se 0.01 --expected-ua restored=0.9,unrestored=0.8,water=0.7 --out sample.csv"
)]
pub struct SampleArgs {
    /// Audit folder (written with --classes-tif).
    #[arg(long, value_name = "DIR")]
    pub audit: PathBuf,
    /// Points in all.
    #[arg(long, conflicts_with_all = ["per_class", "target_se"])]
    pub n: Option<usize>,
    /// The same number of points in every stratum.
    #[arg(long, value_name = "N", conflicts_with = "target_se")]
    pub per_class: Option<usize>,
    /// Target standard error of overall accuracy: the sample size by Olofsson 2014 eq. 13.
    #[arg(long, value_name = "SE", requires = "expected_ua")]
    pub target_se: Option<f64>,
    /// Expected user's accuracy of each stratum for eq. 13, e.g. restored=0.9,unrestored=0.8.
    #[arg(long, value_name = "STRATUM=UA,…", value_delimiter = ',')]
    pub expected_ua: Vec<String>,
    /// Least points per stratum with proportional allocation.
    #[arg(long, default_value_t = 50)]
    pub min_per_class: usize,
    /// Strata by map class × responsibility (responsible, legacy).
    #[arg(long)]
    pub by_responsibility: bool,
    /// Seed of the random draw.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Output file, .csv or .geojson (written atomically).
    #[arg(long, value_name = "FILE")]
    pub out: PathBuf,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Draws the sample and writes it.
pub fn run(a: &SampleArgs) -> anyhow::Result<ExitCode> {
    let ext = a
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let geojson = match ext.as_deref() {
        Some("csv") => false,
        Some("geojson") | Some("json") => true,
        _ => anyhow::bail!(
            "--out {}: give a .csv or .geojson file name",
            a.out.display()
        ),
    };
    check_out(
        &a.out,
        OutputKind::File,
        &[("audit".to_string(), a.audit.clone())],
    )?;
    let fr = frame::frame(&a.audit, a.by_responsibility)?;
    let proportional = Allocation::Proportional {
        min: a.min_per_class,
    };
    let size = match (a.n, a.per_class, a.target_se) {
        (Some(n), None, None) => SampleSize::Total {
            n,
            allocation: proportional,
        },
        (None, Some(k), None) => SampleSize::PerStratum(k),
        (None, None, Some(se)) => {
            let mut expected = Vec::new();
            for s in &fr.strata {
                let v = a
                    .expected_ua
                    .iter()
                    .find_map(|kv| {
                        kv.split_once('=')
                            .filter(|(k, _)| k.trim() == s.name)
                            .map(|(_, v)| v.trim().to_string())
                    })
                    .ok_or_else(|| reclaim::accuracy::AccuracyError::MissingExpected {
                        stratum: s.name.clone(),
                    })?;
                let u: f64 = v
                    .parse()
                    .with_context(|| format!("--expected-ua {}={v}: not a number", s.name))?;
                expected.push((s.name.clone(), u));
            }
            let total: f64 = fr.strata.iter().map(|s| s.area_ha).sum();
            let w: Vec<f64> = fr.strata.iter().map(|s| s.area_ha / total).collect();
            let n = sample_size(&w, &expected, se)?.ceil() as usize;
            if !a.quiet {
                eprintln!("sample size by Olofsson 2014 eq. 13 for SE(overall) = {se}: n = {n}");
            }
            SampleSize::Total {
                n: n.max(a.min_per_class * fr.strata.len()),
                allocation: proportional,
            }
        }
        _ => anyhow::bail!("give one of --n, --per-class or --target-se (with --expected-ua)"),
    };
    let s = draw_sample(&fr, &size, a.seed)?;
    let text = if geojson {
        sample_geojson(&s)
    } else {
        sample_csv(&s)
    };
    reclaim::output::write_atomic(&a.out, text.as_bytes())?;
    if !a.quiet {
        for (name, ha, k) in &s.allocation {
            eprintln!("{name:<24} {ha:>12.2} ha  {k:>5} points");
        }
        eprintln!(
            "wrote {} to {} (seed {})",
            reclaim::report::format::plural(s.points.len(), "point", "points"),
            a.out.display(),
            a.seed
        );
    }
    Ok(ExitCode::SUCCESS)
}
