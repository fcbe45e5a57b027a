//! `jp2-bench`: decode every codestream tile of a JPEG 2000 band with reclaim's
//! per-tile reader, on N threads (rayon, one reader per thread), for the
//! comparison with GDAL in docs/performance.md.
//!
//! ```text
//! jp2-bench FILE.jp2 [THREADS] [BAND]
//! ```
//! Prints one JSON line: tiles, cells, seconds, mcells_per_s, sum (a checksum of
//! every sample, to compare with numpy's `a.sum()` on GDAL's read).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;
use rayon::prelude::*;
use reclaim::raster::{BandBuffer, Raster};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (path, threads, band) = match args.as_slice() {
        [p] => (PathBuf::from(p), 2, 1),
        [p, t] => (PathBuf::from(p), t.parse().unwrap_or(2), 1),
        [p, t, b] => (
            PathBuf::from(p),
            t.parse().unwrap_or(2),
            b.parse().unwrap_or(1),
        ),
        _ => {
            eprintln!("usage: jp2-bench FILE.jp2 [THREADS] [BAND]");
            return ExitCode::from(2);
        }
    };
    match run(&path, threads, band) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn run(path: &std::path::Path, threads: usize, band: usize) -> anyhow::Result<()> {
    let start = Instant::now();
    let raster = Raster::open(path)?;
    let tiles: Vec<(usize, usize)> = (0..raster.blocks_down())
        .flat_map(|r| (0..raster.blocks_across()).map(move |c| (c, r)))
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .context("building the thread pool")?;
    let sums: Vec<anyhow::Result<(u64, u64)>> = pool.install(|| {
        tiles
            .par_iter()
            .map_init(
                || raster.try_clone(),
                |reader, &(c, r)| {
                    let reader = reader.as_mut().map_err(|e| anyhow::anyhow!("{e}"))?;
                    let b = reader.read_block(band, c, r)?;
                    Ok((b.len() as u64, checksum(&b)))
                },
            )
            .collect()
    });
    let (mut cells, mut sum) = (0u64, 0u64);
    for s in sums {
        let (n, t) = s?;
        cells += n;
        sum += t;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{{\"tiles\": {}, \"cells\": {cells}, \"threads\": {threads}, \"seconds\": {secs:.3}, \"mcells_per_s\": {:.1}, \"sum\": {sum}}}",
        tiles.len(),
        cells as f64 / secs / 1e6
    );
    Ok(())
}

fn checksum(b: &BandBuffer) -> u64 {
    match b {
        BandBuffer::U8(v) => v.iter().map(|&x| u64::from(x)).sum(),
        BandBuffer::U16(v) => v.iter().map(|&x| u64::from(x)).sum(),
        BandBuffer::I16(v) => v
            .iter()
            .map(|&x| x as i64 as u64)
            .fold(0, u64::wrapping_add),
        _ => 0,
    }
}
