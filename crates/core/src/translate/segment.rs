//! Segments → Customer Profiles segment definitions (`CreateSegmentDefinition`), and imported segments →
//! an upload-job plan (`CreateUploadJob`) with dot-free CSV headers and an explicit expiry.
//!
//! Attribute dimensions keep their operator (`INCLUSIVE`, `CONTAINS`, `BEFORE`…); segment groups keep
//! their ALL/ANY/NONE logic and source segments; the country dimension moves to the profile address.
//! Metrics, demographics, GPS radius and recency have no profile dimension: they are reported with the
//! calculated attribute that could stand in, and replaced in the definition by a placeholder criterion no
//! profile meets — a definition that cannot say who it means selects nobody, never everybody, until a
//! person puts the right criterion in (the size estimate shows the gap).

use crate::target::TargetKind;
use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::{Map, Value, json};
use ts_rs::TS;

use super::{Loss, Reference, Severity, target_name};
use crate::profile::{Channel, ProfileMapping, Variable};

/// Where a client's segments go.
#[derive(Debug, Clone)]
pub struct SegmentContext<'a> {
    /// The Customer Profiles domain.
    pub domain: String,
    /// Prefix for definition names (the client id, when the domain is shared).
    pub prefix: Option<String>,
    /// For a shared domain: the profile attribute that holds the client id, and the client id.
    pub partition: Option<(String, String)>,
    pub mapping: &'a ProfileMapping,
    /// Pinpoint segment id → name, for source segments.
    pub segment_names: &'a BTreeMap<String, String>,
    /// Days imported profiles are kept (set explicitly: the service's default is two weeks).
    pub data_expiry_days: u32,
}

/// A CSV column renamed for Customer Profiles (which rejects dots in headers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HeaderRename {
    pub from: String,
    pub to: String,
}

/// How an imported segment's file becomes profiles.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct UploadPlan {
    /// The file Pinpoint imported from.
    pub source: String,
    pub format: String,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rows: Option<u64>,
    pub headers: Vec<HeaderRename>,
    /// The `CreateUploadJob` request.
    #[ts(type = "unknown")]
    pub request: Value,
}

/// A segment translated.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SegmentTranslation {
    pub segment_id: String,
    pub name: String,
    pub version: String,
    /// `CreateSegmentDefinition` requests, in creation order (the last one is this segment).
    #[ts(type = "unknown[]")]
    pub definitions: Vec<Value>,
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upload: Option<UploadPlan>,
    pub references: Vec<Reference>,
    pub losses: Vec<Loss>,
}

impl SegmentTranslation {
    /// The name of the definition that is this segment.
    pub fn definition_name(&self) -> Option<&str> {
        self.definitions.last().and_then(|d| d["SegmentDefinitionName"].as_str())
    }
}

/// The definition name a Pinpoint segment gets.
pub fn definition_name(prefix: Option<&str>, name: &str) -> String {
    target_name(prefix, name, 64)
}

/// The placeholder criterion standing for one that has no profile dimension: no profile has it.
pub const UNSUPPORTED_ATTRIBUTE: &str = "pinshift_unsupported";

/// The attribute marking profiles that came from an imported segment's file.
pub const IMPORT_ATTRIBUTE: &str = "pinshift_import";

/// Translates one segment (its `GetSegment` payload).
pub fn translate(raw: &Value, ctx: &SegmentContext<'_>) -> SegmentTranslation {
    let name = raw["Name"].as_str().unwrap_or_default().to_owned();
    let id = raw["Id"].as_str().unwrap_or_default().to_owned();
    let mut t = SegmentTranslation {
        segment_id: id.clone(),
        version: crate::templates::value::text(raw.get("Version")),
        name: name.clone(),
        definitions: Vec::new(),
        upload: None,
        references: Vec::new(),
        losses: Vec::new(),
    };
    let def_name = definition_name(ctx.prefix.as_deref(), &name);
    let groups = if raw.get("ImportDefinition").is_some_and(Value::is_object) || raw["SegmentType"] == "IMPORT" {
        t.upload = Some(upload_plan(raw, &def_name, ctx, &mut t.losses));
        json!({"Include": "ALL", "Groups": [{"Type": "ALL", "Dimensions": [
            {"ProfileAttributes": {"Attributes": {IMPORT_ATTRIBUTE: {"DimensionType": "INCLUSIVE", "Values": [def_name]}}}}
        ]}]})
    } else if let Some(groups) = raw.get("SegmentGroups").filter(|g| g.is_object()) {
        segment_groups(groups, "SegmentGroups", ctx, &mut t)
    } else if let Some(dims) = raw.get("Dimensions").filter(|d| d.is_object()) {
        let dimension = dimension(dims, "Dimensions", ctx, &mut t.losses);
        json!({"Include": "ALL", "Groups": [{"Type": "ALL", "Dimensions": dimension.into_iter().collect::<Vec<_>>()}]})
    } else {
        t.losses.push(Loss::new(
            Severity::Warning,
            "segment",
            "Dimensions",
            "the segment has no criteria: the definition selects every profile",
        ));
        json!({"Include": "ALL", "Groups": [{"Type": "ALL", "Dimensions": []}]})
    };
    let description = format!("From Pinpoint segment {name} ({id}, version {})", t.version);
    let mut tags = Map::new();
    if let Some(Value::Object(source)) = raw.get("tags") {
        tags.extend(source.clone());
    }
    let definition = |name: &str, groups: Value| {
        let mut d = json!({
            "DomainName": ctx.domain,
            "SegmentDefinitionName": name,
            "DisplayName": if name == def_name { t.name.clone() } else { format!("{} (all clients)", t.name) },
            "Description": description,
            "SegmentGroups": groups,
        });
        if !tags.is_empty() {
            d["Tags"] = Value::Object(tags.clone());
        }
        d
    };
    match &ctx.partition {
        None => t.definitions.push(definition(&def_name, groups)),
        Some((attribute, client)) => {
            let partition = json!({"ProfileAttributes": {"Attributes": {attribute.trim_start_matches("Attributes."): {"DimensionType": "INCLUSIVE", "Values": [client]}}}});
            if groups["Include"] == "ALL" {
                // one more group that every member must also match
                let mut groups = groups;
                if let Some(list) = groups["Groups"].as_array_mut() {
                    list.push(json!({"Type": "ALL", "Dimensions": [partition]}));
                }
                t.definitions.push(definition(&def_name, groups));
            } else {
                // ANY / NONE: the segment as it was, then the client's share of it
                let base = definition_name(ctx.prefix.as_deref(), &format!("{name}-base"));
                t.definitions.push(definition(&base, groups));
                t.definitions.push(definition(
                    &def_name,
                    json!({"Include": "ALL", "Groups": [{"Type": "ALL", "SourceType": "ALL", "SourceSegments": [{"SegmentDefinitionName": base}], "Dimensions": [partition]}]}),
                ));
            }
            t.losses.push(Loss::new(
                Severity::Note,
                "client partition",
                "SegmentGroups",
                format!("the domain is shared: the definition also requires {attribute} = {client}"),
            ));
        }
    }
    t.references.push(Reference::new("DomainName", TargetKind::ProfilesDomain, ctx.domain.clone()));
    t
}

fn segment_groups(groups: &Value, at: &str, ctx: &SegmentContext<'_>, t: &mut SegmentTranslation) -> Value {
    let mut out = Vec::new();
    for (i, g) in groups["Groups"].as_array().into_iter().flatten().enumerate() {
        let at = format!("{at}.Groups[{i}]");
        let mut dims = Vec::new();
        for (j, d) in g["Dimensions"].as_array().into_iter().flatten().enumerate() {
            if let Some(d) = dimension(d, &format!("{at}.Dimensions[{j}]"), ctx, &mut t.losses) {
                dims.push(d);
            }
        }
        let mut sources = Vec::new();
        for (j, s) in g["SourceSegments"].as_array().into_iter().flatten().enumerate() {
            let sid = s["Id"].as_str().unwrap_or_default();
            match ctx.segment_names.get(sid) {
                Some(n) => {
                    let name = definition_name(ctx.prefix.as_deref(), n);
                    if s.get("Version").is_some_and(|v| !v.is_null()) {
                        t.losses.push(Loss::new(
                            Severity::Note,
                            "source segment version",
                            format!("{at}.SourceSegments[{j}]"),
                            format!(
                                "version {} of {n} was pinned; segment definitions have no versions",
                                crate::templates::value::text(s.get("Version"))
                            ),
                        ));
                    }
                    sources.push(json!({"SegmentDefinitionName": name}));
                    t.references.push(Reference::new(
                        format!("SegmentGroups.Groups[{i}].SourceSegments"),
                        TargetKind::SegmentDefinition,
                        name,
                    ));
                }
                None => t.losses.push(Loss::new(
                    Severity::Loss,
                    "source segment",
                    format!("{at}.SourceSegments[{j}]"),
                    format!("source segment {sid} is not in the scan; the group loses it"),
                )),
            }
        }
        let mut group = json!({"Type": g["Type"].as_str().unwrap_or("ALL"), "Dimensions": dims});
        if !sources.is_empty() {
            group["SourceSegments"] = Value::Array(sources);
            group["SourceType"] = Value::String(g["SourceType"].as_str().unwrap_or("ANY").to_owned());
        }
        out.push(group);
    }
    json!({"Include": groups["Include"].as_str().unwrap_or("ALL"), "Groups": out})
}

/// One Pinpoint `SegmentDimensions` (criteria that must all hold) as one profile dimension.
fn dimension(dims: &Value, at: &str, ctx: &SegmentContext<'_>, losses: &mut Vec<Loss>) -> Option<Value> {
    let mut attributes = Map::new();
    let mut address = Map::new();
    for (source, list) in [("UserAttributes", "User.UserAttributes"), ("Attributes", "Attributes")] {
        for (name, d) in dims[source].as_object().into_iter().flatten() {
            let variable = if source == "UserAttributes" {
                Variable::UserAttribute(name.clone())
            } else {
                Variable::EndpointAttribute(name.clone())
            };
            let Some(crate::profile::ProfileField::Custom(target)) = ctx.mapping.field(&variable, Channel::Email)
            else {
                continue;
            };
            let operator = d["AttributeType"].as_str().unwrap_or("INCLUSIVE");
            let values: Vec<Value> = d["Values"].as_array().cloned().unwrap_or_default();
            if matches!(operator, "INCLUSIVE" | "EXCLUSIVE") && ctx.mapping.multi_valued(&variable) != Some(false) {
                let why = if ctx.mapping.multi_valued(&variable) == Some(true) {
                    "some endpoints hold several values"
                } else {
                    "no audience profile says it holds one value"
                };
                losses.push(Loss::new(Severity::Warning, format!("dimension {list}.{name}"), format!("{at}.{source}.{name}"), format!("{operator} compares the profile's whole text, and {why}: a profile holding \"a,b\" matches neither a nor b")).suggest("profile the audience, or use CONTAINS"));
            }
            if matches!(operator, "BEFORE" | "AFTER" | "ON" | "BETWEEN") {
                losses.push(Loss::new(
                    Severity::Note,
                    format!("dimension {list}.{name}"),
                    format!("{at}.{source}.{name}"),
                    format!("{operator} compares dates; the profile attribute must hold ISO 8601 dates"),
                ));
            }
            attributes.insert(target, json!({"DimensionType": operator, "Values": values}));
        }
    }
    if let Some(country) = dims["Location"].get("Country").filter(|c| c.is_object()) {
        address.insert("Country".into(), json!({"DimensionType": country["DimensionType"].as_str().unwrap_or("INCLUSIVE"), "Values": country["Values"].clone()}));
    }
    let calculated = "define a calculated attribute (CreateCalculatedAttributeDefinition) over the events behind it and filter on it";
    let before = losses.len();
    if let Some(gps) = dims["Location"].get("GPSPoint").filter(|g| g.is_object()) {
        losses.push(
            Loss::new(
                Severity::Loss,
                "dimension Location.GPSPoint",
                format!("{at}.Location.GPSPoint"),
                format!(
                    "profiles have no distance dimension: the {} km radius needs a person",
                    crate::templates::value::text(gps.get("RangeInKilometers"))
                ),
            )
            .suggest("compute a near-store attribute when importing profiles, or a calculated attribute"),
        );
    }
    for (name, _) in dims["Metrics"].as_object().into_iter().flatten() {
        losses.push(
            Loss::new(
                Severity::Loss,
                format!("dimension Metrics.{name}"),
                format!("{at}.Metrics.{name}"),
                "metric dimensions have no profile equivalent",
            )
            .suggest(calculated),
        );
    }
    for (field, _) in dims["Demographic"].as_object().into_iter().flatten() {
        losses.push(
            Loss::new(
                Severity::Loss,
                format!("dimension Demographic.{field}"),
                format!("{at}.Demographic.{field}"),
                "demographic (device) dimensions have no profile equivalent",
            )
            .suggest("import the value as a profile attribute and filter on it"),
        );
    }
    if let Some(r) = dims["Behavior"].get("Recency").filter(|r| r.is_object()) {
        losses.push(
            Loss::new(
                Severity::Loss,
                "dimension Behavior.Recency",
                format!("{at}.Behavior.Recency"),
                format!(
                    "recency ({} {}) has no profile dimension",
                    r["RecencyType"].as_str().unwrap_or_default(),
                    r["Duration"].as_str().unwrap_or_default()
                ),
            )
            .suggest(calculated),
        );
    }
    // fail closed: a criterion that cannot move is replaced by one no profile meets, so the definition
    // selects nobody (rather than everybody) until a person puts the right criterion in
    let dropped: Vec<Value> = losses[before..].iter().map(|l| json!(format!("replace: {}", l.construct))).collect();
    if !dropped.is_empty() {
        attributes.insert(UNSUPPORTED_ATTRIBUTE.into(), json!({"DimensionType": "INCLUSIVE", "Values": dropped}));
    }
    let mut profile = Map::new();
    if !attributes.is_empty() {
        profile.insert("Attributes".into(), Value::Object(attributes));
    }
    if !address.is_empty() {
        profile.insert("Address".into(), Value::Object(address));
    }
    (!profile.is_empty()).then(|| json!({"ProfileAttributes": profile}))
}

/// The upload job that loads an imported segment's file into profiles.
fn upload_plan(raw: &Value, def_name: &str, ctx: &SegmentContext<'_>, losses: &mut Vec<Loss>) -> UploadPlan {
    let import = &raw["ImportDefinition"];
    let format = import["Format"].as_str().unwrap_or("CSV").to_owned();
    let channels: Vec<String> =
        import["ChannelCounts"].as_object().map(|m| m.keys().cloned().collect()).unwrap_or_default();
    let address = if channels.iter().any(|c| c == "SMS") && !channels.iter().any(|c| c == "EMAIL") {
        "PhoneNumber"
    } else {
        "EmailAddress"
    };
    // Pinpoint's import columns (endpoint paths) and where each goes; the file's other attribute columns
    // follow the same rule (dots → the profile attribute's name)
    let mut headers = vec![
        HeaderRename { from: "Address".into(), to: address.into() },
        HeaderRename { from: "User.UserId".into(), to: "AccountNumber".into() },
        HeaderRename { from: "Location.City".into(), to: "City".into() },
        HeaderRename { from: "Location.Country".into(), to: "Country".into() },
        HeaderRename { from: "Location.PostalCode".into(), to: "PostalCode".into() },
    ];
    let mut fields = Map::new();
    let field = |source: &str, target: &str, content: &str| json!({"Source": format!("_source.{source}"), "Target": format!("_profile.{target}"), "ContentType": content});
    fields.insert(
        address.into(),
        field(address, address, if address == "PhoneNumber" { "PHONE_NUMBER" } else { "EMAIL_ADDRESS" }),
    );
    fields.insert("AccountNumber".into(), field("AccountNumber", "AccountNumber", "STRING"));
    fields.insert("City".into(), field("City", "Address.City", "STRING"));
    fields.insert("Country".into(), field("Country", "Address.Country", "STRING"));
    fields.insert("PostalCode".into(), field("PostalCode", "Address.PostalCode", "STRING"));
    for v in ctx.mapping.attribute_names() {
        let (from, to) = v;
        headers.push(HeaderRename { from: from.clone(), to: to.clone() });
        fields.insert(to.clone(), field(&to, &format!("Attributes.{to}"), "STRING"));
    }
    headers.push(HeaderRename { from: format!("(added) {IMPORT_ATTRIBUTE}"), to: IMPORT_ATTRIBUTE.into() });
    fields
        .insert(IMPORT_ATTRIBUTE.into(), field(IMPORT_ATTRIBUTE, &format!("Attributes.{IMPORT_ATTRIBUTE}"), "STRING"));
    if format == "JSON" {
        losses.push(Loss::new(
            Severity::Warning,
            "ImportDefinition.Format",
            "ImportDefinition.Format",
            "the file is JSON; upload jobs take CSV, so it must be converted first",
        ));
    }
    losses.push(
        Loss::new(Severity::Note, "imported segment", "ImportDefinition", format!("loaded by an upload job: the file's columns renamed without dots, a {IMPORT_ATTRIBUTE} column = {def_name} added, profiles kept {} days", ctx.data_expiry_days))
            .suggest("the definition selects the profiles whose pinshift_import is this segment"),
    );
    let request = json!({
        "DomainName": ctx.domain,
        "DisplayName": raw["Name"].as_str().unwrap_or(def_name),
        "Fields": fields,
        "UniqueKey": "AccountNumber",
        "DataExpiry": ctx.data_expiry_days,
    });
    UploadPlan {
        source: import["S3Url"].as_str().unwrap_or_default().to_owned(),
        format,
        rows: import["Size"].as_u64(),
        headers,
        request,
    }
}

impl ProfileMapping {
    /// The import columns of the attributes this mapping knows, and the profile attribute each becomes.
    pub fn attribute_names(&self) -> Vec<(String, String)> {
        self.known()
            .into_iter()
            .filter_map(|v| match self.field(&v, Channel::Email) {
                Some(crate::profile::ProfileField::Custom(n)) => Some((v.path(), n)),
                _ => None,
            })
            .collect()
    }
}
