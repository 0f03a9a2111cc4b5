//! actix handlers of the `users` routes.

use super::dto::{DeleteAccountRequest, ProfileResponse, UpdateProfileRequest};
use crate::application::{AccountLifecycle, ProfilePatch, UsersService};
use crate::domain::Profile;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, web};
use kernel::http::Problem;
use kernel::{ApiError, AuthUser};

/// 200 with the profile and its `ETag`.
fn ok(profile: Profile, email: String) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::ETAG, profile.etag()))
        .json(ProfileResponse::new(profile, email))
}

/// The caller's profile.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The profile", body = ProfileResponse,
         headers(("ETag" = String, description = "This version of the profile, for If-Match"))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/me")]
pub async fn me(
    service: web::Data<UsersService>,
    user: AuthUser,
) -> Result<HttpResponse, ApiError> {
    let (profile, email) = service.me(user.user_id).await?;
    Ok(ok(profile, email))
}

/// Change display name, time zone, currency, locale or week start.
#[utoipa::path(
    tag = "users",
    params(("If-Match" = Option<String>, Header, description = "Apply only if the profile still has this ETag (or `*`)")),
    request_body = UpdateProfileRequest,
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The updated profile", body = ProfileResponse,
         headers(("ETag" = String, description = "The new version of the profile"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match the current ETag", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid values (each field named) or unknown fields", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/users/me")]
pub async fn update_me(
    service: web::Data<UsersService>,
    user: AuthUser,
    req: HttpRequest,
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
    let profile = service
        .update(user.user_id, &patch, kernel::http::if_match(&req))
        .await?;
    let email = service.email(user.user_id).await?;
    Ok(ok(profile, email))
}

/// Delete the account: every row of the user in every module, in one transaction.
#[utoipa::path(
    tag = "users",
    params(("If-Match" = Option<String>, Header, description = "Delete only if the profile still has this ETag (or `*`)")),
    request_body = DeleteAccountRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Deleted; the tokens stop working"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Read-only token", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match the profile's current ETag; nothing deleted", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/users/me")]
pub async fn delete_me(
    lifecycle: web::Data<dyn AccountLifecycle>,
    user: AuthUser,
    req: HttpRequest,
    body: web::Json<DeleteAccountRequest>,
) -> Result<HttpResponse, ApiError> {
    lifecycle
        .close(user.user_id, &body.password, kernel::http::if_match(&req))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Every piece of the caller's data from every module, as one JSON document
/// (`format` `my-agent-export`, `version` 1; every section an array), streamed.
#[utoipa::path(
    tag = "users",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The export document", content_type = "application/json", body = Object),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/users/me/export")]
pub async fn export_me(lifecycle: web::Data<dyn AccountLifecycle>, user: AuthUser) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .insert_header((
            "content-disposition",
            "attachment; filename=\"my-agent-export.json\"",
        ))
        .streaming(lifecycle.export(user.user_id))
}
