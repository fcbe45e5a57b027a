//! Who answers for a piece of land: one type for the attribution, the audit's
//! results and the files (`responsibility` in `attribution.csv`, `partial.json`).

use serde::{Deserialize, Serialize};

/// Who answers for a piece of land.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "responsibility")]
pub enum Responsibility {
    /// Inside a liable licence: its holder answers for it.
    Responsible {
        /// The licence's id (`license_id` in files, as they have always spelt it).
        #[serde(rename = "license_id")]
        licence_id: String,
        /// The licence's holder (trimmed).
        holder: String,
    },
    /// Outside every liable licence: historical legacy (历史遗留), nobody answers.
    Legacy,
    /// No licence layer was given (or it was empty): who answers for the land is
    /// unknown, not "legacy", which is a finding about licences. The attribution
    /// never gives it; the audit does, for land it could not attribute.
    Unattributed,
}
