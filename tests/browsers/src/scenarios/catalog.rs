//! The catalog: anonymously, a search, a category and one of its own filters, then the
//! product configurator's price.

use anyhow::ensure;

use super::Run;
use crate::page::{PATIENCE, by};

pub async fn search_and_category(run: &Run) -> anyhow::Result<()> {
    let page = &run.buyer;
    page.open("/").await?;
    page.fill(&by::field("Search products"), "images").await?;
    page.click(&by::within("//form[@role='search']", &by::button("Search"))).await?;
    page.url_contains("/products?q=images").await?;
    page.visible(&by::test_id("results-ready")).await?;
    let everything = page.text(&by::test_id("results-count")).await?;

    // A category brings its own fields.
    page.check(&by::choice("OS & Runtime Images")).await?;
    page.url_contains("category=images").await?;
    page.visible(&by::test_id("facet-operating_system")).await?;

    // One of them narrows the results to the count it advertised.
    let architecture = by::test_id("facet-architecture");
    let advertised = page
        .text(&by::within(&architecture, "//label[contains(normalize-space(.), 'Arm64')]//*[@class='facet__count']"))
        .await?;
    page.check(&by::within(&architecture, &by::choice("Arm64"))).await?;
    page.url_contains("a_architecture=arm64").await?;
    let narrowed = page.has_text(&by::test_id("results-count"), &format!("{advertised} products")).await?;
    ensure!(narrowed != everything, "the filter left the count at {everything}");
    page.visible(&by::link("BluePeak Hardened Ubuntu 22.04")).await?;
    page.screenshot(&run.artifacts, "catalog-filtered").await
}

pub async fn configurator_price(run: &Run) -> anyhow::Result<()> {
    let page = &run.buyer;
    // Logged in, so that Continue leads to the order form rather than to the login page.
    super::as_lin_wei(page).await?;
    page.open("/products?q=BluePeak").await?;
    page.click(&by::link("BluePeak Hardened Ubuntu 22.04")).await?;
    page.visible(&by::heading("BluePeak Hardened Ubuntu 22.04")).await?;
    page.check(&by::choice("Yearly/monthly")).await?;
    let total = by::test_id("price-total");
    let monthly = page.text_where(&total, "a price", PATIENCE, |text| text.contains('¥')).await?;
    page.select(&by::field("Duration"), "12").await?;
    let yearly = page.text_where(&total, "a new price for a year", PATIENCE, |text| text != monthly).await?;
    page.fill(&by::field("Quantity"), "2").await?;
    page.text_where(&total, "a new price for two", PATIENCE, |text| text != yearly).await?;
    page.contains_text(&by::test_id("price-breakdown"), "Server fee").await?;
    page.screenshot(&run.artifacts, "product-configured").await?;

    // Continue carries the configuration to the order form.
    page.click(&by::link("Continue to Submit")).await?;
    page.url_contains("billing=yearly_monthly&duration=12&quantity=2").await?;
    page.has_text(&by::test_id("order-duration"), "1 year").await?;
    page.has_text(&by::test_id("order-quantity"), "2").await?;
    Ok(())
}
