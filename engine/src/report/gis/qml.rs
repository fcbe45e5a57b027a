//! QGIS styles (QML) in the report's colours: a `.qml` beside each shapefile
//! (QGIS loads it with the layer) and a row of the GeoPackage's `layer_styles`
//! table (QGIS's default style of a GeoPackage layer).
//!
//! Pieces and pits are filled by their dominant land class (a categorized
//! renderer over an expression on the four class columns, so no column is added
//! to the tables): restored green, unrestored brown-orange, water blue,
//! unobserved grey, as on the report's maps. Orphans are unrestored land with the
//! report's red legacy outline; candidates unrestored land with a dashed outline;
//! licences their dark-blue boundary, unfilled.

use super::layers::{Layer, Style};
use crate::report::format::esc;
use crate::report::maps::{
    LEGACY_OUTLINE, LICENCE_BOUNDARY, RESPONSIBLE_OUTLINE, RESTORED, UNOBSERVED, UNRESTORED, WATER,
};
use crate::report::png::Rgb;

/// A fill symbol: fill colour (`None`: no fill), outline colour, outline width in
/// mm, outline dashed.
struct Fill {
    color: Option<Rgb>,
    outline: Rgb,
    width: f64,
    dashed: bool,
}

fn rgba(c: Rgb, alpha: u8) -> String {
    format!("{},{},{},{alpha}", c[0], c[1], c[2])
}

/// A `<symbol>` element named `name` (both the QGIS ≥ 3.26 `Option` map and the
/// older `prop` list, so every QGIS 3 reads it).
fn symbol(name: &str, f: &Fill) -> String {
    let props = [
        ("color", rgba(f.color.unwrap_or([255, 255, 255]), 255)),
        (
            "style",
            if f.color.is_some() { "solid" } else { "no" }.to_string(),
        ),
        ("outline_color", rgba(f.outline, 255)),
        (
            "outline_style",
            if f.dashed { "dash" } else { "solid" }.to_string(),
        ),
        ("outline_width", format!("{}", f.width)),
        ("outline_width_unit", "MM".to_string()),
        ("joinstyle", "miter".to_string()),
    ];
    let mut s = format!(
        "      <symbol type=\"fill\" name=\"{}\" alpha=\"1\" clip_to_extent=\"1\" force_rhr=\"0\">\n        <layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" locked=\"0\">\n          <Option type=\"Map\">\n",
        esc(name)
    );
    for (k, v) in &props {
        s.push_str(&format!(
            "            <Option name=\"{k}\" type=\"QString\" value=\"{v}\"/>\n"
        ));
    }
    s.push_str("          </Option>\n");
    for (k, v) in &props {
        s.push_str(&format!("          <prop k=\"{k}\" v=\"{v}\"/>\n"));
    }
    s.push_str("        </layer>\n      </symbol>\n");
    s
}

/// The QGIS expression of a feature's dominant land class, over columns named
/// by `name` (ties go to the class listed first).
pub fn dominant_class_expression(name: impl Fn(&'static str) -> &'static str) -> String {
    let [r, u, w, o] = ["restored_ha", "unrestored_ha", "water_ha", "unobserved_ha"]
        .map(|c| format!("coalesce(\"{}\", 0)", name(c)));
    format!(
        "CASE WHEN {r} >= max({u}, {w}, {o}) THEN 'restored' \
         WHEN {u} >= max({w}, {o}) THEN 'unrestored' \
         WHEN {w} >= {o} THEN 'water' ELSE 'unobserved' END"
    )
}

/// The land classes with their colours and labels.
const CLASSES: [(&str, Rgb, &str); 4] = [
    ("restored", RESTORED, "restored 治理恢复"),
    ("unrestored", UNRESTORED, "unrestored 未恢复"),
    ("water", WATER, "water 水体"),
    ("unobserved", UNOBSERVED, "unobserved 未观测"),
];

/// The renderer of `layer` (its `<renderer-v2>` element), columns named by `name`.
pub fn renderer(layer: &Layer, name: impl Fn(&'static str) -> &'static str) -> String {
    let single = |f: Fill| {
        format!(
            "  <renderer-v2 type=\"singleSymbol\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <symbols>\n{}    </symbols>\n  </renderer-v2>\n",
            symbol("0", &f)
        )
    };
    match layer.style {
        Style::DominantClass => {
            let mut s = format!(
                "  <renderer-v2 type=\"categorizedSymbol\" attr=\"{}\" symbollevels=\"0\" enableorderby=\"0\" forceraster=\"0\">\n    <categories>\n",
                esc(&dominant_class_expression(name))
            );
            for (i, (value, _, label)) in CLASSES.iter().enumerate() {
                s.push_str(&format!(
                    "      <category symbol=\"{i}\" value=\"{value}\" label=\"{}\" render=\"true\"/>\n",
                    esc(label)
                ));
            }
            s.push_str("    </categories>\n    <symbols>\n");
            for (i, (_, color, _)) in CLASSES.iter().enumerate() {
                s.push_str(&symbol(
                    &i.to_string(),
                    &Fill {
                        color: Some(*color),
                        outline: RESPONSIBLE_OUTLINE,
                        width: 0.2,
                        dashed: false,
                    },
                ));
            }
            s.push_str("    </symbols>\n  </renderer-v2>\n");
            s
        }
        Style::Orphans => single(Fill {
            color: Some(UNRESTORED),
            outline: LEGACY_OUTLINE,
            width: 0.6,
            dashed: false,
        }),
        Style::Candidates => single(Fill {
            color: Some(UNRESTORED),
            outline: RESPONSIBLE_OUTLINE,
            width: 0.4,
            dashed: true,
        }),
        Style::Licences => single(Fill {
            color: None,
            outline: LICENCE_BOUNDARY,
            width: 0.6,
            dashed: true,
        }),
    }
}

/// The whole QML document of `layer`, columns named by `name`.
pub fn qml(layer: &Layer, name: impl Fn(&'static str) -> &'static str) -> String {
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n<qgis version=\"3.28.0\" styleCategories=\"Symbology\">\n{}</qgis>\n",
        renderer(layer, name)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::gis::layers::{ColType, Column};

    fn layer(style: Style) -> Layer {
        Layer {
            name: "pits",
            description: "",
            columns: vec![Column {
                name: "restored_ha",
                ty: ColType::Real,
            }],
            features: vec![],
            style,
        }
    }

    #[test]
    fn class_colours_and_escaped_expression() {
        let q = qml(
            &layer(Style::DominantClass),
            crate::report::gis::names::dbf_name,
        );
        assert!(q.contains("value=\"56,158,72,255\""), "{q}");
        assert!(q.contains("value=\"214,120,44,255\""), "{q}");
        assert!(
            q.contains("category symbol=\"3\" value=\"unobserved\""),
            "{q}"
        );
        // Shapefile names, and no raw quote or > inside the attribute.
        assert!(q.contains("&quot;unrestored&quot;"), "{q}");
        assert!(q.contains("&gt;="), "{q}");
        let expr = dominant_class_expression(|c| c);
        assert!(expr.contains("\"unrestored_ha\""), "{expr}");
        let opts = roxmltree::ParsingOptions {
            allow_dtd: true,
            ..roxmltree::ParsingOptions::default()
        };
        let doc = roxmltree::Document::parse_with_options(&q, opts).unwrap();
        assert_eq!(doc.root_element().tag_name().name(), "qgis");
    }

    #[test]
    fn licences_unfilled_dashed() {
        let q = qml(&layer(Style::Licences), |c| c);
        assert!(
            q.contains("name=\"style\" type=\"QString\" value=\"no\""),
            "{q}"
        );
        assert!(q.contains("value=\"24,44,140,255\""), "{q}");
        assert!(q.contains("<prop k=\"outline_style\" v=\"dash\"/>"), "{q}");
    }
}
