//! `my-agent seed`: a realistic data set for benchmarks and demos, loaded by
//! each module's set-based inserts (`infra::seed`), plus a file of ready
//! access tokens for a load generator. Development only.
//!
//! Seeded users are numbered: user `n` has the id [`seed_user_id`]`(n)`, the
//! email `seed-<id>@example.com` and the password [`SEED_PASSWORD`], so
//! benchmark scripts (pgbench) can pick a random seeded user from its number.

use crate::settings::Settings;
use anyhow::Context as _;
use auth::application::{AccessTokenCodec as _, PasswordHasher as _};
use auth::domain::{AccessClaims, Email, Password};
use auth::infra::{Argon2Hasher, HashParams, JwtCodec};
use chrono::{Duration, Utc};
use kernel::config::Environment;
use kernel::infra::migrations;
use kernel::{Scope, SystemClock, UserId};
use secrecy::ExposeSecret as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;
use uuid::Uuid;

/// The password of every seeded user (development data only).
pub const SEED_PASSWORD: &str = "seeded password, not a secret";

/// Lifetime of the access tokens written to the output file.
pub const TOKEN_TTL_HOURS: i64 = 24;

/// Users seeded per batch (each module's statements run once per batch).
const BATCH: usize = 500;

/// Time zones of the seeded users, by user number (cycling).
const TIMEZONES: [&str; 5] = [
    "Europe/Berlin",
    "America/New_York",
    "Europe/Lisbon",
    "Asia/Tokyo",
    "America/Sao_Paulo",
];

/// What to seed.
#[derive(Clone, Debug)]
pub struct SeedOptions {
    /// How many users.
    pub users: u64,
    /// Number of the first user (`seed_user_id`), to add users to a seeded database.
    pub first_user: u64,
    /// Transactions per user.
    pub transactions_per_user: i64,
    /// Reminders per user.
    pub reminders_per_user: i64,
    /// Calendar events per user.
    pub events_per_user: i64,
    /// Where to write `number<TAB>user id<TAB>email<TAB>access token` lines.
    pub out: Option<PathBuf>,
}

/// Rows inserted, by table.
#[derive(Debug, Default)]
struct Totals {
    users: usize,
    profiles: usize,
    categories: usize,
    transactions: usize,
    budgets: usize,
    reminders: usize,
    events: usize,
}

/// The id of seeded user number `n`: `00000000-0000-4000-8000-<n as 12 hex digits>`.
pub fn seed_user_id(n: u64) -> Uuid {
    Uuid::from_u128((0x4000_u128 << 64) | (0x8000_u128 << 48) | u128::from(n))
}

/// Seeds the database of `settings`; refuses in production.
pub async fn seed(settings: &Settings, options: &SeedOptions) -> anyhow::Result<()> {
    anyhow::ensure!(
        settings.environment == Environment::Development,
        "my-agent seed writes fake users and data: it runs in development only"
    );
    anyhow::ensure!(options.users > 0, "--users must be at least 1");
    anyhow::ensure!(
        options.transactions_per_user >= 0
            && options.reminders_per_user >= 0
            && options.events_per_user >= 0,
        "per-user counts must not be negative"
    );
    let started = Instant::now();
    let numbers: Vec<u64> = (options.first_user..options.first_user + options.users).collect();
    let ids: Vec<Uuid> = numbers.iter().map(|&n| seed_user_id(n)).collect();
    if let Some(path) = &options.out {
        write_tokens(settings, path, &numbers, &ids)?;
        tracing::info!(path = %path.display(), "access tokens written");
    }
    let hash = password_hash(settings).await?;
    let timezones: Vec<String> = TIMEZONES.iter().map(|&z| z.to_owned()).collect();
    let mut conn = migrations::connect(settings.database.url.expose_secret()).await?;
    let mut t = Totals::default();
    for (i, batch) in ids.chunks(BATCH).enumerate() {
        // Rotate the zones so user n always gets TIMEZONES[n % 5], whatever the batch.
        let first = options.first_user + (i * BATCH) as u64;
        let mut zones = timezones.clone();
        zones.rotate_left((first % TIMEZONES.len() as u64) as usize);
        t.users += auth::infra::seed::seed_credentials(&mut conn, batch, &hash).await?;
        t.profiles += users::infra::seed::seed_profiles(&mut conn, batch, &zones).await?;
        let f =
            finances::infra::seed::seed_finances(&mut conn, batch, options.transactions_per_user)
                .await?;
        t.categories += f.categories;
        t.transactions += f.transactions;
        t.budgets += f.budgets;
        t.reminders +=
            reminders::infra::seed::seed_reminders(&mut conn, batch, options.reminders_per_user)
                .await?;
        t.events +=
            calendar::infra::seed::seed_events(&mut conn, batch, &zones, options.events_per_user)
                .await?;
        tracing::info!(
            users = t.users,
            transactions = t.transactions,
            elapsed_s = started.elapsed().as_secs_f64(),
            "seeding"
        );
    }
    tracing::info!(
        users = t.users,
        profiles = t.profiles,
        categories = t.categories,
        transactions = t.transactions,
        budgets = t.budgets,
        reminders = t.reminders,
        events = t.events,
        elapsed_s = started.elapsed().as_secs_f64(),
        "seeded; refresh the planner's statistics with ANALYZE"
    );
    Ok(())
}

/// One Argon2id hash of [`SEED_PASSWORD`] at the configured cost, shared by every seeded user.
async fn password_hash(settings: &Settings) -> anyhow::Result<String> {
    let a = &settings.auth;
    let hasher = Argon2Hasher::new(
        HashParams {
            memory_kib: a.argon2_memory_kib,
            iterations: a.argon2_iterations,
            parallelism: a.argon2_parallelism,
        },
        1,
    )?;
    let email = Email::parse("seed@example.com").map_err(|e| anyhow::anyhow!("{e}"))?;
    let password = Password::new(SEED_PASSWORD, &email).map_err(|e| anyhow::anyhow!("{e}"))?;
    hasher
        .hash(&password)
        .await
        .map_err(|e| anyhow::anyhow!("hashing the seed password: {e:?}"))
}

/// Mints a read-write access token per user with the configured keys.
fn write_tokens(
    settings: &Settings,
    path: &PathBuf,
    numbers: &[u64],
    ids: &[Uuid],
) -> anyhow::Result<()> {
    let codec = JwtCodec::new(&settings.jwt_keys()?, Arc::new(SystemClock))?;
    let now = Utc::now();
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    for (&n, &id) in numbers.iter().zip(ids) {
        let token = codec
            .issue(&AccessClaims {
                user_id: UserId::from_uuid(id),
                session_id: Uuid::now_v7(),
                scope: Scope::ReadWrite,
                token_id: Uuid::now_v7(),
                issued_at: now,
                expires_at: now + Duration::hours(TOKEN_TTL_HOURS),
            })
            .map_err(|e| anyhow::anyhow!("minting a token: {e:?}"))?;
        writeln!(
            out,
            "{n}\t{id}\t{}\t{token}",
            auth::infra::seed::seed_email(id)
        )?;
    }
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeded_user_ids_encode_their_number() {
        assert_eq!(
            seed_user_id(1).to_string(),
            "00000000-0000-4000-8000-000000000001"
        );
        assert_eq!(
            seed_user_id(0xabc).to_string(),
            "00000000-0000-4000-8000-000000000abc"
        );
    }
}
