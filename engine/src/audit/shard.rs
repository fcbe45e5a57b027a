//! Scale-out: one audit split into `N` shards that run as independent jobs, each
//! writing a partial result that [`super::merge`] adds up into the one-shot report.
//!
//! Every shard reads all pits and licences and cuts all pieces (so pit
//! de-duplication and overlap reporting are the same as in one run), but only
//! *measures* the pieces of its own pits: pit `p` belongs to shard
//! `fnv1a64(p.id) mod N` ([`shard_of`]), whatever the input order. A piece's
//! transition table is summed over blocks in row-major block order whichever
//! shard computes it, so per-piece figures are bit-identical to a one-shot run.
//!
//! Besides the tables, a shard records every footprint cell its pieces touch with
//! that cell's class (row runs), so the merge can paint the county and mine maps
//! exactly as one sweep would (a cell shared by pieces of two shards counts once).
//!
//! The partial result is a folder with one versioned JSON file, [`PARTIAL_FILE`];
//! floats are stored as the hex of their bits so they survive JSON unchanged.

use super::config::AuditConfig;
use super::error::AuditError;
use super::measure::{MapSpec, Measure, Measured, SweepFn};
pub use super::partial::*;
use super::run::{run_with, sha256_file, AuditOptions};
use super::sweep::Canvas;
use crate::attribute::Attribution;
use crate::coverage::Coverage;
use crate::grid::{Grid, Window};
use std::path::Path;

/// What a shard's sweep keeps.
#[derive(Debug, Default)]
struct ShardData {
    pieces: Vec<PartialPiece>,
    unmapped_values: Vec<String>,
    cells: Vec<CellRun>,
}

/// A shard: sweeps only its own pieces, and records their cells at full resolution.
struct ShardMeasure {
    spec: ShardSpec,
    data: Option<ShardData>,
}

impl Measure for ShardMeasure {
    fn measure(
        &mut self,
        att: &Attribution,
        mut coverages: Vec<Coverage>,
        _maps: Vec<MapSpec>,
        grid: &Grid,
        sweep: &mut SweepFn<'_>,
    ) -> Result<Measured, AuditError> {
        let own: Vec<bool> = att
            .pieces
            .iter()
            .map(|p| shard_of(&p.pit_id, self.spec.count) == self.spec.index)
            .collect();
        // One full-resolution canvas (1 cell per pixel) per own pit: its cells.
        let mut pit_windows: Vec<(usize, Window)> = Vec::new();
        for ((p, c), mine) in att.pieces.iter().zip(&coverages).zip(&own) {
            if !*mine || c.window.is_empty() {
                continue;
            }
            match pit_windows.last_mut() {
                Some((pit, w)) if *pit == p.pit_index => *w = w.bounding(&c.window),
                _ => pit_windows.push((p.pit_index, c.window)),
            }
        }
        let windows: Vec<Window> = pit_windows.into_iter().map(|(_, w)| w).collect();
        let canvases = windows
            .iter()
            .map(|w| Canvas::new(*w, w.width.max(w.height)))
            .collect();
        // Foreign pieces are not swept: an empty coverage keeps their index.
        for (c, mine) in coverages.iter_mut().zip(&own) {
            if !*mine {
                *c = Coverage::empty(c.window);
            }
        }
        let swept = sweep(&coverages, canvases)?;

        let mut cells: Vec<(usize, usize, u8)> = Vec::new();
        for (w, c) in windows.iter().zip(&swept.canvases) {
            let map = c.finish(grid);
            if map.width != w.width || map.height != w.height {
                return Err(AuditError::Internal {
                    detail: format!(
                        "shard canvas {}×{} for a {}×{} window",
                        map.width, map.height, w.width, w.height
                    ),
                });
            }
            for (i, v) in map.cells.iter().enumerate() {
                if *v < 4 {
                    cells.push((w.row_off + i / w.width, w.col_off + i % w.width, *v));
                }
            }
        }
        cells.sort_unstable();
        cells.dedup();
        let pieces = att
            .pieces
            .iter()
            .zip(swept.transitions.iter().zip(&swept.unmapped_m2_by_piece))
            .zip(&swept.causes_m2_by_piece)
            .enumerate()
            .filter(|(i, _)| own.get(*i).copied().unwrap_or(false))
            .map(|(i, ((p, (t, um)), causes))| PartialPiece {
                piece: i,
                pit_id: p.pit_id.clone(),
                transitions_m2: t.iter().flatten().map(|v| f64_hex(*v)).collect(),
                unmapped_m2: f64_hex(*um),
                observation_m2: causes.iter().map(|v| f64_hex(*v)).collect(),
            })
            .collect();
        self.data = Some(ShardData {
            pieces,
            unmapped_values: swept.unmapped.keys().map(|k| format!("{k:016x}")).collect(),
            cells: runs(&cells),
        });
        Ok(Measured {
            transitions: swept.transitions,
            unmapped: swept.unmapped,
            unmapped_m2: swept.unmapped_m2,
            unmapped_m2_by_piece: swept.unmapped_m2_by_piece,
            causes_m2_by_piece: swept.causes_m2_by_piece,
            composite_m2_by_piece: swept.composite_m2_by_piece,
            scene_tally: swept.scene_tally,
            maps: Vec::new(),
        })
    }
}

/// Sorted, distinct `(row, col, class)` cells as row runs of adjacent cells.
fn runs(cells: &[(usize, usize, u8)]) -> Vec<CellRun> {
    let mut out: Vec<CellRun> = Vec::new();
    for &(row, col, class) in cells {
        let digit = char::from(b'0' + class.min(9));
        match out.last_mut() {
            Some((r, c, s)) if *r == row && *c + s.len() == col => s.push(digit),
            _ => out.push((row, col, digit.to_string())),
        }
    }
    out
}

/// Runs one shard of an audit: every pit and piece is read and cut, only this
/// shard's pieces are measured.
///
/// # Errors
/// Any [`AuditError`] of the audit (as [`ShardError::Audit`]).
pub fn run_shard(
    cfg: &AuditConfig,
    opts: &AuditOptions,
    spec: ShardSpec,
) -> Result<Partial, ShardError> {
    if cfg.imagery.is_composite() {
        return Err(AuditError::Scenes {
            detail: "a composite of scenes is not sharded yet (the partial format has no clear-observation counts): run `reclaim audit` on it, which streams the scenes in bounded memory".into(),
        }
        .into());
    }
    let mut m = ShardMeasure { spec, data: None };
    let report = run_with(cfg, opts, &mut m)?;
    let data = m.data.take().unwrap_or_default();
    let previous = match &report.previous {
        Some(p) => Some(PartialPrevious {
            dir: p.dir.clone(),
            summary_sha256: sha256_file(&p.dir.join(crate::report::SUMMARY_FILE))?,
        }),
        None => None,
    };
    Ok(Partial {
        format: PARTIAL_FORMAT.to_string(),
        format_version: PARTIAL_FORMAT_VERSION,
        shard_index: spec.index,
        shard_count: spec.count,
        shard_rule: SHARD_RULE.to_string(),
        provenance: report.provenance,
        previous,
        pit_count: report.pits.len(),
        piece_count: report.pieces.len(),
        pieces: data.pieces,
        unmapped_values: data.unmapped_values,
        cells: data.cells,
    })
}

/// Writes a partial result into the folder `dir` (created if needed); the file is
/// replaced atomically. `dir` is checked first with [`crate::folders::check_out`].
///
/// # Errors
/// [`ShardError::Io`] naming the folder or file.
pub fn write_partial(partial: &Partial, dir: &Path) -> Result<(), ShardError> {
    let mut inputs: Vec<_> = partial
        .provenance
        .inputs
        .iter()
        .map(|i| (i.role.clone(), i.path.clone()))
        .collect();
    if let Some(p) = &partial.previous {
        inputs.push(("previous audit".into(), p.dir.clone()));
    }
    crate::folders::check_out(dir, crate::output::OutputKind::PartialFolder, &inputs)
        .map_err(|e| ShardError::Audit(Box::new(AuditError::from(e))))?;
    std::fs::create_dir_all(dir).map_err(|source| ShardError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    let path = dir.join(PARTIAL_FILE);
    let mut text = serde_json::to_string(partial).map_err(|source| ShardError::Json {
        path: path.clone(),
        source,
    })?;
    text.push('\n');
    crate::output::write_atomic(&path, text.as_bytes()).map_err(|e| match e {
        crate::Error::Output { path, source } => ShardError::Io { path, source },
        other => ShardError::Audit(Box::new(AuditError::from(other))),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_bad_ones_are_refused() {
        assert_eq!(
            ShardSpec::parse("3/4").unwrap(),
            ShardSpec { index: 3, count: 4 }
        );
        assert_eq!(ShardSpec::parse(" 0 / 1 ").unwrap().count, 1);
        for bad in ["4/4", "0/0", "a/4", "1", "-1/4", "1/4/5", ""] {
            let e = ShardSpec::parse(bad).unwrap_err().to_string();
            assert!(e.contains("I/N"), "{bad}: {e}");
        }
        assert_eq!(ShardSpec::new(1, 2).unwrap().to_string(), "1/2");
    }

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        // FNV-1a 64 test vectors: "" → cbf29ce484222325, "a" → af63dc4c8601ec8c,
        // "foobar" → 85944171f73967e8.
        assert_eq!(fnv1a64(b""), 0xcbf29ce484222325);
        assert_eq!(fnv1a64(b"a"), 0xaf63dc4c8601ec8c);
        assert_eq!(fnv1a64(b"foobar"), 0x85944171f73967e8);
        assert_eq!(shard_of("a", 1), 0);
        assert_eq!(shard_of("a", 4), (0xaf63dc4c8601ec8c_u64 % 4) as usize);
    }

    #[test]
    fn floats_round_trip_bit_for_bit() {
        for v in [0.0, -0.0, 0.1 + 0.2, 1e-300, f64::MAX, 123456.789] {
            assert_eq!(hex_f64(&f64_hex(v)).unwrap().to_bits(), v.to_bits());
        }
        assert_eq!(f64_hex(1.0), "3ff0000000000000");
        assert!(hex_f64("3ff").is_err());
        assert!(hex_f64("3ff000000000000g").is_err());
    }

    #[test]
    fn cells_become_row_runs() {
        let cells = [(0, 1, 0), (0, 2, 1), (0, 4, 3), (1, 0, 2), (1, 1, 2)];
        assert_eq!(
            runs(&cells),
            vec![
                (0, 1, "01".to_string()),
                (0, 4, "3".to_string()),
                (1, 0, "22".to_string())
            ]
        );
    }
}
