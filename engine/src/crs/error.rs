//! Typed errors of the CRS layer.
//!
//! Variants separate *unknown input* (an EPSG code or WKT that reclaim does not know),
//! *broken input* (WKT that does not parse), *unsupported features* (a geocentric CRS,
//! a projection proj4rs lacks) and *failures at a point* (a coordinate outside the
//! projection's domain). Every message says how to fix the problem.

/// Errors resolving or using a CRS.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CrsError {
    /// The EPSG code is not in reclaim's built-in EPSG table.
    #[error(
        "EPSG:{code} is not in reclaim's built-in EPSG table; pass --crs with a proj4 string \
         (\"+proj=tmerc ...\"), or reproject the data first, e.g. \
         `ogr2ogr -t_srs EPSG:32651 out.shp in.shp` / `gdalwarp -t_srs EPSG:32651 in.tif out.tif`"
    )]
    UnknownEpsg {
        /// The code as given.
        code: u32,
    },

    /// The CRS is known but cannot be used for 2-D reprojection and areas.
    #[error(
        "{crs} cannot be used: {reason}; reproject the data to a projected CRS in metres, \
         e.g. `ogr2ogr -t_srs EPSG:32651 ...` or `gdalwarp -t_srs EPSG:32651 ...`"
    )]
    UnsupportedCrs {
        /// The CRS as named by the input (e.g. "EPSG:4978").
        crs: String,
        /// Why it is unusable.
        reason: &'static str,
    },

    /// WKT text whose syntax is broken (unbalanced brackets, bad number, …).
    #[error(
        "malformed WKT at byte {offset}: {reason}; check the .prj file, or pass --crs EPSG:xxxx"
    )]
    MalformedWkt {
        /// Byte offset in the WKT text where parsing failed.
        offset: usize,
        /// What was wrong there.
        reason: &'static str,
    },

    /// Well-formed WKT that reclaim cannot turn into a CRS.
    #[error(
        "cannot use the WKT coordinate system {name:?} (projection {projection:?}): {detail}; \
         pass --crs EPSG:xxxx with the data's EPSG code, or reproject it with \
         `ogr2ogr -t_srs EPSG:32651 ...`"
    )]
    UnrecognisedWkt {
        /// Name of the coordinate system in the WKT (may be empty).
        name: String,
        /// PROJECTION name in the WKT ("" for a geographic CRS).
        projection: String,
        /// What exactly was not understood.
        detail: String,
    },

    /// A `--crs` value that is neither an EPSG code, a proj4 string, a URN nor WKT.
    #[error(
        "cannot read the CRS {input:?}: {reason}; write it as EPSG:32651, 4490, \
         \"+proj=utm +zone=51 +datum=WGS84\" or WKT"
    )]
    UnrecognisedUserString {
        /// The string as given (truncated to 200 characters).
        input: String,
        /// What was expected.
        reason: &'static str,
    },

    /// A proj4 definition that proj4rs rejects.
    #[error("invalid proj4 definition {proj4:?}: {detail}; check the +proj parameters, or pass --crs EPSG:xxxx")]
    InvalidProj4 {
        /// The definition.
        proj4: String,
        /// proj4rs's reason.
        detail: String,
    },

    /// A point could not be reprojected (outside the projection's domain, NaN, …).
    #[error(
        "cannot reproject point ({x}, {y}) from {from} to {to}: {detail}; check that the data's \
         CRS is right (a .prj file or --crs EPSG:xxxx), or reproject it first with \
         `ogr2ogr -t_srs {to} ...`"
    )]
    Projection {
        /// Source CRS label.
        from: String,
        /// Target CRS label.
        to: String,
        /// Input x (longitude in degrees for a geographic source).
        x: f64,
        /// Input y (latitude in degrees for a geographic source).
        y: f64,
        /// proj4rs's reason.
        detail: String,
    },
}

/// Shortens user-supplied text kept in an error (hostile input may be huge).
pub(crate) fn clip(s: &str) -> String {
    const MAX_CHARS: usize = 200;
    if s.chars().count() <= MAX_CHARS {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(MAX_CHARS).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_epsg_message_says_how_to_fix() {
        let msg = CrsError::UnknownEpsg { code: 99999 }.to_string();
        assert!(msg.contains("EPSG:99999"));
        assert!(msg.contains("--crs"));
        assert!(msg.contains("ogr2ogr -t_srs EPSG:32651"));
    }

    #[test]
    fn clip_keeps_short_and_cuts_long() {
        assert_eq!(clip("EPSG:4326"), "EPSG:4326");
        let long = "x".repeat(1000);
        let c = clip(&long);
        assert_eq!(c.chars().count(), 201);
        assert!(c.ends_with('…'));
    }
}
