//! Installs the tools the tasks need when they are missing, at the exact versions the
//! project pins, from the package registries only (crates.io, npm, Debian).

use std::path::Path;
use std::process::Command;

use anyhow::{Context as _, bail};

use crate::process::{self, command};
use crate::project_root;

pub const TRUNK_VERSION: &str = "0.21.14";
pub const BINARYEN_VERSION: &str = "132";
/// The wasm splitter that cuts the release SPA at its `#[lazy]` points (src/app.rs).
pub const WASM_SPLIT_VERSION: &str = "0.2.4";
/// The API fuzzer of `cargo xtask test` (PyPI), in its own virtual environment in .tools/.
pub const SCHEMATHESIS_VERSION: &str = "4.32.5";
/// The Gecko driver of the cross-browser suite and of the component tests in Firefox.
pub const GECKODRIVER_VERSION: &str = "0.37.1";
pub const FIREFOX: &str = "/usr/bin/firefox-esr";
/// WebKitGTK's WebDriver; it starts WebKitGTK's MiniBrowser (from libwebkit2gtk-4.1-0).
pub const WEBKIT_WEBDRIVER: &str = "/usr/bin/WebKitWebDriver";
pub const MINIBROWSER: &str = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser";
/// MiniBrowser has no headless mode: it draws on a virtual X display.
pub const XVFB: &str = "/usr/bin/Xvfb";
/// Without a CJK font the Chinese screenshots kept by the suites show boxes.
const CJK_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
pub const CHROMIUM: &str = "/usr/bin/chromium";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

fn version_output(program: &str, arg: &str) -> Option<String> {
    let output = command(program).arg(arg).output().ok()?;
    output.status.success().then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The `wasm-bindgen` version in Cargo.lock: the CLI must match it exactly.
pub fn locked_wasm_bindgen_version() -> anyhow::Result<String> {
    let lock = std::fs::read_to_string(project_root().join("Cargo.lock")).context("reading Cargo.lock")?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\""
            && let Some(version) = lines.next().and_then(|l| l.strip_prefix("version = \""))
        {
            return Ok(version.trim_end_matches('"').to_owned());
        }
    }
    bail!("Cargo.lock has no wasm-bindgen entry")
}

pub fn ensure_wasm_target() -> anyhow::Result<()> {
    // rust-toolchain.toml names the target; rustup adds it on first use, but a toolchain
    // installed before that file existed may lack it.
    let installed = Command::new("rustup").args(["target", "list", "--installed"]).current_dir(project_root()).output();
    if let Ok(output) = installed
        && !String::from_utf8_lossy(&output.stdout).contains("wasm32-unknown-unknown")
    {
        println!("==> installing the wasm32-unknown-unknown target");
        process::run(
            Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]).current_dir(project_root()),
        )?;
    }
    Ok(())
}

pub fn ensure_trunk() -> anyhow::Result<()> {
    if version_output("trunk", "--version").is_some_and(|v| v.contains(TRUNK_VERSION)) {
        return Ok(());
    }
    println!("==> installing trunk {TRUNK_VERSION} (a few minutes, once)");
    process::run(process::cargo().args(["install", "trunk", "--version", TRUNK_VERSION, "--locked"]))
}

pub fn ensure_wasm_bindgen() -> anyhow::Result<()> {
    let version = locked_wasm_bindgen_version()?;
    if version_output("wasm-bindgen", "--version").is_some_and(|v| v.trim().ends_with(&version)) {
        return Ok(());
    }
    println!("==> installing wasm-bindgen-cli {version} (matches Cargo.lock)");
    // Not --locked: the registry mirror lacks some of its locked dependencies.
    process::run(process::cargo().args(["install", "wasm-bindgen-cli", "--version", &version, "--force"]))
}

pub fn ensure_wasm_split() -> anyhow::Result<()> {
    // The CLI has no --version; cargo's own list of installed packages says which one it is.
    let listed = process::cargo().args(["install", "--list"]).output().ok();
    let wanted = format!("wasm_split_cli_support v{WASM_SPLIT_VERSION}:");
    if listed.is_some_and(|output| String::from_utf8_lossy(&output.stdout).lines().any(|line| line == wanted)) {
        return Ok(());
    }
    println!("==> installing wasm-split-cli {WASM_SPLIT_VERSION} (a minute, once)");
    // Not --locked, for the same reason as wasm-bindgen-cli.
    process::run(process::cargo().args([
        "install",
        "wasm_split_cli_support",
        "--version",
        WASM_SPLIT_VERSION,
        "--features",
        "build-binary",
        "--force",
    ]))
}

/// wasm-opt from npm's binaryen (Debian's older binaryen emits a broken module).
pub fn ensure_wasm_opt() -> anyhow::Result<()> {
    let wasm_opt = project_root().join(".tools/node_modules/.bin/wasm-opt");
    if wasm_opt.exists()
        && version_output("wasm-opt", "--version").is_some_and(|v| v.contains(&format!("version {BINARYEN_VERSION}")))
    {
        return Ok(());
    }
    ensure_node()?;
    println!("==> installing binaryen@{BINARYEN_VERSION} (wasm-opt) into .tools/");
    std::fs::create_dir_all(project_root().join(".tools"))?;
    process::run(command("npm").args([
        "install",
        "--prefix",
        ".tools",
        "--no-save",
        "--no-audit",
        "--no-fund",
        &format!("binaryen@{BINARYEN_VERSION}"),
    ]))
}

pub fn is_root() -> bool {
    Command::new("id").arg("-u").output().map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0").unwrap_or(false)
}

pub fn apt_install(packages: &[&str], what: &str) -> anyhow::Result<()> {
    if !is_root() {
        bail!(
            "{what} is missing; install it with: sudo apt-get update && sudo apt-get install -y {}",
            packages.join(" ")
        );
    }
    println!("==> installing {} with apt-get", packages.join(" "));
    process::run(Command::new("apt-get").arg("update").env("DEBIAN_FRONTEND", "noninteractive"))?;
    process::run(
        Command::new("apt-get")
            .args(["install", "-y", "--no-install-recommends"])
            .args(packages)
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
}

pub fn ensure_node() -> anyhow::Result<()> {
    if version_output("node", "--version").is_some() && version_output("npm", "--version").is_some() {
        return Ok(());
    }
    apt_install(&["nodejs", "npm"], "Node.js")
}

/// Where Debian's `fonts-noto-cjk` puts the font invoice PDFs embed (the server's default).
pub const INVOICE_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

/// Noto Sans CJK: invoice PDFs embed a subset of it (and screenshots in 中文 need it).
pub fn ensure_invoice_font() -> anyhow::Result<()> {
    if Path::new(INVOICE_FONT).exists() {
        return Ok(());
    }
    apt_install(&["fonts-noto-cjk"], "The invoice font (Noto Sans CJK)")
}

/// Debian's Chromium and ChromeDriver, for wasm-bindgen-test and Playwright.
pub fn ensure_chromium() -> anyhow::Result<()> {
    if Path::new(CHROMIUM).exists() && Path::new(CHROMEDRIVER).exists() {
        return Ok(());
    }
    apt_install(&["chromium", "chromium-driver"], "Chromium")
}

/// Debian's Firefox ESR, WebKitGTK's WebDriver and Xvfb (and a CJK font for the
/// screenshots), plus geckodriver from crates.io: the engines besides Chromium.
pub fn ensure_other_browsers() -> anyhow::Result<()> {
    if ![FIREFOX, WEBKIT_WEBDRIVER, MINIBROWSER, XVFB, CJK_FONT].iter().all(|path| Path::new(path).exists()) {
        apt_install(
            &["firefox-esr", "webkit2gtk-driver", "xvfb", "xauth", "fonts-noto-cjk"],
            "Firefox ESR, WebKitGTK's WebDriver or Xvfb",
        )?;
    }
    ensure_geckodriver()
}

/// geckodriver in cargo's bin directory.
pub fn geckodriver() -> std::path::PathBuf {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")))
        .unwrap_or_default();
    cargo_home.join("bin/geckodriver")
}

fn ensure_geckodriver() -> anyhow::Result<()> {
    let program = geckodriver().display().to_string();
    if version_output(&program, "--version")
        .is_some_and(|v| v.starts_with(&format!("geckodriver {GECKODRIVER_VERSION}")))
    {
        return Ok(());
    }
    println!("==> installing geckodriver {GECKODRIVER_VERSION} (a couple of minutes, once)");
    process::run(process::cargo().args(["install", "geckodriver", "--version", GECKODRIVER_VERSION, "--locked"]))
}

/// The Playwright test runner from tests/e2e/package-lock.json (never its browser download).
pub fn ensure_e2e_packages() -> anyhow::Result<()> {
    ensure_npm_packages("tests/e2e", "the Playwright runner")
}

/// ESLint for the app shell's scripts, from shell/package-lock.json.
pub fn ensure_shell_packages() -> anyhow::Result<()> {
    ensure_npm_packages("shell", "ESLint for the shell's scripts")
}

/// Lighthouse 12 and chrome-launcher for the bench (tests/e2e/bench/lighthouse), kept out
/// of the test packages so a test run never installs them.
pub fn ensure_lighthouse_packages() -> anyhow::Result<()> {
    ensure_npm_packages("tests/e2e/bench/lighthouse", "Lighthouse 12")
}

/// `npm ci` in `folder` (relative to the repository) unless its lock file is installed.
fn ensure_npm_packages(folder: &str, what: &str) -> anyhow::Result<()> {
    ensure_node()?;
    let directory = project_root().join(folder);
    let installed = directory.join("node_modules/.package-lock.json");
    let lock = directory.join("package-lock.json");
    let fresh = match (std::fs::metadata(&installed), std::fs::metadata(&lock)) {
        (Ok(installed), Ok(lock)) => installed.modified()? >= lock.modified()?,
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    println!("==> installing {what} (npm ci in {folder})");
    process::run(
        command("npm")
            .args(["ci", "--no-audit", "--no-fund"])
            .current_dir(&directory)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )
}

/// Everything `cargo xtask dist` needs to build the code-split release SPA.
pub fn ensure_release_spa_tools() -> anyhow::Result<()> {
    ensure_wasm_target()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_split()?;
    ensure_wasm_opt()
}

/// Everything `trunk serve` needs (Trunk.toml pins the same wasm-bindgen and wasm-opt).
pub fn ensure_dev_spa_tools() -> anyhow::Result<()> {
    ensure_wasm_target()?;
    ensure_trunk()?;
    ensure_wasm_bindgen()?;
    ensure_wasm_opt()
}

/// The schemathesis program in .tools/schemathesis/.
pub fn schemathesis() -> std::path::PathBuf {
    project_root().join(".tools/schemathesis/bin/schemathesis")
}

/// schemathesis at the pinned version, in a virtual environment of its own (so it needs
/// nothing from, and changes nothing in, the machine's Python).
pub fn ensure_schemathesis() -> anyhow::Result<()> {
    let program = schemathesis();
    if version_output(&program.display().to_string(), "--version").is_some_and(|v| v.contains(SCHEMATHESIS_VERSION)) {
        return Ok(());
    }
    println!("==> installing schemathesis {SCHEMATHESIS_VERSION} into .tools/schemathesis");
    let venv = project_root().join(".tools/schemathesis");
    std::fs::create_dir_all(project_root().join(".tools"))?;
    process::run(command("python3").args(["-m", "venv"]).arg(&venv))?;
    process::run(command(&venv.join("bin/pip").display().to_string()).args([
        "install",
        "--quiet",
        "--disable-pip-version-check",
        &format!("schemathesis=={SCHEMATHESIS_VERSION}"),
    ]))
}
