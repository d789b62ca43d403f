//! Subcommand glue between the thin `main.rs` and the library (the only place besides `main.rs`
//! that uses `anyhow`): wires shutdown signals, the probe server and the syncer together.

use std::sync::Arc;

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;

use crate::config::SyncSettings;
use crate::{metrics::Metrics, probes, sync};

/// `bosun-webhook sync`: the syncer plus `/healthz`, `/readyz`, `/metrics`, until SIGTERM/Ctrl-C.
pub async fn sync(settings: SyncSettings) -> anyhow::Result<()> {
    let client = kube::Client::try_default()
        .await
        .context("no Kubernetes configuration (kubeconfig or in-cluster)")?;
    let (shutdown, metrics) = (CancellationToken::new(), Arc::new(Metrics::default()));
    let on_signal = shutdown.clone();
    tokio::spawn(async move {
        crate::shutdown_signal().await;
        on_signal.cancel();
    });
    let probe = probes::serve(settings.probe_listen, metrics.clone(), shutdown.clone());
    let syncer = async {
        let r = sync::run(
            client,
            settings.sync,
            metrics.sync.clone(),
            shutdown.clone(),
        )
        .await;
        shutdown.cancel();
        r
    };
    let (p, s) = tokio::join!(probe, syncer);
    s.context("secret syncer failed")?;
    p.context("probe server failed")
}
