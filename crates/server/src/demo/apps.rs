//! Demo apps for lin.wei in every phase of a term, so Renewal Management, the expiry
//! banners and auto-renew can be seen right after `cargo xtask dev`: two expiring in 5
//! days, one in grace, one frozen, one renewing automatically in 12 days.
//!
//! They are bought through the real checkout (so each has a payment and is set up by the
//! demo seller), then their dates are moved back as if bought a term ago.

use bazaar_core::catalog::BillingMode;
use bazaar_core::ids::{AccountId, ProductId};
use bazaar_core::lifecycle::term_end;
use bazaar_core::orders::{PaymentMethod, PlaceOrderRequest};
use bazaar_core::pricing::Configuration;
use time::Duration;

use crate::domain::checkout::{pay, place};
use crate::domain::orders::Buyer;
use crate::error::ApiResult;
use crate::infra::clock::from_unix;
use crate::state::AppState;

/// (product, months, days from now to expiry, auto-renew): SaaS products the demo seller
/// sets up at once (Northwind CRM Cloud, BluePeak Secrets Vault, Harborline HR & Payroll,
/// and two generated ones).
const APPS: [(i64, u32, i64, bool); 5] =
    [(13, 1, 5, false), (11, 12, 5, false), (21, 1, -3, false), (10, 1, -20, false), (1, 1, 12, true)];

/// Seeds the apps once; a database that has them (or any order of lin.wei's) is left alone.
pub async fn seed_if_missing(state: &AppState) -> ApiResult<()> {
    let Some(account_id) = sqlx::query_scalar::<_, AccountId>("SELECT id FROM accounts WHERE username = 'lin.wei'")
        .fetch_optional(&state.db)
        .await?
    else {
        return Ok(());
    };
    let orders: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orders WHERE account_id = ?")
        .bind(account_id)
        .fetch_one(&state.db)
        .await?;
    if orders > 0 {
        return Ok(());
    }
    let buyer = Buyer { account_id, reseller_id: None };
    let now = state.clock.now();
    for (index, (product, months, days, auto_renew)) in APPS.into_iter().enumerate() {
        let Some(detail) = crate::domain::catalog::load_product(state, ProductId(product), None).await? else {
            continue;
        };
        let sold_monthly = |sku: &&bazaar_core::catalog::Sku| {
            sku.prices.iter().any(|price| price.billing_mode == BillingMode::YearlyMonthly)
        };
        let (Some(sku), Some(region)) = (detail.skus.iter().find(sold_monthly), detail.regions.first()) else {
            continue;
        };
        let request = PlaceOrderRequest {
            product_id: ProductId(product),
            configuration: Configuration {
                sku_id: sku.id,
                billing_mode: BillingMode::YearlyMonthly,
                duration_months: Some(months),
                quantity: 1,
                region: region.clone(),
            },
            accept_terms: true,
            authorize_contact_sharing: true,
            vpc_id: None,
            server_password: None,
        };
        let placement = place::place(state, buyer, &format!("demo-app-{index}"), &request).await?;
        pay::pay(state, buyer, placement.order_id, PaymentMethod::Card).await?;
        // Bought a term before the expiry it should have now.
        let expires_at = now + Duration::days(days);
        let mut paid_at = expires_at;
        for _ in 0..months {
            paid_at -= Duration::days(31);
        }
        while term_end(paid_at, months) < expires_at {
            paid_at += Duration::days(1);
        }
        let expires_at = term_end(paid_at, months);
        sqlx::query(
            "UPDATE orders SET created_at = ?, paid_at = ?, expires_at = ?, auto_renew_months = ? WHERE id = ?",
        )
        .bind(paid_at.unix_timestamp() - 60)
        .bind(paid_at.unix_timestamp())
        .bind(expires_at.unix_timestamp())
        .bind(auto_renew.then_some(months))
        .bind(placement.order_id)
        .execute(&state.db)
        .await?;
        sqlx::query("UPDATE payments SET paid_at = ? WHERE order_id = ?")
            .bind(paid_at.unix_timestamp())
            .bind(placement.order_id)
            .execute(&state.db)
            .await?;
        tracing::info!(order_id = %placement.order_id, expires_at = %from_unix(expires_at.unix_timestamp()), "demo app");
    }
    Ok(())
}
