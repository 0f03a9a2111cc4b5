//! Request and response bodies of the `finances` routes. Money is a decimal
//! string everywhere; a JSON number where an amount goes is a 422 naming it.

use crate::application::{ImportReport, RawAmount, SkippedRow};
use crate::domain::{BudgetStatus, Category, CategoryTotals, Month, Summary, Transaction};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::{ApiError, FieldError};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

/// A field that may be absent (`None`) or present, even as `null` (`Some(Value::Null)`).
fn present<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Value>, D::Error> {
    Value::deserialize(d).map(Some)
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Reads JSON values into the raw strings the use cases parse, naming every
/// field of the wrong JSON type.
#[derive(Debug, Default)]
pub(crate) struct Reader(Vec<FieldError>);

impl Reader {
    /// A text field; absent or null is `None`.
    pub fn text(&mut self, field: &str, v: Option<Value>) -> Option<String> {
        match v {
            None | Some(Value::Null) => None,
            Some(Value::String(s)) => Some(s),
            Some(other) => {
                self.0.push(FieldError::new(
                    field,
                    format!("must be a string, not a JSON {}", json_type(&other)),
                ));
                None
            }
        }
    }

    /// A patch's text field: absent `None`, null `Some(None)`.
    pub fn patch_text(&mut self, field: &str, v: Option<Value>) -> Option<Option<String>> {
        match v {
            None => None,
            Some(Value::Null) => Some(None),
            Some(other) => self.text(field, Some(other)).map(Some),
        }
    }

    /// Done: 422 listing every field of the wrong type.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.0))
        }
    }
}

/// An amount: a string to parse, anything else refused by the use case.
pub(crate) fn amount(v: Option<Value>) -> Option<RawAmount> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(RawAmount::Text(s)),
        Some(other) => Some(RawAmount::NotText(json_type(&other))),
    }
}

/// A patch's amount: absent `None`, null `Some(None)`.
pub(crate) fn patch_amount(v: Option<Value>) -> Option<Option<RawAmount>> {
    match v {
        None => None,
        Some(Value::Null) => Some(None),
        other => Some(amount(other)),
    }
}

/// Reads a JSON body (already checked to be JSON) into a request type: 422
/// on anything of the wrong shape (not an object, unknown fields).
pub(crate) fn from_body<T: serde::de::DeserializeOwned>(body: Value) -> Result<T, ApiError> {
    if !body.is_object() {
        return Err(ApiError::Unprocessable(format!(
            "The body must be a JSON object, not a JSON {}.",
            json_type(&body)
        )));
    }
    serde_json::from_value(body).map_err(|e| {
        ApiError::Unprocessable(format!(
            "The JSON body does not match the expected shape: {e}"
        ))
    })
}

/// `POST /finances/transactions`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTransactionRequest {
    /// `income` or `expense`.
    #[serde(default)]
    #[schema(value_type = String, example = "expense")]
    pub kind: Option<Value>,
    /// Positive decimal string, at most 2 decimals and 12 integer digits. A JSON number is refused (422).
    #[serde(default)]
    #[schema(value_type = String, example = "1234.50")]
    pub amount: Option<Value>,
    /// The day it happened, `YYYY-MM-DD`.
    #[serde(default)]
    #[schema(value_type = String, format = Date, example = "2026-11-25")]
    pub occurred_on: Option<Value>,
    /// A category name (case-insensitive); a name the user has no category for creates one.
    #[serde(default)]
    #[schema(value_type = Option<String>, example = "Groceries")]
    pub category: Option<Value>,
    /// Free text, at most 1,000 characters.
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub description: Option<Value>,
    /// The bank's id of the transaction, unique per user (a duplicate is 409).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub external_id: Option<Value>,
}

/// `PATCH /finances/transactions/{id}`: any subset; `null` clears `category`,
/// `description` and `external_id`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTransactionRequest {
    /// `income` or `expense`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub kind: Option<Value>,
    /// Positive decimal string.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, example = "12.30")]
    pub amount: Option<Value>,
    /// `YYYY-MM-DD`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>, format = Date)]
    pub occurred_on: Option<Value>,
    /// Category name, or `null` for none.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub category: Option<Value>,
    /// Free text, or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub description: Option<Value>,
    /// The bank's id, or `null`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub external_id: Option<Value>,
}

/// A transaction.
#[derive(Serialize, ToSchema)]
pub struct TransactionResponse {
    /// Its id.
    pub id: Uuid,
    /// `income` or `expense`.
    #[schema(example = "expense")]
    pub kind: String,
    /// Decimal string with two decimals.
    #[schema(example = "1234.50")]
    pub amount: String,
    /// The day it happened.
    pub occurred_on: NaiveDate,
    /// Category name.
    pub category: Option<String>,
    /// Free text.
    pub description: Option<String>,
    /// The bank's id.
    pub external_id: Option<String>,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&Transaction> for TransactionResponse {
    fn from(t: &Transaction) -> Self {
        Self {
            id: t.id,
            kind: t.kind.to_string(),
            amount: t.amount.to_string(),
            occurred_on: t.occurred_on,
            category: t.category.as_ref().map(|c| c.name.to_string()),
            description: t.description.as_ref().map(|d| d.as_str().to_owned()),
            external_id: t.external_id.as_ref().map(|x| x.to_string()),
            created_at: t.created_at,
            updated_at: t.updated_at,
        }
    }
}

/// Filters of the transaction list and export.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct FilterQuery {
    /// First day, included (`YYYY-MM-DD`).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day, included (`YYYY-MM-DD`).
    #[param(format = Date)]
    pub to: Option<String>,
    /// `income` or `expense`.
    #[param(pattern = "^(income|expense)$")]
    pub kind: Option<String>,
    /// Category name (case-insensitive).
    pub category: Option<String>,
    /// Text anywhere in the description (case-insensitive).
    pub q: Option<String>,
    /// Smallest amount, included (decimal string).
    #[param(pattern = r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
    pub min_amount: Option<String>,
    /// Largest amount, included (decimal string).
    #[param(pattern = r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
    pub max_amount: Option<String>,
}

/// Filters and page of the transaction list. The filter fields repeat
/// [`FilterQuery`]'s because serde cannot `flatten` under `deny_unknown_fields`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// First day, included (`YYYY-MM-DD`).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day, included (`YYYY-MM-DD`).
    #[param(format = Date)]
    pub to: Option<String>,
    /// `income` or `expense`.
    #[param(pattern = "^(income|expense)$")]
    pub kind: Option<String>,
    /// Category name (case-insensitive).
    pub category: Option<String>,
    /// Text anywhere in the description (case-insensitive).
    pub q: Option<String>,
    /// Smallest amount, included (decimal string).
    #[param(pattern = r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
    pub min_amount: Option<String>,
    /// Largest amount, included (decimal string).
    #[param(pattern = r"^[0-9]{1,12}(\.[0-9]{1,2})?$")]
    pub max_amount: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// `?dry_run=` of the import.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check and report without writing anything.
    pub dry_run: Option<bool>,
}

/// A row left out of an import.
#[derive(Serialize, ToSchema)]
pub struct SkippedRowResponse {
    /// Its line in the file (the header is line 1).
    pub line: u64,
    /// The external id the user already has.
    pub external_id: String,
}

/// What an import did (or would do).
#[derive(Serialize, ToSchema)]
pub struct ImportResponse {
    /// Nothing was written.
    pub dry_run: bool,
    /// Data rows in the file.
    pub rows: usize,
    /// Transactions created (would be, in a dry run).
    pub imported: usize,
    /// How many rows were skipped as already imported.
    pub skipped: usize,
    /// Those rows.
    pub skipped_rows: Vec<SkippedRowResponse>,
    /// Categories created for names the user did not have.
    pub categories_created: Vec<String>,
}

impl From<ImportReport> for ImportResponse {
    fn from(r: ImportReport) -> Self {
        Self {
            dry_run: r.dry_run,
            rows: r.rows,
            imported: r.imported,
            skipped: r.skipped.len(),
            skipped_rows: r
                .skipped
                .into_iter()
                .map(|SkippedRow { line, external_id }| SkippedRowResponse { line, external_id })
                .collect(),
            categories_created: r.categories_created,
        }
    }
}

/// `?month=` or `?from=&to=` of the summary.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SummaryQuery {
    /// `YYYY-MM`; default: the current month in the user's time zone.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
    /// First day (with `to`, instead of `month`).
    #[param(format = Date)]
    pub from: Option<String>,
    /// Last day, included (with `from`).
    #[param(format = Date)]
    pub to: Option<String>,
}

/// One category's totals.
#[derive(Serialize, ToSchema)]
pub struct CategoryTotalsResponse {
    /// Category name; `null` for uncategorised transactions.
    pub category: Option<String>,
    /// Income, decimal string.
    #[schema(example = "0.00")]
    pub income: String,
    /// Expense, decimal string.
    #[schema(example = "310.75")]
    pub expense: String,
}

/// Totals over a period.
#[derive(Serialize, ToSchema)]
pub struct SummaryResponse {
    /// First day.
    pub from: NaiveDate,
    /// Last day, included.
    pub to: NaiveDate,
    /// All income, decimal string.
    #[schema(example = "5000.00")]
    pub income: String,
    /// All expense, decimal string.
    #[schema(example = "1234.50")]
    pub expense: String,
    /// Income minus expense (may be negative), decimal string.
    #[schema(example = "3765.50")]
    pub balance: String,
    /// Per category, by name; uncategorised last.
    pub by_category: Vec<CategoryTotalsResponse>,
}

impl From<Summary> for SummaryResponse {
    fn from(s: Summary) -> Self {
        Self {
            from: s.range.from,
            to: s.range.to,
            income: s.income.to_string(),
            expense: s.expense.to_string(),
            balance: s.balance.to_string(),
            by_category: s
                .by_category
                .into_iter()
                .map(
                    |CategoryTotals {
                         category,
                         income,
                         expense,
                     }| CategoryTotalsResponse {
                        category,
                        income: income.to_string(),
                        expense: expense.to_string(),
                    },
                )
                .collect(),
        }
    }
}

/// `POST /finances/categories` and `PATCH /finances/categories/{id}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryRequest {
    /// 1–100 characters; unique per user regardless of case.
    #[serde(default)]
    #[schema(value_type = String, required = true, example = "Groceries")]
    pub name: Option<Value>,
}

/// A category.
#[derive(Serialize, ToSchema)]
pub struct CategoryResponse {
    /// Its id.
    pub id: Uuid,
    /// Its name.
    pub name: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<&Category> for CategoryResponse {
    fn from(c: &Category) -> Self {
        Self {
            id: c.id,
            name: c.name.to_string(),
            created_at: c.created_at,
            updated_at: c.updated_at,
        }
    }
}

/// `?reassign_to=` of a category deletion.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DeleteCategoryQuery {
    /// Id of another category to move this one's transactions to first.
    #[param(format = Uuid)]
    pub reassign_to: Option<String>,
}

/// `PUT /finances/budgets/{category}`.
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BudgetRequest {
    /// `YYYY-MM`.
    #[serde(default)]
    #[schema(value_type = String, example = "2026-11")]
    pub month: Option<Value>,
    /// The month's limit, a positive decimal string.
    #[serde(default)]
    #[schema(value_type = String, example = "500.00")]
    pub limit: Option<Value>,
}

/// `?month=` of a budget deletion.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BudgetMonthQuery {
    /// `YYYY-MM` (required).
    #[param(required = true, pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
}

/// `?month=` of a budget list, with the list's page.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct BudgetQuery {
    /// `YYYY-MM`; default (list only): the current month in the user's time zone.
    #[param(pattern = "^[0-9]{4}-(0[1-9]|1[0-2])$")]
    pub month: Option<String>,
    /// Items per page, 1 to 200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<i64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// A budget with what is spent.
#[derive(Serialize, ToSchema)]
pub struct BudgetResponse {
    /// Category name.
    pub category: String,
    /// Category id.
    pub category_id: Uuid,
    /// `YYYY-MM`.
    #[schema(example = "2026-11")]
    pub month: String,
    /// The month's limit, decimal string.
    #[schema(example = "500.00")]
    pub limit: String,
    /// Expenses of the category in the month, decimal string.
    #[schema(example = "420.00")]
    pub spent: String,
    /// `limit - spent`, negative when over budget, decimal string.
    #[schema(example = "80.00")]
    pub remaining: String,
    /// `spent / limit × 100`, two decimals, decimal string.
    #[schema(example = "84.00")]
    pub percent: String,
    /// Created.
    pub created_at: DateTime<Utc>,
    /// Last changed.
    pub updated_at: DateTime<Utc>,
}

impl From<BudgetStatus> for BudgetResponse {
    fn from(s: BudgetStatus) -> Self {
        Self {
            category: s.budget.category.name.to_string(),
            category_id: s.budget.category.id,
            month: s.budget.month.to_string(),
            limit: s.budget.limit.to_string(),
            spent: s.spent.to_string(),
            remaining: s.remaining.to_string(),
            percent: s.percent.to_string(),
            created_at: s.budget.created_at,
            updated_at: s.budget.updated_at,
        }
    }
}

/// One page of a month's budgets.
#[derive(Serialize, ToSchema)]
pub struct BudgetPage {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// The budgets, by category name.
    pub items: Vec<BudgetResponse>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

impl BudgetPage {
    /// From the use case's answer.
    pub fn new(month: Month, page: kernel::Page<BudgetStatus>) -> Self {
        Self {
            month: month.to_string(),
            items: page.items.into_iter().map(BudgetResponse::from).collect(),
            next_cursor: page.next_cursor,
        }
    }
}
