//! Landsat Collection 2 Level-2 products → [`Scene`], from the MTL metadata,
//! either `*_MTL.json` (`{"LANDSAT_METADATA_FILE": {GROUP: {KEY: "value"}}}`) or
//! the text `*_MTL.txt` (`GROUP = …` / `KEY = value` / `END_GROUP = …` lines).
//!
//! Read: `IMAGE_ATTRIBUTES.DATE_ACQUIRED`, `SPACECRAFT_ID`, `WRS_PATH`, `WRS_ROW`;
//! `PRODUCT_CONTENTS.LANDSAT_PRODUCT_ID`, `PROCESSING_LEVEL`,
//! `FILE_NAME_BAND_<red>`, `FILE_NAME_BAND_<nir>`, `FILE_NAME_QUALITY_L1_PIXEL`;
//! `LEVEL2_SURFACE_REFLECTANCE_PARAMETERS.REFLECTANCE_MULT_BAND_<n>` and
//! `REFLECTANCE_ADD_BAND_<n>`. Red/NIR are bands 4/5 on Landsat 8–9 (OLI) and
//! 3/4 on Landsat 4, 5 and 7 (TM, ETM+).

use super::error::{read_metadata, SceneError};
use super::scene::{BandRef, Date, MaskRef, Scene, SceneKind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// An MTL file's fields: (group, key) → value, quotes removed.
#[derive(Debug, Default)]
pub struct Mtl {
    fields: HashMap<(String, String), String>,
    path: PathBuf,
}

impl Mtl {
    /// The value of `key` in `group`.
    pub fn get(&self, group: &str, key: &str) -> Option<&str> {
        self.fields
            .get(&(group.to_string(), key.to_string()))
            .map(String::as_str)
    }

    /// Whether any field of `group` was read.
    pub fn has_group(&self, group: &str) -> bool {
        self.fields.keys().any(|(g, _)| g == group)
    }

    /// The value of `key` in `group`, or an error naming both.
    fn require(&self, group: &str, key: &str, fix: &str) -> Result<&str, SceneError> {
        self.get(group, key)
            .ok_or_else(|| SceneError::missing(&self.path, format!("{group}.{key}"), fix))
    }

    /// Reads `*_MTL.json` or `*_MTL.txt` (by extension; JSON when it starts with `{`).
    pub fn read(path: &Path) -> Result<Mtl, SceneError> {
        let text = read_metadata(path)?;
        if text.trim_start().starts_with('{') {
            Mtl::from_json(path, &text)
        } else {
            Mtl::from_text(path, &text)
        }
    }

    fn from_json(path: &Path, text: &str) -> Result<Mtl, SceneError> {
        let v: serde_json::Value =
            serde_json::from_str(text).map_err(|source| SceneError::Json {
                path: path.to_path_buf(),
                source,
            })?;
        let top =
            match v.get("LANDSAT_METADATA_FILE") {
                Some(top) => top,
                None if v.get("L1_METADATA_FILE").is_some() => return Err(collection1(path)),
                None => return Err(SceneError::missing(
                    path,
                    "LANDSAT_METADATA_FILE",
                    "this is not a Landsat Collection 2 MTL file: give the product's *_MTL.json",
                )),
            };
        let mut mtl = Mtl {
            fields: HashMap::new(),
            path: path.to_path_buf(),
        };
        if let Some(groups) = top.as_object() {
            for (group, fields) in groups {
                if let Some(fields) = fields.as_object() {
                    for (key, value) in fields {
                        let s = match value {
                            serde_json::Value::String(s) => s.trim().to_string(),
                            serde_json::Value::Number(n) => n.to_string(),
                            serde_json::Value::Bool(b) => b.to_string(),
                            _ => continue,
                        };
                        mtl.fields.insert((group.clone(), key.clone()), s);
                    }
                }
            }
        }
        Ok(mtl)
    }

    fn from_text(path: &Path, text: &str) -> Result<Mtl, SceneError> {
        let mut mtl = Mtl {
            fields: HashMap::new(),
            path: path.to_path_buf(),
        };
        let mut groups: Vec<String> = Vec::new();
        let mut top: Option<String> = None;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line == "END" {
                continue;
            }
            let Some((key, value)) = line.split_once('=') else {
                return Err(SceneError::invalid(
                    path,
                    format!("line {}", i + 1),
                    line,
                    "is not a `KEY = value` line",
                    "this is not a Landsat MTL text file, or it is damaged: download the product again",
                ));
            };
            let key = key.trim();
            let value = value.trim().trim_matches('"').trim();
            match key {
                "GROUP" => {
                    if top.is_none() {
                        top = Some(value.to_string());
                    }
                    groups.push(value.to_string());
                }
                "END_GROUP" => {
                    groups.pop();
                }
                _ => {
                    if let Some(g) = groups.last() {
                        mtl.fields
                            .insert((g.clone(), key.to_string()), value.to_string());
                    }
                }
            }
        }
        match top.as_deref() {
            Some("LANDSAT_METADATA_FILE") => Ok(mtl),
            Some("L1_METADATA_FILE") => Err(collection1(path)),
            _ => Err(SceneError::missing(
                path,
                "GROUP = LANDSAT_METADATA_FILE",
                "this is not a Landsat Collection 2 MTL file: give the product's *_MTL.txt",
            )),
        }
    }
}

fn collection1(path: &Path) -> SceneError {
    SceneError::Refused {
        path: path.to_path_buf(),
        reason: "Landsat Collection 1 (L1_METADATA_FILE)".into(),
        fix: "Collection 1 was retired in 2022: download the Collection 2 Level-2 product (LC08_L2SP_…_02_T1)".into(),
    }
}

/// Red and near-infrared band numbers for a `SPACECRAFT_ID`.
pub fn red_nir_bands(spacecraft: &str) -> Option<(u32, u32)> {
    match spacecraft.trim().to_ascii_uppercase().as_str() {
        "LANDSAT_8" | "LANDSAT_9" => Some((4, 5)),
        "LANDSAT_4" | "LANDSAT_5" | "LANDSAT_7" => Some((3, 4)),
        _ => None,
    }
}

const ATTR: &str = "IMAGE_ATTRIBUTES";
const CONTENTS: &str = "PRODUCT_CONTENTS";
const SR: &str = "LEVEL2_SURFACE_REFLECTANCE_PARAMETERS";
const DAMAGED: &str = "the MTL file is incomplete: download the product again";

/// Reads a Landsat C2 L2 scene from its MTL file; band files are looked up
/// beside it.
pub fn read_mtl(path: &Path) -> Result<Scene, SceneError> {
    let mtl = Mtl::read(path)?;
    let level = mtl.get(CONTENTS, "PROCESSING_LEVEL").unwrap_or("");
    if level.starts_with("L1") || (level.is_empty() && !mtl.has_group(SR)) {
        return Err(SceneError::Refused {
            path: path.to_path_buf(),
            reason: format!(
                "Level-1{}: top-of-atmosphere, use Level-2",
                if level.is_empty() {
                    String::new()
                } else {
                    format!(" ({level})")
                }
            ),
            fix: "download the Collection 2 Level-2 surface-reflectance product (L2SP or L2SR) of the same date".into(),
        });
    }

    let craft = mtl.require(ATTR, "SPACECRAFT_ID", DAMAGED)?;
    let (red_n, nir_n) = red_nir_bands(craft).ok_or_else(|| {
        SceneError::invalid(
            path,
            format!("{ATTR}.SPACECRAFT_ID"),
            craft,
            "is not a Landsat 4, 5, 7, 8 or 9",
            "list the scene in a manifest, naming its red and near-infrared files",
        )
    })?;

    let acquired = mtl.require(ATTR, "DATE_ACQUIRED", DAMAGED)?;
    let date = Date::parse(acquired).ok_or_else(|| {
        SceneError::invalid(
            path,
            format!("{ATTR}.DATE_ACQUIRED"),
            acquired,
            "is not a date",
            "expected YYYY-MM-DD: the MTL file is damaged, download the product again",
        )
    })?;

    let id = match mtl.get(CONTENTS, "LANDSAT_PRODUCT_ID") {
        Some(id) if !id.is_empty() => id.to_string(),
        _ => path
            .file_name()
            .map(|n| {
                let n = n.to_string_lossy();
                n.rsplit_once("_MTL")
                    .map(|(stem, _)| stem.to_string())
                    .unwrap_or_else(|| n.to_string())
            })
            .unwrap_or_default(),
    };
    let tile = match (mtl.get(ATTR, "WRS_PATH"), mtl.get(ATTR, "WRS_ROW")) {
        (Some(p), Some(r)) => match (p.parse::<u32>(), r.parse::<u32>()) {
            (Ok(p), Ok(r)) => Some(format!("{p:03}{r:03}")),
            _ => None,
        },
        _ => None,
    };

    let dir = path.parent().unwrap_or(Path::new("."));
    let file = |key: &str, role: &str| -> Result<PathBuf, SceneError> {
        let name = mtl.require(CONTENTS, key, DAMAGED)?;
        if name.is_empty() || name.contains(['/', '\\']) {
            return Err(SceneError::invalid(
                path,
                format!("{CONTENTS}.{key}"),
                name,
                "is not a file name",
                DAMAGED,
            ));
        }
        let f = dir.join(name);
        if !f.is_file() {
            return Err(SceneError::FileMissing {
                meta: path.to_path_buf(),
                role: role.into(),
                file: f,
            });
        }
        Ok(f)
    };
    let red = file(
        &format!("FILE_NAME_BAND_{red_n}"),
        &format!("red band {red_n}"),
    )?;
    let nir = file(
        &format!("FILE_NAME_BAND_{nir_n}"),
        &format!("near-infrared band {nir_n}"),
    )?;
    let qa = file("FILE_NAME_QUALITY_L1_PIXEL", "QA_PIXEL mask")?;

    let number = |key: String| -> Result<f64, SceneError> {
        let text = mtl.require(SR, &key, DAMAGED)?;
        text.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite())
            .ok_or_else(|| {
                SceneError::invalid(
                    path,
                    format!("{SR}.{key}"),
                    text,
                    "is not a number",
                    DAMAGED,
                )
            })
    };
    let scale = number(format!("REFLECTANCE_MULT_BAND_{red_n}"))?;
    let offset = number(format!("REFLECTANCE_ADD_BAND_{red_n}"))?;
    let nir_scale = number(format!("REFLECTANCE_MULT_BAND_{nir_n}"))?;
    let nir_offset = number(format!("REFLECTANCE_ADD_BAND_{nir_n}"))?;
    if scale == 0.0 {
        return Err(SceneError::invalid(
            path,
            format!("{SR}.REFLECTANCE_MULT_BAND_{red_n}"),
            "0",
            "is zero",
            DAMAGED,
        ));
    }
    if scale != nir_scale || offset != nir_offset {
        return Err(SceneError::invalid(
            path,
            format!("{SR}.REFLECTANCE_MULT/ADD_BAND_{red_n}/{nir_n}"),
            format!("{scale}/{offset} and {nir_scale}/{nir_offset}"),
            "differ between the red and near-infrared bands",
            "reclaim applies one scale and offset per scene: list the scene in a manifest with rescaled bands",
        ));
    }

    Ok(Scene {
        id,
        kind: SceneKind::LandsatC2L2,
        date,
        tile,
        red: BandRef { path: red, band: 1 },
        nir: BandRef { path: nir, band: 1 },
        mask: Some(MaskRef {
            band: BandRef { path: qa, band: 1 },
            preset: Some("qa_pixel".into()),
            values: None,
            bits: None,
            factor: 1,
        }),
        scale,
        offset,
        nodata: Some(0.0),
        georef: None,
        source: path.to_path_buf(),
    })
}

/// Whether a file name is a Landsat MTL file (`*_MTL.json`, `*_MTL.txt`).
pub fn is_mtl_name(name: &str) -> bool {
    name.ends_with("_MTL.json") || name.ends_with("_MTL.txt")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_by_spacecraft() {
        assert_eq!(red_nir_bands("LANDSAT_8"), Some((4, 5)));
        assert_eq!(red_nir_bands("LANDSAT_9"), Some((4, 5)));
        assert_eq!(red_nir_bands("LANDSAT_7"), Some((3, 4)));
        assert_eq!(red_nir_bands("LANDSAT_5"), Some((3, 4)));
        assert_eq!(red_nir_bands("SENTINEL_2A"), None);
    }

    #[test]
    fn text_mtl_groups() {
        let t = "GROUP = LANDSAT_METADATA_FILE\n  GROUP = IMAGE_ATTRIBUTES\n    SPACECRAFT_ID = \"LANDSAT_9\"\n    WRS_PATH = 119\n  END_GROUP = IMAGE_ATTRIBUTES\nEND_GROUP = LANDSAT_METADATA_FILE\nEND\n";
        let m = Mtl::from_text(Path::new("x_MTL.txt"), t).unwrap();
        assert_eq!(m.get(ATTR, "SPACECRAFT_ID"), Some("LANDSAT_9"));
        assert_eq!(m.get(ATTR, "WRS_PATH"), Some("119"));
        assert_eq!(m.get(CONTENTS, "WRS_PATH"), None);
        assert!(Mtl::from_text(Path::new("x"), "hello world").is_err());
        let c1 = Mtl::from_text(
            Path::new("x"),
            "GROUP = L1_METADATA_FILE\nEND_GROUP = L1_METADATA_FILE\n",
        );
        assert!(c1.unwrap_err().to_string().contains("Collection 1"));
    }
}
