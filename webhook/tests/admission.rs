//! In-process admission tests: real AdmissionReview v1 JSON from `tests/data/` through the
//! axum router with `oneshot` (no sockets, no cluster).

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use http::{Request, StatusCode};
use serde_json::{Value, json};
use tower::ServiceExt as _;
use webhook::admission::Reviewer;
use webhook::metrics::Metrics;
use webhook::policy::Policy;
use webhook::server::{self, Limits};

fn data(name: &str) -> Value {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("test data");
    serde_json::from_str(&text).expect("test data is JSON")
}

fn app_with(policy: Policy) -> (Router, Arc<Metrics>) {
    let metrics = Arc::new(Metrics::default());
    let reviewer = Arc::new(Reviewer::new(policy, None));
    (
        server::router(reviewer, metrics.admission.clone(), Limits::default()),
        metrics,
    )
}

fn app() -> Router {
    app_with(Policy::default()).0
}

async fn send(app: &Router, path: &str, body: impl Into<Body>) -> (StatusCode, Value) {
    let req = Request::post(path)
        .header("content-type", "application/json")
        .body(body.into())
        .expect("request");
    let resp = app.clone().oneshot(req).await.expect("infallible");
    let status = resp.status();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .expect("body");
    let value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    (status, value)
}

async fn check(app: &Router, path: &str, review: &Value) -> Value {
    let (status, body) = send(app, path, review.to_string()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["apiVersion"], "admission.k8s.io/v1");
    assert_eq!(body["kind"], "AdmissionReview");
    assert_eq!(body["response"]["uid"], review["request"]["uid"]);
    body["response"].clone()
}

#[tokio::test]
async fn admission_allows_a_valid_workflow() {
    let r = check(&app(), "/validate", &data("workflow-create-valid.json")).await;
    assert_eq!(r["allowed"], true);
    assert!(r.get("warnings").is_none(), "{r}");
}

#[tokio::test]
async fn admission_denies_an_invalid_workflow_with_one_line_per_diagnostic() {
    let r = check(&app(), "/validate", &data("workflow-create-invalid.json")).await;
    assert_eq!(r["allowed"], false);
    assert_eq!(r["status"]["code"], 422);
    let message = r["status"]["message"].as_str().unwrap();
    let expected = std::fs::read_to_string(format!(
        "{}/tests/data/workflow-create-invalid.message.txt",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap_or_default();
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(
            format!(
                "{}/tests/data/workflow-create-invalid.message.txt",
                env!("CARGO_MANIFEST_DIR")
            ),
            format!("{message}\n"),
        )
        .unwrap();
    } else {
        assert_eq!(
            format!("{message}\n"),
            expected,
            "run `UPDATE_GENERATED=1 cargo test -p webhook --test admission`"
        );
    }
    assert!(message.starts_with("bosun: Workflow/argo/broken has "));
}

#[tokio::test]
async fn dry_run_reviews_get_the_same_answer() {
    let app = app();
    let a = check(&app, "/validate", &data("workflow-create-invalid.json")).await;
    let b = check(
        &app,
        "/validate",
        &data("workflow-create-invalid-dryrun.json"),
    )
    .await;
    assert_eq!(a["status"], b["status"]);
    assert_eq!(a["allowed"], b["allowed"]);
}

#[tokio::test]
async fn workflow_updates_are_not_revalidated() {
    // See: the controller writes status with full-object UPDATEs (peers.md A.5).
    let r = check(&app(), "/validate", &data("workflow-update-status.json")).await;
    assert_eq!(r["allowed"], true);
}

#[tokio::test]
async fn template_updates_that_keep_the_spec_are_skipped_and_others_checked() {
    let app = app();
    let same = check(
        &app,
        "/validate",
        &data("workflowtemplate-update-same-spec.json"),
    )
    .await;
    assert_eq!(same["allowed"], true);
    let changed = check(
        &app,
        "/validate",
        &data("workflowtemplate-update-changed-spec.json"),
    )
    .await;
    assert_eq!(changed["allowed"], false);
    assert!(
        changed["status"]["message"]
            .as_str()
            .unwrap()
            .starts_with("bosun: WorkflowTemplate/argo/shared has ")
    );
}

#[tokio::test]
async fn warnings_are_returned_and_short() {
    let r = check(
        &app(),
        "/validate",
        &data("cronworkflow-create-never-fires.json"),
    )
    .await;
    assert_eq!(r["allowed"], true);
    let warnings = r["warnings"].as_array().expect("warnings");
    assert!(!warnings.is_empty());
    for w in warnings {
        let w = w.as_str().unwrap();
        assert!(w.chars().count() <= 120, "{w}");
        assert!(w.starts_with("AW602 /spec/schedules/0"), "{w}");
    }
}

#[tokio::test]
async fn malformed_reviews_get_a_clear_400() {
    let app = app();
    let (status, body) = send(
        &app,
        "/validate",
        std::fs::read(format!(
            "{}/tests/data/malformed.json",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["response"]["allowed"], false);
    assert_eq!(body["response"]["status"]["code"], 400);
    let msg = body["response"]["status"]["message"].as_str().unwrap();
    assert!(msg.starts_with("malformed AdmissionReview: "), "{msg}");

    let (status, body) = send(&app, "/validate", data("wrong-version.json").to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let msg = body["response"]["status"]["message"].as_str().unwrap();
    assert!(msg.contains("admission.k8s.io/v1beta1"), "{msg}");

    let (status, _) = send(&app, "/validate", "null").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn other_kinds_are_allowed_untouched() {
    let r = check(&app(), "/validate", &data("pod-create.json")).await;
    assert_eq!(r["allowed"], true);
    let r = check(&app(), "/mutate", &data("pod-create.json")).await;
    assert!(r.get("patch").is_none());
}

#[tokio::test]
async fn a_three_mebibyte_update_fits_and_bigger_bodies_are_refused() {
    let app = app();
    let mut review = data("workflowtemplate-update-changed-spec.json");
    let big = "x".repeat(3 << 20);
    for key in ["object", "oldObject"] {
        review["request"][key]["metadata"]["annotations"] = json!({ "big": big });
    }
    let started = std::time::Instant::now();
    let r = check(&app, "/validate", &review).await;
    assert_eq!(r["allowed"], false, "the spec is still checked");
    assert!(started.elapsed() < std::time::Duration::from_secs(20));

    let huge = "y".repeat(9 << 20);
    review["request"]["object"]["metadata"]["annotations"] = json!({ "big": huge });
    let (status, _) = send(&app, "/validate", review.to_string()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
}

fn policy() -> Policy {
    Policy::parse(
        "defaults:\n  serviceAccountName: workflow\n  activeDeadlineSeconds: 3600\n  \
         ttlStrategy: {secondsAfterCompletion: 86400}\n  podGC: {strategy: OnPodSuccess}\n  \
         labels: {team: data}\nrequire: {activeDeadlineSeconds: true, noLatestTag: true}\n",
    )
    .expect("policy")
}

#[tokio::test]
async fn mutation_adds_absent_defaults_and_the_result_validates() {
    let (app, _) = app_with(policy());
    let mut review = data("workflow-create-valid.json");
    // Without the defaults, the opt-in rule denies.
    let denied = check(&app, "/validate", &review).await;
    assert_eq!(denied["allowed"], false);
    assert!(
        denied["status"]["message"]
            .as_str()
            .unwrap()
            .contains("BP001 /spec: activeDeadlineSeconds is required by policy")
    );

    let r = check(&app, "/mutate", &review).await;
    assert_eq!(r["patchType"], "JSONPatch");
    let bytes = base64_decode(r["patch"].as_str().unwrap());
    let patch: json_patch::Patch = serde_json::from_slice(&bytes).unwrap();
    json_patch::patch(&mut review["request"]["object"], &patch).unwrap();
    let object = &review["request"]["object"];
    assert_eq!(object["spec"]["serviceAccountName"], "workflow");
    assert_eq!(object["spec"]["activeDeadlineSeconds"], 3600);
    assert_eq!(object["metadata"]["labels"]["team"], "data");

    let again = check(&app, "/mutate", &review).await;
    assert!(again.get("patch").is_none(), "reinvocation is a no-op");
    let ok = check(&app, "/validate", &review).await;
    assert_eq!(ok["allowed"], true, "{ok}");
}

#[test]
fn patches_are_base64_encoded() {
    for s in ["", "a", "ab", "abc", "abcd", "[{\"op\":\"add\"}]"] {
        let encoded = webhook::server::handlers::base64(s.as_bytes());
        assert_eq!(base64_decode(&encoded), s.as_bytes(), "{encoded}");
    }
    assert_eq!(webhook::server::handlers::base64(b"ab"), "YWI=");
}

#[tokio::test]
async fn exempt_namespaces_are_skipped() {
    let (app, metrics) = app_with(Policy::parse("exemptNamespaces: [argo]").unwrap());
    let r = check(&app, "/validate", &data("workflow-create-invalid.json")).await;
    assert_eq!(r["allowed"], true);
    let text = metrics.render();
    assert!(
        text.contains(r#"bosun_admission_requests_total{endpoint="validate",kind="Workflow",operation="CREATE",result="skipped"} 1"#),
        "{text}"
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0);
    for c in s.bytes().filter(|&c| c != b'=') {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base64") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}

#[tokio::test]
async fn a_review_over_the_time_limit_gets_a_504_not_a_hang() {
    let metrics = Arc::new(Metrics::default());
    let reviewer = Arc::new(Reviewer::new(Policy::default(), None));
    let limits = Limits {
        timeout: std::time::Duration::from_millis(1),
        ..Limits::default()
    };
    let app = server::router(reviewer, metrics.admission.clone(), limits);
    let mut review = data("workflowtemplate-update-changed-spec.json");
    let big = "x".repeat(3 << 20);
    for key in ["object", "oldObject"] {
        review["request"][key]["metadata"]["annotations"] = json!({ "big": big });
    }
    let (status, body) = send(&app, "/validate", review.to_string()).await;
    assert_eq!(status, StatusCode::GATEWAY_TIMEOUT);
    assert_eq!(body["response"]["status"]["code"], 504);
    assert!(metrics.render().contains(r#"result="timeout"} 1"#));
}
