//! The syncer under stress: two replicas with leader election (only the leader writes; the other
//! takes over), and 200 namespaces with 10 % of API requests failing.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::{DEST, Harness, data_of, secret, secret_sync};
use fakekube::{Fault, FaultRule, Verb};
use serde_json::{Value, json};
use webhook::sync::LeaseConfig;

fn lease(identity: &str) -> LeaseConfig {
    LeaseConfig::new(
        "kube-system",
        "bosun-sync",
        identity,
        Duration::from_secs(5),
    )
}

fn writes_by(h: &Harness, client: &str) -> usize {
    h.fake
        .requests()
        .iter()
        .filter(|r| {
            r.verb.is_write()
                && r.client.as_deref() == Some(client)
                && !r.path.contains("/leases")
                && !r.path.contains("/events")
        })
        .count()
}

fn holder(h: &Harness) -> Option<String> {
    h.fake
        .get(
            "coordination.k8s.io/v1",
            "Lease",
            "kube-system",
            "bosun-sync",
        )
        .and_then(|l| {
            l.pointer("/spec/holderIdentity")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
}

#[tokio::test]
async fn two_replicas_only_the_leader_writes_and_the_other_takes_over() {
    let h = Harness::new(&["team-a", "team-b", "kube-system"]).await;
    for ns in ["team-a", "team-b"] {
        h.put_secret(secret("creds").in_ns(ns).with("k", "1"));
    }
    h.put(secret_sync("teams", json!({"secretNames": ["creds"]})));
    let a = h.start("replica-a", |c| c.lease = Some(lease("replica-a")));
    let b = h.start("replica-b", |c| c.lease = Some(lease("replica-b")));
    h.eventually("copies made", |h| h.copies().len() == 2).await;
    h.put_secret(secret("creds").in_ns("team-a").with("k", "2"));
    h.eventually("update made", |h| {
        data_of(&h.secret(DEST, "team-a.creds").unwrap())["k"] == "2"
    })
    .await;
    let leader = holder(&h).expect("a leader");
    let (leader_run, follower_run, follower) = if leader == "replica-a" {
        (a, b, "replica-b")
    } else {
        (b, a, "replica-a")
    };
    assert!(writes_by(&h, &leader) > 0, "leader wrote");
    assert_eq!(writes_by(&h, follower), 0, "follower never writes");
    assert_eq!(follower_run.metrics.sync.leader.get(), 0);

    // The leader goes away without releasing the lease: the follower takes over after expiry.
    leader_run.kill();
    h.put_secret(secret("creds").in_ns("team-b").with("k", "3"));
    h.eventually("follower took over and synced", |h| {
        data_of(&h.secret(DEST, "team-b.creds").unwrap())["k"] == "3"
    })
    .await;
    assert_eq!(holder(&h).as_deref(), Some(follower));
    assert!(writes_by(&h, follower) > 0);
    follower_run.stop().await;
    assert_eq!(holder(&h), None, "graceful stop releases the lease");
}

#[tokio::test]
async fn two_hundred_namespaces_converge_with_ten_percent_of_requests_failing() {
    let namespaces: Vec<String> = (0..200).map(|i| format!("team-{i:03}")).collect();
    let refs: Vec<&str> = namespaces.iter().map(String::as_str).collect();
    let h = Harness::with(fakekube::FakeKube::builder().seed(42), &refs).await;
    for ns in &namespaces {
        h.put_secret(secret("creds").in_ns(ns).with("token", &format!("{ns}-v1")));
    }
    // Unmanaged Secrets squatting on five copy names.
    let squatters: Vec<Value> = (0..5)
        .map(|i| {
            h.put_secret(
                secret(&format!("team-{:03}.creds", i * 40))
                    .in_ns(DEST)
                    .with("mine", "1"),
            )
        })
        .collect();
    h.fake.set_faults(vec![
        FaultRule::new(0.07, Fault::Status(500)),
        FaultRule::new(0.02, Fault::Status(503)),
        FaultRule::new(0.01, Fault::StatusAfterCommit(500)).verbs(&[
            Verb::Create,
            Verb::Update,
            Verb::Delete,
        ]),
        FaultRule::new(0.02, Fault::Delay(Duration::from_millis(50))),
        FaultRule::new(0.1, Fault::CutWatchAfter(Duration::from_millis(500))).verbs(&[Verb::Watch]),
    ]);
    h.put(secret_sync("teams", json!({"secretNames": ["creds"]})));
    let syncer = h.start("solo", |_| {});

    let expected = |h: &Harness, version: &dyn Fn(&str) -> Option<String>| -> bool {
        let copies = h.copies();
        let mut by_name: BTreeMap<String, Value> = BTreeMap::new();
        for c in copies {
            by_name.insert(
                c["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
                c,
            );
        }
        let mut want = 0;
        for (i, ns) in namespaces.iter().enumerate() {
            let name = format!("{ns}.creds");
            let squatted = i % 40 == 0;
            match (version(ns), squatted) {
                (Some(v), false) => {
                    want += 1;
                    if by_name
                        .get(&name)
                        .is_none_or(|c| data_of(c).get("token") != Some(&v))
                    {
                        return false;
                    }
                }
                _ => {
                    if by_name.contains_key(&name) {
                        return false;
                    }
                }
            }
        }
        by_name.len() == want
    };
    h.eventually("195 copies match their sources", |h| {
        expected(h, &|ns| Some(format!("{ns}-v1")))
    })
    .await;

    // Change 20 sources and delete 10 while faults continue.
    for ns in namespaces.iter().skip(1).step_by(10) {
        h.put_secret(secret("creds").in_ns(ns).with("token", &format!("{ns}-v2")));
    }
    for ns in namespaces.iter().skip(3).step_by(20) {
        h.fake.delete("v1", "Secret", ns, "creds").unwrap();
    }
    let version = |ns: &str| -> Option<String> {
        let i: usize = ns[5..].parse().unwrap();
        if i % 20 == 3 {
            None
        } else if i % 10 == 1 {
            Some(format!("{ns}-v2"))
        } else {
            Some(format!("{ns}-v1"))
        }
    };
    h.eventually(
        "updates and deletions converge; no stale or duplicate copy",
        |h| expected(h, &version),
    )
    .await;
    for s in &squatters {
        let now = h
            .secret(DEST, s["metadata"]["name"].as_str().unwrap())
            .expect("squatter survives");
        assert_eq!(
            now["metadata"]["resourceVersion"], s["metadata"]["resourceVersion"],
            "unmanaged Secret untouched"
        );
    }
    h.eventually("status lists the five conflicts", |h| {
        h.sync_status("teams")["conflictCount"] == 5
    })
    .await;
    h.fake.clear_faults();
    syncer.stop().await;
}
