//! One provisioning attempt: the signed call to the seller's endpoint (or the simulated
//! cloud server for images), and the wire types of the seller protocol. `Err` carries a
//! reason that is safe to show the buyer and to log.

use bazaar_core::ids::OrderId;
use bazaar_core::orders::order_number;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::orders::ProvisioningKind;
use crate::domain::secrets;
use crate::infra::crypto::{self, SecretKey};
use crate::infra::outbound;
use crate::state::AppState;

/// The body of a provisioning request to a seller.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProvisionRequest {
    /// Idempotency key: the same line always gets the same instance.
    pub order_line_id: String,
    pub order_number: String,
    pub product_id: i64,
    pub product_name: String,
    pub sku_id: i64,
    pub sku_name: String,
    pub quantity: i64,
    pub region: String,
    pub billing_mode: String,
    /// Present only when the buyer authorised sharing them with this seller.
    pub buyer_contact: Option<BuyerContact>,
    /// A free trial: serve it until this instant (RFC 3339). Bought, it gets a signed
    /// `trial_converted` notice with the paid term's expiry; not bought, `suspended`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trial_ends_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct BuyerContact {
    pub mobile: String,
    pub email: String,
    pub iam_user_name: String,
}

/// A seller's answer: the instance and its application information. The user name and
/// password are AES-256-GCM sealed with the seller's key (base64 of nonce ‖ ciphertext).
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ProvisionResponse {
    pub instance_id: String,
    pub frontend_url: String,
    pub management_url: String,
    pub username_sealed: String,
    pub password_sealed: String,
}

/// What one attempt produced.
pub(super) struct Provisioned {
    pub(super) instance_id: String,
    pub(super) frontend_url: Option<String>,
    pub(super) management_url: Option<String>,
    pub(super) username_sealed: Option<Vec<u8>>,
    pub(super) password_sealed: Option<Vec<u8>>,
    pub(super) server_address: Option<String>,
    pub(super) login_user: Option<String>,
}

use crate::store::provisioning::JobOrder;

/// One attempt; `Err` carries a reason safe to show the buyer and to log.
pub(super) async fn attempt_provisioning(state: &AppState, order_id: OrderId) -> Result<Provisioned, String> {
    let order: JobOrder = crate::store::provisioning::job_order(&state.db, order_id).await.map_err(|error| {
        tracing::error!(%order_id, %error, "loading order for provisioning");
        "internal error while reading the order".to_owned()
    })?;
    match order.provisioning_kind {
        ProvisioningKind::Cloud => Ok(create_cloud_server(order_id, order.vpc_cidr.as_deref())),
        ProvisioningKind::Seller => call_seller(state, order_id, &order).await,
        ProvisioningKind::None => Err("nothing to provision".to_owned()),
    }
}

/// The simulated cloud: a server with a private address inside the buyer's VPC.
fn create_cloud_server(order_id: OrderId, vpc_cidr: Option<&str>) -> Provisioned {
    let order_id = order_id.0;
    // CIDRs are 10.N.0.0/16; hosts start at .4 (the first addresses are the cloud's).
    let network = vpc_cidr.and_then(|cidr| cidr.split('/').next()).unwrap_or("10.0.0.0");
    let octets: Vec<&str> = network.split('.').collect();
    let host = order_id.rem_euclid(250) + 4;
    let third = (order_id / 250).rem_euclid(250);
    let address = format!("{}.{}.{third}.{host}", octets.first().unwrap_or(&"10"), octets.get(1).unwrap_or(&"0"));
    Provisioned {
        instance_id: format!("ecs-{}", hex::encode(rand::random::<[u8; 6]>())),
        frontend_url: Some(format!("https://{address}/")),
        management_url: None,
        username_sealed: None,
        password_sealed: None,
        server_address: Some(address),
        login_user: Some(bazaar_core::orders::SERVER_LOGIN_USER.to_owned()),
    }
}

async fn call_seller(state: &AppState, order_id: OrderId, order: &JobOrder) -> Result<Provisioned, String> {
    let seller_key: SecretKey = crate::domain::secrets::seller_key(&state.db, &state.master_keys, order.seller_id)
        .await
        .ok()
        .flatten()
        .ok_or_else(|| "the seller's key is missing or invalid".to_owned())?;
    let url = order
        .provisioning_url
        .as_deref()
        .and_then(|url| state.sellers.resolve(url))
        .ok_or_else(|| "the seller has no provisioning endpoint".to_owned())?;
    let url = outbound::check_seller_url(&url, state.config.demo)?;
    let buyer_contact = if order.consented {
        let contact = crate::store::accounts::contact(&state.db, order.account_id)
            .await
            .map_err(|_| "internal error while reading the buyer's contact".to_owned())?;
        Some(BuyerContact { mobile: contact.mobile, email: contact.email, iam_user_name: contact.iam_user_name })
    } else {
        None
    };
    let request = ProvisionRequest {
        order_line_id: format!("{}-1", order_number(order_id)),
        order_number: order_number(order_id),
        product_id: order.product_id.0,
        product_name: order.product_name.clone(),
        sku_id: order.sku_id,
        sku_name: order.sku_name.clone(),
        quantity: order.quantity,
        region: order.region.clone(),
        billing_mode: order.billing_mode.clone(),
        buyer_contact,
        trial_ends_at: order
            .trial_ends_at
            .map(crate::infra::clock::from_unix)
            .and_then(|at| at.format(&time::format_description::well_known::Rfc3339).ok()),
    };
    let body = serde_json::to_vec(&request).map_err(|_| "internal error while encoding the request".to_owned())?;
    let timestamp = state.clock.unix_now();
    let nonce = hex::encode(rand::random::<[u8; 16]>());
    let signature = crypto::sign_request(&seller_key, timestamp, &nonce, &body);
    let response = state
        .sellers
        .http
        .post(url)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .header(crypto::TIMESTAMP_HEADER, timestamp.to_string())
        .header(crypto::NONCE_HEADER, &nonce)
        .header(crypto::SIGNATURE_HEADER, signature)
        .body(body)
        .send()
        .await
        .map_err(|error| {
            if error.is_timeout() {
                "the seller's system did not answer in time".to_owned()
            } else {
                "the seller's system could not be reached".to_owned()
            }
        })?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("the seller's system answered HTTP {}", status.as_u16()));
    }
    let body = outbound::read_limited(response, outbound::MAX_SELLER_RESPONSE_BYTES).await?;
    let answer: ProvisionResponse =
        serde_json::from_slice(&body).map_err(|_| "the seller's system sent an unreadable answer".to_owned())?;
    let frontend_url = outbound::check_app_url(&answer.frontend_url)?;
    let management_url = outbound::check_app_url(&answer.management_url)?;
    if answer.instance_id.is_empty()
        || answer.instance_id.len() > 100
        || !answer.instance_id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
    {
        return Err("the seller's system sent an invalid instance id".to_owned());
    }
    // Open with the seller's key, seal again with ours: nothing is stored in plain text.
    let username = seller_key
        .open_base64(&answer.username_sealed)
        .map_err(|_| "the seller's credentials did not decrypt".to_owned())?;
    let password = seller_key
        .open_base64(&answer.password_sealed)
        .map_err(|_| "the seller's credentials did not decrypt".to_owned())?;
    if username.is_empty() || username.chars().count() > 200 || password.is_empty() || password.chars().count() > 200 {
        return Err("the seller's system sent unusable credentials".to_owned());
    }
    Ok(Provisioned {
        instance_id: answer.instance_id,
        frontend_url: Some(frontend_url),
        management_url: Some(management_url),
        username_sealed: Some(
            state.master_keys.seal_string(secrets::app_secret_at(secrets::APP_USERNAME, order_id), &username),
        ),
        password_sealed: Some(
            state.master_keys.seal_string(secrets::app_secret_at(secrets::APP_PASSWORD, order_id), &password),
        ),
        server_address: None,
        login_user: None,
    })
}
