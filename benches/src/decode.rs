//! Decode-only: the blocks an audit reads, decoded exactly as the audit decodes
//! them (same reader, same per-worker buffers, same parallelism), and nothing else.
//!
//! This is the floor for `reclaim audit`: the audit cannot be faster than
//! decoding its blocks. Blocks are those the pits' bounding windows touch; the
//! audit's pieces lie inside the pits, so this is the audit's block set or a
//! superset of it (the decode-only time is never understated).

use anyhow::Context;
use rayon::prelude::*;
use reclaim::audit::imagery::{BlockBands, Imagery};
use reclaim::audit::AuditConfig;
use reclaim::crs::Crs;
use reclaim::footprints;
use reclaim::grid::Window;
use reclaim::plan::{footprint_window, plan_blocks};
use reclaim::raster::Limits;
use reclaim::vector::{self, ReadOptions};
use std::path::Path;
use std::time::Instant;

/// What a decode-only run did.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DecodeStats {
    /// Blocks decoded (each once, every band the audit reads plus the mask).
    pub blocks: usize,
    /// Cells in those blocks.
    pub cells: u64,
    /// Seconds spent decoding (after the plan).
    pub decode_seconds: f64,
}

/// Opens the audit of `config`, plans the blocks its pits touch and decodes them.
///
/// # Errors
/// Any input problem of the configuration, the imagery or the pits.
pub fn decode_for_audit(config: &Path) -> anyhow::Result<DecodeStats> {
    let cfg = AuditConfig::load(config)?;
    let year = reclaim::attribute::Date::parse(&cfg.audit_date)?.year;
    let imagery = Imagery::open(&cfg.imagery, &Limits::default(), year)?;
    let opts = ReadOptions {
        encoding: cfg.pits.encoding.clone(),
        repair: cfg.pits.repair_geometry,
        ..ReadOptions::default()
    };
    let layer = vector::read_layer(&cfg.pits.path, &opts)?;
    let pits_crs = cfg
        .pits
        .crs
        .as_deref()
        .map(Crs::from_user_string)
        .transpose()
        .context("[pits] crs")?;
    let zones =
        footprints::zones_in_crs(&layer, &cfg.pits.id_field, pits_crs.as_ref(), &imagery.crs)?;
    let windows: Vec<Window> = zones
        .iter()
        .map(|z| footprint_window(&z.geometry, &imagery.grid))
        .collect();
    let plan = plan_blocks(imagery.blocks(), &windows);
    let start = Instant::now();
    plan.par_iter()
        .map_init(
            || None,
            |slot, task| -> anyhow::Result<()> {
                if slot.is_none() {
                    *slot = Some((imagery.readers()?, BlockBands::default()));
                }
                if let Some((readers, bands)) = slot.as_mut() {
                    imagery.load(readers, task.needed, bands)?;
                }
                Ok(())
            },
        )
        .collect::<anyhow::Result<Vec<()>>>()?;
    Ok(DecodeStats {
        blocks: plan.len(),
        cells: plan.iter().map(|t| t.needed.len() as u64).sum(),
        decode_seconds: start.elapsed().as_secs_f64(),
    })
}
