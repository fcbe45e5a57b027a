//! A small, bounded parser for OGC / ESRI well-known text (WKT1, and WKT2 syntax).
//!
//! WKT is a tree: `KEYWORD[value, value, …]` where a value is a quoted string, a
//! number, a bare word (`NORTH`) or another node. Both `[]` and `()` delimiters are
//! accepted, as GDAL does. The parser is hostile-input safe: the text length, the
//! nesting depth and the node count are capped, and every error is a
//! [`CrsError::MalformedWkt`] with the byte offset.

use super::error::CrsError;

/// Longest WKT text accepted (a `.prj` is usually < 2 KiB; WKT2 with ids < 20 KiB).
pub(crate) const MAX_WKT_BYTES: usize = 256 * 1024;
/// Deepest node nesting accepted (real CRS WKT nests < 8 levels).
const MAX_DEPTH: usize = 32;
/// Most nodes accepted in one WKT text.
const MAX_NODES: usize = 20_000;

/// One value inside a WKT node.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Value {
    /// A quoted string.
    Text(String),
    /// A number.
    Number(f64),
    /// A bare word such as `NORTH` or `EAST`.
    Word(String),
    /// A nested node.
    Node(Node),
}

/// A WKT node: `KEYWORD[values…]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Node {
    /// Keyword in upper case, e.g. "PROJCS".
    pub keyword: String,
    /// Values in order.
    pub values: Vec<Value>,
}

impl Node {
    /// The first quoted string (the object's name), or "".
    pub fn name(&self) -> &str {
        self.values
            .iter()
            .find_map(|v| match v {
                Value::Text(s) => Some(s.as_str()),
                _ => None,
            })
            .unwrap_or("")
    }

    /// Child nodes whose keyword is one of `keywords` (upper case).
    pub fn children<'a>(&'a self, keywords: &'a [&str]) -> impl Iterator<Item = &'a Node> + 'a {
        self.values.iter().filter_map(move |v| match v {
            Value::Node(n) if keywords.contains(&n.keyword.as_str()) => Some(n),
            _ => None,
        })
    }

    /// The first child node whose keyword is one of `keywords` (upper case).
    pub fn child(&self, keywords: &[&str]) -> Option<&Node> {
        self.values.iter().find_map(|v| match v {
            Value::Node(n) if keywords.contains(&n.keyword.as_str()) => Some(n),
            _ => None,
        })
    }

    /// The `i`-th number among the values (0-based).
    pub fn number(&self, i: usize) -> Option<f64> {
        self.values
            .iter()
            .filter_map(|v| match v {
                Value::Number(x) => Some(*x),
                _ => None,
            })
            .nth(i)
    }

    /// The EPSG code of this node's own `AUTHORITY["EPSG","n"]` / `ID["EPSG",n]`.
    pub fn epsg_code(&self) -> Option<u32> {
        let auth = self.child(&["AUTHORITY", "ID"])?;
        if !auth.name().eq_ignore_ascii_case("EPSG") {
            return None;
        }
        match auth.values.get(1)? {
            Value::Text(s) => s.trim().parse().ok(),
            Value::Number(x) if x.fract() == 0.0 && *x > 0.0 && *x < 1e9 => Some(*x as u32),
            _ => None,
        }
    }
}

/// True when `text` looks like WKT (a keyword followed by `[` or `(`).
pub(crate) fn looks_like_wkt(text: &str) -> bool {
    let t = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    let kw_len = t
        .bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count();
    kw_len > 0
        && t.as_bytes()
            .get(kw_len..)
            .and_then(|rest| rest.iter().find(|b| !b.is_ascii_whitespace()))
            .is_some_and(|b| *b == b'[' || *b == b'(')
}

/// Parses WKT text into its top node.
pub(crate) fn parse(text: &str) -> Result<Node, CrsError> {
    if text.len() > MAX_WKT_BYTES {
        return Err(CrsError::MalformedWkt {
            offset: MAX_WKT_BYTES,
            reason: "WKT text longer than 256 KiB",
        });
    }
    let mut p = Parser {
        bytes: text.as_bytes(),
        pos: 0,
        nodes: 0,
    };
    p.skip_ws();
    let node = p.node(0)?;
    p.skip_ws();
    if p.pos < p.bytes.len() {
        return Err(p.err("unexpected text after the end of the WKT"));
    }
    Ok(node)
}

struct Parser<'a> {
    bytes: &'a [u8],
    pos: usize,
    nodes: usize,
}

impl Parser<'_> {
    fn err(&self, reason: &'static str) -> CrsError {
        CrsError::MalformedWkt {
            offset: self.pos,
            reason,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Skips whitespace, a UTF-8 byte-order mark and NUL padding (seen in .prj files).
    fn skip_ws(&mut self) {
        if self.bytes.get(self.pos..self.pos + 3) == Some(&[0xEF, 0xBB, 0xBF]) {
            self.pos += 3;
        }
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() || b == 0 {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    fn word(&mut self) -> String {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b.is_ascii_alphanumeric() || b == b'_' {
                self.pos += 1;
            } else {
                break;
            }
        }
        String::from_utf8_lossy(self.bytes.get(start..self.pos).unwrap_or_default()).into_owned()
    }

    /// Parses `KEYWORD[…]` at the current position.
    fn node(&mut self, depth: usize) -> Result<Node, CrsError> {
        if depth >= MAX_DEPTH {
            return Err(self.err("WKT nested too deeply"));
        }
        self.nodes += 1;
        if self.nodes > MAX_NODES {
            return Err(self.err("too many WKT nodes"));
        }
        let keyword = self.word();
        if keyword.is_empty() {
            return Err(self.err("expected a WKT keyword"));
        }
        self.skip_ws();
        match self.peek() {
            Some(b'[') | Some(b'(') => self.pos += 1,
            _ => return Err(self.err("expected '[' or '(' after a WKT keyword")),
        }
        let mut values = Vec::new();
        self.skip_ws();
        if matches!(self.peek(), Some(b']') | Some(b')')) {
            self.pos += 1;
            return Ok(Node {
                keyword: keyword.to_ascii_uppercase(),
                values,
            });
        }
        loop {
            self.skip_ws();
            values.push(self.value(depth)?);
            self.skip_ws();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') | Some(b')') => {
                    self.pos += 1;
                    break;
                }
                None => return Err(self.err("WKT ends before its closing bracket")),
                Some(_) => return Err(self.err("expected ',' or a closing bracket")),
            }
        }
        Ok(Node {
            keyword: keyword.to_ascii_uppercase(),
            values,
        })
    }

    fn value(&mut self, depth: usize) -> Result<Value, CrsError> {
        match self.peek() {
            Some(b'"') => self.text().map(Value::Text),
            Some(b) if b == b'-' || b == b'+' || b == b'.' || b.is_ascii_digit() => {
                self.number().map(Value::Number)
            }
            Some(b) if b.is_ascii_alphabetic() || b == b'_' => {
                let save = self.pos;
                let w = self.word();
                self.skip_ws();
                if matches!(self.peek(), Some(b'[') | Some(b'(')) {
                    self.pos = save;
                    self.node(depth + 1).map(Value::Node)
                } else {
                    Ok(Value::Word(w))
                }
            }
            None => Err(self.err("WKT ends where a value was expected")),
            Some(_) => Err(self.err("unexpected character where a value was expected")),
        }
    }

    /// A quoted string; `""` inside it is an escaped quote (WKT2).
    fn text(&mut self) -> Result<String, CrsError> {
        self.pos += 1; // opening quote
        let mut out = Vec::new();
        loop {
            match self.peek() {
                None => return Err(self.err("unterminated string in WKT")),
                Some(b'"') => {
                    if self.bytes.get(self.pos + 1) == Some(&b'"') {
                        out.push(b'"');
                        self.pos += 2;
                    } else {
                        self.pos += 1;
                        break;
                    }
                }
                Some(b) => {
                    out.push(b);
                    self.pos += 1;
                }
            }
        }
        Ok(String::from_utf8_lossy(&out).into_owned())
    }

    fn number(&mut self) -> Result<f64, CrsError> {
        let start = self.pos;
        while let Some(b) = self.peek() {
            if b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.' | b'e' | b'E') {
                self.pos += 1;
            } else {
                break;
            }
        }
        let s = std::str::from_utf8(self.bytes.get(start..self.pos).unwrap_or_default())
            .map_err(|_| self.err("invalid number"))?;
        s.parse::<f64>().map_err(|_| CrsError::MalformedWkt {
            offset: start,
            reason: "invalid number",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_a_geogcs() {
        let n = parse(r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.0174532925199433]]"#).unwrap();
        assert_eq!(n.keyword, "GEOGCS");
        assert_eq!(n.name(), "GCS_WGS_1984");
        let sph = n
            .child(&["DATUM"])
            .and_then(|d| d.child(&["SPHEROID"]))
            .unwrap();
        assert_eq!(sph.number(0), Some(6378137.0));
        assert_eq!(sph.number(1), Some(298.257223563));
        assert_eq!(n.epsg_code(), None);
    }

    #[test]
    fn authority_words_parentheses_and_escapes() {
        let n = parse(
            "geogcs(\"WGS \"\"84\"\"\", AXIS[\"Lat\", NORTH], AUTHORITY[\"EPSG\",\"4326\"])\n\0",
        )
        .unwrap();
        assert_eq!(n.keyword, "GEOGCS");
        assert_eq!(n.name(), "WGS \"84\"");
        assert_eq!(n.epsg_code(), Some(4326));
        let axis = n.child(&["AXIS"]).unwrap();
        assert_eq!(axis.values.get(1), Some(&Value::Word("NORTH".into())));
        // WKT2 ID with a number.
        let n2 = parse(r#"GEOGCRS["x",ID["EPSG",4490]]"#).unwrap();
        assert_eq!(n2.epsg_code(), Some(4490));
    }

    #[test]
    fn malformed_inputs_are_errors_with_offsets() {
        let cases = [
            ("", 0),
            ("PROJCS[\"a\"", 10),
            ("PROJCS[\"a\",]", 11),
            ("PROJCS[\"unterminated]", 21),
            ("PROJCS[\"a\",1.2.3]", 11),
            ("PROJCS[\"a\"] trailing", 12),
            ("[]", 0),
            ("PROJCS[\"a\" \"b\"]", 11),
        ];
        for (text, offset) in cases {
            match parse(text) {
                Err(CrsError::MalformedWkt { offset: o, .. }) => assert_eq!(o, offset, "{text:?}"),
                other => panic!("{text:?} gave {other:?}"),
            }
        }
    }

    #[test]
    fn limits_hold() {
        let deep = "A[".repeat(100) + &"]".repeat(100);
        assert!(matches!(parse(&deep), Err(CrsError::MalformedWkt { .. })));
        let long = format!("A[\"{}\"]", "x".repeat(MAX_WKT_BYTES));
        assert!(matches!(parse(&long), Err(CrsError::MalformedWkt { .. })));
        let many = format!("A[{}B[]]", "B[],".repeat(MAX_NODES));
        assert!(matches!(parse(&many), Err(CrsError::MalformedWkt { .. })));
    }

    #[test]
    fn looks_like_wkt_detects_keywords() {
        assert!(looks_like_wkt("  PROJCS[\"x\"]"));
        assert!(looks_like_wkt("\u{feff}GEOGCS (\"x\")"));
        assert!(!looks_like_wkt("EPSG:4326"));
        assert!(!looks_like_wkt("+proj=utm"));
        assert!(!looks_like_wkt(""));
    }
}
