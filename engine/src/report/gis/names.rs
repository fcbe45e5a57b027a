//! dBASE field names: a `.dbf` field name holds at most 10 bytes, so the longer
//! column names of the audit's tables get fixed short names (listed in
//! `docs/gis.md`); names of 10 bytes or fewer stay as they are. The GeoPackage
//! keeps the full names.

/// Long column name → its `.dbf` field name, for every column longer than 10 bytes.
pub const SHORT_NAMES: [(&str, &str); 28] = [
    ("responsibility", "resp"),
    ("restored_ha", "restored"),
    ("unrestored_ha", "unrestored"),
    ("unobserved_ha", "unobserved"),
    ("restored_pct", "rest_pct"),
    ("main_responsibility", "main_resp"),
    ("restored_before_ha", "rest_bef"),
    ("unrestored_before_ha", "unrest_bef"),
    ("newly_restored_ha", "newly_rest"),
    ("redisturbed_ha", "redisturb"),
    ("observed_pct", "obs_pct"),
    ("unobserved_mask_ha", "unobs_mask"),
    ("unobserved_nodata_ha", "unobs_ndat"),
    ("unobserved_invalid_ha", "unobs_inv"),
    ("unobserved_unmapped_ha", "unobs_unmp"),
    ("unobserved_outside_ha", "unobs_out"),
    ("clear_obs_mean", "clear_obs"),
    ("unobserved_few_clear_ha", "few_clear"),
    ("ha_inside_licence", "ha_inside"),
    ("ha_outside_licence", "ha_outside"),
    ("licence_ids", "lic_ids"),
    ("nearest_licence_id", "near_id"),
    ("nearest_licence_status", "near_stat"),
    ("nearest_licence_distance_m", "near_dist"),
    ("centroid_lon", "cent_lon"),
    ("centroid_lat", "cent_lat"),
    ("compactness", "compact"),
    ("bare_before_ha", "bare_bef"),
];

/// The `.dbf` field name of column `name`.
pub fn dbf_name(name: &'static str) -> &'static str {
    SHORT_NAMES
        .iter()
        .find(|(long, _)| *long == name)
        .map(|(_, short)| *short)
        .unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::tables::{ATTRIBUTION_HEADER, COMPOSITE_COLUMNS, MINES_HEADER, PITS_HEADER};

    #[test]
    fn every_column_fits_and_is_unique_within_its_layer() {
        let layers: [Vec<&'static str>; 5] = [
            [&ATTRIBUTION_HEADER[..], &COMPOSITE_COLUMNS[..]].concat(),
            [&PITS_HEADER[..], &COMPOSITE_COLUMNS[..]].concat(),
            [&MINES_HEADER[..], &COMPOSITE_COLUMNS[..]].concat(),
            crate::report::gis::layers::ORPHANS_HEADER.to_vec(),
            crate::discover::files::CSV_HEADER.to_vec(),
        ];
        for cols in &layers {
            let mut seen = std::collections::HashSet::new();
            for &c in cols {
                let short = dbf_name(c);
                assert!(short.len() <= 10, "{c} → {short}");
                assert!(short.is_ascii(), "{short}");
                assert!(seen.insert(short), "{short} twice ({c})");
            }
        }
        // Only long names are mapped; no short name is itself a long one's.
        for (long, short) in SHORT_NAMES {
            assert!(long.len() > 10, "{long} needs no short name");
            assert_ne!(dbf_name(short), long);
        }
    }
}
