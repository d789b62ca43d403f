//! `/readyz` of `bosun-webhook sync` through the fake API server: not ready while the syncer
//! probes and while the active syncer's caches are still listing (a slow namespace LIST keeps it
//! there), ready once they are synced; with leader election the standby replica is ready too
//! (it waits for the Lease), so rolling updates of two replicas do not stall.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use common::{Harness, TIMEOUT, secret, secret_sync};
use fakekube::{Fault, FaultRule, Verb};
use serde_json::json;
use tokio_util::sync::CancellationToken;
use webhook::cmd;
use webhook::metrics::Metrics;
use webhook::sync::{self, LeaseConfig, Phase, Readiness};

struct Replica {
    readiness: Readiness,
    probes: Router,
    token: CancellationToken,
}

fn start(h: &Harness, who: &str, lease: bool) -> Replica {
    let mut config = sync::Config::new(who);
    config.retry_after = Duration::from_millis(200);
    if lease {
        config.lease = Some(LeaseConfig::new(
            "kube-system",
            "bosun-sync",
            who,
            Duration::from_secs(5),
        ));
    }
    let metrics = Arc::new(Metrics::default());
    let readiness = Readiness::default();
    let token = CancellationToken::new();
    tokio::spawn(sync::run_with(
        h.client(who),
        config,
        metrics.sync.clone(),
        readiness.clone(),
        token.clone(),
    ));
    Replica {
        probes: cmd::sync_probes(metrics, readiness.clone()),
        readiness,
        token,
    }
}

async fn readyz(r: &Replica) -> u16 {
    use tower::ServiceExt as _;
    let req = http::Request::get("/readyz")
        .body(axum::body::Body::empty())
        .unwrap();
    r.probes
        .clone()
        .oneshot(req)
        .await
        .unwrap()
        .status()
        .as_u16()
}

async fn until(what: &str, mut f: impl AsyncFnMut() -> bool) {
    let deadline = Instant::now() + TIMEOUT;
    while !f().await {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn readyz_waits_for_the_syncer_caches() {
    let h = Harness::new(&["team-a"]).await;
    h.put_secret(secret("creds").in_ns("team-a").with("k", "1"));
    h.put(secret_sync("teams", json!({"secretNames": ["creds"]})));
    // Every namespace LIST (the probe's and the cache's) takes 1.5 s.
    h.fake.set_faults(vec![
        FaultRule::new(1.0, Fault::Delay(Duration::from_millis(1500)))
            .verbs(&[Verb::List])
            .path("namespaces"),
    ]);
    let r = start(&h, "solo", false);
    assert_eq!(readyz(&r).await, 503, "not ready while probing");
    until("the probe to pass", async || {
        r.readiness.phase() != Phase::Starting
    })
    .await;
    assert_eq!(r.readiness.phase(), Phase::Syncing);
    assert_eq!(readyz(&r).await, 503, "not ready while the caches list");
    h.eventually("the copy is made", |h| h.copies().len() == 1)
        .await;
    until("readiness", async || readyz(&r).await == 200).await;
    assert_eq!(r.readiness.phase(), Phase::Synced);
    h.eventually("the copy is made", |h| h.copies().len() == 1)
        .await;
    r.token.cancel();
}

#[tokio::test]
async fn with_leader_election_the_leader_and_the_standby_are_both_ready() {
    let h = Harness::new(&["team-a", "kube-system"]).await;
    let a = start(&h, "replica-a", true);
    until("a leads with synced caches", async || {
        a.readiness.phase() == Phase::Synced
    })
    .await;
    let b = start(&h, "replica-b", true);
    until("b is standing by", async || {
        b.readiness.phase() == Phase::Standby
    })
    .await;
    assert_eq!(readyz(&a).await, 200);
    assert_eq!(readyz(&b).await, 200);
    a.token.cancel();
    b.token.cancel();
}
