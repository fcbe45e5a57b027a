//! Calendar dates for licence valid-to fields.
//!
//! Licence tables write dates in many layouts; [`Date::parse`] accepts the common ones
//! (`2025-12-31`, `2025/12/31`, `2025.12.31`, `20251231`, `2025年12月31日`, with one- or
//! two-digit month and day when separated) and rejects dates that do not exist.

use std::fmt;

use super::error::{AttributeError, DateProblem};

/// A proleptic Gregorian calendar date; ordered chronologically.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    /// Year, 1–9999.
    pub year: i32,
    /// Month, 1–12.
    pub month: u32,
    /// Day of the month, 1–28/29/30/31.
    pub day: u32,
}

impl Date {
    /// Builds a date, checking that it exists.
    ///
    /// # Errors
    /// [`AttributeError::InvalidDate`] when the year, month or day is out of range.
    pub fn new(year: i32, month: u32, day: u32) -> Result<Date, AttributeError> {
        let date = Date { year, month, day };
        match date.problem() {
            None => Ok(date),
            Some(problem) => Err(AttributeError::InvalidDate {
                licence: None,
                value: date.to_string(),
                problem,
            }),
        }
    }

    /// Parses one of the accepted layouts (see the module docs); surrounding blanks are ignored.
    ///
    /// ```
    /// use reclaim::attribute::Date;
    /// let d = Date::parse("2025年1月31日").unwrap();
    /// assert_eq!(d, Date { year: 2025, month: 1, day: 31 });
    /// assert!(Date::parse("2025-02-30").is_err());
    /// ```
    ///
    /// # Errors
    /// [`AttributeError::InvalidDate`] for an unknown layout or a date that does not exist.
    pub fn parse(text: &str) -> Result<Date, AttributeError> {
        let fail = |problem| AttributeError::InvalidDate {
            licence: None,
            value: text.to_string(),
            problem,
        };
        let (y, m, d) = split_fields(text.trim()).ok_or(fail(DateProblem::Layout))?;
        let date = Date {
            year: y,
            month: m,
            day: d,
        };
        match date.problem() {
            None => Ok(date),
            Some(problem) => Err(fail(problem)),
        }
    }

    /// Parses an optional date: blank text means "no date".
    ///
    /// # Errors
    /// As [`Date::parse`], with the licence id filled in.
    pub fn parse_optional(licence_id: &str, text: &str) -> Result<Option<Date>, AttributeError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        Date::parse(text).map(Some).map_err(|e| match e {
            AttributeError::InvalidDate { value, problem, .. } => AttributeError::InvalidDate {
                licence: Some(licence_id.to_string()),
                value,
                problem,
            },
            other => other,
        })
    }

    /// What is wrong with this date, or `None` when it exists.
    pub fn problem(&self) -> Option<DateProblem> {
        if !(1..=9999).contains(&self.year) {
            return Some(DateProblem::Year);
        }
        if !(1..=12).contains(&self.month) {
            return Some(DateProblem::Month);
        }
        if self.day == 0 || self.day > days_in_month(self.year, self.month) {
            return Some(DateProblem::Day);
        }
        None
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// Leap years of the Gregorian calendar.
fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

/// Number of days in `month` of `year` (0 for a month outside 1–12).
fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Splits text into (year, month, day) by layout, without range checks.
fn split_fields(s: &str) -> Option<(i32, u32, u32)> {
    // Compact `YYYYMMDD` (the dBase date type).
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        let y = s.get(0..4)?.parse().ok()?;
        let m = s.get(4..6)?.parse().ok()?;
        let d = s.get(6..8)?.parse().ok()?;
        return Some((y, m, d));
    }
    // `YYYY年M月D日`: the three markers in order, the last one closing the text.
    if let Some(rest) = s.strip_suffix('日') {
        let (y, rest) = rest.split_once('年')?;
        let (m, d) = rest.split_once('月')?;
        return Some((digits(y, 4, 4)?, digits(m, 1, 2)?, digits(d, 1, 2)?));
    }
    // `YYYY-M-D` with one separator used twice.
    let sep = ['-', '/', '.'].into_iter().find(|c| s.contains(*c))?;
    let mut parts = s.split(sep);
    let y = digits(parts.next()?, 4, 4)?;
    let m = digits(parts.next()?, 1, 2)?;
    let d = digits(parts.next()?, 1, 2)?;
    if parts.next().is_some() {
        return None;
    }
    Some((y, m, d))
}

/// Parses `min..=max` ASCII digits (no sign, no blanks).
fn digits<T: std::str::FromStr>(s: &str, min: usize, max: usize) -> Option<T> {
    if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(y: i32, m: u32, d: u32) -> Date {
        Date {
            year: y,
            month: m,
            day: d,
        }
    }

    #[test]
    fn parses_every_layout() {
        for s in [
            "2025-12-31",
            "2025/12/31",
            "20251231",
            "2025.12.31",
            "2025年12月31日",
            "  2025-12-31 ",
        ] {
            assert_eq!(Date::parse(s), Ok(ymd(2025, 12, 31)), "{s}");
        }
        assert_eq!(Date::parse("2024-2-9"), Ok(ymd(2024, 2, 9)));
        assert_eq!(Date::parse("2024年2月9日"), Ok(ymd(2024, 2, 9)));
    }

    #[test]
    fn rejects_days_that_do_not_exist() {
        let problem = |s| match Date::parse(s) {
            Err(AttributeError::InvalidDate { problem, .. }) => Some(problem),
            _ => None,
        };
        assert_eq!(problem("2025-02-30"), Some(DateProblem::Day));
        assert_eq!(problem("2025-02-29"), Some(DateProblem::Day));
        assert_eq!(Date::parse("2024-02-29"), Ok(ymd(2024, 2, 29)));
        assert_eq!(problem("1900-02-29"), Some(DateProblem::Day));
        assert_eq!(Date::parse("2000-02-29"), Ok(ymd(2000, 2, 29)));
        assert_eq!(problem("2025-04-31"), Some(DateProblem::Day));
        assert_eq!(problem("2025-13-01"), Some(DateProblem::Month));
        assert_eq!(problem("2025-00-01"), Some(DateProblem::Month));
        assert_eq!(problem("0000-01-01"), Some(DateProblem::Year));
        assert_eq!(problem("20250230"), Some(DateProblem::Day));
    }

    #[test]
    fn rejects_other_layouts() {
        for s in [
            "",
            "2025",
            "25-12-31",
            "2025-12-31-1",
            "2025-12/31",
            "+2025-12-31",
            "2025-1x-31",
            "2025年12月31",
            "31/12/2025",
            "2025-123-1",
            "２０２５-12-31",
        ] {
            assert!(
                matches!(
                    Date::parse(s),
                    Err(AttributeError::InvalidDate {
                        problem: DateProblem::Layout,
                        ..
                    })
                ),
                "{s:?}"
            );
        }
    }

    #[test]
    fn orders_chronologically() {
        assert!(ymd(2025, 12, 31) > ymd(2025, 12, 30));
        assert!(ymd(2026, 1, 1) > ymd(2025, 12, 31));
        assert!(ymd(2025, 2, 1) > ymd(2025, 1, 31));
    }

    #[test]
    fn optional_blank_is_none_and_error_names_licence() {
        assert_eq!(Date::parse_optional("L1", "  "), Ok(None));
        assert_eq!(
            Date::parse_optional("L1", "2025-02-30"),
            Err(AttributeError::InvalidDate {
                licence: Some("L1".into()),
                value: "2025-02-30".into(),
                problem: DateProblem::Day,
            })
        );
    }
}
