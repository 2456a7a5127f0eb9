//! The two schemas are one: SQLite's migrations and PostgreSQL's must give the same
//! tables, columns, nullability, unique keys, indexes and triggers, except the few
//! objects each engine does its own way (listed below, with why). Runs on the PostgreSQL
//! pass of the server tests (`cargo xtask test` runs them on both), comparing a fresh
//! database of each engine.

use std::collections::BTreeSet;

use bazaar_server::infra::db::{self, Backend, Database};

use crate::common::{spawn_app, spawn_app_on_sqlite};

/// Tables, and columns (`table.column`), that exist on one engine only.
const ENGINE_OWN_TABLES: &[&str] = &[
    // SQLite's migration bookkeeping and its AUTOINCREMENT counters.
    "sqlite_sequence",
    // Full-text search: an FTS5 virtual table and its shadow tables on SQLite, a table
    // with a weighted `tsvector` on PostgreSQL (docs/postgresql.md).
    "products_fts",
    "products_fts_config",
    "products_fts_content",
    "products_fts_data",
    "products_fts_docsize",
    "products_fts_idx",
];
const ENGINE_OWN_COLUMNS: &[&str] = &[
    // SQLite gives every table a `rowid` of its own; PostgreSQL needs the column spelt out
    // where a query orders by insertion.
    "renewal_lines.rowid",
];
/// Triggers PostgreSQL does in one (a function that sees OLD and NEW) and SQLite in two:
/// (PostgreSQL's name, SQLite's names).
const SPLIT_TRIGGERS: &[(&str, &[&str])] = &[
    (
        "messages unread_message_counts_on_update",
        &["messages unread_message_counts_on_read", "messages unread_message_counts_on_unread"],
    ),
    (
        "orders term_expiry_days_on_update",
        &["orders term_expiry_days_on_update_new", "orders term_expiry_days_on_update_old"],
    ),
];

/// What the comparison sees of one schema.
#[derive(Debug, Default, PartialEq, Eq)]
struct Schema {
    /// `table.column NULL|NOT NULL`
    columns: BTreeSet<String>,
    /// `table (col, col) UNIQUE|INDEX`: every index and unique key, by what it covers.
    keys: BTreeSet<String>,
    /// Names of the indexes the migrations created (not those behind constraints).
    named_indexes: BTreeSet<String>,
    /// `table trigger`
    triggers: BTreeSet<String>,
}

fn own_table(table: &str) -> bool {
    ENGINE_OWN_TABLES.contains(&table) || table == "_sqlx_migrations"
}

async fn sqlite_schema(db: &Database) -> Schema {
    let mut schema = Schema::default();
    let tables: Vec<String> =
        db::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table'").fetch_all(db).await.unwrap();
    for table in tables.iter().filter(|table| !own_table(table)) {
        let columns: Vec<(i64, String, String, i64, Option<String>, i64)> = db::query_as(&format!(
            "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info('{table}')"
        ))
        .fetch_all(db)
        .await
        .unwrap();
        for (_, name, _, not_null, _, primary_key) in columns {
            let null = if not_null == 1 || primary_key > 0 { "NOT NULL" } else { "NULL" };
            schema.columns.insert(format!("{table}.{name} {null}"));
        }
        let indexes: Vec<(i64, String, i64, String, i64)> =
            db::query_as(&format!("SELECT seq, name, \"unique\", origin, partial FROM pragma_index_list('{table}')"))
                .fetch_all(db)
                .await
                .unwrap();
        for (_, index, unique, origin, _) in indexes {
            let columns: Vec<(i64, i64, Option<String>)> =
                db::query_as(&format!("SELECT seqno, cid, name FROM pragma_index_info('{index}') ORDER BY seqno"))
                    .fetch_all(db)
                    .await
                    .unwrap();
            let names: Vec<String> =
                columns.into_iter().map(|(_, _, name)| name.unwrap_or_else(|| "<expression>".to_owned())).collect();
            let kind = if unique == 1 { "UNIQUE" } else { "INDEX" };
            schema.keys.insert(format!("{table} ({}) {kind}", names.join(", ")));
            if origin == "c" {
                schema.named_indexes.insert(format!("{table} {index}"));
            }
        }
        // An INTEGER PRIMARY KEY is the rowid: no index of its own, but a key all the same.
        let primary: Vec<String> =
            db::query_scalar(&format!("SELECT name FROM pragma_table_info('{table}') WHERE pk > 0 ORDER BY pk"))
                .fetch_all(db)
                .await
                .unwrap();
        if !primary.is_empty() {
            schema.keys.insert(format!("{table} ({}) UNIQUE", primary.join(", ")));
        }
    }
    let triggers: Vec<(String, String)> =
        db::query_as("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'").fetch_all(db).await.unwrap();
    for (table, name) in triggers {
        let name = format!("{table} {name}");
        let name = SPLIT_TRIGGERS
            .iter()
            .find(|(_, parts)| parts.contains(&name.as_str()))
            .map_or(name, |(joined, _)| (*joined).to_owned());
        schema.triggers.insert(name);
    }
    schema
}

async fn postgres_schema(db: &Database) -> Schema {
    let mut schema = Schema::default();
    let columns: Vec<(String, String, String)> = db::query_as(
        "SELECT table_name::text, column_name::text, is_nullable::text FROM information_schema.columns
         WHERE table_schema = 'public'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (table, column, nullable) in columns {
        if own_table(&table) || ENGINE_OWN_COLUMNS.contains(&format!("{table}.{column}").as_str()) {
            continue;
        }
        let null = if nullable == "NO" { "NOT NULL" } else { "NULL" };
        schema.columns.insert(format!("{table}.{column} {null}"));
    }
    // Every index with the columns it covers, in order (an expression counts as one).
    let indexes: Vec<(String, String, bool, bool, String)> = db::query_as(
        "SELECT t.relname::text, i.relname::text, x.indisunique, c.conname IS NULL,
                COALESCE(string_agg(COALESCE(a.attname::text, '<expression>'), ', ' ORDER BY k.ordinality), '')
         FROM pg_index x
         JOIN pg_class i ON i.oid = x.indexrelid
         JOIN pg_class t ON t.oid = x.indrelid
         JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
         LEFT JOIN pg_constraint c ON c.conindid = x.indexrelid
         CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ordinality)
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0
         GROUP BY t.relname, i.relname, x.indisunique, c.conname",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (table, index, unique, created_by_migration, columns) in indexes {
        if own_table(&table) {
            continue;
        }
        let kind = if unique { "UNIQUE" } else { "INDEX" };
        schema.keys.insert(format!("{table} ({columns}) {kind}"));
        if created_by_migration {
            schema.named_indexes.insert(format!("{table} {index}"));
        }
    }
    let triggers: Vec<(String, String)> = db::query_as(
        "SELECT DISTINCT event_object_table::text, trigger_name::text FROM information_schema.triggers
         WHERE trigger_schema = 'public'",
    )
    .fetch_all(db)
    .await
    .unwrap();
    for (table, name) in triggers {
        if !own_table(&table) {
            schema.triggers.insert(format!("{table} {name}"));
        }
    }
    schema
}

fn difference(what: &str, sqlite: &BTreeSet<String>, postgres: &BTreeSet<String>) -> Vec<String> {
    let mut found: Vec<String> =
        sqlite.difference(postgres).map(|item| format!("{what} only on SQLite: {item}")).collect();
    found.extend(postgres.difference(sqlite).map(|item| format!("{what} only on PostgreSQL: {item}")));
    found
}

#[tokio::test]
async fn both_engines_have_the_same_schema() {
    let postgres = spawn_app().await;
    if postgres.state.db.backend() != Backend::Postgres {
        return;
    }
    let sqlite = spawn_app_on_sqlite().await;
    let (ours, theirs) = (sqlite_schema(&sqlite.state.db).await, postgres_schema(&postgres.state.db).await);
    assert!(ours.columns.len() > 100 && ours.keys.len() > 50, "the schema was read: {ours:?}");
    let mut differences = difference("column", &ours.columns, &theirs.columns);
    differences.extend(difference("key", &ours.keys, &theirs.keys));
    differences.extend(difference("index", &ours.named_indexes, &theirs.named_indexes));
    differences.extend(difference("trigger", &ours.triggers, &theirs.triggers));
    assert!(differences.is_empty(), "the schemas differ:\n{}", differences.join("\n"));
}
