//! `bosun-webhook` entry point: crypto provider, config, telemetry, then the subcommand.

use std::process::ExitCode;

use clap::Parser;
use webhook::config::{Cli, Command};
use webhook::{cmd, crds, telemetry};

fn main() -> ExitCode {
    // ring only (no aws-lc-rs); ignore "already installed".
    let _ = rustls::crypto::ring::default_provider().install_default();
    match run(Cli::parse()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("bosun-webhook failed");
            e.chain().for_each(|c| eprintln!("  Cause: {c}"));
            ExitCode::from(2)
        }
    }
}

#[tokio::main]
async fn run(cli: Cli) -> anyhow::Result<()> {
    telemetry::init(&cli.telemetry).map_err(anyhow::Error::msg)?;
    match cli.command {
        Command::Crds => print!("{}", crds::all_yaml()),
        Command::Manifests(args) => print!("{}", args.render()?),
        Command::Certs(args) => cmd::certs(&args)?,
        Command::Serve(args) => cmd::serve(args.resolve(|k| std::env::var(k).ok())?).await?,
        Command::Sync(args) => cmd::sync(args.resolve(|k| std::env::var(k).ok())?).await?,
    }
    Ok(())
}
