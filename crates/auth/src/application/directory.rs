//! Read-only facts about accounts that other modules may ask for.

use super::ports::CredentialRepo;
use kernel::{ApiError, UserId};
use std::sync::Arc;

/// Answers questions about accounts without any of the login machinery.
#[derive(Clone)]
pub struct AccountDirectory {
    credentials: Arc<dyn CredentialRepo>,
}

impl AccountDirectory {
    /// Over the credentials store.
    pub fn new(credentials: Arc<dyn CredentialRepo>) -> Self {
        Self { credentials }
    }

    /// The user's login email; 404 when there is no such account.
    pub async fn email_of(&self, user_id: UserId) -> Result<String, ApiError> {
        let credential = self
            .credentials
            .find(user_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        Ok(credential.email.as_str().to_owned())
    }
}
