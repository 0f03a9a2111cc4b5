//! What the `finances` use cases need from the outside world. Every method
//! takes the owner's [`UserId`]; implementations filter every statement by it.

use crate::domain::{
    Budget, Category, CategoryName, DateRange, Kind, Money, Month, Total, Transaction,
};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::pagination::PageRequest;
use kernel::{ApiError, RepoError, Tx, UserId};
use uuid::Uuid;

/// Name of the unique constraint on `(user_id, external_id)`.
pub const UQ_EXTERNAL_ID: &str = "uq_transactions_user_id_external_id";
/// Name of the unique constraint on `(user_id, name_key)` of categories.
pub const UQ_CATEGORY_NAME: &str = "uq_categories_user_id_name_key";

/// The sort key of the transaction list: `(occurred_on, id)`, both descending.
pub type TransactionKey = (NaiveDate, Uuid);
/// The sort key of the category list: `(lowercase name, id)`, ascending.
pub type CategoryKey = (String, Uuid);

/// The list's filters, resolved (the category by id).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// First day, included.
    pub from: Option<NaiveDate>,
    /// Last day, included.
    pub to: Option<NaiveDate>,
    /// Only this kind.
    pub kind: Option<Kind>,
    /// Only this category.
    pub category_id: Option<Uuid>,
    /// A `LIKE` pattern (escaped with `\`) the description must match, case-insensitively.
    pub description_like: Option<String>,
    /// Smallest amount, included.
    pub min_amount: Option<Money>,
    /// Largest amount, included.
    pub max_amount: Option<Money>,
}

/// The sum of one kind of transactions in one category (or none) over a period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KindSum {
    /// The category's name; `None` for uncategorised transactions.
    pub category: Option<String>,
    /// Income or expense.
    pub kind: Kind,
    /// The exact sum.
    pub total: Total,
}

/// `finances.transactions`.
#[async_trait::async_trait]
pub trait TransactionRepo: Send + Sync {
    /// Stores a new transaction (a duplicate external id is a conflict on [`UQ_EXTERNAL_ID`]).
    async fn insert(&self, tx: &mut Tx<'_>, t: &Transaction) -> Result<(), RepoError>;
    /// Stores many; rows whose external id the user already has are skipped.
    /// Returns the external ids that were skipped.
    async fn insert_many(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        rows: &[Transaction],
    ) -> Result<Vec<String>, RepoError>;
    /// Which of `external_ids` the user already has.
    async fn existing_external_ids(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        external_ids: &[String],
    ) -> Result<Vec<String>, RepoError>;
    /// One transaction.
    async fn find(&self, user_id: UserId, id: Uuid) -> Result<Option<Transaction>, RepoError>;
    /// One transaction, its row locked until the caller's transaction ends.
    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<Transaction>, RepoError>;
    /// Writes every mutable field; `false` when the user has no such transaction.
    async fn update(&self, tx: &mut Tx<'_>, t: &Transaction) -> Result<bool, RepoError>;
    /// Deletes one; `false` when the user has no such transaction.
    async fn delete(&self, tx: &mut Tx<'_>, user_id: UserId, id: Uuid) -> Result<bool, RepoError>;
    /// Up to `page.fetch_limit()` transactions, `occurred_on desc, id desc`, after the cursor.
    async fn list(
        &self,
        user_id: UserId,
        filter: &ListFilter,
        page: &PageRequest<TransactionKey>,
    ) -> Result<Vec<Transaction>, RepoError>;
    /// Sums by category and kind over a period: one aggregate query.
    async fn sums(&self, user_id: UserId, range: DateRange) -> Result<Vec<KindSum>, RepoError>;
    /// Expenses per category id over a period: one aggregate query.
    async fn spent_by_category(
        &self,
        user_id: UserId,
        range: DateRange,
        category_ids: &[Uuid],
    ) -> Result<Vec<(Uuid, Total)>, RepoError>;
    /// Whether any transaction of the user is in the category.
    async fn category_in_use(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        category_id: Uuid,
    ) -> Result<bool, RepoError>;
    /// Moves every transaction of one category to another; rows moved.
    async fn reassign_category(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        from: Uuid,
        to: Uuid,
        now: DateTime<Utc>,
    ) -> Result<u64, RepoError>;
    /// Deletes every transaction of the user.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
}

/// `finances.categories`.
#[async_trait::async_trait]
pub trait CategoryRepo: Send + Sync {
    /// Stores a new category (a name taken is a conflict on [`UQ_CATEGORY_NAME`]).
    async fn insert(&self, tx: &mut Tx<'_>, c: &Category) -> Result<(), RepoError>;
    /// The categories named `names` (case-insensitively), creating the missing
    /// ones; safe against concurrent creates of the same name. Returns them
    /// in the order of `names` and which were created.
    async fn ensure(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        names: &[CategoryName],
        now: DateTime<Utc>,
    ) -> Result<(Vec<Category>, Vec<Category>), RepoError>;
    /// One category.
    async fn find(&self, user_id: UserId, id: Uuid) -> Result<Option<Category>, RepoError>;
    /// The category with this name (case-insensitively).
    async fn find_by_name(
        &self,
        user_id: UserId,
        name: &CategoryName,
    ) -> Result<Option<Category>, RepoError>;
    /// Up to `page.fetch_limit()` categories by name, after the cursor.
    async fn list(
        &self,
        user_id: UserId,
        page: &PageRequest<CategoryKey>,
    ) -> Result<Vec<Category>, RepoError>;
    /// Renames; `None` when the user has no such category.
    async fn rename(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
        name: &CategoryName,
        now: DateTime<Utc>,
    ) -> Result<Option<Category>, RepoError>;
    /// One category, its row locked until the caller's transaction ends.
    async fn lock(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        id: Uuid,
    ) -> Result<Option<Category>, RepoError>;
    /// Deletes one; `false` when absent.
    async fn delete(&self, tx: &mut Tx<'_>, user_id: UserId, id: Uuid) -> Result<bool, RepoError>;
    /// Deletes every category of the user.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
}

/// `finances.budgets`.
#[async_trait::async_trait]
pub trait BudgetRepo: Send + Sync {
    /// Creates or replaces the limit of a category for a month; returns the budget.
    async fn upsert(&self, tx: &mut Tx<'_>, budget: &Budget) -> Result<Budget, RepoError>;
    /// Up to `page.fetch_limit()` budgets of a month by category name, after the cursor.
    async fn list_month(
        &self,
        user_id: UserId,
        month: Month,
        page: &PageRequest<CategoryKey>,
    ) -> Result<Vec<Budget>, RepoError>;
    /// Up to `page.fetch_limit()` of all the user's budgets by id (export).
    async fn list_all(
        &self,
        user_id: UserId,
        page: &PageRequest<Uuid>,
    ) -> Result<Vec<Budget>, RepoError>;
    /// A category's budget for a month, its row locked until the caller's
    /// transaction ends.
    async fn find_for_update(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        category_id: Uuid,
        month: Month,
    ) -> Result<Option<Budget>, RepoError>;
    /// Deletes a category's budget for a month; `false` when absent.
    async fn delete(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        category_id: Uuid,
        month: Month,
    ) -> Result<bool, RepoError>;
    /// Deletes every budget of a category (the category is being deleted).
    async fn delete_for_category(
        &self,
        tx: &mut Tx<'_>,
        user_id: UserId,
        category_id: Uuid,
    ) -> Result<u64, RepoError>;
    /// Deletes every budget of the user.
    async fn delete_all(&self, tx: &mut Tx<'_>, user_id: UserId) -> Result<u64, RepoError>;
}

/// The user's time zone, owned by the users module (the binary wires it).
#[async_trait::async_trait]
pub trait UserTimezones: Send + Sync {
    /// The user's IANA zone.
    async fn timezone(&self, user_id: UserId) -> Result<chrono_tz::Tz, ApiError>;
}
