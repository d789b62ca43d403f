//! Plain-HTTP probe server: `/healthz` and `/livez` (the process answers), `/readyz` (for
//! `serve`: only once the cluster caches are synced) and `/metrics`. Plain HTTP so probes and
//! scrapers need no CA.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::http::{StatusCode, header};
use axum::routing::get;
use tokio_util::sync::CancellationToken;

use crate::metrics::Metrics;

/// Readiness check and a hook run before each scrape (to refresh gauges).
pub type Hook = Arc<dyn Fn() -> bool + Send + Sync>;

/// The probe routes, always ready.
pub fn router(metrics: Arc<Metrics>) -> Router {
    router_with(metrics, Arc::new(|| true), Arc::new(|| true))
}

/// The probe routes with a readiness check and a pre-scrape hook.
pub fn router_with(metrics: Arc<Metrics>, ready: Hook, before_scrape: Hook) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/livez", get(|| async { "ok" }))
        .route(
            "/readyz",
            get(move || {
                let ready = ready();
                async move {
                    if ready {
                        (StatusCode::OK, "ok")
                    } else {
                        (StatusCode::SERVICE_UNAVAILABLE, "caches not synced")
                    }
                }
            }),
        )
        .route(
            "/metrics",
            get(move || {
                before_scrape();
                let m = metrics.clone();
                async move {
                    (
                        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
                        m.render(),
                    )
                }
            }),
        )
}

/// Serves the probes until `shutdown`.
pub async fn serve(
    addr: SocketAddr,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    serve_router(addr, router(metrics), shutdown).await
}

/// Serves `router` on `addr` until `shutdown`.
pub async fn serve_router(
    addr: SocketAddr,
    router: Router,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await
}
