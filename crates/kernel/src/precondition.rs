//! `If-Match` (RFC 9110 §13.1.1): a write goes ahead only while the
//! resource is still the version the client read. Shared by every module.

/// A strong entity tag (`"…"`, quotes included) of `text`, the fields a
/// client sees joined: FNV-1a, stable across processes and releases (unlike
/// std's hasher), so every replica tags a version alike.
pub fn entity_tag(text: &str) -> String {
    let hash = text.bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    format!("\"{hash:016x}\"")
}

/// 412 unless `if_match`, when sent, matches the current `etag` (computed
/// only when needed). Call it on the row locked in the write's transaction.
pub fn require(
    if_match: Option<&IfMatch>,
    etag: impl FnOnce() -> String,
) -> Result<(), crate::ApiError> {
    match if_match {
        Some(precondition) if !precondition.matches(&etag()) => {
            Err(crate::ApiError::PreconditionFailed)
        }
        _ => Ok(()),
    }
}

/// An `If-Match` header, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IfMatch {
    /// `*`: any current version.
    Any,
    /// One of these entity tags (quotes included, as sent).
    Tags(Vec<String>),
}

impl IfMatch {
    /// Parses a header value: `*` or a comma-separated list of entity tags.
    pub fn parse(raw: &str) -> Self {
        if raw.trim() == "*" {
            return Self::Any;
        }
        Self::Tags(
            raw.split(',')
                .map(str::trim)
                .filter(|t| !t.is_empty())
                .map(str::to_owned)
                .collect(),
        )
    }

    /// Whether the current `etag` satisfies the precondition (strong
    /// comparison: a weak `W/` tag never matches).
    pub fn matches(&self, etag: &str) -> bool {
        match self {
            Self::Any => true,
            Self::Tags(tags) => tags.iter().any(|t| t == etag),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entity_tags_are_strong_stable_and_distinct() {
        let tag = entity_tag("a|b");
        assert_eq!(tag, entity_tag("a|b"));
        assert_eq!(tag.len(), 18);
        assert_ne!(tag, entity_tag("a|c"));
        assert_eq!(entity_tag(""), "\"cbf29ce484222325\"");
    }

    #[test]
    fn require_passes_without_a_header_or_with_a_match() {
        let tag = || "\"a\"".to_owned();
        assert!(require(None, tag).is_ok());
        assert!(require(Some(&IfMatch::parse("\"a\"")), tag).is_ok());
        assert!(matches!(
            require(Some(&IfMatch::parse("\"b\"")), tag),
            Err(crate::ApiError::PreconditionFailed)
        ));
    }

    #[test]
    fn star_list_and_weak_tags() {
        assert!(IfMatch::parse(" * ").matches("\"a\""));
        let list = IfMatch::parse("\"a\", \"b\"");
        assert!(list.matches("\"b\""));
        assert!(!list.matches("\"c\""));
        assert!(!IfMatch::parse("W/\"a\"").matches("\"a\""));
        assert!(!IfMatch::parse("").matches("\"a\""));
    }
}
