//! Registration, login and password change.

use super::ports::{NewCredential, ProfileDraft};
use super::service::{AuthService, ClientInfo, TokenPair, bad_credentials, require_session};
use crate::domain::{Email, Password};
use kernel::tx::ScopedFutureExt as _;
use kernel::{ApiError, AuthUser, FieldError, RepoError, UserId, transaction};

/// A registration request, raw.
#[derive(Clone, Debug)]
pub struct Registration {
    /// Email as typed.
    pub email: String,
    /// Password as typed.
    pub password: String,
    /// Profile fields for the users module.
    pub profile: ProfileDraft,
}

impl AuthService {
    /// Creates an account (credentials, profile, first session) in one transaction.
    pub async fn register(
        &self,
        input: Registration,
        client: &ClientInfo,
    ) -> Result<TokenPair, ApiError> {
        if let Some(ip) = &client.ip {
            self.limits.per_ip.hit(&format!("register:{ip}")).await?;
        }
        let mut errors = Vec::new();
        let email = Email::parse(&input.email)
            .map_err(|e| errors.push(FieldError::new("email", e.to_string())))
            .ok();
        let password = email.as_ref().and_then(|email| {
            Password::new(&input.password, email)
                .map_err(|e| errors.push(FieldError::new("password", e.to_string())))
                .ok()
        });
        let mut profile = input.profile;
        if let (Some(email), None) = (&email, &profile.display_name) {
            profile.display_name = Some(email.local_part().to_owned());
        }
        errors.extend(self.hook.check(&profile));
        let (Some(email), Some(password), true) = (email, password, errors.is_empty()) else {
            return Err(ApiError::Validation(errors));
        };
        self.limits
            .per_email
            .hit(&format!("register:{email}"))
            .await?;

        let hash = self.hasher.hash(&password).await?;
        let user_id = UserId::generate();
        let now = self.clock.now();
        let refresh = transaction(&*self.transactor, |mut tx| {
            async move {
                let credential = NewCredential {
                    id: kernel::ids::new_id(),
                    user_id,
                    email: &email,
                    password_hash: &hash,
                    now,
                };
                self.credentials
                    .insert(&mut tx, &credential)
                    .await
                    .map_err(|e| match e {
                        RepoError::Conflict { .. } => {
                            ApiError::Conflict("An account with this email already exists.".into())
                        }
                        other => other.into(),
                    })?;
                self.hook.created(&mut tx, user_id, &profile, now).await?;
                self.open_session(&mut tx, user_id, client, now).await
            }
            .scope_boxed()
        })
        .await?;
        // After the commit, so the profile the token's claims come from exists.
        self.token_pair(&refresh, now).await
    }

    /// Checks an email and password and opens a session. Every failure is the
    /// same 401, in about the same time.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        client: &ClientInfo,
    ) -> Result<TokenPair, ApiError> {
        if let Some(ip) = &client.ip {
            self.limits.per_ip.hit(&format!("login:{ip}")).await?;
        }
        let Ok(email) = Email::parse(email) else {
            self.hasher.verify(password, None).await?;
            return Err(bad_credentials());
        };
        self.limits.per_email.hit(&format!("login:{email}")).await?;
        let credential = self.credentials.find_by_email(&email).await?;
        let matches = self
            .hasher
            .verify(
                password,
                credential.as_ref().map(|c| c.password_hash.as_str()),
            )
            .await?;
        let Some(credential) = credential.filter(|_| matches) else {
            return Err(bad_credentials());
        };
        let now = self.clock.now();
        let refresh = transaction(&*self.transactor, |mut tx| {
            async move {
                self.open_session(&mut tx, credential.user_id, client, now)
                    .await
            }
            .scope_boxed()
        })
        .await?;
        self.token_pair(&refresh, now).await
    }

    /// Confirms a sensitive action (account deletion) with the password;
    /// 422 naming `password` when it is wrong.
    pub async fn confirm_password(&self, user_id: UserId, password: &str) -> Result<(), ApiError> {
        self.limits
            .per_email
            .hit(&format!("confirm:{user_id}"))
            .await?;
        let credential = self
            .credentials
            .find(user_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        if self
            .hasher
            .verify(password, Some(&credential.password_hash))
            .await?
        {
            Ok(())
        } else {
            Err(ApiError::field("password", "is not the current password"))
        }
    }

    /// Changes the password and revokes every other session.
    pub async fn change_password(
        &self,
        user: &AuthUser,
        current: &str,
        new: &str,
    ) -> Result<(), ApiError> {
        let session_id = require_session(user)?;
        self.limits
            .per_email
            .hit(&format!("password:{}", user.user_id))
            .await?;
        let credential = self
            .credentials
            .find(user.user_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        if !self
            .hasher
            .verify(current, Some(&credential.password_hash))
            .await?
        {
            return Err(ApiError::field(
                "current_password",
                "is not the current password",
            ));
        }
        let password = Password::new(new, &credential.email)
            .map_err(|e| ApiError::field("new_password", e.to_string()))?;
        let hash = self.hasher.hash(&password).await?;
        let now = self.clock.now();
        let user_id = user.user_id;
        transaction(&*self.transactor, |mut tx| {
            async move {
                self.credentials
                    .set_hash(&mut tx, user_id, &hash, now)
                    .await?;
                self.sessions
                    .revoke_others(&mut tx, user_id, Some(session_id), now)
                    .await?;
                Ok(())
            }
            .scope_boxed()
        })
        .await
    }
}
