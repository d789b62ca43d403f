//! The install settings: one typed struct whose `Default` is the chart's `values.yaml` and the
//! defaults of `bosun-webhook manifests`. `chart/values.schema.json` is generated from it
//! ([`json_schema`]); tests check that `values.yaml` parses into it (unknown keys rejected) and
//! equals [`Values::default`].

use std::collections::BTreeMap;

use k8s_openapi::api::core::v1::{LocalObjectReference, Toleration};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::Error;
use crate::policy::Policy;

/// What the API server does when it cannot get an answer from Bosun (timeout, TLS error, no
/// ready pod).
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema, clap::ValueEnum,
)]
pub enum FailurePolicy {
    /// Reject the request (fail closed).
    #[value(name = "Fail")]
    Fail,
    /// Let the request through unchecked (fail open).
    #[value(name = "Ignore")]
    Ignore,
}

impl FailurePolicy {
    pub fn as_str(self) -> &'static str {
        match self {
            FailurePolicy::Fail => "Fail",
            FailurePolicy::Ignore => "Ignore",
        }
    }
}

/// Log output format (`--log-format`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

/// Chart and manifest settings (`chart/values.yaml`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Values {
    /// Name of the Deployment, Service, ServiceAccount, RBAC objects and webhook configurations
    /// (other objects derive their names from it).
    pub name: String,
    /// Container image (both binaries; the entrypoint is `bosun-webhook`).
    pub image: Image,
    /// Secrets for pulling the image from a private registry (`[{name: regcred}]`).
    pub image_pull_secrets: Vec<LocalObjectReference>,
    /// Webhook pods. Two or more keep admission available during node drains and upgrades.
    #[schemars(range(min = 1))]
    pub replicas: i32,
    /// Container resources (requests and limits; Kubernetes quantities).
    pub resources: Resources,
    /// PodDisruptionBudget for the webhook pods.
    pub pod_disruption_budget: PodDisruptionBudget,
    /// Spread replicas over nodes (topologySpreadConstraints).
    pub topology_spread: TopologySpread,
    /// Node selector of the pods.
    pub node_selector: BTreeMap<String, String>,
    /// Tolerations of the pods.
    pub tolerations: Vec<Toleration>,
    /// Logging (`--log-format`, `--log`).
    pub log: Log,
    /// Admission webhook settings (ports, timeouts, failure policies, exclusions).
    pub webhook: Webhook,
    /// The Secret syncer (SecretSync and rigger Plan), run inside the webhook pods.
    pub sync: Sync,
    /// The admission policy (`--config`; schema `schemas/policy.json`), stored in a ConfigMap.
    #[schemars(with = "Policy")]
    pub policy: Value,
    /// Serving certificate of the webhook.
    pub tls: Tls,
    /// Prometheus Operator ServiceMonitor for `/metrics`.
    pub service_monitor: ServiceMonitor,
    /// NetworkPolicy restricting ingress to the webhook and metrics ports.
    pub network_policy: NetworkPolicy,
}

/// Container image.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Image {
    /// Repository (built from the repository's Dockerfile).
    pub repository: String,
    /// Tag; empty means the chart's appVersion (the crate version).
    pub tag: String,
    /// Pull policy.
    pub pull_policy: String,
}

/// Container resources.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Resources {
    /// Requests (cpu, memory).
    pub requests: BTreeMap<String, String>,
    /// Limits (cpu, memory).
    pub limits: BTreeMap<String, String>,
}

/// PodDisruptionBudget.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct PodDisruptionBudget {
    /// Create it.
    pub enabled: bool,
    /// Pods that must stay available during voluntary disruptions.
    #[schemars(range(min = 0))]
    pub min_available: i32,
}

/// Topology spread of the replicas.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct TopologySpread {
    /// Add the constraint.
    pub enabled: bool,
    /// Node label to spread over.
    pub topology_key: String,
    /// Largest allowed difference in pod count between topology domains.
    #[schemars(range(min = 1))]
    pub max_skew: i32,
    /// `ScheduleAnyway` (a preference) or `DoNotSchedule` (a requirement).
    #[schemars(regex(pattern = r"^(ScheduleAnyway|DoNotSchedule)$"))]
    pub when_unsatisfiable: String,
}

/// Logging.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Log {
    /// `json` or `text`.
    pub format: LogFormat,
    /// tracing `EnvFilter` directive.
    pub level: String,
}

/// Admission webhook settings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Webhook {
    /// Container port of the TLS admission server (`--listen`); the Service exposes it on 443.
    #[schemars(range(min = 1, max = 65535))]
    pub port: i32,
    /// Container port of `/healthz`, `/livez`, `/readyz` and `/metrics` (`--probe-listen`).
    #[schemars(range(min = 1, max = 65535))]
    pub probe_port: i32,
    /// How long the API server waits for an answer (1-30 s).
    #[schemars(range(min = 1, max = 30))]
    pub timeout_seconds: i32,
    /// Bosun's own bound on a review (`--request-timeout-ms`); keep it below timeoutSeconds
    /// so the API server gets an answer rather than a timeout.
    #[schemars(range(min = 1))]
    pub request_timeout_ms: u64,
    /// failurePolicy of the validating webhook for WorkflowTemplates, ClusterWorkflowTemplates
    /// and CronWorkflows. `Fail`: an invalid template cannot slip in while Bosun is down, but
    /// template writes fail while no Bosun pod is ready.
    pub failure_policy: FailurePolicy,
    /// failurePolicy of the validating webhook for Workflows. `Ignore`: submitting workflows
    /// never depends on Bosun (Argo still validates at run time).
    pub workflow_failure_policy: FailurePolicy,
    /// failurePolicy of the mutating webhook (defaults are a convenience; `Ignore`).
    pub mutating_failure_policy: FailurePolicy,
    /// Register the mutating webhook (injects the policy's defaults).
    pub mutating: bool,
    /// Namespaces never sent to the webhook, besides Bosun's own.
    pub exclude_namespaces: Vec<String>,
    /// Username of the Argo workflow controller; its writes (status updates) are not reviewed.
    pub argo_controller_username: String,
}

/// The Secret syncer.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Sync {
    /// Run it (`serve --sync`); adds Secret write, Lease and Event permissions.
    pub enabled: bool,
}

/// Serving certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct Tls {
    /// Let cert-manager issue the certificate and inject the CA into the webhook configurations.
    pub cert_manager: CertManager,
    /// Secret holding `tls.crt` and `tls.key` (written by cert-manager, or created by you).
    pub secret_name: String,
    /// Base64 PEM CA bundle for the webhook configurations when cert-manager is not used
    /// (`base64 -w0 ca.crt`).
    pub ca_bundle: String,
}

/// cert-manager integration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CertManager {
    /// Use cert-manager (Certificate + `cert-manager.io/inject-ca-from`).
    pub enabled: bool,
    /// Existing issuer to use; empty creates a self-signed Issuer for the webhook.
    pub issuer_name: String,
    /// Kind of the existing issuer (`Issuer` or `ClusterIssuer`).
    #[schemars(regex(pattern = r"^(Issuer|ClusterIssuer)$"))]
    pub issuer_kind: String,
}

/// Prometheus Operator ServiceMonitor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct ServiceMonitor {
    /// Create it (needs the monitoring.coreos.com CRDs).
    pub enabled: bool,
    /// Scrape interval.
    pub interval: String,
    /// Extra labels (to match your Prometheus' serviceMonitorSelector).
    pub labels: BTreeMap<String, String>,
}

/// NetworkPolicy.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct NetworkPolicy {
    /// Create it.
    pub enabled: bool,
    /// Labels of the namespaces allowed to scrape `/metrics` (empty: every namespace).
    pub metrics_namespace_labels: BTreeMap<String, String>,
}

fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

impl Default for Values {
    fn default() -> Self {
        Values {
            name: "bosun-webhook".into(),
            image: Image::default(),
            image_pull_secrets: Vec::new(),
            replicas: 2,
            resources: Resources::default(),
            pod_disruption_budget: PodDisruptionBudget::default(),
            topology_spread: TopologySpread::default(),
            node_selector: BTreeMap::new(),
            tolerations: Vec::new(),
            log: Log::default(),
            webhook: Webhook::default(),
            sync: Sync::default(),
            policy: Value::Object(serde_json::Map::new()),
            tls: Tls::default(),
            service_monitor: ServiceMonitor::default(),
            network_policy: NetworkPolicy::default(),
        }
    }
}

impl Default for Image {
    fn default() -> Self {
        Image {
            repository: "bosun".into(),
            tag: String::new(),
            pull_policy: "IfNotPresent".into(),
        }
    }
}

impl Default for Resources {
    fn default() -> Self {
        Resources {
            requests: map(&[("cpu", "100m"), ("memory", "64Mi")]),
            limits: map(&[("cpu", "1"), ("memory", "256Mi")]),
        }
    }
}

impl Default for PodDisruptionBudget {
    fn default() -> Self {
        PodDisruptionBudget {
            enabled: true,
            min_available: 1,
        }
    }
}

impl Default for TopologySpread {
    fn default() -> Self {
        TopologySpread {
            enabled: true,
            topology_key: "kubernetes.io/hostname".into(),
            max_skew: 1,
            when_unsatisfiable: "ScheduleAnyway".into(),
        }
    }
}

impl Default for Log {
    fn default() -> Self {
        Log {
            format: LogFormat::Json,
            level: "info".into(),
        }
    }
}

impl Default for Webhook {
    fn default() -> Self {
        Webhook {
            port: 8443,
            probe_port: 8080,
            timeout_seconds: 3,
            request_timeout_ms: 2500,
            failure_policy: FailurePolicy::Fail,
            workflow_failure_policy: FailurePolicy::Ignore,
            mutating_failure_policy: FailurePolicy::Ignore,
            mutating: true,
            exclude_namespaces: vec!["kube-system".into()],
            argo_controller_username: "system:serviceaccount:argo:argo".into(),
        }
    }
}

impl Default for Tls {
    fn default() -> Self {
        Tls {
            cert_manager: CertManager::default(),
            secret_name: "bosun-webhook-tls".into(),
            ca_bundle: String::new(),
        }
    }
}

impl Default for CertManager {
    fn default() -> Self {
        CertManager {
            enabled: true,
            issuer_name: String::new(),
            issuer_kind: "Issuer".into(),
        }
    }
}

impl Default for ServiceMonitor {
    fn default() -> Self {
        ServiceMonitor {
            enabled: false,
            interval: "30s".into(),
            labels: BTreeMap::new(),
        }
    }
}

impl Values {
    /// Parses a values file (YAML; unknown keys are errors) over the defaults.
    pub fn parse(text: &str) -> Result<Values, Error> {
        let v: Values = serde_saphyr::from_str(text).map_err(|e| Error::Values(e.to_string()))?;
        v.validate()?;
        Ok(v)
    }

    /// Checks what the schema cannot: the policy parses, names are valid, timeouts agree.
    pub fn validate(&self) -> Result<(), Error> {
        let bad = |m: String| Err(Error::Values(m));
        // The Service takes this name: a DNS-1035 label.
        if !is_dns_label(&self.name) || !self.name.starts_with(|c: char| c.is_ascii_lowercase()) {
            return bad(format!(
                "name `{}` must be a DNS label starting with a letter",
                self.name
            ));
        }
        if self.replicas < 1 {
            return bad("replicas must be at least 1".into());
        }
        if !(1..=30).contains(&self.webhook.timeout_seconds) {
            return bad("webhook.timeoutSeconds must be between 1 and 30".into());
        }
        let budget = u64::try_from(self.webhook.timeout_seconds).unwrap_or(0) * 1000;
        if self.webhook.request_timeout_ms == 0 || self.webhook.request_timeout_ms >= budget {
            return bad(format!(
                "webhook.requestTimeoutMs must be between 1 and {} (below timeoutSeconds)",
                budget.saturating_sub(1)
            ));
        }
        let port = |p: i32| (1..=65535).contains(&p);
        if !port(self.webhook.port)
            || !port(self.webhook.probe_port)
            || self.webhook.port == self.webhook.probe_port
        {
            return bad("webhook.port and webhook.probePort must be two different ports".into());
        }
        if self.webhook.argo_controller_username.contains(['\'', '\\']) {
            return bad("webhook.argoControllerUsername must not contain quotes".into());
        }
        if !self.tls.cert_manager.enabled && self.tls.ca_bundle.is_empty() {
            return bad("tls.caBundle is required when tls.certManager.enabled is false".into());
        }
        if !is_dns_subdomain(&self.tls.secret_name) {
            return bad("tls.secretName is not a valid name".into());
        }
        let text = serde_json::to_string(&self.policy).unwrap_or_default();
        Policy::parse(&text).map_err(|e| Error::Values(format!("policy: {e}")))?;
        Ok(())
    }

    /// The image reference (`repository:tag`, the tag defaulting to the crate version).
    pub fn image_ref(&self) -> String {
        let tag = if self.image.tag.is_empty() {
            super::APP_VERSION
        } else {
            &self.image.tag
        };
        format!("{}:{tag}", self.image.repository)
    }
}

/// A DNS-1123 label.
pub fn is_dns_label(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 63
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty() && s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// `chart/values.schema.json` (draft-07, which every Helm 3 release understands).
pub fn json_schema() -> String {
    let generator = schemars::generate::SchemaSettings::draft07().into_generator();
    let mut schema =
        serde_json::to_value(generator.into_root_schema_for::<Values>()).unwrap_or_default();
    if let Some(m) = schema.as_object_mut() {
        m.insert("title".into(), Value::from("bosun-webhook chart values"));
        // Helm's reserved key for values shared with parent charts; allowed, unused.
        if let Some(props) = m.get_mut("properties").and_then(Value::as_object_mut) {
            props.insert(
                "global".into(),
                serde_json::json!({"description": "Helm's values shared across charts (unused).", "type": "object"}),
            );
        }
    }
    format!(
        "{}\n",
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    )
}
