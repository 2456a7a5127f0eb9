//! Checkout with Pay Now's reasons, payment, the order becoming ready, and Resource
//! Details' eye button and copy.

use std::time::Duration;

use anyhow::ensure;
use serde_json::json;

use super::Run;
use crate::page::{PATIENCE, by};

const MASK: &str = "••••••••••••";

pub async fn checkout_and_pay(run: &Run) -> anyhow::Result<()> {
    let page = &run.buyer;
    super::as_lin_wei(page).await?;
    page.open("/purchase/1?sku=1&billing=yearly_monthly&duration=12&quantity=1&region=cn-north-4").await?;
    page.visible(&by::heading("Submit your order")).await?;
    let pay_now = by::button("Pay Now");
    let blockers = by::test_id("pay-blockers");
    page.enabled(&pay_now, false).await?;
    page.contains_text(&blockers, "Tick the authorisation for the seller to create your app account.").await?;
    page.contains_text(&blockers, "Accept the terms and conditions.").await?;
    page.screenshot(&run.artifacts, "checkout-pay-now-reasons").await?;

    page.check(&by::choice("I have read and accept")).await?;
    page.lacks_text(&blockers, "Accept the terms").await?;
    page.enabled(&pay_now, false).await?;
    page.check(&by::choice("I authorise Northwind Data Systems")).await?;
    page.lacks_text(&blockers, "Tick the authorisation").await?;
    page.click(&pay_now).await?;

    page.visible(&by::heading("Payment")).await?;
    page.has_text(&by::test_id("amount-due"), "¥1,990.00").await?;
    page.check(&by::choice("Card on file")).await?;
    page.screenshot(&run.artifacts, "payment").await?;
    page.click(&by::button("Confirm payment")).await?;

    page.url_contains("/orders/").await?;
    page.text_where(&by::test_id("order-status"), "Completed", Duration::from_secs(40), |text| text == "Completed")
        .await?;
    page.visible(&by::test_id("order-ready")).await?;
    page.contains_text(&by::test_id("order-payment"), "Visa •••• 4242").await?;
    page.screenshot(&run.artifacts, "order-ready").await
}

pub async fn reveal_hide_copy(run: &Run) -> anyhow::Result<()> {
    let page = &run.buyer;
    super::as_lin_wei(page).await?;
    let configuration = json!({ "sku_id": 1, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" });
    let order = super::buy_through_api(page, configuration, 1).await?;
    let deadline = std::time::Instant::now() + Duration::from_secs(40);
    loop {
        let (_, detail) = page.api("GET", &format!("/api/v1/orders/{order}"), None).await?;
        if detail["status"] == "completed" {
            break;
        }
        ensure!(std::time::Instant::now() < deadline, "order {order} is still {} after 40 s", detail["status"]);
        tokio::time::sleep(Duration::from_millis(250)).await;
    }

    page.open("/").await?;
    page.click(&by::link("Purchased Apps")).await?;
    page.focus_on_heading("Purchased Apps", "Purchased Apps — Bazaar").await?;
    page.click(&by::link("View Resource Details of Northwind CRM Cloud")).await?;
    page.url_contains("/apps/").await?;
    page.visible(&by::heading("Northwind CRM Cloud")).await?;
    page.has_text(&by::test_id("app-username"), "lin.wei@example.com").await?;

    let value = by::test_id("app-password-value");
    page.has_text(&value, MASK).await?;
    let show = by::button("Show password");
    page.attribute_is(&show, "aria-pressed", "false").await?;
    page.click(&show).await?;
    let hide = by::button("Hide password");
    page.attribute_is(&hide, "aria-pressed", "true").await?;
    let password = page.text_where(&value, "the password", PATIENCE, |text| text != MASK && !text.is_empty()).await?;
    ensure!(password.chars().count() >= 12, "the revealed password {password:?} is short");
    page.screenshot(&run.artifacts, "resource-details-revealed").await?;

    page.click(&by::button("Copy password")).await?;
    page.has_text(&by::test_id("app-password-status"), "Password copied to the clipboard.").await?;

    page.click(&hide).await?;
    page.has_text(&value, MASK).await?;
    page.attribute_is(&show, "aria-pressed", "false").await?;
    // Showing it again asks the server again and shows the same password.
    page.click(&show).await?;
    page.has_text(&value, &password).await?;
    page.click(&hide).await?;
    page.has_text(&value, MASK).await?;
    Ok(())
}
