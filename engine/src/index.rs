//! R-tree over footprint envelopes.
