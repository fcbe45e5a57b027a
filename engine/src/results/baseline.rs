//! The plan's baseline figures an audit is compared with (`[baseline]`).

use serde::{Deserialize, Serialize};

/// `[baseline]`: the plan's figures, in hectares.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    /// Restored land in the plan's baseline, hectares.
    pub restored_ha: f64,
    /// Unrestored land in the plan's baseline, hectares.
    pub unrestored_ha: f64,
    /// Unrestored land with a liable licence holder in the baseline, hectares.
    pub unrestored_responsible_ha: f64,
    /// Unrestored historical legacy land in the baseline, hectares.
    pub unrestored_legacy_ha: f64,
}
