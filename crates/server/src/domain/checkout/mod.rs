//! Checkout: placing an order (`place`), paying or cancelling it (`pay`) and applying a
//! paid renewal (`renewal`). Each moves the order through `domain::orders` and starts
//! what follows a payment (`domain::fulfilment`) in the same transaction.

pub mod pay;
pub mod place;
pub mod renewal;
