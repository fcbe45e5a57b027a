//! Pieces → pits → mines → county. Every figure is a sum of the level below, so
//! the reports reconcile by construction (and `report::check_reconciliation`
//! checks it again before anything is written).

use super::sweep::{before_ha, now_ha, Causes, Transitions};
use crate::attribute::{self, Attribution};
use crate::classify::{Unobserved, UnobservedCauses};
use crate::results::{
    Change, ClassAreas, LandClass, MineResult, OverlapResult, PieceResult, PitResult,
    Responsibility, Summary,
};
use std::collections::{BTreeMap, BTreeSet};

/// Attributes of a pit carried into the reports.
#[derive(Debug, Clone, Default)]
pub struct PitMeta {
    pub kind: Option<String>,
    pub town: Option<String>,
}

/// Attributes of a licence carried into the reports.
#[derive(Debug, Clone)]
pub struct LicenceMeta {
    pub id: String,
    pub holder: Option<String>,
    pub name: Option<String>,
    pub mineral: Option<String>,
    pub status: String,
    pub valid_to: Option<String>,
    pub liable: bool,
}

/// Areas and change of one piece from its transitions (m², over the raster), the
/// m² of it beyond the raster (unobserved both years), and its unobserved m² over
/// the raster by cause (`causes`: masked, nodata, invalid; `unmapped_m2`); for a
/// composite, its m² with too few clear observations and its m² × clear observations.
pub fn piece_areas(
    t: &Transitions,
    outside_m2: f64,
    causes: &Causes,
    unmapped_m2: f64,
    composite: Option<[f64; 2]>,
    with_change: bool,
) -> (ClassAreas, Option<Change>) {
    let mut a = ClassAreas::default();
    for c in LandClass::ALL {
        *a.get_mut(c) = now_ha(t, c);
    }
    a.unobserved_ha += outside_m2 / 10_000.0;
    a.unobserved_causes = UnobservedCauses {
        mask_ha: causes[Unobserved::Masked as usize] / 10_000.0,
        nodata_ha: causes[Unobserved::NoData as usize] / 10_000.0,
        invalid_ha: causes[Unobserved::Invalid as usize] / 10_000.0,
        unmapped_ha: unmapped_m2 / 10_000.0,
        outside_ha: outside_m2 / 10_000.0,
        few_clear_ha: composite.map_or(0.0, |c| c[0] / 10_000.0),
    };
    a.clear_obs_ha = composite.map(|c| c[1] / 10_000.0);
    let change = with_change.then(|| Change {
        restored_before_ha: before_ha(t, LandClass::Restored),
        unrestored_before_ha: before_ha(t, LandClass::Unrestored),
        newly_restored_ha: t[LandClass::Unrestored as usize][LandClass::Restored as usize]
            / 10_000.0,
        redisturbed_ha: t[LandClass::Restored as usize][LandClass::Unrestored as usize] / 10_000.0,
    });
    (a, change)
}

fn add_change(into: &mut Option<Change>, c: &Option<Change>) {
    if let Some(c) = c {
        let e = into.get_or_insert_with(Change::default);
        e.restored_before_ha += c.restored_before_ha;
        e.unrestored_before_ha += c.unrestored_before_ha;
        e.newly_restored_ha += c.newly_restored_ha;
        e.redisturbed_ha += c.redisturbed_ha;
    }
}

/// Everything aggregated.
#[derive(Debug)]
pub struct Aggregated {
    pub pieces: Vec<PieceResult>,
    pub pits: Vec<PitResult>,
    pub mines: Vec<MineResult>,
    pub overlaps: Vec<OverlapResult>,
    pub summary: Summary,
    pub county_change: Option<Change>,
    /// Composites: the county's mean number of clear observations.
    pub county_clear_obs_mean: Option<f64>,
}

/// Builds pits, mines and county from per-piece areas. Without licences
/// (`attributed` false) the pieces outside every licence are `unattributed`, not
/// legacy.
#[allow(clippy::too_many_arguments)]
pub fn aggregate(
    audit_date: &str,
    attributed: bool,
    att: &Attribution,
    pit_ids: &[String],
    pit_meta: &[PitMeta],
    licences: &[LicenceMeta],
    piece_areas: &[(ClassAreas, Option<Change>)],
) -> Aggregated {
    let pieces: Vec<PieceResult> = att
        .pieces
        .iter()
        .zip(piece_areas)
        .map(|(p, (a, _))| PieceResult {
            pit_id: p.pit_id.clone(),
            responsibility: match &p.responsibility {
                attribute::Responsibility::Responsible { licence_id, holder } => {
                    Responsibility::Responsible {
                        license_id: licence_id.clone(),
                        holder: holder.clone(),
                    }
                }
                attribute::Responsibility::Legacy if attributed => Responsibility::Legacy,
                attribute::Responsibility::Legacy => Responsibility::Unattributed,
            },
            areas: *a,
        })
        .collect();

    // Overlap partners per pit.
    let mut partners: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for o in &att.overlaps {
        partners.entry(&o.pit_a).or_default().insert(&o.pit_b);
        partners.entry(&o.pit_b).or_default().insert(&o.pit_a);
    }

    // Pits, in input order.
    let mut pit_areas = vec![ClassAreas::default(); pit_ids.len()];
    let mut pit_change: Vec<Option<Change>> = vec![None; pit_ids.len()];
    let mut pit_resp_unrestored = vec![(0.0f64, 0.0f64); pit_ids.len()];
    for (p, (a, c)) in att.pieces.iter().zip(piece_areas) {
        pit_areas[p.pit_index].add(a);
        add_change(&mut pit_change[p.pit_index], c);
        let e = &mut pit_resp_unrestored[p.pit_index];
        match p.responsibility {
            attribute::Responsibility::Responsible { .. } => e.0 += a.unrestored_ha,
            attribute::Responsibility::Legacy => e.1 += a.unrestored_ha,
        }
    }
    let pits: Vec<PitResult> = pit_ids
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let (resp, legacy) = pit_resp_unrestored[i];
            let main = if resp > 0.0 && legacy > 0.0 {
                "mixed"
            } else if resp > 0.0 {
                "responsible"
            } else if legacy > 0.0 && attributed {
                "legacy"
            } else if legacy > 0.0 {
                "unattributed"
            } else {
                // No unrestored land: nobody owes restoration here.
                "none"
            };
            PitResult {
                pit_id: id.clone(),
                kind: pit_meta.get(i).and_then(|m| m.kind.clone()),
                town: pit_meta.get(i).and_then(|m| m.town.clone()),
                areas: pit_areas[i],
                polygon_ha: att.pit_areas.get(i).copied().unwrap_or(0.0) / 10_000.0,
                main_responsibility: main.to_string(),
                overlaps: partners
                    .get(id.as_str())
                    .map(|s| s.iter().map(|x| x.to_string()).collect())
                    .unwrap_or_default(),
                change: pit_change[i],
            }
        })
        .collect();

    // Mines: every licence, with the land attributed to it.
    let mut mine_areas: BTreeMap<&str, (ClassAreas, Option<Change>, BTreeSet<usize>)> =
        BTreeMap::new();
    for (p, (a, c)) in att.pieces.iter().zip(piece_areas) {
        if let attribute::Responsibility::Responsible { licence_id, .. } = &p.responsibility {
            let e = mine_areas.entry(licence_id).or_default();
            e.0.add(a);
            add_change(&mut e.1, c);
            e.2.insert(p.pit_index);
        }
    }
    let with_change = piece_areas.iter().any(|(_, c)| c.is_some());
    let mines: Vec<MineResult> = licences
        .iter()
        .map(|l| {
            let (areas, change, pits) = mine_areas.get(l.id.as_str()).cloned().unwrap_or_default();
            MineResult {
                license_id: l.id.clone(),
                holder: l.holder.clone(),
                name: l.name.clone(),
                mineral: l.mineral.clone(),
                status: l.status.clone(),
                valid_to: l.valid_to.clone(),
                liable: l.liable,
                areas,
                pit_count: pits.len(),
                change: if with_change {
                    Some(change.unwrap_or_default())
                } else {
                    None
                },
            }
        })
        .collect();

    // County.
    let mut county = ClassAreas::default();
    let mut county_change = None;
    let (mut resp, mut legacy, mut unattributed) = (0.0, 0.0, 0.0);
    for (p, (a, c)) in pieces.iter().zip(piece_areas) {
        county.add(a);
        add_change(&mut county_change, c);
        match p.responsibility {
            Responsibility::Responsible { .. } => resp += a.unrestored_ha,
            Responsibility::Legacy => legacy += a.unrestored_ha,
            Responsibility::Unattributed => unattributed += a.unrestored_ha,
        }
    }
    let overlaps: Vec<OverlapResult> = att
        .overlaps
        .iter()
        .map(|o| OverlapResult {
            pit_a: o.pit_a.clone(),
            pit_b: o.pit_b.clone(),
            overlap_ha: o.area / 10_000.0,
        })
        .collect();
    let orphan_piece_count = pieces
        .iter()
        .filter(|p| p.responsibility == Responsibility::Legacy && p.areas.unrestored_ha > 0.0)
        .count();
    let summary = Summary {
        audit_date: audit_date.to_string(),
        restored_ha: county.restored_ha,
        unrestored_ha: county.unrestored_ha,
        unrestored_responsible_ha: resp,
        unrestored_legacy_ha: legacy,
        unrestored_unattributed_ha: unattributed,
        water_ha: county.water_ha,
        unobserved_ha: county.unobserved_ha,
        unobserved_causes: county.unobserved_causes,
        implausible_reflectance_ha: 0.0,
        footprint_ha: county.total_ha(),
        pit_count: pits.len(),
        piece_count: pieces.len(),
        license_count: licences.len(),
        liable_license_count: licences.iter().filter(|l| l.liable).count(),
        orphan_piece_count,
        overlap_count: overlaps.len(),
        unmapped_ha: 0.0,
        unmapped_values: Vec::new(),
        composite: None,
    };
    Aggregated {
        pieces,
        pits,
        mines,
        overlaps,
        summary,
        county_change,
        county_clear_obs_mean: county.clear_obs_mean(),
    }
}
