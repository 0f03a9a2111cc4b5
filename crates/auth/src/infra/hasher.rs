//! Argon2id password hashing on the blocking pool, a bounded number at a time,
//! so a login storm queues instead of starving the async workers.

use crate::application::PasswordHasher;
use crate::domain::Password;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use argon2::{Algorithm, Argon2, Params, Version};
use kernel::ApiError;
use std::sync::Arc;
use tokio::sync::Semaphore;

/// Argon2id cost parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct HashParams {
    /// Memory in KiB (OWASP minimum for Argon2id: 19 MiB = 19456).
    pub memory_kib: u32,
    /// Passes over memory (OWASP: 2).
    pub iterations: u32,
    /// Lanes (OWASP: 1).
    pub parallelism: u32,
}

impl Default for HashParams {
    fn default() -> Self {
        Self {
            memory_kib: 19_456,
            iterations: 2,
            parallelism: 1,
        }
    }
}

/// Argon2id behind [`PasswordHasher`].
#[derive(Clone)]
pub struct Argon2Hasher {
    argon: Arc<Argon2<'static>>,
    permits: Arc<Semaphore>,
    dummy: Arc<String>,
}

impl Argon2Hasher {
    /// A hasher with these parameters running at most `concurrency` hashes at once.
    pub fn new(params: HashParams, concurrency: usize) -> anyhow::Result<Self> {
        let params = Params::new(
            params.memory_kib,
            params.iterations,
            params.parallelism,
            None,
        )
        .map_err(|e| anyhow::anyhow!("invalid Argon2 parameters: {e}"))?;
        let argon = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
        // Verified against when the account does not exist, so that costs the same.
        let dummy = argon
            .hash_password(b"not a password anyone has; only here to spend time")
            .map_err(|e| anyhow::anyhow!("hashing the dummy password: {e}"))?
            .to_string();
        Ok(Self {
            argon: Arc::new(argon),
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy: Arc::new(dummy),
        })
    }

    async fn blocking<T: Send + 'static>(
        &self,
        work: impl FnOnce(&Argon2<'static>) -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self
            .permits
            .acquire()
            .await
            .map_err(|e| ApiError::internal(anyhow::anyhow!("hasher closed: {e}")))?;
        let argon = self.argon.clone();
        tokio::task::spawn_blocking(move || work(&argon))
            .await
            .map_err(|e| ApiError::internal(anyhow::anyhow!("hashing task failed: {e}")))
    }
}

#[async_trait::async_trait]
impl PasswordHasher for Argon2Hasher {
    async fn hash(&self, password: &Password) -> Result<String, ApiError> {
        let secret = password.expose().to_owned();
        self.blocking(move |argon| {
            argon
                .hash_password(secret.as_bytes())
                .map(|h| h.to_string())
                .map_err(|e| ApiError::internal(anyhow::anyhow!("hashing a password: {e}")))
        })
        .await?
    }

    async fn verify(&self, attempt: &str, hash: Option<&str>) -> Result<bool, ApiError> {
        let known = hash.is_some();
        let hash = hash.map_or_else(|| self.dummy.to_string(), str::to_owned);
        let attempt = attempt.to_owned();
        let matches = self
            .blocking(move |argon| {
                let parsed = PasswordHash::new(&hash).map_err(|e| {
                    ApiError::internal(anyhow::anyhow!("stored hash unreadable: {e}"))
                })?;
                Ok::<bool, ApiError>(argon.verify_password(attempt.as_bytes(), &parsed).is_ok())
            })
            .await??;
        Ok(known && matches)
    }
}
