//! The webhook configurations and their TLS: a ValidatingWebhookConfiguration with one webhook
//! for Workflows (CREATE only: the controller's status writes are full-object UPDATEs) and one
//! for WorkflowTemplates, ClusterWorkflowTemplates and CronWorkflows (CREATE and UPDATE), a
//! MutatingWebhookConfiguration for what the mutating endpoint changes (Workflows on CREATE,
//! CronWorkflows on CREATE and UPDATE), and either cert-manager objects (Issuer + Certificate,
//! CA injected through `cert-manager.io/inject-ca-from`) or a fixed `caBundle`.

use std::collections::BTreeMap;

use k8s_openapi::ByteString;
use k8s_openapi::api::admissionregistration::v1::{
    MatchCondition, MutatingWebhook, MutatingWebhookConfiguration, RuleWithOperations,
    ServiceReference, ValidatingWebhook, ValidatingWebhookConfiguration, WebhookClientConfig,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{
    LabelSelector, LabelSelectorRequirement, ObjectMeta,
};
use serde_json::{Value, json};

use super::{
    INJECT_CA_ANNOTATION, Install, MUTATE_PATH, NAMESPACE_NAME_LABEL, SERVICE_PORT, VALIDATE_PATH,
    dynamic, json as to_json,
};

/// Names of the webhooks inside the configurations.
pub const WORKFLOWS_VALIDATE: &str = "workflows.validate.bosun.dev";
pub const TEMPLATES_VALIDATE: &str = "templates.validate.bosun.dev";
pub const MUTATE: &str = "mutate.bosun.dev";

fn rule(operations: &[&str], resources: &[&str]) -> RuleWithOperations {
    RuleWithOperations {
        api_groups: Some(vec!["argoproj.io".into()]),
        api_versions: Some(vec!["v1alpha1".into()]),
        operations: Some(operations.iter().map(|s| (*s).to_owned()).collect()),
        resources: Some(resources.iter().map(|s| (*s).to_owned()).collect()),
        scope: Some("*".into()),
    }
}

/// The common parts of every webhook entry.
struct Common {
    client_config: WebhookClientConfig,
    namespace_selector: LabelSelector,
    match_conditions: Option<Vec<MatchCondition>>,
}

fn common(i: &Install<'_>, path: &str) -> Common {
    let v = i.values;
    let ca_bundle = (!v.tls.cert_manager.enabled)
        .then(|| serde_json::from_value::<ByteString>(Value::from(v.tls.ca_bundle.clone())).ok())
        .flatten();
    let mut excluded = vec![i.namespace.to_owned()];
    excluded.extend(v.webhook.exclude_namespaces.iter().cloned());
    Common {
        client_config: WebhookClientConfig {
            service: Some(ServiceReference {
                name: v.name.clone(),
                namespace: i.namespace.to_owned(),
                path: Some(path.into()),
                port: Some(SERVICE_PORT),
            }),
            ca_bundle,
            url: None,
        },
        namespace_selector: LabelSelector {
            match_expressions: Some(vec![LabelSelectorRequirement {
                key: NAMESPACE_NAME_LABEL.into(),
                operator: "NotIn".into(),
                values: Some(excluded),
            }]),
            match_labels: None,
        },
        match_conditions: (!v.webhook.argo_controller_username.is_empty()).then(|| {
            vec![MatchCondition {
                name: "not-the-argo-controller".into(),
                expression: format!(
                    "request.userInfo.username != '{}'",
                    v.webhook.argo_controller_username
                ),
            }]
        }),
    }
}

fn meta(i: &Install<'_>) -> ObjectMeta {
    let mut m = i.cluster_meta(&i.values.name);
    if i.values.tls.cert_manager.enabled {
        m.annotations = Some(BTreeMap::from([(
            INJECT_CA_ANNOTATION.to_owned(),
            format!("{}/{}", i.namespace, i.values.name),
        )]));
    }
    m
}

fn validating(i: &Install<'_>) -> ValidatingWebhookConfiguration {
    let w = &i.values.webhook;
    let entry = |name: &str, policy: &str, rules: Vec<RuleWithOperations>| {
        let c = common(i, VALIDATE_PATH);
        ValidatingWebhook {
            name: name.into(),
            admission_review_versions: vec!["v1".into()],
            client_config: c.client_config,
            failure_policy: Some(policy.into()),
            match_policy: Some("Equivalent".into()),
            namespace_selector: Some(c.namespace_selector),
            match_conditions: c.match_conditions,
            rules: Some(rules),
            side_effects: "None".into(),
            timeout_seconds: Some(w.timeout_seconds),
            object_selector: None,
        }
    };
    ValidatingWebhookConfiguration {
        metadata: meta(i),
        webhooks: Some(vec![
            entry(
                WORKFLOWS_VALIDATE,
                w.workflow_failure_policy.as_str(),
                vec![rule(&["CREATE"], &["workflows"])],
            ),
            entry(
                TEMPLATES_VALIDATE,
                w.failure_policy.as_str(),
                vec![rule(
                    &["CREATE", "UPDATE"],
                    &[
                        "workflowtemplates",
                        "clusterworkflowtemplates",
                        "cronworkflows",
                    ],
                )],
            ),
        ]),
    }
}

fn mutating(i: &Install<'_>) -> MutatingWebhookConfiguration {
    let w = &i.values.webhook;
    let c = common(i, MUTATE_PATH);
    MutatingWebhookConfiguration {
        metadata: meta(i),
        webhooks: Some(vec![MutatingWebhook {
            name: MUTATE.into(),
            admission_review_versions: vec!["v1".into()],
            client_config: c.client_config,
            failure_policy: Some(w.mutating_failure_policy.as_str().into()),
            match_policy: Some("Equivalent".into()),
            namespace_selector: Some(c.namespace_selector),
            match_conditions: c.match_conditions,
            reinvocation_policy: Some("Never".into()),
            rules: Some(vec![
                rule(&["CREATE"], &["workflows"]),
                rule(&["CREATE", "UPDATE"], &["cronworkflows"]),
            ]),
            side_effects: "None".into(),
            timeout_seconds: Some(w.timeout_seconds),
            object_selector: None,
        }]),
    }
}

/// DNS names the API server uses for the Service.
pub fn dns_names(i: &Install<'_>) -> Vec<String> {
    let (n, ns) = (&i.values.name, i.namespace);
    vec![
        format!("{n}.{ns}.svc"),
        format!("{n}.{ns}.svc.cluster.local"),
    ]
}

fn cert_manager(i: &Install<'_>) -> Vec<Value> {
    let cm = &i.values.tls.cert_manager;
    let mut out = Vec::new();
    let (issuer, kind) = if cm.issuer_name.is_empty() {
        let name = i.name("-selfsigned");
        out.push(dynamic(
            "cert-manager.io/v1",
            "Issuer",
            i.meta(&name),
            json!({"selfSigned": {}}),
        ));
        (name, "Issuer".to_owned())
    } else {
        (cm.issuer_name.clone(), cm.issuer_kind.clone())
    };
    out.push(dynamic(
        "cert-manager.io/v1",
        "Certificate",
        i.meta(&i.values.name),
        json!({
            "secretName": i.values.tls.secret_name,
            "dnsNames": dns_names(i),
            "issuerRef": {"name": issuer, "kind": kind, "group": "cert-manager.io"},
            "privateKey": {"algorithm": "ECDSA", "size": 256, "rotationPolicy": "Always"},
            "duration": "2160h",
            "renewBefore": "720h",
        }),
    ));
    out
}

/// TLS objects (with cert-manager) and the two webhook configurations.
pub fn objects(i: &Install<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    if i.values.tls.cert_manager.enabled {
        out.extend(cert_manager(i));
    }
    out.push(to_json(&validating(i)));
    if i.values.webhook.mutating {
        out.push(to_json(&mutating(i)));
    }
    out
}
