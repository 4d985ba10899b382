//! What people chose for a blueprint, stored in the engagement file and applied on top of a scan: the
//! clients they shaped (merges, names, owners — applied by the assessment) and, per client, the parts of
//! its tenancy they overrode (Connect topology, SES reputation policy, tenant name).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::tenancy::TenancyOverride;
use crate::assess::ClientChoices;

/// Every choice recorded in an engagement (one JSON document in `tenancy_choices`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TenancyChoices {
    #[serde(flatten)]
    pub clients: ClientChoices,
    /// Client id → the tenancy choices a person overrode.
    #[serde(default)]
    pub plans: BTreeMap<String, TenancyOverride>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_document_earlier_builds_stored() {
        let stored = r#"{"project_clients":{"a/us-east-1/p1":"acme"},"names":{"acme":"ACME"},
            "owners":{"k":{"clients":["acme"],"accepted":true}},"plans":{"acme":{"topology":"shared"}}}"#;
        let choices: TenancyChoices = serde_json::from_str(stored).expect("parses");
        assert_eq!(choices.clients.names["acme"], "ACME");
        assert_eq!(choices.clients.owners["k"].clients, ["acme"]);
        assert!(choices.plans["acme"].topology.is_some());
        let again: TenancyChoices =
            serde_json::from_str(&serde_json::to_string(&choices).expect("writes")).expect("reads back");
        assert_eq!(again, choices);
    }
}
