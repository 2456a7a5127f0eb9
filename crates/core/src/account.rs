//! Accounts, roles, contact profiles and the session (log in / who am I) wire types.

use serde::{Deserialize, Serialize};

use crate::ids::AccountId;

stable_names!(Role);

/// What an account may do in Bazaar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, strum::EnumString, strum::IntoStaticStr)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
#[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(type_name = "text", rename_all = "snake_case"))]
pub enum Role {
    /// A direct customer who pays with their own account.
    Buyer,
    /// A buyer whose purchases are billed to their reseller; never pays in Bazaar.
    ResellerCustomer,
    /// Staff of an independent software vendor that lists products.
    Seller,
    /// Marketplace operations staff who resolve appeals.
    Operations,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Buyer, Role::ResellerCustomer, Role::Seller, Role::Operations];

    /// Buyers and reseller customers both buy and own apps; only how they pay differs.
    pub fn is_customer(self) -> bool {
        matches!(self, Role::Buyer | Role::ResellerCustomer)
    }
}

/// How a seller may reach the account holder; sellers of some SaaS products use these
/// (with the buyer's consent) to create the app management account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ContactProfile {
    pub mobile: String,
    pub email: String,
    pub iam_user_name: String,
}

/// The signed-in account as the SPA sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AccountSummary {
    pub id: AccountId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub contact: ContactProfile,
    /// For sellers: the seller organisation they act for.
    pub seller_id: Option<i64>,
    /// For reseller customers: the reseller that is billed for their orders.
    pub reseller_name: Option<String>,
}

/// `POST /api/v1/session` body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LoginRequest {
    pub username: String,
    pub password: String,
}

/// `GET /api/v1/session` and a successful login.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SessionInfo {
    pub account: AccountSummary,
    /// When the password was last entered; sensitive actions need this to be recent.
    #[serde(with = "time::serde::rfc3339")]
    #[cfg_attr(feature = "openapi", schema(value_type = String, format = DateTime))]
    pub authenticated_at: time::OffsetDateTime,
}

/// Masks a mobile number for display: keeps the country prefix and the last four digits.
pub fn mask_mobile(mobile: &str) -> String {
    let digits: Vec<char> = mobile.chars().collect();
    if digits.len() <= 4 {
        return "*".repeat(digits.len());
    }
    let keep_front = if mobile.starts_with('+') { 3.min(digits.len() - 4) } else { 0 };
    digits
        .iter()
        .enumerate()
        .map(
            |(index, character)| {
                if index < keep_front || index >= digits.len() - 4 || *character == ' ' { *character } else { '*' }
            },
        )
        .collect()
}

/// Masks an e-mail address: the first character of the local part and the domain stay.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) if !local.is_empty() => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        _ => "***".to_owned(),
    }
}

/// Masks an IAM user name: the first two characters stay.
pub fn mask_name(name: &str) -> String {
    let kept: String = name.chars().take(2).collect();
    if name.chars().count() <= 2 { "**".to_owned() } else { format!("{kept}***") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_round_trip_through_their_text() {
        for role in Role::ALL {
            assert_eq!(str::parse::<Role>(role.as_str()).ok(), Some(role));
        }
        assert_eq!(str::parse::<Role>("admin").ok(), None);
    }

    #[test]
    fn masking_hides_the_middle_of_contact_details() {
        assert_eq!(mask_mobile("+86 138 0013 8000"), "+86 *** **** 8000");
        assert_eq!(mask_mobile("123"), "***");
        assert_eq!(mask_email("lin.wei@example.com"), "l***@example.com");
        assert_eq!(mask_email("broken"), "***");
        assert_eq!(mask_name("lin_wei_iam"), "li***");
        assert_eq!(mask_name("ab"), "**");
    }
}
