//! Scale-out on the demo county: `N` shards, each measuring only its own pits,
//! merge into exactly the report of one run — the same `AuditReport` value and the
//! same bytes in every output file — with and without `--previous`, including a
//! shard count that puts the two overlapping pits in different shards. A merge of
//! parts that do not make one whole audit is refused with a clear error.
//!
//! Engine behaviour, tested here because it runs on the demo county (the engine does
//! not depend on `reclaim-demo`).

use reclaim::audit::merge::merge_parts;
use reclaim::audit::shard::{
    read_partial, run_shard, shard_of, write_partial, Corruption, Field, Partial, ShardError,
    ShardSpec, PARTIAL_FORMAT_VERSION,
};
use reclaim::audit::{self, AuditConfig, AuditOptions, AuditReport};
use reclaim::raster::Limits;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const FILES: [&str; 6] = [
    "attribution.csv",
    "pits.csv",
    "mines.csv",
    "orphans.geojson",
    "summary.json",
    "report.html",
];

/// Runs every shard of `count`, writes and reads back each partial result.
fn shards(
    cfg: &AuditConfig,
    opts: &AuditOptions,
    count: usize,
    dir: &Path,
) -> Vec<(PathBuf, Partial)> {
    (0..count)
        .map(|i| {
            let spec = ShardSpec::new(i, count).unwrap();
            let part = run_shard(cfg, opts, spec).unwrap();
            let d = dir.join(format!("n{count}-shard-{i}"));
            write_partial(&part, &d).unwrap();
            let back = read_partial(&d).unwrap();
            assert_eq!(back, part, "partial {spec} survives JSON");
            (d, back)
        })
        .collect()
}

/// The merged report equals `one`, as a value and as files.
fn same_as_one_shot(one: &AuditReport, parts: Vec<(PathBuf, Partial)>, dir: &Path, name: &str) {
    let merged = merge_parts(parts, &Limits::default()).unwrap();
    assert!(
        merged == *one,
        "{name}: merged report differs from the one-shot report"
    );
    let (a, b) = (
        dir.join(format!("{name}-one")),
        dir.join(format!("{name}-merged")),
    );
    audit::write(one, &a).unwrap();
    audit::write(&merged, &b).unwrap();
    for f in FILES {
        let x = std::fs::read(a.join(f)).unwrap();
        let y = std::fs::read(b.join(f)).unwrap();
        assert!(
            x == y,
            "{name}: {f} differs ({} vs {} bytes)",
            x.len(),
            y.len()
        );
    }
}

#[test]
fn shards_merge_to_the_one_shot_audit_bit_for_bit() {
    let dir = tempfile::tempdir().unwrap();
    let scene = reclaim_demo::generate(dir.path()).unwrap();
    let parts_dir = dir.path().join("parts");

    // 2020, no previous audit: 3 shards.
    let cfg2020 = AuditConfig::load(&scene.files.configs[0]).unwrap();
    let none = AuditOptions::default();
    let r2020 = audit::run(&cfg2020, &none).unwrap();
    let out2020 = dir.path().join("audit-2020");
    audit::write(&r2020, &out2020).unwrap();
    same_as_one_shot(
        &r2020,
        shards(&cfg2020, &none, 3, &parts_dir),
        dir.path(),
        "2020-n3",
    );

    // 2024 with change since 2020: 4 shards, each reading the previous audit too.
    let cfg = AuditConfig::load(&scene.files.configs[1]).unwrap();
    let opts = AuditOptions {
        previous: Some(out2020.clone()),
        ..AuditOptions::default()
    };
    let one = audit::run(&cfg, &opts).unwrap();
    assert!(one.previous.is_some());
    let parts = shards(&cfg, &opts, 4, &parts_dir);

    // The shards split the pieces: disjoint, complete, by pit, none empty.
    let mut all = BTreeSet::new();
    for (_, p) in &parts {
        assert!(
            !p.pieces.is_empty(),
            "shard {} measured nothing",
            p.shard_index
        );
        for pp in &p.pieces {
            assert_eq!(shard_of(&pp.pit_id, 4), p.shard_index);
            assert!(all.insert(pp.piece), "piece {} in two shards", pp.piece);
        }
        assert!(!p.cells.is_empty());
    }
    assert_eq!(all.len(), one.pieces.len());
    same_as_one_shot(&one, parts, dir.path(), "2024-n4");

    // The overlapping pits of the demo in different shards: the smaller id keeps
    // the shared land in its shard, the other shard measures the rest.
    let o = one.overlaps.first().expect("the demo has overlapping pits");
    let n = (2..=16)
        .find(|n| shard_of(&o.pit_a, *n) != shard_of(&o.pit_b, *n))
        .expect("some shard count separates the overlapping pits");
    same_as_one_shot(
        &one,
        shards(&cfg, &opts, n, &parts_dir),
        dir.path(),
        "2024-split",
    );

    // One shard is the whole audit.
    same_as_one_shot(
        &one,
        shards(&cfg, &opts, 1, &parts_dir),
        dir.path(),
        "2024-n1",
    );
}

#[test]
fn unmapped_land_cover_merges_to_the_same_bits() {
    // The demo's 2024 scene classification (SCL) read as a land-cover map that
    // maps only vegetation, water and nodata: bare soil (5), cloud (8, 9) and shadow
    // (3) are unmapped, in pieces of every shard.
    let dir = tempfile::tempdir().unwrap();
    let scene = reclaim_demo::generate(dir.path()).unwrap();
    let mut cfg = AuditConfig::load(&scene.files.configs[1]).unwrap();
    let im = &mut cfg.imagery;
    im.path = Some(scene.files.masks[1].clone());
    im.red_path = None;
    im.nir_path = None;
    im.classifier = reclaim::audit::config::ClassifierKind::Classes;
    im.class_band = 1;
    im.mask_path = None;
    im.mask_preset = None;
    im.mask_values = None;
    im.classes_map = Some(
        [
            ("restored", vec![4.0]),
            ("water", vec![6.0]),
            ("unobserved", vec![0.0]),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v))
        .collect(),
    );
    let opts = AuditOptions::default();
    let one = audit::run(&cfg, &opts).unwrap();
    assert!(one.summary.unmapped_ha > 0.0, "{:?}", one.summary);
    assert!(
        one.summary.unmapped_values.iter().any(|v| v == "5"),
        "{:?}",
        one.summary.unmapped_values
    );
    let parts = shards(&cfg, &opts, 3, &dir.path().join("parts"));
    let with_unmapped = parts
        .iter()
        .filter(|(_, p)| {
            p.pieces
                .iter()
                .any(|pp| pp.unmapped_m2 != "0000000000000000")
        })
        .count();
    assert!(
        with_unmapped >= 2,
        "unmapped land in {with_unmapped} shard(s) only: the sum order is not tested"
    );
    same_as_one_shot(&one, parts, dir.path(), "unmapped-n3");
}

#[test]
fn parts_that_do_not_make_one_audit_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let scene = reclaim_demo::generate(dir.path()).unwrap();
    let cfg = AuditConfig::load(&scene.files.configs[0]).unwrap();
    let opts = AuditOptions::default();
    let parts_dir = dir.path().join("parts");
    let four = shards(&cfg, &opts, 4, &parts_dir);
    let lim = Limits::default();

    // A shard missing.
    let mut p = four.clone();
    p.remove(2);
    match merge_parts(p, &lim) {
        Err(ShardError::Missing { count: 4, missing }) => assert_eq!(missing, [2]),
        other => panic!("{other:?}"),
    }
    // A shard twice.
    let mut p = four.clone();
    p.push(four[1].clone());
    let e = merge_parts(p, &lim).unwrap_err();
    assert!(
        matches!(
            e,
            ShardError::Duplicate {
                index: 1,
                count: 4,
                ..
            }
        ),
        "{e:?}"
    );
    // Shards of two different splits.
    let mut p = four.clone();
    p[3] = shards(&cfg, &opts, 3, &parts_dir).remove(0);
    let e = merge_parts(p, &lim).unwrap_err();
    assert!(
        matches!(
            e,
            ShardError::Mismatch {
                field: Field::ShardCount,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("shard count"), "{e}");
    // Another configuration (a threshold changed for one shard).
    let mut other = cfg.clone();
    other.imagery.restored_min_ndvi = 0.31;
    let mut p = four.clone();
    p[0].1 = run_shard(&other, &opts, ShardSpec::new(0, 4).unwrap()).unwrap();
    let e = merge_parts(p, &lim).unwrap_err();
    assert!(
        matches!(
            &e,
            ShardError::ConfigDiffers { key, .. } if key == "[imagery] restored_min_ndvi"
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("restored_min_ndvi"), "{e}");
    // A tampered table.
    let mut p = four.clone();
    p[1].1.pieces[0].transitions_m2[5] = "not a float".into();
    let e = merge_parts(p, &lim).unwrap_err();
    assert!(
        matches!(
            &e,
            ShardError::Corrupt {
                problem: Corruption::BadFloat { .. },
                ..
            }
        ),
        "{e:?}"
    );
    // A piece claimed by the wrong shard (and so missing from its own).
    let mut p = four.clone();
    let moved = p[1].1.pieces.remove(0);
    p[2].1.pieces.push(moved);
    let e = merge_parts(p, &lim).unwrap_err();
    assert!(
        matches!(
            &e,
            ShardError::Corrupt {
                problem: Corruption::WrongShard { .. },
                ..
            }
        ),
        "{e:?}"
    );
    // Nothing at all.
    assert!(matches!(
        merge_parts(vec![], &lim),
        Err(ShardError::NoParts)
    ));
    // A newer format version.
    let f = four[0].0.join("partial.json");
    let text = std::fs::read_to_string(&f).unwrap();
    let (now, next) = (PARTIAL_FORMAT_VERSION, PARTIAL_FORMAT_VERSION + 1);
    let newer = text.replacen(
        &format!("\"format_version\":{now}"),
        &format!("\"format_version\":{next}"),
        1,
    );
    assert_ne!(newer, text, "the version field was found");
    std::fs::write(&f, newer).unwrap();
    let e = read_partial(&four[0].0).unwrap_err();
    assert!(
        matches!(e, ShardError::Version { version, .. } if version == next),
        "{e:?}"
    );

    // An input changed after the shards ran.
    let dbf = scene.files.licenses.with_extension("dbf");
    let mut bytes = std::fs::read(&dbf).unwrap();
    if let Some(b) = bytes.last_mut() {
        *b ^= 0x01;
    }
    std::fs::write(&dbf, bytes).unwrap();
    let e = merge_parts(four, &lim).unwrap_err();
    match &e {
        ShardError::InputChanged { role, .. } => assert_eq!(role, "licenses.dbf"),
        other => panic!("{other:?}"),
    }
    assert!(e.to_string().contains("rerun the shards"), "{e}");
}
