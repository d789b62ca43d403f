//! Command line and environment (`BOSUN_*` twins of every flag), parsed with clap and validated
//! into typed settings before any work starts. A bad setting fails with the offending flag named.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::certs;
use crate::policy::Policy;
use crate::server::Limits;
use crate::server::tls::TlsFiles;
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
    /// Run the admission webhook (validate and mutate Argo resources).
    Serve(ServeArgs),
    /// Run the Secret sync controller (SecretSync and rigger Plan).
    Sync(SyncArgs),
    /// Print the CustomResourceDefinitions (YAML) the syncer serves.
    Crds,
    /// Print a complete install (YAML for `kubectl apply -f -`), the chart's defaults unless
    /// told otherwise.
    Manifests(ManifestsArgs),
    /// Write a CA and a serving certificate for the webhook Service (ca.crt, ca.key, tls.crt,
    /// tls.key, caBundle.txt).
    Certs(CertsArgs),
}

/// Flags of `bosun-webhook manifests` (each overrides the value of the same meaning).
#[derive(Debug, Args)]
pub struct ManifestsArgs {
    /// Namespace Bosun runs in (created by the output).
    #[arg(long, env = "BOSUN_MANIFESTS_NAMESPACE", default_value = "bosun")]
    pub namespace: String,
    /// Values file (the chart's values.yaml format) applied over the defaults.
    #[arg(long, env = "BOSUN_MANIFESTS_VALUES")]
    pub values: Option<PathBuf>,
    /// Image reference (`repository[:tag]`; the tag defaults to this version).
    #[arg(long, env = "BOSUN_MANIFESTS_IMAGE")]
    pub image: Option<String>,
    /// Webhook pods.
    #[arg(long, env = "BOSUN_MANIFESTS_REPLICAS")]
    pub replicas: Option<i32>,
    /// failurePolicy for WorkflowTemplates, ClusterWorkflowTemplates and CronWorkflows.
    #[arg(long, env = "BOSUN_MANIFESTS_FAILURE_POLICY", value_enum)]
    pub failure_policy: Option<crate::deploy::FailurePolicy>,
    /// failurePolicy for Workflows.
    #[arg(long, env = "BOSUN_MANIFESTS_WORKFLOW_FAILURE_POLICY", value_enum)]
    pub workflow_failure_policy: Option<crate::deploy::FailurePolicy>,
    /// failurePolicy of the mutating webhook.
    #[arg(long, env = "BOSUN_MANIFESTS_MUTATING_FAILURE_POLICY", value_enum)]
    pub mutating_failure_policy: Option<crate::deploy::FailurePolicy>,
    /// The API server's timeoutSeconds (1-30); Bosun's own bound is set 500 ms below it.
    #[arg(long, env = "BOSUN_MANIFESTS_TIMEOUT_SECONDS")]
    pub timeout_seconds: Option<i32>,
    /// Run the Secret syncer in the webhook pods (adds its RBAC).
    #[arg(long, env = "BOSUN_MANIFESTS_SYNC")]
    pub sync: bool,
    /// Issue the serving certificate with cert-manager (the default).
    #[arg(
        long,
        env = "BOSUN_MANIFESTS_CERT_MANAGER",
        conflicts_with = "self_signed_ca"
    )]
    pub cert_manager: bool,
    /// Use the CA in DIR/ca.crt (from `bosun-webhook certs --out DIR`) as the caBundle; create
    /// the serving Secret yourself from DIR/tls.crt and DIR/tls.key.
    #[arg(long, env = "BOSUN_MANIFESTS_SELF_SIGNED_CA", value_name = "DIR")]
    pub self_signed_ca: Option<PathBuf>,
    /// Admission policy file to put in the ConfigMap.
    #[arg(long, env = "BOSUN_MANIFESTS_POLICY", value_name = "FILE")]
    pub policy: Option<PathBuf>,
    /// Add a Prometheus Operator ServiceMonitor.
    #[arg(long, env = "BOSUN_MANIFESTS_SERVICE_MONITOR")]
    pub service_monitor: bool,
    /// Add a NetworkPolicy.
    #[arg(long, env = "BOSUN_MANIFESTS_NETWORK_POLICY")]
    pub network_policy: bool,
}

impl ManifestsArgs {
    /// The overrides these flags describe.
    pub fn overrides(&self) -> crate::deploy::Overrides {
        let path = |p: &Option<PathBuf>| p.as_ref().map(|p| p.to_string_lossy().into_owned());
        crate::deploy::Overrides {
            values_file: path(&self.values),
            image: self.image.clone(),
            replicas: self.replicas,
            failure_policy: self.failure_policy,
            workflow_failure_policy: self.workflow_failure_policy,
            mutating_failure_policy: self.mutating_failure_policy,
            timeout_seconds: self.timeout_seconds,
            sync: self.sync,
            cert_manager: self.cert_manager,
            self_signed_ca: path(&self.self_signed_ca),
            policy_file: path(&self.policy),
            service_monitor: self.service_monitor,
            network_policy: self.network_policy,
        }
    }

    /// The install YAML.
    pub fn render(&self) -> Result<String, crate::deploy::Error> {
        if !crate::deploy::values::is_dns_label(&self.namespace) {
            return Err(crate::deploy::Error::Invalid(format!(
                "--namespace: `{}` is not a valid namespace name",
                self.namespace
            )));
        }
        let values = self.overrides().values()?;
        let install = crate::deploy::Install {
            values: &values,
            namespace: &self.namespace,
        };
        Ok(crate::deploy::to_yaml(&crate::deploy::render(
            &install, true,
        )))
    }
}

/// Flags of `bosun-webhook certs`.
#[derive(Debug, Args)]
pub struct CertsArgs {
    /// Name of the webhook's Service.
    #[arg(long, env = "BOSUN_CERTS_SERVICE", default_value = certs::DEFAULT_SERVICE)]
    pub service: String,
    /// Namespace of the webhook's Service.
    #[arg(long, env = "BOSUN_CERTS_NAMESPACE", default_value = certs::DEFAULT_NAMESPACE)]
    pub namespace: String,
    /// Directory to write into (created if missing).
    #[arg(long, env = "BOSUN_CERTS_OUT")]
    pub out: PathBuf,
    /// Validity of the serving certificate in days (the CA gets ten years, or this if longer).
    #[arg(long, env = "BOSUN_CERTS_DAYS", default_value_t = 365)]
    pub days: u32,
    /// Overwrite existing files.
    #[arg(long, env = "BOSUN_CERTS_FORCE")]
    pub force: bool,
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

/// Flags of `bosun-webhook serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// TLS address of `/validate` and `/mutate`.
    #[arg(long, env = "BOSUN_LISTEN", default_value = "0.0.0.0:8443")]
    pub listen: SocketAddr,
    /// Plain-HTTP address for /healthz, /livez, /readyz and /metrics.
    #[arg(long, env = "BOSUN_PROBE_LISTEN", default_value = "0.0.0.0:8080")]
    pub probe_listen: SocketAddr,
    /// Policy file (YAML): severities, exemptions, defaults, opt-in rules.
    #[arg(long, env = "BOSUN_CONFIG")]
    pub config: Option<PathBuf>,
    /// Serving certificate chain (PEM); reloaded when it changes.
    #[arg(
        long,
        env = "BOSUN_TLS_CERT",
        required_unless_present = "self_signed",
        conflicts_with = "self_signed"
    )]
    pub tls_cert: Option<PathBuf>,
    /// Serving private key (PEM); reloaded when it changes.
    #[arg(
        long,
        env = "BOSUN_TLS_KEY",
        required_unless_present = "self_signed",
        conflicts_with = "self_signed"
    )]
    pub tls_key: Option<PathBuf>,
    /// Serve a certificate generated in memory at start-up (for localhost), instead of
    /// --tls-cert/--tls-key; its CA is printed, or written to --write-ca.
    #[arg(long, env = "BOSUN_SELF_SIGNED")]
    pub self_signed: bool,
    /// With --self-signed: write the CA certificate (PEM) here, e.g. for `curl --cacert`.
    #[arg(long, env = "BOSUN_WRITE_CA", requires = "self_signed")]
    pub write_ca: Option<PathBuf>,
    /// Resolve templateRefs from the (Cluster)WorkflowTemplates under this directory instead of
    /// the cluster (local mode: no Kubernetes access at all).
    #[arg(long, env = "BOSUN_TEMPLATES")]
    pub templates: Option<PathBuf>,
    /// How often to look for a new certificate (seconds).
    #[arg(long, env = "BOSUN_TLS_POLL_SECONDS", default_value_t = 10)]
    pub tls_poll_seconds: u64,
    /// Per-review budget from the request head: body, cache wait, queue and decision
    /// (milliseconds); keep below the webhook's timeoutSeconds so the API server gets an answer
    /// rather than a timeout.
    #[arg(long, env = "BOSUN_REQUEST_TIMEOUT_MS", default_value_t = 5000)]
    pub request_timeout_ms: u64,
    /// Reviews decided at once.
    #[arg(long, env = "BOSUN_MAX_CONCURRENT", default_value_t = 16)]
    pub max_concurrent: usize,
    /// Reviews waiting for a slot; when full, more are refused at once with 503.
    #[arg(long, env = "BOSUN_MAX_QUEUED", default_value_t = 64)]
    pub max_queued: usize,
    /// Before the cluster caches' first sync, how long a review that needs them waits before
    /// getting a 503 (milliseconds, within --request-timeout-ms).
    #[arg(long, env = "BOSUN_CACHE_WAIT_MS", default_value_t = 2000)]
    pub cache_wait_ms: u64,
    /// Bound on a TLS handshake and on receiving each request head, idle keep-alive time
    /// included (seconds).
    #[arg(long, env = "BOSUN_HEADER_READ_TIMEOUT_SECONDS", default_value_t = 10)]
    pub header_read_timeout_seconds: u64,
    /// Largest AdmissionReview body (bytes); an UPDATE carries two objects of up to 3 MiB.
    #[arg(long, env = "BOSUN_MAX_BODY_BYTES", default_value_t = 8 << 20)]
    pub max_body_bytes: usize,
    /// On SIGTERM, how long in-flight reviews may take to finish (seconds).
    #[arg(long, env = "BOSUN_SHUTDOWN_GRACE_SECONDS", default_value_t = 20)]
    pub shutdown_grace_seconds: u64,
    /// Watch the cluster (templates, Secret/ConfigMap/ServiceAccount names); without it,
    /// templateRefs resolve only within the object (or from --templates) and references are not
    /// checked. Default: true, false with --templates.
    #[arg(long, env = "BOSUN_CLUSTER", action = clap::ArgAction::Set)]
    pub cluster: Option<bool>,
    /// Also run the Secret syncer in this process (configured by its BOSUN_SYNC_*, BOSUN_LEASE_*
    /// and BOSUN_LEADER_ELECTION variables, as for `sync`).
    #[arg(long, env = "BOSUN_SYNC", default_value_t = false, action = clap::ArgAction::Set)]
    pub sync: bool,
}

/// Where `serve` gets its certificate.
#[derive(Debug, Clone)]
pub enum TlsSource {
    Files(TlsFiles),
    /// Generated at start-up; the CA goes to `write_ca` (or is printed).
    SelfSigned {
        write_ca: Option<PathBuf>,
    },
}

/// Settings of the `serve` subcommand.
#[derive(Debug, Clone)]
pub struct ServeSettings {
    pub listen: SocketAddr,
    pub probe_listen: SocketAddr,
    pub policy: Policy,
    pub tls: TlsSource,
    pub limits: Limits,
    pub grace: Duration,
    pub header_timeout: Duration,
    pub cluster: bool,
    /// Local mode's template directory.
    pub templates: Option<PathBuf>,
    /// The in-process syncer's settings, with `--sync`.
    pub sync: Option<sync::Config>,
}

impl ServeArgs {
    /// Validates the flags (and reads the policy file) into settings.
    pub fn resolve(&self, env: impl Fn(&str) -> Option<String>) -> Result<ServeSettings, Error> {
        let positive = |flag: &'static str, v: u64| {
            if v == 0 {
                Err(Error::Invalid {
                    flag,
                    message: "must be at least 1".into(),
                })
            } else {
                Ok(v)
            }
        };
        positive("tls-poll-seconds", self.tls_poll_seconds)?;
        positive("request-timeout-ms", self.request_timeout_ms)?;
        positive("max-concurrent", self.max_concurrent as u64)?;
        positive(
            "header-read-timeout-seconds",
            self.header_read_timeout_seconds,
        )?;
        if self.cache_wait_ms >= self.request_timeout_ms {
            return Err(Error::Invalid {
                flag: "cache-wait-ms",
                message: "must be below --request-timeout-ms".into(),
            });
        }
        let cluster = match (self.cluster, &self.templates) {
            (Some(true), Some(_)) => {
                return Err(Error::Invalid {
                    flag: "templates",
                    message: "replaces the cluster cache; drop --cluster true".into(),
                });
            }
            (Some(c), _) => c,
            (None, templates) => templates.is_none(),
        };
        if let Some(dir) = &self.templates
            && !dir.exists()
        {
            return Err(Error::Invalid {
                flag: "templates",
                message: format!("{} does not exist", dir.display()),
            });
        }
        if self.max_body_bytes < 7 << 20 {
            return Err(Error::Invalid {
                flag: "max-body-bytes",
                message: "must be at least 7340032 (an UPDATE of a 3 MiB object)".into(),
            });
        }
        if self.listen == self.probe_listen {
            return Err(Error::Invalid {
                flag: "probe-listen",
                message: "must differ from --listen".into(),
            });
        }
        let tls = match (&self.tls_cert, &self.tls_key) {
            (Some(cert), Some(key)) if !self.self_signed => {
                for (flag, path) in [("tls-cert", cert), ("tls-key", key)] {
                    if !path.is_file() {
                        return Err(Error::Invalid {
                            flag,
                            message: format!("{} is not a readable file", path.display()),
                        });
                    }
                }
                TlsSource::Files(TlsFiles {
                    cert: cert.clone(),
                    key: key.clone(),
                    poll: Duration::from_secs(self.tls_poll_seconds),
                })
            }
            (None, None) if self.self_signed => TlsSource::SelfSigned {
                write_ca: self.write_ca.clone(),
            },
            _ => {
                return Err(Error::Invalid {
                    flag: "self-signed",
                    message: "give either --tls-cert and --tls-key, or --self-signed".into(),
                });
            }
        };
        let policy = match &self.config {
            Some(path) => crate::policy::load(path)?,
            None => Policy::default(),
        };
        let sync = if self.sync {
            let cli =
                Cli::try_parse_from(["bosun-webhook", "sync"]).map_err(|e| Error::Invalid {
                    flag: "sync",
                    message: e.to_string(),
                })?;
            match cli.command {
                Command::Sync(args) => Some(args.resolve(env)?.sync),
                _ => None,
            }
        } else {
            None
        };
        Ok(ServeSettings {
            listen: self.listen,
            probe_listen: self.probe_listen,
            policy,
            tls,
            limits: Limits {
                max_body_bytes: self.max_body_bytes,
                max_concurrent: self.max_concurrent,
                max_queued: self.max_queued,
                timeout: Duration::from_millis(self.request_timeout_ms),
                cache_wait: Duration::from_millis(self.cache_wait_ms),
            },
            grace: Duration::from_secs(self.shutdown_grace_seconds),
            header_timeout: Duration::from_secs(self.header_read_timeout_seconds),
            cluster,
            templates: self.templates.clone(),
            sync,
        })
    }
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
            _ => unreachable!(),
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
