//! `cargo xtask test`'s architecture step: the server's modules (and core's and xtask's)
//! import one another without cycles, its rooms keep their direction (http → domain → store
//! → infra; demo may use anything,
//! and only `lib.rs` and `http` reach into demo), and no source file of the workspace grows
//! past 400 lines, data tables aside; and SQL runs only in the server's store room
//! (`sql_room`), and no function grows past 100 lines (`function_size`).
//!
//! A module here is a file of `crates/server/src`, or a folder module with all its files
//! (`domain/orders/*` is one module): what a folder's files say to each other is its own
//! business.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::files::rust_files;
use crate::graph::cycles;
use crate::project_root;

/// Files longer than this are cut along their seams.
pub const MAX_LINES: usize = 400;

/// Files that are data tables (strings, catalog content, generated documents) and may be long.
const DATA_TABLES: &[&str] = &[
    "crates/server/src/demo/catalog_content.rs",
    "src/i18n.rs",
    "src/i18n_orders.rs",
    "src/i18n_supervision.rs",
    "src/i18n_templates.rs",
    "src/i18n_security.rs",
    "src/i18n_lifecycle.rs",
    "src/i18n_unsubscription.rs",
];

const ROOMS: [&str; 5] = ["http", "domain", "store", "infra", "demo"];

/// The module a file belongs to: `domain::orders` for `domain/orders/place.rs`,
/// `http::orders` for `http/orders.rs`, `state` for `state.rs`, `http` for `http/mod.rs`.
fn module_of(relative: &Path) -> String {
    let parts: Vec<String> = relative
        .with_extension("")
        .components()
        .map(|component| component.as_os_str().to_string_lossy().into_owned())
        .collect();
    match parts.as_slice() {
        [room, file] if file == "mod" => room.clone(),
        [room, module, ..] => format!("{room}::{module}"),
        [file] => file.clone(),
        _ => parts.join("::"),
    }
}

/// The module a `crate::…` path names: its room and module (`crate::domain::orders::pay`
/// → `domain::orders`), or its top-level file (`crate::error::ApiError` → `error`).
fn module_of_path(path: &str, known: &BTreeSet<String>) -> Option<String> {
    let segments: Vec<&str> = path.split("::").collect();
    let first = *segments.first()?;
    if ROOMS.contains(&first) {
        if let Some(second) = segments.get(1) {
            let candidate = format!("{first}::{second}");
            if known.contains(&candidate) {
                return Some(candidate);
            }
        }
        return Some(first.to_owned());
    }
    known.contains(first).then(|| first.to_owned())
}

/// Every `crate::` path a source text uses, with grouped imports (`crate::{a, b::c}`) spread
/// out.
fn crate_paths(text: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let mut rest = text;
    while let Some(index) = rest.find("crate::") {
        let after = &rest[index + "crate::".len()..];
        if after.starts_with('{') {
            let mut depth = 0;
            let mut end = 0;
            for (offset, character) in after.char_indices() {
                match character {
                    '{' => depth += 1,
                    '}' => {
                        depth -= 1;
                        if depth == 0 {
                            end = offset;
                            break;
                        }
                    }
                    _ => {}
                }
            }
            for item in split_top_level(&after[1..end]) {
                paths.extend(expand(item.trim()));
            }
            rest = &after[end..];
        } else {
            let path: String =
                after.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':').collect();
            let tail = &after[path.len()..];
            if path.ends_with("::") && tail.starts_with('{') {
                // `crate::domain::{orders, payments}`: the group under its prefix.
                let group = format!("{path}{}", group_text(tail));
                paths.extend(expand(&group));
                rest = &tail[group_text(tail).len()..];
            } else {
                paths.push(path.trim_end_matches(':').to_owned());
                rest = after;
            }
        }
    }
    paths
}

/// The balanced `{…}` group `text` starts with.
fn group_text(text: &str) -> &str {
    let mut depth = 0;
    for (offset, character) in text.char_indices() {
        match character {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return &text[..=offset];
                }
            }
            _ => {}
        }
    }
    text
}

/// `a::{b, c::d}` → `a::b`, `a::c::d`.
fn expand(item: &str) -> Vec<String> {
    match item.find('{') {
        Some(open) => {
            let prefix = &item[..open];
            let inner = item[open + 1..].trim_end().trim_end_matches('}');
            split_top_level(inner)
                .iter()
                .flat_map(|part| expand(part.trim()))
                .map(|tail| format!("{prefix}{tail}"))
                .collect()
        }
        None => vec![item.to_owned()],
    }
}

fn split_top_level(text: &str) -> Vec<String> {
    let (mut items, mut current, mut depth) = (Vec::new(), String::new(), 0);
    for character in text.chars() {
        match character {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(std::mem::take(&mut current));
                continue;
            }
            _ => {}
        }
        current.push(character);
    }
    items.push(current);
    items.into_iter().filter(|item| !item.trim().is_empty()).collect()
}

/// The server's module graph: module → the modules it uses.
pub fn server_graph(source: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files = rust_files(source);
    let known: BTreeSet<String> =
        files.iter().map(|file| module_of(file.strip_prefix(source).expect("under source"))).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let from = module_of(file.strip_prefix(source).expect("under source"));
        let text = std::fs::read_to_string(file).unwrap_or_default();
        // Tests may reach anywhere; what the code itself depends on is what matters.
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let uses = graph.entry(from.clone()).or_default();
        for path in crate_paths(text) {
            if let Some(to) = module_of_path(&path, &known)
                && to != from
            {
                uses.insert(to);
            }
        }
    }
    graph
}

/// The module graph of a crate whose modules are its top-level files and folders (core,
/// xtask): `lifecycle/wire.rs` belongs to `lifecycle`; `lib.rs` and `main.rs` are the root.
pub fn flat_graph(source: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let top = |file: &Path| -> String {
        let relative = file.strip_prefix(source).expect("under source");
        let first = relative.components().next().expect("a file").as_os_str().to_string_lossy();
        first.trim_end_matches(".rs").to_owned()
    };
    let files: Vec<PathBuf> = rust_files(source);
    let known: BTreeSet<String> = files.iter().map(|file| top(file)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files.iter().filter(|file| !matches!(top(file).as_str(), "lib" | "main")) {
        let from = top(file);
        let text = std::fs::read_to_string(file).unwrap_or_default();
        let text = text.split("#[cfg(test)]").next().unwrap_or_default();
        let uses = graph.entry(from.clone()).or_default();
        for path in crate_paths(text) {
            let first = path.split("::").next().unwrap_or_default();
            if first != from && known.contains(first) && !matches!(first, "lib" | "main") {
                uses.insert(first.to_owned());
            }
        }
    }
    graph
}

fn room(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

/// Edges that go against the rooms' direction.
pub fn layer_violations(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut problems = Vec::new();
    for (from, uses) in graph {
        for to in uses {
            let wrong = match (room(from), room(to)) {
                (a, b) if a == b => false,
                (_, "http") => !(from == "lib" || room(from) == "http" || room(from) == "demo"),
                ("domain", "demo") | ("infra", "demo") | ("infra", "domain") => true,
                // The store room reads and writes tables for the rooms above it, never the reverse.
                ("store", "domain") | ("infra", "store") => true,
                (_, "demo") => !(from == "lib" || from == "http"),
                _ => false,
            };
            if wrong {
                problems.push(format!("{from} uses {to}"));
            }
        }
    }
    problems
}

/// Source files (Rust, TypeScript, the shell's JavaScript) over [`MAX_LINES`] lines that are not data tables.
pub fn long_files(root: &Path) -> Vec<String> {
    let mut long = Vec::new();
    let mut files = Vec::new();
    for directory in ["src", "crates", "xtask", "tests"] {
        files.extend(rust_files(&root.join(directory)));
    }
    // The end-to-end specs, and the app shell's scripts and their tests.
    for (directory, wanted) in [("tests/e2e/specs", "ts"), ("shell/src", "js"), ("shell/test", "js")] {
        if let Ok(entries) = std::fs::read_dir(root.join(directory)) {
            files.extend(
                entries
                    .flatten()
                    .map(|entry| entry.path())
                    .filter(|path| path.extension().is_some_and(|extension| extension == wanted)),
            );
        }
    }
    for file in files {
        let relative = file.strip_prefix(root).unwrap_or(&file).to_string_lossy().replace('\\', "/");
        if DATA_TABLES.contains(&relative.as_str()) || relative.contains("node_modules") {
            continue;
        }
        let lines = std::fs::read_to_string(&file).map(|text| text.lines().count()).unwrap_or(0);
        if lines > MAX_LINES {
            long.push(format!("{relative}: {lines} lines"));
        }
    }
    long
}

/// Runs every check; the problems found (empty when all is well).
pub fn check() -> Vec<String> {
    let root = project_root();
    let graph = server_graph(&root.join("crates/server/src"));
    let mut problems: Vec<String> = cycles(&graph)
        .into_iter()
        .map(|cycle| format!("import cycle between server modules: {}", cycle.join(" ↔ ")))
        .collect();
    problems.extend(layer_violations(&graph).into_iter().map(|edge| format!("against the layers: {edge}")));
    for (name, source) in [("core", "crates/core/src"), ("xtask", "xtask/src")] {
        problems.extend(
            cycles(&flat_graph(&root.join(source)))
                .into_iter()
                .map(|cycle| format!("import cycle between {name} modules: {}", cycle.join(" ↔ "))),
        );
    }
    problems.extend(long_files(&root).into_iter().map(|file| format!("longer than {MAX_LINES} lines: {file}")));
    problems.extend(crate::function_size::check(&root));
    let server = root.join("crates/server/src");
    problems.extend(crate::sql_room::problems(&server, &rust_files(&server)));
    problems
}

/// `cargo xtask architecture`: prints the problems; fails when there are any.
pub fn report() -> anyhow::Result<()> {
    let problems = check();
    for problem in &problems {
        println!("{problem}");
    }
    anyhow::ensure!(problems.is_empty(), "{} architecture problems", problems.len());
    println!("no import cycles, no layer breaches, no file over {MAX_LINES} lines");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &str)]) -> BTreeMap<String, BTreeSet<String>> {
        let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for (from, to) in edges {
            graph.entry((*from).to_owned()).or_default().insert((*to).to_owned());
            graph.entry((*to).to_owned()).or_default();
        }
        graph
    }

    #[test]
    fn a_flat_crate_s_modules_are_its_top_files_and_folders() {
        let source = std::env::temp_dir().join(format!("bazaar-flat-graph-{}", std::process::id()));
        std::fs::create_dir_all(source.join("orders")).unwrap();
        std::fs::write(source.join("lib.rs"), "pub mod orders; pub mod payment;").unwrap();
        std::fs::write(source.join("orders/mod.rs"), "use crate::payment::Channel;").unwrap();
        std::fs::write(source.join("orders/detail.rs"), "use crate::{lifecycle::Quote, orders::Id};").unwrap();
        std::fs::write(source.join("lifecycle.rs"), "use crate::orders::Id;").unwrap();
        std::fs::write(source.join("payment.rs"), "#[cfg(test)]\nmod tests { use crate::orders::Id; }").unwrap();
        let graph = flat_graph(&source);
        std::fs::remove_dir_all(&source).unwrap();
        assert_eq!(graph["orders"], ["lifecycle".to_owned(), "payment".to_owned()].into());
        assert!(graph["payment"].is_empty(), "tests may reach anywhere");
        assert_eq!(cycles(&graph), [vec!["lifecycle".to_owned(), "orders".to_owned()]]);
    }

    #[test]
    fn finds_cycles_and_only_cycles() {
        let circle = graph(&[("state", "domain::provisioning"), ("domain::provisioning", "state"), ("lib", "state")]);
        assert_eq!(cycles(&circle), vec![vec!["domain::provisioning".to_owned(), "state".to_owned()]]);
        let line = graph(&[("http::orders", "domain::orders"), ("domain::orders", "infra::db")]);
        assert!(cycles(&line).is_empty());
    }

    #[test]
    fn paths_and_modules() {
        let known: BTreeSet<String> =
            ["domain::orders", "error", "http", "infra::db"].iter().map(|s| (*s).to_owned()).collect();
        assert_eq!(module_of(Path::new("domain/orders/place.rs")), "domain::orders");
        assert_eq!(module_of(Path::new("http/mod.rs")), "http");
        assert_eq!(module_of(Path::new("state.rs")), "state");
        assert_eq!(module_of_path("domain::orders::pay::pay", &known).as_deref(), Some("domain::orders"));
        assert_eq!(module_of_path("error::ApiError", &known).as_deref(), Some("error"));
        assert_eq!(module_of_path("http::app", &known).as_deref(), Some("http"));
        assert_eq!(
            crate_paths("use crate::{infra::db, domain::{orders, payments}};\nlet x = crate::error::X;"),
            vec!["infra::db", "domain::orders", "domain::payments", "error::X"]
        );
        // A group under a longer prefix is spread out too (it once hid a cycle).
        assert_eq!(
            crate_paths("use crate::domain::{fulfilment, orders::{self, pay}};\nuse crate::error::ApiError;"),
            vec!["domain::fulfilment", "domain::orders::self", "domain::orders::pay", "error::ApiError"]
        );
    }

    #[test]
    fn rooms_point_one_way() {
        let wrong = graph(&[
            ("domain::orders", "http::auth"),
            ("infra::db", "domain::orders"),
            ("http::orders", "domain::orders"),
            ("domain::orders", "store::orders"),
            ("store::orders", "domain::payments"),
            ("infra::db", "store::orders"),
        ]);
        assert_eq!(
            layer_violations(&wrong),
            vec![
                "domain::orders uses http::auth",
                "infra::db uses domain::orders",
                "infra::db uses store::orders",
                "store::orders uses domain::payments",
            ]
        );
    }
}
