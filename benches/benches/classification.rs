//! Classification of cells: NDVI from raw Sentinel-2 DNs, the SCL mask, and a
//! land-cover mapping, over one 512 × 512 block of seeded values.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reclaim::classify::{ClassMapping, Mask, NdviClassifier};
use reclaim::raster::{NoData, SampleType};
use reclaim::rng::SplitMix64;
use std::hint::black_box;

const CELLS: usize = 512 * 512;

fn bench(c: &mut Criterion) {
    let mut rng = SplitMix64::new(3);
    let red: Vec<u16> = (0..CELLS)
        .map(|_| 1000 + (rng.next_u64() % 3000) as u16)
        .collect();
    let nir: Vec<u16> = (0..CELLS)
        .map(|_| 1000 + (rng.next_u64() % 5000) as u16)
        .collect();
    let scl: Vec<u8> = (0..CELLS).map(|_| (rng.next_u64() % 12) as u8).collect();
    let wc: Vec<u8> = (0..CELLS)
        .map(|_| 10 * (1 + (rng.next_u64() % 10) as u8))
        .collect();
    let ndvi = NdviClassifier {
        scale: 1e-4,
        offset: -0.1,
        restored_min_ndvi: 0.3,
        water_max_ndvi: 0.0,
        red_nodata: Some(NoData::new(0.0, SampleType::U16)),
        nir_nodata: Some(NoData::new(0.0, SampleType::U16)),
    };
    let mask = Mask::new(Some("scl"), None, None).ok();
    let mapping = ClassMapping::new(Some("worldcover"), None).ok();

    let mut g = c.benchmark_group("classification");
    g.throughput(Throughput::Elements(CELLS as u64));
    g.bench_function("ndvi u16 block", |b| {
        b.iter(|| {
            let mut n = [0u32; 4];
            for (r, v) in red.iter().zip(&nir) {
                n[ndvi.classify(f64::from(*r), f64::from(*v)) as usize] += 1;
            }
            black_box(n)
        })
    });
    if let Some(m) = &mask {
        g.bench_function("scl mask block", |b| {
            b.iter(|| black_box(scl.iter().filter(|v| m.hides(f64::from(**v))).count()))
        });
    }
    if let Some(m) = &mapping {
        g.bench_function("worldcover mapping block", |b| {
            b.iter(|| black_box(wc.iter().filter_map(|v| m.class_of(f64::from(*v))).count()))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = bench
}
criterion_main!(benches);
