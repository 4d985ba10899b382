//! One endpoint read in a single pass with nothing allocated per field: its identity (`Id`, `ChannelType`,
//! `Address`, `EndpointStatus`, `OptOut`, `User.UserId`) borrowed from the line, its attributes, user
//! attributes, metrics, demographics and location handed to a callback as (source, name, text) — lists
//! joined by commas as Handlebars prints them, numbers as JavaScript prints them. Anything else of the
//! endpoint is skipped. A value of the wrong shape is an error naming it.

use std::borrow::Cow;
use std::fmt;

use serde::Deserializer;
use serde::de::{Deserialize, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};

/// Where a field's value came from (decides its place in a profile through the mapping).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    User,
    Endpoint,
    Metric,
    Demographic,
    Location,
}

impl Source {
    pub fn index(self) -> usize {
        match self {
            Source::User => 0,
            Source::Endpoint => 1,
            Source::Metric => 2,
            Source::Demographic => 3,
            Source::Location => 4,
        }
    }
}

/// What identifies an endpoint, borrowed from its line where it can be.
#[derive(Debug, Default)]
pub struct Parsed<'de> {
    pub id: Option<Cow<'de, str>>,
    pub channel: Option<Cow<'de, str>>,
    pub address: Option<Cow<'de, str>>,
    pub status: Option<Cow<'de, str>>,
    pub opt_out: Option<Cow<'de, str>>,
    pub user_id: Option<Cow<'de, str>>,
}

/// Text, borrowed when the JSON has no escapes.
struct Text<'de>(Option<Cow<'de, str>>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E>(self, v: &str) -> Result<Text<'de>, E> {
                Ok(Text(Some(Cow::Owned(v.to_owned()))))
            }
            fn visit_string<E>(self, v: String) -> Result<Text<'de>, E> {
                Ok(Text(Some(Cow::Owned(v))))
            }
            fn visit_unit<E>(self) -> Result<Text<'de>, E> {
                Ok(Text(None))
            }
            fn visit_none<E>(self) -> Result<Text<'de>, E> {
                Ok(Text(None))
            }
        }
        d.deserialize_any(V)
    }
}

/// Appends a scalar or a list of scalars to `out`, items joined by commas.
struct Join<'s>(&'s mut String);

impl Join<'_> {
    fn number(&mut self, n: f64) {
        self.0.push_str(&crate::templates::value::number_text(n));
    }
}

impl<'de> DeserializeSeed<'de> for Join<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Join<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("text, a number or a list of them")
    }
    fn visit_str<E>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }
    fn visit_f64<E>(mut self, v: f64) -> Result<(), E> {
        self.number(v);
        Ok(())
    }
    fn visit_i64<E>(mut self, v: i64) -> Result<(), E> {
        self.number(v as f64);
        Ok(())
    }
    fn visit_u64<E>(mut self, v: u64) -> Result<(), E> {
        self.number(v as f64);
        Ok(())
    }
    fn visit_bool<E>(self, v: bool) -> Result<(), E> {
        self.0.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let mut first = true;
        loop {
            if !first {
                // A separator only between items: it is taken back when no item follows.
                self.0.push(',');
            }
            let before = self.0.len();
            if seq.next_element_seed(Join(&mut *self.0))?.is_none() {
                if !first {
                    self.0.truncate(before - 1);
                }
                return Ok(());
            }
            first = false;
        }
    }
}

/// A map of name → value, each handed to `emit` as text.
struct Fields<'c> {
    source: Source,
    scratch: &'c mut String,
    emit: &'c mut dyn FnMut(Source, &str, &str),
}

impl<'de> DeserializeSeed<'de> for Fields<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Fields<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object of named values")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Text(name)) = map.next_key::<Text<'de>>()? {
            self.scratch.clear();
            map.next_value_seed(Join(&mut *self.scratch))?;
            if let Some(name) = name {
                (self.emit)(self.source, &name, self.scratch);
            }
        }
        Ok(())
    }
}

/// The endpoint's `User`: its id and its attributes.
struct User<'c, 'de> {
    out: &'c mut Parsed<'de>,
    scratch: &'c mut String,
    emit: &'c mut dyn FnMut(Source, &str, &str),
}

impl<'de> DeserializeSeed<'de> for User<'_, 'de> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for User<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a user (UserId, UserAttributes)")
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            match key.as_deref() {
                Some("UserId") => self.out.user_id = map.next_value::<Text<'de>>()?.0,
                Some("UserAttributes") => map.next_value_seed(Fields {
                    source: Source::User,
                    scratch: &mut *self.scratch,
                    emit: &mut *self.emit,
                })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// A whole endpoint.
struct Endpoint<'c, 'de> {
    out: &'c mut Parsed<'de>,
    scratch: &'c mut String,
    emit: &'c mut dyn FnMut(Source, &str, &str),
}

impl<'de> Visitor<'de> for Endpoint<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an endpoint (a JSON object)")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(Text(key)) = map.next_key::<Text<'de>>()? {
            let source = match key.as_deref() {
                Some("Attributes") => Some(Source::Endpoint),
                Some("Metrics") => Some(Source::Metric),
                Some("Demographic") => Some(Source::Demographic),
                Some("Location") => Some(Source::Location),
                _ => None,
            };
            if let Some(source) = source {
                map.next_value_seed(Fields { source, scratch: &mut *self.scratch, emit: &mut *self.emit })?;
                continue;
            }
            match key.as_deref() {
                Some("Id") => self.out.id = map.next_value::<Text<'de>>()?.0,
                Some("ChannelType") => self.out.channel = map.next_value::<Text<'de>>()?.0,
                Some("Address") => self.out.address = map.next_value::<Text<'de>>()?.0,
                Some("EndpointStatus") => self.out.status = map.next_value::<Text<'de>>()?.0,
                Some("OptOut") => self.out.opt_out = map.next_value::<Text<'de>>()?.0,
                Some("User") => map.next_value_seed(User {
                    out: &mut *self.out,
                    scratch: &mut *self.scratch,
                    emit: &mut *self.emit,
                })?,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// Reads one endpoint from `d`, handing each attribute, user attribute, metric, demographic and location
/// value to `emit`; `scratch` is reused between values.
pub fn parse<'de, D: Deserializer<'de>>(
    d: D,
    scratch: &mut String,
    emit: &mut dyn FnMut(Source, &str, &str),
) -> Result<Parsed<'de>, D::Error> {
    let mut out = Parsed::default();
    d.deserialize_map(Endpoint { out: &mut out, scratch, emit })?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_endpoint_is_read_in_one_pass() {
        let line = r#"{"Id":"e1","ChannelType":"EMAIL","Address":"a@b.example","Extra":{"x":[1,{"y":2}]},
            "Attributes":{"interests":["travel","music"],"empty":[]},"Metrics":{"visits":3.0,"spend":2.5},
            "User":{"UserId":"u\u0031","UserAttributes":{"FirstName":["Ann"]}},"Location":{"City":"Austin","Latitude":30.25}}"#;
        let mut seen = Vec::new();
        let mut scratch = String::new();
        let mut de = serde_json::Deserializer::from_str(line);
        let parsed = parse(&mut de, &mut scratch, &mut |s, n, v| seen.push((s, n.to_owned(), v.to_owned())))
            .expect("an endpoint");
        assert_eq!(parsed.id.as_deref(), Some("e1"));
        assert_eq!(parsed.user_id.as_deref(), Some("u1"), "an escaped id is read too");
        assert!(matches!(parsed.channel, Some(Cow::Borrowed("EMAIL"))), "borrowed from the line");
        let text = |name: &str| seen.iter().find(|(_, n, _)| n == name).map(|(_, _, v)| v.as_str());
        assert_eq!(text("interests"), Some("travel,music"));
        assert_eq!(text("empty"), Some(""));
        assert_eq!(text("visits"), Some("3"));
        assert_eq!(text("spend"), Some("2.5"));
        assert_eq!(text("FirstName"), Some("Ann"));
        assert_eq!(text("Latitude"), Some("30.25"));
        assert_eq!(seen.iter().find(|(_, n, _)| n == "FirstName").map(|s| s.0), Some(Source::User));

        let mut de = serde_json::Deserializer::from_str(r#"{"Id":"e1","Attributes":{"a":{"nested":1}}}"#);
        let error = parse(&mut de, &mut scratch, &mut |_, _, _| {}).expect_err("a map is no attribute value");
        assert!(error.to_string().contains("expected text, a number or a list of them"), "{error}");
    }
}
