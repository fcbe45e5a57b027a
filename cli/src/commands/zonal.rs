//! `reclaim zonal`: per zone and per raster value, exact coverage to CSV.

use clap::Args;
use reclaim::crs::Crs;
use reclaim::raster::Limits;
use reclaim::vector::ReadOptions;
use reclaim::zonal::{self, ZonalRequest};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `reclaim zonal`.
#[derive(Args, Debug)]
#[command(
    after_help = "Output CSV header: zone_id,class,cells,area_ha\n  class  the cell value as in the file, `nodata` for the part over nodata cells,\n         `outside` for the part of the zone beyond the raster\n  cells  coverage-weighted cell count; area_ha exact area in hectares\nA zone's rows add up to its area. Nodata cells, NaN cells of float bands and\ncells masked by the raster's mask (internal or .msk) are `nodata`.\nA zone wholly off the raster is a warning (--strict: an error, exit 1); every\nzone off the raster is an error (exit 2): usually a wrong CRS or the wrong file.\n\nExample:\n  reclaim zonal --raster landcover.tif --zones pits.shp --id-field pit_id --out pits_classes.csv"
)]
pub struct ZonalArgs {
    /// Raster of classes (GeoTIFF).
    #[arg(long, value_name = "R.tif")]
    pub raster: PathBuf,
    /// Band to read, counting from 1.
    #[arg(long, default_value_t = 1)]
    pub band: usize,
    /// Zones: ESRI Shapefile (.shp) or GeoJSON.
    #[arg(long, value_name = "Z.shp|Z.geojson")]
    pub zones: PathBuf,
    /// Attribute holding each zone's id.
    #[arg(long, value_name = "FIELD")]
    pub id_field: String,
    /// Output CSV (written atomically); never the raster, the zones or a sidecar of
    /// them (.shp .shx .dbf .prj .cpg), nor an existing folder. `-`: print the CSV
    /// on stdout.
    #[arg(long, value_name = "A.csv")]
    pub out: PathBuf,
    /// Text encoding of the zones' .dbf when its .cpg is missing or wrong (utf-8, gbk, gb18030, big5, latin1 …).
    #[arg(long)]
    pub encoding: Option<String>,
    /// CRS of the zones when the file has none (e.g. EPSG:32651).
    #[arg(long, value_name = "CRS")]
    pub zones_crs: Option<String>,
    /// CRS of the raster when the file has none (e.g. EPSG:32651).
    #[arg(long, value_name = "CRS")]
    pub raster_crs: Option<String>,
    /// Repair self-intersecting or overlapping zones (non-zero fill) instead of refusing them.
    #[arg(long)]
    pub repair: bool,
    /// Treat warnings (zones wholly off the raster) as errors: exit 1, no output.
    #[arg(long)]
    pub strict: bool,
    /// Print nothing but errors and warnings (no progress bar, no summary line).
    #[arg(long, short)]
    pub quiet: bool,
    /// Print the summary (rows, zones, output, warnings) on stdout as JSON.
    #[arg(long, conflicts_with = "quiet")]
    pub json: bool,
    /// Start the CSV with a UTF-8 byte-order mark, so that Excel and WPS show its
    /// Chinese text (reclaim's readers skip the mark).
    #[arg(long)]
    pub excel: bool,
}

/// Runs the zonal histogram and writes the CSV.
pub fn run(a: &ZonalArgs) -> anyhow::Result<ExitCode> {
    let to_stdout = a.out.as_os_str() == "-";
    if to_stdout && a.json {
        anyhow::bail!("--out - prints the CSV on stdout, so --json cannot: write the CSV to a file with --out A.csv, or leave out --json");
    }
    // Fail fast: the CSV must not land on an input.
    let mut inputs = vec![("raster".to_string(), a.raster.clone())];
    inputs.extend(reclaim::output::vector_inputs("zones", &a.zones));
    if !to_stdout {
        reclaim::folders::check_out(&a.out, reclaim::output::OutputKind::File, &inputs)?;
    }
    let parse_crs = |s: &Option<String>, flag: &str| -> anyhow::Result<Option<Crs>> {
        s.as_deref()
            .map(|v| Crs::from_user_string(v).map_err(|e| anyhow::anyhow!("{flag} {v:?}: {e}")))
            .transpose()
    };
    let req = ZonalRequest {
        raster: a.raster.clone(),
        band: a.band,
        zones: a.zones.clone(),
        id_field: a.id_field.clone(),
        read: ReadOptions {
            encoding: a.encoding.clone(),
            repair: a.repair,
            ..ReadOptions::default()
        },
        zones_crs: parse_crs(&a.zones_crs, "--zones-crs")?,
        raster_crs: parse_crs(&a.raster_crs, "--raster-crs")?,
        limits: Limits::default(),
    };
    let bar = crate::progress::Bar::new("reading raster", a.quiet);
    let table = zonal::run_with(&req, bar.callback().as_ref());
    bar.finish();
    let table = table?;
    for w in &table.warnings {
        eprintln!("warning: {w}");
    }
    if a.strict && !table.warnings.is_empty() {
        eprintln!(
            "error: {} and --strict: {} not written",
            reclaim::report::format::plural(table.warnings.len(), "warning", "warnings"),
            a.out.display()
        );
        return Ok(ExitCode::from(1));
    }
    let mut csv = table.to_csv();
    if a.excel {
        csv.insert_str(0, reclaim::csv::BOM);
    }
    if to_stdout {
        crate::stdout::print(&csv)?;
    } else {
        reclaim::output::write_atomic(&a.out, csv.as_bytes())?;
    }
    if a.json {
        let v = serde_json::json!({
            "out": a.out,
            "rows": table.rows.len(),
            "zones": table.zone_ids.len(),
            "warnings": table.warnings.iter().map(ToString::to_string).collect::<Vec<_>>(),
        });
        crate::stdout::print(&(serde_json::to_string_pretty(&v)? + "\n"))?;
    } else if !a.quiet {
        eprintln!(
            "wrote {} for {} to {}",
            reclaim::report::format::plural(table.rows.len(), "row", "rows"),
            reclaim::report::format::plural(table.zone_ids.len(), "zone", "zones"),
            if to_stdout {
                "standard output".to_string()
            } else {
                a.out.display().to_string()
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
