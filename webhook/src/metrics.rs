//! Prometheus metrics (prometheus-client registry, text exposition). The syncer's metrics carry
//! only kinds, results and error variants as labels: never names of Secrets, never data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// Label set: `(name, value)` pairs.
pub type Labels = Vec<(String, String)>;

fn histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.001, 2.0, 16))
}

/// The Secret syncer's metrics.
pub struct SyncMetrics {
    /// `bosun_sync_reconciles_total{kind,result}`.
    pub reconciles: Family<Labels, Counter>,
    /// `bosun_sync_reconcile_errors_total{kind,reason}`, reason = `sync::Error::metric_label`.
    pub reconcile_errors: Family<Labels, Counter>,
    /// `bosun_sync_reconcile_duration_seconds{kind}`.
    pub reconcile_duration: Family<Labels, Histogram, fn() -> Histogram>,
    /// `bosun_sync_propagation_seconds`: source change observed → copy written.
    pub propagation: Histogram,
    /// `bosun_sync_copy_writes_total{op}` (create, update, delete).
    pub copy_writes: Family<Labels, Counter>,
    /// `bosun_sync_copies_managed{kind}`.
    pub copies_managed: Family<Labels, Gauge>,
    /// `bosun_sync_conflicts{kind}`.
    pub conflicts: Family<Labels, Gauge>,
    /// `bosun_sync_watch_errors_total{watch}`.
    pub watch_errors: Family<Labels, Counter>,
    /// `bosun_sync_source_watches`: one per synced Secret name.
    pub source_watches: Gauge,
    /// `bosun_sync_leader`: 1 while this replica holds the Lease.
    pub leader: Gauge,
    per_owner: Mutex<HashMap<(String, String), (i64, i64)>>,
}

impl SyncMetrics {
    fn new() -> Self {
        Self {
            reconciles: Family::default(),
            reconcile_errors: Family::default(),
            reconcile_duration: Family::new_with_constructor(histogram),
            propagation: histogram(),
            copy_writes: Family::default(),
            copies_managed: Family::default(),
            conflicts: Family::default(),
            watch_errors: Family::default(),
            source_watches: Gauge::default(),
            leader: Gauge::default(),
            per_owner: Mutex::new(HashMap::new()),
        }
    }

    fn register(&self, r: &mut Registry) {
        r.register(
            "bosun_sync_reconciles",
            "Reconciliations by owner kind and result",
            self.reconciles.clone(),
        );
        r.register(
            "bosun_sync_reconcile_errors",
            "Failed reconciliations by owner kind and error variant",
            self.reconcile_errors.clone(),
        );
        r.register(
            "bosun_sync_reconcile_duration_seconds",
            "Reconciliation duration",
            self.reconcile_duration.clone(),
        );
        r.register(
            "bosun_sync_propagation_seconds",
            "Time from observing a source change to writing its copy",
            self.propagation.clone(),
        );
        r.register(
            "bosun_sync_copy_writes",
            "Copy writes by operation",
            self.copy_writes.clone(),
        );
        r.register(
            "bosun_sync_copies_managed",
            "Copies owned by SecretSyncs or Plans",
            self.copies_managed.clone(),
        );
        r.register(
            "bosun_sync_conflicts",
            "Copies blocked by a conflict",
            self.conflicts.clone(),
        );
        r.register(
            "bosun_sync_watch_errors",
            "Watch errors (retried with backoff)",
            self.watch_errors.clone(),
        );
        r.register(
            "bosun_sync_source_watches",
            "Field-selected source watches (one per Secret name)",
            self.source_watches.clone(),
        );
        r.register(
            "bosun_sync_leader",
            "1 while this replica is the active syncer",
            self.leader.clone(),
        );
    }

    /// Records an owner's copy and conflict counts; `None` forgets the owner.
    pub fn set_owner(&self, kind: &str, uid: &str, counts: Option<(i64, i64)>) {
        let mut m = self
            .per_owner
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match counts {
            Some(c) => m.insert((kind.to_owned(), uid.to_owned()), c),
            None => m.remove(&(kind.to_owned(), uid.to_owned())),
        };
        let (copies, conflicts): (i64, i64) = m
            .iter()
            .filter(|((k, _), _)| k == kind)
            .fold((0, 0), |a, (_, c)| (a.0 + c.0, a.1 + c.1));
        let l = vec![("kind".to_owned(), kind.to_owned())];
        self.copies_managed.get_or_create(&l).set(copies);
        self.conflicts.get_or_create(&l).set(conflicts);
    }
}

/// The process' registry.
pub struct Metrics {
    registry: Registry,
    pub sync: Arc<SyncMetrics>,
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::default();
        let sync = Arc::new(SyncMetrics::new());
        sync.register(&mut registry);
        Self { registry, sync }
    }
}

impl Metrics {
    /// Prometheus text exposition.
    pub fn render(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut out, &self.registry);
        out
    }
}
