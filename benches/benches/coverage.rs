//! Exact coverage of seeded star footprints (holes, two-part multipolygons) over a
//! 10 m grid: the per-footprint cost before any raster is read.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reclaim::coverage::coverage;
use reclaim_benches::synth;
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let grid = synth::grid(2_000, 2_000, 10.0);
    let fps = synth::footprints(7, 100, 20_000.0);
    let mut g = c.benchmark_group("coverage");
    g.throughput(Throughput::Elements(fps.len() as u64));
    g.bench_function("100 footprints (30-300 m stars)", |b| {
        b.iter(|| {
            for f in &fps {
                black_box(coverage(black_box(f), &grid).ok());
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
