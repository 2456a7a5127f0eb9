//! Service supervision: a flow is its history, and one pure function of (history, product
//! kind, planned completion, now) says everything else — the current step, whose turn it
//! is, the counters, every deadline, the order status, and for each role which actions
//! are allowed now or why not (and from when).
//!
//! The backend evaluates before appending any event (it is the authority); the SPA
//! evaluates the same history every second to count deadlines down and explain buttons.

use time::Duration;

mod actions;
mod commands;
mod events;
mod rules;
mod state;
mod template;
mod wire;

pub use actions::*;
pub use commands::*;
pub use events::*;
pub use rules::*;
pub use state::*;
pub use template::*;
pub use wire::*;

stable_names!(Party, Step, FlowKind);

/// Appeal grounds: the other side has not acted for more than this.
pub const IDLE_BEFORE_APPEAL: Duration = Duration::days(5);
/// Appeal grounds: this many rejections of the request, or of the delivery.
pub const REJECTION_LIMIT: u32 = 3;
/// No appeal in this last stretch before planned completion.
pub const NO_APPEAL_BEFORE_COMPLETION: Duration = Duration::days(15);
/// The order completes this long after the buyer accepts the delivery.
pub const COMPLETION_DELAY: Duration = Duration::hours(3);
/// A buyer may remind the seller once per this period.
pub const REMIND_INTERVAL: Duration = Duration::hours(24);
pub const MAX_NOTE_CHARS: usize = 2000;
/// Entries a flow's timeline may hold. A real delivery needs a few dozen; the cap keeps
/// one flow from growing without bound (every read evaluates the whole history).
pub const MAX_EVENTS_PER_FLOW: u32 = 300;

#[cfg(test)]
mod tests;
