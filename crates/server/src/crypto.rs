//! Symmetric cryptography in one place: AES-256-GCM sealing of secrets (credentials at
//! rest with the backend's key, credentials in transit with a seller's key) and the
//! HMAC-SHA256 signatures of provisioning requests.
//!
//! Sealed bytes are `nonce (12) ‖ ciphertext+tag`; a fresh random nonce per message.

use aes_gcm::aead::{Aead, KeyInit};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use hmac::{Hmac, Mac};
use sha2::Sha256;

const NONCE_BYTES: usize = 12;

/// The development key demo mode falls back to when no key is configured. Demo data only;
/// production refuses to start without `BAZAAR_SECRET_KEY`.
const DEMO_SECRET_KEY: [u8; 32] = *b"bazaar-demo-key-not-for-prod-use";

#[derive(Debug, thiserror::Error)]
pub enum CryptoError {
    #[error("a key must be 64 hexadecimal characters (32 bytes)")]
    BadKey,
    #[error("the sealed message is malformed or was tampered with")]
    Unseal,
}

/// A 256-bit key that seals and opens messages.
#[derive(Clone)]
pub struct SecretKey(Key<Aes256Gcm>);

impl std::fmt::Debug for SecretKey {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("SecretKey(..)")
    }
}

impl SecretKey {
    pub fn from_hex(text: &str) -> Result<SecretKey, CryptoError> {
        let bytes = hex::decode(text.trim()).map_err(|_| CryptoError::BadKey)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| CryptoError::BadKey)?;
        Ok(SecretKey(bytes.into()))
    }

    pub fn demo() -> SecretKey {
        SecretKey(DEMO_SECRET_KEY.into())
    }

    pub fn seal(&self, plaintext: &[u8]) -> Vec<u8> {
        let nonce_bytes: [u8; NONCE_BYTES] = rand::random();
        let nonce = Nonce::from_slice(&nonce_bytes);
        let ciphertext =
            Aes256Gcm::new(&self.0).encrypt(nonce, plaintext).expect("AES-GCM encryption of in-memory data succeeds");
        let mut sealed = nonce_bytes.to_vec();
        sealed.extend_from_slice(&ciphertext);
        sealed
    }

    pub fn open(&self, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < NONCE_BYTES {
            return Err(CryptoError::Unseal);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_BYTES);
        Aes256Gcm::new(&self.0).decrypt(Nonce::from_slice(nonce), ciphertext).map_err(|_| CryptoError::Unseal)
    }

    pub fn seal_string(&self, plaintext: &str) -> Vec<u8> {
        self.seal(plaintext.as_bytes())
    }

    pub fn open_string(&self, sealed: &[u8]) -> Result<String, CryptoError> {
        String::from_utf8(self.open(sealed)?).map_err(|_| CryptoError::Unseal)
    }

    /// Seals for a JSON field: base64 of the sealed bytes.
    pub fn seal_base64(&self, plaintext: &str) -> String {
        use base64::Engine as _;
        base64::engine::general_purpose::STANDARD.encode(self.seal_string(plaintext))
    }

    pub fn open_base64(&self, text: &str) -> Result<String, CryptoError> {
        use base64::Engine as _;
        let sealed = base64::engine::general_purpose::STANDARD.decode(text).map_err(|_| CryptoError::Unseal)?;
        self.open_string(&sealed)
    }

    /// HMAC-SHA256 of `data` under a key derived for `purpose`: a fingerprint that cannot
    /// be recomputed (or brute-forced) without the secret key.
    pub fn keyed_hash(&self, purpose: &[u8], data: &[u8]) -> Vec<u8> {
        let mut derive = <Hmac<Sha256> as Mac>::new_from_slice(self.raw()).expect("HMAC takes keys of any length");
        derive.update(purpose);
        let derived = derive.finalize().into_bytes();
        let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(&derived).expect("HMAC takes keys of any length");
        mac.update(data);
        mac.finalize().into_bytes().to_vec()
    }

    fn raw(&self) -> &[u8] {
        self.0.as_slice()
    }
}

/// Headers that carry a provisioning request's signature.
pub const TIMESTAMP_HEADER: &str = "x-bazaar-timestamp";
pub const NONCE_HEADER: &str = "x-bazaar-nonce";
pub const SIGNATURE_HEADER: &str = "x-bazaar-signature";

/// HMAC-SHA256 over `timestamp.nonce.body` with the seller's key, hex-encoded. Binding
/// the timestamp and nonce into the signature lets the receiver refuse replays.
pub fn sign_request(key: &SecretKey, timestamp: i64, nonce: &str, body: &[u8]) -> String {
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.raw()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(nonce.as_bytes());
    mac.update(b".");
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

/// Checks a signature in constant time.
pub fn verify_request(key: &SecretKey, timestamp: i64, nonce: &str, body: &[u8], signature_hex: &str) -> bool {
    let Ok(signature) = hex::decode(signature_hex) else {
        return false;
    };
    let mut mac = <Hmac<Sha256> as Mac>::new_from_slice(key.raw()).expect("HMAC takes keys of any length");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(nonce.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac.verify_slice(&signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealing_round_trips_and_detects_tampering() {
        let key = SecretKey::from_hex(&"ab".repeat(32)).unwrap();
        let sealed = key.seal_string("initial-Password-1");
        assert!(!sealed.windows(7).any(|window| window == b"initial"), "ciphertext does not contain the plaintext");
        assert_eq!(key.open_string(&sealed).unwrap(), "initial-Password-1");
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(key.open(&tampered).is_err());
        let other = SecretKey::from_hex(&"cd".repeat(32)).unwrap();
        assert!(other.open(&sealed).is_err());
        assert_eq!(key.open_base64(&key.seal_base64("x")).unwrap(), "x");
    }

    #[test]
    fn signatures_bind_timestamp_nonce_and_body() {
        let key = SecretKey::from_hex(&"01".repeat(32)).unwrap();
        let signature = sign_request(&key, 1_700_000_000, "n1", b"{}");
        assert!(verify_request(&key, 1_700_000_000, "n1", b"{}", &signature));
        assert!(!verify_request(&key, 1_700_000_001, "n1", b"{}", &signature));
        assert!(!verify_request(&key, 1_700_000_000, "n2", b"{}", &signature));
        assert!(!verify_request(&key, 1_700_000_000, "n1", b"{ }", &signature));
        assert!(!verify_request(&key, 1_700_000_000, "n1", b"{}", "zz"));
    }

    #[test]
    fn bad_keys_are_refused() {
        assert!(SecretKey::from_hex("abc").is_err());
        assert!(SecretKey::from_hex(&"zz".repeat(32)).is_err());
    }
}
