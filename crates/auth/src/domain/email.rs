//! A user's email address, the login identity.

use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use std::str::FromStr;

/// A normalised email address: trimmed and lowercased.
///
/// Accepted shape: at most 254 characters, no whitespace or control
/// characters, exactly one `@`; a local part of 1–64 characters made of
/// RFC 5322 `atext` (ASCII letters, digits and ``!#$%&'*+-/=?^_`{|}~``) or
/// non-ASCII characters (RFC 6531), in dot-separated non-empty runs; a domain
/// of at least two dot-separated labels, each 1–63 ASCII letters, digits or
/// hyphens, neither starting nor ending with a hyphen (international domains
/// in their `xn--` form). Quoted local parts and IP-literal domains are not
/// accepted.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Deserialize)]
#[serde(try_from = "String")]
pub struct Email {
    address: String,
    /// Byte index of the single `@` in `address`.
    at: usize,
}

/// Why a string is not an [`Email`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EmailError {
    /// Empty or only whitespace.
    #[error("must not be empty")]
    Empty,
    /// Longer than [`Email::MAX_CHARS`].
    #[error("must be at most 254 characters")]
    TooLong,
    /// Whitespace or a control character inside the address.
    #[error("must not contain spaces or control characters")]
    WhitespaceOrControl,
    /// No `@`, or more than one.
    #[error("must contain exactly one @")]
    NotOneAt,
    /// Nothing before the `@`.
    #[error("must have a name before the @")]
    LocalPartEmpty,
    /// More than [`Email::MAX_LOCAL_CHARS`] before the `@`.
    #[error("must have at most 64 characters before the @")]
    LocalPartTooLong,
    /// A character or dot placement not allowed before the `@`.
    #[error("has a character or dot before the @ that is not allowed")]
    LocalPartInvalid,
    /// The part after the `@` is not a domain name.
    #[error("must have a domain name after the @, such as example.com")]
    DomainInvalid,
}

impl Email {
    /// Longest accepted address, in characters.
    pub const MAX_CHARS: usize = 254;
    /// Longest accepted local part (before the `@`), in characters.
    pub const MAX_LOCAL_CHARS: usize = 64;
    /// Longest domain label, in characters.
    const MAX_LABEL_CHARS: usize = 63;

    /// Trims, lowercases and checks an address.
    pub fn parse(raw: &str) -> Result<Self, EmailError> {
        let address = raw.trim().to_lowercase();
        if address.is_empty() {
            return Err(EmailError::Empty);
        }
        if address.chars().count() > Self::MAX_CHARS {
            return Err(EmailError::TooLong);
        }
        if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(EmailError::WhitespaceOrControl);
        }
        let mut ats = address.match_indices('@').map(|(i, _)| i);
        let at = match (ats.next(), ats.next()) {
            (Some(at), None) => at,
            _ => return Err(EmailError::NotOneAt),
        };
        let (local, domain) = (&address[..at], &address[at + 1..]);
        check_local_part(local)?;
        check_domain(domain)?;
        Ok(Self { address, at })
    }

    /// The whole normalised address.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// The part before the `@`.
    pub fn local_part(&self) -> &str {
        &self.address[..self.at]
    }

    /// The part after the `@`.
    pub fn domain(&self) -> &str {
        &self.address[self.at + 1..]
    }
}

fn check_local_part(local: &str) -> Result<(), EmailError> {
    if local.is_empty() {
        return Err(EmailError::LocalPartEmpty);
    }
    if local.chars().count() > Email::MAX_LOCAL_CHARS {
        return Err(EmailError::LocalPartTooLong);
    }
    let is_atext =
        |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~".contains(c) || !c.is_ascii();
    let runs_ok = local
        .split('.')
        .all(|run| !run.is_empty() && run.chars().all(is_atext));
    if runs_ok {
        Ok(())
    } else {
        Err(EmailError::LocalPartInvalid)
    }
}

fn check_domain(domain: &str) -> Result<(), EmailError> {
    let label_ok = |label: &str| {
        (1..=Email::MAX_LABEL_CHARS).contains(&label.len())
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    };
    if domain.contains('.') && domain.split('.').all(label_ok) {
        Ok(())
    } else {
        Err(EmailError::DomainInvalid)
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.address)
    }
}

impl FromStr for Email {
    type Err = EmailError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl Serialize for Email {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.address)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> Email {
        Email::parse(raw).unwrap_or_else(|e| panic!("{raw:?}: {e}"))
    }

    fn err(raw: &str) -> EmailError {
        Email::parse(raw).expect_err(raw)
    }

    #[test]
    fn accepts_ordinary_addresses() {
        for raw in [
            "ana@example.com",
            "ana.souza@example.com.br",
            "ana+finances@example.co",
            "o'brien@example.ie",
            "x@a.io",
            "user_name-1@sub-domain.example.org",
            "!#$%&'*+-/=?^_`{|}~@example.com",
            "1@123.45",
            "josé@example.com",
            "ana@xn--mnchen-3ya.de",
        ] {
            assert_eq!(ok(raw).as_str(), raw);
        }
    }

    #[test]
    fn trims_and_lowercases() {
        let email = ok("  Ana.Souza@Example.COM \n");
        assert_eq!(email.as_str(), "ana.souza@example.com");
        assert_eq!(email.local_part(), "ana.souza");
        assert_eq!(email.domain(), "example.com");
        assert_eq!(ok("JOSÉ@EXAMPLE.COM").as_str(), "josé@example.com");
        assert_eq!(ok("A@B.CO"), ok("a@b.co"));
    }

    #[test]
    fn rejects_empty() {
        assert_eq!(err(""), EmailError::Empty);
        assert_eq!(err("  \t "), EmailError::Empty);
    }

    #[test]
    fn rejects_inner_whitespace_and_control_characters() {
        for raw in [
            "ana souza@example.com",
            "ana@exa mple.com",
            "ana\t@example.com",
            "ana@example.com\u{0}x",
            "an\u{7}a@example.com",
            "ana\u{a0}b@example.com",
        ] {
            assert_eq!(err(raw), EmailError::WhitespaceOrControl, "{raw:?}");
        }
    }

    #[test]
    fn requires_exactly_one_at() {
        for raw in [
            "ana.example.com",
            "ana@@example.com",
            "a@b@example.com",
            "@@",
            "ana@example.com@",
        ] {
            assert_eq!(err(raw), EmailError::NotOneAt, "{raw:?}");
        }
    }

    #[test]
    fn local_part_rules() {
        assert_eq!(err("@example.com"), EmailError::LocalPartEmpty);
        assert_eq!(err("@"), EmailError::LocalPartEmpty);
        let local_64 = "a".repeat(64);
        assert_eq!(
            ok(&format!("{local_64}@example.com")).local_part(),
            local_64
        );
        assert_eq!(
            err(&format!("{local_64}b@example.com")),
            EmailError::LocalPartTooLong
        );
        assert_eq!(
            err(&format!("{}@example.com", "é".repeat(65))),
            EmailError::LocalPartTooLong
        );
        for raw in [
            ".ana@example.com",
            "ana.@example.com",
            "ana..souza@example.com",
            "\"ana\"@example.com",
            "ana(comment)@example.com",
            "a,b@example.com",
            "a<b>@example.com",
            "a;b@example.com",
            "a\\b@example.com",
            "a[b]@example.com",
            "a:b@example.com",
        ] {
            assert_eq!(err(raw), EmailError::LocalPartInvalid, "{raw:?}");
        }
    }

    #[test]
    fn domain_rules() {
        let label_63 = "a".repeat(63);
        assert!(Email::parse(&format!("ana@{label_63}.com")).is_ok());
        for raw in [
            "ana@",
            "ana@localhost",
            "ana@example.",
            "ana@.example.com",
            "ana@example..com",
            "ana@-example.com",
            "ana@example-.com",
            "ana@example.com-",
            "ana@exa_mple.com",
            "ana@münchen.de",
            "ana@[192.168.0.1]",
            "ana@example.com.",
            &format!("ana@{label_63}a.com"),
        ] {
            assert_eq!(err(raw), EmailError::DomainInvalid, "{raw:?}");
        }
    }

    #[test]
    fn total_length_is_at_most_254_characters() {
        // 64 + 1 + 189 = 254
        let domain = format!(
            "{}.{}.{}.com",
            "a".repeat(63),
            "b".repeat(63),
            "c".repeat(57)
        );
        let max = format!("{}@{domain}", "l".repeat(64));
        assert_eq!(max.len(), Email::MAX_CHARS);
        assert_eq!(ok(&max).as_str(), max);
        assert_eq!(err(&format!("{max}m")), EmailError::TooLong);
        // Padding is trimmed before the length is measured.
        assert_eq!(ok(&format!("  {max}  ")).as_str(), max);
    }

    #[test]
    fn display_from_str_try_from() {
        let email: Email = "Ana@Example.com".parse().unwrap();
        assert_eq!(email.to_string(), "ana@example.com");
        assert_eq!(
            Email::try_from(String::from("nope")),
            Err(EmailError::NotOneAt)
        );
    }

    #[test]
    fn serde_round_trip_as_normalised_string() {
        let email: Email = serde_json::from_str(r#"" Ana@Example.com ""#).unwrap();
        let json = serde_json::to_string(&email).unwrap();
        assert_eq!(json, r#""ana@example.com""#);
        assert_eq!(serde_json::from_str::<Email>(&json).unwrap(), email);
        assert!(serde_json::from_str::<Email>(r#""not-an-email""#).is_err());
    }

    #[test]
    fn error_messages_are_user_facing() {
        assert_eq!(
            EmailError::NotOneAt.to_string(),
            "must contain exactly one @"
        );
        assert_eq!(
            EmailError::DomainInvalid.to_string(),
            "must have a domain name after the @, such as example.com"
        );
    }
}
