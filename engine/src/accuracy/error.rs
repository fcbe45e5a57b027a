//! What can stop an accuracy estimate, a sample design or the reading of their files.
//!
//! Each message names the stratum, class, file and row at fault, and the fix.

use std::path::PathBuf;

/// An accuracy, sample-size or sampling error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AccuracyError {
    /// No class or no stratum was given.
    #[error("no {what} given: an accuracy assessment needs at least one")]
    Nothing { what: &'static str },
    /// Two strata or classes share a name.
    #[error("{what} {name:?} is given twice; names must be unique")]
    Duplicate { what: &'static str, name: String },
    /// A stratum's area is negative or not a number.
    #[error(
        "stratum {stratum:?}: area {area} is not allowed; an area must be finite and 0 or more"
    )]
    BadArea { stratum: String, area: f64 },
    /// Every stratum has area 0.
    #[error("the strata have no area (all are 0): nothing to estimate")]
    NoArea,
    /// A stratum with area has no sample.
    #[error("stratum {stratum:?} has {area} of area but no sample point: its land cannot be estimated; add sample points in it (reclaim sample allocates at least --min-per-class to every stratum)")]
    EmptyStratum { stratum: String, area: f64 },
    /// A stratum with area has a single sample: the variance needs n − 1 > 0.
    #[error("stratum {stratum:?} has only 1 sample point: its variance (divided by n − 1 = 0) is undefined, so no standard error or confidence interval can be given; label at least 2 points in every stratum")]
    OneSample { stratum: String },
    /// Sample points fall in a stratum the areas give as empty.
    #[error("stratum {stratum:?} has {n} sample point(s) but area 0: the areas and the sample do not describe the same map; check the areas file (or the audit) the sample was drawn from")]
    SamplesWithoutArea { stratum: String, n: usize },
    /// `--fpc` without the population size of a stratum.
    #[error("stratum {stratum:?}: the finite-population correction needs its number of sampling units (cells); give the cell size, or leave out --fpc")]
    NoPopulation { stratum: String },
    /// A sample-size target outside (0, 1).
    #[error("target standard error {value} is not allowed: it must lie strictly between 0 and 1 (e.g. 0.01 for overall accuracy ± 0.02)")]
    BadTarget { value: f64 },
    /// An expected user's accuracy outside [0, 1].
    #[error("expected user's accuracy of {class:?} = {value} is not allowed: it must lie in 0…1 (e.g. {class}=0.8)")]
    BadExpected { class: String, value: f64 },
    /// A class without an expected user's accuracy.
    #[error("no expected user's accuracy for stratum {stratum:?}: give one for every stratum, e.g. --expected-ua {stratum}=0.8")]
    MissingExpected { stratum: String },
    /// The sample is too small for the minimum per stratum.
    #[error("a sample of {n} cannot give {strata} strata the minimum of {min} each ({} needed); raise --n or lower --min-per-class", strata * min)]
    TooSmall { n: usize, strata: usize, min: usize },
    /// A stratum has fewer sampling units than it should receive.
    #[error("stratum {stratum:?} has {available} cell(s) to sample but {wanted} were allocated to it; lower --n / --per-class / --min-per-class")]
    StratumTooSmall {
        stratum: String,
        wanted: usize,
        available: usize,
    },
    /// The audit folder lacks `classes.tif`.
    #[error("{dir}: no classes.tif: the sample is drawn from the audit's class raster; re-run the audit with --classes-tif (reclaim audit --config … --out {dir} --classes-tif)", dir = dir.display())]
    NoClassesTif { dir: PathBuf },
    /// The audit folder's summary.json cannot be read.
    #[error("{dir}: not a reclaim audit folder: {source}", dir = dir.display())]
    NotAnAudit {
        dir: PathBuf,
        #[source]
        source: crate::report::ReportError,
    },
    /// Reading the audit's inputs again failed.
    #[error("re-reading the inputs of the audit {dir}: {source}", dir = dir.display())]
    Audit {
        dir: PathBuf,
        #[source]
        /// An [`AuditError`](crate::audit::AuditError).
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    /// The class raster, the footprints and summary.json disagree.
    #[error("{dir}: the {class} land of classes.tif under the footprints is {frame_ha} ha but summary.json says {audit_ha} ha: the inputs changed since the audit, or classes.tif is from another run; re-run the audit with --classes-tif", dir = dir.display())]
    FrameMismatch {
        dir: PathBuf,
        class: &'static str,
        frame_ha: f64,
        audit_ha: f64,
    },
    /// `--by-responsibility` on an audit without licences.
    #[error("{dir}: the audit has no licence layer, so its land has no responsibility to stratify by; leave out --by-responsibility", dir = dir.display())]
    NoLicences { dir: PathBuf },
    /// A CRS, raster or other engine error.
    #[error(transparent)]
    Engine(#[from] Box<crate::Error>),
    /// A table or sample file could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: crate::report::ReportError,
    },
    /// A problem at one row of an input file.
    #[error("{path}, row {row}: {problem}")]
    Row {
        path: PathBuf,
        /// 1-based; the header is row 1.
        row: usize,
        problem: RowProblem,
    },
    /// A problem with a whole input file.
    #[error("{path}: {problem}")]
    File { path: PathBuf, problem: FileProblem },
}

/// What is wrong with one row of an input file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum RowProblem {
    /// A count that is not a whole number of 0 or more.
    #[error("column {column:?}: {text:?} is not a count; counts are whole numbers, 0 or more")]
    BadCount { column: String, text: String },
    /// An area that is not a number of 0 or more.
    #[error("column {column:?}: {text:?} is not an area in hectares (a number, 0 or more)")]
    BadArea { column: String, text: String },
    /// A row with more or fewer fields than the header.
    #[error("{found} field(s) where the header has {expected}")]
    FieldCount { expected: usize, found: usize },
    /// A class named twice.
    #[error("class {class:?} appears twice")]
    DuplicateClass { class: String },
    /// A map class row that the areas file does not name.
    #[error("map class {class:?} is not a class of the areas file ({known}); rows and columns must name the classes of the areas file")]
    UnknownMapClass { class: String, known: String },
    /// A reference label that is not a class.
    #[error("reference label {label:?} is not a class; use one of {known} (labels are lower case, as written by reclaim sample)")]
    UnknownReference { label: String, known: String },
    /// An empty reference label.
    #[error("the reference field is empty: label every point (one of {known}), or delete the rows you could not label and say so in the report")]
    EmptyReference { known: String },
    /// A point whose stratum is none of the design's.
    #[error("stratum {stratum:?} is none of the audit's strata ({known}): the point lies outside every stratum; was the sample drawn from this audit?")]
    UnknownStratum { stratum: String, known: String },
    /// A point whose map class does not agree with its stratum.
    #[error("map class {map_class:?} does not match stratum {stratum:?}: the file was edited or drawn from another audit")]
    StratumMismatch { stratum: String, map_class: String },
    /// A point whose cell is not in the stratum it names.
    #[error("the point ({x}, {y}) is not on land of stratum {stratum:?} (its cell is {found}): the point lies outside its stratum; was it moved, or drawn from another audit?")]
    OutsideStratum {
        x: f64,
        y: f64,
        stratum: String,
        found: String,
    },
    /// A coordinate that is not a number.
    #[error("column {column:?}: {text:?} is not a coordinate")]
    BadCoordinate { column: &'static str, text: String },
    /// A shapefile record that is not a point.
    #[error("the record is a {kind}, not a point: a sample is one point per row (save the sample layer as a point shapefile)")]
    NotAPoint { kind: &'static str },
    /// A required field missing from a GeoJSON feature.
    #[error("no {field:?} (a sample written by reclaim sample has id, x, y, lon, lat, stratum, map_class, reference)")]
    MissingProperty { field: &'static str },
}

/// What is wrong with a whole input file.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum FileProblem {
    /// The header does not start as required.
    #[error("the header must be {expected} (found {found:?})")]
    Header { expected: String, found: String },
    /// The file holds no data row.
    #[error("no data rows after the header")]
    NoRows,
    /// Matrix columns and rows name different classes.
    #[error("the reference columns ({columns}) and the map-class rows ({rows}) must name the same classes, those of the areas file")]
    ClassesDiffer { columns: String, rows: String },
    /// The areas file names a class the matrix lacks (or the other way round).
    #[error("class {class:?} of the areas file has no row in the matrix; add a row (of zeros if it was not sampled and its area is 0)")]
    MissingRow { class: String },
    /// A file that is neither CSV, GeoJSON nor a shapefile.
    #[error("unknown format: give a .csv, .geojson or .shp file")]
    Format,
    /// A shapefile without a field the sample needs.
    #[error("no field {field:?} (found: {found}); a labelled sample needs the fields stratum, map_class and reference as reclaim sample wrote them (keep them when saving the layer)")]
    MissingField { field: &'static str, found: String },
    /// A shapefile whose points have no CRS and no x, y fields.
    #[error("no .prj beside the shapefile and no x, y fields: the points' CRS is unknown; save the layer again with its CRS (the .prj), or keep the x and y fields reclaim sample wrote")]
    NoCrs,
    /// A GeoJSON file that cannot be read as a feature collection.
    #[error("not a GeoJSON FeatureCollection: {detail}")]
    GeoJson { detail: String },
}
