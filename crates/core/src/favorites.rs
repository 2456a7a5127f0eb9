//! My Favorites' wire types: a saved product and the configuration kept with it. Apart
//! from `catalog` because they join a listing (catalog) with a configuration (pricing),
//! and pricing itself reads the catalog's SKUs.

use serde::{Deserialize, Serialize};

use crate::catalog::ProductSummary;
use crate::pricing::Configuration;

/// `GET /favorites` item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Favorite {
    pub product: ProductSummary,
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub saved_at: time::OffsetDateTime,
    /// What the buyer had chosen on the product page when saving it; Buy opens checkout
    /// with it. `None` for a product saved without one.
    #[serde(default)]
    pub configuration: Option<Configuration>,
}

/// `PUT /favorites/{product_id}` body (optional): the configuration to keep with the product.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SaveFavoriteRequest {
    pub configuration: Configuration,
}
