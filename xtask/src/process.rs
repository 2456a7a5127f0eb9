//! Child processes: commands with the project's tool directories on PATH, a guard that
//! stops a server however the task ends, free ports and readiness checks.

use std::io::{Read as _, Write as _};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use crate::project_root;

/// PATH with the project's npm-installed tools (wasm-opt) and cargo's bin directory first.
pub fn tool_path() -> String {
    let root = project_root();
    let mut entries = vec![root.join(".tools/node_modules/.bin").display().to_string()];
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|home| Path::new(&home).join(".cargo")));
    if let Some(cargo_home) = cargo_home {
        entries.push(cargo_home.join("bin").display().to_string());
    }
    entries.push(std::env::var("PATH").unwrap_or_default());
    entries.join(":")
}

pub fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.env("PATH", tool_path()).current_dir(project_root());
    command
}

pub fn cargo() -> Command {
    command(&std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned()))
}

/// Runs a command to completion, failing when it exits non-zero.
pub fn run(command: &mut Command) -> anyhow::Result<()> {
    let status = command.status().with_context(|| format!("starting {command:?}"))?;
    if !status.success() {
        bail!("{command:?} exited with {status}");
    }
    Ok(())
}

/// A child that is stopped (SIGTERM, then SIGKILL) when the guard is dropped, so a failing
/// task never leaves a server behind.
pub struct ChildGuard {
    pub name: &'static str,
    pub child: Child,
}

impl ChildGuard {
    pub fn stop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        self.stop();
    }
}

pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Status code of a plain HTTP/1.0 GET on loopback, or None when nothing answers.
pub fn http_status(port: u16, path: &str) -> Option<u16> {
    let mut stream = TcpStream::connect_timeout(&([127, 0, 0, 1], port).into(), Duration::from_secs(2)).ok()?;
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
    write!(stream, "GET {path} HTTP/1.0\r\nHost: 127.0.0.1:{port}\r\n\r\n").ok()?;
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).ok()?;
    std::str::from_utf8(&head[9..12]).ok()?.parse().ok()
}

/// Waits until `GET path` answers 200, or the child dies, or the time is up.
pub fn wait_until_ready(guard: &mut ChildGuard, port: u16, path: &str, timeout: Duration) -> anyhow::Result<()> {
    let deadline = Instant::now() + timeout;
    while Instant::now() < deadline {
        if let Some(status) = guard.child.try_wait()? {
            bail!("{} exited early with {status}", guard.name);
        }
        if http_status(port, path) == Some(200) {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    bail!("{} did not answer on port {port} within {timeout:?}", guard.name)
}

/// A database file in its own temporary directory, removed when dropped.
pub struct TempDatabase {
    directory: std::path::PathBuf,
    pub url: String,
}

impl TempDatabase {
    pub fn new(name: &str) -> anyhow::Result<TempDatabase> {
        let directory = std::env::temp_dir().join(format!("bazaar-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&directory)?;
        let url = format!("sqlite://{}", directory.join(format!("{name}.db")).display());
        Ok(TempDatabase { directory, url })
    }

    /// A file beside the database holding `contents` (e.g. a master key for
    /// `--secret-key-file`, which keeps it off the command line); removed with the database.
    pub fn file(&self, name: &str, contents: &str) -> anyhow::Result<String> {
        let path = self.directory.join(name);
        std::fs::write(&path, contents)?;
        Ok(path.display().to_string())
    }
}

impl Drop for TempDatabase {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// A demo backend serving the release SPA for the browser suites: a fresh temporary
/// database with no demo apps (each test buys what it needs), on a free port. The server
/// stops before its database is removed (fields drop in this order).
pub struct SpaBackend {
    pub port: u16,
    pub server: ChildGuard,
    _database: TempDatabase,
}

/// Builds the debug backend and starts a `SpaBackend`; `name` names its database.
pub fn start_spa_backend(name: &str) -> anyhow::Result<SpaBackend> {
    run(cargo().args(["build", "-p", "bazaar-server"]))?;
    let port = free_port()?;
    let database = TempDatabase::new(name)?;
    let dist = crate::dist_dir().display().to_string();
    let server = start_backend(
        "debug",
        port,
        &database.url,
        &["--demo", "--demo-apps", "false", "--static-dir", &dist],
        "warn",
        Duration::from_secs(60),
    )?;
    Ok(SpaBackend { port, server, _database: database })
}

/// The built `bazaar-server` binary of a cargo profile (`debug` or `release`).
pub fn server_binary(profile: &str) -> String {
    project_root().join("target").join(profile).join("bazaar-server").display().to_string()
}

/// Starts an already-built backend on `127.0.0.1:port` with `database_url` and `extra_args`,
/// and waits until its health check answers. Its log goes to stderr at `log_filter`;
/// `RUST_LOG` style.
pub fn start_backend(
    profile: &str,
    port: u16,
    database_url: &str,
    extra_args: &[&str],
    log_filter: &str,
    timeout: Duration,
) -> anyhow::Result<ChildGuard> {
    let child = command(&server_binary(profile))
        .args(["--bind", &format!("127.0.0.1:{port}"), "--database-url", database_url])
        .args(extra_args)
        .env("RUST_LOG", log_filter)
        .stdout(std::process::Stdio::null())
        .spawn()
        .context("starting the backend")?;
    let mut guard = ChildGuard { name: "bazaar-server", child };
    wait_until_ready(&mut guard, port, "/api/v1/health", timeout)?;
    Ok(guard)
}
