//! actix handlers of the `reminders` routes: parse, call the use case, shape the answer.

use super::dto::{
    CreateReminderRequest, ListQuery, ReminderResponse, SnoozeRequest, UpdateReminderRequest,
};
use crate::application::{ListParams, NewReminderInput, ReminderPatch, RemindersService};
use crate::domain::Reminder;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use kernel::http::Problem;
use kernel::http::idempotency::{created, idempotent_request, respond};
use kernel::idempotency::Outcome;
use kernel::pagination::{Page, PageQuery, PageRequest};
use kernel::{ApiError, AuthUser};
use uuid::Uuid;

/// 200 with the reminder and its `ETag`.
fn ok(reminder: Reminder) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, reminder.etag()))
        .json(ReminderResponse::from(reminder))
}

/// Create a reminder (one-off, or recurring with an RRULE).
#[utoipa::path(
    tag = "reminders",
    request_body = CreateReminderRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "1–255 visible ASCII characters. The same key with the same body within 24 h replays the first response (with `Idempotent-Replayed: true`) and creates nothing, even when the two requests race; the same key with another body: 422")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created (or replayed, with `Idempotent-Replayed: true`)", body = ReminderResponse,
         headers(("Location" = String, description = "The reminder's URL"),
                 ("ETag" = String, description = "Its version (not sent on a replay: GET the reminder for its current one)"),
                 ("Idempotent-Replayed" = String, description = "`true` when this is the stored response of an earlier request with the same Idempotency-Key"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values (each field named: title, notes, due_at, priority, rrule, repeat_from), unknown fields, an invalid Idempotency-Key, or an Idempotency-Key reused with another body (field `Idempotency-Key`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reminders")]
pub async fn create(
    service: web::Data<RemindersService>,
    user: AuthUser,
    req: HttpRequest,
    body: web::Json<CreateReminderRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let idem = idempotent_request(&req, &body)?;
    let input = NewReminderInput {
        title: body.title,
        notes: body.notes,
        due_at: body.due_at,
        priority: body.priority,
        rrule: body.rrule,
        repeat_from: body.repeat_from,
    };
    let outcome = service
        .create(user.user_id, input, idem.as_ref(), |r| {
            created(
                format!("/api/v1/reminders/{}", r.id),
                &ReminderResponse::from(r.clone()),
            )
        })
        .await?;
    let mut res = respond(&outcome);
    if let Outcome::Created(reminder, _) = &outcome {
        let etag = HeaderValue::from_str(&reminder.etag()).map_err(ApiError::internal)?;
        res.headers_mut().insert(header::ETAG, etag);
    }
    Ok(res)
}

/// The caller's reminders, by due time (`due_at`, then `id`), keyset-paged.
#[utoipa::path(
    tag = "reminders",
    params(ListQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of reminders", body = Page<ReminderResponse>),
        (status = 400, description = "Invalid cursor or unknown query parameter", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid filter value or limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reminders")]
pub async fn list(
    service: web::Data<RemindersService>,
    user: AuthUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let page = PageRequest::parse(&PageQuery {
        limit: query.limit,
        cursor: query.cursor,
    })?;
    let params = ListParams {
        status: query.status,
        priority: query.priority,
        due_from: query.due_from,
        due_to: query.due_to,
        overdue: query.overdue,
    };
    let page = service.list(user.user_id, &params, &page).await?;
    Ok(HttpResponse::Ok().json(page.map(ReminderResponse::from)))
}

/// One reminder.
#[utoipa::path(
    tag = "reminders",
    params(("id" = Uuid, Path, description = "Reminder id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The reminder", body = ReminderResponse,
         headers(("ETag" = String, description = "This version of the reminder, for If-Match"))),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reminder", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reminders/{id}")]
pub async fn get(
    service: web::Data<RemindersService>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let reminder = service.get(user.user_id, id.into_inner()).await?;
    Ok(ok(reminder))
}

/// Change a reminder; changing `due_at` or `rrule` restarts a recurring series there.
#[utoipa::path(
    tag = "reminders",
    params(
        ("id" = Uuid, Path, description = "Reminder id"),
        ("If-Match" = Option<String>, Header, description = "Apply only if the reminder still has this ETag (or `*`)"),
    ),
    request_body = UpdateReminderRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated reminder", body = ReminderResponse),
        (status = 400, description = "Malformed body or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reminder", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match the current ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values (each field named) or unknown fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/reminders/{id}")]
pub async fn update(
    service: web::Data<RemindersService>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
    body: web::Json<UpdateReminderRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let patch = ReminderPatch {
        title: body.title,
        notes: body.notes,
        due_at: body.due_at,
        priority: body.priority,
        rrule: body.rrule,
        repeat_from: body.repeat_from,
    };
    let reminder = service
        .update(
            user.user_id,
            id.into_inner(),
            patch,
            kernel::http::if_match(&req),
        )
        .await?;
    Ok(ok(reminder))
}

/// Delete a reminder (a recurring one with its whole series).
#[utoipa::path(
    tag = "reminders",
    params(
        ("id" = Uuid, Path, description = "Reminder id"),
        ("If-Match" = Option<String>, Header, description = "Delete only if the reminder still has this ETag (or `*`)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reminder", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match the current ETag", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/reminders/{id}")]
pub async fn delete(
    service: web::Data<RemindersService>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service
        .delete(user.user_id, id.into_inner(), kernel::http::if_match(&req))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Complete a reminder: a one-off one is done; a recurring one records the
/// completion and moves to its next occurrence (computed in the user's time
/// zone), and is done once its rule is exhausted (COUNT/UNTIL).
#[utoipa::path(
    tag = "reminders",
    params(("id" = Uuid, Path, description = "Reminder id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The reminder after completion", body = ReminderResponse),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reminder", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already done", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reminders/{id}/complete")]
pub async fn complete(
    service: web::Data<RemindersService>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let reminder = service.complete(user.user_id, id.into_inner()).await?;
    Ok(ok(reminder))
}

/// Snooze the current occurrence: `due_at` moves to `until`; the schedule
/// (and so the next occurrence) stays.
#[utoipa::path(
    tag = "reminders",
    params(("id" = Uuid, Path, description = "Reminder id")),
    request_body = SnoozeRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The snoozed reminder", body = ReminderResponse),
        (status = 400, description = "Malformed body or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reminder", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Done reminders cannot be snoozed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "`until` is not an RFC 3339 instant in the future", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reminders/{id}/snooze")]
pub async fn snooze(
    service: web::Data<RemindersService>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: web::Json<SnoozeRequest>,
) -> Result<HttpResponse, ApiError> {
    let reminder = service
        .snooze(user.user_id, id.into_inner(), &body.until)
        .await?;
    Ok(ok(reminder))
}

/// Reopen a done reminder: pending again at its due time.
#[utoipa::path(
    tag = "reminders",
    params(("id" = Uuid, Path, description = "Reminder id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The reopened reminder", body = ReminderResponse),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such reminder", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not done", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/reminders/{id}/reopen")]
pub async fn reopen(
    service: web::Data<RemindersService>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let reminder = service.reopen(user.user_id, id.into_inner()).await?;
    Ok(ok(reminder))
}
