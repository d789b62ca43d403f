//! The reconciler (controller-rs shape): [`reconcile`] for one owner (SecretSync or Plan),
//! [`error_policy`], and [`run_active`], which builds the caches and runs one kube-runtime
//! `Controller` per owner kind until told to stop (leadership lost or shutdown).
//!
//! One reconcile: finalizer first; on deletion, delete every copy labelled with the owner's UID
//! (a fresh LIST, not the cache) and release the finalizer; otherwise compute the desired copies
//! from complete caches, create/update them, delete owned copies no longer desired (this covers
//! source deletion, namespaces leaving the selector or entering the ignore list, and spec changes),
//! record conflicts, and write status if it changed. Periodic requeue (`resync`) re-checks
//! everything even if a watch missed an event.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use k8s_openapi::api::core::v1::{Namespace, Secret};
use kube::api::{Api, ListParams, Patch, PatchParams};
use kube::core::PartialObjectMeta;
use kube::runtime::controller::{Action, Config as ControllerConfig, Controller};
use kube::runtime::events::{Recorder, Reporter};
use kube::runtime::reflector::{self, Store};
use kube::runtime::watcher::{self, Event};
use kube::runtime::{WatchStreamExt, watcher as watch};
use kube::{Client, ResourceExt};
use serde_json::json;
use tokio_util::sync::CancellationToken;

use super::api::{Plan, SecretSync};
use super::desired::{MANAGED_BY, MANAGED_BY_LABEL, OWNER_UID_LABEL, desired_copies};
use super::owner::{SyncOwner, SyncPlan, namespace_selected};
use super::sources::{SourceIndex, Triggers, WatchBackoff, slim};
use super::status::{self, Observed};
use super::write::{self, Outcome};
use super::{Config, Error, Phase, Readiness};
use crate::metrics::SyncMetrics;

/// Longest delay between retries of a failing owner.
const MAX_RETRY_DELAY: Duration = Duration::from_secs(60);

/// Copy writes in flight per reconcile.
const WRITE_PARALLELISM: usize = 16;

/// Finalizer on every SecretSync and Plan the syncer has written copies for.
pub const FINALIZER: &str = "sync.bosun.dev/cleanup";

/// Shared state of the reconcilers.
pub struct Context {
    pub client: Client,
    pub config: Config,
    pub sources: Arc<SourceIndex>,
    pub copies: Store<Secret>,
    pub namespaces: Store<PartialObjectMeta<Namespace>>,
    pub metrics: Arc<SyncMetrics>,
    pub recorder: Arc<Recorder>,
    /// Consecutive failures per owner UID, for exponential retry backoff (no hot loops).
    pub failures: std::sync::Mutex<HashMap<String, u32>>,
}

impl Context {
    fn failures(&self) -> std::sync::MutexGuard<'_, HashMap<String, u32>> {
        self.failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn kind_label(kind: &str) -> Vec<(String, String)> {
    vec![("kind".to_owned(), kind.to_owned())]
}

/// Reconciles one SecretSync or Plan.
pub async fn reconcile<K: SyncOwner>(obj: Arc<K>, ctx: Arc<Context>) -> Result<Action, Error> {
    let started = Instant::now();
    let result = reconcile_owner(obj.as_ref(), &ctx).await;
    if result.is_ok() {
        ctx.failures().remove(&obj.uid().unwrap_or_default());
    }
    ctx.metrics
        .reconcile_duration
        .get_or_create(&kind_label(K::KIND))
        .observe(started.elapsed().as_secs_f64());
    let outcome = if result.is_ok() { "ok" } else { "error" };
    let mut l = kind_label(K::KIND);
    l.push(("result".to_owned(), outcome.to_owned()));
    ctx.metrics.reconciles.get_or_create(&l).inc();
    result
}

/// Requeues after a failure; conflicts from concurrent writers retry quickly.
pub fn error_policy<K: SyncOwner>(obj: Arc<K>, err: &Error, ctx: Arc<Context>) -> Action {
    tracing::warn!(kind = K::KIND, namespace = obj.namespace().unwrap_or_default(), name = %obj.name_any(), error = %err, "reconcile failed");
    let mut l = kind_label(K::KIND);
    l.push(("reason".to_owned(), err.metric_label().to_owned()));
    ctx.metrics.reconcile_errors.get_or_create(&l).inc();
    if let Error::StaleWrite(_) = err {
        return Action::requeue(ctx.config.retry_after / 4);
    }
    // retry_after, doubling per consecutive failure, capped at the resync period.
    let attempts = {
        let mut f = ctx.failures();
        let n = f.entry(obj.uid().unwrap_or_default()).or_insert(0);
        *n = n.saturating_add(1);
        *n
    };
    Action::requeue(
        (ctx.config.retry_after * 2u32.saturating_pow(attempts.min(10) - 1))
            .min(ctx.config.resync.min(MAX_RETRY_DELAY)),
    )
}

async fn set_finalizers<K: SyncOwner>(
    api: &Api<K>,
    obj: &K,
    finalizers: Vec<String>,
) -> Result<(), Error> {
    // Merge patch carrying the resourceVersion we read: a concurrent change is a 409, not a lost update.
    let patch =
        json!({"metadata": {"finalizers": finalizers, "resourceVersion": obj.resource_version()}});
    match api
        .patch(
            &obj.name_any(),
            &PatchParams::default(),
            &Patch::Merge(patch),
        )
        .await
    {
        Ok(_) => Ok(()),
        Err(kube::Error::Api(s)) if s.code == 409 => {
            Err(Error::StaleWrite(format!("{}/{}", K::KIND, obj.name_any())))
        }
        Err(e) => Err(e.into()),
    }
}

/// Deletes every copy labelled with the owner's UID, in any namespace, from a fresh LIST.
async fn delete_all_copies(ctx: &Context, uid: &str) -> Result<usize, Error> {
    let api: Api<Secret> = Api::all(ctx.client.clone());
    let lp = ListParams::default().labels(&format!(
        "{MANAGED_BY_LABEL}={MANAGED_BY},{OWNER_UID_LABEL}={uid}"
    ));
    let mut deleted = 0;
    for copy in api.list(&lp).await?.items {
        if write::delete_copy(&ctx.client, &copy).await? {
            deleted += 1;
            ctx.metrics
                .copy_writes
                .get_or_create(&vec![("op".to_owned(), "delete".to_owned())])
                .inc();
        }
    }
    Ok(deleted)
}

async fn reconcile_owner<K: SyncOwner>(obj: &K, ctx: &Context) -> Result<Action, Error> {
    let ns = obj.namespace().unwrap_or_default();
    let api: Api<K> = Api::namespaced(ctx.client.clone(), &ns);
    let uid = obj.uid().unwrap_or_default();
    let has_finalizer = obj.finalizers().iter().any(|f| f == FINALIZER);
    if obj.meta().deletion_timestamp.is_some() {
        if has_finalizer {
            let deleted = delete_all_copies(ctx, &uid).await?;
            tracing::info!(kind = K::KIND, namespace = %ns, name = %obj.name_any(), deleted, "owner deleted; removed its copies");
            let rest = obj
                .finalizers()
                .iter()
                .filter(|f| *f != FINALIZER)
                .cloned()
                .collect();
            set_finalizers(&api, obj, rest).await?;
            ctx.metrics.set_owner(K::KIND, &uid, None);
        }
        return Ok(Action::await_change());
    }
    if !has_finalizer {
        let mut fs = obj.finalizers().to_vec();
        fs.push(FINALIZER.to_owned());
        set_finalizers(&api, obj, fs).await?;
    }
    let plan = match obj.plan() {
        Ok(p) => p,
        Err(msg) => {
            let observed = Observed {
                invalid_spec: Some(msg.clone()),
                ..Observed::default()
            };
            finish(ctx, &api, obj, observed).await?;
            status::warn_event(&ctx.recorder, obj, "InvalidSpec", msg).await;
            return Ok(Action::requeue(ctx.config.resync));
        }
    };
    // Only act on complete caches: an incomplete one would look like deleted sources.
    let mut ready = true;
    for name in &plan.secret_names {
        ready &= ctx.sources.ensure(name);
    }
    if !ready {
        return Ok(Action::requeue(Duration::from_millis(200)));
    }
    sync_copies(obj, ctx, &api, &plan).await
}

async fn sync_copies<K: SyncOwner>(
    obj: &K,
    ctx: &Context,
    api: &Api<K>,
    plan: &SyncPlan,
) -> Result<Action, Error> {
    let mut sources = Vec::new();
    let mut observed_at = HashMap::new();
    for n in ctx.namespaces.state() {
        let labels: BTreeMap<String, String> = n.labels().clone();
        let ns = n.name_any();
        if !namespace_selected(&plan.sources, &plan.dest_namespace, &ns, &labels) {
            continue;
        }
        for name in &plan.secret_names {
            if let Some((s, at)) = ctx.sources.get(&ns, name) {
                observed_at.insert(format!("{ns}/{name}"), at);
                sources.push(s);
            }
        }
    }
    let refs: Vec<&Secret> = sources.iter().map(AsRef::as_ref).collect();
    let desired = desired_copies(plan, &refs);
    let owned: HashMap<(String, String), Arc<Secret>> = ctx
        .copies
        .state()
        .into_iter()
        .filter(|c| c.labels().get(OWNER_UID_LABEL) == Some(&plan.owner.uid))
        .map(|c| ((c.namespace().unwrap_or_default(), c.name_any()), c))
        .collect();
    let mut observed = Observed {
        sources: sources.len(),
        conflicts: desired.problems,
        ..Observed::default()
    };
    let mut errors: Vec<Error> = Vec::new();
    let wanted: HashSet<(String, String)> = desired
        .copies
        .iter()
        .map(|d| (plan.dest_namespace.clone(), d.name_any()))
        .collect();
    // Writes go out in parallel (bounded); results are folded in order afterwards.
    let pending: Vec<_> = desired
        .copies
        .iter()
        .map(|d| {
            let existing = owned
                .get(&(plan.dest_namespace.clone(), d.name_any()))
                .map(AsRef::as_ref);
            async move {
                (
                    d,
                    existing.is_some(),
                    write::write_copy(&ctx.client, plan, existing, d).await,
                )
            }
        })
        .collect();
    let writes: Vec<(&Secret, bool, Result<Outcome, Error>)> = futures::stream::iter(pending)
        .buffer_unordered(WRITE_PARALLELISM)
        .collect()
        .await;
    let mut progress = false;
    for (d, existed, result) in writes {
        match result {
            Ok(Outcome::Conflict(c)) => observed.conflicts.push(c),
            Ok(outcome) => {
                observed.copies += 1;
                let op = match outcome {
                    Outcome::Created => "create",
                    Outcome::Updated => "update",
                    Outcome::Adopted => "adopt",
                    _ => continue,
                };
                progress = true;
                ctx.metrics
                    .copy_writes
                    .get_or_create(&vec![("op".to_owned(), op.to_owned())])
                    .inc();
                let source = d
                    .annotations()
                    .get(super::desired::SOURCE_ANNOTATION)
                    .cloned()
                    .unwrap_or_default();
                if let Some(at) = observed_at.get(&source) {
                    ctx.metrics.propagation.observe(at.elapsed().as_secs_f64());
                }
                tracing::debug!(kind = K::KIND, owner = %obj.name_any(), copy = %d.name_any(), op, "copy written");
            }
            Err(e) => {
                if existed {
                    observed.copies += 1;
                }
                errors.push(e);
            }
        }
    }
    for (key, copy) in &owned {
        if wanted.contains(key) {
            continue;
        }
        match write::delete_copy(&ctx.client, copy).await {
            Ok(true) => {
                progress = true;
                ctx.metrics
                    .copy_writes
                    .get_or_create(&vec![("op".to_owned(), "delete".to_owned())])
                    .inc();
                tracing::debug!(kind = K::KIND, owner = %obj.name_any(), copy = %key.1, "stale copy deleted");
            }
            Ok(false) => {}
            Err(e) => errors.push(e),
        }
    }
    let failed = errors.len();
    if progress {
        // Failures while making progress (e.g. a flaky API) are not "consecutive": retry soon.
        ctx.failures().remove(&plan.owner.uid);
    }
    if let Some(first) = errors.first() {
        observed.error = Some(format!("{failed} copy writes failed; first: {first}"));
    }
    let new_conflicts: Vec<_> = {
        let prev = obj.sync_status();
        status::new_conflicts(prev, &observed.conflicts)
            .into_iter()
            .cloned()
            .collect()
    };
    let error_note = observed.error.clone();
    let has_conflicts = !observed.conflicts.is_empty();
    ctx.metrics.set_owner(
        K::KIND,
        &plan.owner.uid,
        Some((observed.copies as i64, observed.conflicts.len() as i64)),
    );
    finish(ctx, api, obj, observed).await?;
    for c in new_conflicts {
        let note = format!(
            "Secret {}/{} exists and is not a copy owned by this {}: not overwritten ({}; source {})",
            c.namespace,
            c.name,
            K::KIND,
            c.reason,
            c.source
        );
        status::warn_event(&ctx.recorder, obj, "Conflict", note).await;
    }
    if let Some(note) = error_note {
        status::warn_event(&ctx.recorder, obj, "SyncFailed", note).await;
    }
    match errors.into_iter().next() {
        Some(Error::StaleWrite(s)) if failed == 1 => Err(Error::StaleWrite(s)),
        Some(first) => Err(Error::Writes {
            failed,
            first: first.to_string(),
        }),
        None if has_conflicts => Ok(Action::requeue(
            ctx.config.conflict_recheck.min(ctx.config.resync),
        )),
        None => Ok(Action::requeue(ctx.config.resync)),
    }
}

async fn finish<K: SyncOwner>(
    ctx: &Context,
    api: &Api<K>,
    obj: &K,
    observed: Observed,
) -> Result<(), Error> {
    let prev = obj.sync_status();
    let new = status::build(prev, obj.meta().generation, &observed);
    if status::changed(prev, &new, ctx.config.resync) {
        status::write(api, obj, new).await?;
    }
    Ok(())
}

/// Cancellation-aware wait for a store's initial list.
async fn wait_ready<T: kube::Resource + Clone + 'static>(
    store: &Store<T>,
    stop: &CancellationToken,
) -> bool
where
    T::DynamicType: std::hash::Hash + Eq + Clone,
{
    tokio::select! {
        r = store.wait_until_ready() => r.is_ok(),
        () = stop.cancelled() => false,
    }
}

type RunResult<K> = Result<
    (reflector::ObjectRef<K>, Action),
    kube::runtime::controller::Error<Error, watcher::Error>,
>;

fn log_result<K: SyncOwner>(r: RunResult<K>) -> std::future::Ready<()> {
    if let Err(e) = r {
        // Reconcile errors are logged by error_policy; this is mostly "owner already gone".
        tracing::debug!(kind = K::KIND, error = %e, "controller event");
    }
    std::future::ready(())
}

fn channel_stream<T: Send + 'static>(
    rx: tokio::sync::mpsc::UnboundedReceiver<T>,
) -> impl futures::Stream<Item = T> + Send {
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|x| (x, rx)) })
}

/// A controller over every `K`, like `Controller::new`, but on our own reflector so that the end
/// of its first list is observable: it increments `listed` once. (`Store::wait_until_ready`
/// cannot be used beside the controller: its readiness future wakes only the last waiter.)
fn owner_controller<K: SyncOwner>(
    client: &Client,
    listed: Arc<std::sync::atomic::AtomicUsize>,
) -> Controller<K> {
    let (reader, writer) = reflector::store();
    let mut first = true;
    let stream = watch(Api::<K>::all(client.clone()), watcher::Config::default())
        .reflect(writer)
        .inspect(move |ev| {
            if first && matches!(ev, Ok(Event::InitDone)) {
                first = false;
                listed.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            }
        })
        .applied_objects();
    Controller::for_stream(stream, reader)
}

/// Runs the caches and controllers until `stop` fires. Used directly without leader election,
/// and by the leader-election loop while this replica leads. `ready` is
/// [`Phase::Syncing`] until every cache (copies, namespaces, owners) has its initial list, then
/// [`Phase::Synced`]; [`Phase::Standby`] again once this returns or is dropped.
pub async fn run_active(
    client: Client,
    config: Config,
    metrics: Arc<SyncMetrics>,
    plans_enabled: bool,
    ready: Readiness,
    stop: CancellationToken,
) -> Result<(), Error> {
    let _standby_after = ready.activate();
    let (tx_sync, rx_sync) = tokio::sync::mpsc::unbounded_channel();
    let (tx_plan, rx_plan) = tokio::sync::mpsc::unbounded_channel();
    let ctrl_cfg = ControllerConfig::default().concurrency(config.concurrency);
    // Owners whose initial list is complete (for readiness).
    let listed = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let sync_ctrl =
        owner_controller::<SecretSync>(&client, listed.clone()).with_config(ctrl_cfg.clone());
    let plan_ctrl = plans_enabled
        .then(|| owner_controller::<Plan>(&client, listed.clone()).with_config(ctrl_cfg));
    let triggers = Arc::new(Triggers {
        syncs: sync_ctrl.store(),
        plans: plan_ctrl.as_ref().map(Controller::store),
        tx_sync,
        tx_plan,
    });
    let sources = SourceIndex::new(client.clone(), triggers.clone(), metrics.clone());
    let mut tasks = Vec::new();

    let (copies, copies_writer) = reflector::store();
    let copy_cfg = watcher::Config::default().labels(&format!("{MANAGED_BY_LABEL}={MANAGED_BY}"));
    let (t, m) = (triggers.clone(), metrics.clone());
    let copy_stream = watch(Api::<Secret>::all(client.clone()), copy_cfg)
        .backoff(WatchBackoff::default())
        .modify(|s| *s = slim(std::mem::take(s)))
        .reflect(copies_writer);
    tasks.push(super::AbortOnDrop(tokio::spawn(copy_stream.for_each(
        move |ev| {
            match ev {
                Ok(Event::Apply(s) | Event::Delete(s)) => t.by_copy(&s),
                Ok(_) => {}
                Err(e) => {
                    m.watch_errors
                        .get_or_create(&vec![("watch".to_owned(), "copies".to_owned())])
                        .inc();
                    tracing::warn!(error = %e, "copy watch failed; retrying with backoff");
                }
            }
            std::future::ready(())
        },
    ))));

    let (namespaces, ns_writer) = reflector::store();
    let (t, m) = (triggers.clone(), metrics.clone());
    let ns_stream = watch(
        Api::<PartialObjectMeta<Namespace>>::all(client.clone()),
        watcher::Config::default(),
    )
    .backoff(WatchBackoff::default())
    .reflect(ns_writer);
    tasks.push(super::AbortOnDrop(tokio::spawn(ns_stream.for_each(
        move |ev| {
            match ev {
                Ok(Event::Apply(_) | Event::Delete(_) | Event::InitDone) => t.all(),
                Ok(_) => {}
                Err(e) => {
                    m.watch_errors
                        .get_or_create(&vec![("watch".to_owned(), "namespaces".to_owned())])
                        .inc();
                    tracing::warn!(error = %e, "namespace watch failed; retrying with backoff");
                }
            }
            std::future::ready(())
        },
    ))));

    // Stop source watches for names no owner references any more.
    let (t, s, every) = (
        triggers.clone(),
        sources.clone(),
        config.resync.min(Duration::from_secs(10)),
    );
    tasks.push(super::AbortOnDrop(tokio::spawn(async move {
        loop {
            tokio::time::sleep(every).await;
            let mut keep: HashSet<String> = t
                .syncs
                .state()
                .iter()
                .flat_map(|o| o.secret_names())
                .collect();
            if let Some(p) = &t.plans {
                keep.extend(p.state().iter().flat_map(|o| o.secret_names()));
            }
            s.retain(&keep);
        }
    })));

    // Ready once the owners have been listed too (by the controllers' own watches, below).
    let marker = ready.clone();
    tasks.push(super::AbortOnDrop(tokio::spawn(async move {
        let owners = if plans_enabled { 2 } else { 1 };
        while listed.load(std::sync::atomic::Ordering::Acquire) < owners {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        marker.set(Phase::Synced);
    })));

    let synced = wait_ready(&copies, &stop).await && wait_ready(&namespaces, &stop).await;
    if synced {
        let reporter = Reporter {
            controller: "bosun-webhook-sync".into(),
            instance: Some(config.identity.clone()),
        };
        let recorder = Arc::new(Recorder::new(client.clone(), reporter));
        let ctx = Arc::new(Context {
            client,
            config,
            sources,
            copies,
            namespaces,
            metrics,
            recorder,
            failures: std::sync::Mutex::default(),
        });
        tracing::info!(
            plans = plans_enabled,
            "caches synced; secret syncer running"
        );
        let syncs = sync_ctrl
            .reconcile_on(channel_stream(rx_sync))
            .graceful_shutdown_on(stop.clone().cancelled_owned())
            .run(
                reconcile::<SecretSync>,
                error_policy::<SecretSync>,
                ctx.clone(),
            )
            .for_each(log_result::<SecretSync>);
        match plan_ctrl {
            Some(pc) => {
                let plans = pc
                    .reconcile_on(channel_stream(rx_plan))
                    .graceful_shutdown_on(stop.clone().cancelled_owned())
                    .run(reconcile::<Plan>, error_policy::<Plan>, ctx.clone())
                    .for_each(log_result::<Plan>);
                tokio::join!(syncs, plans);
            }
            None => syncs.await,
        }
    }
    drop(tasks);
    Ok(())
}
