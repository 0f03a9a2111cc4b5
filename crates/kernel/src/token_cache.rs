//! A short-lived cache in front of a [`TokenVerifier`]: a JWT access token
//! verified once is answered from memory until its expiry or for
//! [`TOKEN_CACHE_TTL`], whichever comes first, sparing the signature check
//! (Ed25519) on every request.
//!
//! Access JWTs are verified with the public key alone (no database, no
//! revocation list), so a cached answer is the answer the verifier would give
//! again. Personal access tokens (`mya_pat_…`) are revocable and their use is
//! recorded: they are never cached. Failures are never cached either. The key
//! is the token's SHA-256, so tokens are not kept in memory.

use crate::auth::{AuthUser, TokenVerifier};
use crate::clock::Clock;
use crate::error::ApiError;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Duration, Utc};
use sha2::{Digest as _, Sha256};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// Longest time a verified token is answered from the cache.
pub const TOKEN_CACHE_TTL: Duration = Duration::seconds(60);

/// Prefix of personal access tokens, which are never cached.
const PAT_PREFIX: &str = "mya_pat_";

/// Independent locks, so concurrent requests rarely wait on one another.
const SHARDS: usize = 16;

type Key = [u8; 32];

#[derive(Clone)]
struct Entry {
    user: AuthUser,
    /// When the token was verified: an earlier "now" (a clock set back) misses.
    verified_at: DateTime<Utc>,
    /// First instant the entry no longer answers.
    until: DateTime<Utc>,
}

/// A [`TokenVerifier`] that remembers the JWTs `inner` accepted, at most
/// `capacity` of them (an entry in a full shard first evicts the expired
/// ones, then the whole shard).
pub struct CachedTokenVerifier {
    inner: Arc<dyn TokenVerifier>,
    clock: Arc<dyn Clock>,
    shards: Vec<Mutex<HashMap<Key, Entry>>>,
    per_shard: usize,
}

impl std::fmt::Debug for CachedTokenVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CachedTokenVerifier")
            .field("capacity", &(self.per_shard * SHARDS))
            .finish_non_exhaustive()
    }
}

impl CachedTokenVerifier {
    /// Caches what `inner` verifies, judging expiry by `clock` (the verifier's own clock).
    pub fn new(inner: Arc<dyn TokenVerifier>, clock: Arc<dyn Clock>, capacity: usize) -> Self {
        Self {
            inner,
            clock,
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            per_shard: capacity.div_ceil(SHARDS).max(1),
        }
    }

    /// Tokens currently held.
    pub fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|s| s.lock().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
    }

    /// Whether no token is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn shard(&self, key: &Key) -> &Mutex<HashMap<Key, Entry>> {
        &self.shards[usize::from(key[0]) % SHARDS]
    }

    fn lookup(&self, key: &Key, now: DateTime<Utc>) -> Option<AuthUser> {
        let shard = self
            .shard(key)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        shard
            .get(key)
            .filter(|e| e.verified_at <= now && now < e.until)
            .map(|e| e.user.clone())
    }

    fn store(&self, key: Key, entry: Entry) {
        let mut shard = self
            .shard(&key)
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if shard.len() >= self.per_shard && !shard.contains_key(&key) {
            let now = entry.verified_at;
            shard.retain(|_, e| now < e.until);
            if shard.len() >= self.per_shard {
                shard.clear();
            }
        }
        shard.insert(key, entry);
    }
}

/// The `exp` claim of a JWT-shaped token (`header.payload.signature`), read
/// without checking anything: call it only on a token the verifier accepted.
fn jwt_expiry(token: &str) -> Option<DateTime<Utc>> {
    #[derive(serde::Deserialize)]
    struct Exp {
        exp: i64,
    }
    let mut parts = token.split('.');
    let (_, payload, _, None) = (parts.next()?, parts.next()?, parts.next()?, parts.next()) else {
        return None;
    };
    let json = URL_SAFE_NO_PAD.decode(payload).ok()?;
    let claims: Exp = serde_json::from_slice(&json).ok()?;
    DateTime::from_timestamp(claims.exp, 0)
}

#[async_trait::async_trait]
impl TokenVerifier for CachedTokenVerifier {
    async fn verify(&self, token: &str) -> Result<AuthUser, ApiError> {
        if token.starts_with(PAT_PREFIX) {
            return self.inner.verify(token).await;
        }
        let key: Key = Sha256::digest(token.as_bytes()).into();
        let now = self.clock.now();
        if let Some(user) = self.lookup(&key, now) {
            return Ok(user);
        }
        let user = self.inner.verify(token).await?;
        if let Some(expiry) = jwt_expiry(token) {
            let until = expiry.min(now + TOKEN_CACHE_TTL);
            if now < until {
                self.store(
                    key,
                    Entry {
                        user: user.clone(),
                        verified_at: now,
                        until,
                    },
                );
            }
        }
        Ok(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Scope;
    use crate::clock::FixedClock;
    use crate::ids::UserId;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use uuid::Uuid;

    /// Accepts tokens not starting with "bad", counting its calls.
    struct Counting(AtomicUsize);

    #[async_trait::async_trait]
    impl TokenVerifier for Counting {
        async fn verify(&self, token: &str) -> Result<AuthUser, ApiError> {
            self.0.fetch_add(1, Ordering::SeqCst);
            if token.starts_with("bad") {
                return Err(ApiError::Unauthorized("no".into()));
            }
            Ok(AuthUser {
                user_id: UserId::from_uuid(Uuid::from_u128(token.len() as u128)),
                scope: Scope::ReadWrite,
                session_id: None,
            })
        }
    }

    fn jwt(exp: DateTime<Utc>, tag: &str) -> String {
        let payload =
            URL_SAFE_NO_PAD.encode(format!(r#"{{"exp":{},"jti":"{tag}"}}"#, exp.timestamp()));
        format!("eyJhbGciOiJFZERTQSJ9.{payload}.c2ln")
    }

    fn setup(capacity: usize) -> (Arc<Counting>, FixedClock, CachedTokenVerifier) {
        let inner = Arc::new(Counting(AtomicUsize::new(0)));
        let clock = FixedClock::at(Utc::now());
        let cache = CachedTokenVerifier::new(inner.clone(), Arc::new(clock.clone()), capacity);
        (inner, clock, cache)
    }

    fn calls(inner: &Counting) -> usize {
        inner.0.load(Ordering::SeqCst)
    }

    #[tokio::test]
    async fn a_verified_jwt_is_answered_from_the_cache_for_sixty_seconds() {
        let (inner, clock, cache) = setup(100);
        let token = jwt(clock.now() + Duration::minutes(15), "a");
        let first = cache.verify(&token).await.unwrap();
        clock.advance(Duration::seconds(59));
        assert_eq!(cache.verify(&token).await.unwrap(), first);
        assert_eq!(calls(&inner), 1);
        clock.advance(Duration::seconds(1));
        cache.verify(&token).await.unwrap();
        assert_eq!(calls(&inner), 2, "after 60 s the verifier is asked again");
        cache
            .verify(&jwt(clock.now() + Duration::minutes(15), "b"))
            .await
            .unwrap();
        assert_eq!(calls(&inner), 3, "another token is another entry");
    }

    #[tokio::test]
    async fn an_entry_ends_at_the_token_expiry() {
        let (inner, clock, cache) = setup(100);
        let token = jwt(clock.now() + Duration::seconds(10), "a");
        cache.verify(&token).await.unwrap();
        clock.advance(Duration::seconds(9));
        cache.verify(&token).await.unwrap();
        assert_eq!(calls(&inner), 1);
        clock.advance(Duration::seconds(1));
        cache.verify(&token).await.unwrap();
        assert_eq!(calls(&inner), 2, "expired: the verifier decides again");
        let expired = jwt(clock.now() - Duration::seconds(1), "b");
        cache.verify(&expired).await.unwrap();
        cache.verify(&expired).await.unwrap();
        assert_eq!(calls(&inner), 4, "an already expired token is never cached");
    }

    #[tokio::test]
    async fn personal_access_tokens_failures_and_opaque_tokens_are_never_cached() {
        let (inner, clock, cache) = setup(100);
        let exp = clock.now() + Duration::minutes(15);
        let pat = format!("mya_pat_{}", jwt(exp, "p"));
        let bad = format!("bad{}", jwt(exp, "x"));
        for token in [pat.as_str(), "opaque-token"] {
            cache.verify(token).await.unwrap();
            cache.verify(token).await.unwrap();
        }
        assert!(cache.verify(&bad).await.is_err());
        assert!(cache.verify(&bad).await.is_err());
        assert_eq!(calls(&inner), 6);
        assert!(cache.is_empty());
    }

    #[tokio::test]
    async fn a_clock_set_back_before_the_verification_misses() {
        let (inner, clock, cache) = setup(100);
        let token = jwt(clock.now() + Duration::minutes(15), "a");
        cache.verify(&token).await.unwrap();
        clock.advance(Duration::seconds(-1));
        cache.verify(&token).await.unwrap();
        assert_eq!(calls(&inner), 2);
    }

    #[tokio::test]
    async fn the_cache_stays_within_its_capacity() {
        let (_, clock, cache) = setup(32);
        let exp = clock.now() + Duration::minutes(15);
        for i in 0..1_000 {
            cache.verify(&jwt(exp, &i.to_string())).await.unwrap();
        }
        assert!(cache.len() <= 32, "{} entries", cache.len());
        assert!(!cache.is_empty());
    }
}
