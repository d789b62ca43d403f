//! Status of an owner (conditions Ready/Conflict/Degraded, counts, conflicts, lastSyncTime),
//! written with server-side apply on the status subresource under one field manager, only when
//! it changed; and Kubernetes Events for new conflicts and failures. Messages name Secrets, never
//! their data.

use std::sync::Arc;

use k8s_openapi::apimachinery::pkg::apis::meta::v1::{Condition, Time};
use kube::ResourceExt;
use kube::api::{Api, Patch, PatchParams};
use kube::runtime::events::{Event, EventType, Recorder};
use serde_json::json;

use super::Error;
use super::api::{SecretSyncStatus, SyncConflict};
use super::owner::SyncOwner;
use super::write::FIELD_MANAGER;

/// Conflicts listed in status (the count is exact).
const MAX_LISTED_CONFLICTS: usize = 50;

/// What one reconcile found.
#[derive(Debug, Default)]
pub struct Observed {
    pub sources: usize,
    pub copies: usize,
    pub conflicts: Vec<SyncConflict>,
    /// The first write error, if any writes failed.
    pub error: Option<String>,
    /// The spec is invalid (nothing was written).
    pub invalid_spec: Option<String>,
}

fn now() -> Time {
    Time(k8s_openapi::jiff::Timestamp::now())
}

fn condition(
    prev: &[Condition],
    type_: &str,
    status: bool,
    reason: &str,
    message: String,
    generation: Option<i64>,
) -> Condition {
    let status = if status { "True" } else { "False" }.to_owned();
    let last_transition_time = prev
        .iter()
        .find(|c| c.type_ == type_ && c.status == status)
        .map_or_else(now, |c| c.last_transition_time.clone());
    Condition {
        type_: type_.to_owned(),
        status,
        reason: reason.to_owned(),
        message,
        observed_generation: generation,
        last_transition_time,
    }
}

fn summarize(conflicts: &[SyncConflict]) -> String {
    let mut parts: Vec<String> = conflicts
        .iter()
        .take(3)
        .map(|c| format!("{}/{} ({})", c.namespace, c.name, c.reason))
        .collect();
    if conflicts.len() > 3 {
        parts.push(format!("and {} more", conflicts.len() - 3));
    }
    parts.join(", ")
}

/// The status this observation implies, keeping transition times and lastSyncTime where
/// nothing changed.
pub fn build(
    prev: Option<&SecretSyncStatus>,
    generation: Option<i64>,
    o: &Observed,
) -> SecretSyncStatus {
    let prev_conds = prev.map(|p| p.conditions.as_slice()).unwrap_or_default();
    let mut conflicts = o.conflicts.clone();
    conflicts.sort();
    let degraded = o.error.as_ref().or(o.invalid_spec.as_ref());
    let ready = degraded.is_none() && conflicts.is_empty();
    let (ready_reason, ready_msg) = match (&o.invalid_spec, &o.error, conflicts.is_empty()) {
        (Some(m), _, _) => ("InvalidSpec", m.clone()),
        (None, Some(_), _) => (
            "SyncFailed",
            "some copies could not be written; see Degraded".to_owned(),
        ),
        (None, None, false) => (
            "Conflict",
            format!("{} copies blocked; see Conflict", conflicts.len()),
        ),
        (None, None, true) => ("Synced", format!("{} copies match their sources", o.copies)),
    };
    let conditions = vec![
        condition(
            prev_conds,
            "Ready",
            ready,
            ready_reason,
            ready_msg,
            generation,
        ),
        condition(
            prev_conds,
            "Conflict",
            !conflicts.is_empty(),
            if conflicts.is_empty() {
                "NoConflict"
            } else {
                "NameTaken"
            },
            if conflicts.is_empty() {
                String::new()
            } else {
                format!("not overwritten: {}", summarize(&conflicts))
            },
            generation,
        ),
        condition(
            prev_conds,
            "Degraded",
            degraded.is_some(),
            if o.invalid_spec.is_some() {
                "InvalidSpec"
            } else if o.error.is_some() {
                "WriteFailed"
            } else {
                "AsExpected"
            },
            degraded.cloned().unwrap_or_default(),
            generation,
        ),
    ];
    let last_sync_time = if ready {
        Some(now())
    } else {
        prev.and_then(|p| p.last_sync_time.clone())
    };
    SecretSyncStatus {
        conditions,
        observed_generation: generation,
        sources: i32::try_from(o.sources).unwrap_or(i32::MAX),
        copies: i32::try_from(o.copies).unwrap_or(i32::MAX),
        conflict_count: i32::try_from(conflicts.len()).unwrap_or(i32::MAX),
        conflicts: conflicts.into_iter().take(MAX_LISTED_CONFLICTS).collect(),
        last_sync_time,
    }
}

/// Whether `new` differs from `prev` in more than timestamps, or `prev`'s lastSyncTime is older
/// than `refresh` (so a healthy object's lastSyncTime still moves, at most once per resync).
pub fn changed(
    prev: Option<&SecretSyncStatus>,
    new: &SecretSyncStatus,
    refresh: std::time::Duration,
) -> bool {
    let Some(prev) = prev else { return true };
    let strip = |s: &SecretSyncStatus| {
        let mut s = s.clone();
        s.last_sync_time = None;
        s
    };
    if strip(prev) != strip(new) {
        return true;
    }
    let stale = |t: &Option<Time>| {
        t.as_ref().is_none_or(|t| {
            let age_ms =
                k8s_openapi::jiff::Timestamp::now().as_millisecond() - t.0.as_millisecond();
            age_ms > i64::try_from(refresh.as_millis()).unwrap_or(i64::MAX)
        })
    };
    new.last_sync_time.is_some() && stale(&prev.last_sync_time)
}

/// Writes the status with server-side apply.
pub async fn write<K: SyncOwner>(
    api: &Api<K>,
    obj: &K,
    status: SecretSyncStatus,
) -> Result<(), Error> {
    let body = json!({
        "apiVersion": K::api_version(&()),
        "kind": K::kind(&()),
        "metadata": {"name": obj.name_any()},
        "status": obj.status_value(status),
    });
    api.patch_status(
        &obj.name_any(),
        &PatchParams::apply(FIELD_MANAGER).force(),
        &Patch::Apply(body),
    )
    .await?;
    Ok(())
}

/// Publishes a Warning event about `obj`; failures are logged, not returned.
pub async fn warn_event<K: SyncOwner>(
    recorder: &Arc<Recorder>,
    obj: &K,
    reason: &str,
    note: String,
) {
    let ev = Event {
        type_: EventType::Warning,
        reason: reason.to_owned(),
        note: Some(note),
        action: "Sync".to_owned(),
        secondary: None,
    };
    if let Err(e) = recorder.publish(&ev, &obj.object_ref(&())).await {
        tracing::warn!(kind = K::KIND, namespace = obj.namespace().unwrap_or_default(), name = %obj.name_any(), error = %e, "could not publish event");
    }
}

/// Conflicts in `new` that `prev` did not report (each gets one event).
pub fn new_conflicts<'a>(
    prev: Option<&SecretSyncStatus>,
    new: &'a [SyncConflict],
) -> Vec<&'a SyncConflict> {
    let known: Vec<&SyncConflict> = prev
        .map(|p| p.conflicts.iter().collect())
        .unwrap_or_default();
    new.iter().filter(|c| !known.contains(c)).collect()
}
