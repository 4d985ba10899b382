//! Template rendering as the target services document it, for SES's `TestRenderEmailTemplate` and Q in
//! Connect's `RenderMessageTemplate`. Both engines are Handlebars; they differ where a migration feels it:
//!
//! | | SES v2 | Q in Connect |
//! |---|---|---|
//! | a printed value is missing | the render fails, naming the attribute | the placeholder stays and is reported in `attributesNotInterpolated` |
//! | `{{x}}` in HTML | not escaped | escaped |
//!
//! These are the sandbox's own implementations, written from the services' documentation, so Pinshift's
//! translation (in core) is checked against an independent reading rather than against itself.

use handlebars::Handlebars;
use serde_json::Value;

/// SES: every printed value must be present; nothing is escaped. `Err` carries SES's message.
pub fn ses(template: &str, data: &Value) -> Result<String, String> {
    let mut engine = Handlebars::new();
    engine.set_strict_mode(true);
    engine.register_escape_fn(handlebars::no_escape);
    engine.render_template(template, data).map_err(|e| match missing_variable(&e) {
        Some(name) => format!("Attribute '{name}' is not present in the rendering data."),
        None => format!("The template could not be rendered: {}", e.reason()),
    })
}

fn missing_variable(error: &handlebars::RenderError) -> Option<String> {
    match error.reason() {
        handlebars::RenderErrorReason::MissingVariable(Some(name)) => Some(name.clone()),
        _ => None,
    }
}

/// Q in Connect: values missing from `data` keep their `{{placeholder}}` and are listed; `escape` is for
/// HTML parts. Returns the text and the missing variables, in order of appearance.
pub fn connect(template: &str, data: &Value, escape: bool) -> Result<(String, Vec<String>), String> {
    let mut missing = Vec::new();
    let mut source = String::with_capacity(template.len());
    let mut rest = template;
    // Simple mustaches (`{{a.b}}`, not helpers or blocks) whose value is absent are written back escaped
    // (`\{{a.b}}`), which Handlebars prints as the placeholder itself.
    while let Some(start) = rest.find("{{") {
        source.push_str(&rest[..start]);
        let after = &rest[start..];
        let Some(end) = after.find("}}") else {
            source.push_str(after);
            rest = "";
            break;
        };
        let mustache = &after[..end + 2];
        let inner = mustache.trim_start_matches('{').trim_end_matches('}').trim();
        let simple = !inner.is_empty()
            && !mustache.starts_with("{{{")
            && inner.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
            && inner != "else"
            && !inner.starts_with(['#', '/', '^', '!', '>']);
        if simple && lookup(data, inner).is_none_or(Value::is_null) {
            if !missing.iter().any(|m| m == inner) {
                missing.push(inner.to_owned());
            }
            source.push('\\');
        }
        source.push_str(mustache);
        rest = &after[end + 2..];
    }
    source.push_str(rest);
    let mut engine = Handlebars::new();
    if !escape {
        engine.register_escape_fn(handlebars::no_escape);
    }
    let text = engine
        .render_template(&source, data)
        .map_err(|e| format!("The template could not be rendered: {}", e.reason()))?;
    Ok((text, missing))
}

fn lookup<'a>(data: &'a Value, path: &str) -> Option<&'a Value> {
    path.split('.').try_fold(data, |value, key| value.get(key))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn ses_fails_on_a_missing_value_and_does_not_escape() {
        assert_eq!(super::ses("Hi {{name}} <b>", &json!({"name": "A&B"})).as_deref(), Ok("Hi A&B <b>"));
        let error = super::ses("Hi {{name}}", &json!({})).expect_err("missing");
        assert!(error.contains("'name'"), "{error}");
        assert_eq!(super::ses("{{#if name}}Hi {{name}}{{/if}}!", &json!({})).as_deref(), Ok("!"));
    }

    #[test]
    fn connect_keeps_the_placeholder_of_a_missing_value() {
        let data = json!({"Attributes": {"Customer": {"FirstName": "Ann & Bo"}}});
        let (text, missing) =
            super::connect("Hi {{Attributes.Customer.FirstName}} {{Attributes.Customer.LastName}}", &data, true)
                .expect("render");
        assert_eq!(text, "Hi Ann &amp; Bo {{Attributes.Customer.LastName}}");
        assert_eq!(missing, ["Attributes.Customer.LastName"]);
        let (text, _) = super::connect("{{#if Attributes.Customer.X}}x{{else}}y{{/if}}", &data, false).expect("render");
        assert_eq!(text, "y");
    }
}
