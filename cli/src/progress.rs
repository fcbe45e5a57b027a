//! A progress bar on stderr for long runs (indicatif).
//!
//! Shown only when stderr is a terminal and `--quiet` is not given, so logs and
//! pipes stay clean. The engine reports raster blocks done through
//! [`reclaim::progress::Progress`]; the bar follows.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use reclaim::progress::Progress;
use std::io::IsTerminal;

/// A bar (or nothing) and the engine callback that drives it.
pub struct Bar {
    bar: Option<ProgressBar>,
}

impl Bar {
    /// A bar labelled `what`, or a silent one when `quiet` or stderr is not a TTY.
    pub fn new(what: &str, quiet: bool) -> Bar {
        if quiet || !std::io::stderr().is_terminal() {
            return Bar { bar: None };
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{msg} [{bar:32}] {pos}/{len} blocks, {elapsed} (eta {eta})",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        bar.set_message(what.to_string());
        Bar { bar: Some(bar) }
    }

    /// The callback to hand to the engine (`None` when silent).
    pub fn callback(&self) -> Option<Progress> {
        let bar = self.bar.clone()?;
        Some(Progress::new(move |done, total| {
            if bar.length() != Some(total) {
                bar.set_length(total);
            }
            bar.set_position(done);
        }))
    }

    /// Removes the bar from the terminal.
    pub fn finish(&self) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quiet_bar_has_no_callback() {
        let b = Bar::new("auditing", true);
        assert!(b.callback().is_none());
        b.finish();
    }
}
