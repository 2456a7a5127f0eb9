//! The links in `README.md` and `docs/*.md`: every relative link must name a file of the
//! repository, and every `#anchor` a heading of the page it points to (GitHub's slugs).
//! Checked by a unit test, so `cargo xtask test` fails on a dead link.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The Markdown files whose links are checked.
pub fn documents(root: &Path) -> Vec<PathBuf> {
    let mut files = vec![root.join("README.md")];
    if let Ok(entries) = std::fs::read_dir(root.join("docs")) {
        let mut pages: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|entry| entry.path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "md"))
            .collect();
        pages.sort();
        files.extend(pages);
    }
    files
}

/// The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as dashes.
pub fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == '-' || *c == ' ' || *c == '_')
        .map(|c| if c == ' ' { '-' } else { c })
        .collect()
}

/// The anchors of a Markdown text: one per heading (outside code blocks).
pub fn anchors(text: &str) -> HashSet<String> {
    let mut in_code = false;
    let mut found = HashSet::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if !in_code && line.starts_with('#') {
            found.insert(slug(line.trim_start_matches('#')));
        }
    }
    found
}

/// The link targets of a Markdown text, `[text](target)`, outside code blocks and code spans.
pub fn links(text: &str) -> Vec<String> {
    let mut in_code = false;
    let mut found = Vec::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        // Code spans may hold `[x](y)` that is no link.
        let outside_spans: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        let mut rest = outside_spans.as_str();
        while let Some(start) = rest.find("](") {
            let after = &rest[start + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(after[..end].to_owned());
            rest = &after[end..];
        }
    }
    found
}

/// Every dead link of the documents under `root`, as "file: target (why)".
pub fn dead_links(root: &Path) -> Vec<String> {
    let mut dead = Vec::new();
    for document in documents(root) {
        let Ok(text) = std::fs::read_to_string(&document) else {
            dead.push(format!("{}: cannot be read", document.display()));
            continue;
        };
        let name = document.strip_prefix(root).unwrap_or(&document).display().to_string();
        for target in links(&text) {
            if target.starts_with("http://") || target.starts_with("https://") || target.starts_with("mailto:") {
                continue;
            }
            let (path, anchor) = match target.split_once('#') {
                Some((path, anchor)) => (path, Some(anchor)),
                None => (target.as_str(), None),
            };
            let file = if path.is_empty() { document.clone() } else { document.parent().unwrap_or(root).join(path) };
            if !file.exists() {
                dead.push(format!("{name}: {target} (no such file)"));
                continue;
            }
            if let Some(anchor) = anchor {
                let headings = std::fs::read_to_string(&file).map(|text| anchors(&text)).unwrap_or_default();
                if !headings.contains(anchor) {
                    dead.push(format!("{name}: {target} (no such heading)"));
                }
            }
        }
    }
    dead
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_githubs() {
        assert_eq!(slug(" Several instances on PostgreSQL"), "several-instances-on-postgresql");
        assert_eq!(slug("First paint: the app shell and the loader"), "first-paint-the-app-shell-and-the-loader");
        assert_eq!(slug("The SPA: `public/config.json`"), "the-spa-publicconfigjson");
    }

    #[test]
    fn links_outside_code_are_found() {
        let text = "See [a](docs/a.md#x) and `[b](c)`.\n```\n[d](e)\n```\n[f](#g)";
        assert_eq!(links(text), ["docs/a.md#x", "#g"]);
    }

    #[test]
    fn a_dead_link_is_reported() {
        let root = std::env::temp_dir().join(format!("bazaar-docs-links-{}", std::process::id()));
        std::fs::create_dir_all(root.join("docs")).unwrap();
        std::fs::write(root.join("README.md"), "# Top\n[ok](docs/a.md#here) [gone](docs/b.md) [bad](docs/a.md#nope)")
            .unwrap();
        std::fs::write(root.join("docs/a.md"), "# A\n## Here\n[up](../README.md#top)").unwrap();
        let dead = dead_links(&root);
        std::fs::remove_dir_all(&root).unwrap();
        assert_eq!(dead, ["README.md: docs/b.md (no such file)", "README.md: docs/a.md#nope (no such heading)"]);
    }

    #[test]
    fn every_link_of_the_readme_and_docs_is_alive() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("the repository");
        let dead = dead_links(root);
        assert!(dead.is_empty(), "dead links:\n{}", dead.join("\n"));
    }
}
