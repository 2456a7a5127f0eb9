//! Command-line and environment configuration of the backend (clap, with env fallbacks).

use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Debug, Clone, clap::Parser)]
#[command(name = "bazaar-server", version, about = "Bazaar's reference backend")]
pub struct Cli {
    #[command(flatten)]
    pub config: Config,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, clap::Subcommand)]
pub enum Command {
    /// Serve the API (the default when no command is given).
    Serve,
    /// Print the OpenAPI document of the API to standard output.
    Openapi,
    /// Create, migrate and seed the database (demo accounts and catalog), then exit.
    Seed,
    /// Check the database's integrity and money invariants; print a JSON report and exit
    /// non-zero when anything is wrong.
    Verify,
    /// Add generated products to the database (for benchmarks with large catalogs), then exit.
    GenerateCatalog {
        /// How many products to add.
        #[arg(long, default_value_t = 100_000)]
        products: usize,
    },
}

#[derive(Debug, Clone, clap::Args)]
pub struct Config {
    /// Address to listen on.
    #[arg(long, env = "BAZAAR_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// SQLite database URL; the file is created when missing.
    #[arg(long, env = "BAZAAR_DATABASE_URL", default_value = "sqlite://bazaar.db")]
    pub database_url: String,

    /// A built SPA (`dist/`) to serve next to the API, with fallback to its index.html.
    #[arg(long, env = "BAZAAR_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,

    /// Demo mode: seeds demo data when the database is empty, enables the demo seller's
    /// provisioning endpoint and the endpoint that moves the clock. Never use in production.
    #[arg(long, env = "BAZAAR_DEMO")]
    pub demo: bool,

    /// Origins (scheme://host:port) allowed to make credentialed cross-origin requests and
    /// state-changing requests; comma-separated. Same-origin requests are always allowed.
    #[arg(long, env = "BAZAAR_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Mark the session cookie `Secure` (serve over HTTPS when set).
    #[arg(long, env = "BAZAAR_SECURE_COOKIES")]
    pub secure_cookies: bool,

    /// 64 hex characters: the key that encrypts credentials at rest. Required outside demo
    /// mode; demo mode falls back to a fixed development key.
    #[arg(long, env = "BAZAAR_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,

    /// How this server reaches itself, for the demo seller's provisioning endpoint.
    /// Defaults to `http://<bind>`.
    #[arg(long, env = "BAZAAR_SELF_URL")]
    pub self_url: Option<String>,

    /// How long one call to a seller's provisioning endpoint may take.
    #[arg(long, env = "BAZAAR_PROVISIONING_TIMEOUT_MS", default_value_t = 5_000, hide = true)]
    pub provisioning_timeout_ms: u64,

    /// Calls to a seller's provisioning endpoint before the order is cancelled and refunded.
    #[arg(long, env = "BAZAAR_PROVISIONING_ATTEMPTS", default_value_t = 4, hide = true)]
    pub provisioning_attempts: u32,

    /// Wait before the first retry; each further retry waits twice as long.
    #[arg(long, env = "BAZAAR_PROVISIONING_BACKOFF_MS", default_value_t = 1_000, hide = true)]
    pub provisioning_backoff_ms: u64,
}

impl Config {
    /// A configuration for tests and tools: demo mode, loopback, the given database.
    pub fn for_tests(database_url: impl Into<String>) -> Config {
        Config {
            bind: "127.0.0.1:0".parse().expect("static address"),
            database_url: database_url.into(),
            static_dir: None,
            demo: true,
            allowed_origins: Vec::new(),
            secure_cookies: false,
            secret_key: None,
            self_url: None,
            provisioning_timeout_ms: 5_000,
            provisioning_attempts: 4,
            provisioning_backoff_ms: 1_000,
        }
    }
}
