//! Request and response bodies of the `users` routes.

use crate::domain::Profile;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The caller's profile.
#[derive(Serialize, ToSchema)]
pub struct ProfileResponse {
    /// The user id.
    pub id: Uuid,
    /// Login email.
    pub email: String,
    /// Name shown in the app.
    pub display_name: String,
    /// IANA time zone.
    #[schema(example = "America/Sao_Paulo")]
    pub timezone: String,
    /// ISO 4217 currency.
    #[schema(example = "BRL")]
    pub currency: String,
    /// BCP 47 locale.
    #[schema(example = "pt-BR")]
    pub locale: String,
    /// First day of the week: `monday`, `sunday` or `saturday`.
    #[schema(example = "monday")]
    pub week_start: String,
    /// Account creation.
    pub created_at: DateTime<Utc>,
    /// Last profile change.
    pub updated_at: DateTime<Utc>,
}

impl ProfileResponse {
    /// From a profile and the account's email.
    pub fn new(p: Profile, email: String) -> Self {
        Self {
            id: p.user_id.as_uuid(),
            email,
            display_name: p.display_name.as_str().to_owned(),
            timezone: p.timezone.as_str().to_owned(),
            currency: p.currency.as_str().to_owned(),
            locale: p.locale.as_str().to_owned(),
            week_start: p.week_start.to_string(),
            created_at: p.created_at,
            updated_at: p.updated_at,
        }
    }
}

/// `PATCH /users/me`: any subset of the fields.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateProfileRequest {
    /// 1–100 characters.
    pub display_name: Option<String>,
    /// IANA time zone.
    pub timezone: Option<String>,
    /// ISO 4217 currency (uppercase).
    pub currency: Option<String>,
    /// BCP 47 locale.
    pub locale: Option<String>,
    /// `monday`, `sunday` or `saturday`.
    pub week_start: Option<String>,
}

/// `DELETE /users/me`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DeleteAccountRequest {
    /// The account's password, to confirm.
    pub password: String,
}
