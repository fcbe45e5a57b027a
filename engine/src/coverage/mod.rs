//! Exact polygon-over-grid coverage fractions (the exactextract method).
//!
//! OWNER: coverage helper.
