//! Where reclaim keeps what it may rebuild: input checksums and unpacked
//! archives. `$RECLAIM_CACHE_DIR`, else `$XDG_CACHE_HOME/reclaim`, else
//! `$HOME/.cache/reclaim`.

use std::path::PathBuf;

/// Environment variable naming the cache directory (first choice).
pub const CACHE_DIR_VAR: &str = "RECLAIM_CACHE_DIR";

/// `$RECLAIM_CACHE_DIR`, else `$XDG_CACHE_HOME/reclaim`, else `$HOME/.cache/reclaim`;
/// `None` when none of them is set (empty values count as unset).
pub fn location() -> Option<PathBuf> {
    location_from(|k| std::env::var_os(k))
}

/// [`location`] over any environment lookup.
pub(crate) fn location_from(var: impl Fn(&str) -> Option<std::ffi::OsString>) -> Option<PathBuf> {
    let set = |k: &str| var(k).filter(|v| !v.is_empty()).map(PathBuf::from);
    if let Some(d) = set(CACHE_DIR_VAR) {
        return Some(d);
    }
    // The XDG spec says to ignore a relative XDG_CACHE_HOME.
    if let Some(d) = set("XDG_CACHE_HOME").filter(|d| d.is_absolute()) {
        return Some(d.join("reclaim"));
    }
    set("HOME").map(|h| h.join(".cache").join("reclaim"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_location_order() {
        use std::ffi::OsString;
        fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<OsString> {
            let pairs: Vec<(String, String)> = pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect();
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| n == k)
                    .map(|(_, v)| OsString::from(v))
            }
        }
        let all = [
            (CACHE_DIR_VAR, "/c"),
            ("XDG_CACHE_HOME", "/x"),
            ("HOME", "/h"),
        ];
        assert_eq!(location_from(env(&all)), Some(PathBuf::from("/c")));
        assert_eq!(
            location_from(env(&[(CACHE_DIR_VAR, ""), ("XDG_CACHE_HOME", "/x")])),
            Some(PathBuf::from("/x/reclaim"))
        );
        assert_eq!(
            location_from(env(&[("XDG_CACHE_HOME", "rel"), ("HOME", "/h")])),
            Some(PathBuf::from("/h/.cache/reclaim"))
        );
        assert_eq!(location_from(env(&[])), None);
    }
}
