//! `bosun-webhook` entry point: crypto provider, config, telemetry, then the subcommand.

use std::sync::Arc;

use anyhow::Context as _;
use clap::Parser;
use tokio_util::sync::CancellationToken;
use webhook::config::{Cli, Command};
use webhook::{crds, metrics::Metrics, probes, sync, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    // ring only (no aws-lc-rs); ignore "already installed".
    let _ = rustls::crypto::ring::default_provider().install_default();
    let cli = Cli::parse();
    telemetry::init(&cli.telemetry).map_err(anyhow::Error::msg)?;
    match cli.command {
        Command::Crds => print!("{}", crds::all_yaml()),
        Command::Sync(args) => {
            let settings = args.resolve(|k| std::env::var(k).ok())?;
            let client = kube::Client::try_default()
                .await
                .context("no Kubernetes configuration (kubeconfig or in-cluster)")?;
            let shutdown = CancellationToken::new();
            let metrics = Arc::new(Metrics::default());
            let on_signal = shutdown.clone();
            tokio::spawn(async move {
                webhook::shutdown_signal().await;
                on_signal.cancel();
            });
            let probe = probes::serve(settings.probe_listen, metrics.clone(), shutdown.clone());
            let syncer = sync::run(
                client,
                settings.sync,
                metrics.sync.clone(),
                shutdown.clone(),
            );
            let (p, s) = tokio::join!(probe, async {
                let r = syncer.await;
                shutdown.cancel();
                r
            });
            s.context("secret syncer failed")?;
            p.context("probe server failed")?;
        }
    }
    Ok(())
}
