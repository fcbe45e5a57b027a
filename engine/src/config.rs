//! Configuration files: the error every TOML section reports, with the file, the
//! place in it and a "did you mean" for mistyped keys. The sections themselves live
//! with what they configure (`audit::AuditConfig`, `discover::DiscoveryConfig`,
//! `accuracy::in_audit::AccuracyConfig`).

use std::path::{Path, PathBuf};

/// Errors reading a configuration file.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// The file could not be read.
    #[error("cannot read config {path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The path is not a regular file, or is over 16 MiB.
    #[error("config {0}")]
    Input(crate::input::InputError),
    /// The TOML is malformed or has an unknown / missing / mistyped key.
    #[error("config {path}{}: {problem}", place(*line, *column, section.as_deref()))]
    Parse {
        path: PathBuf,
        /// 1-based line and column of the problem (0 when unknown).
        line: usize,
        column: usize,
        /// The `[section]` the problem is in (`None`: top level or unknown).
        section: Option<String>,
        problem: Box<ParseProblem>,
    },
    /// A setting's value is outside what it can mean.
    #[error("{key} = {value} is not allowed: {allowed}{}", flag.map(|f| format!(" (set in the config file or by {f})")).unwrap_or_default())]
    Invalid {
        /// The key, with its section, e.g. `[imagery] scale`.
        key: &'static str,
        /// The value as found.
        value: String,
        /// The allowed range, in words.
        allowed: String,
        /// The command-line flag that can also set this key.
        flag: Option<&'static str>,
    },
    /// `audit_date` is missing (and no `--audit-date` stands in for it).
    #[error("audit_date is missing: add audit_date = \"2025-12-31\" (the date the figures describe) at the top of the config file, before any [section], or pass --audit-date 2025-12-31")]
    MissingAuditDate,
    /// `audit_date` is not a date.
    #[error("audit_date = {value:?} is not a date: {problem}; write it as audit_date = \"2025-12-31\" (YYYY-MM-DD) in the config file, or pass --audit-date 2025-12-31")]
    AuditDate {
        value: String,
        problem: crate::attribute::DateProblem,
    },
}

/// What is wrong in the TOML text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ParseProblem {
    /// A key no section has (a typo would otherwise fall back to a default).
    #[error("unknown key `{key}`{}; the keys here are: {}", hint(key, suggestion.as_deref()), expected.join(", "))]
    UnknownKey {
        key: String,
        suggestion: Option<String>,
        expected: Vec<String>,
    },
    /// A required key is missing.
    #[error("{}", if matches!(key.as_str(), "imagery" | "pits" | "licenses") { format!("the [{key}] section is missing; add it (docs/audit.md lists every key)") } else { format!("`{key}` is missing; add {key} = … (docs/audit.md lists every key)") })]
    MissingKey { key: String },
    /// Anything else the TOML reader refuses (syntax, a mistyped value).
    #[error("{}{}", key.as_ref().map(|k| format!("`{k}`: ")).unwrap_or_default(), .error.message().trim_end())]
    Toml {
        /// The key on the problem's line, when there is one.
        key: Option<String>,
        error: toml::de::Error,
    },
}

fn hint(key: &str, suggestion: Option<&str>) -> String {
    match (key, suggestion) {
        ("audit_date", _) => {
            ": audit_date belongs at the top of the file, before any [section]".into()
        }
        (_, Some(s)) => format!(", did you mean `{s}`?"),
        _ => String::new(),
    }
}

fn place(line: usize, column: usize, section: Option<&str>) -> String {
    let mut s = String::new();
    if line > 0 {
        s += &format!(", line {line}, column {column}");
    }
    if let Some(sec) = section {
        s += &format!(" (in [{sec}])");
    }
    s
}

/// The backquoted words of a serde message, in order.
fn backquoted(message: &str) -> Vec<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

/// The structured form of a TOML error on `text` read from `path`.
pub fn parse_error(text: &str, path: &Path, error: toml::de::Error) -> ConfigError {
    let (line, column, section) = match error.span() {
        Some(span) => {
            let start = span.start.min(text.len());
            let before = text.get(..start).unwrap_or("");
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            // The last table header at or before the problem's line.
            let section = text
                .lines()
                .take(line)
                .filter_map(|l| {
                    let t = l.trim();
                    let t = t.strip_prefix('[')?.split(']').next()?;
                    Some(t.trim_matches(['[', ' ']).to_string())
                })
                .last();
            // An unknown table: the problem is the header itself, at the top level.
            let header = error.message().starts_with("unknown field")
                && text
                    .lines()
                    .nth(line - 1)
                    .is_some_and(|l| l.trim_start().starts_with('['));
            (line, column, if header { None } else { section })
        }
        None => (0, 0, None),
    };
    // A missing top-level key has the whole file as its place: none.
    let (line, column) = if error.message().starts_with("missing field") && section.is_none() {
        (0, 0)
    } else {
        (line, column)
    };
    let msg = error.message().to_string();
    let problem = if msg.starts_with("unknown field") {
        let mut words = backquoted(&msg);
        let key = if words.is_empty() {
            String::new()
        } else {
            words.remove(0)
        };
        let suggestion =
            crate::suggest::did_you_mean(&key, words.iter().map(String::as_str)).map(String::from);
        ParseProblem::UnknownKey {
            key,
            suggestion,
            expected: words,
        }
    } else if msg.starts_with("missing field") && backquoted(&msg).len() == 1 {
        ParseProblem::MissingKey {
            key: backquoted(&msg).remove(0),
        }
    } else {
        let key = (line > 0)
            .then(|| text.lines().nth(line - 1))
            .flatten()
            .and_then(|l| l.split_once('='))
            .map(|(k, _)| k.trim().trim_matches('"').to_string())
            .filter(|k| !k.is_empty() && !k.starts_with('['));
        ParseProblem::Toml { key, error }
    };
    ConfigError::Parse {
        path: path.to_path_buf(),
        line,
        column,
        section,
        problem: Box::new(problem),
    }
}
