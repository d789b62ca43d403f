//! `bosun-webhook` as a library: everything but argument parsing lives here so tests and
//! benchmarks reach it.

/// The admission decision (pure: request in, response out).
pub mod admission;
/// `bosun-webhook certs`: CA and serving certificate generation.
pub mod certs;
/// In-memory cluster state for admission, fed by watches.
pub mod cluster;
/// Subcommand glue (signals, probe server, syncer).
pub mod cmd;
/// Flags, environment twins and validated settings.
pub mod config;
/// CRD and schema generation from the sync API types.
pub mod crds;
/// Install manifests (`bosun-webhook manifests`) and the chart's values.
pub mod deploy;
/// Local mode's file-backed template library.
pub mod library;
/// Prometheus metrics.
pub mod metrics;
/// The admission policy file.
pub mod policy;
/// `/healthz`, `/readyz`, `/metrics` on a plain-HTTP port.
pub mod probes;
/// The admission HTTPS server.
pub mod server;
/// The Secret sync controller (SecretSync and rigger Plan).
pub mod sync;
/// Logging setup.
pub mod telemetry;

/// Resolves on SIGTERM (what the kubelet sends) or Ctrl-C.
pub async fn shutdown_signal() {
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = term => {}
    }
}
