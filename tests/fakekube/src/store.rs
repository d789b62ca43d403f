//! In-memory object storage with Kubernetes semantics: one global resourceVersion counter, uids,
//! generation bumps on non-metadata changes, optimistic concurrency (409 on a stale
//! resourceVersion), finalizers and deletionTimestamp, namespace existence checks, the status
//! subresource, and a bounded event history that watches replay from (older → 410 Gone).
//!
//! Everything is JSON (`serde_json::Value`); the store never knows Rust types. It is guarded by
//! one mutex in [`crate::FakeKube`]; nothing here blocks or awaits.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::sync::Arc;

use serde_json::{Value, json};

pub use crate::error::ApiError;
use tokio::sync::broadcast;

use crate::patch;
use crate::registry::ResourceType;
use crate::selector::{FieldSelector, LabelSelector};

/// Watch event type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    Added,
    Modified,
    Deleted,
}

impl EventType {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Self::Added => "ADDED",
            Self::Modified => "MODIFIED",
            Self::Deleted => "DELETED",
        }
    }
}

/// A change, kept in the history and broadcast to live watches.
#[derive(Debug)]
pub struct WatchEvent {
    pub rv: u64,
    pub type_index: usize,
    pub event: EventType,
    pub object: Value,
    /// The previous state, so selector-filtered watches can turn "stopped matching" into DELETED.
    pub old: Option<Value>,
}

/// How a PATCH body is interpreted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PatchKind {
    Merge,
    Json,
    Apply,
}

type Key = (String, String);

pub(crate) struct Store {
    pub(crate) types: Vec<ResourceType>,
    objects: Vec<BTreeMap<Key, Value>>,
    /// Last applied configuration per (type, key, field manager), for server-side apply.
    applied: HashMap<(usize, Key, String), Value>,
    pub(crate) rv: u64,
    history: VecDeque<Arc<WatchEvent>>,
    history_limit: usize,
    /// Events with a resourceVersion at or below this are gone from the history.
    pub(crate) compacted_rv: u64,
    pub(crate) tx: broadcast::Sender<Arc<WatchEvent>>,
    uid_seq: u64,
}

fn meta_str<'a>(o: &'a Value, field: &str) -> Option<&'a str> {
    o.get("metadata")
        .and_then(|m| m.get(field))
        .and_then(Value::as_str)
}

fn meta_mut(o: &mut Value) -> &mut serde_json::Map<String, Value> {
    if !o.get("metadata").is_some_and(Value::is_object) {
        o["metadata"] = json!({});
    }
    o["metadata"]
        .as_object_mut()
        .expect("metadata is an object")
}

/// Current UTC time as RFC 3339 with second precision (what `metav1.Time` serialises to).
pub fn now_rfc3339() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let (days, rem) = ((secs / 86_400) as i64, secs % 86_400);
    // Civil-from-days (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Everything but metadata and status: a change here bumps `metadata.generation`.
fn spec_part(o: &Value) -> Value {
    let mut c = o.clone();
    if let Some(m) = c.as_object_mut() {
        m.remove("metadata");
        m.remove("status");
    }
    c
}

impl Store {
    pub(crate) fn new(types: Vec<ResourceType>, history_limit: usize) -> Self {
        let objects = types.iter().map(|_| BTreeMap::new()).collect();
        let (tx, _) = broadcast::channel(65_536);
        Self {
            types,
            objects,
            applied: HashMap::new(),
            rv: 1,
            history: VecDeque::new(),
            history_limit,
            compacted_rv: 0,
            tx,
            uid_seq: 0,
        }
    }

    /// Index of the type with this `apiVersion` and `kind`.
    pub(crate) fn type_of(&self, api_version: &str, kind: &str) -> Option<usize> {
        self.types
            .iter()
            .position(|t| t.api_version() == api_version && t.kind == kind)
    }

    fn emit(&mut self, type_index: usize, event: EventType, object: Value, old: Option<Value>) {
        let ev = Arc::new(WatchEvent {
            rv: self.rv,
            type_index,
            event,
            object,
            old,
        });
        self.history.push_back(ev.clone());
        while self.history.len() > self.history_limit {
            if let Some(e) = self.history.pop_front() {
                self.compacted_rv = e.rv;
            }
        }
        // No receivers is fine.
        let _ = self.tx.send(ev);
    }

    fn key(&self, t: usize, ns: &str, name: &str) -> Key {
        let ns = if self.types[t].namespaced { ns } else { "" };
        (ns.to_owned(), name.to_owned())
    }

    /// Reads one object.
    pub(crate) fn get(&self, t: usize, ns: &str, name: &str) -> Result<Value, ApiError> {
        let key = self.key(t, ns, name);
        self.objects[t]
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(&self.types[t], name))
    }

    /// Lists objects (all namespaces when `ns` is `None`), returning items, the list's
    /// resourceVersion and the continue token of the next page.
    pub(crate) fn list(
        &self,
        t: usize,
        ns: Option<&str>,
        labels: &LabelSelector,
        fields: &FieldSelector,
        limit: Option<usize>,
        cont: Option<&str>,
    ) -> Result<(Vec<Value>, u64, Option<String>), ApiError> {
        let (list_rv, after) = match cont {
            Some(c) => {
                let mut parts = c.splitn(3, ':');
                let rv = parts
                    .next()
                    .and_then(|r| r.parse::<u64>().ok())
                    .ok_or_else(|| ApiError::bad_request("invalid continue token"))?;
                let key = (
                    parts.next().unwrap_or_default().to_owned(),
                    parts.next().unwrap_or_default().to_owned(),
                );
                (rv, Some(key))
            }
            None => (self.rv, None),
        };
        let mut items = Vec::new();
        let mut next = None;
        let mut last_key: Option<&Key> = None;
        let range = self.objects[t]
            .iter()
            .filter(|(k, _)| after.as_ref().is_none_or(|a| *k > a));
        for (key, o) in range {
            if ns.is_some_and(|n| n != key.0) || !labels.matches(o) || !fields.matches(o) {
                continue;
            }
            if let (Some(l), Some((lns, lname))) = (limit.filter(|l| *l > 0), last_key)
                && items.len() >= l
            {
                // The token points after the last returned item.
                next = Some(format!("{list_rv}:{lns}:{lname}"));
                break;
            }
            items.push(o.clone());
            last_key = Some(key);
        }
        Ok((items, list_rv, next))
    }

    fn check_namespace(&self, t: usize, ns: &str) -> Result<(), ApiError> {
        if !self.types[t].namespaced {
            return Ok(());
        }
        let Some(nst) = self.type_of("v1", "Namespace") else {
            return Ok(());
        };
        match self.objects[nst].get(&(String::new(), ns.to_owned())) {
            None => Err(ApiError::new(
                404,
                "NotFound",
                format!("namespaces \"{ns}\" not found"),
            )),
            Some(n) if n.pointer("/metadata/deletionTimestamp").is_some() => Err(ApiError::new(
                403,
                "Forbidden",
                format!(
                    "unable to create new content in namespace {ns} because it is being terminated"
                ),
            )),
            Some(_) => Ok(()),
        }
    }

    /// Creates an object in namespace `ns` (ignored for cluster-scoped types).
    pub(crate) fn create(
        &mut self,
        t: usize,
        ns: &str,
        mut obj: Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        if !obj.is_object() {
            return Err(ApiError::bad_request("body must be a JSON object"));
        }
        let rt = self.types[t].clone();
        let body_ns = meta_str(&obj, "namespace").unwrap_or("").to_owned();
        if rt.namespaced && !body_ns.is_empty() && body_ns != ns {
            return Err(ApiError::bad_request(
                "the namespace of the provided object does not match the namespace sent on the request",
            ));
        }
        self.uid_seq += 1;
        let uid = format!("00000000-0000-4000-8000-{:012x}", self.uid_seq);
        let name = match meta_str(&obj, "name") {
            Some(n) if !n.is_empty() => n.to_owned(),
            _ => match meta_str(&obj, "generateName") {
                Some(g) => format!("{g}{:05x}", self.uid_seq & 0xfffff),
                None => {
                    return Err(ApiError::new(
                        422,
                        "Invalid",
                        "metadata.name: Required value",
                    ));
                }
            },
        };
        self.check_namespace(t, ns)?;
        let key = self.key(t, ns, &name);
        if self.objects[t].contains_key(&key) {
            return Err(ApiError::new(
                409,
                "AlreadyExists",
                format!("{} \"{name}\" already exists", rt.plural),
            ));
        }
        obj["apiVersion"] = json!(rt.api_version());
        obj["kind"] = json!(rt.kind);
        let m = meta_mut(&mut obj);
        m.insert("name".into(), json!(name));
        if rt.namespaced {
            m.insert("namespace".into(), json!(ns));
        } else {
            m.remove("namespace");
        }
        m.insert("uid".into(), json!(uid));
        m.insert("creationTimestamp".into(), json!(now_rfc3339()));
        m.insert("generation".into(), json!(1));
        m.remove("deletionTimestamp");
        if dry_run {
            return Ok(obj);
        }
        self.rv += 1;
        meta_mut(&mut obj).insert("resourceVersion".into(), json!(self.rv.to_string()));
        self.objects[t].insert(key, obj.clone());
        self.emit(t, EventType::Added, obj.clone(), None);
        Ok(obj)
    }

    /// Replaces an object (PUT, and the common tail of PATCH). `status_only` is the `/status`
    /// subresource. A body with a resourceVersion different from the stored one is a 409.
    pub(crate) fn replace(
        &mut self,
        t: usize,
        ns: &str,
        name: &str,
        mut new: Value,
        status_only: bool,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let rt = self.types[t].clone();
        let key = self.key(t, ns, name);
        let old = self.objects[t]
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(&rt, name))?;
        if !new.is_object() {
            return Err(ApiError::bad_request("body must be a JSON object"));
        }
        let old_rv = meta_str(&old, "resourceVersion").unwrap_or("").to_owned();
        if let Some(rv) = meta_str(&new, "resourceVersion").filter(|r| !r.is_empty())
            && rv != old_rv
        {
            return Err(ApiError::new(
                409,
                "Conflict",
                format!(
                    "Operation cannot be fulfilled on {} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
                    rt.plural
                ),
            ));
        }
        if let Some(body_name) = meta_str(&new, "name").filter(|n| *n != name) {
            return Err(ApiError::bad_request(format!(
                "the name of the object ({body_name}) does not match the name on the URL ({name})"
            )));
        }
        if rt.status_subresource {
            if status_only {
                let status = new.get("status").cloned();
                new = old.clone();
                match status {
                    Some(s) => new["status"] = s,
                    None => {
                        new.as_object_mut().map(|o| o.remove("status"));
                    }
                }
            } else {
                match old.get("status") {
                    Some(s) => new["status"] = s.clone(),
                    None => {
                        new.as_object_mut().map(|o| o.remove("status"));
                    }
                }
            }
        }
        new["apiVersion"] = json!(rt.api_version());
        new["kind"] = json!(rt.kind);
        let generation = old
            .pointer("/metadata/generation")
            .and_then(Value::as_i64)
            .unwrap_or(1);
        let bump = spec_part(&old) != spec_part(&new);
        {
            let m = meta_mut(&mut new);
            for f in [
                "uid",
                "creationTimestamp",
                "name",
                "namespace",
                "deletionTimestamp",
            ] {
                match old.get("metadata").and_then(|om| om.get(f)) {
                    Some(v) => m.insert(f.into(), v.clone()),
                    None => m.remove(f),
                };
            }
            m.insert("generation".into(), json!(generation + i64::from(bump)));
            m.insert("resourceVersion".into(), json!(old_rv));
            if m.get("finalizers")
                .is_some_and(|f| f.as_array().is_some_and(Vec::is_empty))
            {
                m.remove("finalizers");
            }
            for f in ["labels", "annotations"] {
                if m.get(f).is_some_and(Value::is_null) {
                    m.remove(f);
                }
            }
        }
        if new == old || dry_run {
            return Ok(new);
        }
        self.rv += 1;
        meta_mut(&mut new).insert("resourceVersion".into(), json!(self.rv.to_string()));
        let terminating = new.pointer("/metadata/deletionTimestamp").is_some();
        let finalizers_left = new
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty());
        if terminating && !finalizers_left {
            self.objects[t].remove(&key);
            self.forget_applied(t, &key);
            self.emit(t, EventType::Deleted, new.clone(), Some(old));
        } else {
            self.objects[t].insert(key, new.clone());
            self.emit(t, EventType::Modified, new.clone(), Some(old));
        }
        Ok(new)
    }

    fn forget_applied(&mut self, t: usize, key: &Key) {
        self.applied
            .retain(|(at, ak, _), _| !(*at == t && ak == key));
    }

    /// PATCH: merge, JSON or (simplified) server-side apply, which creates missing objects.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn patch(
        &mut self,
        t: usize,
        ns: &str,
        name: &str,
        kind: PatchKind,
        body: &Value,
        manager: Option<&str>,
        status_only: bool,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let key = self.key(t, ns, name);
        let existing = self.objects[t].get(&key).cloned();
        match kind {
            PatchKind::Merge | PatchKind::Json => {
                let mut obj = existing.ok_or_else(|| ApiError::not_found(&self.types[t], name))?;
                if kind == PatchKind::Merge {
                    patch::merge_patch(&mut obj, body);
                } else {
                    patch::json_patch(&mut obj, body)
                        .map_err(|e| ApiError::new(422, "Invalid", e))?;
                }
                self.replace(t, ns, name, obj, status_only, dry_run)
            }
            PatchKind::Apply => {
                let manager = manager.ok_or_else(|| {
                    ApiError::bad_request("PATCH of type apply requires fieldManager")
                })?;
                let akey = (t, key.clone(), manager.to_owned());
                let out = match existing {
                    None => {
                        let mut obj = body.clone();
                        meta_mut(&mut obj).insert("name".into(), json!(name));
                        self.create(t, ns, obj, dry_run)?
                    }
                    Some(mut obj) => {
                        patch::apply(&mut obj, self.applied.get(&akey), body);
                        self.replace(t, ns, name, obj, status_only, dry_run)?
                    }
                };
                if !dry_run {
                    self.applied.insert(akey, body.clone());
                }
                Ok(out)
            }
        }
    }

    /// DELETE with optional preconditions (`uid`, `resourceVersion`). Objects with finalizers get
    /// a deletionTimestamp and stay until the last finalizer is removed. Deleting a Namespace
    /// deletes its contents at once (no `kubernetes` finalizer phase).
    pub(crate) fn delete(
        &mut self,
        t: usize,
        ns: &str,
        name: &str,
        options: &Value,
        dry_run: bool,
    ) -> Result<Value, ApiError> {
        let rt = self.types[t].clone();
        let key = self.key(t, ns, name);
        let old = self.objects[t]
            .get(&key)
            .cloned()
            .ok_or_else(|| ApiError::not_found(&rt, name))?;
        for (field, label) in [("uid", "UID"), ("resourceVersion", "ResourceVersion")] {
            if let Some(want) = options
                .pointer(&format!("/preconditions/{field}"))
                .and_then(Value::as_str)
                && meta_str(&old, field) != Some(want)
            {
                return Err(ApiError::new(
                    409,
                    "Conflict",
                    format!(
                        "Precondition failed: {label} in precondition: {want}, {label} in object meta: {}",
                        meta_str(&old, field).unwrap_or("")
                    ),
                ));
            }
        }
        if dry_run {
            return Ok(old);
        }
        let has_finalizers = old
            .pointer("/metadata/finalizers")
            .and_then(Value::as_array)
            .is_some_and(|f| !f.is_empty());
        if has_finalizers {
            if old.pointer("/metadata/deletionTimestamp").is_some() {
                return Ok(old);
            }
            let mut new = old.clone();
            let generation = old
                .pointer("/metadata/generation")
                .and_then(Value::as_i64)
                .unwrap_or(1);
            self.rv += 1;
            let m = meta_mut(&mut new);
            m.insert("deletionTimestamp".into(), json!(now_rfc3339()));
            m.insert("deletionGracePeriodSeconds".into(), json!(0));
            m.insert("generation".into(), json!(generation + 1));
            m.insert("resourceVersion".into(), json!(self.rv.to_string()));
            self.objects[t].insert(key, new.clone());
            self.emit(t, EventType::Modified, new.clone(), Some(old));
            return Ok(new);
        }
        self.rv += 1;
        self.objects[t].remove(&key);
        self.forget_applied(t, &key);
        let mut gone = old.clone();
        meta_mut(&mut gone).insert("resourceVersion".into(), json!(self.rv.to_string()));
        self.emit(t, EventType::Deleted, gone.clone(), Some(old));
        if rt.kind == "Namespace" && rt.group.is_empty() {
            self.delete_namespace_contents(name);
        }
        Ok(gone)
    }

    fn delete_namespace_contents(&mut self, ns: &str) {
        for t in 0..self.types.len() {
            if !self.types[t].namespaced {
                continue;
            }
            let names: Vec<String> = self.objects[t]
                .keys()
                .filter(|(n, _)| n == ns)
                .map(|(_, name)| name.clone())
                .collect();
            for name in names {
                let _ = self.delete(t, ns, &name, &Value::Null, false);
            }
        }
    }

    /// Events after `rv` for a watch, or `None` when `rv` is older than the retained history.
    pub(crate) fn history_since(&self, rv: u64) -> Option<Vec<Arc<WatchEvent>>> {
        if rv < self.compacted_rv {
            return None;
        }
        Some(self.history.iter().filter(|e| e.rv > rv).cloned().collect())
    }

    /// All current objects of one type (for "start at most recent" watches and test helpers).
    pub(crate) fn all(&self, t: usize) -> impl Iterator<Item = &Value> {
        self.objects[t].values()
    }
}
