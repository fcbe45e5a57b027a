//! Attribution: cutting seeded pits into pieces by liable licences (overlay,
//! priority, pit-overlap deduplication).

use criterion::{criterion_group, criterion_main, Criterion};
use reclaim::attribute::{attribute, LiabilityRule};
use reclaim_benches::synth;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let pits = synth::pits(11, 200, 20_000.0);
    let lic = synth::licences(11, 40, 20_000.0);
    let rule = LiabilityRule::default();
    c.bench_function("attribution/200 pits x 40 licences", |b| {
        b.iter(|| black_box(attribute(black_box(&pits), black_box(&lic), &rule).ok()))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
