//! The HTTP layer: one axum fallback handler that parses Kubernetes REST paths
//! (`/api/v1/...`, `/apis/{group}/{version}/...`, namespaced and cluster-scoped, `/status`),
//! applies fault rules, records the request, and dispatches to the [`crate::store::Store`].
//! Watches stream newline-delimited JSON events with bookmarks.

use std::collections::HashMap;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Query, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::{broadcast, mpsc};

use crate::faults::{Fault, Verb};
use crate::selector::{FieldSelector, LabelSelector};
use crate::store::{ApiError, EventType, PatchKind, WatchEvent};
use crate::{Inner, RequestRecord};

/// A parsed REST path.
struct Target {
    type_index: usize,
    namespace: Option<String>,
    name: Option<String>,
    status: bool,
}

fn parse_path(inner: &Inner, path: &str) -> Option<Target> {
    let segs: Vec<&str> = path.trim_matches('/').split('/').collect();
    let (group, version, rest) = match segs.as_slice() {
        ["api", v, rest @ ..] => ("", *v, rest),
        ["apis", g, v, rest @ ..] => (*g, *v, rest),
        _ => return None,
    };
    let store = inner.store.lock().expect("store lock");
    let find = |plural: &str, namespaced: bool| {
        store.types.iter().position(|t| {
            t.group == group
                && t.version == version
                && t.plural == plural
                && t.namespaced == namespaced
        })
    };
    let owned = |s: &&str| (*s).to_owned();
    match rest {
        ["namespaces", ns, plural, tail @ ..]
            if find(plural, true).is_some() && tail.len() <= 2 =>
        {
            Some(Target {
                type_index: find(plural, true)?,
                namespace: Some((*ns).to_owned()),
                name: tail.first().map(owned),
                status: match tail.get(1) {
                    None => false,
                    Some(&"status") => true,
                    Some(_) => return None,
                },
            })
        }
        [plural, tail @ ..] if tail.len() <= 2 => {
            let type_index = match find(plural, false) {
                Some(i) => i,
                // A cluster-wide list/watch of a namespaced type.
                None if tail.is_empty() => find(plural, true)?,
                None => return None,
            };
            Some(Target {
                type_index,
                namespace: None,
                name: tail.first().map(owned),
                status: match tail.get(1) {
                    None => false,
                    Some(&"status") => true,
                    Some(_) => return None,
                },
            })
        }
        _ => None,
    }
}

fn json_response(code: u16, body: &Value) -> Response {
    let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

fn error_response(e: &ApiError) -> Response {
    json_response(e.code, &e.to_status())
}

/// `PartialObjectMetadata` view of an object.
fn metadata_only(o: &Value) -> Value {
    json!({"apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadata", "metadata": o.get("metadata").cloned().unwrap_or(json!({}))})
}

fn verb_of(method: &Method, t: &Target, params: &HashMap<String, String>) -> Verb {
    let watch = params.get("watch").is_some_and(|w| w == "true" || w == "1");
    match *method {
        Method::GET if watch => Verb::Watch,
        Method::GET if t.name.is_none() => Verb::List,
        Method::POST => Verb::Create,
        Method::PUT => Verb::Update,
        Method::PATCH => Verb::Patch,
        Method::DELETE => Verb::Delete,
        _ => Verb::Get,
    }
}

/// The single handler behind every path.
pub(crate) async fn handle(
    State(inner): State<Arc<Inner>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    Query(params): Query<HashMap<String, String>>,
    body: Bytes,
) -> Response {
    let path = uri.path().to_owned();
    let client = headers
        .get("x-fake-client")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let Some(target) = parse_path(&inner, &path) else {
        return error_response(&ApiError::new(
            404,
            "NotFound",
            format!("the server could not find the requested resource ({path})"),
        ));
    };
    let verb = verb_of(&method, &target, &params);
    let faults = inner.faults.lock().expect("faults lock").roll(verb, &path);
    let mut after_commit = None;
    let mut cut_after = None;
    for f in &faults {
        match *f {
            Fault::Delay(d) => tokio::time::sleep(d).await,
            Fault::StatusAfterCommit(c) => after_commit = Some(c),
            Fault::CutWatchAfter(d) => cut_after = Some(d),
            Fault::Status(_) => {}
        }
    }
    let record = |status: u16| {
        inner.log.lock().expect("log lock").push(RequestRecord {
            verb,
            path: path.clone(),
            client: client.clone(),
            status,
        });
    };
    if let Some(Fault::Status(code)) = faults.iter().find(|f| matches!(f, Fault::Status(_))) {
        record(*code);
        return error_response(&ApiError::new(
            *code,
            "InternalError",
            format!("fakekube: injected fault {code}"),
        ));
    }
    let meta_only = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("as=PartialObjectMetadata"));
    if verb == Verb::Watch {
        record(200);
        return watch(&inner, &target, &params, meta_only, cut_after);
    }
    let result = dispatch(
        &inner, &target, verb, &method, &headers, &params, &body, meta_only,
    );
    let (code, body) = match result {
        Ok((code, v)) => (code, v),
        Err(e) => (e.code, e.to_status()),
    };
    if let Some(c) = after_commit {
        record(c);
        return error_response(&ApiError::new(
            c,
            "InternalError",
            format!("fakekube: injected fault {c} after commit"),
        ));
    }
    record(code);
    json_response(code, &body)
}

#[allow(clippy::too_many_arguments)]
fn dispatch(
    inner: &Inner,
    t: &Target,
    verb: Verb,
    method: &Method,
    headers: &HeaderMap,
    params: &HashMap<String, String>,
    body: &Bytes,
    meta_only: bool,
) -> Result<(u16, Value), ApiError> {
    let dry_run = params.get("dryRun").is_some_and(|d| d == "All");
    let ns = t.namespace.as_deref().unwrap_or("");
    let parse_body = || -> Result<Value, ApiError> {
        if body.is_empty() {
            return Ok(Value::Null);
        }
        serde_json::from_slice(body)
            .map_err(|e| ApiError::bad_request(format!("fakekube accepts JSON bodies only: {e}")))
    };
    let mut store = inner.store.lock().expect("store lock");
    let view = |o: Value| if meta_only { metadata_only(&o) } else { o };
    let name = t.name.as_deref();
    match (verb, name) {
        (Verb::List, _) => {
            let labels =
                LabelSelector::parse(params.get("labelSelector").map_or("", String::as_str))
                    .map_err(ApiError::bad_request)?;
            let fields =
                FieldSelector::parse(params.get("fieldSelector").map_or("", String::as_str))
                    .map_err(ApiError::bad_request)?;
            let limit = params.get("limit").and_then(|l| l.parse().ok());
            let (items, rv, cont) = store.list(
                t.type_index,
                t.namespace.as_deref(),
                &labels,
                &fields,
                limit,
                params.get("continue").map(String::as_str),
            )?;
            let rt = &store.types[t.type_index];
            let (api_version, kind) = if meta_only {
                (
                    "meta.k8s.io/v1".to_owned(),
                    "PartialObjectMetadataList".to_owned(),
                )
            } else {
                (rt.api_version(), format!("{}List", rt.kind))
            };
            let mut metadata = json!({"resourceVersion": rv.to_string()});
            if let Some(c) = cont {
                metadata["continue"] = json!(c);
            }
            let items: Vec<Value> = items.into_iter().map(view).collect();
            Ok((
                200,
                json!({"apiVersion": api_version, "kind": kind, "metadata": metadata, "items": items}),
            ))
        }
        (Verb::Get, Some(n)) => Ok((200, view(store.get(t.type_index, ns, n)?))),
        (Verb::Create, None) => Ok((201, store.create(t.type_index, ns, parse_body()?, dry_run)?)),
        (Verb::Update, Some(n)) => Ok((
            200,
            store.replace(t.type_index, ns, n, parse_body()?, t.status, dry_run)?,
        )),
        (Verb::Patch, Some(n)) => {
            let ctype = headers
                .get(header::CONTENT_TYPE)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let kind = if ctype.starts_with("application/json-patch+json") {
                PatchKind::Json
            } else if ctype.starts_with("application/apply-patch") {
                PatchKind::Apply
            } else if ctype.starts_with("application/merge-patch+json")
                || ctype.starts_with("application/strategic-merge-patch+json")
            {
                PatchKind::Merge
            } else {
                return Err(ApiError::new(
                    415,
                    "UnsupportedMediaType",
                    format!("the body of the request was in an unknown format: {ctype}"),
                ));
            };
            let manager = params.get("fieldManager").map(String::as_str);
            Ok((
                200,
                store.patch(
                    t.type_index,
                    ns,
                    n,
                    kind,
                    &parse_body()?,
                    manager,
                    t.status,
                    dry_run,
                )?,
            ))
        }
        (Verb::Delete, Some(n)) => Ok((
            200,
            store.delete(t.type_index, ns, n, &parse_body()?, dry_run)?,
        )),
        _ => Err(ApiError::new(
            405,
            "MethodNotAllowed",
            format!("{method} is not supported on this path"),
        )),
    }
}

/// What a filtered watch should send for one stored change, if anything.
fn filter_event(
    ev: &WatchEvent,
    t: usize,
    ns: Option<&str>,
    labels: &LabelSelector,
    fields: &FieldSelector,
) -> Option<EventType> {
    if ev.type_index != t {
        return None;
    }
    let in_scope = |o: &Value| {
        ns.is_none_or(|n| o.pointer("/metadata/namespace").and_then(Value::as_str) == Some(n))
            && labels.matches(o)
            && fields.matches(o)
    };
    let now = in_scope(&ev.object);
    let before = ev.old.as_ref().map(in_scope);
    match (ev.event, before, now) {
        (EventType::Deleted, _, true) => Some(EventType::Deleted),
        (EventType::Deleted, Some(true), false) => Some(EventType::Deleted),
        (EventType::Deleted, _, _) => None,
        (e, None | Some(true), true) => Some(e),
        (_, Some(false), true) => Some(EventType::Added),
        (_, Some(true), false) => Some(EventType::Deleted),
        _ => None,
    }
}

fn line(event: &str, object: &Value) -> Result<Bytes, Infallible> {
    let mut s = json!({"type": event, "object": object}).to_string();
    s.push('\n');
    Ok(Bytes::from(s))
}

fn watch(
    inner: &Arc<Inner>,
    t: &Target,
    params: &HashMap<String, String>,
    meta_only: bool,
    cut_after: Option<Duration>,
) -> Response {
    let parsed = LabelSelector::parse(params.get("labelSelector").map_or("", String::as_str))
        .and_then(|l| {
            FieldSelector::parse(params.get("fieldSelector").map_or("", String::as_str))
                .map(|f| (l, f))
        });
    let (labels, fields) = match parsed {
        Ok(x) => x,
        Err(e) => return error_response(&ApiError::bad_request(e)),
    };
    let bookmarks = params
        .get("allowWatchBookmarks")
        .is_some_and(|b| b == "true");
    let send_initial = params.get("sendInitialEvents").is_some_and(|b| b == "true");
    let timeout = params
        .get("timeoutSeconds")
        .and_then(|s| s.parse::<u64>().ok())
        .map(Duration::from_secs);
    let rv = params
        .get("resourceVersion")
        .and_then(|r| r.parse::<u64>().ok())
        .filter(|r| *r > 0);
    let ns = t.namespace.clone();
    let ti = t.type_index;
    let view = move |o: &Value| {
        if meta_only {
            metadata_only(o)
        } else {
            o.clone()
        }
    };

    // Snapshot and subscribe under one lock so no event falls between them.
    let (initial, mut rx, start_rv, api_version, kind, expired) = {
        let store = inner.store.lock().expect("store lock");
        let rt = &store.types[ti];
        let mut initial: Vec<Result<Bytes, Infallible>> = Vec::new();
        let mut expired = false;
        match rv {
            Some(rv) if !send_initial => match store.history_since(rv) {
                Some(events) => {
                    for ev in events {
                        if let Some(e) = filter_event(&ev, ti, ns.as_deref(), &labels, &fields) {
                            initial.push(line(e.as_str(), &view(&ev.object)));
                        }
                    }
                }
                None => {
                    let gone = ApiError::new(
                        410,
                        "Expired",
                        format!(
                            "too old resource version: {rv} ({})",
                            store.compacted_rv + 1
                        ),
                    );
                    initial.push(line("ERROR", &gone.to_status()));
                    expired = true;
                }
            },
            _ => {
                for o in store.all(ti) {
                    let in_ns = ns.as_deref().is_none_or(|n| {
                        o.pointer("/metadata/namespace").and_then(Value::as_str) == Some(n)
                    });
                    if in_ns && labels.matches(o) && fields.matches(o) {
                        initial.push(line("ADDED", &view(o)));
                    }
                }
            }
        }
        (
            initial,
            store.tx.subscribe(),
            store.rv,
            rt.api_version(),
            rt.kind.clone(),
            expired,
        )
    };
    let (tx, body_rx) = mpsc::channel::<Result<Bytes, Infallible>>(256);
    let bookmark_every = inner.bookmark_interval;
    tokio::spawn(async move {
        let bookmark = |rv: u64, initial_end: bool| {
            let mut meta = json!({"resourceVersion": rv.to_string()});
            if initial_end {
                meta["annotations"] = json!({"k8s.io/initial-events-end": "true"});
            }
            line(
                "BOOKMARK",
                &json!({"apiVersion": api_version, "kind": kind, "metadata": meta}),
            )
        };
        for l in initial {
            if tx.send(l).await.is_err() {
                return;
            }
        }
        if expired {
            return;
        }
        if send_initial && tx.send(bookmark(start_rv, true)).await.is_err() {
            return;
        }
        let mut last_rv = start_rv;
        let deadline = tokio::time::sleep(
            timeout
                .unwrap_or(Duration::from_secs(3600))
                .min(cut_after.unwrap_or(Duration::MAX)),
        );
        tokio::pin!(deadline);
        let mut ticker = tokio::time::interval(bookmark_every);
        ticker.tick().await;
        loop {
            tokio::select! {
                ev = rx.recv() => match ev {
                    Ok(ev) => {
                        last_rv = last_rv.max(ev.rv);
                        if let Some(e) = filter_event(&ev, ti, ns.as_deref(), &labels, &fields)
                            && tx.send(line(e.as_str(), &view(&ev.object))).await.is_err()
                        {
                            return;
                        }
                    }
                    // A slow watcher is cut off; the client resumes from its last resourceVersion.
                    Err(broadcast::error::RecvError::Lagged(_) | broadcast::error::RecvError::Closed) => return,
                },
                _ = ticker.tick() => {
                    if bookmarks && tx.send(bookmark(last_rv, false)).await.is_err() {
                        return;
                    }
                }
                () = &mut deadline => return,
                () = tx.closed() => return,
            }
        }
    });
    let stream = futures::stream::unfold(body_rx, |mut rx| async move {
        rx.recv().await.map(|item| (item, rx))
    });
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json")],
        Body::from_stream(stream),
    )
        .into_response()
}
