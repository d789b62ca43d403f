//! The syncer's caches and the routing of their changes to owners.
//!
//! - [`SourceIndex`]: one cluster-wide watch *per synced Secret name*, each with the field selector
//!   `metadata.name=<name>`, so memory scales with the Secrets being synced rather than with every
//!   Secret in the cluster (field selectors take one name, hence one watch per name). Watches start
//!   on demand when an owner references a name and stop when no owner does. A name counts as
//!   "ready" only after its initial list completed: before that, an absent source means "unknown",
//!   never "deleted", so no copy is pruned from an incomplete cache.
//! - copies: one watch of Secrets labelled `app.kubernetes.io/managed-by=bosun-webhook`.
//! - namespaces: a metadata-only watch (labels are all the selector needs).
//!
//! Secret data is held only in these caches and never logged. `managedFields` and the
//! last-applied annotation are dropped on the way in.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use futures::StreamExt;
use k8s_openapi::api::core::v1::Secret;
use kube::api::Api;
use kube::runtime::reflector::{ObjectRef, Store};
use kube::runtime::watcher::{self, Event};
use kube::runtime::{WatchStreamExt, watcher as watch};
use kube::{Client, ResourceExt};
use tokio::sync::mpsc::UnboundedSender;

use super::api::{Plan, SecretSync};
use super::desired::{LAST_APPLIED_ANNOTATION, MANAGED_BY, MANAGED_BY_LABEL, OWNER_ANNOTATION};
use super::owner::{OwnerId, SyncOwner};
use crate::metrics::SyncMetrics;

/// Routes cache changes to the owners they concern (SecretSyncs and Plans).
pub struct Triggers {
    pub(crate) syncs: Store<SecretSync>,
    pub(crate) plans: Option<Store<Plan>>,
    pub(crate) tx_sync: UnboundedSender<ObjectRef<SecretSync>>,
    pub(crate) tx_plan: UnboundedSender<ObjectRef<Plan>>,
}

impl Triggers {
    fn send_matching<K: SyncOwner>(
        store: &Store<K>,
        tx: &UnboundedSender<ObjectRef<K>>,
        pred: impl Fn(&K) -> bool,
    ) {
        for o in store.state() {
            if pred(&o) {
                let _ = tx.send(ObjectRef::from_obj(&*o));
            }
        }
    }

    /// Owners collecting Secrets called `name`.
    pub fn by_secret_name(&self, name: &str) {
        let refers = |names: Vec<String>| names.iter().any(|n| n == name);
        Self::send_matching(&self.syncs, &self.tx_sync, |o| refers(o.secret_names()));
        if let Some(p) = &self.plans {
            Self::send_matching(p, &self.tx_plan, |o| refers(o.secret_names()));
        }
    }

    /// Every owner (namespace changes can add or remove sources of any of them).
    pub fn all(&self) {
        Self::send_matching(&self.syncs, &self.tx_sync, |_| true);
        if let Some(p) = &self.plans {
            Self::send_matching(p, &self.tx_plan, |_| true);
        }
    }

    /// The owner named in a copy's owner annotation.
    pub fn by_copy(&self, copy: &Secret) {
        let Some(ann) = copy.annotations().get(OWNER_ANNOTATION) else {
            return;
        };
        match OwnerId::parse_annotation(ann) {
            Some(("SecretSync", ns, name)) => {
                let _ = self.tx_sync.send(ObjectRef::new(name).within(ns));
            }
            Some(("Plan", ns, name)) => {
                let _ = self.tx_plan.send(ObjectRef::new(name).within(ns));
            }
            _ => {}
        }
    }
}

/// Watch retry backoff: 0.5 s doubling to 5 s, reset by every successful event. kube's default
/// (0.8 s to 30 s, reset only after 120 s without errors) lets a few errors on a flaky API server
/// stall a cache for half a minute; the syncer has few watches (one per synced name, plus two),
/// so retrying them sooner costs the API server little.
#[derive(Debug, Clone)]
pub struct WatchBackoff {
    next: std::time::Duration,
}

impl WatchBackoff {
    const MIN: std::time::Duration = std::time::Duration::from_millis(500);
    const MAX: std::time::Duration = std::time::Duration::from_secs(5);
}

impl Default for WatchBackoff {
    fn default() -> Self {
        Self { next: Self::MIN }
    }
}

impl Iterator for WatchBackoff {
    type Item = std::time::Duration;

    fn next(&mut self) -> Option<Self::Item> {
        let now = self.next;
        self.next = (self.next * 2).min(Self::MAX);
        Some(now)
    }
}

impl kube::runtime::utils::Backoff for WatchBackoff {
    fn reset(&mut self) {
        self.next = Self::MIN;
    }
}

struct NameEntry {
    task: tokio::task::JoinHandle<()>,
    ready: bool,
    /// namespace → (source, when its last change was observed).
    secrets: HashMap<String, (Arc<Secret>, Instant)>,
}

impl Drop for NameEntry {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Source Secrets by name, each name with its own field-selected watch.
pub struct SourceIndex {
    client: Client,
    names: Mutex<HashMap<String, NameEntry>>,
    triggers: Arc<Triggers>,
    metrics: Arc<SyncMetrics>,
}

/// Drops what the syncer never needs from a cached Secret.
pub(crate) fn slim(mut s: Secret) -> Secret {
    s.metadata.managed_fields = None;
    if let Some(a) = s.metadata.annotations.as_mut() {
        a.remove(LAST_APPLIED_ANNOTATION);
    }
    s
}

/// Whether a Secret is one of Bosun's copies (copies are never sources).
pub(crate) fn is_copy(s: &Secret) -> bool {
    s.labels()
        .get(MANAGED_BY_LABEL)
        .is_some_and(|v| v == MANAGED_BY)
}

impl SourceIndex {
    pub(crate) fn new(
        client: Client,
        triggers: Arc<Triggers>,
        metrics: Arc<SyncMetrics>,
    ) -> Arc<Self> {
        Arc::new(Self {
            client,
            names: Mutex::new(HashMap::new()),
            triggers,
            metrics,
        })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, NameEntry>> {
        self.names
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Starts the watch for `name` if needed; returns whether its cache is complete.
    pub fn ensure(self: &Arc<Self>, name: &str) -> bool {
        let mut names = self.lock();
        if let Some(e) = names.get(name) {
            return e.ready;
        }
        let task = tokio::spawn(watch_name(
            Arc::downgrade(self),
            self.client.clone(),
            name.to_owned(),
        ));
        names.insert(
            name.to_owned(),
            NameEntry {
                task,
                ready: false,
                secrets: HashMap::new(),
            },
        );
        self.metrics.source_watches.set(names.len() as i64);
        false
    }

    /// The cached source `namespace/name` and when it last changed.
    pub fn get(&self, namespace: &str, name: &str) -> Option<(Arc<Secret>, Instant)> {
        self.lock()
            .get(name)
            .and_then(|e| e.secrets.get(namespace).cloned())
    }

    /// Stops watches for names no owner references any more.
    pub fn retain(&self, keep: &HashSet<String>) {
        let mut names = self.lock();
        names.retain(|n, _| keep.contains(n));
        self.metrics.source_watches.set(names.len() as i64);
    }

    /// Number of cached source Secrets.
    pub fn cached(&self) -> usize {
        self.lock().values().map(|e| e.secrets.len()).sum()
    }

    fn update(&self, name: &str, f: impl FnOnce(&mut NameEntry)) {
        if let Some(e) = self.lock().get_mut(name) {
            f(e);
        }
    }
}

async fn watch_name(index: std::sync::Weak<SourceIndex>, client: Client, name: String) {
    let api: Api<Secret> = Api::all(client);
    let cfg = watcher::Config::default().fields(&format!("metadata.name={name}"));
    let mut stream = watch(api, cfg).backoff(WatchBackoff::default()).boxed();
    let mut buffer: HashMap<String, (Arc<Secret>, Instant)> = HashMap::new();
    while let Some(ev) = stream.next().await {
        let Some(index) = index.upgrade() else { return };
        let now = Instant::now();
        match ev {
            Ok(Event::Init) => buffer.clear(),
            Ok(Event::InitApply(s)) => {
                if !is_copy(&s) {
                    buffer.insert(s.namespace().unwrap_or_default(), (Arc::new(slim(s)), now));
                }
            }
            Ok(Event::InitDone) => {
                let fresh = std::mem::take(&mut buffer);
                index.update(&name, |e| {
                    e.secrets = fresh;
                    e.ready = true;
                });
                tracing::debug!(secret_name = %name, "source cache synced");
                index.triggers.by_secret_name(&name);
            }
            Ok(Event::Apply(s)) => {
                if !is_copy(&s) {
                    let ns = s.namespace().unwrap_or_default();
                    let s = Arc::new(slim(s));
                    index.update(&name, |e| {
                        e.secrets.insert(ns, (s, now));
                    });
                    index.triggers.by_secret_name(&name);
                }
            }
            Ok(Event::Delete(s)) => {
                let ns = s.namespace().unwrap_or_default();
                index.update(&name, |e| {
                    e.secrets.remove(&ns);
                });
                index.triggers.by_secret_name(&name);
            }
            Err(e) => {
                index
                    .metrics
                    .watch_errors
                    .get_or_create(&vec![("watch".to_owned(), "sources".to_owned())])
                    .inc();
                tracing::warn!(secret_name = %name, error = %e, "source watch failed; retrying with backoff");
            }
        }
    }
}
