//! Message templates as a Handlebars parser sees them: which helpers and variables a template uses, and
//! where. The assessment reads this to tell which templates use helpers a target lacks; template
//! conversion builds on it.
//!
//! Parsing is the `handlebars` crate's (the same grammar Pinpoint's Handlebars.js accepts for the
//! constructs that matter here), never regexes.

use handlebars::template::{HelperTemplate, Parameter, Template, TemplateElement};
use serde::Serialize;
use ts_rs::TS;

/// Where something is in a template part: 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, TS)]
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
    let template = Template::compile(source).map_err(|e| {
        let (line, column) = e.pos().unwrap_or((1, 1));
        ParseError { line: line as u32, column: column as u32, reason: e.reason().to_string() }
    })?;
    let mut usage = Usage::default();
    walk(&template, &mut usage);
    Ok(usage)
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
    let is_helper = block || !h.params.is_empty() || !h.hash.is_empty();
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
    fn unparseable_templates_say_where() {
        let e = usage("ok\n{{#if x}}never closed").expect_err("unclosed block");
        assert_eq!(e.line, 2, "{e}");
    }
}
