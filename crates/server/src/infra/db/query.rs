//! Queries written once for both databases. The API mirrors sqlx's `query`, `query_as` and
//! `query_scalar`; values are bound before the engine is known, so each is kept boxed and
//! encoded for whichever engine the executor turns out to be. Every value and row type
//! must convert on both engines, which the bounds check at compile time (unlike sqlx's
//! `Any` driver, which decides at run time and has no date or time types).

use std::marker::PhantomData;

use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArguments, PgRow};
use sqlx::sqlite::{SqliteArguments, SqliteRow};
use sqlx::{Arguments, Encode, FromRow, PgConnection, PgPool, Postgres, Sqlite, SqliteConnection, SqlitePool, Type};

use super::{Connection, Database, Transaction};

/// Where a query runs: a pool or one connection, of either engine.
pub enum Target<'c> {
    SqlitePool(&'c SqlitePool),
    PostgresPool(&'c PgPool),
    Sqlite(&'c mut SqliteConnection),
    Postgres(&'c mut PgConnection),
}

/// What a query can run on: `&Database`, `&mut Connection` or `&mut Transaction`.
pub trait Executor<'c>: Send {
    fn target(self) -> Target<'c>;
}

impl<'c> Executor<'c> for &'c Database {
    fn target(self) -> Target<'c> {
        match self {
            Database::Sqlite(pool) => Target::SqlitePool(pool),
            Database::Postgres(pool) => Target::PostgresPool(pool),
        }
    }
}

impl<'c> Executor<'c> for &'c mut Connection {
    fn target(self) -> Target<'c> {
        Connection::target(self)
    }
}

impl<'c> Executor<'c> for &'c mut Transaction {
    fn target(self) -> Target<'c> {
        Connection::target(self)
    }
}

/// A value that both engines can encode (any `T` whose sqlx traits say so).
pub trait Bind<'q>: Send {
    fn add_to_sqlite(self: Box<Self>, arguments: &mut SqliteArguments<'q>) -> Result<(), BoxDynError>;
    fn add_to_postgres(self: Box<Self>, arguments: &mut PgArguments) -> Result<(), BoxDynError>;
}

impl<'q, T> Bind<'q> for T
where
    T: Encode<'q, Sqlite> + Type<Sqlite> + Encode<'q, Postgres> + Type<Postgres> + Send + 'q,
{
    fn add_to_sqlite(self: Box<Self>, arguments: &mut SqliteArguments<'q>) -> Result<(), BoxDynError> {
        arguments.add(*self)
    }

    fn add_to_postgres(self: Box<Self>, arguments: &mut PgArguments) -> Result<(), BoxDynError> {
        arguments.add(*self)
    }
}

/// SQL text and its bound values, not yet tied to an engine.
struct Statement<'q> {
    sql: &'q str,
    values: Vec<Box<dyn Bind<'q> + 'q>>,
}

impl<'q> Statement<'q> {
    fn new(sql: &'q str) -> Self {
        debug_assert!(
            !has_question_mark_parameter(sql),
            "write parameters as $1, $2… (PostgreSQL does not read ?): {sql}"
        );
        Statement { sql, values: Vec::new() }
    }

    fn sqlite_arguments(self) -> Result<(&'q str, SqliteArguments<'q>), sqlx::Error> {
        let mut arguments = SqliteArguments::default();
        for value in self.values {
            value.add_to_sqlite(&mut arguments).map_err(sqlx::Error::Encode)?;
        }
        Ok((self.sql, arguments))
    }

    fn postgres_arguments(self) -> Result<(&'q str, PgArguments), sqlx::Error> {
        let mut arguments = PgArguments::default();
        for value in self.values {
            value.add_to_postgres(&mut arguments).map_err(sqlx::Error::Encode)?;
        }
        Ok((self.sql, arguments))
    }
}

/// Whether `sql` has a `?` outside quotes: a parameter PostgreSQL would not understand.
fn has_question_mark_parameter(sql: &str) -> bool {
    let mut quote: Option<char> = None;
    for character in sql.chars() {
        match (quote, character) {
            (None, '\'' | '"') => quote = Some(character),
            (Some(open), _) if character == open => quote = None,
            (None, '?') => return true,
            _ => {}
        }
    }
    false
}

/// Statements with at least this many parameters run on SQLite with anonymous `?`s when
/// they can (see [`anonymous_parameters`]).
const MANY_PARAMETERS: usize = 50;
/// The parameter every such statement has: `$` and [`MANY_PARAMETERS`].
const MANY_PARAMETERS_MARK: &str = "$50";

/// `sql` with its parameters written as anonymous `?`s, when they are exactly `$1`, `$2`, …
/// `$n` in that order, each once, outside quotes, with no comment, and `n` is at least
/// [`MANY_PARAMETERS`] (the multi-row inserts); otherwise `None`. Binding a named parameter
/// makes SQLite look its name up in a list as long as the statement's parameters, so a
/// statement of 1,000 `$n`s spent most of its time there (a profile of the usage API);
/// anonymous ones are bound by position, the same values in the same order.
fn anonymous_parameters(sql: &str) -> Option<String> {
    // Every statement on SQLite comes through here: most are turned away by a substring
    // search, without a copy (50 or more in order means `$50` is in the text).
    if !sql.contains(MANY_PARAMETERS_MARK) || sql.contains("--") || sql.contains("/*") {
        return None;
    }
    let mut rewritten = String::with_capacity(sql.len());
    let mut quote: Option<char> = None;
    let mut expected = 1usize;
    let mut characters = sql.char_indices().peekable();
    while let Some((_, character)) = characters.next() {
        match (quote, character) {
            (None, '\'' | '"') => quote = Some(character),
            (Some(open), _) if character == open => quote = None,
            (None, '$') => {
                let mut number = String::new();
                while let Some((_, digit)) = characters.peek().filter(|(_, next)| next.is_ascii_digit()) {
                    number.push(*digit);
                    characters.next();
                }
                if number.parse::<usize>().ok()? != expected {
                    return None;
                }
                expected += 1;
                rewritten.push('?');
                continue;
            }
            _ => {}
        }
        rewritten.push(character);
    }
    (expected > MANY_PARAMETERS).then_some(rewritten)
}

/// Runs one arm per engine with the statement's arguments bound for it.
macro_rules! dispatch {
    ($statement:expr, $executor:expr, |$sql:ident, $arguments:ident, $target:ident| $run:expr) => {
        match $executor.target() {
            Target::SqlitePool($target) => {
                let (named, $arguments) = $statement.sqlite_arguments()?;
                let anonymous = anonymous_parameters(named);
                let $sql = anonymous.as_deref().unwrap_or(named);
                $run
            }
            Target::Sqlite($target) => {
                let (named, $arguments) = $statement.sqlite_arguments()?;
                let anonymous = anonymous_parameters(named);
                let $sql = anonymous.as_deref().unwrap_or(named);
                $run
            }
            Target::PostgresPool($target) => {
                let ($sql, $arguments) = $statement.postgres_arguments()?;
                $run
            }
            Target::Postgres($target) => {
                let ($sql, $arguments) = $statement.postgres_arguments()?;
                $run
            }
        }
    };
}

/// `fetch_all`, `fetch_one` and `fetch_optional` of a statement read through `$read`
/// (sqlx's `query_as_with` or `query_scalar_with`) into `O`s.
macro_rules! fetches {
    ($read:path) => {
        pub async fn fetch_all<'c>(self, executor: impl Executor<'c>) -> Result<Vec<O>, sqlx::Error> {
            dispatch!(self.0, executor, |sql, arguments, target| $read(sql, arguments).fetch_all(target).await)
        }

        pub async fn fetch_one<'c>(self, executor: impl Executor<'c>) -> Result<O, sqlx::Error> {
            dispatch!(self.0, executor, |sql, arguments, target| $read(sql, arguments).fetch_one(target).await)
        }

        pub async fn fetch_optional<'c>(self, executor: impl Executor<'c>) -> Result<Option<O>, sqlx::Error> {
            dispatch!(self.0, executor, |sql, arguments, target| $read(sql, arguments).fetch_optional(target).await)
        }
    };
}

/// What a statement that reads no rows did.
#[derive(Debug, Clone, Copy)]
pub struct Done(u64);

impl Done {
    /// How many rows the statement changed.
    pub fn rows_affected(&self) -> u64 {
        self.0
    }
}

/// A statement whose rows are not read: see [`query`].
pub struct Query<'q>(Statement<'q>);

/// A statement that changes rows (or reads none). Parameters are `$1`, `$2`…
pub fn query(sql: &str) -> Query<'_> {
    Query(Statement::new(sql))
}

impl<'q> Query<'q> {
    pub fn bind(mut self, value: impl Bind<'q> + 'q) -> Self {
        self.0.values.push(Box::new(value));
        self
    }

    pub async fn execute<'c>(self, executor: impl Executor<'c>) -> Result<Done, sqlx::Error> {
        dispatch!(self.0, executor, |sql, arguments, target| {
            Ok(Done(sqlx::query_with(sql, arguments).execute(target).await?.rows_affected()))
        })
    }
}

/// A statement whose rows become `O`s (a `FromRow` struct or a tuple): see [`query_as`].
pub struct QueryAs<'q, O>(Statement<'q>, PhantomData<O>);

/// A statement read into rows of type `O`.
pub fn query_as<O>(sql: &str) -> QueryAs<'_, O> {
    QueryAs(Statement::new(sql), PhantomData)
}

impl<'q, O> QueryAs<'q, O>
where
    O: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    pub fn bind(mut self, value: impl Bind<'q> + 'q) -> Self {
        self.0.values.push(Box::new(value));
        self
    }

    fetches!(sqlx::query_as_with);
}

/// A statement whose rows are one column, read as `O`: see [`query_scalar`].
pub struct QueryScalar<'q, O>(Statement<'q>, PhantomData<O>);

/// A statement read into the values of its one column.
pub fn query_scalar<O>(sql: &str) -> QueryScalar<'_, O> {
    QueryScalar(Statement::new(sql), PhantomData)
}

impl<'q, O> QueryScalar<'q, O>
where
    (O,): for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow>,
    O: Send + Unpin,
{
    pub fn bind(mut self, value: impl Bind<'q> + 'q) -> Self {
        self.0.values.push(Box::new(value));
        self
    }

    fetches!(sqlx::query_scalar_with);
}

#[cfg(test)]
mod tests {
    use super::{MANY_PARAMETERS, MANY_PARAMETERS_MARK, anonymous_parameters, has_question_mark_parameter};

    fn numbered(count: usize) -> String {
        let places: Vec<String> = (1..=count).map(|n| format!("${n}")).collect();
        format!("INSERT INTO t (a) VALUES ({})", places.join("), ("))
    }

    #[test]
    fn the_mark_is_the_lowest_parameter_number_rewritten() {
        assert_eq!(MANY_PARAMETERS_MARK, format!("${MANY_PARAMETERS}"));
    }

    #[test]
    fn many_parameters_in_order_become_anonymous() {
        let anonymous = anonymous_parameters(&numbered(MANY_PARAMETERS)).unwrap();
        assert_eq!(anonymous.matches('?').count(), MANY_PARAMETERS);
        assert!(!anonymous.contains('$'));
        assert!(anonymous.starts_with("INSERT INTO t (a) VALUES (?), (?)"));
    }

    #[test]
    fn few_reused_or_unordered_parameters_and_comments_stay_named() {
        assert_eq!(anonymous_parameters(&numbered(MANY_PARAMETERS - 1)), None);
        let reused = format!("{} AND b = $1", numbered(MANY_PARAMETERS));
        assert_eq!(anonymous_parameters(&reused), None);
        let swapped = numbered(MANY_PARAMETERS).replacen("$1", "$2", 1);
        assert_eq!(anonymous_parameters(&swapped), None);
        let commented = format!("-- a note\n{}", numbered(MANY_PARAMETERS));
        assert_eq!(anonymous_parameters(&commented), None);
        // `$` inside quotes is text.
        let quoted = numbered(MANY_PARAMETERS).replace("INSERT INTO t", "INSERT INTO t /* */");
        assert_eq!(anonymous_parameters(&quoted), None);
        let text = format!("{} AND c = '$9'", numbered(MANY_PARAMETERS));
        assert!(anonymous_parameters(&text).unwrap().ends_with("'$9'"));
    }

    #[test]
    fn question_marks_in_quotes_are_text_not_parameters() {
        assert!(has_question_mark_parameter("SELECT 1 WHERE id = ?"));
        assert!(has_question_mark_parameter("SELECT 1 WHERE id = ?1"));
        assert!(!has_question_mark_parameter("SELECT 1 WHERE id = $1"));
        assert!(!has_question_mark_parameter("SELECT '?' WHERE id = $1"));
        assert!(!has_question_mark_parameter("SELECT \"a?\" FROM t"));
    }
}
