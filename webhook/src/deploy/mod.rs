//! Install manifests built from typed k8s-openapi objects: what `bosun-webhook manifests`
//! prints, what `deploy/` holds and what the Helm chart (`chart/templates/`) renders for the
//! same [`Values`]. Tests keep the three in step (`webhook/tests/manifests.rs`).
//!
//! Module map: [`values`] (the settings, their defaults and `chart/values.schema.json`),
//! [`rbac`] (the API permissions the code uses, as ClusterRole/Role rules), `workload`
//! (ServiceAccount, RBAC objects, ConfigMap, Deployment, PDB, Service), `admission` (the
//! webhook configurations and TLS), `extras` (NetworkPolicy, ServiceMonitor).

mod admission;
mod extras;
pub mod rbac;
pub mod values;
mod workload;

use std::collections::BTreeMap;
use std::path::Path;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;
use kube::CustomResourceExt;
use serde_json::Value;

use crate::sync::api::{Plan, SecretSync};
pub use values::{FailurePolicy, Values};

/// Errors of `bosun-webhook manifests`.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("values: {0}")]
    Values(String),
    #[error("cannot read {path}: {message}")]
    Read { path: String, message: String },
    #[error("{0}")]
    Invalid(String),
}

/// The version in labels and the default image tag (the chart's appVersion).
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");
/// The binary the image runs (the Dockerfile's ENTRYPOINT).
pub const ENTRYPOINT: &str = "/usr/local/bin/bosun-webhook";
/// Port of the Service in front of the admission server.
pub const SERVICE_PORT: i32 = 443;
/// Admission paths (the server's routes).
pub const VALIDATE_PATH: &str = "/validate";
pub const MUTATE_PATH: &str = "/mutate";
/// Probe paths (probes.rs).
pub const LIVENESS_PATH: &str = "/livez";
pub const READINESS_PATH: &str = "/readyz";
pub const METRICS_PATH: &str = "/metrics";
/// Where the serving certificate Secret is mounted.
pub const TLS_DIR: &str = "/etc/bosun/tls";
/// Where the policy ConfigMap is mounted, and its key.
pub const POLICY_DIR: &str = "/etc/bosun/policy";
pub const POLICY_KEY: &str = "policy.yaml";
/// Label whose value is the namespace's name (set by the API server on every namespace).
pub const NAMESPACE_NAME_LABEL: &str = "kubernetes.io/metadata.name";
/// cert-manager's CA injection annotation.
pub const INJECT_CA_ANNOTATION: &str = "cert-manager.io/inject-ca-from";

/// One install: the values and the namespace Bosun runs in.
pub struct Install<'a> {
    pub values: &'a Values,
    pub namespace: &'a str,
}

impl Install<'_> {
    /// Labels on every object.
    pub fn labels(&self) -> BTreeMap<String, String> {
        let mut l = self.selector();
        l.insert("app.kubernetes.io/part-of".into(), "bosun".into());
        l.insert("app.kubernetes.io/version".into(), APP_VERSION.into());
        l
    }

    /// Labels selecting the webhook pods.
    pub fn selector(&self) -> BTreeMap<String, String> {
        BTreeMap::from([
            ("app.kubernetes.io/name".into(), self.values.name.clone()),
            ("app.kubernetes.io/component".into(), "webhook".into()),
        ])
    }

    /// Metadata of a namespaced object.
    fn meta(&self, name: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.to_owned()),
            namespace: Some(self.namespace.to_owned()),
            labels: Some(self.labels()),
            ..ObjectMeta::default()
        }
    }

    /// Metadata of a cluster-scoped object.
    fn cluster_meta(&self, name: &str) -> ObjectMeta {
        ObjectMeta {
            name: Some(name.to_owned()),
            labels: Some(self.labels()),
            ..ObjectMeta::default()
        }
    }

    /// `name` + `suffix`.
    fn name(&self, suffix: &str) -> String {
        format!("{}{suffix}", self.values.name)
    }
}

fn json<T: serde::Serialize>(v: &T) -> Value {
    serde_json::to_value(v).unwrap_or(Value::Null)
}

/// An object of a kind k8s-openapi does not know (cert-manager, Prometheus Operator) as a kube
/// `DynamicObject`: typed metadata, free-form `spec`.
fn dynamic(api_version: &str, kind: &str, metadata: ObjectMeta, spec: Value) -> Value {
    let (group, version) = api_version.split_once('/').unwrap_or(("", api_version));
    let gvk = kube::api::GroupVersionKind::gvk(group, version, kind);
    let mut o = kube::api::DynamicObject::new("", &kube::api::ApiResource::from_gvk(&gvk))
        .data(serde_json::json!({ "spec": spec }));
    o.metadata = metadata;
    json(&o)
}

/// Every object, in apply order: Namespace, CRDs, RBAC, configuration, workload, TLS, webhook
/// configurations, optional extras. `with_namespace: false` leaves the Namespace out (Helm
/// creates it with `--create-namespace`).
pub fn render(install: &Install<'_>, with_namespace: bool) -> Vec<Value> {
    let mut out = Vec::new();
    if with_namespace {
        // The pods meet the "restricted" Pod Security Standard; enforce it.
        let mut labels = install.labels();
        labels.insert(
            "pod-security.kubernetes.io/enforce".into(),
            "restricted".into(),
        );
        out.push(json(&Namespace {
            metadata: ObjectMeta {
                name: Some(install.namespace.to_owned()),
                labels: Some(labels),
                ..ObjectMeta::default()
            },
            ..Namespace::default()
        }));
    }
    out.push(json(&SecretSync::crd()));
    out.push(json(&Plan::crd()));
    out.extend(workload::objects(install));
    out.extend(admission::objects(install));
    out.extend(extras::objects(install));
    out
}

/// [`render`] as a multi-document YAML stream.
pub fn to_yaml(objects: &[Value]) -> String {
    let mut out =
        format!("# Generated by `bosun-webhook manifests` ({APP_VERSION}); do not edit.\n");
    for o in objects {
        out.push_str("---\n");
        out.push_str(
            &serde_saphyr::to_string(o).unwrap_or_else(|e| format!("# not serializable: {e}\n")),
        );
    }
    out
}

/// Options of `bosun-webhook manifests` applied over the values.
#[derive(Debug, Default, Clone)]
pub struct Overrides {
    pub values_file: Option<String>,
    pub image: Option<String>,
    pub replicas: Option<i32>,
    pub failure_policy: Option<FailurePolicy>,
    pub workflow_failure_policy: Option<FailurePolicy>,
    pub mutating_failure_policy: Option<FailurePolicy>,
    pub timeout_seconds: Option<i32>,
    pub sync: bool,
    pub cert_manager: bool,
    pub self_signed_ca: Option<String>,
    pub policy_file: Option<String>,
    pub service_monitor: bool,
    pub network_policy: bool,
}

fn read(path: &str) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|e| Error::Read {
        path: path.to_owned(),
        message: e.to_string(),
    })
}

/// Splits `repo[:tag]` (a `:` after the last `/` starts the tag; digests stay in the repository).
fn split_image(image: &str) -> (String, String) {
    let slash = image.rfind('/').map_or(0, |i| i + 1);
    match image[slash..].rfind(':') {
        Some(i) if !image.contains('@') => (
            image[..slash + i].to_owned(),
            image[slash + i + 1..].to_owned(),
        ),
        _ => (image.to_owned(), String::new()),
    }
}

impl Overrides {
    /// The values these options describe, validated.
    pub fn values(&self) -> Result<Values, Error> {
        let mut v = match &self.values_file {
            Some(path) => serde_saphyr::from_str(&read(path)?)
                .map_err(|e| Error::Values(format!("{path}: {e}")))?,
            None => Values::default(),
        };
        if let Some(image) = &self.image {
            (v.image.repository, v.image.tag) = split_image(image);
        }
        if let Some(n) = self.replicas {
            v.replicas = n;
        }
        if let Some(p) = self.failure_policy {
            v.webhook.failure_policy = p;
        }
        if let Some(p) = self.workflow_failure_policy {
            v.webhook.workflow_failure_policy = p;
        }
        if let Some(p) = self.mutating_failure_policy {
            v.webhook.mutating_failure_policy = p;
        }
        if let Some(t) = self.timeout_seconds {
            v.webhook.timeout_seconds = t;
            // Keep Bosun's own bound half a second under the API server's.
            v.webhook.request_timeout_ms = u64::try_from(t.max(1)).unwrap_or(1) * 1000 - 500;
        }
        v.sync.enabled |= self.sync;
        v.service_monitor.enabled |= self.service_monitor;
        v.network_policy.enabled |= self.network_policy;
        if self.cert_manager {
            v.tls.cert_manager.enabled = true;
        }
        if let Some(dir) = &self.self_signed_ca {
            let path = Path::new(dir).join("ca.crt");
            let pem = read(&path.to_string_lossy())?;
            if !pem.contains("-----BEGIN CERTIFICATE-----") {
                return Err(Error::Invalid(format!(
                    "{} holds no PEM certificate",
                    path.display()
                )));
            }
            v.tls.cert_manager.enabled = false;
            v.tls.ca_bundle = json(&k8s_openapi::ByteString(pem.into_bytes()))
                .as_str()
                .unwrap_or_default()
                .to_owned();
        }
        if let Some(path) = &self.policy_file {
            let text = read(path)?;
            crate::policy::Policy::parse(&text)
                .map_err(|e| Error::Invalid(format!("{path}: {e}")))?;
            v.policy = serde_saphyr::from_str(&text)
                .map_err(|e| Error::Invalid(format!("{path}: {e}")))?;
        }
        v.validate()?;
        Ok(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_references_split_at_the_tag() {
        assert_eq!(
            split_image("registry:5000/bosun:1.2"),
            ("registry:5000/bosun".into(), "1.2".into())
        );
        assert_eq!(
            split_image("registry:5000/bosun"),
            ("registry:5000/bosun".into(), String::new())
        );
        assert_eq!(split_image("bosun"), ("bosun".into(), String::new()));
        assert_eq!(
            split_image("r/bosun@sha256:ab"),
            ("r/bosun@sha256:ab".into(), String::new())
        );
    }

    #[test]
    fn overrides_apply_and_are_validated() {
        let o = Overrides {
            image: Some("example.org/bosun:9".into()),
            replicas: Some(3),
            timeout_seconds: Some(5),
            sync: true,
            ..Overrides::default()
        };
        let v = o.values().unwrap();
        assert_eq!(v.image_ref(), "example.org/bosun:9");
        assert_eq!(
            (v.replicas, v.webhook.request_timeout_ms, v.sync.enabled),
            (3, 4500, true)
        );
        let bad = Overrides {
            timeout_seconds: Some(31),
            ..Overrides::default()
        };
        assert!(
            bad.values()
                .unwrap_err()
                .to_string()
                .contains("timeoutSeconds")
        );
        let missing = Overrides {
            self_signed_ca: Some("/nonexistent".into()),
            ..Overrides::default()
        };
        assert!(matches!(missing.values(), Err(Error::Read { .. })));
    }
}
