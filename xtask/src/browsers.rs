//! `cargo xtask browsers [firefox|webkit]`: the cross-browser end-to-end suite
//! (`tests/browsers`) in Firefox (Gecko, through geckodriver) and WebKitGTK (through
//! WebKitWebDriver on a virtual X display), each engine on a fresh backend that serves the
//! release SPA, as the Playwright suite's backend does.
//!
//! Each engine gets two WebDriver servers, because geckodriver and WebKitWebDriver hold one
//! session each and the supervision scenario needs a second person (the seller) in a
//! browser of their own. Screenshots of the key pages land in `target/browsers/<engine>/`.

use std::io::BufRead as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context as _, bail};

use crate::process::{self, ChildGuard, command};
use crate::{project_root, spa, tools};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Firefox,
    WebKit,
}

pub const ENGINES: [Engine; 2] = [Engine::Firefox, Engine::WebKit];

impl Engine {
    pub fn name(self) -> &'static str {
        match self {
            Engine::Firefox => "firefox",
            Engine::WebKit => "webkit",
        }
    }

    fn parse(name: &str) -> Option<Engine> {
        ENGINES.into_iter().find(|engine| engine.name() == name)
    }
}

/// `cargo xtask browsers [engine…]`: installs what is missing, builds the release SPA, and
/// runs the suite in the named engines (all of them when none is named).
pub fn run(engine: Option<&str>) -> anyhow::Result<()> {
    let engines = match engine {
        None => ENGINES.to_vec(),
        Some(name) => {
            vec![Engine::parse(name).with_context(|| format!("unknown engine `{name}` (firefox, webkit)"))?]
        }
    };
    tools::ensure_release_spa_tools()?;
    tools::ensure_other_browsers()?;
    spa::build_release()?;
    let mut failures = Vec::new();
    for engine in engines {
        let status = suite(engine, |suite| suite.status().context("starting the suite"))??;
        if !status.success() {
            failures.push(engine.name());
        }
    }
    if !failures.is_empty() {
        bail!("the cross-browser suite failed in {}", failures.join(", "));
    }
    Ok(())
}

/// Starts a fresh backend and two drivers for `engine`, hands `use_suite` the suite's
/// command line, and stops everything afterwards, whatever happened.
pub fn suite<T>(engine: Engine, use_suite: impl FnOnce(&mut Command) -> T) -> anyhow::Result<T> {
    process::run(process::cargo().args(["build", "-p", "bazaar-browsers"]))?;
    let backend = process::start_spa_backend(&format!("browsers-{}", engine.name()))?;
    let port = backend.port;

    // Kept alive until the suite ends; dropping stops the drivers before the display.
    let display = match engine {
        Engine::Firefox => None,
        Engine::WebKit => Some(VirtualDisplay::start()?),
    };
    let logs = project_root().join(format!("target/browsers/{}-logs", engine.name()));
    let _ = std::fs::remove_dir_all(&logs);
    std::fs::create_dir_all(&logs)?;
    let buyer_driver = start_driver(engine, display.as_ref(), &logs)?;
    let seller_driver = start_driver(engine, display.as_ref(), &logs)?;

    let artifacts = project_root().join("target/browsers");
    let binary = project_root().join("target/debug/bazaar-browsers");
    let mut suite = command(&binary.display().to_string());
    suite
        .args(["--engine", engine.name()])
        .args(["--base-url", &format!("http://127.0.0.1:{port}")])
        .args(["--driver", &buyer_driver.url])
        .args(["--second-driver", &seller_driver.url])
        .arg("--artifacts")
        .arg(&artifacts);
    let outcome = use_suite(&mut suite);
    println!("screenshots: {}; browser logs: {}", artifacts.join(engine.name()).display(), logs.display());
    drop((buyer_driver, seller_driver));
    drop(display);
    Ok(outcome)
}

struct Driver {
    url: String,
    _guard: ChildGuard,
}

fn start_driver(engine: Engine, display: Option<&VirtualDisplay>, logs: &Path) -> anyhow::Result<Driver> {
    let port = process::free_port()?;
    let mut driver = match engine {
        Engine::Firefox => {
            let mut driver = Command::new(tools::geckodriver());
            driver.args(["--host", "127.0.0.1", "--port", &port.to_string(), "--log", "error"]);
            driver
        }
        Engine::WebKit => {
            let mut driver = Command::new(tools::WEBKIT_WEBDRIVER);
            driver.arg(format!("--port={port}"));
            if let Some(display) = display {
                driver.env("DISPLAY", &display.name);
            }
            driver
        }
    };
    // The browsers' own console chatter goes to a log beside the screenshots, not the run's.
    let log = std::fs::File::create(logs.join(format!("driver-{port}.log")))?;
    let child = driver
        // The app's first language follows the browser's; the suite starts in English.
        .env("LANGUAGE", "en_US:en")
        .stdout(log.try_clone()?)
        .stderr(log)
        .spawn()
        .with_context(|| format!("starting the {} WebDriver", engine.name()))?;
    let mut guard = ChildGuard { name: "WebDriver", child };
    process::wait_until_ready(&mut guard, port, "/status", Duration::from_secs(30))?;
    Ok(Driver { url: format!("http://127.0.0.1:{port}"), _guard: guard })
}

/// An Xvfb server on a display number it picks itself (`-displayfd`), so runs side by side
/// never collide.
struct VirtualDisplay {
    name: String,
    _guard: ChildGuard,
}

impl VirtualDisplay {
    fn start() -> anyhow::Result<VirtualDisplay> {
        let mut child = Command::new(tools::XVFB)
            .args(["-displayfd", "1", "-screen", "0", "1280x1024x24", "-nolisten", "tcp"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .context("starting Xvfb")?;
        let stdout = child.stdout.take().context("Xvfb's stdout")?;
        let guard = ChildGuard { name: "Xvfb", child };
        let mut number = String::new();
        std::io::BufReader::new(stdout).read_line(&mut number).context("reading Xvfb's display number")?;
        let number = number.trim();
        if number.is_empty() {
            bail!("Xvfb did not say which display it took");
        }
        Ok(VirtualDisplay { name: format!(":{number}"), _guard: guard })
    }
}
