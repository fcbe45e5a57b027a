//! `[imagery] scenes` / `collection` → the season's scenes, and what was left out.

use super::composite::SceneUse;
use super::config::ImageryConfig;
use super::error::AuditError;
use crate::scenes::Scene;
use crate::scenes::{find, Season};

/// The scenes `cfg` names that fall in its season of `year` (every scene of `year`
/// without a season), and every scene found with whether it is used and why not
/// (another year, outside the season, a duplicate).
///
/// # Errors
/// A path or pattern that names nothing, an unreadable product named directly,
/// or a malformed season.
pub fn gather(cfg: &ImageryConfig, year: i32) -> Result<(Vec<Scene>, Vec<SceneUse>), AuditError> {
    let err = |e: crate::scenes::SceneError| AuditError::Scenes {
        detail: e.to_string(),
    };
    let season = cfg
        .season
        .as_deref()
        .map(|s| Season::from_list("[imagery] season", s))
        .transpose()
        .map_err(err)?;
    let mut inputs = cfg.scenes.clone().unwrap_or_default();
    inputs.extend(cfg.collection.clone());
    let found = find(&inputs).map_err(err)?;
    let mut used = Vec::new();
    let mut uses = Vec::new();
    for s in found.scenes {
        let reason = if s.date.year != year {
            Some(format!("of {}, not the audit year {year}", s.date.year))
        } else {
            season
                .filter(|se| !se.contains(s.date, year))
                .map(|se| format!("outside the season {se}"))
        };
        uses.push(SceneUse {
            id: s.id.clone(),
            date: s.date,
            tile: s.tile.clone(),
            used: reason.is_none(),
            reason: reason.clone(),
        });
        if reason.is_none() {
            used.push(s);
        }
    }
    for d in found.duplicates {
        uses.push(SceneUse {
            id: d.scene.id.clone(),
            date: d.scene.date,
            tile: d.scene.tile.clone(),
            used: false,
            reason: Some(format!("{} of {}", d.why, d.kept)),
        });
    }
    uses.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    Ok((used, uses))
}
