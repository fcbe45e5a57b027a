//! The `.shx` index checked against its `.shp`.
//!
//! reclaim reads the `.shp` sequentially and does not need the `.shx`, but GDAL, QGIS
//! and ArcGIS find records through it. An index that disagrees with the `.shp`
//! (copied from another layer, left over after an edit, damaged) means those tools see
//! different shapes than reclaim, so the audit would not be reproducible: it is an
//! error naming the first record that disagrees. A missing `.shx` is fine.

use std::io::{BufReader, Read, Seek};
use std::path::Path;

use super::error::{Malformation, VectorError};

/// Length of the `.shp` / `.shx` file header.
const HEADER: u64 = 100;
/// Length of one `.shx` entry and of one `.shp` record header.
const ENTRY: u64 = 8;

/// Checks `shx` against the record layout of `shp`.
///
/// # Errors
/// [`VectorError::Malformed`] on the `.shx` ([`Malformation::ShxLength`],
/// [`Malformation::ShxMismatch`]); [`VectorError::Io`] when a file cannot be read.
pub fn check(shp: &Path, shx: &Path) -> Result<(), VectorError> {
    let io = |p: &Path| {
        let p = p.to_path_buf();
        move |source| VectorError::Io { path: p, source }
    };
    let records = record_layout(shp).map_err(io(shp))?;
    let len = std::fs::metadata(shx).map_err(io(shx))?.len();
    let expected = HEADER + ENTRY * records.len() as u64;
    if len != expected {
        return Err(VectorError::Malformed {
            path: shx.to_path_buf(),
            problem: Malformation::ShxLength {
                len,
                records: records.len(),
            },
        });
    }
    let mut r = BufReader::new(std::fs::File::open(shx).map_err(io(shx))?);
    r.seek(std::io::SeekFrom::Start(HEADER)).map_err(io(shx))?;
    for (record, &(offset, words)) in records.iter().enumerate() {
        let mut e = [0u8; 8];
        r.read_exact(&mut e).map_err(io(shx))?;
        let shx_offset = u64::from(u32::from_be_bytes([e[0], e[1], e[2], e[3]])) * 2;
        let shx_words = u32::from_be_bytes([e[4], e[5], e[6], e[7]]);
        if shx_offset != offset || shx_words != words {
            return Err(VectorError::Malformed {
                path: shx.to_path_buf(),
                problem: Malformation::ShxMismatch {
                    record,
                    shx_offset,
                    shp_offset: offset,
                },
            });
        }
    }
    Ok(())
}

/// Byte offset and content length (16-bit words) of every complete record of a `.shp`,
/// walking the record headers; stops at the first record that runs past the end (the
/// shape reader reports that one).
fn record_layout(shp: &Path) -> std::io::Result<Vec<(u64, u32)>> {
    let len = std::fs::metadata(shp)?.len();
    let mut r = BufReader::new(std::fs::File::open(shp)?);
    let mut out = Vec::new();
    let mut at = HEADER;
    if len < HEADER {
        return Ok(out);
    }
    r.seek(std::io::SeekFrom::Start(HEADER))?;
    while at + ENTRY <= len {
        let mut h = [0u8; 8];
        r.read_exact(&mut h)?;
        let words = u32::from_be_bytes([h[4], h[5], h[6], h[7]]);
        let end = at + ENTRY + 2 * u64::from(words);
        if end > len {
            break;
        }
        out.push((at, words));
        r.seek_relative(2 * i64::from(words))?;
        at = end;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A .shp of `n` null records (content: shape type 0, 2 words each) and its index.
    fn files(n: usize) -> (Vec<u8>, Vec<u8>) {
        let mut shp = vec![0u8; 100];
        let mut shx = vec![0u8; 100];
        for i in 0..n {
            let offset = 50 + 6 * i as u32; // words: header 4 + content 2 per record
            shx.extend(offset.to_be_bytes());
            shx.extend(2u32.to_be_bytes());
            shp.extend((i as u32 + 1).to_be_bytes());
            shp.extend(2u32.to_be_bytes());
            shp.extend(0u32.to_le_bytes());
        }
        (shp, shx)
    }

    #[test]
    fn a_matching_index_passes_and_a_wrong_entry_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (shp, mut shx) = files(3);
        let (p, x) = (dir.path().join("a.shp"), dir.path().join("a.shx"));
        std::fs::write(&p, &shp).unwrap();
        std::fs::write(&x, &shx).unwrap();
        assert!(check(&p, &x).is_ok());
        // Record 2 is at byte 100 + 2 × 12 = 124; the index says 130.
        shx[100 + 16..100 + 20].copy_from_slice(&65u32.to_be_bytes());
        std::fs::write(&x, &shx).unwrap();
        assert!(matches!(
            check(&p, &x),
            Err(VectorError::Malformed {
                problem: Malformation::ShxMismatch {
                    record: 2,
                    shx_offset: 130,
                    shp_offset: 124
                },
                ..
            })
        ));
        // An index of another length.
        std::fs::write(&x, &shx[..108]).unwrap();
        assert!(matches!(
            check(&p, &x),
            Err(VectorError::Malformed {
                problem: Malformation::ShxLength {
                    len: 108,
                    records: 3
                },
                ..
            })
        ));
    }
}
