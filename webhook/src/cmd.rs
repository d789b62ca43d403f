//! Subcommand glue between the thin `main.rs` and the library (the only place besides `main.rs`
//! that uses `anyhow`): wires shutdown signals, servers, watches and the syncer together.

use std::sync::Arc;

use anyhow::Context as _;
use tokio_util::sync::CancellationToken;

use crate::admission::Reviewer;
use crate::cluster::{Cluster, watch};
use crate::config::{CertsArgs, ServeSettings, SyncSettings, TlsSource};
use crate::library::Library;
use crate::{certs, metrics::Metrics, probes, server, sync};

/// `bosun-webhook certs`: writes the CA, the serving pair and the caBundle, then says where.
pub fn certs(args: &CertsArgs) -> anyhow::Result<()> {
    let bundle = certs::generate(&args.service, &args.namespace, args.days)?;
    let written = certs::write(&bundle, &args.out, args.force)?;
    for path in &written {
        println!("wrote {}", path.display());
    }
    println!(
        "DNS names: {}\nPaste caBundle.txt into clientConfig.caBundle of the webhook configurations; \
         mount tls.crt and tls.key and pass --tls-cert/--tls-key. Keep ca.key out of the cluster.",
        certs::dns_names(&args.service, &args.namespace).join(", ")
    );
    Ok(())
}

/// The local-mode certificate: generated in memory for localhost, its CA written to
/// `write_ca` or printed to standard error.
fn self_signed(write_ca: Option<&std::path::Path>) -> anyhow::Result<server::Tls> {
    let names = ["localhost", "127.0.0.1", "::1"]
        .map(str::to_owned)
        .to_vec();
    let bundle = certs::generate_for("bosun-webhook local CA", names, 30)?;
    let loaded = server::tls::build(
        bundle.cert.as_bytes(),
        bundle.key.as_bytes(),
        std::path::Path::new("<generated>"),
        std::path::Path::new("<generated>"),
    )?;
    match write_ca {
        Some(path) => {
            std::fs::write(path, &bundle.ca_cert)
                .with_context(|| format!("--write-ca {}", path.display()))?;
            tracing::info!(ca = %path.display(), "self-signed certificate for localhost; CA written");
        }
        None => eprintln!(
            "bosun-webhook: self-signed certificate for localhost, 127.0.0.1 and ::1; CA (for curl --cacert):\n{}",
            bundle.ca_cert
        ),
    }
    Ok(server::Tls::Fixed(loaded))
}

/// `bosun-webhook serve`: the admission server, its cluster watches, the probe port and,
/// with `--sync`, the Secret syncer, until SIGTERM/Ctrl-C; then drains in-flight reviews.
pub async fn serve(settings: ServeSettings) -> anyhow::Result<()> {
    let listener = server::bind(settings.listen)?;
    let shutdown = CancellationToken::new();
    let on_signal = shutdown.clone();
    tokio::spawn(async move {
        crate::shutdown_signal().await;
        on_signal.cancel();
    });
    serve_on(listener, settings, shutdown).await
}

/// [`serve`] on an already bound admission listener, until `shutdown` (tests and benches run
/// local mode in-process this way, on an ephemeral port).
pub async fn serve_on(
    listener: std::net::TcpListener,
    settings: ServeSettings,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let client = if settings.cluster || settings.sync.is_some() {
        Some(
            kube::Client::try_default()
                .await
                .context("no Kubernetes configuration (kubeconfig or in-cluster); use --cluster false to run without one")?,
        )
    } else {
        None
    };
    serve_with_client(
        listener,
        settings,
        client,
        Arc::new(Metrics::default()),
        shutdown,
    )
    .await
}

/// [`serve_on`] with a given Kubernetes client (benches point it at the fake API server) and
/// metrics registry.
pub async fn serve_with_client(
    listener: std::net::TcpListener,
    settings: ServeSettings,
    client: Option<kube::Client>,
    metrics: Arc<Metrics>,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let cluster = settings.cluster.then(Cluster::new);
    let mut reviewer = Reviewer::new(settings.policy.clone(), cluster.clone());
    if let Some(dir) = &settings.templates {
        let library = Library::load(dir)?;
        let (namespaced, cluster_scoped) = library.counts();
        tracing::info!(
            dir = %dir.display(),
            files = library.files,
            workflow_templates = namespaced,
            cluster_workflow_templates = cluster_scoped,
            duplicates = library.duplicates,
            errors = library.errors,
            "template library loaded"
        );
        reviewer.library = Some(Arc::new(library));
    }
    let app = server::router(
        Arc::new(reviewer),
        metrics.admission.clone(),
        settings.limits.clone(),
    );
    let tls = match &settings.tls {
        TlsSource::Files(files) => server::Tls::Files(files.clone()),
        TlsSource::SelfSigned { write_ca } => self_signed(write_ca.as_deref())?,
    };
    let connections = server::Connections {
        grace: settings.grace,
        header_timeout: settings.header_timeout,
    };
    let admission = server::serve_with(
        listener,
        app,
        tls,
        connections,
        metrics.admission.clone(),
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

/// The probe routes of `bosun-webhook sync`: `/readyz` follows the syncer's [`sync::Readiness`].
pub fn sync_probes(metrics: Arc<Metrics>, readiness: sync::Readiness) -> axum::Router {
    let ready: probes::Hook = Arc::new(move || readiness.is_ready());
    probes::router_with(metrics, ready, Arc::new(|| true))
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
    let readiness = sync::Readiness::default();
    let probe = probes::serve_router(
        settings.probe_listen,
        sync_probes(metrics.clone(), readiness.clone()),
        shutdown.clone(),
    );
    let syncer = async {
        let r = sync::run_with(
            client,
            settings.sync,
            metrics.sync.clone(),
            readiness,
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
