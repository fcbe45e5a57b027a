//! The audit's class raster (`classes.tif`) and a composite's clear-observation
//! counts (`clear_obs.tif`), from one block pass over the window of the footprints
//! (`reclaim audit --classes-tif`).
//!
//! The window is the bounding window of every piece on the imagery grid (clipped
//! to it). It is classified one row of 256 × 256 tiles at a time: the imagery
//! blocks that row crosses are decoded and classified in parallel, the row's tiles
//! compressed in parallel and written in order, so memory holds one row of tiles.

use super::error::AuditError;
use super::imagery::{BlockBands, Imagery};
use crate::classify::{LandClass, IMPLAUSIBLE};
use crate::error::Error;
use crate::grid::Window;
use crate::plan::WorkerPool;
use crate::raster::write::{geo_key_directory, write_tiled_u8, U8Tiff, WriteError, TILE};
use rayon::prelude::*;
use std::path::Path;

/// File name of the class raster.
pub const CLASSES_FILE: &str = "classes.tif";
/// File name of a composite's clear-observation counts.
pub const CLEAR_OBS_FILE: &str = "clear_obs.tif";
/// Value of `classes.tif` and `clear_obs.tif` beyond the imagery (GDAL_NODATA).
pub const NODATA: u8 = 255;
/// Largest count `clear_obs.tif` holds (more clear observations are written as this).
pub const MAX_COUNT: u8 = 254;

/// The `classes.tif` code of an audit class code: 0 restored, 1 unrestored,
/// 2 water (the implausible-reflectance flag dropped), 3 unobserved (every cause:
/// masked, no data, invalid, unmapped value, too few clear observations).
#[inline]
pub fn output_code(code: u8) -> u8 {
    let c = code & !IMPLAUSIBLE;
    if c <= LandClass::Water as u8 {
        c
    } else {
        LandClass::Unobserved as u8
    }
}

/// Classifies every cell of `window` and writes [`CLASSES_FILE`] (and
/// [`CLEAR_OBS_FILE`] for a composite) into `dir`; returns the names written (none
/// when the window misses the imagery).
///
/// # Errors
/// Read failures of the imagery; [`Error::Output`] naming a file that cannot be
/// written.
pub fn class_rasters(
    imagery: &Imagery,
    window: Window,
    dir: &Path,
) -> Result<Vec<String>, AuditError> {
    let composite = imagery.composite().is_some();
    let window = match window.intersect(&imagery.grid.full_window()) {
        Some(w) if !w.is_empty() => w,
        _ => return Ok(Vec::new()),
    };
    let blocks = imagery.blocks();
    let workers = WorkerPool::default();

    // One band of rows: classes and counts of `rows` rows from window row `row0`.
    let mut fill = |row0: usize, rows: usize, bufs: &mut [Vec<u8>]| -> Result<(), AuditError> {
        let band = Window {
            col_off: window.col_off,
            row_off: window.row_off + row0,
            width: window.width,
            height: rows,
        };
        let tasks: Vec<Window> = blocks.iter().filter_map(|b| b.intersect(&band)).collect();
        let parts = tasks
            .par_iter()
            .map(|&w| {
                workers.with(
                    || -> Result<_, AuditError> { Ok((imagery.readers()?, BlockBands::default())) },
                    |(readers, bands)| -> Result<(Window, Vec<u8>, Vec<u8>), AuditError> {
                        imagery.load(readers, w, bands)?;
                        let n = w.len();
                        let mut codes = Vec::with_capacity(n);
                        let mut clear = Vec::with_capacity(if composite { n } else { 0 });
                        for i in 0..n {
                            let (c, k) = imagery.class_and_clear_at(bands, i);
                            codes.push(output_code(c));
                            if composite {
                                clear.push(u8::try_from(k).unwrap_or(MAX_COUNT).min(MAX_COUNT));
                            }
                        }
                        Ok((w, codes, clear))
                    },
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (w, codes, clear) in parts {
            for r in 0..w.height {
                let dst = (w.row_off - band.row_off) * band.width
                    + r * band.width
                    + (w.col_off - band.col_off);
                let src = r * w.width..(r + 1) * w.width;
                if let (Some(d), Some(s)) = (
                    bufs.get_mut(0).and_then(|b| b.get_mut(dst..dst + w.width)),
                    codes.get(src.clone()),
                ) {
                    d.copy_from_slice(s);
                }
                if let (Some(d), Some(s)) = (
                    bufs.get_mut(1).and_then(|b| b.get_mut(dst..dst + w.width)),
                    clear.get(src),
                ) {
                    d.copy_from_slice(s);
                }
            }
        }
        Ok(())
    };

    // Bands end where imagery blocks end, so each block is decoded once.
    let mut ends: Vec<usize> = blocks
        .iter()
        .filter(|b| {
            b.row_off < window.row_off + window.height && b.row_off + b.height > window.row_off
        })
        .map(|b| (b.row_off + b.height - window.row_off).min(window.height))
        .collect();
    ends.sort_unstable();
    ends.dedup();
    let mut banded = Banded {
        width: window.width,
        height: window.height,
        ends,
        pending: vec![Vec::new(); if composite { 2 } else { 1 }],
        start: 0,
        end: 0,
    };

    let t = imagery.grid.transform;
    let (x0, y0) = t.apply(window.col_off as f64, window.row_off as f64);
    let transform = crate::grid::GeoTransform { x0, y0, ..t };
    let geo_keys = geo_key_directory(imagery.crs.epsg, imagery.crs.is_geographic());
    let mut files = vec![CLASSES_FILE.to_string()];
    let mut specs = vec![U8Tiff {
        path: dir.join(CLASSES_FILE),
        transform,
        geo_keys: geo_keys.clone(),
        nodata: NODATA,
        palette: Some(Box::new(palette())),
        metadata: Some(CLASSES_METADATA.to_string()),
    }];
    if composite {
        specs.push(U8Tiff {
            path: dir.join(CLEAR_OBS_FILE),
            transform,
            geo_keys,
            nodata: NODATA,
            palette: None,
            metadata: Some(CLEAR_OBS_METADATA.to_string()),
        });
        files.push(CLEAR_OBS_FILE.to_string());
    }
    write_tiled_u8(&specs, window.width, window.height, |row0, rows, bufs| {
        banded.take(row0, rows, bufs, &mut fill)
    })
    .map_err(|e| write_error(dir, e))?;
    Ok(files)
}

/// Most rows computed at once beyond the rows asked for: a band ends on an imagery
/// block boundary unless that is further than this.
const MAX_BAND_ROWS: usize = 4 * TILE;

/// The window's rows computed band by band (bands end where imagery blocks end)
/// and handed out a row of tiles at a time; holds at most the rows of one band
/// beyond those asked for.
struct Banded {
    width: usize,
    height: usize,
    /// Window rows where imagery blocks end, ascending.
    ends: Vec<usize>,
    /// Computed rows not handed out yet, one buffer per output.
    pending: Vec<Vec<u8>>,
    /// Window row of the first pending row.
    start: usize,
    /// Window rows computed so far.
    end: usize,
}

impl Banded {
    /// Copies rows `row0…row0 + rows` (from the first row not handed out yet) into
    /// `out`, computing bands with `fill` as needed.
    fn take(
        &mut self,
        row0: usize,
        rows: usize,
        out: &mut [Vec<u8>],
        fill: &mut impl FnMut(usize, usize, &mut [Vec<u8>]) -> Result<(), AuditError>,
    ) -> Result<(), AuditError> {
        let need = (row0 + rows).min(self.height);
        while self.end < need {
            let mut next = self
                .ends
                .iter()
                .copied()
                .find(|&e| e >= need)
                .unwrap_or(self.height)
                .min(self.height);
            if next - need > MAX_BAND_ROWS {
                next = need;
            }
            let n = next - self.end;
            let mut band: Vec<Vec<u8>> = (0..self.pending.len())
                .map(|_| vec![NODATA; self.width * n])
                .collect();
            fill(self.end, n, &mut band)?;
            for (p, b) in self.pending.iter_mut().zip(band) {
                p.extend_from_slice(&b);
            }
            self.end = next;
        }
        let off = row0.saturating_sub(self.start) * self.width;
        for (o, p) in out.iter_mut().zip(&self.pending) {
            if let (Some(src), Some(dst)) = (
                p.get(off..off + rows * self.width),
                o.get_mut(..rows * self.width),
            ) {
                dst.copy_from_slice(src);
            }
        }
        let done = (need.saturating_sub(self.start) * self.width)
            .min(self.pending.first().map_or(0, Vec::len));
        for p in self.pending.iter_mut() {
            p.drain(..done.min(p.len()));
        }
        self.start = need;
        Ok(())
    }
}

fn write_error(dir: &Path, e: WriteError) -> AuditError {
    match e {
        WriteError::Io { path, source } => Error::Output { path, source }.into(),
        WriteError::Tiff { path, source } => Error::Output {
            path,
            source: std::io::Error::other(source.to_string()),
        }
        .into(),
        WriteError::Producer(detail) => Error::Output {
            path: dir.to_path_buf(),
            source: std::io::Error::other(detail),
        }
        .into(),
    }
}

/// The colour table of `classes.tif`: the report's class colours.
pub fn palette() -> [[u8; 3]; 256] {
    use crate::report::maps::{OUTSIDE, RESTORED, UNOBSERVED, UNRESTORED, WATER};
    let mut p = [OUTSIDE; 256];
    p[LandClass::Restored as usize] = RESTORED;
    p[LandClass::Unrestored as usize] = UNRESTORED;
    p[LandClass::Water as usize] = WATER;
    p[LandClass::Unobserved as usize] = UNOBSERVED;
    p
}

/// GDAL_METADATA of `classes.tif`: the band's description and its codes.
const CLASSES_METADATA: &str = "<GDALMetadata>\
<Item name=\"DESCRIPTION\" sample=\"0\" role=\"description\">reclaim land class</Item>\
<Item name=\"CLASS_0\" sample=\"0\">restored</Item>\
<Item name=\"CLASS_1\" sample=\"0\">unrestored</Item>\
<Item name=\"CLASS_2\" sample=\"0\">water</Item>\
<Item name=\"CLASS_3\" sample=\"0\">unobserved</Item>\
<Item name=\"CLASS_255\" sample=\"0\">no data (beyond the imagery)</Item>\
</GDALMetadata>";

/// GDAL_METADATA of `clear_obs.tif`.
const CLEAR_OBS_METADATA: &str = "<GDALMetadata>\
<Item name=\"DESCRIPTION\" sample=\"0\" role=\"description\">clear observations (254 = 254 or more)</Item>\
</GDALMetadata>";

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Unobserved;

    #[test]
    fn every_unobserved_cause_is_code_3() {
        assert_eq!(output_code(0), 0);
        assert_eq!(output_code(1 | IMPLAUSIBLE), 1);
        assert_eq!(output_code(2), 2);
        assert_eq!(output_code(super::super::imagery::UNMAPPED), 3);
        for c in Unobserved::ALL {
            assert_eq!(output_code(c.code()), 3, "{c:?}");
        }
        assert_eq!(output_code(Unobserved::FewClear.code()), 3);
    }

    #[test]
    fn bands_end_on_block_ends_and_every_row_is_computed_once() {
        let (width, height) = (3, 2000);
        let mut b = Banded {
            width,
            height,
            ends: vec![100, 300, 700, 1900, 2000],
            pending: vec![Vec::new(); 2],
            start: 0,
            end: 0,
        };
        let mut calls = Vec::new();
        let mut fill = |row0: usize, rows: usize, bufs: &mut [Vec<u8>]| {
            calls.push((row0, rows));
            for (k, buf) in bufs.iter_mut().enumerate() {
                for r in 0..rows {
                    for c in 0..width {
                        buf[r * width + c] = ((row0 + r + k) % 251) as u8;
                    }
                }
            }
            Ok(())
        };
        let mut row0 = 0;
        let mut most = 0;
        while row0 < height {
            let rows = TILE.min(height - row0);
            let mut out = vec![vec![0u8; width * rows]; 2];
            b.take(row0, rows, &mut out, &mut fill).unwrap();
            for (k, o) in out.iter().enumerate() {
                for r in 0..rows {
                    assert_eq!(
                        o[r * width],
                        ((row0 + r + k) % 251) as u8,
                        "row {}",
                        row0 + r
                    );
                }
            }
            most = most.max(b.pending[0].len() / width);
            row0 += rows;
        }
        // Bands end on block ends: 300 (holds tile row 0), 700 (rows 256…512); for
        // rows 512…768 the next end, 1900, lies more than 4 tiles beyond 768, so the
        // band stops at 768; for rows 768…1024 it is within reach.
        assert_eq!(
            calls,
            [(0, 300), (300, 400), (700, 68), (768, 1132), (1900, 100)]
        );
        assert!(most < 1200, "{most}");
        assert_eq!(b.pending[0].len(), 0);
    }
}
