//! What the webhook knows about the cluster, held in memory and fed by watches ([`watch`]):
//! (Cluster)WorkflowTemplates parsed once per change into compiler [`Document`]s, the names of
//! Secrets, ConfigMaps and ServiceAccounts per namespace (metadata only: Secret data is never
//! requested), namespace labels, and the SecretSync/Plan sync plans. A review reads it through
//! [`Cluster::resolver`] and the `has_*` lookups; nothing here does I/O on the request path.

pub mod watch;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use compiler::model::{Classified, Object, classify};
use compiler::parse::{Document, Limits, parse_file};
use compiler::resolve::Resolver;
use compiler::source::{FileId, SourceFile};
use serde_json::Value;

use crate::sync::owner::SyncPlan;

/// Templates by namespace, then name.
type Namespaced<T> = HashMap<String, HashMap<String, T>>;

/// Which watch a piece of state comes from (also the `kind` label of the cache-size gauge).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Source {
    WorkflowTemplates,
    ClusterWorkflowTemplates,
    Secrets,
    ConfigMaps,
    ServiceAccounts,
    Namespaces,
}

impl Source {
    pub const ALL: [Source; 6] = [
        Source::WorkflowTemplates,
        Source::ClusterWorkflowTemplates,
        Source::Secrets,
        Source::ConfigMaps,
        Source::ServiceAccounts,
        Source::Namespaces,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Source::WorkflowTemplates => "WorkflowTemplate",
            Source::ClusterWorkflowTemplates => "ClusterWorkflowTemplate",
            Source::Secrets => "Secret",
            Source::ConfigMaps => "ConfigMap",
            Source::ServiceAccounts => "ServiceAccount",
            Source::Namespaces => "Namespace",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

fn read<T>(l: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    l.read().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn write<T>(l: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    l.write().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// The in-memory cluster state.
#[derive(Default)]
pub struct Cluster {
    templates: RwLock<Namespaced<Arc<Document>>>,
    cluster_templates: RwLock<HashMap<String, Arc<Document>>>,
    /// Secrets, ConfigMaps, ServiceAccounts: namespace → names.
    names: [RwLock<HashMap<String, HashSet<String>>>; 3],
    namespaces: RwLock<HashMap<String, BTreeMap<String, String>>>,
    /// Sync plans by owner key (`Kind/ns/name`).
    plans: RwLock<HashMap<String, SyncPlan>>,
    synced: [AtomicBool; 6],
    /// Woken when a source becomes synced (reviews waiting for the first sync).
    on_synced: tokio::sync::Notify,
}

/// Parses a template object (JSON) into a document the resolver can hand out; `None` if it is
/// not an Argo template.
pub fn parse_template(name: &str, object: &Value) -> Option<Document> {
    let text = serde_json::to_string(object).ok()?;
    let file = SourceFile::new(FileId(0), name, text);
    let mut ignored = Vec::new();
    let doc = parse_file(&file, &Limits::default(), &mut ignored)
        .into_iter()
        .next()?;
    matches!(classify(&doc), Classified::Argo(_)).then_some(doc)
}

impl Cluster {
    pub fn new() -> Arc<Cluster> {
        Arc::new(Cluster::default())
    }

    /// A resolver over the current templates (holds read locks while it lives: one review).
    pub fn resolver(&self) -> ClusterResolver<'_> {
        ClusterResolver {
            templates: read(&self.templates),
            cluster_templates: read(&self.cluster_templates),
        }
    }

    /// Whether every watch has delivered its initial list.
    pub fn is_synced(&self) -> bool {
        self.synced.iter().all(|s| s.load(Ordering::Acquire))
    }

    pub fn mark_synced(&self, source: Source) {
        self.synced[source.index()].store(true, Ordering::Release);
        self.on_synced.notify_waiters();
    }

    /// Waits up to `limit` for every watch to be synced; returns whether they are.
    pub async fn wait_synced(&self, limit: std::time::Duration) -> bool {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let notified = self.on_synced.notified();
            let mut notified = std::pin::pin!(notified);
            // Registered before checking, so a sync in between is not missed.
            notified.as_mut().enable();
            if self.is_synced() {
                return true;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                return self.is_synced();
            }
        }
    }

    /// Objects held per source (for the cache-size gauge).
    pub fn sizes(&self) -> Vec<(Source, usize)> {
        let count = |m: &HashMap<String, HashSet<String>>| m.values().map(HashSet::len).sum();
        vec![
            (
                Source::WorkflowTemplates,
                read(&self.templates).values().map(HashMap::len).sum(),
            ),
            (
                Source::ClusterWorkflowTemplates,
                read(&self.cluster_templates).len(),
            ),
            (Source::Secrets, count(&read(&self.names[0]))),
            (Source::ConfigMaps, count(&read(&self.names[1]))),
            (Source::ServiceAccounts, count(&read(&self.names[2]))),
            (Source::Namespaces, read(&self.namespaces).len()),
        ]
    }

    // ---- writes (from the watches) ----

    pub fn put_template(&self, namespace: &str, name: &str, doc: Option<Document>) {
        let mut m = write(&self.templates);
        match doc {
            Some(d) => {
                m.entry(namespace.to_owned())
                    .or_default()
                    .insert(name.to_owned(), Arc::new(d));
            }
            None => {
                if let Some(ns) = m.get_mut(namespace) {
                    ns.remove(name);
                }
            }
        }
    }

    pub fn put_cluster_template(&self, name: &str, doc: Option<Document>) {
        let mut m = write(&self.cluster_templates);
        match doc {
            Some(d) => m.insert(name.to_owned(), Arc::new(d)),
            None => m.remove(name),
        };
    }

    /// Replaces every template after a (re)list.
    pub fn replace_templates(&self, all: Vec<(String, String, Document)>) {
        let mut m: Namespaced<Arc<Document>> = HashMap::new();
        for (ns, name, d) in all {
            m.entry(ns).or_default().insert(name, Arc::new(d));
        }
        *write(&self.templates) = m;
    }

    pub fn replace_cluster_templates(&self, all: Vec<(String, Document)>) {
        *write(&self.cluster_templates) = all.into_iter().map(|(n, d)| (n, Arc::new(d))).collect();
    }

    fn names_of(&self, source: Source) -> Option<&RwLock<HashMap<String, HashSet<String>>>> {
        match source {
            Source::Secrets => Some(&self.names[0]),
            Source::ConfigMaps => Some(&self.names[1]),
            Source::ServiceAccounts => Some(&self.names[2]),
            _ => None,
        }
    }

    /// Adds (`present`) or removes one name of a metadata-watched kind.
    pub fn put_name(&self, source: Source, namespace: &str, name: &str, present: bool) {
        let Some(lock) = self.names_of(source) else {
            return;
        };
        let mut m = write(lock);
        if present {
            m.entry(namespace.to_owned())
                .or_default()
                .insert(name.to_owned());
        } else if let Some(ns) = m.get_mut(namespace) {
            ns.remove(name);
        }
    }

    pub fn replace_names(&self, source: Source, all: Vec<(String, String)>) {
        let Some(lock) = self.names_of(source) else {
            return;
        };
        let mut m: HashMap<String, HashSet<String>> = HashMap::new();
        for (ns, name) in all {
            m.entry(ns).or_default().insert(name);
        }
        *write(lock) = m;
    }

    pub fn put_namespace(&self, name: &str, labels: Option<BTreeMap<String, String>>) {
        let mut m = write(&self.namespaces);
        match labels {
            Some(l) => m.insert(name.to_owned(), l),
            None => m.remove(name),
        };
    }

    pub fn replace_namespaces(&self, all: Vec<(String, BTreeMap<String, String>)>) {
        *write(&self.namespaces) = all.into_iter().collect();
    }

    pub fn put_plan(&self, key: &str, plan: Option<SyncPlan>) {
        let mut m = write(&self.plans);
        match plan {
            Some(p) => m.insert(key.to_owned(), p),
            None => m.remove(key),
        };
    }

    /// Replaces every plan of owner `kind` after a (re)list.
    pub fn replace_plans(&self, kind: &str, all: Vec<(String, SyncPlan)>) {
        let mut m = write(&self.plans);
        m.retain(|k, _| !k.starts_with(&format!("{kind}/")));
        m.extend(all);
    }

    // ---- reads (from reviews) ----

    /// Whether `name` of a metadata-watched kind exists in `namespace`.
    pub fn has(&self, source: Source, namespace: &str, name: &str) -> bool {
        self.names_of(source).is_some_and(|l| {
            read(l)
                .get(namespace)
                .is_some_and(|names| names.contains(name))
        })
    }

    /// The SecretSync/Plan that will produce Secret `name` in `namespace` (`Kind/ns/name` of the
    /// owner and the source), if any.
    pub fn synced_secret_source(&self, namespace: &str, name: &str) -> Option<(String, String)> {
        let namespaces = read(&self.namespaces);
        let labels = |ns: &str| namespaces.get(ns).cloned();
        read(&self.plans).iter().find_map(|(key, plan)| {
            crate::sync::desired::source_of(plan, namespace, name, labels)
                .map(|src| (key.clone(), src))
        })
    }
}

/// [`Resolver`] over the cached templates.
pub struct ClusterResolver<'a> {
    templates: RwLockReadGuard<'a, Namespaced<Arc<Document>>>,
    cluster_templates: RwLockReadGuard<'a, HashMap<String, Arc<Document>>>,
}

fn object(doc: &Document) -> Option<Object<'_>> {
    match classify(doc) {
        Classified::Argo(o) => Some(o),
        _ => None,
    }
}

impl Resolver for ClusterResolver<'_> {
    fn workflow_template(&self, namespace: &str, name: &str) -> Option<Object<'_>> {
        object(self.templates.get(namespace)?.get(name)?)
    }

    fn cluster_workflow_template(&self, name: &str) -> Option<Object<'_>> {
        object(self.cluster_templates.get(name)?)
    }

    fn workflow_template_names(&self, namespace: &str) -> Vec<String> {
        self.templates
            .get(namespace)
            .map(|m| m.keys().cloned().collect())
            .unwrap_or_default()
    }

    fn cluster_workflow_template_names(&self) -> Vec<String> {
        self.cluster_templates.keys().cloned().collect()
    }
}
