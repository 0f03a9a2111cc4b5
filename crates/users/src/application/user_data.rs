//! The users module's share of a user's data: the profile.

use super::service::UsersService;
use futures_util::StreamExt as _;
use kernel::user_data::{ExportStream, UserDataOwner};
use kernel::{ApiError, Tx, UserId};
use serde_json::json;

#[async_trait::async_trait]
impl UserDataOwner for UsersService {
    fn module(&self) -> &'static str {
        "users"
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, ApiError> {
        Ok(self.profiles.delete_all(tx, user_id).await?)
    }

    fn export_sections(&self) -> &'static [&'static str] {
        &["profile"]
    }

    fn export(&self, user_id: UserId, _section: &'static str) -> ExportStream {
        let service = self.clone();
        futures_util::stream::once(async move {
            let (p, email) = service.me(user_id).await?;
            Ok(json!({
                "id": p.user_id,
                "email": email,
                "display_name": p.display_name.as_str(),
                "timezone": p.timezone.as_str(),
                "currency": p.currency.as_str(),
                "locale": p.locale.as_str(),
                "week_start": p.week_start.to_string(),
                "created_at": p.created_at,
                "updated_at": p.updated_at,
            }))
        })
        .boxed()
    }
}
