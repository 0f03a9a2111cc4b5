//! A user's profile and preferences.

use super::{Currency, DisplayName, Locale, Timezone, WeekStart};
use chrono::{DateTime, Utc};
use kernel::UserId;
use serde::{Deserialize, Serialize};

/// A user's profile: who they are shown as and how dates and money are
/// presented to them. Every field is already a parsed domain value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Profile {
    /// The owner (one profile per user).
    pub user_id: UserId,
    /// The name shown in the app.
    pub display_name: DisplayName,
    /// Where "today" and "this month" are computed.
    pub timezone: Timezone,
    /// Currency amounts are shown in.
    pub currency: Currency,
    /// Language and formatting preference.
    pub locale: Locale,
    /// First day of the week.
    pub week_start: WeekStart,
    /// When the profile was created.
    pub created_at: DateTime<Utc>,
    /// When the profile last changed.
    pub updated_at: DateTime<Utc>,
}

impl Profile {
    /// A new profile with default preferences (UTC, USD, `en`, Monday),
    /// created and updated at `now`.
    pub fn new(user_id: UserId, display_name: DisplayName, now: DateTime<Utc>) -> Self {
        Self {
            user_id,
            display_name,
            timezone: Timezone::default(),
            currency: Currency::default(),
            locale: Locale::default(),
            week_start: WeekStart::default(),
            created_at: now,
            updated_at: now,
        }
    }

    /// A strong entity tag of this version of the profile (`"…"`, quotes
    /// included): it changes whenever any field a client can see changes. The
    /// login email shown beside it cannot change today; if it ever can, it
    /// must join the tag.
    pub fn etag(&self) -> String {
        let text = format!(
            "{}|{}|{}|{}|{}|{}|{}|{}",
            self.user_id,
            self.display_name.as_str(),
            self.timezone.as_str(),
            self.currency.as_str(),
            self.locale.as_str(),
            self.week_start,
            self.created_at.timestamp_micros(),
            self.updated_at.timestamp_micros(),
        );
        kernel::precondition::entity_tag(&text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn sample() -> Profile {
        let now = Utc.with_ymd_and_hms(2026, 3, 1, 12, 30, 0).unwrap();
        Profile::new(UserId::generate(), DisplayName::parse("Ana").unwrap(), now)
    }

    #[test]
    fn new_uses_default_preferences() {
        let profile = sample();
        assert_eq!(profile.timezone.as_str(), "UTC");
        assert_eq!(profile.currency.as_str(), "USD");
        assert_eq!(profile.locale.as_str(), "en");
        assert_eq!(profile.week_start, WeekStart::Monday);
        assert_eq!(profile.created_at, profile.updated_at);
    }

    #[test]
    fn the_etag_changes_with_every_visible_field() {
        let profile = sample();
        let before = profile.etag();
        assert!(before.starts_with('"') && before.ends_with('"') && before.len() == 18);
        assert_eq!(profile.clone().etag(), before, "stable");
        let changes: [fn(&mut Profile); 7] = [
            |p| p.display_name = DisplayName::parse("Bia").unwrap(),
            |p| p.timezone = Timezone::parse("Europe/Lisbon").unwrap(),
            |p| p.currency = Currency::EUR,
            |p| p.locale = Locale::parse("pt-BR").unwrap(),
            |p| p.week_start = WeekStart::Sunday,
            |p| p.created_at += chrono::Duration::microseconds(1),
            |p| p.updated_at += chrono::Duration::microseconds(1),
        ];
        for change in changes {
            let mut changed = profile.clone();
            change(&mut changed);
            assert_ne!(changed.etag(), before, "{changed:?}");
        }
        let mut other = profile.clone();
        other.user_id = UserId::generate();
        assert_ne!(other.etag(), before);
    }

    #[test]
    fn serializes_as_flat_snake_case_json() {
        let mut profile = sample();
        profile.timezone = Timezone::parse("America/Sao_Paulo").unwrap();
        profile.currency = Currency::BRL;
        profile.locale = Locale::parse("pt-BR").unwrap();
        profile.week_start = WeekStart::Sunday;
        let value = serde_json::to_value(&profile).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "user_id": profile.user_id.to_string(),
                "display_name": "Ana",
                "timezone": "America/Sao_Paulo",
                "currency": "BRL",
                "locale": "pt-BR",
                "week_start": "sunday",
                "created_at": "2026-03-01T12:30:00Z",
                "updated_at": "2026-03-01T12:30:00Z",
            })
        );
        let back: Profile = serde_json::from_value(value).unwrap();
        assert_eq!(back, profile);
    }

    #[test]
    fn deserialize_rejects_an_invalid_field() {
        let mut value = serde_json::to_value(sample()).unwrap();
        value["currency"] = serde_json::json!("XYZ");
        assert!(serde_json::from_value::<Profile>(value).is_err());
    }
}
