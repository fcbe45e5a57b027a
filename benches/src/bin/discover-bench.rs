//! `discover-bench`: the generated scene and the decode baseline of
//! benches/discover/.
//!
//! ```text
//! discover-bench scene --size N --out DIR [--noise PERMILLE]
//!     DIR/landcover.tif (N × N u8, WorldCover codes, 256² DEFLATE tiles, EPSG:32651),
//!     DIR/pits.geojson, DIR/licences.geojson, DIR/audit.toml ([discovery] included)
//! discover-bench decode --config audit.toml
//!     decodes every block of the imagery (in parallel, as discover does), nothing else;
//!     prints {"blocks": …, "cells": …, "decode_seconds": …}
//! ```
//!
//! The scene: 10 m cells of forest (10) cut into 64 × 64 plots; each plot holds, by
//! a hash of its position, nothing, a bare (60) rectangle, ellipse, ring with an
//! island, diagonal staircase, built-up (50) block or a lake (80); shapes reach the
//! plot edges often, so patches join across plots and tiles. Plus salt-and-pepper
//! bare cells (`--noise`, per mille, default 2). Pits and licences are polygons
//! with edges off the cell lines (so the centre rule is exercised).

use anyhow::{bail, Context};
use rayon::prelude::*;
use reclaim::audit::imagery::{BlockBands, Imagery};
use reclaim::audit::AuditConfig;
use reclaim::grid::GeoTransform;
use reclaim::raster::write::{geo_key_directory, write_tiled_u8, U8Tiff};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

const X0: f64 = 500_000.0;
const Y0: f64 = 4_900_000.0;
const CELL: f64 = 10.0;
const PLOT: usize = 64;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let r = match args.first().map(String::as_str) {
        Some("scene") => scene(&args[1..]),
        Some("decode") => decode(&args[1..]),
        _ => Err(anyhow::anyhow!(
            "usage: discover-bench scene --size N --out DIR [--noise PERMILLE] | decode --config audit.toml"
        )),
    };
    match r {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}

fn flag<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

fn hash(a: u64, b: u64, salt: u64) -> u64 {
    let mut x = a
        .wrapping_mul(0x9E37_79B9_7F4A_7C15)
        .wrapping_add(b.wrapping_mul(0xC2B2_AE3D_27D4_EB4F))
        .wrapping_add(salt.wrapping_mul(0x1656_67B1_9E37_79F9));
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^= x >> 29;
    x
}

/// The land-cover code of cell (`col`, `row`).
fn cell(col: usize, row: usize, noise: u64) -> u8 {
    let (pc, pr) = (col / PLOT, row / PLOT);
    let (x, y) = ((col % PLOT) as i64, (row % PLOT) as i64);
    let h = hash(pc as u64, pr as u64, 1);
    let p = |k: u32| ((h >> (8 * k)) & 0xff) as i64;
    // Extents within the plot; ~1 in 4 shapes reaches the plot's east or south edge.
    let x0 = p(1) % 24;
    let y0 = p(2) % 24;
    let x1 = if p(3) % 4 == 0 {
        64
    } else {
        x0 + 8 + p(3) % 40
    };
    let y1 = if p(4) % 4 == 0 {
        64
    } else {
        y0 + 8 + p(4) % 40
    };
    let inside = x >= x0 && x < x1 && y >= y0 && y < y1;
    let v = match h % 16 {
        0..=4 => TREE,
        5..=7 if inside => BARE,
        8 | 9 => {
            // An ellipse.
            let (cx, cy) = ((x0 + x1) as f64 / 2.0, (y0 + y1) as f64 / 2.0);
            let (rx, ry) = ((x1 - x0) as f64 / 2.0, (y1 - y0) as f64 / 2.0);
            let (dx, dy) = ((x as f64 + 0.5 - cx) / rx, (y as f64 + 0.5 - cy) / ry);
            if dx * dx + dy * dy <= 1.0 {
                BARE
            } else {
                TREE
            }
        }
        10 if inside => {
            // A ring 4 cells wide with an island in its middle.
            let edge = (x - x0).min(x1 - 1 - x).min(y - y0).min(y1 - 1 - y);
            let mid = ((x - (x0 + x1) / 2).abs() <= 1) && ((y - (y0 + y1) / 2).abs() <= 1);
            if edge < 4 || mid {
                BARE
            } else {
                TREE
            }
        }
        11 if x == y && inside => BARE,
        12 if inside => BUILT,
        13 if inside => WATER,
        _ => TREE,
    };
    if v == TREE && hash(col as u64, row as u64, 7) % 1000 < noise {
        BARE
    } else {
        v
    }
}

const TREE: u8 = 10;
const BUILT: u8 = 50;
const BARE: u8 = 60;
const WATER: u8 = 80;

fn polygon(pts: &[(f64, f64)]) -> String {
    let mut c: Vec<String> = pts.iter().map(|(x, y)| format!("[{x},{y}]")).collect();
    c.push(c[0].clone());
    format!(
        "{{\"type\":\"Polygon\",\"coordinates\":[[{}]]}}",
        c.join(",")
    )
}

fn collection(features: Vec<String>) -> String {
    format!(
        "{{\"type\":\"FeatureCollection\",\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"EPSG:32651\"}}}},\"features\":[\n{}\n]}}\n",
        features.join(",\n")
    )
}

fn scene(args: &[String]) -> anyhow::Result<()> {
    let n: usize = flag(args, "--size").context("--size N")?.parse()?;
    let out = PathBuf::from(flag(args, "--out").context("--out DIR")?);
    let noise: u64 = flag(args, "--noise").unwrap_or("2").parse()?;
    std::fs::create_dir_all(&out)?;
    let t = GeoTransform {
        x0: X0,
        y0: Y0,
        dx: CELL,
        dy: -CELL,
        rx: 0.0,
        ry: 0.0,
    };
    let file = U8Tiff {
        path: out.join("landcover.tif"),
        transform: t,
        geo_keys: geo_key_directory(Some(32651), false),
        nodata: 0,
        palette: None,
        metadata: None,
    };
    write_tiled_u8(&[file], n, n, |row0, rows, bufs: &mut [Vec<u8>]| {
        bufs[0].par_chunks_mut(n).enumerate().for_each(|(k, line)| {
            for (col, v) in line.iter_mut().enumerate() {
                *v = cell(col, row0 + k, noise);
            }
        });
        let _ = rows;
        Ok::<(), String>(())
    })?;
    // Pits over some plots' shapes, licences over groups of plots; vertices off
    // the cell lines by irrational-looking fractions, so boundaries cut cells
    // and (almost surely) pass through no cell centre: a centre exactly on an
    // edge is a tie whose rule differs between tools (docs/discover.md).
    let world = |c: f64, r: f64| (X0 + CELL * c, Y0 - CELL * r);
    let plots = n / PLOT;
    let (mut pits, mut lics) = (Vec::new(), Vec::new());
    for pr in 0..plots {
        for pc in 0..plots {
            let h = hash(pc as u64, pr as u64, 3);
            let (c, r) = ((pc * PLOT) as f64, (pr * PLOT) as f64);
            if h.is_multiple_of(7) {
                // A pit: a quadrilateral over part of the plot.
                let pts = [
                    world(c + 10.3137, r + 12.7071),
                    world(c + 40.7183, r + 8.2819),
                    world(c + 44.2361, r + 30.6458),
                    world(c + 8.6603, r + 36.3166),
                ];
                pits.push(format!(
                    "{{\"type\":\"Feature\",\"properties\":{{\"pit_id\":\"P{pr}_{pc}\"}},\"geometry\":{}}}",
                    polygon(&pts)
                ));
            }
            if pr % 8 == 0 && pc % 8 == 0 && !h.is_multiple_of(3) {
                // A licence over about 3 × 2 plots, tilted.
                let pts = [
                    world(c + 20.4142, r + 10.7321),
                    world(c + 200.5772, r + 30.2679),
                    world(c + 190.3923, r + 150.8284),
                    world(c + 10.5858, r + 130.1716),
                ];
                let status = if h.is_multiple_of(5) {
                    "revoked"
                } else {
                    "valid"
                };
                lics.push(format!(
                    "{{\"type\":\"Feature\",\"properties\":{{\"license_id\":\"L{pr}_{pc}\",\"holder\":\"H{pr}_{pc}\",\"status\":\"{status}\",\"valid_to\":\"2030-12-31\"}},\"geometry\":{}}}",
                    polygon(&pts)
                ));
            }
        }
    }
    std::fs::write(out.join("pits.geojson"), collection(pits))?;
    std::fs::write(out.join("licences.geojson"), collection(lics))?;
    std::fs::write(
        out.join("audit.toml"),
        "audit_date = \"2024-12-31\"\n[imagery]\npath = \"landcover.tif\"\nclassifier = \"classes\"\nclasses_preset = \"worldcover\"\n[pits]\npath = \"pits.geojson\"\nid_field = \"pit_id\"\n[licences]\npath = \"licences.geojson\"\n[discovery]\nmin_area_ha = 0.5\nconnectivity = 8\nexclude_classes = [50]\n",
    )?;
    eprintln!("wrote {} ({n} × {n})", out.display());
    Ok(())
}

fn decode(args: &[String]) -> anyhow::Result<()> {
    let config = flag(args, "--config").context("--config audit.toml")?;
    let cfg = AuditConfig::load(Path::new(config))?;
    let start = Instant::now();
    let im = Imagery::open(&cfg.imagery, &reclaim::raster::Limits::default(), 2024)?;
    let blocks = im.blocks();
    if blocks.is_empty() {
        bail!("no blocks");
    }
    let cells: usize = blocks
        .par_iter()
        .map_init(
            || (im.readers(), BlockBands::default()),
            |(readers, bands), &w| -> anyhow::Result<usize> {
                let r = readers.as_mut().map_err(|e| anyhow::anyhow!("{e}"))?;
                im.load(r, w, bands)?;
                Ok(w.len())
            },
        )
        .sum::<anyhow::Result<usize>>()?;
    println!(
        "{{\"blocks\": {}, \"cells\": {cells}, \"decode_seconds\": {:.6}}}",
        blocks.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
