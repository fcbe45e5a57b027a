//! `reclaim-bench`: helpers of the end-to-end speed comparison (benches/e2e/).
//!
//! ```text
//! reclaim-bench decode --config audit.toml   decode the blocks the audit reads, nothing else
//! ```
//! Prints one JSON line: blocks, cells, decode_seconds.

use std::path::PathBuf;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let config = match args.as_slice() {
        [cmd, flag, path] if cmd == "decode" && flag == "--config" => PathBuf::from(path),
        _ => {
            eprintln!("usage: reclaim-bench decode --config audit.toml");
            return ExitCode::from(2);
        }
    };
    match reclaim_benches::decode::decode_for_audit(&config) {
        Ok(s) => {
            println!(
                "{{\"blocks\": {}, \"cells\": {}, \"decode_seconds\": {:.6}}}",
                s.blocks, s.cells, s.decode_seconds
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
