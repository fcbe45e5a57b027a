//! Per-zone, per-value exact areas (the categorical zonal histogram).
