//! docs/cli.md is true: every line of its ```sh blocks is run, in order, in one
//! temporary folder, against the built binary (`reclaim` on PATH is this build),
//! and must exit 0 — or the code a trailing `# exit N` gives.

use std::path::Path;
use std::process::Command;

/// The lines of every ```sh block, in order.
fn sh_lines(markdown: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut in_sh = false;
    for line in markdown.lines() {
        let t = line.trim_end();
        if in_sh {
            if t.starts_with("```") {
                in_sh = false;
            } else if !t.trim().is_empty() && !t.trim_start().starts_with('#') {
                out.push(t.to_string());
            }
        } else if t == "```sh" {
            in_sh = true;
        }
    }
    out
}

/// The exit code a line expects: `# exit N` at its end, else 0.
fn expected_code(line: &str) -> i32 {
    line.rsplit_once('#')
        .and_then(|(_, c)| c.trim().strip_prefix("exit "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or(0)
}

#[test]
fn expected_codes_are_read_from_the_line() {
    assert_eq!(expected_code("reclaim init --out a.toml  # exit 2"), 2);
    assert_eq!(expected_code("reclaim info a.tif"), 0);
    let md = "text\n```sh\nreclaim a\n\n# a comment\nreclaim b  # exit 1\n```\n```\nnot sh\n```\n";
    assert_eq!(sh_lines(md), ["reclaim a", "reclaim b  # exit 1"]);
}

#[test]
#[cfg(unix)]
fn every_example_of_docs_cli_md_runs() {
    let doc = Path::new(env!("CARGO_MANIFEST_DIR")).join("../docs/cli.md");
    let text = std::fs::read_to_string(&doc).unwrap();
    let lines = sh_lines(&text);
    assert!(
        lines.len() >= 20,
        "docs/cli.md has {} commands",
        lines.len()
    );
    let dir = tempfile::tempdir().unwrap();
    let bin = dir.path().join("bin");
    std::fs::create_dir(&bin).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_reclaim"), bin.join("reclaim")).unwrap();
    let work = dir.path().join("work");
    std::fs::create_dir(&work).unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut failures = Vec::new();
    for line in &lines {
        let o = Command::new("sh")
            .arg("-c")
            .arg(line)
            .current_dir(&work)
            .env("PATH", &path)
            // No cache beside the user's own: the examples write only into `work`.
            .env("RECLAIM_CACHE_DIR", dir.path().join("cache"))
            .output()
            .expect("sh runs");
        let want = expected_code(line);
        let err = String::from_utf8_lossy(&o.stderr);
        if o.status.code() != Some(want) || err.contains("panicked") {
            failures.push(format!(
                "{line}\n  exit {:?}, expected {want}\n  stderr: {}",
                o.status.code(),
                err.trim_end().replace('\n', "\n          ")
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "docs/cli.md examples that fail:\n{}",
        failures.join("\n")
    );
}
