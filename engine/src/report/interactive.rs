//! The interactive map of `report.html`: pan, zoom, click a pit for its figures.
//!
//! Still one offline file: Leaflet 1.9.4 (BSD-2-Clause, vendored from npm in
//! `engine/assets/leaflet/`, see its README) is inlined with the data. The map is
//! drawn in the audit's own CRS (Leaflet's `CRS.Simple`, one unit = one metre,
//! coordinates shifted to the county map's south-west corner), so footprints sit
//! on the class raster exactly as the audit measured them; there is no base map
//! (that would need the network). A geographic CRS is drawn with longitudes
//! scaled by the cosine of the middle latitude.
//!
//! Layers: the county class map (an image overlay), pieces (outlined black when a
//! liable holder answers for them, red for historical legacy), licence boundaries
//! (dashed), orphan ranks, discovery candidates (outlines of the first
//! [`crate::results::TOP_CANDIDATES`]), and pit-id labels that appear
//! when zoomed in. Clicking a piece opens its pit's figures, formatted as the
//! report's tables format them; clicking a licence boundary its mine's figures.
//!
//! A county with more than [`MAX_VERTICES`] vertices gets no interactive map (a
//! note points to the GIS layers instead): the page must stay openable.

use super::error::ReportError;
use super::format::{esc, ha, pct};
use super::maps::{
    class_colour, metres_per_unit, LEGACY_OUTLINE, LICENCE_BOUNDARY, METRES_PER_DEGREE,
    RESPONSIBLE_OUTLINE,
};
use super::orphans::orphan_ranking;
use super::png::hex;
use crate::results::{AuditReport, ClassAreas, ClassMap, Responsibility};
use geo::MultiPolygon;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Leaflet's script, vendored (see `engine/assets/leaflet/README.md`).
const LEAFLET_JS: &str = include_str!("../../assets/leaflet/leaflet.js");
/// Leaflet's style sheet, vendored.
const LEAFLET_CSS: &str = include_str!("../../assets/leaflet/leaflet.css");

/// Beyond this many polygon vertices the page gets no interactive map.
pub const MAX_VERTICES: usize = 2_000_000;

/// Orphan ranks labelled on the map (as many as the report's orphan table lists).
const RANK_LABELS: usize = super::orphans::ORPHAN_ROWS;

/// The map's own style, beside Leaflet's.
const STYLE: &str = r#"
.imap{height:560px;border:1px solid var(--line);margin:8px 0;background:#f7f7f4}
.imap .leaflet-tooltip.rank{background:#fff;border:1px solid #d61818;color:#d61818;font-weight:700;padding:0 4px;box-shadow:none}
.imap .leaflet-tooltip.pitlabel{background:rgba(255,255,255,.8);border:0;box-shadow:none;padding:0 3px;font-size:11px}
.imap .leaflet-popup-content{font-size:13px;min-width:220px}
.imap .leaflet-popup-content table{font-size:13px;margin:4px 0}
.imap .leaflet-popup-content td{padding:1px 6px}
@media print{.imap,.imap-note{display:none}}
"#;

/// Map coordinates: metres from the county map's south-west corner.
struct Frame {
    x0: f64,
    y0: f64,
    /// Metres per CRS unit along x and y.
    kx: f64,
    ky: f64,
}

impl Frame {
    fn new(bbox: (f64, f64, f64, f64), geographic: bool) -> Frame {
        // Along x as the static maps' scale bar measures it; along y a degree of
        // latitude.
        let kx = metres_per_unit(geographic, bbox);
        let ky = if geographic { METRES_PER_DEGREE } else { 1.0 };
        Frame {
            x0: bbox.0,
            y0: bbox.1,
            kx,
            ky,
        }
    }

    /// (x, y) in map metres, to the centimetre.
    fn xy(&self, x: f64, y: f64) -> (f64, f64) {
        (
            round2((x - self.x0) * self.kx),
            round2((y - self.y0) * self.ky),
        )
    }

    /// Polygons → rings → flat `[x, y, x, y, …]` (Leaflet's `[lat, lng]` order is
    /// made in the page, which keeps the data half as long).
    fn rings(&self, mp: &MultiPolygon<f64>) -> Value {
        Value::Array(
            mp.0.iter()
                .map(|p| {
                    Value::Array(
                        std::iter::once(p.exterior())
                            .chain(p.interiors())
                            .map(|r| {
                                let mut flat = Vec::with_capacity(2 * r.0.len());
                                // The closing vertex repeats the first: Leaflet closes rings.
                                let n = r.0.len().saturating_sub(1).max(1).min(r.0.len());
                                for c in &r.0[..n] {
                                    let (x, y) = self.xy(c.x, c.y);
                                    flat.push(json!(x));
                                    flat.push(json!(y));
                                }
                                Value::Array(flat)
                            })
                            .collect(),
                    )
                })
                .collect(),
        )
    }
}

fn round2(v: f64) -> f64 {
    let r = (v * 100.0).round() / 100.0;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

fn vertices(mp: &MultiPolygon<f64>) -> usize {
    mp.0.iter()
        .map(|p| p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>())
        .sum()
}

/// A popup's rows: (label, value), values formatted as the report's tables.
fn area_rows(a: &ClassAreas) -> Vec<(String, String)> {
    vec![
        ("Total 合计".into(), format!("{} ha", ha(a.total_ha()))),
        (
            "Restored 已恢复".into(),
            format!("{} ha", ha(a.restored_ha)),
        ),
        (
            "Unrestored 未恢复".into(),
            format!("{} ha", ha(a.unrestored_ha)),
        ),
        ("Water 水体".into(), format!("{} ha", ha(a.water_ha))),
        (
            "Unobserved 未观测".into(),
            format!("{} ha", ha(a.unobserved_ha)),
        ),
        ("Restored share 恢复率".into(), pct(a.restored_pct())),
        ("Observed 已观测".into(), pct(a.observed_pct())),
    ]
}

/// The popup of a pit, as HTML (escaped here; the page inserts it as is).
fn popup(title: &str, sub: &str, rows: &[(String, String)]) -> String {
    let mut s = format!("<b>{}</b>", esc(title));
    if !sub.is_empty() {
        s.push_str(&format!("<br><span>{}</span>", esc(sub)));
    }
    s.push_str("<table>");
    for (k, v) in rows {
        s.push_str(&format!(
            "<tr><td>{}</td><td class=\"n\">{}</td></tr>",
            esc(k),
            esc(v)
        ));
    }
    s.push_str("</table>");
    s
}

/// A paletted PNG of the class map, transparent beyond the footprints.
fn classes_png(m: &ClassMap) -> Result<Vec<u8>, ReportError> {
    let mut palette = Vec::with_capacity(3 * 5);
    let mut trns = Vec::with_capacity(5);
    // Index = class value 0..=3; 4 = outside (transparent).
    for v in 0..4u8 {
        palette.extend_from_slice(&class_colour(v));
        trns.push(255);
    }
    palette.extend_from_slice(&[255, 255, 255]);
    trns.push(0);
    let index: Vec<u8> = m.cells.iter().map(|&v| v.min(4)).collect();
    let mut out = Vec::new();
    let png_err = |source: png::EncodingError| ReportError::Png {
        map: "interactive class map".into(),
        source,
    };
    {
        let mut enc = png::Encoder::new(&mut out, m.width as u32, m.height as u32);
        enc.set_color(png::ColorType::Indexed);
        enc.set_depth(png::BitDepth::Eight);
        enc.set_palette(palette);
        enc.set_trns(trns);
        let mut w = enc.write_header().map_err(png_err)?;
        w.write_image_data(&index).map_err(png_err)?;
    }
    Ok(out)
}

/// The page's data: every feature of the map, its popups and labels.
fn data(r: &AuditReport, geographic: bool) -> Result<Option<Value>, ReportError> {
    let m = &r.county_map;
    if m.width == 0 || m.height == 0 || m.cells.len() != m.width * m.height {
        return Ok(None);
    }
    let total_vertices: usize = r
        .piece_geometry
        .iter()
        .map(|g| vertices(&g.raster_crs))
        .sum::<usize>()
        + r.licence_geometry
            .iter()
            .map(|(_, g)| vertices(g))
            .sum::<usize>();
    if total_vertices > MAX_VERTICES {
        return Ok(None);
    }
    let f = Frame::new(m.bbox, geographic);
    let (w, h) = f.xy(m.bbox.2, m.bbox.3);

    // Pits: index by id, popups formatted once.
    let mut pit_index: HashMap<&str, usize> = HashMap::with_capacity(r.pits.len());
    let mut pits = Vec::with_capacity(r.pits.len());
    for (i, p) in r.pits.iter().enumerate() {
        pit_index.entry(p.pit_id.as_str()).or_insert(i);
        let sub: Vec<&str> = [p.kind.as_deref(), p.town.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect();
        let mut rows = area_rows(&p.areas);
        rows.push(("Responsibility 责任".into(), p.main_responsibility.clone()));
        pits.push(json!({
            "id": p.pit_id,
            "popup": popup(&format!("Pit 图斑 {}", p.pit_id), &sub.join(" · "), &rows),
        }));
    }

    let mut pieces = Vec::with_capacity(r.pieces.len());
    for (p, g) in r.pieces.iter().zip(&r.piece_geometry) {
        let (who, kind) = match &p.responsibility {
            Responsibility::Responsible { license_id, holder } => {
                (format!("{license_id} · {holder}"), "responsible")
            }
            Responsibility::Legacy => ("historical legacy 历史遗留".to_string(), "legacy"),
            Responsibility::Unattributed => ("unattributed 未归属".to_string(), "unattributed"),
        };
        pieces.push(json!({
            "pit": pit_index.get(p.pit_id.as_str()).copied(),
            "kind": kind,
            "piece": popup(
                &format!("This piece 本块: {who}"),
                "",
                &[
                    ("Restored 已恢复".into(), format!("{} ha", ha(p.areas.restored_ha))),
                    ("Unrestored 未恢复".into(), format!("{} ha", ha(p.areas.unrestored_ha))),
                ],
            ),
            "rings": f.rings(&g.raster_crs),
        }));
    }

    let mines: HashMap<&str, &crate::results::MineResult> =
        r.mines.iter().map(|m| (m.license_id.as_str(), m)).collect();
    let licences: Vec<Value> = r
        .licence_geometry
        .iter()
        .map(|(id, g)| {
            let popup_html = mines.get(id.as_str()).map(|m| {
                let mut rows = area_rows(&m.areas);
                rows.push(("Pits 图斑数".into(), m.pit_count.to_string()));
                rows.push(("Status 状态".into(), m.status.clone()));
                popup(
                    &format!("Licence 采矿权 {id}"),
                    m.holder.as_deref().unwrap_or(""),
                    &rows,
                )
            });
            json!({"id": id, "popup": popup_html, "rings": f.rings(g)})
        })
        .collect();

    let orphans: Vec<Value> = orphan_ranking(r)
        .iter()
        .take(RANK_LABELS)
        .map(|o| json!({"rank": o.rank, "piece": o.piece}))
        .collect();

    let mut candidates = Vec::new();
    if let Some(d) = &r.discovery {
        for c in &d.top {
            let (x, y) = f.xy(c.centroid.0, c.centroid.1);
            let mut rows = vec![
                ("Area 面积".to_string(), format!("{} ha", ha(c.area_ha))),
                (
                    "Outside licences 证外".to_string(),
                    format!("{} ha", ha(c.outside_licence_ha)),
                ),
            ];
            if let Some(n) = &c.nearest {
                rows.push((
                    "Nearest licence 最近采矿权".into(),
                    format!("{} ({} m)", n.licence_id, ha(n.distance_m)),
                ));
            }
            // The outline waits on disk (discovery spills it); read back for the map.
            let outline = d.found.outline(c).map_err(|e| ReportError::Io {
                path: d.found.outlines.dir().to_path_buf(),
                source: std::io::Error::other(e.to_string()),
            })?;
            candidates.push(json!({
                "x": x, "y": y,
                "rings": f.rings(&outline),
                "popup": popup(
                    &format!("Candidate 疑似图斑 {}", c.id),
                    c.label.name(),
                    &rows,
                ),
            }));
        }
    }

    let png = classes_png(m)?;
    Ok(Some(json!({
        "size": [w, h],
        "classes": format!("data:image/png;base64,{}", super::base64::encode(&png)),
        "colours": {
            "responsible": hex(RESPONSIBLE_OUTLINE),
            "legacy": hex(LEGACY_OUTLINE),
            "unattributed": hex(RESPONSIBLE_OUTLINE),
            "licence": hex(LICENCE_BOUNDARY),
        },
        "pits": pits,
        "pieces": pieces,
        "licences": licences,
        "orphans": orphans,
        "candidates": candidates,
    })))
}

/// The page's script: builds the map from the data block.
const SCRIPT: &str = r#"
(function(){
var el=document.getElementById('reclaim-map');
if(!el||!window.L)return;
var d=JSON.parse(document.getElementById('reclaim-map-data').textContent);
function ll(flat){var a=[];for(var i=0;i<flat.length;i+=2)a.push([flat[i+1],flat[i]]);return a;}
function poly(rings){return rings.map(function(p){return p.map(ll);});}
var W=d.size[0],H=d.size[1],b=[[0,0],[H,W]];
var map=L.map(el,{crs:L.CRS.Simple,minZoom:-20,maxZoom:8,zoomSnap:0.25,attributionControl:true});
map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a> (BSD-2-Clause)');
var classes=L.imageOverlay(d.classes,b,{className:'classes'}).addTo(map);
var pieces=L.featureGroup(),labels=L.layerGroup(),lic=L.featureGroup(),ranks=L.layerGroup(),cands=L.featureGroup();
var pitLayers={};
d.pieces.forEach(function(p,i){
  var pit=p.pit==null?null:d.pits[p.pit];
  var layer=L.polygon(poly(p.rings),{color:d.colours[p.kind],weight:p.kind==='legacy'?2:1.2,fillOpacity:0.06});
  layer.bindPopup((pit?pit.popup:'')+'<hr>'+p.piece,{maxWidth:360});
  layer.feature={pit:pit?pit.id:null,piece:i};
  layer.addTo(pieces);
  if(pit){(pitLayers[pit.id]=pitLayers[pit.id]||[]).push(layer);}
});
Object.keys(pitLayers).forEach(function(id){
  var g=L.featureGroup(pitLayers[id]);
  L.marker(g.getBounds().getCenter(),{opacity:0,interactive:false,keyboard:false,icon:L.divIcon({className:'',iconSize:[0,0]})})
   .bindTooltip(id,{permanent:true,direction:'center',className:'pitlabel'}).addTo(labels);
});
d.licences.forEach(function(l){
  var layer=L.polygon(poly(l.rings),{color:d.colours.licence,weight:2,dashArray:'6 4',fill:false});
  if(l.popup)layer.bindPopup(l.popup,{maxWidth:360});
  layer.bindTooltip('Licence '+l.id,{sticky:true});
  layer.addTo(lic);
});
d.orphans.forEach(function(o){
  var layer=pieces.getLayers()[o.piece];
  if(!layer)return;
  L.marker(layer.getBounds().getCenter(),{opacity:0,interactive:false,keyboard:false,icon:L.divIcon({className:'',iconSize:[0,0]})})
   .bindTooltip('#'+o.rank,{permanent:true,direction:'top',className:'rank'}).addTo(ranks);
});
d.candidates.forEach(function(c){
  L.polygon(poly(c.rings),{color:'#7a1fa2',weight:2,fillOpacity:0.25}).bindPopup(c.popup,{maxWidth:360}).addTo(cands);
});
pieces.addTo(map);lic.addTo(map);ranks.addTo(map);cands.addTo(map);
var overlays={'Land classes 地类':classes,'Pieces 图斑':pieces,'Pit ids 图斑编号':labels,'Licences 采矿权':lic,'Orphan ranks 无主排序':ranks};
if(d.candidates.length)overlays['Candidates 疑似图斑']=cands;
L.control.layers(null,overlays,{collapsed:false}).addTo(map);
L.control.scale({imperial:false}).addTo(map);
var all=L.latLngBounds(b);if(d.candidates.length)all.extend(cands.getBounds());
map.fitBounds(all);
var labelZoom=map.getZoom()+2;
function showLabels(){if(map.getZoom()>=labelZoom){if(!map.hasLayer(labels))labels.addTo(map);}else if(map.hasLayer(labels)){map.removeLayer(labels);}}
map.on('zoomend',showLabels);
window.reclaimMap={map:map,pieces:pieces,pitLayers:pitLayers};
})();
"#;

/// The section: a heading, the map, its note; or a note saying why there is none.
///
/// # Errors
/// [`ReportError::Png`] if the class image fails to encode.
pub fn section(r: &AuditReport, geographic: bool, out: &mut String) -> Result<(), ReportError> {
    out.push_str("<h2>Interactive map <span class=\"zh\">交互地图</span></h2>\n");
    let Some(data) = data(r, geographic)? else {
        out.push_str("<p class=\"note imap-note\">No interactive map: no footprint cells, or more than 2 million vertices (open the audit's layers in QGIS instead).</p>\n");
        return Ok(());
    };
    // `</` never appears inside the script element: JSON allows `\/`.
    let json = data.to_string().replace("</", "<\\/");
    out.push_str(&format!("<style>{LEAFLET_CSS}{STYLE}</style>\n"));
    out.push_str("<div id=\"reclaim-map\" class=\"imap\" role=\"application\" aria-label=\"Interactive map of the footprints\"></div>\n");
    out.push_str("<p class=\"note imap-note\">Drag to pan, scroll to zoom, click a pit for its figures or a dashed licence boundary for its mine. Pit ids appear when zoomed in. Drawn in the audit's CRS, no base map (the page works offline); the printed report keeps the static maps.</p>\n");
    out.push_str(&format!(
        "<script type=\"application/json\" id=\"reclaim-map-data\">{json}</script>\n"
    ));
    out.push_str("<script>/* Leaflet 1.9.4, https://leafletjs.com — (c) 2010-2023 Vladimir Agafonkin, (c) 2010-2011 CloudMade; BSD 2-Clause License */\n");
    out.push_str(LEAFLET_JS);
    out.push_str("\n</script>\n<script>");
    out.push_str(SCRIPT);
    out.push_str("</script>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, MultiPolygon};

    #[test]
    fn vendored_leaflet_is_whole_and_cannot_close_the_script() {
        assert!(LEAFLET_JS.starts_with("/* @preserve"));
        assert!(LEAFLET_JS.contains("t.version=\"1.9.4\""));
        assert!(!LEAFLET_JS.contains("</script"));
        assert!(!LEAFLET_JS.contains("sourceMappingURL"));
        assert!(LEAFLET_CSS.contains(".leaflet-container"));
    }

    #[test]
    fn rings_are_shifted_rounded_and_open() {
        let f = Frame::new((1000.0, 2000.0, 1100.0, 2100.0), false);
        let mp = MultiPolygon(vec![polygon![
            (x: 1000.0, y: 2000.0),
            (x: 1010.004, y: 2000.0),
            (x: 1010.0, y: 2020.0),
            (x: 1000.0, y: 2000.0),
        ]]);
        let v = f.rings(&mp);
        assert_eq!(v, json!([[[0.0, 0.0, 10.0, 0.0, 10.0, 20.0]]]));
    }

    #[test]
    fn geographic_frames_scale_longitude_by_the_cosine() {
        // Middle latitude 60°: a degree of longitude is half a degree of latitude.
        let f = Frame::new((125.0, 59.5, 126.0, 60.5), true);
        let (x, y) = f.xy(126.0, 60.5);
        assert!((x - METRES_PER_DEGREE * 0.5).abs() < 1.0, "{x}");
        assert!((y - METRES_PER_DEGREE).abs() < 0.01, "{y}");
    }

    #[test]
    fn popups_escape_their_text() {
        let s = popup("Pit <x>", "a&b", &[("k".into(), "\"v\"".into())]);
        assert!(s.contains("Pit &lt;x&gt;"));
        assert!(s.contains("a&amp;b"));
        assert!(s.contains("&quot;v&quot;"));
    }

    #[test]
    fn the_class_image_is_transparent_beyond_the_footprints() {
        let m = ClassMap {
            width: 2,
            height: 1,
            bbox: (0.0, 0.0, 2.0, 1.0),
            cells: vec![0, ClassMap::OUTSIDE],
        };
        let png = classes_png(&m).unwrap();
        let dec = png::Decoder::new(std::io::Cursor::new(png));
        let mut r = dec.read_info().unwrap();
        let info = r.info();
        assert_eq!(info.trns.as_deref(), Some(&[255u8, 255, 255, 255, 0][..]));
        let mut buf = vec![0; r.output_buffer_size().unwrap()];
        r.next_frame(&mut buf).unwrap();
        assert_eq!(&buf[..2], &[0, 4]);
    }
}
