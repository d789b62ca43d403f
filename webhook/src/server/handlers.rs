//! Thin handlers: read the body, wait (briefly) for the cluster cache's first sync, take a
//! concurrency slot (or refuse at once when the queue is full), parse the AdmissionReview, call
//! [`admission::review`] on a blocking thread (linting is CPU work), answer in the same version
//! with the request's uid. All of it within one time budget (`Limits::timeout`) counted from the
//! request head. Spans and logs carry metadata only (uid, kind, namespace, name, operation,
//! result), never the object.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, Request, State};
use axum::response::{IntoResponse, Response};
use kube::api::DynamicObject;
use kube::core::admission::{AdmissionRequest, AdmissionReview};

use super::{AppState, Error};
use crate::admission::{self, Endpoint};

type Reply = Result<Json<serde_json::Value>, Error>;

/// The review as JSON, with `response.patch` as the base64 string the API server documents
/// (kube serializes the bytes as a number array).
fn encode(review: AdmissionReview<DynamicObject>) -> Result<serde_json::Value, Error> {
    let mut v = serde_json::to_value(review).map_err(|e| Error::Internal(e.to_string()))?;
    if let Some(patch) = v.pointer_mut("/response/patch") {
        let bytes: Vec<u8> = serde_json::from_value(patch.take()).unwrap_or_default();
        *patch = serde_json::Value::String(base64(&bytes));
    }
    Ok(v)
}

/// Standard base64 with padding.
pub fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// `POST /validate`.
pub async fn validate(State(state): State<Arc<AppState>>, req: Request) -> Response {
    receive(state, req, Endpoint::Validate).await
}

/// `POST /mutate`.
pub async fn mutate(State(state): State<Arc<AppState>>, req: Request) -> Response {
    receive(state, req, Endpoint::Mutate).await
}

/// Reads the body within the budget (a client dribbling its body is cut off with a 408; one
/// over the body limit gets axum's 413), then decides.
async fn receive(state: Arc<AppState>, req: Request, endpoint: Endpoint) -> Response {
    let started = Instant::now();
    let budget = state.limits.timeout;
    let body = match tokio::time::timeout(budget, Bytes::from_request(req, &())).await {
        Err(_) => {
            let secs = started.elapsed().as_secs_f64();
            state.metrics.request(
                endpoint.as_str(),
                "unknown",
                "unknown",
                "body_timeout",
                secs,
            );
            return Error::BodyTimeout(budget).into_response();
        }
        Ok(Err(rejection)) => return rejection.into_response(),
        Ok(Ok(body)) => body,
    };
    handle(state, body, endpoint, started).await.into_response()
}

/// A decision slot: at once if one is free; otherwise queue (if the queue has room) until one
/// frees up or `left` runs out.
async fn slot(
    state: &AppState,
    left: Duration,
) -> Result<tokio::sync::OwnedSemaphorePermit, Error> {
    if let Ok(p) = state.permits.clone().try_acquire_owned() {
        return Ok(p);
    }
    if state.queued.fetch_add(1, Ordering::AcqRel) >= state.limits.max_queued {
        state.queued.fetch_sub(1, Ordering::AcqRel);
        return Err(Error::Overloaded);
    }
    let waited = tokio::time::timeout(left, state.permits.clone().acquire_owned()).await;
    state.queued.fetch_sub(1, Ordering::AcqRel);
    waited
        .map_err(|_| Error::Overloaded)?
        .map_err(|_| Error::Overloaded)
}

/// Parses an `admission.k8s.io/v1` AdmissionReview carrying a request.
pub fn parse(body: &[u8]) -> Result<AdmissionRequest<DynamicObject>, Error> {
    let review: AdmissionReview<DynamicObject> =
        serde_json::from_slice(body).map_err(|e| Error::Malformed(e.to_string()))?;
    if review.types.api_version != "admission.k8s.io/v1" || review.types.kind != "AdmissionReview" {
        return Err(Error::Malformed(format!(
            "expected apiVersion admission.k8s.io/v1, kind AdmissionReview; got `{}`, `{}`",
            review.types.api_version, review.types.kind
        )));
    }
    review
        .try_into()
        .map_err(|_| Error::Malformed("the review has no request".into()))
}

async fn handle(state: Arc<AppState>, body: Bytes, endpoint: Endpoint, started: Instant) -> Reply {
    let timeout = state.limits.timeout;
    let metrics = state.metrics.clone();
    let refuse = |result: &str, e: Error| -> Reply {
        let secs = started.elapsed().as_secs_f64();
        metrics.request(endpoint.as_str(), "unknown", "unknown", result, secs);
        Err(e)
    };
    // Before the first sync an answer could be wrong (a template not listed yet): wait a little.
    let cluster = state.reviewer.cluster.clone();
    let wait = state
        .limits
        .cache_wait
        .min(timeout.saturating_sub(started.elapsed()));
    if let Some(c) = &cluster
        && !c.is_synced()
    {
        c.wait_synced(wait).await;
    }
    let permit = match slot(&state, timeout.saturating_sub(started.elapsed())).await {
        Ok(p) => p,
        Err(e) => return refuse("overloaded", e),
    };
    metrics.in_flight.inc();
    let task_state = state.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let req = parse(&body)?;
        if cluster.as_ref().is_some_and(|c| !c.is_synced())
            && task_state.reviewer.needs_cluster(&req, endpoint)
        {
            return Err(Error::NotSynced(wait));
        }
        let span = tracing::info_span!(
            "review",
            uid = %req.uid,
            kind = %req.kind.kind,
            namespace = req.namespace.as_deref().unwrap_or(""),
            name = %req.name,
            operation = admission::operation_label(&req),
            dry_run = req.dry_run,
        );
        let _enter = span.enter();
        let decision = admission::review(&req, &task_state.reviewer, endpoint);
        if decision.result == "denied" {
            tracing::info!(endpoint = endpoint.as_str(), "denied");
        } else {
            tracing::debug!(endpoint = endpoint.as_str(), result = decision.result);
        }
        Ok::<_, Error>((req, decision))
    });
    let left = timeout.saturating_sub(started.elapsed());
    let outcome = tokio::time::timeout(left, task).await;
    metrics.in_flight.dec();
    let secs = started.elapsed().as_secs_f64();
    let (req, decision) = match outcome {
        Err(_) => {
            metrics.request(endpoint.as_str(), "unknown", "unknown", "timeout", secs);
            return Err(Error::Timeout(timeout));
        }
        Ok(Err(join)) => {
            metrics.request(endpoint.as_str(), "unknown", "unknown", "error", secs);
            return Err(Error::Internal(join.to_string()));
        }
        Ok(Ok(Err(e))) => {
            let result = match e {
                Error::NotSynced(_) => "not_synced",
                _ => "invalid",
            };
            metrics.request(endpoint.as_str(), "unknown", "unknown", result, secs);
            return Err(e);
        }
        Ok(Ok(Ok(done))) => done,
    };
    metrics.request(
        endpoint.as_str(),
        &req.kind.kind,
        admission::operation_label(&req),
        decision.result,
        secs,
    );
    Ok(Json(encode(decision.response.into_review())?))
}
