//! The user's zone, from the users module.

use crate::application::TimezoneSource;
use chrono_tz::Tz;
use kernel::{ApiError, UserId};
use std::sync::Arc;
use users::application::UsersService;

/// [`TimezoneSource`] over `UsersService::timezone`.
pub struct TimezoneFromUsers(pub Arc<UsersService>);

#[async_trait::async_trait]
impl TimezoneSource for TimezoneFromUsers {
    async fn timezone(&self, user_id: UserId) -> Result<Tz, ApiError> {
        Ok(self.0.timezone(user_id).await?.tz())
    }
}
