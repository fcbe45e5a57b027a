//! `reclaim`: exact restoration audits of mine sites from satellite imagery.
//!
//! The binary is glue: clap arguments → a validated request → one engine call →
//! a writer. Errors are printed with their chain and exit non-zero; the engine
//! never prints.

mod commands;
mod progress;
mod warnings;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// Exit code for a user error (bad input, bad arguments): clap also uses 2.
const EXIT_INPUT: u8 = 2;
/// Exit code for warnings under `--strict`.
const EXIT_STRICT: u8 = 1;

#[derive(Parser, Debug)]
#[command(
    name = "reclaim",
    version,
    about = "Exact restoration audits of mine sites from satellite imagery",
    long_about = "reclaim measures mine footprints (pits, dumps, tailings) over a year's imagery, \
exactly: every square metre restored, unrestored, water or unobserved, attributed to a liable \
licence holder or to historical legacy.\n\nStart with `reclaim demo --out demo` to see a whole \
audit of a synthetic county.",
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Describe a GeoTIFF: size, bands, types, CRS, geotransform, nodata, layout.
    Info(commands::info::InfoArgs),
    /// Exact area of every raster value under every zone (categorical zonal histogram).
    Zonal(commands::zonal::ZonalArgs),
    /// The annual restoration audit: county figures, pieces, pits, mines, orphans, report.
    Audit(commands::audit::AuditArgs),
    /// Generate the synthetic Yitong demo county and audit it (2020 baseline, 2024 change).
    Demo(commands::demo::DemoArgs),
    /// Merge the partial results of `reclaim audit --shard I/N` into one audit folder.
    Merge(commands::merge::MergeArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => code,
        Err(e) if e.is::<warnings::StrictFailure>() => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_STRICT)
        }
        Err(e) => {
            eprintln!("error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(EXIT_INPUT)
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Info(a) => commands::info::run(&a),
        Command::Zonal(a) => commands::zonal::run(&a),
        Command::Audit(a) => commands::audit::run(&a),
        Command::Demo(a) => commands::demo::run(&a),
        Command::Merge(a) => commands::merge::run(&a),
    }
}
