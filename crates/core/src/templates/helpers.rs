//! Pinpoint's template helpers, as its user guide page "Using message template helpers" describes them
//! (usage, parameters and examples), for the renderer. Where the page is silent the behaviour follows
//! Handlebars.java's `StringHelpers`/`ConditionalHelpers`, the library those helpers come from (same names,
//! same hash parameters; e.g. `abbreviate` keeps `width - 3` characters and adds `...`). Connect documents
//! the same helpers (without `with`), so both engines share these implementations; SES has none of them.
//!
//! A helper that Java would throw on (`substring` past the end, `abbreviate` narrower than 4) is an error:
//! the message cannot be rendered.

use std::collections::BTreeMap;

use base64::Engine as _;
use md5::Digest as _;
use serde_json::Value;

use super::value::{compare, number, number_text, number_value, strict_equal, text, truthy};

/// A helper call with its arguments evaluated (`None` is undefined).
#[derive(Debug)]
pub struct Call<'a> {
    pub name: &'a str,
    pub params: Vec<Option<Value>>,
    pub hash: BTreeMap<String, Option<Value>>,
}

impl Call<'_> {
    fn param(&self, i: usize) -> Option<&Value> {
        self.params.get(i).and_then(Option::as_ref)
    }

    fn hash_text(&self, key: &str) -> Option<String> {
        self.hash.get(key).map(|v| text(v.as_ref()))
    }

    fn hash_value(&self, key: &str) -> Option<&Value> {
        self.hash.get(key).and_then(Option::as_ref)
    }

    fn int(&self, i: usize, what: &str) -> Result<i64, String> {
        let n = number(self.param(i));
        if n.is_nan() {
            return Err(format!("{}: {what} must be a number", self.name));
        }
        Ok(n as i64)
    }
}

/// What rendering needs from outside: the clock (`now`) and a seed for `uuid`, fixed so two renderings of
/// the same message compare equal.
#[derive(Debug, Clone)]
pub struct Env {
    pub now: jiff::Timestamp,
    pub seed: u64,
    pub counter: u64,
}

impl Env {
    pub fn new(now: jiff::Timestamp, seed: u64) -> Env {
        Env { now, seed, counter: 0 }
    }

    fn next_random(&mut self) -> [u8; 16] {
        // SplitMix64: deterministic per (seed, call number)
        let mut out = [0u8; 16];
        for chunk in out.chunks_mut(8) {
            self.counter += 1;
            let mut z = self.seed.wrapping_add(self.counter.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^= z >> 31;
            chunk.copy_from_slice(&z.to_le_bytes());
        }
        out
    }
}

/// The conditional helpers (`eq`, `and`, …) as booleans, for both their inline and block forms.
pub fn condition(call: &Call) -> Option<Result<bool, String>> {
    let a = call.param(0);
    let b = call.param(1);
    let two = || {
        if call.params.len() < 2 { Err(format!("{} compares two values", call.name)) } else { Ok(()) }
    };
    let result = match call.name {
        "eq" => two().map(|_| strict_equal(a, b)),
        "neq" => two().map(|_| !strict_equal(a, b)),
        "gt" => two().map(|_| compare(a, b).is_some_and(|o| o.is_gt())),
        "gte" => two().map(|_| compare(a, b).is_some_and(|o| o.is_ge())),
        "lt" => two().map(|_| compare(a, b).is_some_and(|o| o.is_lt())),
        "lte" => two().map(|_| compare(a, b).is_some_and(|o| o.is_le())),
        "and" => two().map(|_| call.params.iter().all(|p| truthy(p.as_ref(), false))),
        "or" => two().map(|_| call.params.iter().any(|p| truthy(p.as_ref(), false))),
        "not" => Ok(!truthy(a, false)),
        _ => return None,
    };
    Some(result)
}

/// Calls a non-block helper. `None` when `name` is not a Pinpoint helper.
pub fn call(call: &Call, env: &mut Env) -> Option<Result<Option<Value>, String>> {
    if let Some(result) = condition(call) {
        return Some(result.map(|b| {
            let key = if b { "yes" } else { "no" };
            Some(call.hash_value(key).cloned().unwrap_or(Value::Bool(b)))
        }));
    }
    let s = |v: Option<&Value>| text(v);
    let value = call.param(0);
    let out: Result<Value, String> = match call.name {
        "abbreviate" => (|| {
            let width = call.int(1, "the width")?;
            let v: Vec<char> = s(value).chars().collect();
            if width < 4 {
                return Err("abbreviate: the minimum width is 4".into());
            }
            let width = width as usize;
            Ok(Value::String(if v.len() <= width {
                v.into_iter().collect()
            } else {
                v[..width - 3].iter().collect::<String>() + "..."
            }))
        })(),
        "capitalize" => {
            let fully = call.hash_value("fully").is_some_and(|v| truthy(Some(v), false));
            Ok(Value::String(capitalize_words(&s(value), fully)))
        }
        "capitalizeFirst" => {
            let v = s(value);
            let mut c = v.chars();
            Ok(Value::String(match c.next() {
                Some(f) => f.to_uppercase().chain(c).collect(),
                None => String::new(),
            }))
        }
        "center" | "ljust" | "rjust" => (|| {
            let size = match call.hash_value("size") {
                Some(v) => number(Some(v)),
                None => number(call.param(1)),
            };
            if size.is_nan() {
                return Err(format!("{}: the size must be a number", call.name));
            }
            let pad = call.hash_text("pad").filter(|p| !p.is_empty()).unwrap_or_else(|| " ".into());
            Ok(Value::String(justify(call.name, &s(value), size.max(0.0) as usize, &pad)))
        })(),
        "cut" => {
            let what = call.param(1).map_or_else(|| " ".to_owned(), |v| s(Some(v)));
            Ok(Value::String(if what.is_empty() { s(value) } else { s(value).replace(&what, "") }))
        }
        "dateFormat" => date_format(call, env),
        "now" => now(call, env),
        "inflect" => {
            let count = number(value);
            let singular = s(call.param(1));
            let plural = s(call.param(2));
            let word = if count == 1.0 { singular } else { plural };
            let include = call.hash_value("includeCount").is_some_and(|v| truthy(Some(v), false));
            Ok(Value::String(if include { format!("{} {word}", number_text(count)) } else { word }))
        }
        "join" => {
            let sep = s(call.param(1));
            let items: Vec<String> = match value {
                Some(Value::Array(a)) => a.iter().map(|v| s(Some(v))).collect(),
                None | Some(Value::Null) => Vec::new(),
                Some(v) => vec![s(Some(v))],
            };
            let prefix = call.hash_text("prefix").unwrap_or_default();
            let suffix = call.hash_text("suffix").unwrap_or_default();
            Ok(Value::String(if items.is_empty() {
                String::new()
            } else {
                format!("{prefix}{}{suffix}", items.join(&sep))
            }))
        }
        "lower" => Ok(Value::String(s(value).to_lowercase())),
        "upper" => Ok(Value::String(s(value).to_uppercase())),
        "ordinalize" => {
            let n = number(value);
            if n.is_nan() {
                Err("ordinalize: only numbers can be ordinalized".into())
            } else {
                Ok(Value::String(ordinalize(n as i64)))
            }
        }
        "replace" => {
            let target = s(call.param(1));
            let with = s(call.param(2));
            Ok(Value::String(if target.is_empty() { s(value) } else { s(value).replace(&target, &with) }))
        }
        "slugify" => Ok(Value::String(slugify(&s(value)))),
        "stripTags" => Ok(Value::String(strip_tags(&s(value)))),
        "substring" => (|| {
            let v: Vec<char> = s(value).chars().collect();
            let start = call.int(1, "the start offset")?;
            let end = if call.params.len() > 2 { call.int(2, "the end offset")? } else { v.len() as i64 };
            if start < 0 || end < start || end as usize > v.len() {
                return Err(format!("substring: offsets {start}..{end} are outside a value of {} characters", v.len()));
            }
            Ok(Value::String(v[start as usize..end as usize].iter().collect()))
        })(),
        "yesno" => {
            let word = match value.map(|v| s(Some(v)).to_ascii_lowercase()) {
                None => call.hash_text("maybe").unwrap_or_else(|| "maybe".into()),
                Some(v) if value == Some(&Value::Null) || v.is_empty() => {
                    call.hash_text("maybe").unwrap_or_else(|| "maybe".into())
                }
                Some(v) if v == "true" => call.hash_text("yes").unwrap_or_else(|| "yes".into()),
                Some(v) if v == "false" => call.hash_text("no").unwrap_or_else(|| "no".into()),
                Some(v) => return Some(Err(format!("yesno: expected true or false, found {v:?}"))),
            };
            Ok(Value::String(word))
        }
        "add" | "subtract" | "multiply" | "divide" | "modulo" => {
            let (x, y) = (number(value), number(call.param(1)));
            let r = match call.name {
                "add" => x + y,
                "subtract" => x - y,
                "multiply" => x * y,
                "divide" => x / y,
                _ => x % y,
            };
            Ok(number_value(r))
        }
        "ceiling" => Ok(number_value(number(value).ceil())),
        "floor" => Ok(number_value(number(value).floor())),
        // Math.round: halves round up
        "round" => Ok(number_value((number(value) + 0.5).floor())),
        "encode64" => Ok(Value::String(base64::engine::general_purpose::STANDARD.encode(s(value)))),
        "decode64" => base64::engine::general_purpose::STANDARD
            .decode(s(value).trim())
            .map_err(|e| format!("decode64: not Base64 ({e})"))
            .and_then(|b| String::from_utf8(b).map_err(|_| "decode64: the decoded bytes are not text".into()))
            .map(Value::String),
        "md5" => Ok(Value::String(hex(&md5::Md5::digest(s(value).as_bytes())))),
        "sha256" => Ok(Value::String(hex(&sha2::Sha256::digest(s(value).as_bytes())))),
        "sha512" => Ok(Value::String(hex(&sha2::Sha512::digest(s(value).as_bytes())))),
        "uuid" => Ok(Value::String(uuid::Builder::from_random_bytes(env.next_random()).into_uuid().to_string())),
        _ => return None,
    };
    Some(out.map(Some))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn capitalize_words(v: &str, fully: bool) -> String {
    let mut out = String::with_capacity(v.len());
    let mut start = true;
    for c in v.chars() {
        if c.is_whitespace() {
            start = true;
            out.push(c);
        } else if start {
            out.extend(c.to_uppercase());
            start = false;
        } else if fully {
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

fn justify(how: &str, v: &str, size: usize, pad: &str) -> String {
    let len = v.chars().count();
    if len >= size {
        return v.to_owned();
    }
    let fill = |n: usize| pad.chars().cycle().take(n).collect::<String>();
    match how {
        "ljust" => format!("{v}{}", fill(size - len)),
        "rjust" => format!("{}{v}", fill(size - len)),
        _ => {
            // StringUtils.center: the extra character goes to the right
            let left = (size - len) / 2;
            format!("{}{v}{}", fill(left), fill(size - len - left))
        }
    }
}

fn ordinalize(n: i64) -> String {
    let suffix = match (n.rem_euclid(100), n.rem_euclid(10)) {
        (11..=13, _) => "th",
        (_, 1) => "st",
        (_, 2) => "nd",
        (_, 3) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

fn slugify(v: &str) -> String {
    let mut out = String::new();
    let mut pending_dash = false;
    for c in v.trim().chars() {
        if c.is_whitespace() || c == '-' {
            pending_dash = !out.is_empty();
        } else if c.is_alphanumeric() || c == '_' {
            if pending_dash {
                out.push('-');
                pending_dash = false;
            }
            out.extend(c.to_lowercase());
        }
    }
    out
}

fn strip_tags(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '<' && v.contains('>') {
            // `<[^>]*>`: drop up to the next `>` when there is one
            let rest: String = chars.clone().collect();
            if let Some(end) = rest.find('>') {
                let skip = rest[..=end].chars().count();
                for _ in 0..skip {
                    chars.next();
                }
                continue;
            }
        }
        out.push(c);
    }
    out
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const DAYS: [&str; 7] = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

fn style_pattern(name: &str) -> Option<&'static str> {
    Some(match name {
        "full" => "EEEE, MMMM d, yyyy",
        "long" => "MMMM d, yyyy",
        "medium" => "MMM d, yyyy",
        "short" => "M/d/yy",
        _ => return None,
    })
}

fn zone(call: &Call) -> Result<jiff::tz::TimeZone, String> {
    match call.hash_text("tz") {
        None => Ok(jiff::tz::TimeZone::UTC),
        Some(id) => jiff::tz::TimeZone::get(&id).map_err(|_| format!("{}: unknown time zone {id:?}", call.name)),
    }
}

fn date_format(call: &Call, _env: &mut Env) -> Result<Value, String> {
    let raw = text(call.param(0));
    if raw.is_empty() {
        return Ok(Value::String(String::new()));
    }
    let input = call.hash_text("inputFormat");
    let output = call.hash_text("outputFormat").or_else(|| call.param(1).map(|v| text(Some(v))));
    let output = output.unwrap_or_else(|| "medium".into());
    let tz = zone(call)?;
    let when: jiff::civil::DateTime = match &input {
        Some(pattern) => parse_java(&raw, pattern)?,
        None => {
            if let Ok(ts) = raw.parse::<jiff::Timestamp>() {
                ts.to_zoned(tz.clone()).datetime()
            } else if let Ok(dt) = raw.parse::<jiff::civil::DateTime>() {
                dt
            } else if let Ok(d) = raw.parse::<jiff::civil::Date>() {
                d.to_datetime(jiff::civil::Time::midnight())
            } else {
                return Err(format!("dateFormat: {raw:?} is not a date (give inputFormat)"));
            }
        }
    };
    Ok(Value::String(format_java(when, style_pattern(&output).unwrap_or(&output))))
}

fn now(call: &Call, env: &mut Env) -> Result<Value, String> {
    let tz = zone(call)?;
    let format = call.param(0).map_or_else(|| "medium".to_owned(), |v| text(Some(v)));
    let when = env.now.to_zoned(tz).datetime();
    Ok(Value::String(format_java(when, style_pattern(&format).unwrap_or(&format))))
}

/// Splits a Java `SimpleDateFormat` pattern into runs of one letter and literal text.
fn java_tokens(pattern: &str) -> Vec<(char, usize, String)> {
    let mut out: Vec<(char, usize, String)> = Vec::new();
    let mut chars = pattern.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\'' {
            let mut lit = String::new();
            for d in chars.by_ref() {
                if d == '\'' {
                    break;
                }
                lit.push(d);
            }
            out.push(('\'', 0, if lit.is_empty() { "'".into() } else { lit }));
        } else if c.is_ascii_alphabetic() {
            let mut n = 1;
            while chars.peek() == Some(&c) {
                chars.next();
                n += 1;
            }
            out.push((c, n, String::new()));
        } else {
            out.push(('\'', 0, c.to_string()));
        }
    }
    out
}

fn format_java(dt: jiff::civil::DateTime, pattern: &str) -> String {
    let mut out = String::new();
    for (letter, n, lit) in java_tokens(pattern) {
        let pad = |v: i64| format!("{v:0n$}");
        match letter {
            '\'' => out.push_str(&lit),
            'y' if n == 2 => out.push_str(&format!("{:02}", dt.year().rem_euclid(100))),
            'y' => out.push_str(&pad(i64::from(dt.year()))),
            'M' if n >= 4 => out.push_str(MONTHS[dt.month() as usize - 1]),
            'M' if n == 3 => out.push_str(&MONTHS[dt.month() as usize - 1][..3]),
            'M' => out.push_str(&pad(i64::from(dt.month()))),
            'd' => out.push_str(&pad(i64::from(dt.day()))),
            'E' => {
                let day = DAYS[dt.weekday().to_monday_zero_offset() as usize];
                out.push_str(if n >= 4 { day } else { &day[..3] });
            }
            'H' => out.push_str(&pad(i64::from(dt.hour()))),
            'h' => out.push_str(&pad(i64::from((dt.hour() + 11) % 12 + 1))),
            'm' => out.push_str(&pad(i64::from(dt.minute()))),
            's' => out.push_str(&pad(i64::from(dt.second()))),
            'S' => out.push_str(&pad(i64::from(dt.millisecond()))),
            'a' => out.push_str(if dt.hour() < 12 { "AM" } else { "PM" }),
            other => out.extend(std::iter::repeat_n(other, n)),
        }
    }
    out
}

fn parse_java(raw: &str, pattern: &str) -> Result<jiff::civil::DateTime, String> {
    let fail = || format!("dateFormat: {raw:?} does not match inputFormat {pattern:?}");
    let (mut year, mut month, mut day, mut hour, mut minute, mut second) = (1970i64, 1i64, 1i64, 0i64, 0i64, 0i64);
    let mut pm = None;
    let mut rest = raw;
    let tokens = java_tokens(pattern);
    for (i, (letter, n, lit)) in tokens.iter().enumerate() {
        if *letter == '\'' {
            rest = rest.strip_prefix(lit.as_str()).ok_or_else(fail)?;
            continue;
        }
        // a number run: fixed width when the next token is also a number, else as many digits as there are
        let next_is_number = tokens.get(i + 1).is_some_and(|t| t.0 != '\'' && t.0 != 'a' && t.0 != 'E');
        let take_number = |rest: &mut &str| -> Result<i64, String> {
            let digits: usize = rest.chars().take_while(char::is_ascii_digit).count();
            let len = if next_is_number { (*n).min(digits) } else { digits };
            if len == 0 {
                return Err(fail());
            }
            let v = rest[..len].parse().map_err(|_| fail())?;
            *rest = &rest[len..];
            Ok(v)
        };
        match letter {
            'y' => {
                year = take_number(&mut rest)?;
                if *n == 2 {
                    year += 2000;
                }
            }
            'M' if *n >= 3 => {
                let found =
                    MONTHS.iter().position(|m| rest.starts_with(m) || rest.starts_with(&m[..3])).ok_or_else(fail)?;
                let name = MONTHS[found];
                rest = &rest[if rest.starts_with(name) { name.len() } else { 3 }..];
                month = found as i64 + 1;
            }
            'M' => month = take_number(&mut rest)?,
            'd' => day = take_number(&mut rest)?,
            'H' | 'h' => hour = take_number(&mut rest)?,
            'm' => minute = take_number(&mut rest)?,
            's' => second = take_number(&mut rest)?,
            'a' => {
                pm = Some(rest.starts_with("PM") || rest.starts_with("pm"));
                rest = rest.get(2..).ok_or_else(fail)?;
            }
            'E' => {
                let len = rest.chars().take_while(char::is_ascii_alphabetic).count();
                rest = &rest[len..];
            }
            _ => return Err(format!("dateFormat: pattern letter {letter:?} is not supported")),
        }
    }
    if pm == Some(true) && hour < 12 {
        hour += 12;
    }
    let date = jiff::civil::Date::new(year as i16, month as i8, day as i8).map_err(|_| fail())?;
    let time = jiff::civil::Time::new(hour as i8, minute as i8, second as i8, 0).map_err(|_| fail())?;
    Ok(date.to_datetime(time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn run(name: &str, params: Vec<Value>, hash: &[(&str, Value)]) -> Result<String, String> {
        let mut env = Env::new("2020-09-19T17:00:00Z".parse().expect("time"), 7);
        let c = Call {
            name,
            params: params.into_iter().map(Some).collect(),
            hash: hash.iter().map(|(k, v)| ((*k).to_owned(), Some(v.clone()))).collect(),
        };
        call(&c, &mut env).expect("a Pinpoint helper").map(|v| text(v.as_ref()))
    }

    /// Every example on the user guide page, with the result the page gives — except where the page's own
    /// input and output disagree: its md5 and decode64 examples hash and decode "Hello world" while saying
    /// "Hello World", and its dateFormat example calls 19 September 2020 a Tuesday (it was a Saturday).
    #[test]
    fn the_user_guide_examples_render_as_documented() {
        assert_eq!(run("abbreviate", vec![json!("Alejandro"), json!(6)], &[]).as_deref(), Ok("Ale..."));
        assert_eq!(run("capitalize", vec![json!("my first post")], &[]).as_deref(), Ok("My First Post"));
        assert_eq!(run("capitalizeFirst", vec![json!("my first post")], &[]).as_deref(), Ok("My first post"));
        assert_eq!(run("cut", vec![json!("Los Angeles"), json!("e")], &[]).as_deref(), Ok("Los Angls"));
        assert_eq!(
            run(
                "dateFormat",
                vec![json!("09/19/2020")],
                &[
                    ("inputFormat", json!("MM/dd/yyyy")),
                    ("outputFormat", json!("full")),
                    ("tz", json!("America/Los_Angeles"))
                ]
            )
            .as_deref(),
            Ok("Saturday, September 19, 2020")
        );
        assert_eq!(
            run("inflect", vec![json!(3), json!("apple"), json!("apples")], &[("includeCount", json!(true))])
                .as_deref(),
            Ok("3 apples")
        );
        assert_eq!(
            run("join", vec![json!(["blue", "red", "green"]), json!(", ")], &[]).as_deref(),
            Ok("blue, red, green")
        );
        assert_eq!(run("ljust", vec![json!("Los Angeles"), json!(15)], &[]).as_deref(), Ok("Los Angeles    "));
        assert_eq!(run("rjust", vec![json!("Los Angeles"), json!(15)], &[]).as_deref(), Ok("    Los Angeles"));
        assert_eq!(
            run("center", vec![json!("Los Angeles")], &[("size", json!(19))]).as_deref(),
            Ok("    Los Angeles    ")
        );
        assert_eq!(run("lower", vec![json!("Santos")], &[]).as_deref(), Ok("santos"));
        assert_eq!(run("ordinalize", vec![json!("22")], &[]).as_deref(), Ok("22nd"));
        assert_eq!(
            run("replace", vec![json!("Los Angeles"), json!(" "), json!("_")], &[]).as_deref(),
            Ok("Los_Angeles")
        );
        assert_eq!(run("slugify", vec![json!("Los Angeles")], &[]).as_deref(), Ok("los-angeles"));
        assert_eq!(run("stripTags", vec![json!("<h1>Art</h1>")], &[]).as_deref(), Ok("Art"));
        assert_eq!(run("substring", vec![json!("Los Angeles"), json!(4), json!(9)], &[]).as_deref(), Ok("Angel"));
        assert_eq!(run("upper", vec![json!("Roe")], &[]).as_deref(), Ok("ROE"));
        assert_eq!(run("yesno", vec![json!("true")], &[]).as_deref(), Ok("yes"));
        assert_eq!(run("add", vec![json!(5), json!(2.3)], &[]).as_deref(), Ok("7.3"));
        assert_eq!(run("ceiling", vec![json!(5.23)], &[]).as_deref(), Ok("6"));
        assert_eq!(run("decode64", vec![json!("SGVsbG8gV29ybGQ=")], &[]).as_deref(), Ok("Hello World"));
        assert_eq!(run("encode64", vec![json!("Hello World")], &[]).as_deref(), Ok("SGVsbG8gV29ybGQ="));
        assert_eq!(run("floor", vec![json!(5.23)], &[]).as_deref(), Ok("5"));
        assert_eq!(run("md5", vec![json!("Hello World")], &[]).as_deref(), Ok("b10a8db164e0754105b7a99be72e3fe5"));
        assert_eq!(run("modulo", vec![json!(7), json!(2)], &[]).as_deref(), Ok("1"));
        assert_eq!(run("multiply", vec![json!(5), json!(2.3)], &[]).as_deref(), Ok("11.5"));
        assert_eq!(run("round", vec![json!(19.21)], &[]).as_deref(), Ok("19"));
        assert_eq!(
            run("sha256", vec![json!("Hello World")], &[]).as_deref(),
            Ok("a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e")
        );
        assert_eq!(
            run("sha512", vec![json!("Hello World")], &[]).as_deref(),
            Ok(
                "2c74fd17edafd80e8447b0d46741ee243b7eb74dd2149a0ab1b9246fb30382f27e853d8585719e0e67cbda0daa8f51671064615d645ae27acb15bfb1447f459b"
            )
        );
        assert_eq!(run("subtract", vec![json!(5), json!(2.3)], &[]).as_deref(), Ok("2.7"));
        assert_eq!(
            run("now", vec![json!("medium")], &[("tz", json!("America/Los_Angeles"))]).as_deref(),
            Ok("Sep 19, 2020")
        );
        assert_eq!(run("uuid", vec![], &[]).map(|u| u.len()), Ok(36));
        assert_eq!(
            run("eq", vec![json!("red"), json!("red")], &[("yes", json!("y")), ("no", json!("n"))]).as_deref(),
            Ok("y")
        );
        assert_eq!(run("gt", vec![json!("18"), json!("17")], &[]).as_deref(), Ok("true"));
        assert_eq!(run("not", vec![json!(false)], &[]).as_deref(), Ok("true"));
    }

    #[test]
    fn what_java_would_throw_on_cannot_render() {
        assert!(run("abbreviate", vec![json!("Alejandro"), json!(3)], &[]).is_err());
        assert!(run("substring", vec![json!("abc"), json!(2), json!(9)], &[]).is_err());
        assert!(run("yesno", vec![json!("perhaps")], &[]).is_err());
        assert!(run("dateFormat", vec![json!("next week")], &[]).is_err());
        assert!(run("eq", vec![json!("one")], &[]).is_err(), "eq needs two values");
    }

    #[test]
    fn unknown_names_are_not_helpers() {
        let mut env = Env::new(jiff::Timestamp::UNIX_EPOCH, 0);
        let c = Call { name: "formatCurrency", params: vec![], hash: BTreeMap::new() };
        assert!(call(&c, &mut env).is_none());
    }
}
