//! Allocation guard for `.shp` records, run before the `shapefile` crate reads them.
//!
//! The crate reserves memory for the part and point counts a record declares before it
//! reads them (a 2 KB file can ask for 8 GB). Here every record's counts must fit in the
//! bytes the record actually has, and its part starts must be increasing indices of
//! its points; otherwise reading stops with
//! `shapefile::Error::InvalidShapeRecordSize` for that record. Found by `fuzz/shapefile`.

/// Length of the .shp file header.
const FILE_HEADER: usize = 100;
/// Length of a record header (record number and content length, big-endian).
const RECORD_HEADER: usize = 8;

fn le_i32(b: &[u8], at: usize) -> Option<i64> {
    let bytes = b.get(at..at + 4)?;
    Some(i64::from(i32::from_le_bytes(bytes.try_into().ok()?)))
}

/// Checks that each record's part and point counts fit in its bytes. On failure returns
/// the 0-based index of the first bad record and the error to report for it.
pub(crate) fn check_record_sizes(shp: &[u8]) -> Result<(), (usize, shapefile::Error)> {
    // The crate stops at the file length the header declares (in 16-bit words).
    let declared_len = shp
        .get(24..28)
        .map(|b| i64::from(i32::from_be_bytes([b[0], b[1], b[2], b[3]])) * 2)
        .and_then(|n| usize::try_from(n).ok())
        .filter(|&n| n > FILE_HEADER)
        .unwrap_or(usize::MAX);
    let end = shp.len().min(declared_len);
    let mut offset = FILE_HEADER;
    let mut index = 0;
    while let Some(header) = shp
        .get(offset..offset + RECORD_HEADER)
        .filter(|_| offset < end)
    {
        let words = i32::from_be_bytes([header[4], header[5], header[6], header[7]]);
        // The crate reads a record's counts (and reserves for them) before it looks at
        // a negative length.
        let Ok(words) = usize::try_from(words) else {
            return Err((index, shapefile::Error::InvalidShapeRecordSize));
        };
        let declared = words.saturating_mul(2);
        let start = offset + RECORD_HEADER;
        // The crate reads the type and counts whatever the declared length (even 0).
        let content = shp.get(start..).unwrap_or(&[]);
        let available = content.len().min(declared);
        // (offset of the point count, offset of the part count) by shape type.
        let counts = match le_i32(content, 0) {
            Some(3 | 5 | 13 | 15 | 23 | 25 | 31) => Some((40, Some(36))),
            Some(8 | 18 | 28) => Some((36, None)),
            _ => None,
        };
        if let Some((points_at, parts_at)) = counts {
            let points = le_i32(content, points_at).unwrap_or(0);
            let parts = parts_at.and_then(|at| le_i32(content, at)).unwrap_or(0);
            let fixed = points_at as i64 + 4;
            let needed = fixed + parts.max(0) * 4 + points.max(0) * 16;
            if points < 0 || parts < 0 || needed > available as i64 {
                return Err((index, shapefile::Error::InvalidShapeRecordSize));
            }
            // Part starts index the points: the crate sizes each part from them.
            let mut previous = 0;
            for k in 0..parts as usize {
                let start = le_i32(content, fixed as usize + 4 * k).unwrap_or(-1);
                if start < previous || start > points {
                    return Err((index, shapefile::Error::InvalidShapeRecordSize));
                }
                previous = start;
            }
        }
        // The crate skips the rest of every record but a null one (type 0), where it
        // reads on right after the type: follow it there.
        offset = if le_i32(content, 0) == Some(0) {
            start + 4
        } else {
            start.saturating_add(declared)
        };
        index += 1;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A .shp with one polygon record of `content` (header values are not checked here).
    fn shp_with(content: &[u8]) -> Vec<u8> {
        let mut v = vec![0u8; FILE_HEADER];
        v.extend_from_slice(&1i32.to_be_bytes());
        v.extend_from_slice(&((content.len() / 2) as i32).to_be_bytes());
        v.extend_from_slice(content);
        v
    }

    fn polygon(parts: i32, points: i32, extra: usize) -> Vec<u8> {
        let mut c = 5i32.to_le_bytes().to_vec();
        c.extend_from_slice(&[0u8; 32]);
        c.extend_from_slice(&parts.to_le_bytes());
        c.extend_from_slice(&points.to_le_bytes());
        c.extend(std::iter::repeat_n(0u8, extra));
        c
    }

    #[test]
    fn counts_that_fit_pass() {
        // 1 part (4 bytes) + 4 points (64 bytes).
        assert!(check_record_sizes(&shp_with(&polygon(1, 4, 68))).is_ok());
    }

    #[test]
    fn huge_counts_are_refused_before_any_allocation() {
        let err = check_record_sizes(&shp_with(&polygon(1 << 30, 4, 68))).unwrap_err();
        assert_eq!(err.0, 0);
        assert!(matches!(err.1, shapefile::Error::InvalidShapeRecordSize));
        assert!(check_record_sizes(&shp_with(&polygon(1, 5, 68))).is_err());
        assert!(check_record_sizes(&shp_with(&polygon(-1, 4, 68))).is_err());
    }

    #[test]
    fn part_starts_must_index_the_points() {
        let with_start = |start: i32| {
            let mut c = polygon(1, 4, 0);
            c.extend_from_slice(&start.to_le_bytes());
            c.extend_from_slice(&[0u8; 64]);
            shp_with(&c)
        };
        assert!(check_record_sizes(&with_start(0)).is_ok());
        assert!(check_record_sizes(&with_start(i32::MIN)).is_err());
        assert!(check_record_sizes(&with_start(5)).is_err());
    }

    #[test]
    fn negative_record_length_is_refused() {
        let mut v = shp_with(&polygon(1, 4, 68));
        v[FILE_HEADER + 4..FILE_HEADER + 8].copy_from_slice(&(-1i32).to_be_bytes());
        assert!(check_record_sizes(&v).is_err());
    }

    #[test]
    fn a_null_record_is_followed_where_the_reader_goes() {
        // A null record claiming 8 bytes: the reader goes on after its 4-byte type,
        // where this file has a polygon header with a huge part count.
        let mut content = 0i32.to_le_bytes().to_vec();
        content.extend_from_slice(&[0u8; 4]);
        let mut v = shp_with(&content);
        v.truncate(v.len() - 4);
        v.extend_from_slice(&2i32.to_be_bytes());
        v.extend_from_slice(&100i32.to_be_bytes());
        v.extend_from_slice(&polygon(1 << 30, 4, 68));
        assert!(check_record_sizes(&v).is_err());
    }

    #[test]
    fn counts_are_read_past_a_zero_length() {
        let mut v = shp_with(&[]);
        v.extend_from_slice(&polygon(1 << 30, 4, 68));
        assert!(check_record_sizes(&v).is_err());
    }

    #[test]
    fn other_shapes_and_short_files_are_left_to_the_reader() {
        assert!(check_record_sizes(&[0u8; 50]).is_ok());
        let null = shp_with(&0i32.to_le_bytes());
        assert!(check_record_sizes(&null).is_ok());
    }
}
