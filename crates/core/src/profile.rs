//! Where a Pinpoint endpoint's values live in an Amazon Connect Customer Profile — one mapping that the
//! template converters rewrite variables with, the render-equivalence proof builds profiles with, and the
//! endpoint import will load profiles with, so the three can never disagree.
//!
//! The mapping follows AWS's endpoint→profile guidance with its flaws fixed: user and endpoint attributes
//! become custom profile attributes of the same name (an endpoint attribute whose name a user attribute
//! already takes becomes `Endpoint_<name>`), a list becomes one text value (its items joined by commas, as
//! Handlebars prints a list), metrics and demographics become text attributes with a prefix, the location
//! fills the profile's address, `User.UserId` is the account number and the endpoint address is the
//! email address or phone number of its channel. What has no place in a profile (the endpoint id, its
//! status, recommendations…) maps to nothing, and converters report it.

use std::collections::{BTreeMap, BTreeSet};
use std::hash::{Hash, Hasher};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};
use ts_rs::TS;

use crate::scan::audience::AudienceProfile;
use crate::templates::value::text;

/// A variable of Pinpoint's template model (the endpoint and its user), as a template names it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Variable {
    /// `User.UserAttributes.<name>` (a list).
    UserAttribute(String),
    /// `Attributes.<name>` (a list).
    EndpointAttribute(String),
    /// `Metrics.<name>` (a number).
    Metric(String),
    /// `Demographic.<field>`.
    Demographic(String),
    /// `Location.<field>`.
    Location(String),
    /// `User.UserId`.
    UserId,
    /// `Address`: the endpoint's email address, phone number or device token.
    Address,
    /// `Id`, `ChannelType`, `EndpointStatus`, `OptOut`, `EffectiveDate`, `CreationDate`, `RequestId`, `CohortId`.
    Endpoint(String),
    /// Recommendation attributes a template gets from its recommender (`RecommendationItems`, `Recommendations.*`).
    Recommendation(String),
    /// Not part of Pinpoint's model: renders empty in Pinpoint.
    Unknown(String),
}

const ENDPOINT_FIELDS: [&str; 8] =
    ["Id", "ChannelType", "EndpointStatus", "OptOut", "EffectiveDate", "CreationDate", "RequestId", "CohortId"];

impl Variable {
    /// Reads a path's segments (without `this`, `../` or brackets); returns the variable and how many
    /// segments name it (the rest index into it: `[0]`, `length`).
    pub fn parse(segments: &[&str]) -> Option<(Variable, usize)> {
        let first = *segments.first()?;
        let second = segments.get(1).copied();
        let named = |v: fn(String) -> Variable| second.map(|s| (v(s.to_owned()), 2));
        match first {
            "User" => match (second, segments.get(2)) {
                (Some("UserId"), _) => Some((Variable::UserId, 2)),
                (Some("UserAttributes"), Some(name)) => Some((Variable::UserAttribute((*name).to_owned()), 3)),
                // `User` and `User.UserAttributes` are objects, not variables
                (None, _) | (Some("UserAttributes"), None) => None,
                _ => Some((Variable::Unknown(segments.join(".")), segments.len())),
            },
            "Attributes" => named(Variable::EndpointAttribute),
            "Metrics" => named(Variable::Metric),
            "Demographic" => named(Variable::Demographic),
            "Location" => named(Variable::Location),
            "Address" => Some((Variable::Address, 1)),
            "RecommendationItems" => Some((Variable::Recommendation(first.to_owned()), 1)),
            "Recommendations" => second
                .map(|s| (Variable::Recommendation(format!("Recommendations.{s}")), 2))
                .or(Some((Variable::Recommendation(first.to_owned()), 1))),
            f if ENDPOINT_FIELDS.contains(&f) => Some((Variable::Endpoint(f.to_owned()), 1)),
            _ => Some((Variable::Unknown(segments.join(".")), segments.len())),
        }
        .filter(|(_, n)| *n <= segments.len())
    }

    /// The variable's path in Pinpoint's model (`User.UserAttributes.FirstName`).
    pub fn path(&self) -> String {
        match self {
            Variable::UserAttribute(n) => format!("User.UserAttributes.{n}"),
            Variable::EndpointAttribute(n) => format!("Attributes.{n}"),
            Variable::Metric(n) => format!("Metrics.{n}"),
            Variable::Demographic(n) => format!("Demographic.{n}"),
            Variable::Location(n) => format!("Location.{n}"),
            Variable::UserId => "User.UserId".into(),
            Variable::Address => "Address".into(),
            Variable::Endpoint(n) | Variable::Recommendation(n) | Variable::Unknown(n) => n.clone(),
        }
    }

    /// Pinpoint keeps these as lists of text.
    pub fn is_list(&self) -> bool {
        matches!(self, Variable::UserAttribute(_) | Variable::EndpointAttribute(_))
    }

    /// Pinpoint keeps these as numbers (metrics, latitude and longitude).
    pub fn is_number(&self) -> bool {
        match self {
            Variable::Metric(_) => true,
            Variable::Location(f) => f == "Latitude" || f == "Longitude",
            _ => false,
        }
    }

    /// The value at this variable in an endpoint.
    pub fn value_in<'v>(&self, endpoint: &'v Value) -> Option<&'v Value> {
        match self {
            Variable::UserAttribute(n) => endpoint.get("User")?.get("UserAttributes")?.get(n),
            Variable::EndpointAttribute(n) => endpoint.get("Attributes")?.get(n),
            Variable::Metric(n) => endpoint.get("Metrics")?.get(n),
            Variable::Demographic(n) => endpoint.get("Demographic")?.get(n),
            Variable::Location(n) => endpoint.get("Location")?.get(n),
            Variable::UserId => endpoint.get("User")?.get("UserId"),
            Variable::Address => endpoint.get("Address"),
            Variable::Endpoint(n) => endpoint.get(n),
            Variable::Recommendation(_) | Variable::Unknown(_) => None,
        }
    }
}

/// A place in a Customer Profile.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "name", rename_all = "snake_case")]
pub enum ProfileField {
    /// A custom attribute (`Attributes.<name>` in the profile).
    Custom(String),
    /// A standard field by its path in the profile (`EmailAddress`, `Address.City`).
    Standard(String),
}

impl ProfileField {
    /// The field's path in a profile document (`Attributes.tier`, `Address.City`).
    pub fn segments(&self) -> Vec<String> {
        match self {
            ProfileField::Custom(n) => vec!["Attributes".into(), n.clone()],
            ProfileField::Standard(p) => p.split('.').map(str::to_owned).collect(),
        }
    }

    /// The key of this field in Q in Connect's `customerProfileAttributes` (`city`, `custom.tier`).
    pub fn connect_attribute(&self) -> (Option<&'static str>, String) {
        match self {
            ProfileField::Custom(n) => (Some("custom"), n.clone()),
            ProfileField::Standard(p) => {
                let key = match p.as_str() {
                    "EmailAddress" => "emailAddress",
                    "PhoneNumber" => "phoneNumber",
                    "AccountNumber" => "accountNumber",
                    "Address.City" => "city",
                    "Address.Country" => "country",
                    "Address.PostalCode" => "postalCode",
                    "Address.State" => "state",
                    other => return (None, other.to_owned()),
                };
                (None, key.to_owned())
            }
        }
    }
}

/// The channel a template sends on: it decides what the endpoint `Address` is in a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    Email,
    Sms,
    Push,
}

/// The endpoint→profile mapping of one client (or one template).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ProfileMapping {
    /// The user and endpoint attributes the mapping knows of.
    user: BTreeSet<String>,
    endpoint: BTreeSet<String>,
    /// Endpoint attribute names a user attribute already takes.
    collisions: BTreeSet<String>,
    /// `(source, name)` of attributes some endpoint holds several values of, from audience profiling.
    multi_valued: BTreeSet<(String, String)>,
    /// Whether audience profiling told us the attributes' cardinality.
    schema_known: bool,
}

impl ProfileMapping {
    /// A mapping for the attributes in `variables` (and, when profiled, the audience's attributes).
    pub fn new<'a>(variables: impl IntoIterator<Item = &'a Variable>, audiences: &[AudienceProfile]) -> ProfileMapping {
        let mut user = BTreeSet::new();
        let mut endpoint = BTreeSet::new();
        for v in variables {
            match v {
                Variable::UserAttribute(n) => {
                    user.insert(n.clone());
                }
                Variable::EndpointAttribute(n) => {
                    endpoint.insert(n.clone());
                }
                _ => {}
            }
        }
        let mut multi_valued = BTreeSet::new();
        for a in audiences.iter().flat_map(|p| &p.attributes) {
            match a.source.as_str() {
                "User.UserAttributes" => {
                    user.insert(a.name.clone());
                }
                "Attributes" => {
                    endpoint.insert(a.name.clone());
                }
                _ => {}
            }
            if a.multi_valued > 0 {
                multi_valued.insert((a.source.clone(), a.name.clone()));
            }
        }
        ProfileMapping {
            collisions: user.intersection(&endpoint).cloned().collect(),
            user,
            endpoint,
            multi_valued,
            schema_known: !audiences.is_empty(),
        }
    }

    /// The user and endpoint attributes the mapping knows of.
    pub fn known(&self) -> Vec<Variable> {
        self.user
            .iter()
            .map(|n| Variable::UserAttribute(n.clone()))
            .chain(self.endpoint.iter().map(|n| Variable::EndpointAttribute(n.clone())))
            .collect()
    }

    /// Whether endpoints may hold several values of a list variable: `Some(true)` when profiling saw it,
    /// `Some(false)` when profiling saw only single values, `None` without a profile.
    pub fn multi_valued(&self, v: &Variable) -> Option<bool> {
        let key = match v {
            Variable::UserAttribute(n) => ("User.UserAttributes".to_owned(), n.clone()),
            Variable::EndpointAttribute(n) => ("Attributes".to_owned(), n.clone()),
            _ => return Some(false),
        };
        if self.multi_valued.contains(&key) {
            Some(true)
        } else if self.schema_known {
            Some(false)
        } else {
            None
        }
    }

    /// Where a variable goes in a profile; `None` when a profile has no place for it.
    pub fn field(&self, v: &Variable, channel: Channel) -> Option<ProfileField> {
        Some(match v {
            Variable::UserAttribute(n) => ProfileField::Custom(n.clone()),
            Variable::EndpointAttribute(n) if self.collisions.contains(n) => {
                ProfileField::Custom(format!("Endpoint_{n}"))
            }
            Variable::EndpointAttribute(n) => ProfileField::Custom(n.clone()),
            Variable::Metric(n) => ProfileField::Custom(format!("Metrics_{n}")),
            Variable::Demographic(n) => ProfileField::Custom(format!("Demographic_{n}")),
            Variable::Location(n) => match n.as_str() {
                "City" => ProfileField::Standard("Address.City".into()),
                "Country" => ProfileField::Standard("Address.Country".into()),
                "PostalCode" => ProfileField::Standard("Address.PostalCode".into()),
                "Region" => ProfileField::Standard("Address.State".into()),
                other => ProfileField::Custom(format!("Location_{other}")),
            },
            Variable::UserId => ProfileField::Standard("AccountNumber".into()),
            Variable::Address => match channel {
                Channel::Email => ProfileField::Standard("EmailAddress".into()),
                Channel::Sms => ProfileField::Standard("PhoneNumber".into()),
                Channel::Push => return None,
            },
            Variable::Endpoint(_) | Variable::Recommendation(_) | Variable::Unknown(_) => return None,
        })
    }

    /// The profile an endpoint becomes (as `GetProfile`/`SearchProfiles` return it), limited to the fields
    /// of `variables`: lists become text joined by commas, numbers text.
    pub fn profile<'a>(
        &self,
        endpoint: &Value,
        variables: impl IntoIterator<Item = &'a Variable>,
        channel: Channel,
    ) -> Value {
        let mut profile = Value::Object(Map::new());
        for v in variables {
            let (Some(field), Some(value)) = (self.field(v, channel), v.value_in(endpoint)) else { continue };
            // a profile stores no empty attributes: an empty list or text is no value
            let value = text(Some(value));
            if value.is_empty() {
                continue;
            }
            set(&mut profile, &field.segments(), Value::String(value));
        }
        profile
    }

    /// The same profile as Q in Connect's `customerProfileAttributes` (what `RenderMessageTemplate` takes):
    /// standard fields by their attribute names (`firstName`, `city`), custom attributes under `custom`.
    pub fn connect_attributes<'a>(
        &self,
        endpoint: &Value,
        variables: impl IntoIterator<Item = &'a Variable>,
        channel: Channel,
    ) -> Value {
        let mut out = Map::new();
        let mut custom = Map::new();
        for v in variables {
            let (Some(field), Some(value)) = (self.field(v, channel), v.value_in(endpoint)) else { continue };
            let value = text(Some(value));
            if value.is_empty() {
                continue;
            }
            match field.connect_attribute() {
                (Some(_), name) => custom.insert(name, Value::String(value)),
                (None, name) => out.insert(lower_first(&name), Value::String(value)),
            };
        }
        if !custom.is_empty() {
            out.insert("custom".into(), Value::Object(custom));
        }
        Value::Object(out)
    }
}

/// `FirstName` → `firstName`.
fn lower_first(name: &str) -> String {
    let mut chars = name.chars();
    chars.next().map(|c| c.to_ascii_lowercase().to_string() + chars.as_str()).unwrap_or_default()
}

/// The object type the audience carry-over loads profiles through: one object per profile.
pub const PROFILE_OBJECT_TYPE: &str = "PinpointProfile";
/// Standard fields per kind, in the order a user's addresses fill them (AWS's counts).
pub const EMAIL_FIELDS: [&str; 3] = ["EmailAddress", "PersonalEmailAddress", "BusinessEmailAddress"];
pub const PHONE_FIELDS: [&str; 4] = ["PhoneNumber", "MobilePhoneNumber", "HomePhoneNumber", "BusinessPhoneNumber"];

/// The standard profile paths every profile object may fill (the object type always maps them).
pub fn standard_paths() -> BTreeSet<String> {
    EMAIL_FIELDS
        .iter()
        .chain(PHONE_FIELDS.iter())
        .chain(["AccountNumber", "Address.City", "Address.Country", "Address.PostalCode", "Address.State"].iter())
        .map(|p| (*p).to_owned())
        .collect()
}

/// The object type the profile objects need: a field per profile path written, keyed by `ProfileKey`
/// (unique and the profile's key, so loading twice never duplicates), with the given expiry.
pub fn object_type(domain: &str, paths: &BTreeSet<String>, expiration_days: u32) -> Value {
    let mut fields = Map::new();
    fields.insert(
        "ProfileKey".into(),
        json!({ "Source": "_source.ProfileKey", "Target": "_profile.Attributes.pinshift_profile_key", "ContentType": "STRING" }),
    );
    for path in paths {
        let content = if path.ends_with("EmailAddress") {
            "EMAIL_ADDRESS"
        } else if PHONE_FIELDS.contains(&path.as_str()) {
            "PHONE_NUMBER"
        } else {
            "STRING"
        };
        fields.insert(
            field_name(path),
            json!({ "Source": format!("_source.{path}"), "Target": format!("_profile.{path}"), "ContentType": content }),
        );
    }
    json!({
        "DomainName": domain,
        "ObjectTypeName": PROFILE_OBJECT_TYPE,
        "Description": "Pinpoint endpoints carried over by Pinshift: one object per profile (a user's endpoints, or one endpoint without a UserId)",
        "ExpirationDays": expiration_days,
        "AllowProfileCreation": true,
        "Fields": fields,
        "Keys": { "ProfileKey": [{ "StandardIdentifiers": ["PROFILE", "UNIQUE"], "FieldNames": ["ProfileKey"] }] },
    })
}

/// An object type field name for a profile path (at most 64 of `[A-Za-z0-9_.-]`).
fn field_name(path: &str) -> String {
    if path.len() <= 64 {
        return path.to_owned();
    }
    let mut h = std::hash::DefaultHasher::new();
    path.hash(&mut h);
    format!("{}_{:08x}", &path[..55], h.finish() as u32)
}

/// Sets `value` at `path` in `doc`, making objects along the way.
pub fn set(doc: &mut Value, path: &[String], value: Value) {
    let mut here = doc;
    for (i, key) in path.iter().enumerate() {
        if !here.is_object() {
            *here = Value::Object(Map::new());
        }
        let Value::Object(map) = here else { return };
        if i + 1 == path.len() {
            map.insert(key.clone(), value);
            return;
        }
        here = map.entry(key.clone()).or_insert_with(|| Value::Object(Map::new()));
    }
}

/// The variables a list of template paths name (each once, in order of first use).
pub fn variables_of(paths: &[String]) -> Vec<Variable> {
    let mut seen = BTreeMap::new();
    for p in paths {
        let expr = crate::templates::syntax::PathExpr::parse(p);
        let segs: Vec<&str> = expr.segments.iter().map(|s| s.name.as_str()).collect();
        if let Some((v, _)) = Variable::parse(&segs) {
            let n = seen.len();
            seen.entry(v).or_insert(n);
        }
    }
    let mut out: Vec<(usize, Variable)> = seen.into_iter().map(|(v, i)| (i, v)).collect();
    out.sort();
    out.into_iter().map(|(_, v)| v).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn variables_are_read_from_paths() {
        assert_eq!(
            Variable::parse(&["User", "UserAttributes", "FirstName", "0"]),
            Some((Variable::UserAttribute("FirstName".into()), 3))
        );
        assert_eq!(Variable::parse(&["Attributes", "tier"]), Some((Variable::EndpointAttribute("tier".into()), 2)));
        assert_eq!(Variable::parse(&["Address"]), Some((Variable::Address, 1)));
        assert_eq!(Variable::parse(&["Recommendations", "Title", "0"]).map(|v| v.1), Some(2));
        assert!(matches!(Variable::parse(&["Foo", "bar"]), Some((Variable::Unknown(_), 2))));
        assert_eq!(Variable::parse(&["Attributes"]), None, "a map, not a variable");
    }

    #[test]
    fn an_endpoint_becomes_a_profile() {
        let vars = [
            Variable::UserAttribute("tier".into()),
            Variable::EndpointAttribute("tier".into()),
            Variable::EndpointAttribute("interests".into()),
            Variable::Metric("visits".into()),
            Variable::Location("City".into()),
            Variable::UserId,
            Variable::Address,
            Variable::Endpoint("Id".into()),
        ];
        let mapping = ProfileMapping::new(&vars, &[]);
        let endpoint = json!({
            "Address": "+12065550100", "Id": "e1",
            "Attributes": {"tier": ["silver"], "interests": ["a", "b"]},
            "User": {"UserId": "u1", "UserAttributes": {"tier": ["gold"]}},
            "Metrics": {"visits": 3.0}, "Location": {"City": "Austin"}
        });
        assert_eq!(
            mapping.profile(&endpoint, &vars, Channel::Sms),
            json!({
                "AccountNumber": "u1", "PhoneNumber": "+12065550100", "Address": {"City": "Austin"},
                "Attributes": {"tier": "gold", "Endpoint_tier": "silver", "interests": "a,b", "Metrics_visits": "3"}
            })
        );
        assert_eq!(mapping.field(&Variable::Address, Channel::Push), None, "a device token is no profile field");
        assert_eq!(mapping.multi_valued(&Variable::UserAttribute("tier".into())), None, "unknown without a profile");
    }
}
