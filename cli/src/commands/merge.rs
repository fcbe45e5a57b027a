//! `reclaim merge PART… --out DIR`: the partial results of every shard of an audit
//! into the audit folder a single run would write; and the shard side of
//! `reclaim audit --shard I/N`.

use anyhow::Context;
use clap::Args;
use reclaim::audit::{self, AuditConfig, AuditOptions, ShardSpec};
use reclaim::raster::Limits;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

/// Environment variables that give a batch job's shard index to `--shard auto/N`.
const INDEX_VARS: [&str; 2] = ["JOB_COMPLETION_INDEX", "SLURM_ARRAY_TASK_ID"];

/// Arguments of `reclaim merge`.
#[derive(Args, Debug)]
#[command(
    after_help = "Each PART is a folder written by `reclaim audit --shard I/N --out PART`; every shard\n0..N-1 must be given exactly once, all run with the same configuration and inputs.\nThe merge reads the inputs again (paths as the shards recorded them) and refuses to\nmerge if any changed. DIR gets the same files, byte for byte, as a single run.\n\nExample:\n  reclaim merge parts/* --out audit-2025"
)]
pub struct MergeArgs {
    /// Partial-result folders, one per shard.
    #[arg(required = true, value_name = "PART")]
    pub parts: Vec<PathBuf>,
    /// Output folder, created or replaced as a whole: it must be new, empty, or an
    /// audit folder reclaim wrote; never a PART, an input, a folder holding one, or `.`.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Print nothing but warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Treat the audit's warnings as errors: exit 1 and write nothing.
    #[arg(long)]
    pub strict: bool,
    /// Start every CSV with a UTF-8 byte-order mark, so that Excel and WPS show
    /// its Chinese text (reclaim's readers, --previous included, skip the mark).
    #[arg(long)]
    pub excel: bool,
}

/// Merges the parts and writes the audit folder.
pub fn run(a: &MergeArgs) -> anyhow::Result<ExitCode> {
    let t0 = Instant::now();
    // Fail fast on the parts; audit::write checks the audit's inputs too.
    let parts: Vec<_> = a
        .parts
        .iter()
        .map(|p| ("part".to_string(), p.clone()))
        .collect();
    reclaim::folders::check_out(&a.out, reclaim::output::OutputKind::AuditFolder, &parts)?;
    let report = audit::merge(&a.parts, &Limits::default())?;
    crate::warnings::report(&report.warnings, a.strict)?;
    audit::write_with(
        &report,
        &a.out,
        &audit::WriteOptions {
            excel: a.excel,
            ..Default::default()
        },
    )
    .with_context(|| format!("writing the audit to {}", a.out.display()))?;
    if !a.quiet {
        crate::stdout::print(&super::audit::county_table(&report))?;
        eprintln!(
            "merged {} in {:.2} s; wrote {}",
            reclaim::report::format::plural(a.parts.len(), "shard", "shards"),
            t0.elapsed().as_secs_f64(),
            a.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `I/N`, or `auto/N` with I from [`INDEX_VARS`].
pub fn shard_spec(text: &str) -> anyhow::Result<ShardSpec> {
    let Some(n) = text.strip_prefix("auto/") else {
        return Ok(ShardSpec::parse(text)?);
    };
    let (var, value) = INDEX_VARS
        .iter()
        .find_map(|v| std::env::var(v).ok().map(|x| (*v, x)))
        .with_context(|| {
            format!(
                "--shard {text}: none of {} is set (a Kubernetes Indexed Job or a Slurm job array sets one); give the index instead, e.g. 0/{n}",
                INDEX_VARS.join(", ")
            )
        })?;
    let spec = format!("{}/{n}", value.trim());
    ShardSpec::parse(&spec).with_context(|| format!("--shard {text} with {var}={value}"))
}

/// Runs one shard of an audit and writes its partial result into `out`.
pub fn run_shard(
    cfg: &AuditConfig,
    shard: &str,
    previous: Option<PathBuf>,
    checksum_cache: reclaim::audit::checksum::ChecksumCache,
    out: &Path,
    quiet: bool,
) -> anyhow::Result<ExitCode> {
    let spec = shard_spec(shard)?;
    let t0 = Instant::now();
    if !quiet {
        eprintln!("auditing {}, shard {spec} …", cfg.audit_date);
    }
    let opts = AuditOptions {
        previous,
        checksum_cache,
        ..AuditOptions::default()
    };
    let part = audit::run_shard(cfg, &opts, spec)?;
    audit::write_partial(&part, out)
        .with_context(|| format!("writing shard {spec} to {}", out.display()))?;
    if !quiet {
        eprintln!(
            "shard {spec}: measured {} of {} in {:.2} s; wrote {} (merge every shard with `reclaim merge`)",
            part.pieces.len(),
            reclaim::report::format::plural(part.piece_count, "piece", "pieces"),
            t0.elapsed().as_secs_f64(),
            out.join(audit::shard::PARTIAL_FILE).display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn explicit_specs_parse_and_bad_ones_say_why() {
        assert_eq!(shard_spec("2/4").unwrap(), ShardSpec::new(2, 4).unwrap());
        let e = format!("{:#}", shard_spec("4/4").unwrap_err());
        assert!(e.contains("I/N"), "{e}");
    }
}
