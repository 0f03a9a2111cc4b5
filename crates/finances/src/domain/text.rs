//! The short texts of the module: category names, descriptions, external ids.

use std::fmt;

/// Longest category name, in characters.
pub const MAX_CATEGORY_NAME: usize = 100;
/// Longest description, in characters.
pub const MAX_DESCRIPTION: usize = 1_000;
/// Longest external id, in characters.
pub const MAX_EXTERNAL_ID: usize = 200;
/// Longest search text, in characters.
pub const MAX_SEARCH: usize = 200;

/// Why a text was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TextError {
    /// Blank after trimming.
    #[error("must not be blank")]
    Blank,
    /// Longer than allowed.
    #[error("must be at most {0} characters")]
    TooLong(usize),
    /// Holds a control character (or NUL, which PostgreSQL cannot store).
    #[error("must not contain control characters")]
    Control,
    /// Holds U+FFFD, what bytes that were not UTF-8 (say, in a URL path) decode to.
    #[error("must be valid UTF-8 (holds U+FFFD, the replacement character)")]
    NotUtf8,
}

fn single_line(raw: &str, max: usize) -> Result<String, TextError> {
    let text = raw.trim();
    if text.is_empty() {
        return Err(TextError::Blank);
    }
    if text.chars().count() > max {
        return Err(TextError::TooLong(max));
    }
    if text.chars().any(char::is_control) {
        return Err(TextError::Control);
    }
    Ok(text.to_owned())
}

/// A category's name: trimmed, 1–100 characters, one line. Unique per user
/// regardless of case: see [`CategoryName::key`].
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CategoryName(String);

impl CategoryName {
    /// Parses a name.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        if raw.contains(char::REPLACEMENT_CHARACTER) {
            return Err(TextError::NotUtf8);
        }
        single_line(raw, MAX_CATEGORY_NAME).map(Self)
    }

    /// The name as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The case-insensitive identity of the name (Unicode lowercase): two
    /// names with the same key are the same category.
    pub fn key(&self) -> String {
        self.0.to_lowercase()
    }
}

impl fmt::Display for CategoryName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A transaction's free text: at most 1,000 characters; line breaks and tabs
/// allowed, other control characters not. Kept as written (not trimmed).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description(String);

impl Description {
    /// Parses a description; a blank one means "none".
    pub fn parse(raw: &str) -> Result<Option<Self>, TextError> {
        if raw.trim().is_empty() {
            return Ok(None);
        }
        if raw.chars().count() > MAX_DESCRIPTION {
            return Err(TextError::TooLong(MAX_DESCRIPTION));
        }
        if raw
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(TextError::Control);
        }
        Ok(Some(Self(raw.to_owned())))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The bank's (or another system's) id of a transaction: trimmed, 1–200
/// characters, one line; unique per user.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExternalId(String);

impl ExternalId {
    /// Parses an external id.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        single_line(raw, MAX_EXTERNAL_ID).map(Self)
    }

    /// The id.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ExternalId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Text to look for in descriptions (case-insensitive, anywhere in the text).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchText(String);

impl SearchText {
    /// Parses a search text: trimmed, 1–200 characters, one line.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        single_line(raw, MAX_SEARCH).map(Self)
    }

    /// The text as sent.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A `LIKE` pattern matching the text anywhere, with `%`, `_` and `\` escaped.
    pub fn like_pattern(&self) -> String {
        let mut pattern = String::with_capacity(self.0.len() + 2);
        pattern.push('%');
        for c in self.0.chars() {
            if matches!(c, '%' | '_' | '\\') {
                pattern.push('\\');
            }
            pattern.push(c);
        }
        pattern.push('%');
        pattern
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn category_names_are_trimmed_and_keyed_without_case() {
        let a = CategoryName::parse("  Café ").unwrap();
        assert_eq!(a.as_str(), "Café");
        assert_eq!(a.key(), CategoryName::parse("CAFÉ").unwrap().key());
        assert_eq!(CategoryName::parse("   "), Err(TextError::Blank));
        assert_eq!(CategoryName::parse("a\nb"), Err(TextError::Control));
        assert_eq!(
            CategoryName::parse(&"x".repeat(101)),
            Err(TextError::TooLong(100))
        );
        assert!(CategoryName::parse(&"é".repeat(100)).is_ok());
    }

    #[test]
    fn descriptions_keep_lines_and_refuse_nul() {
        assert_eq!(Description::parse("  "), Ok(None));
        assert_eq!(
            Description::parse("a\nb\tc").unwrap().unwrap().as_str(),
            "a\nb\tc"
        );
        assert_eq!(Description::parse("a\0b"), Err(TextError::Control));
        assert!(Description::parse(&"ã".repeat(1000)).unwrap().is_some());
        assert_eq!(
            Description::parse(&"a".repeat(1001)),
            Err(TextError::TooLong(1000))
        );
    }

    #[test]
    fn external_ids_are_single_lines() {
        assert_eq!(ExternalId::parse(" bank-1 ").unwrap().as_str(), "bank-1");
        assert_eq!(ExternalId::parse(""), Err(TextError::Blank));
        assert_eq!(ExternalId::parse("a\u{7}"), Err(TextError::Control));
    }

    #[test]
    fn search_patterns_escape_wildcards() {
        assert_eq!(
            SearchText::parse("50%_off\\").unwrap().like_pattern(),
            "%50\\%\\_off\\\\%"
        );
    }
}
