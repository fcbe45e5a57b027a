//! # reclaim-demo — the synthetic Yitong demo county
//!
//! A synthetic Yitong county whose 2020 audit reproduces the plan's baseline by
//! construction: `reclaim demo` writes it, the end-to-end tests audit it. It is built
//! on the engine (`reclaim`: CRS, GeoTIFF georeferencing, the shapefile writer, the
//! seeded [`reclaim::rng`]); the engine knows nothing of it.
//!
//! [`generate`] writes, under an output folder:
//! - `inputs/s2_2020.tif`, `inputs/s2_2024.tif`: Sentinel-2-like L2A red (B04) and NIR
//!   (B08) DNs, UInt16, 2 bands pixel-interleaved, EPSG:32651, 10 m, DEFLATE, nodata 0;
//! - `inputs/scl_2020.tif`, `inputs/scl_2024.tif`: scene classification masks;
//! - `inputs/pits.shp` (EPSG:32651) and `inputs/licenses.shp` (EPSG:4551, CGCS2000
//!   Gauss–Krüger CM 126°E), GBK attributes with Chinese field names;
//! - `audit-2020.toml`, `audit-2024.toml`, and `expected.json`.
//!
//! The expected figures ([`DemoScene::years`]) come from the construction (cell counts
//! and polygon areas), never from running the audit. See `docs/demo.md`.
//!
//! Parts:
//! - [`county`]: the facts (towns, licences, mines, legacy clusters, baseline).
//! - [`layout`]: the geometry and the choices that pin the baseline.
//! - [`expected`]: the figures from the construction.
//! - [`paint`]: the imagery and the SCL mask.
//! - [`geotiff_out`], [`shapefile_out`]: the writers.
//! - [`season`]: the 2024 season of scenes for a composite audit.
//! - [`geom`], [`grid`]: lattice geometry, the raster grid (deterministic noise comes
//!   from [`reclaim::rng`]).
//! - [`error`]: the [`DemoError`] type.

pub mod county;
pub mod error;
pub mod expected;
pub mod geom;
pub mod geotiff_out;
pub mod grid;
pub mod layout;
pub mod paint;
pub mod season;
pub mod shapefile_out;

pub use error::DemoError;
pub use expected::{Figures, LicenceFigures, PitFigures, YearExpected};
pub use layout::Layout;

use geom::{Pt, Rect, Shape};
use reclaim::crs::{Crs, Transformer};
use serde::Serialize;
use shapefile_out::{Field, Value};
use std::path::{Path, PathBuf};

/// The files the demo writes (absolute or relative to the caller's `out_dir`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoFiles {
    /// Imagery, [2020, 2024].
    pub imagery: [PathBuf; 2],
    /// SCL masks, [2020, 2024].
    pub masks: [PathBuf; 2],
    /// Pit footprints.
    pub pits: PathBuf,
    /// Licences.
    pub licenses: PathBuf,
    /// Audit configurations, [2020, 2024].
    pub configs: [PathBuf; 2],
    /// The expected figures as JSON.
    pub expected: PathBuf,
}

/// What [`generate`] wrote and what an exact audit of it must find.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DemoScene {
    /// The output folder.
    pub out_dir: PathBuf,
    /// The files.
    pub files: DemoFiles,
    /// Expected figures for 2020 and 2024.
    pub years: Vec<YearExpected>,
    /// Largest distance (m) between a licence vertex and its UTM → EPSG:4551 → UTM
    /// round trip: the reprojection drift the audit sees.
    pub licence_roundtrip_max_m: f64,
    /// Total size of the files written, bytes.
    pub bytes_written: u64,
}

impl DemoScene {
    /// The expected figures of `year` (2020 or 2024).
    pub fn year(&self, year: i32) -> Option<&YearExpected> {
        self.years.iter().find(|y| y.year == year)
    }
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> DemoError + '_ {
    move |source| DemoError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Generates the demo county under `out_dir` (created if missing; files overwritten).
///
/// Deterministic: the same bytes on every run. Takes a few seconds in release.
///
/// # Errors
/// [`DemoError::Io`] / [`DemoError::Tiff`] when a file cannot be written,
/// [`DemoError::Crs`] if licences cannot be reprojected, and
/// [`DemoError::Construction`] if the construction breaks its own invariants (a bug).
pub fn generate(out_dir: &Path) -> Result<DemoScene, DemoError> {
    let layout = Layout::build()?;
    let inputs = out_dir.join("inputs");
    std::fs::create_dir_all(&inputs).map_err(io(&inputs))?;
    let files = DemoFiles {
        imagery: [inputs.join("s2_2020.tif"), inputs.join("s2_2024.tif")],
        masks: [inputs.join("scl_2020.tif"), inputs.join("scl_2024.tif")],
        pits: inputs.join("pits.shp"),
        licenses: inputs.join("licenses.shp"),
        configs: [
            out_dir.join("audit-2020.toml"),
            out_dir.join("audit-2024.toml"),
        ],
        expected: out_dir.join("expected.json"),
    };
    // The two years are independent: paint and compress them side by side.
    let year = |y: usize| -> Result<(), DemoError> {
        let scene = paint::paint(&layout, y);
        geotiff_out::write_bands(&files.imagery[y], &scene.bands)?;
        geotiff_out::write_scl(&files.masks[y], &scene.scl)
    };
    let (a, b) = rayon::join(|| year(0), || year(1));
    a?;
    b?;
    write_pits(&layout, &files.pits)?;
    let drift = write_licences(&layout, &files.licenses)?;
    for (y, year) in [2020, 2024].into_iter().enumerate() {
        let text = config_text(year);
        std::fs::write(&files.configs[y], text).map_err(io(&files.configs[y]))?;
    }
    let years = vec![
        expected::expected(&layout, 0),
        expected::expected(&layout, 1),
    ];
    let mut scene = DemoScene {
        out_dir: out_dir.to_path_buf(),
        files,
        years,
        licence_roundtrip_max_m: drift,
        bytes_written: 0,
    };
    // No paths in the JSON: the same bytes wherever the demo is written.
    let json = serde_json::to_string_pretty(&serde_json::json!({
        "years": &scene.years,
        "licence_roundtrip_max_m": scene.licence_roundtrip_max_m,
    }))
    .unwrap_or_default();
    std::fs::write(&scene.files.expected, json).map_err(io(&scene.files.expected))?;
    scene.bytes_written = dir_size(out_dir);
    Ok(scene)
}

/// Writes the 2024 season of scenes for a composite audit (see [`season`]) into a
/// demo folder [`generate`] wrote: `inputs/season/` and `audit-2024-scenes.toml`.
/// Its audit must find the 2024 figures of `expected.json`.
///
/// # Errors
/// As [`generate`].
pub fn generate_season(out_dir: &Path) -> Result<season::SeasonFiles, DemoError> {
    let layout = Layout::build()?;
    let scene = paint::paint(&layout, 1);
    season::write_season(&scene, out_dir)
}

fn dir_size(dir: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    entries
        .flatten()
        .map(|e| match e.metadata() {
            Ok(m) if m.is_dir() => dir_size(&e.path()),
            Ok(m) => m.len(),
            Err(_) => 0,
        })
        .sum()
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

/// Field names of the pit layer.
pub const PIT_FIELDS: [&str; 5] = ["图斑编号", "类型", "乡镇", "矿山名称", "图斑面积"];
/// Field names of the licence layer.
pub const LICENCE_FIELDS: [&str; 9] = [
    "许可证号",
    "采矿权人",
    "矿山名称",
    "矿种",
    "开采方式",
    "规模",
    "状态",
    "有效期至",
    "乡镇",
];

fn write_pits(layout: &Layout, path: &Path) -> Result<(), DemoError> {
    let fields: Vec<Field> = PIT_FIELDS
        .iter()
        .map(|&name| Field {
            name,
            numeric: name == "图斑面积",
        })
        .collect();
    let shapes: Vec<Shape> = layout.pits.iter().map(|p| p.shape.clone()).collect();
    let rows: Vec<Vec<Value>> = layout
        .pits
        .iter()
        .map(|p| {
            vec![
                text(&p.id),
                text(p.kind),
                text(p.town),
                text(&p.mine),
                Value::Number(p.shape.area()),
            ]
        })
        .collect();
    shapefile_out::write_layer(path, &shapes, &fields, &rows, shapefile_out::PRJ_UTM51N)
}

/// The licence rectangle as a ring with a vertex every cell (10 m), so that it stays
/// on the UTM lattice lines after the round trip through Gauss–Krüger.
fn dense_ring(r: &Rect) -> Vec<Pt> {
    let corners = r.ring();
    let mut out = Vec::new();
    for i in 0..4 {
        let (a, b) = (corners[i], corners[(i + 1) % 4]);
        let len = ((b.0 - a.0).abs() + (b.1 - a.1).abs()) / grid::CELL;
        let steps = len.round().max(1.0) as usize;
        for k in 0..steps {
            let t = k as f64 / steps as f64;
            out.push((a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)));
        }
    }
    out
}

/// Writes the licences in EPSG:4551; returns the largest round-trip drift, m.
fn write_licences(layout: &Layout, path: &Path) -> Result<f64, DemoError> {
    let crs_err = |id: &str| {
        let licence = id.to_string();
        move |source| DemoError::Crs { licence, source }
    };
    let utm = Crs::from_epsg(32651).map_err(crs_err("EPSG:32651"))?;
    let gk = Crs::from_epsg(4551).map_err(crs_err("EPSG:4551"))?;
    let fwd = Transformer::new(&utm, &gk).map_err(crs_err("EPSG:32651→4551"))?;
    let back = Transformer::new(&gk, &utm).map_err(crs_err("EPSG:4551→32651"))?;
    let mut shapes = Vec::new();
    let mut drift: f64 = 0.0;
    for l in &layout.licences {
        let mut ring = Vec::new();
        for p in dense_ring(&l.rect) {
            let q = fwd.transform_point(p.0, p.1).map_err(crs_err(&l.id))?;
            let r = back.transform_point(q.0, q.1).map_err(crs_err(&l.id))?;
            drift = drift.max(((r.0 - p.0).powi(2) + (r.1 - p.1).powi(2)).sqrt());
            ring.push(q);
        }
        shapes.push(Shape::single(ring));
    }
    let fields: Vec<Field> = LICENCE_FIELDS
        .iter()
        .map(|&name| Field {
            name,
            numeric: false,
        })
        .collect();
    let rows: Vec<Vec<Value>> = layout
        .licences
        .iter()
        .map(|l| {
            let f = l.fact;
            vec![
                text(&l.id),
                text(f.holder),
                text(f.name),
                text(f.mineral),
                text(f.method),
                text(f.scale),
                text(f.status),
                text(f.valid_to),
                text(f.town),
            ]
        })
        .collect();
    shapefile_out::write_layer(
        path,
        &shapes,
        &fields,
        &rows,
        shapefile_out::PRJ_CGCS2000_GK_CM126,
    )?;
    Ok(drift)
}

/// The audit configuration of `year` (2020 or 2024) as TOML, paths relative to the
/// output folder (the `audit.toml` schema of [`reclaim::audit::config`]).
pub fn config_text(year: i32) -> String {
    let liable = layout::LIABLE_STATUSES
        .iter()
        .map(|s| format!("\"{s}\""))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        r#"# reclaim demo: synthetic Yitong county, {year} audit (written by `reclaim demo`).
# The 2020 scene reproduces the 2021–2025 plan's end-2020 baseline by construction.
audit_date = "{year}-12-31"

[imagery]
# Sentinel-2 L2A-like: band 1 = B04 red, band 2 = B08 NIR; reflectance = DN × 0.0001 − 0.1.
path = "inputs/s2_{year}.tif"
classifier = "ndvi"
red_band = 1
nir_band = 2
scale = 0.0001
offset = -0.1
restored_min_ndvi = 0.3
water_max_ndvi = 0.0
mask_path = "inputs/scl_{year}.tif"
mask_preset = "scl"

[pits]
path = "inputs/pits.shp"
id_field = "图斑编号"
kind_field = "类型"
town_field = "乡镇"

[licenses]
path = "inputs/licenses.shp"
id_field = "许可证号"
holder_field = "采矿权人"
status_field = "状态"
valid_to_field = "有效期至"
mineral_field = "矿种"
name_field = "矿山名称"
liable_statuses = [{liable}]

[baseline]
restored_ha = 522.38
unrestored_ha = 705.09
unrestored_responsible_ha = 51.0
unrestored_legacy_ha = 654.09
"#
    )
}
