//! Block decode: a seeded 3,000 × 2,400 two-band uint16 GeoTIFF (DEFLATE +
//! horizontal predictor, pixel-interleaved strips, as the demo writes it), read
//! block by block as the audit reads it: a reused buffer vs a fresh one per block.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use reclaim::raster::{BandBuffer, GeoTiff};
use reclaim::rng::SplitMix64;
use reclaim_demo::geotiff_out::write_bands;
use reclaim_demo::grid::{HEIGHT, WIDTH};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let dir = match tempfile::tempdir() {
        Ok(d) => d,
        Err(e) => {
            eprintln!("block_decode: no temp dir: {e}");
            return;
        }
    };
    let path = dir.path().join("bands.tif");
    let mut rng = SplitMix64::new(5);
    // Smooth-ish reflectance plus noise, like imagery (pure noise would not compress).
    let bands: Vec<u16> = (0..WIDTH * HEIGHT * 2)
        .map(|i| 1500 + ((i / 2 % WIDTH) / 40 * 37 % 2000) as u16 + (rng.next_u64() % 200) as u16)
        .collect();
    let opened = write_bands(&path, &bands)
        .ok()
        .and_then(|_| GeoTiff::open(&path).ok());
    let Some(mut tif) = opened else {
        eprintln!("block_decode: could not write or open {}", path.display());
        return;
    };
    let blocks: Vec<_> = (0..tif.blocks_down())
        .flat_map(|r| (0..tif.blocks_across()).map(move |c| (c, r)))
        .map(|(c, r)| tif.block_window(c, r))
        .collect();
    let mut g = c.benchmark_group("block_decode");
    g.throughput(Throughput::Elements((WIDTH * HEIGHT) as u64));
    g.bench_function("2 bands, reused buffers", |b| {
        let (mut red, mut nir) = (BandBuffer::U8(Vec::new()), BandBuffer::U8(Vec::new()));
        b.iter(|| {
            for w in &blocks {
                let ok = tif.read_window_into(1, *w, &mut red).is_ok()
                    && tif.read_window_into(2, *w, &mut nir).is_ok();
                black_box(ok);
            }
        })
    });
    g.bench_function("2 bands, fresh buffers", |b| {
        b.iter(|| {
            for w in &blocks {
                black_box(tif.read_window(1, *w).ok());
                black_box(tif.read_window(2, *w).ok());
            }
        })
    });
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(10);
    targets = bench
}
criterion_main!(benches);
