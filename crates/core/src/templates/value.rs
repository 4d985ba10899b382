//! Values as Handlebars.js sees them. Pinpoint's documentation calls its templates "Handlebars.js", SES and
//! Connect render Handlebars too, so truthiness, text conversion and comparison follow JavaScript: a list
//! prints as its items joined by commas, `0` and `[]` are false in `{{#if}}`, `"9" > "17"` compares text.
//! `None` stands for JavaScript's `undefined` (a path that leads nowhere).

use std::cmp::Ordering;

use serde_json::Value;

/// Handlebars' `if`: false for undefined, null, false, "", 0 (unless `include_zero`), NaN and `[]`.
pub fn truthy(v: Option<&Value>, include_zero: bool) -> bool {
    match v {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => !s.is_empty(),
        Some(Value::Number(n)) => {
            let f = n.as_f64().unwrap_or(0.0);
            !f.is_nan() && (include_zero || f != 0.0)
        }
        Some(Value::Array(a)) => !a.is_empty(),
        Some(Value::Object(_)) => true,
    }
}

/// JavaScript's `String(v)` as Handlebars prints a value (undefined and null print nothing).
pub fn text(v: Option<&Value>) -> String {
    match v {
        None | Some(Value::Null) => String::new(),
        Some(v) => to_string(v),
    }
}

fn to_string(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::String(s) => s.clone(),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.to_string(),
            (_, Some(u)) => u.to_string(),
            _ => number_text(n.as_f64().unwrap_or(f64::NAN)),
        },
        // Array.prototype.join: null and undefined items print as nothing
        Value::Array(items) => {
            items.iter().map(|i| if i.is_null() { String::new() } else { to_string(i) }).collect::<Vec<_>>().join(",")
        }
        Value::Object(_) => "[object Object]".into(),
    }
}

/// JavaScript's `Number.prototype.toString()` for the values templates meet.
pub fn number_text(f: f64) -> String {
    if f.is_nan() {
        return "NaN".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "Infinity".into() } else { "-Infinity".into() };
    }
    if f == 0.0 {
        return "0".into();
    }
    let abs = f.abs();
    if !(1e-6..1e21).contains(&abs) {
        let e = format!("{f:e}");
        return match e.split_once('e') {
            Some((m, x)) if !x.starts_with('-') => format!("{m}e+{x}"),
            _ => e,
        };
    }
    if f.fract() == 0.0 && abs < 9.007_199_254_740_992e15 {
        return format!("{}", f as i64);
    }
    format!("{f}")
}

/// JavaScript's `Number(v)`.
pub fn number(v: Option<&Value>) -> f64 {
    match v {
        None => f64::NAN,
        Some(Value::Null) => 0.0,
        Some(Value::Bool(b)) => f64::from(u8::from(*b)),
        Some(Value::Number(n)) => n.as_f64().unwrap_or(f64::NAN),
        Some(Value::String(s)) => parse_number(s),
        Some(Value::Array(_)) => parse_number(&text(v)),
        Some(Value::Object(_)) => f64::NAN,
    }
}

fn parse_number(s: &str) -> f64 {
    let t = s.trim();
    if t.is_empty() {
        return 0.0;
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    if let Some(hex) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
        return i64::from_str_radix(hex, 16).map_or(f64::NAN, |i| i as f64);
    }
    // Rust also reads "inf" and "nan", which JavaScript does not
    if t.chars().any(|c| c.is_ascii_alphabetic() && c != 'e' && c != 'E') {
        return f64::NAN;
    }
    t.parse().unwrap_or(f64::NAN)
}

/// A number as a JSON value (integers stay integers).
pub fn number_value(f: f64) -> Value {
    if f.fract() == 0.0 && f.abs() < 9.007_199_254_740_992e15 {
        Value::from(f as i64)
    } else {
        serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)
    }
}

/// `a === b`: same type and value; lists and objects are never equal to anything but themselves,
/// and two separately built lists are not the same list.
pub fn strict_equal(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(Value::Null), Some(Value::Null)) => true,
        (Some(Value::Bool(x)), Some(Value::Bool(y))) => x == y,
        (Some(Value::String(x)), Some(Value::String(y))) => x == y,
        (Some(x @ Value::Number(_)), Some(y @ Value::Number(_))) => number(Some(x)) == number(Some(y)),
        _ => false,
    }
}

/// JavaScript's `a < b` family: text against text compares text, anything else compares numbers
/// (`None` when either is NaN, so every comparison is false).
pub fn compare(a: Option<&Value>, b: Option<&Value>) -> Option<Ordering> {
    let primitive = |v: Option<&Value>| match v {
        Some(Value::Array(_)) | Some(Value::Object(_)) => Some(Value::String(text(v))),
        other => other.cloned(),
    };
    match (primitive(a), primitive(b)) {
        (Some(Value::String(x)), Some(Value::String(y))) => {
            // JavaScript compares UTF-16 code units
            Some(x.encode_utf16().cmp(y.encode_utf16()))
        }
        (x, y) => number(x.as_ref()).partial_cmp(&number(y.as_ref())),
    }
}

/// Handlebars.js `escapeExpression`.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            '`' => out.push_str("&#x60;"),
            '=' => out.push_str("&#x3D;"),
            c => out.push(c),
        }
    }
    out
}

/// Undoes the escapes that change nothing a reader sees in HTML text (`&`, quotes, backtick, `=`), so an
/// escaped and an unescaped rendering of `O'Brien & Sons` compare equal while `<b>` still differs.
pub fn reader_view(html: &str) -> String {
    html.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&#x60;", "`")
        .replace("&#x3D;", "=")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_print_like_javascript() {
        assert_eq!(text(Some(&json!(["red", "blue"]))), "red,blue");
        assert_eq!(text(Some(&json!(10.0))), "10");
        assert_eq!(text(Some(&json!(2.5))), "2.5");
        assert_eq!(text(Some(&json!(1e21))), "1e+21");
        assert_eq!(text(Some(&json!({"a": 1}))), "[object Object]");
        assert_eq!(text(None), "");
        assert_eq!(text(Some(&json!([null, "x"]))), ",x");
    }

    #[test]
    fn truthiness_follows_handlebars() {
        for falsy in [json!(0), json!(""), json!([]), json!(false), json!(null)] {
            assert!(!truthy(Some(&falsy), false), "{falsy}");
        }
        assert!(truthy(Some(&json!(0)), true), "includeZero");
        for t in [json!("0"), json!({}), json!([""]), json!(-1)] {
            assert!(truthy(Some(&t), false), "{t}");
        }
        assert!(!truthy(None, false));
    }

    #[test]
    fn comparisons_follow_javascript() {
        assert_eq!(compare(Some(&json!("9")), Some(&json!("17"))), Some(Ordering::Greater), "text against text");
        assert_eq!(compare(Some(&json!(9)), Some(&json!("17"))), Some(Ordering::Less), "mixed compares numbers");
        assert_eq!(compare(Some(&json!(["9"])), Some(&json!(17))), Some(Ordering::Less));
        assert_eq!(compare(Some(&json!("x")), Some(&json!(1))), None, "NaN");
        assert!(!strict_equal(Some(&json!(["red"])), Some(&json!("red"))));
        assert!(strict_equal(Some(&json!(1.0)), Some(&json!(1))));
        assert!(!strict_equal(Some(&json!("1")), Some(&json!(1))));
        assert_eq!(number(Some(&json!(" 12 "))), 12.0);
        assert!(number(Some(&json!("inf"))).is_nan());
        assert_eq!(number(Some(&json!(""))), 0.0);
    }

    #[test]
    fn escaping_and_the_readers_view() {
        assert_eq!(escape_html("O'Brien & <Sons>"), "O&#x27;Brien &amp; &lt;Sons&gt;");
        assert_eq!(reader_view(&escape_html("O'Brien & Sons")), "O'Brien & Sons");
        assert_ne!(reader_view(&escape_html("<b>")), "<b>");
    }
}
