//! Subcommand glue between the thin `main.rs` and the library (the only place besides `main.rs`
//! that uses `anyhow`): wires shutdown signals, servers, watches and the syncer together.

use std::sync::Arc;

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;

use crate::admission::Reviewer;
use crate::cluster::{Cluster, watch};
use crate::config::{ServeSettings, SyncSettings};
use crate::{metrics::Metrics, probes, server, sync};

/// `bosun-webhook serve`: the admission server, its cluster watches, the probe port and,
/// with `--sync`, the Secret syncer, until SIGTERM/Ctrl-C; then drains in-flight reviews.
pub async fn serve(settings: ServeSettings) -> anyhow::Result<()> {
    let client = if settings.cluster || settings.sync.is_some() {
        Some(
            kube::Client::try_default()
                .await
                .context("no Kubernetes configuration (kubeconfig or in-cluster); use --cluster false to run without one")?,
        )
    } else {
        None
    };
    let (shutdown, metrics) = (CancellationToken::new(), Arc::new(Metrics::default()));
    let on_signal = shutdown.clone();
    tokio::spawn(async move {
        crate::shutdown_signal().await;
        on_signal.cancel();
    });
    let cluster = settings.cluster.then(Cluster::new);
    let listener = server::bind(settings.listen)?;
    let reviewer = Arc::new(Reviewer::new(settings.policy.clone(), cluster.clone()));
    let app = server::router(reviewer, metrics.admission.clone(), settings.limits.clone());
    let admission = server::serve(
        listener,
        app,
        settings.tls.clone(),
        metrics.admission.clone(),
        settings.grace,
        shutdown.clone(),
    );
    let (ready, scrape) = probe_hooks(cluster.clone(), &metrics);
    let probe = probes::serve_router(
        settings.probe_listen,
        probes::router_with(metrics.clone(), ready, scrape),
        shutdown.clone(),
    );
    let watches = async {
        if let (Some(client), Some(cluster)) = (client.clone(), cluster.clone()) {
            let plans = true;
            watch::run(
                client,
                cluster,
                metrics.admission.clone(),
                plans,
                shutdown.clone(),
            )
            .await;
        }
    };
    let syncer = async {
        match (client.clone(), settings.sync.clone()) {
            (Some(client), Some(config)) => {
                let r = sync::run(client, config, metrics.sync.clone(), shutdown.clone()).await;
                shutdown.cancel();
                r.context("secret syncer failed")
            }
            _ => Ok(()),
        }
    };
    let admission = async {
        let r = admission.await;
        shutdown.cancel();
        r
    };
    let (a, p, (), s) = tokio::join!(admission, probe, watches, syncer);
    a.context("admission server failed")?;
    s?;
    p.context("probe server failed")
}

/// Readiness (caches synced) and the pre-scrape refresh of the cache-size gauges.
pub fn probe_hooks(
    cluster: Option<Arc<Cluster>>,
    metrics: &Arc<Metrics>,
) -> (probes::Hook, probes::Hook) {
    let c = cluster.clone();
    let ready: probes::Hook = Arc::new(move || c.as_ref().is_none_or(|c| c.is_synced()));
    let m = metrics.admission.clone();
    let scrape: probes::Hook = Arc::new(move || {
        if let Some(c) = &cluster {
            for (source, n) in c.sizes() {
                m.cache_size(source.label(), n);
            }
        }
        true
    });
    (ready, scrape)
}

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
