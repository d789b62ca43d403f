//! Thin handlers: take a concurrency slot, parse the AdmissionReview, call
//! [`admission::review`] on a blocking thread (linting is CPU work), answer in the same version
//! with the request's uid. Spans and logs carry metadata only (uid, kind, namespace, name,
//! operation, result), never the object.

use std::sync::Arc;
use std::time::Instant;

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
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
pub async fn validate(State(state): State<Arc<AppState>>, body: Bytes) -> Reply {
    handle(state, body, Endpoint::Validate).await
}

/// `POST /mutate`.
pub async fn mutate(State(state): State<Arc<AppState>>, body: Bytes) -> Reply {
    handle(state, body, Endpoint::Mutate).await
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

async fn handle(state: Arc<AppState>, body: Bytes, endpoint: Endpoint) -> Reply {
    let started = Instant::now();
    let timeout = state.limits.timeout;
    let permit = tokio::time::timeout(timeout, state.permits.clone().acquire_owned())
        .await
        .map_err(|_| Error::Overloaded)?
        .map_err(|_| Error::Overloaded)?;
    let metrics = state.metrics.clone();
    metrics.in_flight.inc();
    let task_state = state.clone();
    let task = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let req = parse(&body)?;
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
            metrics.request(endpoint.as_str(), "unknown", "unknown", "invalid", secs);
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
