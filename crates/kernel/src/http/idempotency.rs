//! The HTTP side of `Idempotency-Key` on POST creates (see
//! [`crate::idempotency`]): reading the header and fingerprinting the
//! request, rendering the 201 to store, and answering with it (marked
//! `Idempotent-Replayed: true` when it is a replay).
//!
//! A handler:
//!
//! ```ignore
//! let idem = idempotent_request(&req, &body)?;
//! let outcome = service.create(user.user_id, input, idem.as_ref(), |x| {
//!     created(format!("/api/v1/things/{}", x.id), &ThingResponse::from(x))
//! }).await?;
//! Ok(respond(&outcome))
//! ```

use crate::error::ApiError;
use crate::idempotency::{
    Fingerprint, HEADER, IdempotencyKey, IdempotentRequest, Outcome, StoredResponse,
};
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse};
use serde::Serialize;

/// The response header set on a replayed create.
pub const REPLAYED_HEADER: &str = "Idempotent-Replayed";

/// The idempotency part of a create: the key header, if sent, and the
/// request's fingerprint (method, path, and the body as JSON serialises it:
/// a parsed `serde_json::Value` has sorted keys and no insignificant spaces,
/// so the same JSON written differently is the same request).
pub fn idempotent_request<B: Serialize + ?Sized>(
    req: &HttpRequest,
    body: &B,
) -> Result<Option<IdempotentRequest>, ApiError> {
    let Some(raw) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let raw = raw
        .to_str()
        .map_err(|_| ApiError::field(HEADER, "must be visible ASCII"))?;
    let key = IdempotencyKey::parse(raw)?;
    let canonical = serde_json::to_vec(body).map_err(ApiError::internal)?;
    Ok(Some(IdempotentRequest {
        key,
        fingerprint: Fingerprint::of(req.method().as_str(), req.path(), &canonical),
    }))
}

/// The 201 of a create (`Location` and a JSON body), as stored for replays.
pub fn created<T: Serialize>(location: String, body: &T) -> Result<StoredResponse, ApiError> {
    Ok(StoredResponse {
        status: 201,
        location: Some(location),
        body: serde_json::to_vec(body).map_err(ApiError::internal)?,
    })
}

/// The response of an idempotent create: the stored status, `Location` and
/// JSON body, plus `Idempotent-Replayed: true` on a replay.
pub fn respond<T>(outcome: &Outcome<T>) -> HttpResponse {
    let stored = outcome.response();
    let status = StatusCode::from_u16(stored.status).unwrap_or(StatusCode::CREATED);
    let mut res = HttpResponse::build(status);
    res.content_type("application/json");
    if let Some(location) = &stored.location {
        res.insert_header((header::LOCATION, location.clone()));
    }
    if matches!(outcome, Outcome::Replayed(_)) {
        res.insert_header((REPLAYED_HEADER, "true"));
    }
    res.body(stored.body.clone())
}
