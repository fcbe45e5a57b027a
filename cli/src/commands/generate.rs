//! `reclaim completions SHELL` and `reclaim man [--out DIR]`: generated from the
//! clap definitions, so they never drift from `--help`.

use anyhow::Context;
use clap::Args;
use clap_complete::Shell;
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `reclaim completions`.
#[derive(Args, Debug)]
#[command(
    after_help = "Install (see docs/install.md):\n  bash  reclaim completions bash > ~/.local/share/bash-completion/completions/reclaim\n  zsh   reclaim completions zsh > ~/.zfunc/_reclaim   (with fpath+=~/.zfunc before compinit)\n  fish  reclaim completions fish > ~/.config/fish/completions/reclaim.fish"
)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// Arguments of `reclaim man`.
#[derive(Args, Debug)]
#[command(
    after_help = "Without --out the page of `reclaim` itself is printed (roff): view it with\n`reclaim man | man -l -`. With --out DIR: reclaim.1 and reclaim-COMMAND.1 for every\ncommand, e.g. into ~/.local/share/man/man1."
)]
pub struct ManArgs {
    /// Write reclaim.1 and one reclaim-COMMAND.1 per command into this folder
    /// (created if missing) instead of printing reclaim.1.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// Prints the completion script.
pub fn completions(a: &CompletionsArgs) -> anyhow::Result<ExitCode> {
    let mut cmd = crate::cli_command();
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut cmd, "reclaim", &mut buf);
    crate::stdout::write_bytes(&buf)?;
    Ok(ExitCode::SUCCESS)
}

/// Prints the man page, or writes every page into `--out`.
pub fn man(a: &ManArgs) -> anyhow::Result<ExitCode> {
    let cmd = crate::cli_command();
    match &a.out {
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .context("rendering the man page")?;
            crate::stdout::write_bytes(&buf)?;
        }
        Some(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("creating {} (the --out folder)", dir.display()))?;
            // Built, each subcommand's page is named reclaim-COMMAND (as clap_mangen's
            // generate_to does; written here atomically, with errors naming the file).
            let mut built = cmd.clone().disable_help_subcommand(true);
            built.build();
            let mut pages = vec![clap_mangen::Man::new(built.clone())];
            pages.extend(
                built
                    .get_subcommands()
                    .filter(|s| !s.is_hide_set())
                    .map(|s| clap_mangen::Man::new(s.clone())),
            );
            for page in &pages {
                let file = page.get_filename();
                let mut buf = Vec::new();
                page.render(&mut buf)
                    .with_context(|| format!("rendering {file}"))?;
                reclaim::output::write_atomic(&dir.join(&file), &buf)?;
            }
            eprintln!(
                "wrote {} to {}",
                reclaim::report::format::plural(pages.len(), "man page", "man pages"),
                dir.display()
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
