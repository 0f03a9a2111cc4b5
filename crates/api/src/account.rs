//! Account deletion and export, composed from every module's
//! [`UserDataOwner`]: the list below is the one place a new module must be added.

use auth::application::AuthService;
use bytes::Bytes;
use futures_util::StreamExt as _;
use futures_util::stream::{self, BoxStream};
use kernel::precondition::IfMatch;
use kernel::tx::ScopedFutureExt as _;
use kernel::user_data::UserDataOwner;
use kernel::{ApiError, Clock, Transactor, UserId, transaction};
use std::sync::Arc;
use users::application::{AccountLifecycle, UsersService};

/// Format name and version written at the top of every export.
pub const EXPORT_FORMAT: &str = "my-agent-export";
/// Bumped whenever a section's shape changes incompatibly.
pub const EXPORT_VERSION: u32 = 1;

/// Deletes and exports a user's data across modules.
pub struct Lifecycle {
    auth: Arc<AuthService>,
    users: Arc<UsersService>,
    transactor: Arc<dyn Transactor>,
    owners: Vec<Arc<dyn UserDataOwner>>,
    clock: Arc<dyn Clock>,
}

impl Lifecycle {
    /// Over every module that keeps user data.
    pub fn new(
        auth: Arc<AuthService>,
        users: Arc<UsersService>,
        transactor: Arc<dyn Transactor>,
        owners: Vec<Arc<dyn UserDataOwner>>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            auth,
            users,
            transactor,
            owners,
            clock,
        }
    }
}

#[async_trait::async_trait]
impl AccountLifecycle for Lifecycle {
    async fn close(
        &self,
        user_id: UserId,
        password: &str,
        if_match: Option<IfMatch>,
    ) -> Result<(), ApiError> {
        // A stale tag is refused before a password hash is spent on it; the
        // check that counts is the one on the locked row below.
        if let Some(precondition) = &if_match
            && !precondition.matches(&self.users.get(user_id).await?.etag())
        {
            return Err(ApiError::PreconditionFailed);
        }
        self.auth.confirm_password(user_id, password).await?;
        let (owners, users) = (&self.owners, &self.users);
        let deleted = transaction(&*self.transactor, |mut tx| {
            async move {
                if let Some(precondition) = &if_match {
                    users.lock_matching(&mut tx, user_id, precondition).await?;
                }
                let mut total = 0;
                for owner in owners {
                    total += owner.delete_all(&mut tx, user_id).await?;
                }
                Ok(total)
            }
            .scope_boxed()
        })
        .await?;
        tracing::info!(%user_id, rows = deleted, "account deleted");
        Ok(())
    }

    fn export(&self, user_id: UserId) -> BoxStream<'static, Result<Bytes, ApiError>> {
        let head = serde_json::json!({
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "exported_at": self.clock.now(),
            "user_id": user_id,
        })
        .to_string();
        // `{"format":…,"user_id":…` then `,"section":[…]` for each section, then `}`.
        let open = Bytes::from(head.trim_end_matches('}').to_owned());
        let sections = self.owners.iter().flat_map(|owner| {
            owner.export_sections().iter().map(move |section| {
                let owner = owner.clone();
                let name = Bytes::from(format!(",\"{section}\":["));
                let items = owner.export(user_id, section).enumerate().map(|(i, item)| {
                    let item = item?;
                    let text = serde_json::to_vec(&item).map_err(ApiError::internal)?;
                    let mut chunk = Vec::with_capacity(text.len() + 1);
                    if i > 0 {
                        chunk.push(b',');
                    }
                    chunk.extend_from_slice(&text);
                    Ok(Bytes::from(chunk))
                });
                stream::once(async move { Ok(name) })
                    .chain(items)
                    .chain(stream::once(async { Ok(Bytes::from_static(b"]")) }))
                    .boxed()
            })
        });
        let sections: Vec<_> = sections.collect();
        stream::once(async move { Ok(open) })
            .chain(stream::iter(sections).flatten())
            .chain(stream::once(async { Ok(Bytes::from_static(b"}")) }))
            .inspect(move |chunk| {
                if let Err(err) = chunk {
                    tracing::error!(%user_id, error = %err, "export failed midway; the document is truncated");
                }
            })
            .boxed()
    }
}
