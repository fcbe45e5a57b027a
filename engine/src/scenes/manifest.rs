//! Scene manifests: a CSV or TOML list of scenes → [`Scene`]s of kind `Manifest`.
//!
//! CSV: a header `id,date,red,nir[,mask,…]`, one scene per line. TOML: `[[scene]]`
//! tables with the same keys. Required: `id`, `date` (`YYYY-MM-DD`), `red`, `nir`
//! (paths, relative to the manifest's folder). Optional: `mask`, `red_band`,
//! `nir_band`, `mask_band` (from 1; default 1), `mask_preset` (`scl`,
//! `qa_pixel`), `mask_values`, `mask_bits` (lists: `3;8;9` or `3 8 9` in CSV,
//! arrays in TOML), `mask_factor` (band cells per mask cell; default 1), `scale`
//! (default 1), `offset` (default 0), `nodata`, `tile`. Unknown columns or keys
//! are errors, with the closest known name.

use super::error::{read_metadata, SceneError};
use super::scene::{BandRef, Date, MaskRef, Scene, SceneKind};
use crate::suggest::did_you_mean;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// Every column (CSV) or key (TOML) a manifest may hold.
pub const KEYS: [&str; 16] = [
    "id",
    "date",
    "red",
    "nir",
    "mask",
    "red_band",
    "nir_band",
    "mask_band",
    "mask_preset",
    "mask_values",
    "mask_bits",
    "mask_factor",
    "scale",
    "offset",
    "nodata",
    "tile",
];

/// [`KEYS`], as an error lists them.
const KNOWN: &str = "id, date, red, nir, mask, red_band, nir_band, mask_band, mask_preset, mask_values, mask_bits, mask_factor, scale, offset, nodata, tile";

/// The columns or keys every scene needs.
pub const REQUIRED: [&str; 4] = ["id", "date", "red", "nir"];

/// Mask presets a manifest may name (as `classify::Mask` knows them).
const PRESETS: [&str; 3] = ["scl", "qa_pixel", "landsat_qa_pixel"];

/// A manifest cell or TOML value.
#[derive(Debug, Clone)]
enum Value {
    Text(String),
    Number(f64),
    List(Vec<f64>),
}

impl Value {
    fn describe(&self) -> String {
        match self {
            Value::Text(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            Value::List(l) => format!("{l:?}"),
        }
    }
}

/// One scene's fields, with where it is in the manifest.
struct Row {
    place: String,
    fields: BTreeMap<String, Value>,
}

/// Reads a manifest (`.csv` or `.toml`, by extension; `.toml` also when the
/// text holds `[[scene]]`).
pub fn read_manifest(path: &Path) -> Result<Vec<Scene>, SceneError> {
    let text = read_metadata(path)?;
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    let rows = if ext == "toml" {
        toml_rows(path, &text)?
    } else {
        csv_rows(path, &text)?
    };
    let base = path.parent().unwrap_or(Path::new("."));
    let mut scenes: Vec<Scene> = Vec::with_capacity(rows.len());
    let mut places: Vec<&str> = Vec::with_capacity(rows.len());
    for row in &rows {
        let scene = scene_of(path, base, row)?;
        if let Some(i) = scenes.iter().position(|s| s.id == scene.id) {
            return Err(SceneError::Manifest {
                path: path.to_path_buf(),
                place: row.place.clone(),
                problem: format!("id {:?} is already used ({})", scene.id, places[i]),
                fix: "give each scene its own id".into(),
            });
        }
        scenes.push(scene);
        places.push(&row.place);
    }
    if scenes.is_empty() {
        return Err(SceneError::Manifest {
            path: path.to_path_buf(),
            place: "whole file".into(),
            problem: "lists no scene".into(),
            fix: if ext == "toml" {
                "add [[scene]] tables with id, date, red and nir".into()
            } else {
                "add one line per scene below the header id,date,red,nir".into()
            },
        });
    }
    Ok(scenes)
}

fn unknown(path: &Path, place: &str, name: &str) -> SceneError {
    SceneError::UnknownKey {
        path: path.to_path_buf(),
        place: place.into(),
        name: name.into(),
        suggestion: did_you_mean(name, KEYS),
        known: KNOWN,
    }
}

/// Splits CSV text into records (RFC 4180: quoted fields may hold commas,
/// doubled quotes and line breaks). Returns (line number, fields) per record.
fn csv_records(path: &Path, text: &str) -> Result<Vec<(usize, Vec<String>)>, SceneError> {
    let mut records = Vec::new();
    let mut fields: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut in_quotes = false;
    let mut line = 1usize;
    let mut start_line = 1usize;
    let mut chars = text.chars().peekable();
    let mut any = false;
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => in_quotes = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field.trim().is_empty() && !quoted => {
                field.clear();
                in_quotes = true;
                quoted = true;
                any = true;
            }
            ',' => {
                fields.push(std::mem::take(&mut field));
                quoted = false;
                any = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if any || !field.trim().is_empty() {
                    fields.push(std::mem::take(&mut field));
                    records.push((start_line, std::mem::take(&mut fields)));
                }
                field.clear();
                quoted = false;
                any = false;
                line += 1;
                start_line = line;
            }
            _ => {
                if quoted && !c.is_whitespace() {
                    return Err(SceneError::Manifest {
                        path: path.to_path_buf(),
                        place: format!("line {line}"),
                        problem: format!("text {c:?} after a closing quote"),
                        fix: "write a quote inside a quoted field as \"\"".into(),
                    });
                }
                if !quoted {
                    field.push(c);
                }
                any = true;
            }
        }
    }
    if in_quotes {
        return Err(SceneError::Manifest {
            path: path.to_path_buf(),
            place: format!("line {start_line}"),
            problem: "a quoted field is never closed".into(),
            fix: "add the closing \"".into(),
        });
    }
    if any || !field.trim().is_empty() {
        fields.push(field);
        records.push((start_line, fields));
    }
    Ok(records)
}

fn csv_rows(path: &Path, text: &str) -> Result<Vec<Row>, SceneError> {
    let records = csv_records(path, text)?;
    let mut it = records
        .into_iter()
        .filter(|(_, f)| !f.first().is_some_and(|c| c.trim_start().starts_with('#')));
    let Some((_, header)) = it.next() else {
        return Err(SceneError::Manifest {
            path: path.to_path_buf(),
            place: "line 1".into(),
            problem: "the file is empty".into(),
            fix: "start with the header id,date,red,nir (then mask, scale, offset, … as needed)"
                .into(),
        });
    };
    let header: Vec<String> = header
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    for (i, h) in header.iter().enumerate() {
        if !KEYS.contains(&h.as_str()) {
            return Err(unknown(path, "header", h));
        }
        if header[..i].contains(h) {
            return Err(SceneError::Manifest {
                path: path.to_path_buf(),
                place: "header".into(),
                problem: format!("column {h:?} appears twice"),
                fix: "keep one".into(),
            });
        }
    }
    for r in REQUIRED {
        if !header.iter().any(|h| h == r) {
            return Err(SceneError::Manifest {
                path: path.to_path_buf(),
                place: "header".into(),
                problem: format!("no column {r:?}"),
                fix: "the header needs id,date,red,nir (then mask, scale, offset, … as needed)"
                    .into(),
            });
        }
    }
    let mut rows = Vec::new();
    for (line, cells) in it {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() != header.len() {
            return Err(SceneError::Manifest {
                path: path.to_path_buf(),
                place: format!("line {line}"),
                problem: format!(
                    "{} field(s) where the header has {}",
                    cells.len(),
                    header.len()
                ),
                fix: "give every line one field per header column (empty for none); quote a field that holds a comma".into(),
            });
        }
        let fields = header
            .iter()
            .zip(cells)
            .filter(|(_, c)| !c.trim().is_empty())
            .map(|(h, c)| (h.clone(), Value::Text(c.trim().to_string())))
            .collect();
        rows.push(Row {
            place: format!("line {line}"),
            fields,
        });
    }
    Ok(rows)
}

fn toml_rows(path: &Path, text: &str) -> Result<Vec<Row>, SceneError> {
    let table: toml::Table = text.parse().map_err(|e: toml::de::Error| SceneError::Manifest {
        path: path.to_path_buf(),
        place: e
            .span()
            .map(|s| {
                let before = text.get(..s.start).unwrap_or(text);
                format!("line {}", before.matches('\n').count() + 1)
            })
            .unwrap_or_else(|| "somewhere".into()),
        problem: format!("not valid TOML: {}", e.message()),
        fix: "write one [[scene]] table per scene, e.g. [[scene]] id = \"a\" date = \"2024-06-01\" red = \"a_red.tif\" nir = \"a_nir.tif\"".into(),
    })?;
    for key in table.keys() {
        if key != "scene" {
            return Err(SceneError::UnknownKey {
                path: path.to_path_buf(),
                place: "top level".into(),
                name: key.clone(),
                suggestion: did_you_mean(key, ["scene"]),
                known: "scene (as [[scene]] tables)",
            });
        }
    }
    let scenes = match table.get("scene") {
        None => return Ok(Vec::new()),
        Some(toml::Value::Array(a)) => a,
        Some(_) => {
            return Err(SceneError::Manifest {
                path: path.to_path_buf(),
                place: "scene".into(),
                problem: "is not a list of tables".into(),
                fix: "write each scene as a [[scene]] table (double brackets)".into(),
            })
        }
    };
    let mut rows = Vec::new();
    for (i, s) in scenes.iter().enumerate() {
        let place = format!("[[scene]] {}", i + 1);
        let toml::Value::Table(t) = s else {
            return Err(SceneError::Manifest {
                path: path.to_path_buf(),
                place,
                problem: "is not a table".into(),
                fix: "write each scene as a [[scene]] table (double brackets)".into(),
            });
        };
        let mut fields = BTreeMap::new();
        for (k, v) in t {
            if !KEYS.contains(&k.as_str()) {
                return Err(unknown(path, &place, k));
            }
            let value = match v {
                toml::Value::String(s) => Value::Text(s.trim().to_string()),
                toml::Value::Integer(n) => Value::Number(*n as f64),
                toml::Value::Float(f) => Value::Number(*f),
                toml::Value::Datetime(d) => Value::Text(d.to_string()),
                toml::Value::Array(a) => {
                    let mut l = Vec::with_capacity(a.len());
                    for x in a {
                        match x {
                            toml::Value::Integer(n) => l.push(*n as f64),
                            toml::Value::Float(f) => l.push(*f),
                            other => {
                                return Err(SceneError::Manifest {
                                    path: path.to_path_buf(),
                                    place,
                                    problem: format!("{k} holds {other}, not a number"),
                                    fix: format!("write {k} as a list of numbers, e.g. [3, 8, 9]"),
                                })
                            }
                        }
                    }
                    Value::List(l)
                }
                other => {
                    return Err(SceneError::Manifest {
                        path: path.to_path_buf(),
                        place,
                        problem: format!("{k} = {other} is not a text, number or list"),
                        fix: format!("write {k} as text or a number"),
                    })
                }
            };
            fields.insert(k.clone(), value);
        }
        rows.push(Row { place, fields });
    }
    Ok(rows)
}

fn scene_of(path: &Path, base: &Path, row: &Row) -> Result<Scene, SceneError> {
    let bad = |key: &str, v: &Value, problem: &str, fix: &str| SceneError::Manifest {
        path: path.to_path_buf(),
        place: row.place.clone(),
        problem: format!("{key} = {:?} {problem}", v.describe()),
        fix: fix.into(),
    };
    let text = |key: &str| -> Result<Option<String>, SceneError> {
        match row.fields.get(key) {
            None => Ok(None),
            Some(Value::Text(s)) if s.is_empty() => Ok(None),
            Some(Value::Text(s)) => Ok(Some(s.clone())),
            Some(v) => Err(bad(
                key,
                v,
                "is not text",
                &format!("write {key} in quotes"),
            )),
        }
    };
    let number = |key: &str| -> Result<Option<f64>, SceneError> {
        match row.fields.get(key) {
            None => Ok(None),
            Some(Value::Number(n)) => Ok(Some(*n)),
            Some(v @ Value::Text(s)) => s.parse::<f64>().map(Some).map_err(|_| {
                bad(
                    key,
                    v,
                    "is not a number",
                    &format!("write {key} as a number, e.g. 0.0001"),
                )
            }),
            Some(v) => Err(bad(
                key,
                v,
                "is a list",
                &format!("write {key} as one number"),
            )),
        }
    };
    let count = |key: &str, default: usize| -> Result<usize, SceneError> {
        match number(key)? {
            None => Ok(default),
            Some(n) if n >= 1.0 && n.fract() == 0.0 && n <= 65536.0 => Ok(n as usize),
            Some(n) => Err(bad(
                key,
                &Value::Number(n),
                "is not a whole number from 1",
                &format!("write {key} as 1, 2, …"),
            )),
        }
    };
    let list = |key: &str| -> Result<Option<Vec<f64>>, SceneError> {
        match row.fields.get(key) {
            None => Ok(None),
            Some(Value::List(l)) => Ok(Some(l.clone())),
            Some(Value::Number(n)) => Ok(Some(vec![*n])),
            Some(v @ Value::Text(s)) => s
                .split([';', ' ', ','])
                .filter(|p| !p.trim().is_empty())
                .map(|p| p.trim().parse::<f64>())
                .collect::<Result<Vec<_>, _>>()
                .map(Some)
                .map_err(|_| {
                    bad(
                        key,
                        v,
                        "is not a list of numbers",
                        &format!("separate {key} with ; or spaces, e.g. 3;8;9"),
                    )
                }),
        }
    };
    let required = |key: &str| -> Result<String, SceneError> {
        text(key)?.ok_or_else(|| SceneError::Manifest {
            path: path.to_path_buf(),
            place: row.place.clone(),
            problem: format!("no {key}"),
            fix: format!("every scene needs id, date, red and nir: fill in {key}"),
        })
    };
    let file = |key: &str, rel: &str| -> Result<PathBuf, SceneError> {
        let p = base.join(rel);
        if p.is_file() {
            Ok(p)
        } else {
            Err(SceneError::Manifest {
                path: path.to_path_buf(),
                place: row.place.clone(),
                problem: format!("{key} file {} does not exist", p.display()),
                fix:
                    "paths are relative to the manifest's folder: correct the path or add the file"
                        .into(),
            })
        }
    };

    let id = required("id")?;
    let date_text = required("date")?;
    let date = Date::parse(&date_text).ok_or_else(|| {
        bad(
            "date",
            &Value::Text(date_text.clone()),
            "is not a date",
            "write the acquisition date as YYYY-MM-DD",
        )
    })?;
    let red = file("red", &required("red")?)?;
    let nir = file("nir", &required("nir")?)?;
    let red_band = count("red_band", 1)?;
    let nir_band = count("nir_band", 1)?;

    let preset = text("mask_preset")?.map(|p| p.to_ascii_lowercase());
    if let Some(p) = &preset {
        if !PRESETS.contains(&p.as_str()) {
            let hint = did_you_mean(p, PRESETS)
                .map(|s| format!(" (did you mean {s:?}?)"))
                .unwrap_or_default();
            return Err(bad(
                "mask_preset",
                &Value::Text(p.clone()),
                &format!("is not a known preset{hint}"),
                "use scl (Sentinel-2 SCL) or qa_pixel (Landsat QA_PIXEL), or give mask_values",
            ));
        }
    }
    let values = list("mask_values")?;
    let bits = match list("mask_bits")? {
        None => None,
        Some(l) => {
            let mut out = Vec::with_capacity(l.len());
            for b in l {
                if !(0.0..=63.0).contains(&b) || b.fract() != 0.0 {
                    return Err(bad(
                        "mask_bits",
                        &Value::Number(b),
                        "is not a bit number",
                        "bits are numbered 0 (least significant) to 63",
                    ));
                }
                out.push(b as u32);
            }
            Some(out)
        }
    };
    let mask = match text("mask")? {
        None => {
            for k in [
                "mask_band",
                "mask_preset",
                "mask_values",
                "mask_bits",
                "mask_factor",
            ] {
                if row.fields.contains_key(k)
                    && !matches!(row.fields.get(k), Some(Value::Text(s)) if s.is_empty())
                {
                    return Err(SceneError::Manifest {
                        path: path.to_path_buf(),
                        place: row.place.clone(),
                        problem: format!("{k} is set but there is no mask"),
                        fix: "give the mask file in mask, or drop the mask settings".into(),
                    });
                }
            }
            None
        }
        Some(rel) => {
            if preset.is_none() && values.is_none() && bits.is_none() {
                return Err(SceneError::Manifest {
                    path: path.to_path_buf(),
                    place: row.place.clone(),
                    problem: "mask is set but none of mask_preset, mask_values or mask_bits says which cells it hides".into(),
                    fix: "add mask_preset (scl or qa_pixel) or mask_values".into(),
                });
            }
            Some(MaskRef {
                band: BandRef {
                    path: file("mask", &rel)?,
                    band: count("mask_band", 1)?,
                },
                preset,
                values,
                bits,
                factor: count("mask_factor", 1)?,
            })
        }
    };
    let scale = number("scale")?.unwrap_or(1.0);
    if !scale.is_finite() || scale == 0.0 {
        return Err(bad(
            "scale",
            &Value::Number(scale),
            "is not a usable scale",
            "reflectance = value × scale + offset: give a finite, non-zero scale (e.g. 0.0001)",
        ));
    }
    let offset = number("offset")?.unwrap_or(0.0);
    if !offset.is_finite() {
        return Err(bad(
            "offset",
            &Value::Number(offset),
            "is not finite",
            "give a finite offset (e.g. -0.1)",
        ));
    }
    Ok(Scene {
        id,
        kind: SceneKind::Manifest,
        date,
        tile: text("tile")?,
        red: BandRef {
            path: red,
            band: red_band,
        },
        nir: BandRef {
            path: nir,
            band: nir_band,
        },
        mask,
        scale,
        offset,
        nodata: number("nodata")?,
        georef: None,
        source: path.to_path_buf(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_lists_every_key() {
        assert_eq!(KNOWN, KEYS.join(", "));
    }

    #[test]
    fn csv_quotes_and_line_numbers() {
        let t = "id,date\n\"a,b\",\"say \"\"hi\"\"\"\r\n\n x , y \n";
        let r = csv_records(Path::new("m.csv"), t).unwrap();
        assert_eq!(r.len(), 3);
        assert_eq!(r[1].0, 2);
        assert_eq!(r[1].1, ["a,b", "say \"hi\""]);
        assert_eq!(r[2].0, 4);
        assert_eq!(r[2].1, [" x ", " y "]);
        assert!(csv_records(Path::new("m.csv"), "a,\"b\n").is_err());
        assert!(csv_records(Path::new("m.csv"), "a,\"b\"c\n").is_err());
    }
}
