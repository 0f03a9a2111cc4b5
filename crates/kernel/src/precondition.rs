//! `If-Match` (RFC 9110 §13.1.1): a write goes ahead only while the
//! resource is still the version the client read. Shared by every module.

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
    fn star_list_and_weak_tags() {
        assert!(IfMatch::parse(" * ").matches("\"a\""));
        let list = IfMatch::parse("\"a\", \"b\"");
        assert!(list.matches("\"b\""));
        assert!(!list.matches("\"c\""));
        assert!(!IfMatch::parse("W/\"a\"").matches("\"a\""));
        assert!(!IfMatch::parse("").matches("\"a\""));
    }
}
