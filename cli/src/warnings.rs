//! Warnings of a run: printed once each on stderr, and with `--strict` an error.

use reclaim::Warning;
use std::collections::HashSet;

/// Warnings printed one by one; the rest are counted (all are in summary.json).
const MAX_PRINTED: usize = 20;

/// `--strict` and there were warnings: the run fails with exit code 1 (main
/// recognises this error), and nothing is written.
#[derive(Debug, thiserror::Error)]
#[error("{} and --strict: nothing written (run without --strict to write the results with the warnings listed in summary.json and report.html)", reclaim::report::format::plural(*.count, "warning", "warnings"))]
pub struct StrictFailure {
    /// How many distinct warnings.
    pub count: usize,
}

/// Prints each distinct warning once (the first [`MAX_PRINTED`], then a count);
/// with `strict`, any warning is an error.
///
/// # Errors
/// [`StrictFailure`] when `strict` and there is a warning.
pub fn report(warnings: &[Warning], strict: bool) -> anyhow::Result<()> {
    let mut seen = HashSet::new();
    let distinct: Vec<String> = warnings
        .iter()
        .map(ToString::to_string)
        .filter(|w| seen.insert(w.clone()))
        .collect();
    let prefix = if strict { "error" } else { "warning" };
    for w in distinct.iter().take(MAX_PRINTED) {
        eprintln!("{prefix}: {w}");
    }
    if distinct.len() > MAX_PRINTED {
        eprintln!(
            "{prefix}: … and {} more warnings (all are listed in summary.json and report.html)",
            distinct.len() - MAX_PRINTED
        );
    }
    if strict && !distinct.is_empty() {
        return Err(StrictFailure {
            count: distinct.len(),
        }
        .into());
    }
    Ok(())
}
