//! Message templates as a Handlebars parser sees them: which helpers and variables a template uses, and
//! where. The assessment reads this to tell which templates use helpers a target lacks; template
//! conversion builds on it.
//!
//! Parsing is the `handlebars` crate's (the same grammar Pinpoint's Handlebars.js accepts for the
//! constructs that matter here), never regexes.

pub mod helpers;
pub mod render;
pub mod syntax;
pub mod value;

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The kinds of helper on Pinpoint's "Using message template helpers" page, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HelperCategory {
    /// Handlebars built-ins the page lists (`each`, `if`).
    Default,
    Conditional,
    String,
    MathAndEncoding,
}

/// Every helper Pinpoint documents, with its category, exactly as the user guide page "Using message
/// template helpers" lists them (source: `awsdocs/amazon-pinpoint-user-guide`,
/// `doc-source/message-template-helpers.md`). `if` is listed under both Default and Conditional there; it
/// appears once here, as Default. Inline partials (`{{#* inline}}` / `{{> name}}`) are on the page too but
/// are not helpers: the parser reports them as partials.
pub const PINPOINT_HELPERS: &[(&str, HelperCategory)] = &[
    ("each", HelperCategory::Default),
    ("if", HelperCategory::Default),
    ("and", HelperCategory::Conditional),
    ("eq", HelperCategory::Conditional),
    ("gt", HelperCategory::Conditional),
    ("gte", HelperCategory::Conditional),
    ("lt", HelperCategory::Conditional),
    ("lte", HelperCategory::Conditional),
    ("neq", HelperCategory::Conditional),
    ("not", HelperCategory::Conditional),
    ("or", HelperCategory::Conditional),
    ("abbreviate", HelperCategory::String),
    ("capitalize", HelperCategory::String),
    ("capitalizeFirst", HelperCategory::String),
    ("center", HelperCategory::String),
    ("cut", HelperCategory::String),
    ("dateFormat", HelperCategory::String),
    ("inflect", HelperCategory::String),
    ("join", HelperCategory::String),
    ("ljust", HelperCategory::String),
    ("lower", HelperCategory::String),
    ("now", HelperCategory::String),
    ("ordinalize", HelperCategory::String),
    ("replace", HelperCategory::String),
    ("rjust", HelperCategory::String),
    ("slugify", HelperCategory::String),
    ("stripTags", HelperCategory::String),
    ("substring", HelperCategory::String),
    ("upper", HelperCategory::String),
    ("yesno", HelperCategory::String),
    ("add", HelperCategory::MathAndEncoding),
    ("ceiling", HelperCategory::MathAndEncoding),
    ("decode64", HelperCategory::MathAndEncoding),
    ("divide", HelperCategory::MathAndEncoding),
    ("encode64", HelperCategory::MathAndEncoding),
    ("floor", HelperCategory::MathAndEncoding),
    ("md5", HelperCategory::MathAndEncoding),
    ("modulo", HelperCategory::MathAndEncoding),
    ("multiply", HelperCategory::MathAndEncoding),
    ("round", HelperCategory::MathAndEncoding),
    ("sha256", HelperCategory::MathAndEncoding),
    ("sha512", HelperCategory::MathAndEncoding),
    ("subtract", HelperCategory::MathAndEncoding),
    ("uuid", HelperCategory::MathAndEncoding),
];

/// Handlebars.js built-ins the Pinpoint page does not list but which Handlebars itself provides (the page
/// points to handlebarsjs.com for "the full list").
pub const HANDLEBARS_BUILT_INS: &[&str] = &["each", "if", "unless", "with", "lookup", "log"];

/// The category of a helper Pinpoint documents; `None` for a Handlebars built-in the page does not list
/// and for names Pinpoint does not know (which a converter must flag, never drop).
pub fn pinpoint_helper(name: &str) -> Option<HelperCategory> {
    PINPOINT_HELPERS.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
}

/// Whether Pinpoint renders `name`: a documented helper or a Handlebars built-in.
pub fn pinpoint_knows(name: &str) -> bool {
    pinpoint_helper(name).is_some() || HANDLEBARS_BUILT_INS.contains(&name)
}

/// Where something is in a template part: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
pub struct Position {
    pub line: u32,
    pub column: u32,
}

/// A helper call (`{{#if …}}`, `{{capitalize …}}`) in a template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct HelperUse {
    pub name: String,
    pub position: Position,
    /// Called as a block (`{{#name}}…{{/name}}`).
    pub block: bool,
}

/// What a template part uses.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, TS)]
pub struct Usage {
    pub helpers: Vec<HelperUse>,
    /// Variable paths as written (`User.UserAttributes.FirstName`), in order of first use.
    pub variables: Vec<String>,
}

/// A template part Handlebars cannot parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason} (line {line}, column {column})")]
pub struct ParseError {
    pub line: u32,
    pub column: u32,
    pub reason: String,
}

/// Parses one template part and lists the helpers and variables it uses.
pub fn usage(source: &str) -> Result<Usage, ParseError> {
    let template = compile(source)?;
    let mut usage = Usage::default();
    walk(&template, &mut usage);
    Ok(usage)
}

/// Compiles `source` with the Handlebars parser, mapping its error to a line and column.
pub(crate) fn compile(source: &str) -> Result<Template, ParseError> {
    Template::compile(source).map_err(|e| {
        let (line, column) = e.pos().unwrap_or((1, 1));
        ParseError { line: line as u32, column: column as u32, reason: e.reason().to_string() }
    })
}

fn walk(template: &Template, usage: &mut Usage) {
    for (index, element) in template.elements.iter().enumerate() {
        let position = template
            .mapping
            .get(index)
            .map(|m| Position { line: m.0 as u32, column: m.1 as u32 })
            .unwrap_or(Position { line: 1, column: 1 });
        match element {
            TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) => {
                expression(h, position, false, usage);
            }
            TemplateElement::HelperBlock(h) => {
                expression(h, position, true, usage);
                for inner in [&h.template, &h.inverse].into_iter().flatten() {
                    walk(inner, usage);
                }
            }
            TemplateElement::DecoratorBlock(d) | TemplateElement::PartialBlock(d) => {
                if let Some(inner) = &d.template {
                    walk(inner, usage);
                }
            }
            TemplateElement::RawString(_)
            | TemplateElement::Comment(_)
            | TemplateElement::DecoratorExpression(_)
            | TemplateElement::PartialExpression(_) => {}
            _ => {}
        }
    }
}

fn expression(h: &HelperTemplate, position: Position, block: bool, usage: &mut Usage) {
    // `{{uuid}}` and `{{now}}` call helpers without arguments
    let bare_helper = matches!(&h.name, Parameter::Path(p) if pinpoint_helper(path_text(p)).is_some());
    let is_helper = block || bare_helper || !h.params.is_empty() || !h.hash.is_empty();
    match &h.name {
        Parameter::Name(name) if is_helper => {
            usage.helpers.push(HelperUse { name: name.clone(), position, block });
        }
        Parameter::Name(name) => variable(name, usage),
        Parameter::Path(path) if is_helper => {
            usage.helpers.push(HelperUse { name: path_text(path).to_owned(), position, block });
        }
        Parameter::Path(path) => variable(path_text(path), usage),
        Parameter::Subexpression(sub) => nested(&sub.element, position, usage),
        // Literals and whatever later grammar versions add carry no variable.
        _ => {}
    }
    for param in h.params.iter().chain(h.hash.values()) {
        match param {
            Parameter::Path(path) => variable(path_text(path), usage),
            Parameter::Name(name) => variable(name, usage),
            Parameter::Subexpression(sub) => nested(&sub.element, position, usage),
            _ => {}
        }
    }
}

fn path_text(path: &handlebars::Path) -> &str {
    match path {
        handlebars::Path::Relative((_, raw)) | handlebars::Path::Local((_, _, raw)) => raw,
    }
}

fn nested(element: &TemplateElement, position: Position, usage: &mut Usage) {
    if let TemplateElement::Expression(h) | TemplateElement::HtmlExpression(h) = element {
        expression(h, position, false, usage);
    }
}

fn variable(path: &str, usage: &mut Usage) {
    // `this`, `@index` and block-local names are not endpoint variables.
    if path.is_empty() || path == "this" || path.starts_with('@') || path.starts_with("this.") || path == "else" {
        return;
    }
    if !usage.variables.iter().any(|v| v == path) {
        usage.variables.push(path.to_owned());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_and_helpers_are_told_apart() {
        let u = usage(
            "Hi {{User.UserAttributes.FirstName}} {{#if Attributes.vip}}VIP{{else}}{{capitalize Location.City}}{{/if}}",
        )
        .expect("parses");
        assert_eq!(u.variables, ["User.UserAttributes.FirstName", "Attributes.vip", "Location.City"]);
        let names: Vec<_> = u.helpers.iter().map(|h| (h.name.as_str(), h.block)).collect();
        assert_eq!(names, [("if", true), ("capitalize", false)]);
    }

    #[test]
    fn positions_are_lines_and_columns() {
        let u = usage("line one\n  {{#with User}}{{UserId}}{{/with}}").expect("parses");
        assert_eq!(u.helpers[0].name, "with");
        assert_eq!(u.helpers[0].position, Position { line: 2, column: 3 });
    }

    #[test]
    fn the_documented_helpers_are_known_once_each_and_others_are_not() {
        assert_eq!(PINPOINT_HELPERS.len(), 44, "2 default + 9 conditional + 19 string + 14 math and encoding");
        let mut names: Vec<_> = PINPOINT_HELPERS.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), PINPOINT_HELPERS.len(), "no helper is listed twice");
        assert_eq!(pinpoint_helper("capitalizeFirst"), Some(HelperCategory::String));
        assert_eq!(pinpoint_helper("sha256"), Some(HelperCategory::MathAndEncoding));
        assert!(pinpoint_knows("with") && pinpoint_knows("unless"), "Handlebars built-ins render in Pinpoint");
        assert!(!pinpoint_knows("formatCurrency") && !pinpoint_knows("Capitalize"), "names are exact");
    }

    #[test]
    fn unparseable_templates_say_where() {
        let e = usage("ok\n{{#if x}}never closed").expect_err("unclosed block");
        assert_eq!(e.line, 2, "{e}");
    }
}
