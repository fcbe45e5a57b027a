//! Inputs → scenes, each recognised by its structure: a `.SAFE` folder (it holds
//! `MTD_MSIL2A.xml`), a Landsat product folder (it holds `*_MTL.json` or
//! `*_MTL.txt`), an MTL file, a manifest (`.csv`, `.toml`), a collection folder
//! (walked two levels down, each entry recognised), or a pattern (`*`, `?`,
//! `[...]`). Scenes come out sorted by (date, id); the same product found twice
//! is kept once and reported.

use super::error::SceneError;
use super::landsat::{is_mtl_name, read_mtl};
use super::manifest::read_manifest;
use super::safe::{level1c, read_safe, L1C_METADATA, PRODUCT_METADATA};
use super::scene::{Date, Scene, SceneKind};
use serde::Serialize;
use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// What [`find`] found.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Found {
    /// The scenes, sorted by (date, id), each product once.
    pub scenes: Vec<Scene>,
    /// Scenes found again (the same product, or the same acquisition processed
    /// again), not kept.
    pub duplicates: Vec<Duplicate>,
    /// Entries of collection folders and pattern matches that are not scenes,
    /// or scenes that could not be read, with the reason.
    pub skipped: Vec<Skipped>,
}

/// A scene found twice.
#[derive(Debug, Clone, Serialize)]
pub struct Duplicate {
    /// The copy not kept.
    pub scene: Scene,
    /// The id of the scene kept instead.
    pub kept: String,
    /// Where the kept scene was read from.
    pub kept_source: PathBuf,
    /// Why they are the same (`same product`, `same acquisition, …`).
    pub why: String,
}

/// An entry not used.
#[derive(Debug, Clone, Serialize)]
pub struct Skipped {
    /// The file or folder.
    pub path: PathBuf,
    /// Why it was skipped.
    pub why: SkipReason,
}

/// Why an entry was skipped.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", content = "reason", rename_all = "snake_case")]
pub enum SkipReason {
    /// Not a scene product, MTL file or manifest.
    Unrecognised(String),
    /// A product refused (Level-1C, zipped, Level-1 Landsat, …).
    Refused(String),
    /// A product that could not be read: the full error.
    Unreadable(String),
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SkipReason::Unrecognised(r) => write!(f, "unrecognised: {r}"),
            SkipReason::Refused(r) => write!(f, "refused: {r}"),
            SkipReason::Unreadable(r) => write!(f, "unreadable: {r}"),
        }
    }
}

/// Finds the scenes of `inputs`. A path named directly must be a scene source
/// (an error says why not); entries met inside collection folders or through
/// patterns that are not scenes are skipped and reported in [`Found::skipped`].
pub fn find(inputs: &[PathBuf]) -> Result<Found, SceneError> {
    let mut scenes = Vec::new();
    let mut skipped = Vec::new();
    for input in inputs {
        let text = input.to_string_lossy();
        if !input.exists() && text.contains(['*', '?', '[']) {
            let matches = expand(&text)?;
            for m in matches {
                visit(&m, 0, &mut scenes, &mut skipped);
            }
        } else {
            match recognise(input)? {
                Kind::Collection => walk(input, 1, &mut scenes, &mut skipped)?,
                k => scenes.extend(read_kind(input, k)?),
            }
        }
    }
    Ok(dedup(scenes, skipped))
}

/// What a path is.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    Safe,
    SafeZip,
    LandsatFolder,
    Mtl,
    Manifest,
    Collection,
}

/// Recognises `path` by its structure; refusals and unrecognised files are errors.
fn recognise(path: &Path) -> Result<Kind, SceneError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound {
            SceneError::NotFound {
                path: path.to_path_buf(),
            }
        } else {
            SceneError::io(path, e)
        }
    })?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if meta.is_dir() {
        if path.join(PRODUCT_METADATA).is_file() {
            return Ok(Kind::Safe);
        }
        if path.join(L1C_METADATA).is_file() {
            return Err(level1c(path));
        }
        let children = list(path)?;
        if children.iter().any(|c| {
            c.file_name()
                .is_some_and(|n| is_mtl_name(&n.to_string_lossy()))
        }) {
            return Ok(Kind::LandsatFolder);
        }
        if name.ends_with(".SAFE") {
            if children.iter().any(|c| {
                c.file_name()
                    .is_some_and(|n| n.to_string_lossy().contains("MTD_SAFL2A"))
            }) {
                return Err(SceneError::Refused {
                    path: path.to_path_buf(),
                    reason: "a Sentinel-2 product in the pre-2017 SAFE layout (S2x_OPER_…, MTD_SAFL2A)"
                        .into(),
                    fix: "download the product again in the current (compact) layout, or list its band files in a scene manifest".into(),
                });
            }
            return Err(SceneError::missing(
                path,
                PRODUCT_METADATA,
                "this .SAFE folder is incomplete: download or unzip the product again",
            ));
        }
        return Ok(Kind::Collection);
    }
    let lower = name.to_ascii_lowercase();
    if name == PRODUCT_METADATA {
        return Ok(Kind::Safe);
    }
    if name == L1C_METADATA {
        return Err(level1c(path.parent().unwrap_or(path)));
    }
    if is_mtl_name(&name) {
        return Ok(Kind::Mtl);
    }
    if lower.ends_with(".csv") || lower.ends_with(".toml") {
        return Ok(Kind::Manifest);
    }
    if lower.ends_with(".zip") {
        let stem = &name[..name.len() - 4];
        let stem = stem.strip_suffix(".SAFE").unwrap_or(stem);
        let unpacked = [format!("{stem}.SAFE"), stem.to_string()]
            .into_iter()
            .map(|n| path.with_file_name(n))
            .find(|p| p.is_dir());
        if let Some(u) = unpacked {
            return Err(SceneError::Refused {
                path: path.to_path_buf(),
                reason: format!("a zipped copy of {}", u.display()),
                fix: format!(
                    "give the unzipped folder {} instead (not both)",
                    u.display()
                ),
            });
        }
        if name.contains("MSIL1C") {
            return Err(SceneError::Refused {
                path: path.to_path_buf(),
                reason: "Level-1C: top-of-atmosphere, use L2A".to_string(),
                fix: "download the Level-2A product (S2x_MSIL2A_…) instead".to_string(),
            });
        }
        return Ok(Kind::SafeZip);
    }
    if lower.ends_with(".tar") || lower.ends_with(".tar.gz") || lower.ends_with(".tgz") {
        let dir = name
            .trim_end_matches(".tar")
            .trim_end_matches(".tar.gz")
            .trim_end_matches(".tgz");
        return Err(SceneError::Refused {
            path: path.to_path_buf(),
            reason: "a packed product".into(),
            fix: format!(
                "unpack it first: mkdir {dir} && tar xf {} -C {dir}",
                path.display()
            ),
        });
    }
    let reason = if lower.ends_with(".tif") || lower.ends_with(".tiff") || lower.ends_with(".jp2") {
        "a raster alone is not a scene (no date, no scaling): name it in a scene manifest"
            .to_string()
    } else if lower.ends_with("_mtl.xml") {
        "Landsat's MTL.xml is not read: give the *_MTL.json or *_MTL.txt beside it".to_string()
    } else {
        "not a scene product, MTL file or manifest".to_string()
    };
    Err(SceneError::Unrecognised {
        path: path.to_path_buf(),
        reason,
    })
}

/// The scenes of a recognised, non-collection path.
fn read_kind(path: &Path, kind: Kind) -> Result<Vec<Scene>, SceneError> {
    match kind {
        Kind::Safe => {
            let dir = if path.is_dir() {
                path
            } else {
                path.parent().unwrap_or(Path::new("."))
            };
            Ok(vec![read_safe(dir)?])
        }
        Kind::LandsatFolder => {
            let mut out = Vec::new();
            for mtl in landsat_mtls(path)? {
                out.push(read_mtl(&mtl)?);
            }
            Ok(out)
        }
        Kind::Mtl => Ok(vec![read_mtl(path)?]),
        Kind::Manifest => read_manifest(path),
        Kind::SafeZip => Ok(vec![super::zipped::read_safe_zip(path)?]),
        Kind::Collection => Ok(Vec::new()),
    }
}

/// The MTL files of a Landsat folder, one per product: `*_MTL.json` where there
/// is one, else `*_MTL.txt`.
fn landsat_mtls(dir: &Path) -> Result<Vec<PathBuf>, SceneError> {
    let mut by_stem: HashMap<String, PathBuf> = HashMap::new();
    for c in list(dir)? {
        let Some(name) = c.file_name().map(|n| n.to_string_lossy().into_owned()) else {
            continue;
        };
        if !is_mtl_name(&name) {
            continue;
        }
        let stem = name
            .rsplit_once("_MTL")
            .map(|(s, _)| s.to_string())
            .unwrap_or_default();
        let json = name.ends_with(".json");
        match by_stem.get(&stem) {
            Some(p) if p.to_string_lossy().ends_with(".json") || !json => {}
            _ => {
                by_stem.insert(stem, c);
            }
        }
    }
    let mut v: Vec<PathBuf> = by_stem.into_values().collect();
    v.sort();
    Ok(v)
}

/// The entries of a folder, sorted, without hidden ones.
fn list(dir: &Path) -> Result<Vec<PathBuf>, SceneError> {
    let mut v = Vec::new();
    for e in std::fs::read_dir(dir).map_err(|e| SceneError::io(dir, e))? {
        let e = e.map_err(|e| SceneError::io(dir, e))?;
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        v.push(e.path());
    }
    v.sort();
    Ok(v)
}

/// How deep collection folders are walked: their entries, and the entries of
/// sub-folders that are not products themselves.
const MAX_DEPTH: usize = 2;

/// Walks a collection folder: each entry recognised, failures skipped.
fn walk(
    dir: &Path,
    depth: usize,
    scenes: &mut Vec<Scene>,
    skipped: &mut Vec<Skipped>,
) -> Result<(), SceneError> {
    let entries = list(dir)?;
    let before = scenes.len() + skipped.len();
    for e in entries {
        visit(&e, depth, scenes, skipped);
    }
    if depth == 1 && scenes.len() + skipped.len() == before {
        // An empty folder named directly: say so rather than find nothing.
        return Err(SceneError::Unrecognised {
            path: dir.to_path_buf(),
            reason: "an empty folder".into(),
        });
    }
    Ok(())
}

/// Recognises and reads one entry of a collection or pattern; never fails.
fn visit(path: &Path, depth: usize, scenes: &mut Vec<Scene>, skipped: &mut Vec<Skipped>) {
    let skip = |skipped: &mut Vec<Skipped>, why| {
        skipped.push(Skipped {
            path: path.to_path_buf(),
            why,
        })
    };
    match recognise(path) {
        Ok(Kind::Collection) if depth < MAX_DEPTH => {
            let before = scenes.len() + skipped.len();
            if let Err(e) = walk(path, depth + 1, scenes, skipped) {
                let why = match e {
                    SceneError::Unrecognised { reason, .. } => SkipReason::Unrecognised(reason),
                    e => SkipReason::Unreadable(e.to_string()),
                };
                skip(skipped, why);
            } else if scenes.len() + skipped.len() == before {
                skip(skipped, SkipReason::Unrecognised("an empty folder".into()));
            }
        }
        Ok(Kind::Collection) => skip(
            skipped,
            SkipReason::Unrecognised(format!(
                "a folder {} levels down is not searched: name it directly",
                depth + 1
            )),
        ),
        Ok(Kind::Manifest) if depth > 0 && !looks_like_manifest(path) => skip(
            skipped,
            SkipReason::Unrecognised("a .csv/.toml file that is not a scene manifest".into()),
        ),
        Ok(k) => match read_kind(path, k) {
            Ok(s) => scenes.extend(s),
            Err(e) => skip(skipped, SkipReason::Unreadable(e.to_string())),
        },
        Err(SceneError::Refused { reason, fix, .. }) => {
            skip(skipped, SkipReason::Refused(format!("{reason}; {fix}")))
        }
        Err(SceneError::Unrecognised { reason, .. }) => {
            skip(skipped, SkipReason::Unrecognised(reason))
        }
        Err(e) => skip(skipped, SkipReason::Unreadable(e.to_string())),
    }
}

/// Whether a `.csv`/`.toml` met in a collection is meant as a scene manifest:
/// its header (CSV) or its tables (TOML) say so.
fn looks_like_manifest(path: &Path) -> bool {
    let Ok(text) = super::error::read_metadata(path) else {
        return true; // unreadable: let the reader say why
    };
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("toml"))
    {
        return text.contains("[[scene]]");
    }
    let header = text
        .lines()
        .find(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
        .unwrap_or("");
    let cols: Vec<String> = header
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    ["id", "date", "red", "nir"]
        .iter()
        .all(|r| cols.iter().any(|c| c == r))
}

/// The paths a pattern matches, sorted; an error when none.
fn expand(pattern: &str) -> Result<Vec<PathBuf>, SceneError> {
    let opts = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let paths = glob::glob_with(pattern, opts).map_err(|e| SceneError::BadPattern {
        pattern: pattern.to_string(),
        problem: format!("{} (at character {})", e.msg, e.pos + 1),
    })?;
    let mut out: Vec<PathBuf> = paths.filter_map(Result::ok).collect();
    out.sort();
    if out.is_empty() {
        return Err(SceneError::NoMatch {
            pattern: pattern.to_string(),
        });
    }
    Ok(out)
}

/// The acquisition a scene records, for finding the same one processed twice:
/// Sentinel-2 `S2B_MSIL2A_20230823T095559_N0509_R122_T34UCF_…` → mission,
/// sensing time and tile; Landsat `LC08_L2SP_119029_20240601_20240610_02_T1` →
/// sensor, path/row and date. `None` for other ids.
pub fn acquisition_key(scene: &Scene) -> Option<String> {
    let f: Vec<&str> = scene.id.split('_').collect();
    match scene.kind {
        SceneKind::Sentinel2L2a if f.len() >= 6 => Some(format!("{}_{}_{}", f[0], f[2], f[5])),
        SceneKind::LandsatC2L2 if f.len() >= 4 => Some(format!("{}_{}_{}", f[0], f[2], f[3])),
        _ => None,
    }
}

/// Sorts by (date, id) and keeps each product once: the same id twice, or the
/// same acquisition processed twice (the later processing, i.e. the greater id,
/// is kept).
fn dedup(mut scenes: Vec<Scene>, skipped: Vec<Skipped>) -> Found {
    // Greatest id first within an acquisition, so the newest processing wins.
    scenes.sort_by(|a, b| (a.date, &b.id).cmp(&(b.date, &a.id)));
    let mut kept: Vec<Scene> = Vec::new();
    let mut duplicates = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut by_acq: HashMap<String, usize> = HashMap::new();
    for s in scenes {
        let id_key = format!("{:?}/{}", s.kind, s.id);
        let acq = acquisition_key(&s);
        let same = by_id
            .get(&id_key)
            .map(|&i| {
                let why = if s.kind == SceneKind::Manifest {
                    "the same scene id"
                } else {
                    "the same product"
                };
                (i, why.to_string())
            })
            .or_else(|| {
                acq.as_ref().and_then(|k| by_acq.get(k)).map(|&i| {
                    (
                        i,
                        "the same acquisition processed again (the later processing is kept)"
                            .to_string(),
                    )
                })
            });
        match same {
            Some((i, why)) => duplicates.push(Duplicate {
                kept: kept[i].id.clone(),
                kept_source: kept[i].source.clone(),
                scene: s,
                why,
            }),
            None => {
                by_id.insert(id_key, kept.len());
                if let Some(k) = acq {
                    by_acq.insert(k, kept.len());
                }
                kept.push(s);
            }
        }
    }
    kept.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    Found {
        scenes: kept,
        duplicates,
        skipped,
    }
}

/// A season: the window of month-days a composite takes scenes from, within
/// one year (a window wrapping the year end is refused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Season {
    /// First day, (month, day).
    pub start: (u32, u32),
    /// Last day, (month, day), inclusive.
    pub end: (u32, u32),
}

impl Season {
    /// Parses `["05-01", "09-30"]`; `origin` names where it came from, for errors.
    pub fn parse(origin: &str, start: &str, end: &str) -> Result<Season, SceneError> {
        let value = format!("{start}..{end}");
        let err = |problem: String| SceneError::Season {
            origin: origin.to_string(),
            value: value.clone(),
            problem,
        };
        let s = parse_month_day(start)
            .ok_or_else(|| err(format!("starts with {start:?}, not an MM-DD date")))?;
        let e = parse_month_day(end)
            .ok_or_else(|| err(format!("ends with {end:?}, not an MM-DD date")))?;
        if s > e {
            return Err(err(
                "wraps the year end (it starts after it ends); audits are per year, so split it into two seasons or shift it within the year".into(),
            ));
        }
        Ok(Season { start: s, end: e })
    }

    /// Parses a list of two `MM-DD` dates (as a config's `season = ["05-01",
    /// "09-30"]` holds them).
    pub fn from_list<S: AsRef<str>>(origin: &str, values: &[S]) -> Result<Season, SceneError> {
        match values {
            [a, b] => Season::parse(origin, a.as_ref(), b.as_ref()),
            _ => Err(SceneError::Season {
                origin: origin.to_string(),
                value: values
                    .iter()
                    .map(|v| v.as_ref())
                    .collect::<Vec<_>>()
                    .join(", "),
                problem: format!("holds {} date(s), not two", values.len()),
            }),
        }
    }

    /// Parses `05-01,09-30` (as `--season` takes it).
    pub fn parse_pair(origin: &str, text: &str) -> Result<Season, SceneError> {
        let parts: Vec<&str> = text.split([',', ' ']).filter(|p| !p.is_empty()).collect();
        match parts.as_slice() {
            [a, b] => Season::parse(origin, a.trim(), b.trim()),
            _ => Err(SceneError::Season {
                origin: origin.to_string(),
                value: text.to_string(),
                problem: "is not two dates".into(),
            }),
        }
    }

    /// Whether `date` falls in this season of `year`.
    pub fn contains(&self, date: Date, year: i32) -> bool {
        date.year == year && (self.start..=self.end).contains(&(date.month, date.day))
    }
}

impl fmt::Display for Season {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02}-{:02}..{:02}-{:02}",
            self.start.0, self.start.1, self.end.0, self.end.1
        )
    }
}

/// Whether `date` is within `season` of `year` (see [`Season::contains`]).
pub fn in_season(date: Date, year: i32, season: &Season) -> bool {
    season.contains(date, year)
}

/// `MM-DD` → (month, day), any day that exists in some year (02-29 included).
fn parse_month_day(s: &str) -> Option<(u32, u32)> {
    let s = s.trim().trim_matches('"');
    let (m, d) = s.split_once('-')?;
    if m.len() != 2 || d.len() != 2 {
        return None;
    }
    let m: u32 = m.parse().ok()?;
    let d: u32 = d.parse().ok()?;
    let leap = Date {
        year: 2000,
        month: m,
        day: 1,
    };
    ((1..=12).contains(&m) && d >= 1 && d <= leap.days_in_month()).then_some((m, d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn month_days() {
        assert_eq!(parse_month_day("05-01"), Some((5, 1)));
        assert_eq!(parse_month_day("02-29"), Some((2, 29)));
        assert_eq!(parse_month_day("02-30"), None);
        assert_eq!(parse_month_day("13-01"), None);
        assert_eq!(parse_month_day("5-1"), None);
        assert_eq!(parse_month_day("0é-01"), None);
    }
}
