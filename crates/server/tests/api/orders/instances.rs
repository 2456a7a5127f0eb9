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
