//! Prometheus metrics: requests by route template and status, latency
//! histogram by route, and database pool gauges read at scrape time.

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, web};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use std::sync::Arc;

/// A snapshot of the database pool.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PoolStatus {
    /// The most connections the pool will open.
    pub max_size: usize,
    /// Connections open now.
    pub size: usize,
    /// Open connections not in use.
    pub idle: usize,
    /// Requests waiting for a connection.
    pub waiting: usize,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

type PoolProbe = Arc<dyn Fn() -> PoolStatus + Send + Sync>;

/// The process's metrics. Cheap to clone; share one per process.
#[derive(Clone)]
pub struct Metrics {
    registry: Arc<Registry>,
    requests: Family<RequestLabels, Counter>,
    latency: Family<RouteLabels, Histogram, fn() -> Histogram>,
    pool: Option<(PoolProbe, [Gauge; 4])>,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

impl Metrics {
    /// Metrics with the pool gauges fed by `pool_probe` (called at each scrape).
    pub fn new(pool_probe: Option<PoolProbe>) -> Self {
        let mut registry = Registry::with_prefix("my_agent");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by method, route template and status",
            requests.clone(),
        );
        let latency = Family::<RouteLabels, Histogram, fn() -> Histogram>::new_with_constructor(
            latency_histogram,
        );
        registry.register(
            "http_request_duration_seconds",
            "HTTP request latency in seconds, by method and route template",
            latency.clone(),
        );
        let pool = pool_probe.map(|probe| {
            let gauges: [Gauge; 4] = Default::default();
            let names = [
                ("db_pool_max_size", "Most connections the pool will open"),
                ("db_pool_size", "Database connections open"),
                ("db_pool_idle", "Open database connections not in use"),
                (
                    "db_pool_waiting",
                    "Requests waiting for a database connection",
                ),
            ];
            for (gauge, (name, help)) in gauges.iter().zip(names) {
                registry.register(name, help, gauge.clone());
            }
            (probe, gauges)
        });
        Self {
            registry: Arc::new(registry),
            requests,
            latency,
            pool,
        }
    }

    /// Records one answered request. `route` must be a template (`/items/{id}`), never a raw path.
    pub fn observe(&self, method: &str, route: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                method: method.to_owned(),
                route: route.to_owned(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.to_owned(),
                route: route.to_owned(),
            })
            .observe(seconds);
    }

    /// The OpenMetrics text exposition (Prometheus scrapes it).
    pub fn render(&self) -> String {
        if let Some((probe, [max, size, idle, waiting])) = &self.pool {
            let status = probe();
            for (gauge, value) in [
                (max, status.max_size),
                (size, status.size),
                (idle, status.idle),
                (waiting, status.waiting),
            ] {
                gauge.set(i64::try_from(value).unwrap_or(i64::MAX));
            }
        }
        let mut out = String::new();
        // Writing into a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}

fn latency_histogram() -> Histogram {
    // 0.5 ms to ~16 s.
    Histogram::new(exponential_buckets(0.0005, 2.0, 16))
}

/// `GET /metrics`.
pub async fn metrics_endpoint(metrics: web::Data<Metrics>) -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/openmetrics-text; version=1.0.0; charset=utf-8"),
        ))
        .body(metrics.render())
}
