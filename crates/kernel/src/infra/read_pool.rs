//! Where read-only use cases (lists, summaries, ranges, exports, the
//! dashboard) get their connection: a streaming replica when one is
//! configured and answering, the primary otherwise.
//!
//! Availability first: when the replica cannot give a connection, the read
//! goes to the primary, and the replica is skipped for [`ReadPool::retry_after`]
//! so that a dead replica does not cost every request a connect timeout.
//! After that pause one request probes it again (the others keep reading
//! from the primary until the probe succeeds). Each change of state is
//! logged once: a warning when the replica goes, an info line when it comes back.

use super::db::{DbConn, DbPool, pool_error};
use crate::error::RepoError;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// How long a replica that failed is skipped before it is tried again.
pub const REPLICA_RETRY_AFTER: Duration = Duration::from_secs(3);

/// The pools reads may use: the primary, and optionally a replica preferred for reads.
#[derive(Clone)]
pub struct ReadPool {
    inner: Arc<Inner>,
}

struct Inner {
    primary: DbPool,
    replica: Option<DbPool>,
    retry_after: Duration,
    health: Mutex<Health>,
}

/// What the pool knows of the replica.
#[derive(Clone, Copy, Debug)]
enum Health {
    /// Gave a connection last time (or never tried).
    Up,
    /// Failed; skipped until this instant.
    Down { until: Instant },
}

impl std::fmt::Debug for ReadPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadPool")
            .field("replica", &self.inner.replica.is_some())
            .field("replica_up", &self.replica_up())
            .finish()
    }
}

impl ReadPool {
    /// Reads from `primary` only (no replica configured).
    pub fn primary_only(primary: DbPool) -> Self {
        Self::new(primary, None, REPLICA_RETRY_AFTER)
    }

    /// Reads from `replica` when set and answering, else from `primary`;
    /// a failed replica is skipped for `retry_after`.
    pub fn new(primary: DbPool, replica: Option<DbPool>, retry_after: Duration) -> Self {
        Self {
            inner: Arc::new(Inner {
                primary,
                replica,
                retry_after,
                health: Mutex::new(Health::Up),
            }),
        }
    }

    /// The primary's pool.
    pub fn primary(&self) -> &DbPool {
        &self.inner.primary
    }

    /// The replica's pool, when one is configured.
    pub fn replica(&self) -> Option<&DbPool> {
        self.inner.replica.as_ref()
    }

    /// How long a failed replica is skipped.
    pub fn retry_after(&self) -> Duration {
        self.inner.retry_after
    }

    /// Whether reads currently go to a replica (one is configured and not known to be down).
    pub fn replica_up(&self) -> bool {
        self.inner.replica.is_some() && matches!(*self.health(), Health::Up)
    }

    /// A connection for a read: from the replica when it answers, else from the primary.
    pub async fn conn(&self) -> Result<DbConn<'static>, RepoError> {
        if let Some(replica) = &self.inner.replica
            && self.should_try_replica()
        {
            match replica.get().await {
                Ok(conn) => {
                    self.replica_answered();
                    return Ok(DbConn::Pooled(conn));
                }
                Err(err) => self.replica_failed(&err),
            }
        }
        self.inner
            .primary
            .get()
            .await
            .map(DbConn::Pooled)
            .map_err(pool_error)
    }

    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.inner
            .health
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Up, or down and due for a probe (which this caller then owns: the
    /// pause is extended so that concurrent reads keep using the primary).
    fn should_try_replica(&self) -> bool {
        let mut health = self.health();
        match *health {
            Health::Up => true,
            Health::Down { until } => {
                let now = Instant::now();
                if now < until {
                    return false;
                }
                *health = Health::Down {
                    until: now + self.inner.retry_after,
                };
                true
            }
        }
    }

    fn replica_answered(&self) {
        let mut health = self.health();
        if matches!(*health, Health::Down { .. }) {
            tracing::info!("read replica answers again; reads go back to it");
        }
        *health = Health::Up;
    }

    fn replica_failed(&self, err: &dyn std::fmt::Display) {
        let mut health = self.health();
        if matches!(*health, Health::Up) {
            tracing::warn!(
                error = %err,
                retry_after_ms = self.inner.retry_after.as_millis() as u64,
                "read replica unavailable; reading from the primary"
            );
        }
        *health = Health::Down {
            until: Instant::now() + self.inner.retry_after,
        };
    }
}

impl From<DbPool> for ReadPool {
    fn from(primary: DbPool) -> Self {
        Self::primary_only(primary)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::infra::{PoolOptions, build_pool};

    fn pool(url: &str) -> DbPool {
        build_pool(
            url,
            PoolOptions {
                max_size: 2,
                acquire_timeout: Duration::from_secs(2),
            },
        )
        .unwrap()
    }

    /// A URL nothing listens on (a port just freed).
    fn dead_url() -> String {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        format!("postgres://postgres@127.0.0.1:{port}/postgres")
    }

    #[tokio::test]
    async fn a_dead_replica_falls_back_to_the_primary_and_is_skipped_meanwhile() {
        let primary = pool(&dead_url());
        let reads = ReadPool::new(primary, Some(pool(&dead_url())), Duration::from_secs(60));
        assert!(reads.replica_up());
        // The primary is unreachable too, so the read fails; but the replica was tried and marked down.
        assert!(reads.conn().await.is_err());
        assert!(!reads.replica_up());
        assert!(!reads.should_try_replica(), "skipped during the pause");
    }

    #[tokio::test]
    async fn the_replica_is_probed_again_after_the_pause() {
        let reads = ReadPool::new(pool(&dead_url()), Some(pool(&dead_url())), Duration::ZERO);
        assert!(reads.conn().await.is_err());
        assert!(!reads.replica_up());
        assert!(reads.should_try_replica(), "due for a probe");
    }

    #[test]
    fn without_a_replica_reads_use_the_primary() {
        let reads = ReadPool::primary_only(pool(&dead_url()));
        assert!(reads.replica().is_none());
        assert!(!reads.replica_up());
    }
}
