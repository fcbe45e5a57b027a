//! The engine's dependencies run one way.
//!
//! This test reads the engine's own source (no compiler involved): every path that
//! starts with `crate::`, `super::` or `self::`, in `use` trees and in code, and
//! every name brought in by such a `use`, is resolved to the file that defines it
//! (following `pub use` re-exports in `mod.rs`). Test code (`#[cfg(test)]`
//! modules) is left out. From that file graph it checks:
//!
//! - there is no import cycle between files;
//! - each top-level module only uses modules of its own layer or below (the
//!   table in [`LAYERS`], the same order as docs/architecture.md), so `report/`
//!   never names `audit`, and `raster/` only the grid, the CRS and the plumbing.
//!
//! Run with `--nocapture` to print the graph's size.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// The layers, bottom first: a file may use files of its own layer or below, never
/// above. An entry names a top-level module or a file/folder inside one; the longest
/// matching entry decides (so `discover/run` sits above `discover`).
/// docs/architecture.md draws the same table.
const LAYERS: &[(&str, u32)] = &[
    // 0 plumbing: no domain knowledge
    ("input", 0),
    ("progress", 0),
    ("suggest", 0),
    ("wording", 0),
    ("cache_dir", 0),
    ("csv", 0),
    ("index", 0),
    ("rng", 0),
    // 1-2 coordinates and exact geometry
    ("grid", 1),
    ("crs", 1),
    ("area", 2),
    ("coverage", 2),
    // 3-4 readers, the input error, outputs
    ("raster", 3),
    ("vector", 3),
    ("error", 4),
    ("output", 4),
    ("scenes", 4),
    // 5-6 footprints over rasters, classes, attribution, settings
    ("footprints", 5),
    ("plan", 5),
    ("classify", 5),
    ("warning", 5),
    ("zonal", 6),
    ("attribute", 6),
    ("config", 6),
    ("accuracy/estimate", 6),
    // 7 results: what an audit and a discovery found
    ("results", 7),
    ("discover", 7),
    // 8 writers: they read results, never run anything
    ("report", 8),
    // 9-10 the accuracy assessment's files, the audit's steps
    ("accuracy", 9),
    ("audit", 10),
    // 11 workflows: runs that use all of the above
    ("audit/mod", 11),
    ("audit/run", 11),
    ("audit/shard", 11),
    ("audit/merge", 11),
    ("discover/mod", 11),
    ("discover/run", 11),
    ("discover/sweep", 11),
    ("discover/in_audit", 11),
    ("discover/write", 11),
    ("accuracy/mod", 11),
    ("accuracy/frame", 11),
    ("accuracy/in_audit", 11),
    ("accuracy/audit", 11),
    ("folders", 11),
    // the crate root re-exports everything
    ("lib", 13),
];

#[derive(Default)]
struct Graph {
    /// file → files it uses (both relative to `engine/src`, without `.rs`)
    edges: BTreeMap<String, BTreeSet<String>>,
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Module path (`["audit", "run"]`) of a file relative to `src`.
fn module_of(rel: &Path) -> Vec<String> {
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    let last = parts.pop().unwrap_or_default();
    let stem = last.trim_end_matches(".rs").to_string();
    if stem != "mod" && stem != "lib" {
        parts.push(stem);
    }
    parts
}

/// Removes comments, string and char literals, and `#[cfg(test)]` items.
fn strip(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'/' && b.get(i + 1) == Some(&b'/') {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
        } else if c == b'/' && b.get(i + 1) == Some(&b'*') {
            let mut depth = 0;
            while i < b.len() {
                if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                    depth += 1;
                    i += 2;
                } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if c == b'r' && (b.get(i + 1) == Some(&b'"') || b.get(i + 1) == Some(&b'#')) && {
            // raw string r"…" or r#"…"#
            let mut j = i + 1;
            while b.get(j) == Some(&b'#') {
                j += 1;
            }
            b.get(j) == Some(&b'"') && (i == 0 || !is_ident(b[i - 1]))
        } {
            let mut j = i + 1;
            let mut hashes = 0;
            while b[j] == b'#' {
                hashes += 1;
                j += 1;
            }
            j += 1;
            'raw: while j < b.len() {
                if b[j] == b'"' {
                    let mut k = 0;
                    while k < hashes && b.get(j + 1 + k) == Some(&b'#') {
                        k += 1;
                    }
                    if k == hashes {
                        j += 1 + hashes;
                        break 'raw;
                    }
                }
                j += 1;
            }
            out.push_str("\"\"");
            i = j;
        } else if c == b'"' {
            i += 1;
            while i < b.len() && b[i] != b'"' {
                if b[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            i += 1;
            out.push_str("\"\"");
        } else if c == b'\'' && (b.get(i + 2) == Some(&b'\'') || (b.get(i + 1) == Some(&b'\\'))) {
            // char literal ('a', '\n', '\u{..}'); lifetimes have no closing quote
            let mut j = i + 1;
            if b[j] == b'\\' {
                j += 2;
            } else {
                j += 1;
            }
            while j < b.len() && b[j] != b'\'' {
                j += 1;
            }
            i = j + 1;
            out.push_str("' '");
        } else {
            // copy one UTF-8 character
            let ch = src[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    drop_cfg_test(&out)
}

fn is_ident(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// Drops each `#[cfg(test)]` item: a `mod x;` line or a braced block.
fn drop_cfg_test(src: &str) -> String {
    let mut out = String::new();
    let mut rest = src;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let semi = after.find(';');
        let brace = after.find('{');
        let end = match (semi, brace) {
            (Some(s), Some(b)) if s < b => s + 1,
            (_, Some(b)) => {
                let mut depth = 0;
                let mut end = after.len();
                for (k, ch) in after[b..].char_indices() {
                    match ch {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = b + k + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                end
            }
            (Some(s), None) => s + 1,
            (None, None) => after.len(),
        };
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Expands a `use` tree (`crate::a::{b, c::{D, E as F}}`) into its paths; the
/// second element is the local name it binds (None for globs).
fn expand_use(tree: &str) -> Vec<(Vec<String>, Option<String>)> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out = Vec::new();
    expand_into(&tree, &mut Vec::new(), &mut out);
    out
}

fn expand_into(tree: &str, prefix: &mut Vec<String>, out: &mut Vec<(Vec<String>, Option<String>)>) {
    // split off the leading path up to a `{` at depth 0
    if let Some(open) = tree.find('{') {
        let head = &tree[..open];
        let inner = &tree[open + 1..tree.len() - 1];
        let head_parts: Vec<String> = head
            .split("::")
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect();
        let n = head_parts.len();
        prefix.extend(head_parts);
        let mut depth = 0;
        let mut start = 0;
        let bytes = inner.as_bytes();
        for k in 0..=bytes.len() {
            let at_end = k == bytes.len();
            if !at_end {
                match bytes[k] {
                    b'{' => depth += 1,
                    b'}' => depth -= 1,
                    _ => {}
                }
            }
            if at_end || (bytes[k] == b',' && depth == 0) {
                let part = &inner[start..k];
                if !part.is_empty() {
                    expand_into(part, prefix, out);
                }
                start = k + 1;
            }
        }
        prefix.truncate(prefix.len() - n);
    } else {
        let (path, alias) = match tree.split_once('@') {
            Some((p, a)) => (p.to_string(), Some(a.to_string())),
            None => (tree.to_string(), None),
        };
        let mut parts = prefix.clone();
        parts.extend(
            path.split("::")
                .filter(|s| !s.is_empty())
                .map(str::to_string),
        );
        if parts.last().map(String::as_str) == Some("*") {
            parts.pop();
            out.push((parts, None));
        } else {
            let name = alias.or_else(|| parts.last().cloned());
            let name = if name.as_deref() == Some("self") {
                parts.pop();
                parts.last().cloned()
            } else {
                name
            };
            if parts.last().map(String::as_str) == Some("self") {
                parts.pop();
            }
            out.push((parts, name));
        }
    }
}

struct Files {
    /// module path → file
    by_module: HashMap<Vec<String>, String>,
    /// file → stripped source
    source: BTreeMap<String, String>,
}

fn read_files() -> Files {
    let mut by_module = HashMap::new();
    let mut source = BTreeMap::new();
    let root = src_dir();
    let mut stack = vec![root.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read engine/src") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&root).expect("under src").to_path_buf();
                let name = rel.to_string_lossy().trim_end_matches(".rs").to_string();
                let text = std::fs::read_to_string(&path).expect("read source");
                by_module.insert(module_of(&rel), name.clone());
                source.insert(name, strip(&text));
            }
        }
    }
    // files that are test-only modules (`#[cfg(test)] mod x;`)
    let raw_test_mods: Vec<(String, String)> = source
        .keys()
        .filter_map(|f| {
            let text = std::fs::read_to_string(root.join(format!("{f}.rs"))).ok()?;
            let at = text.find("#[cfg(test)]\nmod ")?;
            let rest = &text[at + "#[cfg(test)]\nmod ".len()..];
            let end = rest.find(';')?;
            Some((f.clone(), rest[..end].to_string()))
        })
        .collect();
    for (file, child) in raw_test_mods {
        let mut m = module_of(Path::new(&format!("{file}.rs")));
        m.push(child);
        if let Some(f) = by_module.remove(&m) {
            source.remove(&f);
        }
    }
    Files { by_module, source }
}

impl Files {
    /// The file defining `path` (absolute module path + item names), following
    /// `pub use` re-exports in module roots.
    fn resolve(&self, path: &[String], depth: usize) -> Option<String> {
        let mut best = None;
        for n in (0..=path.len()).rev() {
            if let Some(f) = self.by_module.get(&path[..n]) {
                best = Some((f.clone(), n));
                break;
            }
        }
        let (file, n) = best?;
        if n < path.len() && depth < 8 {
            // an item of a module root: is it re-exported from a child?
            let item = &path[n];
            let module = path[..n].to_vec();
            for (target, name) in self.uses_of(&file, &module, true) {
                if name.as_deref() == Some(item.as_str()) {
                    let mut full = target.clone();
                    full.extend(path[n + 1..].iter().cloned());
                    if let Some(f) = self.resolve(&full, depth + 1) {
                        return Some(f);
                    }
                }
            }
        }
        Some(file)
    }

    /// The absolute paths a file's `use` statements name (only `pub use` when
    /// `public_only`), with the names they bind.
    fn uses_of(
        &self,
        file: &str,
        module: &[String],
        public_only: bool,
    ) -> Vec<(Vec<String>, Option<String>)> {
        let Some(src) = self.source.get(file) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        let mut rest = src.as_str();
        while let Some(at) = find_word(rest, "use") {
            let before = rest[..at].trim_end();
            let is_pub = before.ends_with("pub") || before.ends_with(')');
            let after = &rest[at + 3..];
            let Some(end) = after.find(';') else { break };
            let tree = &after[..end];
            rest = &after[end..];
            if public_only && !is_pub {
                continue;
            }
            let tree = tree.trim();
            if tree.starts_with("std::") || tree.starts_with("core::") || tree.starts_with("::") {
                continue;
            }
            for (path, name) in expand_use(&with_aliases(tree)) {
                if let Some(abs) = absolute(module, &path, file, &self.by_module) {
                    out.push((abs, name));
                }
            }
        }
        out
    }
}

/// Rewrites `a as b` to `a@b` so whitespace can be dropped safely.
fn with_aliases(tree: &str) -> String {
    let mut s = tree.replace(" as ", "@");
    s = s.replace("\nas ", "@");
    s
}

fn find_word(hay: &str, word: &str) -> Option<usize> {
    let b = hay.as_bytes();
    let mut from = 0;
    while let Some(k) = hay[from..].find(word) {
        let at = from + k;
        let before_ok = at == 0 || !is_ident(b[at - 1]);
        let after_ok = b.get(at + word.len()).is_none_or(|c| !is_ident(*c));
        if before_ok && after_ok {
            return Some(at);
        }
        from = at + word.len();
    }
    None
}

/// Turns `crate::…`, `super::…`, `self::…` into an absolute module path; None for
/// external crates.
fn absolute(
    module: &[String],
    path: &[String],
    file: &str,
    known: &HashMap<Vec<String>, String>,
) -> Option<Vec<String>> {
    let first = path.first()?;
    // a file's own module: for mod.rs/lib.rs the module itself, else the file module
    let is_root = file.ends_with("mod") || file == "lib";
    let here: Vec<String> = module.to_vec();
    let mut parts: Vec<String>;
    let mut k = 0;
    match first.as_str() {
        "crate" => {
            parts = Vec::new();
            k = 1;
        }
        "self" => {
            parts = here;
            k = 1;
        }
        "super" => {
            parts = here;
            while path.get(k).map(String::as_str) == Some("super") {
                parts.pop();
                k += 1;
            }
        }
        _ => {
            // a child module named without `self::` (`pub use error::X;` in a mod.rs)
            let mut child = module.to_vec();
            child.push(first.clone());
            if !is_root || !known.contains_key(&child) {
                return None;
            }
            parts = module.to_vec();
        }
    }
    parts.extend(path[k..].iter().cloned());
    Some(parts)
}

fn build_graph(files: &Files) -> Graph {
    let mut graph = Graph::default();
    for file in files.source.keys() {
        let module = module_of(Path::new(&format!("{file}.rs")));
        let mut deps = BTreeSet::new();
        let mut local: HashMap<String, Vec<String>> = HashMap::new();
        for (abs, name) in files.uses_of(file, &module, false) {
            if let Some(f) = files.resolve(&abs, 0) {
                deps.insert(f);
            }
            if let Some(name) = name {
                local.insert(name, abs);
            }
        }
        // paths in code: crate::…, super::…, self::…, and imported_name::…
        let src = &files.source[file];
        let b = src.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if is_ident(b[i]) && (i == 0 || (!is_ident(b[i - 1]) && b[i - 1] != b':')) {
                let mut j = i;
                while j < b.len()
                    && (is_ident(b[j]) || (b[j] == b':' && b.get(j + 1) == Some(&b':')))
                {
                    j += if b[j] == b':' { 2 } else { 1 };
                }
                let token = &src[i..j];
                // `a::b::{…}` use trees are read by `uses_of`
                if token.contains("::") && !token.ends_with("::") {
                    let parts: Vec<String> = token
                        .split("::")
                        .filter(|s| !s.is_empty())
                        .map(str::to_string)
                        .collect();
                    let abs = match parts[0].as_str() {
                        "crate" | "super" | "self" => {
                            absolute(&module, &parts, file, &files.by_module)
                        }
                        other => local.get(other).map(|base| {
                            let mut full = base.clone();
                            full.extend(parts[1..].iter().cloned());
                            full
                        }),
                    };
                    if let Some(abs) = abs {
                        if let Some(f) = files.resolve(&abs, 0) {
                            if std::env::var("ARCH_DEBUG").is_ok_and(|v| v == *file) {
                                println!("{file}: {token} -> {f}");
                            }
                            deps.insert(f);
                        }
                    }
                }
                i = j;
            } else {
                i += 1;
            }
        }
        deps.remove(file);
        graph.edges.insert(file.clone(), deps);
    }
    graph
}

/// Strongly connected components with more than one file (Tarjan).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a Graph,
        index: HashMap<&'a str, usize>,
        low: HashMap<&'a str, usize>,
        on_stack: BTreeSet<&'a str>,
        stack: Vec<&'a str>,
        next: usize,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        if let Some(ws) = s.graph.edges.get(v) {
            for w in ws {
                let w = w.as_str();
                if !s.graph.edges.contains_key(w) {
                    continue;
                }
                if !s.index.contains_key(w) {
                    visit(s, w);
                    let lw = s.low[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(lw));
                } else if s.on_stack.contains(w) {
                    let iw = s.index[w];
                    let lv = s.low[v];
                    s.low.insert(v, lv.min(iw));
                }
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        graph,
        index: HashMap::new(),
        low: HashMap::new(),
        on_stack: BTreeSet::new(),
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in graph.edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

fn layer(file: &str) -> Option<u32> {
    LAYERS
        .iter()
        .filter(|(m, _)| file == *m || file.starts_with(&format!("{m}/")))
        .max_by_key(|(m, _)| m.len())
        .map(|(_, l)| *l)
}

#[test]
fn no_import_cycle_between_files() {
    let files = read_files();
    let graph = build_graph(&files);
    let edges: usize = graph.edges.values().map(BTreeSet::len).sum();
    println!("{} files, {edges} file → file uses", graph.edges.len());
    let found = cycles(&graph);
    let mut msg = String::new();
    for comp in &found {
        msg.push_str(&format!("\ncycle among {} files:\n", comp.len()));
        for f in comp {
            let inside: Vec<&String> = graph.edges[f].iter().filter(|d| comp.contains(d)).collect();
            msg.push_str(&format!("  {f} → {inside:?}\n"));
        }
    }
    assert!(found.is_empty(), "import cycles between files:{msg}");
}

#[test]
fn layers_depend_only_downward() {
    let files = read_files();
    let graph = build_graph(&files);
    let mut bad = Vec::new();
    for (file, deps) in &graph.edges {
        let Some(own) = layer(file) else {
            bad.push(format!("{file}: top-level module not in LAYERS"));
            continue;
        };
        for d in deps {
            match layer(d) {
                Some(l) if l <= own => {}
                Some(l) => bad.push(format!("{file} (layer {own}) uses {d} (layer {l})")),
                None => bad.push(format!("{d}: top-level module not in LAYERS")),
            }
        }
    }
    assert!(
        bad.is_empty(),
        "dependencies that turn back up:\n{}",
        bad.join("\n")
    );
}

#[test]
fn the_checker_sees_known_edges() {
    // guards the parser itself: edges that certainly exist must be found
    let files = read_files();
    let graph = build_graph(&files);
    let has = |a: &str, b: &str| graph.edges.get(a).is_some_and(|d| d.contains(b));
    assert!(has("coverage/mod", "coverage/polygon") || has("coverage/polygon", "coverage/cell"));
    assert!(graph.edges.keys().any(|f| f.starts_with("audit/")));
    assert!(
        !graph.edges.contains_key("raster/reader_tests"),
        "test-only file left in"
    );
}
