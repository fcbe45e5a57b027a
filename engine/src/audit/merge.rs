//! Partial results of every shard → the report a one-shot run would have made.
//!
//! The merge checks that the parts belong together (same shard count, reclaim
//! version, configuration, inputs by SHA-256 and previous audit; every shard
//! `0..N` exactly once), then runs the audit again *without a sweep*: pits and
//! licences are read and cut exactly as in the shards, and each piece takes the
//! transition table its shard measured. Everything after the sweep (pits, mines,
//! county, reconciliation, reports) is the one-shot code, summing in the same
//! piece order, so the figures are the same to the bit. The county and mine maps
//! are painted from the union of the shards' footprint cells.
//!
//! The merge reads the configuration and inputs the shards used (paths as recorded)
//! and refuses to go on if any of them changed since.

use super::error::AuditError;
use super::measure::{MapSpec, Measure, Measured, SweepFn};
use super::run::{run_with, sha256_file, AuditOptions};
use super::shard::{hex_f64, read_partial, shard_of, Corruption, Field, Partial, ShardError};
use super::sweep::{Canvas, Causes, Transitions};
use crate::attribute::Attribution;
use crate::coverage::Coverage;
use crate::grid::Grid;
use crate::raster::Limits;
use crate::results::{AuditReport, ClassMap};
use std::path::PathBuf;

/// Reads the partial results in `dirs` and merges them (see [`merge_parts`]).
///
/// # Errors
/// As [`super::shard::read_partial`] and [`merge_parts`].
pub fn merge(dirs: &[PathBuf], limits: &Limits) -> Result<AuditReport, ShardError> {
    let parts = dirs
        .iter()
        .map(|d| Ok((d.clone(), read_partial(d)?)))
        .collect::<Result<Vec<_>, ShardError>>()?;
    merge_parts(parts, limits)
}

/// Merges partial results `(folder, partial)` into the audit report.
///
/// # Errors
/// [`ShardError::NoParts`], [`ShardError::Mismatch`], [`ShardError::Duplicate`],
/// [`ShardError::Missing`] when the parts do not make one whole audit;
/// [`ShardError::Corrupt`] for inconsistent content; [`ShardError::InputChanged`]
/// when an input differs from what the shards measured; [`ShardError::Audit`] for
/// any error of the audit itself.
pub fn merge_parts(
    mut parts: Vec<(PathBuf, Partial)>,
    limits: &Limits,
) -> Result<AuditReport, ShardError> {
    check_parts(&parts)?;
    parts.sort_by_key(|(_, p)| p.shard_index);
    let (first_path, first) = match parts.first() {
        Some((path, p)) => (path.clone(), p.clone()),
        None => return Err(ShardError::NoParts),
    };
    let config_path = first_path.join(super::shard::PARTIAL_FILE);
    let cfg = super::AuditConfig::from_toml(&first.provenance.config_toml, &config_path)
        .map_err(AuditError::from)?;
    // The vectors decide the pieces: check them before cutting (the imagery, whose
    // pixels the merge never reads, is checked with the provenance afterwards).
    for i in &first.provenance.inputs {
        if i.role.starts_with("pits") || i.role.starts_with("licenses") {
            let now = sha256_file(&i.path)?;
            if now != i.sha256 {
                return Err(ShardError::InputChanged {
                    role: i.role.clone(),
                    path: i.path.clone(),
                    then: i.sha256.clone(),
                    now,
                });
            }
        }
    }
    if let Some(prev) = &first.previous {
        let summary = prev.dir.join(crate::report::SUMMARY_FILE);
        let now = sha256_file(&summary)?;
        if now != prev.summary_sha256 {
            return Err(ShardError::InputChanged {
                role: "previous summary".into(),
                path: summary,
                then: prev.summary_sha256.clone(),
                now,
            });
        }
    }
    let opts = AuditOptions {
        previous: first.previous.as_ref().map(|p| p.dir.clone()),
        limits: *limits,
        // The merge's checksums verify the parts' inputs: hash them, never trust a cache.
        checksum_cache: super::checksum::ChecksumCache::disabled(),
        ..AuditOptions::default()
    };
    let mut m = MergeMeasure { parts: &parts };
    let report = run_with(&cfg, &opts, &mut m).map_err(|e| match e {
        // The merge's own failure (the parts do not fit this audit), as it was.
        AuditError::Measure(inner) => match inner.downcast::<ShardError>() {
            Ok(shard) => *shard,
            Err(other) => ShardError::from(AuditError::Measure(other)),
        },
        e => e.into(),
    })?;
    check_inputs(&first.provenance, &report.provenance)?;
    if let Some(d) = provenance_diff(&first.provenance, &report.provenance) {
        return Err(d.error(PathBuf::from("this merge"), first_path));
    }
    Ok(report)
}

/// The parts belong to one audit and hold every shard exactly once.
fn check_parts(parts: &[(PathBuf, Partial)]) -> Result<(), ShardError> {
    let Some((first_path, first)) = parts.first() else {
        return Err(ShardError::NoParts);
    };
    let version = env!("CARGO_PKG_VERSION");
    if first.provenance.reclaim_version != version {
        return Err(ShardError::Mismatch {
            path: first_path.clone(),
            first: PathBuf::from(format!("this reclaim {version}")),
            field: Field::Version,
            expected: version.to_string(),
            found: first.provenance.reclaim_version.clone(),
        });
    }
    let count = first.shard_count;
    let mut seen: Vec<Option<&PathBuf>> = vec![None; count.min(super::shard::MAX_SHARDS)];
    for (path, p) in parts {
        let mismatch = |field: Field, expected: String, found: String| ShardError::Mismatch {
            path: path.clone(),
            first: first_path.clone(),
            field,
            expected,
            found,
        };
        if p.shard_count != count {
            return Err(mismatch(
                Field::ShardCount,
                count.to_string(),
                p.shard_count.to_string(),
            ));
        }
        if let Some(d) = provenance_diff(&first.provenance, &p.provenance) {
            return Err(d.error(path.clone(), first_path.clone()));
        }
        if p.previous != first.previous {
            let show = |v: &Option<super::shard::PartialPrevious>| match v {
                Some(v) => format!("{} sha256 {}", v.dir.display(), v.summary_sha256),
                None => "none".into(),
            };
            return Err(mismatch(
                Field::Previous,
                show(&first.previous),
                show(&p.previous),
            ));
        }
        if (p.pit_count, p.piece_count) != (first.pit_count, first.piece_count) {
            return Err(mismatch(
                Field::Counts,
                format!("{} pits, {} pieces", first.pit_count, first.piece_count),
                format!("{} pits, {} pieces", p.pit_count, p.piece_count),
            ));
        }
        match seen.get_mut(p.shard_index) {
            Some(Some(other)) => {
                return Err(ShardError::Duplicate {
                    index: p.shard_index,
                    count,
                    first: (*other).clone(),
                    second: path.clone(),
                })
            }
            Some(slot) => *slot = Some(path),
            None => {
                return Err(ShardError::BadSpec {
                    text: format!("{}/{count} in {}", p.shard_index, path.display()),
                })
            }
        }
    }
    let missing: Vec<usize> = (0..count)
        .filter(|i| seen.get(*i).is_some_and(|s| s.is_none()))
        .collect();
    if !missing.is_empty() || seen.len() != count {
        return Err(ShardError::Missing { count, missing });
    }
    Ok(())
}

/// The first line where two texts differ, from each.
fn first_diff(a: &str, b: &str) -> (String, String) {
    let mut la = a.lines();
    let mut lb = b.lines();
    loop {
        match (la.next(), lb.next()) {
            (Some(x), Some(y)) if x == y => continue,
            (x, y) => {
                return (
                    x.unwrap_or("(end)").to_string(),
                    y.unwrap_or("(end)").to_string(),
                )
            }
        }
    }
}

/// How two provenances differ: the first field that does.
enum Diff {
    /// A configuration key (`[imagery] scale`) with both values.
    Config { key: String, a: String, b: String },
    /// Another provenance field.
    Other { field: Field, a: String, b: String },
}

impl Diff {
    /// The error for part `path` that differs so from part `first`.
    fn error(self, path: PathBuf, first: PathBuf) -> ShardError {
        match self {
            Diff::Config { key, a, b } => ShardError::ConfigDiffers {
                path,
                first,
                key,
                expected: a,
                found: b,
            },
            Diff::Other { field, a, b } => ShardError::Mismatch {
                path,
                first,
                field,
                expected: a,
                found: b,
            },
        }
    }
}

/// Equal, or one float apart (a JSON round trip of a number that is not exactly
/// representable may come back one unit in the last place off).
fn same_f64(a: f64, b: f64) -> bool {
    a == b
        || (a.is_nan() && b.is_nan())
        || (a.is_finite()
            && b.is_finite()
            && a.is_sign_negative() == b.is_sign_negative()
            && a.to_bits().abs_diff(b.to_bits()) <= 1)
}

/// Two provenances compared field by field, floats to within one unit in the last
/// place, configurations key by key after parsing: the first difference.
fn provenance_diff(a: &crate::results::Provenance, b: &crate::results::Provenance) -> Option<Diff> {
    let other = |field, a: String, b: String| Some(Diff::Other { field, a, b });
    if a.reclaim_version != b.reclaim_version {
        return other(
            Field::Version,
            a.reclaim_version.clone(),
            b.reclaim_version.clone(),
        );
    }
    if a.config_toml != b.config_toml {
        match (
            a.config_toml.parse::<toml::Table>(),
            b.config_toml.parse::<toml::Table>(),
        ) {
            (Ok(x), Ok(y)) => {
                if let Some((key, a, b)) = table_diff("", &x, &y) {
                    return Some(Diff::Config { key, a, b });
                }
            }
            _ => {
                let (x, y) = first_diff(&a.config_toml, &b.config_toml);
                return other(Field::Config, x, y);
            }
        }
    }
    let inputs = |pr: &crate::results::Provenance| {
        pr.inputs
            .iter()
            .map(|i| format!("{} {}", i.role, i.sha256))
            .collect::<Vec<_>>()
    };
    if inputs(a) != inputs(b) {
        return other(Field::Inputs, inputs(a).join(", "), inputs(b).join(", "));
    }
    if a.crs != b.crs {
        return other(
            Field::Inputs,
            format!("CRS {}", a.crs),
            format!("CRS {}", b.crs),
        );
    }
    if !same_f64(a.cell_size.0, b.cell_size.0) || !same_f64(a.cell_size.1, b.cell_size.1) {
        let cell = |c: (f64, f64)| format!("cell size {} × {}", c.0, c.1);
        return other(Field::Inputs, cell(a.cell_size), cell(b.cell_size));
    }
    None
}

/// The first key (in sorted order) whose values differ, as `[section] key`.
fn table_diff(prefix: &str, a: &toml::Table, b: &toml::Table) -> Option<(String, String, String)> {
    let keys: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        let name = if prefix.is_empty() {
            k.clone()
        } else if prefix.starts_with('[') {
            format!("{prefix} {k}")
        } else {
            format!("[{prefix}] {k}")
        };
        match (a.get(k), b.get(k)) {
            (Some(toml::Value::Table(x)), Some(toml::Value::Table(y))) => {
                let sub = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                if let Some(d) = table_diff(&sub, x, y) {
                    return Some(d);
                }
            }
            (x, y) if !same_value(x, y) => {
                let show = |v: Option<&toml::Value>| {
                    v.map_or_else(|| "(not set)".to_string(), |v| v.to_string())
                };
                return Some((name, show(x), show(y)));
            }
            _ => {}
        }
    }
    None
}

fn same_value(a: Option<&toml::Value>, b: Option<&toml::Value>) -> bool {
    use toml::Value as V;
    match (a, b) {
        (Some(V::Float(x)), Some(V::Float(y))) => same_f64(*x, *y),
        (Some(V::Array(x)), Some(V::Array(y))) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same_value(Some(p), Some(q)))
        }
        (Some(V::Table(x)), Some(V::Table(y))) => table_diff("x", x, y).is_none(),
        (x, y) => x == y,
    }
}

/// Every input has the checksum the shards recorded.
fn check_inputs(
    then: &crate::results::Provenance,
    now: &crate::results::Provenance,
) -> Result<(), ShardError> {
    for (i, t) in then.inputs.iter().enumerate() {
        let n = now.inputs.iter().find(|n| n.role == t.role);
        let now_sha = n
            .map(|n| n.sha256.clone())
            .unwrap_or_else(|| "(missing)".into());
        if now_sha != t.sha256 || now.inputs.get(i).map(|n| &n.role) != Some(&t.role) {
            return Err(ShardError::InputChanged {
                role: t.role.clone(),
                path: t.path.clone(),
                then: t.sha256.clone(),
                now: now_sha,
            });
        }
    }
    if let Some(extra) = now.inputs.get(then.inputs.len()) {
        return Err(ShardError::InputChanged {
            role: extra.role.clone(),
            path: extra.path.clone(),
            then: "(absent)".into(),
            now: extra.sha256.clone(),
        });
    }
    Ok(())
}

/// The merge's measuring step: tables and cells from the parts, no sweep.
struct MergeMeasure<'a> {
    parts: &'a [(PathBuf, Partial)],
}

impl Measure for MergeMeasure<'_> {
    fn measure(
        &mut self,
        att: &Attribution,
        _coverages: Vec<Coverage>,
        maps: Vec<MapSpec>,
        grid: &Grid,
        _sweep: &mut SweepFn<'_>,
    ) -> Result<Measured, AuditError> {
        gather(self.parts, att, maps, grid).map_err(|e| AuditError::Measure(Box::new(e)))
    }
}

/// Per-piece tables, unmapped values and maps from the parts (sorted by shard).
fn gather(
    parts: &[(PathBuf, Partial)],
    att: &Attribution,
    maps: Vec<MapSpec>,
    grid: &Grid,
) -> Result<Measured, ShardError> {
    let n = att.pieces.len();
    let mut transitions: Vec<Transitions> = vec![[[0.0; 4]; 4]; n];
    let mut seen = vec![false; n];
    let mut unmapped = super::imagery::Unmapped::new();
    let mut unmapped_by_piece = vec![0.0; n];
    let mut causes_by_piece: Vec<Causes> = vec![[0.0; 4]; n];
    let mut cells: Vec<(u64, u8)> = Vec::new();
    for (path, part) in parts {
        let corrupt = |problem: Corruption| ShardError::Corrupt {
            path: path.clone(),
            problem,
        };
        for pp in &part.pieces {
            let Some(piece) = att.pieces.get(pp.piece) else {
                return Err(corrupt(Corruption::PieceOutOfRange {
                    piece: pp.piece,
                    count: n,
                }));
            };
            if piece.pit_id != pp.pit_id {
                return Err(corrupt(Corruption::PitMismatch {
                    piece: pp.piece,
                    expected: piece.pit_id.clone(),
                    found: pp.pit_id.clone(),
                }));
            }
            let owner = shard_of(&piece.pit_id, part.shard_count);
            if owner != part.shard_index {
                return Err(corrupt(Corruption::WrongShard {
                    piece: pp.piece,
                    pit_id: pp.pit_id.clone(),
                    owner,
                }));
            }
            if std::mem::replace(&mut seen[pp.piece], true) {
                return Err(corrupt(Corruption::PieceTwice { piece: pp.piece }));
            }
            if pp.transitions_m2.len() != 16 {
                return Err(corrupt(Corruption::TransitionCount {
                    piece: pp.piece,
                    found: pp.transitions_m2.len(),
                }));
            }
            let t = &mut transitions[pp.piece];
            for (k, text) in pp.transitions_m2.iter().enumerate() {
                t[k / 4][k % 4] = hex_f64(text).map_err(corrupt)?;
            }
            unmapped_by_piece[pp.piece] = hex_f64(&pp.unmapped_m2).map_err(corrupt)?;
            if pp.observation_m2.len() != 4 {
                return Err(corrupt(Corruption::CauseCount {
                    piece: pp.piece,
                    found: pp.observation_m2.len(),
                }));
            }
            for (sum, text) in causes_by_piece[pp.piece].iter_mut().zip(&pp.observation_m2) {
                *sum = hex_f64(text).map_err(corrupt)?;
            }
        }
        for text in &part.unmapped_values {
            let bits = hex_f64(text).map_err(corrupt)?.to_bits();
            unmapped.insert(bits, 0.0);
        }
        for (row, col, classes) in &part.cells {
            let (row, col) = (*row, *col);
            let len = classes.len();
            if row >= grid.height || col >= grid.width || len > grid.width - col {
                return Err(corrupt(Corruption::CellOutsideGrid {
                    row,
                    col,
                    len,
                    width: grid.width,
                    height: grid.height,
                }));
            }
            let base = (row * grid.width + col) as u64;
            for (k, ch) in classes.chars().enumerate() {
                let class = match ch {
                    '0'..='3' => ch as u8 - b'0',
                    _ => return Err(corrupt(Corruption::BadClass { row, class: ch })),
                };
                cells.push((base + k as u64, class));
            }
        }
    }
    if let Some(i) = seen.iter().position(|s| !s) {
        let pit_id = att
            .pieces
            .get(i)
            .map(|p| p.pit_id.clone())
            .unwrap_or_default();
        let owner = parts
            .iter()
            .find(|(_, p)| p.shard_index == shard_of(&pit_id, p.shard_count))
            .map(|(path, _)| path.clone())
            .unwrap_or_default();
        return Err(ShardError::Corrupt {
            path: owner,
            problem: Corruption::PieceMissing { piece: i, pit_id },
        });
    }
    cells.sort_unstable();
    // A cell of pieces in two shards is recorded by both, with the same class.
    let mut distinct: Vec<(u64, u8)> = Vec::with_capacity(cells.len());
    for (idx, class) in cells {
        match distinct.last() {
            Some(&(i, c)) if i == idx => {
                if c != class {
                    let w = grid.width.max(1) as u64;
                    return Err(ShardError::Corrupt {
                        path: PathBuf::from("(two shards)"),
                        problem: Corruption::CellConflict {
                            row: (idx / w) as usize,
                            col: (idx % w) as usize,
                            a: c,
                            b: class,
                        },
                    });
                }
            }
            _ => distinct.push((idx, class)),
        }
    }
    Ok(Measured {
        transitions,
        unmapped,
        // Summed in piece order, as the one-shot sweep does: the same bits.
        unmapped_m2: unmapped_by_piece.iter().sum(),
        unmapped_m2_by_piece: unmapped_by_piece,
        causes_m2_by_piece: causes_by_piece,
        composite_m2_by_piece: Vec::new(),
        scene_tally: Vec::new(),
        maps: maps
            .into_iter()
            .map(|spec| paint(spec, &distinct, grid))
            .collect(),
    })
}

/// A class map over `spec` from footprint cells (grid index, class), sorted and
/// distinct: `k × k` cells per pixel, each pixel its most frequent class (ties to
/// the lower class code), as the one-shot sweep paints it.
fn paint((window, max_px): MapSpec, cells: &[(u64, u8)], grid: &Grid) -> ClassMap {
    let mut canvas = Canvas::new(window, max_px);
    for row in window.row_off..window.row_off + window.height {
        canvas.paint_cells(row, grid.width, cells);
    }
    canvas.finish(grid)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid::{GeoTransform, Window};

    fn grid(w: usize, h: usize) -> Grid {
        Grid {
            width: w,
            height: h,
            transform: GeoTransform {
                x0: 100.0,
                dx: 10.0,
                rx: 0.0,
                y0: 500.0,
                ry: 0.0,
                dy: -10.0,
            },
        }
    }

    #[test]
    fn painting_takes_the_majority_of_each_block_of_cells() {
        // 4×2 window at (1, 0) of a 6×3 grid, at most 2 px: k = 2 → 2×1 pixels.
        let g = grid(6, 3);
        let w = Window {
            col_off: 1,
            row_off: 0,
            width: 4,
            height: 2,
        };
        // Pixel 0 (cols 1–2, rows 0–1): classes 1, 1, 0 → 1. Pixel 1 (cols 3–4):
        // classes 2, 3 → tie, the lower code 2. Cell (0, 0) and (2, 1) lie outside.
        let at = |r: u64, c: u64| r * 6 + c;
        let cells = [
            (at(0, 0), 0),
            (at(0, 1), 1),
            (at(0, 2), 1),
            (at(0, 3), 3),
            (at(1, 1), 0),
            (at(1, 4), 2),
            (at(2, 1), 0),
        ];
        let m = paint((w, 2), &cells, &g);
        assert_eq!((m.width, m.height), (2, 1));
        assert_eq!(m.cells, vec![1, 2]);
        assert_eq!(m.bbox, (110.0, 480.0, 150.0, 500.0));
        // Nothing painted: outside.
        let m = paint((w, 2), &[], &g);
        assert_eq!(m.cells, vec![ClassMap::OUTSIDE; 2]);
    }

    #[test]
    fn first_diff_names_the_differing_lines() {
        assert_eq!(
            first_diff("a\nb\nc", "a\nx\nc"),
            ("b".to_string(), "x".to_string())
        );
        assert_eq!(
            first_diff("a", "a\nz"),
            ("(end)".to_string(), "z".to_string())
        );
    }
}
