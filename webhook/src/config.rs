//! Command line and environment (`BOSUN_*` twins of every flag), parsed with clap and validated
//! into typed settings before any work starts. A bad setting fails with the offending flag named.

use std::net::SocketAddr;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::sync::{self, LeaseConfig, PlansMode};

/// Invalid configuration.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("--{flag}: {message}")]
    Invalid { flag: &'static str, message: String },
}

/// `bosun-webhook`: admission webhook and Secret syncer for Argo Workflows.
#[derive(Debug, Parser)]
#[command(name = "bosun-webhook", version, about)]
pub struct Cli {
    #[command(flatten)]
    pub telemetry: TelemetryArgs,
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Secret sync controller (SecretSync and rigger Plan).
    Sync(SyncArgs),
    /// Print the CustomResourceDefinitions (YAML) the syncer serves.
    Crds,
}

/// Log output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// Logging flags, shared by every subcommand.
#[derive(Debug, Args)]
pub struct TelemetryArgs {
    /// Log format.
    #[arg(
        long,
        global = true,
        env = "BOSUN_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,
    /// Log filter (tracing `EnvFilter` syntax).
    #[arg(long, global = true, env = "BOSUN_LOG", default_value = "info")]
    pub log: String,
}

/// Flags of `bosun-webhook sync`.
#[derive(Debug, Args)]
pub struct SyncArgs {
    /// Re-check every SecretSync/Plan this often, even without events (seconds).
    #[arg(long, env = "BOSUN_SYNC_RESYNC_SECONDS", default_value_t = 300)]
    pub resync_seconds: u64,
    /// Owners reconciled in parallel.
    #[arg(long, env = "BOSUN_SYNC_CONCURRENCY", default_value_t = 4)]
    pub concurrency: u16,
    /// Serve rigger Plans: auto (when the CRD exists), enabled, disabled.
    #[arg(
        long,
        env = "BOSUN_SYNC_RIGGER_PLANS",
        value_enum,
        default_value = "auto"
    )]
    pub rigger_plans: PlansMode,
    /// Elect one active syncer among replicas with a Lease.
    #[arg(long, env = "BOSUN_LEADER_ELECTION", default_value_t = true, action = clap::ArgAction::Set)]
    pub leader_election: bool,
    /// Namespace of the Lease (default: the pod's namespace from POD_NAMESPACE).
    #[arg(long, env = "BOSUN_LEASE_NAMESPACE")]
    pub lease_namespace: Option<String>,
    /// Name of the Lease.
    #[arg(long, env = "BOSUN_LEASE_NAME", default_value = "bosun-webhook-sync")]
    pub lease_name: String,
    /// Lease duration (seconds); renewals happen at a third of it.
    #[arg(long, env = "BOSUN_LEASE_DURATION_SECONDS", default_value_t = 15)]
    pub lease_duration_seconds: u64,
    /// This replica's identity (default: the pod name from POD_NAME or HOSTNAME).
    #[arg(long, env = "BOSUN_IDENTITY")]
    pub identity: Option<String>,
    /// Plain-HTTP address for /healthz, /readyz and /metrics.
    #[arg(long, env = "BOSUN_PROBE_LISTEN", default_value = "0.0.0.0:8080")]
    pub probe_listen: SocketAddr,
}

/// Settings of the `sync` subcommand.
#[derive(Debug, Clone)]
pub struct SyncSettings {
    pub sync: sync::Config,
    pub probe_listen: SocketAddr,
}

impl SyncArgs {
    /// Validates the flags into settings. `env` looks up fallbacks (POD_NAME, POD_NAMESPACE, HOSTNAME).
    pub fn resolve(&self, env: impl Fn(&str) -> Option<String>) -> Result<SyncSettings, Error> {
        if self.resync_seconds == 0 {
            return Err(Error::Invalid {
                flag: "resync-seconds",
                message: "must be at least 1".into(),
            });
        }
        if self.concurrency == 0 {
            return Err(Error::Invalid {
                flag: "concurrency",
                message: "must be at least 1".into(),
            });
        }
        let identity = self
            .identity
            .clone()
            .or_else(|| env("POD_NAME"))
            .or_else(|| env("HOSTNAME"))
            .filter(|s| !s.is_empty())
            .ok_or(Error::Invalid {
                flag: "identity",
                message: "not set and neither POD_NAME nor HOSTNAME is".into(),
            })?;
        let mut config = sync::Config::new(&identity);
        config.resync = Duration::from_secs(self.resync_seconds);
        config.concurrency = self.concurrency;
        config.plans = self.rigger_plans;
        if self.leader_election {
            if self.lease_duration_seconds < 3 {
                return Err(Error::Invalid {
                    flag: "lease-duration-seconds",
                    message: "must be at least 3".into(),
                });
            }
            let ns = self
                .lease_namespace
                .clone()
                .or_else(|| env("POD_NAMESPACE"))
                .ok_or(Error::Invalid {
                    flag: "lease-namespace",
                    message: "not set and POD_NAMESPACE is not either".into(),
                })?;
            config.lease = Some(LeaseConfig::new(
                &ns,
                &self.lease_name,
                &identity,
                Duration::from_secs(self.lease_duration_seconds),
            ));
        }
        Ok(SyncSettings {
            sync: config,
            probe_listen: self.probe_listen,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> SyncArgs {
        let cli = Cli::try_parse_from(["bosun-webhook", "sync"].iter().chain(args)).unwrap();
        match cli.command {
            Command::Sync(a) => a,
            Command::Crds => unreachable!(),
        }
    }

    #[test]
    fn lease_namespace_falls_back_to_the_pod_namespace() {
        let env = |k: &str| match k {
            "POD_NAMESPACE" => Some("bosun".to_owned()),
            "POD_NAME" => Some("bosun-0".to_owned()),
            _ => None,
        };
        let s = parse(&[]).resolve(env).unwrap();
        let lease = s.sync.lease.unwrap();
        assert_eq!(
            (lease.namespace.as_str(), lease.identity.as_str()),
            ("bosun", "bosun-0")
        );
    }

    #[test]
    fn bad_settings_name_the_flag() {
        let err = parse(&["--resync-seconds", "0", "--identity", "x"])
            .resolve(|_| None)
            .unwrap_err();
        assert!(err.to_string().starts_with("--resync-seconds"));
        let err = parse(&["--identity", "x"]).resolve(|_| None).unwrap_err();
        assert!(err.to_string().starts_with("--lease-namespace"));
        assert!(
            parse(&["--identity", "x", "--leader-election", "false"])
                .resolve(|_| None)
                .unwrap()
                .sync
                .lease
                .is_none()
        );
    }
}
