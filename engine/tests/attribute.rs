//! Attribution of pits to licence holders: hand-checkable cases at UTM magnitudes and
//! a randomized check against an independent cell-decomposition oracle.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use geo::{polygon, Area, LineString, MultiPolygon, Polygon};
use proptest::prelude::*;
use reclaim::attribute::{
    attribute, canonical_status, pit_overlaps, AttributeError, Attribution, Date, LiabilityRule,
    Licence, Pit, PitOverlap, Responsibility,
};

/// UTM zone 51N-like origin (Yitong is near 125.3°E, 43.3°N).
const X0: f64 = 686_000.0;
const Y0: f64 = 4_796_000.0;

fn rect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    MultiPolygon(vec![polygon![
        (x: x0, y: y0), (x: x1, y: y0), (x: x1, y: y1), (x: x0, y: y1), (x: x0, y: y0)
    ]])
}

/// Rectangle relative to the UTM origin.
fn urect(x0: f64, y0: f64, x1: f64, y1: f64) -> MultiPolygon<f64> {
    rect(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)
}

fn pit(id: &str, geometry: MultiPolygon<f64>) -> Pit {
    Pit {
        id: id.into(),
        geometry,
    }
}

fn licence(
    id: &str,
    holder: Option<&str>,
    status: &str,
    valid_to: Option<&str>,
    geometry: MultiPolygon<f64>,
) -> Licence {
    Licence {
        id: id.into(),
        holder: holder.map(Into::into),
        status: status.into(),
        valid_to: valid_to.map(|d| Date::parse(d).unwrap()),
        geometry,
    }
}

/// (pit id, licence id or "legacy", area) for every piece, in output order.
fn summary(a: &Attribution) -> Vec<(String, String, f64)> {
    a.pieces
        .iter()
        .map(|p| {
            let who = match &p.responsibility {
                Responsibility::Responsible { licence_id, .. } => licence_id.clone(),
                Responsibility::Legacy => "legacy".into(),
                _ => "?".into(),
            };
            (p.pit_id.clone(), who, p.area)
        })
        .collect()
}

fn row(pit: &str, who: &str, area: f64) -> (String, String, f64) {
    (pit.into(), who.into(), area)
}

fn run(pits: &[Pit], licences: &[Licence]) -> Attribution {
    attribute(pits, licences, &LiabilityRule::default()).unwrap()
}

/// Which licence wins a 100 × 100 m pit covered entirely by every given licence.
fn winner(licences: &[Licence]) -> String {
    let a = run(&[pit("P", urect(0.0, 0.0, 100.0, 100.0))], licences);
    let s = summary(&a);
    assert_eq!(s.len(), 1, "{s:?}");
    assert_eq!(s[0].2, 10_000.0);
    s[0].1.clone()
}

#[test]
fn pit_half_inside_a_valid_licence() {
    // 100 × 100 m pit; licence covers x ≥ 50: two pieces of 5000 m² each.
    let pits = [pit("P1", urect(0.0, 0.0, 100.0, 100.0))];
    let lic = [licence(
        "C1",
        Some("Yitong Stone Co."),
        "valid",
        Some("2030-06-30"),
        urect(50.0, -20.0, 300.0, 300.0),
    )];
    let a = run(&pits, &lic);
    assert_eq!(
        summary(&a),
        [row("P1", "C1", 5000.0), row("P1", "legacy", 5000.0)]
    );
    assert_eq!(
        a.pieces[0].responsibility,
        Responsibility::Responsible {
            licence_id: "C1".into(),
            holder: "Yitong Stone Co.".into()
        }
    );
    assert_eq!(a.pit_areas, [10_000.0]);
    assert_eq!(a.counted_areas, [10_000.0]);
    assert_eq!(a.dropped_areas, [0.0]);
    // The responsible piece is the right half.
    assert_eq!(a.pieces[0].geometry.unsigned_area(), 5000.0);
    let b = geo::BoundingRect::bounding_rect(&a.pieces[0].geometry).unwrap();
    assert_eq!((b.min().x, b.max().x), (X0 + 50.0, X0 + 100.0));
}

#[test]
fn small_coordinates_too() {
    let a = run(
        &[pit("P1", rect(0.0, 0.0, 1.0, 1.0))],
        &[licence(
            "C1",
            Some("H"),
            "valid",
            None,
            rect(0.0, 0.0, 0.25, 1.0),
        )],
    );
    assert_eq!(
        summary(&a),
        [row("P1", "C1", 0.25), row("P1", "legacy", 0.75)]
    );
}

#[test]
fn liability_by_status_and_holder() {
    let inside = |status: &str, holder: Option<&str>| {
        let a = run(
            &[pit("P", urect(10.0, 10.0, 20.0, 30.0))],
            &[licence(
                "C",
                holder,
                status,
                None,
                urect(0.0, 0.0, 100.0, 100.0),
            )],
        );
        let s = summary(&a);
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].2, 200.0);
        s[0].1.clone()
    };
    assert_eq!(inside("expired", Some("H")), "C");
    assert_eq!(inside("Suspended", Some("H")), "C");
    assert_eq!(inside("revoked", Some("H")), "legacy");
    assert_eq!(inside("cancelled", Some("H")), "legacy");
    assert_eq!(inside("valid", Some("")), "legacy");
    assert_eq!(inside("valid", Some("   ")), "legacy");
    assert_eq!(inside("valid", None), "legacy");
    // Chinese statuses.
    assert_eq!(inside("有效", Some("H")), "C");
    assert_eq!(inside("已过期", Some("H")), "C");
    assert_eq!(inside("过期", Some("H")), "C");
    assert_eq!(inside("停产", Some("H")), "C");
    assert_eq!(inside("暂停", Some("H")), "C");
    assert_eq!(inside("吊销", Some("H")), "legacy");
    assert_eq!(inside("已注销", Some("H")), "legacy");
}

#[test]
fn configured_liable_set() {
    let rule = LiabilityRule::with_statuses(["valid"]);
    let a = attribute(
        &[pit("P", urect(0.0, 0.0, 10.0, 10.0))],
        &[licence(
            "C",
            Some("H"),
            "expired",
            None,
            urect(0.0, 0.0, 10.0, 10.0),
        )],
        &rule,
    )
    .unwrap();
    assert_eq!(summary(&a), [row("P", "legacy", 100.0)]);
}

#[test]
fn overlap_priority() {
    let all = urect(-10.0, -10.0, 110.0, 110.0);
    let l =
        |id: &str, status: &str, to: Option<&str>| licence(id, Some("H"), status, to, all.clone());
    // valid beats expired even when the expired one has a later date and a smaller id.
    assert_eq!(
        winner(&[
            l("A", "expired", Some("2040-01-01")),
            l("B", "valid", Some("2020-01-01"))
        ]),
        "B"
    );
    // Both valid: the later valid-to wins.
    assert_eq!(
        winner(&[
            l("A", "valid", Some("2026-01-01")),
            l("B", "valid", Some("2027-01-01"))
        ]),
        "B"
    );
    // Same date: the smaller id wins.
    assert_eq!(
        winner(&[
            l("B", "valid", Some("2027-01-01")),
            l("A", "valid", Some("2027-01-01"))
        ]),
        "A"
    );
    // A missing date ranks after any date.
    assert_eq!(
        winner(&[l("A", "valid", None), l("B", "valid", Some("1999-01-01"))]),
        "B"
    );
    // Among non-valid liable statuses the date decides.
    assert_eq!(
        winner(&[
            l("A", "suspended", Some("2025-01-01")),
            l("B", "expired", Some("2025-01-02"))
        ]),
        "B"
    );
}

#[test]
fn partial_overlap_goes_to_the_winner() {
    // Pit 0..100 × 0..100. A (expired) covers x 0..60, B (valid) covers x 40..80.
    // B wins 40..80 → 4000; A keeps 0..40 → 4000; legacy 80..100 → 2000.
    let a = run(
        &[pit("P", urect(0.0, 0.0, 100.0, 100.0))],
        &[
            licence(
                "A",
                Some("HA"),
                "expired",
                Some("2030-01-01"),
                urect(0.0, -5.0, 60.0, 105.0),
            ),
            licence(
                "B",
                Some("HB"),
                "valid",
                Some("2026-01-01"),
                urect(40.0, -5.0, 80.0, 105.0),
            ),
        ],
    );
    assert_eq!(
        summary(&a),
        [
            row("P", "B", 4000.0),
            row("P", "A", 4000.0),
            row("P", "legacy", 2000.0)
        ]
    );
}

#[test]
fn pit_with_a_hole() {
    // 100 × 100 pit with a 20 × 20 hole at 40..60: area 9600. Licence x < 50:
    // responsible 5000 − 200 = 4800, legacy 4800.
    let hole = LineString::from(vec![
        (X0 + 40.0, Y0 + 40.0),
        (X0 + 40.0, Y0 + 60.0),
        (X0 + 60.0, Y0 + 60.0),
        (X0 + 60.0, Y0 + 40.0),
        (X0 + 40.0, Y0 + 40.0),
    ]);
    let outer = urect(0.0, 0.0, 100.0, 100.0).0[0].exterior().clone();
    let p = MultiPolygon(vec![Polygon::new(outer, vec![hole])]);
    let a = run(
        &[pit("P", p)],
        &[licence(
            "C",
            Some("H"),
            "valid",
            None,
            urect(-50.0, -50.0, 50.0, 150.0),
        )],
    );
    assert_eq!(a.pit_areas, [9600.0]);
    assert_eq!(
        summary(&a),
        [row("P", "C", 4800.0), row("P", "legacy", 4800.0)]
    );
}

#[test]
fn multipolygon_pit() {
    // Two 30 × 10 parts 500 m apart; the licence covers the first part only.
    let mut p = urect(0.0, 0.0, 30.0, 10.0);
    p.0.extend(urect(530.0, 0.0, 560.0, 10.0).0);
    let a = run(
        &[pit("P", p)],
        &[licence(
            "C",
            Some("H"),
            "valid",
            None,
            urect(-1.0, -1.0, 100.0, 100.0),
        )],
    );
    assert_eq!(
        summary(&a),
        [row("P", "C", 300.0), row("P", "legacy", 300.0)]
    );
    assert_eq!(a.pieces[0].geometry.0.len(), 1);
    assert_eq!(a.pieces[1].geometry.0.len(), 1);
}

#[test]
fn multipolygon_with_overlapping_parts_counts_them_once() {
    // Parts 0..20 × 0..10 and 10..30 × 0..10 overlap on 100: area 300, not 400.
    let mut p = urect(0.0, 0.0, 20.0, 10.0);
    p.0.extend(urect(10.0, 0.0, 30.0, 10.0).0);
    let a = run(&[pit("P", p)], &[]);
    assert_eq!(a.pit_areas, [300.0]);
    assert_eq!(summary(&a), [row("P", "legacy", 300.0)]);
}

#[test]
fn overlapping_pits_are_counted_once() {
    // P-b: 0..100 × 0..100; P-a: 60..160 × 50..150. Overlap 40 × 50 = 2000.
    // Union = 10000 + 10000 − 2000 = 18000. P-a (smaller id) keeps the overlap.
    // Licence C covers y ≥ 80 everywhere.
    // P-a counted = 10000: inside C y 80..150 → 100 × 70 = 7000; legacy 3000.
    // P-b counted = 10000 − 2000 = 8000: inside C (y 80..100) is 100 × 20 = 2000 minus
    //   the part in P-a (x 60..100, y 80..100 → 800) = 1200; legacy 8000 − 1200 = 6800.
    let pits = [
        pit("P-b", urect(0.0, 0.0, 100.0, 100.0)),
        pit("P-a", urect(60.0, 50.0, 160.0, 150.0)),
    ];
    let lic = [licence(
        "C",
        Some("H"),
        "valid",
        None,
        urect(-50.0, 80.0, 250.0, 250.0),
    )];
    let a = run(&pits, &lic);
    assert_eq!(
        a.overlaps,
        [PitOverlap {
            pit_a: "P-a".into(),
            pit_b: "P-b".into(),
            area: 2000.0
        }]
    );
    assert_eq!(a.pit_areas, [10_000.0, 10_000.0]);
    assert_eq!(a.counted_areas, [8000.0, 10_000.0]);
    assert_eq!(
        summary(&a),
        [
            row("P-b", "C", 1200.0),
            row("P-b", "legacy", 6800.0),
            row("P-a", "C", 7000.0),
            row("P-a", "legacy", 3000.0),
        ]
    );
    let total: f64 = a.pieces.iter().map(|p| p.area).sum();
    assert_eq!(total, 18_000.0);
    assert_eq!(a.responsible_area() + a.legacy_area(), 18_000.0);
    assert_eq!(
        pit_overlaps(&pits, &LiabilityRule::default()).unwrap(),
        a.overlaps
    );
}

#[test]
fn worked_example_from_docs() {
    // docs/attribution.md, "Worked example".
    let pits = [
        pit("P-b", urect(0.0, 0.0, 100.0, 100.0)),
        pit("P-a", urect(60.0, 50.0, 160.0, 150.0)),
    ];
    let lic = [
        licence(
            "A",
            Some("HA"),
            "expired",
            Some("2030-01-01"),
            urect(0.0, 0.0, 60.0, 200.0),
        ),
        licence(
            "B",
            Some("HB"),
            "valid",
            Some("2026-01-01"),
            urect(40.0, 80.0, 200.0, 200.0),
        ),
        licence(
            "R",
            Some("HR"),
            "revoked",
            None,
            urect(0.0, 0.0, 200.0, 200.0),
        ),
    ];
    let a = run(&pits, &lic);
    assert_eq!(
        a.overlaps,
        [PitOverlap {
            pit_a: "P-a".into(),
            pit_b: "P-b".into(),
            area: 2000.0
        }]
    );
    assert_eq!(a.counted_areas, [8000.0, 10_000.0]);
    assert_eq!(
        summary(&a),
        [
            row("P-b", "B", 400.0),
            row("P-b", "A", 5600.0),
            row("P-b", "legacy", 2000.0),
            row("P-a", "B", 7000.0),
            row("P-a", "legacy", 3000.0),
        ]
    );
    assert_eq!(a.responsible_area(), 13_000.0);
    assert_eq!(a.legacy_area(), 5000.0);
}

#[test]
fn slanted_edges_still_tile_the_pit() {
    // A triangular licence cuts the pit along a diagonal: half the square each.
    let p = urect(0.0, 0.0, 100.0, 100.0);
    let tri = MultiPolygon(vec![polygon![
        (x: X0, y: Y0), (x: X0 + 100.0, y: Y0), (x: X0 + 100.0, y: Y0 + 100.0), (x: X0, y: Y0)
    ]]);
    let a = run(
        &[pit("P", p)],
        &[licence("C", Some("H"), "valid", None, tri)],
    );
    assert_eq!(
        summary(&a),
        [row("P", "C", 5000.0), row("P", "legacy", 5000.0)]
    );
}

#[test]
fn input_errors() {
    let p = || pit("P", urect(0.0, 0.0, 1.0, 1.0));
    assert!(matches!(
        attribute(&[p(), p()], &[], &LiabilityRule::default()),
        Err(AttributeError::DuplicatePitId { id, first: 0, second: 1 }) if id == "P"
    ));
    let l = || licence("L", Some("H"), "valid", None, urect(0.0, 0.0, 1.0, 1.0));
    assert!(matches!(
        attribute(&[p()], &[l(), l()], &LiabilityRule::default()),
        Err(AttributeError::DuplicateLicenceId { id, .. }) if id == "L"
    ));
    let mut bad = l();
    bad.valid_to = Some(Date {
        year: 2025,
        month: 2,
        day: 30,
    });
    assert!(matches!(
        attribute(&[p()], &[bad], &LiabilityRule::default()),
        Err(AttributeError::InvalidDate { licence: Some(id), .. }) if id == "L"
    ));
    let inf = pit("Q", rect(0.0, 0.0, f64::INFINITY, 1.0));
    assert!(matches!(
        attribute(&[inf], &[], &LiabilityRule::default()),
        Err(AttributeError::NonFiniteCoordinate { .. })
    ));
}

#[test]
fn degenerate_geometry_gives_no_pieces() {
    let flat = rect(0.0, 0.0, 10.0, 0.0);
    let a = run(
        &[pit("P", flat), pit("Q", MultiPolygon(vec![]))],
        &[licence("C", Some("H"), "valid", None, MultiPolygon(vec![]))],
    );
    assert!(a.pieces.is_empty());
    assert_eq!(a.pit_areas, [0.0, 0.0]);
}

#[test]
fn microscopic_pit_at_utm_magnitude_does_not_panic() {
    // A 1e-8 m square (far below survey precision) inside a licence.
    let tiny = urect(10.0, 10.0, 10.0 + 1e-8, 10.0 + 1e-8);
    let a = attribute(
        &[pit("P", tiny)],
        &[licence(
            "C",
            Some("H"),
            "valid",
            None,
            urect(0.0, 0.0, 100.0, 100.0),
        )],
        &LiabilityRule {
            min_piece_area: 0.0,
            ..LiabilityRule::default()
        },
    )
    .unwrap();
    assert!(a.pit_areas[0] < 1e-12);
    let sum: f64 = a.pieces.iter().map(|p| p.area).sum();
    assert!((sum - a.counted_areas[0]).abs() < 1e-12);
}

#[test]
fn date_layouts() {
    let want = Date {
        year: 2025,
        month: 12,
        day: 31,
    };
    for s in [
        "2025-12-31",
        "2025/12/31",
        "20251231",
        "2025.12.31",
        "2025年12月31日",
    ] {
        assert_eq!(Date::parse(s).unwrap(), want, "{s}");
    }
    assert!(Date::parse("2025-02-30").is_err());
    assert!(Date::parse("2025-13-01").is_err());
    assert!(Date::parse("next year").is_err());
}

// ---------------------------------------------------------------------------------
// Randomized: pieces tile each pit, and match an independent oracle.

/// Overlap priority written independently of the engine: (not valid, date desc with
/// missing last, id).
fn oracle_key(l: &Licence) -> (bool, bool, Reverse<Option<Date>>, String) {
    (
        canonical_status(&l.status) != "valid",
        l.valid_to.is_none(),
        Reverse(l.valid_to),
        l.id.clone(),
    )
}

/// Exact areas for axis-aligned rectangles by coordinate compression: every elementary
/// cell goes to the first pit (by id) and the first liable licence (by priority) that
/// contain its centre. Returns (pit index, licence id or "legacy") → area.
fn oracle(
    pits: &[(Pit, [f64; 4])],
    licences: &[(Licence, [f64; 4])],
    rule: &LiabilityRule,
) -> BTreeMap<(usize, String), f64> {
    let mut xs: Vec<f64> = Vec::new();
    let mut ys: Vec<f64> = Vec::new();
    for r in pits.iter().map(|p| p.1).chain(licences.iter().map(|l| l.1)) {
        xs.extend([r[0], r[2]]);
        ys.extend([r[1], r[3]]);
    }
    xs.sort_by(f64::total_cmp);
    xs.dedup();
    ys.sort_by(f64::total_cmp);
    ys.dedup();
    let mut pit_order: Vec<usize> = (0..pits.len()).collect();
    pit_order.sort_by(|&a, &b| pits[a].0.id.cmp(&pits[b].0.id));
    let mut liable: Vec<&(Licence, [f64; 4])> =
        licences.iter().filter(|l| rule.is_liable(&l.0)).collect();
    liable.sort_by_key(|l| oracle_key(&l.0));
    let inside = |r: &[f64; 4], x: f64, y: f64| r[0] < x && x < r[2] && r[1] < y && y < r[3];
    let mut out = BTreeMap::new();
    for xw in xs.windows(2) {
        for yw in ys.windows(2) {
            let (cx, cy) = ((xw[0] + xw[1]) / 2.0, (yw[0] + yw[1]) / 2.0);
            let Some(&p) = pit_order.iter().find(|&&i| inside(&pits[i].1, cx, cy)) else {
                continue;
            };
            let who = liable
                .iter()
                .find(|l| inside(&l.1, cx, cy))
                .map_or("legacy".to_string(), |l| l.0.id.clone());
            *out.entry((p, who)).or_insert(0.0) += (xw[1] - xw[0]) * (yw[1] - yw[0]);
        }
    }
    out
}

/// A random licence: rectangle, status index, holder index, valid-to (y, m, d).
type LicenceSpec = ([f64; 4], usize, usize, Option<(i32, u32, u32)>);

fn arb_rect(offset: (f64, f64)) -> impl Strategy<Value = [f64; 4]> {
    (0.0..900.0f64, 0.0..900.0f64, 1.0..400.0f64, 1.0..400.0f64).prop_map(move |(x, y, w, h)| {
        [
            offset.0 + x,
            offset.1 + y,
            offset.0 + x + w,
            offset.1 + y + h,
        ]
    })
}

fn arb_licence(offset: (f64, f64)) -> impl Strategy<Value = LicenceSpec> {
    (
        arb_rect(offset),
        0usize..7,
        0usize..4,
        prop::option::of((2015i32..2035, 1u32..13, 1u32..29)),
    )
}

const STATUSES: [&str; 7] = [
    "valid",
    "expired",
    "suspended",
    "revoked",
    "有效",
    "吊销",
    "cancelled",
];
const HOLDERS: [Option<&str>; 4] = [Some("Acme"), Some("Beta"), None, Some(" ")];

fn check_random(
    pit_rects: Vec<[f64; 4]>,
    lic_specs: Vec<LicenceSpec>,
) -> Result<(), TestCaseError> {
    let pits: Vec<(Pit, [f64; 4])> = pit_rects
        .iter()
        .enumerate()
        // Ids not in input order, so deduplication order differs from input order.
        .map(|(i, r)| {
            (
                pit(&format!("P{}", (i * 7) % 11), rect(r[0], r[1], r[2], r[3])),
                *r,
            )
        })
        .collect();
    let licences: Vec<(Licence, [f64; 4])> = lic_specs
        .iter()
        .enumerate()
        .map(|(i, (r, s, h, d))| {
            let l = Licence {
                id: format!("L{}", (i * 5) % 13),
                holder: HOLDERS[*h].map(Into::into),
                status: STATUSES[*s].into(),
                valid_to: d.map(|(year, month, day)| Date { year, month, day }),
                geometry: rect(r[0], r[1], r[2], r[3]),
            };
            (l, *r)
        })
        .collect();
    let rule = LiabilityRule::default();
    let p: Vec<Pit> = pits.iter().map(|x| x.0.clone()).collect();
    let l: Vec<Licence> = licences.iter().map(|x| x.0.clone()).collect();
    let a = attribute(&p, &l, &rule).map_err(|e| TestCaseError::fail(e.to_string()))?;

    // 1. Pieces (plus accounted slivers) tile each pit's counted area to 1e-9.
    for (i, counted) in a.counted_areas.iter().enumerate() {
        let sum: f64 = a
            .pieces
            .iter()
            .filter(|x| x.pit_index == i)
            .map(|x| x.area)
            .sum();
        let tol = 1e-9 * counted.max(1.0);
        prop_assert!(
            (sum + a.dropped_areas[i] - counted).abs() <= tol,
            "pit {i}: {sum} vs {counted}"
        );
        prop_assert!(
            (sum - counted).abs() <= tol,
            "pit {i} without slivers: {sum} vs {counted}"
        );
        prop_assert!(*counted <= a.pit_areas[i] * (1.0 + 1e-12));
    }
    // 2. Pieces are ordered by pit, then licence priority, legacy last.
    for w in a.pieces.windows(2) {
        prop_assert!(w[0].pit_index <= w[1].pit_index);
        if w[0].pit_index == w[1].pit_index {
            prop_assert!(w[0].responsibility != Responsibility::Legacy);
        }
    }
    // 3. Per (pit, responsibility) areas equal the oracle's up to snapping: every vertex
    //    moves by at most half a grid step per axis, so a piece's area moves by at most
    //    step/2 × its perimeter, which is below step × the total perimeter of the input.
    let perimeter: f64 = pits
        .iter()
        .map(|p| p.1)
        .chain(licences.iter().map(|l| l.1))
        .map(|r| 2.0 * (r[2] - r[0] + r[3] - r[1]))
        .sum();
    let snap_tol = a.snap_step * perimeter;
    let want = oracle(&pits, &licences, &rule);
    let mut got: BTreeMap<(usize, String), f64> = BTreeMap::new();
    for piece in &a.pieces {
        let who = match &piece.responsibility {
            Responsibility::Responsible { licence_id, .. } => licence_id.clone(),
            _ => "legacy".into(),
        };
        *got.entry((piece.pit_index, who)).or_insert(0.0) += piece.area;
    }
    for key in want.keys().chain(got.keys()) {
        let (w, g) = (
            want.get(key).copied().unwrap_or(0.0),
            got.get(key).copied().unwrap_or(0.0),
        );
        prop_assert!(
            (w - g).abs() <= snap_tol,
            "{key:?}: oracle {w}, engine {g}, tol {snap_tol}"
        );
    }
    // 4. Reported overlaps match the rectangles' intersections.
    for o in &a.overlaps {
        let ra = pits
            .iter()
            .find(|p| p.0.id == o.pit_a)
            .map(|p| p.1)
            .unwrap();
        let rb = pits
            .iter()
            .find(|p| p.0.id == o.pit_b)
            .map(|p| p.1)
            .unwrap();
        let w = (ra[2].min(rb[2]) - ra[0].max(rb[0])).max(0.0);
        let h = (ra[3].min(rb[3]) - ra[1].max(rb[1])).max(0.0);
        prop_assert!(o.pit_a < o.pit_b);
        prop_assert!((o.area - w * h).abs() <= snap_tol, "{o:?} vs {}", w * h);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_rectangles_small(
        pit_rects in prop::collection::vec(arb_rect((0.0, 0.0)), 1..8),
        lic_specs in prop::collection::vec(arb_licence((0.0, 0.0)), 0..7),
    ) {
        check_random(pit_rects, lic_specs)?;
    }

    #[test]
    fn random_rectangles_utm(
        pit_rects in prop::collection::vec(arb_rect((X0, Y0)), 1..8),
        lic_specs in prop::collection::vec(arb_licence((X0, Y0)), 0..7),
    ) {
        check_random(pit_rects, lic_specs)?;
    }

    #[test]
    fn random_triangles_tile_their_pits(
        tris in prop::collection::vec(
            prop::array::uniform6(0.0..500.0f64), 2..8),
    ) {
        // Random (possibly clockwise, possibly thin) triangles at UTM magnitudes: the
        // first half are pits, the rest valid licences. Pieces must tile each pit.
        let tri = |c: [f64; 6]| MultiPolygon(vec![polygon![
            (x: X0 + c[0], y: Y0 + c[1]), (x: X0 + c[2], y: Y0 + c[3]), (x: X0 + c[4], y: Y0 + c[5]), (x: X0 + c[0], y: Y0 + c[1])
        ]]);
        let half = tris.len() / 2;
        let pits: Vec<Pit> = tris[..half].iter().enumerate().map(|(i, c)| pit(&format!("P{i}"), tri(*c))).collect();
        let lic: Vec<Licence> = tris[half..].iter().enumerate()
            .map(|(i, c)| licence(&format!("L{i}"), Some("H"), "valid", None, tri(*c))).collect();
        let a = attribute(&pits, &lic, &LiabilityRule::default()).unwrap();
        for (i, counted) in a.counted_areas.iter().enumerate() {
            let sum: f64 = a.pieces.iter().filter(|x| x.pit_index == i).map(|x| x.area).sum();
            // Slanted crossings are rounded to the pit's integer frame (step ≤ snap_step):
            // each bends one pit edge of length L by < step, changing the area by
            // < L × step / 2; a triangle crosses each pit edge at most twice, so the bound
            // is perimeter × step per other triangle (licences and earlier pits).
            let c = tris[i];
            let perimeter = (c[2] - c[0]).hypot(c[3] - c[1])
                + (c[4] - c[2]).hypot(c[5] - c[3])
                + (c[0] - c[4]).hypot(c[1] - c[5]);
            let tol = 1e-12 * counted + a.snap_step * perimeter * (tris.len() as f64);
            prop_assert!((sum + a.dropped_areas[i] - counted).abs() <= tol,
                "pit {i}: {sum} + {} vs {counted}, tol {tol}", a.dropped_areas[i]);
            // Unsnapped input area agrees to the snapping tolerance (perimeter < 2200).
            let raw = pits[i].geometry.unsigned_area();
            prop_assert!((a.pit_areas[i] - raw).abs() <= a.snap_step * 2200.0, "{} vs {raw}", a.pit_areas[i]);
        }
    }
}

/// Speed check: `cargo test --release -p reclaim --test attribute -- --ignored --nocapture`.
#[test]
#[ignore]
fn perf_1000_pits_150_licences() {
    // A deterministic scatter: pits 60 × 40 m on a 150 m lattice, licences 600 m squares
    // on a staggered 500 m lattice with a mix of statuses.
    let pits: Vec<Pit> = (0..1000)
        .map(|i| {
            let (x, y) = ((i % 40) as f64 * 150.0, (i / 40) as f64 * 150.0);
            let skew = (i % 7) as f64 * 3.3;
            pit(
                &format!("P{i:04}"),
                urect(x + skew, y, x + 60.0 + skew, y + 40.0 + skew),
            )
        })
        .collect();
    let lic: Vec<Licence> = (0..150)
        .map(|i| {
            let (x, y) = (
                (i % 12) as f64 * 500.0 + 37.0,
                (i / 12) as f64 * 300.0 + 11.0,
            );
            let status = ["valid", "expired", "revoked", "有效", "suspended"][i % 5];
            licence(
                &format!("C{i:03}"),
                Some("H"),
                status,
                Some("2030-01-01"),
                urect(x, y, x + 600.0, y + 600.0),
            )
        })
        .collect();
    let t = std::time::Instant::now();
    let a = run(&pits, &lic);
    let elapsed = t.elapsed();
    let total: f64 = a.counted_areas.iter().sum();
    let pieces: f64 = a.pieces.iter().map(|p| p.area).sum();
    println!(
        "1000 pits × 150 licences: {} pieces in {:.1} ms",
        a.pieces.len(),
        elapsed.as_secs_f64() * 1e3
    );
    assert!((total - pieces).abs() <= 1e-9 * total);
}
