//! One supervision step with two people: the buyer submits the service request in the
//! dialog, the seller (in a second browser) accepts it, and the buyer sees the new step.

use anyhow::{Context as _, ensure};
use serde_json::json;

use super::Run;
use crate::page::by;

pub async fn request_and_accept(run: &Run) -> anyhow::Result<()> {
    let buyer = &run.buyer;
    super::as_lin_wei(buyer).await?;
    let configuration = json!({ "sku_id": 8, "billing_mode": "one_off", "duration_months": null, "quantity": 1, "region": "cn-north-4" });
    let order = super::buy_through_api(buyer, configuration, 4).await?;
    let (status, flows) = buyer.api("GET", "/api/v1/supervision/flows?page_size=50", None).await?;
    ensure!(status == 200, "listing flows answered {status}: {flows}");
    let flow = flows["items"]
        .as_array()
        .and_then(|items| items.iter().find(|flow| flow["order_id"] == order))
        .and_then(|flow| flow["id"].as_u64())
        .with_context(|| format!("no flow for order {order} in {flows}"))?;

    buyer.open(&format!("/supervision/{flow}")).await?;
    buyer.click(&by::button("Submit request")).await?;
    let dialog = by::dialog();
    buyer.visible(&dialog).await?;
    buyer.fill(&by::within(&dialog, &by::field_containing("Contact person")), "Lin Wei").await?;
    buyer.select(&by::within(&dialog, &by::field_containing("Environment")), "Production").await?;
    let details = "Move the orders database to managed PostgreSQL.";
    buyer.fill(&by::within(&dialog, &by::field_containing("What should be done")), details).await?;
    buyer.screenshot(&run.artifacts, "supervision-request-dialog").await?;
    buyer.click(&by::within(&dialog, &by::button("Send"))).await?;
    buyer.gone(&dialog).await?;
    let step = by::test_id("flow-step");
    buyer.has_text(&step, "Request under review by the seller").await?;

    // The seller, in a browser of their own.
    let seller = crate::new_session(run.engine, &run.second_driver, &buyer.base_url).await?;
    let outcome = async {
        super::log_in(&seller, "sam.okafor", "Sam Okafor").await?;
        seller.open(&format!("/supervision/{flow}")).await?;
        seller.contains_text(&by::test_id("timeline"), details).await?;
        seller.click(&by::button("Accept request")).await?;
        seller.click(&by::within(&by::dialog(), &by::button("Send"))).await?;
        seller.has_text(&step, "The seller is providing the service").await?;
        seller.screenshot(&run.artifacts, "supervision-seller").await
    }
    .await;
    let _ = seller.client.close().await;
    outcome?;

    buyer.client.refresh().await?;
    buyer.has_text(&step, "The seller is providing the service").await?;
    buyer.screenshot(&run.artifacts, "supervision-buyer").await
}
