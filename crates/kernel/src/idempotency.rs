//! `Idempotency-Key` for POST creates, shared by every module (API.md;
//! tracker issue 4). No Diesel, no actix: the store is a port
//! ([`IdempotencyStore`], implemented over the owning module's
//! `<schema>.idempotency_keys` by `kernel::infra::idempotency`), and the HTTP
//! side lives in `kernel::http::idempotency`.
//!
//! A create that carries a key runs inside one database transaction that
//! first *claims* the key (an insert that does nothing when the key exists),
//! then does the work, then stores the response it produced. Because claim,
//! work and stored response commit together, a crash leaves nothing half
//! done, and a second request with the same key that races the first waits on
//! the claim (the unique index) until the first commits, then replays its
//! stored response. A key seen with a different request (another fingerprint)
//! is refused with 422. Keys are kept 24 hours.

use crate::error::{ApiError, FieldError, RepoError};
use crate::ids::UserId;
use crate::tx::{ScopedFutureExt as _, Transactor, Tx, transaction};
use chrono::{DateTime, Duration, Utc};
use scoped_futures::ScopedBoxFuture;
use sha2::{Digest as _, Sha256};
use std::sync::Arc;

/// The request header.
pub const HEADER: &str = "Idempotency-Key";
/// Longest key accepted.
pub const MAX_KEY_LEN: usize = 255;
/// How long a key is remembered.
pub const TTL_HOURS: i64 = 24;

/// A client's idempotency key: 1–255 visible ASCII characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdempotencyKey(String);

impl IdempotencyKey {
    /// Parses a header value; 422 naming the header otherwise.
    pub fn parse(raw: &str) -> Result<Self, ApiError> {
        let ok = !raw.is_empty()
            && raw.len() <= MAX_KEY_LEN
            && raw.bytes().all(|b| b.is_ascii_graphic());
        if ok {
            Ok(Self(raw.to_owned()))
        } else {
            Err(ApiError::Validation(vec![FieldError::new(
                HEADER,
                format!("must be 1 to {MAX_KEY_LEN} visible ASCII characters"),
            )]))
        }
    }

    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// SHA-256 of what identifies a request: method, path and body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fingerprint(pub [u8; 32]);

impl Fingerprint {
    /// The fingerprint of a request.
    pub fn of(method: &str, path: &str, body: &[u8]) -> Self {
        let mut hash = Sha256::new();
        for part in [method.as_bytes(), path.as_bytes()] {
            hash.update((part.len() as u64).to_be_bytes());
            hash.update(part);
        }
        hash.update(body);
        Self(hash.finalize().into())
    }
}

/// A create request that carries a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IdempotentRequest {
    /// The client's key.
    pub key: IdempotencyKey,
    /// What the request was.
    pub fingerprint: Fingerprint,
}

/// The response a create produced, kept to be replayed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    /// HTTP status (201).
    pub status: u16,
    /// `Location`, if any.
    pub location: Option<String>,
    /// The body (JSON).
    pub body: Vec<u8>,
}

/// What claiming a key found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Claim {
    /// The key is new: this request owns it (inside the caller's transaction).
    Claimed,
    /// The key was used already (and committed).
    Existing {
        /// The fingerprint of the request that used it.
        fingerprint: Fingerprint,
        /// Its response.
        response: Option<StoredResponse>,
    },
}

/// Where keys are kept (a table in the owning module's schema, with `user_id`).
#[async_trait::async_trait]
pub trait IdempotencyStore: Send + Sync {
    /// Forgets the user's keys created before `expired_before`, then claims
    /// `key` for this request, or returns what is stored under it. Waits for a
    /// concurrent transaction holding the same key to finish.
    async fn claim(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        request: &IdempotentRequest,
        now: DateTime<Utc>,
        expired_before: DateTime<Utc>,
    ) -> Result<Claim, RepoError>;

    /// Stores the response of a claimed key.
    async fn complete(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        key: &IdempotencyKey,
        response: &StoredResponse,
        now: DateTime<Utc>,
    ) -> Result<(), RepoError>;

    /// Deletes every key of the user (account deletion).
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
}

/// The result of an idempotent create.
#[derive(Debug)]
pub enum Outcome<T> {
    /// Done now: the value and the response to send.
    Created(T, StoredResponse),
    /// Done before: the stored response, to send again.
    Replayed(StoredResponse),
}

impl<T> Outcome<T> {
    /// The response to send.
    pub fn response(&self) -> &StoredResponse {
        match self {
            Self::Created(_, r) | Self::Replayed(r) => r,
        }
    }
}

/// Runs creates idempotently.
#[derive(Clone)]
pub struct Idempotency {
    store: Arc<dyn IdempotencyStore>,
    transactor: Arc<dyn Transactor>,
}

/// The work of a create: runs inside the transaction that holds the claim.
pub type Work<'a, T> = Box<
    dyn for<'t, 'r> FnOnce(&'t mut Tx<'r>) -> ScopedBoxFuture<'a, 't, Result<T, ApiError>>
        + Send
        + 'a,
>;

impl Idempotency {
    /// Over a store and a transactor.
    pub fn new(store: Arc<dyn IdempotencyStore>, transactor: Arc<dyn Transactor>) -> Self {
        Self { store, transactor }
    }

    /// The store (for account deletion).
    pub fn store(&self) -> &Arc<dyn IdempotencyStore> {
        &self.store
    }

    /// Runs `work` in one transaction; with a key, claims it first and stores
    /// `render(value)` with it, or replays the response stored under it.
    pub async fn create<'a, T, R>(
        &'a self,
        user_id: UserId,
        request: Option<&'a IdempotentRequest>,
        now: DateTime<Utc>,
        work: Work<'a, T>,
        render: R,
    ) -> Result<Outcome<T>, ApiError>
    where
        T: Send + 'a,
        R: FnOnce(&T) -> Result<StoredResponse, ApiError> + Send + 'a,
    {
        let store = &*self.store;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                if let Some(request) = request {
                    let expired_before = now - Duration::hours(TTL_HOURS);
                    match store
                        .claim(&mut tx, user_id, request, now, expired_before)
                        .await?
                    {
                        Claim::Claimed => {}
                        Claim::Existing {
                            fingerprint,
                            response,
                        } => {
                            if fingerprint != request.fingerprint {
                                return Err(ApiError::Validation(vec![FieldError::new(
                                    HEADER,
                                    "was already used with a different request; use a new key",
                                )]));
                            }
                            return response.map(Outcome::Replayed).ok_or_else(|| {
                                ApiError::Conflict(
                                    "A request with this Idempotency-Key is still in progress."
                                        .into(),
                                )
                            });
                        }
                    }
                }
                let value = work(&mut tx).await?;
                let response = render(&value)?;
                if let Some(request) = request {
                    store
                        .complete(&mut tx, user_id, &request.key, &response, now)
                        .await?;
                }
                Ok(Outcome::Created(value, response))
            }
            .scope_boxed()
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_visible_ascii() {
        assert!(IdempotencyKey::parse("a-b_c:1").is_ok());
        assert!(IdempotencyKey::parse(&"k".repeat(255)).is_ok());
        for bad in ["", "with space", "é", &"k".repeat(256)] {
            assert_eq!(
                IdempotencyKey::parse(bad).unwrap_err().status(),
                422,
                "{bad}"
            );
        }
    }

    #[test]
    fn fingerprints_separate_method_path_and_body() {
        let a = Fingerprint::of("POST", "/x", b"{}");
        assert_eq!(a, Fingerprint::of("POST", "/x", b"{}"));
        assert_ne!(a, Fingerprint::of("POST", "/x", b"{ }"));
        assert_ne!(a, Fingerprint::of("POST", "/y", b"{}"));
        assert_ne!(
            Fingerprint::of("POST", "/x", b"a"),
            Fingerprint::of("POST", "/xa", b"")
        );
    }
}
