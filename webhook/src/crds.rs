//! CustomResourceDefinitions and JSON Schemas generated from the Rust types in
//! [`crate::sync::api`]: `chart/crds/secretsync.yaml`, `chart/crds/plan.yaml` and
//! `schemas/secretsync.json`. A test (`webhook/tests/generated.rs`) keeps the committed files
//! fresh; `UPDATE_GENERATED=1 cargo test -p webhook --test generated` rewrites them.

use kube::CustomResourceExt;

use crate::sync::api::{Plan, SecretSync};

/// One generated file: path relative to the repository root, and content.
pub struct Generated {
    pub path: &'static str,
    pub content: String,
}

fn yaml<T: serde::Serialize>(v: &T) -> String {
    let body =
        serde_saphyr::to_string(v).unwrap_or_else(|e| format!("# serialization failed: {e}\n"));
    format!(
        "# Generated from webhook/src/sync/api.rs by `bosun-webhook crds`; do not edit.\n{body}"
    )
}

/// Every generated file.
pub fn generated() -> Vec<Generated> {
    let schema = SecretSync::crd()
        .spec
        .versions
        .first()
        .and_then(|v| v.schema.as_ref())
        .and_then(|s| s.open_api_v3_schema.as_ref())
        .map(|s| serde_json::to_value(s).unwrap_or_default())
        .unwrap_or_default();
    let mut schema_doc = serde_json::json!({
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": "https://bosun.dev/schemas/secretsync.json",
        "title": "SecretSync (bosun.dev/v1alpha1)",
    });
    if let (Some(doc), Some(s)) = (schema_doc.as_object_mut(), schema.as_object()) {
        doc.extend(s.clone());
    }
    vec![
        Generated {
            path: "chart/crds/secretsync.yaml",
            content: yaml(&SecretSync::crd()),
        },
        Generated {
            path: "chart/crds/plan.yaml",
            content: yaml(&Plan::crd()),
        },
        Generated {
            path: "schemas/secretsync.json",
            content: format!(
                "{}\n",
                serde_json::to_string_pretty(&schema_doc).unwrap_or_default()
            ),
        },
    ]
}

/// The CRDs as one multi-document YAML stream (what `bosun-webhook crds` prints).
pub fn all_yaml() -> String {
    format!("{}---\n{}", yaml(&SecretSync::crd()), yaml(&Plan::crd()))
}
