//! The composition root: concrete adapters for every module's ports, and the
//! few bridges between modules (each a call to the other module's use case).

use crate::account::Lifecycle;
use crate::settings::Settings;
use auth::application::{
    AccountDirectory, AuthDeps, AuthLimits, AuthPolicy, AuthService, CredentialRepo,
    NewAccountHook, ProfileDraft,
};
use auth::infra::{Argon2Hasher, HashParams, JwtCodec, JwtKeys, PgCredentials, PgPats, PgSessions};
use calendar::application::CalendarService;
use calendar::infra::{PgEvents, PgFeedTokens};
use chrono::{DateTime, Duration, Utc};
use dashboard::application::DashboardService;
use dashboard::sources::{
    CalendarFromModule, FinancesFromModule, RemindersFromModule, TimezoneFromUsers,
};
use finances::application::{FinancesDeps, FinancesService};
use finances::infra::{PgBudgets, PgCategories, PgIdempotencyStore, PgTransactions};
use kernel::auth::TokenVerifier;
use kernel::infra::{DbPool, InProcessRateLimiter, PgTransactor, ReadPool};
use kernel::token_cache::CachedTokenVerifier;
use kernel::user_data::UserDataOwner;
use kernel::{ApiError, Clock, FieldError, Transactor, Tx, UserId};
use reminders::application::RemindersService;
use reminders::infra::PgReminders;
use std::sync::Arc;
use users::application::{AccountEmails, AccountLifecycle, NewProfile, UsersService};
use users::infra::PgProfiles;

/// Most access tokens the verifier's cache holds (about 130 bytes each: under 3 MiB full).
pub const TOKEN_CACHE_CAPACITY: usize = 20_000;

/// How long the dashboard waits for one module's part before showing it unavailable.
pub const DASHBOARD_PART_DEADLINE: std::time::Duration = std::time::Duration::from_secs(2);

/// Every module's façade, built once per process.
#[derive(Clone)]
pub struct Modules {
    /// Accounts, sessions, tokens; also the bearer-token verifier.
    pub auth: Arc<AuthService>,
    /// The bearer-token verifier: `auth`, behind a short cache of verified access tokens.
    pub verifier: Arc<dyn TokenVerifier>,
    /// Profiles and preferences.
    pub users: Arc<UsersService>,
    /// Account deletion and export across every module.
    pub lifecycle: Arc<dyn AccountLifecycle>,
    /// Reminders and their recurrence.
    pub reminders: Arc<RemindersService>,
    /// Calendar events, recurrence, ICS feed and import.
    pub calendar: Arc<CalendarService>,
    /// Transactions, categories, budgets, summaries, CSV import/export.
    pub finances: Arc<FinancesService>,
    /// The home screen, composed from the modules above.
    pub dashboard: Arc<DashboardService>,
}

/// What the modules are built from besides the pool.
#[derive(Clone)]
pub struct WiringOptions {
    /// "Now" for every use case.
    pub clock: Arc<dyn Clock>,
    /// Access-token keys.
    pub keys: JwtKeys,
    /// Token lifetimes.
    pub policy: AuthPolicy,
    /// Argon2id cost.
    pub hash: HashParams,
    /// Concurrent hashes.
    pub hash_concurrency: usize,
    /// Login/registration attempts per minute per address and per email.
    pub rate_limit_per_minute: u32,
}

impl WiringOptions {
    /// From the binary's settings, with the system clock.
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Self> {
        let a = &settings.auth;
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        Ok(Self {
            clock: Arc::new(kernel::SystemClock),
            keys: settings.jwt_keys()?,
            policy: AuthPolicy {
                access_ttl: Duration::seconds(a.access_ttl_secs),
                refresh_ttl: Duration::days(a.refresh_ttl_days),
            },
            hash: HashParams {
                memory_kib: a.argon2_memory_kib,
                iterations: a.argon2_iterations,
                parallelism: a.argon2_parallelism,
            },
            hash_concurrency: if a.hash_concurrency == 0 {
                cores.saturating_sub(1).max(1)
            } else {
                a.hash_concurrency
            },
            rate_limit_per_minute: a.rate_limit_per_minute,
        })
    }
}

/// Builds every module over `pool` (reads included).
pub fn build_modules(pool: &DbPool, options: WiringOptions) -> anyhow::Result<Modules> {
    build_modules_with_reader(pool, &ReadPool::primary_only(pool.clone()), options)
}

/// Builds every module over `pool`, with the list, summary, range, export
/// and dashboard reads going through `reader` (docs/READ_REPLICAS.md).
pub fn build_modules_with_reader(
    pool: &DbPool,
    reader: &ReadPool,
    options: WiringOptions,
) -> anyhow::Result<Modules> {
    let clock = options.clock;
    let transactor: Arc<dyn Transactor> = Arc::new(PgTransactor::new(pool.clone()));
    let credentials: Arc<dyn CredentialRepo> = Arc::new(PgCredentials::new(pool.clone()));

    let users = Arc::new(UsersService::new(
        Arc::new(PgProfiles::new(pool.clone())),
        Arc::new(EmailsFromAuth(AccountDirectory::new(credentials.clone()))),
        transactor.clone(),
        clock.clone(),
    ));
    let auth = Arc::new(
        AuthService::new(AuthDeps {
            credentials,
            sessions: Arc::new(PgSessions::new(pool.clone())),
            pats: Arc::new(PgPats::new(pool.clone())),
            hasher: Arc::new(Argon2Hasher::new(options.hash, options.hash_concurrency)?),
            codec: Arc::new(JwtCodec::new(&options.keys, clock.clone())?),
            transactor: transactor.clone(),
            hook: Arc::new(ProfileOnRegistration(users.clone())),
            limits: AuthLimits {
                per_ip: Arc::new(InProcessRateLimiter::per_minute(
                    options.rate_limit_per_minute,
                )),
                per_email: Arc::new(InProcessRateLimiter::per_minute(
                    options.rate_limit_per_minute,
                )),
            },
            clock: clock.clone(),
            policy: options.policy,
        })
        .with_profile_claims(Arc::new(ClaimsFromUsers(users.clone()))),
    );
    let verifier: Arc<dyn TokenVerifier> = Arc::new(CachedTokenVerifier::new(
        auth.clone(),
        clock.clone(),
        TOKEN_CACHE_CAPACITY,
    ));
    let reminders = Arc::new(RemindersService::new(
        Arc::new(PgReminders::new(pool.clone()).reading_from(reader.clone())),
        Arc::new(reminders::infra::PgIdempotencyStore::new()),
        Arc::new(UserZones(users.clone())),
        transactor.clone(),
        clock.clone(),
    ));
    let calendar = Arc::new(CalendarService::new(
        Arc::new(PgEvents::new(pool.clone()).reading_from(reader.clone())),
        Arc::new(PgFeedTokens::new(pool.clone())),
        Arc::new(calendar::infra::PgIdempotencyStore::new()),
        transactor.clone(),
        Arc::new(UserZones(users.clone())),
        clock.clone(),
    ));
    let finances = Arc::new(FinancesService::new(FinancesDeps {
        transactions: Arc::new(PgTransactions::new(pool.clone()).reading_from(reader.clone())),
        categories: Arc::new(PgCategories::new(pool.clone()).reading_from(reader.clone())),
        budgets: Arc::new(PgBudgets::new(pool.clone()).reading_from(reader.clone())),
        idempotency: Arc::new(PgIdempotencyStore::new()),
        transactor: transactor.clone(),
        timezones: Arc::new(UserZones(users.clone())),
        clock: clock.clone(),
    }));
    // Every module that keeps user data, for account deletion and export.
    let owners: Vec<Arc<dyn UserDataOwner>> = vec![
        auth.clone(),
        users.clone(),
        reminders.clone(),
        calendar.clone(),
        finances.clone(),
    ];
    let lifecycle = Arc::new(Lifecycle::new(
        auth.clone(),
        users.clone(),
        transactor,
        owners,
        clock.clone(),
    ));
    let dashboard = Arc::new(DashboardService::new(
        Arc::new(TimezoneFromUsers(users.clone())),
        Arc::new(FinancesFromModule(finances.clone())),
        Arc::new(RemindersFromModule(reminders.clone())),
        Arc::new(CalendarFromModule(calendar.clone())),
        clock,
        DASHBOARD_PART_DEADLINE,
    ));
    Ok(Modules {
        auth,
        verifier,
        users,
        lifecycle,
        reminders,
        calendar,
        finances,
        dashboard,
    })
}

/// Every module's "user's time zone" port, answered by the users module's use case.
struct UserZones(Arc<UsersService>);

macro_rules! user_zones_answer {
    ($($port:path),+ $(,)?) => {$(
        #[async_trait::async_trait]
        impl $port for UserZones {
            async fn timezone(&self, user_id: UserId) -> Result<chrono_tz::Tz, ApiError> {
                Ok(self.0.timezone(user_id).await?.tz())
            }
        }
    )+};
}

user_zones_answer!(
    finances::application::UserTimezones,
    reminders::application::UserTimezones,
    calendar::application::UserTimezones,
);

/// auth → users: the time zone access tokens carry (`tz`) for extracted services.
struct ClaimsFromUsers(Arc<UsersService>);

#[async_trait::async_trait]
impl auth::application::ProfileClaims for ClaimsFromUsers {
    async fn timezone(&self, user_id: UserId) -> Result<Option<String>, ApiError> {
        match self.0.timezone(user_id).await {
            Ok(zone) => Ok(Some(zone.as_str().to_owned())),
            Err(ApiError::NotFound) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

/// users → auth: the login email of an account.
struct EmailsFromAuth(AccountDirectory);

#[async_trait::async_trait]
impl AccountEmails for EmailsFromAuth {
    async fn email_of(&self, user_id: UserId) -> Result<String, ApiError> {
        self.0.email_of(user_id).await
    }
}

/// auth → users: a registration creates the profile in the same transaction.
struct ProfileOnRegistration(Arc<UsersService>);

fn new_profile(draft: &ProfileDraft) -> NewProfile {
    NewProfile {
        // auth fills the name from the email when the client sends none; this
        // fallback only serves the pre-check of a registration already failing on its email.
        display_name: draft
            .display_name
            .clone()
            .unwrap_or_else(|| "me".to_owned()),
        timezone: draft.timezone.clone(),
        currency: draft.currency.clone(),
    }
}

#[async_trait::async_trait]
impl NewAccountHook for ProfileOnRegistration {
    fn check(&self, draft: &ProfileDraft) -> Vec<FieldError> {
        self.0.check_new(&new_profile(draft))
    }

    async fn created(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        draft: &ProfileDraft,
        now: DateTime<Utc>,
    ) -> Result<(), ApiError> {
        self.0
            .create(tx, user_id, &new_profile(draft), now)
            .await
            .map(|_| ())
    }
}
