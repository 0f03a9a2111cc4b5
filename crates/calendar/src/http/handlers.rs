//! actix handlers of the `calendar` routes: parse, call the use case, shape the answer.

use super::dto::{
    CreateEventRequest, CreateExceptionRequest, EventResponse, ExceptionResponse, FeedQuery,
    FeedTokenResponse, ImportResponse, OccurrenceList, OccurrenceResponse, RangeQuery,
    UpdateEventRequest,
};
use crate::application::{CalendarService, MAX_IMPORT_BYTES};
use crate::domain::Event;
use crate::domain::event::parse_instant;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use futures_util::StreamExt as _;
use kernel::http::Problem;
use kernel::http::idempotency::{created, idempotent_request, respond};
use kernel::idempotency::Outcome;
use kernel::{ApiError, AuthUser, FieldError};
use sha2::{Digest as _, Sha256};
use uuid::Uuid;

const TEXT_CALENDAR: &str = "text/calendar";

fn ok(event: &Event) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, event.etag()))
        .json(EventResponse::from(event))
}

/// Create an event (single, all-day, or a recurring series).
#[utoipa::path(
    tag = "calendar",
    request_body = CreateEventRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "1–255 visible ASCII characters. The same key with the same body within 24 h replays the first response (with `Idempotent-Replayed: true`) and creates nothing, even when the two requests race; the same key with another body: 422")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created (or replayed, with `Idempotent-Replayed: true`)", body = EventResponse,
         headers(("Location" = String, description = "The event's URL"),
                 ("ETag" = String, description = "Its version (not sent on a replay: GET the event for its current one)"),
                 ("Idempotent-Replayed" = String, description = "`true` when this is the stored response of an earlier request with the same Idempotency-Key"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values (each field named), unknown fields, an invalid Idempotency-Key, or an Idempotency-Key reused with another body (field `Idempotency-Key`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calendar/events")]
pub async fn create_event(
    service: web::Data<CalendarService>,
    user: AuthUser,
    req: HttpRequest,
    body: web::Json<CreateEventRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let idem = idempotent_request(&req, &body)?;
    let outcome = service
        .create(user.user_id, &body.into(), idem.as_ref(), |event| {
            created(
                format!("/api/v1/calendar/events/{}", event.id),
                &EventResponse::from(event),
            )
        })
        .await?;
    let mut res = respond(&outcome);
    if let Outcome::Created(event, _) = &outcome {
        let etag = HeaderValue::from_str(&event.etag()).map_err(ApiError::internal)?;
        res.headers_mut().insert(header::ETAG, etag);
    }
    Ok(res)
}

/// Every single event and every occurrence of recurring events overlapping
/// `[from, to)` (at most 366 days), expanded in each event's time zone, minus
/// cancelled occurrences, sorted by start.
#[utoipa::path(
    tag = "calendar",
    params(RangeQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The occurrences", body = OccurrenceList),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "from/to missing or not RFC 3339, to not after from, or a window over 366 days", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calendar/events")]
pub async fn list_occurrences(
    service: web::Data<CalendarService>,
    user: AuthUser,
    query: web::Query<RangeQuery>,
) -> Result<HttpResponse, ApiError> {
    let mut errors = Vec::new();
    let mut read = |field: &str, raw: Option<&str>| match raw.map(parse_instant) {
        Some(Ok(t)) => Some(t),
        Some(Err(e)) => {
            errors.push(FieldError::new(field, e));
            None
        }
        None => {
            errors.push(FieldError::new(field, "is required (RFC 3339)"));
            None
        }
    };
    let from = read("from", query.from.as_deref());
    let to = read("to", query.to.as_deref());
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::Validation(errors));
    };
    let items = service.occurrences(user.user_id, from, to).await?;
    Ok(HttpResponse::Ok().json(OccurrenceList {
        from,
        to,
        items: items.iter().map(OccurrenceResponse::from).collect(),
    }))
}

/// One event (the series, for a recurring one), with its `ETag`.
#[utoipa::path(
    tag = "calendar",
    params(("id" = Uuid, Path, description = "Event id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The event", body = EventResponse,
         headers(("ETag" = String, description = "Its version, for If-Match"))),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event (or another user's)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calendar/events/{id}")]
pub async fn get_event(
    service: web::Data<CalendarService>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    Ok(ok(&service.get(user.user_id, id.into_inner()).await?))
}

/// Change an event (for a recurring one, the whole series; its cancelled
/// occurrences are kept, moved with the series' start).
#[utoipa::path(
    tag = "calendar",
    params(
        ("id" = Uuid, Path, description = "Event id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read: 412 if the event changed since"),
    ),
    request_body = UpdateEventRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated event", body = EventResponse),
        (status = 400, description = "Malformed body or id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event (or another user's)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values (each field named) or unknown fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/calendar/events/{id}")]
pub async fn update_event(
    req: HttpRequest,
    service: web::Data<CalendarService>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: web::Json<UpdateEventRequest>,
) -> Result<HttpResponse, ApiError> {
    let event = service
        .update(
            user.user_id,
            id.into_inner(),
            &body.into_inner().into(),
            kernel::http::if_match(&req).as_ref(),
        )
        .await?;
    Ok(ok(&event))
}

/// Delete an event (a whole series, with its exceptions).
#[utoipa::path(
    tag = "calendar",
    params(
        ("id" = Uuid, Path, description = "Event id"),
        ("If-Match" = Option<String>, Header, description = "The ETag last read: 412 if the event changed since"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event (or another user's)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/calendar/events/{id}")]
pub async fn delete_event(
    req: HttpRequest,
    service: web::Data<CalendarService>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service
        .delete(
            user.user_id,
            id.into_inner(),
            kernel::http::if_match(&req).as_ref(),
        )
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Cancel one occurrence of a recurring event (an EXDATE). Cancelling it again answers 200 with the same record.
#[utoipa::path(
    tag = "calendar",
    params(("id" = Uuid, Path, description = "Event id (the series)")),
    request_body = CreateExceptionRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Cancelled", body = ExceptionResponse,
         headers(("Location" = String, description = "The exception's URL (DELETE it to restore the occurrence)"))),
        (status = 200, description = "Already cancelled", body = ExceptionResponse),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such event (or another user's)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a recurring event, or not the start of one of its occurrences", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calendar/events/{id}/exceptions")]
pub async fn cancel_occurrence(
    service: web::Data<CalendarService>,
    user: AuthUser,
    id: web::Path<Uuid>,
    body: web::Json<CreateExceptionRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (exception, created) = service
        .cancel_occurrence(user.user_id, id, &body.occurrence_start)
        .await?;
    let location = format!("/api/v1/calendar/events/{id}/exceptions/{}", exception.id);
    let mut res = if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    };
    Ok(res
        .insert_header((header::LOCATION, location))
        .json(ExceptionResponse::from(exception)))
}

/// Restore a cancelled occurrence.
#[utoipa::path(
    tag = "calendar",
    params(
        ("id" = Uuid, Path, description = "Event id (the series)"),
        ("exception_id" = Uuid, Path, description = "Exception id"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Restored"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such exception (or another user's)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/calendar/events/{id}/exceptions/{exception_id}")]
pub async fn restore_occurrence(
    service: web::Data<CalendarService>,
    user: AuthUser,
    path: web::Path<(Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (id, exception_id) = path.into_inner();
    service
        .restore_occurrence(user.user_id, id, exception_id)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Create or rotate the secret ICS feed URL. The previous URL stops working.
#[utoipa::path(
    tag = "calendar",
    security(("bearer" = [])),
    responses(
        (status = 201, description = "The new feed URL (shown once)", body = FeedTokenResponse,
         headers(("Location" = String, description = "The feed URL"))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calendar/feed-token")]
pub async fn rotate_feed_token(
    req: HttpRequest,
    service: web::Data<CalendarService>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    let token = service.rotate_feed_token(user.user_id).await?;
    let info = req.connection_info();
    let url = format!(
        "{}://{}/api/v1/calendar/feed.ics?token={}",
        info.scheme(),
        info.host(),
        token.encode()
    );
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, url.clone()))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .json(FeedTokenResponse { url }))
}

/// The user's events as an RFC 5545 calendar (VTIMEZONE, RRULE, EXDATE), for
/// subscription from Google Calendar, Apple Calendar or Thunderbird. No
/// bearer token: the secret `token` is the credential.
#[utoipa::path(
    tag = "calendar",
    params(FeedQuery),
    responses(
        (status = 200, description = "The calendar", content_type = "text/calendar", body = String,
         headers(("ETag" = String, description = "Validator of the content"))),
        (status = 304, description = "Unchanged since the ETag sent in If-None-Match"),
        (status = 400, description = "token missing", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "Unknown, rotated or malformed token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/calendar/feed.ics")]
pub async fn feed(
    req: HttpRequest,
    service: web::Data<CalendarService>,
    query: web::Query<FeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let body = service.feed(&query.token).await?;
    // A strong validator of the content, so polling clients get 304s while nothing changed.
    let digest = Sha256::digest(body.as_bytes());
    let etag = format!(
        "\"{}\"",
        digest
            .iter()
            .take(16)
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    );
    let unchanged = req
        .headers()
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            v.split(',')
                .any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*")
        });
    let mut res = if unchanged {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, etag))
        .insert_header((header::CACHE_CONTROL, "private, max-age=300"));
    if unchanged {
        return Ok(res.finish());
    }
    Ok(res
        .content_type("text/calendar; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            "inline; filename=\"my-agent.ics\"",
        ))
        .body(body))
}

/// Import an iCalendar file (`text/calendar`, at most 2 MiB): VEVENTs with
/// DTSTART/DTEND or DURATION, TZID (IANA, Windows or defined by a VTIMEZONE),
/// floating and UTC times, all-day dates, RRULE, EXDATE. An event whose UID
/// exists is updated. All or nothing: any malformed part is a 422 naming it.
#[utoipa::path(
    tag = "calendar",
    request_body(content = String, content_type = "text/calendar", description = "An RFC 5545 calendar"),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Imported", body = ImportResponse),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body over 2 MiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Not text/calendar", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed calendar: each problem named, nothing written", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/calendar/import")]
pub async fn import(
    req: HttpRequest,
    service: web::Data<CalendarService>,
    user: AuthUser,
    mut payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    if !essence.eq_ignore_ascii_case(TEXT_CALENDAR) {
        return Err(ApiError::UnsupportedMediaType(
            "Send the calendar as text/calendar.".into(),
        ));
    }
    let too_large = || {
        ApiError::PayloadTooLarge(format!(
            "An import may be at most {MAX_IMPORT_BYTES} bytes."
        ))
    };
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > MAX_IMPORT_BYTES) {
        return Err(too_large());
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk =
            chunk.map_err(|e| ApiError::BadRequest(format!("The body could not be read: {e}")))?;
        if body.len() + chunk.len() > MAX_IMPORT_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    let report = service.import(user.user_id, &body).await?;
    Ok(HttpResponse::Ok().json(ImportResponse::from(report)))
}
