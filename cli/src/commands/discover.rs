//! `reclaim discover --config audit.toml --out DIR`: bare land outside the
//! mapped footprints, labelled against the licences (docs/discover.md).

use clap::Args;
use reclaim::audit::checksum::ChecksumCache;
use reclaim::audit::AuditConfig;
use reclaim::discover::{self, DiscoverOptions, DiscoveryConfig, Label};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `reclaim discover`. Flags override `[discovery]`.
#[derive(Args, Debug)]
#[command(
    after_help = "Writes into DIR (atomically: a failed run leaves nothing, or the old DIR untouched):\n  candidates.geojson            patches in lon/lat (RFC 7946), ranked by area\n  candidates_projected.geojson  the same, exactly, in the imagery's CRS\n  candidates.csv                id, label, area_ha, ha outside the licences, nearest licence …\n  summary.json, report.html     every hectare scanned accounted for; map and table\n\nLabels: within_licence, beyond_licence (report: ha outside), unlicensed; with\n[discovery] previous_config also new / persistent.\n\nExample:\n  reclaim discover --config audit-2025.toml --out discovery-2025 --min-area-ha 0.5\n\nThe [discovery] keys are documented in docs/discover.md."
)]
pub struct DiscoverArgs {
    /// The audit configuration (TOML); its optional [discovery] section.
    #[arg(long, value_name = "audit.toml")]
    pub config: PathBuf,
    /// Output folder, created or replaced as a whole: new, empty, or a discovery
    /// folder reclaim wrote; never an input, a folder holding one, or `.`.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Override `[discovery] min_area_ha` (smallest patch reported, hectares).
    #[arg(long, value_name = "HA")]
    pub min_area_ha: Option<f64>,
    /// Override `[discovery] connectivity`: 8 (edge or corner neighbours join,
    /// the default) or 4 (edge neighbours only).
    #[arg(long, value_name = "4|8", value_parser = clap::builder::PossibleValuesParser::new(["4", "8"]))]
    pub connectivity: Option<String>,
    /// Override `audit_date` (YYYY-MM-DD).
    #[arg(long)]
    pub audit_date: Option<String>,
    /// Print nothing but warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Treat warnings as errors: exit 1 and write nothing.
    #[arg(long)]
    pub strict: bool,
    /// Hash every input again instead of reusing cached checksums.
    #[arg(long)]
    pub no_checksum_cache: bool,
    /// Start candidates.csv with a UTF-8 byte-order mark, so that Excel and WPS
    /// show its Chinese text (reclaim's own readers skip the mark).
    #[arg(long)]
    pub excel: bool,
}

/// Runs the discovery and writes its folder.
pub fn run(a: &DiscoverArgs) -> anyhow::Result<ExitCode> {
    let mut cfg = AuditConfig::load(&a.config)?;
    if let Some(d) = &a.audit_date {
        cfg.audit_date = d.clone();
    }
    let mut d = cfg
        .discovery
        .clone()
        .unwrap_or_else(DiscoveryConfig::default);
    if let Some(v) = a.min_area_ha {
        d.min_area_ha = v;
    }
    if let Some(c) = &a.connectivity {
        d.connectivity = if c == "4" { 4 } else { 8 };
    }
    cfg.discovery = Some(d);
    cfg.validate()
        .map_err(|e| anyhow::anyhow!("config {}: {e}", a.config.display()))?;
    // Fail fast: --out must not be an input, hold one, or be the current directory.
    let mut inputs = reclaim::folders::audit_inputs(&cfg, Some(&a.config), None);
    if let Some(d) = &cfg.discovery {
        for (role, p) in [
            ("aoi", &d.aoi),
            ("exclude_raster", &d.exclude_raster),
            ("previous_config", &d.previous_config),
        ] {
            if let Some(p) = p {
                inputs.extend(reclaim::output::vector_inputs(role, p));
            }
        }
        for p in &d.exclude_layers {
            inputs.extend(reclaim::output::vector_inputs("exclude_layer", p));
        }
    }
    reclaim::folders::check_out(
        &a.out,
        reclaim::output::OutputKind::DiscoveryFolder,
        &inputs,
    )?;
    if !a.quiet {
        eprintln!(
            "discovering bare land outside the footprints ({}) …",
            cfg.audit_date
        );
    }
    let opts = DiscoverOptions {
        checksum_cache: if a.no_checksum_cache {
            ChecksumCache::disabled()
        } else {
            ChecksumCache::from_environment()
        },
        // The candidates' outlines wait beside the output folder, not in memory.
        spill_dir: Some(crate::commands::audit::scratch_dir(&a.out)),
        ..DiscoverOptions::default()
    };
    let found = discover::discover(&cfg, &opts)?;
    crate::warnings::report(&found.warnings, a.strict)?;
    discover::write::write_with(&found, &a.out, &inputs, a.excel)?;
    if !a.quiet {
        let acc = &found.accounting;
        let mut text = format!(
            "{}, {:.2} ha (of {:.2} ha bare land scanned; {:.2} ha in footprints, {} below {} ha)",
            reclaim::report::format::plural(acc.candidates.0, "candidate", "candidates"),
            acc.candidates.1,
            acc.bare_ha,
            acc.bare_in_footprints_ha,
            reclaim::report::format::plural(acc.below_min_area.0, "patch", "patches"),
            found.settings.min_area_ha
        );
        for l in [
            Label::WithinLicence,
            Label::BeyondLicence,
            Label::Unlicensed,
        ] {
            let (n, ha) = found
                .candidates
                .ranked()
                .iter()
                .filter(|c| c.label == l)
                .fold((0, 0.0), |(n, s), c| (n + 1, s + c.area_ha));
            text += &format!("\n  {:<15} {n:>6} {ha:>12.2} ha", l.name());
        }
        crate::stdout::print(&(text + "\n"))?;
        eprintln!("wrote {}", a.out.display());
    }
    Ok(ExitCode::SUCCESS)
}
