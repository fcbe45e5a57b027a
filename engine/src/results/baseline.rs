//! The plan's baseline figures an audit is compared with (`[baseline]`).

use serde::{Deserialize, Serialize};

/// `[baseline]`: the plan's figures, in hectares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub restored_ha: f64,
    pub unrestored_ha: f64,
    pub unrestored_responsible_ha: f64,
    pub unrestored_legacy_ha: f64,
}
