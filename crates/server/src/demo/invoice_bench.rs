//! The invoice benchmark (`bench-invoices`): issues `invoices` invoices for lin.wei's paid
//! orders through the real request path (one order each, made out to a Chinese enterprise
//! profile; a seller's issued by its seller), then makes every one's PDF as a download
//! would. Prints the timings and sizes as JSON; measurements only, never pass/fail.

use std::time::Instant;

use bazaar_core::invoices::{InvoiceProfileInput, InvoiceRequest, ProfileKind};

use crate::domain::invoices::{self, Customer, Reader, profiles};
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;
use crate::store;

fn percentile(sorted: &[f64], share: f64) -> f64 {
    sorted.get(((sorted.len().max(1) - 1) as f64 * share).round() as usize).copied().unwrap_or(0.0)
}

fn summary(mut values: Vec<f64>) -> serde_json::Value {
    values.sort_by(f64::total_cmp);
    serde_json::json!({
        "p50": percentile(&values, 0.5), "p95": percentile(&values, 0.95), "max": values.last().copied().unwrap_or(0.0)
    })
}

pub async fn run(state: &AppState, invoices: usize) -> ApiResult<serde_json::Value> {
    let buyer = store::accounts::credentials(&state.db, "lin.wei").await?.ok_or(ApiError::NotFound)?;
    let customer = Customer { account_id: buyer.id, reseller_id: None };
    let profile = InvoiceProfileInput {
        kind: ProfileKind::Enterprise,
        title: "福州示例科技有限公司（基准测试）".to_owned(),
        tax_id: Some("91350100M000100Y43".to_owned()),
        address: Some("福建省福州市鼓楼区五四路 100 号".to_owned()),
        phone: Some("+86 591 1234 5678".to_owned()),
        bank_account: Some("中国银行福州分行 1234 5678 9012 3456".to_owned()),
        email: "finance@example.cn".to_owned(),
        is_default: true,
    };
    let profile = profiles::save(state, buyer.id, None, &profile).await?;
    let items: Vec<_> = invoices::invoiceable_items(state, customer)
        .await?
        .groups
        .into_iter()
        .flat_map(|group| {
            let seller_id = group.issuer.strip_prefix("seller:").and_then(|id| id.parse::<i64>().ok());
            group.items.into_iter().map(move |item| (seller_id, item.order_id))
        })
        .take(invoices)
        .collect();
    let (mut issuing, mut ids) = (Vec::new(), Vec::new());
    for (seller_id, order_id) in items {
        let request = InvoiceRequest { profile_id: profile.id, order_ids: vec![order_id], usage_bills: Vec::new() };
        let started = Instant::now();
        let invoice = invoices::request(state, customer, &request).await?;
        if let Some(seller_id) = seller_id {
            invoices::seller::issue(state, seller_id, invoice.id).await?;
        }
        issuing.push(started.elapsed().as_secs_f64() * 1000.0);
        ids.push(invoice.id);
    }
    let reader = Reader { account_id: buyer.id, seller_id: None, operations: false };
    let (mut making, mut sizes) = (Vec::new(), Vec::new());
    for id in &ids {
        let started = Instant::now();
        let (_, pdf) = invoices::document(state, reader, *id).await?;
        making.push(started.elapsed().as_secs_f64() * 1000.0);
        sizes.push(pdf.len() as f64);
    }
    Ok(serde_json::json!({
        "invoices": ids.len(), "issue_ms": summary(issuing), "pdf_ms": summary(making), "pdf_bytes": summary(sizes)
    }))
}
