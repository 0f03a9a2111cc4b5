//! The base OpenAPI document; every route adds its own path to it when
//! registered through `utoipa_actix_web`.

use kernel::FieldError;
use kernel::http::Problem;
use utoipa::OpenApi;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "my-agent",
        description = "A self-hosted personal-assistant API: finances, reminders, calendar and a dashboard. \
                       Errors are RFC 9457 problem+json; lists use keyset pagination; money is a decimal string.",
        license(name = "MIT")
    ),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "operations", description = "Liveness, readiness and metrics"),
        (name = "auth", description = "Accounts, sessions and personal access tokens"),
        (name = "users", description = "The caller's profile and preferences"),
        (name = "reminders", description = "Reminders: due times, RFC 5545 recurrence in the user's time zone, complete, snooze, reopen"),
        (name = "finances", description = "Transactions, categories, monthly budgets, summaries and CSV import/export; money is a decimal string, creates take an Idempotency-Key"),
        (name = "dashboard", description = "The home screen in one call, in the user's time zone"),
        (name = "calendar", description = "Events, RFC 5545 recurrence expanded in each event's time zone, cancelled occurrences, a secret ICS feed and ICS import"),
    )
)]
struct ApiDoc;

/// The document before routes add themselves.
pub fn base() -> utoipa::openapi::OpenApi {
    let mut doc = ApiDoc::openapi();
    kernel::http::openapi::add_bearer_scheme(&mut doc, "JWT or personal access token");
    doc.info.version = env!("CARGO_PKG_VERSION").to_owned();
    doc
}
