//! Transactions as a port, so use cases of several modules can write in one
//! database transaction without knowing the driver.
//!
//! A [`Tx`] is an open transaction, opaque here; each module's infra layer
//! reaches its connection through `kernel::infra::tx_conn`. A [`Transactor`]
//! (implemented in `kernel::infra`) runs work in one transaction: committed
//! when the work returns `Ok`, rolled back otherwise.

use crate::error::ApiError;
use scoped_futures::ScopedBoxFuture;
use std::any::Any;

pub use scoped_futures::ScopedFutureExt;

/// An open transaction. Pass `&mut Tx` to repository methods that must join it.
pub struct Tx<'r>(&'r mut (dyn Any + Send));

impl std::fmt::Debug for Tx<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tx")
    }
}

impl<'r> Tx<'r> {
    /// Wraps a driver connection that is inside a transaction (infra only).
    pub fn new<C: Any + Send>(conn: &'r mut C) -> Self {
        Self(conn)
    }

    /// The driver connection, if it is of type `C` (infra only).
    pub fn downcast<C: Any>(&mut self) -> Option<&mut C> {
        self.0.downcast_mut::<C>()
    }
}

/// Work to run in a transaction.
pub type TxWork<'a> =
    Box<dyn for<'r> FnOnce(Tx<'r>) -> ScopedBoxFuture<'a, 'r, Result<(), ApiError>> + Send + 'a>;

/// Runs work in one database transaction.
#[async_trait::async_trait]
pub trait Transactor: Send + Sync + 'static {
    /// Runs `work`; commits on `Ok`, rolls back on `Err` (and returns it).
    async fn run<'a>(&'a self, work: TxWork<'a>) -> Result<(), ApiError>;
}

/// Runs `work` in one transaction and returns its value.
///
/// ```ignore
/// let id = transaction(&*transactor, |mut tx| async move {
///     credentials.insert(&mut tx, &new).await?;
///     profiles.insert(&mut tx, user_id).await?;
///     Ok(user_id)
/// }.scope_boxed()).await?;
/// ```
pub async fn transaction<'a, T, F>(transactor: &'a dyn Transactor, work: F) -> Result<T, ApiError>
where
    T: Send + 'a,
    F: for<'r> FnOnce(Tx<'r>) -> ScopedBoxFuture<'a, 'r, Result<T, ApiError>> + Send + 'a,
{
    let mut slot: Option<T> = None;
    let out = &mut slot;
    transactor
        .run(Box::new(move |tx| {
            async move {
                *out = Some(work(tx).await?);
                Ok(())
            }
            .scope_boxed()
        }))
        .await?;
    slot.ok_or_else(|| ApiError::internal(anyhow::anyhow!("transaction produced no value")))
}
