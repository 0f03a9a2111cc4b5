//! The `users` module's façade.

use super::ports::{AccountEmails, ProfileRepo};
use crate::domain::{Currency, DisplayName, Locale, Profile, Timezone, WeekStart};
use chrono::{DateTime, Utc};
use kernel::precondition::{IfMatch, require};
use kernel::tx::ScopedFutureExt as _;
use kernel::{ApiError, Clock, FieldError, Transactor, Tx, UserId, transaction};
use std::sync::Arc;

/// A profile to create, raw (from a registration).
#[derive(Clone, Debug, Default)]
pub struct NewProfile {
    /// Display name.
    pub display_name: String,
    /// IANA zone; default UTC.
    pub timezone: Option<String>,
    /// ISO 4217 code; default USD.
    pub currency: Option<String>,
}

/// A partial update, raw; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct ProfilePatch {
    /// New display name.
    pub display_name: Option<String>,
    /// New IANA zone.
    pub timezone: Option<String>,
    /// New ISO 4217 code.
    pub currency: Option<String>,
    /// New BCP 47 locale.
    pub locale: Option<String>,
    /// New first day of the week.
    pub week_start: Option<String>,
}

/// The `users` module's use cases.
#[derive(Clone)]
pub struct UsersService {
    pub(crate) profiles: Arc<dyn ProfileRepo>,
    emails: Arc<dyn AccountEmails>,
    transactor: Arc<dyn Transactor>,
    clock: Arc<dyn Clock>,
}

fn parse_into<T, E: std::fmt::Display>(
    errors: &mut Vec<FieldError>,
    field: &str,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Option<T> {
    raw.and_then(|raw| {
        parse(raw)
            .map_err(|e| errors.push(FieldError::new(field, e.to_string())))
            .ok()
    })
}

impl UsersService {
    /// Assembles the service.
    pub fn new(
        profiles: Arc<dyn ProfileRepo>,
        emails: Arc<dyn AccountEmails>,
        transactor: Arc<dyn Transactor>,
        clock: Arc<dyn Clock>,
    ) -> Self {
        Self {
            profiles,
            emails,
            transactor,
            clock,
        }
    }

    /// Locks the user's profile until `tx` ends and checks it still matches
    /// `if_match`: 412 when it does not, 404 when there is none.
    pub async fn lock_matching(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        if_match: &IfMatch,
    ) -> Result<Profile, ApiError> {
        let profile = self
            .profiles
            .find_for_update(tx, user_id)
            .await?
            .ok_or(ApiError::NotFound)?;
        require(Some(if_match), || profile.etag())?;
        Ok(profile)
    }

    /// The user's login email (from the auth module).
    pub async fn email(&self, user_id: UserId) -> Result<String, ApiError> {
        self.emails.email_of(user_id).await
    }

    /// The user's profile with their login email.
    pub async fn me(&self, user_id: UserId) -> Result<(Profile, String), ApiError> {
        let profile = self.get(user_id).await?;
        let email = self.emails.email_of(user_id).await?;
        Ok((profile, email))
    }

    /// Parses a new profile; every problem at once.
    fn parse_new(
        &self,
        input: &NewProfile,
        user_id: UserId,
        now: DateTime<Utc>,
    ) -> Result<Profile, Vec<FieldError>> {
        let mut errors = Vec::new();
        let name = parse_into(
            &mut errors,
            "display_name",
            Some(&input.display_name),
            DisplayName::parse,
        );
        let timezone = parse_into(
            &mut errors,
            "timezone",
            input.timezone.as_deref(),
            Timezone::parse,
        );
        let currency = parse_into(
            &mut errors,
            "currency",
            input.currency.as_deref(),
            Currency::parse,
        );
        match name {
            Some(name) if errors.is_empty() => {
                let mut profile = Profile::new(user_id, name, now);
                profile.timezone = timezone.unwrap_or_default();
                profile.currency = currency.unwrap_or_default();
                Ok(profile)
            }
            _ => Err(errors),
        }
    }

    /// Problems with a new profile, before anything is written.
    pub fn check_new(&self, input: &NewProfile) -> Vec<FieldError> {
        self.parse_new(input, UserId::generate(), self.clock.now())
            .err()
            .unwrap_or_default()
    }

    /// Creates a user's profile inside the caller's transaction (registration).
    pub async fn create(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        input: &NewProfile,
        now: DateTime<Utc>,
    ) -> Result<Profile, ApiError> {
        let profile = self
            .parse_new(input, user_id, now)
            .map_err(ApiError::Validation)?;
        self.profiles.insert(tx, &profile).await?;
        Ok(profile)
    }

    /// The user's profile.
    pub async fn get(&self, user_id: UserId) -> Result<Profile, ApiError> {
        self.profiles.find(user_id).await?.ok_or(ApiError::NotFound)
    }

    /// The user's time zone: where "today" and "this month" are computed.
    pub async fn timezone(&self, user_id: UserId) -> Result<Timezone, ApiError> {
        Ok(self.get(user_id).await?.timezone)
    }

    /// Applies a partial update; every problem at once, nothing changed on
    /// error. 412 when `if_match` no longer matches the profile, checked on the
    /// row locked in the write's transaction.
    pub async fn update(
        &self,
        user_id: UserId,
        patch: &ProfilePatch,
        if_match: Option<IfMatch>,
    ) -> Result<Profile, ApiError> {
        let mut errors = Vec::new();
        let name = parse_into(
            &mut errors,
            "display_name",
            patch.display_name.as_deref(),
            DisplayName::parse,
        );
        let timezone = parse_into(
            &mut errors,
            "timezone",
            patch.timezone.as_deref(),
            Timezone::parse,
        );
        let currency = parse_into(
            &mut errors,
            "currency",
            patch.currency.as_deref(),
            Currency::parse,
        );
        let locale = parse_into(
            &mut errors,
            "locale",
            patch.locale.as_deref(),
            Locale::parse,
        );
        let week_start = parse_into(
            &mut errors,
            "week_start",
            patch.week_start.as_deref(),
            WeekStart::parse,
        );
        if !errors.is_empty() {
            return Err(ApiError::Validation(errors));
        }
        let now = self.clock.now();
        transaction(&*self.transactor, move |mut tx| {
            async move {
                let mut profile = match &if_match {
                    Some(precondition) => {
                        self.lock_matching(&mut tx, user_id, precondition).await?
                    }
                    None => self
                        .profiles
                        .find_for_update(&mut tx, user_id)
                        .await?
                        .ok_or(ApiError::NotFound)?,
                };
                if let Some(v) = name {
                    profile.display_name = v;
                }
                if let Some(v) = timezone {
                    profile.timezone = v;
                }
                if let Some(v) = currency {
                    profile.currency = v;
                }
                if let Some(v) = locale {
                    profile.locale = v;
                }
                if let Some(v) = week_start {
                    profile.week_start = v;
                }
                profile.updated_at = now;
                if !self.profiles.update(&mut tx, &profile).await? {
                    return Err(ApiError::NotFound);
                }
                Ok(profile)
            }
            .scope_boxed()
        })
        .await
    }
}
