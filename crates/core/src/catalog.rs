//! Catalog wire types: categories with their own filter fields, products, SKUs, search
//! queries with facets, favourites.

use serde::{Deserialize, Serialize};

use crate::ids::ProductId;

use crate::money::Money;
pub use crate::support::reviews::{FOUR_STARS_AND_UP, Rating};

stable_names!(DeliveryMethod, BillingMode, SortOrder);

/// How a product reaches the buyer.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum DeliveryMethod {
    Saas,
    Image,
    License,
    ProfessionalService,
    Consulting,
}

impl DeliveryMethod {
    pub const ALL: [DeliveryMethod; 5] = [
        DeliveryMethod::Saas,
        DeliveryMethod::Image,
        DeliveryMethod::License,
        DeliveryMethod::ProfessionalService,
        DeliveryMethod::Consulting,
    ];
}

/// How a SKU is paid for.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum BillingMode {
    /// Prepaid for a number of months or years; a year costs ten months.
    YearlyMonthly,
    /// Billed by the hour of use.
    PayPerUse,
    /// One payment, no duration.
    OneOff,
}

impl BillingMode {
    pub const ALL: [BillingMode; 3] = [BillingMode::YearlyMonthly, BillingMode::PayPerUse, BillingMode::OneOff];
}

/// Orders of the result list.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr,
)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum SortOrder {
    /// Best text match first (popularity without a query).
    #[default]
    Relevance,
    Popularity,
    PriceAsc,
    PriceDesc,
    Newest,
    /// Best average rating first ([`Rating::rank`]); products without reviews last.
    Rating,
}

impl SortOrder {
    pub const ALL: [SortOrder; 6] = [
        SortOrder::Relevance,
        SortOrder::Popularity,
        SortOrder::PriceAsc,
        SortOrder::PriceDesc,
        SortOrder::Newest,
        SortOrder::Rating,
    ];
}

/// A text in both of Bazaar's languages (catalog metadata defined by the marketplace).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LocalizedText {
    pub en: String,
    pub zh: String,
}

/// One allowed value of a category's filter field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeValue {
    pub value: String,
    pub label: LocalizedText,
}

/// A category's own filter field, e.g. "Deployment model" for security products.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeDefinition {
    /// The field's key; in queries it is the parameter `a_<key>`.
    pub key: String,
    pub name: LocalizedText,
    pub values: Vec<AttributeValue>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Category {
    pub slug: String,
    pub name: LocalizedText,
    pub description: LocalizedText,
    pub attributes: Vec<AttributeDefinition>,
    /// How many products the category lists.
    pub product_count: u64,
}

/// The query-string parameter that filters on a category attribute.
pub fn attribute_parameter(key: &str) -> String {
    format!("a_{key}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerRef {
    pub id: i64,
    pub name: String,
}

/// A product as listed in search results, favourites and the popular module.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductSummary {
    pub id: ProductId,
    pub name: String,
    pub summary: String,
    pub seller: SellerRef,
    pub category: String,
    pub delivery_method: DeliveryMethod,
    pub billing_modes: Vec<BillingMode>,
    /// The lowest price of any SKU and billing mode (per month, hour or once).
    pub price_from: Money,
    pub price_from_mode: BillingMode,
    pub supervised: bool,
    pub free_trial: bool,
    pub tags: Vec<String>,
    /// Sales in the last 30 days.
    pub recent_sales: i64,
    /// Its visible reviews' average and count; `None` before the first review.
    pub rating: Option<Rating>,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub listed_at: time::OffsetDateTime,
}

/// One price of a SKU.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SkuPrice {
    pub billing_mode: BillingMode,
    /// Per month (yearly/monthly), per hour (pay-per-use) or once (one-off).
    pub price: Money,
    /// Image products only: the cloud server's fee in the same unit.
    pub server_fee: Option<Money>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Sku {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub prices: Vec<SkuPrice>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SellerContact {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub phone: String,
    pub support_hours: String,
    /// The e-mail and phone are masked ([`SellerContact::masked_for_strangers`]): the reader
    /// has no paid order with this seller yet.
    pub masked: bool,
}

impl SellerContact {
    /// What a reader without a paid order from the seller sees: the support hours and name
    /// in full, the e-mail and phone masked like a buyer's own contact details.
    pub fn masked_for_strangers(self) -> SellerContact {
        SellerContact {
            email: crate::account::mask_email(&self.email),
            phone: crate::account::mask_mobile(&self.phone),
            masked: true,
            ..self
        }
    }
}

/// A product attribute value, with the definition's labels for display.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductAttribute {
    pub key: String,
    pub name: LocalizedText,
    pub value: String,
    pub label: LocalizedText,
}

/// Everything the product page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductDetail {
    #[serde(flatten)]
    pub summary: ProductSummary,
    pub description: String,
    pub usage_guide: String,
    pub seller_contact: SellerContact,
    pub category_name: LocalizedText,
    pub attributes: Vec<ProductAttribute>,
    /// Region codes the product can be deployed in; see [`crate::regions`].
    pub regions: Vec<String>,
    pub skus: Vec<Sku>,
    /// Supervised products: the service period from payment to planned completion.
    pub service_period_days: Option<i64>,
    pub trial_days: Option<i64>,
    /// SaaS products whose seller creates an app management account from the buyer's
    /// contact details (the buyer must authorise this at checkout).
    pub seller_creates_account: bool,
    /// Whether the signed-in buyer has saved it (false when anonymous).
    pub favorite: bool,
}

/// One value of a facet and how many results it would give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCount {
    pub value: String,
    /// Display name where the value is an id (sellers) or a defined label.
    pub label: Option<LocalizedText>,
    pub count: u64,
    pub selected: bool,
    /// The query string of the search with this value chosen, or no longer chosen when it
    /// is (the results page's address is `/products?` and it).
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AttributeFacet {
    pub key: String,
    pub name: LocalizedText,
    pub values: Vec<FacetCount>,
}

/// Facet counts for every filter. Each facet's counts apply all *other* filters, so a
/// count says how many results choosing that value (too) would give.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Facets {
    pub categories: Vec<FacetCount>,
    pub delivery_methods: Vec<FacetCount>,
    pub billing_modes: Vec<FacetCount>,
    pub sellers: Vec<FacetCount>,
    pub price_ranges: Vec<FacetCount>,
    pub supervised: FacetCountPair,
    pub free_trial: FacetCountPair,
    /// Products rated 4 stars and up on average (`rating_min=4`).
    pub four_stars_and_up: FacetCountPair,
    /// The chosen category's own fields (empty without a category).
    pub attributes: Vec<AttributeFacet>,
}

/// A yes/no facet: how many results have the property.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FacetCountPair {
    pub count: u64,
    pub selected: bool,
    /// The query string of the search with this filter on, or off when it is on.
    pub query: String,
}

/// The searches one step away from an answer's, as query strings.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SearchLinks {
    /// Every filter off, the text kept; absent when no filter is on.
    pub cleared: Option<String>,
    /// Any category (and none of a category's own fields).
    pub all_categories: String,
    /// Each sort order's search, in the order a sort menu lists them.
    pub sorts: Vec<SortLink>,
    /// The page before, if any.
    pub previous_page: Option<String>,
    /// The page after, if any.
    pub next_page: Option<String>,
    /// The search without its price bounds, to which a price form adds the typed ones.
    pub without_price: String,
}

/// A sort order and the search sorted by it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SortLink {
    pub order: SortOrder,
    pub query: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProductSearchResponse {
    pub items: Vec<ProductSummary>,
    pub total: u64,
    pub page: u32,
    pub page_size: u32,
    pub facets: Facets,
    pub links: SearchLinks,
}

/// Predefined price ranges (of `price_from`, minor units): value, min, max (inclusive).
pub const PRICE_RANGES: [(&str, i64, Option<i64>); 4] = [
    ("0-9999", 0, Some(9_999)),
    ("10000-99999", 10_000, Some(99_999)),
    ("100000-999999", 100_000, Some(999_999)),
    ("1000000-", 1_000_000, None),
];

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 100;
pub const MAX_QUERY_CHARS: usize = 200;
