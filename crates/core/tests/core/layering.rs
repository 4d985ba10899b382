//! Core's top-level modules import one another in one direction only, in the pipeline's order. The table
//! below is the order; a module that imports one on its own layer or above fails the test, naming the file
//! and the import, and so does a module missing from the table (give it a layer first).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Bottom to top. A module may import the modules of the layers below its own, never its own layer or above.
const LAYERS: &[(&str, &[&str])] = &[
    ("foundations", &["error", "clock", "app"]),
    ("the engagement file and secrets", &["secrets", "engagement"]),
    ("connections", &["connections"]),
    ("what a scan found, with its JSON paths", &["estate"]),
    (
        "how two scans differ; the engines' model (Handlebars as Pinpoint, SES and Connect read it); the kinds of \
         target resource",
        &["diff", "templates", "target"],
    ),
    ("the scan, with audience profiling", &["scan"]),
    (
        "the offline dump (a source the scan reads) and the rehearsal estate (a scan written back as one)",
        &["dump", "rehearsal"],
    ),
    ("assessment: clients, attribution, findings", &["assess"]),
    ("the endpoint → profile mapping", &["profile"]),
    ("audience exports read and transformed into profile objects", &["audience"]),
    ("translation of templates, segments, campaigns and journeys", &["translate"]),
    ("the blueprint: choices, tenancy, target graph, decisions, store", &["blueprint"]),
    ("migration runs: plan, apply, resume, rollback, the journal", &["migration"]),
    ("what reads a blueprint: reports and IAM policies", &["report", "policy"]),
    ("the IPC type index", &["bindings"]),
];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The top-level modules (`foo.rs` or `foo/`) of core.
fn modules() -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for entry in std::fs::read_dir(src()).expect("core/src") {
        let entry = entry.expect("entry");
        let name = entry.file_name().to_string_lossy().into_owned();
        let module = name.strip_suffix(".rs").unwrap_or(&name).to_owned();
        if module != "lib" && (name.ends_with(".rs") || entry.path().is_dir()) {
            out.insert(module);
        }
    }
    out
}

/// The files of a top-level module: `foo.rs` and everything under `foo/`, except test modules.
fn files_of(module: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let file = src().join(format!("{module}.rs"));
    if file.exists() {
        out.push(file);
    }
    let mut dirs = vec![src().join(module)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n != "tests") {
                    dirs.push(path);
                }
            } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
                out.push(path);
            }
        }
    }
    out
}

/// The text without line comments and without `#[cfg(test)] mod … { … }` blocks.
fn code(text: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(at) = rest.find("#[cfg(test)]") {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        let is_mod = after["#[cfg(test)]".len()..].trim_start().starts_with("mod ");
        match (is_mod, after.find('{')) {
            (true, Some(open)) => {
                let mut depth = 0usize;
                let mut end = after.len();
                for (i, c) in after[open..].char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' => {
                            depth -= 1;
                            if depth == 0 {
                                end = open + i + 1;
                                break;
                            }
                        }
                        _ => {}
                    }
                }
                rest = &after[end..];
            }
            _ => {
                out.push_str("#[cfg(test)]");
                rest = &after["#[cfg(test)]".len()..];
            }
        }
    }
    out.push_str(rest);
    out.lines().map(|line| line.split("//").next().unwrap_or_default()).collect::<Vec<_>>().join("\n")
}

/// The top-level modules a file names: `crate::m`, and `m` inside `use crate::{…}`.
fn references(text: &str, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    for (at, _) in text.match_indices("crate::") {
        let before = text[..at].chars().next_back();
        if before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_') {
            continue;
        }
        let after = &text[at + "crate::".len()..];
        if let Some(group) = after.strip_prefix('{') {
            let group = &group[..group.find(';').unwrap_or(group.len())];
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.insert(ident(item.trim()));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                if depth == 0 && c != '}' {
                    item.push(c);
                }
            }
            out.insert(ident(item.trim()));
        } else {
            out.insert(ident(after));
        }
    }
    out.retain(|m| known.contains(m));
    out
}

#[test]
fn core_modules_import_only_the_layers_below_them() {
    let known = modules();
    let layer: BTreeMap<&str, usize> =
        LAYERS.iter().enumerate().flat_map(|(i, (_, modules))| modules.iter().map(move |m| (*m, i))).collect();
    let mut problems = Vec::new();
    for module in &known {
        let Some(&mine) = layer.get(module.as_str()) else {
            problems.push(format!("crates/core/src/{module}: not in the layer table of tests/core/layering.rs"));
            continue;
        };
        for file in files_of(module) {
            let text = std::fs::read_to_string(&file).expect("read");
            for used in references(&code(&text), &known) {
                if used == *module {
                    continue;
                }
                let theirs = layer.get(used.as_str()).copied().unwrap_or(usize::MAX);
                if theirs >= mine {
                    let place = file.strip_prefix(src()).unwrap_or(&file).display().to_string();
                    problems.push(format!(
                        "crates/core/src/{place} ({}, layer \"{}\") imports crate::{used} (layer \"{}\"): imports go \
                         down the pipeline only",
                        module,
                        LAYERS[mine].0,
                        LAYERS.get(theirs).map_or("unknown", |l| l.0)
                    ));
                }
            }
        }
    }
    assert!(problems.is_empty(), "core's layering is broken:\n{}", problems.join("\n"));
}

#[test]
fn the_layer_check_sees_imports_in_groups_and_paths_but_not_in_tests_or_comments() {
    let known: BTreeSet<String> = ["estate", "assess", "scan", "blueprint"].iter().map(|s| (*s).to_owned()).collect();
    let text = "use crate::{Error, estate::{ResourceKind, path}, scan::audience};\n\
                fn f() { crate::assess::assess(); } // crate::blueprint in a comment\n\
                #[cfg(test)]\nmod tests { use crate::blueprint::Blueprint; }\n";
    let found = references(&code(text), &known);
    assert_eq!(found.into_iter().collect::<Vec<_>>(), ["assess", "estate", "scan"]);
}
