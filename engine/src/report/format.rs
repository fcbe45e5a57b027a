//! Text for people: HTML escaping and hectares with thousands separators.

pub use crate::wording::plural;

/// Escapes `& < > " '` for HTML text and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `v` with `decimals` decimals and a comma every three digits: `1,227.47`.
pub fn grouped(v: f64, decimals: usize) -> String {
    if !v.is_finite() {
        return format!("{v}");
    }
    let text = format!("{:.*}", decimals, v.abs());
    let (int, frac) = match text.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (text.as_str(), None),
    };
    let mut out = String::new();
    // "-0.00" is shown as "0.00".
    if v < 0.0 && text.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.push('\u{2212}');
    }
    let n = int.len();
    for (i, ch) in int.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(ch);
    }
    if let Some(f) = frac {
        out.push('.');
        out.push_str(f);
    }
    out
}

/// Hectares with two decimals: `1,227.47`.
pub fn ha(v: f64) -> String {
    grouped(v, 2)
}

/// A signed change with two decimals: `+12.34`, `−3.10`, `0.00`.
pub fn delta(v: f64) -> String {
    let s = grouped(v, 2);
    if v > 0.0 && s.chars().any(|c| c.is_ascii_digit() && c != '0') {
        format!("+{s}")
    } else {
        s
    }
}

/// A percentage with one decimal, or a dash.
pub fn pct(v: Option<f64>) -> String {
    v.map(|p| format!("{} %", grouped(p, 1)))
        .unwrap_or_else(|| "\u{2014}".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hectares_are_grouped_and_rounded() {
        assert_eq!(ha(1227.4666), "1,227.47");
        assert_eq!(ha(522.38), "522.38");
        assert_eq!(ha(1_234_567.0), "1,234,567.00");
        assert_eq!(ha(0.0), "0.00");
        assert_eq!(ha(-0.001), "0.00");
        assert_eq!(ha(-1234.5), "\u{2212}1,234.50");
    }

    #[test]
    fn deltas_carry_a_sign() {
        assert_eq!(delta(12.344), "+12.34");
        assert_eq!(delta(-3.1), "\u{2212}3.10");
        assert_eq!(delta(0.001), "0.00");
        assert_eq!(pct(Some(42.26)), "42.3 %");
        assert_eq!(pct(None), "\u{2014}");
    }

    #[test]
    fn one_is_singular() {
        assert_eq!(plural(1, "pit", "pits"), "1 pit");
        assert_eq!(plural(0, "pit", "pits"), "0 pits");
        assert_eq!(plural(2u64, "patch", "patches"), "2 patches");
    }

    #[test]
    fn escaping() {
        assert_eq!(
            esc("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
    }
}
