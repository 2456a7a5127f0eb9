//! Switching to 中文 on a page: the interface changes language without a reload, and the
//! choice holds on the next page.

use super::Run;
use crate::page::by;

pub async fn switch_to_chinese(run: &Run) -> anyhow::Result<()> {
    let page = &run.buyer;
    super::as_lin_wei(page).await?;
    page.open("/apps").await?;
    page.attribute_is("//html", "lang", "en").await?;
    page.visible(&by::link("Purchased Apps")).await?;
    page.click(&by::test_id("language-switch")).await?;
    page.attribute_is("//html", "lang", "zh-CN").await?;
    page.visible(&by::link("已购应用")).await?;
    page.visible(&by::link("服务监管")).await?;
    page.visible(&by::field("搜索商品")).await?;
    page.gone(&by::link("Purchased Apps")).await?;
    page.screenshot(&run.artifacts, "purchased-apps-zh").await?;

    // The choice is remembered: the next page opens in Chinese.
    page.open("/products?q=CRM").await?;
    page.attribute_is("//html", "lang", "zh-CN").await?;
    page.visible(&by::test_id("results-ready")).await?;
    page.contains_text(&by::test_id("results-count"), "个").await?;
    page.screenshot(&run.artifacts, "catalog-zh").await?;

    // Back to English, so the browser is left as it was found.
    page.click(&by::test_id("language-switch")).await?;
    page.attribute_is("//html", "lang", "en").await
}
