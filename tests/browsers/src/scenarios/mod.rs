//! The cross-browser scenarios: what a buyer (and, for supervision, a seller) does, step by
//! step, with a screenshot of each key page kept in the run's artifacts.

mod buying;
mod catalog;
mod language;
mod supervision;
mod trials;

use std::future::Future;
use std::path::PathBuf;
use std::pin::Pin;

use anyhow::ensure;

use crate::engine::Engine;
use crate::page::{Page, by};

pub const DEMO_PASSWORD: &str = "bazaar-demo";

/// What every scenario may use: the buyer's browser (one session for the whole run, as a
/// buyer keeps one browser), the second driver for another person, where screenshots go.
pub struct Run {
    pub buyer: Page,
    pub engine: Engine,
    pub second_driver: String,
    pub artifacts: PathBuf,
}

type Outcome<'a> = Pin<Box<dyn Future<Output = anyhow::Result<()>> + 'a>>;

pub struct Scenario {
    pub name: &'static str,
    pub run: for<'a> fn(&'a Run) -> Outcome<'a>,
}

/// In order: the catalog is tried anonymously, then the buyer logs in and buys.
pub fn all() -> Vec<Scenario> {
    vec![
        Scenario { name: "catalog_search_and_category_filter", run: |run| Box::pin(catalog::search_and_category(run)) },
        Scenario { name: "configurator_price", run: |run| Box::pin(catalog::configurator_price(run)) },
        Scenario { name: "checkout_payment_and_order_ready", run: |run| Box::pin(buying::checkout_and_pay(run)) },
        Scenario { name: "resource_details_reveal_hide_copy", run: |run| Box::pin(buying::reveal_hide_copy(run)) },
        Scenario {
            name: "supervision_step_with_the_seller",
            run: |run| Box::pin(supervision::request_and_accept(run)),
        },
        Scenario { name: "free_trial_started_and_listed", run: |run| Box::pin(trials::start_and_see_its_end(run)) },
        Scenario { name: "switching_to_chinese", run: |run| Box::pin(language::switch_to_chinese(run)) },
    ]
}

/// Logs in through the login page (unless this browser already shows `display_name`).
pub async fn log_in(page: &Page, username: &str, display_name: &str) -> anyhow::Result<()> {
    page.open("/login").await?;
    page.fill(&by::field("User name"), username).await?;
    page.fill(&by::field("Password"), DEMO_PASSWORD).await?;
    page.click(&by::within("//main", &by::button("Log in"))).await?;
    page.has_text(&by::test_id("header-account-name"), display_name).await?;
    Ok(())
}

/// Makes sure the buyer's browser is logged in as Lin Wei (scenarios can run alone).
pub async fn as_lin_wei(page: &Page) -> anyhow::Result<()> {
    let (status, me) = page.api("GET", "/api/v1/session", None).await?;
    if status == 200 && me["account"]["username"] == "lin.wei" {
        return Ok(());
    }
    log_in(page, "lin.wei", "Lin Wei").await
}

/// Places and pays an order through the API as the logged-in page; answers its id.
pub async fn buy_through_api(page: &Page, configuration: serde_json::Value, product_id: u64) -> anyhow::Result<u64> {
    let body = serde_json::json!({
        "product_id": product_id,
        "configuration": configuration,
        "accept_terms": true,
        "authorize_contact_sharing": true,
    });
    let (status, order) = page.api("POST", "/api/v1/orders", Some(body)).await?;
    ensure!(status == 201, "placing an order answered {status}: {order}");
    let id = order["id"].as_u64().ok_or_else(|| anyhow::anyhow!("no order id in {order}"))?;
    let (status, paid) = page
        .api("POST", &format!("/api/v1/orders/{id}/payment"), Some(serde_json::json!({ "method": "card" })))
        .await?;
    ensure!(status == 200, "paying order {id} answered {status}: {paid}");
    Ok(id)
}
