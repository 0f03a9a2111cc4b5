//! Personal access tokens for scripts: created by a logged-in user, shown once.

use super::ports::{CreatedKey, NewPat};
use super::service::{AuthService, require_session};
use crate::domain::{PatSecret, PersonalAccessToken, TokenName};
use chrono::Duration;
use kernel::pagination::{Page, PageRequest};
use kernel::precondition::{IfMatch, require};
use kernel::tx::ScopedFutureExt as _;
use kernel::{ApiError, AuthUser, FieldError, Scope, transaction};
use uuid::Uuid;

/// Longest lifetime a token may be given.
pub const MAX_EXPIRY_DAYS: i64 = 3650;

/// A token request, raw.
#[derive(Clone, Debug)]
pub struct NewPatRequest {
    /// Label.
    pub name: String,
    /// What it may do.
    pub scope: Scope,
    /// Days until it expires; `None` for never.
    pub expires_in_days: Option<i64>,
}

/// A new token with its secret, which is never shown again.
#[derive(Clone, Debug)]
pub struct CreatedPat {
    /// The stored token.
    pub token: PersonalAccessToken,
    /// The secret to hand to the script.
    pub secret: String,
}

impl AuthService {
    /// Creates a personal access token.
    pub async fn create_pat(
        &self,
        user: &AuthUser,
        request: NewPatRequest,
    ) -> Result<CreatedPat, ApiError> {
        require_session(user)?;
        let mut errors = Vec::new();
        let name = TokenName::parse(&request.name)
            .map_err(|e| errors.push(FieldError::new("name", e)))
            .ok();
        if let Some(days) = request.expires_in_days
            && !(1..=MAX_EXPIRY_DAYS).contains(&days)
        {
            errors.push(FieldError::new(
                "expires_in_days",
                format!("must be between 1 and {MAX_EXPIRY_DAYS}"),
            ));
        }
        let (Some(name), true) = (name, errors.is_empty()) else {
            return Err(ApiError::Validation(errors));
        };
        let now = self.clock.now();
        let secret = PatSecret::generate(user.user_id);
        let token = PersonalAccessToken {
            id: kernel::ids::new_id(),
            user_id: user.user_id,
            name: name.as_str().to_owned(),
            scope: request.scope,
            created_at: now,
            last_used_at: None,
            expires_at: request.expires_in_days.map(|d| now + Duration::days(d)),
        };
        let stored = &token;
        let token_hash = secret.hash();
        let token_hash = &token_hash;
        transaction(&*self.transactor, |mut tx| {
            async move {
                self.pats
                    .insert(
                        &mut tx,
                        &NewPat {
                            id: stored.id,
                            user_id: stored.user_id,
                            name: &stored.name,
                            scope: stored.scope,
                            token_hash,
                            now,
                            expires_at: stored.expires_at,
                        },
                    )
                    .await?;
                Ok(())
            }
            .scope_boxed()
        })
        .await?;
        Ok(CreatedPat {
            secret: PatSecret::encode(&secret),
            token,
        })
    }

    /// The caller's tokens, newest first (never their secrets).
    pub async fn list_pats(
        &self,
        user: &AuthUser,
        page: &PageRequest<CreatedKey>,
    ) -> Result<Page<PersonalAccessToken>, ApiError> {
        let rows = self.pats.list(user.user_id, page).await?;
        Ok(Page::from_rows(rows, page.limit, |t| (t.created_at, t.id)))
    }

    /// One of the caller's tokens (never its secret); 404 when there is none.
    pub async fn get_pat(
        &self,
        user: &AuthUser,
        id: Uuid,
    ) -> Result<PersonalAccessToken, ApiError> {
        self.pats
            .get(user.user_id, id)
            .await?
            .ok_or(ApiError::NotFound)
    }

    /// Revokes (deletes) one of the caller's tokens; 404 when there is none.
    /// With `if_match`, only while the token still matches it (checked on the
    /// row, locked, in the deletion's transaction): 412 otherwise, and the
    /// token keeps working.
    pub async fn revoke_pat(
        &self,
        user: &AuthUser,
        id: Uuid,
        if_match: Option<IfMatch>,
    ) -> Result<(), ApiError> {
        require_session(user)?;
        let user_id = user.user_id;
        let Some(precondition) = if_match else {
            return found(self.pats.delete(user_id, id).await?);
        };
        let pats = &*self.pats;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                let current = pats
                    .find_for_update(&mut tx, user_id, id)
                    .await?
                    .ok_or(ApiError::NotFound)?;
                require(Some(&precondition), || current.etag())?;
                found(pats.delete_in(&mut tx, user_id, id).await?)
            }
            .scope_boxed()
        })
        .await
    }
}

/// `Ok` when a deletion found its row, 404 otherwise.
fn found(deleted: bool) -> Result<(), ApiError> {
    if deleted {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}
