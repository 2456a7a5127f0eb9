//! What happens when an order is paid: its supervision flow starts (supervised products),
//! its set-up is queued (SaaS and image products), or — nothing to set up and nobody to
//! supervise — it completes at once. Runs in the payment's transaction.

use bazaar_core::ids::OrderId;

use crate::domain::orders::{self, Completing, ProvisioningKind, WriteTransaction};
use crate::domain::{provisioning, supervision};
use crate::error::ApiResult;

pub async fn start(
    transaction: &mut WriteTransaction,
    order_id: OrderId,
    kind: ProvisioningKind,
    supervised: bool,
    now: i64,
) -> ApiResult<()> {
    if supervised {
        supervision::start_flow(transaction, order_id, now).await?;
    }
    match kind {
        ProvisioningKind::None if !supervised => {
            orders::complete(transaction, order_id, now, Completing::Decided).await?;
        }
        ProvisioningKind::None => {}
        ProvisioningKind::Seller | ProvisioningKind::Cloud => {
            provisioning::queue_job(transaction, order_id, now).await?
        }
    }
    Ok(())
}
