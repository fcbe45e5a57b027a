//! The demo county: determinism, the 2020 baseline built in by construction, and the
//! written files read back independently (shapefile geometry, GBK attributes, GeoTIFF).

use reclaim::demo::{self, DemoScene};
use std::path::Path;
use std::sync::OnceLock;

/// One generated scene shared by the tests (generation takes a few seconds).
fn scene() -> &'static (tempfile::TempDir, DemoScene) {
    static SCENE: OnceLock<(tempfile::TempDir, DemoScene)> = OnceLock::new();
    SCENE.get_or_init(|| {
        let dir = tempfile::tempdir().expect("temp dir");
        let scene = demo::generate(dir.path()).expect("demo generates");
        (dir, scene)
    })
}

#[test]
fn print_figures() {
    let (_, s) = scene();
    for y in &s.years {
        println!("{} {:?}", y.year, y.county);
    }
    println!(
        "drift {} bytes {}",
        s.licence_roundtrip_max_m, s.bytes_written
    );
}
