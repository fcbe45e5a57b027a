//! SHA-256 checksums of the audit's inputs (provenance), and a cache that hashes each
//! unchanged file once, the way git's index reuses stat data.
//!
//! An entry is one small JSON file per input under `<dir>/sha256-v1/`, named by the
//! SHA-256 of the input's canonical path. It holds that path, the file's length, mtime
//! and ctime (ns), inode and device, and the digest. A lookup is a hit only when every
//! one of them equals the file's current metadata (other platforms than unix: length
//! and mtime). An entry is stored only when the metadata did not change while the file
//! was hashed and the file's mtime and ctime are at least [`RACY_WINDOW`] older than
//! the moment hashing started ("racy git": a file rewritten within the timestamp
//! granularity could keep its metadata).
//!
//! The cache never makes an audit fail or lie: an unreadable, corrupt or foreign
//! entry, or a directory that is missing or cannot be written, only means the file is
//! hashed again.

use super::error::AuditError;
use crate::error::Error;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use crate::cache_dir::CACHE_DIR_VAR;
/// Sub-folder of the cache directory holding checksum entries (versioned layout).
const ENTRY_DIR: &str = "sha256-v1";
/// The `format` every entry carries; anything else is foreign and ignored.
const ENTRY_FORMAT: &str = "reclaim-sha256-cache/1";
/// A file whose mtime or ctime is closer than this to the start of hashing is not
/// stored: a rewrite within the timestamp granularity could leave its metadata equal.
pub const RACY_WINDOW: Duration = Duration::from_secs(2);
/// Entries larger than this are not ours (a path is at most a few KiB).
const MAX_ENTRY_BYTES: u64 = 64 * 1024;
/// Read buffer of the hashing loop.
const READ_BUF: usize = 1 << 16;

/// SHA-256 of a file, lowercase hex.
///
/// # Errors
/// [`Error::Read`] (as [`AuditError::Input`]) when the file cannot be opened or read.
pub fn sha256_file(path: &Path) -> Result<String, AuditError> {
    let mut f = open_input(path)?;
    hash_open(path, &mut f)
}

/// Checksums of input files, reused from a cache directory while a file is unchanged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecksumCache {
    /// The cache directory; `None` when caching is off.
    dir: Option<PathBuf>,
}

impl Default for ChecksumCache {
    /// Disabled: a library caller (or a test) never writes to the user's cache
    /// folder unless it asks to, with [`ChecksumCache::from_environment`].
    fn default() -> Self {
        Self::disabled()
    }
}

impl ChecksumCache {
    /// The cache at [`ChecksumCache::default_location`] (what `reclaim audit` uses),
    /// or disabled when there is none.
    pub fn from_environment() -> Self {
        Self::default_location().map_or_else(Self::disabled, Self::at)
    }

    /// `$RECLAIM_CACHE_DIR`, else `$XDG_CACHE_HOME/reclaim`, else `$HOME/.cache/reclaim`;
    /// `None` when none of them is set (empty values count as unset).
    pub fn default_location() -> Option<PathBuf> {
        crate::cache_dir::location()
    }

    /// A cache kept in `dir` (created when the first entry is stored).
    pub fn at(dir: impl Into<PathBuf>) -> Self {
        Self {
            dir: Some(dir.into()),
        }
    }

    /// No cache: every file is hashed every time.
    pub fn disabled() -> Self {
        Self { dir: None }
    }

    /// The cache directory, `None` when disabled.
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    /// SHA-256 of `path`, lowercase hex: from the cache when the file is unchanged,
    /// else hashed (and stored when safe).
    ///
    /// # Errors
    /// Only the errors of [`sha256_file`]: the cache itself never fails.
    pub fn sha256(&self, path: &Path) -> Result<String, AuditError> {
        self.sha256_started(path, SystemTime::now)
    }

    /// [`Self::sha256`] with the clock that marks the start of hashing supplied
    /// (tests move it to exercise the racy-file rule).
    fn sha256_started(
        &self,
        path: &Path,
        clock: impl Fn() -> SystemTime,
    ) -> Result<String, AuditError> {
        let Some(slot) = self.slot(path) else {
            return sha256_file(path);
        };
        if let Some(now) = std::fs::metadata(path).ok().and_then(|m| Stamp::of(&m)) {
            if let Some(hit) = slot.lookup(&now) {
                return Ok(hit);
            }
        }
        // Stat the very file that is hashed, before and after.
        let started = clock();
        let mut f = open_input(path)?;
        let before = f.metadata().ok().and_then(|m| Stamp::of(&m));
        let digest = hash_open(path, &mut f)?;
        let after = f.metadata().ok().and_then(|m| Stamp::of(&m));
        if let (Some(b), Some(a)) = (before, after) {
            if b == a && b.settled_before(started) {
                slot.store(&b, &digest);
            }
        }
        Ok(digest)
    }

    /// Where `path`'s entry lives; `None` when disabled or the path has no usable key.
    fn slot(&self, path: &Path) -> Option<Slot> {
        let dir = self.dir.as_ref()?.join(ENTRY_DIR);
        let canonical = path.canonicalize().ok()?;
        // Entries hold the path as text; a path that is not UTF-8 is just not cached.
        let key = canonical.to_str()?.to_string();
        let file = dir.join(hex(&Sha256::digest(key.as_bytes())));
        Some(Slot { dir, file, key })
    }
}

/// The metadata a cache hit must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    mtime_ns: i64,
    ctime_ns: i64,
    inode: u64,
    dev: u64,
}

impl Stamp {
    /// The stamp of a regular file; `None` for anything else or unrepresentable times.
    #[cfg(unix)]
    fn of(m: &std::fs::Metadata) -> Option<Self> {
        use std::os::unix::fs::MetadataExt;
        let ns = |s: i64, n: i64| s.checked_mul(1_000_000_000)?.checked_add(n);
        m.is_file().then_some(())?;
        Some(Self {
            len: m.len(),
            mtime_ns: ns(m.mtime(), m.mtime_nsec())?,
            ctime_ns: ns(m.ctime(), m.ctime_nsec())?,
            inode: m.ino(),
            dev: m.dev(),
        })
    }

    /// The stamp of a regular file: length and mtime only on this platform.
    #[cfg(not(unix))]
    fn of(m: &std::fs::Metadata) -> Option<Self> {
        m.is_file().then_some(())?;
        let mtime_ns = epoch_ns(m.modified().ok()?)?;
        Some(Self {
            len: m.len(),
            mtime_ns,
            ctime_ns: mtime_ns,
            inode: 0,
            dev: 0,
        })
    }

    /// True when the file's last change (mtime and ctime) is at least
    /// [`RACY_WINDOW`] before `started`.
    fn settled_before(&self, started: SystemTime) -> bool {
        let Some(window) = i64::try_from(RACY_WINDOW.as_nanos()).ok() else {
            return false;
        };
        let Some(start) = epoch_ns(started) else {
            return false;
        };
        let last = self.mtime_ns.max(self.ctime_ns);
        last.checked_add(window).is_some_and(|t| t <= start)
    }
}

/// Nanoseconds since the Unix epoch, `None` before it or past `i64`.
fn epoch_ns(t: SystemTime) -> Option<i64> {
    i64::try_from(t.duration_since(UNIX_EPOCH).ok()?.as_nanos()).ok()
}

/// One cache entry, as stored.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entry {
    format: String,
    path: String,
    len: u64,
    mtime_ns: i64,
    ctime_ns: i64,
    inode: u64,
    dev: u64,
    sha256: String,
}

/// The entry file of one input.
struct Slot {
    /// `<cache>/sha256-v1`.
    dir: PathBuf,
    /// The entry file in it.
    file: PathBuf,
    /// The input's canonical path.
    key: String,
}

impl Slot {
    /// The stored digest when the entry is ours and matches `now` in every field.
    fn lookup(&self, now: &Stamp) -> Option<String> {
        let f = File::open(&self.file).ok()?;
        let mut text = Vec::new();
        f.take(MAX_ENTRY_BYTES + 1).read_to_end(&mut text).ok()?;
        if text.len() as u64 > MAX_ENTRY_BYTES {
            return None;
        }
        let e: Entry = serde_json::from_slice(&text).ok()?;
        let stored = Stamp {
            len: e.len,
            mtime_ns: e.mtime_ns,
            ctime_ns: e.ctime_ns,
            inode: e.inode,
            dev: e.dev,
        };
        (e.format == ENTRY_FORMAT && e.path == self.key && stored == *now && is_digest(&e.sha256))
            .then_some(e.sha256)
    }

    /// Writes the entry atomically (temporary file in the same folder, then rename);
    /// any failure leaves no entry and is not reported.
    fn store(&self, s: &Stamp, digest: &str) {
        let e = Entry {
            format: ENTRY_FORMAT.to_string(),
            path: self.key.clone(),
            len: s.len,
            mtime_ns: s.mtime_ns,
            ctime_ns: s.ctime_ns,
            inode: s.inode,
            dev: s.dev,
            sha256: digest.to_string(),
        };
        let Ok(text) = serde_json::to_vec(&e) else {
            return;
        };
        if std::fs::create_dir_all(&self.dir).is_err() {
            return;
        }
        let tmp = self.dir.join(temp_name());
        let written = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
            .and_then(|mut f| f.write_all(&text));
        if written.is_err() || std::fs::rename(&tmp, &self.file).is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
    }
}

/// A name no other writer (thread or process) uses at the same time.
fn temp_name() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    let t = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!(".tmp-{}-{n}-{t}", std::process::id())
}

/// Hashes an open file to its end.
fn hash_open(path: &Path, f: &mut File) -> Result<String, AuditError> {
    let mut h = Sha256::new();
    let mut buf = vec![0u8; READ_BUF];
    loop {
        let n = f
            .read(&mut buf)
            .map_err(|source| read_error(path, source))?;
        if n == 0 {
            break;
        }
        h.update(buf.get(..n).unwrap_or_default());
    }
    Ok(hex(&h.finalize()))
}

/// Opens an input to hash it: a regular file only (a FIFO would block, a device
/// never end).
fn open_input(path: &Path) -> Result<File, AuditError> {
    crate::input::open_regular(path).map_err(|e| match e {
        crate::input::InputError::Io { source, .. } => read_error(path, source),
        other => AuditError::from(Error::Input(other)),
    })
}

fn read_error(path: &Path, source: std::io::Error) -> AuditError {
    AuditError::from(Error::Read {
        path: path.to_path_buf(),
        source,
    })
}

/// Lowercase hex of bytes.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// 64 lowercase hex digits.
fn is_digest(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// Hashes `(role, path)` files on their own thread (provenance), beside the run.
pub(crate) fn start_hashing(
    files: Vec<(String, PathBuf)>,
    cache: ChecksumCache,
) -> std::thread::JoinHandle<Result<Vec<crate::results::InputFile>, AuditError>> {
    std::thread::spawn(move || {
        files
            .into_iter()
            .map(|(role, path)| {
                Ok(crate::results::InputFile {
                    sha256: cache.sha256(&path)?,
                    role,
                    path,
                    path_relative: None,
                })
            })
            .collect::<Result<Vec<_>, AuditError>>()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SHA-256("abc") (FIPS 180-2, appendix B.1).
    const ABC: &str = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
    /// SHA-256("abcd").
    const ABCD: &str = "88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589";
    /// A well-formed digest that no test file has.
    const FAKE: &str = "0000000000000000000000000000000000000000000000000000000000000001";

    /// Hashing "started" well after every test file was written.
    fn later() -> SystemTime {
        SystemTime::now() + Duration::from_secs(60)
    }

    /// A file holding `content`, its mtime an hour ago.
    fn old_file(dir: &Path, name: &str, content: &[u8]) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, content).unwrap();
        let f = File::options().write(true).open(&p).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(3600))
            .unwrap();
        p
    }

    fn entries(cache: &Path) -> Vec<PathBuf> {
        match std::fs::read_dir(cache.join(ENTRY_DIR)) {
            Ok(rd) => rd.map(|e| e.unwrap().path()).collect(),
            Err(_) => vec![],
        }
    }

    /// Rewrites the one entry's digest, so a hit can be told from a fresh hash.
    fn forge(cache: &Path, digest: &str) {
        let [e] = entries(cache).try_into().unwrap();
        let mut v: serde_json::Value = serde_json::from_slice(&std::fs::read(&e).unwrap()).unwrap();
        v["sha256"] = digest.into();
        std::fs::write(&e, serde_json::to_vec(&v).unwrap()).unwrap();
    }

    #[test]
    fn plain_hash_is_sha256() {
        let t = tempfile::tempdir().unwrap();
        let p = old_file(t.path(), "a", b"abc");
        assert_eq!(sha256_file(&p).unwrap(), ABC);
        assert_eq!(ChecksumCache::disabled().sha256(&p).unwrap(), ABC);
        assert!(sha256_file(&t.path().join("missing")).is_err());
    }

    #[test]
    fn hit_returns_the_stored_digest_of_an_unchanged_file() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("cache");
        let cache = ChecksumCache::at(&dir);
        let p = old_file(t.path(), "a", b"abc");
        assert_eq!(cache.sha256_started(&p, later).unwrap(), ABC);
        assert_eq!(entries(&dir).len(), 1, "one entry stored");
        // A hit gives the same digest as a fresh hash …
        assert_eq!(cache.sha256(&p).unwrap(), ABC);
        // … and really comes from the entry: a forged digest shows through.
        forge(&dir, FAKE);
        assert_eq!(cache.sha256(&p).unwrap(), FAKE);
        // The same file reached through another spelling of its path shares the entry.
        let other = t.path().join(".").join("a");
        assert_eq!(cache.sha256(&other).unwrap(), FAKE);
    }

    #[test]
    fn changed_length_invalidates() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("cache");
        let cache = ChecksumCache::at(&dir);
        let p = old_file(t.path(), "a", b"abc");
        cache.sha256_started(&p, later).unwrap();
        forge(&dir, FAKE);
        old_file(t.path(), "a", b"abcd");
        assert_eq!(cache.sha256(&p).unwrap(), ABCD);
    }

    #[test]
    fn changed_mtime_invalidates() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("cache");
        let cache = ChecksumCache::at(&dir);
        let p = old_file(t.path(), "a", b"abc");
        cache.sha256_started(&p, later).unwrap();
        forge(&dir, FAKE);
        let f = File::options().write(true).open(&p).unwrap();
        f.set_modified(SystemTime::now() - Duration::from_secs(7200))
            .unwrap();
        assert_eq!(cache.sha256(&p).unwrap(), ABC);
    }

    #[test]
    fn every_field_of_the_stamp_must_match() {
        let t = tempfile::tempdir().unwrap();
        let p = old_file(t.path(), "a", b"abc");
        let slot = ChecksumCache::at(t.path().join("cache")).slot(&p).unwrap();
        let s = Stamp {
            len: 3,
            mtime_ns: 10,
            ctime_ns: 20,
            inode: 30,
            dev: 40,
        };
        slot.store(&s, ABC);
        assert_eq!(slot.lookup(&s).as_deref(), Some(ABC));
        let changed = [
            Stamp { len: 4, ..s },
            Stamp { mtime_ns: 11, ..s },
            Stamp { ctime_ns: 21, ..s },
            Stamp { inode: 31, ..s },
            Stamp { dev: 41, ..s },
        ];
        for c in changed {
            assert_eq!(slot.lookup(&c), None, "{c:?}");
        }
    }

    #[test]
    fn corrupt_or_foreign_entries_are_ignored_and_replaced() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("cache");
        let cache = ChecksumCache::at(&dir);
        let p = old_file(t.path(), "a", b"abc");
        cache.sha256_started(&p, later).unwrap();
        let [e] = entries(&dir).try_into().unwrap();
        let good = std::fs::read(&e).unwrap();
        for bad in [&b""[..], b"{\"format\":", b"\xff\xfe not json", b"[1,2,3]"] {
            std::fs::write(&e, bad).unwrap();
            assert_eq!(cache.sha256(&p).unwrap(), ABC);
        }
        // A well-formed entry with a digest that is not hex is not believed.
        std::fs::write(&e, &good).unwrap();
        forge(&dir, "not-a-digest");
        assert_eq!(cache.sha256(&p).unwrap(), ABC);
        // Another file's entry under this file's name (copied cache, collision).
        let q = old_file(t.path(), "b", b"abcd");
        std::fs::write(&e, &good).unwrap();
        forge(&dir, FAKE);
        let q_entry = cache.slot(&q).unwrap().file;
        std::fs::copy(&e, &q_entry).unwrap();
        assert_eq!(cache.sha256(&q).unwrap(), ABCD);
        std::fs::remove_file(&q_entry).unwrap();
        // A recompute stores a good entry again.
        std::fs::write(&e, b"garbage").unwrap();
        cache.sha256_started(&p, later).unwrap();
        forge(&dir, FAKE);
        assert_eq!(cache.sha256(&p).unwrap(), FAKE);
    }

    #[test]
    fn unusable_cache_dir_still_gives_the_digest() {
        let t = tempfile::tempdir().unwrap();
        let p = old_file(t.path(), "a", b"abc");
        // The cache "directory" is a regular file: nothing can be created in it.
        let file = t.path().join("not-a-dir");
        std::fs::write(&file, b"x").unwrap();
        let cache = ChecksumCache::at(&file);
        assert_eq!(cache.sha256_started(&p, later).unwrap(), ABC);
        assert_eq!(cache.sha256(&p).unwrap(), ABC);
        assert_eq!(std::fs::read(&file).unwrap(), b"x");
        // A missing input is the plain read error, not a cache problem.
        let e = cache.sha256(&t.path().join("missing")).unwrap_err();
        assert!(e.to_string().contains("missing"), "{e}");
    }

    #[test]
    fn racy_files_are_not_stored() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("cache");
        let cache = ChecksumCache::at(&dir);
        // Just written: mtime = ctime = now.
        let p = t.path().join("a");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(cache.sha256(&p).unwrap(), ABC);
        assert!(entries(&dir).is_empty(), "a fresh file must not be cached");
        // mtime set an hour back is not enough while the ctime is fresh (cp -p, rsync -t).
        let q = old_file(t.path(), "b", b"abc");
        if cfg!(unix) {
            assert_eq!(cache.sha256(&q).unwrap(), ABC);
            assert!(entries(&dir).is_empty(), "a fresh ctime must not be cached");
        }
        // Exactly the window before the start is settled; one ns less is not.
        let m = std::fs::metadata(&q).unwrap();
        let s = Stamp::of(&m).unwrap();
        let last = s.mtime_ns.max(s.ctime_ns);
        let at = |ns: i64| UNIX_EPOCH + Duration::from_nanos(u64::try_from(ns).unwrap());
        let w = i64::try_from(RACY_WINDOW.as_nanos()).unwrap();
        assert!(s.settled_before(at(last + w)));
        assert!(!s.settled_before(at(last + w - 1)));
    }

    #[test]
    fn parallel_writers_leave_one_whole_entry() {
        let t = tempfile::tempdir().unwrap();
        let dir = t.path().join("cache");
        let p = old_file(t.path(), "a", b"abc");
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let c = ChecksumCache::at(&dir);
                    for _ in 0..20 {
                        assert_eq!(c.sha256_started(&p, later).unwrap(), ABC);
                    }
                });
            }
        });
        // No temporary files left behind, one entry, and it hits.
        assert_eq!(entries(&dir).len(), 1);
        forge(&dir, FAKE);
        assert_eq!(ChecksumCache::at(&dir).sha256(&p).unwrap(), FAKE);
    }
}
