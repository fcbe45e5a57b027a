//! `reclaim audit --config audit.toml --out DIR`: the annual restoration audit.

use anyhow::Context;
use clap::Args;
use reclaim::audit::checksum::ChecksumCache;
use reclaim::audit::{self, AuditConfig, AuditOptions, AuditReport};
use reclaim::report::gis::{DbfEncoding, GisOptions};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `reclaim audit`. Flags override the configuration file.
#[derive(Args, Debug)]
#[command(
    after_help = "Writes into DIR (atomically: a failed run leaves the old DIR untouched):\n  attribution.csv  one row per piece (pit × responsibility)\n  pits.csv, mines.csv, orphans.geojson, summary.json, report.html\n  results.gpkg, shapefiles/  GIS layers in the project CRS (--encoding gbk for old ArcGIS)\n  classes.tif      with --classes-tif (and clear_obs.tif for a composite)\n  accuracy.json, accuracy.csv  with an [accuracy] section (and classes.tif)\n  candidates.geojson, candidates_projected.geojson, candidates.csv\n                   with [discovery] in_audit = true (bare land outside the footprints)\nDIR must be new, an empty folder, or a folder reclaim wrote (its summary.json); it is\nnever an input, a folder holding an input or the config, or the current directory.\n\nExample:\n  reclaim audit --config audit-2024.toml --out audit-2024 --previous audit-2023\n\nThe SHA-256 of every input (recorded in summary.json) is reused while the file is\nunchanged (same path, size, mtime, ctime, inode): the checksum cache lives in\n$RECLAIM_CACHE_DIR, else $XDG_CACHE_HOME/reclaim, else ~/.cache/reclaim.\n\nWarnings (most of a pit unobserved, an unknown licence status, a pit off the imagery,\nreflectances that suggest a wrong scale/offset …) are printed once and listed in\nsummary.json and report.html; --strict makes them an error (exit 1, nothing written).\n\nExit codes: 0 done, 1 warnings with --strict, 2 bad input or arguments.\n\nEvery key of audit.toml is documented in docs/audit.md."
)]
pub struct AuditArgs {
    /// The audit configuration (TOML).
    #[arg(long, value_name = "audit.toml")]
    pub config: PathBuf,
    /// Output folder, created or replaced as a whole: it must be new, empty, or an
    /// audit folder reclaim wrote; never an input, a folder holding one, or `.`.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// An earlier audit's output folder: report newly restored and re-disturbed land.
    #[arg(long, value_name = "DIR")]
    pub previous: Option<PathBuf>,
    /// Override `audit_date` (YYYY-MM-DD).
    #[arg(long)]
    pub audit_date: Option<String>,
    /// Override `[imagery] restored_min_ndvi`.
    #[arg(long, value_name = "NDVI")]
    pub restored_min_ndvi: Option<f64>,
    /// Override `[imagery] water_max_ndvi`.
    #[arg(long, value_name = "NDVI")]
    pub water_max_ndvi: Option<f64>,
    /// Override `[imagery] path`.
    #[arg(long, value_name = "FILE")]
    pub imagery: Option<PathBuf>,
    /// Repair self-intersecting or overlapping pits and licences instead of refusing
    /// them (sets `repair_geometry = true` in [pits] and [licenses]).
    #[arg(long)]
    pub repair: bool,
    /// Print nothing but warnings and errors.
    #[arg(long, short)]
    pub quiet: bool,
    /// Treat warnings (most of a footprint unobserved, an unknown licence status, a
    /// pit off the imagery …) as errors: exit 1 and write nothing.
    #[arg(long)]
    pub strict: bool,
    /// Run one shard `I/N` of the audit (`auto/N`: I from JOB_COMPLETION_INDEX or
    /// SLURM_ARRAY_TASK_ID); DIR gets a partial result for `reclaim merge`.
    #[arg(long, value_name = "I/N")]
    pub shard: Option<String>,
    /// Hash every input again instead of reusing checksums of unchanged files from
    /// the cache dir ($RECLAIM_CACHE_DIR, else $XDG_CACHE_HOME/reclaim, else
    /// ~/.cache/reclaim).
    #[arg(long)]
    pub no_checksum_cache: bool,
    /// Also write classes.tif (the land class of every cell of the footprints'
    /// window, styled for QGIS) and, for a composite, clear_obs.tif (clear
    /// observations per cell) into DIR; see docs/report.md.
    #[arg(long)]
    pub classes_tif: bool,
    /// Check the configuration and every input without writing anything: runs the
    /// whole audit in memory (reads the vectors, opens the imagery, checks CRS,
    /// overlap, fields, statuses, measures every piece), prints what it found and
    /// the warnings, and discards the result. Exit 0 when usable, 2 on an error,
    /// 1 with --strict and warnings. DIR is checked (that it may be written) but
    /// not touched; no checksum cache is written.
    #[arg(long)]
    pub check: bool,
    /// Print summary.json (with --check: what the check found) on stdout as JSON
    /// instead of the county table.
    #[arg(long)]
    pub json: bool,
    /// Start every CSV with a UTF-8 byte-order mark, so that Excel and WPS show
    /// its Chinese text (reclaim's readers, --previous included, skip the mark).
    #[arg(long)]
    pub excel: bool,
    /// Text encoding of the shapefiles' .dbf (and .cpg): utf-8 (default) or gbk,
    /// for ArcMap 10.x and older Chinese GIS software; see docs/gis.md.
    #[arg(long, value_name = "ENC", default_value = "utf-8", value_parser = parse_encoding)]
    pub encoding: DbfEncoding,
}

fn parse_encoding(s: &str) -> Result<DbfEncoding, String> {
    DbfEncoding::parse(s).ok_or_else(|| format!("{s:?}: expected utf-8 or gbk"))
}

/// Runs the audit and writes its folder.
pub fn run(a: &AuditArgs) -> anyhow::Result<ExitCode> {
    let mut cfg = AuditConfig::load(&a.config)?;
    if let Some(d) = &a.audit_date {
        cfg.audit_date = d.clone();
    }
    if let Some(v) = a.restored_min_ndvi {
        cfg.imagery.restored_min_ndvi = v;
    }
    if let Some(v) = a.water_max_ndvi {
        cfg.imagery.water_max_ndvi = v;
    }
    if let Some(p) = &a.imagery {
        // Absolute, like the configuration's paths, so summary.json records it so.
        cfg.imagery.path = Some(reclaim::output::resolve_folder(p));
    }
    if a.repair {
        cfg.pits.repair_geometry = true;
        if let Some(l) = &mut cfg.licenses {
            l.repair_geometry = true;
        }
    }
    // After the overrides: `--audit-date` stands in for a missing key, and a flag's
    // value is checked as the file's would be.
    cfg.validate()
        .map_err(|e| anyhow::anyhow!("config {}: {e}", a.config.display()))?;
    // Fail fast, before the long run: --out must not be an input, hold one, be the
    // current directory, or be a folder reclaim did not write.
    let kind = if a.shard.is_some() {
        reclaim::output::OutputKind::PartialFolder
    } else {
        reclaim::output::OutputKind::AuditFolder
    };
    let inputs = reclaim::folders::audit_inputs(&cfg, Some(&a.config), a.previous.as_deref());
    reclaim::folders::check_out(&a.out, kind, &inputs)?;
    if a.check {
        return super::check::run(&cfg, a);
    }
    let cache = if a.no_checksum_cache {
        ChecksumCache::disabled()
    } else {
        ChecksumCache::from_environment()
    };
    if let Some(s) = &a.shard {
        if cfg.accuracy.is_some() {
            anyhow::bail!(
                "config {}: [accuracy] needs the class raster of a one-shot audit, which a shard does not make: run without --shard to include the assessment, or remove [accuracy] from the shards' configuration",
                a.config.display()
            );
        }
        if a.classes_tif {
            anyhow::bail!(
                "--classes-tif is made by a one-shot audit only: run without --shard (or run one afterwards)"
            );
        }
        if reclaim::discover::in_audit::wanted(&cfg) {
            // Not a warning of the audit (the shard's figures are whole): said once here.
            eprintln!(
                "note: [discovery] in_audit = true is not run by a sharded audit; run `reclaim discover --config {} --out DIR` beside it",
                a.config.display()
            );
        }
        return super::merge::run_shard(&cfg, s, a.previous.clone(), cache, &a.out, a.quiet);
    }
    let report = run_and_write_opts(
        &cfg,
        a.previous.clone(),
        cache,
        &a.out,
        RunFlags {
            quiet: a.quiet,
            strict: a.strict,
            // [accuracy] checks its sample against the class raster: it is written too.
            classes_tif: a.classes_tif || cfg.accuracy.is_some(),
            encoding: a.encoding,
            excel: a.excel,
        },
    )?;
    if a.json {
        let json = reclaim::report::summary::summary_json(
            &report,
            &a.out.join(reclaim::report::SUMMARY_FILE),
        )?;
        crate::stdout::print(&json)?;
    } else if !a.quiet {
        crate::stdout::print(&county_table(&report))?;
    }
    if !a.quiet {
        eprintln!("wrote {}", a.out.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Runs one audit and writes it to `out` (shared with `reclaim demo`, whose files
/// are new each time: no checksum cache).
pub fn run_and_write(
    cfg: &AuditConfig,
    previous: Option<PathBuf>,
    out: &std::path::Path,
    quiet: bool,
) -> anyhow::Result<AuditReport> {
    run_and_write_with(cfg, previous, ChecksumCache::disabled(), out, quiet, false)
}

/// [`run_and_write`] with the checksum cache chosen.
pub fn run_and_write_with(
    cfg: &AuditConfig,
    previous: Option<PathBuf>,
    checksum_cache: ChecksumCache,
    out: &std::path::Path,
    quiet: bool,
    strict: bool,
) -> anyhow::Result<AuditReport> {
    let flags = RunFlags {
        quiet,
        strict,
        classes_tif: false,
        ..RunFlags::default()
    };
    run_and_write_opts(cfg, previous, checksum_cache, out, flags)
}

/// How [`run_and_write_opts`] runs.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunFlags {
    /// Print nothing but warnings and errors.
    pub quiet: bool,
    /// Warnings are errors.
    pub strict: bool,
    /// Also write `classes.tif` (and `clear_obs.tif`).
    pub classes_tif: bool,
    /// Text encoding of the shapefiles' `.dbf`.
    pub encoding: DbfEncoding,
    /// Start every CSV with a UTF-8 byte-order mark (`--excel`).
    pub excel: bool,
}

/// [`run_and_write_with`] with every flag.
pub fn run_and_write_opts(
    cfg: &AuditConfig,
    previous: Option<PathBuf>,
    checksum_cache: ChecksumCache,
    out: &std::path::Path,
    flags: RunFlags,
) -> anyhow::Result<AuditReport> {
    let RunFlags {
        quiet,
        strict,
        classes_tif,
        encoding,
        excel,
    } = flags;
    if !quiet {
        eprintln!("auditing {} …", cfg.audit_date);
        if reclaim::discover::in_audit::wanted(cfg) {
            eprintln!("then discovering bare land outside the footprints ([discovery] in_audit) …");
        }
    }
    let bar = crate::progress::Bar::new("reading imagery", quiet);
    let opts = AuditOptions {
        previous,
        progress: bar.callback(),
        checksum_cache,
        classes_tif,
        // Beside the output folder: the rasters are then linked, not copied, into
        // it; discovery's spilled outlines stay on the same disk.
        scratch_dir: (classes_tif || reclaim::discover::in_audit::wanted(cfg))
            .then(|| scratch_dir(out)),
        ..AuditOptions::default()
    };
    let report = audit::run(cfg, &opts);
    bar.finish();
    let report = report?;
    crate::warnings::report(&report.warnings, strict)?;
    let gis = GisOptions {
        dbf_encoding: encoding,
    };
    audit::write_with(&report, out, &audit::WriteOptions { excel, gis })
        .with_context(|| format!("writing the audit to {}", out.display()))?;
    Ok(report)
}

/// The folder the output folder is made in (created if need be), for scratch files.
pub fn scratch_dir(out: &std::path::Path) -> PathBuf {
    let parent = match reclaim::output::resolve(out).parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if std::fs::create_dir_all(&parent).is_ok() {
        parent
    } else {
        std::env::temp_dir()
    }
}

/// The line about a composite's scenes, e.g. `imagery: median of 12 scenes (3
/// outside the season), mean 4.2 clear observations`; `None` for one raster.
pub fn composite_line(s: &reclaim::results::Summary) -> Option<String> {
    let c = s.composite.as_ref()?;
    let unused = c.scenes.iter().filter(|x| !x.used).count();
    let outside = c
        .scenes
        .iter()
        .filter(|x| {
            !x.used
                && x.reason
                    .as_deref()
                    .is_some_and(|r| r.contains("outside the season"))
        })
        .count();
    let mut out = format!(
        "imagery: {} of {} scene{}",
        c.rule,
        c.scenes_used,
        if c.scenes_used == 1 { "" } else { "s" }
    );
    let mut left: Vec<String> = Vec::new();
    if outside > 0 {
        left.push(format!("{outside} outside the season"));
    }
    if unused > outside {
        left.push(format!("{} not used", unused - outside));
    }
    if !left.is_empty() {
        out += &format!(" ({})", left.join(", "));
    }
    match c.clear_obs_mean {
        Some(m) => out += &format!(", mean {m:.1} clear observations"),
        None => out += ", no footprint land to count clear observations over",
    }
    Some(out + "\n")
}

/// The county figures as a plain-text table (vs baseline and previous audit).
pub fn county_table(r: &AuditReport) -> String {
    let s = &r.summary;
    let mut out = format!("County figures, {} (hectares)\n", s.audit_date);
    let base = r.baseline.as_ref().map(|b| b.baseline);
    let prev = r.previous.as_ref().map(|p| &p.summary);
    out += &format!(
        "  {:<34} {:>12} {:>12} {:>12}\n",
        "", "this audit", "baseline", "previous"
    );
    let mut rows: Vec<(&str, f64, Option<f64>, Option<f64>)> = vec![
        (
            "restored 治理恢复",
            s.restored_ha,
            base.map(|b| b.restored_ha),
            prev.map(|p| p.restored_ha),
        ),
        (
            "unrestored 未恢复",
            s.unrestored_ha,
            base.map(|b| b.unrestored_ha),
            prev.map(|p| p.unrestored_ha),
        ),
        (
            "  responsible 有责任主体",
            s.unrestored_responsible_ha,
            base.map(|b| b.unrestored_responsible_ha),
            prev.map(|p| p.unrestored_responsible_ha),
        ),
        (
            "  historical legacy 历史遗留",
            s.unrestored_legacy_ha,
            base.map(|b| b.unrestored_legacy_ha),
            prev.map(|p| p.unrestored_legacy_ha),
        ),
        ("water 水体", s.water_ha, None, prev.map(|p| p.water_ha)),
        (
            "unobserved 未观测",
            s.unobserved_ha,
            None,
            prev.map(|p| p.unobserved_ha),
        ),
        (
            "footprint 矿山占地",
            s.footprint_ha,
            None,
            prev.map(|p| p.footprint_ha),
        ),
    ];
    let no_licences = r
        .warnings
        .iter()
        .any(|w| matches!(w, reclaim::Warning::NoLicences { .. }));
    if no_licences || s.unrestored_unattributed_ha != 0.0 {
        rows.insert(
            4,
            (
                "  unattributed 未归属 (no licences)",
                s.unrestored_unattributed_ha,
                None,
                prev.map(|p| p.unrestored_unattributed_ha),
            ),
        );
    }
    // `+ 0.0` turns −0.0 into 0.0: "-0.00" is never printed.
    let f = |v: Option<f64>| {
        v.map(|x| format!("{:.2}", x + 0.0))
            .unwrap_or_else(|| "—".into())
    };
    for (name, now, b, p) in rows {
        out += &format!(
            "  {} {:>12.2} {:>12} {:>12}\n",
            pad(name, 34),
            now + 0.0,
            f(b),
            f(p)
        );
    }
    if let Some(p) = &r.previous {
        out += &format!(
            "  change since {}: newly restored {:.2} ha, re-disturbed {:.2} ha\n",
            p.summary.audit_date, p.change.newly_restored_ha, p.change.redisturbed_ha
        );
    }
    out += &format!(
        "  {}, {}, {} ({} liable), {}, {}\n",
        reclaim::report::format::plural(s.pit_count, "pit", "pits"),
        reclaim::report::format::plural(s.piece_count, "piece", "pieces"),
        reclaim::report::format::plural(s.license_count, "licence", "licences"),
        s.liable_license_count,
        reclaim::report::format::plural(
            s.orphan_piece_count,
            "orphaned legacy piece",
            "orphaned legacy pieces"
        ),
        reclaim::report::format::plural(s.overlap_count, "pit overlap", "pit overlaps"),
    );
    if let Some(line) = composite_line(s) {
        out += "  ";
        out += &line;
    }
    if let Some(a) = &r.accuracy {
        out += &accuracy_line(&a.summary);
    }
    out
}

/// The `[accuracy]` figures in one line: error-adjusted areas "± half-width" (95 %).
fn accuracy_line(a: &reclaim::results::AccuracySummary) -> String {
    use reclaim::report::accuracy_section::ha_pm;
    let mut parts = vec![
        format!("restored {} ha", ha_pm(&a.restored_ha)),
        format!("unrestored {} ha", ha_pm(&a.unrestored_ha)),
    ];
    if let (Some(r), Some(l)) = (a.unrestored_responsible_ha, a.unrestored_legacy_ha) {
        parts.push(format!("responsible {} ha", ha_pm(&r)));
        parts.push(format!("legacy {} ha", ha_pm(&l)));
    }
    format!(
        "  error-adjusted (95 %, {} labelled points): {}; overall accuracy {:.3} ± {:.3} (accuracy.json)\n",
        a.n,
        parts.join(", "),
        a.overall_accuracy.estimate,
        a.overall_accuracy.half_width()
    )
}

/// Pads `s` to `width` terminal columns; CJK characters take two columns.
fn pad(s: &str, width: usize) -> String {
    let cols: usize = s
        .chars()
        .map(|c| {
            if ('\u{1100}'..='\u{ffdc}').contains(&c) && c > '\u{2e7f}' {
                2
            } else {
                1
            }
        })
        .sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(cols)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reclaim::results::{CompositeSummary, SceneListing, Summary};

    fn summary(composite: Option<CompositeSummary>) -> Summary {
        let mut s: Summary = serde_json::from_str(
            r#"{"audit_date":"2024-12-31","restored_ha":0,"unrestored_ha":0,"unrestored_responsible_ha":0,
            "unrestored_legacy_ha":0,"water_ha":0,"unobserved_ha":0,"footprint_ha":0,"pit_count":0,
            "piece_count":0,"license_count":0,"liable_license_count":0,"orphan_piece_count":0,"overlap_count":0}"#,
        )
        .unwrap();
        s.composite = composite;
        s
    }

    fn scene(used: bool, reason: Option<&str>) -> SceneListing {
        SceneListing {
            id: "S".into(),
            date: "2024-06-01".into(),
            tile: None,
            used,
            reason: reason.map(str::to_string),
            over_footprints: None,
        }
    }

    #[test]
    fn composite_line_counts_scenes_outside_the_season() {
        assert_eq!(composite_line(&summary(None)), None);
        let mut scenes: Vec<SceneListing> = (0..12).map(|_| scene(true, None)).collect();
        scenes.extend((0..3).map(|_| scene(false, Some("outside the season 05-01…09-30 of 2024"))));
        let c = CompositeSummary {
            rule: "median".into(),
            min_clear: 2,
            season: None,
            scenes_used: 12,
            clear_obs_mean: Some(4.2345),
            scenes,
        };
        assert_eq!(
            composite_line(&summary(Some(c.clone()))).unwrap(),
            "imagery: median of 12 scenes (3 outside the season), mean 4.2 clear observations\n"
        );
        let mut other = c;
        other
            .scenes
            .push(scene(false, Some("not of the audit year 2024")));
        other.scenes_used = 1;
        other.clear_obs_mean = None;
        assert_eq!(
            composite_line(&summary(Some(other))).unwrap(),
            "imagery: median of 1 scene (3 outside the season, 1 not used), no footprint land to count clear observations over\n"
        );
    }
}
