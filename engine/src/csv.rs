//! Minimal RFC 4180 CSV: quoting on write, a strict reader for reading tables back.
//!
//! Fields holding a comma, a double quote, CR or LF are quoted and inner quotes
//! doubled. Records end with `\n` (a reader accepting RFC 4180 also accepts `\r\n`,
//! and this reader accepts both). Text is UTF-8, without a byte-order mark unless
//! asked for ([`BOM`], `--excel`: Excel and WPS then read Chinese text right); the
//! reader skips one.
//!
//! Tables people open (`pits.csv`, `mines.csv`) round hectares to [`HA_DECIMALS`]
//! and percentages to [`PCT_DECIMALS`] ([`fixed`]); tables for reconciliation
//! (`attribution.csv`) keep full precision ([`num`]).

use std::fmt;

/// Appends one field to `out`, quoted when RFC 4180 requires it.
pub fn push_field(out: &mut String, text: &str) {
    if text.contains([',', '"', '\r', '\n']) {
        out.push('"');
        for ch in text.chars() {
            if ch == '"' {
                out.push('"');
            }
            out.push(ch);
        }
        out.push('"');
    } else {
        out.push_str(text);
    }
}

/// Appends a whole record (fields separated by commas, ended by `\n`).
pub fn push_record<S: AsRef<str>>(out: &mut String, fields: &[S]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, f.as_ref());
    }
    out.push('\n');
}

/// A number at full precision: Rust's shortest round-trip `{}` form (never exponent).
pub fn num(v: f64) -> String {
    // −0.0 (a sum of nothing negative) is written as 0.
    if v == 0.0 {
        return "0".to_owned();
    }
    format!("{v}")
}

/// An optional number; empty when absent.
pub fn opt_num(v: Option<f64>) -> String {
    v.map(num).unwrap_or_default()
}

/// Decimals of hectares in the tables people open: 0.01 ha (100 m²).
pub const HA_DECIMALS: usize = 2;
/// Decimals of percentages in the tables people open: 0.1 %.
pub const PCT_DECIMALS: usize = 1;

/// The UTF-8 byte-order mark written first by `--excel`.
pub const BOM: &str = "\u{feff}";

/// What is wrong in a CSV file read back.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum CsvProblem {
    /// A quoted field is not closed before the end of the file.
    UnterminatedQuote,
    /// Text follows a closing quote inside a field.
    TextAfterQuote,
    /// The header lacks a column reclaim needs.
    MissingColumn { column: &'static str },
    /// A row has a different number of fields from the header.
    FieldCount { expected: usize, found: usize },
    /// A number column holds something that is not a number.
    BadNumber { column: &'static str, text: String },
    /// The file has no header line.
    Empty,
    /// An id appears twice.
    DuplicateId { id: String },
}

impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvProblem::UnterminatedQuote => write!(f, "a quoted field is never closed"),
            CsvProblem::TextAfterQuote => write!(f, "text after a closing quote"),
            CsvProblem::MissingColumn { column } => write!(f, "no column `{column}`"),
            CsvProblem::FieldCount { expected, found } => {
                write!(f, "{found} fields where the header has {expected}")
            }
            CsvProblem::BadNumber { column, text } => {
                write!(f, "column `{column}`: `{text}` is not a number")
            }
            CsvProblem::Empty => write!(f, "the file is empty"),
            CsvProblem::DuplicateId { id } => write!(f, "id `{id}` appears twice"),
        }
    }
}

/// `v` rounded to `decimals` decimals, always that many: `3.83`, `0.00`, `100.0`
/// (never `-0.00`; a non-finite value as Rust prints it).
pub fn fixed(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    match s.strip_prefix('-') {
        Some(rest) if rest.chars().all(|c| c == '0' || c == '.') => rest.to_owned(),
        _ => s,
    }
}

/// Hectares rounded to [`HA_DECIMALS`].
pub fn ha(v: f64) -> String {
    fixed(v, HA_DECIMALS)
}

/// An optional percentage rounded to [`PCT_DECIMALS`]; empty when absent.
pub fn opt_pct(v: Option<f64>) -> String {
    v.map(|p| fixed(p, PCT_DECIMALS)).unwrap_or_default()
}

/// Parses CSV text into records; the error carries the 1-based line where it arose.
///
/// A final line break is optional; a blank final line is not a record.
pub fn parse(text: &str) -> Result<Vec<Vec<String>>, (usize, CsvProblem)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut record: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1usize;
    let mut quote_line = 1usize;
    let mut chars = text.chars().peekable();
    // States: at field start, inside unquoted field, inside quoted, after closing quote.
    let mut in_quotes = false;
    let mut after_quote = false;
    let mut any = false; // anything seen on the current record
    while let Some(c) = chars.next() {
        if in_quotes {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => {
                    in_quotes = false;
                    after_quote = true;
                }
                _ => {
                    if c == '\n' {
                        line += 1;
                    }
                    field.push(c);
                }
            }
            continue;
        }
        match c {
            ',' => {
                record.push(std::mem::take(&mut field));
                after_quote = false;
                any = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' => {
                if any || !field.is_empty() || after_quote {
                    record.push(std::mem::take(&mut field));
                    records.push(std::mem::take(&mut record));
                }
                after_quote = false;
                any = false;
                line += 1;
            }
            '"' if field.is_empty() && !after_quote => {
                in_quotes = true;
                quote_line = line;
                any = true;
            }
            _ if after_quote => return Err((line, CsvProblem::TextAfterQuote)),
            _ => {
                field.push(c);
                any = true;
            }
        }
    }
    if in_quotes {
        return Err((quote_line, CsvProblem::UnterminatedQuote));
    }
    if any || !field.is_empty() || after_quote {
        record.push(field);
        records.push(record);
    }
    Ok(records)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_only_when_needed() {
        let mut s = String::new();
        push_record(&mut s, &["a", "b,c", "say \"hi\"", "两\n行", "伊通"]);
        assert_eq!(s, "a,\"b,c\",\"say \"\"hi\"\"\",\"两\n行\",伊通\n");
    }

    #[test]
    fn parse_reads_back_what_push_wrote() {
        let rows = [
            vec!["x", "", "a,b", "q\"q", "l1\r\nl2"],
            vec!["", "", "", "", ""],
        ];
        let mut s = String::new();
        for r in &rows {
            push_record(&mut s, r);
        }
        let back = parse(&s).unwrap();
        let expected: Vec<Vec<String>> = rows
            .iter()
            .map(|r| r.iter().map(|f| f.to_string()).collect())
            .collect();
        assert_eq!(back, expected);
    }

    #[test]
    fn crlf_and_missing_final_newline() {
        assert_eq!(
            parse("a,b\r\n1,2").unwrap(),
            vec![vec!["a", "b"], vec!["1", "2"]]
        );
    }

    #[test]
    fn malformed_quotes_are_errors_with_line() {
        assert_eq!(
            parse("a\n\"open,b\n").unwrap_err(),
            (2, CsvProblem::UnterminatedQuote)
        );
        assert_eq!(
            parse("a\n\"x\"y\n").unwrap_err(),
            (2, CsvProblem::TextAfterQuote)
        );
    }

    #[test]
    fn rounded_numbers_have_fixed_decimals_and_no_negative_zero() {
        assert_eq!(ha(3.826_249_999_999_999_5), "3.83");
        assert_eq!(ha(0.0), "0.00");
        assert_eq!(ha(-0.001), "0.00");
        assert_eq!(ha(-1.5), "-1.50");
        assert_eq!(opt_pct(Some(100.000_000_000_000_01)), "100.0");
        assert_eq!(opt_pct(Some(51.604_743)), "51.6");
        assert_eq!(opt_pct(None), "");
        assert_eq!(fixed(f64::NAN, 2), "NaN");
    }

    #[test]
    fn a_bom_is_skipped_by_the_reader() {
        let text = format!("{BOM}a,b\n1,2\n");
        assert_eq!(parse(&text).unwrap()[0], ["a", "b"]);
    }

    #[test]
    fn numbers_are_shortest_round_trip_without_exponent() {
        assert_eq!(num(0.1 + 0.2), "0.30000000000000004");
        assert_eq!(num(1e-7), "0.0000001");
        assert_eq!(num(705.09), "705.09");
        assert_eq!(opt_num(None), "");
        let v = 522.380_000_000_1_f64;
        assert_eq!(num(v).parse::<f64>().unwrap(), v);
    }
}
