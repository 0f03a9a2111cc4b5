//! The `finances` module's façade: every use case, each for one user.

use super::inputs::{
    BudgetInput, Draft, Errors, Filter, NewTransaction, ParsedPatch, PeriodQuery, TransactionPatch,
    TransactionQuery, parse_amount, parse_period,
};
use super::ports::{
    BudgetRepo, CategoryKey, CategoryRepo, ListFilter, TransactionKey, TransactionRepo,
    UQ_CATEGORY_NAME, UQ_EXTERNAL_ID, UserTimezones,
};
use crate::domain::{
    Budget, BudgetStatus, Category, CategoryName, DateRange, Month, Summary, Total, Transaction,
};
use futures_util::stream::{self, BoxStream, StreamExt as _};
use kernel::idempotency::{
    Idempotency, IdempotencyStore, IdempotentRequest, Outcome, StoredResponse, Work,
};
use kernel::pagination::{Page, PageRequest};
use kernel::precondition::{IfMatch, require};
use kernel::tx::ScopedFutureExt as _;
use kernel::{ApiError, Clock, RepoError, Transactor, UserId, transaction};
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

/// Rows per page when exporting.
pub const EXPORT_PAGE: u16 = 500;

/// What the service is built from.
#[derive(Clone)]
pub struct FinancesDeps {
    /// `finances.transactions`.
    pub transactions: Arc<dyn TransactionRepo>,
    /// `finances.categories`.
    pub categories: Arc<dyn CategoryRepo>,
    /// `finances.budgets`.
    pub budgets: Arc<dyn BudgetRepo>,
    /// `finances.idempotency_keys`.
    pub idempotency: Arc<dyn IdempotencyStore>,
    /// Multi-statement writes.
    pub transactor: Arc<dyn Transactor>,
    /// The user's zone (users module).
    pub timezones: Arc<dyn UserTimezones>,
    /// Now.
    pub clock: Arc<dyn Clock>,
}

/// The `finances` module's use cases.
#[derive(Clone)]
pub struct FinancesService {
    pub(crate) transactions: Arc<dyn TransactionRepo>,
    pub(crate) categories: Arc<dyn CategoryRepo>,
    pub(crate) budgets: Arc<dyn BudgetRepo>,
    pub(crate) transactor: Arc<dyn Transactor>,
    pub(crate) idempotency: Idempotency,
    timezones: Arc<dyn UserTimezones>,
    pub(crate) clock: Arc<dyn Clock>,
}

/// Maps write conflicts to what the client should read.
pub(crate) fn conflict(err: RepoError) -> ApiError {
    match err {
        RepoError::Conflict { constraint } if constraint == UQ_EXTERNAL_ID => {
            ApiError::Conflict("You already have a transaction with this external_id.".into())
        }
        RepoError::Conflict { constraint } if constraint == UQ_CATEGORY_NAME => ApiError::Conflict(
            "You already have a category with this name (names ignore case).".into(),
        ),
        RepoError::Conflict { constraint } if constraint.starts_with("fk_") => {
            ApiError::Conflict("The category changed while this request ran; retry.".into())
        }
        other => other.into(),
    }
}

fn not_found<T>(value: Option<T>) -> Result<T, ApiError> {
    value.ok_or(ApiError::NotFound)
}

impl FinancesService {
    /// Assembles the service.
    pub fn new(deps: FinancesDeps) -> Self {
        Self {
            idempotency: Idempotency::new(deps.idempotency, deps.transactor.clone()),
            transactions: deps.transactions,
            categories: deps.categories,
            budgets: deps.budgets,
            transactor: deps.transactor,
            timezones: deps.timezones,
            clock: deps.clock,
        }
    }

    // ---- transactions ------------------------------------------------------

    /// Creates a transaction (its category is created when the user has none
    /// by that name). With an idempotency key, a repeat replays the first response.
    pub async fn create_transaction<R>(
        &self,
        user_id: UserId,
        input: &NewTransaction,
        request: Option<&IdempotentRequest>,
        render: R,
    ) -> Result<Outcome<Transaction>, ApiError>
    where
        R: FnOnce(&Transaction) -> Result<StoredResponse, ApiError> + Send,
    {
        let draft = Draft::parse(input)?;
        let now = self.clock.now();
        let (categories, transactions) = (self.categories.clone(), self.transactions.clone());
        let work: Work<'_, Transaction> = Box::new(move |tx| {
            async move {
                let category = match &draft.category {
                    Some(name) => {
                        let (found, _) = categories
                            .ensure(tx, user_id, std::slice::from_ref(name), now)
                            .await?;
                        found.first().map(Category::as_ref)
                    }
                    None => None,
                };
                let t = Transaction {
                    id: kernel::ids::new_id(),
                    user_id,
                    kind: draft.kind,
                    amount: draft.amount,
                    occurred_on: draft.occurred_on,
                    category,
                    description: draft.description,
                    external_id: draft.external_id,
                    created_at: now,
                    updated_at: now,
                };
                transactions.insert(tx, &t).await.map_err(conflict)?;
                Ok(t)
            }
            .scope_boxed()
        });
        self.idempotency
            .create(user_id, request, now, work, render)
            .await
    }

    /// One transaction.
    pub async fn transaction(&self, user_id: UserId, id: Uuid) -> Result<Transaction, ApiError> {
        not_found(self.transactions.find(user_id, id).await?)
    }

    /// Changes the fields a patch names: read (locked), checked against
    /// `if_match` (412) and written in one transaction.
    pub async fn update_transaction(
        &self,
        user_id: UserId,
        id: Uuid,
        patch: &TransactionPatch,
        if_match: Option<IfMatch>,
    ) -> Result<Transaction, ApiError> {
        let patch = ParsedPatch::parse(patch)?;
        let now = self.clock.now();
        let (categories, transactions) = (self.categories.clone(), self.transactions.clone());
        transaction(&*self.transactor, move |mut tx| {
            async move {
                let mut t = not_found(transactions.find_for_update(&mut tx, user_id, id).await?)?;
                require(if_match.as_ref(), || t.etag())?;
                if let Some(kind) = patch.kind {
                    t.kind = kind;
                }
                if let Some(amount) = patch.amount {
                    t.amount = amount;
                }
                if let Some(day) = patch.occurred_on {
                    t.occurred_on = day;
                }
                if let Some(description) = patch.description {
                    t.description = description;
                }
                if let Some(external_id) = patch.external_id {
                    t.external_id = external_id;
                }
                t.updated_at = now;
                match patch.category {
                    Some(Some(name)) => {
                        let (found, _) = categories
                            .ensure(&mut tx, user_id, std::slice::from_ref(&name), now)
                            .await?;
                        t.category = found.first().map(Category::as_ref);
                    }
                    Some(None) => t.category = None,
                    None => {}
                }
                if !transactions.update(&mut tx, &t).await.map_err(conflict)? {
                    return Err(ApiError::NotFound);
                }
                Ok(t)
            }
            .scope_boxed()
        })
        .await
    }

    /// Deletes a transaction; 412 when `if_match` no longer matches it.
    pub async fn delete_transaction(
        &self,
        user_id: UserId,
        id: Uuid,
        if_match: Option<IfMatch>,
    ) -> Result<(), ApiError> {
        let transactions = &*self.transactions;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                if let Some(precondition) = &if_match {
                    let t = not_found(transactions.find_for_update(&mut tx, user_id, id).await?)?;
                    require(Some(precondition), || t.etag())?;
                }
                if transactions.delete(&mut tx, user_id, id).await? {
                    Ok(())
                } else {
                    Err(ApiError::NotFound)
                }
            }
            .scope_boxed()
        })
        .await
    }

    /// Parses the filters and resolves the category; `None` when the named
    /// category does not exist (nothing can match).
    async fn list_filter(
        &self,
        user_id: UserId,
        query: &TransactionQuery,
    ) -> Result<Option<ListFilter>, ApiError> {
        let filter = Filter::parse(query)?;
        let category_id = match &filter.category {
            Some(name) => match self.categories.find_by_name(user_id, name).await? {
                Some(c) => Some(c.id),
                None => return Ok(None),
            },
            None => None,
        };
        Ok(Some(ListFilter {
            from: filter.from,
            to: filter.to,
            kind: filter.kind,
            category_id,
            description_like: filter.q.map(|q| q.like_pattern()),
            min_amount: filter.min_amount,
            max_amount: filter.max_amount,
        }))
    }

    /// One page of transactions, newest first, filtered.
    pub async fn list_transactions(
        &self,
        user_id: UserId,
        query: &TransactionQuery,
        page: &PageRequest<TransactionKey>,
    ) -> Result<Page<Transaction>, ApiError> {
        let Some(filter) = self.list_filter(user_id, query).await? else {
            return Ok(Page {
                items: Vec::new(),
                next_cursor: None,
            });
        };
        let rows = self.transactions.list(user_id, &filter, page).await?;
        Ok(Page::from_rows(rows, page.limit, Transaction::sort_key))
    }

    /// Every transaction matching the filters, newest first, page by page
    /// (memory stays bounded). Filters are checked before the stream starts.
    pub async fn export_transactions(
        &self,
        user_id: UserId,
        query: &TransactionQuery,
    ) -> Result<BoxStream<'static, Result<Vec<Transaction>, ApiError>>, ApiError> {
        let Some(filter) = self.list_filter(user_id, query).await? else {
            return Ok(stream::empty().boxed());
        };
        let repo = self.transactions.clone();
        enum State {
            Next(Option<TransactionKey>),
            Done,
        }
        Ok(stream::unfold(State::Next(None), move |state| {
            let repo = repo.clone();
            let filter = filter.clone();
            async move {
                let State::Next(after) = state else {
                    return None;
                };
                let page = PageRequest {
                    limit: EXPORT_PAGE,
                    after,
                };
                match repo.list(user_id, &filter, &page).await {
                    Ok(mut rows) => {
                        let next = if rows.len() > usize::from(EXPORT_PAGE) {
                            rows.truncate(usize::from(EXPORT_PAGE));
                            rows.last().map(|t| State::Next(Some(t.sort_key())))
                        } else {
                            None
                        };
                        Some((Ok(rows), next.unwrap_or(State::Done)))
                    }
                    Err(err) => Some((Err(err.into()), State::Done)),
                }
            }
        })
        .boxed())
    }

    // ---- summary -----------------------------------------------------------

    /// The month containing the user's today, in their time zone.
    pub async fn current_month(&self, user_id: UserId) -> Result<Month, ApiError> {
        let tz = self.timezones.timezone(user_id).await?;
        Ok(Month::containing(
            self.clock.now().with_timezone(&tz).date_naive(),
        ))
    }

    /// Income, expense, balance and per-category totals for a month, a range,
    /// or (neither given) the user's current month.
    pub async fn summary(&self, user_id: UserId, query: &PeriodQuery) -> Result<Summary, ApiError> {
        let range = match parse_period(query)? {
            Some(range) => range,
            None => self.current_month(user_id).await?.range(),
        };
        self.summary_for(user_id, range).await
    }

    /// Totals over a period (for other modules: the dashboard).
    pub async fn summary_for(
        &self,
        user_id: UserId,
        range: DateRange,
    ) -> Result<Summary, ApiError> {
        let sums = self.transactions.sums(user_id, range).await?;
        Ok(Summary::from_sums(
            range,
            sums.into_iter()
                .map(|s| (s.category, s.kind, s.total))
                .collect(),
        ))
    }

    // ---- categories ---------------------------------------------------------

    /// Creates a category; a name the user has (ignoring case) is 409.
    pub async fn create_category<R>(
        &self,
        user_id: UserId,
        name: Option<&str>,
        request: Option<&IdempotentRequest>,
        render: R,
    ) -> Result<Outcome<Category>, ApiError>
    where
        R: FnOnce(&Category) -> Result<StoredResponse, ApiError> + Send,
    {
        let mut e = Errors::default();
        let name = e
            .required("name", name)
            .and_then(|n| e.check("name", CategoryName::parse(n)));
        e.finish()?;
        let Some(name) = name else {
            return Err(ApiError::field("name", "is required"));
        };
        let now = self.clock.now();
        let categories = self.categories.clone();
        let work: Work<'_, Category> = Box::new(move |tx| {
            async move {
                let c = Category {
                    id: kernel::ids::new_id(),
                    user_id,
                    name,
                    created_at: now,
                    updated_at: now,
                };
                categories.insert(tx, &c).await.map_err(conflict)?;
                Ok(c)
            }
            .scope_boxed()
        });
        self.idempotency
            .create(user_id, request, now, work, render)
            .await
    }

    /// One category.
    pub async fn category(&self, user_id: UserId, id: Uuid) -> Result<Category, ApiError> {
        not_found(self.categories.find(user_id, id).await?)
    }

    /// One page of categories by name.
    pub async fn list_categories(
        &self,
        user_id: UserId,
        page: &PageRequest<CategoryKey>,
    ) -> Result<Page<Category>, ApiError> {
        let rows = self.categories.list(user_id, page).await?;
        Ok(Page::from_rows(rows, page.limit, |c| (c.name.key(), c.id)))
    }

    /// Renames a category; its transactions and budgets follow (they point at
    /// its id). 412 when `if_match` no longer matches it.
    pub async fn rename_category(
        &self,
        user_id: UserId,
        id: Uuid,
        name: Option<&str>,
        if_match: Option<IfMatch>,
    ) -> Result<Category, ApiError> {
        let mut e = Errors::default();
        let name = e
            .required("name", name)
            .and_then(|n| e.check("name", CategoryName::parse(n)));
        e.finish()?;
        let Some(name) = name else {
            return Err(ApiError::field("name", "is required"));
        };
        let now = self.clock.now();
        let categories = &*self.categories;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                let current = not_found(categories.lock(&mut tx, user_id, id).await?)?;
                require(if_match.as_ref(), || current.etag())?;
                not_found(
                    categories
                        .rename(&mut tx, user_id, id, &name, now)
                        .await
                        .map_err(conflict)?,
                )
            }
            .scope_boxed()
        })
        .await
    }

    /// Deletes a category and its budgets. A category that transactions use is
    /// refused (409) unless `reassign_to` names another category of the user's
    /// to move them to first. 412 when `if_match` no longer matches it.
    pub async fn delete_category(
        &self,
        user_id: UserId,
        id: Uuid,
        reassign_to: Option<&str>,
        if_match: Option<IfMatch>,
    ) -> Result<(), ApiError> {
        let target = match reassign_to {
            Some(raw) => Some(raw.parse::<Uuid>().map_err(|_| {
                ApiError::field(
                    "reassign_to",
                    "must be the id (UUID) of one of your categories",
                )
            })?),
            None => None,
        };
        if target == Some(id) {
            return Err(ApiError::field(
                "reassign_to",
                "must be another category than the one deleted",
            ));
        }
        let now = self.clock.now();
        let (categories, transactions, budgets) = (
            self.categories.clone(),
            self.transactions.clone(),
            self.budgets.clone(),
        );
        transaction(&*self.transactor, move |mut tx| {
            async move {
                let current = not_found(categories.lock(&mut tx, user_id, id).await?)?;
                require(if_match.as_ref(), || current.etag())?;
                match target {
                    Some(to) => {
                        if categories.lock(&mut tx, user_id, to).await?.is_none() {
                            return Err(ApiError::field(
                                "reassign_to",
                                "no category of yours has this id",
                            ));
                        }
                        transactions
                            .reassign_category(&mut tx, user_id, id, to, now)
                            .await?;
                    }
                    None => {
                        if transactions.category_in_use(&mut tx, user_id, id).await? {
                            return Err(ApiError::Conflict(
                                "Transactions use this category; pass ?reassign_to=<category id> to move them first."
                                    .into(),
                            ));
                        }
                    }
                }
                budgets.delete_for_category(&mut tx, user_id, id).await?;
                categories
                    .delete(&mut tx, user_id, id)
                    .await
                    .map_err(conflict)?;
                Ok(())
            }
            .scope_boxed()
        })
        .await
    }

    // ---- budgets ------------------------------------------------------------

    /// Sets a category's limit for a month (the category is created when the
    /// user has none by that name); returns it with what is spent. With
    /// `if_match`, the budget must exist and match it (412 otherwise).
    pub async fn put_budget(
        &self,
        user_id: UserId,
        category: &str,
        input: &BudgetInput,
        if_match: Option<IfMatch>,
    ) -> Result<BudgetStatus, ApiError> {
        let mut e = Errors::default();
        let name = e.check("category", CategoryName::parse(category));
        let month = e
            .required("month", input.month.as_deref())
            .and_then(|m| e.check("month", Month::parse(m)));
        let limit = e
            .required("limit", input.limit.as_ref())
            .and_then(|l| e.check("limit", parse_amount(l)));
        e.finish()?;
        let (Some(name), Some(month), Some(limit)) = (name, month, limit) else {
            return Err(ApiError::internal(anyhow::anyhow!(
                "budget parsed without its values"
            )));
        };
        let now = self.clock.now();
        let (categories, budgets) = (self.categories.clone(), self.budgets.clone());
        let budget = transaction(&*self.transactor, move |mut tx| {
            async move {
                let (found, _) = categories
                    .ensure(&mut tx, user_id, std::slice::from_ref(&name), now)
                    .await?;
                let category = not_found(found.first().map(Category::as_ref))?;
                if let Some(precondition) = &if_match {
                    // No budget yet: no current representation to match (RFC 9110 §13.1.1).
                    let current = budgets
                        .find_for_update(&mut tx, user_id, category.id, month)
                        .await?
                        .ok_or(ApiError::PreconditionFailed)?;
                    require(Some(precondition), || current.etag())?;
                }
                let budget = Budget {
                    id: kernel::ids::new_id(),
                    user_id,
                    category,
                    month,
                    limit,
                    created_at: now,
                    updated_at: now,
                };
                budgets.upsert(&mut tx, &budget).await.map_err(conflict)
            }
            .scope_boxed()
        })
        .await?;
        let mut statuses = self.with_spent(user_id, month, vec![budget]).await?;
        statuses
            .pop()
            .ok_or_else(|| ApiError::internal(anyhow::anyhow!("budget status lost")))
    }

    /// Removes a category's budget for a month; 412 when `if_match` no longer
    /// matches it.
    pub async fn delete_budget(
        &self,
        user_id: UserId,
        category: &str,
        month: Option<&str>,
        if_match: Option<IfMatch>,
    ) -> Result<(), ApiError> {
        let mut e = Errors::default();
        let name = e.check("category", CategoryName::parse(category));
        let month = e
            .required("month", month)
            .and_then(|m| e.check("month", Month::parse(m)));
        e.finish()?;
        let (Some(name), Some(month)) = (name, month) else {
            return Err(ApiError::NotFound);
        };
        let category = not_found(self.categories.find_by_name(user_id, &name).await?)?;
        let budgets = &*self.budgets;
        transaction(&*self.transactor, move |mut tx| {
            async move {
                if let Some(precondition) = &if_match {
                    let current = not_found(
                        budgets
                            .find_for_update(&mut tx, user_id, category.id, month)
                            .await?,
                    )?;
                    require(Some(precondition), || current.etag())?;
                }
                if budgets.delete(&mut tx, user_id, category.id, month).await? {
                    Ok(())
                } else {
                    Err(ApiError::NotFound)
                }
            }
            .scope_boxed()
        })
        .await
    }

    /// The budgets of a month (default: the user's current month) with what is
    /// spent, by category name.
    pub async fn list_budgets(
        &self,
        user_id: UserId,
        month: Option<&str>,
        page: &PageRequest<CategoryKey>,
    ) -> Result<(Month, Page<BudgetStatus>), ApiError> {
        let month = match month {
            Some(raw) => Month::parse(raw).map_err(|e| ApiError::field("month", e.to_string()))?,
            None => self.current_month(user_id).await?,
        };
        Ok((month, self.budgets_for(user_id, month, page).await?))
    }

    /// The budgets of a month with what is spent (for other modules: the dashboard).
    pub async fn budgets_for(
        &self,
        user_id: UserId,
        month: Month,
        page: &PageRequest<CategoryKey>,
    ) -> Result<Page<BudgetStatus>, ApiError> {
        let rows = self.budgets.list_month(user_id, month, page).await?;
        let page = Page::from_rows(rows, page.limit, |b| (b.category.name.key(), b.id));
        let items = self.with_spent(user_id, month, page.items).await?;
        Ok(Page {
            items,
            next_cursor: page.next_cursor,
        })
    }

    async fn with_spent(
        &self,
        user_id: UserId,
        month: Month,
        budgets: Vec<Budget>,
    ) -> Result<Vec<BudgetStatus>, ApiError> {
        if budgets.is_empty() {
            return Ok(Vec::new());
        }
        let ids: Vec<Uuid> = budgets.iter().map(|b| b.category.id).collect();
        let spent: HashMap<Uuid, Total> = self
            .transactions
            .spent_by_category(user_id, month.range(), &ids)
            .await?
            .into_iter()
            .collect();
        Ok(budgets
            .into_iter()
            .map(|b| {
                let s = spent
                    .get(&b.category.id)
                    .cloned()
                    .unwrap_or_else(Total::zero);
                BudgetStatus::new(b, s)
            })
            .collect())
    }
}
