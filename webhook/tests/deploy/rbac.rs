//! RBAC ↔ the code: the Deployment's own arguments are resolved by the real CLI, then the
//! admission watches and the syncer they configure run against the fake API server through a
//! scenario that reaches every write path (copy created, updated, conflicting, deleted; owner
//! finalizers and status; events; Lease acquisition and renewal). Every request they make must
//! be allowed by the rendered ClusterRoles/Role, and every permission in
//! `deploy::rbac::API_ACCESS` must have been used (one documented exception).

use std::collections::BTreeSet;
use std::sync::Arc;
use std::time::Duration;

use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, PolicyRule, Role, RoleBinding};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use webhook::cluster::{Cluster, watch};
use webhook::deploy::Values;
use webhook::deploy::rbac::API_ACCESS;
use webhook::metrics::Metrics;

use super::common::{DEST, Harness, plan, secret, secret_sync};
use super::{NS, find, render};

/// A request as RBAC sees it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Request {
    group: String,
    resource: String,
    verb: &'static str,
    namespace: Option<String>,
    name: Option<String>,
}

fn verb(v: fakekube::Verb) -> &'static str {
    use fakekube::Verb::*;
    match v {
        Get => "get",
        List => "list",
        Watch => "watch",
        Create => "create",
        Update => "update",
        Patch => "patch",
        Delete => "delete",
    }
}

/// `/api/v1/namespaces/ns/secrets/name` → ("", "secrets", Some(ns), Some(name)).
fn parse(path: &str, v: fakekube::Verb) -> Request {
    let parts: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, rest) = match parts.first() {
        Some(&"api") => ("", &parts[2..]),
        Some(&"apis") => (parts[1], &parts[3..]),
        _ => panic!("unexpected path {path}"),
    };
    let (namespace, rest) = if rest.first() == Some(&"namespaces") && rest.len() >= 3 {
        (Some(rest[1].to_owned()), &rest[2..])
    } else {
        (None, rest)
    };
    let resource = match rest.get(2) {
        Some(sub) => format!("{}/{sub}", rest[0]),
        None => rest[0].to_owned(),
    };
    Request {
        group: group.to_owned(),
        resource,
        verb: verb(v),
        namespace,
        name: rest.get(1).map(|s| (*s).to_owned()),
    }
}

fn allows(rules: &[PolicyRule], r: &Request) -> bool {
    rules.iter().any(|rule| {
        let has =
            |list: &Option<Vec<String>>, x: &str| list.iter().flatten().any(|s| s == x || s == "*");
        has(&rule.api_groups, &r.group)
            && has(&rule.resources, &r.resource)
            && rule.verbs.iter().any(|v| v == r.verb)
            && match &rule.resource_names {
                None => true,
                Some(names) => r.name.as_ref().is_some_and(|n| names.contains(n)),
            }
    })
}

/// Cluster-wide rules bound to the ServiceAccount, and namespaced ones with their namespace.
fn granted(objects: &[Value], sa: &str) -> (Vec<PolicyRule>, Vec<(String, PolicyRule)>) {
    let bound = |subjects: &Option<Vec<k8s_openapi::api::rbac::v1::Subject>>| {
        subjects.iter().flatten().any(|s| {
            s.kind == "ServiceAccount" && s.name == sa && s.namespace.as_deref() == Some(NS)
        })
    };
    let mut cluster = Vec::new();
    let mut namespaced = Vec::new();
    for o in objects {
        match o["kind"].as_str() {
            Some("ClusterRoleBinding") => {
                let b: ClusterRoleBinding = serde_json::from_value(o.clone()).unwrap();
                if bound(&b.subjects) {
                    assert_eq!(b.role_ref.kind, "ClusterRole");
                    let r: ClusterRole = serde_json::from_value(
                        find(objects, "ClusterRole", &b.role_ref.name).clone(),
                    )
                    .unwrap();
                    cluster.extend(r.rules.unwrap_or_default());
                }
            }
            Some("RoleBinding") => {
                let b: RoleBinding = serde_json::from_value(o.clone()).unwrap();
                if bound(&b.subjects) {
                    assert_eq!(b.role_ref.kind, "Role");
                    let r: Role =
                        serde_json::from_value(find(objects, "Role", &b.role_ref.name).clone())
                            .unwrap();
                    let ns = b.metadata.namespace.clone().unwrap();
                    namespaced.extend(
                        r.rules
                            .unwrap_or_default()
                            .into_iter()
                            .map(|r| (ns.clone(), r)),
                    );
                }
            }
            _ => {}
        }
    }
    (cluster, namespaced)
}

/// The scenario; returns the requests made.
async fn exercise(values: &Values) -> Vec<Request> {
    let objects = render(values, true);
    let d = find(&objects, "Deployment", &values.name);
    let args: Vec<String> =
        serde_json::from_value(d["spec"]["template"]["spec"]["containers"][0]["args"].clone())
            .unwrap();
    let serve = super::serve_args(&args);
    // `resolve` wants readable certificate files and reads the ConfigMap's policy.
    let dir = tempfile::tempdir().unwrap();
    let (cert, key, policy) = (
        dir.path().join("c"),
        dir.path().join("k"),
        dir.path().join("p"),
    );
    std::fs::write(&cert, "x").unwrap();
    std::fs::write(&key, "x").unwrap();
    let cm = find(&objects, "ConfigMap", &format!("{}-policy", values.name));
    std::fs::write(&policy, cm["data"]["policy.yaml"].as_str().unwrap()).unwrap();
    let mut serve = serve;
    (serve.tls_cert, serve.tls_key, serve.config) = (Some(cert), Some(key), Some(policy));
    let env = |k: &str| match k {
        "POD_NAME" => Some("bosun-webhook-0".to_owned()),
        "POD_NAMESPACE" => Some(NS.to_owned()),
        _ => None,
    };
    let settings = serve.resolve(env).expect("the Deployment's args resolve");
    assert!(settings.cluster);
    assert_eq!(settings.sync.is_some(), values.sync.enabled);

    let h = Harness::new(&["team-a", "team-b", NS]).await;
    h.put_secret(secret("creds").in_ns("team-a").with("token", "a1"));
    h.put_secret(secret("creds").in_ns("team-b").with("token", "b1"));
    // Squats on team-b's copy name: a conflict (create 409, get, event).
    h.put_secret(secret("team-b.creds").in_ns(DEST).with("mine", "1"));
    h.put(
        json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowTemplate",
        "metadata": {"name": "t", "namespace": "team-a"}, "spec": {"templates": []}}),
    );

    let token = CancellationToken::new();
    let metrics = Arc::new(Metrics::default());
    let cluster = Cluster::new();
    tokio::spawn(watch::run(
        h.client("admission"),
        cluster.clone(),
        metrics.admission.clone(),
        true,
        token.clone(),
    ));
    let syncer = settings.sync.map(|mut config| {
        config.retry_after = Duration::from_millis(200);
        config.conflict_recheck = Duration::from_secs(1);
        if let Some(l) = &mut config.lease {
            // Renew every second so the test sees renewals.
            *l = webhook::sync::LeaseConfig::new(
                &l.namespace,
                &l.name,
                &l.identity,
                Duration::from_secs(3),
            );
        }
        tokio::spawn(webhook::sync::run(
            h.client("sync"),
            config,
            metrics.sync.clone(),
            token.clone(),
        ))
    });
    h.eventually("admission caches synced", |_| cluster.is_synced())
        .await;
    h.eventually("every admission watch is running", |h| {
        let watched: BTreeSet<(String, String)> = h
            .fake
            .requests()
            .iter()
            .filter(|r| r.verb == fakekube::Verb::Watch && r.client.as_deref() == Some("admission"))
            .map(|r| {
                let q = parse(&r.path, r.verb);
                (q.group, q.resource)
            })
            .collect();
        API_ACCESS
            .iter()
            .filter(|a| a.feature == webhook::deploy::rbac::Feature::Admission)
            .all(|a| watched.contains(&(a.group.to_owned(), a.resource.to_owned())))
    })
    .await;
    if syncer.is_some() {
        h.put(secret_sync("teams", json!({"secretNames": ["creds"]})));
        h.put(plan(DEST, "rigger", "creds", "elsewhere", &[]));
        h.namespace("elsewhere", &[]);
        h.eventually("a copy is made", |h| {
            h.secret(DEST, "team-a.creds").is_some()
        })
        .await;
        h.eventually("the plan copies too", |h| {
            h.secret("elsewhere", "team-a.creds").is_some()
        })
        .await;
        h.put_secret(secret("creds").in_ns("team-a").with("token", "a2"));
        h.eventually("the copy is updated", |h| {
            super::common::data_of(&h.secret(DEST, "team-a.creds").unwrap())["token"] == "a2"
        })
        .await;
        h.eventually("the conflict is reported as an event", |h| {
            !h.fake
                .list("events.k8s.io/v1", "Event", Some(DEST))
                .is_empty()
        })
        .await;
        h.fake
            .delete("bosun.dev/v1alpha1", "SecretSync", DEST, "teams")
            .expect("delete");
        h.eventually("deleting the SecretSync removes its copy", |h| {
            h.secret(DEST, "team-a.creds").is_none()
                && h.fake
                    .get("bosun.dev/v1alpha1", "SecretSync", DEST, "teams")
                    .is_none()
        })
        .await;
        h.eventually("the lease was renewed", |h| {
            h.fake
                .requests()
                .iter()
                .any(|r| r.verb == fakekube::Verb::Update && r.path.contains("/leases/"))
        })
        .await;
    }
    token.cancel();
    if let Some(s) = syncer {
        let _ = tokio::time::timeout(Duration::from_secs(20), s).await;
    }
    h.fake
        .requests()
        .into_iter()
        .filter(|r| r.client.is_some())
        .map(|r| parse(&r.path, r.verb))
        .collect()
}

/// Permissions granted but legitimately not reached by the scenario, with the reason.
const NOT_EXERCISED: &[(&str, &str, &str, &str)] = &[(
    "events.k8s.io",
    "events",
    "patch",
    "kube's Recorder patches an event only when the same event repeats within its cache window",
)];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn rbac_grants_exactly_what_the_code_uses() {
    for sync in [false, true] {
        let mut values = Values::default();
        values.sync.enabled = sync;
        let objects = render(&values, true);
        let (cluster, namespaced) = granted(&objects, &values.name);
        let requests = exercise(&values).await;
        assert!(requests.len() > 10, "{requests:?}");
        let mut used = BTreeSet::new();
        for r in &requests {
            let ok = allows(&cluster, r)
                || namespaced.iter().any(|(ns, rule)| {
                    r.namespace.as_ref() == Some(ns) && allows(std::slice::from_ref(rule), r)
                });
            assert!(ok, "sync={sync}: RBAC denies {r:?}");
            used.insert((r.group.clone(), r.resource.clone(), r.verb.to_owned()));
        }
        // Every granted (group, resource, verb) was used.
        let mut granted_triples = BTreeSet::new();
        for rule in cluster.iter().chain(namespaced.iter().map(|(_, r)| r)) {
            for g in rule.api_groups.iter().flatten() {
                for res in rule.resources.iter().flatten() {
                    for v in &rule.verbs {
                        granted_triples.insert((g.clone(), res.clone(), v.clone()));
                    }
                }
            }
        }
        let unused: Vec<_> = granted_triples
            .iter()
            .filter(|t| !used.contains(*t))
            .filter(|(g, r, v)| !NOT_EXERCISED.iter().any(|n| (n.0, n.1, n.2) == (g, r, v)))
            .collect();
        assert!(
            unused.is_empty(),
            "sync={sync}: granted but never used: {unused:?}"
        );
        // The rendered rules are exactly the code's list of API accesses.
        let listed: BTreeSet<_> = API_ACCESS
            .iter()
            .filter(|a| sync || a.feature == webhook::deploy::rbac::Feature::Admission)
            .flat_map(|a| {
                a.verbs
                    .iter()
                    .map(move |v| (a.group.to_owned(), a.resource.to_owned(), (*v).to_owned()))
            })
            .collect();
        assert_eq!(granted_triples, listed, "sync={sync}");
    }
}
