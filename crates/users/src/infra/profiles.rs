//! `users.profiles`.

use super::schema::profiles::dsl as p;
use crate::application::ProfileRepo;
use crate::domain::{Currency, DisplayName, Locale, Profile, Timezone, WeekStart};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use kernel::infra::{Db, DbPool, tx_conn};
use kernel::{RepoError, Tx, UserId};
use uuid::Uuid;

/// Profiles in PostgreSQL.
#[derive(Clone)]
pub struct PgProfiles {
    pool: DbPool,
}

impl PgProfiles {
    /// Over `pool`.
    pub fn new(pool: DbPool) -> Self {
        Self { pool }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = super::schema::profiles)]
struct Row {
    user_id: Uuid,
    display_name: Option<String>,
    timezone: String,
    currency: String,
    locale: String,
    week_start: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

fn corrupt(field: &str, e: impl std::fmt::Display) -> RepoError {
    RepoError::Other(anyhow::anyhow!("stored profile {field} is invalid: {e}"))
}

impl TryFrom<Row> for Profile {
    type Error = RepoError;
    fn try_from(r: Row) -> Result<Self, RepoError> {
        Ok(Self {
            user_id: UserId::from_uuid(r.user_id),
            display_name: DisplayName::parse(r.display_name.as_deref().unwrap_or("-"))
                .map_err(|e| corrupt("display_name", e))?,
            timezone: Timezone::parse(&r.timezone).map_err(|e| corrupt("timezone", e))?,
            currency: Currency::parse(&r.currency).map_err(|e| corrupt("currency", e))?,
            locale: Locale::parse(&r.locale).map_err(|e| corrupt("locale", e))?,
            week_start: WeekStart::parse(&r.week_start).map_err(|e| corrupt("week_start", e))?,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

#[async_trait::async_trait]
impl ProfileRepo for PgProfiles {
    async fn insert(&self, tx: &mut Tx<'_>, profile: &Profile) -> Result<(), RepoError> {
        diesel::insert_into(p::profiles)
            .values((
                p::id.eq(kernel::ids::new_id()),
                p::user_id.eq(profile.user_id.as_uuid()),
                p::display_name.eq(profile.display_name.as_str()),
                p::timezone.eq(profile.timezone.as_str()),
                p::currency.eq(profile.currency.as_str()),
                p::locale.eq(profile.locale.as_str()),
                p::week_start.eq(profile.week_start.to_string()),
                p::created_at.eq(profile.created_at),
                p::updated_at.eq(profile.updated_at),
            ))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(())
    }

    async fn find(&self, user_id: UserId) -> Result<Option<Profile>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        p::profiles
            .filter(p::user_id.eq(user_id.as_uuid()))
            .select(Row::as_select())
            .first::<Row>(&mut *db.conn().await?)
            .await
            .optional()?
            .map(Profile::try_from)
            .transpose()
    }

    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
    ) -> Result<Option<Profile>, RepoError> {
        p::profiles
            .filter(p::user_id.eq(user_id.as_uuid()))
            .select(Row::as_select())
            .for_update()
            .first::<Row>(tx_conn(tx)?)
            .await
            .optional()?
            .map(Profile::try_from)
            .transpose()
    }

    async fn update(&self, tx: &mut Tx<'_>, profile: &Profile) -> Result<bool, RepoError> {
        let updated = diesel::update(p::profiles.filter(p::user_id.eq(profile.user_id.as_uuid())))
            .set((
                p::display_name.eq(profile.display_name.as_str()),
                p::timezone.eq(profile.timezone.as_str()),
                p::currency.eq(profile.currency.as_str()),
                p::locale.eq(profile.locale.as_str()),
                p::week_start.eq(profile.week_start.to_string()),
                p::updated_at.eq(profile.updated_at),
            ))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(updated == 1)
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let deleted = diesel::delete(p::profiles.filter(p::user_id.eq(user_id.as_uuid())))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(deleted as u64)
    }
}
