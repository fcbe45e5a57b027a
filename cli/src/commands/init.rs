//! `reclaim init [--out audit.toml]`: a commented configuration template.

use clap::Args;
use std::path::PathBuf;
use std::process::ExitCode;

/// The template: every section and key of audit.toml with its default and a line
/// on what it does (the active lines are what an audit needs).
pub const TEMPLATE: &str = include_str!("audit_template.toml");

/// Arguments of `reclaim init`.
#[derive(Args, Debug)]
#[command(
    after_help = "Then edit the paths and field names, check with\n  reclaim audit --config audit.toml --out audit-2025 --check\nand run the audit. An existing file is never overwritten (exit 2)."
)]
pub struct InitArgs {
    /// Where to write the template (`-` prints it).
    #[arg(long, value_name = "audit.toml", default_value = "audit.toml")]
    pub out: PathBuf,
}

/// Writes the template, refusing to replace a file.
pub fn run(a: &InitArgs) -> anyhow::Result<ExitCode> {
    if a.out.as_os_str() == "-" {
        crate::stdout::print(TEMPLATE)?;
        return Ok(ExitCode::SUCCESS);
    }
    if std::fs::symlink_metadata(&a.out).is_ok() {
        anyhow::bail!(
            "{} already exists: reclaim init never overwrites a file; give another name with --out, or remove it first",
            a.out.display()
        );
    }
    // create_new: a file appearing meanwhile is not replaced either.
    let written = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&a.out)
        .and_then(|mut f| std::io::Write::write_all(&mut f, TEMPLATE.as_bytes()));
    if let Err(e) = written {
        anyhow::bail!("cannot write {}: {e}", a.out.display());
    }
    eprintln!(
        "wrote {}: set the paths and field names, then `reclaim audit --config {} --out DIR --check`",
        a.out.display(),
        a.out.display()
    );
    Ok(ExitCode::SUCCESS)
}
