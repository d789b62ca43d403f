//! Graceful degradation of the admission server: before the cluster caches' first sync a review
//! that needs them waits (bounded by `cache_wait`) and then gets a 503 (the API server applies
//! the webhook's failurePolicy), while one that does not need them is answered; a sync during
//! the wait lets the review through at once; when every decision slot is busy and the queue is
//! full, reviews are refused at once with 503 instead of queueing until the timeout; a review
//! over its time budget gets a 504 within the budget with a clear message.

mod tlsclient;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Value, json};
use webhook::admission::Reviewer;
use webhook::cluster::{Cluster, Source};
use webhook::metrics::Metrics;
use webhook::policy::Policy;
use webhook::server::{self, Limits};

/// Scheduling slack on a loaded 2-core machine.
const SLACK: Duration = Duration::from_secs(2);

fn app(cluster: Option<Arc<Cluster>>, limits: Limits) -> (axum::Router, Arc<Metrics>) {
    let metrics = Arc::new(Metrics::default());
    let reviewer = Arc::new(Reviewer::new(Policy::default(), cluster));
    (
        server::router(reviewer, metrics.admission.clone(), limits),
        metrics,
    )
}

fn body(name: &str) -> String {
    tlsclient::data(name).to_string()
}

#[tokio::test]
async fn before_the_first_sync_reviews_needing_the_cluster_get_a_503_after_a_bounded_wait() {
    let wait = Duration::from_millis(400);
    let cluster = Cluster::new();
    let limits = Limits {
        cache_wait: wait,
        ..Limits::default()
    };
    let (app, metrics) = app(Some(cluster.clone()), limits);

    let (status, answer, took) =
        tlsclient::oneshot(&app, "/validate", body("workflow-create-valid.json")).await;
    assert_eq!(status, 503, "{answer}");
    assert_eq!(answer["response"]["allowed"], false);
    assert_eq!(answer["response"]["status"]["code"], 503);
    let message = answer["response"]["status"]["message"].as_str().unwrap();
    assert!(message.contains("not synced"), "{message}");
    assert!(message.contains("failurePolicy"), "{message}");
    assert!(took >= wait && took < wait + SLACK, "{took:?}");
    assert!(metrics.render().contains(r#"result="not_synced"} 1"#));

    // A kind Bosun does not review needs no cache: answered (after the same bounded wait).
    let (status, answer, _) = tlsclient::oneshot(&app, "/validate", body("pod-create.json")).await;
    assert_eq!(
        (status, &answer["response"]["allowed"]),
        (200, &json!(true))
    );

    // A sync during the wait lets the review through without waiting out the bound.
    let long = Duration::from_secs(4);
    let (app, _) = app_with_wait(cluster.clone(), long);
    let syncer = tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        for s in Source::ALL {
            cluster.mark_synced(s);
        }
    });
    let (status, answer, took) =
        tlsclient::oneshot(&app, "/validate", body("workflow-create-valid.json")).await;
    syncer.await.unwrap();
    assert_eq!(
        (status, &answer["response"]["allowed"]),
        (200, &json!(true))
    );
    assert!(took < long, "waited the whole bound: {took:?}");
}

fn app_with_wait(cluster: Arc<Cluster>, wait: Duration) -> (axum::Router, Arc<Metrics>) {
    app(
        Some(cluster),
        Limits {
            cache_wait: wait,
            ..Limits::default()
        },
    )
}

/// A WorkflowTemplate UPDATE carrying 3 MiB twice: slow enough to keep a decision slot busy.
fn heavy_review() -> String {
    let mut review = tlsclient::data("workflowtemplate-update-changed-spec.json");
    let big = "x".repeat(3 << 20);
    for key in ["object", "oldObject"] {
        review["request"][key]["metadata"]["annotations"] = json!({ "big": big });
    }
    review.to_string()
}

#[tokio::test]
async fn overload_is_refused_at_once_with_503_not_queued_until_the_timeout() {
    let limits = Limits {
        max_concurrent: 1,
        max_queued: 1,
        timeout: Duration::from_secs(30),
        ..Limits::default()
    };
    let (app, metrics) = app(None, limits);
    let heavy = heavy_review();
    let calls: Vec<_> = (0..12)
        .map(|_| {
            let (app, heavy) = (app.clone(), heavy.clone());
            tokio::spawn(async move { tlsclient::oneshot(&app, "/validate", heavy).await })
        })
        .collect();
    let mut answered = Vec::new();
    for c in calls {
        answered.push(c.await.unwrap());
    }
    let refused: Vec<&(u16, Value, Duration)> =
        answered.iter().filter(|(s, _, _)| *s == 503).collect();
    let decided: Vec<&(u16, Value, Duration)> =
        answered.iter().filter(|(s, _, _)| *s == 200).collect();
    assert_eq!(refused.len() + decided.len(), 12, "only 200s and 503s");
    assert!(
        decided.len() >= 2,
        "the running and the queued review are decided"
    );
    assert!(!refused.is_empty(), "nothing was refused");
    let slowest_refusal = refused.iter().map(|r| r.2).max().unwrap();
    let slowest_decision = decided.iter().map(|r| r.2).max().unwrap();
    assert!(
        slowest_refusal < slowest_decision,
        "refusals ({slowest_refusal:?}) waited for decisions ({slowest_decision:?})"
    );
    for (_, answer, _) in &refused {
        assert_eq!(answer["response"]["status"]["code"], 503);
        let message = answer["response"]["status"]["message"].as_str().unwrap();
        assert!(message.starts_with("overloaded"), "{message}");
    }
    let text = metrics.render();
    assert!(
        text.contains(&format!(r#"result="overloaded"}} {}"#, refused.len())),
        "{text}"
    );
}

#[tokio::test]
async fn a_review_over_its_budget_is_answered_within_the_budget() {
    let heavy = heavy_review();
    let (app, _) = app(None, Limits::default());
    let (status, _, full) = tlsclient::oneshot(&app, "/validate", heavy.clone()).await;
    assert_eq!(status, 200);
    // A quarter of what the decision takes here: the answer must not wait for the decision.
    let budget = (full / 4).max(Duration::from_millis(1));
    let (app, metrics) = app_limited(budget);
    let (status, answer, took) = tlsclient::oneshot(&app, "/validate", heavy).await;
    assert_eq!(status, 504, "{answer}");
    assert_eq!(answer["response"]["status"]["code"], 504);
    let message = answer["response"]["status"]["message"].as_str().unwrap();
    assert!(message.starts_with("review timed out after"), "{message}");
    assert!(took < budget + (full - budget) / 2, "{took:?} of {full:?}");
    assert!(metrics.render().contains(r#"result="timeout"} 1"#));
}

fn app_limited(budget: Duration) -> (axum::Router, Arc<Metrics>) {
    app(
        None,
        Limits {
            timeout: budget,
            cache_wait: Duration::ZERO,
            ..Limits::default()
        },
    )
}
