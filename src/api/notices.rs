//! The Seller Console's lifecycle notices.

use bazaar_core::notices::SellerNoticePage;

use super::{ApiError, get};

pub async fn notices(page: u32) -> Result<SellerNoticePage, ApiError> {
    get(&format!("/seller/notices?page={page}&page_size=50")).await
}
