//! The catalog: categories with their filter fields, product search with facets, popular
//! products and product details.

use bazaar_core::error::FieldErrorCode;
use std::collections::BTreeMap;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use bazaar_core::catalog::{
    BillingMode, Category, DEFAULT_PAGE_SIZE, DeliveryMethod, MAX_PAGE_SIZE, MAX_QUERY_CHARS, ProductDetail,
    ProductSearchResponse, ProductSummary, SortOrder,
};
use bazaar_core::error::FieldErrors;
use bazaar_core::error_body::ErrorBody;
use bazaar_core::ids::ProductId;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::domain::search::{
    CatalogIndex, SearchRequest, TextMatches, fts_phrases, full_text, intersect_text_matches, link_searches,
};
use crate::error::{ApiError, ApiResult};
use crate::http::auth::CurrentAccount;
use crate::http::extract::{ApiJson, ApiPath, ApiQuery};
use crate::infra::db::Database;
use crate::state::AppState;

pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_categories))
        .routes(routes!(search_products))
        .routes(routes!(popular_products))
        .routes(routes!(product_detail))
}

/// Every category with its own filter fields and product count.
#[utoipa::path(get, path = "/categories", tag = "catalog", responses((status = 200, body = Vec<Category>)))]
async fn list_categories(State(state): State<AppState>) -> ApiJson<Vec<Category>> {
    ApiJson(state.catalog.current().categories())
}

/// The search parameters (documentation; the handler parses the raw query so that it can
/// name every bad parameter, including the category's own `a_<key>` fields).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[allow(dead_code)]
struct SearchParameters {
    /// Full-text query over name, summary, seller and tags (at most 200 characters).
    q: Option<String>,
    /// A category slug; enables that category's own filters `a_<key>=value[,value]`.
    category: Option<String>,
    /// Delivery methods, comma-separated: saas, image, license, professional_service, consulting.
    delivery: Option<String>,
    /// Billing modes, comma-separated: yearly_monthly, pay_per_use, one_off.
    billing: Option<String>,
    /// Seller ids, comma-separated.
    seller: Option<String>,
    /// `true`: only products that involve service supervision.
    supervised: Option<bool>,
    /// `true`: only products with a free trial.
    trial: Option<bool>,
    /// Only products rated at least this many stars on average (1–5); see `four_stars_and_up`.
    #[param(minimum = 1, maximum = 5)]
    rating_min: Option<u32>,
    /// Lowest `price_from`, in minor units.
    price_min: Option<i64>,
    /// Highest `price_from`, in minor units; not below `price_min`.
    price_max: Option<i64>,
    /// relevance (default), popularity, price_asc, price_desc, newest, rating.
    sort: Option<String>,
    /// Page number from 1.
    #[param(minimum = 1, maximum = 100_000)]
    page: Option<u32>,
    /// Results per page, 1 to 100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    page_size: Option<u32>,
}

/// The query string's parameters, each with its values (comma-separated ones split).
type Values = BTreeMap<String, Vec<String>>;

/// The first value of `key`, if any.
fn single(values: &Values, key: &str) -> Option<String> {
    values.get(key).and_then(|v| v.first().cloned())
}

/// Parses and validates the search query string against the current catalog.
pub fn parse_search(raw: &str, index: &CatalogIndex) -> Result<(Option<String>, SearchRequest), ApiError> {
    let mut errors = FieldErrors::default();
    let mut values: Values = BTreeMap::new();
    for (key, value) in form_urlencoded::parse(raw.as_bytes()) {
        let entry = values.entry(key.into_owned()).or_default();
        entry.extend(value.split(',').map(str::trim).filter(|v| !v.is_empty()).map(str::to_owned));
    }
    let mut request = SearchRequest { page: 1, page_size: DEFAULT_PAGE_SIZE, ..SearchRequest::default() };

    let query = single(&values, "q").filter(|q| !q.trim().is_empty());
    if let Some(q) = &query
        && q.chars().count() > MAX_QUERY_CHARS
    {
        errors.push("q", FieldErrorCode::TooLong, format!("Search for at most {MAX_QUERY_CHARS} characters."));
    }
    let category = single(&values, "category");
    let category_definition = match &category {
        Some(slug) => match index.category(slug) {
            Some(definition) => Some(definition),
            None => {
                errors.push("category", FieldErrorCode::UnknownValue, format!("There is no category `{slug}`."));
                None
            }
        },
        None => None,
    };
    request.category = category_definition.map(|definition| definition.slug.clone());

    parse_filters(&values, index, category_definition, &mut request, &mut errors);
    parse_scalars(&values, &mut request, &mut errors);
    if !errors.is_empty() {
        return Err(ApiError::InvalidQuery(errors.0));
    }
    Ok((query, request))
}

/// The filters of several values: delivery methods, billing modes, sellers and the
/// category's own fields (`a_<key>`); anything else is an unknown parameter.
fn parse_filters(
    values: &Values,
    index: &CatalogIndex,
    category: Option<&bazaar_core::catalog::Category>,
    request: &mut SearchRequest,
    errors: &mut FieldErrors,
) {
    for (key, list) in values {
        match key.as_str() {
            "q" | "category" | "sort" | "page" | "page_size" | "price_min" | "price_max" | "supervised" | "trial"
            | "rating_min" => {}
            "delivery" => {
                for value in list {
                    match str::parse::<DeliveryMethod>(value).ok() {
                        Some(method) if !request.delivery.contains(&method) => request.delivery.push(method),
                        Some(_) => {}
                        None => errors.push(
                            "delivery",
                            FieldErrorCode::UnknownValue,
                            format!("Unknown delivery method `{value}`."),
                        ),
                    }
                }
            }
            "billing" => {
                for value in list {
                    match str::parse::<BillingMode>(value).ok() {
                        Some(mode) if !request.billing.contains(&mode) => request.billing.push(mode),
                        Some(_) => {}
                        None => errors.push(
                            "billing",
                            FieldErrorCode::UnknownValue,
                            format!("Unknown billing mode `{value}`."),
                        ),
                    }
                }
            }
            "seller" => {
                for value in list {
                    match value.parse::<i64>() {
                        Ok(id) if index.seller_exists(id) => request.sellers.push(id),
                        _ => errors.push("seller", FieldErrorCode::UnknownValue, format!("Unknown seller `{value}`.")),
                    }
                }
            }
            other => match other.strip_prefix("a_") {
                Some(attribute_key) => {
                    let accepted = parse_attribute(
                        other,
                        attribute_key,
                        list,
                        (category, single(values, "category").is_some()),
                        errors,
                    );
                    if let Some(accepted) = accepted {
                        request.attributes.push((attribute_key.to_owned(), accepted));
                    }
                }
                None => errors.push(
                    other,
                    FieldErrorCode::UnknownParameter,
                    format!("`{other}` is not a search parameter."),
                ),
            },
        }
    }
}

/// The values of the category field filter `parameter` (`a_<attribute_key>`): those the
/// field has; none when the field is not the category's, or no category was named (an
/// unknown category named is reported on its own, and its fields as missing).
fn parse_attribute(
    parameter: &str,
    attribute_key: &str,
    list: &[String],
    (category, category_named): (Option<&bazaar_core::catalog::Category>, bool),
    errors: &mut FieldErrors,
) -> Option<Vec<String>> {
    if !category_named {
        errors.push(
            parameter,
            FieldErrorCode::UnknownAttribute,
            "Choose a category before filtering on its own fields.",
        );
        return None;
    }
    let definition = category.and_then(|category| category.attributes.iter().find(|a| a.key == attribute_key));
    let Some(definition) = definition else {
        errors.push(
            parameter,
            FieldErrorCode::UnknownAttribute,
            format!("This category has no `{attribute_key}` field."),
        );
        return None;
    };
    let mut accepted = Vec::new();
    for value in list {
        if definition.values.iter().any(|allowed| &allowed.value == value) {
            accepted.push(value.clone());
        } else {
            errors.push(parameter, FieldErrorCode::UnknownValue, format!("`{value}` is not a value of this field."));
        }
    }
    Some(accepted)
}

/// The single-valued parameters: the two flags, the price range, the sort order and paging.
fn parse_scalars(values: &Values, request: &mut SearchRequest, errors: &mut FieldErrors) {
    // `page=` is not `page` left out: an empty value is no integer or boolean.
    for key in ["supervised", "trial", "rating_min", "price_min", "price_max", "page", "page_size"] {
        if values.get(key).is_some_and(Vec::is_empty) {
            errors.push(key, FieldErrorCode::Invalid, "Give a value, or leave the parameter out.");
        }
    }
    let flag = |errors: &mut FieldErrors, key: &str| match single(values, key).as_deref() {
        None | Some("false") | Some("0") => false,
        Some("true") | Some("1") => true,
        Some(_) => {
            errors.push(key, FieldErrorCode::Invalid, "Use true or false.");
            false
        }
    };
    request.supervised = flag(errors, "supervised");
    request.trial = flag(errors, "trial");
    if let Some(text) = single(values, "rating_min") {
        match text.parse::<u32>() {
            Ok(stars) if (1..=5).contains(&stars) => request.rating_min = Some(stars),
            _ => errors.push("rating_min", FieldErrorCode::OutOfRange, "Choose 1 to 5 stars."),
        }
    }

    let amount = |errors: &mut FieldErrors, key: &str| match single(values, key) {
        None => None,
        Some(text) => match text.parse::<i64>() {
            Ok(amount) if amount >= 0 => Some(amount),
            _ => {
                errors.push(key, FieldErrorCode::Invalid, "Use a whole, non-negative amount in minor units.");
                None
            }
        },
    };
    request.price_min = amount(errors, "price_min");
    request.price_max = amount(errors, "price_max");
    if let (Some(min), Some(max)) = (request.price_min, request.price_max)
        && min > max
    {
        errors.push("price_max", FieldErrorCode::RangeReversed, "The highest price is below the lowest price.");
    }

    if let Some(sort) = single(values, "sort") {
        match str::parse::<SortOrder>(&sort).ok() {
            Some(order) => request.sort = order,
            None => errors.push("sort", FieldErrorCode::UnknownValue, format!("Unknown sort order `{sort}`.")),
        }
    }
    if let Some(page) = single(values, "page") {
        match page.parse::<u32>() {
            Ok(page) if (1..=crate::http::list_query::MAX_PAGE).contains(&page) => request.page = page,
            _ => errors.push("page", FieldErrorCode::Invalid, "Pages are numbered from 1 to 100,000."),
        }
    }
    if let Some(size) = single(values, "page_size") {
        match size.parse::<u32>() {
            Ok(size) if (1..=MAX_PAGE_SIZE).contains(&size) => request.page_size = size,
            _ => errors.push(
                "page_size",
                FieldErrorCode::OutOfRange,
                format!("Choose 1 to {MAX_PAGE_SIZE} results per page."),
            ),
        }
    }
}

/// FTS5 matches for `query`, cached per query and per word with the index that produced
/// them. A query of several words is put together from its words' matches
/// ([`intersect_text_matches`]), so only a word never searched before costs SQLite work.
async fn text_matches(db: &Database, index: &CatalogIndex, query: &str) -> ApiResult<Arc<TextMatches>> {
    let phrases = fts_phrases(query);
    match phrases.as_slice() {
        [] => return Ok(Arc::new((0..index.len()).map(|position| (position, 0.0)).collect())),
        // One word: its own cache entry is the query's.
        [phrase] => return phrase_matches(db, index, phrase).await,
        _ => {}
    }
    index
        .text_matches_once(&phrases.join(" "), async {
            let mut per_phrase = Vec::with_capacity(phrases.len());
            for phrase in &phrases {
                per_phrase.push(phrase_matches(db, index, phrase).await?);
            }
            Ok(Arc::new(intersect_text_matches(&per_phrase)))
        })
        .await
}

/// The matches of one phrase, from the index's cache or the database's full-text index.
async fn phrase_matches(db: &Database, index: &CatalogIndex, phrase: &str) -> ApiResult<Arc<TextMatches>> {
    index
        .text_matches_once(phrase, async {
            let rows = full_text::phrase_matches(db, phrase).await?;
            Ok(Arc::new(
                rows.into_iter()
                    .filter_map(|row| index.position(row.product_id).map(|position| (position, row.score)))
                    .collect(),
            ))
        })
        .await
}

/// Searches products: full-text, filters, facet counts, sorting and paging.
#[utoipa::path(get, path = "/products", tag = "catalog", params(SearchParameters),
    responses(
        (status = 200, body = ProductSearchResponse),
        (status = 400, body = ErrorBody, description = "A parameter is invalid; `field_errors` names it."),
    ))]
async fn search_products(
    State(state): State<AppState>,
    RawQuery(raw): RawQuery,
) -> ApiResult<ApiJson<ProductSearchResponse>> {
    let index = state.catalog.current();
    let (query, mut request) = parse_search(raw.as_deref().unwrap_or(""), &index)?;
    if let Some(query) = &query {
        request.text_matches = Some(text_matches(&state.db, &index, query).await?);
    }
    let page = request.page;
    let page_size = request.page_size;
    let mut result = index.search(&request);
    let links = link_searches(raw.as_deref().unwrap_or(""), &mut result.facets, result.total, page, page_size);
    let (items, total, facets) = (result.items, result.total, result.facets);
    Ok(ApiJson(ProductSearchResponse { items, total, page, page_size, facets, links }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PopularParameters {
    /// How many products, 1 to 24 (default 8).
    limit: Option<usize>,
}

/// The most popular products, ranked by sales in the last 30 days.
#[utoipa::path(get, path = "/products/popular", tag = "catalog", params(PopularParameters),
    responses((status = 200, body = Vec<ProductSummary>), (status = 400, body = ErrorBody)))]
async fn popular_products(
    State(state): State<AppState>,
    ApiQuery(parameters): ApiQuery<PopularParameters>,
) -> ApiResult<ApiJson<Vec<ProductSummary>>> {
    let limit = parameters.limit.unwrap_or(8);
    if !(1..=24).contains(&limit) {
        return Err(ApiError::InvalidQuery(vec![bazaar_core::error::FieldError::new(
            "limit",
            FieldErrorCode::OutOfRange,
            "Ask for 1 to 24 products.",
        )]));
    }
    Ok(ApiJson(state.catalog.current().popular(limit)))
}

/// A product's full detail, with SKUs and prices.
#[utoipa::path(get, path = "/products/{product_id}", tag = "catalog",
    params(("product_id" = i64, Path, description = "Product id")),
    responses((status = 200, body = ProductDetail), (status = 404, body = ErrorBody), (status = 400, body = ErrorBody)))]
async fn product_detail(
    State(state): State<AppState>,
    ApiPath(product_id): ApiPath<ProductId>,
    account: Option<CurrentAccount>,
) -> ApiResult<ApiJson<ProductDetail>> {
    crate::domain::catalog::load_product(&state, product_id, account.map(|account| account.id))
        .await?
        .map(ApiJson)
        .ok_or(ApiError::NotFound)
}
