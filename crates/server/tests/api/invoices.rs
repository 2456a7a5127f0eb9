//! Invoice Management: profiles and their field errors, what can be invoiced by issuer,
//! requests and every refusal, the profile snapshot, and numbers without gaps when many
//! invoices are issued at once over two instances.

use bazaar_server::infra::db::{self, WriteScope, begin_write};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};

use crate::common::{TestApp, decode, spawn_app};
use crate::lifecycle::{pay, place};

pub fn enterprise() -> Value {
    json!({
        "kind": "enterprise", "title": "福州示例科技有限公司", "tax_id": "9135 0100 M000 100Y43",
        "address": "福建省福州市鼓楼区", "phone": "+86 591 1234 5678", "email": "finance@example.cn"
    })
}

pub async fn send(
    app: &TestApp,
    client: &Client,
    method: &str,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let request = match method {
        "POST" => client.post(app.url(path)),
        "PUT" => client.put(app.url(path)),
        "DELETE" => client.delete(app.url(path)),
        _ => client.get(app.url(path)),
    };
    let request = match body {
        Some(body) => request.json(body),
        None => request,
    };
    decode(request.send().await.unwrap()).await
}

/// Buys a month of `product`'s `sku` with the card; the order's id once it is paid.
pub async fn bought(app: &TestApp, client: &Client, key: &str, product: i64, sku: i64) -> i64 {
    bought_with(app, client, key, (product, sku), "card").await
}

/// Like [`bought`], paid with `method` (maria.santos's card is declined; she has credit).
pub async fn bought_with(app: &TestApp, client: &Client, key: &str, (product, sku): (i64, i64), method: &str) -> i64 {
    let body = json!({
        "product_id": product,
        "configuration": { "sku_id": sku, "billing_mode": "yearly_monthly", "duration_months": 1, "quantity": 1, "region": "cn-north-4" },
        "accept_terms": true, "authorize_contact_sharing": true
    });
    let (status, order) = place(app, client, key, &body).await;
    assert_eq!(status, StatusCode::CREATED, "{order}");
    let id = order["id"].as_i64().unwrap();
    assert_eq!(pay(app, client, id, method).await.0, StatusCode::OK);
    id
}

pub fn fields(error: &Value) -> Vec<(String, String)> {
    error["field_errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["field"].as_str().unwrap().to_owned(), e["code"].as_str().unwrap().to_owned()))
        .collect()
}

#[tokio::test]
async fn profiles_are_checked_field_by_field_and_one_is_the_default() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let (status, first) = send(&app, &lin, "POST", "/invoice-profiles", Some(&enterprise())).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    assert_eq!((first["is_default"].as_bool(), first["tax_id"].as_str()), (Some(true), Some("91350100M000100Y43")));

    let person = json!({ "kind": "personal", "title": "Lin Wei", "email": "lin.wei@example.com", "is_default": true });
    let (status, second) = send(&app, &lin, "POST", "/invoice-profiles", Some(&person)).await;
    assert_eq!((status, second["is_default"].as_bool()), (StatusCode::CREATED, Some(true)));
    let (_, list) = app.get_as(&lin, "/invoice-profiles").await;
    let defaults: Vec<bool> = list.as_array().unwrap().iter().map(|p| p["is_default"].as_bool().unwrap()).collect();
    assert_eq!(defaults, [true, false], "exactly one default, listed first: {list}");

    // The check character is wrong: a field error, nothing saved.
    let mut wrong = enterprise();
    wrong["tax_id"] = json!("91350100M000100Y44");
    let (status, error) = send(&app, &lin, "POST", "/invoice-profiles", Some(&wrong)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&error), [("tax_id".to_owned(), "invalid".to_owned())]);
    let huge = "字".repeat(10_000);
    let everything = json!({ "kind": "enterprise", "title": huge, "tax_id": huge, "address": huge, "phone": huge,
                             "bank_account": huge, "email": huge });
    let (status, error) = send(&app, &lin, "POST", "/invoice-profiles", Some(&everything)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let named: Vec<String> = fields(&error).into_iter().map(|(field, _)| field).collect();
    for field in ["title", "tax_id", "address", "phone", "bank_account", "email"] {
        assert!(named.contains(&field.to_owned()), "{field}: {error}");
    }
    assert_eq!(app.get_as(&lin, "/invoice-profiles").await.1.as_array().unwrap().len(), 2);

    // Someone else's profile is not found; deleting the default moves it.
    let maria = app.logged_in("maria.santos").await;
    let path = format!("/invoice-profiles/{}", second["id"]);
    assert_eq!(send(&app, &maria, "DELETE", &path, None).await.0, StatusCode::NOT_FOUND);
    assert_eq!(send(&app, &maria, "PUT", &path, Some(&person)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(send(&app, &lin, "DELETE", &path, None).await.0, StatusCode::NO_CONTENT);
    let (_, list) = app.get_as(&lin, "/invoice-profiles").await;
    assert_eq!(list[0]["id"], first["id"]);
    assert_eq!(list[0]["is_default"], true);
}

#[tokio::test]
async fn bazaar_issues_at_once_sellers_wait_and_every_bad_request_is_refused() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let (_, profile) = send(&app, &lin, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let profile_id = profile["id"].as_i64().unwrap();
    // Northwind CRM Cloud and BluePeak Secrets Vault are Bazaar's; Harborline's seller invoices itself.
    let crm = bought(&app, &lin, "crm", 1, 1).await;
    let vault = bought(&app, &lin, "vault", 10, 19).await;
    let hr = bought(&app, &lin, "hr", 11, 22).await;
    let (_, invoiceable) = app.get_as(&lin, "/invoices/invoiceable").await;
    let issuers: Vec<&str> =
        invoiceable["groups"].as_array().unwrap().iter().map(|g| g["issuer_kind"].as_str().unwrap()).collect();
    assert_eq!(issuers, ["bazaar", "seller"], "{invoiceable}");

    // Mixing issuers, someone else's order, an unknown profile: field errors, nothing issued.
    let mixed = json!({ "profile_id": profile_id, "order_ids": [crm, hr] });
    let (status, error) = send(&app, &lin, "POST", "/invoices", Some(&mixed)).await;
    assert_eq!(
        (status, fields(&error)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![("order_ids".to_owned(), "invalid".to_owned())])
    );
    let maria = app.logged_in("maria.santos").await;
    let (_, maria_profile) = send(&app, &maria, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let theirs = json!({ "profile_id": maria_profile["id"], "order_ids": [crm] });
    let (status, error) = send(&app, &maria, "POST", "/invoices", Some(&theirs)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&error), [("order_ids[0]".to_owned(), "unknown_value".to_owned())]);
    let wrong_profile = json!({ "profile_id": maria_profile["id"], "order_ids": [crm] });
    let (status, error) = send(&app, &lin, "POST", "/invoices", Some(&wrong_profile)).await;
    assert_eq!(
        (status, fields(&error)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![("profile_id".to_owned(), "unknown_value".to_owned())])
    );
    assert!(app.get_as(&lin, "/invoices").await.1.as_array().unwrap().is_empty());

    // Two of Bazaar's in one invoice: issued at once, numbered, totals from core.
    let both = json!({ "profile_id": profile_id, "order_ids": [crm, vault] });
    let (status, invoice) = send(&app, &lin, "POST", "/invoices", Some(&both)).await;
    assert_eq!(status, StatusCode::CREATED, "{invoice}");
    let year = app.state.clock.now().year();
    assert_eq!(invoice["state"], "issued");
    assert_eq!(invoice["number"], format!("BZI-{year}-000001"));
    let paid: i64 = invoiceable["groups"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["paid"]["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(invoice["total"]["amount_minor"].as_i64(), Some(paid));
    assert_eq!(
        invoice["net"]["amount_minor"].as_i64().unwrap() + invoice["tax"]["amount_minor"].as_i64().unwrap(),
        paid
    );
    // Invoiced already: refused, and no longer offered.
    let again = json!({ "profile_id": profile_id, "order_ids": [crm] });
    let (status, error) = send(&app, &lin, "POST", "/invoices", Some(&again)).await;
    assert_eq!(
        (status, fields(&error)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![("order_ids[0]".to_owned(), "unavailable".to_owned())])
    );
    let (_, invoiceable) = app.get_as(&lin, "/invoices/invoiceable").await;
    assert_eq!(invoiceable["groups"].as_array().unwrap().len(), 1);

    // The seller's waits with its deadline; editing the profile changes no invoice.
    let (status, requested) =
        send(&app, &lin, "POST", "/invoices", Some(&json!({ "profile_id": profile_id, "order_ids": [hr] }))).await;
    assert_eq!(status, StatusCode::CREATED, "{requested}");
    assert_eq!((requested["state"].as_str(), requested["number"].is_null()), (Some("requested"), true));
    assert!(requested["deadline_at"].is_string());
    let mut renamed = enterprise();
    renamed["title"] = json!("Renamed Ltd");
    let path = format!("/invoice-profiles/{profile_id}");
    assert_eq!(send(&app, &lin, "PUT", &path, Some(&renamed)).await.0, StatusCode::OK);
    let (_, invoices) = app.get_as(&lin, "/invoices").await;
    assert!(
        invoices.as_array().unwrap().iter().all(|i| i["made_out_to"]["title"] == "福州示例科技有限公司"),
        "{invoices}"
    );
    // A reseller customer is told who invoices them.
    let chen = app.logged_in("chen.jie").await;
    let (_, theirs) = app.get_as(&chen, "/invoices/invoiceable").await;
    assert_eq!(theirs["invoiced_by_reseller"], "Harbor Cloud Partners", "{theirs}");
}

/// Fifty requested invoices of one issuer, issued at once by two instances: the numbers
/// are 1 to 50, none twice, none missing (on PostgreSQL: two servers on one database).
#[tokio::test]
async fn fifty_invoices_issued_at_once_on_two_instances_are_numbered_without_gaps() {
    let app = spawn_app().await;
    let second = app.restart_with(|_| {}).await;
    let lin = app.logged_in("lin.wei").await;
    let (_, profile) = send(&app, &lin, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let account: i64 =
        db::query_scalar("SELECT id FROM accounts WHERE username = 'lin.wei'").fetch_one(&app.state.db).await.unwrap();
    let mut ids = Vec::new();
    for _ in 0..50 {
        let id: i64 = db::query_scalar(
            "INSERT INTO invoices (account_id, issuer, kind, state, profile_json, currency, tax_rate_bp, net_minor,
                                   tax_minor, total_minor, requested_at)
             VALUES ($1, 'bazaar', 'invoice', 'requested', $2, 'CNY', 600, 100, 6, 106, 0) RETURNING id",
        )
        .bind(account)
        .bind(profile.to_string())
        .fetch_one(&app.state.db)
        .await
        .unwrap();
        ids.push(id);
    }
    let now = app.state.clock.unix_now();
    let mut issuing = tokio::task::JoinSet::new();
    for (index, id) in ids.into_iter().enumerate() {
        let state = if index % 2 == 0 { app.state.clone() } else { second.state.clone() };
        issuing.spawn(async move {
            let mut transaction = begin_write(&state.db, WriteScope::Guarded).await.unwrap();
            let number = bazaar_server::domain::invoices::issue(&mut transaction, id, "bazaar", now).await.unwrap();
            transaction.commit().await.unwrap();
            number
        });
    }
    let mut numbers = issuing.join_all().await;
    numbers.sort();
    numbers.dedup();
    assert_eq!(numbers.len(), 50);
    let year = app.state.clock.now().year();
    let sequences = bazaar_server::store::invoices::sequences(&app.state.db, "bazaar", year).await.unwrap();
    assert_eq!(sequences, (1..=50).collect::<Vec<i64>>());
}

pub async fn unsubscribe(app: &TestApp, client: &Client, id: i64) {
    let (status, quote) = app.get_as(client, &format!("/purchased-apps/{id}/unsubscription-quote")).await;
    assert_eq!(status, StatusCode::OK, "{quote}");
    let body = json!({ "refund": quote["refund"] });
    let (status, left) = decode(
        client
            .post(app.url(&format!("/purchased-apps/{id}/unsubscribe")))
            .header("Idempotency-Key", format!("leave-{id}"))
            .json(&body)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{left}");
}

pub async fn completed(app: &TestApp, client: &Client, id: i64) {
    for _ in 0..200 {
        if app.get_as(client, &format!("/orders/{id}")).await.1["status"] == "completed" {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("order {id} did not complete");
}

#[tokio::test]
async fn a_refund_of_an_invoiced_order_issues_a_credit_note_and_rejects_a_waiting_request() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let (_, profile) = send(&app, &lin, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let crm = bought(&app, &lin, "crm", 1, 1).await;
    let hr = bought(&app, &lin, "hr", 11, 22).await;
    completed(&app, &lin, crm).await;
    completed(&app, &lin, hr).await;
    let request = |id: i64| json!({ "profile_id": profile["id"], "order_ids": [id] });
    let (_, invoice) = send(&app, &lin, "POST", "/invoices", Some(&request(crm))).await;
    let (_, waiting) = send(&app, &lin, "POST", "/invoices", Some(&request(hr))).await;
    assert_eq!((invoice["state"].as_str(), waiting["state"].as_str()), (Some("issued"), Some("requested")));

    // Left within 5 days: refunded in full, so the invoice is taken back in full.
    unsubscribe(&app, &lin, crm).await;
    unsubscribe(&app, &lin, hr).await;
    let (_, invoices) = app.get_as(&lin, "/invoices").await;
    let note = invoices.as_array().unwrap().iter().find(|i| i["kind"] == "credit_note").expect("a credit note");
    let year = app.state.clock.now().year();
    assert_eq!(note["state"], "issued");
    assert_eq!(note["number"], format!("BZI-{year}-000002"));
    assert_eq!(note["original_number"], invoice["number"]);
    assert_eq!(note["total"]["amount_minor"].as_i64(), invoice["total"]["amount_minor"].as_i64().map(|t| -t));
    let rejected = invoices.as_array().unwrap().iter().find(|i| i["id"] == waiting["id"]).unwrap();
    assert_eq!(rejected["state"], "rejected");
    assert!(rejected["reject_reason"].as_str().unwrap().contains("refunded"));
    // Nothing is left to invoice, and verify agrees that no order is invoiced beyond what it paid.
    let (_, invoiceable) = app.get_as(&lin, "/invoices/invoiceable").await;
    assert!(invoiceable["groups"].as_array().unwrap().is_empty(), "{invoiceable}");
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert_eq!(report.invoiced_beyond_paid, 0);
    assert!(report.is_clean(), "{report:?}");
}

/// Northwind MySQL Backup Manager: a generated product its seller (sam.okafor's Northwind
/// Data Systems) invoices itself.
pub const SELLER_INVOICED: (i64, i64) = (51, 96);

async fn topics_of(app: &TestApp, username: &str) -> Vec<String> {
    db::query_scalar(
        "SELECT m.topic FROM messages m JOIN accounts a ON a.id = m.account_id WHERE a.username = $1 ORDER BY m.id",
    )
    .bind(username)
    .fetch_all(&app.state.db)
    .await
    .unwrap()
}

#[tokio::test]
async fn the_seller_issues_or_rejects_with_a_reason_and_only_its_own() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let (_, profile) = send(&app, &lin, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let (product, sku) = SELLER_INVOICED;
    let first = bought(&app, &lin, "one", product, sku).await;
    let second = bought(&app, &lin, "two", product, sku).await;
    let request = |id: i64| json!({ "profile_id": profile["id"], "order_ids": [id] });
    let (_, a) = send(&app, &lin, "POST", "/invoices", Some(&request(first))).await;
    let (_, b) = send(&app, &lin, "POST", "/invoices", Some(&request(second))).await;
    assert_eq!((a["state"].as_str(), b["state"].as_str()), (Some("requested"), Some("requested")), "{a} {b}");

    let sam = app.logged_in("sam.okafor").await;
    let (status, queue) = app.get_as(&sam, "/seller/invoices").await;
    assert_eq!(status, StatusCode::OK, "{queue}");
    assert_eq!(queue.as_array().unwrap().len(), 2);
    assert_eq!(queue[0]["made_out_to"]["title"], "福州示例科技有限公司");
    // Another seller, and the buyer, cannot decide it.
    let ivy = app.logged_in("ivy.tan").await;
    let issue_path = format!("/seller/invoices/{}/issue", a["id"]);
    assert_eq!(send(&app, &ivy, "POST", &issue_path, None).await.0, StatusCode::CONFLICT);
    assert_eq!(send(&app, &lin, "POST", &issue_path, None).await.0, StatusCode::FORBIDDEN);
    assert!(app.get_as(&ivy, "/seller/invoices").await.1.as_array().unwrap().is_empty());

    let (status, issued) = send(&app, &sam, "POST", &issue_path, None).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    let year = app.state.clock.now().year();
    assert_eq!(issued["number"], format!("S0001-{year}-000001"));
    assert_eq!(send(&app, &sam, "POST", &issue_path, None).await.0, StatusCode::CONFLICT, "issued twice");

    let reject_path = format!("/seller/invoices/{}/reject", b["id"]);
    let (status, error) = send(&app, &sam, "POST", &reject_path, Some(&json!({ "reason": "no" }))).await;
    assert_eq!(
        (status, fields(&error)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![("reason".to_owned(), "too_short".to_owned())])
    );
    let reason = "The company name does not match the contract.";
    let (status, rejected) = send(&app, &sam, "POST", &reject_path, Some(&json!({ "reason": reason }))).await;
    assert_eq!((status, rejected["state"].as_str()), (StatusCode::OK, Some("rejected")), "{rejected}");
    assert_eq!(rejected["reject_reason"], reason);
    // The buyer hears of both, and the rejected item can be requested again.
    assert_eq!(topics_of(&app, "lin.wei").await, ["invoice_issued", "invoice_rejected"]);
    let (_, invoiceable) = app.get_as(&lin, "/invoices/invoiceable").await;
    let open: Vec<i64> =
        invoiceable["groups"][0]["items"].as_array().unwrap().iter().map(|i| i["order_id"].as_i64().unwrap()).collect();
    assert_eq!(open, [second]);
}

#[tokio::test]
async fn operations_hear_once_of_a_request_past_its_deadline_to_the_second() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, profile) = send(&app, &lin, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let (product, sku) = SELLER_INVOICED;
    let order = bought(&app, &lin, "one", product, sku).await;
    let (_, invoice) =
        send(&app, &lin, "POST", "/invoices", Some(&json!({ "profile_id": profile["id"], "order_ids": [order] })))
            .await;
    let deadline = crate::lifecycle::instant(&invoice["deadline_at"]);
    let sweep = || bazaar_server::domain::lifecycle::sweep_once(&app.state);
    app.advance_clock((deadline - app.state.clock.now()).whole_seconds() - 1).await;
    sweep().await.unwrap();
    assert!(!topics_of(&app, "zhang.min").await.contains(&"invoice_overdue".to_owned()));
    app.advance_clock(1).await;
    sweep().await.unwrap();
    sweep().await.unwrap();
    let overdue = topics_of(&app, "zhang.min").await.into_iter().filter(|t| t == "invoice_overdue").count();
    assert_eq!(overdue, 1);
}
