//! The report page's section on bare land outside the mapped footprints, when
//! the audit ran discovery (`[discovery] in_audit = true`): totals by label and
//! the largest candidates with their nearest licence.

use super::format::{esc, ha};
use crate::discover::Label;
use crate::results::AuditReport;

/// Most candidate rows on the page (the full list is in `candidates.csv`).
pub const CANDIDATE_ROWS: usize = 100;

/// Appends the section to `out`; nothing when the audit ran no discovery.
pub fn section(report: &AuditReport, out: &mut String) {
    let Some(d) = &report.discovery else {
        return;
    };
    let s = d.summary();
    let found = &d.found;
    out.push_str(&format!(
        "<h2>Bare land outside the footprints <span class=\"zh\">图斑外裸地（疑似漏报、越界或无证开采）</span></h2>\n<p class=\"note\">Patches of bare land of at least {} ha outside every mapped footprint ({}-connected cells), labelled against the liable licences: <code>within_licence</code> (the inventory misses them), <code>beyond_licence</code> (partly outside: possible mining beyond the boundary 越界开采), <code>unlicensed</code> (outside every liable licence: unmapped legacy or mining without a licence 无证开采). {}, {} ha; the full list with outlines is in <code>candidates.csv</code>, <code>candidates.geojson</code> and <code>candidates_projected.geojson</code>.</p>\n",
        s.settings.min_area_ha,
        s.settings.connectivity,
        super::format::plural(s.count, "candidate", "candidates"),
        ha(s.area_ha),
    ));
    out.push_str("<table>\n<tr><th>Label 类型</th><th class=\"n\">Candidates 个数</th><th class=\"n\">Area 面积 (ha)</th></tr>\n");
    for (name, t) in [
        (Label::WithinLicence, s.by_label.within_licence),
        (Label::BeyondLicence, s.by_label.beyond_licence),
        (Label::Unlicensed, s.by_label.unlicensed),
    ] {
        out.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            name.name(),
            t.count,
            ha(t.area_ha)
        ));
    }
    out.push_str("</table>\n");
    if !s.licences_given {
        out.push_str("<p class=\"note\">No licence layer was given: every candidate is <code>unlicensed</code> only in the sense that no licence is known.</p>\n");
    }
    if found.candidates.is_empty() {
        out.push_str("<p>No bare land outside the footprints reaches the minimum area. 图斑外无达到最小面积的裸地。</p>\n");
        return;
    }
    out.push_str("<table>\n<tr><th>Id 编号</th><th>Label 类型</th><th class=\"n\">Area 面积 (ha)</th><th class=\"n\">Outside licence 证外 (ha)</th><th>Nearest licence 最近采矿权</th><th class=\"n\">Distance 距离 (m)</th><th>New / persistent 新增/持续</th></tr>\n");
    for c in d.top.iter().take(CANDIDATE_ROWS) {
        let n = c.nearest.as_ref();
        out.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td class=\"n\">{}</td><td>{}</td></tr>\n",
            esc(&c.id),
            c.label.name(),
            ha(c.area_ha),
            ha(c.outside_licence_ha),
            n.map(|n| format!("{} ({})", esc(&n.licence_id), esc(&n.status)))
                .unwrap_or_default(),
            n.map(|n| format!("{:.1}", n.distance_m)).unwrap_or_default(),
            c.change.map_or("", |x| x.name()),
        ));
    }
    out.push_str("</table>\n");
    if found.candidates.len() > CANDIDATE_ROWS {
        out.push_str(&format!(
            "<p class=\"note\">{} more candidates in <code>candidates.csv</code>.</p>\n",
            found.candidates.len() - CANDIDATE_ROWS
        ));
    }
}
