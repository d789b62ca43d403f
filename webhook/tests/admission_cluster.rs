//! Cluster-aware admission through the in-process fake API server: the watches fill the cache,
//! `/readyz` waits for them, templates created after start-up resolve without a restart, and
//! references to missing Secrets/ServiceAccounts are warned about unless a SecretSync will
//! provide the Secret.

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use common::{DEST, Harness, TIMEOUT, secret_sync};
use fakekube::{Fault, FaultRule};
use http::{Request, StatusCode};
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use tower::ServiceExt as _;
use webhook::admission::Reviewer;
use webhook::cluster::{Cluster, watch};
use webhook::metrics::Metrics;
use webhook::policy::Policy;
use webhook::{cmd, probes, server};

fn data(name: &str) -> Value {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).expect("data")).expect("json")
}

struct Webhook {
    app: Router,
    probes: Router,
    token: CancellationToken,
}

fn start(h: &Harness) -> Webhook {
    let metrics = Arc::new(Metrics::default());
    let cluster = Cluster::new();
    let token = CancellationToken::new();
    tokio::spawn(watch::run(
        h.client("webhook"),
        cluster.clone(),
        metrics.admission.clone(),
        true,
        token.clone(),
    ));
    let reviewer = Arc::new(Reviewer::new(Policy::default(), Some(cluster.clone())));
    let app = server::router(
        reviewer,
        metrics.admission.clone(),
        server::Limits::default(),
    );
    let (ready, scrape) = cmd::probe_hooks(Some(cluster), &metrics);
    Webhook {
        app,
        probes: probes::router_with(metrics, ready, scrape),
        token,
    }
}

async fn call(app: &Router, method: &str, path: &str, body: String) -> (StatusCode, Value) {
    let req = Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .body(Body::from(body))
        .expect("request");
    let resp = app.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body");
    let v = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, v)
}

async fn review(w: &Webhook, review: &Value) -> Value {
    let (status, body) = call(&w.app, "POST", "/validate", review.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["response"].clone()
}

async fn ready(w: &Webhook) -> StatusCode {
    call(&w.probes, "GET", "/readyz", String::new()).await.0
}

/// Polls `f` until it returns `Some`, within [`TIMEOUT`].
async fn eventually<T, F: std::future::Future<Output = Option<T>>>(
    what: &str,
    mut f: impl FnMut() -> F,
) -> T {
    let deadline = Instant::now() + TIMEOUT;
    loop {
        if let Some(v) = f().await {
            return v;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn greetings_template() -> Value {
    json!({"apiVersion": "argoproj.io/v1alpha1", "kind": "WorkflowTemplate",
           "metadata": {"name": "greetings", "namespace": DEST},
           "spec": {"templates": [{"name": "say", "inputs": {"parameters": [{"name": "message"}]},
                                   "container": {"image": "alpine:3.20", "args": ["{{inputs.parameters.message}}"]}}]}})
}

#[tokio::test]
async fn readiness_waits_for_the_caches_and_templates_created_later_resolve() {
    let h = Harness::new(&["team-a"]).await;
    h.fake.set_faults(vec![
        FaultRule::new(1.0, Fault::Status(500)).path("workflowtemplates"),
    ]);
    let w = start(&h);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(ready(&w).await, StatusCode::SERVICE_UNAVAILABLE);
    h.fake.clear_faults();
    eventually("readiness", || async {
        (ready(&w).await == StatusCode::OK).then_some(())
    })
    .await;

    let uses_ref = data("workflow-create-templateref.json");
    let denied = review(&w, &uses_ref).await;
    assert_eq!(denied["allowed"], false, "{denied}");
    assert!(
        denied["status"]["message"]
            .as_str()
            .unwrap()
            .contains("greetings"),
        "{denied}"
    );

    h.put(greetings_template());
    let allowed = eventually("the new template to resolve", || async {
        let r = review(&w, &uses_ref).await;
        (r["allowed"] == true).then_some(r)
    })
    .await;
    assert!(allowed.get("warnings").is_none(), "{allowed}");

    // An argument the template does not declare is a warning (AW505), resolved from memory.
    let mut extra = uses_ref.clone();
    extra["request"]["object"]["spec"]["templates"][0]["steps"][0][0]["arguments"]["parameters"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "colour", "value": "red"}));
    let warned = review(&w, &extra).await;
    assert_eq!(warned["allowed"], true);
    let warnings = warned["warnings"].as_array().expect("warnings");
    assert!(
        warnings[0].as_str().unwrap().starts_with("AW505 "),
        "{warned}"
    );
    w.token.cancel();
}

#[tokio::test]
async fn missing_references_warn_unless_a_secret_sync_provides_the_secret() {
    let h = Harness::new(&["team-a"]).await;
    let w = start(&h);
    eventually("readiness", || async {
        (ready(&w).await == StatusCode::OK).then_some(())
    })
    .await;
    let mut refs = data("workflow-create-secret-refs.json");
    let env = "/request/object/spec/templates/0/container/env/0/valueFrom/secretKeyRef/name";
    *refs.pointer_mut(env).unwrap() = json!("team-a.api-token");
    let r = review(&w, &refs).await;
    assert_eq!(r["allowed"], true);
    let warnings: Vec<&str> = r["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert_eq!(
        warnings,
        vec![
            "BW003 /spec/serviceAccountName: ServiceAccount `runner` not found in namespace `argo`",
            "BW001 /spec/templates/0/container/env/0/valueFrom/secretKeyRef: Secret `team-a.api-token` not found in namespace `argo`",
        ]
    );
    for w in &warnings {
        assert!(w.chars().count() <= 120);
    }

    h.put(json!({"apiVersion": "v1", "kind": "ServiceAccount", "metadata": {"name": "runner", "namespace": DEST}}));
    h.put(secret_sync("tokens", json!({"secretNames": ["api-token"]})));
    eventually(
        "the ServiceAccount and the SecretSync to be seen",
        || async {
            let r = review(&w, &refs).await;
            r.get("warnings").is_none().then_some(())
        },
    )
    .await;
    w.token.cancel();
}
