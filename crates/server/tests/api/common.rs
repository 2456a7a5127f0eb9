//! Test helpers: `spawn_app()` starts the real server on a free loopback port with a fresh
//! database (seeded with the demo accounts), and returns a client with a cookie jar. The
//! database is a new SQLite file, or, when `BAZAAR_TEST_POSTGRES` names a PostgreSQL server
//! (`postgres://user@host:port`), a new database there (`cargo xtask test` runs both).

use bazaar_server::config::Config;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;

pub use bazaar_server::demo::seed::DEMO_PASSWORD;

pub struct TestApp {
    pub address: String,
    /// The origin browsers would send: `address`, or its https form when cookies are secure.
    pub origin: String,
    /// Operations staff, signed in when a test first moves the demo clock.
    operations: tokio::sync::OnceCell<Client>,
    pub client: Client,
    pub state: bazaar_server::state::AppState,
    database: std::sync::Arc<TestDatabase>,
}

/// Where a test's data lives: a SQLite file in a directory that is deleted with it, or a
/// database of its own on the PostgreSQL server, dropped with it (each is about 11 MB
/// seeded, and a run makes over a hundred: kept, they filled a CI machine's disk).
pub struct TestDatabase {
    url: String,
    _directory: tempfile::TempDir,
    /// (server URL, database name) on PostgreSQL.
    postgres: Option<(String, String)>,
}

impl TestDatabase {
    /// A SQLite file, whatever `BAZAAR_TEST_POSTGRES` says.
    fn sqlite() -> TestDatabase {
        let directory = tempfile::tempdir().expect("temporary directory");
        let url = format!("sqlite://{}", directory.path().join("test.db").display());
        TestDatabase { url, _directory: directory, postgres: None }
    }

    async fn new() -> TestDatabase {
        let directory = tempfile::tempdir().expect("temporary directory");
        let mut postgres = None;
        let url = match std::env::var("BAZAAR_TEST_POSTGRES") {
            Ok(server) if !server.is_empty() => {
                let name =
                    directory.path().file_name().unwrap().to_string_lossy().to_lowercase().replace(['.', '-'], "_");
                let name = format!("test_{name}");
                let mut admin = <sqlx::PgConnection as sqlx::Connection>::connect(&format!("{server}/postgres"))
                    .await
                    .expect("the PostgreSQL server in BAZAAR_TEST_POSTGRES");
                sqlx::Executor::execute(&mut admin, format!("CREATE DATABASE {name}").as_str())
                    .await
                    .expect("a database of the test's own");
                let url = format!("{server}/{name}");
                postgres = Some((server, name));
                url
            }
            _ => format!("sqlite://{}", directory.path().join("test.db").display()),
        };
        TestDatabase { url, _directory: directory, postgres }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((server, name)) = self.postgres.take() else { return };
        // Drop is not async and the test's runtime is ending: a thread with a runtime of
        // its own drops the database. `WITH (FORCE)` ends the connections that the test's
        // servers may still hold.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a runtime");
            runtime.block_on(async {
                let mut admin =
                    <sqlx::PgConnection as sqlx::Connection>::connect(&format!("{server}/postgres")).await?;
                sqlx::Executor::execute(&mut admin, format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                    .await
                    .map(|_| ())
            })
        })
        .join();
        if let Ok(Err(error)) = dropped {
            eprintln!("could not drop a test database: {error}");
        }
    }
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// Like [`spawn_app`], with a chance to change the configuration first.
pub async fn spawn_app_with(configure: impl FnOnce(&mut Config)) -> TestApp {
    spawn_app_in(std::sync::Arc::new(TestDatabase::new().await), configure).await
}

/// Like [`spawn_app`], on SQLite even when the tests run on PostgreSQL (to compare the two).
pub async fn spawn_app_on_sqlite() -> TestApp {
    spawn_app_in(std::sync::Arc::new(TestDatabase::sqlite()), |_| {}).await
}

/// Starts a server on `database` (a "restart" when one already ran on it).
pub async fn spawn_app_in(database: std::sync::Arc<TestDatabase>, configure: impl FnOnce(&mut Config)) -> TestApp {
    let mut config = Config::for_tests(database.url.clone());
    configure(&mut config);
    // Behind TLS (secure cookies) browsers see the server at https://; the test clients
    // claim the origin a browser would send.
    let scheme = if config.cookies_are_secure() { "https" } else { "http" };
    let state = bazaar_server::build_state(config).await.expect("server state");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("free port");
    let address = format!("http://{}", listener.local_addr().unwrap());
    let server_state = state.clone();
    tokio::spawn(async move {
        bazaar_server::serve(listener, server_state, std::future::pending()).await.expect("server runs");
    });
    let origin = address.replacen("http", scheme, 1);
    TestApp { client: new_client(&origin), origin, address, state, database, operations: tokio::sync::OnceCell::new() }
}

/// A client with its own cookie jar that says, as browsers do, which origin its requests
/// come from: `origin` (the server's own, so the origin check lets state changes through).
pub fn new_client(origin: &str) -> Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::ORIGIN, origin.parse().expect("an origin is a header value"));
    Client::builder().cookie_store(true).default_headers(headers).build().expect("HTTP client")
}

/// A client that sends no `Origin` (nor `Sec-Fetch-Site`): a script, not a browser.
pub fn client_without_origin() -> Client {
    Client::builder().cookie_store(true).build().expect("HTTP client")
}

impl TestApp {
    /// Another server process on this app's database, as after a restart.
    pub async fn restart_with(&self, configure: impl FnOnce(&mut Config)) -> TestApp {
        spawn_app_in(self.database.clone(), configure).await
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}/api/v1{}", self.address, path)
    }

    /// A second, independent client (its own cookie jar) against the same server.
    pub fn other_client(&self) -> Client {
        new_client(&self.origin)
    }

    pub async fn log_in_as(&self, client: &Client, username: &str) -> Response {
        client
            .post(self.url("/session"))
            .json(&serde_json::json!({ "username": username, "password": DEMO_PASSWORD }))
            .send()
            .await
            .expect("request sent")
    }

    /// A new client (own cookie jar) logged in as `username`; panics when that fails.
    pub async fn logged_in(&self, username: &str) -> Client {
        let client = self.other_client();
        assert_eq!(self.log_in_as(&client, username).await.status(), StatusCode::OK, "logging in as {username}");
        client
    }

    /// Moves the demo clock forward, as operations staff (the only role that may).
    pub async fn advance_clock(&self, seconds: i64) {
        let operations = self.operations.get_or_init(|| self.logged_in("zhang.min")).await;
        let response = operations
            .post(self.url("/demo/clock"))
            .json(&serde_json::json!({ "seconds": seconds }))
            .send()
            .await
            .expect("request sent");
        let (status, body) = decode(response).await;
        assert_eq!(status, StatusCode::OK, "moving the clock: {body}");
    }

    /// A seller's provisioning key, opened with the master keys.
    pub async fn seller_key(&self, seller_id: i64) -> bazaar_server::infra::crypto::SecretKey {
        bazaar_server::domain::secrets::seller_key(&self.state.db, &self.state.master_keys, seller_id)
            .await
            .expect("reading the key")
            .expect("the seller has a key")
    }

    /// `GET` with `client`: the status and the decoded body.
    pub async fn get_as(&self, client: &Client, path: &str) -> (StatusCode, Value) {
        decode(client.get(self.url(path)).send().await.expect("request sent")).await
    }

    /// Logs the app's own client in and panics when that fails.
    pub async fn log_in(&self, username: &str) {
        let response = self.log_in_as(&self.client, username).await;
        assert_eq!(response.status(), StatusCode::OK, "logging in as {username}");
    }

    pub async fn get_json(&self, path: &str) -> (StatusCode, Value) {
        let response = self.client.get(self.url(path)).send().await.expect("request sent");
        decode(response).await
    }

    pub async fn post_json(&self, path: &str, body: &Value) -> (StatusCode, Value) {
        let response = self.client.post(self.url(path)).json(body).send().await.expect("request sent");
        decode(response).await
    }
}

/// The status and JSON body (or `Null` for an empty body) of a response.
pub async fn decode(response: Response) -> (StatusCode, Value) {
    let status = response.status();
    let text = response.text().await.expect("body read");
    let body = if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    (status, body)
}

/// Asserts that `body` is the shared error body with `code`.
pub fn assert_error(body: &Value, code: &str) {
    assert_eq!(body["code"], code, "error body: {body}");
    assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()), "error body has a message: {body}");
    assert!(body["field_errors"].is_array(), "error body has field_errors: {body}");
}

impl TestApp {
    /// Whether `secret` is stored in plain text anywhere in the database: in the SQLite
    /// files (main and write-ahead log), or in any row of any table on PostgreSQL (as
    /// text, or as bytes in a BYTEA column).
    pub async fn stored_in_plain_text(&self, secret: &str) -> bool {
        use bazaar_server::infra::db::{self, Database};
        match &self.state.db {
            Database::Sqlite(_) => {
                // TRUNCATE copies the log into the main file and empties it: old frames go.
                db::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.state.db).await.unwrap();
                let path = self.state.config.database_url.trim_start_matches("sqlite://").to_owned();
                ["", "-wal"].iter().any(|suffix| {
                    std::fs::read(format!("{path}{suffix}"))
                        .is_ok_and(|bytes| bytes.windows(secret.len()).any(|window| window == secret.as_bytes()))
                })
            }
            Database::Postgres(_) => {
                let tables: Vec<String> = db::query_scalar(
                    "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public'",
                )
                .fetch_all(&self.state.db)
                .await
                .unwrap();
                for table in tables {
                    let sql = format!(
                        "SELECT COUNT(*) FROM {table} t
                         WHERE strpos(t::text, $1) > 0 OR strpos(t::text, encode(convert_to($1, 'UTF8'), 'hex')) > 0"
                    );
                    let rows: i64 = db::query_scalar(&sql).bind(secret).fetch_one(&self.state.db).await.unwrap();
                    if rows > 0 {
                        return true;
                    }
                }
                false
            }
        }
    }
}
