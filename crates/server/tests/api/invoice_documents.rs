//! Invoice documents and closed pay-per-use bills as invoice items: the PDF read back
//! (number, amounts, the Chinese title, a subset of the font), who may download it, a
//! closed month's charges invoiced once, a request racing an unsubscription, the demo's.

use reqwest::{Client, StatusCode};
use serde_json::json;
use time::Duration;

use crate::common::{TestApp, spawn_app};
use crate::invoices::{SELLER_INVOICED, bought, completed, enterprise, fields, send, unsubscribe};
use crate::usage::{hour, hourly_app, later, record, report, seller_of};

/// The PDF of invoice `id` as `client` gets it: status, content type, disposition, bytes.
async fn download(app: &TestApp, client: &Client, id: i64) -> (StatusCode, String, String, Vec<u8>) {
    let response = client.get(app.url(&format!("/invoices/{id}/pdf"))).send().await.unwrap();
    let header =
        |name: &str| response.headers().get(name).map(|value| value.to_str().unwrap().to_owned()).unwrap_or_default();
    let (content_type, disposition) = (header("content-type"), header("content-disposition"));
    (response.status(), content_type, disposition, response.bytes().await.unwrap().to_vec())
}

fn text_of(pdf: &[u8]) -> String {
    pdf_extract::extract_text_from_mem(pdf).expect("the PDF reads back")
}

#[tokio::test]
async fn an_issued_invoice_reads_back_from_its_pdf_for_its_buyer_and_issuer_only() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let (_, profile) = send(&app, &lin, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let crm = bought(&app, &lin, "crm", 1, 1).await;
    let vault = bought(&app, &lin, "vault", 10, 19).await;
    let request = json!({ "profile_id": profile["id"], "order_ids": [crm, vault] });
    let (status, invoice) = send(&app, &lin, "POST", "/invoices", Some(&request)).await;
    assert_eq!(status, StatusCode::CREATED, "{invoice}");
    let id = invoice["id"].as_i64().unwrap();

    let (status, content_type, disposition, pdf) = download(&app, &lin, id).await;
    assert_eq!((status, content_type.as_str()), (StatusCode::OK, "application/pdf"));
    let number = invoice["number"].as_str().unwrap();
    assert_eq!(disposition, format!("attachment; filename=\"{number}.pdf\""));
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    // The whole Noto Sans CJK is ~19 MB: only a subset can fit.
    assert!(pdf.len() < 100_000, "{} bytes", pdf.len());
    let text = text_of(&pdf);
    for expected in [number, "福州示例科技有限公司", "91350100M000100Y43", "发票", "Northwind CRM Cloud"] {
        assert!(text.contains(expected), "{expected:?} is not in the PDF's text:\n{text}");
    }
    let display = |amount: &serde_json::Value| {
        let minor = amount["amount_minor"].as_i64().unwrap();
        format!("¥{}.{:02}", minor / 100, minor % 100)
    };
    for amount in [&invoice["total"], &invoice["net"], &invoice["tax"]] {
        let shown = display(amount);
        let grouped = shown.replace("¥", "");
        assert!(text.contains(&shown) || text.contains(&grouped), "{shown} is not in:\n{text}");
    }

    // Its buyer and operations (Bazaar issued it) only; the product's seller is not the issuer.
    for (who, expected) in
        [("maria.santos", StatusCode::NOT_FOUND), ("sam.okafor", StatusCode::NOT_FOUND), ("zhang.min", StatusCode::OK)]
    {
        let client = app.logged_in(who).await;
        assert_eq!(download(&app, &client, id).await.0, expected, "{who}");
    }
    assert_eq!(download(&app, &Client::new(), id).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(download(&app, &lin, id + 1_000).await.0, StatusCode::NOT_FOUND);

    // A refund: the credit note's PDF names the original.
    completed(&app, &lin, crm).await;
    unsubscribe(&app, &lin, crm).await;
    let (_, invoices) = app.get_as(&lin, "/invoices").await;
    let note = invoices.as_array().unwrap().iter().find(|i| i["kind"] == "credit_note").unwrap();
    let (status, _, _, pdf) = download(&app, &lin, note["id"].as_i64().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    let text = text_of(&pdf);
    assert!(text.contains("红字发票") && text.contains(number), "{text}");
    assert!(text.contains(note["number"].as_str().unwrap()), "{text}");
}

#[tokio::test]
async fn a_sellers_invoice_has_a_document_once_issued_for_that_seller_only() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let (_, profile) = send(&app, &lin, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let order = bought(&app, &lin, "backup", SELLER_INVOICED.0, SELLER_INVOICED.1).await;
    let request = json!({ "profile_id": profile["id"], "order_ids": [order] });
    let (_, waiting) = send(&app, &lin, "POST", "/invoices", Some(&request)).await;
    let id = waiting["id"].as_i64().unwrap();
    let (status, _, _, _) = download(&app, &lin, id).await;
    assert_eq!(status, StatusCode::CONFLICT, "not issued yet");

    let sam = app.logged_in("sam.okafor").await;
    let (status, issued) = send(&app, &sam, "POST", &format!("/seller/invoices/{id}/issue"), None).await;
    assert_eq!(status, StatusCode::OK, "{issued}");
    for (who, expected) in [
        ("lin.wei", StatusCode::OK),
        ("sam.okafor", StatusCode::OK),
        ("ivy.tan", StatusCode::NOT_FOUND),
        ("zhang.min", StatusCode::NOT_FOUND),
        ("maria.santos", StatusCode::NOT_FOUND),
    ] {
        let client = app.logged_in(who).await;
        assert_eq!(download(&app, &client, id).await.0, expected, "{who}");
    }
    let (_, _, _, pdf) = download(&app, &sam, id).await;
    let text = text_of(&pdf);
    assert!(text.contains("Northwind Data Systems") && text.contains("代为开具"), "{text}");
    assert!(text.contains(issued["number"].as_str().unwrap()), "{text}");
}

#[tokio::test]
async fn a_closed_months_pay_per_use_charges_are_invoiced_once() {
    let app = spawn_app().await;
    app.state.clock.freeze();
    let lin = app.logged_in("lin.wei").await;
    let (_, profile) = send(&app, &lin, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let hourly = hourly_app(&app, &lin, "h", 1).await;
    let seller = seller_of(&app, hourly).await;
    app.advance_clock(3_600).await;
    let used_at = app.state.clock.now() - Duration::hours(1);
    let month = bazaar_core::usage::month_key(bazaar_core::usage::month_start(used_at));
    let (status, answer) = report(&app, seller, &json!({ "records": [record(hourly, &hour(&app, -1), 10)] })).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    later(&app, 3_660).await;
    let bill = json!({ "profile_id": profile["id"], "usage_bills": [{ "app_id": hourly, "month": month }] });
    // Still open: not invoiceable.
    let (status, error) = send(&app, &lin, "POST", "/invoices", Some(&bill)).await;
    assert_eq!(
        (status, fields(&error)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![("usage_bills[0]".to_owned(), "unknown_value".to_owned())])
    );
    // Closed on the 3rd of next month.
    let now = app.state.clock.now();
    let third = bazaar_core::usage::next_month_start(now) + Duration::days(2) + Duration::hours(1);
    later(&app, (third - now).whole_seconds()).await;
    let (_, invoiceable) = app.get_as(&lin, "/invoices/invoiceable").await;
    let item = invoiceable["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|group| group["items"].as_array().unwrap())
        .find(|item| item["usage_month"] == month)
        .unwrap_or_else(|| panic!("the closed bill is invoiceable: {invoiceable}"))
        .clone();
    assert_eq!((item["order_id"].as_i64(), item["invoiceable"]["amount_minor"].as_i64()), (Some(hourly), Some(400)));

    let (status, invoice) = send(&app, &lin, "POST", "/invoices", Some(&bill)).await;
    assert_eq!(status, StatusCode::CREATED, "{invoice}");
    assert_eq!((invoice["state"].as_str(), invoice["total"]["amount_minor"].as_i64()), (Some("issued"), Some(400)));
    assert_eq!(invoice["items"][0]["usage_month"], month);
    assert!(invoice["items"][0]["description"].as_str().unwrap().contains(&month), "{invoice}");
    let (status, error) = send(&app, &lin, "POST", "/invoices", Some(&bill)).await;
    assert_eq!(
        (status, fields(&error)),
        (StatusCode::UNPROCESSABLE_ENTITY, vec![("usage_bills[0]".to_owned(), "unavailable".to_owned())])
    );
    // Not a month, and someone else's bill.
    let bad = json!({ "profile_id": profile["id"], "usage_bills": [{ "app_id": hourly, "month": "2026-13" }] });
    assert_eq!(fields(&send(&app, &lin, "POST", "/invoices", Some(&bad)).await.1)[0].1, "invalid");
    let maria = app.logged_in("maria.santos").await;
    let (_, theirs) = send(&app, &maria, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let stolen = json!({ "profile_id": theirs["id"], "usage_bills": [{ "app_id": hourly, "month": month }] });
    assert_eq!(fields(&send(&app, &maria, "POST", "/invoices", Some(&stolen)).await.1)[0].1, "unknown_value");
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert!(report.is_clean(), "{report:?}");
}

#[tokio::test]
async fn the_demo_has_profiles_an_issued_invoice_and_a_waiting_request() {
    let app = crate::common::spawn_app_with(|config| config.demo_apps = true).await;
    let lin = app.logged_in("lin.wei").await;
    let (_, profiles) = app.get_as(&lin, "/invoice-profiles").await;
    assert_eq!(profiles.as_array().unwrap().len(), 2, "{profiles}");
    let (_, invoices) = app.get_as(&lin, "/invoices").await;
    let states: Vec<&str> = invoices.as_array().unwrap().iter().map(|i| i["state"].as_str().unwrap()).collect();
    assert!(states.contains(&"issued") && states.contains(&"requested"), "{invoices}");
    let issued = invoices.as_array().unwrap().iter().find(|i| i["state"] == "issued").unwrap();
    assert_eq!(issued["items"].as_array().unwrap().len(), 2, "{issued}");
    let (status, _, _, pdf) = download(&app, &lin, issued["id"].as_i64().unwrap()).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_of(&pdf).contains("福州示例科技有限公司"));
}

/// Leaving an app is one transaction (refund, release, credit note), so no unsubscription
/// is ever pending; a request racing it is serialised by the account's write lock: either
/// the invoice comes first and a credit note takes it back, or the refund comes first and
/// the request is refused. Never an invoice for refunded money.
#[tokio::test]
async fn an_invoice_request_racing_an_unsubscription_never_invoices_refunded_money() {
    let app = spawn_app().await;
    let lin = app.logged_in("lin.wei").await;
    let (_, profile) = send(&app, &lin, "POST", "/invoice-profiles", Some(&enterprise())).await;
    let crm = bought(&app, &lin, "crm", 1, 1).await;
    completed(&app, &lin, crm).await;
    let request = json!({ "profile_id": profile["id"], "order_ids": [crm] });
    let ((status, answer), ()) =
        tokio::join!(send(&app, &lin, "POST", "/invoices", Some(&request)), unsubscribe(&app, &lin, crm));
    let (_, invoices) = app.get_as(&lin, "/invoices").await;
    let total: i64 = invoices.as_array().unwrap().iter().map(|i| i["total"]["amount_minor"].as_i64().unwrap()).sum();
    match status {
        StatusCode::CREATED => assert_eq!((invoices.as_array().unwrap().len(), total), (2, 0), "{invoices}"),
        StatusCode::UNPROCESSABLE_ENTITY => {
            assert_eq!(fields(&answer)[0].1, "unavailable", "{answer}");
            assert!(invoices.as_array().unwrap().is_empty());
        }
        other => panic!("{other}: {answer}"),
    }
    let report = bazaar_server::domain::verify::verify(&app.state.db).await.unwrap();
    assert!(report.is_clean(), "{report:?}");
}
