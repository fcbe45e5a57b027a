//! The county's sections: headline cards, warnings and the county table.

use super::page::*;
use crate::report::format::{delta, esc, ha, pct};
use crate::report::maps::{LEGACY_OUTLINE, RESTORED, UNOBSERVED, UNRESTORED};
use crate::report::png::hex;
use crate::warning::Warning;

impl Page<'_> {
    /// Four headline figures.
    pub(super) fn cards(&self, out: &mut String) {
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
                    crate::report::format::plural(
                        s.orphan_piece_count,
                        "orphan piece",
                        "orphan pieces"
                    )
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
    pub(super) fn no_licences(&self) -> bool {
        self.r
            .warnings
            .iter()
            .any(|w| matches!(w, Warning::NoLicences { .. }))
    }

    /// Every warning of the run, so that no figure is read without them.
    pub(super) fn warnings(&self, out: &mut String) {
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
    pub(super) fn county_table(&self, out: &mut String) {
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
}
