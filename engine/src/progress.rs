//! Progress of long runs, reported through a callback (the engine never prints).
//!
//! The CLI turns the callback into a progress bar; library users may log it or
//! ignore it. Calls come from worker threads, in no particular order, with the
//! number of units (raster blocks) done so far and the total.

use std::fmt;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

/// A progress callback: `(done, total)` units of work.
#[derive(Clone)]
pub struct Progress(Arc<dyn Fn(u64, u64) + Send + Sync>);

impl Progress {
    /// Wraps a callback.
    pub fn new(f: impl Fn(u64, u64) + Send + Sync + 'static) -> Progress {
        Progress(Arc::new(f))
    }

    /// Reports `done` of `total` units.
    pub fn report(&self, done: u64, total: u64) {
        (self.0)(done, total)
    }
}

impl fmt::Debug for Progress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Progress(..)")
    }
}

/// Counts finished units across threads and reports each one.
#[derive(Debug)]
pub struct Ticker<'a> {
    progress: Option<&'a Progress>,
    done: AtomicU64,
    total: u64,
}

impl<'a> Ticker<'a> {
    /// A ticker over `total` units; reports `0 / total` at once.
    pub fn new(progress: Option<&'a Progress>, total: u64) -> Ticker<'a> {
        if let Some(p) = progress {
            p.report(0, total);
        }
        Ticker {
            progress,
            done: AtomicU64::new(0),
            total,
        }
    }

    /// One more unit done.
    pub fn tick(&self) {
        if let Some(p) = self.progress {
            let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
            p.report(done.min(self.total), self.total);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn ticker_reports_start_and_every_unit() {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let s = Arc::clone(&seen);
        let p = Progress::new(move |d, t| s.lock().unwrap().push((d, t)));
        let t = Ticker::new(Some(&p), 2);
        t.tick();
        t.tick();
        assert_eq!(*seen.lock().unwrap(), vec![(0, 2), (1, 2), (2, 2)]);
        assert_eq!(format!("{p:?}"), "Progress(..)");
        // Without a callback nothing happens.
        Ticker::new(None, 5).tick();
    }
}
