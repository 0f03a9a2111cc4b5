//! `finances.categories`.

use super::corrupt;
use super::schema::categories::dsl as c;
use crate::application::{CategoryKey, CategoryRepo};
use crate::domain::{Category, CategoryName};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel_async::RunQueryDsl;
use kernel::infra::{Db, DbPool, ReadPool, tx_conn};
use kernel::pagination::PageRequest;
use kernel::{RepoError, Tx, UserId};
use uuid::Uuid;

/// Categories in PostgreSQL.
#[derive(Clone)]
pub struct PgCategories {
    pool: DbPool,
    reader: ReadPool,
}

impl PgCategories {
    /// Over `pool`.
    pub fn new(pool: DbPool) -> Self {
        Self {
            reader: ReadPool::primary_only(pool.clone()),
            pool,
        }
    }

    /// Serves its list, summary, range and export reads from `reader` (a
    /// replica when one is configured); everything else stays on `pool`.
    #[must_use]
    pub fn reading_from(mut self, reader: ReadPool) -> Self {
        self.reader = reader;
        self
    }
}

type Columns = (c::id, c::user_id, c::name, c::created_at, c::updated_at);
const COLUMNS: Columns = (c::id, c::user_id, c::name, c::created_at, c::updated_at);

#[derive(Queryable)]
struct Row {
    id: Uuid,
    user_id: Uuid,
    name: String,
    created_at: DateTime<Utc>,
    updated_at: DateTime<Utc>,
}

impl TryFrom<Row> for Category {
    type Error = RepoError;
    fn try_from(r: Row) -> Result<Self, RepoError> {
        Ok(Self {
            id: r.id,
            user_id: UserId::from_uuid(r.user_id),
            name: CategoryName::parse(&r.name).map_err(|e| corrupt("category name", e))?,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

fn rows(rows: Vec<Row>) -> Result<Vec<Category>, RepoError> {
    rows.into_iter().map(Category::try_from).collect()
}

#[async_trait::async_trait]
impl CategoryRepo for PgCategories {
    async fn insert(&self, tx: &mut Tx<'_>, cat: &Category) -> Result<(), RepoError> {
        diesel::insert_into(c::categories)
            .values((
                c::id.eq(cat.id),
                c::user_id.eq(cat.user_id.as_uuid()),
                c::name.eq(cat.name.as_str()),
                c::name_key.eq(cat.name.key()),
                c::created_at.eq(cat.created_at),
                c::updated_at.eq(cat.updated_at),
            ))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(())
    }

    async fn ensure(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        names: &[CategoryName],
        now: DateTime<Utc>,
    ) -> Result<(Vec<Category>, Vec<Category>), RepoError> {
        let conn = tx_conn(tx)?;
        let mut wanted: Vec<(String, &CategoryName)> = names.iter().map(|n| (n.key(), n)).collect();
        // One order for every writer, so concurrent imports cannot deadlock.
        wanted.sort_by(|a, b| a.0.cmp(&b.0));
        wanted.dedup_by(|a, b| a.0 == b.0);
        let values: Vec<_> = wanted
            .iter()
            .map(|(key, name)| {
                (
                    c::id.eq(kernel::ids::new_id()),
                    c::user_id.eq(user_id.as_uuid()),
                    c::name.eq(name.as_str()),
                    c::name_key.eq(key.as_str()),
                    c::created_at.eq(now),
                    c::updated_at.eq(now),
                )
            })
            .collect();
        // Waits for a concurrent insert of the same name, then skips it.
        let created: Vec<Row> = diesel::insert_into(c::categories)
            .values(values)
            .on_conflict((c::user_id, c::name_key))
            .do_nothing()
            .returning(COLUMNS)
            .get_results(&mut *conn)
            .await?;
        let keys: Vec<&str> = wanted.iter().map(|(k, _)| k.as_str()).collect();
        let found: Vec<Row> = c::categories
            .filter(c::user_id.eq(user_id.as_uuid()))
            .filter(c::name_key.eq_any(keys))
            .select(COLUMNS)
            .load(&mut *conn)
            .await?;
        let found = rows(found)?;
        let mut ordered = Vec::with_capacity(names.len());
        for name in names {
            let key = name.key();
            match found.iter().find(|c| c.name.key() == key) {
                Some(cat) => ordered.push(cat.clone()),
                None => {
                    return Err(RepoError::Other(anyhow::anyhow!(
                        "category {key:?} neither created nor found"
                    )));
                }
            }
        }
        Ok((ordered, rows(created)?))
    }

    async fn find(&self, user_id: UserId, id: Uuid) -> Result<Option<Category>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        c::categories
            .filter(c::user_id.eq(user_id.as_uuid()).and(c::id.eq(id)))
            .select(COLUMNS)
            .first::<Row>(&mut *db.conn().await?)
            .await
            .optional()?
            .map(Category::try_from)
            .transpose()
    }

    async fn find_by_name(
        &self,
        user_id: UserId,
        name: &CategoryName,
    ) -> Result<Option<Category>, RepoError> {
        let mut db = Db::Pool(&self.pool);
        c::categories
            .filter(
                c::user_id
                    .eq(user_id.as_uuid())
                    .and(c::name_key.eq(name.key())),
            )
            .select(COLUMNS)
            .first::<Row>(&mut *db.conn().await?)
            .await
            .optional()?
            .map(Category::try_from)
            .transpose()
    }

    async fn list(
        &self,
        user_id: UserId,
        page: &PageRequest<CategoryKey>,
    ) -> Result<Vec<Category>, RepoError> {
        let mut conn = self.reader.conn().await?;
        let mut q = c::categories
            .filter(c::user_id.eq(user_id.as_uuid()))
            .select(COLUMNS)
            .order((c::name_key.asc(), c::id.asc()))
            .limit(page.fetch_limit())
            .into_boxed();
        if let Some((key, id)) = &page.after {
            q = q.filter(
                c::name_key
                    .gt(key.clone())
                    .or(c::name_key.eq(key.clone()).and(c::id.gt(*id))),
            );
        }
        rows(q.load::<Row>(&mut *conn).await?)
    }

    async fn rename(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
        name: &CategoryName,
        now: DateTime<Utc>,
    ) -> Result<Option<Category>, RepoError> {
        diesel::update(c::categories.filter(c::user_id.eq(user_id.as_uuid()).and(c::id.eq(id))))
            .set((
                c::name.eq(name.as_str()),
                c::name_key.eq(name.key()),
                c::updated_at.eq(now),
            ))
            .returning(COLUMNS)
            .get_result::<Row>(tx_conn(tx)?)
            .await
            .optional()?
            .map(Category::try_from)
            .transpose()
    }

    async fn lock(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<Category>, RepoError> {
        c::categories
            .filter(c::user_id.eq(user_id.as_uuid()).and(c::id.eq(id)))
            .select(COLUMNS)
            .for_update()
            .first::<Row>(tx_conn(tx)?)
            .await
            .optional()?
            .map(Category::try_from)
            .transpose()
    }

    async fn delete(&self, tx: &mut Tx<'_>, user_id: UserId, id: Uuid) -> Result<bool, RepoError> {
        let deleted = diesel::delete(
            c::categories.filter(c::user_id.eq(user_id.as_uuid()).and(c::id.eq(id))),
        )
        .execute(tx_conn(tx)?)
        .await?;
        Ok(deleted == 1)
    }

    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError> {
        let deleted = diesel::delete(c::categories.filter(c::user_id.eq(user_id.as_uuid())))
            .execute(tx_conn(tx)?)
            .await?;
        Ok(deleted as u64)
    }
}
