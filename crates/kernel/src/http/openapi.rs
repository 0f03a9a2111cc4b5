//! The error answers every operation can give whatever its module, added to
//! the OpenAPI document once instead of being repeated in every handler.
//!
//! The plumbing in this crate answers them for every route: malformed input
//! (400) from the extractor configs, bodies too big or of the wrong type
//! (413/415), and an unreachable database (503) from any repository.

use super::problem::{PROBLEM_JSON, Problem};
use actix_web::{HttpResponse, web};
use utoipa::PartialSchema;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder, Schema};

/// A shared answer: its status, the component it is stored as, and what it means.
struct Common {
    status: &'static str,
    name: &'static str,
    description: &'static str,
    applies: fn(&Operation, &str) -> bool,
}

const COMMON: &[Common] = &[
    Common {
        status: "400",
        name: "BadRequest",
        description: "Malformed request: unparsable JSON, a path or query parameter of the wrong form, or a tampered cursor",
        applies: |op, _| {
            op.request_body.is_some() || op.parameters.as_ref().is_some_and(|p| !p.is_empty())
        },
    },
    Common {
        status: "413",
        name: "PayloadTooLarge",
        description: "The body is larger than this operation accepts",
        applies: |op, _| op.request_body.is_some(),
    },
    Common {
        status: "415",
        name: "UnsupportedMediaType",
        description: "The body is missing or not of a media type this operation accepts",
        applies: |op, _| op.request_body.is_some(),
    },
    Common {
        status: "503",
        name: "ServiceUnavailable",
        description: "The database is unreachable right now; retry later",
        applies: |_, path| path.starts_with("/api/"),
    },
];

/// Adds the [common answers](self) to every operation they apply to that does
/// not document that status itself, as references to shared responses, and
/// bounds header parameters to what the HTTP layer accepts.
pub fn add_common_responses(doc: &mut OpenApi) {
    let components = doc.components.get_or_insert_with(Default::default);
    components
        .schemas
        .entry("Problem".to_owned())
        .or_insert_with(Problem::schema);
    for common in COMMON {
        let response = ResponseBuilder::new()
            .description(common.description)
            .content(
                PROBLEM_JSON,
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build();
        components
            .responses
            .insert(common.name.to_owned(), RefOr::T(response));
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let operations = [
            &mut item.get,
            &mut item.put,
            &mut item.post,
            &mut item.delete,
            &mut item.patch,
        ];
        for op in operations.into_iter().flatten() {
            constrain_header_values(op);
            for common in COMMON {
                if (common.applies)(op, path) {
                    op.responses
                        .responses
                        .entry(common.status.to_owned())
                        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(common.name)));
                }
            }
        }
    }
}

/// What a header value may hold: visible ASCII, inner spaces allowed (RFC
/// 9110 field values without obsolete text). The HTTP layer refuses control
/// characters before any handler runs, so the document says so.
pub const HEADER_VALUE_PATTERN: &str = "^[!-~]([ -~]*[!-~])?$";

fn constrain_header_values(op: &mut Operation) {
    let headers = op.parameters.iter_mut().flatten().filter_map(|p| match p {
        RefOr::T(p) if p.parameter_in == ParameterIn::Header => p.schema.as_mut(),
        _ => None,
    });
    for schema in headers {
        if let RefOr::T(Schema::Object(object)) = schema
            && object.pattern.is_none()
        {
            object.pattern = Some(HEADER_VALUE_PATTERN.to_owned());
        }
    }
}

/// The security scheme every protected operation names (`security(("bearer" = []))`).
pub const BEARER: &str = "bearer";

/// Adds the [`BEARER`] HTTP bearer scheme, its tokens described as `bearer_format`.
pub fn add_bearer_scheme(doc: &mut OpenApi, bearer_format: &str) {
    doc.components
        .get_or_insert_with(Default::default)
        .add_security_scheme(
            BEARER,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format(bearer_format)
                    .build(),
            ),
        );
}

/// The finished document, serialized once per worker for [`serve_document`].
pub struct ServedDocument(web::Bytes);

impl ServedDocument {
    /// Serializes `doc`.
    pub fn new(doc: &OpenApi) -> Self {
        Self(serde_json::to_vec(doc).unwrap_or_default().into())
    }
}

/// `GET …/openapi.json`: the [`ServedDocument`] registered as app data.
pub async fn serve_document(doc: web::Data<ServedDocument>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::openapi::path::{OperationBuilder, PathItem};
    use utoipa::openapi::request_body::RequestBodyBuilder;
    use utoipa::openapi::{HttpMethod, PathsBuilder};

    fn statuses(doc: &OpenApi, path: &str, get: bool) -> Vec<String> {
        let item = &doc.paths.paths[path];
        let op = if get { &item.get } else { &item.post };
        op.as_ref()
            .map(|o| o.responses.responses.keys().cloned().collect())
            .unwrap_or_default()
    }

    #[test]
    fn bodies_get_400_413_415_and_api_routes_503() {
        let with_body = OperationBuilder::new()
            .request_body(Some(RequestBodyBuilder::new().build()))
            .build();
        let plain = OperationBuilder::new().build();
        let mut doc = OpenApi::new(
            Default::default(),
            PathsBuilder::new()
                .path("/api/v1/things", PathItem::new(HttpMethod::Post, with_body))
                .path("/health", PathItem::new(HttpMethod::Get, plain)),
        );
        add_common_responses(&mut doc);
        assert_eq!(
            statuses(&doc, "/api/v1/things", false),
            ["400", "413", "415", "503"]
        );
        assert!(statuses(&doc, "/health", true).is_empty());
        let responses = &doc.components.as_ref().map(|c| c.responses.len());
        assert_eq!(*responses, Some(4));
    }
}
