//! Writing outputs atomically: a reader sees the old file or the whole new one,
//! never a half-written file, and a failed run leaves nothing behind.
//!
//! And guarding where they go ([`check_out`]): an output never lands on an input
//! (or on a folder holding one, the configuration, the current directory), and an
//! output folder, which is replaced as a whole, may only replace an empty folder or
//! one reclaim wrote. Paths are compared resolved (symlinks, `..`, the file's
//! identity when it exists, and case in the same folder), before any work is done.

use crate::error::Error;
use crate::input::FileKind;
use std::fs;
use std::io::Write;
use std::path::{Component, Path, PathBuf};

pub mod kind;
pub use kind::{OutputKind, Relation};

/// An input an output must keep off: `(role, path)`.
pub type InputPath = (String, PathBuf);

/// A vector layer's files: the file itself and, for a shapefile, its sidecars
/// (.shx .dbf .prj .cpg, whether they exist or not: writing one would corrupt the layer).
pub fn vector_inputs(role: &str, path: &Path) -> Vec<InputPath> {
    let mut v = vec![(role.to_string(), path.to_path_buf())];
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("shp"))
    {
        for ext in ["shx", "dbf", "prj", "cpg"] {
            v.push((format!("{role}.{ext}"), path.with_extension(ext)));
        }
    }
    v
}

/// Refuses an output path that would destroy data: an input (or a shapefile
/// sidecar of one), a folder holding an input, the current directory or a folder
/// above it; an existing path of the wrong kind (a file where a folder is written,
/// a folder or device where a file is); a non-empty folder reclaim did not write.
/// Call it before any work, so a mistake fails at once.
///
/// `is_reclaims(dir, kind)` tells whether an existing folder carries reclaim's
/// marker for `kind` (the writers above know their folders:
/// [`crate::folders::check_out`] passes [`crate::folders::is_reclaims`]).
///
/// # Errors
/// [`Error::OutputIsInput`], [`Error::OutputIsWorkingDir`],
/// [`Error::OutputWrongKind`], [`Error::OutputNotReclaims`].
pub fn check_out_with(
    out: &Path,
    kind: OutputKind,
    inputs: &[InputPath],
    is_reclaims: fn(&Path, OutputKind) -> bool,
) -> Result<(), Error> {
    let out_abs = resolve(out);
    if kind.is_folder() {
        if let Ok(cwd) = std::env::current_dir().and_then(fs::canonicalize) {
            if cwd.starts_with(&out_abs) {
                return Err(Error::OutputIsWorkingDir {
                    out: out.to_path_buf(),
                    kind,
                    out_canonical: out_abs,
                    cwd,
                });
            }
        }
    }
    let out_meta = fs::metadata(out).ok();
    for (role, input) in inputs {
        let in_abs = resolve(input);
        let same = in_abs == out_abs
            || same_file(out_meta.as_ref(), input)
            || (in_abs.parent() == out_abs.parent()
                && match (in_abs.file_name(), out_abs.file_name()) {
                    (Some(a), Some(b)) => {
                        a.to_string_lossy().to_lowercase() == b.to_string_lossy().to_lowercase()
                    }
                    _ => false,
                });
        let relation = if same {
            Relation::Same
        } else if kind.is_folder() && in_abs.starts_with(&out_abs) {
            Relation::Ancestor
        } else {
            continue;
        };
        return Err(Error::OutputIsInput {
            out: out.to_path_buf(),
            role: role.clone(),
            input: input.clone(),
            relation,
        });
    }
    let Some(m) = out_meta else {
        return Ok(());
    };
    let found = FileKind::of(&m);
    let wrong = if kind.is_folder() {
        found != FileKind::Directory
    } else {
        found != FileKind::File
    };
    if wrong {
        let target = fs::symlink_metadata(out)
            .ok()
            .filter(|l| l.file_type().is_symlink())
            .map(|_| out_abs.clone());
        return Err(Error::OutputWrongKind {
            out: out.to_path_buf(),
            found,
            target,
            expected: kind,
        });
    }
    if !kind.is_folder() || is_reclaims(out, kind) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = fs::read_dir(out)
        .map_err(|source| Error::Output {
            path: out.to_path_buf(),
            source,
        })?
        .flatten()
        .map(|e| PathBuf::from(e.file_name()))
        .collect();
    entries.sort();
    match entries.into_iter().next() {
        None => Ok(()),
        Some(entry) => Err(Error::OutputNotReclaims {
            out: out.to_path_buf(),
            kind,
            entry,
        }),
    }
}

/// Whether `out` (already stat'ed) and `input` are the same file on disk (hard
/// links, case-insensitive file systems).
fn same_file(out: Option<&fs::Metadata>, input: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Some(o), Ok(i)) = (out, fs::metadata(input)) {
            return o.dev() == i.dev() && o.ino() == i.ino();
        }
    }
    let _ = (out, input);
    false
}

/// `target` relative to the folder `base` (both absolute and resolved, see
/// [`resolve`]), with `..` where needed; `None` when they share no root.
pub fn relative_to(target: &Path, base: &Path) -> Option<PathBuf> {
    let t: Vec<Component> = target.components().collect();
    let b: Vec<Component> = base.components().collect();
    if t.first() != b.first() {
        return None;
    }
    let common = t.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let mut rel = PathBuf::new();
    for _ in common..b.len() {
        rel.push("..");
    }
    for c in &t[common..] {
        rel.push(c.as_os_str());
    }
    Some(rel)
}

/// `path` with its folder resolved ([`resolve`]) and its own name kept as given:
/// a symlinked file stays the link (its sidecars are found next to it).
pub fn resolve_folder(path: &Path) -> PathBuf {
    match (path.parent(), path.file_name()) {
        (Some(parent), Some(name)) => {
            let parent = if parent.as_os_str().is_empty() {
                Path::new(".")
            } else {
                parent
            };
            resolve(parent).join(name)
        }
        _ => resolve(path),
    }
}

/// `path` made absolute and resolved: the longest existing part canonicalised
/// (symlinks, `..`), the rest (not yet existing) joined on lexically.
pub fn resolve(path: &Path) -> PathBuf {
    let abs = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .map(|d| d.join(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    let mut head = abs.clone();
    let mut tail = Vec::new();
    loop {
        if let Ok(mut c) = fs::canonicalize(&head) {
            for comp in tail.iter().rev() {
                match comp {
                    None => {
                        c.pop();
                    }
                    Some(name) => c.push(name),
                }
            }
            return c;
        }
        // `None` stands for `..`; `.` is dropped.
        let last = match head.components().next_back() {
            Some(Component::ParentDir) => None,
            Some(Component::CurDir) => Some(None),
            Some(Component::Normal(n)) => Some(Some(n.to_os_string())),
            _ => return abs,
        };
        match last {
            None => tail.push(None),
            Some(Some(n)) => tail.push(Some(n)),
            Some(None) => {}
        }
        head = head.parent().map(Path::to_path_buf).unwrap_or_default();
    }
}

/// Writes `bytes` to `path` through a temporary file in the same folder, synced
/// and renamed into place.
///
/// # Errors
/// [`Error::Output`] naming `path` when the folder is missing or not writable.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    let err = |source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let tmp = temp_sibling(path);
    let result = (|| {
        let mut f = fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    result.map_err(err)
}

/// Starts every `.csv` file directly in `dir` with a UTF-8 byte-order mark (once),
/// so that Excel and WPS read its Chinese text right (`--excel`); reclaim's own CSV
/// readers skip the mark. Used on a folder still being written, before it is
/// swapped into place.
///
/// # Errors
/// [`Error::Output`] naming the file that cannot be read or rewritten.
pub fn add_csv_bom(dir: &Path) -> Result<(), Error> {
    let err = |path: &Path, source| Error::Output {
        path: path.to_path_buf(),
        source,
    };
    let entries = fs::read_dir(dir).map_err(|e| err(dir, e))?;
    let mut csvs = Vec::new();
    for e in entries {
        let p = e.map_err(|e| err(dir, e))?.path();
        if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("csv")) && p.is_file() {
            csvs.push(p);
        }
    }
    csvs.sort();
    for p in csvs {
        let bytes = fs::read(&p).map_err(|e| err(&p, e))?;
        if bytes.starts_with(crate::csv::BOM.as_bytes()) {
            continue;
        }
        let mut with = crate::csv::BOM.as_bytes().to_vec();
        with.extend_from_slice(&bytes);
        write_atomic(&p, &with)?;
    }
    Ok(())
}

/// Puts the finished folder `tmp` in place of `out`: the old `out` (if any) is
/// renamed aside, `tmp` renamed in, then the old one removed. When `tmp` cannot be
/// renamed in, the old `out` is put back; the caller removes `tmp`.
///
/// # Errors
/// [`Error::Output`] naming `out`.
pub fn swap_folder(tmp: &Path, out: &Path) -> Result<(), Error> {
    let io = |source| Error::Output {
        path: out.to_path_buf(),
        source,
    };
    let old = temp_sibling_named(out, "old");
    let had_old = fs::symlink_metadata(out).is_ok();
    if had_old {
        fs::rename(out, &old).map_err(io)?;
    }
    if let Err(e) = fs::rename(tmp, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        return Err(io(e));
    }
    if had_old {
        // A symlink that was replaced goes alone; its target is left as it is.
        if fs::symlink_metadata(&old).is_ok_and(|m| m.file_type().is_symlink()) {
            let _ = fs::remove_file(&old);
        } else {
            let _ = fs::remove_dir_all(&old);
        }
    }
    Ok(())
}

/// A hidden temporary name next to `path` (same filesystem, so rename is atomic).
pub fn temp_sibling(path: &Path) -> PathBuf {
    temp_sibling_named(path, "tmp")
}

/// `.NAME.TAG-PID` next to `path`.
pub fn temp_sibling_named(path: &Path, tag: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "out".into());
    path.with_file_name(format!(".{name}.{tag}-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::folders::check_out;

    #[test]
    fn writes_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.csv");
        write_atomic(&p, b"x,y\n").unwrap();
        write_atomic(&p, b"z\n").unwrap();
        assert_eq!(fs::read(&p).unwrap(), b"z\n");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    fn inputs(dir: &Path) -> Vec<InputPath> {
        let mut v = vector_inputs("pits", &dir.join("in/pits.shp"));
        v.push(("imagery".into(), dir.join("in/scene.tif")));
        v
    }

    #[test]
    fn outputs_on_inputs_are_refused_with_how_they_meet() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        fs::create_dir_all(d.join("in")).unwrap();
        fs::write(d.join("in/pits.shp"), b"").unwrap();
        let ins = inputs(d);
        let rel = |out: &Path, kind| match check_out(out, kind, &ins) {
            Err(Error::OutputIsInput { relation, role, .. }) => Some((relation, role)),
            Ok(()) => None,
            Err(e) => panic!("{e}"),
        };
        let file = OutputKind::File;
        let folder = OutputKind::AuditFolder;
        assert_eq!(
            rel(&d.join("in/pits.shp"), file),
            Some((Relation::Same, "pits".into()))
        );
        // A sidecar that does not exist, in another case, through `..`.
        assert_eq!(
            rel(&d.join("in/../in/PITS.PRJ"), file),
            Some((Relation::Same, "pits.prj".into()))
        );
        assert_eq!(
            rel(&d.join("in"), folder),
            Some((Relation::Ancestor, "pits".into()))
        );
        assert_eq!(rel(d, folder), Some((Relation::Ancestor, "pits".into())));
        assert_eq!(rel(&d.join("in/out.csv"), file), None);
        assert_eq!(rel(&d.join("audit"), folder), None);
    }

    #[test]
    fn a_folder_is_replaced_only_when_empty_or_reclaims() {
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let out = d.join("out");
        fs::create_dir(&out).unwrap();
        check_out(&out, OutputKind::AuditFolder, &[]).unwrap();
        fs::write(out.join("notes.txt"), b"x").unwrap();
        match check_out(&out, OutputKind::AuditFolder, &[]) {
            Err(Error::OutputNotReclaims { entry, .. }) => {
                assert_eq!(entry, Path::new("notes.txt"))
            }
            other => panic!("{other:?}"),
        }
        // The demo's layout makes a demo folder.
        fs::create_dir(out.join("inputs")).unwrap();
        let toml = "audit_date = \"2020-12-31\"\n[imagery]\npath = \"a.tif\"\n[pits]\npath = \"p.shp\"\nid_field = \"id\"\n[licenses]\npath = \"l.shp\"\n";
        assert!(check_out(&out, OutputKind::DemoFolder, &[]).is_err());
        for y in [2020, 2024] {
            fs::write(out.join(format!("audit-{y}.toml")), toml).unwrap();
        }
        check_out(&out, OutputKind::DemoFolder, &[]).unwrap();
        // A file where a folder goes, a folder where a file goes.
        match check_out(&out.join("notes.txt"), OutputKind::AuditFolder, &[]) {
            Err(Error::OutputWrongKind { found, .. }) => assert_eq!(found, FileKind::File),
            other => panic!("{other:?}"),
        }
        match check_out(&out, OutputKind::File, &[]) {
            Err(Error::OutputWrongKind { found, .. }) => assert_eq!(found, FileKind::Directory),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn paths_resolve_and_relate() {
        let dir = tempfile::tempdir().unwrap();
        let d = fs::canonicalize(dir.path()).unwrap();
        fs::create_dir(d.join("a")).unwrap();
        assert_eq!(resolve(&d.join("a/../b/./c")), d.join("b/c"));
        assert_eq!(resolve_folder(&d.join("a/../a/x.shp")), d.join("a/x.shp"));
        assert_eq!(
            relative_to(&d.join("in/x.tif"), &d.join("out")),
            Some(PathBuf::from("../in/x.tif"))
        );
        assert_eq!(
            relative_to(&d.join("out/x"), &d.join("out")),
            Some(PathBuf::from("x"))
        );
    }

    #[test]
    fn a_failed_swap_puts_the_old_folder_back_and_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("audit");
        fs::create_dir(&out).unwrap();
        fs::write(out.join("summary.json"), b"old").unwrap();
        // The rename of the new folder fails (it is gone).
        let e = swap_folder(&dir.path().join(".audit.tmp-1"), &out).unwrap_err();
        assert!(e.to_string().contains("audit"), "{e}");
        assert_eq!(fs::read(out.join("summary.json")).unwrap(), b"old");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1, "no .old left");
        // And a good swap replaces it, leaving only the new folder.
        let tmp = temp_sibling(&out);
        fs::create_dir(&tmp).unwrap();
        fs::write(tmp.join("summary.json"), b"new").unwrap();
        swap_folder(&tmp, &out).unwrap();
        assert_eq!(fs::read(out.join("summary.json")).unwrap(), b"new");
        assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn missing_folder_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/a.csv");
        let e = write_atomic(&p, b"x").unwrap_err().to_string();
        assert!(e.contains("a.csv"), "{e}");
    }
}
