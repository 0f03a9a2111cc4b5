//! What answers when no route matches: 405 with `Allow` when the path exists
//! under other methods, else 404. The set of routes comes from the OpenAPI
//! document, which every route is registered in.

use super::problem::Problem;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, web};
use utoipa::openapi::OpenApi;

/// Route templates and the methods each answers.
#[derive(Clone, Debug, Default)]
pub struct RouteIndex {
    routes: Vec<(Vec<Segment>, Vec<&'static str>)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Segment {
    Literal(String),
    Param,
}

impl RouteIndex {
    /// Indexes every path and method of an OpenAPI document.
    pub fn from_openapi(doc: &OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(template, item)| {
                let ops = [
                    ("GET", item.get.is_some()),
                    ("HEAD", item.get.is_some() || item.head.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                    ("OPTIONS", item.options.is_some()),
                ];
                let methods = ops.iter().filter(|(_, on)| *on).map(|(m, _)| *m).collect();
                (parse(template), methods)
            })
            .collect();
        Self { routes }
    }

    /// Methods allowed on `path`, or `None` when no route template matches it.
    pub fn allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        let mut found: Option<Vec<&'static str>> = None;
        for (segments, methods) in &self.routes {
            let matches = segments.len() == parts.len()
                && segments.iter().zip(&parts).all(|(s, p)| match s {
                    Segment::Literal(l) => l == p,
                    Segment::Param => !p.is_empty(),
                });
            if matches {
                let all = found.get_or_insert_with(Vec::new);
                for m in methods {
                    if !all.contains(m) {
                        all.push(m);
                    }
                }
            }
        }
        found
    }

    /// Methods allowed on `path` by a template without parameters that names it
    /// exactly (`/items/import`), which wins over `/items/{id}`.
    pub fn literal_allowed(&self, path: &str) -> Option<Vec<&'static str>> {
        let parts: Vec<&str> = path.trim_end_matches('/').split('/').collect();
        self.routes
            .iter()
            .find(|(segments, _)| {
                segments.len() == parts.len()
                    && segments
                        .iter()
                        .zip(&parts)
                        .all(|(s, p)| matches!(s, Segment::Literal(l) if l == p))
            })
            .map(|(_, methods)| methods.clone())
    }
}

fn parse(template: &str) -> Vec<Segment> {
    template
        .trim_end_matches('/')
        .split('/')
        .map(|s| {
            if s.starts_with('{') && s.ends_with('}') {
                Segment::Param
            } else {
                Segment::Literal(s.to_owned())
            }
        })
        .collect()
}

/// The app's default service.
pub async fn fallback(req: HttpRequest, index: Option<web::Data<RouteIndex>>) -> HttpResponse {
    let allowed = index.and_then(|i| i.allowed(req.path()));
    match allowed {
        Some(methods) => method_not_allowed(&req, &methods),
        None => Problem::new(404, "No resource matches this path.").into_response(),
    }
}

/// 405 problem+json with the `Allow` header.
pub fn method_not_allowed(req: &HttpRequest, methods: &[&str]) -> HttpResponse {
    let mut res = Problem::new(
        405,
        format!(
            "{} is not allowed here; allowed: {}.",
            req.method(),
            methods.join(", ")
        ),
    )
    .into_response();
    if let Ok(value) = HeaderValue::from_str(&methods.join(", ")) {
        res.headers_mut().insert(header::ALLOW, value);
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(routes: &[(&str, &[&'static str])]) -> RouteIndex {
        RouteIndex {
            routes: routes.iter().map(|(t, m)| (parse(t), m.to_vec())).collect(),
        }
    }

    #[test]
    fn templates_match_by_segment() {
        let idx = index(&[
            ("/api/v1/items", &["GET", "POST"]),
            ("/api/v1/items/{id}", &["GET", "DELETE"]),
        ]);
        assert_eq!(idx.allowed("/api/v1/items"), Some(vec!["GET", "POST"]));
        assert_eq!(idx.allowed("/api/v1/items/"), Some(vec!["GET", "POST"]));
        assert_eq!(
            idx.allowed("/api/v1/items/abc"),
            Some(vec!["GET", "DELETE"])
        );
        assert_eq!(idx.allowed("/api/v1/items/abc/x"), None);
        assert_eq!(idx.allowed("/api/v1/other"), None);
    }

    #[test]
    fn a_literal_route_wins_over_a_template() {
        let idx = index(&[
            ("/api/v1/items/import", &["POST"]),
            ("/api/v1/items/{id}", &["GET", "PATCH"]),
        ]);
        assert_eq!(
            idx.literal_allowed("/api/v1/items/import"),
            Some(vec!["POST"])
        );
        assert_eq!(idx.literal_allowed("/api/v1/items/abc"), None);
    }
}
