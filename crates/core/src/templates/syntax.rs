//! Where things are in a template's source text. The `handlebars` crate parses a template into elements
//! but keeps no byte spans; converters must rewrite paths inside mustaches and leave everything else
//! byte-for-byte alone. So this module scans the source for the *boundaries* of mustaches only (it never
//! interprets them), and [`align`] pairs those boundaries with the crate's elements in source order. A
//! template the crate rejects never gets here.
//!
//! It also reads the raw text of a path the crate accepted (`../User.UserAttributes.[Last Name].[0]`)
//! into its parts, since the crate keeps path segments in a private form.

use handlebars::template::{HelperTemplate, Template, TemplateElement};

use super::Position;

/// One segment of a path: `FirstName`, or `[Last Name]` / `[0]` when written in brackets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub name: String,
    pub bracketed: bool,
}

/// A path as written in a template.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PathExpr {
    /// `@root.` — resolved from the root context.
    pub root: bool,
    /// How many `../` lead the path.
    pub up: usize,
    /// `@name`: a data variable (`@index`, `@key`, `@first`, `@last`) rather than a context value.
    pub data: bool,
    /// Written with `this.` / `./` (or is `this` alone): never a helper.
    pub explicit_this: bool,
    pub segments: Vec<Segment>,
}

impl PathExpr {
    /// Reads the raw text of a path the Handlebars grammar accepted.
    pub fn parse(raw: &str) -> PathExpr {
        let mut out = PathExpr::default();
        let mut rest = raw;
        if let Some(r) = rest.strip_prefix("this.").or_else(|| rest.strip_prefix("this/")) {
            out.explicit_this = true;
            rest = r;
        } else if let Some(r) = rest.strip_prefix("./") {
            out.explicit_this = true;
            rest = r;
        } else if rest == "this" {
            out.explicit_this = true;
            return out;
        }
        if let Some(r) = rest.strip_prefix("@root.").or_else(|| rest.strip_prefix("@root/")) {
            out.root = true;
            rest = r;
        } else if rest == "@root" {
            out.root = true;
            return out;
        }
        if let Some(r) = rest.strip_prefix('@') {
            out.data = true;
            rest = r;
        }
        loop {
            if let Some(r) = rest.strip_prefix("../") {
                out.up += 1;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("..").filter(|r| r.starts_with('/') || r.starts_with('.')) {
                out.up += 1;
                rest = &r[1..];
            } else {
                break;
            }
        }
        let chars: Vec<char> = rest.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            if chars[i] == '[' {
                let start = i + 1;
                let mut end = start;
                while end < chars.len() && chars[end] != ']' {
                    end += 1;
                }
                out.segments.push(Segment { name: chars[start..end].iter().collect(), bracketed: true });
                i = end + 1;
            } else {
                let start = i;
                while i < chars.len() && chars[i] != '.' && chars[i] != '/' {
                    i += 1;
                }
                let name: String = chars[start..i].iter().collect();
                if name != "this" {
                    out.segments.push(Segment { name, bracketed: false });
                }
            }
            // one separator
            if i < chars.len() && (chars[i] == '.' || chars[i] == '/') {
                i += 1;
            }
        }
        out
    }

    /// The path without brackets or prefixes: `User.UserAttributes.Last Name.0`.
    pub fn dotted(&self) -> String {
        self.segments.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join(".")
    }

    /// Whether it refers to the root context (no `../`, `this` or data prefix) at block depth `depth`.
    pub fn is_rooted(&self, depth: usize) -> bool {
        !self.data && !self.explicit_this && (self.root || self.up == depth)
    }

    /// Writes it back, bracketing segments that need it.
    pub fn render(&self) -> String {
        let mut out = String::new();
        if self.explicit_this {
            out.push_str("this");
            if !self.segments.is_empty() {
                out.push('.');
            }
        }
        if self.root {
            out.push_str("@root");
            if !self.segments.is_empty() {
                out.push('.');
            }
        }
        if self.data {
            out.push('@');
        }
        for _ in 0..self.up {
            out.push_str("../");
        }
        out.push_str(&join_segments(&self.segments));
        out
    }
}

/// `a.b.[Last Name].[0]`: segments joined with dots, bracketed where the grammar needs it.
pub fn join_segments(segments: &[Segment]) -> String {
    segments
        .iter()
        .map(|s| if s.bracketed || needs_brackets(&s.name) { format!("[{}]", s.name) } else { s.name.clone() })
        .collect::<Vec<_>>()
        .join(".")
}

fn needs_brackets(name: &str) -> bool {
    name.is_empty()
        || name == "this"
        || name == "else"
        || name == "as"
        || name == "true"
        || name == "false"
        || name == "null"
        || !name.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '$' | ':'))
}

/// A mustache in the source: byte offsets of its first `{` and one past its last `}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tag {
    pub start: usize,
    pub end: usize,
}

impl Tag {
    pub fn text(self, source: &str) -> &str {
        &source[self.start..self.end]
    }
}

/// The boundaries of every mustache, in order. Raw blocks' contents and escaped `\{{` are text.
pub fn scan(source: &str) -> Vec<Tag> {
    let bytes = source.as_bytes();
    let mut tags = Vec::new();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if bytes[i] == b'\\' {
            let run = bytes[i..].iter().take_while(|b| **b == b'\\').count();
            if bytes[i + run..].starts_with(b"{{") {
                if run == 1 {
                    // `\{{` (or `\{{{{`) is literal text up to the next mustache
                    i += 1 + if bytes[i + 1..].starts_with(b"{{{{") { 4 } else { 2 };
                    continue;
                }
                i += run;
                continue;
            }
            i += run;
            continue;
        }
        if !bytes[i..].starts_with(b"{{") {
            i += 1;
            continue;
        }
        let start = i;
        if bytes[i..].starts_with(b"{{{{") {
            // raw block: `{{{{name}}}}text{{{{/name}}}}`
            let open_end = find(bytes, i + 4, b"}}}}").map_or(bytes.len(), |p| p + 4);
            tags.push(Tag { start, end: open_end });
            let close = find(bytes, open_end, b"{{{{/").unwrap_or(bytes.len());
            let close_end = find(bytes, close, b"}}}}").map_or(bytes.len(), |p| p + 4);
            if close < bytes.len() {
                tags.push(Tag { start: close, end: close_end });
            }
            i = close_end;
            continue;
        }
        let after = &bytes[i + 2..];
        let after = after.strip_prefix(b"~").unwrap_or(after);
        let end = if after.starts_with(b"!--") {
            find(bytes, i + 2, b"--}}").map_or(bytes.len(), |p| p + 4)
        } else if after.starts_with(b"!") {
            find(bytes, i + 2, b"}}").map_or(bytes.len(), |p| p + 2)
        } else {
            mustache_end(bytes, i + 2, after.starts_with(b"{"))
        };
        tags.push(Tag { start, end });
        i = end;
    }
    tags
}

fn find(bytes: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    bytes.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// The end of a mustache opened before `from` (with three braces when `triple`), skipping string
/// literals and bracketed segments.
fn mustache_end(bytes: &[u8], from: usize, triple: bool) -> usize {
    let mut i = from;
    while i < bytes.len() {
        match bytes[i] {
            q @ (b'"' | b'\'') => {
                i += 1;
                while i < bytes.len() && bytes[i] != q {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
            }
            b'[' => {
                while i < bytes.len() && bytes[i] != b']' {
                    i += 1;
                }
                i += 1;
            }
            b'}' if triple && bytes[i..].starts_with(b"}}}") => return i + 3,
            b'}' if triple && bytes[i..].starts_with(b"}~}}") => return i + 4,
            b'}' if !triple && bytes[i..].starts_with(b"}}") => return i + 2,
            _ => i += 1,
        }
    }
    bytes.len()
}

/// 1-based line and column (in characters) of a byte offset, counted like the parser counts them.
pub fn position(source: &str, offset: usize) -> Position {
    let before = &source[..offset.min(source.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Position { line: line as u32, column: column as u32 }
}

/// What the walk in [`align`] reports for each element, with the tags that spell it.
#[derive(Debug)]
pub enum Aligned<'t> {
    /// `{{x}}`, `{{{x}}}`, `{{helper a b}}`.
    Expression { helper: &'t HelperTemplate, tag: Tag, escaped: bool },
    /// A block helper's opening tag (`{{#if x}}`) or an else-chain link (`{{else if y}}`).
    BlockOpen { helper: &'t HelperTemplate, tag: Tag, chained: bool },
    /// `{{else}}` of the innermost open block.
    Else { tag: Tag },
    /// `{{/if}}` closing the innermost open block.
    BlockClose { tag: Tag },
    /// Comments, partials, decorators: tags converters copy as they are.
    Other { tag: Tag },
}

/// Walks the crate's elements in source order, pairing each with the tags of `scan(source)`. Fails if
/// the two disagree (a grammar corner this scanner does not know), so a converter never edits the wrong
/// bytes.
pub fn align<'t>(template: &'t Template, source: &str) -> Result<Vec<Aligned<'t>>, String> {
    let tags = scan(source);
    let mut walk = Walk { tags: &tags, next: 0, source, out: Vec::new() };
    walk.template(template)?;
    if walk.next != tags.len() {
        return Err(format!("{} mustache(s) left unpaired after the last element", tags.len() - walk.next));
    }
    Ok(walk.out)
}

struct Walk<'a, 't> {
    tags: &'a [Tag],
    next: usize,
    source: &'a str,
    out: Vec<Aligned<'t>>,
}

impl<'t> Walk<'_, 't> {
    fn take(&mut self) -> Result<Tag, String> {
        let tag = self.tags.get(self.next).copied().ok_or("ran out of mustaches")?;
        self.next += 1;
        Ok(tag)
    }

    fn peek_text(&self) -> &str {
        self.tags.get(self.next).map_or("", |t| t.text(self.source))
    }

    fn template(&mut self, template: &'t Template) -> Result<(), String> {
        for element in &template.elements {
            match element {
                TemplateElement::RawString(_) => {}
                TemplateElement::Expression(h) => {
                    let tag = self.take()?;
                    self.out.push(Aligned::Expression { helper: h, tag, escaped: true });
                }
                TemplateElement::HtmlExpression(h) => {
                    let tag = self.take()?;
                    self.out.push(Aligned::Expression { helper: h, tag, escaped: false });
                }
                TemplateElement::HelperBlock(h) => {
                    let tag = self.take()?;
                    self.out.push(Aligned::BlockOpen { helper: h, tag, chained: false });
                    self.block_body(h)?;
                    let tag = self.take()?;
                    self.out.push(Aligned::BlockClose { tag });
                }
                TemplateElement::DecoratorBlock(d) | TemplateElement::PartialBlock(d) => {
                    let tag = self.take()?;
                    self.out.push(Aligned::Other { tag });
                    if let Some(inner) = &d.template {
                        self.template(inner)?;
                    }
                    let tag = self.take()?;
                    self.out.push(Aligned::Other { tag });
                }
                TemplateElement::Comment(_)
                | TemplateElement::PartialExpression(_)
                | TemplateElement::DecoratorExpression(_) => {
                    let tag = self.take()?;
                    self.out.push(Aligned::Other { tag });
                }
                _ => return Err("a template construct this scanner does not know".into()),
            }
        }
        Ok(())
    }

    /// The body of a block: its template, then its inverse (plain `{{else}}` or an else-chain).
    fn block_body(&mut self, h: &'t HelperTemplate) -> Result<(), String> {
        if let Some(t) = &h.template {
            self.template(t)?;
        }
        let Some(inverse) = &h.inverse else { return Ok(()) };
        let text = self.peek_text();
        if !is_else(text) {
            return Err(format!("expected {{{{else}}}} before the inverse section, found {text:?}"));
        }
        if else_has_params(text) {
            // `{{else if y}}`: the inverse holds the chained helper, opened by this tag
            let Some(TemplateElement::HelperBlock(link)) = inverse.elements.first() else {
                return Err("an else-chain without its helper".into());
            };
            let tag = self.take()?;
            self.out.push(Aligned::BlockOpen { helper: link, tag, chained: true });
            self.block_body(link)
        } else {
            let tag = self.take()?;
            self.out.push(Aligned::Else { tag });
            self.template(inverse)
        }
    }
}

fn inner(text: &str) -> &str {
    let t = text.trim_start_matches('{').trim_start_matches('~').trim_start();
    t.trim_end_matches('}').trim_end_matches('~').trim_end()
}

fn is_else(text: &str) -> bool {
    let t = inner(text);
    t == "else" || t == "^" || t.starts_with("else ") || t.starts_with("^") || t.starts_with("else\n")
}

fn else_has_params(text: &str) -> bool {
    let t = inner(text);
    let rest = t.strip_prefix("else").or_else(|| t.strip_prefix('^')).unwrap_or("");
    !rest.trim().is_empty()
}

/// The delimiters of a tag: (`{{`, `{{~#`, `{{{` …, `}}`, `~}}` …) around its body.
pub fn delimiters(text: &str) -> (&str, &str, &str) {
    let open_len = {
        let mut n = text.bytes().take_while(|b| *b == b'{').count();
        let rest = &text[n..];
        if rest.starts_with('~') {
            n += 1;
        }
        let rest = &text[n..];
        for p in ["#>", "#*", "#", "/", "^", ">", "&", "*"] {
            if rest.starts_with(p) {
                n += p.len();
                break;
            }
        }
        n
    };
    let close_len = {
        let mut n = text.bytes().rev().take_while(|b| *b == b'}').count();
        if text[..text.len() - n].ends_with('~') {
            n += 1;
        }
        n
    };
    let close_len = close_len.min(text.len() - open_len);
    (&text[..open_len], &text[open_len..text.len() - close_len], &text[text.len() - close_len..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_read_as_written() {
        let p = PathExpr::parse("User.UserAttributes.[Last Name].[0]");
        assert_eq!(p.dotted(), "User.UserAttributes.Last Name.0");
        assert_eq!(p.render(), "User.UserAttributes.[Last Name].[0]");
        let p = PathExpr::parse("../../Attributes.tier");
        assert_eq!((p.up, p.dotted().as_str()), (2, "Attributes.tier"));
        assert!(PathExpr::parse("@root.User.UserId").root);
        let p = PathExpr::parse("@index");
        assert!(p.data && p.dotted() == "index");
        let p = PathExpr::parse("this");
        assert!(p.explicit_this && p.segments.is_empty());
        assert_eq!(PathExpr::parse("this.name").render(), "this.name");
        assert_eq!(PathExpr::parse("a/b").dotted(), "a.b");
    }

    #[test]
    fn tags_skip_strings_escapes_and_raw_blocks() {
        let src = r#"a \{{not}} {{x}} {{{y}}} {{eq a "}}" b}} {{!-- c }} --}} {{{{raw}}}}{{z}}{{{{/raw}}}} {{~#if q~}}} {{~{w}~}}"#;
        let texts: Vec<&str> = scan(src).into_iter().map(|t| t.text(src)).collect();
        assert_eq!(
            texts,
            [
                "{{x}}",
                "{{{y}}}",
                r#"{{eq a "}}" b}}"#,
                "{{!-- c }} --}}",
                "{{{{raw}}}}",
                "{{{{/raw}}}}",
                "{{~#if q~}}",
                "{{~{w}~}}"
            ]
        );
    }

    #[test]
    fn positions_count_characters_like_the_parser() {
        let src = "é\n  {{x}}";
        let tag = scan(src)[0];
        assert_eq!(position(src, tag.start), Position { line: 2, column: 3 });
    }

    #[test]
    fn elements_align_with_their_tags_including_else_chains() {
        let src = "{{#if a}}A{{else if b}}{{#each c}}{{this}}{{/each}}{{else}}{{> p}}{{/if}}{{! note }}{{d}}";
        let t = Template::compile(src).expect("parses");
        let kinds: Vec<String> = align(&t, src)
            .expect("aligns")
            .iter()
            .map(|a| match a {
                Aligned::Expression { tag, .. } => format!("E{}", tag.text(src)),
                Aligned::BlockOpen { tag, chained, .. } => {
                    format!("O{}{}", if *chained { "+" } else { "" }, tag.text(src))
                }
                Aligned::Else { tag } => format!("L{}", tag.text(src)),
                Aligned::BlockClose { tag } => format!("C{}", tag.text(src)),
                Aligned::Other { tag } => format!("X{}", tag.text(src)),
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "O{{#if a}}",
                "O+{{else if b}}",
                "O{{#each c}}",
                "E{{this}}",
                "C{{/each}}",
                "L{{else}}",
                "X{{> p}}",
                "C{{/if}}",
                "X{{! note }}",
                "E{{d}}"
            ]
        );
    }

    #[test]
    fn delimiters_keep_whitespace_control() {
        assert_eq!(delimiters("{{~#if x ~}}"), ("{{~#", "if x ", "~}}"));
        assert_eq!(delimiters("{{{y}}}"), ("{{{", "y", "}}}"));
        assert_eq!(delimiters("{{x}}"), ("{{", "x", "}}"));
    }
}
