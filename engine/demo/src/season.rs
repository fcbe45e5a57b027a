//! A season of scenes for the 2024 demo audit (`reclaim demo --scenes`): the 2024
//! county seen on several dates through moving clouds, on two overlapping tiles, as a
//! scene manifest of GeoTIFFs; plus two scenes outside the season that would change
//! the figures were they composited.
//!
//! Every date keeps each cell's designed class (NIR reflectance varies by at most
//! ±2 %, which moves NDVI by at most ±0.01, far inside the class margins of
//! `paint`), and every cell is clear on at least one date of the season: each 500 m
//! block has a date on which it is never clouded. So the composite of the season,
//! by any rule, has exactly the land classes of the single 2024 scene, and the audit
//! of it must reproduce the construction's 2024 figures (`expected.json`).
//!
//! The cells the 2024 design leaves unobserved (cloud and shadow over pits) stay
//! so on every date. The two off-season scenes (April and October) show every
//! observed cell as water (NDVI −0.3), under no cloud.

use crate::error::DemoError;
use crate::geotiff_out::{write_bands_span, write_scl_span, Span};
use crate::grid::{CELL, HEIGHT, WIDTH, X0, Y_TOP};
use crate::layout::SEED;
use crate::paint::{dn, Scene, SCL_NODATA};
use rayon::prelude::*;
use reclaim::rng::{hash01, value_noise};
use std::path::{Path, PathBuf};

/// In-season acquisition dates (month, day) of 2024.
pub const SEASON_DATES: [(u32, u32); 4] = [(5, 18), (6, 22), (7, 27), (8, 31)];
/// Off-season dates: composited by mistake, they would turn land into water.
pub const OFF_SEASON_DATES: [(u32, u32); 2] = [(4, 8), (10, 15)];
/// The two tiles: the west 60 % and the east 60 % of the grid (they overlap).
pub const TILES: [(&str, Span); 2] = [
    (
        "W",
        Span {
            col0: 0,
            width: WIDTH * 3 / 5,
        },
    ),
    (
        "E",
        Span {
            col0: WIDTH * 2 / 5,
            width: WIDTH - WIDTH * 2 / 5,
        },
    ),
];

/// SCL codes that hide a cell (preset `scl`).
const HIDDEN: [u8; 6] = [0, 1, 3, 8, 9, 10];

/// What [`write_season`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct SeasonFiles {
    /// The scene manifest (CSV).
    pub manifest: PathBuf,
    /// The composite audit's configuration.
    pub config: PathBuf,
    /// Scenes written (dates × tiles).
    pub scenes: usize,
}

/// One date's version of the 2024 scene: (red/NIR DNs, SCL), full grid.
fn date_scene(base: &Scene, k: usize, in_season: bool) -> (Vec<u16>, Vec<u8>) {
    let mut bands = base.bands.clone();
    let mut scl = base.scl.clone();
    let seed = SEED ^ 0x5EA5 ^ (k as u64 * 0x9E37);
    bands
        .par_chunks_mut(WIDTH * 2)
        .zip(scl.par_chunks_mut(WIDTH))
        .enumerate()
        .for_each(|(row, (brow, srow))| {
            let cy = Y_TOP - CELL * row as f64 - CELL / 2.0;
            for col in 0..WIDTH {
                let code = srow[col];
                if code == SCL_NODATA || HIDDEN.contains(&code) {
                    continue;
                }
                let cx = X0 + CELL * col as f64 + CELL / 2.0;
                let red = f64::from(brow[2 * col]) * 1e-4 - 0.1;
                let nir = f64::from(brow[2 * col + 1]) * 1e-4 - 0.1;
                if !in_season {
                    // Water-like: NDVI −0.3.
                    brow[2 * col + 1] = dn(red * 0.7 / 1.3);
                    continue;
                }
                // The date this 500 m block is never clouded on.
                let clear_date = ((hash01(SEED ^ 0x6C, (cx / 500.0) as i64, (cy / 500.0) as i64)
                    * SEASON_DATES.len() as f64) as usize)
                    .min(SEASON_DATES.len() - 1);
                let cloud = value_noise(seed, cx, cy, 400.0);
                if clear_date != k && cloud > 0.56 {
                    let c = if cloud > 0.66 {
                        9
                    } else if cloud > 0.6 {
                        8
                    } else {
                        3
                    };
                    srow[col] = c;
                    brow[2 * col] = dn(0.45);
                    brow[2 * col + 1] = dn(0.5);
                    continue;
                }
                let e = 0.04 * (hash01(seed, col as i64, row as i64) - 0.5);
                brow[2 * col + 1] = dn(nir * (1.0 + e));
            }
        });
    (bands, scl)
}

/// Writes the season under `out_dir/inputs/season` and its configuration
/// `out_dir/audit-2024-scenes.toml`, from the painted 2024 scene.
///
/// # Errors
/// [`DemoError::Io`] / [`DemoError::Tiff`] when a file cannot be written.
pub fn write_season(base: &Scene, out_dir: &Path) -> Result<SeasonFiles, DemoError> {
    let dir = out_dir.join("inputs").join("season");
    std::fs::create_dir_all(&dir).map_err(|source| DemoError::Io {
        path: dir.clone(),
        source,
    })?;
    let dates: Vec<((u32, u32), bool)> = SEASON_DATES
        .iter()
        .map(|d| (*d, true))
        .chain(OFF_SEASON_DATES.iter().map(|d| (*d, false)))
        .collect();
    let mut manifest =
        String::from("id,date,tile,red,nir,mask,red_band,nir_band,mask_preset,scale,offset\n");
    let mut count = 0;
    for (k, ((m, d), in_season)) in dates.iter().enumerate() {
        let (bands, scl) = date_scene(base, k, *in_season);
        for (tile, span) in TILES {
            let id = format!("S2_2024{m:02}{d:02}_T{tile}");
            let (bpath, spath) = (format!("{id}_B04B08.tif"), format!("{id}_SCL.tif"));
            let sub_b: Vec<u16> = (0..HEIGHT)
                .flat_map(|r| {
                    let a = (r * WIDTH + span.col0) * 2;
                    bands[a..a + span.width * 2].iter().copied()
                })
                .collect();
            let sub_s: Vec<u8> = (0..HEIGHT)
                .flat_map(|r| {
                    let a = r * WIDTH + span.col0;
                    scl[a..a + span.width].iter().copied()
                })
                .collect();
            write_bands_span(&dir.join(&bpath), &sub_b, span)?;
            write_scl_span(&dir.join(&spath), &sub_s, span)?;
            manifest.push_str(&format!(
                "{id},2024-{m:02}-{d:02},T{tile},{bpath},{bpath},{spath},1,2,scl,0.0001,-0.1\n"
            ));
            count += 1;
        }
    }
    let manifest_path = dir.join("scenes.csv");
    std::fs::write(&manifest_path, manifest).map_err(|source| DemoError::Io {
        path: manifest_path.clone(),
        source,
    })?;
    let config = out_dir.join("audit-2024-scenes.toml");
    let text = crate::config_text(2024);
    let imagery_start = text.find("[imagery]").unwrap_or(0);
    let imagery_end = text.find("[pits]").unwrap_or(text.len());
    let composite = r#"[imagery]
# A season of Sentinel-2-like scenes on two overlapping tiles (inputs/season/scenes.csv):
# the median NDVI of each cell's clear observations (SCL masks clouds and shadow).
scenes = ["inputs/season/scenes.csv"]
season = ["05-01", "09-30"]
composite = "median"
min_clear = 1
classifier = "ndvi"
restored_min_ndvi = 0.3
water_max_ndvi = 0.0

"#;
    let text = format!(
        "{}{}{}",
        &text[..imagery_start],
        composite,
        &text[imagery_end..]
    );
    std::fs::write(&config, text).map_err(|source| DemoError::Io {
        path: config.clone(),
        source,
    })?;
    Ok(SeasonFiles {
        manifest: manifest_path,
        config,
        scenes: count,
    })
}
