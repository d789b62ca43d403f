//! `fakekube`: an in-process fake Kubernetes API server speaking the real HTTP API, for tests
//! and benchmarks that drive kube-rs clients without a cluster.
//!
//! It serves plain HTTP on `127.0.0.1:<random port>`; point a `kube::Config` at [`FakeKube::url`].
//! Storage is generic JSON keyed by registered [`ResourceType`]s (namespaced or cluster-scoped,
//! any group/version/kind).
//!
//! Supported: get, list (label and field selectors, `limit`/`continue`), watch (resourceVersion
//! replay from a bounded history, `410 Expired` beyond it, "most recent" start with synthetic
//! ADDED events, `allowWatchBookmarks`, `sendInitialEvents` streaming lists, `timeoutSeconds`,
//! selector-aware ADDED/DELETED transitions), create (`generateName`, namespace must exist and
//! not be terminating), update (409 on a stale resourceVersion; no-op updates do not bump it),
//! patch (JSON merge, JSON patch, server-side apply), delete (preconditions, finalizers and
//! deletionTimestamp, namespace deletion cascades), the status subresource, `dryRun=All`,
//! metadata-only (`PartialObjectMetadata`) responses, fault injection ([`FaultRule`]) and a
//! request log (with the `x-fake-client` header, to tell clients apart).
//!
//! Simplified on purpose: strategic merge patch behaves as merge patch; server-side apply is a
//! per-manager three-way merge without field-ownership conflicts or `managedFields`; no
//! admission, validation, defaulting, RBAC, discovery or garbage collection by ownerReferences;
//! list pages are not a consistent snapshot across `continue` calls.
//!
//! Why a separate workspace crate under `tests/`: it is test infrastructure shared by the
//! webhook's admission tests and the syncer's tests and benchmark, and it must not end up in the
//! `bosun-webhook` binary. As a dev-dependency it needs no feature flag, and it does not depend on
//! kube at all (it speaks HTTP and JSON), so it also tests our assumptions about the wire format.

mod error;
mod faults;
mod patch;
mod registry;
mod selector;
mod server;
mod store;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::Value;

pub use faults::{Fault, FaultRule, Verb};
pub use registry::ResourceType;
pub use store::{ApiError, now_rfc3339};

/// One request as the fake saw it.
#[derive(Debug, Clone)]
pub struct RequestRecord {
    pub verb: Verb,
    pub path: String,
    /// Value of the `x-fake-client` request header, if any.
    pub client: Option<String>,
    pub status: u16,
}

pub(crate) struct Inner {
    pub(crate) store: Mutex<store::Store>,
    pub(crate) faults: Mutex<faults::Faults>,
    pub(crate) log: Mutex<Vec<RequestRecord>>,
    pub(crate) bookmark_interval: Duration,
}

/// Options for [`FakeKube`].
#[derive(Debug, Clone)]
pub struct Builder {
    types: Vec<ResourceType>,
    history_limit: usize,
    bookmark_interval: Duration,
    seed: u64,
}

impl Default for Builder {
    fn default() -> Self {
        Self {
            types: ResourceType::defaults(),
            history_limit: 200_000,
            bookmark_interval: Duration::from_secs(1),
            seed: 7,
        }
    }
}

impl Builder {
    /// Registers one more type.
    #[must_use]
    pub fn resource(mut self, rt: ResourceType) -> Self {
        self.types.push(rt);
        self
    }
    /// Number of change events kept for watch replay (older resourceVersions get 410).
    #[must_use]
    pub fn history_limit(mut self, n: usize) -> Self {
        self.history_limit = n.max(1);
        self
    }
    /// How often watches with `allowWatchBookmarks=true` get a BOOKMARK.
    #[must_use]
    pub fn bookmark_interval(mut self, d: Duration) -> Self {
        self.bookmark_interval = d;
        self
    }
    /// Seed of the fault-injection RNG.
    #[must_use]
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// Binds `127.0.0.1:0` and starts serving on the current tokio runtime.
    pub async fn start(self) -> std::io::Result<FakeKube> {
        let inner = Arc::new(Inner {
            store: Mutex::new(store::Store::new(self.types, self.history_limit)),
            faults: Mutex::new(faults::Faults::new(self.seed)),
            log: Mutex::new(Vec::new()),
            bookmark_interval: self.bookmark_interval,
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let url = format!("http://{}", listener.local_addr()?);
        let app = axum::Router::new()
            .fallback(server::handle)
            .with_state(inner.clone());
        let server = tokio::spawn(async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "fakekube server stopped");
            }
        });
        Ok(FakeKube { inner, url, server })
    }
}

/// A running fake API server. Dropping it stops accepting connections.
pub struct FakeKube {
    inner: Arc<Inner>,
    url: String,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for FakeKube {
    fn drop(&mut self) {
        self.server.abort();
    }
}

fn split_obj(obj: &Value) -> Result<(String, String, String, String), ApiError> {
    let s = |p: &str| {
        obj.pointer(p)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let (av, kind) = (s("/apiVersion"), s("/kind"));
    if av.is_empty() || kind.is_empty() {
        return Err(ApiError::bad_request("object needs apiVersion and kind"));
    }
    Ok((av, kind, s("/metadata/namespace"), s("/metadata/name")))
}

impl FakeKube {
    /// Starts a server with the default types.
    pub async fn start() -> std::io::Result<Self> {
        Builder::default().start().await
    }

    /// Options.
    pub fn builder() -> Builder {
        Builder::default()
    }

    /// Base URL, e.g. `http://127.0.0.1:41234`.
    pub fn url(&self) -> &str {
        &self.url
    }

    fn type_of(&self, api_version: &str, kind: &str) -> Result<usize, ApiError> {
        let store = self.inner.store.lock().expect("store lock");
        store.type_of(api_version, kind).ok_or_else(|| {
            ApiError::new(
                404,
                "NotFound",
                format!("fakekube: type {api_version}/{kind} is not registered"),
            )
        })
    }

    /// Creates an object (namespace from `metadata.namespace`), as a POST would.
    pub fn create(&self, obj: Value) -> Result<Value, ApiError> {
        let (av, kind, ns, _) = split_obj(&obj)?;
        let t = self.type_of(&av, &kind)?;
        self.inner
            .store
            .lock()
            .expect("store lock")
            .create(t, &ns, obj, false)
    }

    /// Creates or replaces an object unconditionally (any resourceVersion in it is ignored).
    pub fn upsert(&self, mut obj: Value) -> Result<Value, ApiError> {
        let (av, kind, ns, name) = split_obj(&obj)?;
        let t = self.type_of(&av, &kind)?;
        let mut store = self.inner.store.lock().expect("store lock");
        if store.get(t, &ns, &name).is_ok() {
            if let Some(m) = obj.get_mut("metadata").and_then(Value::as_object_mut) {
                m.remove("resourceVersion");
            }
            let status_sub = store.types[t].status_subresource;
            let out = store.replace(t, &ns, &name, obj.clone(), false, false)?;
            if status_sub && obj.get("status").is_some() {
                return store.replace(t, &ns, &name, obj, true, false);
            }
            Ok(out)
        } else {
            store.create(t, &ns, obj, false)
        }
    }

    /// Reads an object.
    pub fn get(&self, api_version: &str, kind: &str, ns: &str, name: &str) -> Option<Value> {
        let t = self.type_of(api_version, kind).ok()?;
        self.inner
            .store
            .lock()
            .expect("store lock")
            .get(t, ns, name)
            .ok()
    }

    /// All objects of a type, optionally in one namespace.
    pub fn list(&self, api_version: &str, kind: &str, ns: Option<&str>) -> Vec<Value> {
        let Ok(t) = self.type_of(api_version, kind) else {
            return Vec::new();
        };
        let store = self.inner.store.lock().expect("store lock");
        store
            .all(t)
            .filter(|o| {
                ns.is_none_or(|n| {
                    o.pointer("/metadata/namespace").and_then(Value::as_str) == Some(n)
                })
            })
            .cloned()
            .collect()
    }

    /// Deletes an object (finalizers respected), as a DELETE would.
    pub fn delete(
        &self,
        api_version: &str,
        kind: &str,
        ns: &str,
        name: &str,
    ) -> Result<Value, ApiError> {
        let t = self.type_of(api_version, kind)?;
        self.inner
            .store
            .lock()
            .expect("store lock")
            .delete(t, ns, name, &Value::Null, false)
    }

    /// Applies a JSON merge patch, as a PATCH would.
    pub fn merge_patch(
        &self,
        api_version: &str,
        kind: &str,
        ns: &str,
        name: &str,
        patch: &Value,
    ) -> Result<Value, ApiError> {
        let t = self.type_of(api_version, kind)?;
        self.inner.store.lock().expect("store lock").patch(
            t,
            ns,
            name,
            store::PatchKind::Merge,
            patch,
            None,
            false,
            false,
        )
    }

    /// Current global resourceVersion.
    pub fn resource_version(&self) -> u64 {
        self.inner.store.lock().expect("store lock").rv
    }

    /// Replaces the fault rules.
    pub fn set_faults(&self, rules: Vec<FaultRule>) {
        self.inner.faults.lock().expect("faults lock").rules = rules;
    }

    /// Removes every fault rule.
    pub fn clear_faults(&self) {
        self.set_faults(Vec::new());
    }

    /// Every request so far.
    pub fn requests(&self) -> Vec<RequestRecord> {
        self.inner.log.lock().expect("log lock").clone()
    }

    /// Forgets the request log.
    pub fn clear_requests(&self) {
        self.inner.log.lock().expect("log lock").clear();
    }
}
