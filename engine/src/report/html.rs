//! `report.html`: one self-contained page a county bureau can read and file.
//!
//! Inline CSS, maps as `data:image/png;base64` URIs, the interactive map's script
//! inline (vendored Leaflet, [`super::interactive`]), no external
//! resource: the file can be mailed, archived or printed as it is.

use super::base64;
use super::error::ReportError;
use super::format::{delta, esc, ha, pct};
use super::maps::{
    render_map, render_map_coloured, MapImage, Outline, COUNTY_MIN_WIDTH, LEGACY_OUTLINE,
    LICENCE_BOUNDARY, MIN_WIDTH, OUTSIDE, RESPONSIBLE_OUTLINE, RESTORED, STRIP_HEIGHT, UNOBSERVED,
    UNRESTORED, WATER,
};
use super::orphans::orphan_ranking;
use super::png::Rgb;
use crate::results::{AuditReport, ClassAreas, ClassMap, ClearObsMap, MineResult, Responsibility};
use crate::results::{Classifier, Method};
use crate::warning::Warning;
use geo::{BoundingRect, Rect};
use rayon::prelude::*;

/// Rows of the orphan table.
pub const ORPHAN_ROWS: usize = 20;

/// At most this many per-mine maps are drawn (the rest are listed in the table).
pub const MAX_MINE_MAPS: usize = 500;

/// At most this many pit ids are written over a mine's map.
const MAX_PIT_LABELS: usize = 40;

/// Hex digits of a checksum shown in the provenance footnote.
const SHA_PREFIX: usize = 16;

const STYLE: &str = r#"
:root{--ink:#1f2933;--muted:#5f6b7a;--line:#d9dee3;--accent:#1d4e89;--good:#1e7b34;--bad:#b5471b}
*{box-sizing:border-box}
body{margin:0;background:#eceff3;color:var(--ink);font:15px/1.5 "Segoe UI","Helvetica Neue",Arial,"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Zen Hei",sans-serif}
main{max-width:1100px;margin:24px auto;background:#fff;padding:32px 44px 24px;box-shadow:0 1px 4px rgba(0,0,0,.15)}
header{border-bottom:3px solid var(--accent);padding-bottom:12px;margin-bottom:20px}
h1{font-size:26px;line-height:1.25;margin:0;color:var(--accent)}
h1 .date{white-space:nowrap}
.meta{color:var(--muted);margin-top:6px;font-size:14px}
h2{font-size:19px;margin:34px 0 10px;padding-bottom:4px;border-bottom:1px solid var(--line);color:var(--accent)}
h3{margin:0 0 6px;font-size:16px}
.zh{color:var(--muted);font-weight:normal;margin-left:.35em}
p.note{color:var(--muted);font-size:13px;margin:6px 0}
table{border-collapse:collapse;width:100%;font-size:14px;margin:6px 0}
th,td{padding:5px 9px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{background:#f3f5f8;font-weight:600}
.n{text-align:right;font-variant-numeric:tabular-nums}
td.n{white-space:nowrap}
td.who{min-width:11em}
tr.part td:first-child{padding-left:26px}
tr.total td{font-weight:600;border-top:2px solid var(--ink)}
td.good{color:var(--good)} td.bad{color:var(--bad)}
.cards{display:flex;gap:12px;flex-wrap:wrap;margin:6px 0 4px}
.card{flex:1 1 0;min-width:170px;border:1px solid var(--line);border-top:5px solid;border-radius:4px;padding:8px 14px}
.card .l{font-size:13px;color:var(--muted)}
.card .v{font-size:25px;font-weight:600;font-variant-numeric:tabular-nums}
.card .d{font-size:13px;color:var(--muted)}
figure.map{margin:8px 0}
figure.map img{display:block;max-width:100%;height:auto;image-rendering:pixelated;border:1px solid var(--line)}
.mapbox{position:relative;display:inline-block;max-width:100%;vertical-align:top}
.mapbox img{width:100%}
.mlbl{position:absolute;transform:translate(-50%,-50%);font-size:11px;line-height:1.2;padding:0 3px;background:rgba(255,255,255,.85);border:1px solid #d61818;color:#d61818;font-weight:700;border-radius:2px;white-space:nowrap;pointer-events:none}
.mlbl.pit{border-color:#555;color:#1f2933;font-weight:400}
.print-only{display:none}
.obs{font-size:12px;color:var(--muted);white-space:nowrap}
section.warnings{border-left:5px solid var(--bad);background:#fdf3ee;padding:4px 16px;margin:16px 0}
section.warnings h2{color:var(--bad);border:0;margin-top:8px}
section.warnings li{margin:3px 0}
figcaption{font-size:13px;color:var(--muted);margin-top:6px}
.legend{display:flex;flex-wrap:wrap;gap:4px 16px;font-size:13px;margin-top:6px}
.sw{display:inline-block;width:14px;height:14px;vertical-align:-2px;margin-right:5px;border:1px solid rgba(0,0,0,.3)}
.ln{display:inline-block;width:18px;height:0;vertical-align:4px;margin-right:5px;border-top:3px solid}
.mine{display:flex;flex-wrap:wrap;gap:10px 24px;align-items:flex-start;border:1px solid var(--line);border-radius:4px;padding:14px 16px;margin:14px 0;break-inside:avoid;page-break-inside:avoid}
.mine figure.map{margin:0;flex:0 0 360px;max-width:100%}
.mine .facts{flex:1 1 300px;min-width:280px}
.mine table{font-size:13px}
table.fig th{font-weight:600;font-size:12px;line-height:1.3}
.zh2{color:var(--muted);font-weight:normal}
.tag{display:inline-block;white-space:nowrap;font-size:12px;padding:0 6px;border-radius:3px;background:#e4ecf7;color:var(--accent);margin-left:6px}
.tag.no{background:#f6e3da;color:var(--bad)}
footer{margin-top:36px;border-top:1px solid var(--line);padding-top:10px;font-size:12px;color:var(--muted)}
footer table{font-size:12px}
code,pre{font-family:"DejaVu Sans Mono",Consolas,monospace;font-size:12px}
pre{background:#f6f7f9;padding:8px;overflow:auto;white-space:pre-wrap}
@media print{body{background:#fff}main{box-shadow:none;margin:0;max-width:none;padding:0}
h2,h3{break-after:avoid;page-break-after:avoid}
.keep,figure.map,table.fig,tr{break-inside:avoid;page-break-inside:avoid}
details{display:none}.print-only{display:block}}
"#;

/// `#rrggbb` of a colour.
pub(super) fn hex(c: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2])
}

/// A bilingual label: English, then Chinese in muted type.
fn label(en: &str, zh: &str) -> String {
    format!("{}<span class=\"zh\">{}</span>", esc(en), esc(zh))
}

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
        "<title>Mine restoration audit {} — reclaim</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n",
        esc(&s.audit_date)
    ));
    out.push_str(&format!(
        "<header><h1>Mine-site restoration audit <span class=\"zh\">矿山生态修复年度核查</span><br><span class=\"date\">{}</span></h1>\n\
         <div class=\"meta\">Audit date 核查日期 {} · {} 图斑 · {} 采矿权 ({} liable) · CRS {} · cell {} × {} · reclaim {}</div></header>\n",
        esc(&s.audit_date),
        esc(&s.audit_date),
        super::format::plural(s.pit_count, "pit", "pits"),
        super::format::plural(s.license_count, "licence", "licences"),
        s.liable_license_count,
        esc(&report.provenance.crs),
        report.provenance.cell_size.0,
        report.provenance.cell_size.1,
        esc(&report.provenance.reclaim_version),
    ));
    page.cards(&mut out);
    page.warnings(&mut out);
    page.county_table(&mut out);
    super::accuracy_section::section(report, &mut out);
    page.county_map(&mut out)?;
    super::interactive::section(report, page.geographic, &mut out)?;
    page.composite(&mut out)?;
    page.orphans(&mut out);
    super::discovery_section::section(report, &mut out);
    page.mines(&mut out)?;
    page.overlaps(&mut out);
    page.provenance(&mut out);
    out.push_str("</main>\n</body>\n</html>\n");
    Ok(out)
}

/// A county table row: CSS class, label, now, baseline, previous, and whether an
/// increase is good (`None`: neutral).
type CountyRow = (
    &'static str,
    String,
    f64,
    Option<f64>,
    Option<f64>,
    Option<bool>,
);

/// The report and what every section needs from it.
struct Page<'a> {
    r: &'a AuditReport,
    geographic: bool,
    /// Bounding box of each piece in the raster CRS (parallel to `piece_geometry`).
    bounds: Vec<Option<Rect<f64>>>,
}

impl<'a> Page<'a> {
    fn new(r: &'a AuditReport) -> Page<'a> {
        Page {
            r,
            geographic: r.provenance.method.as_ref().map_or_else(
                || {
                    crate::crs::Crs::from_user_string(&r.provenance.crs)
                        .is_ok_and(|c| c.is_geographic())
                },
                |m| m.geographic,
            ),
            bounds: r
                .piece_geometry
                .iter()
                .map(|g| g.raster_crs.bounding_rect())
                .collect(),
        }
    }

    /// True when piece `i` is historical legacy.
    fn is_legacy(&self, i: usize) -> bool {
        self.r
            .pieces
            .get(i)
            .is_some_and(|p| matches!(p.responsibility, Responsibility::Legacy))
    }

    /// Outlines of the pieces whose box meets `bbox`.
    fn outlines(&self, bbox: (f64, f64, f64, f64)) -> Vec<Outline<'a>> {
        let (xmin, ymin, xmax, ymax) = bbox;
        self.r
            .piece_geometry
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                self.bounds.get(*i).copied().flatten().is_some_and(|b| {
                    b.min().x <= xmax && b.max().x >= xmin && b.min().y <= ymax && b.max().y >= ymin
                })
            })
            .map(|(i, g)| Outline {
                geometry: &g.raster_crs,
                legacy: self.is_legacy(i),
            })
            .collect()
    }

    /// One label per pit on a map of extent `bbox`: its id at an interior point of
    /// its largest piece there (at most [`MAX_PIT_LABELS`], largest pits first).
    fn pit_labels(&self, bbox: (f64, f64, f64, f64)) -> Vec<(f64, f64, String, &'static str)> {
        let (xmin, ymin, xmax, ymax) = bbox;
        let mut best: std::collections::BTreeMap<&str, (f64, usize)> = Default::default();
        for (i, p) in self.r.pieces.iter().enumerate() {
            let inside = self.bounds.get(i).copied().flatten().is_some_and(|b| {
                b.min().x <= xmax && b.max().x >= xmin && b.min().y <= ymax && b.max().y >= ymin
            });
            if !inside {
                continue;
            }
            let a = p.areas.total_ha();
            let e = best.entry(p.pit_id.as_str()).or_insert((a, i));
            if a > e.0 {
                *e = (a, i);
            }
        }
        let mut picked: Vec<(f64, usize, &str)> =
            best.into_iter().map(|(id, (a, i))| (a, i, id)).collect();
        picked.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.2.cmp(b.2)));
        picked
            .into_iter()
            .take(MAX_PIT_LABELS)
            .filter_map(|(_, i, id)| {
                let g = &self.r.piece_geometry.get(i)?.raster_crs;
                let p = geo::InteriorPoint::interior_point(g)?;
                Some((p.x(), p.y(), id.to_string(), "pit"))
            })
            .collect()
    }

    /// Four headline figures.
    fn cards(&self, out: &mut String) {
        let s = &self.r.summary;
        let base = self.r.baseline.as_ref();
        let vs = |d: Option<f64>| {
            d.map(|d| format!("{} ha vs baseline 较基期", delta(d)))
                .unwrap_or_else(|| "&nbsp;".to_owned())
        };
        let county = s.county_areas();
        let legacy_card = if self.no_licences() {
            (
                UNOBSERVED,
                label("Unattributed, no licence layer", "未归属"),
                format!("{} ha", ha(s.unrestored_unattributed_ha)),
                "no licences given: holders unknown 未提供采矿权".to_owned(),
            )
        } else {
            (
                LEGACY_OUTLINE,
                label("Legacy, no holder", "历史遗留"),
                format!("{} ha", ha(s.unrestored_legacy_ha)),
                format!(
                    "{} 无主图斑",
                    super::format::plural(s.orphan_piece_count, "orphan piece", "orphan pieces")
                ),
            )
        };
        let cards = [
            (
                RESTORED,
                label("Restored", "治理恢复"),
                format!("{} ha", ha(s.restored_ha)),
                vs(base.map(|b| b.restored_delta_ha)),
            ),
            (
                UNRESTORED,
                label("Unrestored", "未恢复"),
                format!("{} ha", ha(s.unrestored_ha)),
                vs(base.map(|b| b.unrestored_delta_ha)),
            ),
            legacy_card,
            (
                [29, 78, 137],
                label("Restored share", "恢复率"),
                pct(county.restored_pct()),
                format!(
                    "of observed land; {} of the footprint observed 已观测",
                    pct(county.observed_pct())
                ),
            ),
        ];
        out.push_str("<div class=\"cards\">\n");
        for (colour, l, v, d) in cards {
            out.push_str(&format!(
                "<div class=\"card\" style=\"border-top-color:{}\"><div class=\"l\">{l}</div><div class=\"v\">{v}</div><div class=\"d\">{d}</div></div>\n",
                hex(colour)
            ));
        }
        out.push_str("</div>\n");
    }

    /// True when the audit had no licences to attribute land to.
    fn no_licences(&self) -> bool {
        self.r
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::NoLicences { .. }))
    }

    /// Every warning of the run, so that no figure is read without them.
    fn warnings(&self, out: &mut String) {
        if self.r.warnings.is_empty() {
            return;
        }
        out.push_str(&format!(
            "<section class=\"warnings\"><h2>{}</h2>\n<p class=\"note\">What a plausible mistake in the inputs or settings would produce. The figures below stand, but read them with these in mind (<code>--strict</code> refuses to write an audit with warnings).</p>\n<ul>\n",
            label(&format!("Warnings ({})", self.r.warnings.len()), "警告")
        ));
        for w in &self.r.warnings {
            out.push_str(&format!("<li>{}</li>\n", esc(&w.to_string())));
        }
        out.push_str("</ul></section>\n");
    }

    /// County figures with baseline and previous-audit comparisons.
    fn county_table(&self, out: &mut String) {
        let s = &self.r.summary;
        let base = self.r.baseline.as_ref();
        let prev = self.r.previous.as_ref();
        out.push_str(&format!(
            "<h2>{}</h2>\n<table>\n<tr><th>Figure 指标</th><th class=\"n\">This audit 本次 (ha)</th>",
            label("County figures", "全县汇总")
        ));
        if base.is_some() {
            out.push_str(
                "<th class=\"n\">Baseline 基期 (ha)</th><th class=\"n\">Δ vs baseline</th>",
            );
        }
        if let Some(p) = prev {
            out.push_str(&format!(
                "<th class=\"n\">Previous 上次 {} (ha)</th><th class=\"n\">Δ vs previous</th>",
                esc(&p.summary.audit_date)
            ));
        }
        out.push_str("</tr>\n");
        let mut rows: Vec<CountyRow> = vec![
            (
                "",
                label("Restored", "治理恢复"),
                s.restored_ha,
                base.map(|b| b.baseline.restored_ha),
                prev.map(|p| p.summary.restored_ha),
                Some(true),
            ),
            (
                "",
                label("Unrestored", "未恢复"),
                s.unrestored_ha,
                base.map(|b| b.baseline.unrestored_ha),
                prev.map(|p| p.summary.unrestored_ha),
                Some(false),
            ),
            (
                "part",
                label("of which with a responsible holder", "有责任主体"),
                s.unrestored_responsible_ha,
                base.map(|b| b.baseline.unrestored_responsible_ha),
                prev.map(|p| p.summary.unrestored_responsible_ha),
                Some(false),
            ),
            (
                "part",
                label("of which historical legacy", "历史遗留"),
                s.unrestored_legacy_ha,
                base.map(|b| b.baseline.unrestored_legacy_ha),
                prev.map(|p| p.summary.unrestored_legacy_ha),
                Some(false),
            ),
            (
                "",
                label("Water", "水体"),
                s.water_ha,
                None,
                prev.map(|p| p.summary.water_ha),
                None,
            ),
            (
                "",
                label("Unobserved (cloud, shadow, no data)", "未观测"),
                s.unobserved_ha,
                None,
                prev.map(|p| p.summary.unobserved_ha),
                None,
            ),
            (
                "total",
                label("Footprint, overlaps counted once", "图斑总面积"),
                s.footprint_ha,
                None,
                prev.map(|p| p.summary.footprint_ha),
                None,
            ),
        ];
        if self.no_licences() || s.unrestored_unattributed_ha != 0.0 {
            rows.insert(
                4,
                (
                    "part",
                    label("of which unattributed (no licence layer)", "未归属"),
                    s.unrestored_unattributed_ha,
                    None,
                    prev.map(|p| p.summary.unrestored_unattributed_ha),
                    None,
                ),
            );
        }
        let dash = "<td class=\"n\">—</td>";
        let delta_cell = |now: f64, then: f64, good_up: Option<bool>| {
            let d = now - then;
            let class = match good_up {
                Some(up) if d.abs() >= 0.005 => {
                    if (d > 0.0) == up {
                        " good"
                    } else {
                        " bad"
                    }
                }
                _ => "",
            };
            format!("<td class=\"n{class}\">{}</td>", delta(d))
        };
        for (class, l, now, b, p, good_up) in rows {
            out.push_str(&format!(
                "<tr class=\"{class}\"><td>{l}</td><td class=\"n\">{}</td>",
                ha(now)
            ));
            if base.is_some() {
                match b {
                    Some(b) => {
                        out.push_str(&format!("<td class=\"n\">{}</td>", ha(b)));
                        out.push_str(&delta_cell(now, b, good_up));
                    }
                    None => {
                        out.push_str(dash);
                        out.push_str(dash);
                    }
                }
            }
            if prev.is_some() {
                match p {
                    Some(p) => {
                        out.push_str(&format!("<td class=\"n\">{}</td>", ha(p)));
                        out.push_str(&delta_cell(now, p, good_up));
                    }
                    None => {
                        out.push_str(dash);
                        out.push_str(dash);
                    }
                }
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
        if let Some(b) = base {
            out.push_str(&format!(
                "<p class=\"note\">Baseline: the plan's figures 规划基期数据 (restored {} ha, unrestored {} ha, of which responsible {} ha, legacy {} ha). Δ = this audit − baseline.</p>\n",
                ha(b.baseline.restored_ha),
                ha(b.baseline.unrestored_ha),
                ha(b.baseline.unrestored_responsible_ha),
                ha(b.baseline.unrestored_legacy_ha)
            ));
        }
        if s.unobserved_ha > 0.0 {
            out.push_str(&format!(
                "<p class=\"note\">Unobserved 未观测 {} ha, by cause: {}. Restored shares are of the observed land: {} of the footprint.</p>\n",
                ha(s.unobserved_ha),
                esc(&s.unobserved_causes.describe()),
                pct(s.county_areas().observed_pct())
            ));
        }
        if s.unmapped_ha > 0.0 {
            out.push_str(&format!(
                "<p class=\"note\">{} ha of footprint lie on land-cover values the class mapping lacks ({}); they are counted as unobserved. 未映射地类计入未观测。</p>\n",
                ha(s.unmapped_ha),
                esc(&s.unmapped_values.join(", "))
            ));
        }
        if let Some(p) = prev {
            out.push_str(&format!(
                "<h2>{} {}</h2>\n<table>\n<tr><th>Figure 指标</th><th class=\"n\">ha</th></tr>\n\
                 <tr><td>{}</td><td class=\"n\">{}</td></tr>\n\
                 <tr><td>{}</td><td class=\"n\">{}</td></tr>\n\
                 <tr><td>{}</td><td class=\"n good\">{}</td></tr>\n\
                 <tr><td>{}</td><td class=\"n bad\">{}</td></tr>\n</table>\n\
                 <p class=\"note\">Previous audit folder 上次核查: <code>{}</code></p>\n",
                label("Change since the previous audit", "较上次核查变化"),
                esc(&p.summary.audit_date),
                label("Restored then", "上次已恢复"),
                ha(p.change.restored_before_ha),
                label("Unrestored then", "上次未恢复"),
                ha(p.change.unrestored_before_ha),
                label("Newly restored", "新增恢复"),
                ha(p.change.newly_restored_ha),
                label("Re-disturbed", "重新扰动"),
                ha(p.change.redisturbed_ha),
                esc(&p.dir.display().to_string()),
            ));
        }
    }

    /// The legend shared by all maps.
    fn legend() -> String {
        let sw = |c: Rgb, l: String| {
            format!(
                "<span><span class=\"sw\" style=\"background:{}\"></span>{l}</span>",
                hex(c)
            )
        };
        let ln = |c: Rgb, l: String| {
            format!(
                "<span><span class=\"ln\" style=\"border-top-color:{}\"></span>{l}</span>",
                hex(c)
            )
        };
        [
            sw(RESTORED, label("Restored", "治理恢复")),
            sw(UNRESTORED, label("Unrestored", "未恢复")),
            sw(WATER, label("Water", "水体")),
            sw(UNOBSERVED, label("Unobserved", "未观测")),
            sw(OUTSIDE, label("Outside footprints", "图斑外")),
            ln(LEGACY_OUTLINE, label("Legacy piece", "历史遗留")),
            ln(
                RESPONSIBLE_OUTLINE,
                label("Responsible piece", "有责任主体"),
            ),
            format!(
                "<span><span class=\"ln\" style=\"border-top:3px dashed {}\"></span>{}</span>",
                hex(LICENCE_BOUNDARY),
                label("Licence boundary", "采矿许可证范围")
            ),
        ]
        .join("")
    }

    /// `<figure>` with the map image and a caption.
    fn figure(img: &MapImage, alt: &str, caption: &str) -> String {
        Self::figure_labelled(img, None, &[], alt, caption)
    }

    /// [`Self::figure`] with labels over the picture: `(x, y, text, class)` in the
    /// map's CRS, placed by percentages of the image (so they follow it when the
    /// page or the printout scales it). `bbox` is the map's extent.
    fn figure_labelled(
        img: &MapImage,
        bbox: Option<(f64, f64, f64, f64)>,
        labels: &[(f64, f64, String, &str)],
        alt: &str,
        caption: &str,
    ) -> String {
        let scale = img
            .scale_label
            .as_ref()
            .map(|s| format!(" Scale bar 比例尺: {}.", esc(s)))
            .unwrap_or_default();
        let mut spans = String::new();
        if let Some((xmin, ymin, xmax, ymax)) = bbox {
            // The map fills the image but for the strip below it.
            let map_h = img.height.saturating_sub(STRIP_HEIGHT) as f64;
            let (bw, bh) = (xmax - xmin, ymax - ymin);
            if bw > 0.0 && bh > 0.0 && img.height > 0 {
                for (x, y, text, class) in labels {
                    let left = (x - xmin) / bw * 100.0;
                    let top = (ymax - y) / bh * map_h / img.height as f64 * 100.0;
                    if (0.0..=100.0).contains(&left) && (0.0..=100.0).contains(&top) {
                        spans.push_str(&format!(
                            "<span class=\"mlbl {class}\" style=\"left:{left:.2}%;top:{top:.2}%\">{}</span>",
                            esc(text)
                        ));
                    }
                }
            }
        }
        format!(
            "<figure class=\"map\"><div class=\"mapbox\"><img width=\"{}\" height=\"{}\" alt=\"{}\" src=\"data:image/png;base64,{}\">{spans}</div><figcaption>{caption}{scale}</figcaption></figure>\n",
            img.width,
            img.height,
            esc(alt),
            base64::encode(&img.png)
        )
    }

    /// The county map with legend.
    fn county_map(&self, out: &mut String) -> Result<(), ReportError> {
        let m = &self.r.county_map;
        out.push_str(&format!(
            "<div class=\"keep\"><h2>{}</h2>\n",
            label("County map", "全县分布图")
        ));
        let outlines = self.outlines(m.bbox);
        // Every licence boundary (dashed), and the orphan ranks of the table below.
        let licences = geo::MultiPolygon(
            self.r
                .licence_geometry
                .iter()
                .flat_map(|(_, g)| g.0.iter().cloned())
                .collect(),
        );
        let boundary = (!licences.0.is_empty()).then_some(&licences);
        let ranks: Vec<(f64, f64, String, &str)> = orphan_ranking(self.r)
            .iter()
            .take(ORPHAN_ROWS)
            .filter_map(|o| {
                let g = &self.r.piece_geometry.get(o.piece)?.raster_crs;
                let p = geo::InteriorPoint::interior_point(g)?;
                Some((p.x(), p.y(), format!("#{}", o.rank), "rank"))
            })
            .collect();
        match render_map("county", m, &outlines, boundary, COUNTY_MIN_WIDTH, self.geographic)? {
            Some(img) => out.push_str(&Self::figure_labelled(
                &img,
                Some(m.bbox),
                &ranks,
                "County map of land classes",
                "Land class of every footprint; outlines: legacy pieces in red, responsible pieces in black; dashed dark blue: licence boundaries; #n: rank in the orphan table. North is up.",
            )),
            None => out.push_str("<p class=\"note\">No county map (no footprint cells).</p>\n"),
        }
        out.push_str(&format!(
            "<div class=\"legend\">{}</div></div>\n",
            Self::legend()
        ));
        Ok(())
    }

    /// A composite's section: how the season became the year's imagery, the map
    /// of clear observations and every scene found. Nothing for one raster.
    fn composite(&self, out: &mut String) -> Result<(), ReportError> {
        let Some(c) = &self.r.summary.composite else {
            return Ok(());
        };
        out.push_str(&format!(
            "<h2>{}</h2>\n",
            label("Imagery: seasonal composite", "季节合成影像")
        ));
        let season = match c.season.as_deref() {
            Some([a, b]) => format!("{} – {}", esc(a), esc(b)),
            Some(other) => esc(&other.join(" – ")),
            None => "the whole audit year 全年".to_string(),
        };
        let found = c.scenes.len();
        out.push_str(&format!(
            "<p class=\"note\">Each cell's class comes from the <b>{}</b> of its clear observations (cloud, shadow and no data left out) in the season. A cell with fewer than {} clear observation{} is unobserved (too few clear observations).</p>\n",
            esc(&c.rule),
            c.min_clear,
            if c.min_clear == 1 { "" } else { "s" },
        ));
        let rows = [
            ("Rule 合成规则", esc(&c.rule)),
            ("Season 季节", season),
            ("min_clear 最少晴空观测", c.min_clear.to_string()),
            (
                "Scenes used / found 使用/找到的景",
                format!("{} / {}", c.scenes_used, found),
            ),
            (
                "Mean clear observations over the footprints 图斑平均晴空观测次数",
                clear_obs(c.clear_obs_mean),
            ),
        ];
        out.push_str("<table class=\"composite\">\n");
        for (l, v) in rows {
            out.push_str(&format!("<tr><td>{l}</td><td class=\"n\">{v}</td></tr>\n"));
        }
        out.push_str("</table>\n");
        match &self.r.clear_obs_map {
            Some(m) => {
                let (map, colours) = clear_obs_classes(m);
                let outlines = self.outlines(map.bbox);
                match render_map_coloured(
                    "clear observations",
                    &map,
                    &colours,
                    &outlines,
                    None,
                    COUNTY_MIN_WIDTH,
                    self.geographic,
                )? {
                    Some(img) => out.push_str(&Self::figure(
                        &img,
                        "County map of clear observations",
                        "Mean number of clear observations per map pixel over the footprint cells in it (each cell once; blank where no footprint lies); outlines as on the county map. North is up.",
                    )),
                    None => out.push_str(
                        "<p class=\"note\">No clear-observation map (no footprint cells).</p>\n",
                    ),
                }
                let legend: String = CLEAR_BINS
                    .iter()
                    .map(|(_, name, c)| {
                        format!(
                            "<span><span class=\"sw\" style=\"background:{}\"></span>{name}</span>",
                            hex(*c)
                        )
                    })
                    .collect();
                out.push_str(&format!(
                    "<div class=\"legend\">Clear observations 晴空观测次数: {legend}</div>\n"
                ));
            }
            None => out.push_str(
                "<p class=\"note\">No clear-observation map: it is drawn by one-shot audits (not by shards and their merge).</p>\n",
            ),
        }
        out.push_str(&format!(
            "<h3>{}</h3>\n<p class=\"note\">Over the footprints: of the footprint cells' area, the share each used scene sees clear, hides under its cloud mask, and misses (outside the scene, no data, invalid reflectance).</p>\n<table>\n<tr><th>Date 日期</th><th>Scene 影像</th><th>Tile 分幅</th><th>Clear 晴空 %</th><th>Masked 云掩膜 %</th><th>Missing 缺测 %</th><th>Used 使用</th><th>Why not 未用原因</th></tr>\n",
            label("Scenes found", "找到的影像")
        ));
        for s in &c.scenes {
            let pct = |v: Option<f64>| v.map_or(String::new(), |v| format!("{:.1}", v * 100.0));
            let f = s.over_footprints;
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>\n",
                esc(&s.date),
                esc(&s.id),
                esc(s.tile.as_deref().unwrap_or("")),
                pct(f.map(|f| f.clear)),
                pct(f.map(|f| f.masked)),
                pct(f.map(|f| f.missing)),
                if s.used {
                    "<span class=\"tag\">yes 是</span>"
                } else {
                    "<span class=\"tag no\">no 否</span>"
                },
                esc(s.reason.as_deref().unwrap_or("")),
            ));
        }
        out.push_str("</table>\n");
        Ok(())
    }

    /// The top legacy pieces by unrestored area.
    fn orphans(&self, out: &mut String) {
        let ranking = orphan_ranking(self.r);
        let total: f64 = ranking.iter().map(|o| o.areas.unrestored_ha).sum();
        out.push_str(&format!(
            "<h2>{}</h2>\n<p class=\"note\">Historical-legacy land with no liable licence holder, largest unrestored area first: where public restoration money goes first. {}, {} ha unrestored; the full list with outlines is in <code>orphans.geojson</code>.</p>\n",
            label("Orphaned legacy pits", "无主历史遗留图斑排序"),
            super::format::plural(ranking.len(), "piece", "pieces"),
            ha(total)
        ));
        if ranking.is_empty() {
            out.push_str("<p>No legacy land is unrestored. 无未恢复的历史遗留图斑。</p>\n");
            return;
        }
        let composite = self.r.summary.composite.is_some();
        out.push_str("<table>\n<tr><th class=\"n\">Rank 序号</th><th>Pit 图斑</th><th>Kind 类型</th><th>Town 乡镇</th><th class=\"n\">Unrestored 未恢复 (ha)</th><th class=\"n\">Restored 已恢复 (ha)</th><th class=\"n\">Water (ha)</th><th class=\"n\">Unobserved (ha)</th><th class=\"n\">Total (ha)</th>");
        if composite {
            out.push_str("<th class=\"n\">Clear obs. 晴空观测</th>");
        }
        out.push_str("</tr>\n");
        for o in ranking.iter().take(ORPHAN_ROWS) {
            let kind = o.pit.and_then(|p| p.kind.as_deref()).unwrap_or("");
            let town = o.pit.and_then(|p| p.town.as_deref()).unwrap_or("");
            out.push_str(&format!(
                "<tr><td class=\"n\">{}</td><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
                o.rank,
                esc(o.pit_id),
                esc(kind),
                esc(town),
                ha(o.areas.unrestored_ha),
                ha(o.areas.restored_ha),
                ha(o.areas.water_ha),
                ha(o.areas.unobserved_ha),
                ha(o.areas.total_ha()),
            ));
            if composite {
                out.push_str(&format!(
                    "<td class=\"n\">{}</td>",
                    clear_obs(o.areas.clear_obs_mean())
                ));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");
        if ranking.len() > ORPHAN_ROWS {
            out.push_str(&format!(
                "<p class=\"note\">{} more in <code>orphans.geojson</code>.</p>\n",
                super::format::plural(ranking.len() - ORPHAN_ROWS, "piece", "pieces")
            ));
        }
    }

    /// The licence table and a card per licence with land.
    fn mines(&self, out: &mut String) -> Result<(), ReportError> {
        let mut mines: Vec<&MineResult> = self.r.mines.iter().collect();
        mines.sort_by(|a, b| {
            b.areas
                .unrestored_ha
                .total_cmp(&a.areas.unrestored_ha)
                .then_with(|| b.areas.total_ha().total_cmp(&a.areas.total_ha()))
                .then_with(|| a.license_id.cmp(&b.license_id))
        });
        out.push_str(&format!(
            "<h2>{}</h2>\n<p class=\"note\">Land of pits attributed to each licence (most unrestored first). A licence is liable when its status is in the liable set and it has a holder.</p>\n",
            label("Mines and holders", "矿山与采矿权人")
        ));
        if mines.is_empty() {
            out.push_str("<p>No licences. 无采矿权。</p>\n");
            return Ok(());
        }
        let has_change = mines.iter().any(|m| m.change.is_some());
        out.push_str("<table>\n<tr><th>Licence 许可证号</th><th>Holder 采矿权人</th><th>Status 状态</th><th>Liable 有责任</th><th class=\"n\">Pits</th><th class=\"n\">Restored (ha)</th><th class=\"n\">Unrestored (ha)</th><th class=\"n\">Total (ha)</th><th class=\"n\">Restored %</th>");
        if has_change {
            out.push_str(
                "<th class=\"n\">Newly restored (ha)</th><th class=\"n\">Re-disturbed (ha)</th>",
            );
        }
        let composite = self.r.summary.composite.is_some();
        if composite {
            out.push_str("<th class=\"n\">Clear obs. 晴空观测</th>");
        }
        out.push_str("</tr>\n");
        for m in &mines {
            out.push_str(&format!(
                "<tr><td>{}</td><td class=\"who\">{}</td><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>",
                esc(&m.license_id),
                esc(m.holder.as_deref().unwrap_or("")),
                esc(&m.status),
                if m.liable {
                    "<span class=\"tag\">yes 是</span>"
                } else {
                    "<span class=\"tag no\">no 否</span>"
                },
                m.pit_count,
                ha(m.areas.restored_ha),
                ha(m.areas.unrestored_ha),
                ha(m.areas.total_ha()),
                pct_observed(&m.areas),
            ));
            if has_change {
                match &m.change {
                    Some(c) => out.push_str(&format!(
                        "<td class=\"n\">{}</td><td class=\"n\">{}</td>",
                        ha(c.newly_restored_ha),
                        ha(c.redisturbed_ha)
                    )),
                    None => out.push_str("<td class=\"n\">—</td><td class=\"n\">—</td>"),
                }
            }
            if composite {
                out.push_str(&format!(
                    "<td class=\"n\">{}</td>",
                    clear_obs(m.areas.clear_obs_mean())
                ));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</table>\n");

        let with_land: Vec<&&MineResult> =
            mines.iter().filter(|m| m.areas.total_ha() > 0.0).collect();
        // Cards are independent (each draws its own map): render them in parallel,
        // then join them in table order.
        let n = with_land.len().min(MAX_MINE_MAPS);
        let cards = with_land[..n]
            .par_iter()
            .map(|m| {
                let mut card = String::new();
                self.mine_card(&mut card, m)?;
                Ok(card)
            })
            .collect::<Result<Vec<String>, ReportError>>()?;
        for card in cards {
            out.push_str(&card);
        }
        if with_land.len() > MAX_MINE_MAPS {
            out.push_str(&format!(
                "<p class=\"note\">{} more with land {} in the table above and in <code>mines.csv</code>.</p>\n",
                super::format::plural(with_land.len() - MAX_MINE_MAPS, "licence", "licences"),
                if with_land.len() - MAX_MINE_MAPS == 1 { "is" } else { "are" }
            ));
        }
        Ok(())
    }

    /// One licence: its map and figures.
    fn mine_card(&self, out: &mut String, m: &MineResult) -> Result<(), ReportError> {
        out.push_str("<section class=\"mine\">\n");
        let map = self
            .r
            .mine_maps
            .iter()
            .find(|(id, _)| id == &m.license_id)
            .map(|(_, map)| map);
        if let Some(map) = map {
            let outlines = self.outlines(map.bbox);
            let boundary = self
                .r
                .licence_geometry
                .iter()
                .find(|(id, _)| id == &m.license_id)
                .map(|(_, g)| g);
            let name = format!("mine {}", m.license_id);
            if let Some(img) =
                render_map(&name, map, &outlines, boundary, MIN_WIDTH, self.geographic)?
            {
                // Responsible land lies inside its licence, so a boundary that
                // misses the map runs around it.
                let caption = match (boundary.is_some(), img.boundary_shown) {
                    (true, true) => "Dashed dark blue: licence boundary 采矿许可证范围.",
                    (true, false) => {
                        "The licence boundary 采矿许可证范围 lies beyond this map on every side."
                    }
                    (false, _) => "",
                };
                out.push_str(&Self::figure_labelled(
                    &img,
                    Some(map.bbox),
                    &self.pit_labels(map.bbox),
                    &format!("Map of licence {}", m.license_id),
                    caption,
                ));
            }
        }
        let title = m
            .name
            .as_deref()
            .filter(|n| !n.is_empty())
            .map(|n| format!("{} · {}", esc(n), esc(&m.license_id)))
            .unwrap_or_else(|| esc(&m.license_id));
        out.push_str(&format!(
            "<div class=\"facts\"><h3>{title}{}</h3>\n<table>\n",
            liable_tag(m.liable)
        ));
        let text_rows = [
            ("Holder 采矿权人", m.holder.as_deref()),
            ("Mineral 矿种", m.mineral.as_deref()),
            ("Status 状态", Some(m.status.as_str())),
            ("Valid to 有效期至", m.valid_to.as_deref()),
        ];
        for (l, v) in text_rows {
            if let Some(v) = v.filter(|v| !v.is_empty()) {
                out.push_str(&format!("<tr><td>{l}</td><td>{}</td></tr>\n", esc(v)));
            }
        }
        out.push_str(&format!(
            "<tr><td>Pits 图斑数</td><td class=\"n\">{}</td></tr>\n",
            m.pit_count
        ));
        out.push_str("</table>\n");
        let mut heads = vec![
            ("Restored", "治理恢复"),
            ("Unrestored", "未恢复"),
            ("Water", "水体"),
            ("Unobserved", "未观测"),
            ("Total", "合计"),
        ];
        let mut cells: Vec<String> = [
            m.areas.restored_ha,
            m.areas.unrestored_ha,
            m.areas.water_ha,
            m.areas.unobserved_ha,
            m.areas.total_ha(),
        ]
        .into_iter()
        .map(ha)
        .collect();
        heads.push(("Restored share", "恢复率"));
        cells.push(pct_observed(&m.areas));
        figure_table(out, "ha", &heads, &cells);
        if let Some(c) = &m.change {
            let heads = [
                ("Restored then", "上次已恢复"),
                ("Unrestored then", "上次未恢复"),
                ("Newly restored", "新增恢复"),
                ("Re-disturbed", "重新扰动"),
            ];
            let cells = [
                c.restored_before_ha,
                c.unrestored_before_ha,
                c.newly_restored_ha,
                c.redisturbed_ha,
            ]
            .map(ha);
            figure_table(out, "ha", &heads, &cells);
        }
        out.push_str("</div>\n</section>\n");
        Ok(())
    }

    /// Overlapping pits (quality control).
    fn overlaps(&self, out: &mut String) {
        let ov = &self.r.overlaps;
        out.push_str(&format!(
            "<h2>{}</h2>\n",
            label("Overlapping pits (quality control)", "图斑重叠检查")
        ));
        if ov.is_empty() {
            out.push_str("<p>No pits overlap. 无重叠图斑。</p>\n");
            return;
        }
        let total: f64 = ov.iter().map(|o| o.overlap_ha).sum();
        out.push_str(&format!(
            "<p class=\"note\">{} pair{} of pits share{} {} ha; shared land is counted once in every figure above. Check the footprint layer.</p>\n",
            ov.len(),
            if ov.len() == 1 { "" } else { "s" },
            if ov.len() == 1 { "s" } else { "" },
            overlap_ha(total)
        ));
        out.push_str("<table>\n<tr><th>Pit A</th><th>Pit B</th><th class=\"n\">Overlap 重叠 (ha)</th></tr>\n");
        for o in ov {
            out.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td></tr>\n",
                esc(&o.pit_a),
                esc(&o.pit_b),
                overlap_ha(o.overlap_ha)
            ));
        }
        out.push_str("</table>\n");
    }

    /// Inputs, checksums and settings.
    fn provenance(&self, out: &mut String) {
        let p = &self.r.provenance;
        out.push_str("<footer>\n<h3>Provenance 数据来源</h3>\n<table>\n<tr><th>Input 输入</th><th>Path 路径</th><th>SHA-256</th></tr>\n");
        for f in &p.inputs {
            let short: String = f.sha256.chars().take(SHA_PREFIX).collect();
            out.push_str(&format!(
                "<tr><td>{}</td><td><code>{}</code></td><td><code title=\"{}\">{}…</code></td></tr>\n",
                esc(&f.role),
                esc(&f.path.display().to_string()),
                esc(&f.sha256),
                esc(&short)
            ));
        }
        out.push_str("</table>\n");
        out.push_str(&format!(
            "<p>CRS {} · cell size {} × {} · reclaim {} · {}</p>\n",
            esc(&p.crs),
            p.cell_size.0,
            p.cell_size.1,
            esc(&p.reclaim_version),
            thresholds(p.method.as_ref())
        ));
        out.push_str(
            "<p>Areas are exact: a cell on a footprint's edge counts with the fraction the polygon covers. \
             Land covered by two pits is counted once. Unobserved land is reported, never guessed.</p>\n",
        );
        out.push_str(&format!(
            "<details><summary>Configuration as run 运行配置</summary><pre>{0}</pre></details>\n<div class=\"print-only\"><h3>Configuration as run 运行配置</h3><pre>{0}</pre></div>\n</footer>\n",
            esc(&p.config_toml)
        ));
    }
}

/// A restored share with the observed share it rests on: `85.0 % of 42.0 %
/// observed` (a share of a little observed land must never read as a headline).
/// A mean number of clear observations, one decimal; `—` for no land.
fn clear_obs(v: Option<f64>) -> String {
    v.map(|m| format!("{m:.1}")).unwrap_or_else(|| "—".into())
}

/// Classes of the clear-observation map: upper bound of the mean (exclusive),
/// legend label, colour (a sequential ramp, light for few).
const CLEAR_BINS: [(f64, &str, Rgb); 7] = [
    (0.5, "0", [255, 255, 204]),
    (1.5, "1", [199, 233, 180]),
    (2.5, "2", [127, 205, 187]),
    (4.5, "3–4", [65, 182, 196]),
    (8.5, "5–8", [29, 145, 192]),
    (16.5, "9–16", [34, 94, 168]),
    (f64::INFINITY, "17+", [12, 44, 132]),
];

/// The clear-observation map as a class map of [`CLEAR_BINS`] indices, and its colours.
fn clear_obs_classes(m: &ClearObsMap) -> (ClassMap, [Rgb; 256]) {
    let cells = m
        .means
        .iter()
        .map(|v| match v {
            Some(x) => CLEAR_BINS
                .iter()
                .position(|(upper, _, _)| *x < *upper)
                .unwrap_or(CLEAR_BINS.len() - 1) as u8,
            None => ClassMap::OUTSIDE,
        })
        .collect();
    let mut colours = [OUTSIDE; 256];
    for (i, (_, _, c)) in CLEAR_BINS.iter().enumerate() {
        colours[i] = *c;
    }
    (
        ClassMap {
            width: m.width,
            height: m.height,
            bbox: m.bbox,
            cells,
        },
        colours,
    )
}

fn pct_observed(a: &ClassAreas) -> String {
    match a.restored_pct() {
        Some(p) => format!(
            "{}<br><span class=\"obs\">of {} observed</span>",
            pct(Some(p)),
            pct(a.observed_pct())
        ),
        None => pct(None),
    }
}

/// An overlap area at 0.01 ha like every figure of the page, `< 0.01` for a sliver.
fn overlap_ha(v: f64) -> String {
    // 0.01 ha like every figure of the page; a sliver is still said to be there.
    if v > 0.0 && v < 0.005 {
        "&lt; 0.01".to_owned()
    } else {
        ha(v)
    }
}

/// `liable` / `not liable` tag.
fn liable_tag(liable: bool) -> &'static str {
    if liable {
        "<span class=\"tag\">liable 有责任</span>"
    } else {
        "<span class=\"tag no\">not liable 无责任</span>"
    }
}

/// A one-row table of figures under (English, Chinese) headings; `unit` labels the row.
fn figure_table<S: AsRef<str>>(out: &mut String, unit: &str, heads: &[(&str, &str)], cells: &[S]) {
    out.push_str("<table class=\"fig\">\n<tr><th></th>");
    for (en, zh) in heads {
        out.push_str(&format!(
            "<th class=\"n\">{}<br><span class=\"zh2\">{}</span></th>",
            esc(en),
            esc(zh)
        ));
    }
    out.push_str(&format!("</tr>\n<tr><td>{}</td>", esc(unit)));
    for c in cells {
        out.push_str(&format!("<td class=\"n\">{}</td>", c.as_ref()));
    }
    out.push_str("</tr>\n</table>\n");
}

/// One line of classification thresholds, from the audit's method.
fn thresholds(method: Option<&Method>) -> String {
    let Some(m) = method else {
        return "thresholds: see the configuration below".to_owned();
    };
    let classifier = match &m.classifier {
        Classifier::Ndvi {
            restored_min_ndvi,
            water_max_ndvi,
            scale,
            offset,
        } => format!(
            "classifier NDVI: restored when NDVI ≥ {restored_min_ndvi}, water when NDVI &lt; {water_max_ndvi}; reflectance = value × {scale} + {offset}"
        ),
        Classifier::Classes { preset } => format!(
            "classifier: land-cover classes{}",
            preset
                .as_deref()
                .map(|p| format!(" ({})", esc(p)))
                .unwrap_or_default()
        ),
    };
    let mask = m
        .mask_preset
        .as_deref()
        .map(|p| format!("; mask {}", esc(p)))
        .unwrap_or_default();
    match &m.liable_statuses {
        Some(l) => format!(
            "{classifier}{mask}; liable statuses: {}",
            esc(&l.join(", "))
        ),
        None => format!("{classifier}{mask}; no licence layer: pieces unattributed"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_colours() {
        assert_eq!(hex([255, 0, 16]), "#ff0010");
    }

    #[test]
    fn thresholds_from_the_method() {
        let m = Method {
            classifier: Classifier::Ndvi {
                restored_min_ndvi: 0.35,
                water_max_ndvi: 0.0,
                scale: 0.0001,
                offset: 0.0,
            },
            mask_preset: None,
            liable_statuses: Some(vec!["valid".into(), "expired".into()]),
            geographic: false,
        };
        let t = thresholds(Some(&m));
        assert!(
            t.contains("NDVI ≥ 0.35") && t.contains("valid, expired"),
            "{t}"
        );
        assert!(thresholds(None).contains("configuration"));
    }
}
