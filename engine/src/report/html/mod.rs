//! `report.html`: one self-contained page a county bureau can read and file.
//!
//! Inline CSS, maps as `data:image/png;base64` URIs, the interactive map's script
//! inline (vendored Leaflet, [`crate::report::interactive`]), no external
//! resource: the file can be mailed, archived or printed as it is.
//!
//! Parts: [`page`] (the shared state and the style, `style.css`), `county` (cards,
//! warnings, the county table), `figures` (legend, county and composite maps),
//! `tables` (orphans, mines, overlaps, provenance), `cells` (small texts).

mod cells;
mod county;
mod figures;
pub mod page;
mod tables;

pub use page::{MAX_MINE_MAPS, ORPHAN_ROWS};

use crate::report::error::ReportError;
use crate::report::format::esc;
use crate::results::AuditReport;
use page::{Page, STYLE};

/// Renders the whole page.
///
/// # Errors
/// [`ReportError::Inconsistent`] when a class map's size is wrong,
/// [`ReportError::Png`] when a map cannot be encoded.
pub fn report_html(report: &AuditReport) -> Result<String, ReportError> {
    let page = Page::new(report);
    let mut out = String::with_capacity(64 * 1024);
    let s = &report.summary;
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str(&format!(
        "<title>Mine restoration audit {} — reclaim</title>\n<style>\n{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&s.audit_date)
    ));
    out.push_str(&format!(
        "<header><h1>Mine-site restoration audit <span class=\"zh\">矿山生态修复年度核查</span><br><span class=\"date\">{}</span></h1>\n\
         <div class=\"meta\">Audit date 核查日期 {} · {} 图斑 · {} 采矿权 ({} liable) · CRS {} · cell {} × {} · reclaim {}</div></header>\n",
        esc(&s.audit_date),
        esc(&s.audit_date),
        crate::report::format::plural(s.pit_count, "pit", "pits"),
        crate::report::format::plural(s.license_count, "licence", "licences"),
        s.liable_license_count,
        esc(&report.provenance.crs),
        report.provenance.cell_size.0,
        report.provenance.cell_size.1,
        esc(&report.provenance.reclaim_version),
    ));
    page.cards(&mut out);
    page.warnings(&mut out);
    page.county_table(&mut out);
    crate::report::accuracy_section::section(report, &mut out);
    page.county_map(&mut out)?;
    crate::report::interactive::section(report, page.geographic, &mut out)?;
    page.composite(&mut out)?;
    page.orphans(&mut out);
    crate::report::discovery_section::section(report, &mut out);
    page.mines(&mut out)?;
    page.overlaps(&mut out);
    page.provenance(&mut out);
    out.push_str("</main>\n</body>\n</html>\n");
    Ok(out)
}
