//! Signed calls between Bazaar and sellers, both ways: the headers they carry and the one
//! verifier (timestamp within the skew, then the HMAC of [`super::crypto`]). Recording a
//! nonce's first use is each receiver's own business, in its own store.

use super::crypto::{NONCE_HEADER, SIGNATURE_HEADER, SecretKey, TIMESTAMP_HEADER, verify_request};

/// Requests signed more than this far from the receiver's clock are refused (replay
/// protection, with the nonce).
pub const MAX_CLOCK_SKEW_SECONDS: i64 = 300;
/// The seller a signed call to Bazaar comes from (its id).
pub const SELLER_HEADER: &str = "x-bazaar-seller";

/// Why a signed request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureProblem {
    /// A signature header is missing or malformed.
    MissingHeaders,
    /// The timestamp is more than [`MAX_CLOCK_SKEW_SECONDS`] from the receiver's clock.
    StaleTimestamp,
    /// The signature does not match the body with the key.
    BadSignature,
    /// The nonce was used before.
    ReusedNonce,
}

impl SignatureProblem {
    pub fn message(self) -> &'static str {
        match self {
            SignatureProblem::MissingHeaders => {
                "Sign the request: X-Bazaar-Seller, X-Bazaar-Timestamp, X-Bazaar-Nonce (16–64 characters) and X-Bazaar-Signature."
            }
            SignatureProblem::StaleTimestamp => "The timestamp is more than 5 minutes from Bazaar's clock.",
            SignatureProblem::BadSignature => "The signature does not match the body and the seller's key.",
            SignatureProblem::ReusedNonce => "This nonce was used before: every request needs a new one.",
        }
    }
}

/// The signature headers of a request, read but not checked yet.
#[derive(Debug, Clone)]
pub struct SignedHeaders<'a> {
    pub timestamp: i64,
    pub nonce: &'a str,
    pub signature: &'a str,
}

impl<'a> SignedHeaders<'a> {
    /// Reads the three headers (each looked up by `header`).
    pub fn read(header: impl Fn(&str) -> Option<&'a str>) -> Result<SignedHeaders<'a>, SignatureProblem> {
        let timestamp =
            header(TIMESTAMP_HEADER).and_then(|value| value.parse().ok()).ok_or(SignatureProblem::MissingHeaders)?;
        let nonce =
            header(NONCE_HEADER).filter(|n| (16..=64).contains(&n.len())).ok_or(SignatureProblem::MissingHeaders)?;
        let signature = header(SIGNATURE_HEADER).ok_or(SignatureProblem::MissingHeaders)?;
        Ok(SignedHeaders { timestamp, nonce, signature })
    }

    /// The one verifier of signed calls, both ways (Bazaar → seller, seller → Bazaar):
    /// the timestamp within the skew, then the HMAC. The nonce's first use is the
    /// receiver's to record, in its own store.
    pub fn check(&self, key: &SecretKey, body: &[u8], now: i64) -> Result<(), SignatureProblem> {
        if (now - self.timestamp).abs() > MAX_CLOCK_SKEW_SECONDS {
            return Err(SignatureProblem::StaleTimestamp);
        }
        if !verify_request(key, self.timestamp, self.nonce, body, self.signature) {
            return Err(SignatureProblem::BadSignature);
        }
        Ok(())
    }
}
