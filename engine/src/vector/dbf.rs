//! dBase (.dbf) attribute tables of shapefiles.
//!
//! reclaim reads the .dbf itself rather than through the `dbase` crate because it needs
//! (1) deleted records to keep their slot, so attributes stay aligned with shapes
//! (`dbase` skips them silently); (2) the raw bytes of names and values, to detect the
//! encoding and to decode strictly (`dbase` replaces bad bytes with `�`); and (3) field
//! *names* decoded with the same encoding as values (图斑编号 in GBK).
//!
//! Layout: a 32-byte header (record count at 4, header length at 8, record length at 10,
//! language driver at 29), 32-byte field descriptors ending with 0x0D, then fixed-width
//! records, each starting with a deletion flag (`*` = deleted).
//!
//! Values: `C` text (trailing blanks trimmed; blank = null); `N`/`F` numbers (integers
//! when the field has no decimals); `L` logical; `D` date (`YYYYMMDD`); `I` 32-bit
//! integer; `O` double; `Y` currency. Memo, binary and date-time fields read as null.
//! A value that does not parse under its declared type is kept as text.

use std::path::{Path, PathBuf};

use encoding_rs::Encoding;

use super::encoding::{decode_strict, encoding_for_label, encoding_for_ldid};
use super::error::{EncodingSource, Limit, Malformation, VectorError};
use super::feature::FieldValue;
use super::options::ReadOptions;

/// Size of the fixed dBase header and of each field descriptor.
const BLOCK: usize = 32;
/// Byte that ends the field descriptors.
const HEADER_TERMINATOR: u8 = 0x0D;
/// Deletion flag of a deleted record.
const DELETED: u8 = b'*';
/// Largest .cpg file read (labels are a few bytes).
const MAX_CPG_BYTES: u64 = 1024;

/// One column of a .dbf table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DbfField {
    /// Decoded name.
    pub name: String,
    /// Type letter (`C`, `N`, `F`, `L`, `D`, `I`, `O`, `Y`, `M` …).
    pub kind: char,
    /// Width in bytes.
    pub length: usize,
    /// Decimal places (numeric fields).
    pub decimals: u8,
    /// Offset of the field within a record (after the deletion flag).
    offset: usize,
}

/// A decoded .dbf table.
#[derive(Debug, Clone)]
pub struct DbfTable {
    /// The .dbf file.
    pub path: PathBuf,
    /// Columns in file order.
    pub fields: Vec<DbfField>,
    /// One entry per record in file order; `None` for a deleted record.
    pub records: Vec<Option<Vec<FieldValue>>>,
    /// Encoding used for names and text values.
    pub encoding: &'static Encoding,
    /// Where the encoding was chosen from.
    pub encoding_source: EncodingSource,
    /// The header's language-driver byte.
    pub ldid: u8,
}

impl DbfTable {
    /// Field names in file order.
    pub fn field_names(&self) -> Vec<String> {
        self.fields.iter().map(|f| f.name.clone()).collect()
    }

    /// The value of `field` in record `index` (`None` for deleted records or unknown fields).
    pub fn value(&self, index: usize, field: &str) -> Option<&FieldValue> {
        let col = self.fields.iter().position(|f| f.name == field)?;
        self.records.get(index)?.as_ref()?.get(col)
    }
}

/// Reads a .dbf attribute table alone (no geometry), choosing its encoding from
/// `opts.encoding`, then the `.cpg` next to it, then the header, then detection.
///
/// # Errors
/// Io, Malformed (header or truncation), UnknownEncoding, Encoding, LimitExceeded.
pub fn read_dbf(path: &Path, opts: &ReadOptions) -> Result<DbfTable, VectorError> {
    let cpg = super::sidecar::sidecar(path, "cpg");
    read_dbf_with_cpg(path, cpg.as_deref(), opts)
}

/// [`read_dbf`] with the `.cpg` location given (a shapefile's .cpg sits next to the .shp).
pub(crate) fn read_dbf_with_cpg(
    path: &Path,
    cpg: Option<&Path>,
    opts: &ReadOptions,
) -> Result<DbfTable, VectorError> {
    let bytes = crate::input::read_capped(path, opts.max_file_bytes, crate::input::Cap::Vector)?;
    let declared = match &opts.encoding {
        Some(label) => Some((label.clone(), EncodingSource::Explicit)),
        None => match cpg {
            Some(cpg_path) => read_cpg(cpg_path)?.map(|l| (l, EncodingSource::Cpg)),
            None => None,
        },
    };
    let declared = match declared {
        Some((label, origin)) => match encoding_for_label(&label) {
            Some(enc) => Some((enc, origin)),
            None => {
                return Err(VectorError::UnknownEncoding {
                    path: path.to_path_buf(),
                    label: label.trim().to_string(),
                    origin,
                })
            }
        },
        None => None,
    };
    parse_dbf(path, &bytes, declared, opts.max_features)
}

/// The label in a .cpg file, or `None` when it is empty.
fn read_cpg(path: &Path) -> Result<Option<String>, VectorError> {
    use std::io::Read;
    let io = |source| VectorError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = crate::input::open_regular(path)?;
    let mut buf = Vec::new();
    file.take(MAX_CPG_BYTES).read_to_end(&mut buf).map_err(io)?;
    let label = String::from_utf8_lossy(&buf)
        .trim()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_string();
    Ok((!label.is_empty()).then_some(label))
}

/// Raw field descriptor before names are decoded.
struct RawField<'a> {
    name: &'a [u8],
    kind: u8,
    length: usize,
    decimals: u8,
    offset: usize,
}

/// Parses .dbf bytes. `declared` is the encoding from --encoding or .cpg, if any.
pub(crate) fn parse_dbf(
    path: &Path,
    bytes: &[u8],
    declared: Option<(&'static Encoding, EncodingSource)>,
    max_records: usize,
) -> Result<DbfTable, VectorError> {
    let malformed = |problem| VectorError::Malformed {
        path: path.to_path_buf(),
        problem,
    };
    let header = bytes
        .get(..BLOCK)
        .ok_or(malformed(Malformation::DbfTooShort { len: bytes.len() }))?;
    let u16_at = |i: usize| usize::from(u16::from_le_bytes([header[i], header[i + 1]]));
    let claimed = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
    let header_len = u16_at(8);
    let record_len = u16_at(10);
    let ldid = header[29];
    if header_len < BLOCK + 1 || header_len > bytes.len() {
        return Err(malformed(Malformation::DbfHeaderLength {
            header_len,
            file_len: bytes.len(),
        }));
    }

    // Field descriptors: 32 bytes each until the terminator or the end of the header.
    let mut raw_fields = Vec::new();
    let mut offset = 1; // after the deletion flag
    let mut pos = BLOCK;
    while let Some(desc) = bytes
        .get(pos..pos + BLOCK)
        .filter(|_| pos + BLOCK <= header_len)
    {
        if desc[0] == HEADER_TERMINATOR {
            break;
        }
        let name_end = desc[..11].iter().position(|&b| b == 0).unwrap_or(11);
        let length = usize::from(desc[16]);
        raw_fields.push(RawField {
            name: trim_blanks(&desc[..name_end]),
            kind: desc[11].to_ascii_uppercase(),
            length,
            decimals: desc[17],
            offset,
        });
        offset += length;
        pos += BLOCK;
    }
    let needed = offset;
    if record_len < needed {
        return Err(malformed(Malformation::DbfRecordLength {
            record_len,
            needed,
        }));
    }
    let present = (bytes.len() - header_len) / record_len;
    if claimed > present {
        return Err(malformed(Malformation::DbfTruncated { claimed, present }));
    }
    if claimed > max_records {
        return Err(VectorError::LimitExceeded {
            path: path.to_path_buf(),
            what: Limit::Features,
            limit: max_records,
        });
    }
    let record_at = |i: usize| {
        let start = header_len + i * record_len;
        bytes.get(start..start + record_len).unwrap_or(&[])
    };

    let (encoding, encoding_source) = match declared {
        Some(d) => d,
        None => match encoding_for_ldid(ldid) {
            Some(enc) => (enc, EncodingSource::LanguageDriver),
            None if all_text_is_utf8(&raw_fields, claimed, record_at) => {
                (encoding_rs::UTF_8, EncodingSource::DetectedUtf8)
            }
            None => (encoding_rs::GB18030, EncodingSource::DefaultGb18030),
        },
    };
    let encoding_error = |feature, field_index, field| VectorError::Encoding {
        path: path.to_path_buf(),
        encoding: encoding.name(),
        origin: encoding_source,
        feature,
        field_index,
        field,
    };

    let mut fields = Vec::with_capacity(raw_fields.len());
    for (k, raw) in raw_fields.iter().enumerate() {
        let name = decode_strict(encoding, raw.name, false)
            .ok_or_else(|| encoding_error(None, k, None))?;
        fields.push(DbfField {
            name,
            kind: char::from(raw.kind),
            length: raw.length,
            decimals: raw.decimals,
            offset: raw.offset,
        });
    }

    let mut records = Vec::with_capacity(claimed);
    for i in 0..claimed {
        let record = record_at(i);
        if record.first() == Some(&DELETED) {
            records.push(None);
            continue;
        }
        let mut values = Vec::with_capacity(fields.len());
        for (k, field) in fields.iter().enumerate() {
            let raw = record
                .get(field.offset..field.offset + field.length)
                .unwrap_or(&[]);
            let value = parse_value(field, raw, encoding)
                .ok_or_else(|| encoding_error(Some(i), k, Some(field.name.clone())))?;
            values.push(value);
        }
        records.push(Some(values));
    }

    Ok(DbfTable {
        path: path.to_path_buf(),
        fields,
        records,
        encoding,
        encoding_source,
        ldid,
    })
}

/// True when every field name and every text value is valid UTF-8.
fn all_text_is_utf8<'a>(
    fields: &[RawField<'_>],
    records: usize,
    record_at: impl Fn(usize) -> &'a [u8],
) -> bool {
    if fields.iter().any(|f| std::str::from_utf8(f.name).is_err()) {
        return false;
    }
    let text: Vec<&RawField<'_>> = fields.iter().filter(|f| f.kind == b'C').collect();
    (0..records).all(|i| {
        let record = record_at(i);
        text.iter().all(|f| {
            let raw = record.get(f.offset..f.offset + f.length).unwrap_or(&[]);
            std::str::from_utf8(trim_blanks(raw)).is_ok()
        })
    })
}

/// Strips trailing blanks and NULs (the padding of fixed-width fields).
fn trim_blanks(raw: &[u8]) -> &[u8] {
    let end = raw
        .iter()
        .rposition(|&b| b != b' ' && b != 0)
        .map_or(0, |p| p + 1);
    &raw[..end]
}

/// Decodes one value; `None` only when text does not decode in `encoding`.
fn parse_value(field: &DbfField, raw: &[u8], encoding: &'static Encoding) -> Option<FieldValue> {
    let ascii = || String::from_utf8_lossy(trim_blanks(raw)).trim().to_string();
    Some(match field.kind {
        'C' => {
            let text = trim_blanks(raw);
            if text.is_empty() {
                FieldValue::Null
            } else {
                FieldValue::Text(decode_strict(encoding, text, text.len() == raw.len())?)
            }
        }
        'N' | 'F' => parse_number(&ascii(), field.decimals),
        'L' => match raw.iter().find(|&&b| b != b' ') {
            Some(b'T' | b't' | b'Y' | b'y') => FieldValue::Bool(true),
            Some(b'F' | b'f' | b'N' | b'n') => FieldValue::Bool(false),
            _ => FieldValue::Null,
        },
        'D' => parse_date(&ascii()),
        'I' | '+' => match raw {
            [a, b, c, d] => FieldValue::Int(i64::from(i32::from_le_bytes([*a, *b, *c, *d]))),
            _ => FieldValue::Null,
        },
        'O' => match <[u8; 8]>::try_from(raw) {
            Ok(b) => Some(f64::from_le_bytes(b))
                .filter(|v| v.is_finite())
                .map_or(FieldValue::Null, FieldValue::Float),
            Err(_) => FieldValue::Null,
        },
        'Y' => match <[u8; 8]>::try_from(raw) {
            Ok(b) => FieldValue::Float(i64::from_le_bytes(b) as f64 / 10_000.0),
            Err(_) => FieldValue::Null,
        },
        'M' | 'G' | 'P' | 'B' | 'T' | '@' | 'W' | 'V' | 'Q' | '0' => FieldValue::Null,
        _ => {
            let text = trim_blanks(raw);
            if text.is_empty() {
                FieldValue::Null
            } else {
                FieldValue::Text(decode_strict(encoding, text, text.len() == raw.len())?)
            }
        }
    })
}

/// A numeric field's text: blank or overflow stars → null; integers when the field has
/// no decimals; unparsable text is kept as text.
fn parse_number(text: &str, decimals: u8) -> FieldValue {
    if text.is_empty() || text.bytes().all(|b| b == b'*') {
        return FieldValue::Null;
    }
    if decimals == 0 {
        if let Ok(i) = text.trim_start_matches('+').parse::<i64>() {
            return FieldValue::Int(i);
        }
    }
    let is_numeric = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'));
    match text.parse::<f64>() {
        Ok(v) if is_numeric && v.is_finite() => FieldValue::Float(v),
        _ => FieldValue::Text(text.to_string()),
    }
}

/// A `YYYYMMDD` date; blank or all-zero → null; an impossible date is kept as text.
fn parse_date(text: &str) -> FieldValue {
    if text.is_empty() || text.bytes().all(|b| b == b'0') {
        return FieldValue::Null;
    }
    let digits = text.len() == 8 && text.bytes().all(|b| b.is_ascii_digit());
    let part = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<u32>().ok());
    if let (true, Some(year), Some(month), Some(day)) = (digits, part(0..4), part(4..6), part(6..8))
    {
        if (1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month) {
            return FieldValue::Date {
                year: year as i32,
                month,
                day,
            };
        }
    }
    FieldValue::Text(text.to_string())
}

/// Days in a month of the proleptic Gregorian calendar.
fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a .dbf: fields (name bytes, type, length, decimals), records of raw values.
    fn dbf(ldid: u8, fields: &[(&[u8], u8, u8, u8)], records: &[(u8, Vec<&[u8]>)]) -> Vec<u8> {
        let header_len = 32 + 32 * fields.len() + 1;
        let record_len = 1 + fields.iter().map(|f| usize::from(f.2)).sum::<usize>();
        let mut out = vec![0u8; 32];
        out[0] = 0x03;
        out[4..8].copy_from_slice(&(records.len() as u32).to_le_bytes());
        out[8..10].copy_from_slice(&(header_len as u16).to_le_bytes());
        out[10..12].copy_from_slice(&(record_len as u16).to_le_bytes());
        out[29] = ldid;
        for (name, kind, len, dec) in fields {
            let mut d = [0u8; 32];
            d[..name.len()].copy_from_slice(name);
            d[11] = *kind;
            d[16] = *len;
            d[17] = *dec;
            out.extend_from_slice(&d);
        }
        out.push(HEADER_TERMINATOR);
        for (flag, values) in records {
            out.push(*flag);
            for ((_, _, len, _), v) in fields.iter().zip(values) {
                let mut cell = v.to_vec();
                cell.resize(usize::from(*len), b' ');
                out.extend_from_slice(&cell);
            }
        }
        out.push(0x1A);
        out
    }

    fn parse(bytes: &[u8], declared: Option<&'static Encoding>) -> Result<DbfTable, VectorError> {
        parse_dbf(
            Path::new("t.dbf"),
            bytes,
            declared.map(|e| (e, EncodingSource::Explicit)),
            1000,
        )
    }

    #[test]
    fn typed_values_and_deleted_records() {
        let fields: &[(&[u8], u8, u8, u8)] = &[
            (b"NAME", b'C', 8, 0),
            (b"N_INT", b'N', 6, 0),
            (b"N_DEC", b'N', 8, 2),
            (b"OK", b'L', 1, 0),
            (b"UNTIL", b'D', 8, 0),
        ];
        let bytes = dbf(
            0,
            fields,
            &[
                (b' ', vec![b"pit", b"    42", b"  -3.25", b"T", b"20261231"]),
                (b'*', vec![b"gone", b"1", b"1", b"F", b"20200101"]),
                (b' ', vec![b"", b"", b"********", b"?", b"20230230"]),
            ],
        );
        let t = parse(&bytes, None).unwrap();
        assert_eq!(t.field_names(), ["NAME", "N_INT", "N_DEC", "OK", "UNTIL"]);
        assert_eq!(t.encoding_source, EncodingSource::DetectedUtf8);
        assert_eq!(t.records.len(), 3);
        assert_eq!(
            t.records[0].as_deref().unwrap(),
            &[
                FieldValue::Text("pit".into()),
                FieldValue::Int(42),
                FieldValue::Float(-3.25),
                FieldValue::Bool(true),
                FieldValue::Date {
                    year: 2026,
                    month: 12,
                    day: 31
                },
            ]
        );
        assert!(t.records[1].is_none(), "deleted record keeps its slot");
        assert_eq!(
            t.records[2].as_deref().unwrap(),
            &[
                FieldValue::Null,
                FieldValue::Null,
                FieldValue::Null,
                FieldValue::Null,
                FieldValue::Text("20230230".into()), // 30 February is kept as text
            ]
        );
        assert_eq!(t.value(0, "N_INT"), Some(&FieldValue::Int(42)));
        assert_eq!(t.value(1, "N_INT"), None);
    }

    #[test]
    fn gbk_names_and_values_detected_as_gb18030() {
        // 图斑编号 = "TB-1", 采矿权人 = 简体 — GBK bytes, no declaration.
        let name1 = [0xCD, 0xBC, 0xB0, 0xDF, 0xB1, 0xE0, 0xBA, 0xC5];
        let name2 = [0xB2, 0xC9, 0xBF, 0xF3, 0xC8, 0xA8, 0xC8, 0xCB];
        let fields: &[(&[u8], u8, u8, u8)] = &[(&name1, b'C', 10, 0), (&name2, b'C', 10, 0)];
        let bytes = dbf(
            0,
            fields,
            &[(b' ', vec![b"TB-1", &[0xBC, 0xF2, 0xCC, 0xE5]])],
        );
        let t = parse(&bytes, None).unwrap();
        assert_eq!(t.encoding_source, EncodingSource::DefaultGb18030);
        assert_eq!(t.field_names(), ["图斑编号", "采矿权人"]);
        assert_eq!(
            t.value(0, "采矿权人"),
            Some(&FieldValue::Text("简体".into()))
        );
        // The same bytes declared UTF-8 are an error naming the field (its name first).
        match parse(&bytes, Some(encoding_rs::UTF_8)) {
            Err(VectorError::Encoding {
                feature: None,
                field_index: 0,
                ..
            }) => {}
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn language_driver_byte_is_used() {
        let fields: &[(&[u8], u8, u8, u8)] = &[(b"NAME", b'C', 4, 0)];
        let bytes = dbf(0x7A, fields, &[(b' ', vec![&[0xBC, 0xF2, 0xCC, 0xE5]])]);
        let t = parse(&bytes, None).unwrap();
        assert_eq!(t.encoding, encoding_rs::GBK);
        assert_eq!(t.encoding_source, EncodingSource::LanguageDriver);
        assert_eq!(t.value(0, "NAME"), Some(&FieldValue::Text("简体".into())));
    }

    #[test]
    fn broken_headers_are_errors() {
        let fields: &[(&[u8], u8, u8, u8)] = &[(b"NAME", b'C', 4, 0)];
        let good = dbf(0, fields, &[(b' ', vec![b"abcd"]), (b' ', vec![b"efgh"])]);
        // Too short.
        assert!(matches!(
            parse(&good[..20], None),
            Err(VectorError::Malformed {
                problem: Malformation::DbfTooShort { len: 20 },
                ..
            })
        ));
        // Truncated: the second record is cut.
        assert!(matches!(
            parse(&good[..good.len() - 4], None),
            Err(VectorError::Malformed {
                problem: Malformation::DbfTruncated {
                    claimed: 2,
                    present: 1
                },
                ..
            })
        ));
        // Header length beyond the file.
        let mut bad = good.clone();
        bad[8..10].copy_from_slice(&u16::MAX.to_le_bytes());
        assert!(matches!(
            parse(&bad, None),
            Err(VectorError::Malformed { .. })
        ));
        // Record length smaller than the fields.
        let mut bad = good.clone();
        bad[10..12].copy_from_slice(&2u16.to_le_bytes());
        assert!(matches!(
            parse(&bad, None),
            Err(VectorError::Malformed {
                problem: Malformation::DbfRecordLength {
                    record_len: 2,
                    needed: 5
                },
                ..
            })
        ));
        // A huge record count is a limit, not an allocation.
        let mut bad = good;
        bad[4..8].copy_from_slice(&u32::MAX.to_le_bytes());
        assert!(matches!(
            parse(&bad, None),
            Err(VectorError::Malformed { .. })
        ));
    }

    #[test]
    fn record_limit() {
        let fields: &[(&[u8], u8, u8, u8)] = &[(b"A", b'N', 1, 0)];
        let bytes = dbf(0, fields, &[(b' ', vec![b"1"]), (b' ', vec![b"2"])]);
        let r = parse_dbf(Path::new("t.dbf"), &bytes, None, 1);
        assert!(matches!(
            r,
            Err(VectorError::LimitExceeded {
                what: Limit::Features,
                limit: 1,
                ..
            })
        ));
    }

    #[test]
    fn numbers_and_dates() {
        assert_eq!(parse_number("1e3", 0), FieldValue::Float(1000.0));
        assert_eq!(parse_number("12", 2), FieldValue::Float(12.0));
        assert_eq!(parse_number("abc", 0), FieldValue::Text("abc".into()));
        assert_eq!(parse_number("inf", 0), FieldValue::Text("inf".into()));
        assert_eq!(
            parse_date("20240229"),
            FieldValue::Date {
                year: 2024,
                month: 2,
                day: 29
            }
        );
        assert_eq!(parse_date("20230229"), FieldValue::Text("20230229".into()));
        assert_eq!(parse_date("00000000"), FieldValue::Null);
        assert_eq!(parse_date("2024-1-1"), FieldValue::Text("2024-1-1".into()));
    }
}
