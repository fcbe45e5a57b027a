//! The GIS layers as typed tables: the columns of the CSV tables (same names,
//! same order, same figures), each with a type, and a geometry per row in the
//! project CRS.
//!
//! Absent values (a legacy piece's licence, a pit without a kind, the change
//! columns without a previous audit) are [`Cell::Null`], where the CSV has an
//! empty field.

use super::error::GisError;
use crate::report::orphans::orphan_ranking;
use crate::report::tables::{
    ATTRIBUTION_HEADER, COMPOSITE_COLUMNS, MINES_HEADER, OVERLAP_SEPARATOR, PITS_HEADER,
};
use crate::results::{AuditReport, Change, ClassAreas, Responsibility};
use geo::MultiPolygon;

/// Type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// UTF-8 text (GeoPackage `TEXT`, dBASE `C`).
    Text,
    /// A double (GeoPackage `REAL`, dBASE `N` with decimals).
    Real,
    /// A whole number (GeoPackage `INTEGER`, dBASE `N` without decimals).
    Integer,
    /// True / false (GeoPackage `BOOLEAN`, dBASE `L`).
    Boolean,
}

/// A column: its name (the CSV header's) and type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    pub name: &'static str,
    pub ty: ColType,
}

/// One attribute value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Null,
    Text(String),
    Real(f64),
    Integer(i64),
    Bool(bool),
}

/// One feature: a geometry in the project CRS and a cell per column.
#[derive(Debug, Clone, PartialEq)]
pub struct Feature {
    pub geometry: MultiPolygon<f64>,
    pub cells: Vec<Cell>,
}

/// Which style a layer gets (see [`super::qml`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// Filled by the dominant land class.
    DominantClass,
    /// Unrestored land outlined as the report's legacy land.
    Orphans,
    /// Bare land found outside the footprints.
    Candidates,
    /// Licence boundaries, outline only.
    Licences,
}

/// A layer: a name (table and file name), a title, columns and features.
#[derive(Debug, Clone, PartialEq)]
pub struct Layer {
    pub name: &'static str,
    /// A one-line description (GeoPackage `gpkg_contents.description`).
    pub description: &'static str,
    pub columns: Vec<Column>,
    pub features: Vec<Feature>,
    pub style: Style,
}

impl Layer {
    /// The index of the column named `name`.
    pub fn column(&self, name: &str) -> Option<usize> {
        self.columns.iter().position(|c| c.name == name)
    }
}

/// Columns named `names`, typed by [`column_type`].
fn columns(names: &[&'static str]) -> Vec<Column> {
    names
        .iter()
        .map(|&name| Column {
            name,
            ty: column_type(name),
        })
        .collect()
}

/// The type of a column, by its name.
fn column_type(name: &str) -> ColType {
    match name {
        "liable" => ColType::Boolean,
        "pit_count" | "rank" | "cells" | "holes" => ColType::Integer,
        n if n.ends_with("_ha")
            || n.ends_with("_pct")
            || n.ends_with("_m")
            || n.ends_with("_mean")
            || n.starts_with("centroid_")
            || n == "compactness" =>
        {
            ColType::Real
        }
        _ => ColType::Text,
    }
}

/// `Some(text)` → text, `None` or "" → null.
fn text(t: Option<&str>) -> Cell {
    match t {
        Some(t) if !t.is_empty() => Cell::Text(t.to_string()),
        _ => Cell::Null,
    }
}

fn real(v: f64) -> Cell {
    // −0.0 (a sum of nothing negative) is 0, as in the CSV tables.
    Cell::Real(if v == 0.0 { 0.0 } else { v })
}

fn opt_real(v: Option<f64>) -> Cell {
    v.map(real).unwrap_or(Cell::Null)
}

fn integer(v: usize) -> Cell {
    i64::try_from(v).map(Cell::Integer).unwrap_or(Cell::Null)
}

fn class_cells(a: &ClassAreas) -> [Cell; 5] {
    [
        real(a.restored_ha),
        real(a.unrestored_ha),
        real(a.water_ha),
        real(a.unobserved_ha),
        real(a.total_ha()),
    ]
}

fn observation_cells(a: &ClassAreas) -> [Cell; 6] {
    let u = &a.unobserved_causes;
    [
        opt_real(a.observed_pct()),
        real(u.mask_ha),
        real(u.nodata_ha),
        real(u.invalid_ha),
        real(u.unmapped_ha),
        real(u.outside_ha),
    ]
}

fn change_cells(c: Option<&Change>) -> [Cell; 4] {
    match c {
        Some(c) => [
            real(c.restored_before_ha),
            real(c.unrestored_before_ha),
            real(c.newly_restored_ha),
            real(c.redisturbed_ha),
        ],
        None => [Cell::Null, Cell::Null, Cell::Null, Cell::Null],
    }
}

fn composite_cells(composite: bool, a: &ClassAreas) -> Vec<Cell> {
    if !composite {
        return Vec::new();
    }
    vec![
        opt_real(a.clear_obs_mean()),
        real(a.unobserved_causes.few_clear_ha),
    ]
}

fn with_composite(composite: bool, base: &[&'static str]) -> Vec<Column> {
    let mut names = base.to_vec();
    if composite {
        names.extend(COMPOSITE_COLUMNS);
    }
    columns(&names)
}

/// Every layer of `report`: pieces, pits, mines, orphans and (with discovery)
/// candidates.
///
/// # Errors
/// [`GisError::Candidates`] when a discovery candidate cannot be read back.
pub fn layers(report: &AuditReport) -> Result<Vec<Layer>, GisError> {
    let mut out = vec![pieces(report), pits(report), mines(report), orphans(report)];
    if let Some(d) = &report.discovery {
        out.push(candidates(&d.found)?);
    }
    Ok(out)
}

/// `pieces`: a row of `attribution.csv` each, with the piece's geometry.
pub fn pieces(report: &AuditReport) -> Layer {
    let composite = report.summary.composite.is_some();
    let features = report
        .pieces
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let (license, holder, resp) = match &p.responsibility {
                Responsibility::Responsible { license_id, holder } => (
                    Some(license_id.as_str()),
                    Some(holder.as_str()),
                    "responsible",
                ),
                Responsibility::Legacy => (None, None, "legacy"),
                Responsibility::Unattributed => (None, None, "unattributed"),
            };
            let mut cells = vec![
                text(Some(&p.pit_id)),
                text(license),
                text(holder),
                Cell::Text(resp.into()),
            ];
            cells.extend(class_cells(&p.areas));
            cells.extend(composite_cells(composite, &p.areas));
            Feature {
                geometry: report
                    .piece_geometry
                    .get(i)
                    .map(|g| g.raster_crs.clone())
                    .unwrap_or_else(|| MultiPolygon(vec![])),
                cells,
            }
        })
        .collect();
    Layer {
        name: "pieces",
        description: "pieces of pits under one responsibility (attribution.csv)",
        columns: with_composite(composite, &ATTRIBUTION_HEADER),
        features,
        style: Style::DominantClass,
    }
}

/// `pits`: a row of `pits.csv` each, with the pit's polygon (or, in reports
/// without pit polygons, the union of its pieces).
pub fn pits(report: &AuditReport) -> Layer {
    let composite = report.summary.composite.is_some();
    let features = report
        .pits
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut cells = vec![
                text(Some(&p.pit_id)),
                text(p.kind.as_deref()),
                text(p.town.as_deref()),
            ];
            cells.extend(class_cells(&p.areas));
            cells.push(real(p.polygon_ha));
            cells.push(opt_real(p.areas.restored_pct()));
            cells.push(Cell::Text(p.main_responsibility.clone()));
            cells.push(text(Some(&p.overlaps.join(OVERLAP_SEPARATOR))));
            cells.extend(change_cells(p.change.as_ref()));
            cells.extend(observation_cells(&p.areas));
            cells.extend(composite_cells(composite, &p.areas));
            let geometry = match report.pit_geometry.get(i) {
                Some(g) if report.pit_geometry.len() == report.pits.len() => g.clone(),
                _ => pieces_of(report, &p.pit_id),
            };
            Feature { geometry, cells }
        })
        .collect();
    Layer {
        name: "pits",
        description: "mine footprints (pits.csv)",
        columns: with_composite(composite, &PITS_HEADER),
        features,
        style: Style::DominantClass,
    }
}

/// The union of the pieces of pit `id` (they are disjoint: their polygons together).
fn pieces_of(report: &AuditReport, id: &str) -> MultiPolygon<f64> {
    MultiPolygon(
        report
            .pieces
            .iter()
            .zip(&report.piece_geometry)
            .filter(|(p, _)| p.pit_id == id)
            .flat_map(|(_, g)| g.raster_crs.0.iter().cloned())
            .collect(),
    )
}

/// `mines`: a row of `mines.csv` each, with the licence's boundary.
pub fn mines(report: &AuditReport) -> Layer {
    let composite = report.summary.composite.is_some();
    let geometry: std::collections::HashMap<&str, &MultiPolygon<f64>> = report
        .licence_geometry
        .iter()
        .map(|(id, g)| (id.as_str(), g))
        .collect();
    let features = report
        .mines
        .iter()
        .map(|m| {
            let mut cells = vec![
                text(Some(&m.license_id)),
                text(m.holder.as_deref()),
                text(m.name.as_deref()),
                text(m.mineral.as_deref()),
                text(Some(&m.status)),
                text(m.valid_to.as_deref()),
                Cell::Bool(m.liable),
            ];
            cells.extend(class_cells(&m.areas));
            cells.push(opt_real(m.areas.restored_pct()));
            cells.push(integer(m.pit_count));
            cells.extend(change_cells(m.change.as_ref()));
            cells.extend(observation_cells(&m.areas));
            cells.extend(composite_cells(composite, &m.areas));
            Feature {
                geometry: geometry
                    .get(m.license_id.as_str())
                    .map(|g| (*g).clone())
                    .unwrap_or_else(|| MultiPolygon(vec![])),
                cells,
            }
        })
        .collect();
    Layer {
        name: "mines",
        description: "mining licences (mines.csv)",
        columns: with_composite(composite, &MINES_HEADER),
        features,
        style: Style::Licences,
    }
}

/// Columns of the `orphans` layer (the properties of `orphans.geojson`).
pub const ORPHANS_HEADER: [&str; 9] = [
    "rank",
    "pit_id",
    "kind",
    "town",
    "unrestored_ha",
    "restored_ha",
    "water_ha",
    "unobserved_ha",
    "total_ha",
];

/// `orphans`: the ranked legacy pieces of `orphans.geojson`, in the project CRS.
pub fn orphans(report: &AuditReport) -> Layer {
    let features = orphan_ranking(report)
        .iter()
        .map(|o| Feature {
            geometry: report
                .piece_geometry
                .get(o.piece)
                .map(|g| g.raster_crs.clone())
                .unwrap_or_else(|| MultiPolygon(vec![])),
            cells: vec![
                integer(o.rank),
                text(Some(o.pit_id)),
                text(o.pit.and_then(|p| p.kind.as_deref())),
                text(o.pit.and_then(|p| p.town.as_deref())),
                real(o.areas.unrestored_ha),
                real(o.areas.restored_ha),
                real(o.areas.water_ha),
                real(o.areas.unobserved_ha),
                real(o.areas.total_ha()),
            ],
        })
        .collect();
    Layer {
        name: "orphans",
        description: "historical-legacy pieces with unrestored land, ranked (orphans.geojson)",
        columns: columns(&ORPHANS_HEADER),
        features,
        style: Style::Orphans,
    }
}

/// `candidates`: discovery's bare land outside the footprints, largest first.
///
/// # Errors
/// [`GisError::Candidates`] when a candidate or its outline cannot be read back.
pub fn candidates(d: &crate::discover::Discovery) -> Result<Layer, GisError> {
    let mut features = Vec::with_capacity(d.candidates.len());
    for i in 0..d.candidates.len() {
        let c = d
            .candidates
            .get(i)
            .map_err(|e| GisError::Candidates(Box::new(e)))?;
        let geometry = d
            .outline(&c)
            .map_err(|e| GisError::Candidates(Box::new(e)))?;
        let n = c.nearest.as_ref();
        features.push(Feature {
            geometry,
            cells: vec![
                integer(c.rank),
                text(Some(&c.id)),
                Cell::Text(c.label.name().into()),
                text(c.change.map(|x| x.name())),
                real(c.area_ha),
                i64::try_from(c.cells)
                    .map(Cell::Integer)
                    .unwrap_or(Cell::Null),
                real(c.inside_licence_ha),
                real(c.outside_licence_ha),
                text(Some(&c.licence_ids.join(";"))),
                text(n.map(|n| n.licence_id.as_str())),
                text(n.map(|n| n.status.as_str())),
                opt_real(n.map(|n| n.distance_m)),
                real(c.centroid.0),
                real(c.centroid.1),
                real(c.centroid_lonlat.0),
                real(c.centroid_lonlat.1),
                integer(c.holes),
                real(c.compactness),
                opt_real(c.bare_before_ha),
            ],
        });
    }
    Ok(Layer {
        name: "candidates",
        description: "bare land outside every mapped footprint (candidates.csv)",
        columns: columns(&crate::discover::files::CSV_HEADER),
        features,
        style: Style::Candidates,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_types_by_name() {
        assert_eq!(column_type("restored_ha"), ColType::Real);
        assert_eq!(column_type("restored_pct"), ColType::Real);
        assert_eq!(column_type("clear_obs_mean"), ColType::Real);
        assert_eq!(column_type("nearest_licence_distance_m"), ColType::Real);
        assert_eq!(column_type("pit_count"), ColType::Integer);
        assert_eq!(column_type("liable"), ColType::Boolean);
        assert_eq!(column_type("valid_to"), ColType::Text);
        assert_eq!(column_type("main_responsibility"), ColType::Text);
        assert_eq!(column_type("nearest_licence_id"), ColType::Text);
    }
}
