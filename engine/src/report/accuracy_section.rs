//! The accuracy section of `report.html` (`[accuracy]` of audit.toml): the
//! error-adjusted areas with their 95 % intervals — "585 ± 31 ha restored", not
//! "585.24" — and the map's overall, user's and producer's accuracy.
//!
//! Nothing is written without an assessment, so a report without `[accuracy]` is
//! unchanged.

use super::format::{esc, grouped};
use crate::accuracy::Estimate;
use crate::results::AccuracySummary;
use crate::results::AuditReport;

/// Decimals that show an estimate to the precision its interval allows: none when
/// the half-width is 10 or more, 1 from 1, else 2.
pub fn decimals(e: &Estimate) -> usize {
    let h = e.half_width();
    if h >= 10.0 {
        0
    } else if h >= 1.0 {
        1
    } else {
        2
    }
}

/// Hectares with their 95 % half-width: `585 ± 31`, `12.4 ± 3.1`, `0.52 ± 0.08`.
pub fn ha_pm(e: &Estimate) -> String {
    let d = decimals(e);
    format!(
        "{} ± {}",
        grouped(e.estimate, d),
        grouped(e.half_width(), d)
    )
}

/// The 95 % interval in hectares, to the same decimals as [`ha_pm`].
fn interval(e: &Estimate) -> String {
    let d = decimals(e);
    format!("{} – {}", grouped(e.ci95[0], d), grouped(e.ci95[1], d))
}

/// An accuracy (a share) with its 95 % half-width, three decimals; a dash when
/// undefined.
fn share_pm(e: Option<&Estimate>) -> String {
    e.map(|e| format!("{:.3} ± {:.3}", e.estimate, e.half_width()))
        .unwrap_or_else(|| "\u{2014}".to_owned())
}

/// Appends the section when the report has an assessment.
pub fn section(report: &AuditReport, out: &mut String) {
    let Some(a) = report.accuracy.as_ref().map(|a| &a.summary) else {
        return;
    };
    out.push_str(&format!(
        "<h2>{}<span class=\"zh\">精度评价与面积校正</span></h2>\n",
        esc("Accuracy and error-adjusted area")
    ));
    out.push_str(&format!("<p>{}</p>\n", headline(a)));
    out.push_str(
        "<table>\n<tr><th>Class 地类</th><th class=\"n\">Mapped 图上 (ha)</th>\
         <th class=\"n\">Error-adjusted 校正 (ha, 95 %)</th><th class=\"n\">95 % interval (ha)</th>\
         <th class=\"n\">User's accuracy 用户精度</th><th class=\"n\">Producer's accuracy 生产者精度</th></tr>\n",
    );
    let class = |name: &str| a.classes.iter().find(|c| c.class == name);
    let rows: [(&str, &str, &str); 3] = [
        ("restored", "Restored", "治理恢复"),
        ("unrestored", "Unrestored", "未恢复"),
        ("water", "Water", "水体"),
    ];
    for (name, en, zh) in rows {
        let Some(c) = class(name) else { continue };
        out.push_str(&format!(
            "<tr><td>{}<span class=\"zh\">{zh}</span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td></tr>\n",
            esc(en),
            grouped(c.map_area_ha, 2),
            ha_pm(&c.area_ha),
            interval(&c.area_ha),
            share_pm(c.users_accuracy.as_ref()),
            share_pm(c.producers_accuracy.as_ref()),
        ));
        if name == "unrestored" {
            let s = &report.summary;
            for (e, mapped, en, zh) in [
                (
                    a.unrestored_responsible_ha,
                    s.unrestored_responsible_ha,
                    "of which with a responsible holder",
                    "有责任主体",
                ),
                (
                    a.unrestored_legacy_ha,
                    s.unrestored_legacy_ha,
                    "of which historical legacy",
                    "历史遗留",
                ),
            ] {
                let Some(e) = e else { continue };
                out.push_str(&format!(
                    "<tr class=\"part\"><td>{}<span class=\"zh\">{zh}</span></td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">—</td><td class=\"n\">—</td></tr>\n",
                    esc(en),
                    grouped(mapped, 2),
                    ha_pm(&e),
                    interval(&e),
                ));
            }
        }
    }
    // The overall accuracy is a share, not hectares: no interval in the ha column.
    out.push_str(&format!(
        "<tr class=\"total\"><td>All observed land: overall accuracy<span class=\"zh\">总体精度</span></td><td class=\"n\">{}</td><td class=\"n\"></td><td class=\"n\"></td><td class=\"n\" colspan=\"2\">{}</td></tr>\n</table>\n",
        grouped(a.observed_ha, 2),
        share_pm(Some(&a.overall_accuracy)),
    ));
    out.push_str(&format!(
        "<p class=\"note\">From {} labelled points of <code>{}</code>, a stratified random sample of the observed land of the footprints (strata: {}; {}). Error-adjusted areas share out the observed land ({} ha); unobserved land is neither sampled nor estimated. Intervals are estimate ± 1.96 standard errors{}. The error matrix and every figure with its standard error: <code>accuracy.json</code>, <code>accuracy.csv</code>.</p>\n",
        a.n,
        esc(&a.reference.display().to_string()),
        if a.by_responsibility {
            "each class on responsible and on legacy land"
        } else {
            "the map classes"
        },
        if a.method == "olofsson2014" {
            "Olofsson et al. 2014"
        } else {
            "Stehman 2014"
        },
        grouped(a.observed_ha, 2),
        if a.finite_population_correction {
            ", with the finite-population correction"
        } else {
            ""
        },
    ));
}

/// "Restored 585 ± 31 ha, unrestored 640 ± 28 ha (…) …; overall accuracy …".
fn headline(a: &AccuracySummary) -> String {
    let mut parts = vec![
        format!("restored <b>{} ha</b>", ha_pm(&a.restored_ha)),
        format!("unrestored <b>{} ha</b>", ha_pm(&a.unrestored_ha)),
    ];
    if let (Some(r), Some(l)) = (a.unrestored_responsible_ha, a.unrestored_legacy_ha) {
        parts.push(format!(
            "of which responsible {} ha and legacy {} ha",
            ha_pm(&r),
            ha_pm(&l)
        ));
    }
    if a.water_ha.estimate != 0.0 || a.water_ha.se != 0.0 {
        parts.push(format!("water {} ha", ha_pm(&a.water_ha)));
    }
    format!(
        "Corrected for the map's errors, the sample says: {} (95 % confidence). Overall accuracy {}. 样本校正面积（95 % 置信区间）。",
        parts.join(", "),
        share_pm(Some(&a.overall_accuracy))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plus_minus_to_the_precision_of_the_interval() {
        // 31.4 / 1.96 = 16.02 … a half-width of 31.4 → no decimals.
        assert_eq!(ha_pm(&Estimate::new(585.24, 31.4 / 1.96)), "585 ± 31");
        assert_eq!(ha_pm(&Estimate::new(1234.6, 10.0)), "1,235 ± 20");
        assert_eq!(ha_pm(&Estimate::new(12.44, 3.1 / 1.96)), "12.4 ± 3.1");
        assert_eq!(ha_pm(&Estimate::new(0.524, 0.08 / 1.96)), "0.52 ± 0.08");
        assert_eq!(share_pm(None), "\u{2014}");
        assert_eq!(share_pm(Some(&Estimate::new(0.9, 0.01))), "0.900 ± 0.020");
    }
}
