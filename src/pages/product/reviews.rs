//! The product page's reviews: the average and count, the distribution as an SVG chart
//! with its data table beside it, the seller's support figures, the signed-in buyer's own
//! review (write or edit, or why not), and the reviews newest first, ten a page — with the
//! seller's answer form for the product's seller and the hide form for operations.

use bazaar_core::support::reviews::{REVIEW_TEXT_MAX, ReviewRefusal};
use bazaar_core::support::wire::{MyReview, ProductReviews, ReviewInput, ReviewView, SupportFigures};
use leptos::prelude::*;

use crate::api::{self, ApiError};
use crate::components::fields::{TextAreaField, use_field_error};
use crate::components::status::render_resource;
use crate::format::local_date;
use crate::i18n::{Locale, use_i18n};

type Note = Action<(i64, String), Result<ReviewView, ApiError>>;
type Save = Action<ReviewInput, Result<ReviewView, ApiError>>;

#[component]
pub(super) fn ProductReviewsSection(product_id: i64) -> impl IntoView {
    let i18n = use_i18n();
    let page = RwSignal::new(1u32);
    let save: Save = Action::new_local(move |input: &ReviewInput| api::support::save_review(product_id, input.clone()));
    let answer: Note = Action::new_local(|(id, text): &(i64, String)| api::support::answer_review(*id, text.clone()));
    let hide: Note = Action::new_local(|(id, text): &(i64, String)| api::support::hide_review(*id, text.clone()));
    let reviews = LocalResource::new(move || {
        // Read again after any write.
        save.version().get();
        answer.version().get();
        hide.version().get();
        let page = page.get();
        async move { api::support::product_reviews(product_id, page).await }
    });
    view! {
        <section class="card product-reviews" aria-labelledby="reviews-heading" data-testid="product-reviews">
            <h2 id="reviews-heading">{move || i18n.support().reviews_title}</h2>
            {render_resource(reviews, move |data: ProductReviews| view! {
                <RatingOverview data=data.clone() />
                {data.mine.clone().map(|mine| view! { <MyReviewForm mine save /> })}
                <ReviewList data page answer hide />
            })}
        </section>
    }
}

fn minutes_text(minutes: u32, locale: Locale) -> String {
    let (hours, minutes) = (minutes / 60, minutes % 60);
    match (locale, hours) {
        (Locale::ZhCn, 0) => format!("{minutes} 分钟"),
        (Locale::ZhCn, _) => format!("{hours} 小时 {minutes} 分钟"),
        (_, 0) => format!("{minutes} min"),
        (_, _) => format!("{hours} h {minutes} min"),
    }
}

#[component]
fn RatingOverview(data: ProductReviews) -> impl IntoView {
    let i18n = use_i18n();
    let summary = data.summary.clone();
    let support: Option<SupportFigures> = data.support;
    let most = summary.distribution.iter().copied().max().unwrap_or(0).max(1);
    let average = summary.average_text();
    let count = summary.count;
    let bars = (1..=5u8).rev().map(|stars| (stars, summary.distribution[usize::from(stars - 1)])).collect::<Vec<_>>();
    view! {
        <p class="product-reviews__average" data-testid="rating-average">
            {move || if count == 0 { i18n.support().no_reviews.to_owned() } else { (i18n.support().average)(&average, count) }}
        </p>
        {support.map(|figures| view! {
            <p class="hint" data-testid="support-figures">{move || {
                let rating = format!("{}.{}", figures.average_rating_tenths / 10, figures.average_rating_tenths % 10);
                (i18n.support().support_figures)(&minutes_text(figures.median_first_answer_minutes, i18n.locale()), &rating, figures.rated_tickets)
            }}</p>
        })}
        {(count > 0).then(|| view! {
            <div class="rating-chart">
                <svg class="rating-chart__svg" viewBox="0 0 220 110" role="img" aria-labelledby="rating-chart-title">
                    <title id="rating-chart-title">{move || i18n.support().chart_label}</title>
                    {bars.iter().enumerate().map(|(row, (stars, n))| {
                        let y = row as u32 * 22;
                        let width = 160 * n / most;
                        view! {
                            <text x="0" y=y + 15 class="rating-chart__label">{format!("{stars}★")}</text>
                            <rect x="30" y=y + 4 width="160" height="14" class="rating-chart__track" />
                            <rect x="30" y=y + 4 width=width height="14" class="rating-chart__bar" />
                            <text x="196" y=y + 15 class="rating-chart__label">{n.to_string()}</text>
                        }
                    }).collect_view()}
                </svg>
                <table class="rating-chart__table">
                    <caption class="visually-hidden">{move || i18n.support().chart_label}</caption>
                    <thead><tr><th scope="col">{move || i18n.support().column_stars}</th><th scope="col">{move || i18n.support().column_reviews}</th></tr></thead>
                    <tbody>
                        {bars.iter().map(|(stars, n)| view! { <tr><th scope="row">{format!("{stars}★")}</th><td>{n.to_string()}</td></tr> }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
    }
}

#[component]
fn MyReviewForm(mine: MyReview, save: Save) -> impl IntoView {
    let i18n = use_i18n();
    let existing = mine.review.clone();
    let stars = RwSignal::new(existing.as_ref().map_or(5, |review| review.stars));
    let text = RwSignal::new(existing.as_ref().map(|review| review.text.clone()).unwrap_or_default());
    let errors = Signal::derive(move || {
        save.value().get().and_then(Result::err).map(|e| e.body.field_errors()).unwrap_or_default()
    });
    let hidden = existing.and_then(|review| review.hidden_reason);
    // Too short says how long it must be; other problems as every form words them.
    let generic = use_field_error(errors, "text");
    let text_error = Signal::derive(move || {
        let too_short = errors.with(|errors| {
            errors
                .iter()
                .any(|error| error.field == "text" && error.code == bazaar_core::error::FieldErrorCode::TooShort)
        });
        if too_short { Some(i18n.support().review_text_too_short.to_owned()) } else { generic.get() }
    });
    let refusal = mine.refusal;
    view! {
        <div class="product-reviews__mine" data-testid="my-review">
            <h3>{move || i18n.support().your_review}</h3>
            {hidden.map(|reason| view! { <p class="notice notice--info">{move || (i18n.support().hidden_notice)(&reason)}</p> })}
            {match refusal {
                Some(refusal) => view! { <p class="hint">{move || match refusal {
                    ReviewRefusal::NoDeliveredOrder => i18n.support().refusal_no_order,
                    ReviewRefusal::LeftTooLongAgo => i18n.support().refusal_left,
                }}</p> }.into_any(),
                None => view! {
                    <div class="field">
                        <label class="field__label" for="review-stars">{move || i18n.support().review_stars_label}</label>
                        <select id="review-stars" class="field__select" on:change=move |event| if let Ok(value) = event_target_value(&event).parse() { stars.set(value) }>
                            {(1..=5u8).rev().map(|n| view! { <option value=n.to_string() selected=move || stars.get() == n>{move || (i18n.support().stars)(n)}</option> }).collect_view()}
                        </select>
                    </div>
                    <TextAreaField id="review-text" label=Signal::derive(move || i18n.support().review_text_label.to_owned())
                        value=text error=text_error rows=4 max_length=REVIEW_TEXT_MAX as u32 />
                    <p class="hint">{move || i18n.support().review_text_hint}</p>
                    <button type="button" class="button button--primary" disabled=move || save.pending().get()
                        on:click=move |_| { save.dispatch(ReviewInput { stars: i64::from(stars.get_untracked()), text: text.get_untracked() }); }>
                        {move || if save.pending().get() { i18n.support().saving } else { i18n.support().save_review }}
                    </button>
                }.into_any(),
            }}
        </div>
    }
}

#[component]
fn ReviewList(data: ProductReviews, page: RwSignal<u32>, answer: Note, hide: Note) -> impl IntoView {
    let i18n = use_i18n();
    let (seller, operations) = (data.seller, data.operations);
    let pages = data.total.div_ceil(u64::from(data.page_size.max(1)));
    let current = data.page;
    view! {
        <ol class="review-list" data-testid="review-list">
            {data.items.into_iter().map(|review| view! { <ReviewItem review seller operations answer hide /> }).collect_view()}
        </ol>
        {(pages > 1).then(|| view! {
            <div class="review-list__pager">
                <button type="button" class="button button--secondary" disabled=current <= 1 on:click=move |_| page.set(current - 1)>{move || i18n.support().previous_page}</button>
                <button type="button" class="button button--secondary" disabled=u64::from(current) >= pages on:click=move |_| page.set(current + 1)>{move || i18n.support().next_page}</button>
            </div>
        })}
    }
}

#[component]
fn ReviewItem(review: ReviewView, seller: bool, operations: bool, answer: Note, hide: Note) -> impl IntoView {
    let i18n = use_i18n();
    let id = review.id;
    let stars = review.stars;
    let updated = review.updated_at;
    let note = RwSignal::new(String::new());
    let may_answer = seller && review.answer.is_none();
    view! {
        <li class="review" data-testid="review">
            <p class="review__meta">
                <span class="review__stars" role="img" aria-label=move || (i18n.support().stars_of_5)(stars)>{"★".repeat(usize::from(stars))}{"☆".repeat(usize::from(5 - stars.min(5)))}</span>
                " "<strong>{review.author_name.clone()}</strong>" · "{move || local_date(updated, i18n.locale())}
            </p>
            <p class="review__text">{review.text.clone()}</p>
            {review.answer.clone().map(|text| view! { <p class="review__answer"><strong>{move || i18n.support().seller_answer}</strong>": "{text}</p> })}
            {(may_answer || operations).then(|| {
                let action = if operations { hide } else { answer };
                view! {
                    <TextAreaField id=format!("review-note-{id}")
                        label=Signal::derive(move || if operations { i18n.support().hide_label } else { i18n.support().answer_label }.to_owned())
                        value=note rows=2 max_length=2000 />
                    <button type="button" class="button button--secondary" disabled=move || action.pending().get()
                        on:click=move |_| { action.dispatch((id, note.get_untracked())); }>
                        {move || if operations { i18n.support().hide_button } else { i18n.support().answer_button }}
                    </button>
                }
            })}
        </li>
    }
}
