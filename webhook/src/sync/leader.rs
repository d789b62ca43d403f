//! Leader election on a `coordination.k8s.io/v1` Lease, so several webhook replicas run one
//! active syncer.
//!
//! A candidate takes the Lease when it is free (no holder) or expired (`renewTime +
//! leaseDurationSeconds` in the past), with a resourceVersion-guarded PUT so two candidates cannot
//! both win. The leader renews every `renew_every`; if it cannot renew for two thirds of the lease
//! duration it stops its work *before* anyone else may take over. On shutdown it releases the
//! Lease so failover is immediate. Clock skew between replicas is not compensated (as in
//! client-go, keep clocks in sync).

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::api::coordination::v1::{Lease, LeaseSpec};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta};
use k8s_openapi::jiff::Timestamp;
use kube::Client;
use kube::api::{Api, PostParams};
use tokio_util::sync::CancellationToken;

use super::Error;
use crate::metrics::SyncMetrics;

/// Lease settings.
#[derive(Debug, Clone)]
pub struct LeaseConfig {
    pub namespace: String,
    pub name: String,
    /// This replica's identity (pod name).
    pub identity: String,
    pub duration: Duration,
    pub renew_every: Duration,
    pub retry_every: Duration,
}

impl LeaseConfig {
    /// Renew at a third of the duration, retry acquisition at half of it.
    pub fn new(namespace: &str, name: &str, identity: &str, duration: Duration) -> Self {
        Self {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            identity: identity.to_owned(),
            duration,
            renew_every: duration / 3,
            retry_every: duration / 2,
        }
    }
}

fn now() -> MicroTime {
    MicroTime(Timestamp::now())
}

/// Takes or renews the Lease; `Ok(false)` when someone else holds it.
pub async fn try_acquire(api: &Api<Lease>, cfg: &LeaseConfig) -> Result<bool, kube::Error> {
    let secs = i32::try_from(cfg.duration.as_secs())
        .unwrap_or(i32::MAX)
        .max(1);
    let pp = PostParams::default();
    let Some(current) = api.get_opt(&cfg.name).await? else {
        let lease = Lease {
            metadata: ObjectMeta {
                name: Some(cfg.name.clone()),
                namespace: Some(cfg.namespace.clone()),
                ..ObjectMeta::default()
            },
            spec: Some(LeaseSpec {
                holder_identity: Some(cfg.identity.clone()),
                lease_duration_seconds: Some(secs),
                acquire_time: Some(now()),
                renew_time: Some(now()),
                lease_transitions: Some(0),
                ..LeaseSpec::default()
            }),
        };
        return match api.create(&pp, &lease).await {
            Ok(_) => Ok(true),
            Err(kube::Error::Api(s)) if s.code == 409 => Ok(false),
            Err(e) => Err(e),
        };
    };
    let spec = current.spec.clone().unwrap_or_default();
    let holder = spec.holder_identity.clone().unwrap_or_default();
    let ours = holder == cfg.identity;
    let duration_ms = i64::from(spec.lease_duration_seconds.unwrap_or(secs)) * 1000;
    let expired = spec
        .renew_time
        .as_ref()
        .is_none_or(|t| t.0.as_millisecond() + duration_ms < Timestamp::now().as_millisecond());
    if !(ours || holder.is_empty() || expired) {
        return Ok(false);
    }
    let mut next = current.clone();
    next.spec = Some(LeaseSpec {
        holder_identity: Some(cfg.identity.clone()),
        lease_duration_seconds: Some(secs),
        acquire_time: if ours {
            spec.acquire_time.clone()
        } else {
            Some(now())
        },
        renew_time: Some(now()),
        lease_transitions: Some(spec.lease_transitions.unwrap_or(0) + i32::from(!ours)),
        ..spec
    });
    match api.replace(&cfg.name, &pp, &next).await {
        Ok(_) => Ok(true),
        Err(kube::Error::Api(s)) if s.code == 409 => Ok(false),
        Err(e) => Err(e),
    }
}

async fn release(api: &Api<Lease>, cfg: &LeaseConfig) {
    let Ok(Some(mut lease)) = api.get_opt(&cfg.name).await else {
        return;
    };
    let Some(spec) = lease.spec.as_mut() else {
        return;
    };
    if spec.holder_identity.as_deref() != Some(cfg.identity.as_str()) {
        return;
    }
    spec.holder_identity = None;
    if let Err(e) = api.replace(&cfg.name, &PostParams::default(), &lease).await {
        tracing::debug!(error = %e, "could not release lease; it will expire");
    }
}

enum Ended {
    Work(Result<(), Error>),
    Lost,
    Shutdown,
}

/// Runs `work` only while this replica holds the Lease, restarting it after each re-election,
/// until `shutdown` fires. `work` gets a token cancelled when leadership is lost.
pub async fn run_elected<F, Fut>(
    client: Client,
    cfg: LeaseConfig,
    metrics: Arc<SyncMetrics>,
    shutdown: CancellationToken,
    mut work: F,
) -> Result<(), Error>
where
    F: FnMut(CancellationToken) -> Fut,
    Fut: Future<Output = Result<(), Error>> + Send + 'static,
{
    let api: Api<Lease> = Api::namespaced(client, &cfg.namespace);
    loop {
        loop {
            match try_acquire(&api, &cfg).await {
                Ok(true) => break,
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, lease = %cfg.name, "lease acquisition failed"),
            }
            tokio::select! {
                () = tokio::time::sleep(cfg.retry_every) => {}
                () = shutdown.cancelled() => return Ok(()),
            }
        }
        tracing::info!(identity = %cfg.identity, lease = %cfg.name, "became the active secret syncer");
        metrics.leader.set(1);
        let lost = shutdown.child_token();
        let mut handle = super::AbortOnDrop(tokio::spawn(work(lost.clone())));
        let mut last_renew = Instant::now();
        let ended = loop {
            tokio::select! {
                r = &mut handle.0 => break Ended::Work(r.unwrap_or_else(|e| Err(Error::Lease(format!("syncer task failed: {e}"))))),
                () = tokio::time::sleep(cfg.renew_every) => match try_acquire(&api, &cfg).await {
                    Ok(true) => last_renew = Instant::now(),
                    Ok(false) => break Ended::Lost,
                    Err(e) => {
                        tracing::warn!(error = %e, "lease renewal failed");
                        if last_renew.elapsed() > cfg.duration * 2 / 3 {
                            break Ended::Lost;
                        }
                    }
                },
                () = shutdown.cancelled() => break Ended::Shutdown,
            }
        };
        lost.cancel();
        metrics.leader.set(0);
        match ended {
            Ended::Work(r) => {
                release(&api, &cfg).await;
                return r;
            }
            Ended::Lost => {
                tracing::warn!(identity = %cfg.identity, "lost the lease; stopping the syncer");
                // Dropping the guard aborts the work if it did not stop in time.
                let _ = tokio::time::timeout(cfg.duration / 3, &mut handle.0).await;
            }
            Ended::Shutdown => {
                let _ = tokio::time::timeout(Duration::from_secs(10), &mut handle.0).await;
                release(&api, &cfg).await;
                return Ok(());
            }
        }
    }
}
