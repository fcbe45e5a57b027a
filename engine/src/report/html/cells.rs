//! Small pieces of the page: cell texts, tags, one-row figure tables, the method line.

use crate::report::format::{esc, ha, pct};
use crate::report::maps::OUTSIDE;
use crate::report::png::Rgb;
use crate::results::{ClassAreas, ClassMap, ClearObsMap};
use crate::results::{Classifier, Method};

/// A restored share with the observed share it rests on: `85.0 % of 42.0 %
/// observed` (a share of a little observed land must never read as a headline).
/// A mean number of clear observations, one decimal; `—` for no land.
pub(super) fn clear_obs(v: Option<f64>) -> String {
    v.map(|m| format!("{m:.1}")).unwrap_or_else(|| "—".into())
}

/// Classes of the clear-observation map: upper bound of the mean (exclusive),
/// legend label, colour (a sequential ramp, light for few).
pub(super) const CLEAR_BINS: [(f64, &str, Rgb); 7] = [
    (0.5, "0", [255, 255, 204]),
    (1.5, "1", [199, 233, 180]),
    (2.5, "2", [127, 205, 187]),
    (4.5, "3–4", [65, 182, 196]),
    (8.5, "5–8", [29, 145, 192]),
    (16.5, "9–16", [34, 94, 168]),
    (f64::INFINITY, "17+", [12, 44, 132]),
];

/// The clear-observation map as a class map of [`CLEAR_BINS`] indices, and its colours.
pub(super) fn clear_obs_classes(m: &ClearObsMap) -> (ClassMap, [Rgb; 256]) {
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

pub(super) fn pct_observed(a: &ClassAreas) -> String {
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
pub(super) fn overlap_ha(v: f64) -> String {
    // 0.01 ha like every figure of the page; a sliver is still said to be there.
    if v > 0.0 && v < 0.005 {
        "&lt; 0.01".to_owned()
    } else {
        ha(v)
    }
}

/// `liable` / `not liable` tag.
pub(super) fn liable_tag(liable: bool) -> &'static str {
    if liable {
        "<span class=\"tag\">liable 有责任</span>"
    } else {
        "<span class=\"tag no\">not liable 无责任</span>"
    }
}

/// A one-row table of figures under (English, Chinese) headings; `unit` labels the row.
pub(super) fn figure_table<S: AsRef<str>>(
    out: &mut String,
    unit: &str,
    heads: &[(&str, &str)],
    cells: &[S],
) {
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
pub(super) fn thresholds(method: Option<&Method>) -> String {
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
