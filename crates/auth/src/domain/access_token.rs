//! Personal access tokens (for scripts) and the claims of access JWTs.

use chrono::{DateTime, Utc};
use kernel::{Scope, UserId};
use uuid::Uuid;

/// Longest token name, in characters.
pub const MAX_TOKEN_NAME: usize = 100;

/// A personal access token's name: trimmed, 1–100 characters, no control characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenName(String);

impl TokenName {
    /// Parses a name.
    pub fn parse(raw: &str) -> Result<Self, &'static str> {
        let name = raw.trim();
        if name.is_empty() {
            return Err("must not be empty");
        }
        if name.chars().count() > MAX_TOKEN_NAME {
            return Err("must be at most 100 characters");
        }
        if name.chars().any(char::is_control) {
            return Err("must not contain control characters");
        }
        Ok(Self(name.to_owned()))
    }

    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A personal access token as listed (never its secret).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonalAccessToken {
    /// Token id.
    pub id: Uuid,
    /// Owner.
    pub user_id: UserId,
    /// The user's label for it.
    pub name: String,
    /// What it may do.
    pub scope: Scope,
    /// Creation time.
    pub created_at: DateTime<Utc>,
    /// Last successful use.
    pub last_used_at: Option<DateTime<Utc>>,
    /// When it stops working, if ever.
    pub expires_at: Option<DateTime<Utc>>,
}

impl PersonalAccessToken {
    /// A strong entity tag of this version of the token (`"…"`, quotes
    /// included), over every field its GET shows. That includes
    /// `last_used_at`, which moves on every use: a use between a GET and an
    /// `If-Match` write changes what the client saw, so the write gets 412
    /// (RFC 9110); a client that does not care sends `If-Match: *`.
    pub fn etag(&self) -> String {
        let scope = match self.scope {
            Scope::Read => "read",
            Scope::ReadWrite => "read_write",
        };
        let text = format!(
            "{}|{}|{}|{}|{:?}|{:?}",
            self.id,
            self.name,
            scope,
            self.created_at.timestamp_micros(),
            self.last_used_at.map(|t| t.timestamp_micros()),
            self.expires_at.map(|t| t.timestamp_micros()),
        );
        kernel::precondition::entity_tag(&text)
    }
}

/// What an access token (JWT) says.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessClaims {
    /// `sub`.
    pub user_id: UserId,
    /// `sid`: the session it was issued for.
    pub session_id: Uuid,
    /// `scope`.
    pub scope: Scope,
    /// `jti`.
    pub token_id: Uuid,
    /// `iat` (also `nbf`).
    pub issued_at: DateTime<Utc>,
    /// `exp`.
    pub expires_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_etag_changes_with_every_visible_field() {
        let now = DateTime::parse_from_rfc3339("2026-03-01T12:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let token = PersonalAccessToken {
            id: Uuid::now_v7(),
            user_id: UserId::generate(),
            name: "backup".into(),
            scope: Scope::Read,
            created_at: now,
            last_used_at: None,
            expires_at: None,
        };
        let before = token.etag();
        assert!(before.starts_with('"') && before.ends_with('"') && before.len() == 18);
        assert_eq!(token.clone().etag(), before, "stable");
        let later = now + chrono::Duration::microseconds(1);
        let changes: [fn(&mut PersonalAccessToken, DateTime<Utc>); 6] = [
            |t, _| t.id = Uuid::now_v7(),
            |t, _| t.name = "restore".into(),
            |t, _| t.scope = Scope::ReadWrite,
            |t, at| t.created_at = at,
            |t, at| t.last_used_at = Some(at),
            |t, at| t.expires_at = Some(at),
        ];
        for change in changes {
            let mut changed = token.clone();
            change(&mut changed, later);
            assert_ne!(changed.etag(), before, "{changed:?}");
        }
    }

    #[test]
    fn token_names_are_trimmed_and_bounded() {
        assert_eq!(
            TokenName::parse("  backup script ").unwrap().as_str(),
            "backup script"
        );
        assert!(TokenName::parse("   ").is_err());
        assert!(TokenName::parse(&"é".repeat(100)).is_ok());
        assert!(TokenName::parse(&"é".repeat(101)).is_err());
        assert!(TokenName::parse("a\u{0}b").is_err());
    }
}
