//! actix handlers of the `finances` routes: parse, call the use case, shape the answer.

use super::dto::{
    BudgetMonthQuery, BudgetPage, BudgetQuery, BudgetRequest, BudgetResponse, CategoryRequest,
    CategoryResponse, CreateTransactionRequest, DeleteCategoryQuery, FilterQuery, ImportQuery,
    ImportResponse, ListQuery, Reader, SummaryQuery, SummaryResponse, TransactionResponse,
    UpdateTransactionRequest, amount, from_body, patch_amount,
};
use crate::application::csv::{self, CONTENT_TYPE, MAX_BYTES};
use crate::application::{
    BudgetInput, FinancesService, NewTransaction, PeriodQuery, TransactionPatch, TransactionQuery,
};
use crate::domain::{Category, Transaction};
use actix_web::http::header::{self, HeaderValue};
use actix_web::web::Bytes;
use actix_web::{HttpMessage as _, HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use futures_util::{StreamExt as _, stream};
use kernel::http::Problem;
use kernel::http::idempotency::{created, idempotent_request, respond};
use kernel::http::if_match;
use kernel::idempotency::Outcome;
use kernel::pagination::{Page, PageQuery, PageRequest};
use kernel::{ApiError, AuthUser};
use serde_json::Value;
use uuid::Uuid;

/// 200 with `body` and the `ETag` of the resource it shows.
fn ok_tagged<T: serde::Serialize>(etag: String, body: &T) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, etag))
        .json(body)
}

/// The answer of an idempotent create, with the new resource's `ETag` (a
/// replay has none: its resource may have changed since).
fn created_tagged<T>(
    outcome: &Outcome<T>,
    etag: impl Fn(&T) -> String,
) -> Result<HttpResponse, ApiError> {
    let mut res = respond(outcome);
    if let Outcome::Created(resource, _) = outcome {
        let etag = HeaderValue::from_str(&etag(resource)).map_err(ApiError::internal)?;
        res.headers_mut().insert(header::ETAG, etag);
    }
    Ok(res)
}

fn transaction_query(q: FilterQuery) -> TransactionQuery {
    TransactionQuery {
        from: q.from,
        to: q.to,
        kind: q.kind,
        category: q.category,
        q: q.q,
        min_amount: q.min_amount,
        max_amount: q.max_amount,
    }
}

/// Record a transaction.
#[utoipa::path(
    tag = "finances",
    request_body = CreateTransactionRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key and body within 24 h replays the first response and creates nothing; same key, other body: 422")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created (or replayed, with `Idempotent-Replayed: true`)", body = TransactionResponse,
         headers(("Location" = String, description = "The transaction's URL"),
                 ("ETag" = String, description = "Its version (not sent on a replay: GET the transaction for its current one)"))),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "external_id already used", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not application/json", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values (each field named), unknown fields, or an Idempotency-Key reused with another body", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/finances/transactions")]
pub async fn create_transaction(
    service: web::Data<FinancesService>,
    user: AuthUser,
    req: HttpRequest,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let idem = idempotent_request(&req, &body)?;
    let dto: CreateTransactionRequest = from_body(body)?;
    let mut r = Reader::default();
    let input = NewTransaction {
        kind: r.text("kind", dto.kind),
        amount: amount(dto.amount),
        occurred_on: r.text("occurred_on", dto.occurred_on),
        category: r.text("category", dto.category),
        description: r.text("description", dto.description),
        external_id: r.text("external_id", dto.external_id),
    };
    r.finish()?;
    let outcome = service
        .create_transaction(user.user_id, &input, idem.as_ref(), |t| {
            created(
                format!("/api/v1/finances/transactions/{}", t.id),
                &TransactionResponse::from(t),
            )
        })
        .await?;
    created_tagged(&outcome, Transaction::etag)
}

/// The caller's transactions, newest first (`occurred_on desc, id desc`), filtered, keyset-paged.
#[utoipa::path(
    tag = "finances",
    params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page", body = Page<TransactionResponse>),
        (status = 400, description = "Invalid cursor or unknown parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter or limit (each named)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/finances/transactions")]
pub async fn list_transactions(
    service: web::Data<FinancesService>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let page = PageRequest::parse(&PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    })?;
    let filter = transaction_query(FilterQuery {
        from: q.from,
        to: q.to,
        kind: q.kind,
        category: q.category,
        q: q.q,
        min_amount: q.min_amount,
        max_amount: q.max_amount,
    });
    let page = service
        .list_transactions(user.user_id, &filter, &page)
        .await?;
    Ok(HttpResponse::Ok().json(page.map(|t| TransactionResponse::from(&t))))
}

/// The caller's transactions as CSV (the import's format, with `external_id`),
/// same filters and order as the list, streamed.
#[utoipa::path(
    tag = "finances",
    params(FilterQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "CSV: occurred_on,kind,amount,category,description,external_id", body = String, content_type = "text/csv"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter (each named)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/finances/transactions/export")]
pub async fn export_transactions(
    service: web::Data<FinancesService>,
    user: AuthUser,
    query: web::Query<FilterQuery>,
) -> Result<HttpResponse, ApiError> {
    let pages = service
        .export_transactions(user.user_id, &transaction_query(query.into_inner()))
        .await?;
    let head = Bytes::from(csv::header()?);
    let body = stream::once(async move { Ok::<_, ApiError>(head) }).chain(pages.map(|page| {
        let rows = page?;
        Ok(Bytes::from(csv::rows(&rows)?))
    }));
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "attachment; filename=\"transactions.csv\"",
        ))
        .streaming(body))
}

/// Import transactions from CSV: all rows or none.
///
/// Header `occurred_on,kind,amount,category,description[,external_id]`
/// (RFC 4180 quoting, UTF-8 with or without BOM), at most 10,000 rows and
/// 2 MiB. Rows whose `external_id` the user already has are skipped and
/// reported, so re-importing a file creates no duplicates; unknown category
/// names create categories.
#[utoipa::path(
    tag = "finances",
    params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "The CSV file"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported (or, with dry_run, checked and not written)", body = ImportResponse),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "More than 2 MiB or 10,000 rows", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/csv", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Bad rows: `errors` lists each by `line N` with the reason; nothing was written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/finances/transactions/import")]
pub async fn import_transactions(
    service: web::Data<FinancesService>,
    user: AuthUser,
    req: HttpRequest,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    if req
        .mime_type()
        .ok()
        .flatten()
        .is_none_or(|m| m.essence_str() != CONTENT_TYPE)
    {
        return Err(ApiError::UnsupportedMediaType(
            "Send the file as text/csv.".into(),
        ));
    }
    let body = read_limited(&req, payload, MAX_BYTES).await?;
    let report = service
        .import_csv(user.user_id, &body, query.dry_run.unwrap_or(false))
        .await?;
    Ok(HttpResponse::Ok().json(ImportResponse::from(report)))
}

/// Reads a body of at most `limit` bytes; 413 beyond.
async fn read_limited(
    req: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Vec<u8>, ApiError> {
    let too_large =
        || ApiError::PayloadTooLarge(format!("This endpoint accepts at most {limit} bytes."));
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(too_large());
    }
    let mut body = Vec::with_capacity(declared.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest(format!("The body could not be read: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// One transaction.
#[utoipa::path(
    tag = "finances",
    params(("id" = Uuid, Path, description = "Transaction id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The transaction", body = TransactionResponse,
         headers(("ETag" = String, description = "This version of the transaction, for If-Match"))),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such transaction of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/finances/transactions/{id}")]
pub async fn get_transaction(
    service: web::Data<FinancesService>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let t = service.transaction(user.user_id, *id).await?;
    Ok(ok_tagged(t.etag(), &TransactionResponse::from(&t)))
}

/// Change some fields of a transaction.
#[utoipa::path(
    tag = "finances",
    params(
        ("id" = Uuid, Path, description = "Transaction id"),
        ("If-Match" = Option<String>, Header, description = "Apply only if the transaction still has this ETag (or `*`)"),
    ),
    request_body = UpdateTransactionRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated transaction", body = TransactionResponse,
         headers(("ETag" = String, description = "Its new version"))),
        (status = 400, description = "Malformed JSON or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such transaction of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "external_id already used", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match the current ETag; nothing changed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values (each named) or unknown fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/finances/transactions/{id}")]
pub async fn update_transaction(
    service: web::Data<FinancesService>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let dto: UpdateTransactionRequest = from_body(body.into_inner())?;
    let mut r = Reader::default();
    let patch = TransactionPatch {
        kind: r.patch_text("kind", dto.kind),
        amount: patch_amount(dto.amount),
        occurred_on: r.patch_text("occurred_on", dto.occurred_on),
        category: r.patch_text("category", dto.category),
        description: r.patch_text("description", dto.description),
        external_id: r.patch_text("external_id", dto.external_id),
    };
    r.finish()?;
    let t = service
        .update_transaction(user.user_id, *id, &patch, if_match(&req))
        .await?;
    Ok(ok_tagged(t.etag(), &TransactionResponse::from(&t)))
}

/// Delete a transaction.
#[utoipa::path(
    tag = "finances",
    params(
        ("id" = Uuid, Path, description = "Transaction id"),
        ("If-Match" = Option<String>, Header, description = "Delete only if the transaction still has this ETag (or `*`)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such transaction of yours", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match the current ETag; nothing was deleted", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/finances/transactions/{id}")]
pub async fn delete_transaction(
    service: web::Data<FinancesService>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service
        .delete_transaction(user.user_id, *id, if_match(&req))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Income, expense, balance and per-category totals for a month (default: the
/// current month in the user's time zone) or a date range.
#[utoipa::path(
    tag = "finances",
    params(SummaryQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The totals", body = SummaryResponse),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid month or range", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/finances/summary")]
pub async fn summary(
    service: web::Data<FinancesService>,
    user: AuthUser,
    query: web::Query<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let summary = service
        .summary(
            user.user_id,
            &PeriodQuery {
                month: q.month,
                from: q.from,
                to: q.to,
            },
        )
        .await?;
    Ok(HttpResponse::Ok().json(SummaryResponse::from(summary)))
}

/// The caller's categories, by name, keyset-paged.
#[utoipa::path(
    tag = "finances",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page", body = Page<CategoryResponse>),
        (status = 400, description = "Invalid cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/finances/categories")]
pub async fn list_categories(
    service: web::Data<FinancesService>,
    user: AuthUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service
        .list_categories(user.user_id, &PageRequest::parse(&query)?)
        .await?;
    Ok(HttpResponse::Ok().json(page.map(|c| CategoryResponse::from(&c))))
}

/// Create a category (names are unique per user, ignoring case).
#[utoipa::path(
    tag = "finances",
    request_body = CategoryRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Same key and body within 24 h replays the first response")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created (or replayed, with `Idempotent-Replayed: true`)", body = CategoryResponse,
         headers(("Location" = String, description = "The category's URL"),
                 ("ETag" = String, description = "Its version (not sent on a replay: GET the category for its current one)"))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/finances/categories")]
pub async fn create_category(
    service: web::Data<FinancesService>,
    user: AuthUser,
    req: HttpRequest,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let idem = idempotent_request(&req, &body)?;
    let dto: CategoryRequest = from_body(body)?;
    let mut r = Reader::default();
    let name = r.text("name", dto.name);
    r.finish()?;
    let outcome = service
        .create_category(user.user_id, name.as_deref(), idem.as_ref(), |c| {
            created(
                format!("/api/v1/finances/categories/{}", c.id),
                &CategoryResponse::from(c),
            )
        })
        .await?;
    created_tagged(&outcome, Category::etag)
}

/// One category.
#[utoipa::path(
    tag = "finances",
    params(("id" = Uuid, Path, description = "Category id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The category", body = CategoryResponse,
         headers(("ETag" = String, description = "This version of the category, for If-Match"))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such category of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/finances/categories/{id}")]
pub async fn get_category(
    service: web::Data<FinancesService>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let c = service.category(user.user_id, *id).await?;
    Ok(ok_tagged(c.etag(), &CategoryResponse::from(&c)))
}

/// Rename a category; its transactions and budgets stay attached.
#[utoipa::path(
    tag = "finances",
    params(
        ("id" = Uuid, Path, description = "Category id"),
        ("If-Match" = Option<String>, Header, description = "Apply only if the category still has this ETag (or `*`)"),
    ),
    request_body = CategoryRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The renamed category", body = CategoryResponse,
         headers(("ETag" = String, description = "Its new version"))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such category of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Name taken", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match the current ETag; nothing changed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/finances/categories/{id}")]
pub async fn rename_category(
    service: web::Data<FinancesService>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let dto: CategoryRequest = from_body(body.into_inner())?;
    let mut r = Reader::default();
    let name = r.text("name", dto.name);
    r.finish()?;
    let c = service
        .rename_category(user.user_id, *id, name.as_deref(), if_match(&req))
        .await?;
    Ok(ok_tagged(c.etag(), &CategoryResponse::from(&c)))
}

/// Delete a category and its budgets. Refused (409) while transactions use it,
/// unless `reassign_to` names another category to move them to.
#[utoipa::path(
    tag = "finances",
    params(
        ("id" = Uuid, Path, description = "Category id"),
        DeleteCategoryQuery,
        ("If-Match" = Option<String>, Header, description = "Delete only if the category still has this ETag (or `*`)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such category of yours", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Transactions use it and no reassign_to was given", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match the current ETag; nothing was deleted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "reassign_to is not another category of yours", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/finances/categories/{id}")]
pub async fn delete_category(
    service: web::Data<FinancesService>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    query: web::Query<DeleteCategoryQuery>,
) -> Result<HttpResponse, ApiError> {
    service
        .delete_category(
            user.user_id,
            *id,
            query.reassign_to.as_deref(),
            if_match(&req),
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Set a category's limit for a month (creates the category when the user has
/// none by that name; replaces an existing limit).
#[utoipa::path(
    tag = "finances",
    params(
        ("category" = String, Path, description = "Category name (case-insensitive)"),
        ("If-Match" = Option<String>, Header, description = "Replace only if the month's budget exists and still has this ETag (or `*`); without it, PUT creates or replaces"),
    ),
    request_body = BudgetRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The budget with what is spent", body = BudgetResponse,
         headers(("ETag" = String, description = "The budget's version (its category, month and limit; not what is spent), for If-Match"))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match given and the month has no such budget, or its ETag differs; nothing changed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid month, limit or category name", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/finances/budgets/{category}")]
pub async fn put_budget(
    service: web::Data<FinancesService>,
    user: AuthUser,
    req: HttpRequest,
    category: web::Path<String>,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let dto: BudgetRequest = from_body(body.into_inner())?;
    let mut r = Reader::default();
    let input = BudgetInput {
        month: r.text("month", dto.month),
        limit: amount(dto.limit),
    };
    r.finish()?;
    let status = service
        .put_budget(user.user_id, &category, &input, if_match(&req))
        .await?;
    Ok(ok_tagged(
        status.budget.etag(),
        &BudgetResponse::from(status),
    ))
}

/// The budgets of a month (default: the current month in the user's time
/// zone), each with `spent`, `remaining` and `percent`, by category name.
#[utoipa::path(
    tag = "finances",
    params(BudgetQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of the month's budgets", body = BudgetPage),
        (status = 400, description = "Invalid cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid month or limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/finances/budgets")]
pub async fn list_budgets(
    service: web::Data<FinancesService>,
    user: AuthUser,
    query: web::Query<BudgetQuery>,
) -> Result<HttpResponse, ApiError> {
    let q = query.into_inner();
    let page = PageRequest::parse(&PageQuery {
        limit: q.limit,
        cursor: q.cursor,
    })?;
    let (month, page) = service
        .list_budgets(user.user_id, q.month.as_deref(), &page)
        .await?;
    Ok(HttpResponse::Ok().json(BudgetPage::new(month, page)))
}

/// Remove a category's budget for a month (`?month=YYYY-MM`, required).
#[utoipa::path(
    tag = "finances",
    params(
        ("category" = String, Path, description = "Category name (case-insensitive)"),
        BudgetMonthQuery,
        ("If-Match" = Option<String>, Header, description = "Delete only if the budget still has this ETag (or `*`)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such budget of yours", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match the current ETag; nothing was deleted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or invalid month", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/finances/budgets/{category}")]
pub async fn delete_budget(
    service: web::Data<FinancesService>,
    user: AuthUser,
    req: HttpRequest,
    category: web::Path<String>,
    query: web::Query<BudgetMonthQuery>,
) -> Result<HttpResponse, ApiError> {
    service
        .delete_budget(
            user.user_id,
            &category,
            query.month.as_deref(),
            if_match(&req),
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
