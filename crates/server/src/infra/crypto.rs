//! Symmetric cryptography in one place: AES-256-GCM sealing of secrets (at rest with the
//! versioned master keys, in transit with a seller's key) and the HMAC-SHA256 signatures of
//! requests to sellers.
//!
//! At rest, a sealed secret is `"BZ" ‖ key version (1) ‖ nonce (12) ‖ ciphertext+tag`, and
//! the associated data names the table, column and row it belongs to, so a ciphertext
//! copied into another row or column (by SQL injection, a bad migration or a malicious
//! operator) does not open. In transit (the seller protocol) it is `nonce ‖ ciphertext+tag`.

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
    #[error("master keys are `hex` or `version:hex,version:hex…` with versions 1 to 255, each once")]
    BadKeyList,
    #[error("the secret was sealed with key version {0}, which is not configured")]
    UnknownKeyVersion(u8),
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

    /// The key as 64 hexadecimal characters (handed to a seller's system).
    pub fn to_hex(&self) -> String {
        hex::encode(self.raw())
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

/// Where a secret at rest lives: its associated data binds the ciphertext to that place.
#[derive(Debug, Clone, Copy)]
pub struct SealedAt<'a> {
    pub table: &'a str,
    pub column: &'a str,
    pub row: i64,
}

impl SealedAt<'_> {
    fn associated_data(&self, version: u8) -> Vec<u8> {
        format!("bazaar-secret/v{version}/{}.{}/{}", self.table, self.column, self.row).into_bytes()
    }
}

const MAGIC: &[u8; 2] = b"BZ";
const HEADER_BYTES: usize = MAGIC.len() + 1;

/// The master keys: the current one seals, every configured version opens. Rotating is
/// configuring a new current key with the old ones after it, then running
/// `bazaar-server rotate-keys`, which seals everything again with the current key.
#[derive(Clone)]
pub struct MasterKeys {
    current: u8,
    keys: Vec<(u8, SecretKey)>,
}

impl std::fmt::Debug for MasterKeys {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let versions: Vec<u8> = self.keys.iter().map(|(version, _)| *version).collect();
        write!(formatter, "MasterKeys {{ current: {}, versions: {versions:?} }}", self.current)
    }
}

impl MasterKeys {
    /// `hex` (version 1), or `version:hex` pairs separated by commas, the current one first.
    pub fn parse(text: &str) -> Result<MasterKeys, CryptoError> {
        let text = text.trim();
        if !text.contains(':') {
            return Ok(MasterKeys { current: 1, keys: vec![(1, SecretKey::from_hex(text)?)] });
        }
        let mut keys = Vec::new();
        for entry in text.split(',') {
            let (version, hex) = entry.trim().split_once(':').ok_or(CryptoError::BadKeyList)?;
            let version: u8 = version.trim().parse().map_err(|_| CryptoError::BadKeyList)?;
            if version == 0 || keys.iter().any(|(seen, _)| *seen == version) {
                return Err(CryptoError::BadKeyList);
            }
            keys.push((version, SecretKey::from_hex(hex)?));
        }
        let current = keys.first().map(|(version, _)| *version).ok_or(CryptoError::BadKeyList)?;
        Ok(MasterKeys { current, keys })
    }

    /// Demo mode's fixed development key, as version 1.
    pub fn demo() -> MasterKeys {
        MasterKeys { current: 1, keys: vec![(1, SecretKey::demo())] }
    }

    pub fn current_version(&self) -> u8 {
        self.current
    }

    fn key(&self, version: u8) -> Result<&SecretKey, CryptoError> {
        self.keys
            .iter()
            .find(|(candidate, _)| *candidate == version)
            .map(|(_, key)| key)
            .ok_or(CryptoError::UnknownKeyVersion(version))
    }

    fn current_key(&self) -> &SecretKey {
        self.key(self.current).expect("the current version is configured")
    }

    pub fn seal(&self, at: SealedAt<'_>, plaintext: &[u8]) -> Vec<u8> {
        let nonce_bytes: [u8; NONCE_BYTES] = rand::random();
        let payload = aes_gcm::aead::Payload { msg: plaintext, aad: &at.associated_data(self.current) };
        let ciphertext = Aes256Gcm::new(&self.current_key().0)
            .encrypt(Nonce::from_slice(&nonce_bytes), payload)
            .expect("AES-GCM encryption of in-memory data succeeds");
        let mut sealed = MAGIC.to_vec();
        sealed.push(self.current);
        sealed.extend_from_slice(&nonce_bytes);
        sealed.extend_from_slice(&ciphertext);
        sealed
    }

    pub fn seal_string(&self, at: SealedAt<'_>, plaintext: &str) -> Vec<u8> {
        self.seal(at, plaintext.as_bytes())
    }

    pub fn open(&self, at: SealedAt<'_>, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        let version = Self::version_of(sealed).ok_or(CryptoError::Unseal)?;
        let rest = &sealed[HEADER_BYTES..];
        if rest.len() < NONCE_BYTES {
            return Err(CryptoError::Unseal);
        }
        let (nonce, ciphertext) = rest.split_at(NONCE_BYTES);
        let payload = aes_gcm::aead::Payload { msg: ciphertext, aad: &at.associated_data(version) };
        Aes256Gcm::new(&self.key(version)?.0)
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| CryptoError::Unseal)
    }

    pub fn open_string(&self, at: SealedAt<'_>, sealed: &[u8]) -> Result<String, CryptoError> {
        String::from_utf8(self.open(at, sealed)?).map_err(|_| CryptoError::Unseal)
    }

    /// The key version a sealed secret names, `None` for bytes in an older format.
    pub fn version_of(sealed: &[u8]) -> Option<u8> {
        (sealed.len() > HEADER_BYTES && sealed.starts_with(MAGIC)).then(|| sealed[MAGIC.len()])
    }

    /// Whether `sealed` should be sealed again: an older format or an older key.
    pub fn needs_resealing(&self, sealed: &[u8]) -> bool {
        Self::version_of(sealed) != Some(self.current)
    }

    /// Opens a secret whatever it was sealed with: the current format, or the format
    /// before key versions and associated data (plain `nonce ‖ ciphertext` under key 1),
    /// which only the upgrade at start-up and `rotate-keys` read.
    pub fn open_any(&self, at: SealedAt<'_>, sealed: &[u8]) -> Result<Vec<u8>, CryptoError> {
        match self.open(at, sealed) {
            Ok(plaintext) => Ok(plaintext),
            Err(_) => self.key(1)?.open(sealed),
        }
    }

    /// HMAC-SHA256 under a key derived from the current master key for `purpose`.
    pub fn keyed_hash(&self, purpose: &[u8], data: &[u8]) -> Vec<u8> {
        self.current_key().keyed_hash(purpose, data)
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

    fn place(row: i64) -> SealedAt<'static> {
        SealedAt { table: "instances", column: "password_ciphertext", row }
    }

    #[test]
    fn secrets_at_rest_are_bound_to_their_row_and_column() {
        let keys = MasterKeys::parse(&"ab".repeat(32)).unwrap();
        let sealed = keys.seal_string(place(7), "initial-Password-1");
        assert_eq!(MasterKeys::version_of(&sealed), Some(1));
        assert_eq!(keys.open_string(place(7), &sealed).unwrap(), "initial-Password-1");
        assert!(keys.open(place(8), &sealed).is_err(), "copied to another row");
        let other_column = SealedAt { column: "username_ciphertext", ..place(7) };
        assert!(keys.open(other_column, &sealed).is_err(), "copied to another column");
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(keys.open(place(7), &tampered).is_err());
    }

    #[test]
    fn rotation_opens_old_versions_and_seals_with_the_new_one() {
        let old = MasterKeys::parse(&format!("1:{}", "01".repeat(32))).unwrap();
        let sealed_before = old.seal_string(place(1), "s");
        let rotated = MasterKeys::parse(&format!("2:{}, 1:{}", "02".repeat(32), "01".repeat(32))).unwrap();
        assert_eq!(rotated.current_version(), 2);
        assert_eq!(rotated.open_string(place(1), &sealed_before).unwrap(), "s");
        assert!(rotated.needs_resealing(&sealed_before));
        let sealed_after = rotated.seal_string(place(1), "s");
        assert!(!rotated.needs_resealing(&sealed_after));
        // Without the old key the old secret does not open, and says why.
        let new_only = MasterKeys::parse(&format!("2:{}", "02".repeat(32))).unwrap();
        assert!(matches!(new_only.open(place(1), &sealed_before), Err(CryptoError::UnknownKeyVersion(1))));
    }

    #[test]
    fn the_format_before_versions_still_opens_for_the_upgrade() {
        let legacy_key = SecretKey::from_hex(&"ab".repeat(32)).unwrap();
        let legacy = legacy_key.seal_string("old secret");
        let keys = MasterKeys::parse(&"ab".repeat(32)).unwrap();
        assert!(keys.needs_resealing(&legacy));
        assert_eq!(keys.open_any(place(3), &legacy).unwrap(), b"old secret");
    }

    #[test]
    fn key_lists_are_checked() {
        assert!(MasterKeys::parse("1:abc").is_err());
        assert!(MasterKeys::parse(&format!("1:{0},1:{0}", "ab".repeat(32))).is_err());
        assert!(MasterKeys::parse(&format!("0:{}", "ab".repeat(32))).is_err());
        assert!(!format!("{:?}", MasterKeys::parse(&"ab".repeat(32)).unwrap()).contains("abab"));
    }

    #[test]
    fn bad_keys_are_refused() {
        assert!(SecretKey::from_hex("abc").is_err());
        assert!(SecretKey::from_hex(&"zz".repeat(32)).is_err());
    }
}
