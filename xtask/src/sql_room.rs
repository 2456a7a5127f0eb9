//! The store room rule: SQL runs in `crates/server/src/store/` and nowhere else, except the
//! database engine layer (`infra/db/`), the demo's seeding (`demo/`), and the modules still
//! to move in ([`STILL_TO_MOVE`]). That list only shrinks: a module that runs SQL and is not
//! on it fails the check, and so does one on it that no longer runs any (take it off).

use std::path::Path;

/// Server modules (files under `crates/server/src`) that still run SQL of their own. Move
/// their statements into `store/` and take them off; never add one. (Empty: every
/// statement has moved in.)
pub const STILL_TO_MOVE: &[&str] = &[];

/// Where SQL may run besides the store: the engines themselves and the demo's seeding.
const ALLOWED_ROOMS: &[&str] = &["store/", "infra/db/", "demo/"];

/// Whether a source text runs a statement (`db::query(…)`, `query_as`, `query_scalar`, or
/// sqlx's own), outside its tests.
pub fn runs_sql(text: &str) -> bool {
    let code = text.split("#[cfg(test)]").next().unwrap_or_default();
    ["db::", "sqlx::"].iter().any(|prefix| {
        ["query(", "query_as(", "query_scalar(", "query::<", "query_as::<", "query_scalar::<"]
            .iter()
            .any(|call| code.contains(&format!("{prefix}{call}")))
    })
}

/// The problems of the server's sources under `source`: SQL where it may not run, and
/// modules on [`STILL_TO_MOVE`] that have moved in already.
pub fn problems(source: &Path, files: &[std::path::PathBuf]) -> Vec<String> {
    problems_with(source, files, STILL_TO_MOVE)
}

/// [`problems`] with `still_to_move` as the list of modules not moved in yet.
fn problems_with(source: &Path, files: &[std::path::PathBuf], still_to_move: &[&str]) -> Vec<String> {
    let mut problems = Vec::new();
    for file in files {
        let relative = file.strip_prefix(source).unwrap_or(file).to_string_lossy().replace('\\', "/");
        if ALLOWED_ROOMS.iter().any(|room| relative.starts_with(room)) {
            continue;
        }
        let runs = std::fs::read_to_string(file).map(|text| runs_sql(&text)).unwrap_or(false);
        match (runs, still_to_move.contains(&relative.as_str())) {
            (true, false) => problems.push(format!("SQL outside store/: crates/server/src/{relative}")),
            (false, true) => problems.push(format!(
                "crates/server/src/{relative} runs no SQL any more: take it off sql_room::STILL_TO_MOVE"
            )),
            _ => {}
        }
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_are_found_outside_tests_only() {
        assert!(runs_sql("let x = db::query_scalar::<i64>(\"SELECT 1\");"));
        assert!(runs_sql("db::query(\"DELETE FROM t\").execute(db)"));
        assert!(runs_sql("sqlx::query_as::<_, (i64,)>(\"SELECT 1\")"));
        assert!(!runs_sql("store::sessions::end(db, id).await?"));
        assert!(!runs_sql("const TARGET: &str = \"sqlx::query\";"), "a log target is no statement");
        assert!(!runs_sql("fn f() {}\n#[cfg(test)]\nmod tests { fn t() { db::query(\"x\"); } }"));
    }

    #[test]
    fn the_list_only_shrinks() {
        let source = std::env::temp_dir().join(format!("bazaar-sql-room-{}", std::process::id()));
        std::fs::create_dir_all(source.join("http")).unwrap();
        std::fs::create_dir_all(source.join("store")).unwrap();
        std::fs::create_dir_all(source.join("domain")).unwrap();
        // A module still on a list, written as if it had moved in.
        let listed = "domain/old.rs";
        std::fs::create_dir_all(source.join(listed).parent().unwrap()).unwrap();
        let files = [source.join("http/new.rs"), source.join("store/t.rs"), source.join(listed)];
        std::fs::write(&files[0], "db::query(\"SELECT 1\")").unwrap();
        std::fs::write(&files[1], "db::query(\"SELECT 1\")").unwrap();
        std::fs::write(&files[2], "store::vpcs::of_account(db)").unwrap();
        let found = problems_with(&source, &files, &[listed]);
        std::fs::remove_dir_all(&source).unwrap();
        assert_eq!(
            found,
            [
                "SQL outside store/: crates/server/src/http/new.rs".to_owned(),
                format!("crates/server/src/{listed} runs no SQL any more: take it off sql_room::STILL_TO_MOVE"),
            ]
        );
    }
}
