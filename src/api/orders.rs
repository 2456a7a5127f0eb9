//! Checkout, payment and order endpoints, and the account's VPCs and payment options.

use bazaar_core::ids::OrderId;
use bazaar_core::orders::{
    CardOnFile, CreateVpcRequest, IDEMPOTENCY_KEY_HEADER, OrderDetail, OrderPage, PayOrderRequest, PaymentMethod,
    PaymentOptions, PlaceOrderRequest, SaveCardRequest, Vpc,
};
use gloo_net::http::Method;

use super::{ApiError, get, request};

/// Places an order; `idempotency_key` identifies the checkout attempt, so a retry returns
/// the order the first try made.
pub async fn place_order(order: PlaceOrderRequest, idempotency_key: String) -> Result<OrderDetail, ApiError> {
    request(Method::POST, "/orders", Some(&order), &[(IDEMPOTENCY_KEY_HEADER, idempotency_key.as_str())]).await
}

pub async fn pay_order(order_id: OrderId, method: PaymentMethod) -> Result<OrderDetail, ApiError> {
    request(Method::POST, &format!("/orders/{order_id}/payment"), Some(&PayOrderRequest { method }), &[]).await
}

pub async fn cancel_order(order_id: OrderId) -> Result<OrderDetail, ApiError> {
    request(Method::POST, &format!("/orders/{order_id}/cancel"), None::<&()>, &[]).await
}

/// `query` is the API's own query string (without the `?`).
pub async fn orders(query: String) -> Result<OrderPage, ApiError> {
    get(&format!("/orders?{query}")).await
}

pub async fn order(order_id: OrderId) -> Result<OrderDetail, ApiError> {
    get(&format!("/orders/{order_id}")).await
}

pub async fn payment_options() -> Result<PaymentOptions, ApiError> {
    get("/account/payment-options").await
}

pub async fn vpcs() -> Result<Vec<Vpc>, ApiError> {
    get("/vpcs").await
}

pub async fn create_vpc(vpc: CreateVpcRequest) -> Result<Vpc, ApiError> {
    request(Method::POST, "/vpcs", Some(&vpc), &[]).await
}

pub async fn save_card(card: SaveCardRequest) -> Result<CardOnFile, ApiError> {
    request(Method::PUT, "/account/card", Some(&card), &[]).await
}
