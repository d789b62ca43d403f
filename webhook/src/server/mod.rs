//! The admission HTTPS server: axum router ([`router`]) with `POST /validate` and `POST /mutate`,
//! a raised body limit, a concurrency limit and a per-request timeout, served over rustls with
//! certificate hot reload ([`tls`]) and graceful shutdown that drains in-flight reviews
//! ([`serve`]). Probes and metrics are on a separate plain-HTTP port (`crate::probes`).

pub mod handlers;
pub mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum_server::accept::NoDelayAcceptor;
use axum_server::tls_rustls::{RustlsAcceptor, RustlsConfig};
use kube::core::admission::AdmissionResponse;
use tokio::sync::Semaphore;
use tokio_util::sync::CancellationToken;

use crate::admission::Reviewer;
use crate::metrics::AdmissionMetrics;

/// Failures of the admission server.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Not an `admission.k8s.io/v1` AdmissionReview with a request (HTTP 400).
    #[error("malformed AdmissionReview: {0}")]
    Malformed(String),
    /// No concurrency slot within the request timeout (HTTP 503).
    #[error("too many reviews in flight")]
    Overloaded,
    /// The decision did not finish within the request timeout (HTTP 504).
    #[error("review timed out after {0:?}")]
    Timeout(Duration),
    /// The decision task failed (HTTP 500).
    #[error("review failed: {0}")]
    Internal(String),
    /// Certificate or key unusable.
    #[error("TLS: {0}")]
    Tls(String),
    /// Listening socket.
    #[error("listen on {addr}: {source}")]
    Listen {
        addr: SocketAddr,
        source: std::io::Error,
    },
}

impl IntoResponse for Error {
    fn into_response(self) -> Response {
        let status = match &self {
            Error::Malformed(_) => StatusCode::BAD_REQUEST,
            Error::Overloaded => StatusCode::SERVICE_UNAVAILABLE,
            Error::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
            Error::Internal(_) | Error::Tls(_) | Error::Listen { .. } => {
                StatusCode::INTERNAL_SERVER_ERROR
            }
        };
        let mut response = AdmissionResponse::invalid(self.to_string());
        response.result.code = status.as_u16();
        (status, axum::Json(response.into_review())).into_response()
    }
}

/// Limits of the admission endpoints.
#[derive(Clone, Debug)]
pub struct Limits {
    /// Largest accepted body (an UPDATE carries object and oldObject, each up to 3 MiB).
    pub max_body_bytes: usize,
    /// Reviews decided at once; more wait for a slot (within the timeout).
    pub max_concurrent: usize,
    /// Bound on waiting for a slot plus deciding; keep below the webhook's `timeoutSeconds`.
    pub timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 8 << 20,
            max_concurrent: 16,
            timeout: Duration::from_secs(5),
        }
    }
}

/// Shared state of the handlers.
pub struct AppState {
    pub reviewer: Arc<Reviewer>,
    pub metrics: Arc<AdmissionMetrics>,
    pub permits: Arc<Semaphore>,
    pub limits: Limits,
}

/// The admission routes (plus `GET /healthz`, a trivial endpoint on the same stack).
pub fn router(reviewer: Arc<Reviewer>, metrics: Arc<AdmissionMetrics>, limits: Limits) -> Router {
    let state = Arc::new(AppState {
        reviewer,
        metrics,
        permits: Arc::new(Semaphore::new(limits.max_concurrent.max(1))),
        limits: limits.clone(),
    });
    Router::new()
        .route("/validate", post(handlers::validate))
        .route("/mutate", post(handlers::mutate))
        .route("/healthz", get(|| async { "ok" }))
        .layer(DefaultBodyLimit::max(limits.max_body_bytes))
        .with_state(state)
}

/// Serves `app` over TLS on `listener` until `shutdown`, then stops accepting and gives
/// in-flight requests up to `grace` to finish. Certificates are reloaded from `files`.
pub async fn serve(
    listener: std::net::TcpListener,
    app: Router,
    files: tls::TlsFiles,
    metrics: Arc<AdmissionMetrics>,
    grace: Duration,
    shutdown: CancellationToken,
) -> Result<(), Error> {
    let (loaded, current) = tls::load(&files)?;
    if let Some(t) = loaded.not_after {
        metrics.certificate_expiry.set(t);
        if tls::seconds_left(t) < 0 {
            tracing::warn!(cert = %files.cert.display(), "serving certificate has expired");
        }
    }
    let config = RustlsConfig::from_config(loaded.config);
    tokio::spawn(tls::watch(
        files,
        config.clone(),
        current,
        metrics,
        shutdown.clone(),
    ));
    let addr = listener.local_addr().map_err(|source| Error::Listen {
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        source,
    })?;
    let _ = listener.set_nonblocking(true);
    let handle = axum_server::Handle::new();
    let on_shutdown = handle.clone();
    tokio::spawn(async move {
        shutdown.cancelled().await;
        on_shutdown.graceful_shutdown(Some(grace));
    });
    // TCP_NODELAY: responses are small; Nagle plus delayed ACKs would add ~40 ms.
    let acceptor = RustlsAcceptor::new(config).acceptor(NoDelayAcceptor::new());
    axum_server::from_tcp(listener)
        .map_err(|source| Error::Listen { addr, source })?
        .acceptor(acceptor)
        .handle(handle)
        .serve(app.into_make_service())
        .await
        .map_err(|source| Error::Listen { addr, source })
}

/// Binds the admission port.
pub fn bind(addr: SocketAddr) -> Result<std::net::TcpListener, Error> {
    std::net::TcpListener::bind(addr).map_err(|source| Error::Listen { addr, source })
}
