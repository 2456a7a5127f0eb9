//! The architecture check's function rule: no function of the workspace's Rust over
//! [`MAX_FUNCTION_LINES`] lines. (The 26 that were longer when the rule came have all been
//! split along their seams; there is no list of exceptions any more.)

use std::path::Path;

use syn::visit::Visit;

/// Longer than this, a function is cut along its seams.
pub const MAX_FUNCTION_LINES: usize = 100;

/// Every function (free, in an `impl` or a trait) of a Rust source: its name and length
/// in lines, first line to last.
pub fn function_lengths(text: &str) -> Vec<(String, usize)> {
    struct Lengths(Vec<(String, usize)>);
    impl Lengths {
        fn note(&mut self, name: &syn::Ident, span: proc_macro2::Span) {
            let lines = span.end().line.saturating_sub(span.start().line) + 1;
            self.0.push((name.to_string(), lines));
        }
    }
    impl<'ast> Visit<'ast> for Lengths {
        fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
            self.note(&item.sig.ident, syn::spanned::Spanned::span(item));
            syn::visit::visit_item_fn(self, item);
        }
        fn visit_impl_item_fn(&mut self, item: &'ast syn::ImplItemFn) {
            self.note(&item.sig.ident, syn::spanned::Spanned::span(item));
            syn::visit::visit_impl_item_fn(self, item);
        }
        fn visit_trait_item_fn(&mut self, item: &'ast syn::TraitItemFn) {
            self.note(&item.sig.ident, syn::spanned::Spanned::span(item));
            syn::visit::visit_trait_item_fn(self, item);
        }
    }
    let Ok(file) = syn::parse_file(text) else { return Vec::new() };
    let mut lengths = Lengths(Vec::new());
    lengths.visit_file(&file);
    lengths.0
}

/// The problems of the workspace's Rust code: the SPA, the crates, xtask, the browser suite.
pub fn check(root: &Path) -> Vec<String> {
    let mut files = Vec::new();
    for directory in ["src", "crates", "xtask", "tests/browsers"] {
        files.extend(crate::files::rust_files(&root.join(directory)));
    }
    problems(root, &files)
}

/// The problems of `files` (named by their paths relative to `root`).
pub fn problems(root: &Path, files: &[std::path::PathBuf]) -> Vec<String> {
    let mut long = Vec::new();
    for file in files {
        let relative = file.strip_prefix(root).unwrap_or(file).to_string_lossy().replace('\\', "/");
        let text = std::fs::read_to_string(file).unwrap_or_default();
        for (name, lines) in function_lengths(&text) {
            if lines > MAX_FUNCTION_LINES {
                long.push((format!("{relative}::{name}"), lines));
            }
        }
    }
    long.iter()
        .map(|(name, lines)| format!("function over {MAX_FUNCTION_LINES} lines: {name} ({lines} lines)"))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_every_kind_of_function_from_first_to_last_line() {
        let text = "fn free() {\n    let a = 1;\n}\n\nstruct S;\nimpl S {\n    fn method(&self) {}\n}\n\
                    trait T {\n    fn provided() {\n        todo!()\n    }\n}\n";
        assert_eq!(
            function_lengths(text),
            [("free".to_owned(), 3), ("method".to_owned(), 1), ("provided".to_owned(), 3)]
        );
    }

    #[test]
    fn a_function_over_the_limit_fails_and_one_at_it_passes() {
        let root = std::env::temp_dir().join(format!("bazaar-function-size-{}", std::process::id()));
        std::fs::create_dir_all(root.join("src")).unwrap();
        // Braces included: MAX_FUNCTION_LINES + 2 lines, and exactly MAX_FUNCTION_LINES.
        let long = format!("fn grown() {{\n{}}}\n", "    let _ = 1;\n".repeat(MAX_FUNCTION_LINES));
        let at_limit = format!("fn fits() {{\n{}}}\n", "    let _ = 1;\n".repeat(MAX_FUNCTION_LINES - 2));
        std::fs::write(root.join("src/new.rs"), long).unwrap();
        std::fs::write(root.join("src/fits.rs"), at_limit).unwrap();
        let found = problems(&root, &[root.join("src/new.rs"), root.join("src/fits.rs")]);
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(
            found,
            [format!("function over {MAX_FUNCTION_LINES} lines: src/new.rs::grown ({} lines)", MAX_FUNCTION_LINES + 2)]
        );
    }
}
