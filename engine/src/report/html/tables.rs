//! The orphan ranking, the mines with their cards and maps, overlaps and provenance.

use super::cells::*;
use super::page::*;
use crate::report::error::ReportError;
use crate::report::format::{esc, ha};
use crate::report::maps::{render_map, MIN_WIDTH};
use crate::report::orphans::orphan_ranking;
use crate::results::MineResult;
use rayon::prelude::*;

impl Page<'_> {
    /// The top legacy pieces by unrestored area.
    pub(super) fn orphans(&self, out: &mut String) {
        let ranking = orphan_ranking(self.r);
        let total: f64 = ranking.iter().map(|o| o.areas.unrestored_ha).sum();
        out.push_str(&format!(
            "<h2>{}</h2>\n<p class=\"note\">Historical-legacy land with no liable licence holder, largest unrestored area first: where public restoration money goes first. {}, {} ha unrestored; the full list with outlines is in <code>orphans.geojson</code>.</p>\n",
            label("Orphaned legacy pits", "无主历史遗留图斑排序"),
            crate::report::format::plural(ranking.len(), "piece", "pieces"),
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
                crate::report::format::plural(ranking.len() - ORPHAN_ROWS, "piece", "pieces")
            ));
        }
    }

    /// The licence table and a card per licence with land.
    pub(super) fn mines(&self, out: &mut String) -> Result<(), ReportError> {
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
                crate::report::format::plural(with_land.len() - MAX_MINE_MAPS, "licence", "licences"),
                if with_land.len() - MAX_MINE_MAPS == 1 { "is" } else { "are" }
            ));
        }
        Ok(())
    }

    /// One licence: its map and figures.
    pub(super) fn mine_card(&self, out: &mut String, m: &MineResult) -> Result<(), ReportError> {
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
    pub(super) fn overlaps(&self, out: &mut String) {
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
    pub(super) fn provenance(&self, out: &mut String) {
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
