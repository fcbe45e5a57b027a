//! `[imagery] scenes` / `collection` → the season's scenes, and what was left out.

use super::composite::SceneUse;
use super::config::{season_window, ImageryConfig};
use super::error::AuditError;
use crate::scenes::{Date, Scene};

/// True when `date` falls in `season` ((month, day) first and last, inclusive) of
/// `year`; every date of `year` when there is no season.
pub fn in_season(date: Date, year: i32, season: Option<((u32, u32), (u32, u32))>) -> bool {
    if date.year != year {
        return false;
    }
    match season {
        None => true,
        Some((a, b)) => (date.month, date.day) >= a && (date.month, date.day) <= b,
    }
}

/// The scenes `cfg` names that fall in its season of `year`, and every scene found
/// with whether it is used and why not.
///
/// # Errors
/// A path or glob that names nothing, an unreadable product, or a bad season.
pub fn gather(cfg: &ImageryConfig, year: i32) -> Result<(Vec<Scene>, Vec<SceneUse>), AuditError> {
    let season = match &cfg.season {
        Some(s) => Some(season_window(s).ok_or_else(|| AuditError::Scenes {
            detail: format!("season = {s:?}: give two days like [\"05-01\", \"09-30\"]"),
        })?),
        None => None,
    };
    let mut inputs = cfg.scenes.clone().unwrap_or_default();
    inputs.extend(cfg.collection.clone());
    let found = find_scenes(&inputs)?;
    let mut used = Vec::new();
    let mut uses = Vec::new();
    for s in found {
        let ok = in_season(s.date, year, season);
        let reason = (!ok).then(|| match season {
            Some((a, b)) => format!(
                "outside the season {:02}-{:02}…{:02}-{:02} of {year}",
                a.0, a.1, b.0, b.1
            ),
            None => format!("not of the audit year {year}"),
        });
        uses.push(SceneUse {
            id: s.id.clone(),
            date: s.date,
            tile: s.tile.clone(),
            used: ok,
            reason,
        });
        if ok {
            used.push(s);
        }
    }
    Ok((used, uses))
}

/// Every scene the inputs name (products, MTL files, manifests, collection folders,
/// globs).
fn find_scenes(inputs: &[std::path::PathBuf]) -> Result<Vec<Scene>, AuditError> {
    let _ = inputs;
    Err(AuditError::Scenes {
        detail: "scene readers are not built yet".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_season_is_inclusive_and_of_one_year() {
        let d = |y, m, day| Date {
            year: y,
            month: m,
            day,
        };
        let s = Some(((5, 1), (9, 30)));
        assert!(in_season(d(2024, 5, 1), 2024, s));
        assert!(in_season(d(2024, 9, 30), 2024, s));
        assert!(!in_season(d(2024, 10, 1), 2024, s));
        assert!(!in_season(d(2024, 4, 30), 2024, s));
        assert!(!in_season(d(2023, 6, 1), 2024, s));
        assert!(in_season(d(2024, 1, 1), 2024, None));
        assert!(!in_season(d(2025, 1, 1), 2024, None));
    }
}
