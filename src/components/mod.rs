//! Reusable pieces of markup. Components never fetch: data and actions come in as props.

pub mod application_panel;
pub mod bill_amounts;
pub mod fields;
pub mod files_field;
pub mod layout;
pub mod list_filters;
pub mod order_status;
pub mod page_heading;
pub mod pager;
pub mod phase;
pub mod price;
pub mod product_card;
pub mod rating_stars;
pub mod require_login;
pub mod secret_field;
pub mod status;
pub mod trial_status;
pub mod unsubscription;
pub mod usage_chart;
