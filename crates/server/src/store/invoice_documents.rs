//! One invoice as its document and its download's access check need it: the stored
//! invoice, its items, its buyer and issuer, and the issuing seller's contact details.

use bazaar_core::ids::AccountId;

use crate::infra::db::{self, Database};
use crate::store::invoices::{INVOICE_COLUMNS, InvoiceRow, ItemRow};

/// An invoice with whose it is and who issued it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InvoiceDocumentRow {
    #[sqlx(flatten)]
    pub invoice: InvoiceRow,
    pub account_id: AccountId,
    pub seller_id: Option<i64>,
    pub seller_email: Option<String>,
    pub seller_phone: Option<String>,
}

pub async fn invoice(db: &Database, id: i64) -> Result<Option<InvoiceDocumentRow>, sqlx::Error> {
    db::query_as(&format!(
        "SELECT {INVOICE_COLUMNS}, v.account_id, v.seller_id, s.email AS seller_email, s.phone AS seller_phone
         FROM invoices v LEFT JOIN sellers s ON s.id = v.seller_id
           LEFT JOIN invoices o ON o.id = v.original_id
         WHERE v.id = $1"
    ))
    .bind(id)
    .fetch_optional(db)
    .await
}

pub async fn items(db: &Database, invoice_id: i64) -> Result<Vec<ItemRow>, sqlx::Error> {
    db::query_as(
        "SELECT i.invoice_id, i.order_id, i.usage_month, i.description, i.amount_minor, i.net_minor, i.tax_minor
         FROM invoice_items i WHERE i.invoice_id = $1 ORDER BY i.order_id, i.usage_month",
    )
    .bind(invoice_id)
    .fetch_all(db)
    .await
}
