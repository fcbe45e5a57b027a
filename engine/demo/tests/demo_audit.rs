//! The audit on the demo county agrees with the figures the demo was built to have
//! (computed by the generator from its geometry and painted cells, never by the
//! audit): the 2020 scene reproduces the plan's baseline; the 2024 scene shows the
//! change. Each figure is compared county, pit and licence.

use reclaim::audit::{self, AuditConfig, AuditOptions, AuditReport};
use reclaim_demo::{self as demo, YearExpected};

fn close(what: &str, got: f64, want: f64) {
    assert!(
        (got - want).abs() < 1e-6,
        "{what}: audit {got} ha, built {want} ha"
    );
}

fn check(r: &AuditReport, e: &YearExpected) {
    let s = &r.summary;
    let c = &e.county;
    close("restored", s.restored_ha, c.restored_ha);
    close("unrestored", s.unrestored_ha, c.unrestored_ha);
    close(
        "responsible",
        s.unrestored_responsible_ha,
        c.unrestored_responsible_ha,
    );
    close("legacy", s.unrestored_legacy_ha, c.unrestored_legacy_ha);
    close("water", s.water_ha, c.water_ha);
    close("unobserved", s.unobserved_ha, c.unobserved_ha);
    close("footprint", s.footprint_ha, c.footprint_ha);
    assert_eq!(r.pits.len(), e.pits.len());
    for p in &e.pits {
        let got = r
            .pits
            .iter()
            .find(|x| x.pit_id == p.id)
            .unwrap_or_else(|| panic!("pit {}", p.id));
        close(&format!("{} polygon", p.id), got.polygon_ha, p.polygon_ha);
        close(
            &format!("{} counted", p.id),
            got.areas.total_ha(),
            p.counted_ha,
        );
        close(
            &format!("{} restored", p.id),
            got.areas.restored_ha,
            p.restored_ha,
        );
        close(
            &format!("{} unrestored", p.id),
            got.areas.unrestored_ha,
            p.unrestored_ha,
        );
        close(&format!("{} water", p.id), got.areas.water_ha, p.water_ha);
        close(
            &format!("{} unobserved", p.id),
            got.areas.unobserved_ha,
            p.unobserved_ha,
        );
    }
    for l in &e.licences {
        let got = r
            .mines
            .iter()
            .find(|m| m.license_id == l.id)
            .unwrap_or_else(|| panic!("licence {}", l.id));
        assert_eq!(got.liable, l.liable, "{}", l.id);
        close(&format!("{} land", l.id), got.areas.total_ha(), l.land_ha);
        close(
            &format!("{} restored", l.id),
            got.areas.restored_ha,
            l.restored_ha,
        );
        close(
            &format!("{} unrestored", l.id),
            got.areas.unrestored_ha,
            l.unrestored_ha,
        );
    }
    let overlap: f64 = r.overlaps.iter().map(|o| o.overlap_ha).sum();
    close("pit overlaps", overlap, e.overlap_ha);
}

#[test]
fn demo_2020_reproduces_the_baseline_and_2024_shows_the_change() {
    let dir = tempfile::tempdir().unwrap();
    let scene = demo::generate(dir.path()).unwrap();
    let y2020 = scene.year(2020).unwrap();
    let y2024 = scene.year(2024).unwrap();

    let cfg = AuditConfig::load(&scene.files.configs[0]).unwrap();
    let r2020 = audit::run(&cfg, &AuditOptions::default()).unwrap();
    check(&r2020, y2020);
    // the plan's baseline, to 0.01 ha as the plan states it
    let b = r2020
        .baseline
        .expect("the demo config carries the baseline");
    for d in [
        b.restored_delta_ha,
        b.unrestored_delta_ha,
        b.unrestored_responsible_delta_ha,
        b.unrestored_legacy_delta_ha,
    ] {
        assert!(d.abs() < 0.005, "{b:?}");
    }
    let out2020 = dir.path().join("audit-2020");
    audit::write(&r2020, &out2020).unwrap();
    // pits.csv and mines.csv are rounded to 0.01 ha; what a later audit reads back
    // (`--previous`) is still the audit's own figures, bit for bit.
    let back = reclaim::report::read_previous(&out2020).unwrap();
    let bits = |a: &reclaim::audit::ClassAreas| {
        [a.restored_ha, a.unrestored_ha, a.water_ha, a.unobserved_ha].map(f64::to_bits)
    };
    assert_eq!(back.pits.len(), r2020.pits.len());
    for p in &r2020.pits {
        assert_eq!(bits(&back.pits[&p.pit_id]), bits(&p.areas), "{}", p.pit_id);
    }
    assert_eq!(back.mines.len(), r2020.mines.len());
    for m in &r2020.mines {
        assert_eq!(
            bits(&back.mines[&m.license_id]),
            bits(&m.areas),
            "{}",
            m.license_id
        );
    }

    let cfg = AuditConfig::load(&scene.files.configs[1]).unwrap();
    let opts = AuditOptions {
        previous: Some(out2020),
        ..AuditOptions::default()
    };
    let r2024 = audit::run(&cfg, &opts).unwrap();
    check(&r2024, y2024);
    // 2024's figures are not whole hectares (3.8262499999999995 ha …): read back
    // from a written folder, they are still bit for bit the audit's.
    let out2024 = dir.path().join("audit-2024");
    audit::write(&r2024, &out2024).unwrap();
    let back = reclaim::report::read_previous(&out2024).unwrap();
    for p in &r2024.pits {
        assert_eq!(bits(&back.pits[&p.pit_id]), bits(&p.areas), "{}", p.pit_id);
    }
    for m in &r2024.mines {
        assert_eq!(
            bits(&back.mines[&m.license_id]),
            bits(&m.areas),
            "{}",
            m.license_id
        );
    }
    let p = r2024.previous.as_ref().unwrap();
    // restored land can only be lost in the one re-disturbed pit
    let lost: Vec<&str> = r2024
        .pits
        .iter()
        .filter(|p| p.change.is_some_and(|c| c.redisturbed_ha > 0.0))
        .map(|p| p.pit_id.as_str())
        .collect();
    assert_eq!(lost.len(), 1, "{lost:?}");
    // county change: net restored = newly restored − re-disturbed − restored land now under cloud or water
    close(
        "restored before",
        p.change.restored_before_ha,
        y2020.county.restored_ha,
    );
    assert!(p.change.newly_restored_ha > 0.0 && p.change.redisturbed_ha > 0.0);
}

/// The season of 2024 scenes (`reclaim demo --scenes`): two overlapping tiles, clouds
/// that move from date to date, two off-season dates that would turn land into
/// water. Its median, max and latest composites all have the designed 2024 classes,
/// so each audit must find the construction's 2024 figures; with the off-season
/// scenes let in (no season), they must not.
#[test]
fn demo_season_composites_reproduce_2024() {
    let dir = tempfile::tempdir().unwrap();
    let scene = demo::generate(dir.path()).unwrap();
    let y2024 = scene.year(2024).unwrap();
    let season = demo::generate_season(dir.path()).unwrap();
    assert_eq!(season.scenes, 12);
    let base = AuditConfig::load(&season.config).unwrap();
    use reclaim::audit::config::CompositeRule;
    for rule in [
        CompositeRule::Median,
        CompositeRule::Max,
        CompositeRule::Latest,
    ] {
        let mut cfg = base.clone();
        cfg.imagery.composite = Some(rule);
        let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
        check(&r, y2024);
        let c = r.summary.composite.as_ref().unwrap();
        assert_eq!(
            (c.rule.as_str(), c.scenes_used, c.scenes.len()),
            (rule.name(), 8, 12)
        );
        // Every footprint cell is clear on 1–4 dates (the designed clouds never clear).
        let mean = c.clear_obs_mean.unwrap();
        assert!(mean > 1.0 && mean < 4.0, "{mean}");
        for p in &r.pits {
            let m = p.areas.clear_obs_mean().unwrap();
            assert!((0.0..=4.0).contains(&m), "{}: {m}", p.pit_id);
        }
        // Each used scene over the footprint cells: clear + masked + missing = 1,
        // and the designed clouds hide some land. A date's two tiles overlap, so a
        // date sees clear between the larger of its tiles' shares and their sum;
        // summed over the dates that brackets the mean clear observations of a
        // footprint cell, which the piece-weighted county mean must be close to.
        let mut by_date: std::collections::BTreeMap<&str, (f64, f64)> = Default::default();
        let mut masked_any = false;
        for s in &c.scenes {
            match s.over_footprints {
                Some(f) => {
                    assert!(s.used, "{}", s.id);
                    assert!(
                        (f.clear + f.masked + f.missing - 1.0).abs() < 1e-12,
                        "{f:?}"
                    );
                    assert!([f.clear, f.masked, f.missing]
                        .iter()
                        .all(|v| (0.0..=1.0).contains(v)));
                    let d = by_date.entry(s.date.as_str()).or_default();
                    d.0 = d.0.max(f.clear);
                    d.1 += f.clear;
                    masked_any |= f.masked > 0.01;
                }
                None => assert!(!s.used, "{}", s.id),
            }
        }
        assert!(masked_any);
        let lo: f64 = by_date.values().map(|d| d.0).sum();
        let hi: f64 = by_date.values().map(|d| d.1.min(1.0)).sum();
        assert!(lo - 0.05 <= mean && mean <= hi + 0.05, "{lo} {mean} {hi}");
        // The county map of clear observations: footprint cells only, 0–4 each.
        let map = r.clear_obs_map.as_ref().unwrap();
        let painted: Vec<f64> = map.means.iter().flatten().copied().collect();
        assert!(!painted.is_empty() && painted.len() < map.means.len());
        let (lo, hi) = painted
            .iter()
            .fold((f64::MAX, f64::MIN), |(l, h), v| (l.min(*v), h.max(*v)));
        assert!(
            lo >= 0.0 && hi <= 4.0 && lo <= mean && mean <= hi,
            "{lo} {mean} {hi}"
        );
    }
    // Without a season, April and October enter: figures change.
    let mut cfg = base.clone();
    cfg.imagery.season = None;
    cfg.imagery.composite = Some(CompositeRule::Latest);
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    assert_eq!(r.summary.composite.as_ref().unwrap().scenes_used, 12);
    assert!(
        r.summary.water_ha > y2024.county.water_ha + 100.0,
        "{}",
        r.summary.water_ha
    );
    // min_clear above what clouds leave: land becomes unobserved, "too few clear".
    let mut cfg = base;
    cfg.imagery.min_clear = Some(4);
    let r = audit::run(&cfg, &AuditOptions::default()).unwrap();
    assert!(r.summary.unobserved_causes.few_clear_ha > 1.0);
    assert!((r.summary.unobserved_ha - r.summary.unobserved_causes.total_ha()).abs() < 1e-6);
}
