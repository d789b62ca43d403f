//! The admission HTTPS server: axum router ([`router`]) with `POST /validate` and `POST /mutate`,
//! a raised body limit, a concurrency limit with a bounded queue (overload answers 503 at once),
//! a per-request time budget covering body, queue and decision, and a bounded wait for the
//! cluster cache's first sync; served over rustls with certificate hot reload ([`tls`]), bounded
//! TLS handshake and request-head read times (slowloris, idle keep-alive), and graceful shutdown
//! that drains in-flight reviews ([`serve_with`]). Probes and metrics are on a separate
//! plain-HTTP port (`crate::probes`).

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
    /// Every decision slot busy and the queue full, or no slot within the budget (HTTP 503).
    #[error(
        "overloaded: too many reviews in flight; the API server applies the webhook's failurePolicy"
    )]
    Overloaded,
    /// The cluster cache is not synced yet and the review needs it (HTTP 503).
    #[error(
        "cluster caches not synced yet (waited {0:?}); the API server applies the webhook's failurePolicy"
    )]
    NotSynced(Duration),
    /// The request body did not arrive within the budget (HTTP 408).
    #[error("request body not received within {0:?}")]
    BodyTimeout(Duration),
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
            Error::Overloaded | Error::NotSynced(_) => StatusCode::SERVICE_UNAVAILABLE,
            Error::BodyTimeout(_) => StatusCode::REQUEST_TIMEOUT,
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
    /// Reviews waiting for a slot; beyond that a review is refused at once (503).
    pub max_queued: usize,
    /// Budget of one review from its head: body, cache wait, queue and decision. Keep it
    /// below the webhook's `timeoutSeconds` so the API server gets an answer, not a timeout.
    pub timeout: Duration,
    /// Longest wait for the cluster cache's first sync before answering 503 (within `timeout`).
    pub cache_wait: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 8 << 20,
            max_concurrent: 16,
            max_queued: 64,
            timeout: Duration::from_secs(5),
            cache_wait: Duration::from_secs(2),
        }
    }
}

/// Connection-level bounds of the TLS listener.
#[derive(Clone, Debug)]
pub struct Connections {
    /// On shutdown, how long in-flight requests may take to finish.
    pub grace: Duration,
    /// A connection must complete its TLS handshake, and then deliver each request head,
    /// within this time of being ready for it (accepted, or the previous response sent): bounds
    /// slow senders (slowloris) and idle keep-alive connections alike.
    pub header_timeout: Duration,
}

/// Default of [`Connections::header_timeout`].
pub const DEFAULT_HEADER_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the serving certificate comes from.
pub enum Tls {
    /// PEM files, polled and reloaded when they change.
    Files(tls::TlsFiles),
    /// A fixed pair (local mode's generated certificate).
    Fixed(tls::Loaded),
}

/// Shared state of the handlers.
pub struct AppState {
    pub reviewer: Arc<Reviewer>,
    pub metrics: Arc<AdmissionMetrics>,
    pub permits: Arc<Semaphore>,
    /// Reviews waiting for a permit.
    pub queued: std::sync::atomic::AtomicUsize,
    pub limits: Limits,
}

/// The admission routes (plus `GET /healthz`, a trivial endpoint on the same stack).
pub fn router(reviewer: Arc<Reviewer>, metrics: Arc<AdmissionMetrics>, limits: Limits) -> Router {
    let state = Arc::new(AppState {
        reviewer,
        metrics,
        permits: Arc::new(Semaphore::new(limits.max_concurrent.max(1))),
        queued: std::sync::atomic::AtomicUsize::new(0),
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
    let connections = Connections {
        grace,
        header_timeout: DEFAULT_HEADER_TIMEOUT,
    };
    serve_with(
        listener,
        app,
        Tls::Files(files),
        connections,
        metrics,
        shutdown,
    )
    .await
}

/// Serves `app` over TLS on `listener` until `shutdown` with the given certificate source and
/// connection bounds.
pub async fn serve_with(
    listener: std::net::TcpListener,
    app: Router,
    source: Tls,
    connections: Connections,
    metrics: Arc<AdmissionMetrics>,
    shutdown: CancellationToken,
) -> Result<(), Error> {
    let loaded = match source {
        Tls::Files(files) => {
            let (loaded, current) = tls::load(&files)?;
            if loaded.not_after.is_some_and(|t| tls::seconds_left(t) < 0) {
                tracing::warn!(cert = %files.cert.display(), "serving certificate has expired");
            }
            let config = RustlsConfig::from_config(loaded.config.clone());
            tokio::spawn(tls::watch(
                files,
                config.clone(),
                current,
                metrics.clone(),
                shutdown.clone(),
            ));
            (config, loaded.not_after)
        }
        Tls::Fixed(loaded) => (
            RustlsConfig::from_config(loaded.config.clone()),
            loaded.not_after,
        ),
    };
    let (config, not_after) = loaded;
    if let Some(t) = not_after {
        metrics.certificate_expiry.set(t);
    }
    let addr = listener.local_addr().map_err(|source| Error::Listen {
        addr: SocketAddr::from(([0, 0, 0, 0], 0)),
        source,
    })?;
    let _ = listener.set_nonblocking(true);
    let handle = axum_server::Handle::new();
    let on_shutdown = handle.clone();
    let grace = connections.grace;
    tokio::spawn(async move {
        shutdown.cancelled().await;
        on_shutdown.graceful_shutdown(Some(grace));
    });
    // TCP_NODELAY: responses are small; Nagle plus delayed ACKs would add ~40 ms.
    let acceptor = RustlsAcceptor::new(config)
        .handshake_timeout(connections.header_timeout)
        .acceptor(NoDelayAcceptor::new());
    // HTTP/1.1 only (ALPN offers nothing else), with hyper's head read timeout, which needs a
    // timer; it runs whenever the connection waits for a request head, idle time included.
    let mut server = axum_server::from_tcp(listener)
        .map_err(|source| Error::Listen { addr, source })?
        .acceptor(acceptor)
        .handle(handle)
        .http1_only();
    server
        .http_builder()
        .http1()
        .timer(hyper_util::rt::TokioTimer::new())
        .header_read_timeout(connections.header_timeout);
    server
        .serve(app.into_make_service())
        .await
        .map_err(|source| Error::Listen { addr, source })
}

/// Binds the admission port.
pub fn bind(addr: SocketAddr) -> Result<std::net::TcpListener, Error> {
    std::net::TcpListener::bind(addr).map_err(|source| Error::Listen { addr, source })
}
