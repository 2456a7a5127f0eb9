//! Every statement the store room writes out in full is prepared on both engines: a typo in
//! a table or column name, or SQL one engine does not speak, fails here rather than on
//! the first request that runs it. The statements are the SQL string literals of
//! `src/store/` (read with syn); the few assembled with `format!` from shared column lists
//! are exercised by the other tests instead.

use std::path::Path;

use bazaar_server::infra::db::{Backend, Database};
use syn::visit::Visit;

use crate::common::{spawn_app, spawn_app_on_sqlite};

/// One SQL literal of the store room, and the engine it is for (`None`: both).
struct Statement {
    file: String,
    engine: Option<Backend>,
    sql: String,
}

/// The SQL literals of the store room's sources.
fn store_statements() -> Vec<Statement> {
    struct Literals(Vec<String>);
    impl<'ast> Visit<'ast> for Literals {
        fn visit_lit_str(&mut self, literal: &'ast syn::LitStr) {
            self.0.push(literal.value());
        }
    }
    let store = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/store");
    let mut statements = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&store).unwrap().map(|entry| entry.unwrap().path()).collect();
    files.sort();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let syntax = syn::parse_file(&text).unwrap_or_else(|error| panic!("{}: {error}", file.display()));
        let mut literals = Literals(Vec::new());
        literals.visit_file(&syntax);
        let name = file.file_name().unwrap().to_string_lossy().into_owned();
        for literal in literals.0 {
            let sql = literal.trim();
            // A statement one engine only runs says which: `/* SQLite */ …`, `/* PostgreSQL */ …`.
            let (engine, body) = match sql.strip_prefix("/* ").and_then(|rest| rest.split_once(" */ ")) {
                Some(("SQLite", body)) => (Some(Backend::Sqlite), body),
                Some(("PostgreSQL", body)) => (Some(Backend::Postgres), body),
                _ => (None, sql),
            };
            let is_statement =
                ["SELECT ", "INSERT ", "UPDATE ", "DELETE ", "WITH "].iter().any(|keyword| body.starts_with(keyword));
            // `{…}` marks a `format!` template, not a whole statement.
            if is_statement && !sql.contains('{') {
                statements.push(Statement { file: name.clone(), engine, sql: sql.to_owned() });
            }
        }
    }
    statements
}

/// Prepares each statement meant for `db`'s engine; the ones that fail, with why.
async fn prepare_all(db: &Database, statements: &[Statement]) -> Vec<String> {
    use sqlx::Executor as _;
    let mut failures = Vec::new();
    for Statement { file, engine, sql } in statements {
        if engine.is_some_and(|engine| engine != db.backend()) {
            continue;
        }
        let prepared = match db {
            Database::Sqlite(pool) => pool.prepare(sql.as_str()).await.map(|_| ()),
            Database::Postgres(pool) => pool.prepare(sql.as_str()).await.map(|_| ()),
        };
        if let Err(error) = prepared {
            // PostgreSQL cannot type a parameter used only as `$1 IS NULL` until a value is
            // bound (sqlx binds typed values when it runs the statement): not a fault.
            let indeterminate =
                matches!(&error, sqlx::Error::Database(database) if database.code().as_deref() == Some("42P18"));
            if !indeterminate {
                failures.push(format!("{file}: {error}\n    {sql}"));
            }
        }
    }
    failures
}

#[tokio::test]
async fn every_store_statement_prepares_on_both_engines() {
    let statements = store_statements();
    assert!(statements.len() > 100, "the store room's statements were read: {}", statements.len());
    let sqlite = spawn_app_on_sqlite().await;
    let failures = prepare_all(&sqlite.state.db, &statements).await;
    assert!(failures.is_empty(), "statements SQLite refuses:\n{}", failures.join("\n"));
    let postgres = spawn_app().await;
    if postgres.state.db.backend() == Backend::Postgres {
        let failures = prepare_all(&postgres.state.db, &statements).await;
        assert!(failures.is_empty(), "statements PostgreSQL refuses:\n{}", failures.join("\n"));
    }
}

#[test]
fn a_statement_with_a_wrong_column_is_refused() {
    // The check itself: SQLite refuses a statement naming a column that does not exist.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let app = spawn_app_on_sqlite().await;
        let wrong = vec![Statement {
            file: "test".to_owned(),
            engine: None,
            sql: "SELECT no_such_column FROM orders".to_owned(),
        }];
        assert_eq!(prepare_all(&app.state.db, &wrong).await.len(), 1);
    });
}
