//! Two instances on one PostgreSQL database, as behind a load balancer: what one instance
//! changes, the other's in-memory catalog shows. One process serves a SQLite file, so on
//! SQLite these tests have nothing to check and return at once.

use super::*;
use bazaar_core::ids::ProductId;
use bazaar_server::infra::db::Backend;

/// The popularity ranking's sales count of product `id` on `app`.
fn sales(app: &TestApp, id: i64) -> i64 {
    app.state.catalog.current().product(ProductId(id)).expect("a listed product").recent_sales
}

/// Two instances on one database, their catalog listeners given time to start.
async fn two_instances() -> Option<(TestApp, TestApp)> {
    let first = spawn_app().await;
    if first.state.db.backend() != Backend::Postgres {
        return None;
    }
    let second = first.restart_with(|_| {}).await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    Some((first, second))
}

async fn eventually(mut holds: impl FnMut() -> bool) -> bool {
    for _ in 0..100 {
        if holds() {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn a_sale_on_one_instance_counts_once_on_every_instance() {
    let Some((first, second)) = two_instances().await else { return };
    let before = sales(&first, 1);
    assert_eq!(sales(&second, 1), before);
    let buyer = first.logged_in("lin.wei").await;
    let (_, order) = place(&first, &buyer, "instances-1", &crm_order()).await;
    let (status, _) = pay(&first, &buyer, order["id"].as_i64().unwrap(), "balance").await;
    assert_eq!(status, StatusCode::OK);
    assert!(eventually(|| sales(&first, 1) == before + 1 && sales(&second, 1) == before + 1).await);
    // Heard once each, not also counted directly by the instance that sold it.
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!((sales(&first, 1), sales(&second, 1)), (before + 1, before + 1));
}

#[tokio::test]
async fn products_added_through_one_instance_appear_on_every_instance() {
    let Some((first, second)) = two_instances().await else { return };
    let before = second.state.catalog.current().len();
    let now = time::OffsetDateTime::now_utc().unix_timestamp();
    bazaar_server::demo::catalog_seed::generate_products(&first.state.db, 3, now).await.unwrap();
    assert!(
        eventually(
            || first.state.catalog.current().len() == before + 3 && second.state.catalog.current().len() == before + 3
        )
        .await
    );
}

#[tokio::test]
async fn a_balance_pays_for_what_it_covers_when_two_instances_charge_it_at_once() {
    let Some((first, second)) = two_instances().await else { return };
    let on_first = first.logged_in("lin.wei").await;
    let on_second = second.logged_in("lin.wei").await;
    let before = balance(&first, &on_first).await;
    let affordable = before / CRM_YEAR_MINOR;
    let orders = affordable + 2;
    let mut ids = Vec::new();
    for index in 0..orders {
        let (status, order) = place(&first, &on_first, &format!("drain-{index}"), &crm_order()).await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        ids.push(order["id"].as_i64().unwrap());
    }
    // Every order paid at once, alternately through each instance: without the buyer's
    // lock two charges could both read the same balance and overdraw it.
    let payments = ids.iter().enumerate().map(|(index, id)| {
        let (app, client) = if index % 2 == 0 { (&first, &on_first) } else { (&second, &on_second) };
        pay(app, client, *id, "balance")
    });
    let outcomes = futures_join_all(payments).await;
    let paid = outcomes.iter().filter(|(status, _)| *status == StatusCode::OK).count() as i64;
    assert_eq!(paid, affordable, "{outcomes:?}");
    for (status, body) in outcomes.iter().filter(|(status, _)| *status != StatusCode::OK) {
        assert_error(body, "insufficient_balance");
        assert_eq!(*status, StatusCode::PAYMENT_REQUIRED, "{body}");
    }
    assert_eq!(balance(&second, &on_second).await, before - affordable * CRM_YEAR_MINOR);
    assert!(bazaar_server::domain::verify::verify(&first.state.db).await.unwrap().is_clean());
}

#[tokio::test]
async fn one_instance_at_a_time_leads_a_background_task_and_a_gone_leader_passes_it_on() {
    let Some((first, second)) = two_instances().await else { return };
    let leading = first.state.db.try_lead("test task").await.unwrap();
    assert!(leading.is_some());
    assert!(second.state.db.try_lead("test task").await.unwrap().is_none(), "the first instance leads");
    assert!(second.state.db.try_lead("another task").await.unwrap().is_some(), "tasks are led apart");
    // The leader's connection going away (a killed instance) ends its leadership.
    drop(leading);
    drop(first);
    let mut taken = None;
    for _ in 0..100 {
        taken = second.state.db.try_lead("test task").await.unwrap();
        if taken.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert!(taken.is_some(), "the second instance takes the task over");
}

#[tokio::test]
async fn overdue_orders_swept_by_two_instances_at_once_are_cancelled_once_each() {
    let Some((first, second)) = two_instances().await else { return };
    let lin = first.logged_in("lin.wei").await;
    let maria = first.logged_in("maria.santos").await;
    let mut ids = Vec::new();
    for (index, client) in [&lin, &maria, &lin, &maria].into_iter().enumerate() {
        let (status, order) = place(&first, client, &format!("overdue-{index}"), &crm_order()).await;
        assert_eq!(status, StatusCode::CREATED, "{order}");
        ids.push(order["id"].as_i64().unwrap());
    }
    // Eight days on both instances' clocks.
    first.advance_clock(8 * 86_400).await;
    second.advance_clock(8 * 86_400).await;
    let sweep = bazaar_server::domain::lifecycle::sweep_once;
    let (a, b) = tokio::join!(sweep(&first.state), sweep(&second.state));
    assert_eq!(a.unwrap().unpaid_cancelled + b.unwrap().unpaid_cancelled, ids.len());
    let cancelled: i64 = db::query_scalar(
        "SELECT COUNT(*) FROM orders WHERE status = 'cancelled' AND cancel_reason_code = 'not_paid_in_time'",
    )
    .fetch_one(&first.state.db)
    .await
    .unwrap();
    assert_eq!(cancelled, ids.len() as i64);
    let (again_a, again_b) = tokio::join!(sweep(&first.state), sweep(&second.state));
    assert_eq!(again_a.unwrap().unpaid_cancelled + again_b.unwrap().unpaid_cancelled, 0, "nothing left to do");
}

#[tokio::test]
async fn a_review_on_one_instance_rates_the_product_on_every_instance() {
    let Some((first, second)) = two_instances().await else { return };
    let rating = |app: &TestApp| app.state.catalog.current().product(ProductId(1)).expect("listed").rating;
    let buyer = first.logged_in("lin.wei").await;
    let (_, order) = place(&first, &buyer, "instances-review", &crm_order()).await;
    let id = order["id"].as_i64().unwrap();
    assert_eq!(pay(&first, &buyer, id, "balance").await.0, StatusCode::OK);
    crate::invoices::completed(&first, &buyer, id).await;
    let review = json!({ "stars": 4, "text": "Reliable, and the import of old contacts was painless." });
    let (status, body) = crate::invoices::send(&first, &buyer, "PUT", "/products/1/review", Some(&review)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let expected = Some(bazaar_core::catalog::Rating { average_tenths: 40, count: 1 });
    assert!(eventually(|| rating(&first) == expected && rating(&second) == expected).await);
}
