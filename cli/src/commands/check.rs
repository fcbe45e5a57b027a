//! `reclaim audit --check`: the whole audit, run in memory and discarded.
//!
//! The check is the audit itself (the engine's own code paths: configuration,
//! vectors, fields, CRS, imagery, overlap, statuses, every piece measured), so it
//! can never accept what the audit would refuse, nor miss a warning the audit
//! would give. Nothing is written: no output folder, no checksum cache.

use super::audit::{composite_line, AuditArgs};
use reclaim::audit::checksum::ChecksumCache;
use reclaim::audit::{self, AuditConfig, AuditOptions, AuditReport};
use reclaim::report::format::plural;
use std::process::ExitCode;

/// Runs the check and prints what it found (stdout) and the warnings (stderr).
pub fn run(cfg: &AuditConfig, a: &AuditArgs) -> anyhow::Result<ExitCode> {
    if !a.quiet {
        eprintln!(
            "checking {} (the audit runs in memory; nothing is written) …",
            a.config.display()
        );
    }
    let bar = crate::progress::Bar::new("reading imagery", a.quiet);
    let opts = AuditOptions {
        previous: a.previous.clone(),
        progress: bar.callback(),
        checksum_cache: ChecksumCache::disabled(),
        ..AuditOptions::default()
    };
    let report = audit::run(cfg, &opts);
    bar.finish();
    let report = report?;
    if a.json {
        let v = json(a, &report);
        crate::stdout::print(&(serde_json::to_string_pretty(&v)? + "\n"))?;
    } else if !a.quiet {
        crate::stdout::print(&text(a, &report))?;
    }
    crate::warnings::report(&report.warnings, a.strict)?;
    if !a.quiet {
        eprintln!(
            "usable: `reclaim audit --config {} --out {}` would write the audit{}",
            a.config.display(),
            a.out.display(),
            if report.warnings.is_empty() {
                String::new()
            } else {
                format!(
                    " with {} (--strict: exit 1)",
                    plural(distinct(&report), "warning", "warnings")
                )
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// How many distinct warnings (as printed).
fn distinct(r: &AuditReport) -> usize {
    let mut seen = std::collections::HashSet::new();
    r.warnings
        .iter()
        .filter(|w| seen.insert(w.to_string()))
        .count()
}

/// What the check found, for people.
fn text(a: &AuditArgs, r: &AuditReport) -> String {
    let s = &r.summary;
    let p = &r.provenance;
    let mut out = format!(
        "config {}: audit date {}\n",
        a.config.display(),
        s.audit_date
    );
    out += "inputs (all read):\n";
    for i in &p.inputs {
        out += &format!("  {:<20} {}\n", i.role, i.path.display());
    }
    out += &format!(
        "imagery: {}, cells {} × {}\n",
        p.crs, p.cell_size.0, p.cell_size.1
    );
    if let Some(line) = composite_line(s) {
        out += &line;
    }
    out += &format!(
        "footprints: {}, {}; {}\n",
        plural(s.pit_count, "pit", "pits"),
        plural(s.piece_count, "piece", "pieces"),
        plural(s.overlap_count, "pit overlap", "pit overlaps"),
    );
    out += &format!(
        "licences: {} ({} liable)\n",
        plural(s.license_count, "licence", "licences"),
        s.liable_license_count
    );
    let observed = s.county_areas().observed_pct();
    out += &format!(
        "land: {:.2} ha of footprint, {} observed\n",
        s.footprint_ha + 0.0,
        observed.map_or("none".to_string(), |p| format!("{p:.1} %"))
    );
    if let Some(prev) = &r.previous {
        out += &format!(
            "previous audit: {} ({})\n",
            prev.dir.display(),
            prev.summary.audit_date
        );
    }
    out += &format!(
        "warnings: {}\n",
        match distinct(r) {
            0 => "none".to_string(),
            n => format!("{n} (on stderr)"),
        }
    );
    out
}

/// What the check found, as JSON (keys like summary.json's).
fn json(a: &AuditArgs, r: &AuditReport) -> serde_json::Value {
    let mut seen = std::collections::HashSet::new();
    let warnings: Vec<String> = r
        .warnings
        .iter()
        .map(ToString::to_string)
        .filter(|w| seen.insert(w.clone()))
        .collect();
    serde_json::json!({
        "usable": !a.strict || warnings.is_empty(),
        "config": a.config,
        "out": a.out,
        "inputs": r.provenance.inputs.iter().map(|i| serde_json::json!({
            "role": i.role,
            "path": i.path,
        })).collect::<Vec<_>>(),
        "crs": r.provenance.crs,
        "cell_size": [r.provenance.cell_size.0, r.provenance.cell_size.1],
        "summary": r.summary,
        "previous": r.previous.as_ref().map(|p| p.dir.clone()),
        "warnings": warnings,
    })
}
