//! Renders a parsed template part the way each engine does, so a converted template can be proven to say
//! the same thing as the original. The three engines share Handlebars' grammar and differ where their
//! documentation says they differ:
//!
//! | | Pinpoint | Connect (Q in Connect) | SES v2 |
//! |---|---|---|---|
//! | helpers | built-ins + the 44 on Pinpoint's helper page | the same, without `with` | built-ins only |
//! | value missing | the template's default, else nothing | the default attribute, else the placeholder stays in the text (RenderMessageTemplate) | the send fails ("not present in the rendering data") |
//! | `{{x}}` in HTML | escaped | escaped | not escaped ("SES doesn't escape HTML content") |
//! | `each` | at most 15 items | same engine as Pinpoint | no documented limit |
//!
//! Pinpoint's defaults (`DefaultSubstitutions`) are keyed by the variable's path as written; they stand in
//! for a missing, empty-list or empty-text value wherever that path is read (output, conditions, helper
//! arguments), and a default for a list attribute also answers `attribute.[0]`. Attribute lists are taken
//! to hold no empty texts (an empty list is how an endpoint has no value).

use std::collections::{BTreeMap, HashMap};

use handlebars::template::{DecoratorTemplate, HelperTemplate, Parameter, Template, TemplateElement};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::helpers::{self, Call, Env};
use super::syntax::PathExpr;
use super::value::{escape_html, text, truthy};
use super::{HANDLEBARS_BUILT_INS, ParseError, Position, pinpoint_helper};

/// Which service renders the template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Engine {
    Pinpoint,
    Ses,
    Connect,
}

impl Engine {
    pub fn label(self) -> &'static str {
        match self {
            Engine::Pinpoint => "Pinpoint",
            Engine::Ses => "SES",
            Engine::Connect => "Connect",
        }
    }

    /// Whether this engine renders helper `name`.
    pub fn knows(self, name: &str) -> bool {
        match self {
            Engine::Pinpoint => HANDLEBARS_BUILT_INS.contains(&name) || pinpoint_helper(name).is_some(),
            Engine::Connect => {
                name != "with" && (HANDLEBARS_BUILT_INS.contains(&name) || pinpoint_helper(name).is_some())
            }
            Engine::Ses => HANDLEBARS_BUILT_INS.contains(&name),
        }
    }

    fn each_limit(self) -> usize {
        match self {
            Engine::Pinpoint | Engine::Connect => 15,
            Engine::Ses => usize::MAX,
        }
    }
}

/// One template part (a subject, an HTML body, an SMS body…), parsed.
#[derive(Debug, Clone)]
pub struct Parsed {
    pub source: String,
    pub template: Template,
}

/// Parses a part with the `handlebars` crate.
pub fn parse(source: &str) -> Result<Parsed, ParseError> {
    Ok(Parsed { source: source.to_owned(), template: super::compile(source)? })
}

/// Why a part could not be rendered, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS, thiserror::Error)]
#[error("{message} (line {}, column {})", position.line, position.column)]
pub struct RenderError {
    pub position: Position,
    pub message: String,
}

/// The data a part is rendered with.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// The endpoint (Pinpoint), the profile-shaped attributes (Connect) or the TemplateData (SES).
    pub data: &'a Value,
    /// Defaults by variable path (Pinpoint's DefaultSubstitutions, Connect's default attributes).
    pub defaults: &'a BTreeMap<String, String>,
}

/// Renders `part` as `engine` would. `html` says whether the part is HTML (where `{{x}}` is escaped by the
/// engines that escape).
pub fn render(
    engine: Engine,
    part: &Parsed,
    html: bool,
    input: Input<'_>,
    env: &mut Env,
) -> Result<String, RenderError> {
    let mut r = Renderer {
        engine,
        html,
        defaults: input.defaults,
        root: input.data,
        env,
        scopes: vec![Scope { context: input.data.clone(), data: BTreeMap::new(), params: BTreeMap::new() }],
        partials: Vec::new(),
        out: String::new(),
        nesting: 0,
    };
    r.template(&part.template, Position { line: 1, column: 1 })?;
    Ok(r.out)
}

struct Scope {
    context: Value,
    /// `@index`, `@key`, `@first`, `@last`
    data: BTreeMap<String, Value>,
    /// `as |item i|`
    params: BTreeMap<String, Value>,
}

struct Renderer<'a, 'e> {
    engine: Engine,
    html: bool,
    defaults: &'a BTreeMap<String, String>,
    root: &'a Value,
    env: &'e mut Env,
    scopes: Vec<Scope>,
    partials: Vec<HashMap<String, Template>>,
    out: String,
    nesting: usize,
}

type Flow = Result<(), RenderError>;
/// A helper call's evaluated parameters and hash.
type Args = (Vec<Option<Value>>, BTreeMap<String, Option<Value>>);

impl Renderer<'_, '_> {
    fn fail(&self, at: Position, message: impl Into<String>) -> RenderError {
        RenderError { position: at, message: message.into() }
    }

    fn template(&mut self, t: &Template, at: Position) -> Flow {
        self.nesting += 1;
        if self.nesting > 64 {
            return Err(self.fail(at, "templates nest more than 64 levels deep (a partial that includes itself?)"));
        }
        // inline partials are visible from the start of the template that defines them
        let mut inline = HashMap::new();
        for e in &t.elements {
            if let TemplateElement::DecoratorBlock(d) = e
                && d.name.as_name() == Some("inline")
                && let (Some(Parameter::Literal(Value::String(name))), Some(body)) = (d.params.first(), &d.template)
            {
                inline.insert(name.clone(), body.clone());
            }
        }
        let pushed = !inline.is_empty();
        if pushed {
            self.partials.push(inline);
        }
        for (i, e) in t.elements.iter().enumerate() {
            let at = t.mapping.get(i).map_or(at, |m| Position { line: m.0 as u32, column: m.1 as u32 });
            self.element(e, at)?;
        }
        if pushed {
            self.partials.pop();
        }
        self.nesting -= 1;
        Ok(())
    }

    fn element(&mut self, e: &TemplateElement, at: Position) -> Flow {
        match e {
            TemplateElement::RawString(s) => self.out.push_str(s),
            TemplateElement::Comment(_) | TemplateElement::DecoratorExpression(_) => {}
            TemplateElement::Expression(h) => self.expression(h, true, at)?,
            TemplateElement::HtmlExpression(h) => self.expression(h, false, at)?,
            TemplateElement::HelperBlock(h) => self.block(h, at)?,
            TemplateElement::DecoratorBlock(_) => {} // inline partials were registered up front
            TemplateElement::PartialExpression(d) => self.partial(d, None, at)?,
            TemplateElement::PartialBlock(d) => self.partial(d, d.template.as_ref(), at)?,
            _ => return Err(self.fail(at, "a template construct this renderer does not know")),
        }
        Ok(())
    }

    /// The block depth: how many `each`/`with` contexts are open.
    fn depth(&self) -> usize {
        self.scopes.len() - 1
    }

    fn resolve(&self, raw: &str) -> Option<Value> {
        let p = PathExpr::parse(raw);
        let mut value = self.lookup(&p);
        if no_value(value.as_ref())
            && p.is_rooted(self.depth())
            && !self.defaults.is_empty()
            && let Some(d) = default_value(self.defaults, &p)
        {
            value = Some(Value::String(d.clone()));
        }
        value
    }

    fn lookup(&self, p: &PathExpr) -> Option<Value> {
        let mut segments = p.segments.iter().map(|s| s.name.as_str());
        let base: Value = if p.data {
            let scope = self.scopes.len().checked_sub(1 + p.up).and_then(|i| self.scopes.get(i))?;
            let first = segments.next()?;
            if first == "root" { self.root.clone() } else { scope.data.get(first)?.clone() }
        } else if p.root {
            self.root.clone()
        } else {
            if p.up == 0
                && !p.explicit_this
                && let Some(first) = p.segments.first()
                && let Some(v) = self.scopes.iter().rev().find_map(|s| s.params.get(&first.name))
            {
                let mut v = v.clone();
                for s in p.segments.iter().skip(1) {
                    v = step(&v, &s.name)?;
                }
                return Some(v);
            }
            let i = self.scopes.len().checked_sub(1 + p.up)?;
            self.scopes.get(i)?.context.clone()
        };
        let mut v = base;
        for s in segments {
            v = step(&v, s)?;
        }
        Some(v)
    }

    fn param(&mut self, p: &Parameter, at: Position) -> Result<Option<Value>, RenderError> {
        match p {
            Parameter::Name(n) => Ok(self.resolve(n)),
            Parameter::Path(path) => Ok(self.resolve(raw_path(path))),
            Parameter::Literal(v) => Ok(Some(v.clone())),
            Parameter::Subexpression(sub) => match sub.as_element() {
                TemplateElement::Expression(h) => {
                    let name = name_of(h);
                    if h.params.is_empty() && h.hash.is_empty() && !self.engine.knows(&name) {
                        return Ok(self.resolve(&name));
                    }
                    self.call(h, at)
                }
                _ => Ok(None),
            },
            _ => Ok(None),
        }
    }

    fn args(&mut self, h: &HelperTemplate, at: Position) -> Result<Args, RenderError> {
        let mut params = Vec::with_capacity(h.params.len());
        for p in &h.params {
            params.push(self.param(p, at)?);
        }
        let mut hash = BTreeMap::new();
        for (k, p) in &h.hash {
            hash.insert(k.clone(), self.param(p, at)?);
        }
        Ok((params, hash))
    }

    /// Calls a helper in expression position and returns its value.
    fn call(&mut self, h: &HelperTemplate, at: Position) -> Result<Option<Value>, RenderError> {
        let name = name_of(h);
        if !self.engine.knows(&name) {
            return Err(self.fail(at, format!("{} has no helper {name:?}", self.engine.label())));
        }
        let (params, hash) = self.args(h, at)?;
        match name.as_str() {
            "lookup" => {
                let key = text(params.get(1).and_then(Option::as_ref));
                Ok(params.first().and_then(Option::as_ref).and_then(|v| step(v, &key)))
            }
            "log" => Ok(Some(Value::String(String::new()))),
            "if" | "unless" | "each" | "with" => {
                Err(self.fail(at, format!("{{{{{name}}}}} is a block helper: write {{{{#{name} …}}}}…{{{{/{name}}}}}")))
            }
            _ => {
                let call = Call { name: &name, params, hash };
                match helpers::call(&call, self.env) {
                    Some(Ok(v)) => Ok(v),
                    Some(Err(e)) => Err(self.fail(at, e)),
                    None => Err(self.fail(at, format!("{} has no helper {name:?}", self.engine.label()))),
                }
            }
        }
    }

    fn expression(&mut self, h: &HelperTemplate, escaped: bool, at: Position) -> Flow {
        let name = name_of(h);
        let simple = h.params.is_empty() && h.hash.is_empty();
        let is_path = matches!(h.name, Parameter::Path(_)) && PathExpr::parse(&name).segments.len() != 1;
        let value = if simple && (is_path || !self.engine.knows(&name)) {
            let value = self.resolve(&name);
            if value.as_ref().is_none_or(Value::is_null) {
                match self.engine {
                    Engine::Pinpoint => return Ok(()),
                    Engine::Connect => {
                        // RenderMessageTemplate keeps the placeholder of an attribute it cannot resolve
                        self.out.push_str(&format!("{{{{{name}}}}}"));
                        return Ok(());
                    }
                    Engine::Ses if value.is_none() => {
                        return Err(self.fail(at, format!("Attribute '{name}' is not present in the rendering data")));
                    }
                    Engine::Ses => return Ok(()),
                }
            }
            value
        } else {
            if !simple && !self.engine.knows(&name) {
                return Err(self.fail(at, format!("{} has no helper {name:?}", self.engine.label())));
            }
            self.call(h, at)?
        };
        let s = text(value.as_ref());
        if escaped && self.html && self.engine != Engine::Ses {
            self.out.push_str(&escape_html(&s));
        } else {
            self.out.push_str(&s);
        }
        Ok(())
    }

    fn section(&mut self, t: Option<&Template>, at: Position) -> Flow {
        match t {
            Some(t) => self.template(t, at),
            None => Ok(()),
        }
    }

    fn with_scope(&mut self, scope: Scope, t: Option<&Template>, at: Position) -> Flow {
        self.scopes.push(scope);
        let r = self.section(t, at);
        self.scopes.pop();
        r
    }

    fn block(&mut self, h: &HelperTemplate, at: Position) -> Flow {
        let name = name_of(h);
        let known = self.engine.knows(&name);
        if !known && (!h.params.is_empty() || !h.hash.is_empty()) {
            return Err(self.fail(at, format!("{} has no helper {name:?}", self.engine.label())));
        }
        match name.as_str() {
            "if" | "unless" if known => {
                let (params, hash) = self.args(h, at)?;
                let include_zero = hash.get("includeZero").is_some_and(|v| truthy(v.as_ref(), false));
                let mut cond = truthy(params.first().and_then(Option::as_ref), include_zero);
                if name == "unless" {
                    cond = !cond;
                }
                let t = if cond { h.template.as_ref() } else { h.inverse.as_ref() };
                self.section(t, at)
            }
            "each" if known => {
                let (params, _) = self.args(h, at)?;
                let value = params.into_iter().next().flatten();
                self.each(h, value, at)
            }
            "with" if known => {
                let (params, _) = self.args(h, at)?;
                let value = params.into_iter().next().flatten();
                if truthy(value.as_ref(), false) {
                    let scope =
                        Scope { context: value.unwrap_or(Value::Null), data: BTreeMap::new(), params: BTreeMap::new() };
                    self.with_scope(scope, h.template.as_ref(), at)
                } else {
                    self.section(h.inverse.as_ref(), at)
                }
            }
            _ if known => {
                let (params, hash) = self.args(h, at)?;
                let call = Call { name: &name, params, hash };
                match helpers::condition(&call) {
                    Some(Ok(cond)) => {
                        let t = if cond { h.template.as_ref() } else { h.inverse.as_ref() };
                        self.section(t, at)
                    }
                    Some(Err(e)) => Err(self.fail(at, e)),
                    None => Err(self.fail(at, format!("{{{{#{name}}}}} cannot be used as a block"))),
                }
            }
            _ => {
                // Handlebars' blockHelperMissing: a section over the value of `name`
                let value = self.resolve(&name);
                match value {
                    Some(Value::Array(_)) => self.each(h, value, at),
                    Some(Value::Bool(true)) => self.section(h.template.as_ref(), at),
                    v if truthy(v.as_ref(), false) => {
                        let scope =
                            Scope { context: v.unwrap_or(Value::Null), data: BTreeMap::new(), params: BTreeMap::new() };
                        self.with_scope(scope, h.template.as_ref(), at)
                    }
                    _ => self.section(h.inverse.as_ref(), at),
                }
            }
        }
    }

    fn each(&mut self, h: &HelperTemplate, value: Option<Value>, at: Position) -> Flow {
        let names: Vec<String> = match &h.block_param {
            Some(handlebars::template::BlockParam::Single(p)) => p.as_name().into_iter().map(str::to_owned).collect(),
            Some(handlebars::template::BlockParam::Pair((a, b))) => {
                [a, b].into_iter().filter_map(|p| p.as_name().map(str::to_owned)).collect()
            }
            _ => Vec::new(),
        };
        let items: Vec<(Value, Value)> = match value {
            Some(Value::Array(a)) => {
                a.into_iter().take(self.engine.each_limit()).enumerate().map(|(i, v)| (Value::from(i), v)).collect()
            }
            Some(Value::Object(o)) => o.into_iter().map(|(k, v)| (Value::String(k), v)).collect(),
            _ => Vec::new(),
        };
        if items.is_empty() {
            return self.section(h.inverse.as_ref(), at);
        }
        let last = items.len() - 1;
        for (i, (key, item)) in items.into_iter().enumerate() {
            let mut data = BTreeMap::new();
            data.insert("index".to_owned(), Value::from(i));
            data.insert("first".to_owned(), Value::Bool(i == 0));
            data.insert("last".to_owned(), Value::Bool(i == last));
            if key.is_string() {
                data.insert("key".to_owned(), key.clone());
            }
            let mut params = BTreeMap::new();
            if let Some(n) = names.first() {
                params.insert(n.clone(), item.clone());
            }
            if let Some(n) = names.get(1) {
                params.insert(n.clone(), key);
            }
            self.with_scope(Scope { context: item, data, params }, h.template.as_ref(), at)?;
        }
        Ok(())
    }

    fn partial(&mut self, d: &DecoratorTemplate, fallback: Option<&Template>, at: Position) -> Flow {
        let name = match &d.name {
            Parameter::Name(n) => n.clone(),
            Parameter::Path(p) => raw_path(p).to_owned(),
            Parameter::Literal(v) => text(Some(v)),
            _ => String::new(),
        };
        let found = self.partials.iter().rev().find_map(|m| m.get(&name)).cloned();
        let Some(body) = found.or_else(|| fallback.cloned()) else {
            return Err(self.fail(at, format!("The partial {name} could not be found")));
        };
        let mut context = match d.params.first() {
            Some(p) => self.param(p, at)?.unwrap_or(Value::Null),
            None => self.scopes.last().map_or(Value::Null, |s| s.context.clone()),
        };
        if !d.hash.is_empty() {
            let mut map = match context {
                Value::Object(m) => m,
                _ => serde_json::Map::new(),
            };
            for (k, p) in &d.hash {
                map.insert(k.clone(), self.param(p, at)?.unwrap_or(Value::Null));
            }
            context = Value::Object(map);
        }
        self.with_scope(Scope { context, data: BTreeMap::new(), params: BTreeMap::new() }, Some(&body), at)
    }
}

/// No value for defaults to stand in for: undefined, null, an empty list or an empty text.
pub(crate) fn no_value(v: Option<&Value>) -> bool {
    match v {
        None | Some(Value::Null) => true,
        Some(Value::Array(a)) => a.is_empty(),
        Some(Value::String(s)) => s.is_empty(),
        _ => false,
    }
}

fn step(v: &Value, key: &str) -> Option<Value> {
    match v {
        Value::Object(m) => m.get(key).cloned(),
        Value::Array(a) => {
            if key == "length" {
                Some(Value::from(a.len()))
            } else {
                key.parse::<usize>().ok().and_then(|i| a.get(i).cloned())
            }
        }
        Value::String(s) => {
            // JavaScript strings index by (UTF-16) position and have a length
            if key == "length" {
                Some(Value::from(s.encode_utf16().count()))
            } else {
                let i: usize = key.parse().ok()?;
                let unit = s.encode_utf16().nth(i)?;
                Some(Value::String(String::from_utf16_lossy(&[unit])))
            }
        }
        _ => None,
    }
}

pub(crate) fn default_value<'d>(defaults: &'d BTreeMap<String, String>, p: &PathExpr) -> Option<&'d String> {
    let mut segments: Vec<&str> = p.segments.iter().map(|s| s.name.as_str()).collect();
    loop {
        if let Some(d) = defaults.get(&segments.join(".")) {
            return Some(d);
        }
        // `Attribute.[0]` takes the default of `Attribute`
        match segments.last() {
            Some(last) if last.parse::<usize>().is_ok() => {
                segments.pop();
            }
            _ => return None,
        }
    }
}

pub(crate) fn raw_path(p: &handlebars::Path) -> &str {
    match p {
        handlebars::Path::Relative((_, raw)) | handlebars::Path::Local((_, _, raw)) => raw,
    }
}

/// The helper or path name of an expression as written.
pub(crate) fn name_of(h: &HelperTemplate) -> String {
    match &h.name {
        Parameter::Name(n) => n.clone(),
        Parameter::Path(p) => raw_path(p).to_owned(),
        Parameter::Literal(v) => text(Some(v)),
        _ => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn go(
        engine: Engine,
        src: &str,
        data: Value,
        defaults: &[(&str, &str)],
        html: bool,
    ) -> Result<String, RenderError> {
        let parsed = parse(src).expect("parses");
        let defaults: BTreeMap<String, String> = defaults.iter().map(|(k, v)| ((*k).into(), (*v).into())).collect();
        let mut env = Env::new(jiff::Timestamp::UNIX_EPOCH, 1);
        render(engine, &parsed, html, Input { data: &data, defaults: &defaults }, &mut env)
    }

    fn endpoint() -> Value {
        json!({
            "Address": "ann@example.com",
            "Attributes": {"interests": ["books", "films"], "tier": ["gold"]},
            "Metrics": {"purchases": 0},
            "User": {"UserId": "u-1", "UserAttributes": {"FirstName": ["Ann"], "Last Name": ["O'Brien"]}},
            "Location": {"City": "Los Angeles"}
        })
    }

    #[test]
    fn pinpoint_renders_endpoint_variables_lists_and_defaults() {
        let out = go(
            Engine::Pinpoint,
            "Hi {{User.UserAttributes.FirstName}} {{User.UserAttributes.[Last Name].[0]}} ({{Attributes.interests}}){{Attributes.missing}} {{User.UserAttributes.Nick}}",
            endpoint(),
            &[("User.UserAttributes.Nick", "friend")],
            false,
        );
        assert_eq!(out.as_deref(), Ok("Hi Ann O'Brien (books,films) friend"));
    }

    #[test]
    fn blocks_each_with_data_variables_else_chains_and_partials() {
        let src = "{{#* inline \"who\"}}{{User.UserAttributes.FirstName}}{{/inline}}{{#each Attributes.interests}}{{@index}}:{{this}}{{#unless @last}}, {{/unless}}{{/each}}|{{#if Metrics.purchases}}buyer{{else if Attributes.tier}}tier {{Attributes.tier}}{{else}}none{{/if}}|{{> who}}|{{#with Location}}{{City}}{{/with}}|{{#each Attributes.none}}x{{else}}empty{{/each}}";
        assert_eq!(
            go(Engine::Pinpoint, src, endpoint(), &[], false).as_deref(),
            Ok("0:books, 1:films|tier gold|Ann|Los Angeles|empty")
        );
    }

    #[test]
    fn html_parts_are_escaped_except_by_ses() {
        let src = "<p>{{User.UserAttributes.[Last Name]}} {{{User.UserAttributes.[Last Name]}}}</p>";
        assert_eq!(go(Engine::Pinpoint, src, endpoint(), &[], true).as_deref(), Ok("<p>O&#x27;Brien O'Brien</p>"));
        assert_eq!(
            go(Engine::Pinpoint, src, endpoint(), &[], false).as_deref(),
            Ok("<p>O'Brien O'Brien</p>"),
            "a text part"
        );
        assert_eq!(go(Engine::Ses, src, endpoint(), &[], true).as_deref(), Ok("<p>O'Brien O'Brien</p>"));
    }

    #[test]
    fn missing_values_follow_each_engine() {
        let src = "Hi {{Attributes.Customer.FirstName}}!";
        assert_eq!(go(Engine::Pinpoint, src, json!({}), &[], false).as_deref(), Ok("Hi !"));
        assert_eq!(
            go(Engine::Connect, src, json!({}), &[], false).as_deref(),
            Ok("Hi {{Attributes.Customer.FirstName}}!")
        );
        let e = go(Engine::Ses, src, json!({}), &[], false).expect_err("SES fails the send");
        assert!(e.message.contains("not present in the rendering data"), "{e}");
        assert_eq!(
            go(Engine::Ses, "{{#if x}}y{{/if}}", json!({}), &[], false).as_deref(),
            Ok(""),
            "a condition is just false"
        );
    }

    #[test]
    fn helpers_exist_per_engine() {
        let src = "{{upper Location.City}}";
        assert_eq!(go(Engine::Pinpoint, src, endpoint(), &[], false).as_deref(), Ok("LOS ANGELES"));
        assert_eq!(go(Engine::Connect, src, endpoint(), &[], false).as_deref(), Ok("LOS ANGELES"));
        let e = go(Engine::Ses, src, endpoint(), &[], false).expect_err("SES has built-ins only");
        assert_eq!(e.position, Position { line: 1, column: 1 });
        let e =
            go(Engine::Connect, "a\n{{#with Location}}{{City}}{{/with}}", endpoint(), &[], false).expect_err("no with");
        assert_eq!(e.position.line, 2, "{e}");
        assert!(go(Engine::Pinpoint, "{{formatCurrency 3}}", endpoint(), &[], false).is_err(), "unknown helpers fail");
        assert_eq!(
            go(
                Engine::Pinpoint,
                "{{#and (eq Location.City \"Los Angeles\") (gt Metrics.purchases -1)}}LA{{else}}no{{/and}}",
                endpoint(),
                &[],
                false
            )
            .as_deref(),
            Ok("LA")
        );
    }

    #[test]
    fn each_stops_at_fifteen_items_in_pinpoint() {
        let data = json!({"xs": (0..20).collect::<Vec<_>>()});
        let src = "{{#each xs}}.{{/each}}";
        assert_eq!(go(Engine::Pinpoint, src, data.clone(), &[], false).map(|s| s.len()), Ok(15));
        assert_eq!(go(Engine::Ses, src, data, &[], false).map(|s| s.len()), Ok(20));
    }
}
