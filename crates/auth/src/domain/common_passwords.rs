//! The list of common passwords a new password must not be.

use std::collections::HashSet;
use std::sync::LazyLock;

/// `data/common-passwords.txt`: 1,000 lowercase entries, most common first
/// (source and licence in `data/README.md`).
const LIST: &str = include_str!("../../data/common-passwords.txt");

static COMMON: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    LIST.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .collect()
});

/// Whether `lowercased` (already lowercased by the caller) is on the list.
pub(crate) fn contains(lowercased: &str) -> bool {
    COMMON.contains(lowercased)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_a_thousand_distinct_lowercase_entries() {
        let lines: Vec<&str> = LIST.lines().collect();
        assert_eq!(lines.len(), 1000);
        assert_eq!(COMMON.len(), 1000, "no duplicates or blank lines");
        for line in lines {
            assert_eq!(line, line.trim(), "{line:?}");
            assert_eq!(line, line.to_lowercase(), "{line:?}");
        }
    }

    #[test]
    fn is_ordered_most_common_first() {
        let first: Vec<&str> = LIST.lines().take(4).collect();
        assert_eq!(first, ["123456", "123456789", "qwerty", "password"]);
    }

    #[test]
    fn finds_entries() {
        assert!(contains("password"));
        assert!(contains("qwerty123456"));
        assert!(contains("1qaz2wsx3edc"));
        assert!(!contains("correct horse battery staple"));
        assert!(!contains("PASSWORD"), "the caller lowercases");
    }
}
