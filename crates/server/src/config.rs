//! Command-line and environment configuration of the backend (clap, with env fallbacks).

use std::net::SocketAddr;
use std::path::PathBuf;

/// The largest request body the API reads: room for the biggest legitimate one, a
/// buyer's request form of 20 long-text fields of 10,000 Chinese characters each (a test
/// in `http::limits` checks), and little more.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// The largest body of the one route that takes files (`POST /api/v1/tickets`): three
/// attachments of 5 MB, the multipart framing and the ticket's text.
pub const MAX_UPLOAD_BODY_BYTES: usize = 3 * 5 * 1024 * 1024 + 256 * 1024;

/// The route that takes files.
pub const UPLOAD_PATH: &str = "/api/v1/tickets";

/// The options are global: they may come before the command or after it
/// (`bazaar-server generate-catalog --products 10 --database-url …` and
/// `bazaar-server --database-url … generate-catalog --products 10` are the same).
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
    /// Seal every secret at rest with the current master key (after adding a new key
    /// version in front of the old ones), then exit; older versions can be retired after.
    RotateKeys,
    /// Add `apps` generated apps with terms to lin.wei (for the lifecycle benchmarks), then exit.
    GenerateApps {
        #[arg(long, default_value_t = 100_000)]
        apps: usize,
    },
    /// Add `apps` pay-per-use apps over 8 sellers, all due for their charge (the first
    /// `buyer_apps` lin.wei's with 30 days of usage, the rest the `generate-buyers` buyers'
    /// with `hours` hours each); print the sellers and the first app's id as JSON, then exit.
    GenerateMeteredApps {
        #[arg(long, default_value_t = 10_000)]
        apps: usize,
        #[arg(long, default_value_t = 20)]
        buyer_apps: usize,
        #[arg(long, default_value_t = 24)]
        hours: i64,
    },
    /// Print seller `seller`'s access key (hex): what the seller's system signs usage
    /// reports with and checks Bazaar's calls by. An operator's tool; it needs the master keys.
    SellerKey {
        #[arg(long)]
        seller: i64,
    },
    /// Add `buyers` demo buyers `bench.buyer.N` with cards (for checkout benchmarks), then exit.
    GenerateBuyers {
        #[arg(long, default_value_t = 16)]
        buyers: usize,
    },
    /// Run the lifecycle sweeper `repeat` times on the database, printing each sweep's time
    /// and work as JSON (for benchmarks), then exit.
    Sweep {
        #[arg(long, default_value_t = 5)]
        repeat: usize,
    },
    /// Issue `invoices` invoices for lin.wei's paid orders (after `generate-apps`) and make
    /// each one's PDF; print the timings and sizes as JSON (the invoice benchmark), then exit.
    BenchInvoices {
        #[arg(long, default_value_t = 1_000)]
        invoices: usize,
    },
    /// Add `tickets` support tickets over lin.wei's orders (after `generate-apps`) and
    /// `reviews` reviews by the bench buyers (after `generate-buyers`), then exit.
    GenerateSupport {
        #[arg(long, default_value_t = 100_000)]
        tickets: usize,
        #[arg(long, default_value_t = 100_000)]
        reviews: usize,
    },
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
    #[arg(long, global = true, env = "BAZAAR_BIND", default_value = "127.0.0.1:3000")]
    pub bind: SocketAddr,

    /// Database URL: `sqlite://file` (created when missing) or `postgres://user@host/db`
    /// (several instances may share one).
    #[arg(long, global = true, env = "BAZAAR_DATABASE_URL", default_value = "sqlite://bazaar.db")]
    pub database_url: String,

    /// PostgreSQL connections per instance; instances × this must stay below the server's
    /// `max_connections`. (SQLite ignores it.)
    #[arg(long, global = true, env = "BAZAAR_DATABASE_POOL_SIZE", default_value_t = 16)]
    pub database_pool_size: u32,

    /// A built SPA (`dist/`) to serve next to the API, with fallback to its index.html.
    #[arg(long, global = true, env = "BAZAAR_STATIC_DIR")]
    pub static_dir: Option<PathBuf>,

    /// Demo mode: seeds demo data when the database is empty, enables the demo seller's
    /// provisioning endpoint and the endpoint that moves the clock. Never use in production.
    #[arg(long, global = true, env = "BAZAAR_DEMO")]
    pub demo: bool,

    /// Demo mode: give lin.wei apps in every phase of their term (expiring in 5 days, in
    /// grace, frozen, one renewing automatically) when the database is new. The end-to-end
    /// tests turn it off to start from a buyer who owns nothing.
    #[arg(long, global = true, env = "BAZAAR_DEMO_APPS", default_value_t = true, action = clap::ArgAction::Set, value_name = "true|false")]
    pub demo_apps: bool,

    /// Origins (scheme://host:port) allowed to make credentialed cross-origin requests and
    /// state-changing requests; comma-separated. Same-origin requests are always allowed.
    #[arg(long, global = true, env = "BAZAAR_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,

    /// Whether the session cookie is `Secure` (and named `__Host-…`), with HSTS on every
    /// answer. On by default; it may be turned off only in demo mode, whose default is off so
    /// that a demo on plain `http://` works.
    #[arg(long, global = true, env = "BAZAAR_SECURE_COOKIES", action = clap::ArgAction::Set, value_name = "true|false")]
    pub secure_cookies: Option<bool>,

    /// The master key: never on the command line (other users of the machine can read
    /// that), only from the environment variable `BAZAAR_SECRET_KEY` (read by the binary's
    /// `main`) or from this file. 64 hex characters, or `version:hex` pairs separated by
    /// commas with the current key first (older versions still open what they sealed).
    /// Required outside demo mode; demo mode falls back to a fixed development key.
    #[arg(long, global = true, env = "BAZAAR_SECRET_KEY_FILE")]
    pub secret_key_file: Option<PathBuf>,

    /// The master key's text when given by the environment (or by tests).
    #[arg(skip)]
    pub secret_key: Option<SecretText>,

    /// Proxies (addresses or CIDR blocks, comma-separated) whose `X-Forwarded-For` tells
    /// the client's address for audits and login throttling. Without it the TCP peer is the
    /// client: never trust the header from anyone else, since clients can write it.
    #[arg(long, global = true, env = "BAZAAR_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<ipnet::IpNet>,

    /// Orders (each with its own idempotency key) one account may place in 24 hours; the
    /// cap that keeps free and pay-per-use orders, which cost nothing to place, from
    /// filling the database. Raised by the crash-reliability check, which places thousands.
    #[arg(long, global = true, env = "BAZAAR_MAX_ORDERS_PER_DAY", default_value_t = 500, hide = true)]
    pub max_orders_per_day: i64,

    /// How long one request may take before it is answered 503.
    #[arg(long, global = true, env = "BAZAAR_REQUEST_TIMEOUT_MS", default_value_t = 30_000, hide = true)]
    pub request_timeout_ms: u64,

    /// A session ends after this long without a request (sliding).
    #[arg(long, global = true, env = "BAZAAR_SESSION_IDLE_SECONDS", default_value_t = bazaar_core::security::SESSION_IDLE_SECONDS, hide = true)]
    pub session_idle_seconds: i64,

    /// A session ends this long after its password was entered.
    #[arg(long, global = true, env = "BAZAAR_SESSION_ABSOLUTE_SECONDS", default_value_t = bazaar_core::security::SESSION_ABSOLUTE_SECONDS, hide = true)]
    pub session_absolute_seconds: i64,

    /// How this server reaches itself, for the demo seller's provisioning endpoint.
    /// Defaults to `http://<bind>`.
    #[arg(long, global = true, env = "BAZAAR_SELF_URL")]
    pub self_url: Option<String>,

    /// How long one call to a seller's provisioning endpoint may take.
    #[arg(long, global = true, env = "BAZAAR_PROVISIONING_TIMEOUT_MS", default_value_t = 5_000, hide = true)]
    pub provisioning_timeout_ms: u64,

    /// Calls to a seller's provisioning endpoint before the order is cancelled and refunded.
    #[arg(long, global = true, env = "BAZAAR_PROVISIONING_ATTEMPTS", default_value_t = 4, hide = true)]
    pub provisioning_attempts: u32,

    /// Wait before the first retry; each further retry waits twice as long.
    #[arg(long, global = true, env = "BAZAAR_PROVISIONING_BACKOFF_MS", default_value_t = 1_000, hide = true)]
    pub provisioning_backoff_ms: u64,

    /// Run the background sweeps (unpaid deadlines, auto-renewals, reminders, seller
    /// notices, supervision completions). Off only in tests, which sweep when they mean to.
    #[arg(long, global = true, env = "BAZAAR_BACKGROUND_SWEEPS", default_value_t = true, action = clap::ArgAction::Set, hide = true)]
    pub background_sweeps: bool,

    /// The font invoice PDFs embed (a subset of): it must cover Chinese. Debian's
    /// `fonts-noto-cjk`, which `cargo xtask dev` and `test` install, by default.
    #[arg(long, global = true, env = "BAZAAR_INVOICE_FONT", default_value = DEFAULT_INVOICE_FONT)]
    pub invoice_font: std::path::PathBuf,

    /// The face of a font collection to use (2 is Noto Sans CJK SC in Debian's file).
    #[arg(long, global = true, env = "BAZAAR_INVOICE_FONT_INDEX", default_value_t = 2)]
    pub invoice_font_index: u32,
}

/// Noto Sans CJK as Debian's `fonts-noto-cjk` installs it.
pub const DEFAULT_INVOICE_FONT: &str = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";

impl Config {
    /// Whether cookies are `Secure` (see [`Config::secure_cookies`]).
    pub fn cookies_are_secure(&self) -> bool {
        self.secure_cookies.unwrap_or(!self.demo)
    }

    /// A configuration for tests and tools: demo mode, loopback, the given database.
    pub fn for_tests(database_url: impl Into<String>) -> Config {
        Config {
            bind: "127.0.0.1:0".parse().expect("static address"),
            database_url: database_url.into(),
            // Tests run many servers against one PostgreSQL at once.
            database_pool_size: 4,
            static_dir: None,
            demo: true,
            demo_apps: false,
            allowed_origins: Vec::new(),
            secure_cookies: None,
            secret_key_file: None,
            secret_key: None,
            trusted_proxies: Vec::new(),
            max_orders_per_day: 500,
            request_timeout_ms: 30_000,
            session_idle_seconds: bazaar_core::security::SESSION_IDLE_SECONDS,
            session_absolute_seconds: bazaar_core::security::SESSION_ABSOLUTE_SECONDS,
            self_url: None,
            provisioning_timeout_ms: 5_000,
            provisioning_attempts: 4,
            provisioning_backoff_ms: 1_000,
            // Tests sweep when they mean to (`sweep_once`), never behind their back.
            background_sweeps: false,
            invoice_font: DEFAULT_INVOICE_FONT.into(),
            invoice_font_index: 2,
        }
    }
}

/// A secret from the environment or a file: its `Debug` never shows it, so configuration
/// dumps, panics and logs cannot leak the master key.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretText(String);

impl SecretText {
    pub fn new(text: impl Into<String>) -> SecretText {
        SecretText(text.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SecretText(<hidden>)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_master_key_is_never_debug_printed() {
        let mut config = Config::for_tests("sqlite::memory:");
        config.secret_key = Some(SecretText::new("ab".repeat(32)));
        assert!(!format!("{config:?}").contains("abab"));
    }

    #[test]
    fn options_may_come_before_or_after_the_command() {
        use clap::Parser as _;
        let after = Cli::try_parse_from([
            "bazaar-server",
            "generate-catalog",
            "--products",
            "10",
            "--database-url",
            "sqlite://after.db",
        ])
        .expect("options after the command");
        let before = Cli::try_parse_from([
            "bazaar-server",
            "--database-url",
            "sqlite://after.db",
            "generate-catalog",
            "--products",
            "10",
        ])
        .expect("options before the command");
        for cli in [after, before] {
            assert_eq!(cli.config.database_url, "sqlite://after.db");
            assert!(matches!(cli.command, Some(Command::GenerateCatalog { products: 10 })));
        }
    }

    #[test]
    fn the_master_key_is_not_a_command_line_option() {
        use clap::CommandFactory as _;
        let command = Cli::command();
        assert!(command.get_arguments().all(|argument| argument.get_long() != Some("secret-key")));
    }
}
