//! The migrations this service applies: the finances ones, chosen by folder
//! name from the project's one embedded set (no SQL is copied), plus the
//! first migration, which creates every module's (empty) schema namespace.

use kernel::infra::migrations;

/// The folder name (after its timestamp) of the migration creating the schemas.
const SCHEMAS: &str = "create_module_schemas";

/// Whether the migration folder `name` (`2026-11-25-001000_finances`) belongs to this service:
/// `…_finances`, `…_finances_<anything>`, or the schema-creating first migration.
pub fn is_finances(name: &str) -> bool {
    let Some((_, subject)) = name.split_once('_') else {
        return false;
    };
    subject == SCHEMAS || subject == "finances" || subject.starts_with("finances_")
}

/// Applies this service's pending migrations; returns the versions applied.
pub async fn run_pending(url: &str) -> anyhow::Result<Vec<String>> {
    migrations::run_pending_matching(url, is_finances).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_finances_migrations_are_selected() {
        assert!(is_finances("2026-11-25-000000_create_module_schemas"));
        assert!(is_finances("2026-11-25-001000_finances"));
        assert!(is_finances("2027-01-01-000000_finances_recurring"));
        assert!(!is_finances("2026-11-25-000100_users_profiles"));
        assert!(!is_finances("2026-11-25-004000_reminders_idempotency"));
        assert!(!is_finances("2026-11-25-001000_financesx"));
        assert!(!is_finances("finances"));
    }
}
