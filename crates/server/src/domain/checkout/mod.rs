//! Checkout: placing an order (`place`) or starting a free trial (`trial`), paying or
//! cancelling it (`pay`) and applying a paid renewal (`renewal`, which also buys a trial).
//! Each moves the order through `domain::orders` and starts what follows a payment
//! (`domain::fulfilment`) in the same transaction.

pub mod pay;
pub mod place;
pub mod renewal;
pub mod trial;
