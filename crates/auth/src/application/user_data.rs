//! The auth module's share of a user's data: credential, sessions and
//! personal access tokens (erased on account deletion; sessions and token
//! metadata exported, never hashes or secrets).

use super::service::AuthService;
use kernel::pagination::PageRequest;
use kernel::user_data::{ExportStream, UserDataOwner, paginate};
use kernel::{ApiError, Tx, UserId};
use serde_json::json;

const PAGE: u16 = 200;

#[async_trait::async_trait]
impl UserDataOwner for AuthService {
    fn module(&self) -> &'static str {
        "auth"
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, ApiError> {
        let pats = self.pats.delete_all(tx, user_id).await?;
        let sessions = self.sessions.delete_all(tx, user_id).await?;
        let credentials = self.credentials.delete_all(tx, user_id).await?;
        Ok(pats + sessions + credentials)
    }

    fn export_sections(&self) -> &'static [&'static str] {
        &["sessions", "personal_access_tokens"]
    }

    fn export(&self, user_id: UserId, section: &'static str) -> ExportStream {
        let now = self.clock.now();
        match section {
            "sessions" => {
                let sessions = self.sessions.clone();
                paginate(move |after| {
                    let sessions = sessions.clone();
                    async move {
                        let page = PageRequest { limit: PAGE, after };
                        let rows = sessions.list_active(user_id, now, &page).await?;
                        let next = (rows.len() > usize::from(PAGE))
                            .then(|| {
                                rows.get(usize::from(PAGE) - 1)
                                    .map(|s| (s.created_at, s.id))
                            })
                            .flatten();
                        let items = rows
                            .into_iter()
                            .take(usize::from(PAGE))
                            .map(|s| json!({"id": s.id, "created_at": s.created_at, "last_used_at": s.last_used_at, "expires_at": s.expires_at, "user_agent": s.user_agent, "ip": s.ip}))
                            .collect();
                        Ok((items, next))
                    }
                })
            }
            _ => {
                let pats = self.pats.clone();
                paginate(move |after| {
                    let pats = pats.clone();
                    async move {
                        let page = PageRequest { limit: PAGE, after };
                        let rows = pats.list(user_id, &page).await?;
                        let next = (rows.len() > usize::from(PAGE))
                            .then(|| {
                                rows.get(usize::from(PAGE) - 1)
                                    .map(|t| (t.created_at, t.id))
                            })
                            .flatten();
                        let items = rows
                            .into_iter()
                            .take(usize::from(PAGE))
                            .map(|t| json!({"id": t.id, "name": t.name, "scope": t.scope, "created_at": t.created_at, "last_used_at": t.last_used_at, "expires_at": t.expires_at}))
                            .collect();
                        Ok((items, next))
                    }
                })
            }
        }
    }
}
