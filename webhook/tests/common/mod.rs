//! Shared test harness: a fake API server, kube clients pointed at it, fixture builders
//! (`secret("creds").in_ns("team-a").with("k", "v")`), a running syncer, and bounded waits.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use fakekube::FakeKube;
use k8s_openapi::ByteString;
use k8s_openapi::api::core::v1::Secret;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use serde_json::{Value, json};
use tokio_util::sync::CancellationToken;
use webhook::metrics::Metrics;
use webhook::sync;

/// Destination namespace used by most scenarios.
pub const DEST: &str = "argo";
/// Generous bound for convergence on a loaded 2-core CI machine.
pub const TIMEOUT: Duration = Duration::from_secs(30);

/// A Secret fixture.
pub struct SecretFixture(Secret);

/// Starts a Secret fixture named `name` (namespace `default`, no data).
pub fn secret(name: &str) -> SecretFixture {
    SecretFixture(Secret {
        metadata: ObjectMeta {
            name: Some(name.into()),
            namespace: Some("default".into()),
            ..ObjectMeta::default()
        },
        type_: Some("Opaque".into()),
        ..Secret::default()
    })
}

impl SecretFixture {
    pub fn in_ns(mut self, ns: &str) -> Self {
        self.0.metadata.namespace = Some(ns.into());
        self
    }
    pub fn with(mut self, key: &str, value: &str) -> Self {
        self.0
            .data
            .get_or_insert_default()
            .insert(key.into(), ByteString(value.as_bytes().to_vec()));
        self
    }
    pub fn typed(mut self, t: &str) -> Self {
        self.0.type_ = Some(t.into());
        self
    }
    pub fn label(mut self, k: &str, v: &str) -> Self {
        self.0
            .metadata
            .labels
            .get_or_insert_default()
            .insert(k.into(), v.into());
        self
    }
    pub fn annotation(mut self, k: &str, v: &str) -> Self {
        self.0
            .metadata
            .annotations
            .get_or_insert_default()
            .insert(k.into(), v.into());
        self
    }
    pub fn json(&self) -> Value {
        serde_json::to_value(&self.0).expect("secret serializes")
    }
}

/// A SecretSync manifest in [`DEST`].
pub fn secret_sync(name: &str, spec: Value) -> Value {
    json!({"apiVersion": "bosun.dev/v1alpha1", "kind": "SecretSync", "metadata": {"name": name, "namespace": DEST}, "spec": spec})
}

/// A rigger Plan manifest.
pub fn plan(ns: &str, name: &str, target: &str, dest: &str, ignore: &[&str]) -> Value {
    json!({"apiVersion": "rigger.k8s.wantedly.com/v1beta1", "kind": "Plan", "metadata": {"name": name, "namespace": ns},
           "spec": {"syncTargetSecretName": target, "syncDestNamespace": dest, "ignoreNamespaces": ignore}})
}

/// Decoded view of a stored Secret.
pub fn decode(v: &Value) -> Secret {
    serde_json::from_value(v.clone()).expect("stored secret decodes")
}

/// A Secret's data as strings.
pub fn data_of(v: &Value) -> BTreeMap<String, String> {
    decode(v)
        .data
        .unwrap_or_default()
        .into_iter()
        .map(|(k, b)| (k, String::from_utf8_lossy(&b.0).into_owned()))
        .collect()
}

/// One syncer process (or replica).
pub struct Running {
    pub token: CancellationToken,
    pub handle: tokio::task::JoinHandle<Result<(), sync::Error>>,
    pub metrics: Arc<Metrics>,
}

impl Running {
    /// Stops it and waits for it to end.
    pub async fn stop(self) {
        self.token.cancel();
        let _ = tokio::time::timeout(Duration::from_secs(20), self.handle).await;
    }
    /// Kills it abruptly (no graceful shutdown, no lease release).
    pub fn kill(self) {
        self.handle.abort();
    }
}

/// The fake cluster plus helpers.
pub struct Harness {
    pub fake: FakeKube,
}

impl Harness {
    /// A fake with namespace [`DEST`] and the given source namespaces.
    pub async fn new(namespaces: &[&str]) -> Self {
        Self::with(FakeKube::builder(), namespaces).await
    }

    pub async fn with(builder: fakekube::Builder, namespaces: &[&str]) -> Self {
        let fake = builder.start().await.expect("fake starts");
        let h = Self { fake };
        h.namespace(DEST, &[]);
        for ns in namespaces {
            h.namespace(ns, &[]);
        }
        h
    }

    /// A kube client for the fake; `who` goes into the `x-fake-client` header of every request.
    pub fn client(&self, who: &str) -> kube::Client {
        let mut cfg = kube::Config::new(self.fake.url().parse().expect("url"));
        cfg.headers.push((
            http::HeaderName::from_static("x-fake-client"),
            http::HeaderValue::from_str(who).expect("header"),
        ));
        cfg.read_timeout = Some(Duration::from_secs(60));
        kube::Client::try_from(cfg).expect("client")
    }

    pub fn namespace(&self, name: &str, labels: &[(&str, &str)]) {
        let labels: BTreeMap<&str, &str> = labels.iter().copied().collect();
        self.fake.upsert(json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}})).expect("namespace");
    }

    pub fn put(&self, obj: Value) -> Value {
        self.fake.upsert(obj).expect("upsert")
    }

    pub fn put_secret(&self, s: SecretFixture) -> Value {
        self.put(s.json())
    }

    pub fn secret(&self, ns: &str, name: &str) -> Option<Value> {
        self.fake.get("v1", "Secret", ns, name)
    }

    pub fn secrets(&self, ns: &str) -> Vec<Value> {
        self.fake.list("v1", "Secret", Some(ns))
    }

    pub fn sync_status(&self, name: &str) -> Value {
        self.fake
            .get("bosun.dev/v1alpha1", "SecretSync", DEST, name)
            .and_then(|o| o.get("status").cloned())
            .unwrap_or(Value::Null)
    }

    /// Starts a syncer with fast retries and a long resync (so tests see event-driven behaviour).
    pub fn start(&self, who: &str, tweak: impl FnOnce(&mut sync::Config)) -> Running {
        let mut config = sync::Config::new(who);
        config.retry_after = Duration::from_millis(200);
        config.conflict_recheck = Duration::from_secs(1);
        config.concurrency = 8;
        tweak(&mut config);
        let metrics = Arc::new(Metrics::default());
        let token = CancellationToken::new();
        let handle = tokio::spawn(sync::run(
            self.client(who),
            config,
            metrics.sync.clone(),
            token.clone(),
        ));
        Running {
            token,
            handle,
            metrics,
        }
    }

    /// Waits until `pred` holds, polling the fake's storage; panics with `what` after [`TIMEOUT`].
    pub async fn eventually(&self, what: &str, pred: impl Fn(&Self) -> bool) {
        let start = Instant::now();
        while !pred(self) {
            assert!(
                start.elapsed() < TIMEOUT,
                "timed out after {TIMEOUT:?} waiting for: {what}"
            );
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Copies in [`DEST`] managed by Bosun.
    pub fn copies(&self) -> Vec<Value> {
        self.secrets(DEST)
            .into_iter()
            .filter(|s| {
                s.pointer("/metadata/labels/app.kubernetes.io~1managed-by")
                    .and_then(Value::as_str)
                    == Some("bosun-webhook")
            })
            .collect()
    }

    pub fn copy_names(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .copies()
            .iter()
            .map(|c| {
                c["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned()
            })
            .collect();
        v.sort();
        v
    }
}
