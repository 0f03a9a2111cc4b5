//! The [`AuthUser`] extractor: `Authorization: Bearer <token>`, verified by the
//! installed [`TokenVerifier`]. A read-only credential is refused (403) on any
//! method that changes data, so no handler can forget to check.

use crate::auth::{AuthUser, TokenVerifier};
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::{Method, header};
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::future::LocalBoxFuture;

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let token = bearer_token(req);
        let verifier = req.app_data::<web::Data<dyn TokenVerifier>>().cloned();
        let writes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
        Box::pin(async move {
            let token = token?;
            let verifier = verifier.ok_or_else(|| {
                ApiError::internal(anyhow::anyhow!("no TokenVerifier installed in the app"))
            })?;
            let user = verifier.verify(&token).await?;
            if writes && !user.scope.can_write() {
                return Err(ApiError::Forbidden(
                    "This token is read-only; use a read_write token to change data.".into(),
                ));
            }
            Ok(user)
        })
    }
}

fn bearer_token(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| {
            ApiError::Unauthorized("Send an Authorization: Bearer <token> header.".into())
        })?
        .to_str()
        .map_err(|_| {
            ApiError::Unauthorized("The Authorization header is not valid text.".into())
        })?;
    let (scheme, token) = value
        .split_once(' ')
        .ok_or_else(|| ApiError::Unauthorized("Use the Bearer scheme.".into()))?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(ApiError::Unauthorized("Use the Bearer scheme.".into()));
    }
    Ok(token.to_owned())
}
