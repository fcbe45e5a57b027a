//! Typed errors of the vector layer.
//!
//! Variants separate *broken input* ([`VectorError::Malformed`], [`VectorError::GeoJson`],
//! [`VectorError::Shapefile`], [`VectorError::InvalidGeometry`], [`VectorError::Encoding`]),
//! *unsupported features* ([`VectorError::Unsupported`],
//! [`VectorError::UnsupportedGeometry`]), *caller misuse* ([`VectorError::MissingField`],
//! [`VectorError::UnknownEncoding`]) and *limits exceeded* ([`VectorError::LimitExceeded`]).
//! Every message names the file, the place in it, and what to do.

use std::path::PathBuf;

use crate::crs::CrsError;

/// Errors reading a footprint layer.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum VectorError {
    /// The file (or a sidecar file) could not be read.
    #[error("cannot read {p}: {source}", p = path.display())]
    Io {
        /// The file being read.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },

    /// The file (or a sidecar) is not a regular file, or is over the byte cap.
    #[error(transparent)]
    Input(crate::input::InputError),

    /// The file's extension names a format this build cannot read.
    #[error(
        "{p}: the {extension:?} format is not supported; convert it to GeoJSON, \
         e.g. `ogr2ogr -f GeoJSON out.geojson {p}`, or to an ESRI Shapefile", p = path.display())]
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Its extension ("" when it has none).
        extension: String,
    },

    /// A shapefile sidecar file that reclaim needs is missing.
    #[error(
        "{p}: the shapefile has no .{extension} file next to it; copy all the files \
         of the shapefile (.shp, .shx, .dbf, .prj, .cpg) into the same folder", p = path.display())]
    MissingSidecar {
        /// The .shp file.
        path: PathBuf,
        /// The missing extension, e.g. "dbf".
        extension: &'static str,
    },

    /// The file's structure is broken.
    #[error("{p} is malformed: {problem}", p = path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// What is broken.
        problem: Malformation,
    },

    /// The GeoJSON text does not parse.
    #[error("{p} is not valid GeoJSON: {source}", p = path.display())]
    GeoJson {
        /// The file.
        path: PathBuf,
        /// The parser's error (with line and column where known).
        source: geojson::Error,
    },

    /// The file is not text in the expected encoding (GeoJSON must be UTF-8).
    #[error(
        "{p} is not valid {encoding} text (first bad byte at offset {byte_offset}); GeoJSON \
         must be UTF-8 (RFC 7946): pass --encoding with the file's encoding (e.g. gbk), or \
         convert it with `iconv -f GBK -t UTF-8`", p = path.display())]
    NotText {
        /// The file.
        path: PathBuf,
        /// The encoding tried (encoding_rs name).
        encoding: &'static str,
        /// Offset of the first byte that does not decode (0 when unknown).
        byte_offset: usize,
    },

    /// The .shp file could not be decoded by the shapefile reader.
    #[error("{p}: cannot read shape record {feature}: {source}; the .shp file is damaged", p = path.display())]
    Shapefile {
        /// The .shp file.
        path: PathBuf,
        /// 0-based record being read.
        feature: usize,
        /// The shapefile crate's error.
        source: shapefile::Error,
    },

    /// A feature's geometry cannot be used as a footprint.
    #[error(
        "{p}: feature {feature}{}: {problem}",
        ring.map(|r| format!(", ring {r}")).unwrap_or_default(), p = path.display())]
    InvalidGeometry {
        /// The file.
        path: PathBuf,
        /// 0-based position of the feature in the file.
        feature: usize,
        /// 0-based ring within the feature (all parts counted in file order), if the
        /// problem is in one ring.
        ring: Option<usize>,
        /// What is wrong.
        problem: GeometryProblem,
    },

    /// A feature has a geometry type that is not a (multi)polygon.
    #[error(
        "{p}: feature {feature} is a {kind}; footprints must be Polygon or MultiPolygon \
         (buffer points/lines into polygons first, e.g. `ogr2ogr -dialect sqlite -sql \
         \"SELECT ST_Buffer(geometry, 10) ...\"`)", p = path.display())]
    UnsupportedGeometry {
        /// The file.
        path: PathBuf,
        /// 0-based position of the feature in the file.
        feature: usize,
        /// Geometry type, e.g. "Point", "LineString", "MultiPatch".
        kind: &'static str,
    },

    /// The layer has no CRS and the caller needs one.
    #[error("{p} has no .prj; add one or pass --crs EPSG:xxxx", p = path.display())]
    MissingCrs {
        /// The file.
        path: PathBuf,
    },

    /// The layer's CRS (.prj WKT or GeoJSON `crs` member) could not be resolved.
    #[error("{p}: {source}", p = path.display())]
    Crs {
        /// The file holding the CRS (.prj or .geojson).
        path: PathBuf,
        /// The CRS layer's error.
        source: CrsError,
    },

    /// A legacy GeoJSON `crs` member names no EPSG code reclaim understands.
    #[error(
        "{p}: the GeoJSON \"crs\" member {name:?} is not an EPSG code; use \
         \"urn:ogc:def:crs:EPSG::<code>\", drop the member for WGS 84 (RFC 7946), \
         or pass --crs EPSG:xxxx", p = path.display())]
    CrsName {
        /// The file.
        path: PathBuf,
        /// The name as written (or a summary of the member when it has no name).
        name: String,
    },

    /// A field the caller needs is not in the layer.
    #[error(
        "{p} has no field {field:?}; available fields: {}",
        if available.is_empty() { "(none)".to_string() } else { available.join(", ") }, p = path.display())]
    MissingField {
        /// The file.
        path: PathBuf,
        /// The field asked for.
        field: String,
        /// The fields the layer has, in order.
        available: Vec<String>,
    },

    /// Fields asked for by configuration keys that are not in the layer (all of them).
    #[error(
        "{p} has no field named by {}; its fields are: {}",
        missing.iter().map(ToString::to_string).collect::<Vec<_>>().join(", "),
        if available.is_empty() { "(none)".to_string() } else { available.join(", ") },
        p = path.display())]
    MissingFields {
        /// The file.
        path: PathBuf,
        /// Every field not found, with the key that asked for it.
        missing: Vec<AbsentField>,
        /// The fields the layer has, in order.
        available: Vec<String>,
    },

    /// An encoding label (from --encoding or a .cpg file) is not known.
    #[error(
        "{p}: unknown text encoding {label:?} (from {origin}); use one of utf-8, gbk, \
         gb18030, big5, latin1, windows-1252, shift_jis, euc-kr …", p = path.display())]
    UnknownEncoding {
        /// The file being read.
        path: PathBuf,
        /// The label as given.
        label: String,
        /// Where the label came from.
        origin: EncodingSource,
    },

    /// Text in the .dbf does not decode with the chosen encoding.
    #[error(
        "{p}: {} of field #{field_index}{} is not valid {encoding} text (encoding chosen \
         from {origin}); pass --encoding with the right one (gbk, gb18030, big5, utf-8, latin1 …) \
         or fix the .cpg file",
        feature.map(|f| format!("the value in feature {f}")).unwrap_or_else(|| "the name".to_string()),
        field.as_ref().map(|n| format!(" ({n})")).unwrap_or_default(), p = path.display())]
    Encoding {
        /// The .dbf file.
        path: PathBuf,
        /// Name of the encoding used (encoding_rs name, e.g. "GBK").
        encoding: &'static str,
        /// Where that encoding was chosen from.
        origin: EncodingSource,
        /// 0-based record, or `None` when a field *name* is undecodable.
        feature: Option<usize>,
        /// 0-based field position.
        field_index: usize,
        /// The field name, when it decoded.
        field: Option<String>,
    },

    /// A configured limit was exceeded (hostile or unexpectedly large input).
    #[error(
        "{p}: more than {limit} {what}; if the file is genuine, raise max_features / \
         max_vertices under [limits] in the audit configuration", p = path.display())]
    LimitExceeded {
        /// The file.
        path: PathBuf,
        /// What was counted.
        what: Limit,
        /// The limit in force.
        limit: usize,
    },
}

/// Structural problems of a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Malformation {
    /// The .dbf file is shorter than its fixed header.
    #[error(".dbf file has {len} bytes, shorter than a dBase header")]
    DbfTooShort {
        /// File length in bytes.
        len: usize,
    },
    /// The .dbf header length is inconsistent with the file.
    #[error(".dbf header length {header_len} is impossible for a file of {file_len} bytes")]
    DbfHeaderLength {
        /// Header length stated in the file.
        header_len: usize,
        /// File length in bytes.
        file_len: usize,
    },
    /// The .dbf record length is smaller than the sum of its fields.
    #[error(".dbf record length {record_len} is smaller than its fields need ({needed} bytes)")]
    DbfRecordLength {
        /// Record length stated in the header.
        record_len: usize,
        /// 1 (deletion flag) + the sum of field lengths.
        needed: usize,
    },
    /// The .dbf file ends before its last record.
    #[error(".dbf header announces {claimed} records but the file holds only {present}")]
    DbfTruncated {
        /// Records announced in the header.
        claimed: usize,
        /// Complete records present.
        present: usize,
    },
    /// The .shx index is not 100 bytes + 8 per record of the .shp.
    #[error(
        ".shx has {len} bytes, but the .shp has {records} records (100 + 8 per record \
         expected); the index belongs to another layer or is damaged: delete the .shx and \
         rebuild it (`ogr2ogr`, or GDAL with SHAPE_RESTORE_SHX=YES)"
    )]
    ShxLength {
        /// Length of the .shx in bytes.
        len: u64,
        /// Complete records in the .shp.
        records: usize,
    },
    /// A .shx entry points elsewhere than the .shp record it indexes.
    #[error(
        ".shx entry for record {record} points to byte {shx_offset}, but that record is at \
         byte {shp_offset} of the .shp (or has another length); GIS tools reading the index \
         would see other shapes: delete the .shx and rebuild it (`ogr2ogr`, or GDAL with \
         SHAPE_RESTORE_SHX=YES)"
    )]
    ShxMismatch {
        /// 0-based record.
        record: usize,
        /// Byte offset in the .shx entry.
        shx_offset: u64,
        /// Byte offset of the record in the .shp.
        shp_offset: u64,
    },
    /// The .shp and .dbf files disagree on the number of features.
    #[error(
        "the .shp has {shapes} shapes but the .dbf has {records} records; the files \
         belong to different layers or one was truncated"
    )]
    RecordCountMismatch {
        /// Shape records in the .shp.
        shapes: usize,
        /// Records in the .dbf.
        records: usize,
    },
}

/// What is wrong with a feature's geometry.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum GeometryProblem {
    /// The feature has no geometry (GeoJSON `null`, shapefile null shape).
    #[error(
        "the geometry is null; every footprint needs a polygon (delete the feature or draw it)"
    )]
    Null,
    /// The geometry has no rings at all.
    #[error("the geometry is empty (no rings); delete the feature or draw it")]
    Empty,
    /// A coordinate is NaN or infinite.
    #[error("a coordinate is not a finite number")]
    NonFinite,
    /// A ring with fewer than 4 positions (a closed triangle needs 4).
    #[error("the ring has {count} positions; a closed ring needs at least 4")]
    TooFewPositions {
        /// Positions in the ring.
        count: usize,
    },
    /// The first and last positions of the ring differ.
    #[error(
        "the ring is not closed (first and last positions differ; RFC 7946 and the \
         shapefile specification require it); repair with `ogr2ogr -makevalid`"
    )]
    Unclosed,
    /// The ring encloses no area (all points collinear or repeated).
    #[error("the ring has zero area (its points are collinear or repeated)")]
    ZeroArea,
    /// Two edges of one ring cross (its lobes would cancel in an area sum).
    #[error(
        "a ring crosses itself near ({x}, {y}), so its area is not defined; fix the \
         geometry (QGIS \"Fix geometries\", `ogr2ogr -makevalid`) or pass --repair \
         (repair_geometry = true in the audit config) to resolve it with the non-zero \
         fill rule (docs/robustness.md)"
    )]
    SelfIntersection {
        /// Approximate x of the crossing, in the layer's CRS.
        x: f64,
        /// Approximate y of the crossing.
        y: f64,
    },
    /// Edges of two rings of the feature cross (a hole crossing its shell, parts crossing).
    #[error(
        "two rings cross near ({x}, {y}) (a hole crossing its shell, or overlapping \
         parts), so the area is not defined; fix the geometry (QGIS \"Fix geometries\", \
         `ogr2ogr -makevalid`) or pass --repair (repair_geometry = true in the audit \
         config; docs/robustness.md)"
    )]
    RingsCross {
        /// Approximate x of the crossing, in the layer's CRS.
        x: f64,
        /// Approximate y of the crossing.
        y: f64,
    },
    /// Rings that do not cross still overlap (a hole outside its shell, nested or
    /// duplicate parts, a ring crossing itself at a vertex).
    #[error(
        "the rings add up to {summed_area} but cover {covered_area} square units (a hole \
         outside its shell, overlapping or duplicate parts, or a ring crossing itself at \
         a vertex); fix the geometry (QGIS \"Fix geometries\") or pass --repair \
         (repair_geometry = true in the audit config; docs/robustness.md)"
    )]
    Overlap {
        /// |shells| − |holes|, summed: what an area sum would measure.
        summed_area: f64,
        /// The area of the land the rings describe (non-zero fill rule).
        covered_area: f64,
    },
}

/// Counted quantities that [`super::ReadOptions`] caps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    /// Features (records) in a layer.
    Features,
    /// Vertices (positions) summed over a layer.
    Vertices,
}

impl std::fmt::Display for Limit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Limit::Features => f.write_str("features"),
            Limit::Vertices => f.write_str("vertices"),
        }
    }
}

/// Where the text encoding of a layer was taken from, in order of precedence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum EncodingSource {
    /// `ReadOptions::encoding` (the CLI's `--encoding`).
    Explicit,
    /// The shapefile's `.cpg` file.
    Cpg,
    /// The language-driver byte (LDID) of the `.dbf` header.
    LanguageDriver,
    /// No declaration; all text was valid UTF-8.
    DetectedUtf8,
    /// No declaration and not UTF-8: GB18030 (a superset of GBK/GB2312) is assumed.
    DefaultGb18030,
    /// GeoJSON, which is UTF-8 by definition (RFC 7946).
    GeoJsonUtf8,
}

impl std::fmt::Display for EncodingSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            EncodingSource::Explicit => "--encoding",
            EncodingSource::Cpg => "the .cpg file",
            EncodingSource::LanguageDriver => "the .dbf language-driver byte",
            EncodingSource::DetectedUtf8 => "detection (the text is valid UTF-8)",
            EncodingSource::DefaultGb18030 => "the default for undeclared non-UTF-8 text (GB18030)",
            EncodingSource::GeoJsonUtf8 => "RFC 7946 (GeoJSON is UTF-8)",
        })
    }
}

impl From<crate::input::InputError> for VectorError {
    /// A missing or unreadable file stays [`VectorError::Io`]; the rest is [`VectorError::Input`].
    fn from(e: crate::input::InputError) -> Self {
        match e {
            crate::input::InputError::Io { path, source } => VectorError::Io { path, source },
            other => VectorError::Input(other),
        }
    }
}

/// A field a configuration key names that the layer lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AbsentField {
    /// The key, with its section, e.g. `[licenses] holder_field`.
    pub key: String,
    /// The field name the key gives.
    pub field: String,
    /// The layer's field most like it (equal ignoring case but ambiguous, or a
    /// near spelling).
    pub suggestion: Option<String>,
}

impl std::fmt::Display for AbsentField {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} = {:?}", self.key, self.field)?;
        if let Some(s) = &self.suggestion {
            write!(f, " (did you mean {s:?}?)")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn missing_field_lists_available_fields() {
        let e = VectorError::MissingField {
            path: PathBuf::from("pits.shp"),
            field: "ID".into(),
            available: vec!["图斑编号".into(), "采矿权人".into()],
        };
        assert_eq!(
            e.to_string(),
            "pits.shp has no field \"ID\"; available fields: 图斑编号, 采矿权人"
        );
    }

    #[test]
    fn invalid_geometry_names_feature_and_ring() {
        let e = VectorError::InvalidGeometry {
            path: PathBuf::from("a.geojson"),
            feature: 3,
            ring: Some(1),
            problem: GeometryProblem::TooFewPositions { count: 3 },
        };
        assert_eq!(
            e.to_string(),
            "a.geojson: feature 3, ring 1: the ring has 3 positions; a closed ring needs at least 4"
        );
    }

    #[test]
    fn missing_crs_suggests_fix() {
        let e = VectorError::MissingCrs {
            path: PathBuf::from("x.shp"),
        };
        assert_eq!(
            e.to_string(),
            "x.shp has no .prj; add one or pass --crs EPSG:xxxx"
        );
    }

    #[test]
    fn encoding_error_names_the_value() {
        let e = VectorError::Encoding {
            path: PathBuf::from("a.dbf"),
            encoding: "UTF-8",
            origin: EncodingSource::Cpg,
            feature: Some(7),
            field_index: 2,
            field: Some("NAME".into()),
        };
        let s = e.to_string();
        assert!(
            s.starts_with("a.dbf: the value in feature 7 of field #2 (NAME) is not valid UTF-8"),
            "{s}"
        );
    }
}
