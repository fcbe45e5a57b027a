//! How an audit run measures its pieces ([`Measure`]): one sweep over every piece
//! ([`OneShot`]), one shard's sweep (`shard`), or a merge of shards' results
//! (`merge`). The runner hands each the pieces, their coverages and the maps to
//! paint; each returns the same per-piece tables.

use super::error::AuditError;
use super::sweep::{Canvas, Causes, SweepResult, Transitions};
use crate::attribute::Attribution;
use crate::coverage::Coverage;
use crate::grid::{Grid, Window};
use crate::results::ClassMap;

/// Per-piece tables, unmapped values and finished maps, as the runner needs them.
#[derive(Debug, Default)]
pub(crate) struct Measured {
    /// Per piece (all of them), m² by (previous class, current class).
    pub transitions: Vec<Transitions>,
    /// Unmapped values seen (value bits → cells; only the keys are reported).
    pub unmapped: super::imagery::Unmapped,
    /// Footprint m² over unmapped values.
    pub unmapped_m2: f64,
    /// Per piece, m² over unmapped values.
    pub unmapped_m2_by_piece: Vec<f64>,
    /// Per piece, m² over the raster by [`Causes`] slot.
    pub causes_m2_by_piece: Vec<Causes>,
    /// Composites only, per piece: m² with too few clear observations, and the sum
    /// of m² × clear observations (empty for one raster).
    pub composite_m2_by_piece: Vec<[f64; 2]>,
    /// Composites only: per used scene, what it says of the footprint cells.
    pub scene_tally: Vec<super::composite::SceneTally>,
    /// The county map, then one map per mine, as the canvases were given.
    pub maps: Vec<ClassMap>,
}

/// A canvas to paint: window of the grid, longest side in pixels.
pub(crate) type MapSpec = (Window, usize);

/// The sweep, as the runner offers it: coverages and canvases in, result out.
pub(crate) type SweepFn<'a> =
    dyn FnMut(&[Coverage], Vec<Canvas>) -> Result<SweepResult, AuditError> + 'a;

/// The measuring step of an audit run.
pub(crate) trait Measure {
    /// Measures the pieces of `att` (with `coverages`, one per piece) and paints
    /// `maps`, calling `sweep` as needed.
    fn measure(
        &mut self,
        att: &Attribution,
        coverages: Vec<Coverage>,
        maps: Vec<MapSpec>,
        grid: &Grid,
        sweep: &mut SweepFn<'_>,
    ) -> Result<Measured, AuditError>;

    /// True for the one-shot audit (which alone makes the class raster).
    fn one_shot(&self) -> bool {
        false
    }
}

/// The one-shot audit: one sweep over every piece.
pub(crate) struct OneShot;

impl Measure for OneShot {
    fn one_shot(&self) -> bool {
        true
    }

    fn measure(
        &mut self,
        _att: &Attribution,
        coverages: Vec<Coverage>,
        maps: Vec<MapSpec>,
        grid: &Grid,
        sweep: &mut SweepFn<'_>,
    ) -> Result<Measured, AuditError> {
        let canvases = maps.into_iter().map(|(w, px)| Canvas::new(w, px)).collect();
        let swept = sweep(&coverages, canvases)?;
        Ok(Measured {
            maps: swept.canvases.iter().map(|c| c.finish(grid)).collect(),
            transitions: swept.transitions,
            unmapped: swept.unmapped,
            unmapped_m2: swept.unmapped_m2,
            unmapped_m2_by_piece: swept.unmapped_m2_by_piece,
            causes_m2_by_piece: swept.causes_m2_by_piece,
            composite_m2_by_piece: swept.composite_m2_by_piece,
            scene_tally: swept.scene_tally,
        })
    }
}
