//! The discovery folder: `candidates.geojson` (lon/lat), `candidates_projected.geojson`
//! (the raster's CRS, exact), `candidates.csv`, `summary.json` and `report.html`,
//! written into a temporary sibling and swapped into place (nothing partial).

use super::error::DiscoverError;
pub use super::files::{
    is_discovery_folder, CSV, CSV_HEADER, FORMAT, GEOJSON, GEOJSON_PROJECTED, HTML, SUMMARY,
};
use super::model::{Candidate, Discovery, Label};
use crate::csv::{num, push_record};
use crate::error::Error;
use crate::folders::check_out;
use crate::output::{swap_folder, temp_sibling, OutputKind};
use crate::report::format::esc;
use geo::MultiPolygon;
use serde_json::{json, Value};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `d` into `out` atomically, after checking `out` against `inputs`
/// (and the inputs `d` records).
///
/// # Errors
/// The `--out` guard's errors; [`Error::Output`] naming the file not written.
pub fn write(d: &Discovery, out: &Path, inputs: &[(String, PathBuf)]) -> Result<(), DiscoverError> {
    write_with(d, out, inputs, false)
}

/// [`write`], with `excel`: `candidates.csv` starts with a UTF-8 byte-order mark
/// (for Excel and WPS).
///
/// # Errors
/// As [`write`].
pub fn write_with(
    d: &Discovery,
    out: &Path,
    inputs: &[(String, PathBuf)],
    excel: bool,
) -> Result<(), DiscoverError> {
    let mut all: Vec<(String, PathBuf)> = inputs.to_vec();
    all.extend(d.inputs.iter().map(|i| (i.role.clone(), i.path.clone())));
    check_out(out, OutputKind::DiscoveryFolder, &all)?;
    let io = |path: &Path, source| {
        DiscoverError::from(Error::Output {
            path: path.to_path_buf(),
            source,
        })
    };
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| io(&parent, e))?;
    let tmp = temp_sibling(out);
    let _ = std::fs::remove_dir_all(&tmp);
    std::fs::create_dir(&tmp).map_err(|e| io(&tmp, e))?;
    let files: Result<(), DiscoverError> = (|| {
        write_candidate_files(d, &tmp)?;
        crate::output::write_atomic(&tmp.join(SUMMARY), summary_json(d).as_bytes())?;
        crate::output::write_atomic(&tmp.join(HTML), report_html(d)?.as_bytes())?;
        if excel {
            crate::output::add_csv_bom(&tmp)?;
        }
        Ok(())
    })();
    if let Err(e) = files.and_then(|_| swap_folder(&tmp, out).map_err(DiscoverError::from)) {
        let _ = std::fs::remove_dir_all(&tmp);
        return Err(e);
    }
    Ok(())
}

/// Streams `candidates.geojson`, `candidates_projected.geojson` and
/// `candidates.csv` into the existing (temporary) folder `dir`, reading each
/// outline back from the spill file as it is written.
///
/// # Errors
/// [`Error::Output`] naming the file not written.
pub fn write_candidate_files(d: &Discovery, dir: &Path) -> Result<(), DiscoverError> {
    let stream =
        |name: &str, f: &dyn Fn(&mut std::io::BufWriter<std::fs::File>) -> std::io::Result<()>| {
            let path = dir.join(name);
            (|| {
                let mut w =
                    std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&path)?);
                f(&mut w)?;
                w.into_inner().map_err(|e| e.into_error())?.sync_all()
            })()
            .map_err(|source| {
                DiscoverError::from(Error::Output {
                    path: path.clone(),
                    source,
                })
            })
        };
    stream(GEOJSON, &|w| geojson_lonlat(d, w))?;
    stream(GEOJSON_PROJECTED, &|w| geojson_projected(d, w))?;
    stream(CSV, &|w| csv(d, w))
}

/// The properties of a candidate, in column order.
fn properties(c: &Candidate) -> Vec<(&'static str, Value)> {
    let n = c.nearest.as_ref();
    vec![
        ("id", json!(c.id)),
        ("rank", json!(c.rank)),
        ("label", json!(c.label.name())),
        ("change", json!(c.change.map(|x| x.name()))),
        ("area_ha", json!(c.area_ha)),
        ("cells", json!(c.cells)),
        ("ha_inside_licence", json!(c.inside_licence_ha)),
        ("ha_outside_licence", json!(c.outside_licence_ha)),
        ("licence_ids", json!(c.licence_ids.join(";"))),
        ("nearest_licence_id", json!(n.map(|n| &n.licence_id))),
        ("nearest_licence_status", json!(n.map(|n| &n.status))),
        ("nearest_licence_distance_m", json!(n.map(|n| n.distance_m))),
        ("centroid_lon", json!(c.centroid_lonlat.0)),
        ("centroid_lat", json!(c.centroid_lonlat.1)),
        ("holes", json!(c.holes)),
        ("compactness", json!(c.compactness)),
        ("bare_before_ha", json!(c.bare_before_ha)),
    ]
}

fn object(fields: &[(&str, Value)]) -> String {
    let mut s = String::from("{");
    for (i, (k, v)) in fields.iter().enumerate() {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&Value::from(*k).to_string());
        s.push(':');
        s.push_str(&v.to_string());
    }
    s.push('}');
    s
}

fn collection(
    d: &Discovery,
    crs_member: Option<String>,
    geometry: impl Fn(&Candidate) -> std::io::Result<String>,
    w: &mut impl Write,
) -> std::io::Result<()> {
    w.write_all(b"{\"type\":\"FeatureCollection\",")?;
    if let Some(c) = crs_member {
        w.write_all(c.as_bytes())?;
        w.write_all(b",")?;
    }
    w.write_all(b"\"features\":[\n")?;
    for (i, c) in d.candidates.iter().enumerate() {
        let c = &c?;
        w.write_all(b"{\"type\":\"Feature\",\"properties\":")?;
        w.write_all(object(&properties(c)).as_bytes())?;
        w.write_all(b",\"geometry\":")?;
        w.write_all(geometry(c)?.as_bytes())?;
        w.write_all(if i + 1 < d.candidates.len() {
            b"},\n"
        } else {
            b"}\n"
        })?;
    }
    w.write_all(b"]}\n")
}

/// `candidates.geojson`: RFC 7946, lon/lat to 1e-7°, exteriors counter-clockwise.
pub fn geojson_lonlat(d: &Discovery, w: &mut impl Write) -> std::io::Result<()> {
    collection(
        d,
        None,
        |c| {
            let g = d.outlines.read_io(c.outline)?;
            Ok(match d.to_lonlat.transform_multipolygon(&g) {
                Ok(g) => crate::report::orphans::multipolygon_json(&g),
                // Checked when the candidates were made.
                Err(_) => "null".to_string(),
            })
        },
        w,
    )
}

/// `candidates_projected.geojson`: the outlines exactly (every corner a cell
/// corner, full precision) in the raster's CRS, named by a `crs` member
/// (GeoJSON 2008, read by GDAL and QGIS).
pub fn geojson_projected(d: &Discovery, w: &mut impl Write) -> std::io::Result<()> {
    let crs = match d.epsg {
        Some(code) => {
            json!({"type": "name", "properties": {"name": format!("urn:ogc:def:crs:EPSG::{code}")}})
        }
        None => json!({"type": "name", "properties": {"name": d.crs}}),
    };
    collection(
        d,
        Some(format!("\"crs\":{crs}")),
        |c| Ok(exact_json(&d.outlines.read_io(c.outline)?)),
        w,
    )
}

/// A multipolygon as GeoJSON at full precision, rings as they are (the tracer
/// winds exteriors counter-clockwise and holes clockwise).
fn exact_json(mp: &MultiPolygon<f64>) -> String {
    let polys: Vec<Value> = mp
        .iter()
        .map(|p| {
            Value::Array(
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|r| Value::Array(r.0.iter().map(|c| json!([c.x, c.y])).collect()))
                    .collect(),
            )
        })
        .collect();
    format!(
        "{{\"type\":\"MultiPolygon\",\"coordinates\":{}}}",
        Value::Array(polys)
    )
}

/// `candidates.csv`: one row per candidate, largest first.
pub fn csv(d: &Discovery, w: &mut impl Write) -> std::io::Result<()> {
    let mut out = String::new();
    push_record(&mut out, &CSV_HEADER);
    for c in d.candidates.iter() {
        let c = &c?;
        let n = c.nearest.as_ref();
        push_record(
            &mut out,
            &[
                c.rank.to_string(),
                c.id.clone(),
                c.label.name().to_string(),
                c.change.map(|x| x.name().to_string()).unwrap_or_default(),
                num(c.area_ha),
                c.cells.to_string(),
                num(c.inside_licence_ha),
                num(c.outside_licence_ha),
                c.licence_ids.join(";"),
                n.map(|n| n.licence_id.clone()).unwrap_or_default(),
                n.map(|n| n.status.clone()).unwrap_or_default(),
                n.map(|n| num(n.distance_m)).unwrap_or_default(),
                num(c.centroid.0),
                num(c.centroid.1),
                format!("{:.7}", c.centroid_lonlat.0),
                format!("{:.7}", c.centroid_lonlat.1),
                c.holes.to_string(),
                format!("{:.4}", c.compactness),
                c.bare_before_ha.map(num).unwrap_or_default(),
            ],
        );
        w.write_all(out.as_bytes())?;
        out.clear();
    }
    w.write_all(out.as_bytes())
}

/// Count and hectares of the candidates with `label`.
fn by_label(d: &Discovery, label: Label) -> (usize, f64) {
    d.candidates
        .ranked()
        .iter()
        .filter(|c| c.label == label)
        .fold((0, 0.0), |(n, a), c| (n + 1, a + c.area_ha))
}

/// `summary.json`: settings, the accounting of every hectare scanned, counts by
/// label, warnings and provenance.
pub fn summary_json(d: &Discovery) -> String {
    let a = &d.accounting;
    let labels: serde_json::Map<String, Value> = [
        Label::WithinLicence,
        Label::BeyondLicence,
        Label::Unlicensed,
    ]
    .into_iter()
    .map(|l| {
        let (n, ha) = by_label(d, l);
        (l.name().to_string(), json!({"count": n, "area_ha": ha}))
    })
    .collect();
    let beyond_outside: f64 = d
        .candidates
        .ranked()
        .iter()
        .filter(|c| c.label == Label::BeyondLicence)
        .map(|c| c.outside_licence_ha)
        .sum();
    let ranked = d.candidates.ranked();
    let change = ranked.iter().any(|c| c.change.is_some()).then(|| {
        let count = |k: super::model::Change| ranked.iter().filter(|c| c.change == Some(k)).count();
        json!({"new": count(super::model::Change::New), "persistent": count(super::model::Change::Persistent)})
    });
    let v = json!({
        "format": FORMAT,
        "reclaim_version": env!("CARGO_PKG_VERSION"),
        "audit_date": d.audit_date,
        "crs": d.crs,
        "cell_size": [d.cell_size.0, d.cell_size.1],
        "settings": d.settings,
        "candidates": {"count": a.candidates.0, "area_ha": a.candidates.1, "by_label": labels,
                        "beyond_licence_outside_ha": beyond_outside, "change": change},
        "land_scanned": {
            "scanned_ha": a.scanned_ha,
            "restored_ha": a.restored_ha,
            "water_ha": a.water_ha,
            "unobserved_ha": a.unobserved_ha,
            "bare_ha": a.bare_ha,
        },
        "bare_land_not_reported": {
            "in_footprints_ha": a.bare_in_footprints_ha,
            "excluded_class_ha": a.excluded_class_ha,
            "excluded_layers": a.excluded_layers_ha.iter().map(|(p, ha)| json!({"path": p, "ha": ha})).collect::<Vec<_>>(),
            "below_min_area": {"count": a.below_min_area.0, "ha": a.below_min_area.1},
            "below_min_compactness": {"count": a.below_min_compactness.0, "ha": a.below_min_compactness.1},
        },
        "licences_given": d.with_licences,
        "warnings": d.warnings.iter().map(|w| json!({"kind": w.code(), "message": w.to_string()})).collect::<Vec<_>>(),
        "provenance": {"inputs": d.inputs, "config_toml": d.config_toml},
    });
    let mut s = serde_json::to_string_pretty(&v).unwrap_or_default();
    s.push('\n');
    s
}

/// `report.html`: one self-contained page — the accounting, a map, the table.
pub fn report_html(d: &Discovery) -> Result<String, DiscoverError> {
    let a = &d.accounting;
    let mut h = String::from("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>reclaim discover</title><style>body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#eee}td:nth-child(2),td:nth-child(3){text-align:left}.warn{background:#fff3cd;padding:.5em 1em}</style></head><body>\n");
    h += &format!(
        "<h1>Bare land outside the mapped footprints</h1>\n<p>{} · CRS {} · cells {} × {} · minimum {} ha · {}-connected</p>\n",
        esc(&d.audit_date),
        esc(&d.crs),
        d.cell_size.0,
        d.cell_size.1,
        d.settings.min_area_ha,
        d.settings.connectivity
    );
    if !d.warnings.is_empty() {
        h += "<div class=\"warn\"><b>Warnings</b><ul>";
        for w in &d.warnings {
            h += &format!("<li>{}</li>", esc(&w.to_string()));
        }
        h += "</ul></div>\n";
    }
    h += "<h2>Every hectare scanned</h2><table><tr><th>land</th><th>ha</th></tr>";
    let mut row = |k: &str, v: f64| {
        h += &format!("<tr><td style=\"text-align:left\">{k}</td><td>{v:.4}</td></tr>")
    };
    row("scanned", a.scanned_ha);
    row("restored (vegetated)", a.restored_ha);
    row("water", a.water_ha);
    row("unobserved", a.unobserved_ha);
    row("bare", a.bare_ha);
    row("… inside mapped footprints", a.bare_in_footprints_ha);
    row("… excluded class", a.excluded_class_ha);
    for (p, ha) in &a.excluded_layers_ha {
        row(&format!("… inside {}", esc(p)), *ha);
    }
    row(
        &format!(
            "… {} below {} ha",
            crate::report::format::plural(a.below_min_area.0, "patch", "patches"),
            d.settings.min_area_ha
        ),
        a.below_min_area.1,
    );
    row(
        &format!(
            "… {} below compactness {}",
            crate::report::format::plural(a.below_min_compactness.0, "patch", "patches"),
            d.settings.min_compactness
        ),
        a.below_min_compactness.1,
    );
    row(
        &format!(
            "… {}",
            crate::report::format::plural(a.candidates.0, "candidate", "candidates")
        ),
        a.candidates.1,
    );
    h += "</table>\n";
    // The map: classes of the scanned land, candidates outlined (red: outside
    // the licences, wholly or partly), liable licences dashed.
    // Outlines come back from the spill file one at a time, in rank order.
    let failed: std::cell::RefCell<Option<DiscoverError>> = std::cell::RefCell::new(None);
    let outlines = |legacy: bool, draw: &mut dyn FnMut(&MultiPolygon<f64>)| {
        for c in d
            .candidates
            .ranked()
            .iter()
            .filter(|c| (c.label != Label::WithinLicence) == legacy)
        {
            match d.outlines.read(c.outline) {
                Ok(g) => draw(&g),
                Err(e) => {
                    failed.borrow_mut().get_or_insert(e);
                    return;
                }
            }
        }
    };
    let boundary = (!d.licences.0.is_empty()).then_some(&d.licences);
    let geographic = d.geographic;
    let map = crate::report::maps::render_map_streamed(
        "discover", &d.map, &outlines, boundary, 600, geographic,
    )
    .map_err(|e| DiscoverError::from(crate::audit::AuditError::from(e)))?;
    if let Some(e) = failed.into_inner() {
        return Err(e);
    }
    if let Some(m) = map {
        h += &format!(
            "<h2>Map</h2><p>Green restored, brown bare, blue water, grey unobserved; candidates outlined (red: outside the liable licences, wholly or partly); liable licences dashed.{}</p><img alt=\"map\" width=\"{}\" height=\"{}\" src=\"data:image/png;base64,{}\">\n",
            m.scale_label.map(|s| format!(" Scale bar {s}.")).unwrap_or_default(),
            m.width,
            m.height,
            crate::report::base64::encode(&m.png)
        );
    }
    h += "<h2>Candidates</h2><table><tr><th>rank</th><th>id</th><th>label</th><th>area ha</th><th>outside licence ha</th><th>nearest licence</th><th>distance m</th><th>change</th><th>lon</th><th>lat</th></tr>\n";
    const MAX_ROWS: usize = 1000;
    for i in 0..d.candidates.len().min(MAX_ROWS) {
        let c = &d.candidates.get(i)?;
        let n = c.nearest.as_ref();
        h += &format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{:.4}</td><td>{:.4}</td><td>{}</td><td>{}</td><td>{}</td><td>{:.6}</td><td>{:.6}</td></tr>\n",
            c.rank,
            esc(&c.id),
            c.label.name(),
            c.area_ha,
            c.outside_licence_ha,
            esc(&n.map(|n| n.licence_id.clone()).unwrap_or_default()),
            n.map(|n| format!("{:.1}", n.distance_m)).unwrap_or_default(),
            c.change.map(|x| x.name()).unwrap_or(""),
            c.centroid_lonlat.0,
            c.centroid_lonlat.1
        );
    }
    h += "</table>\n";
    if d.candidates.len() > MAX_ROWS {
        h += &format!(
            "<p>… and {} more in candidates.csv.</p>\n",
            d.candidates.len() - MAX_ROWS
        );
    }
    h += "<p>Method and fields: docs/discover.md of reclaim.</p></body></html>\n";
    Ok(h)
}
