//! Reviews by verified buyers: who may write one (core's `review_eligibility` over their
//! delivered purchases), writing and editing it (one per buyer and product), the seller's
//! one answer, operations hiding one with a reason; and a product's reviews page with its
//! rating summary and its seller's support figures. Every change of a visible review's
//! stars changes `product_ratings` in the same transaction.

use bazaar_core::catalog::Rating;
use bazaar_core::error::{FieldErrorCode, FieldErrors};
use bazaar_core::ids::{AccountId, ProductId};
use bazaar_core::support::reviews::{
    ANSWER_MAX, Delivered, HIDE_REASON_MAX, HIDE_REASON_MIN, RatingSummary, SUPPORT_RATINGS_TO_SHOW, check_review,
    median, review_eligibility,
};
use bazaar_core::support::wire::{MyReview, ProductReviews, ReviewInput, ReviewView, SupportFigures};

use crate::domain::search::across_instances;
use crate::error::{ApiError, ApiResult};
use crate::infra::clock::from_unix;
use crate::infra::db::{Backend, Connection, WriteScope, begin_write};
use crate::state::AppState;
use crate::store;
use crate::store::reviews::{NewReview, ReviewRow};

/// Reviews a page shows.
pub const PAGE_SIZE: i64 = 10;

/// How long a seller's support figures are reused: they need every rated ticket of the
/// seller (a median), and a product page may be read hundreds of times a second.
pub const FIGURES_FOR: std::time::Duration = std::time::Duration::from_secs(300);

/// Who reads a product's reviews.
#[derive(Debug, Clone, Copy)]
pub struct Reader {
    pub account_id: AccountId,
    pub customer: bool,
    pub seller_id: Option<i64>,
    pub operations: bool,
}

fn view(row: ReviewRow) -> ReviewView {
    ReviewView {
        id: row.id,
        author_name: row.author_name,
        stars: u8::try_from(row.stars).unwrap_or(0),
        text: row.body,
        updated_at: from_unix(row.updated_at),
        answer: row.answer,
        hidden_reason: row.hidden_reason,
    }
}

/// "Lin W." for "Lin Wei"; a one-word name as it is.
fn shown_name(display_name: &str) -> String {
    let mut words = display_name.split_whitespace();
    let first = words.next().unwrap_or("Buyer");
    match words.last().and_then(|last| last.chars().next()) {
        Some(initial) => format!("{first} {initial}."),
        None => first.to_owned(),
    }
}

/// Page `page` of product `product_id`'s reviews, for `reader` (anyone when `None`).
pub async fn product_reviews(
    state: &AppState,
    reader: Option<Reader>,
    product_id: i64,
    page: u32,
) -> ApiResult<ProductReviews> {
    let mut connection = state.db.acquire().await?;
    let seller_id = store::reviews::seller_of_product(&mut connection, product_id).await?.ok_or(ApiError::NotFound)?;
    drop(connection);
    let counts = store::reviews::rating(&state.db, product_id).await?;
    let summary = RatingSummary::from_distribution(counts.map(|n| u32::try_from(n).unwrap_or(0)));
    let page = page.max(1);
    let offset = i64::from(page - 1) * PAGE_SIZE;
    let items = store::reviews::page(&state.db, product_id, (PAGE_SIZE, offset)).await?.into_iter().map(view).collect();
    let mine = match reader.filter(|reader| reader.customer) {
        Some(reader) => Some(my_review(state, reader.account_id, product_id).await?),
        None => None,
    };
    Ok(ProductReviews {
        total: u64::from(summary.count),
        summary,
        items,
        page,
        page_size: PAGE_SIZE as u32,
        support: support_figures(state, seller_id).await?,
        mine,
        seller: reader.is_some_and(|reader| reader.seller_id == Some(seller_id)),
        operations: reader.is_some_and(|reader| reader.operations),
    })
}

async fn my_review(state: &AppState, account_id: AccountId, product_id: i64) -> ApiResult<MyReview> {
    let mut connection = state.db.acquire().await?;
    let delivered = delivered(&mut connection, account_id, product_id).await?;
    let review = store::reviews::of_account(&mut connection, account_id, product_id).await?.map(view);
    let refusal = review_eligibility(&delivered, state.clock.now()).err();
    Ok(MyReview { refusal, review })
}

async fn delivered(
    connection: &mut crate::infra::db::Connection,
    account_id: AccountId,
    product_id: i64,
) -> ApiResult<Vec<Delivered>> {
    Ok(store::reviews::delivered(connection, account_id, product_id)
        .await?
        .into_iter()
        .map(|row| Delivered {
            delivered_at: from_unix(row.delivered_at),
            unsubscribed_at: row.unsubscribed_at.map(from_unix),
        })
        .collect())
}

/// The seller's support figures once [`SUPPORT_RATINGS_TO_SHOW`] tickets were rated
/// (reused for [`FIGURES_FOR`]).
async fn support_figures(state: &AppState, seller_id: i64) -> ApiResult<Option<SupportFigures>> {
    state.support_figures.get_or_compute(seller_id, || compute_support_figures(state, seller_id)).await
}

async fn compute_support_figures(state: &AppState, seller_id: i64) -> ApiResult<Option<SupportFigures>> {
    let rated = store::reviews::rated_tickets(&state.db, seller_id).await?;
    if rated.len() < SUPPORT_RATINGS_TO_SHOW {
        return Ok(None);
    }
    let mut distribution = [0u32; 5];
    for (stars, _) in &rated {
        if let Some(slot) = usize::try_from(stars - 1).ok().and_then(|index| distribution.get_mut(index)) {
            *slot += 1;
        }
    }
    let mut answers: Vec<i64> = rated.iter().filter_map(|(_, seconds)| *seconds).collect();
    let median_seconds = median(&mut answers).unwrap_or(0);
    Ok(Some(SupportFigures {
        rated_tickets: u32::try_from(rated.len()).unwrap_or(u32::MAX),
        average_rating_tenths: RatingSummary::from_distribution(distribution).average_tenths,
        median_first_answer_minutes: u32::try_from((median_seconds + 59) / 60).unwrap_or(u32::MAX),
    }))
}

/// Writes or edits the buyer's review of `product_id`.
pub async fn save(
    state: &AppState,
    account_id: AccountId,
    product_id: i64,
    input: &ReviewInput,
) -> ApiResult<ReviewView> {
    let errors = check_review(input.stars, &input.text);
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors.0));
    }
    let display_name =
        store::accounts::account(&state.db, account_id).await?.map(|row| row.display_name).unwrap_or_default();
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Account(account_id)).await?;
    // Every read on the transaction's own connection: a second one from the pool while
    // holding this one can starve a busy pool.
    if store::reviews::seller_of_product(&mut transaction, product_id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    let delivered = delivered(&mut transaction, account_id, product_id).await?;
    if let Err(refusal) = review_eligibility(&delivered, from_unix(now)) {
        let message = match refusal {
            bazaar_core::support::reviews::ReviewRefusal::NoDeliveredOrder => {
                "Only buyers with a delivered order of this product can review it."
            }
            bazaar_core::support::reviews::ReviewRefusal::LeftTooLongAgo => {
                "You left this product more than 45 days ago."
            }
        };
        return Err(ApiError::Conflict(message.to_owned()));
    }
    let text = input.text.trim();
    let id = match store::reviews::of_account(&mut transaction, account_id, product_id).await? {
        Some(old) => {
            store::reviews::update(&mut transaction, old.id, input.stars, text, now).await?;
            if old.hidden_reason.is_none() {
                store::reviews::count_stars(&mut transaction, product_id, old.stars, -1).await?;
                store::reviews::count_stars(&mut transaction, product_id, input.stars, 1).await?;
            }
            old.id
        }
        None => {
            let author_name = shown_name(&display_name);
            let review =
                NewReview { product_id, account_id, author_name: &author_name, stars: input.stars, body: text, now };
            let id = store::reviews::insert(&mut transaction, review).await?;
            store::reviews::count_stars(&mut transaction, product_id, input.stars, 1).await?;
            id
        }
    };
    let rating = announce_rating(&mut transaction, product_id).await?;
    let saved = store::reviews::by_id(&mut transaction, id).await?.ok_or(ApiError::NotFound)?;
    transaction.commit().await?;
    after_rating(state, product_id, rating);
    Ok(view(saved))
}

/// The product's rating as its review's transaction leaves it, announced to the other
/// instances (PostgreSQL) when that transaction commits.
async fn announce_rating(connection: &mut Connection, product_id: i64) -> ApiResult<Option<Rating>> {
    let counts = store::reviews::rating_in(connection, product_id).await?;
    let rating = Rating::from_distribution(counts.map(|n| u32::try_from(n).unwrap_or(0)));
    across_instances::announce_rating(connection, ProductId(product_id), rating).await?;
    Ok(rating)
}

/// After the commit: the catalog's cards and `sort=rating` use the new rating (on
/// PostgreSQL every instance does, from the announcement).
fn after_rating(state: &AppState, product_id: i64, rating: Option<Rating>) {
    if state.db.backend() == Backend::Sqlite {
        state.catalog.current().record_rating(ProductId(product_id), rating);
    }
}

fn check_note(text: &str, (min, max): (usize, usize), field: &str) -> ApiResult<()> {
    let length = text.trim().chars().count();
    if (min..=max).contains(&length) {
        return Ok(());
    }
    let mut errors = FieldErrors::default();
    let code = if length < min { FieldErrorCode::TooShort } else { FieldErrorCode::TooLong };
    errors.push(field, code, format!("Write {min} to {max} characters."));
    Err(ApiError::Validation(errors.0))
}

/// The product's seller answers review `id`, once.
pub async fn answer(state: &AppState, seller_id: i64, id: i64, text: &str) -> ApiResult<ReviewView> {
    check_note(text, (1, ANSWER_MAX), "text")?;
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
    let review = store::reviews::by_id(&mut transaction, id).await?.ok_or(ApiError::NotFound)?;
    if store::reviews::seller_of_product(&mut transaction, review.product_id).await? != Some(seller_id) {
        return Err(ApiError::NotFound);
    }
    if !store::reviews::answer(&mut transaction, id, text.trim(), now).await? {
        return Err(ApiError::Conflict("You answered this review already.".to_owned()));
    }
    let saved = store::reviews::by_id(&mut transaction, id).await?.ok_or(ApiError::NotFound)?;
    transaction.commit().await?;
    Ok(view(saved))
}

/// Operations hide review `id` with `reason`: off the page and out of the counts.
pub async fn hide(state: &AppState, id: i64, reason: &str) -> ApiResult<ReviewView> {
    check_note(reason, (HIDE_REASON_MIN, HIDE_REASON_MAX), "text")?;
    let now = state.clock.unix_now();
    let mut transaction = begin_write(&state.db, WriteScope::Guarded).await?;
    let review = store::reviews::by_id(&mut transaction, id).await?.ok_or(ApiError::NotFound)?;
    if !store::reviews::hide(&mut transaction, id, reason.trim(), now).await? {
        return Err(ApiError::Conflict("This review is hidden already.".to_owned()));
    }
    store::reviews::count_stars(&mut transaction, review.product_id, review.stars, -1).await?;
    let rating = announce_rating(&mut transaction, review.product_id).await?;
    let saved = store::reviews::by_id(&mut transaction, id).await?.ok_or(ApiError::NotFound)?;
    transaction.commit().await?;
    after_rating(state, review.product_id, rating);
    Ok(view(saved))
}
