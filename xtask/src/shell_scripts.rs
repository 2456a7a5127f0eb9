//! The app shell's scripts (shell/src, inlined into index.html): their tables generated
//! from the app's Rust sources, ESLint, and their `node --test` unit tests.

use std::process::Command;

use anyhow::Context as _;

use crate::process::{self, command};
use crate::{project_root, tools};

/// Writes shell/src/tables.js, words.js, templates.js and shell/test/vectors.json from the
/// app's sources again (`src/shell_tables.rs`, run as a native test with `UPDATE_SHELL` set).
pub fn regenerate_tables() -> anyhow::Result<()> {
    println!("==> the shell's tables from the app's Rust sources (src/shell_tables.rs)");
    process::run(
        process::cargo()
            .args(["test", "-p", "bazaar-web", "--lib", "shell_tables", "--", "--quiet"])
            .env("UPDATE_SHELL", "1"),
    )
}

/// ESLint (pinned in shell/package-lock.json) over the shell's scripts and tests.
pub fn lint() -> anyhow::Result<Command> {
    tools::ensure_shell_packages()?;
    let mut eslint = command("node");
    eslint
        .args(["node_modules/eslint/bin/eslint.js", "--max-warnings", "0", "."])
        .current_dir(project_root().join("shell"));
    Ok(eslint)
}

/// The shell's unit tests (`node --test`, TAP output), each shell/test/*.test.js file.
pub fn unit_tests() -> anyhow::Result<Command> {
    let directory = project_root().join("shell/test");
    let mut files: Vec<String> = std::fs::read_dir(&directory)
        .with_context(|| format!("reading {}", directory.display()))?
        .flatten()
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.js"))
        .map(|name| format!("test/{name}"))
        .collect();
    files.sort();
    let mut node = command("node");
    node.args(["--test", "--test-reporter=tap"]).args(files).current_dir(project_root().join("shell"));
    Ok(node)
}

/// `# pass 11` / `# fail 0` lines of node's TAP summary → (passed, failed).
pub fn parse_tap_summary(line: &str) -> Option<(usize, usize)> {
    let count = |prefix: &str| line.trim().strip_prefix(prefix).and_then(|rest| rest.trim().parse().ok());
    count("# pass").map(|passed| (passed, 0)).or_else(|| count("# fail").map(|failed| (0, failed)))
}

/// Both checks, for `cargo xtask shell`.
pub fn run() -> anyhow::Result<()> {
    process::run(&mut lint()?)?;
    process::run(&mut unit_tests()?)
}

#[cfg(test)]
mod tests {
    use super::parse_tap_summary;

    #[test]
    fn tap_summaries_are_counted() {
        assert_eq!(parse_tap_summary("# pass 11"), Some((11, 0)));
        assert_eq!(parse_tap_summary("# fail 2"), Some((0, 2)));
        assert_eq!(parse_tap_summary("# tests 13"), None);
        assert_eq!(parse_tap_summary("ok 1 - # pass the parcel"), None);
    }
}
