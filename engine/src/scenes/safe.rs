//! Sentinel-2 Level-2A `.SAFE` products → [`Scene`].
//!
//! Read from `MTD_MSIL2A.xml`: `PRODUCT_START_TIME` (date), `PRODUCT_URI` (id and
//! tile), `PROCESSING_BASELINE`, `BOA_QUANTIFICATION_VALUE`, `BOA_ADD_OFFSET` of
//! bands 3 (B04) and 7 (B08), `Special_Values` NODATA, and the `IMAGE_FILE` list
//! (the B04/B08 10 m and SCL 20 m files). From `GRANULE/*/MTD_TL.xml`:
//! `HORIZONTAL_CS_CODE`, the 10 m `Size` and `Geoposition` (the band grid) and the
//! 20 m `Geoposition` (the SCL grid, checked to start at the same corner).
//! The older "2Ap" layout (`L2A_Product_Info`, `IMAGE_FILE_2A`,
//! `L2A_BOA_QUANTIFICATION_VALUE`) is read too.

use super::error::{read_metadata, SceneError};
use super::scene::{BandRef, Date, MaskRef, Scene, SceneGeoref, SceneKind};
use crate::grid::GeoTransform;
use roxmltree::{Document, Node};
use std::path::{Path, PathBuf};

/// The product metadata file of an L2A SAFE.
pub const PRODUCT_METADATA: &str = "MTD_MSIL2A.xml";
/// The product metadata file of an L1C SAFE (refused).
pub const L1C_METADATA: &str = "MTD_MSIL1C.xml";
/// The tile metadata file inside `GRANULE/<granule>/`.
pub const TILE_METADATA: &str = "MTD_TL.xml";

/// `BOA_ADD_OFFSET` band ids: B04 (red) and B08 (NIR).
const RED_BAND_ID: &str = "3";
const NIR_BAND_ID: &str = "7";

/// Reads the `.SAFE` folder `dir` (the one holding `MTD_MSIL2A.xml`).
pub fn read_safe(dir: &Path) -> Result<Scene, SceneError> {
    read_safe_with(dir, BandFiles::MustExist)
}

/// Whether [`read_safe_with`] requires the band files to be there.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BandFiles {
    /// A missing band file is an error.
    MustExist,
    /// The files the metadata lists are taken as named (a zipped product's bands,
    /// unpacked only when the scene is used).
    Listed,
}

/// [`read_safe`], with the band files' presence checked or not.
pub(crate) fn read_safe_with(dir: &Path, bands: BandFiles) -> Result<Scene, SceneError> {
    let mtd = dir.join(PRODUCT_METADATA);
    if !mtd.is_file() {
        if dir.join(L1C_METADATA).is_file() {
            return Err(level1c(dir));
        }
        return Err(SceneError::missing(
            dir,
            PRODUCT_METADATA,
            "this is not a complete Sentinel-2 L2A product: download or unzip it again",
        ));
    }
    let text = read_metadata(&mtd)?;
    let doc = Document::parse(&text).map_err(|source| SceneError::Xml {
        path: mtd.clone(),
        source,
    })?;
    let root = doc.root_element();

    let level = first_text(root, &["PROCESSING_LEVEL"]);
    let product_type = first_text(root, &["PRODUCT_TYPE"]);
    if level.is_some_and(|l| l.contains("1C")) || product_type.is_some_and(|t| t.contains("1C")) {
        return Err(level1c(dir));
    }

    let start = first_text(root, &["PRODUCT_START_TIME"]).ok_or_else(|| {
        SceneError::missing(
            &mtd,
            "PRODUCT_START_TIME",
            "the product metadata is incomplete: download the product again",
        )
    })?;
    let date = Date::parse(start).ok_or_else(|| {
        SceneError::invalid(
            &mtd,
            "PRODUCT_START_TIME",
            start,
            "is not a date",
            "expected a UTC timestamp such as 2023-08-23T09:55:59.024Z",
        )
    })?;

    let uri = first_text(root, &["PRODUCT_URI", "PRODUCT_URI_2A"]);
    let id = uri
        .map(|u| u.trim_end_matches(".SAFE").to_string())
        .or_else(|| {
            dir.file_name()
                .map(|n| n.to_string_lossy().trim_end_matches(".SAFE").to_string())
        })
        .unwrap_or_else(|| dir.display().to_string());
    let tile = tile_of(&id);

    let baseline_text = first_text(root, &["PROCESSING_BASELINE"]);
    let baseline = match baseline_text {
        Some(b) => Some(parse_baseline(b).ok_or_else(|| {
            SceneError::invalid(
                &mtd,
                "PROCESSING_BASELINE",
                b,
                "is not a baseline number",
                "expected e.g. 05.09: the metadata is damaged, download the product again",
            )
        })?),
        None => None,
    };

    let quant_text = first_text(
        root,
        &["BOA_QUANTIFICATION_VALUE", "L2A_BOA_QUANTIFICATION_VALUE"],
    )
    .ok_or_else(|| {
        SceneError::missing(
            &mtd,
            "BOA_QUANTIFICATION_VALUE",
            "without it the reflectance scale is unknown: is this an L2A product? download it again",
        )
    })?;
    let quant = parse_positive(&mtd, "BOA_QUANTIFICATION_VALUE", quant_text)?;

    let red_add = boa_add_offset(root, &mtd, RED_BAND_ID)?;
    let nir_add = boa_add_offset(root, &mtd, NIR_BAND_ID)?;
    let add = match (red_add, nir_add) {
        (Some(r), Some(n)) if r == n => r,
        (Some(r), Some(n)) => {
            return Err(SceneError::invalid(
                &mtd,
                "BOA_ADD_OFFSET",
                format!("{r} (B04), {n} (B08)"),
                "differs between the red and near-infrared bands",
                "reclaim applies one offset per scene: list the scene in a manifest with its own scale and offset",
            ))
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(SceneError::missing(
                &mtd,
                format!(
                    "BOA_ADD_OFFSET for band_id {}",
                    if red_add.is_none() {
                        RED_BAND_ID
                    } else {
                        NIR_BAND_ID
                    }
                ),
                "the offset list is incomplete: download the product again",
            ))
        }
        // Baseline 04.00 (January 2022) added −1000 to every BOA band and lists
        // it; earlier baselines have no offset.
        (None, None) if baseline.is_some_and(|b| b >= (4, 0)) => -1000.0,
        (None, None) => 0.0,
    };

    let nodata = special_value(root, &mtd, "NODATA")?.or(Some(0.0));

    let files: Vec<&str> = root
        .descendants()
        .filter(|n| n.is_element() && matches!(n.tag_name().name(), "IMAGE_FILE" | "IMAGE_FILE_2A"))
        .filter_map(|n| n.text().map(str::trim))
        .collect();
    let red = band_file(dir, &mtd, &files, "B04", "10m", "red band B04", bands)?;
    let nir = band_file(
        dir,
        &mtd,
        &files,
        "B08",
        "10m",
        "near-infrared band B08",
        bands,
    )?;
    let scl = band_file(
        dir,
        &mtd,
        &files,
        "SCL",
        "20m",
        "scene classification SCL",
        bands,
    )?;

    let granule = granule_of(dir, &red).ok_or_else(|| SceneError::Invalid {
        path: mtd.clone(),
        field: "IMAGE_FILE".into(),
        value: red.display().to_string(),
        problem: "is not under GRANULE/<granule>/IMG_DATA/".into(),
        fix: "the product layout is not the standard SAFE one: download it again",
    })?;
    let georef = read_tile(&granule.join(TILE_METADATA))?;

    Ok(Scene {
        id,
        kind: SceneKind::Sentinel2L2a,
        date,
        tile,
        red: BandRef { path: red, band: 1 },
        nir: BandRef { path: nir, band: 1 },
        mask: Some(MaskRef {
            band: BandRef { path: scl, band: 1 },
            preset: Some("scl".into()),
            values: None,
            bits: None,
            factor: 2,
        }),
        scale: 1.0 / quant,
        offset: add / quant,
        nodata,
        georef: Some(georef),
        source: dir.to_path_buf(),
    })
}

/// The refusal of a Level-1C product.
pub(crate) fn level1c(path: &Path) -> SceneError {
    SceneError::Refused {
        path: path.to_path_buf(),
        reason: "Level-1C: top-of-atmosphere, use L2A".into(),
        fix: "download the Level-2A product of the same date (S2x_MSIL2A_…) or process this one with Sen2Cor".into(),
    }
}

/// The tile (`T34UCF`) in a product name, if one of its `_` fields is one.
fn tile_of(id: &str) -> Option<String> {
    id.split('_')
        .find(|f| {
            let b = f.as_bytes();
            b.len() == 6
                && b[0] == b'T'
                && b[1..3].iter().all(u8::is_ascii_digit)
                && b[3..].iter().all(u8::is_ascii_uppercase)
        })
        .map(str::to_string)
}

/// `05.09` → (5, 9).
fn parse_baseline(s: &str) -> Option<(u32, u32)> {
    let (a, b) = s.trim().split_once('.')?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

/// The trimmed text of the first element (anywhere below `node`) named one of `names`.
fn first_text<'a>(node: Node<'a, 'a>, names: &[&str]) -> Option<&'a str> {
    node.descendants()
        .find(|n| n.is_element() && names.contains(&n.tag_name().name()))
        .and_then(|n| n.text())
        .map(str::trim)
}

/// The child element of `node` named `name`.
fn child<'a>(node: Node<'a, 'a>, name: &str) -> Option<Node<'a, 'a>> {
    node.children()
        .find(|n| n.is_element() && n.tag_name().name() == name)
}

fn parse_number(path: &Path, field: &str, s: &str) -> Result<f64, SceneError> {
    s.trim()
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .ok_or_else(|| {
            SceneError::invalid(
                path,
                field,
                s,
                "is not a number",
                "the metadata is damaged: download the product again",
            )
        })
}

fn parse_positive(path: &Path, field: &str, s: &str) -> Result<f64, SceneError> {
    let v = parse_number(path, field, s)?;
    if v > 0.0 {
        Ok(v)
    } else {
        Err(SceneError::invalid(
            path,
            field,
            s,
            "is not positive",
            "the metadata is damaged: download the product again",
        ))
    }
}

/// `BOA_ADD_OFFSET band_id="…"`, if listed.
fn boa_add_offset(root: Node, mtd: &Path, band_id: &str) -> Result<Option<f64>, SceneError> {
    let node = root.descendants().find(|n| {
        n.is_element()
            && n.tag_name().name() == "BOA_ADD_OFFSET"
            && n.attribute("band_id") == Some(band_id)
    });
    match node {
        None => Ok(None),
        Some(n) => {
            let field = format!("BOA_ADD_OFFSET band_id=\"{band_id}\"");
            parse_number(mtd, &field, n.text().unwrap_or("")).map(Some)
        }
    }
}

/// The `SPECIAL_VALUE_INDEX` of the `Special_Values` whose text is `name`.
fn special_value(root: Node, mtd: &Path, name: &str) -> Result<Option<f64>, SceneError> {
    for sv in root
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().name() == "Special_Values")
    {
        let text = child(sv, "SPECIAL_VALUE_TEXT").and_then(|n| n.text());
        if text.map(str::trim) == Some(name) {
            let index = child(sv, "SPECIAL_VALUE_INDEX")
                .and_then(|n| n.text())
                .unwrap_or("");
            return parse_number(mtd, "SPECIAL_VALUE_INDEX", index).map(Some);
        }
    }
    Ok(None)
}

/// The `.jp2` of band `band` at resolution `res` (`B04`, `10m`): from the
/// `IMAGE_FILE` list when it names one, else found under
/// `GRANULE/*/IMG_DATA/R<res>/`. It must exist.
fn band_file(
    dir: &Path,
    mtd: &Path,
    files: &[&str],
    band: &str,
    res: &str,
    role: &str,
    bands: BandFiles,
) -> Result<PathBuf, SceneError> {
    let suffix = format!("_{band}_{res}");
    let listed = files
        .iter()
        .find(|f| f.ends_with(&suffix) || f.ends_with(&format!("{suffix}.jp2")));
    if let Some(f) = listed {
        let rel = if f.ends_with(".jp2") {
            f.to_string()
        } else {
            format!("{f}.jp2")
        };
        let inside = Path::new(&rel)
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
        if !inside {
            return Err(SceneError::invalid(
                mtd,
                "IMAGE_FILE",
                rel,
                "points outside the product folder",
                "the metadata is damaged: download the product again",
            ));
        }
        let path = dir.join(rel);
        if bands == BandFiles::MustExist && !path.is_file() {
            return Err(SceneError::FileMissing {
                meta: mtd.to_path_buf(),
                role: role.into(),
                file: path,
            });
        }
        return Ok(path);
    }
    // Not listed: look where the SAFE layout puts it.
    let mut found = Vec::new();
    let granules = dir.join("GRANULE");
    let entries = std::fs::read_dir(&granules).map_err(|e| SceneError::io(&granules, e))?;
    for g in entries.flatten() {
        let folder = g.path().join("IMG_DATA").join(format!("R{res}"));
        if let Ok(files) = std::fs::read_dir(&folder) {
            for f in files.flatten() {
                let name = f.file_name().to_string_lossy().into_owned();
                if name.ends_with(&format!("{suffix}.jp2")) {
                    found.push(f.path());
                }
            }
        }
    }
    found.sort();
    match found.len() {
        1 => Ok(found.remove(0)),
        0 => Err(SceneError::FileMissing {
            meta: mtd.to_path_buf(),
            role: role.into(),
            file: granules
                .join("*")
                .join("IMG_DATA")
                .join(format!("R{res}"))
                .join(format!("*{suffix}.jp2")),
        }),
        n => Err(SceneError::invalid(
            dir,
            format!("GRANULE/*/IMG_DATA/R{res}/*{suffix}.jp2"),
            format!("{n} files"),
            "is ambiguous (one granule expected)",
            "keep one granule per product, or list the files in a scene manifest",
        )),
    }
}

/// `<dir>/GRANULE/<granule>` of a band file under it.
fn granule_of(dir: &Path, band: &Path) -> Option<PathBuf> {
    let rel = band.strip_prefix(dir).ok()?;
    let mut parts = rel.components();
    let first = parts.next()?;
    if first.as_os_str() != "GRANULE" {
        return None;
    }
    let g = parts.next()?;
    Some(dir.join("GRANULE").join(g.as_os_str()))
}

/// The 10 m band grid from a tile's `MTD_TL.xml`, checking that the 20 m grid
/// (the SCL mask's) starts at the same corner with twice the cell size.
pub fn read_tile(path: &Path) -> Result<SceneGeoref, SceneError> {
    if !path.is_file() {
        return Err(SceneError::FileMissing {
            meta: path
                .parent()
                .and_then(Path::parent)
                .and_then(Path::parent)
                .unwrap_or(path)
                .to_path_buf(),
            role: "tile metadata MTD_TL.xml".into(),
            file: path.to_path_buf(),
        });
    }
    let text = read_metadata(path)?;
    let doc = Document::parse(&text).map_err(|source| SceneError::Xml {
        path: path.to_path_buf(),
        source,
    })?;
    let root = doc.root_element();
    let cs = first_text(root, &["HORIZONTAL_CS_CODE"]).ok_or_else(|| {
        SceneError::missing(
            path,
            "HORIZONTAL_CS_CODE",
            "the tile metadata is incomplete: download the product again",
        )
    })?;
    let epsg = cs
        .strip_prefix("EPSG:")
        .and_then(|c| c.trim().parse::<u32>().ok())
        .filter(|&c| c > 0)
        .ok_or_else(|| {
            SceneError::invalid(
                path,
                "HORIZONTAL_CS_CODE",
                cs,
                "is not an EPSG code",
                "expected e.g. EPSG:32634: the metadata is damaged, download the product again",
            )
        })?;

    let (height, width) = size(root, path, "10")?;
    let g10 = geoposition(root, path, "10")?;
    let g20 = geoposition(root, path, "20")?;
    if g10.dx <= 0.0 || g10.dy >= 0.0 {
        return Err(SceneError::invalid(
            path,
            "Geoposition resolution=\"10\" XDIM/YDIM",
            format!("{}/{}", g10.dx, g10.dy),
            "is not a north-up grid (XDIM > 0, YDIM < 0)",
            "the metadata is damaged: download the product again",
        ));
    }
    if g20.x0 != g10.x0 || g20.y0 != g10.y0 {
        return Err(SceneError::invalid(
            path,
            "Geoposition resolution=\"20\" ULX/ULY",
            format!("{}/{}", g20.x0, g20.y0),
            format!(
                "differs from the 10 m corner {}/{}, so the 20 m SCL mask does not line up with the 10 m bands",
                g10.x0, g10.y0
            ),
            "list the scene in a manifest with a mask resampled to the 10 m grid",
        ));
    }
    if g20.dx != 2.0 * g10.dx || g20.dy != 2.0 * g10.dy {
        return Err(SceneError::invalid(
            path,
            "Geoposition resolution=\"20\" XDIM/YDIM",
            format!("{}/{}", g20.dx, g20.dy),
            "is not twice the 10 m cell size, so one SCL cell is not 2×2 band cells",
            "list the scene in a manifest with a mask resampled to the 10 m grid",
        ));
    }
    Ok(SceneGeoref {
        epsg,
        transform: GeoTransform {
            x0: g10.x0,
            dx: g10.dx,
            rx: 0.0,
            y0: g10.y0,
            ry: 0.0,
            dy: g10.dy,
        },
        width,
        height,
    })
}

struct Geoposition {
    x0: f64,
    y0: f64,
    dx: f64,
    dy: f64,
}

/// The element `name` with `resolution="res"`.
fn at_resolution<'a>(root: Node<'a, 'a>, name: &str, res: &str) -> Option<Node<'a, 'a>> {
    root.descendants().find(|n| {
        n.is_element() && n.tag_name().name() == name && n.attribute("resolution") == Some(res)
    })
}

fn size(root: Node, path: &Path, res: &str) -> Result<(usize, usize), SceneError> {
    let node = at_resolution(root, "Size", res).ok_or_else(|| {
        SceneError::missing(
            path,
            format!("Size resolution=\"{res}\""),
            "the tile metadata is incomplete: download the product again",
        )
    })?;
    let mut out = [0usize; 2];
    for (i, key) in ["NROWS", "NCOLS"].iter().enumerate() {
        let field = format!("Size resolution=\"{res}\" {key}");
        let text = child(node, key)
            .and_then(|n| n.text())
            .map(str::trim)
            .ok_or_else(|| {
                SceneError::missing(
                    path,
                    &field,
                    "the tile metadata is incomplete: download the product again",
                )
            })?;
        out[i] = text
            .parse::<usize>()
            .ok()
            .filter(|&v| v > 0 && v <= 1 << 20)
            .ok_or_else(|| {
                SceneError::invalid(
                    path,
                    &field,
                    text,
                    "is not a cell count",
                    "the metadata is damaged: download the product again",
                )
            })?;
    }
    Ok((out[0], out[1]))
}

fn geoposition(root: Node, path: &Path, res: &str) -> Result<Geoposition, SceneError> {
    let node = at_resolution(root, "Geoposition", res).ok_or_else(|| {
        SceneError::missing(
            path,
            format!("Geoposition resolution=\"{res}\""),
            "the tile metadata is incomplete: download the product again",
        )
    })?;
    let mut v = [0f64; 4];
    for (i, key) in ["ULX", "ULY", "XDIM", "YDIM"].iter().enumerate() {
        let field = format!("Geoposition resolution=\"{res}\" {key}");
        let text = child(node, key).and_then(|n| n.text()).ok_or_else(|| {
            SceneError::missing(
                path,
                &field,
                "the tile metadata is incomplete: download the product again",
            )
        })?;
        v[i] = parse_number(path, &field, text)?;
    }
    if v[2] == 0.0 || v[3] == 0.0 {
        return Err(SceneError::invalid(
            path,
            format!("Geoposition resolution=\"{res}\" XDIM/YDIM"),
            format!("{}/{}", v[2], v[3]),
            "is zero",
            "the metadata is damaged: download the product again",
        ));
    }
    Ok(Geoposition {
        x0: v[0],
        y0: v[1],
        dx: v[2],
        dy: v[3],
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_and_baselines() {
        assert_eq!(
            tile_of("S2B_MSIL2A_20230823T095559_N0509_R122_T34UCF_20230823T124759").as_deref(),
            Some("T34UCF")
        );
        assert_eq!(tile_of("S2B_MSIL2A_weird"), None);
        assert_eq!(tile_of("T3"), None);
        assert_eq!(parse_baseline("05.09"), Some((5, 9)));
        assert_eq!(parse_baseline("99.99"), Some((99, 99)));
        assert_eq!(parse_baseline("5"), None);
        assert!(parse_baseline("04.00").unwrap() >= (4, 0));
        assert!(parse_baseline("02.08").unwrap() < (4, 0));
    }
}
