//! One idempotency key per checkout attempt, kept in `sessionStorage` so that a reload in
//! the middle of paying retries the same attempt instead of starting a second order.
//!
//! The key is scoped to the checkout URL (product and configuration): a different choice
//! is a different attempt. It is forgotten once the order exists, so buying the same thing
//! again later is a new order.

const PREFIX: &str = "bazaar.checkout.";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|window| window.session_storage().ok().flatten())
}

fn new_key() -> String {
    web_sys::window()
        .and_then(|window| window.crypto().ok())
        .map(|crypto| crypto.random_uuid())
        // Without Web Crypto (very old browsers) fall back to time + Math.random.
        .unwrap_or_else(|| format!("{}-{}", js_sys::Date::now(), js_sys::Math::random().to_bits()))
}

/// The key of the attempt at `checkout_url`, created on first use.
pub fn key_for(checkout_url: &str) -> String {
    let slot = format!("{PREFIX}{checkout_url}");
    if let Some(existing) = storage().and_then(|storage| storage.get_item(&slot).ok().flatten()) {
        return existing;
    }
    let key = new_key();
    if let Some(storage) = storage() {
        let _ = storage.set_item(&slot, &key);
    }
    key
}

/// Remembers which attempt made `order_id`, so the payment page can end that attempt.
pub fn remember_order(order_id: bazaar_core::ids::OrderId, checkout_url: &str) {
    if let Some(storage) = storage() {
        let _ = storage.set_item(&format!("{PREFIX}order.{order_id}"), checkout_url);
    }
}

/// Ends the attempt that made `order_id` once it is paid: buying again is a new order.
/// Until then, going back to checkout and pressing Pay Now again reaches the same order.
pub fn finish_order(order_id: bazaar_core::ids::OrderId) {
    if let Some(storage) = storage() {
        let slot = format!("{PREFIX}order.{order_id}");
        if let Ok(Some(checkout_url)) = storage.get_item(&slot) {
            let _ = storage.remove_item(&format!("{PREFIX}{checkout_url}"));
        }
        let _ = storage.remove_item(&slot);
    }
}

/// Forgets the attempt at `attempt_url` once it succeeded.
pub fn forget(attempt_url: &str) {
    if let Some(storage) = storage() {
        let _ = storage.remove_item(&format!("{PREFIX}{attempt_url}"));
    }
}
