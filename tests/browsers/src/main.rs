//! `bazaar-browsers`: the buying flows in Firefox (Gecko) and WebKit, driven over WebDriver
//! against a running backend that serves the release SPA. `cargo xtask browsers` starts
//! everything it needs (backend, drivers, Xvfb) and runs it; see the README.
//!
//! Usage: bazaar-browsers --engine firefox|webkit --base-url URL --driver URL
//!        --second-driver URL --artifacts DIR [--only NAME]
//!
//! The second driver is a second browser (geckodriver and WebKitWebDriver hold one session
//! each): the seller's, for the supervision step. Output follows `cargo test`'s summary
//! line so xtask counts it like every other step.

mod engine;
mod page;
mod scenarios;

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context as _, bail};
use hyper_util::client::legacy::connect::HttpConnector;

use crate::engine::Engine;
use crate::page::Page;

struct Options {
    engine: Engine,
    base_url: String,
    driver: String,
    second_driver: String,
    artifacts: PathBuf,
    only: Option<String>,
}

fn options() -> anyhow::Result<Options> {
    let mut arguments = std::env::args().skip(1);
    let (mut engine, mut base_url, mut driver, mut second_driver, mut artifacts, mut only) =
        (None, None, None, None, None, None);
    while let Some(flag) = arguments.next() {
        let value = arguments.next().with_context(|| format!("{flag} needs a value"))?;
        match flag.as_str() {
            "--engine" => engine = Some(Engine::parse(&value).with_context(|| format!("unknown engine {value}"))?),
            "--base-url" => base_url = Some(value.trim_end_matches('/').to_owned()),
            "--driver" => driver = Some(value),
            "--second-driver" => second_driver = Some(value),
            "--artifacts" => artifacts = Some(PathBuf::from(value)),
            "--only" => only = Some(value),
            other => bail!("unknown option {other}"),
        }
    }
    Ok(Options {
        engine: engine.context("--engine is required")?,
        base_url: base_url.context("--base-url is required")?,
        driver: driver.context("--driver is required")?,
        second_driver: second_driver.context("--second-driver is required")?,
        artifacts: artifacts.context("--artifacts is required")?,
        only,
    })
}

/// A new browser session on `driver`, at a desktop size every engine shares.
pub async fn new_session(engine: Engine, driver: &str, base_url: &str) -> anyhow::Result<Page> {
    let client = fantoccini::ClientBuilder::new(HttpConnector::new())
        .capabilities(engine.capabilities())
        .connect(driver)
        .await
        .with_context(|| format!("starting a {} session on {driver}", engine.name()))?;
    client.set_window_size(1280, 1000).await.context("sizing the window")?;
    Ok(Page { client, base_url: base_url.to_owned() })
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let options = match options() {
        Ok(options) => options,
        Err(error) => {
            eprintln!("bazaar-browsers: {error:#}");
            std::process::exit(2);
        }
    };
    let (passed, failed) = match run(&options).await {
        Ok(counts) => counts,
        Err(error) => {
            eprintln!("bazaar-browsers: {error:#}");
            (0, 1)
        }
    };
    let verdict = if failed == 0 { "ok" } else { "FAILED" };
    println!("test result: {verdict}. {passed} passed; {failed} failed; 0 ignored; 0 measured; 0 filtered out");
    if failed > 0 {
        std::process::exit(1);
    }
}

async fn run(options: &Options) -> anyhow::Result<(usize, usize)> {
    let engine = options.engine;
    let artifacts = options.artifacts.join(engine.name());
    let _ = std::fs::remove_dir_all(&artifacts);
    std::fs::create_dir_all(&artifacts)?;
    let buyer = new_session(engine, &options.driver, &options.base_url).await?;
    let run = scenarios::Run { buyer, engine, second_driver: options.second_driver.clone(), artifacts };
    let all = scenarios::all();
    let chosen: Vec<_> = all
        .iter()
        .filter(|scenario| options.only.as_ref().is_none_or(|only| scenario.name.contains(only.as_str())))
        .collect();
    println!("running {} browser scenarios in {}", chosen.len(), engine.name());
    let (mut passed, mut failed) = (0, 0);
    for scenario in chosen {
        let started = Instant::now();
        let outcome = (scenario.run)(&run).await;
        let seconds = started.elapsed().as_secs_f64();
        match outcome {
            Ok(()) => {
                passed += 1;
                println!("test {}::{} ... ok ({seconds:.1} s)", engine.name(), scenario.name);
            }
            Err(error) => {
                failed += 1;
                println!("test {}::{} ... FAILED ({seconds:.1} s)\n    {error:#}", engine.name(), scenario.name);
                let _ = run.buyer.screenshot(&run.artifacts, &format!("FAILED-{}", scenario.name)).await;
            }
        }
    }
    let _ = run.buyer.client.close().await;
    Ok((passed, failed))
}
