//! "Did you mean …?": the closest name to a mistyped one.

/// Edit distance (Levenshtein, by characters) between `a` and `b`.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (up + 1).min(row[j] + 1).min(diag + usize::from(ca != *cb));
            diag = up;
        }
    }
    row[b.len()]
}

/// The candidate `word` was most likely meant as: equal ignoring case, else the
/// nearest by edit distance (ignoring case) when at most 2 edits away and closer
/// than the word is long. `None` when nothing is close.
pub fn did_you_mean<'a, I>(word: &str, candidates: I) -> Option<&'a str>
where
    I: IntoIterator<Item = &'a str>,
{
    let lower = word.to_lowercase();
    let mut best: Option<(usize, &'a str)> = None;
    for c in candidates {
        if c == word {
            continue;
        }
        let d = edit_distance(&lower, &c.to_lowercase());
        if best.is_none_or(|(bd, _)| d < bd) {
            best = Some((d, c));
        }
    }
    best.filter(|&(d, _)| d <= 2 && d < word.chars().count())
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances() {
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("状态", "状况"), 1);
    }

    #[test]
    fn suggestions() {
        let keys = ["path", "id_field", "kind_field"];
        assert_eq!(did_you_mean("idfield", keys), Some("id_field"));
        assert_eq!(did_you_mean("ID_FIELD", keys), Some("id_field"));
        assert_eq!(did_you_mean("colour", keys), None);
        assert_eq!(did_you_mean("holder", ["HOLDER", "status"]), Some("HOLDER"));
        assert_eq!(did_you_mean("a", ["b"]), None);
    }
}
