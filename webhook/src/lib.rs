//! `bosun-webhook` as a library: everything but argument parsing lives here so tests and the
//! future `serve` subcommand reach it.

/// Subcommand glue (signals, probe server, syncer).
pub mod cmd;
/// Flags, environment twins and validated settings.
pub mod config;
/// CRD and schema generation from the sync API types.
pub mod crds;
/// Prometheus metrics.
pub mod metrics;
/// `/healthz`, `/readyz`, `/metrics` on a plain-HTTP port.
pub mod probes;
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
