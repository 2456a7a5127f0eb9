//! Demo invoices for lin.wei, so Invoice Management and the Seller Console's queue have
//! something to show after `cargo xtask dev`: an enterprise profile (the default) and a
//! personal one; one of Bazaar's invoices issued for two orders; one request waiting for
//! its seller. Made through the real request path, after the demo apps are bought.

use bazaar_core::ids::AccountId;
use bazaar_core::invoices::{InvoiceProfileInput, InvoiceRequest, IssuerKind, ProfileKind};

use crate::domain::invoices::{self, Customer, profiles};
use crate::error::ApiResult;
use crate::state::AppState;

pub async fn seed(state: &AppState, account_id: AccountId) -> ApiResult<()> {
    let enterprise = InvoiceProfileInput {
        kind: ProfileKind::Enterprise,
        title: "福州示例科技有限公司".to_owned(),
        // GB 32100-2015's own example code: its check character is right.
        tax_id: Some("91350100M000100Y43".to_owned()),
        address: Some("福建省福州市鼓楼区五四路 100 号".to_owned()),
        phone: Some("+86 591 1234 5678".to_owned()),
        bank_account: Some("中国银行福州分行 6217 0000 1234 5678".to_owned()),
        email: "finance@lin-wei.example".to_owned(),
        is_default: true,
    };
    let company = profiles::save(state, account_id, None, &enterprise).await?;
    let personal = InvoiceProfileInput {
        kind: ProfileKind::Personal,
        title: "Lin Wei".to_owned(),
        tax_id: None,
        address: None,
        phone: None,
        bank_account: None,
        email: "lin.wei@example.com".to_owned(),
        is_default: false,
    };
    profiles::save(state, account_id, None, &personal).await?;

    let customer = Customer { account_id, reseller_id: None };
    let groups = invoices::invoiceable_items(state, customer).await?.groups;
    let first = |kind: IssuerKind, count: usize| {
        let group = groups.iter().find(|group| group.issuer_kind == kind);
        group.map(|group| {
            group
                .items
                .iter()
                .filter(|item| item.usage_month.is_none())
                .take(count)
                .map(|item| item.order_id)
                .collect::<Vec<_>>()
        })
    };
    for order_ids in [first(IssuerKind::Bazaar, 2), first(IssuerKind::Seller, 1)].into_iter().flatten() {
        if order_ids.is_empty() {
            continue;
        }
        let request = InvoiceRequest { profile_id: company.id, order_ids, usage_bills: Vec::new() };
        let invoice = invoices::request(state, customer, &request).await?;
        tracing::info!(invoice_id = invoice.id, number = ?invoice.number, "demo invoice");
    }
    Ok(())
}
