//! English wording shared by messages, warnings and reports.

/// `n` and the noun, singular for one: `1 pit`, `3 pits`, `0 pits`.
pub fn plural<N: std::fmt::Display + PartialEq + From<u8>>(n: N, one: &str, many: &str) -> String {
    let noun = if n == N::from(1) { one } else { many };
    format!("{n} {noun}")
}
