//! The full-text half of search, the one part whose SQL differs per database: SQLite's
//! FTS5 table ranked by bm25, PostgreSQL's weighted tsvector ranked by ts_rank. Both take
//! the same words (see `domain::search::fts_phrases`), match each as a prefix, and return one
//! score per product where lower is better, so the rest of search cannot tell them apart.
//! Ranking differs between the two (bm25 against ts_rank); the result sets do not.

use bazaar_core::ids::ProductId;

use crate::error::ApiResult;
use crate::infra::db::{self, Backend, Connection, Database};

/// The text of a product that search looks in.
pub struct Searchable<'a> {
    pub name: &'a str,
    pub summary: &'a str,
    pub seller: &'a str,
    pub tags: &'a str,
}

/// Adds a new product to the full-text index.
pub async fn index_product(connection: &mut Connection, product_id: ProductId, text: Searchable<'_>) -> ApiResult<()> {
    let sql = match connection.backend() {
        Backend::Sqlite => {
            "/* SQLite */ INSERT INTO products_fts (rowid, name, summary, seller, tags) VALUES ($1, $2, $3, $4, $5)"
        }
        // Weights as the migration explains: name A, tags B, summary C, seller D.
        Backend::Postgres => {
            "/* PostgreSQL */ INSERT INTO products_fts (product_id, document) VALUES ($1,
                 setweight(to_tsvector('simple', $2), 'A') || setweight(to_tsvector('simple', $5), 'B')
                 || setweight(to_tsvector('simple', $3), 'C') || setweight(to_tsvector('simple', $4), 'D'))"
        }
    };
    db::query(sql)
        .bind(product_id)
        .bind(text.name)
        .bind(text.summary)
        .bind(text.seller)
        .bind(text.tags)
        .execute(connection)
        .await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
pub struct TextMatchRow {
    pub product_id: ProductId,
    pub score: f64,
}

/// The products matching one phrase of `domain::search::fts_phrases` (`"word"*`), with scores.
pub async fn phrase_matches(db: &Database, phrase: &str) -> ApiResult<Vec<TextMatchRow>> {
    Ok(match db.backend() {
        // bm25 with column weights name 10, summary 4, seller 3, tags 6 (negative: lower
        // is better).
        Backend::Sqlite => {
            db::query_as(
                "/* SQLite */ SELECT rowid AS product_id, bm25(products_fts, 10.0, 4.0, 3.0, 6.0) AS score
                 FROM products_fts WHERE products_fts MATCH $1",
            )
            .bind(phrase)
            .fetch_all(db)
            .await?
        }
        // The word as a prefix query; it is letters and digits only (fts_phrases keeps
        // nothing else), so it cannot be tsquery syntax. ts_rank is higher for better
        // matches, hence the minus.
        Backend::Postgres => {
            let word = phrase.trim_end_matches('*').trim_matches('"');
            db::query_as(
                "/* PostgreSQL */ SELECT product_id, -CAST(ts_rank('{0.3, 0.4, 0.6, 1.0}', document, query) AS FLOAT8) AS score
                 FROM products_fts, to_tsquery('simple', $1) AS query WHERE document @@ query",
            )
            .bind(format!("{word}:*"))
            .fetch_all(db)
            .await?
        }
    })
}
