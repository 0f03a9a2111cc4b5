//! actix handlers of the `auth` routes: parse, call the use case, shape the answer.

use super::dto::{
    ChangePasswordRequest, CreateTokenRequest, CreatedTokenResponse, LoginRequest, RefreshRequest,
    RegisterRequest, SessionResponse, TokenInfo, TokenResponse,
};
use crate::application::{AuthService, ClientInfo, NewPatRequest, ProfileDraft, Registration};
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use kernel::http::Problem;
use kernel::pagination::{Page, PageQuery, PageRequest};
use kernel::{ApiError, AuthUser};
use uuid::Uuid;

const MAX_USER_AGENT: usize = 256;

fn client_info(req: &HttpRequest) -> ClientInfo {
    ClientInfo {
        user_agent: req
            .headers()
            .get(header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(MAX_USER_AGENT).collect()),
        ip: req.peer_addr().map(|a| a.ip().to_string()),
    }
}

/// Create an account and log it in.
#[utoipa::path(
    tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Account created; tokens for its first session", body = TokenResponse,
         headers(("Location" = String, description = "The new account's profile"))),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Email already registered", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid email, password or profile field", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/register")]
pub async fn register(
    service: web::Data<AuthService>,
    req: HttpRequest,
    body: web::Json<RegisterRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let pair = service
        .register(
            Registration {
                email: body.email,
                password: body.password,
                profile: ProfileDraft {
                    display_name: body.display_name,
                    timezone: body.timezone,
                    currency: body.currency,
                },
            },
            &client_info(&req),
        )
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, "/api/v1/users/me"))
        .json(TokenResponse::from(pair)))
}

/// Log in with email and password.
#[utoipa::path(
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Tokens for a new session", body = TokenResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Wrong email or password (one answer for both)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Body of the wrong shape", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    service: web::Data<AuthService>,
    req: HttpRequest,
    body: web::Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let pair = service
        .login(&body.email, &body.password, &client_info(&req))
        .await?;
    Ok(HttpResponse::Ok().json(TokenResponse::from(pair)))
}

/// Spend a refresh token for a new pair (re-using a spent one revokes its session).
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new token pair", body = TokenResponse),
        (status = 400, description = "Malformed body", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Invalid, spent, expired or revoked refresh token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Body of the wrong shape", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    service: web::Data<AuthService>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let pair = service.refresh(&body.refresh_token).await?;
    Ok(HttpResponse::Ok().json(TokenResponse::from(pair)))
}

/// End the session of a refresh token.
#[utoipa::path(
    tag = "auth",
    request_body = RefreshRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Session revoked (or already gone)"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Not a refresh token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    service: web::Data<AuthService>,
    user: AuthUser,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    service.logout(&user, &body.refresh_token).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The caller's active sessions, newest first.
#[utoipa::path(
    tag = "auth",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of sessions", body = Page<SessionResponse>),
        (status = 400, description = "Invalid cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/auth/sessions")]
pub async fn list_sessions(
    service: web::Data<AuthService>,
    user: AuthUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service
        .list_sessions(&user, &PageRequest::parse(&query)?)
        .await?;
    Ok(HttpResponse::Ok().json(page.map(|s| SessionResponse::new(s, user.session_id))))
}

/// Revoke one of the caller's sessions.
#[utoipa::path(
    tag = "auth",
    params(("id" = Uuid, Path, description = "Session id")),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Personal access tokens cannot manage sessions", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such active session", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/auth/sessions/{id}")]
pub async fn revoke_session(
    service: web::Data<AuthService>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service.revoke_session(&user, id.into_inner()).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Change the password; every other session is revoked.
#[utoipa::path(
    tag = "auth",
    request_body = ChangePasswordRequest,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Personal access tokens cannot change the password", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password or a new password against the policy", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/password")]
pub async fn change_password(
    service: web::Data<AuthService>,
    user: AuthUser,
    body: web::Json<ChangePasswordRequest>,
) -> Result<HttpResponse, ApiError> {
    service
        .change_password(&user, &body.current_password, &body.new_password)
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Create a personal access token for scripts; its secret is shown once.
#[utoipa::path(
    tag = "auth",
    request_body = CreateTokenRequest,
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Created; `token` is the secret", body = CreatedTokenResponse,
         headers(("Location" = String, description = "The token's URL"),
                 ("ETag" = String, description = "This version of the token, for If-Match"))),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Personal access tokens cannot create tokens", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid name, scope or expiry", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/tokens")]
pub async fn create_token(
    service: web::Data<AuthService>,
    user: AuthUser,
    body: web::Json<CreateTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    let created = service
        .create_pat(
            &user,
            NewPatRequest {
                name: body.name,
                scope: body.scope,
                expires_in_days: body.expires_in_days,
            },
        )
        .await?;
    Ok(HttpResponse::Created()
        .insert_header((
            header::LOCATION,
            format!("/api/v1/auth/tokens/{}", created.token.id),
        ))
        .insert_header((header::ETAG, created.token.etag()))
        .json(CreatedTokenResponse::from(created)))
}

/// The caller's personal access tokens (never their secrets).
#[utoipa::path(
    tag = "auth",
    params(PageQuery),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "One page of tokens", body = Page<TokenInfo>),
        (status = 400, description = "Invalid cursor", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid limit", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/auth/tokens")]
pub async fn list_tokens(
    service: web::Data<AuthService>,
    user: AuthUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = service
        .list_pats(&user, &PageRequest::parse(&query)?)
        .await?;
    Ok(HttpResponse::Ok().json(page.map(TokenInfo::from)))
}

/// One personal access token (never its secret).
#[utoipa::path(
    tag = "auth",
    params(("id" = Uuid, Path, description = "Token id")),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The token", body = TokenInfo,
         headers(("ETag" = String, description = "This version of the token, for If-Match; it changes whenever the token is used (`last_used_at`)"))),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such token", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/auth/tokens/{id}")]
pub async fn get_token(
    service: web::Data<AuthService>,
    user: AuthUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let token = service.get_pat(&user, id.into_inner()).await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::ETAG, token.etag()))
        .json(TokenInfo::from(token)))
}

/// Revoke a personal access token.
#[utoipa::path(
    tag = "auth",
    params(
        ("id" = Uuid, Path, description = "Token id"),
        ("If-Match" = Option<String>, Header, description = "Revoke only if the token still has this ETag (or `*`)"),
    ),
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 400, description = "Malformed id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "Missing or invalid access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "Personal access tokens cannot revoke tokens", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such token", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "If-Match does not match the current ETag; the token is not revoked", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/auth/tokens/{id}")]
pub async fn revoke_token(
    service: web::Data<AuthService>,
    user: AuthUser,
    req: HttpRequest,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    service
        .revoke_pat(&user, id.into_inner(), kernel::http::if_match(&req))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
