//! A throwaway PostgreSQL cluster: Debian's `postgresql` binaries (installed when missing),
//! `initdb` into a temporary directory, started on a free loopback port as an unprivileged
//! user, stopped and deleted when dropped — also when the run that needed it failed. No
//! system service is used or touched.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context as _, bail};

use crate::process;
use crate::tools;

/// The cluster's superuser; every database of the run belongs to it.
const USER: &str = "bazaar";

pub struct Cluster {
    directory: PathBuf,
    binaries: PathBuf,
    /// Who runs the server: PostgreSQL refuses to run as root.
    run_as: Option<&'static str>,
    pub port: u16,
}

impl Cluster {
    /// Installs PostgreSQL if needed and starts a new, empty cluster.
    pub fn start(name: &str) -> anyhow::Result<Cluster> {
        let binaries = match installed_binaries() {
            Some(binaries) => binaries,
            None => {
                tools::apt_install(&["postgresql"], "PostgreSQL")?;
                installed_binaries().context("PostgreSQL was installed but initdb is not in /usr/lib/postgresql")?
            }
        };
        let run_as = tools::is_root().then(unprivileged_user);
        let directory = std::env::temp_dir().join(format!("bazaar-postgres-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&directory);
        std::fs::create_dir_all(&directory)?;
        if let Some(user) = run_as {
            process::run(Command::new("chown").args([user, &directory.display().to_string()]))?;
        }
        let port = process::free_port()?;
        let cluster = Cluster { directory, binaries, run_as, port };
        println!("==> starting a throwaway PostgreSQL cluster on 127.0.0.1:{port}");
        let data = cluster.data_directory();
        process::run(cluster.as_user(&cluster.binaries.join("initdb")).stdout(std::process::Stdio::null()).args([
            "--pgdata",
            &data,
            "--username",
            USER,
            // Loopback only, and the cluster lives for one run.
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--locale",
            "C.UTF-8",
            // `verify` reads the checksum failures PostgreSQL counts.
            "--data-checksums",
        ]))
        .context("initdb")?;
        let options = format!(
            "-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={} -c max_connections=400 \
             -c fsync=off -c synchronous_commit=off -c full_page_writes=off \
             -c wal_level=minimal -c max_wal_senders=0 -c min_wal_size=32MB -c max_wal_size=64MB",
            cluster.directory.display()
        );
        process::run(cluster.as_user(&cluster.binaries.join("pg_ctl")).stdout(std::process::Stdio::null()).args([
            "start",
            "--pgdata",
            &data,
            "--wait",
            "--log",
            &cluster.directory.join("server.log").display().to_string(),
            "--options",
            &options,
        ]))
        .context("starting PostgreSQL")?;
        cluster.wait_until_accepting()?;
        Ok(cluster)
    }

    /// `postgres://bazaar@127.0.0.1:PORT`: add `/database` to it.
    pub fn server_url(&self) -> String {
        format!("postgres://{USER}@127.0.0.1:{}", self.port)
    }

    /// Creates database `name` and returns its URL.
    pub fn create_database(&self, name: &str) -> anyhow::Result<String> {
        process::run(self.as_user(&self.binaries.join("createdb")).args([
            "--host",
            "127.0.0.1",
            "--port",
            &self.port.to_string(),
            "--username",
            USER,
            name,
        ]))
        .with_context(|| format!("creating database {name}"))?;
        Ok(format!("{}/{name}", self.server_url()))
    }

    fn data_directory(&self) -> String {
        self.directory.join("data").display().to_string()
    }

    fn as_user(&self, program: &Path) -> Command {
        match self.run_as {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.args(["-u", user, "--"]).arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    fn wait_until_accepting(&self) -> anyhow::Result<()> {
        let started = Instant::now();
        while started.elapsed() < Duration::from_secs(30) {
            let ready = self
                .as_user(&self.binaries.join("pg_isready"))
                .args(["--host", "127.0.0.1", "--port", &self.port.to_string()])
                .stdout(std::process::Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            if ready {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        bail!("PostgreSQL did not accept connections within 30 s (log: {}/server.log)", self.directory.display())
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        // `immediate`: nothing in a throwaway cluster needs a clean shutdown.
        let _ = self
            .as_user(&self.binaries.join("pg_ctl"))
            .args(["stop", "--pgdata", &self.data_directory(), "--mode", "immediate", "--wait"])
            .stdout(std::process::Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.directory);
    }
}

/// The newest `/usr/lib/postgresql/N/bin` with an `initdb` (Debian's layout).
fn installed_binaries() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let binaries = entry.path().join("bin");
            binaries.join("initdb").exists().then_some((version, binaries))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, binaries)| binaries)
}

/// Debian's package creates `postgres`; `nobody` exists everywhere else.
fn unprivileged_user() -> &'static str {
    let exists = Command::new("id").arg("postgres").output().is_ok_and(|output| output.status.success());
    if exists { "postgres" } else { "nobody" }
}
