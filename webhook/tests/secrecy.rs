//! Secret data never leaks: a seeded value is searched for in everything the syncer emits —
//! logs at TRACE level for every crate (captured through a global subscriber), the metrics
//! exposition, Events, and the status of the SecretSync — and must not be found. (Own test
//! binary: it installs the global tracing subscriber.)

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::{DEST, Harness, secret, secret_sync};
use serde_json::json;

#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn seeded_secret_value_appears_in_no_log_metric_event_or_status() {
    const SEED: &str = "S33D-do-not-leak-7f3a9c";
    let capture = Capture::default();
    let writer = capture.clone();
    tracing_subscriber::fmt()
        .with_env_filter("trace")
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .init();

    let h = Harness::new(&["team-a"]).await;
    let last_applied =
        json!({"apiVersion": "v1", "kind": "Secret", "stringData": {"password": SEED}}).to_string();
    h.put_secret(
        secret("creds")
            .in_ns("team-a")
            .with("password", SEED)
            .annotation(
                "kubectl.kubernetes.io/last-applied-configuration",
                &last_applied,
            ),
    );
    // A conflict and an update, so Events and more log lines are produced.
    h.put_secret(secret("team-a.other").in_ns(DEST).with("x", SEED));
    h.put_secret(secret("other").in_ns("team-a").with("password", SEED));
    h.put(secret_sync(
        "teams",
        json!({"secretNames": ["creds", "other"], "copyAnnotations": true}),
    ));
    let syncer = h.start("solo", |_| {});
    h.eventually("copy exists", |h| h.secret(DEST, "team-a.creds").is_some())
        .await;
    h.put_secret(
        secret("creds")
            .in_ns("team-a")
            .with("password", &format!("{SEED}-2")),
    );
    h.eventually("conflict event", |h| {
        h.fake
            .list("events.k8s.io/v1", "Event", Some(DEST))
            .iter()
            .any(|e| e["reason"] == "Conflict")
    })
    .await;
    h.eventually("update propagated", |h| {
        common::data_of(&h.secret(DEST, "team-a.creds").unwrap())["password"].ends_with("-2")
    })
    .await;
    let copy = h.secret(DEST, "team-a.creds").unwrap();
    assert!(
        copy["metadata"]["annotations"]
            .get("kubectl.kubernetes.io/last-applied-configuration")
            .is_none()
    );
    let metrics = syncer.metrics.render();
    syncer.stop().await;

    let logs = String::from_utf8_lossy(&capture.0.lock().unwrap()).into_owned();
    assert!(logs.len() > 1000, "logs were captured");
    let b64 = "UzMzRC1kby1ub3QtbGVhay03ZjNh"; // base64 of the seed's first 21 bytes (stable prefix)
    let events = serde_json::to_string(&h.fake.list("events.k8s.io/v1", "Event", None)).unwrap();
    let status = h.sync_status("teams").to_string();
    for (what, text) in [
        ("logs", &logs),
        ("metrics", &metrics),
        ("events", &events),
        ("status", &status),
    ] {
        assert!(!text.contains(SEED), "secret value found in {what}");
        assert!(!text.contains(b64), "base64 secret value found in {what}");
    }
    assert!(metrics.contains("bosun_sync_reconciles_total"));
}
