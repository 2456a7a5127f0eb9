//! Argon2id password hashing, run off the async runtime and bounded in concurrency.
//!
//! Each hash takes ~19 MiB and tens of milliseconds of CPU by design; running them on the
//! runtime's worker threads would stall every other request, and running unboundedly many
//! at once would let a burst of logins exhaust memory. So hashing happens on the blocking
//! pool behind a semaphore sized to the CPU count.

use std::sync::Arc;

use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::{OnceCell, Semaphore};

use crate::error::ApiError;

/// OWASP's minimum recommendation for Argon2id: m = 19 MiB, t = 2, p = 1.
const MEMORY_KIB: u32 = 19 * 1024;
const ITERATIONS: u32 = 2;
const PARALLELISM: u32 = 1;

#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// A real hash of a random password, verified against when the user name is unknown so
    /// that "no such user" takes as long as "wrong password".
    decoy_hash: Arc<OnceCell<String>>,
}

impl Default for Passwords {
    fn default() -> Self {
        let parallel = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Passwords { permits: Arc::new(Semaphore::new(parallel)), decoy_hash: Arc::new(OnceCell::new()) }
    }
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(MEMORY_KIB, ITERATIONS, PARALLELISM, None).expect("static Argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

impl Passwords {
    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(move || {
            let salt = SaltString::generate(&mut rand::rngs::OsRng);
            argon2().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string())
        })
        .await
        .map_err(ApiError::internal)?
        .map_err(ApiError::internal)
    }

    /// `true` when `password` matches `stored_hash`.
    pub async fn verify(&self, password: String, stored_hash: String) -> Result<bool, ApiError> {
        let _permit = self.permits.acquire().await.map_err(ApiError::internal)?;
        tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&stored_hash).map_err(ApiError::internal)?;
            Ok(argon2().verify_password(password.as_bytes(), &parsed).is_ok())
        })
        .await
        .map_err(ApiError::internal)?
    }

    /// Spends the same effort as a real verification, for unknown user names.
    pub async fn verify_decoy(&self, password: String) -> Result<(), ApiError> {
        let decoy = self
            .decoy_hash
            .get_or_try_init(|| async {
                let random: [u8; 16] = rand::random();
                self.hash(hex::encode(random)).await
            })
            .await?
            .clone();
        self.verify(password, decoy).await.map(|_| ())
    }
}
