//! `reclaim`: exact restoration audits of mine sites from satellite imagery.
//!
//! The binary is glue: clap arguments → a validated request → one engine call →
//! a writer. Errors are printed with their chain and exit non-zero; the engine
//! never prints.

mod commands;
mod progress;
mod stdout;
mod warnings;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use std::process::ExitCode;

/// Exit code for a user error (bad input, bad arguments): clap also uses 2.
const EXIT_INPUT: u8 = 2;
/// Exit code for warnings under `--strict`.
const EXIT_STRICT: u8 = 1;
/// A bug inside reclaim (not the inputs): please report it.
const EXIT_INTERNAL: u8 = 3;

/// The exit codes of a command with `--strict` (printed in its `--help`).
const EXIT_CODES_STRICT: &str = "Exit codes:\n  0  done (warnings, if any, printed as `warning: …` and listed in summary.json)\n  1  warnings under --strict: nothing written\n  2  bad input or arguments: the message names the file, the place and the fix\n  3  internal error (a bug in reclaim): please report it with the inputs\nA closed output pipe (`| head`) ends the command quietly with 0.";

/// The exit codes of a command without `--strict`.
const EXIT_CODES: &str = "Exit codes:\n  0  done (warnings, if any, printed as `warning: …`)\n  2  bad input or arguments: the message names the file, the place and the fix\n  3  internal error (a bug in reclaim): please report it with the inputs\nA closed output pipe (`| head`) ends the command quietly with 0.";

/// The clap command of `reclaim`, every subcommand's `--help` ending with its exit
/// codes (also the source of `reclaim completions` and `reclaim man`).
pub fn cli_command() -> clap::Command {
    Cli::command().mut_subcommands(|c| {
        let has_strict = c.get_arguments().any(|a| a.get_id() == "strict");
        let codes = if has_strict {
            EXIT_CODES_STRICT
        } else {
            EXIT_CODES
        };
        let help = match c.get_after_help() {
            Some(h) => format!("{h}\n\n{codes}"),
            None => codes.to_string(),
        };
        c.after_help(help)
    })
}

#[derive(Parser, Debug)]
#[command(
    name = "reclaim",
    version,
    about = "Exact restoration audits of mine sites from satellite imagery",
    long_about = "reclaim measures mine footprints (pits, dumps, tailings) over a year's imagery, \
exactly: every square metre restored, unrestored, water or unobserved, attributed to a liable \
licence holder or to historical legacy.\n\nStart with `reclaim demo --out demo` to see a whole \
audit of a synthetic county.",
    after_help = EXIT_CODES_STRICT,
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
    /// Bare land outside the mapped footprints: unmapped pits, mining beyond or
    /// without a licence.
    Discover(commands::discover::DiscoverArgs),
    /// Merge the partial results of `reclaim audit --shard I/N` into one audit folder.
    Merge(commands::merge::MergeArgs),
    /// List the scenes found in Sentinel-2 L2A / Landsat C2 L2 products, manifests,
    /// folders and patterns: date, bands, mask, scaling, and which a season uses.
    Scenes(commands::scenes::ScenesArgs),
    /// A stratified random sample of an audit's land to label (Olofsson et al. 2014).
    Sample(commands::sample::SampleArgs),
    /// Accuracy and error-adjusted area with 95 % confidence intervals, from a labelled
    /// sample or an error matrix of counts.
    Accuracy(commands::accuracy::AccuracyArgs),
    /// Write a commented audit.toml template: every section and key, its default and
    /// what it does.
    Init(commands::init::InitArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(commands::generate::CompletionsArgs),
    /// Print the man page, or write one per command into a folder.
    Man(commands::generate::ManArgs),
}

fn main() -> ExitCode {
    let cli = match Cli::from_arg_matches(&cli_command().get_matches()) {
        Ok(c) => c,
        Err(e) => e.exit(),
    };
    match run(cli) {
        Ok(code) => code,
        // `reclaim info x.tif | head -1`: the reader has what it wanted.
        Err(e) if stdout::is_closed_pipe(&e) => ExitCode::SUCCESS,
        Err(e) if e.is::<warnings::StrictFailure>() => {
            eprintln!("error: {e}");
            ExitCode::from(EXIT_STRICT)
        }
        Err(e) => {
            for line in error_lines(&e) {
                eprintln!("{line}");
            }
            if is_internal(&e) {
                ExitCode::from(EXIT_INTERNAL)
            } else {
                ExitCode::from(EXIT_INPUT)
            }
        }
    }
}

/// Whether the error is a bug inside reclaim rather than a problem of the inputs.
fn is_internal(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<reclaim::audit::AuditError>()
            .is_some_and(reclaim::audit::AuditError::is_internal)
    })
}

/// The lines `main` prints for an error: the message, then each cause whose text
/// the lines above do not already hold (most errors show their cause in their own
/// message; printing it again as "caused by" would say everything twice).
fn error_lines(e: &anyhow::Error) -> Vec<String> {
    let top = e.to_string();
    let mut shown = top.clone();
    let mut lines = vec![format!("error: {top}")];
    for cause in e.chain().skip(1) {
        let c = cause.to_string();
        if !shown.contains(&c) {
            lines.push(format!("  caused by: {c}"));
            shown.push('\n');
            shown.push_str(&c);
        }
    }
    lines
}

fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Info(a) => commands::info::run(&a),
        Command::Zonal(a) => commands::zonal::run(&a),
        Command::Audit(a) => commands::audit::run(&a),
        Command::Demo(a) => commands::demo::run(&a),
        Command::Merge(a) => commands::merge::run(&a),
        Command::Discover(a) => commands::discover::run(&a),
        Command::Scenes(a) => commands::scenes::run(&a),
        Command::Sample(a) => commands::sample::run(&a),
        Command::Accuracy(a) => commands::accuracy::run(&a),
        Command::Init(a) => commands::init::run(&a),
        Command::Completions(a) => commands::generate::completions(&a),
        Command::Man(a) => commands::generate::man(&a),
    }
}

#[cfg(test)]
mod tests {
    use super::error_lines;

    #[derive(Debug)]
    struct WithSource {
        source: std::io::Error,
    }

    impl std::fmt::Display for WithSource {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "cannot read a.toml: {}", self.source)
        }
    }

    impl std::error::Error for WithSource {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.source)
        }
    }

    #[test]
    fn a_cause_already_in_the_message_is_not_repeated() {
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = anyhow::Error::new(WithSource { source: io }).context("reading the config");
        assert_eq!(
            error_lines(&e),
            [
                "error: reading the config",
                "  caused by: cannot read a.toml: no such file"
            ]
        );
    }
}
