//! actix handlers of the `users` routes.

use super::dto::{ProfileResponse, UpdateProfileRequest};
use crate::application::{ProfilePatch, UsersService};
use actix_web::{HttpResponse, get, patch, web};
use kernel::http::Problem;
use kernel::{ApiError, AuthUser};

/// The caller's profile.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = ProfileResponse),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/me")]
pub async fn me(
    service: web::Data<UsersService>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    let (profile, email) = service.me(user.user_id).await?;
    Ok(HttpResponse::Ok().json(ProfileResponse::new(profile, email)))
}

/// Change display name, time zone, currency, locale or week start.
#[utoipa::path(
    tag = "users",
    request_body = UpdateProfileRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated profile", body = ProfileResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values (each field named) or unknown fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/me")]
pub async fn update_me(
    service: web::Data<UsersService>,
    user: AuthUser,
    body: web::Json<UpdateProfileRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let patch = ProfilePatch {
        display_name: body.display_name,
        timezone: body.timezone,
        currency: body.currency,
        locale: body.locale,
        week_start: body.week_start,
    };
    let profile = service.update(user.user_id, &patch).await?;
    let email = service.email(user.user_id).await?;
    Ok(HttpResponse::Ok().json(ProfileResponse::new(profile, email)))
}
