//! Pay-per-use billing endpoints: monthly bills, pay outstanding, an app's usage and cap.

use bazaar_core::ids::AppId;
use bazaar_core::money::Currency;
use bazaar_core::orders::PaymentMethod;
use bazaar_core::usage::{AppUsage, Bill, BillList, PayOutstandingAnswer, PayOutstandingRequest, SpendingCapUpdate};
use gloo_net::http::Method;

use super::{ApiError, get, request};

pub async fn bills() -> Result<BillList, ApiError> {
    get("/billing/bills").await
}

/// `month` is `YYYY-MM`.
pub async fn bill(month: &str, currency: Currency) -> Result<Bill, ApiError> {
    get(&format!("/billing/bills/{}/{}", super::encode(month), currency.as_str())).await
}

/// Where the browser downloads the bill as CSV (a plain link: the session cookie goes along).
pub fn bill_csv_href(month: &str, currency: Currency) -> String {
    format!("{}/billing/bills/{}/{}/csv", crate::config::api_base_url(), super::encode(month), currency.as_str())
}

pub async fn pay_outstanding(method: PaymentMethod) -> Result<PayOutstandingAnswer, ApiError> {
    request(Method::POST, "/billing/outstanding/payment", Some(&PayOutstandingRequest { method }), &[]).await
}

pub async fn app_usage(app_id: AppId) -> Result<AppUsage, ApiError> {
    get(&format!("/purchased-apps/{app_id}/usage")).await
}

pub async fn set_spending_cap(app_id: AppId, cap_minor: Option<i64>) -> Result<AppUsage, ApiError> {
    request(Method::PUT, &format!("/purchased-apps/{app_id}/spending-cap"), Some(&SpendingCapUpdate { cap_minor }), &[])
        .await
}
