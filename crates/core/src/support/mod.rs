//! After-Sales Support (SPEC §13), pure: the ticket state machine with who may do what
//! and why not (`tickets`, the same shape as the supervision rules), and reviews and
//! ratings (`reviews`): who may review, what a review must hold, and the summaries the
//! product page shows. The server enforces these; the SPA shows the same answers.

pub mod reviews;
pub mod tickets;
pub mod wire;

#[cfg(test)]
mod tests;
