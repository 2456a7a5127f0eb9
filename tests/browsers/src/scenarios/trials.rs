//! A free trial started from the product page (terms and the seller's authorisation, no
//! payment step) and seen in Purchased Apps with its end.

use std::time::Duration;

use super::Run;
use crate::page::by;

pub async fn start_and_see_its_end(run: &Run) -> anyhow::Result<()> {
    let page = &run.buyer;
    super::as_lin_wei(page).await?;
    page.open("/products/1").await?;
    page.click(&by::link("Start free trial")).await?;
    page.url_contains("trial=true").await?;
    page.contains_text(&by::test_id("trial-note"), "nothing to pay").await?;
    page.check(&by::choice("I have read and accept")).await?;
    page.check(&by::choice("I authorise Northwind Data Systems")).await?;
    page.screenshot(&run.artifacts, "trial-checkout").await?;
    page.click(&by::button("Start free trial")).await?;

    page.url_contains("/orders/").await?;
    page.text_where(&by::test_id("order-status"), "Completed", Duration::from_secs(40), |text| text == "Completed")
        .await?;
    page.open("/apps").await?;
    page.contains_text(&by::test_id("trial-status"), "Trial — ends on").await?;
    page.contains_text(&by::test_id("trial-status"), "(in 14 days)").await?;
    page.visible(&by::test_id("buy-trial")).await?;
    page.screenshot(&run.artifacts, "trial-in-purchased-apps").await
}
