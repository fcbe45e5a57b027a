//! The engine's top-level error: one variant per layer, plus the checks that join
//! layers (CRS agreement, bands, fields). Every message names the file and the fix.

use crate::crs::CrsError;
use crate::raster::RasterError;
use crate::vector::VectorError;
use std::path::PathBuf;

/// Anything that can stop an engine run.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// Reading a raster failed.
    #[error(transparent)]
    Raster(#[from] RasterError),
    /// Reading a vector layer failed.
    #[error(transparent)]
    Vector(#[from] VectorError),
    /// A CRS could not be resolved or applied for a file.
    #[error("{path}: {source}")]
    Crs {
        path: PathBuf,
        #[source]
        source: CrsError,
    },
    /// A raster has no CRS reclaim can resolve.
    #[error("{path}: the raster has no usable CRS{}; pass --raster-crs EPSG:xxxx or fix it with `gdal_edit.py -a_srs EPSG:xxxx`", citation.as_ref().map(|c| format!(" (it says {c:?})")).unwrap_or_default())]
    RasterWithoutCrs {
        path: PathBuf,
        citation: Option<String>,
    },
    /// A vector layer has no CRS.
    #[error("{path}: the layer has no CRS (no .prj file); add the .prj from the data supplier or pass --zones-crs EPSG:xxxx")]
    VectorWithoutCrs { path: PathBuf },
    /// The raster's projected CRS is not in metres.
    #[error("{path}: the raster's CRS {crs:?} is not in metres; reproject it with `gdalwarp -t_srs EPSG:xxxx`")]
    NonMetricCrs { path: PathBuf, crs: String },
    /// A band number beyond the raster's bands.
    #[error(
        "{path}: band {band} requested but the raster has {bands} band(s) (bands count from 1)"
    )]
    BandOutOfRange {
        path: PathBuf,
        band: usize,
        bands: usize,
    },
    /// The raster's geotransform has a zero or non-finite cell size or origin.
    #[error("{path}: unusable georeferencing: {detail}; cell sizes must be finite and non-zero: fix the raster's georeferencing (e.g. `gdal_edit.py -a_ullr` or `-a_srs`) or re-export it")]
    BadGeotransform { path: PathBuf, detail: String },
    /// The raster's grid is rotated; areas need an axis-aligned grid.
    #[error("{path}: the grid is rotated; warp it north-up first with `gdalwarp in.tif out.tif`")]
    RotatedGrid { path: PathBuf },
    /// Reading an input file failed (e.g. for its checksum).
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// Writing an output failed.
    #[error("cannot write {path}: {source}")]
    Output {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// An input is not a regular file, or is over its byte cap.
    #[error(transparent)]
    Input(crate::input::InputError),
    /// The output path is an input, or a folder holding one: writing would destroy it.
    #[error("{}", crate::output::kind::describe_is_input(out, role, input, *relation))]
    OutputIsInput {
        /// The output path as given.
        out: PathBuf,
        /// What the input is (`pits`, `pits.dbf`, `config`, `previous`, `raster` …).
        role: String,
        /// The input, as given.
        input: PathBuf,
        /// The output is the input itself, or a folder above it.
        relation: crate::output::kind::Relation,
    },
    /// The output folder is the current directory or a folder above it.
    #[error("output {}: it is the current directory{} ({}); writing {} there would overwrite or delete what is in it; give a new folder{}", .out.display(), if .cwd == .out_canonical { "" } else { " or a folder above it" }, .cwd.display(), .kind.article(), .kind.example())]
    OutputIsWorkingDir {
        /// The output path as given.
        out: PathBuf,
        /// What would have been written.
        kind: crate::output::kind::OutputKind,
        /// It, resolved.
        out_canonical: PathBuf,
        /// The current directory.
        cwd: PathBuf,
    },
    /// The output folder exists and holds files reclaim did not write.
    #[error("output {}: the folder exists and was not written by reclaim (it holds {} and no {}); reclaim replaces an output folder as a whole, so it only replaces an empty folder or one it wrote; choose a new folder name, or move the files away yourself", .out.display(), .entry.display(), .kind.marker())]
    OutputNotReclaims {
        /// The output folder.
        out: PathBuf,
        /// What would have been written there.
        kind: crate::output::kind::OutputKind,
        /// One entry of the folder that is not reclaim's.
        entry: PathBuf,
    },
    /// The output path exists as something else than what is written there.
    #[error("output {}: it is a {found}{}, but {} is written there; give a path that does not exist yet{}", .out.display(), .target.as_ref().map(|t| format!(" ({})", t.display())).unwrap_or_default(), .expected.article(), .expected.example())]
    OutputWrongKind {
        /// The output path as given.
        out: PathBuf,
        /// What it is now.
        found: crate::input::FileKind,
        /// Where it leads, when it is a symlink.
        target: Option<PathBuf>,
        /// What would be written.
        expected: crate::output::kind::OutputKind,
    },
}
