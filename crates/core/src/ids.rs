//! Typed ids: an order's id cannot be passed where a product's is expected. On the wire and
//! in the database each is the plain integer (`serde(transparent)`, `sqlx(transparent)`).

use serde::{Deserialize, Serialize};

macro_rules! id_types {
    ($($(#[$meta:meta])* $name:ident;)*) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "sqlx", derive(sqlx::Type), sqlx(transparent))]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub struct $name(pub i64);

        impl std::fmt::Display for $name {
            fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(formatter)
            }
        }

        impl std::str::FromStr for $name {
            type Err = std::num::ParseIntError;

            fn from_str(text: &str) -> Result<Self, Self::Err> {
                text.parse().map($name)
            }
        }
    )*};
}

id_types! {
    /// A customer's, seller's or operator's account.
    AccountId;
    /// A product of the catalog.
    ProductId;
    /// An order (a purchase or, later, a renewal).
    OrderId;
    /// A purchased app; today each is its order's id (see `of_order`).
    AppId;
    /// A service supervision flow.
    FlowId;
}

impl AppId {
    /// The app a completed order gave its buyer.
    pub fn of_order(order: OrderId) -> AppId {
        AppId(order.0)
    }

    /// The order that bought this app.
    pub fn order(self) -> OrderId {
        OrderId(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_plain_integers_on_the_wire_and_in_urls() {
        assert_eq!(serde_json::to_string(&OrderId(42)).unwrap(), "42");
        assert_eq!(serde_json::from_str::<ProductId>("7").unwrap(), ProductId(7));
        assert_eq!("15".parse::<FlowId>().unwrap(), FlowId(15));
        assert!("x".parse::<FlowId>().is_err());
        assert_eq!(OrderId(9).to_string(), "9");
        assert_eq!(AppId::of_order(OrderId(3)).order(), OrderId(3));
    }
}
