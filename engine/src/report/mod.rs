//! Report writers: the files of an audit folder, and readers for `--previous DIR`.
//!
//! [`write_all`] writes, into an existing folder:
//!
//! | file | content |
//! |---|---|
//! | `attribution.csv` | one row per piece: pit, licence, holder, responsibility, hectares by class |
//! | `pits.csv` | one row per pit: kind, town, hectares, restored %, overlaps, change |
//! | `mines.csv` | one row per licence: holder, status, liable, hectares, pit count, change |
//! | `orphans.geojson` | legacy pieces with unrestored land, ranked (RFC 7946, lon/lat) |
//! | `summary.json` | county figures, baseline and previous comparison, overlaps, provenance |
//! | `report.html` | one self-contained page with maps for a county bureau |
//! | `accuracy.json`, `accuracy.csv` | with `[accuracy]`: the assessment, as `reclaim accuracy` writes it |
//! | `results.gpkg` | GeoPackage in the project CRS: layers `pieces`, `pits`, `mines`, `orphans` (and `candidates` with discovery), every figure a typed column, QGIS styles |
//! | `shapefiles/` | the same layers as ESRI Shapefiles (`.shp/.shx/.dbf/.prj/.cpg` and a QGIS `.qml`), UTF-8 or `--encoding gbk` |
//!
//! Parts:
//! - CSV quoting and reading: [`crate::csv`].
//! - [`tables`]: the three CSV tables.
//! - [`orphans`]: the orphan ranking and `orphans.geojson`.
//! - [`summary`]: `summary.json`, written and read back.
//! - [`previous`]: a previous audit's figures by pit and licence.
//! - [`reconcile`]: proof that pieces, pits, licences and county add up.
//! - [`png`]: a small paletted canvas and PNG encoding.
//! - [`maps`]: class maps with outlines, scale bar and north arrow.
//! - [`html`]: the report page.
//! - [`interactive`]: its interactive map (vendored Leaflet, offline).
//! - [`accuracy_section`]: the page's accuracy section (`[accuracy]`).
//! - [`discovery_section`]: its section on bare land outside the footprints.
//! - [`format`]: HTML escaping and human number formatting.
//! - [`base64`]: `data:` URI encoding.
//! - [`gis`]: `results.gpkg` and `shapefiles/` (GeoPackage, Shapefile, QGIS styles).
//! - [`io`]: capped reads and writes that name the file.
//! - [`error`]: the [`ReportError`] type.

pub mod accuracy_section;
pub mod base64;
pub mod discovery_section;
pub mod error;
pub mod format;
pub mod gis;
pub mod html;
pub mod interactive;
pub mod io;
pub mod maps;
pub mod orphans;
pub mod png;
pub mod previous;
pub mod reconcile;
pub mod summary;
pub mod tables;

pub use error::{Check, CsvProblem, Inconsistency, ReportError};
pub use orphans::{orphan_ranking, Orphan};
pub use previous::{read_mines_csv, read_pits_csv, read_previous, PreviousAudit};
pub use reconcile::check_reconciliation;
pub use summary::{read_summary, read_summary_file, SummaryFile};

use crate::results::AuditReport;
use std::path::Path;

/// File name of the piece table.
pub const ATTRIBUTION_FILE: &str = "attribution.csv";
/// File name of the orphan ranking.
pub const ORPHANS_FILE: &str = "orphans.geojson";
/// File name of the report page.
pub const REPORT_FILE: &str = "report.html";
pub use previous::{MINES_FILE, PITS_FILE};
pub use summary::SUMMARY_FILE;

/// Writes every report file of an audit into the existing folder `dir`, the
/// shapefiles' text in UTF-8 (see [`write_all_with`]).
///
/// # Errors
/// As [`write_all_with`].
pub fn write_all(dir: &Path, report: &AuditReport) -> Result<(), ReportError> {
    write_all_with(dir, report, &gis::GisOptions::default())
}

/// Writes every report file of an audit into the existing folder `dir`, the GIS
/// files as `gis` says.
///
/// The runner checks the figures first ([`check_reconciliation`]) and swaps the
/// folder into place atomically; this function only writes. Everything is rendered
/// in memory before the first file is written, so a rendering error leaves `dir`
/// untouched.
///
/// # Errors
/// [`ReportError::Io`] naming the file that cannot be written;
/// [`ReportError::Inconsistent`] when `piece_geometry` is not parallel to `pieces` or
/// a class map has the wrong number of cells; [`ReportError::Png`] if a map fails
/// to encode; [`ReportError::Gis`] naming the GIS file that cannot be written.
pub fn write_all_with(
    dir: &Path,
    report: &AuditReport,
    gis: &gis::GisOptions,
) -> Result<(), ReportError> {
    if report.piece_geometry.len() != report.pieces.len() {
        return Err(ReportError::Inconsistent {
            what: Inconsistency::PieceGeometryCount,
            expected: report.pieces.len(),
            found: report.piece_geometry.len(),
        });
    }
    let summary_path = dir.join(SUMMARY_FILE);
    // The page (with its maps) is the long one: build it beside the tables, and
    // the orphans' GeoJSON (every vertex printed) beside the CSVs.
    let (page, tables) = rayon::join(
        || html::report_html(report),
        || -> Result<_, ReportError> {
            let (orphans, csvs) = rayon::join(
                || orphans::orphans_geojson(report),
                || {
                    [
                        tables::attribution_csv(report),
                        tables::pits_csv(report),
                        tables::mines_csv(report),
                    ]
                },
            );
            let [attribution, pits, mines] = csvs;
            Ok([
                (dir.join(ATTRIBUTION_FILE), attribution),
                (dir.join(PITS_FILE), pits),
                (dir.join(MINES_FILE), mines),
                (dir.join(ORPHANS_FILE), orphans),
                (
                    summary_path.clone(),
                    summary::summary_json(report, &summary_path)?,
                ),
            ])
        },
    );
    let page = page?;
    let mut files = tables?.to_vec();
    files.push((dir.join(REPORT_FILE), page));
    if let Some(a) = &report.accuracy {
        for (name, text) in a.files() {
            files.push((dir.join(name), text.to_string()));
        }
    }
    for (path, text) in &files {
        io::write_file(path, text.as_bytes())?;
    }
    gis::write(dir, report, gis)?;
    Ok(())
}
