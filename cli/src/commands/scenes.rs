//! `reclaim scenes PATH... [--season MM-DD,MM-DD] [--year YYYY] [--json]`: what
//! the scene readers find in products, MTL files, manifests, folders and
//! patterns, and which scenes a season would use.

use anyhow::Context;
use clap::Args;
use reclaim::scenes::{find, Found, Scene, Season};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Arguments of `reclaim scenes`.
#[derive(Args, Debug)]
pub struct ScenesArgs {
    /// Sentinel-2 L2A .SAFE folders, Landsat C2 L2 folders or *_MTL.json/_MTL.txt
    /// files, scene manifests (.csv, .toml), folders holding these, or patterns
    /// (quote them: 'scenes/*.SAFE').
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Season window, first and last day as MM-DD (e.g. 05-01,09-30): scenes
    /// outside it are marked unused.
    #[arg(long, value_name = "MM-DD,MM-DD")]
    pub season: Option<String>,
    /// Audit year: scenes of other years are marked unused.
    #[arg(long)]
    pub year: Option<i32>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// One scene and whether the season uses it.
#[derive(Serialize)]
struct Entry<'a> {
    #[serde(flatten)]
    scene: &'a Scene,
    used: bool,
    /// Why not, when not used.
    #[serde(skip_serializing_if = "Option::is_none")]
    why: Option<String>,
}

/// The whole listing, as `--json` prints it.
#[derive(Serialize)]
struct Listing<'a> {
    year: Option<i32>,
    season: Option<String>,
    used: usize,
    scenes: Vec<Entry<'a>>,
    duplicates: Vec<Entry<'a>>,
    skipped: &'a [reclaim::scenes::Skipped],
}

/// Lists the scenes found.
pub fn run(a: &ScenesArgs) -> anyhow::Result<ExitCode> {
    let season = a
        .season
        .as_deref()
        .map(|s| Season::parse_pair("--season", s))
        .transpose()?;
    let found = find(&a.paths)?;
    let listing = listing(&found, season, a.year);
    if a.json {
        let s = serde_json::to_string_pretty(&listing).context("serialising the scene list")?;
        crate::stdout::print(&format!("{s}\n"))?;
    } else {
        crate::stdout::print(&render(&listing))?;
    }
    Ok(ExitCode::SUCCESS)
}

fn listing(found: &Found, season: Option<Season>, year: Option<i32>) -> Listing<'_> {
    let scenes: Vec<Entry> = found
        .scenes
        .iter()
        .map(|s| {
            let why = match (year, season) {
                (Some(y), _) if s.date.year != y => Some(format!(
                    "another year ({}, the audit is of {y})",
                    s.date.year
                )),
                (y, Some(se)) if !se.contains(s.date, y.unwrap_or(s.date.year)) => {
                    Some(format!("outside the season {se}"))
                }
                _ => None,
            };
            Entry {
                scene: s,
                used: why.is_none(),
                why,
            }
        })
        .collect();
    let duplicates = found
        .duplicates
        .iter()
        .map(|d| Entry {
            scene: &d.scene,
            used: false,
            why: Some(format!(
                "duplicate of {} ({}): {}",
                d.kept,
                d.kept_source.display(),
                d.why
            )),
        })
        .collect();
    Listing {
        year,
        season: season.map(|s| s.to_string()),
        used: scenes.iter().filter(|e| e.used).count(),
        scenes,
        duplicates,
        skipped: &found.skipped,
    }
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| p.display().to_string())
}

fn kind(s: &Scene) -> &'static str {
    match s.kind {
        reclaim::scenes::SceneKind::Sentinel2L2a => "Sentinel-2 L2A",
        reclaim::scenes::SceneKind::LandsatC2L2 => "Landsat C2 L2",
        reclaim::scenes::SceneKind::Manifest => "manifest",
    }
}

fn render_entry(out: &mut String, e: &Entry) {
    let s = e.scene;
    let crs = match &s.georef {
        Some(g) => format!(
            "EPSG:{} ({} x {} cells of {} m)",
            g.epsg, g.width, g.height, g.transform.dx
        ),
        None => "from file".to_string(),
    };
    *out += &format!("{}\n", s.id);
    *out += &format!(
        "  kind {}, date {}, tile {}, CRS {}\n",
        kind(s),
        s.date,
        s.tile.as_deref().unwrap_or("-"),
        crs
    );
    *out += &format!("  red   {} (band {})\n", name(&s.red.path), s.red.band);
    *out += &format!("  nir   {} (band {})\n", name(&s.nir.path), s.nir.band);
    match &s.mask {
        Some(m) => {
            let mut how = Vec::new();
            if let Some(p) = &m.preset {
                how.push(format!("preset {p}"));
            }
            if let Some(v) = &m.values {
                how.push(format!("values {v:?}"));
            }
            if let Some(b) = &m.bits {
                how.push(format!("bits {b:?}"));
            }
            if m.factor != 1 {
                how.push(format!("1 mask cell = {0}×{0} cells", m.factor));
            }
            *out += &format!(
                "  mask  {} (band {}; {})\n",
                name(&m.band.path),
                m.band.band,
                how.join(", ")
            );
        }
        None => *out += "  mask  none\n",
    }
    let offset = if s.offset < 0.0 {
        format!("- {}", -s.offset)
    } else {
        format!("+ {}", s.offset)
    };
    *out += &format!(
        "  reflectance = value × {} {}{}\n",
        s.scale,
        offset,
        s.nodata
            .map(|n| format!(", nodata {n}"))
            .unwrap_or_default()
    );
    *out += &format!("  from  {}\n", s.source.display());
    match &e.why {
        None => *out += "  used\n",
        Some(w) => *out += &format!("  not used: {w}\n"),
    }
}

fn render(l: &Listing) -> String {
    let mut out = String::new();
    for e in &l.scenes {
        render_entry(&mut out, e);
        out.push('\n');
    }
    for e in &l.duplicates {
        render_entry(&mut out, e);
        out.push('\n');
    }
    for s in l.skipped {
        out += &format!("{}\n  not used: {}\n\n", s.path.display(), s.why);
    }
    if l.scenes.is_empty() {
        out += "no scene found: give Sentinel-2 L2A .SAFE folders, Landsat C2 L2 folders or MTL files, scene manifests, or folders holding them\n";
    }
    let filter = match (&l.season, l.year) {
        (Some(s), Some(y)) => format!(" in the season {s} of {y}"),
        (Some(s), None) => format!(" in the season {s}"),
        (None, Some(y)) => format!(" of {y}"),
        (None, None) => String::new(),
    };
    out += &format!(
        "{} found, {} used{filter}; {}, {} skipped\n",
        reclaim::report::format::plural(l.scenes.len(), "scene", "scenes"),
        l.used,
        reclaim::report::format::plural(l.duplicates.len(), "duplicate", "duplicates"),
        reclaim::report::format::plural(l.skipped.len(), "other entry", "other entries"),
    );
    out
}
