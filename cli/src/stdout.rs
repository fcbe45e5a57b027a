//! Standard output that ends quietly when its reader goes away.
//!
//! Rust ignores SIGPIPE, so `println!` panics when `reclaim info x.tif | head -1`
//! closes the pipe early. Everything reclaim prints on stdout goes through
//! [`print`] instead: a write to a closed pipe becomes [`ClosedPipe`], which `main`
//! turns into a quiet exit 0 (as a C tool killed by SIGPIPE leaves no message).

use std::io::{self, Write};

/// The reader of standard output went away (`| head`): nothing more to say.
#[derive(Debug, thiserror::Error)]
#[error("standard output was closed by its reader")]
pub struct ClosedPipe;

/// Writes `text` to the locked standard output and flushes it.
///
/// # Errors
/// [`ClosedPipe`] when the reader has gone; any other write error, with context.
pub fn print(text: &str) -> anyhow::Result<()> {
    write_bytes(text.as_bytes())
}

/// [`print`] for bytes (a man page, a CSV).
///
/// # Errors
/// As [`print`].
pub fn write_bytes(bytes: &[u8]) -> anyhow::Result<()> {
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(from_io)
}

/// An I/O error on stdout: [`ClosedPipe`] for a broken pipe.
pub fn from_io(e: io::Error) -> anyhow::Error {
    if e.kind() == io::ErrorKind::BrokenPipe {
        ClosedPipe.into()
    } else {
        anyhow::Error::new(e).context("writing to standard output")
    }
}

/// Whether `e` (or a cause of it) is [`ClosedPipe`].
pub fn is_closed_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<ClosedPipe>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_broken_pipe_is_recognised_through_context() {
        let e = from_io(io::Error::from(io::ErrorKind::BrokenPipe)).context("printing");
        assert!(is_closed_pipe(&e));
        let other = from_io(io::Error::from(io::ErrorKind::PermissionDenied));
        assert!(!is_closed_pipe(&other));
    }
}
