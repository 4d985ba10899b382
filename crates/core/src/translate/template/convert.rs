//! Converts one template part (a subject, a body…) from Pinpoint's dialect to SES's or Connect's: variable
//! paths rewritten through the [`ProfileMapping`](crate::profile::ProfileMapping), defaults and guards
//! added where the target needs them, every construct the target lacks reported as a [`Loss`] with its
//! line and column. Only the mustaches that change are rewritten; all other bytes stay as they were.

use std::collections::BTreeMap;

use handlebars::template::{BlockParam, HelperTemplate, Parameter, TemplateElement};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::profile::{Channel, ProfileMapping, Variable};
use crate::templates::render::{Engine, name_of, parse, raw_path};
use crate::templates::syntax::{Aligned, PathExpr, Segment, align, delimiters, position};
use crate::templates::value::escape_html;
use crate::templates::{ParseError, Position, pinpoint_knows};
use crate::translate::{Loss, Severity};

/// How SES templates name their variables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum SesPaths {
    /// Pinpoint's paths stay; the sender builds TemplateData shaped like an endpoint.
    #[default]
    Keep,
    /// Paths become the profile's (`Attributes.tier`, `Address.City`); the sender passes the client's
    /// Customer Profile as TemplateData.
    Rewrite,
}

/// The target of a conversion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "service", content = "paths", rename_all = "snake_case")]
pub enum Target {
    Ses(SesPaths),
    Connect,
}

impl Target {
    pub fn engine(self) -> Engine {
        match self {
            Target::Ses(_) => Engine::Ses,
            Target::Connect => Engine::Connect,
        }
    }

    /// Whether values move into profile attributes (text, one per person).
    fn profiled(self) -> bool {
        !matches!(self, Target::Ses(SesPaths::Keep))
    }

    /// The path a profile field has in this target's templates.
    fn prefix(self) -> Vec<Segment> {
        let s = |n: &str| Segment { name: n.to_owned(), bracketed: false };
        match self {
            Target::Connect => vec![s("Attributes"), s("Customer")],
            Target::Ses(_) => Vec::new(),
        }
    }
}

/// What converting one part needs to know.
#[derive(Debug, Clone, Copy)]
pub struct PartContext<'a> {
    /// The part's name as Pinpoint calls it (`HtmlPart`, `Body`, `APNS.Title`).
    pub part: &'a str,
    pub html: bool,
    pub target: Target,
    pub channel: Channel,
    pub mapping: &'a ProfileMapping,
    /// The template's DefaultSubstitutions, by variable path.
    pub defaults: &'a BTreeMap<String, String>,
}

/// A variable a part reads, and where it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct VariableUse {
    /// As the template wrote it (`User.UserAttributes.FirstName.[0]`).
    pub written: String,
    /// Pinpoint's variable (`User.UserAttributes.FirstName`).
    pub variable: String,
    /// What the converted template reads instead; `None` when the target has no equivalent.
    #[ts(optional)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub converted: Option<String>,
    pub position: Position,
}

/// One converted part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConvertedPart {
    pub converted: String,
    pub losses: Vec<Loss>,
    pub uses: Vec<VariableUse>,
    /// Root-relative paths the converted part reads, as segments (SES needs every one in TemplateData).
    pub reads: Vec<Vec<String>>,
}

/// How a value is used, for the checks that depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Output,
    Condition,
    Compare,
    Iterate,
    Join,
    Lookup,
    Math,
    Argument,
}

struct Open {
    /// Pushes a context (`each`, `with`, a section over a value).
    context: bool,
    /// `{{#if P}}` on a plain variable: its Pinpoint path, guarded in the first branch.
    guard: Option<String>,
    inverse: bool,
    /// The close tag text when the block's name (a section path) was rewritten.
    close: Option<String>,
    /// For `{{#with P}}` on a root path: P's segments (paths inside read P's fields).
    base: Option<Vec<String>>,
    /// A `{{#with P}}` unrolled into full paths (profiled targets): P's path and the depth it was opened
    /// at. The block no longer changes the context.
    unrolled: Option<(Vec<Segment>, usize)>,
    /// An `{{#each P}}` wrapped in `{{#if P}}` (SES): its close tag closes the `if` too.
    wrapped: bool,
}

struct Converter<'a> {
    ctx: PartContext<'a>,
    source: &'a str,
    depth: usize,
    open: Vec<Open>,
    edits: Vec<(usize, usize, String)>,
    losses: Vec<Loss>,
    uses: Vec<VariableUse>,
    reads: Vec<Vec<String>>,
    escaped_outputs: Vec<Position>,
}

/// Converts one part. A part that does not parse is an error with its line and column.
pub fn convert_part(source: &str, ctx: PartContext<'_>) -> Result<ConvertedPart, ParseError> {
    let parsed = parse(source)?;
    let aligned = align(&parsed.template, source).map_err(|reason| ParseError {
        line: 1,
        column: 1,
        reason: format!("cannot convert this part: {reason}"),
    })?;
    let mut c = Converter {
        ctx,
        source,
        depth: 0,
        open: Vec::new(),
        edits: Vec::new(),
        losses: Vec::new(),
        uses: Vec::new(),
        reads: Vec::new(),
        escaped_outputs: Vec::new(),
    };
    for a in aligned {
        c.element(a);
    }
    if matches!(ctx.target, Target::Ses(_)) && ctx.html && !c.escaped_outputs.is_empty() {
        let n = c.escaped_outputs.len();
        c.losses.push(
                Loss::new(
                    Severity::Warning,
                    "HTML escaping",
                    ctx.part,
                    format!("SES does not HTML-escape values ({n} place(s)): a value holding <, > or quotes goes into the HTML as it is"),
                )
                .at_position(c.escaped_outputs[0])
                .suggest("escape values for HTML in the sending code, or keep markup characters out of the data"),
            );
    }
    let mut converted = source.to_owned();
    c.edits.sort_by_key(|e| std::cmp::Reverse(e.0));
    for (start, end, text) in c.edits {
        converted.replace_range(start..end, &text);
    }
    Ok(ConvertedPart { converted, losses: c.losses, uses: c.uses, reads: c.reads })
}

impl Converter<'_> {
    fn loss(
        &mut self,
        severity: Severity,
        construct: impl Into<String>,
        at: Position,
        message: impl Into<String>,
    ) -> &mut Loss {
        self.losses.push(Loss::new(severity, construct, self.ctx.part, message).at_position(at));
        self.losses.last_mut().expect("just pushed")
    }

    fn element(&mut self, a: Aligned<'_>) {
        match a {
            Aligned::Expression { helper, tag, escaped } => {
                let at = position(self.source, tag.start);
                let text = tag.text(self.source);
                let simple = helper.params.is_empty() && helper.hash.is_empty();
                let (body, changed) = self.helper_body(helper, at, simple, Role::Output);
                let (open, _, close) = delimiters(text);
                let mut new = if changed { format!("{open}{body}{close}") } else { text.to_owned() };
                if simple && escaped && self.ctx.html {
                    self.escaped_outputs.push(at);
                }
                if simple && let Some(wrapped) = self.wrap_output(helper, &new, escaped) {
                    new = wrapped;
                }
                if new != text {
                    self.edits.push((tag.start, tag.end, new));
                }
            }
            Aligned::BlockOpen { helper, tag, chained } => {
                let at = position(self.source, tag.start);
                let name = name_of(helper);
                if !chained && self.unroll_with(helper, tag, at) {
                    return;
                }
                let section = !pinpoint_knows(&name) && helper.params.is_empty() && helper.hash.is_empty();
                let text = tag.text(self.source);
                let (open, body, close) = delimiters(text);
                let (new_body, changed) = if section {
                    // `{{#Attributes.tier}}…{{/Attributes.tier}}`: a section over a value
                    self.path(&name, at, Role::Iterate)
                } else {
                    self.helper_body(helper, at, false, Role::Argument)
                };
                if changed {
                    let keyword = if chained {
                        body.split_whitespace().next().unwrap_or("else").to_owned() + " "
                    } else {
                        String::new()
                    };
                    self.edits.push((tag.start, tag.end, format!("{open}{keyword}{new_body}{close}")));
                }
                let guard = match helper.params.as_slice() {
                    [Parameter::Path(p)] if name == "if" => Some(guard_key(&self.unwith(PathExpr::parse(raw_path(p))))),
                    _ => None,
                };
                if chained {
                    // `{{else if b}}`: still the same block, now in b's first branch
                    if let Some(top) = self.open.last_mut() {
                        top.guard = guard;
                        top.inverse = false;
                    }
                    return;
                }
                let context = name == "each" || name == "with" || section;
                let base = match helper.params.as_slice() {
                    [Parameter::Path(p)] if name == "with" && PathExpr::parse(raw_path(p)).is_rooted(self.depth) => {
                        Some(PathExpr::parse(raw_path(p)).segments.into_iter().map(|s| s.name).collect())
                    }
                    _ => None,
                };
                if context {
                    self.depth += 1;
                }
                // SES refuses a send whose template reads a value the data lacks, also as a list to iterate:
                // an `{{#each P}}` without an else runs only when P is there (Pinpoint's each over a missing
                // value printed nothing, and so does the guard).
                let wrapped = name == "each"
                    && matches!(self.ctx.target, Target::Ses(_))
                    && helper.inverse.is_none()
                    && matches!(helper.params.as_slice(), [Parameter::Path(_)]);
                if wrapped {
                    let shown = if changed { format!("{open}{new_body}{close}") } else { text.to_owned() };
                    let param =
                        if changed { new_body.as_str() } else { body }.split_whitespace().nth(1).unwrap_or_default();
                    let guarded = format!("{{{{#if {param}}}}}{shown}");
                    if changed {
                        self.edits.pop();
                    }
                    self.edits.push((tag.start, tag.end, guarded));
                }
                let close = (section && changed).then(|| new_body.clone());
                self.open.push(Open { context, guard, inverse: false, close, base, unrolled: None, wrapped });
            }
            Aligned::Else { .. } => {
                if let Some(top) = self.open.last_mut() {
                    top.inverse = true;
                }
            }
            Aligned::BlockClose { tag } => {
                if let Some(top) = self.open.pop() {
                    if top.context {
                        self.depth = self.depth.saturating_sub(1);
                    }
                    let (open, _, close) = delimiters(tag.text(self.source));
                    let shown = match &top.close {
                        Some(name) => format!("{open}{name}{close}"),
                        None => tag.text(self.source).to_owned(),
                    };
                    if top.wrapped {
                        self.edits.push((tag.start, tag.end, format!("{shown}{{{{/if}}}}")));
                    } else if top.close.is_some() {
                        self.edits.push((tag.start, tag.end, shown));
                    }
                }
            }
            Aligned::Other { tag } => {
                let text = tag.text(self.source);
                let at = position(self.source, tag.start);
                let (open, body, _) = delimiters(text);
                if open.ends_with('>') && body.split_whitespace().count() > 1 {
                    self.loss(
                        Severity::Warning,
                        "partial arguments",
                        at,
                        "paths passed to a partial are not rewritten",
                    )
                    .suggestion = Some("check the partial's arguments by hand".into());
                }
            }
        }
    }

    /// `{{#with P}}…{{/with}}` (no else) for a target where values live in a profile: Connect has no
    /// `with`, and P (an endpoint object) has no profile equivalent, so the block becomes `{{#if true}}`
    /// and the paths inside become full paths (`{{FirstName}}` → `P.FirstName`, then rewritten).
    fn unroll_with(&mut self, h: &HelperTemplate, tag: crate::templates::syntax::Tag, at: Position) -> bool {
        if name_of(h) != "with" || !self.ctx.target.profiled() || h.inverse.is_some() || !h.hash.is_empty() {
            return false;
        }
        let [Parameter::Path(p)] = h.params.as_slice() else { return false };
        let base = self.unwith(PathExpr::parse(raw_path(p)));
        if !base.is_rooted(self.depth) || base.segments.is_empty() {
            return false;
        }
        let (open, _, close) = delimiters(tag.text(self.source));
        self.edits.push((tag.start, tag.end, format!("{open}if true{close}")));
        let shown = base.render();
        self.loss(
            Severity::Warning,
            "helper with",
            at,
            format!("{{{{#with {shown}}}}} is unrolled into full paths ({} has no with, and {shown} is not a profile object); the block now shows even when {shown} is missing", self.ctx.target.engine().label()),
        );
        self.open.push(Open {
            wrapped: false,
            context: false,
            guard: None,
            inverse: false,
            close: Some("if".into()),
            base: None,
            unrolled: Some((base.segments, self.depth)),
        });
        true
    }

    /// A path as it reads once the unrolled `with` blocks around it are gone.
    fn unwith(&self, mut expr: PathExpr) -> PathExpr {
        if expr.root || expr.data {
            return expr;
        }
        let mut up = expr.up;
        let mut crossed = 0;
        for o in self.open.iter().rev() {
            if !o.context && o.unrolled.is_none() {
                continue;
            }
            if up == 0 {
                if let Some((base, depth)) = &o.unrolled {
                    let mut segments = base.clone();
                    segments.append(&mut expr.segments);
                    return PathExpr { up: *depth, explicit_this: false, segments, ..expr };
                }
                break;
            }
            up -= 1;
            if o.unrolled.is_some() {
                crossed += 1;
            }
        }
        expr.up -= crossed;
        expr
    }

    fn helper_missing(&mut self, name: &str, at: Position) {
        let target = self.ctx.target.engine();
        if !pinpoint_knows(name) {
            self.loss(
                Severity::Loss,
                format!("helper {name}"),
                at,
                format!(
                    "{name} is not a helper Pinpoint documents: Pinpoint could not render it, and neither can {}",
                    target.label()
                ),
            )
            .suggestion = Some("find out what the template meant and rewrite it with a documented helper".into());
            return;
        }
        let (message, suggestion) = match (target, name) {
            (Engine::Connect, "with") => (
                "Connect message templates do not support the with helper".to_owned(),
                "replace {{#with X}}…{{Y}}…{{/with}} by full paths (X.Y)".to_owned(),
            ),
            (Engine::Ses, _) => (
                format!("SES renders Handlebars' built-in helpers only; {name} is Pinpoint's"),
                "compute the value in the sending code and pass it in TemplateData".to_owned(),
            ),
            _ => (format!("{} has no helper {name}", target.label()), "rewrite without it".to_owned()),
        };
        self.loss(Severity::Loss, format!("helper {name}"), at, message).suggestion = Some(suggestion);
    }

    /// The rewritten body of a helper call (`name params hash`), and whether anything changed.
    fn helper_body(&mut self, h: &HelperTemplate, at: Position, simple: bool, role: Role) -> (String, bool) {
        let name = name_of(h);
        let target = self.ctx.target.engine();
        let is_helper =
            !simple || (pinpoint_knows(&name) && PathExpr::parse(&name).segments.len() == 1 && !name.contains('.'));
        if !is_helper {
            return self.path(&name, at, role);
        }
        if !target.knows(&name) {
            self.helper_missing(&name, at);
        }
        let arg_role = match name.as_str() {
            "each" => Role::Iterate,
            "if" | "unless" | "and" | "or" | "not" => Role::Condition,
            "eq" | "neq" | "gt" | "gte" | "lt" | "lte" => Role::Compare,
            "join" => Role::Join,
            "with" => Role::Iterate,
            "lookup" => Role::Lookup,
            "add" | "subtract" | "multiply" | "divide" | "modulo" | "ceiling" | "floor" | "round" => Role::Math,
            _ => Role::Argument,
        };
        let mut changed = false;
        let mut parts = vec![name.clone()];
        for (i, p) in h.params.iter().enumerate() {
            let r = if name == "join" && i > 0 { Role::Argument } else { arg_role };
            let (t, c) = self.param(p, at, r);
            changed |= c;
            parts.push(t);
        }
        let mut hash: Vec<(&String, &Parameter)> = h.hash.iter().collect();
        hash.sort_by_key(|(k, _)| *k);
        for (k, p) in hash {
            let (t, c) = self.param(p, at, Role::Argument);
            changed |= c;
            parts.push(format!("{k}={t}"));
        }
        match &h.block_param {
            Some(BlockParam::Single(p)) => parts.push(format!("as |{}|", p.as_name().unwrap_or_default())),
            Some(BlockParam::Pair((a, b))) => {
                parts.push(format!("as |{} {}|", a.as_name().unwrap_or_default(), b.as_name().unwrap_or_default()))
            }
            _ => {}
        }
        (parts.join(" "), changed)
    }

    fn param(&mut self, p: &Parameter, at: Position, role: Role) -> (String, bool) {
        match p {
            Parameter::Path(path) => self.path(raw_path(path), at, role),
            Parameter::Name(n) => self.path(n, at, role),
            Parameter::Literal(v) => (serde_json::to_string(v).unwrap_or_default(), false),
            Parameter::Subexpression(sub) => match sub.as_element() {
                TemplateElement::Expression(h) => {
                    let simple = h.params.is_empty() && h.hash.is_empty();
                    let (body, changed) = self.helper_body(h, at, simple, role);
                    (format!("({body})"), changed)
                }
                _ => (String::new(), false),
            },
            _ => (String::new(), false),
        }
    }

    /// Rewrites one path; records its use and whatever the target cannot do with it.
    fn path(&mut self, raw: &str, at: Position, role: Role) -> (String, bool) {
        let expr = self.unwith(PathExpr::parse(raw));
        if !expr.is_rooted(self.depth) {
            // inside `{{#with P}}`, `{{x}}` reads P.x: SES needs it in TemplateData too
            if expr.up == 0
                && !expr.data
                && !expr.root
                && !expr.segments.is_empty()
                && let Some(base) = self.open.iter().rev().find(|o| o.context).and_then(|o| o.base.clone())
            {
                let mut full = base;
                full.extend(expr.segments.iter().map(|s| s.name.clone()));
                self.reads.push(full);
            }
            return (raw.to_owned(), false);
        }
        let segs: Vec<&str> = expr.segments.iter().map(|s| s.name.as_str()).collect();
        let target = self.ctx.target;
        let Some((variable, n)) = Variable::parse(&segs) else {
            if target.profiled() && !segs.is_empty() {
                self.loss(
                    Severity::Loss,
                    format!("variable {raw}"),
                    at,
                    format!("{raw} is a whole object of the endpoint; a profile has no such object"),
                )
                .suggestion = Some("name the attribute inside it".into());
            }
            self.reads.push(segs.iter().map(|s| (*s).to_owned()).collect());
            return (raw.to_owned(), false);
        };
        let rest: Vec<&str> = segs[n..].to_vec();
        self.check(&variable, &rest, raw, at, role);
        if matches!(target, Target::Ses(_))
            && role != Role::Output
            && crate::templates::render::default_value(self.ctx.defaults, &expr).is_some()
        {
            self.loss(Severity::Warning, format!("default {raw}"), at, format!("{raw} has a default in Pinpoint, which conditions and helpers saw; SES has no defaults, so here a missing value stays missing"))
                .suggestion = Some("let the sending code put the default in TemplateData".into());
        }
        if matches!(target, Target::Ses(_))
            && role == Role::Iterate
            && variable.is_list()
            && self.ctx.mapping.multi_valued(&variable) != Some(false)
        {
            self.loss(
                Severity::Warning,
                format!("each {raw}"),
                at,
                "Pinpoint's each stops after 15 items; SES's does not".to_owned(),
            );
        }
        if !target.profiled() {
            self.uses.push(VariableUse {
                written: raw.to_owned(),
                variable: variable.path(),
                converted: Some(raw.to_owned()),
                position: at,
            });
            self.reads.push(segs.iter().map(|s| (*s).to_owned()).collect());
            return (raw.to_owned(), false);
        }
        let Some(field) = self.ctx.mapping.field(&variable, self.ctx.channel) else {
            self.uses.push(VariableUse {
                written: raw.to_owned(),
                variable: variable.path(),
                converted: None,
                position: at,
            });
            // inside an unrolled with, the full path at least names what the value was
            let full = expr.render();
            return (full.clone(), full != raw);
        };
        // a list's first value is the profile attribute itself
        let rest: Vec<&str> = if variable.is_list() && rest.first() == Some(&"0") { rest[1..].to_vec() } else { rest };
        let mut segments = target.prefix();
        segments.extend(field.segments().into_iter().map(|name| Segment { name, bracketed: false }));
        segments.extend(rest.iter().map(|r| Segment { name: (*r).to_owned(), bracketed: r.parse::<usize>().is_ok() }));
        self.reads.push(segments.iter().map(|s| s.name.clone()).collect());
        let new = PathExpr { segments, ..expr.clone() }.render();
        self.uses.push(VariableUse {
            written: raw.to_owned(),
            variable: variable.path(),
            converted: Some(new.clone()),
            position: at,
        });
        let changed = new != raw;
        (new, changed)
    }

    fn check(&mut self, v: &Variable, rest: &[&str], raw: &str, at: Position, role: Role) {
        let profiled = self.ctx.target.profiled();
        let path = v.path();
        match v {
            Variable::Recommendation(_) => {
                self.loss(
                    Severity::Loss,
                    format!("variable {raw}"),
                    at,
                    "recommendations come from the template's recommender, which has no successor at template level",
                )
                .suggestion = Some(
                    "use Customer Profiles recommenders (CreateRecommender) and pass the items as attributes".into(),
                );
                return;
            }
            Variable::Endpoint(f) => {
                let (sev, msg) = if profiled {
                    (Severity::Loss, format!("the endpoint's {f} has no place in a customer profile"))
                } else {
                    (
                        Severity::Warning,
                        format!(
                            "the sending code must supply the endpoint's {f} in TemplateData: no profile field holds it"
                        ),
                    )
                };
                self.loss(sev, format!("variable {path}"), at, msg);
                return;
            }
            Variable::Unknown(_) => {
                if profiled {
                    self.loss(
                        Severity::Loss,
                        format!("variable {raw}"),
                        at,
                        format!("{raw} is not a variable of Pinpoint's endpoint model: it rendered empty in Pinpoint"),
                    )
                    .suggestion = Some("remove it, or map it to a profile attribute by hand".into());
                } else {
                    self.loss(Severity::Warning, format!("variable {raw}"), at, format!("{raw} is not a variable of Pinpoint's endpoint model (it rendered empty); SES needs it in TemplateData"));
                }
                return;
            }
            Variable::Address if self.ctx.channel == Channel::Push && profiled => {
                self.loss(
                    Severity::Loss,
                    "variable Address",
                    at,
                    "a push endpoint's address is a device token; profiles do not keep device tokens",
                );
                return;
            }
            _ => {}
        }
        if v.is_number() && matches!(role, Role::Condition | Role::Compare) {
            self.loss(Severity::Warning, format!("variable {raw}"), at, format!("{path} is a number in Pinpoint and text in {}: 0 is false in Pinpoint but \"0\" is true, and text compares with text letter by letter", if profiled { "a profile" } else { "TemplateData" }))
                .suggestion = Some("compare with numbers, or keep the metric out of conditions".into());
        }
        if !profiled {
            if v.is_list() && rest == ["length"] {
                self.loss(
                    Severity::Warning,
                    format!("variable {raw}"),
                    at,
                    "SES prints nothing for a guarded value of 0, where Pinpoint printed 0 for an empty list's length",
                );
            }
            return;
        }
        if v.is_list() {
            let multi = self.ctx.mapping.multi_valued(v);
            match rest.first().copied() {
                Some("0") if rest.len() == 1 => match multi {
                    Some(true) => {
                        self.loss(Severity::Warning, format!("variable {raw}"), at, format!("some endpoints hold several values of {path}: the profile keeps them joined by commas, so .[0] no longer picks the first"));
                    }
                    None => {
                        self.loss(Severity::Warning, format!("variable {raw}"), at, format!("{path} is assumed to hold one value (no audience profile says otherwise): .[0] becomes the attribute itself"))
                            .suggestion = Some("profile the audience (scan --audience-bucket) to check".into());
                    }
                    Some(false) => {}
                },
                Some(i) if i.parse::<usize>().is_ok() => {
                    self.loss(Severity::Loss, format!("variable {raw}"), at, format!("a profile attribute holds one text value: the value at position {i} of {path} has no equivalent"))
                        .suggestion = Some("split the values into separate attributes when importing endpoints".into());
                }
                Some("length") => {
                    self.loss(
                        Severity::Loss,
                        format!("variable {raw}"),
                        at,
                        format!("{path} becomes one text value: its length no longer counts values"),
                    );
                }
                _ => match role {
                    Role::Iterate => {
                        self.loss(
                            Severity::Loss,
                            format!("variable {raw}"),
                            at,
                            format!("iterates over {path}, which becomes one text value in a profile"),
                        )
                        .suggestion = Some(
                            "print the value instead (the items are joined by commas), or split it into attributes"
                                .into(),
                        );
                    }
                    Role::Compare => {
                        self.loss(Severity::Warning, format!("variable {raw}"), at, format!("Pinpoint compared the whole list {path} (never equal to a text); the profile compares its text"))
                            .suggestion = Some(format!("compare {raw}.[0] in the original to keep its meaning"));
                    }
                    Role::Math => {
                        self.loss(Severity::Warning, format!("variable {raw}"), at, format!("Pinpoint computes with the whole list {path} (an empty list counts as 0); the profile holds no value for it"))
                            .suggestion = Some(format!("compute with {raw}.[0] in the original to keep its meaning"));
                    }
                    Role::Lookup => {
                        self.loss(
                            Severity::Loss,
                            format!("variable {raw}"),
                            at,
                            format!("looks up an item of {path}, which becomes one text value in a profile"),
                        );
                    }
                    Role::Join if multi != Some(false) => {
                        self.loss(
                            Severity::Warning,
                            format!("variable {raw}"),
                            at,
                            format!("join over {path}: the profile holds the values already joined by commas"),
                        );
                    }
                    _ => {}
                },
            }
        } else if !rest.is_empty() {
            self.loss(
                Severity::Warning,
                format!("variable {raw}"),
                at,
                format!("reads {} inside {path}, which is text in a profile", rest.join(".")),
            );
        }
        match (v, role) {
            (Variable::Demographic(_), _) | (Variable::Location(_), _)
                if !matches!(
                    self.ctx.mapping.field(v, self.ctx.channel),
                    Some(crate::profile::ProfileField::Standard(_))
                ) =>
            {
                self.loss(
                    Severity::Warning,
                    format!("variable {path}"),
                    at,
                    format!("{path} describes one device; the profile keeps one value per person"),
                );
            }
            _ => {}
        }
    }

    /// Wraps an output expression when the target needs it: SES gets the Pinpoint default inline; Connect
    /// gets a guard where no default exists, since it keeps a missing value's placeholder in the text.
    fn wrap_output(&mut self, h: &HelperTemplate, new: &str, escaped: bool) -> Option<String> {
        let name = name_of(h);
        let expr = self.unwith(PathExpr::parse(&name));
        if expr.segments.is_empty() || expr.data {
            return None; // `this`, `@index`: always there
        }
        let rooted = expr.is_rooted(self.depth);
        let default = if rooted { crate::templates::render::default_value(self.ctx.defaults, &expr) } else { None };
        let guarded = self.open.iter().any(|o| !o.inverse && o.guard.as_deref() == Some(guard_key(&expr).as_str()));
        let (open, body, close) = delimiters(new);
        let (lead, trail) = (if open.contains('~') { "~" } else { "" }, if close.contains('~') { "~" } else { "" });
        let inner = format!("{}{}{}", open.replace('~', ""), body, close.replace('~', ""));
        let cond = body.trim().to_owned();
        let guard = || format!("{{{{{lead}#if {cond}}}}}{inner}{{{{/if{trail}}}}}");
        match (self.ctx.target, default) {
            (Target::Ses(_), Some(d)) => {
                let d = if escaped && self.ctx.html { escape_html(d) } else { d.clone() };
                let d = d.replace("{{", "\\{{");
                Some(format!("{{{{{lead}#if {cond}}}}}{inner}{{{{else}}}}{d}{{{{/if{trail}}}}}"))
            }
            // SES fails the whole send when an output's value is missing: guard every one
            (Target::Ses(_), None) if !guarded => Some(guard()),
            // Connect keeps a missing value's placeholder in the text: guard what has no default
            (Target::Connect, d) if rooted && d.is_none_or(|d| d.is_empty()) && !guarded => {
                let segs: Vec<&str> = expr.segments.iter().map(|s| s.name.as_str()).collect();
                let (variable, _) = Variable::parse(&segs)?;
                self.ctx.mapping.field(&variable, self.ctx.channel)?;
                Some(guard())
            }
            _ => None,
        }
    }
}

/// How a guard (`{{#if P}}`) and the outputs it protects are matched: P after unrolling, with its depth.
fn guard_key(expr: &PathExpr) -> String {
    format!("{}|{}", expr.up, expr.dotted())
}
