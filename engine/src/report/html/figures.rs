//! The page's maps: legend, figures, the county map and the composite's map.

use super::cells::*;
use super::page::*;
use crate::report::base64;
use crate::report::error::ReportError;
use crate::report::format::esc;
use crate::report::maps::{
    render_map, render_map_coloured, MapImage, COUNTY_MIN_WIDTH, LEGACY_OUTLINE, LICENCE_BOUNDARY,
    OUTSIDE, RESPONSIBLE_OUTLINE, RESTORED, STRIP_HEIGHT, UNOBSERVED, UNRESTORED, WATER,
};
use crate::report::orphans::orphan_ranking;
use crate::report::png::hex;
use crate::report::png::Rgb;

impl Page<'_> {
    /// The legend shared by all maps.
    pub(super) fn legend() -> String {
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
    pub(super) fn figure(img: &MapImage, alt: &str, caption: &str) -> String {
        Self::figure_labelled(img, None, &[], alt, caption)
    }

    /// [`Self::figure`] with labels over the picture: `(x, y, text, class)` in the
    /// map's CRS, placed by percentages of the image (so they follow it when the
    /// page or the printout scales it). `bbox` is the map's extent.
    pub(super) fn figure_labelled(
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
    pub(super) fn county_map(&self, out: &mut String) -> Result<(), ReportError> {
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
    pub(super) fn composite(&self, out: &mut String) -> Result<(), ReportError> {
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
}
