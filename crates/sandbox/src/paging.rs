//! Paging shared by every service: an opaque token that encodes the offset of the next page.

use serde_json::{Map, Value};

thread_local! {
    /// The fault profile's `short_pages` for the request this thread is handling (0: pages as asked).
    static SHORT_PAGES: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// Runs one (synchronous) handler with every page it answers capped at `cap` items (0: no cap).
pub fn with_short_pages<T>(cap: usize, handler: impl FnOnce() -> T) -> T {
    SHORT_PAGES.set(cap);
    let out = handler();
    SHORT_PAGES.set(0);
    out
}

/// One page: up to `size` of `items` from where `token` points, under `list`, with `NextToken` when more
/// remain. `None` means the token is not one this sandbox issued (for the caller to answer as its service
/// does).
pub fn page(items: Vec<Value>, size: usize, token: Option<&str>, list: &str) -> Option<Value> {
    let size = match SHORT_PAGES.get() {
        0 => size,
        cap => size.min(cap),
    };
    let start = match token {
        None | Some("") => 0,
        Some(token) => {
            token.strip_prefix("pg-").and_then(|n| usize::from_str_radix(n, 16).ok()).filter(|n| *n <= items.len())?
        }
    };
    let end = (start + size.max(1)).min(items.len());
    let mut out = Map::new();
    out.insert(list.to_owned(), Value::Array(items[start..end].to_vec()));
    if end < items.len() {
        out.insert("NextToken".to_owned(), Value::String(format!("pg-{end:x}")));
    }
    Some(Value::Object(out))
}

#[cfg(test)]
mod tests {
    use super::page;
    use serde_json::json;

    #[test]
    fn pages_walk_every_item_once() {
        let items: Vec<_> = (0..7).map(|i| json!(i)).collect();
        let mut seen = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let out = page(items.clone(), 3, token.as_deref(), "Item").expect("page");
            seen.extend(out["Item"].as_array().expect("list").iter().cloned());
            match out["NextToken"].as_str() {
                Some(next) => token = Some(next.to_owned()),
                None => break,
            }
        }
        assert_eq!(seen, items);
        assert!(page(items, 3, Some("forged"), "Item").is_none());
    }
}
