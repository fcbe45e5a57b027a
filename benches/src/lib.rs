//! Speed benchmarks of reclaim, and the tools the end-to-end comparison uses.
//!
//! - `benches/*.rs`: criterion benches per area (block decode, classification,
//!   coverage, attribution) on seeded synthetic inputs (`cargo bench -p reclaim-benches`).
//! - `reclaim-bench decode --config audit.toml`: decode-only run over exactly the
//!   blocks an audit reads ([`decode`]), the floor `reclaim audit` is measured against.
//! - `e2e/`: the county-scale comparison with exactextract and rasterstats
//!   (`benches/e2e/run.sh`, results in `docs/performance.md`).
//! - [`synth`]: seeded synthetic footprints shared by the benches.

pub mod decode;
pub mod synth;
