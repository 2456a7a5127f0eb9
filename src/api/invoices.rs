//! Invoice Management endpoints: invoice profiles, what can be invoiced, invoices.

use bazaar_core::invoices::{InvoiceProfile, InvoiceProfileInput, InvoiceRequest, InvoiceView, Invoiceable};
use gloo_net::http::Method;

use super::{ApiError, get, request};

pub async fn profiles() -> Result<Vec<InvoiceProfile>, ApiError> {
    get("/invoice-profiles").await
}

/// Saves a new profile (`id` none) or replaces one.
pub async fn save_profile(id: Option<i64>, input: InvoiceProfileInput) -> Result<InvoiceProfile, ApiError> {
    match id {
        None => request(Method::POST, "/invoice-profiles", Some(&input), &[]).await,
        Some(id) => request(Method::PUT, &format!("/invoice-profiles/{id}"), Some(&input), &[]).await,
    }
}

pub async fn delete_profile(id: i64) -> Result<(), ApiError> {
    request(Method::DELETE, &format!("/invoice-profiles/{id}"), None::<&()>, &[]).await
}

pub async fn invoiceable() -> Result<Invoiceable, ApiError> {
    get("/invoices/invoiceable").await
}

pub async fn invoices() -> Result<Vec<InvoiceView>, ApiError> {
    get("/invoices").await
}

pub async fn request_invoice(body: InvoiceRequest) -> Result<InvoiceView, ApiError> {
    request(Method::POST, "/invoices", Some(&body), &[]).await
}

pub async fn seller_invoices() -> Result<Vec<InvoiceView>, ApiError> {
    get("/seller/invoices").await
}

pub async fn issue(id: i64) -> Result<InvoiceView, ApiError> {
    request(Method::POST, &format!("/seller/invoices/{id}/issue"), None::<&()>, &[]).await
}

pub async fn reject(id: i64, reason: String) -> Result<InvoiceView, ApiError> {
    let body = bazaar_core::invoices::RejectInvoiceRequest { reason };
    request(Method::POST, &format!("/seller/invoices/{id}/reject"), Some(&body), &[]).await
}

/// Where an issued invoice's PDF downloads from (a link, so the browser saves the file).
pub fn invoice_pdf_href(invoice_id: i64) -> String {
    format!("{}/invoices/{invoice_id}/pdf", crate::config::api_base_url())
}
