//! The free-text fields of a reminder.

use std::fmt;

/// A reminder's title: trimmed, 1–200 characters (Unicode scalar values), no
/// control characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Title(String);

/// Why a string is not a [`Title`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TitleError {
    /// Empty or only whitespace.
    #[error("must not be empty")]
    Empty,
    /// Longer than [`Title::MAX_CHARS`] once trimmed.
    #[error("must be at most 200 characters")]
    TooLong,
    /// Contains a control character.
    #[error("must not contain control characters")]
    ControlCharacter,
}

impl Title {
    /// Longest accepted title, in characters.
    pub const MAX_CHARS: usize = 200;

    /// Trims surrounding whitespace, then checks length and characters.
    pub fn parse(raw: &str) -> Result<Self, TitleError> {
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            return Err(TitleError::Empty);
        }
        if trimmed.chars().count() > Self::MAX_CHARS {
            return Err(TitleError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(TitleError::ControlCharacter);
        }
        Ok(Self(trimmed.to_owned()))
    }

    /// The title.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Title {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Notes on a reminder: at most 5,000 characters, kept as written (line
/// breaks and tabs allowed; other control characters are not). Empty notes
/// are no notes: [`Notes::parse`] answers `None` for them.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Notes(String);

/// Why a string is not [`Notes`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NotesError {
    /// Longer than [`Notes::MAX_CHARS`].
    #[error("must be at most 5000 characters")]
    TooLong,
    /// Contains a control character other than a line break or a tab.
    #[error("must not contain control characters other than line breaks and tabs")]
    ControlCharacter,
}

impl Notes {
    /// Longest accepted notes, in characters.
    pub const MAX_CHARS: usize = 5000;

    /// Checks length and characters; whitespace-only notes are `None`.
    pub fn parse(raw: &str) -> Result<Option<Self>, NotesError> {
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(NotesError::TooLong);
        }
        if raw
            .chars()
            .any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
        {
            return Err(NotesError::ControlCharacter);
        }
        if raw.trim().is_empty() {
            return Ok(None);
        }
        Ok(Some(Self(raw.to_owned())))
    }

    /// The notes.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_are_trimmed_and_bounded() {
        assert_eq!(Title::parse("  Pay rent ").unwrap().as_str(), "Pay rent");
        assert_eq!(Title::parse("   "), Err(TitleError::Empty));
        assert_eq!(Title::parse(""), Err(TitleError::Empty));
        assert!(
            Title::parse(&"é".repeat(200)).is_ok(),
            "characters, not bytes"
        );
        assert_eq!(Title::parse(&"a".repeat(201)), Err(TitleError::TooLong));
        assert_eq!(Title::parse("a\nb"), Err(TitleError::ControlCharacter));
    }

    #[test]
    fn notes_keep_line_breaks_and_are_bounded() {
        let notes = Notes::parse("line 1\n\tline 2").unwrap().unwrap();
        assert_eq!(notes.as_str(), "line 1\n\tline 2");
        assert_eq!(Notes::parse("").unwrap(), None);
        assert_eq!(Notes::parse(" \n ").unwrap(), None);
        assert!(Notes::parse(&"x".repeat(5000)).is_ok());
        assert_eq!(Notes::parse(&"x".repeat(5001)), Err(NotesError::TooLong));
        assert_eq!(Notes::parse("bell\u{7}"), Err(NotesError::ControlCharacter));
    }
}
