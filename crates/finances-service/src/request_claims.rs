//! The verified caller's time-zone claim, kept for the duration of one request.
//!
//! [`scope`] (middleware) opens a tokio task-local slot around the request;
//! the token verifier [`record`]s the `tz` claim in it when it accepts a
//! token; [`ClaimTimezones`] (the finances module's `UserTimezones` port)
//! reads it back for the same user. Outside a request, or when the token has
//! no `tz` claim, the zone is UTC and a warning says so.
//!
//! Staleness: the claim is what the user's profile said when the token was
//! minted; a profile change reaches this service at the next refresh, at most
//! one access-token lifetime later.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use chrono_tz::Tz;
use kernel::{ApiError, UserId};
use std::sync::Mutex;

/// What the verifier accepted for this request: whose token, and its `tz`.
type Slot = Mutex<Option<(UserId, Option<String>)>>;

tokio::task_local! {
    static CLAIMS: Slot;
}

/// Middleware: an empty claims slot around the rest of the request.
pub async fn scope(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    CLAIMS.scope(Mutex::new(None), next.call(req)).await
}

/// Records the verified caller's `tz` claim; a no-op outside [`scope`].
pub fn record(user_id: UserId, timezone: Option<String>) {
    let _ = CLAIMS.try_with(|slot| {
        if let Ok(mut slot) = slot.lock() {
            *slot = Some((user_id, timezone));
        }
    });
}

/// The `tz` claim recorded for `user_id` in this request, if any.
fn recorded(user_id: UserId) -> Option<String> {
    CLAIMS
        .try_with(|slot| {
            slot.lock()
                .ok()
                .and_then(|slot| slot.clone())
                .filter(|(owner, _)| *owner == user_id)
                .and_then(|(_, timezone)| timezone)
        })
        .ok()
        .flatten()
}

/// The finances module's "user's time zone" port, answered from the token.
#[derive(Clone, Copy, Debug, Default)]
pub struct ClaimTimezones;

#[async_trait::async_trait]
impl finances::application::UserTimezones for ClaimTimezones {
    async fn timezone(&self, user_id: UserId) -> Result<Tz, ApiError> {
        let Some(name) = recorded(user_id) else {
            tracing::warn!(%user_id, "the access token carries no tz claim; using UTC");
            return Ok(Tz::UTC);
        };
        Ok(name.parse().unwrap_or_else(|_| {
            tracing::warn!(%user_id, tz = %name, "unknown tz claim; using UTC");
            Tz::UTC
        }))
    }
}
