//! The committed OpenAPI document must match the one generated from the code.

#[test]
fn committed_openapi_document_is_up_to_date() {
    let generated = bazaar_server::openapi_json();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/openapi.json");
    let committed = std::fs::read_to_string(path).unwrap_or_default();
    if std::env::var_os("UPDATE_OPENAPI").is_some() {
        std::fs::write(path, &generated).expect("write openapi.json");
        return;
    }
    assert!(
        committed == generated,
        "crates/server/openapi.json is stale: run `cargo xtask openapi` and commit the result"
    );
}
