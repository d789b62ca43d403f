//! The Secret syncer: copies named Secrets from many namespaces into a destination namespace, as
//! declared by `SecretSync` objects (and rigger `Plan`s), with ownership by UID, finalizers,
//! conflict detection, leader election, metrics and events. Start it with [`run`].
//!
//! Module map: [`api`] (CRD types), [`owner`] (one plan for both kinds), [`desired`] (pure copy
//! computation), [`sources`] (caches and change routing), [`write`] (guarded writes),
//! [`status`] (conditions and events), [`controller`] (reconcile/error_policy/run), [`leader`]
//! (Lease election).

pub mod api;
pub mod controller;
pub mod desired;
pub mod leader;
pub mod owner;
pub mod ready;
pub mod sources;
pub mod status;
pub mod write;

use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::coordination::v1::Lease;
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::Client;
use kube::api::{Api, ListParams};
use tokio_util::sync::CancellationToken;

use crate::metrics::SyncMetrics;
pub use api::{Plan, SecretSync};
pub use leader::LeaseConfig;
pub use ready::{Phase, Readiness};

/// Aborts a spawned task when dropped, so cancelling or aborting the syncer's future never
/// leaves watches or writers running behind it.
pub(crate) struct AbortOnDrop<T>(pub(crate) tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Errors of the sync layer.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Kubernetes API request failed: {0}")]
    Kube(#[from] kube::Error),
    #[error("{0} changed while being written; retrying")]
    StaleWrite(String),
    #[error("{failed} copy writes failed; first: {first}")]
    Writes { failed: usize, first: String },
    #[error("missing RBAC permission: {0}")]
    Forbidden(String),
    #[error("the {0} CustomResourceDefinition is not installed (kubectl apply -f chart/crds/)")]
    CrdMissing(&'static str),
    #[error("leader election: {0}")]
    Lease(String),
}

impl Error {
    /// Short, bounded label for `bosun_sync_reconcile_errors_total{reason}`.
    pub fn metric_label(&self) -> &'static str {
        match self {
            Self::Kube(kube::Error::Api(s)) => match s.code {
                403 => "api_forbidden",
                404 => "api_not_found",
                409 => "api_conflict",
                422 => "api_invalid",
                429 => "api_throttled",
                500..=599 => "api_server_error",
                _ => "api_error",
            },
            Self::Kube(_) => "api_transport",
            Self::StaleWrite(_) => "stale_write",
            Self::Writes { .. } => "copy_writes",
            Self::Forbidden(_) => "forbidden",
            Self::CrdMissing(_) => "crd_missing",
            Self::Lease(_) => "lease",
        }
    }
}

/// Whether rigger Plans are served.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum PlansMode {
    /// Served when the Plan CRD is installed.
    Auto,
    Enabled,
    Disabled,
}

/// Validated syncer settings.
#[derive(Debug, Clone)]
pub struct Config {
    /// Every owner is re-checked this often even without events.
    pub resync: Duration,
    /// Delay before retrying a failed reconcile.
    pub retry_after: Duration,
    /// Owners with conflicts are re-checked this often (a squatting Secret's deletion is not
    /// watched: it is not one of Bosun's copies and may not have a synced name).
    pub conflict_recheck: Duration,
    /// Owners reconciled in parallel.
    pub concurrency: u16,
    /// This replica's identity (events' reporter instance, Lease holder).
    pub identity: String,
    /// `None` runs without leader election (single replica).
    pub lease: Option<LeaseConfig>,
    pub plans: PlansMode,
}

impl Config {
    /// Defaults for tests and embedding: 5 min resync, no leader election.
    pub fn new(identity: &str) -> Self {
        Self {
            resync: Duration::from_secs(300),
            retry_after: Duration::from_secs(2),
            conflict_recheck: Duration::from_secs(30),
            concurrency: 4,
            identity: identity.to_owned(),
            lease: None,
            plans: PlansMode::Auto,
        }
    }
}

fn forbidden_or(e: kube::Error, what: &str) -> Error {
    match e {
        kube::Error::Api(s) if s.code == 403 => Error::Forbidden(format!(
            "{what} (see the RBAC section of docs/secret-sync.md)"
        )),
        other => Error::Kube(other),
    }
}

/// Startup probe: checks the permissions and CRDs the syncer needs and fails with an actionable
/// message. Returns whether Plans are served.
pub async fn probe(client: &Client, config: &Config) -> Result<bool, Error> {
    let one = ListParams::default().limit(1);
    Api::<Secret>::all(client.clone())
        .list_metadata(&one)
        .await
        .map_err(|e| forbidden_or(e, "list/watch secrets in all namespaces"))?;
    Api::<Namespace>::all(client.clone())
        .list_metadata(&one)
        .await
        .map_err(|e| forbidden_or(e, "list/watch namespaces"))?;
    match Api::<SecretSync>::all(client.clone())
        .list_metadata(&one)
        .await
    {
        Err(kube::Error::Api(s)) if s.code == 404 => {
            return Err(Error::CrdMissing("secretsyncs.bosun.dev"));
        }
        r => r.map_err(|e| forbidden_or(e, "list/watch secretsyncs.bosun.dev"))?,
    };
    let plans = match (
        config.plans,
        Api::<Plan>::all(client.clone()).list_metadata(&one).await,
    ) {
        (PlansMode::Disabled, _) => false,
        (PlansMode::Auto, Err(kube::Error::Api(s))) if s.code == 404 => {
            tracing::info!(
                "plans.rigger.k8s.wantedly.com is not installed; rigger Plans are not served"
            );
            false
        }
        (PlansMode::Enabled, Err(kube::Error::Api(s))) if s.code == 404 => {
            return Err(Error::CrdMissing("plans.rigger.k8s.wantedly.com"));
        }
        (_, r) => {
            r.map_err(|e| forbidden_or(e, "list/watch plans.rigger.k8s.wantedly.com"))?;
            true
        }
    };
    if let Some(l) = &config.lease {
        Api::<Lease>::namespaced(client.clone(), &l.namespace)
            .get_opt(&l.name)
            .await
            .map_err(|e| {
                forbidden_or(
                    e,
                    &format!("get/create/update leases in namespace {}", l.namespace),
                )
            })?;
    }
    Ok(plans)
}

/// Runs the syncer until `shutdown` fires: probe, then (with a Lease configured) only while this
/// replica is the leader. `serve` runs this in-process beside the admission server.
pub async fn run(
    client: Client,
    config: Config,
    metrics: Arc<SyncMetrics>,
    shutdown: CancellationToken,
) -> Result<(), Error> {
    run_with(client, config, metrics, Readiness::default(), shutdown).await
}

/// [`run`], reporting its progress to `ready` (for `/readyz` of `bosun-webhook sync`).
pub async fn run_with(
    client: Client,
    config: Config,
    metrics: Arc<SyncMetrics>,
    ready: Readiness,
    shutdown: CancellationToken,
) -> Result<(), Error> {
    let plans = probe(&client, &config).await?;
    match config.lease.clone() {
        None => controller::run_active(client, config, metrics, plans, ready, shutdown).await,
        Some(lease) => {
            ready.set(Phase::Standby);
            let c = client.clone();
            let m = metrics.clone();
            leader::run_elected(client, lease, metrics, shutdown, move |stop| {
                controller::run_active(
                    c.clone(),
                    config.clone(),
                    m.clone(),
                    plans,
                    ready.clone(),
                    stop,
                )
            })
            .await
        }
    }
}
