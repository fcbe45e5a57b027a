//! Benchmarks live here (criterion benches come with the speed issue).
