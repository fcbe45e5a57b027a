//! `reclaim demo --out DIR`: the built-in synthetic Yitong county, audited twice.

use super::audit::{county_table, run_and_write};
use clap::Args;
use reclaim::audit::AuditConfig;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `reclaim demo`.
#[derive(Args, Debug)]
#[command(
    after_help = "Writes DIR/inputs (imagery, pits, licences), DIR/audit-2020.toml, DIR/audit-2024.toml,\nand the two audits DIR/audit-2020 and DIR/audit-2024 (the latter with change since 2020).\nOpen DIR/audit-2024/report.html in a browser."
)]
pub struct DemoArgs {
    /// Output folder for the demo county and its audits: new, empty, or a demo
    /// folder reclaim wrote (never `.` or a folder of your own files).
    #[arg(long, value_name = "DIR", default_value = "demo")]
    pub out: PathBuf,
    /// Also write a season of Sentinel-2-like scenes of 2024 (two overlapping tiles,
    /// moving clouds, two off-season dates) and audit their median composite into
    /// DIR/audit-2024-scenes: the same figures as the single 2024 scene.
    #[arg(long)]
    pub scenes: bool,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// Generates the demo county and audits 2020 and 2024.
pub fn run(a: &DemoArgs) -> anyhow::Result<ExitCode> {
    reclaim::folders::check_out(&a.out, reclaim::output::OutputKind::DemoFolder, &[])?;
    std::fs::create_dir_all(&a.out)?;
    if !a.quiet {
        eprintln!(
            "writing the demo county (synthetic Yitong, EPSG:32651, 10 m) to {} …",
            a.out.display()
        );
    }
    let scene = reclaim_demo::generate(&a.out)?;
    let mut previous = None;
    for (year, config) in [
        (2020, &scene.files.configs[0]),
        (2024, &scene.files.configs[1]),
    ] {
        let cfg = AuditConfig::load(config)?;
        let out = a.out.join(format!("audit-{year}"));
        let report = run_and_write(&cfg, previous.clone(), &out, a.quiet)?;
        if !a.quiet {
            print_table(&report)?;
        }
        previous = Some(out);
    }
    if a.scenes {
        if !a.quiet {
            eprintln!("writing a season of 2024 scenes (inputs/season) …");
        }
        let season = reclaim_demo::generate_season(&a.out)?;
        let cfg = AuditConfig::load(&season.config)?;
        let out = a.out.join("audit-2024-scenes");
        let since_2020 = Some(a.out.join("audit-2020"));
        let report = run_and_write(&cfg, since_2020, &out, a.quiet)?;
        if !a.quiet {
            print_table(&report)?;
        }
    }
    if !a.quiet {
        eprintln!(
            "open {} in a browser for the 2024 report",
            a.out.join("audit-2024/report.html").display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Prints a county table; a closed stdout (`| head`) does not stop the demo half
/// written: the rest is still made, just not printed.
fn print_table(report: &reclaim::audit::AuditReport) -> anyhow::Result<()> {
    match crate::stdout::print(&format!("{}\n", county_table(report))) {
        Err(e) if !crate::stdout::is_closed_pipe(&e) => Err(e),
        _ => Ok(()),
    }
}
