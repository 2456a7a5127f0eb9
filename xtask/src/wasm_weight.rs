//! `cargo xtask wasm-weight`: where the main wasm module's bytes come from, by crate and by
//! function, read from the name section of the split build (`target/spa/split/`).
//!
//! twiggy would be the tool made for this, but 0.7 cannot read today's modules ("invalid
//! flags byte in element segment"), so this reads the code and name sections itself. Sizes
//! are before `wasm-opt` (which shrinks the module by about a third, and strips the names);
//! they rank what to move out of the main module, they are not its download size.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context as _;
use wasmparser::{Name, Parser, Payload};

use crate::project_root;

/// One function of the module: its demangled name and the size of its body in bytes.
struct FunctionSize {
    name: String,
    bytes: usize,
}

pub fn report(file: Option<&str>) -> anyhow::Result<()> {
    let default = project_root().join("target/spa/split/bazaar-web.wasm");
    let path = file.map(Path::new).unwrap_or(&default);
    let bytes =
        std::fs::read(path).with_context(|| format!("reading {} (run `cargo xtask dist` first)", path.display()))?;
    let functions = function_sizes(&bytes)?;
    let total: usize = functions.iter().map(|function| function.bytes).sum();
    println!("{}: {} functions, {} KB of code before wasm-opt", path.display(), functions.len(), total / 1000);

    let mut by_crate: HashMap<&str, (usize, usize)> = HashMap::new();
    for function in &functions {
        let entry = by_crate.entry(crate_of(&function.name)).or_default();
        entry.0 += function.bytes;
        entry.1 += 1;
    }
    let mut crates: Vec<_> = by_crate.into_iter().collect();
    crates.sort_by_key(|(_, (bytes, _))| std::cmp::Reverse(*bytes));
    println!("\n{:>8} {:>6}  crate (of the function, or of the trait it implements)", "bytes", "fns");
    for (name, (bytes, count)) in crates.iter().take(25) {
        println!("{bytes:>8} {count:>6}  {name}");
    }

    let mut largest: Vec<&FunctionSize> = functions.iter().collect();
    largest.sort_by_key(|function| std::cmp::Reverse(function.bytes));
    println!("\n{:>8}  largest functions", "bytes");
    for function in largest.iter().take(30) {
        println!("{:>8}  {}", function.bytes, shorten(&function.name, 150));
    }
    Ok(())
}

/// Every defined function's body size, named from the name section (imports come first in
/// the function index space, so defined function `i` has index `imports + i`).
fn function_sizes(bytes: &[u8]) -> anyhow::Result<Vec<FunctionSize>> {
    let mut imported_functions = 0u32;
    let mut body_sizes = Vec::new();
    let mut names: HashMap<u32, String> = HashMap::new();
    for payload in Parser::new(0).parse_all(bytes) {
        match payload? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_) | wasmparser::TypeRef::FuncExact(_)) {
                        imported_functions += 1;
                    }
                }
            }
            Payload::CodeSectionEntry(body) => body_sizes.push(body.range().len()),
            Payload::CustomSection(section) if section.name() == "name" => {
                let reader = wasmparser::NameSectionReader::new(wasmparser::BinaryReader::new(
                    section.data(),
                    section.data_offset(),
                ));
                for name in reader {
                    if let Name::Function(map) = name? {
                        for naming in map {
                            let naming = naming?;
                            names.insert(naming.index, rustc_demangle::demangle(naming.name).to_string());
                        }
                    }
                }
            }
            _ => {}
        }
    }
    anyhow::ensure!(!names.is_empty(), "the module has no name section (was it already through wasm-opt?)");
    Ok(body_sizes
        .into_iter()
        .enumerate()
        .map(|(position, bytes)| {
            let index = imported_functions + position as u32;
            let name = names.get(&index).cloned().unwrap_or_else(|| format!("function {index}"));
            FunctionSize { name: strip_hash(name), bytes }
        })
        .collect())
}

/// The crate a function is charged to: its path's first segment, or for `<T as Trait>::f`
/// the trait's crate (the impls of a framework trait for our types are the framework's
/// machinery, instantiated once per type).
fn crate_of(name: &str) -> &str {
    let path = match name.strip_prefix('<') {
        Some(rest) => rest.split_once(" as ").map_or(rest, |(_, trait_path)| trait_path),
        None => name,
    };
    let end = path.find([':', '<', '>', ' ', '(', '[']).unwrap_or(path.len());
    if end == 0 { "?" } else { &path[..end] }
}

/// `path::to::function::h0123456789abcdef` → `path::to::function`.
fn strip_hash(mut name: String) -> String {
    if let Some(position) = name.rfind("::h")
        && name.len() - position == 19
        && name[position + 3..].bytes().all(|byte| byte.is_ascii_hexdigit())
    {
        name.truncate(position);
    }
    name
}

fn shorten(name: &str, limit: usize) -> String {
    match name.char_indices().nth(limit) {
        Some((cut, _)) => format!("{}…", &name[..cut]),
        None => name.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_trait_impl_is_charged_to_the_trait_s_crate() {
        assert_eq!(crate_of("<bazaar_web::Page as tachys::view::Render>::build"), "tachys");
        assert_eq!(crate_of("reactive_graph::effect::Effect<T>::new"), "reactive_graph");
        assert_eq!(crate_of("bazaar_core::catalog::search"), "bazaar_core");
        // v0 symbols (the prebuilt standard library) name the crate with its disambiguator.
        assert_eq!(crate_of("<f64 as core[c5930c85a12de822]::str::traits::FromStr>::from_str"), "core");
    }

    #[test]
    fn the_symbol_hash_is_dropped() {
        assert_eq!(strip_hash("core::fmt::write::h0123456789abcdef".to_owned()), "core::fmt::write");
        assert_eq!(strip_hash("core::fmt::write".to_owned()), "core::fmt::write");
    }
}
