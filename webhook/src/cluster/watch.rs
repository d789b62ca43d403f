//! Watches that keep [`Cluster`] current: kube-runtime watchers (list + watch, re-list on
//! expiry, backoff on errors) applied to our own store instead of a `reflector::Store`, because
//! templates are kept parsed (once per change) rather than as raw objects. A re-list replaces
//! the source's whole state at `InitDone`, which is also when the source counts as synced for
//! `/readyz`. Secrets, ConfigMaps, ServiceAccounts and Namespaces are watched metadata-only.
//! SecretSyncs and Plans are watched best-effort (their CRDs may be absent) and never gate
//! readiness.

use std::collections::BTreeMap;
use std::fmt::Debug;
use std::sync::Arc;

use futures::{FutureExt, Stream, StreamExt};
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Secret, ServiceAccount};
use kube::api::{Api, ApiResource, DynamicObject, GroupVersionKind};
use kube::core::PartialObjectMeta;
use kube::runtime::WatchStreamExt;
use kube::runtime::watcher::{self, Event, watcher};
use kube::{Client, Resource, ResourceExt};
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

use super::{Cluster, Source, parse_template};
use crate::metrics::AdmissionMetrics;
use crate::sync::api::{Plan, SecretSync};
use crate::sync::owner::SyncOwner;

/// The `argoproj.io/v1alpha1` resource of `kind`.
pub fn argo_resource(kind: &str, plural: &str) -> ApiResource {
    ApiResource::from_gvk_with_plural(
        &GroupVersionKind::gvk("argoproj.io", "v1alpha1", kind),
        plural,
    )
}

/// Applies a watch stream to the cluster state until `shutdown`.
async fn drive<K, S>(
    stream: S,
    label: &'static str,
    metrics: &AdmissionMetrics,
    shutdown: &CancellationToken,
    mut apply: impl FnMut(&K, bool),
    mut replace: impl FnMut(Vec<K>),
) where
    S: Stream<Item = Result<Event<K>, watcher::Error>> + Send,
{
    let mut stream = std::pin::pin!(stream);
    let mut buffer: Vec<K> = Vec::new();
    loop {
        let next = tokio::select! {
            () = shutdown.cancelled() => return,
            n = stream.next() => n,
        };
        match next {
            None => return,
            Some(Ok(Event::Init)) => buffer.clear(),
            Some(Ok(Event::InitApply(k))) => buffer.push(k),
            Some(Ok(Event::InitDone)) => replace(std::mem::take(&mut buffer)),
            Some(Ok(Event::Apply(k))) => apply(&k, true),
            Some(Ok(Event::Delete(k))) => apply(&k, false),
            Some(Err(e)) => {
                metrics.watch_error(label);
                tracing::warn!(watch = label, error = %e, "watch failed; retrying with backoff");
            }
        }
    }
}

fn template_doc(kind: &str, o: &DynamicObject) -> Option<compiler::parse::Document> {
    let mut value = serde_json::to_value(o).ok()?;
    if let Some(m) = value.as_object_mut() {
        m.remove("status");
        if let Some(meta) = m.get_mut("metadata").and_then(|v| v.as_object_mut()) {
            meta.remove("managedFields");
        }
    }
    parse_template(&format!("{kind}/{}", o.name_any()), &value)
}

async fn templates(
    client: Client,
    cluster: Arc<Cluster>,
    metrics: Arc<AdmissionMetrics>,
    shutdown: CancellationToken,
) {
    let ar = argo_resource("WorkflowTemplate", "workflowtemplates");
    let api = Api::<DynamicObject>::all_with(client, &ar);
    let stream = watcher(api, watcher::Config::default()).default_backoff();
    let (c1, c2) = (cluster.clone(), cluster.clone());
    drive(
        stream,
        "WorkflowTemplate",
        &metrics,
        &shutdown,
        move |o: &DynamicObject, present| {
            let ns = o.namespace().unwrap_or_default();
            let doc = present
                .then(|| template_doc("WorkflowTemplate", o))
                .flatten();
            c1.put_template(&ns, &o.name_any(), doc);
        },
        move |all| {
            let docs = all
                .iter()
                .filter_map(|o| {
                    let doc = template_doc("WorkflowTemplate", o)?;
                    Some((o.namespace().unwrap_or_default(), o.name_any(), doc))
                })
                .collect();
            c2.replace_templates(docs);
            c2.mark_synced(Source::WorkflowTemplates);
        },
    )
    .await;
}

async fn cluster_templates(
    client: Client,
    cluster: Arc<Cluster>,
    metrics: Arc<AdmissionMetrics>,
    shutdown: CancellationToken,
) {
    let ar = argo_resource("ClusterWorkflowTemplate", "clusterworkflowtemplates");
    let api = Api::<DynamicObject>::all_with(client, &ar);
    let stream = watcher(api, watcher::Config::default()).default_backoff();
    let (c1, c2) = (cluster.clone(), cluster.clone());
    drive(
        stream,
        "ClusterWorkflowTemplate",
        &metrics,
        &shutdown,
        move |o: &DynamicObject, present| {
            let doc = present
                .then(|| template_doc("ClusterWorkflowTemplate", o))
                .flatten();
            c1.put_cluster_template(&o.name_any(), doc);
        },
        move |all| {
            let docs = all
                .iter()
                .filter_map(|o| Some((o.name_any(), template_doc("ClusterWorkflowTemplate", o)?)))
                .collect();
            c2.replace_cluster_templates(docs);
            c2.mark_synced(Source::ClusterWorkflowTemplates);
        },
    )
    .await;
}

/// Names only: Secret data is never requested (metadata-only watch).
async fn names<K>(
    client: Client,
    source: Source,
    cluster: Arc<Cluster>,
    metrics: Arc<AdmissionMetrics>,
    shutdown: CancellationToken,
) where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + 'static,
{
    let api = Api::<PartialObjectMeta<K>>::all(client);
    let stream = watcher(api, watcher::Config::default()).default_backoff();
    let (c1, c2) = (cluster.clone(), cluster.clone());
    drive(
        stream,
        source.label(),
        &metrics,
        &shutdown,
        move |o: &PartialObjectMeta<K>, present| {
            c1.put_name(
                source,
                &o.namespace().unwrap_or_default(),
                &o.name_any(),
                present,
            );
        },
        move |all| {
            let names = all
                .iter()
                .map(|o| (o.namespace().unwrap_or_default(), o.name_any()))
                .collect();
            c2.replace_names(source, names);
            c2.mark_synced(source);
        },
    )
    .await;
}

async fn namespaces(
    client: Client,
    cluster: Arc<Cluster>,
    metrics: Arc<AdmissionMetrics>,
    shutdown: CancellationToken,
) {
    let api = Api::<PartialObjectMeta<Namespace>>::all(client);
    let stream = watcher(api, watcher::Config::default()).default_backoff();
    let (c1, c2) = (cluster.clone(), cluster.clone());
    let labels =
        |o: &PartialObjectMeta<Namespace>| -> BTreeMap<String, String> { o.labels().clone() };
    drive(
        stream,
        "Namespace",
        &metrics,
        &shutdown,
        move |o: &PartialObjectMeta<Namespace>, present| {
            c1.put_namespace(&o.name_any(), present.then(|| labels(o)));
        },
        move |all| {
            c2.replace_namespaces(all.iter().map(|o| (o.name_any(), labels(o))).collect());
            c2.mark_synced(Source::Namespaces);
        },
    )
    .await;
}

/// SecretSync or Plan owners: their plans say which Secrets will exist.
async fn owners<K: SyncOwner>(
    client: Client,
    cluster: Arc<Cluster>,
    metrics: Arc<AdmissionMetrics>,
    shutdown: CancellationToken,
) {
    let api = Api::<K>::all(client);
    let stream = watcher(api, watcher::Config::default()).default_backoff();
    let key = |o: &K| {
        format!(
            "{}/{}/{}",
            K::KIND,
            o.namespace().unwrap_or_default(),
            o.name_any()
        )
    };
    let (c1, c2) = (cluster.clone(), cluster.clone());
    drive(
        stream,
        K::KIND,
        &metrics,
        &shutdown,
        move |o: &K, present| {
            c1.put_plan(&key(o), present.then(|| o.plan().ok()).flatten());
        },
        move |all| {
            let plans = all
                .iter()
                .filter_map(|o| Some((key(o), o.plan().ok()?)))
                .collect();
            c2.replace_plans(K::KIND, plans);
        },
    )
    .await;
}

/// Runs every watch until `shutdown`. `with_plans` adds the SecretSync and rigger Plan watches.
pub async fn run(
    client: Client,
    cluster: Arc<Cluster>,
    metrics: Arc<AdmissionMetrics>,
    with_plans: bool,
    shutdown: CancellationToken,
) {
    let (c, m, s) = (&client, &cluster, &metrics);
    let sd = &shutdown;
    let core = futures::future::join_all([
        templates(c.clone(), m.clone(), s.clone(), sd.clone()).boxed(),
        cluster_templates(c.clone(), m.clone(), s.clone(), sd.clone()).boxed(),
        names::<Secret>(c.clone(), Source::Secrets, m.clone(), s.clone(), sd.clone()).boxed(),
        names::<ConfigMap>(
            c.clone(),
            Source::ConfigMaps,
            m.clone(),
            s.clone(),
            sd.clone(),
        )
        .boxed(),
        names::<ServiceAccount>(
            c.clone(),
            Source::ServiceAccounts,
            m.clone(),
            s.clone(),
            sd.clone(),
        )
        .boxed(),
        namespaces(c.clone(), m.clone(), s.clone(), sd.clone()).boxed(),
    ]);
    if with_plans {
        let plans = futures::future::join(
            owners::<SecretSync>(c.clone(), m.clone(), s.clone(), sd.clone()),
            owners::<Plan>(c.clone(), m.clone(), s.clone(), sd.clone()),
        );
        futures::future::join(core, plans).await;
    } else {
        core.await;
    }
}
