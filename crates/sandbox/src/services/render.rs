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
    engine.register_helper(PRINT, Box::new(print));
    let source = rewrite(template, &mut |_| true);
    engine.render_template(&source, data).map_err(|e| match missing_variable(&e) {
        Some(name) => format!("Attribute '{name}' is not present in the rendering data."),
        None => format!("The template could not be rendered: {}", e.reason()),
    })
}

/// The helper every simple mustache is rewritten to: Handlebars.js prints values the JavaScript way (a
/// list as its items joined by commas, `2.0` as `2`), where handlebars-rust would print `[a, b]`. Both
/// services document Handlebars.js as their engine.
const PRINT: &str = "__pinshift_print";

fn print(
    h: &handlebars::Helper<'_>,
    registry: &Handlebars<'_>,
    _: &handlebars::Context,
    _: &mut handlebars::RenderContext<'_, '_>,
    out: &mut dyn handlebars::Output,
) -> handlebars::HelperResult {
    let param = h.param(0).ok_or(handlebars::RenderErrorReason::ParamNotFoundForIndex(PRINT, 0))?;
    if param.is_value_missing() && registry.strict_mode() {
        let name = param.relative_path().cloned().unwrap_or_default();
        return Err(handlebars::RenderErrorReason::MissingVariable(Some(name)).into());
    }
    out.write(&registry.get_escape_fn()(&js_text(param.value())))?;
    Ok(())
}

/// JavaScript's `String(value)` for JSON values (`null` inside a list prints as nothing, alone as nothing
/// too: Handlebars prints no text for null).
fn js_text(value: &Value) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (_, Some(u), _) => u.to_string(),
            (_, _, Some(f)) if f.fract() == 0.0 && f.abs() < 1e21 => format!("{f:.0}"),
            (_, _, Some(f)) => f.to_string(),
            _ => n.to_string(),
        },
        Value::Array(items) => items.iter().map(js_text).collect::<Vec<_>>().join(","),
        Value::Object(_) => "[object Object]".to_owned(),
    }
}

/// The template with every simple mustache (`{{a.b}}`, not a helper, block, comment or triple-stash) for
/// which `keep` says so printed through [`PRINT`]; the others written back escaped (`\{{a.b}}`), which
/// Handlebars prints as the placeholder itself.
fn rewrite(template: &str, keep: &mut dyn FnMut(&str) -> bool) -> String {
    let mut source = String::with_capacity(template.len());
    let mut rest = template;
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
            && !source.ends_with('\\')
            && inner.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'))
            && inner != "else"
            && !inner.starts_with(['#', '/', '^', '!', '>']);
        if !simple {
            source.push_str(mustache);
        } else if keep(inner) {
            source.push_str(&format!("{{{{{PRINT} {inner}}}}}"));
        } else {
            source.push('\\');
            source.push_str(mustache);
        }
        rest = &after[end + 2..];
    }
    source.push_str(rest);
    source
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
    let source = rewrite(template, &mut |inner| {
        let present = lookup(data, inner).is_some_and(|v| !v.is_null());
        if !present && !missing.iter().any(|m| m == inner) {
            missing.push(inner.to_owned());
        }
        present
    });
    let mut engine = Handlebars::new();
    if !escape {
        engine.register_escape_fn(handlebars::no_escape);
    }
    engine.register_helper(PRINT, Box::new(print));
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
    fn values_print_as_handlebars_js_prints_them() {
        let data = json!({"User": {"UserAttributes": {"FirstName": ["Ólafur"], "Colors": ["red", "blue"]}}, "n": 2.0});
        let text = super::ses("{{User.UserAttributes.FirstName}} {{User.UserAttributes.Colors}} {{n}}", &data);
        assert_eq!(text.as_deref(), Ok("Ólafur red,blue 2"));
        let each = super::ses("{{#each User.UserAttributes.Colors}}<{{this}}>{{/each}}", &data);
        assert_eq!(each.as_deref(), Ok("<red><blue>"));
        let error = super::ses("Hi {{User.UserAttributes.LastName}}", &data).expect_err("missing");
        assert!(error.contains("'User.UserAttributes.LastName'"), "{error}");
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
