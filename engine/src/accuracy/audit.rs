//! A sample of an audit's land to label in the field, and the accuracy of the audit
//! from the labelled sample.
//!
//! `reclaim sample` draws from a [`Frame`]: strata = the audit's map classes
//! (optionally × responsibility), sample sizes from [`allocate`] (or eq. 13), cells
//! drawn with probability ∝ their land in the stratum ([`draw`]). Each point is a
//! cell centre with an empty `reference` field. `reclaim accuracy --audit` reads the
//! labelled points back, checks each lies on land of its stratum, and estimates with
//! the frame's stratum areas (the audit's areas).

use super::design::{EstimateOptions, Stratum};
use super::draw::draw;
use super::error::{AccuracyError, FileProblem, RowProblem};
use super::frame::{class_name, Frame, MAP_CLASSES};
use super::general::{self, Point};
use super::output::Domain;
use super::result::Accuracy;
use super::sample_size::{allocate, Allocation};
use crate::csv::{num, push_record};
use crate::rng::SplitMix64;
use std::path::Path;

/// How many points, and where.
#[derive(Debug, Clone, PartialEq)]
pub enum SampleSize {
    /// `n` points in all, shared by `allocation`.
    Total {
        /// Points in all.
        n: usize,
        /// How they are shared among the strata.
        allocation: Allocation,
    },
    /// The same number in every stratum.
    PerStratum(usize),
}

/// One drawn point.
#[derive(Debug, Clone, PartialEq)]
pub struct SamplePoint {
    /// 1, 2, … in stratum order, then by cell.
    pub id: usize,
    /// Cell centre x in the project CRS (map units).
    pub x: f64,
    /// Cell centre y in the project CRS (map units).
    pub y: f64,
    /// Cell centre longitude, WGS 84 degrees.
    pub lon: f64,
    /// Cell centre latitude, WGS 84 degrees.
    pub lat: f64,
    /// Its stratum's name.
    pub stratum: String,
    /// Its map class.
    pub map_class: &'static str,
}

/// A drawn sample and the allocation it followed.
#[derive(Debug, Clone)]
pub struct DrawnSample {
    /// The points, in `id` order.
    pub points: Vec<SamplePoint>,
    /// (stratum, area ha, points).
    pub allocation: Vec<(String, f64, usize)>,
}

/// Draws a stratified random sample from `frame`, reproducibly for `seed`.
///
/// # Errors
/// [`AccuracyError::TooSmall`], [`AccuracyError::StratumTooSmall`], or a CRS error
/// converting to lon/lat.
pub fn draw_sample(
    frame: &Frame,
    size: &SampleSize,
    seed: u64,
) -> Result<DrawnSample, AccuracyError> {
    let areas: Vec<f64> = frame.strata.iter().map(|s| s.area_ha).collect();
    let counts = match size {
        SampleSize::Total { n, allocation } => allocate(*n, &areas, *allocation)?,
        SampleSize::PerStratum(k) => vec![*k; areas.len()],
    };
    let to_lonlat = frame.to_lonlat()?;
    let mut rng = SplitMix64::new(seed);
    let mut points = Vec::new();
    for (s, &k) in frame.strata.iter().zip(&counts) {
        let picked =
            draw(&s.weights, k, &mut rng).ok_or_else(|| AccuracyError::StratumTooSmall {
                stratum: s.name.clone(),
                wanted: k,
                available: s.cells.len(),
            })?;
        for i in picked {
            let (x, y) = frame.centre(s.cells[i]);
            let (lon, lat) = to_lonlat.transform_point(x, y).map_err(|source| {
                AccuracyError::Engine(Box::new(crate::Error::Crs {
                    path: frame.dir.clone(),
                    source,
                }))
            })?;
            points.push(SamplePoint {
                id: points.len() + 1,
                x,
                y,
                lon,
                lat,
                stratum: s.name.clone(),
                map_class: class_name(s.class),
            });
        }
    }
    Ok(DrawnSample {
        points,
        allocation: frame
            .strata
            .iter()
            .zip(counts)
            .map(|(s, k)| (s.name.clone(), s.area_ha, k))
            .collect(),
    })
}

/// The sample as CSV: `id,x,y,lon,lat,stratum,map_class,reference` (reference empty).
pub fn sample_csv(s: &DrawnSample) -> String {
    let mut out = String::new();
    push_record(
        &mut out,
        &[
            "id",
            "x",
            "y",
            "lon",
            "lat",
            "stratum",
            "map_class",
            "reference",
        ],
    );
    for p in &s.points {
        push_record(
            &mut out,
            &[
                p.id.to_string(),
                num(p.x),
                num(p.y),
                num(p.lon),
                num(p.lat),
                p.stratum.clone(),
                p.map_class.into(),
                String::new(),
            ],
        );
    }
    out
}

/// The sample as a GeoJSON FeatureCollection of points in lon/lat, with the same
/// fields as properties (`reference` empty, to be filled in).
pub fn sample_geojson(s: &DrawnSample) -> String {
    let features: Vec<serde_json::Value> = s
        .points
        .iter()
        .map(|p| {
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "id": p.id, "x": p.x, "y": p.y, "lon": p.lon, "lat": p.lat,
                    "stratum": p.stratum, "map_class": p.map_class, "reference": "",
                },
            })
        })
        .collect();
    let doc = serde_json::json!({"type": "FeatureCollection", "features": features});
    let mut t = serde_json::to_string_pretty(&doc).unwrap_or_default();
    t.push('\n');
    t
}

pub use super::config::{is_sample_format, SAMPLE_FORMATS};
use super::labelled::coordinate;
pub use super::labelled::Labelled;

/// Reads the records of a labelled sample: `.csv` and `.geojson` as `reclaim
/// sample` wrote them (the point is its `x`, `y` fields), or a point shapefile
/// (the point is its geometry, taken from the CRS of its `.prj` into `crs`, the
/// project CRS; see [`super::reference_shp`]).
///
/// # Errors
/// [`AccuracyError`] naming the file and row; [`FileProblem::NoRows`] for a file
/// without points.
pub fn read_labelled(path: &Path, crs: &crate::crs::Crs) -> Result<Vec<Labelled>, AccuracyError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let records = match ext.as_deref() {
        Some("csv") => labels_csv(path)?,
        Some("geojson") | Some("json") => labels_geojson(path)?,
        Some("shp") => super::reference_shp::labels_shp(path, crs)?,
        _ => {
            return Err(AccuracyError::File {
                path: path.to_path_buf(),
                problem: FileProblem::Format,
            })
        }
    };
    if records.is_empty() {
        return Err(AccuracyError::File {
            path: path.to_path_buf(),
            problem: FileProblem::NoRows,
        });
    }
    Ok(records)
}

/// True when the records' strata split the classes by responsibility
/// (`restored/legacy` …: a sample drawn with `--by-responsibility`).
pub fn by_responsibility(records: &[Labelled]) -> bool {
    records.iter().any(|r| r.stratum.contains('/'))
}

/// Reads a labelled sample (`.csv`, `.geojson` or `.shp`) and checks every point
/// against the frame: its stratum exists, its map class is the stratum's, it lies on
/// land of the stratum, and its reference label is a class.
///
/// # Errors
/// [`AccuracyError`] naming the file and row (a GeoJSON feature's row is its
/// 1-based position + 1, as if the file were a table with a header).
pub fn read_labels(path: &Path, frame: &Frame) -> Result<Vec<Point>, AccuracyError> {
    let records = read_labelled(path, &frame.crs)?;
    check_labels(path, records, frame)
}

/// Checks records read by [`read_labelled`] against the frame, as [`read_labels`].
///
/// # Errors
/// As [`read_labels`].
pub fn check_labels(
    path: &Path,
    records: Vec<Labelled>,
    frame: &Frame,
) -> Result<Vec<Point>, AccuracyError> {
    if records.is_empty() {
        return Err(AccuracyError::File {
            path: path.to_path_buf(),
            problem: FileProblem::NoRows,
        });
    }
    let row = |row, problem| AccuracyError::Row {
        path: path.to_path_buf(),
        row,
        problem,
    };
    let known_strata = frame
        .strata
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let known_classes = MAP_CLASSES.map(class_name).join(", ");
    let mut points = Vec::with_capacity(records.len());
    for Labelled {
        row: line,
        x,
        y,
        stratum,
        map_class,
        reference,
    } in records
    {
        let h = frame
            .strata
            .iter()
            .position(|s| s.name == stratum)
            .ok_or_else(|| {
                row(
                    line,
                    RowProblem::UnknownStratum {
                        stratum: stratum.clone(),
                        known: known_strata.clone(),
                    },
                )
            })?;
        let s = &frame.strata[h];
        if map_class != class_name(s.class) {
            return Err(row(
                line,
                RowProblem::StratumMismatch { stratum, map_class },
            ));
        }
        let on_land = frame
            .cell_at(x, y)
            .is_some_and(|c| frame.strata_of(c).contains(&h));
        if !on_land {
            let found = match frame.cell_at(x, y) {
                None => "off the audit's class raster".to_string(),
                Some(c) if frame.strata_of(c).is_empty() => {
                    "outside every stratum (off the footprints, or unobserved)".to_string()
                }
                Some(c) => format!(
                    "in {}",
                    frame
                        .strata_of(c)
                        .iter()
                        .map(|&k| frame.strata[k].name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Err(row(
                line,
                RowProblem::OutsideStratum {
                    x,
                    y,
                    stratum,
                    found,
                },
            ));
        }
        let reference = reference.trim().to_lowercase();
        if reference.is_empty() {
            return Err(row(
                line,
                RowProblem::EmptyReference {
                    known: known_classes.clone(),
                },
            ));
        }
        let r = MAP_CLASSES
            .iter()
            .position(|&c| class_name(c) == reference)
            .ok_or_else(|| {
                row(
                    line,
                    RowProblem::UnknownReference {
                        label: reference.clone(),
                        known: known_classes.clone(),
                    },
                )
            })?;
        let m = MAP_CLASSES.iter().position(|&c| c == s.class).unwrap_or(0);
        points.push(Point {
            stratum: h,
            map: m,
            reference: r,
        });
    }
    Ok(points)
}

fn labels_csv(path: &Path) -> Result<Vec<Labelled>, AccuracyError> {
    let recs = super::table::read_records(path)?;
    let header: Vec<String> = recs
        .first()
        .map(|h| h.iter().map(|c| c.trim().to_string()).collect())
        .unwrap_or_default();
    let mut cols = [0usize; 5];
    for (k, name) in ["x", "y", "stratum", "map_class", "reference"]
        .iter()
        .enumerate()
    {
        cols[k] = header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| AccuracyError::File {
                path: path.to_path_buf(),
                problem: FileProblem::Header {
                    expected:
                        "id,x,y,lon,lat,stratum,map_class,reference (as written by reclaim sample)"
                            .into(),
                    found: header.join(","),
                },
            })?;
    }
    let mut out = Vec::new();
    for (i, r) in recs.iter().enumerate().skip(1) {
        let line = i + 1;
        let bad = |problem| AccuracyError::Row {
            path: path.to_path_buf(),
            row: line,
            problem,
        };
        if r.len() != header.len() {
            return Err(bad(RowProblem::FieldCount {
                expected: header.len(),
                found: r.len(),
            }));
        }
        let x = coordinate("x", &r[cols[0]]).map_err(bad)?;
        let y = coordinate("y", &r[cols[1]]).map_err(bad)?;
        out.push(Labelled {
            row: line,
            x,
            y,
            stratum: r[cols[2]].trim().into(),
            map_class: r[cols[3]].trim().into(),
            reference: r[cols[4]].clone(),
        });
    }
    Ok(out)
}

fn labels_geojson(path: &Path) -> Result<Vec<Labelled>, AccuracyError> {
    let text =
        crate::report::io::read_capped(path, 256 << 20).map_err(|source| AccuracyError::Read {
            path: path.to_path_buf(),
            source,
        })?;
    let file = |detail: String| AccuracyError::File {
        path: path.to_path_buf(),
        problem: FileProblem::GeoJson { detail },
    };
    let doc: serde_json::Value = serde_json::from_str(&text).map_err(|e| file(e.to_string()))?;
    let features = doc
        .get("features")
        .and_then(|f| f.as_array())
        .ok_or_else(|| file("no \"features\" array".into()))?;
    let mut out = Vec::with_capacity(features.len());
    for (i, f) in features.iter().enumerate() {
        let line = i + 2;
        let bad = |problem| AccuracyError::Row {
            path: path.to_path_buf(),
            row: line,
            problem,
        };
        let props = f.get("properties");
        let get = |field: &'static str| {
            props
                .and_then(|p| p.get(field))
                .ok_or(RowProblem::MissingProperty { field })
        };
        let text = |field: &'static str| -> Result<String, RowProblem> {
            let v = get(field)?;
            Ok(match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                other => other.to_string(),
            })
        };
        let number = |field: &'static str| -> Result<f64, RowProblem> {
            let v = get(field)?;
            v.as_f64()
                .map_or_else(|| coordinate(field, &v.to_string()), Ok)
        };
        out.push(Labelled {
            row: line,
            x: number("x").map_err(bad)?,
            y: number("y").map_err(bad)?,
            stratum: text("stratum").map_err(bad)?,
            map_class: text("map_class").map_err(bad)?,
            reference: text("reference").map_err(bad)?,
        });
    }
    Ok(out)
}

/// Accuracy of the audit's map from labelled points of its frame: classes restored /
/// unrestored / water, with the frame's strata (Stehman 2014's estimators, which are
/// Olofsson 2014's when the strata are the classes), and — with strata by
/// responsibility — each class's error-adjusted area on responsible and on legacy land.
///
/// # Errors
/// [`AccuracyError`] for a stratum with fewer than 2 labelled points.
pub fn assess(
    frame: &Frame,
    points: &[Point],
    opts: EstimateOptions,
) -> Result<(Accuracy, Vec<Domain>), AccuracyError> {
    let strata: Vec<Stratum> = frame
        .strata
        .iter()
        .map(|s| Stratum {
            name: s.name.clone(),
            area: s.area_ha,
            // Cells, for the finite-population correction (cells on an edge count whole).
            units: Some(s.cells.len() as f64),
        })
        .collect();
    let classes: Vec<String> = MAP_CLASSES
        .iter()
        .map(|&c| class_name(c).to_string())
        .collect();
    let map_areas: Vec<f64> = MAP_CLASSES
        .iter()
        .map(|&c| {
            frame
                .strata
                .iter()
                .filter(|s| s.class == c)
                .map(|s| s.area_ha)
                .sum()
        })
        .collect();
    let mut acc = general::estimate(&classes, &strata, points, Some(&map_areas), opts)?;
    if frame.strata.iter().all(|s| s.responsibility.is_none()) {
        // Strata are the map classes: the estimators are Olofsson 2014's.
        acc.method = super::result::Method::Olofsson2014;
        return Ok((acc, Vec::new()));
    }
    let sample = general::Sample::new(&strata, points, opts)?;
    let mut domains = Vec::new();
    for (k, class) in MAP_CLASSES.iter().enumerate() {
        for resp in ["responsible", "legacy"] {
            let in_domain: Vec<bool> = frame
                .strata
                .iter()
                .map(|s| s.responsibility == Some(resp))
                .collect();
            let p = sample.proportion(|p| p.reference == k && in_domain[p.stratum]);
            domains.push(Domain {
                name: format!("{}/{resp}", class_name(*class)),
                map_area_ha: Some(
                    frame
                        .strata
                        .iter()
                        .filter(|s| s.class == *class && s.responsibility == Some(resp))
                        .map(|s| s.area_ha)
                        .sum(),
                ),
                area_ha: p.scaled(sample.total_area()),
            });
        }
    }
    Ok((acc, domains))
}
