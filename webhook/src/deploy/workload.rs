//! The webhook's workload: ServiceAccount, RBAC ([`super::rbac`]), the policy ConfigMap, the
//! Service, the hardened Deployment and its PodDisruptionBudget.

use std::collections::BTreeMap;

use k8s_openapi::api::apps::v1::{
    Deployment, DeploymentSpec, DeploymentStrategy, RollingUpdateDeployment,
};
use k8s_openapi::api::core::v1::{
    Capabilities, ConfigMap, ConfigMapVolumeSource, Container, ContainerPort, EnvVar, EnvVarSource,
    HTTPGetAction, ObjectFieldSelector, PodSecurityContext, PodSpec, PodTemplateSpec, Probe,
    ResourceRequirements, SeccompProfile, SecretVolumeSource, SecurityContext, Service,
    ServiceAccount, ServicePort, ServiceSpec, TopologySpreadConstraint, Volume, VolumeMount,
};
use k8s_openapi::api::policy::v1::{PodDisruptionBudget, PodDisruptionBudgetSpec};
use k8s_openapi::api::rbac::v1::{
    ClusterRole, ClusterRoleBinding, Role, RoleBinding, RoleRef, Subject,
};
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::Value;

use super::rbac::{Feature, Scope, rules};
use super::values::LogFormat;
use super::{
    Install, LIVENESS_PATH, POLICY_DIR, POLICY_KEY, READINESS_PATH, SERVICE_PORT, TLS_DIR, json,
};

/// The non-root user of the distroless image (`nonroot`).
pub const RUN_AS_USER: i64 = 65532;
/// Container port names (the Service and the probes refer to them).
pub const WEBHOOK_PORT_NAME: &str = "webhook";
pub const PROBE_PORT_NAME: &str = "probes";
/// Service port name of `/metrics`.
pub const METRICS_PORT_NAME: &str = "metrics";

fn subject(i: &Install<'_>) -> Vec<Subject> {
    vec![Subject {
        kind: "ServiceAccount".into(),
        name: i.values.name.clone(),
        namespace: Some(i.namespace.to_owned()),
        api_group: None,
    }]
}

fn role_ref(kind: &str, name: &str) -> RoleRef {
    RoleRef {
        api_group: "rbac.authorization.k8s.io".into(),
        kind: kind.into(),
        name: name.into(),
    }
}

fn rbac(i: &Install<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    let mut features = vec![(Feature::Admission, i.name(""))];
    if i.values.sync.enabled {
        features.push((Feature::Sync, i.name("-sync")));
    }
    for (feature, name) in features {
        out.push(json(&ClusterRole {
            metadata: i.cluster_meta(&name),
            rules: Some(rules(feature, Scope::Cluster)),
            aggregation_rule: None,
        }));
        out.push(json(&ClusterRoleBinding {
            metadata: i.cluster_meta(&name),
            role_ref: role_ref("ClusterRole", &name),
            subjects: Some(subject(i)),
        }));
    }
    if i.values.sync.enabled {
        let name = i.name("-leader-election");
        out.push(json(&Role {
            metadata: i.meta(&name),
            rules: Some(rules(Feature::Sync, Scope::OwnNamespace)),
        }));
        out.push(json(&RoleBinding {
            metadata: i.meta(&name),
            role_ref: role_ref("Role", &name),
            subjects: Some(subject(i)),
        }));
    }
    out
}

fn quantities(m: &BTreeMap<String, String>) -> Option<BTreeMap<String, Quantity>> {
    (!m.is_empty()).then(|| {
        m.iter()
            .map(|(k, v)| (k.clone(), Quantity(v.clone())))
            .collect()
    })
}

fn field_env(name: &str, path: &str) -> EnvVar {
    EnvVar {
        name: name.into(),
        value_from: Some(EnvVarSource {
            field_ref: Some(ObjectFieldSelector {
                field_path: path.into(),
                api_version: None,
            }),
            ..EnvVarSource::default()
        }),
        value: None,
    }
}

fn probe(path: &str, period: i32, failures: i32) -> Probe {
    Probe {
        http_get: Some(HTTPGetAction {
            path: Some(path.into()),
            port: IntOrString::String(PROBE_PORT_NAME.into()),
            ..HTTPGetAction::default()
        }),
        period_seconds: Some(period),
        failure_threshold: Some(failures),
        ..Probe::default()
    }
}

/// The container's arguments (`bosun-webhook` is the image's entrypoint).
pub fn args(i: &Install<'_>) -> Vec<String> {
    let v = i.values;
    let format = match v.log.format {
        LogFormat::Json => "json",
        LogFormat::Text => "text",
    };
    vec![
        "serve".into(),
        format!("--listen=0.0.0.0:{}", v.webhook.port),
        format!("--probe-listen=0.0.0.0:{}", v.webhook.probe_port),
        format!("--tls-cert={TLS_DIR}/tls.crt"),
        format!("--tls-key={TLS_DIR}/tls.key"),
        format!("--config={POLICY_DIR}/{POLICY_KEY}"),
        format!("--request-timeout-ms={}", v.webhook.request_timeout_ms),
        format!("--sync={}", v.sync.enabled),
        format!("--log-format={format}"),
        format!("--log={}", v.log.level),
    ]
}

fn container(i: &Install<'_>) -> Container {
    let v = i.values;
    Container {
        name: "webhook".into(),
        image: Some(v.image_ref()),
        image_pull_policy: Some(v.image.pull_policy.clone()),
        args: Some(args(i)),
        env: Some(vec![
            field_env("POD_NAME", "metadata.name"),
            field_env("POD_NAMESPACE", "metadata.namespace"),
        ]),
        ports: Some(vec![
            ContainerPort {
                name: Some(WEBHOOK_PORT_NAME.into()),
                container_port: v.webhook.port,
                protocol: Some("TCP".into()),
                ..ContainerPort::default()
            },
            ContainerPort {
                name: Some(PROBE_PORT_NAME.into()),
                container_port: v.webhook.probe_port,
                protocol: Some("TCP".into()),
                ..ContainerPort::default()
            },
        ]),
        liveness_probe: Some(probe(LIVENESS_PATH, 10, 3)),
        readiness_probe: Some(probe(READINESS_PATH, 5, 2)),
        resources: Some(ResourceRequirements {
            requests: quantities(&v.resources.requests),
            limits: quantities(&v.resources.limits),
            ..ResourceRequirements::default()
        }),
        security_context: Some(SecurityContext {
            allow_privilege_escalation: Some(false),
            read_only_root_filesystem: Some(true),
            run_as_non_root: Some(true),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".into()]),
                add: None,
            }),
            ..SecurityContext::default()
        }),
        volume_mounts: Some(vec![
            VolumeMount {
                name: "tls".into(),
                mount_path: TLS_DIR.into(),
                read_only: Some(true),
                ..VolumeMount::default()
            },
            VolumeMount {
                name: "policy".into(),
                mount_path: POLICY_DIR.into(),
                read_only: Some(true),
                ..VolumeMount::default()
            },
        ]),
        ..Container::default()
    }
}

fn deployment(i: &Install<'_>) -> Deployment {
    let v = i.values;
    let selector = LabelSelector {
        match_labels: Some(i.selector()),
        match_expressions: None,
    };
    let spread = v.topology_spread.enabled.then(|| {
        vec![TopologySpreadConstraint {
            max_skew: v.topology_spread.max_skew,
            topology_key: v.topology_spread.topology_key.clone(),
            when_unsatisfiable: v.topology_spread.when_unsatisfiable.clone(),
            label_selector: Some(selector.clone()),
            ..TopologySpreadConstraint::default()
        }]
    });
    let pod = PodSpec {
        service_account_name: Some(v.name.clone()),
        security_context: Some(PodSecurityContext {
            run_as_non_root: Some(true),
            run_as_user: Some(RUN_AS_USER),
            run_as_group: Some(RUN_AS_USER),
            seccomp_profile: Some(SeccompProfile {
                type_: "RuntimeDefault".into(),
                localhost_profile: None,
            }),
            ..PodSecurityContext::default()
        }),
        containers: vec![container(i)],
        volumes: Some(vec![
            Volume {
                name: "tls".into(),
                secret: Some(SecretVolumeSource {
                    secret_name: Some(v.tls.secret_name.clone()),
                    ..SecretVolumeSource::default()
                }),
                ..Volume::default()
            },
            Volume {
                name: "policy".into(),
                config_map: Some(ConfigMapVolumeSource {
                    name: i.name("-policy"),
                    ..ConfigMapVolumeSource::default()
                }),
                ..Volume::default()
            },
        ]),
        topology_spread_constraints: spread,
        node_selector: (!v.node_selector.is_empty()).then(|| v.node_selector.clone()),
        tolerations: (!v.tolerations.is_empty()).then(|| v.tolerations.clone()),
        image_pull_secrets: (!v.image_pull_secrets.is_empty())
            .then(|| v.image_pull_secrets.clone()),
        // Longer than `serve`'s default 20 s drain of in-flight reviews.
        termination_grace_period_seconds: Some(30),
        ..PodSpec::default()
    };
    Deployment {
        metadata: i.meta(&v.name),
        spec: Some(DeploymentSpec {
            replicas: Some(v.replicas),
            selector,
            strategy: Some(DeploymentStrategy {
                type_: Some("RollingUpdate".into()),
                rolling_update: Some(RollingUpdateDeployment {
                    max_unavailable: Some(IntOrString::Int(0)),
                    max_surge: Some(IntOrString::Int(1)),
                }),
            }),
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(i.labels()),
                    ..ObjectMeta::default()
                }),
                spec: Some(pod),
            },
            ..DeploymentSpec::default()
        }),
        status: None,
    }
}

fn service(i: &Install<'_>) -> Service {
    let port = |name: &str, port: i32, target: &str| ServicePort {
        name: Some(name.into()),
        port,
        target_port: Some(IntOrString::String(target.into())),
        protocol: Some("TCP".into()),
        ..ServicePort::default()
    };
    Service {
        metadata: i.meta(&i.values.name),
        spec: Some(ServiceSpec {
            selector: Some(i.selector()),
            ports: Some(vec![
                port(WEBHOOK_PORT_NAME, SERVICE_PORT, WEBHOOK_PORT_NAME),
                port(
                    METRICS_PORT_NAME,
                    i.values.webhook.probe_port,
                    PROBE_PORT_NAME,
                ),
            ]),
            ..ServiceSpec::default()
        }),
        status: None,
    }
}

fn policy_yaml(policy: &Value) -> String {
    serde_saphyr::to_string(policy).unwrap_or_else(|_| "{}\n".into())
}

/// ServiceAccount, RBAC, ConfigMap, Service, Deployment, PodDisruptionBudget.
pub fn objects(i: &Install<'_>) -> Vec<Value> {
    let mut out = vec![json(&ServiceAccount {
        metadata: i.meta(&i.values.name),
        ..ServiceAccount::default()
    })];
    out.extend(rbac(i));
    out.push(json(&ConfigMap {
        metadata: i.meta(&i.name("-policy")),
        data: Some(BTreeMap::from([(
            POLICY_KEY.to_owned(),
            policy_yaml(&i.values.policy),
        )])),
        ..ConfigMap::default()
    }));
    out.push(json(&service(i)));
    out.push(json(&deployment(i)));
    if i.values.pod_disruption_budget.enabled {
        out.push(json(&PodDisruptionBudget {
            metadata: i.meta(&i.values.name),
            spec: Some(PodDisruptionBudgetSpec {
                min_available: Some(IntOrString::Int(
                    i.values.pod_disruption_budget.min_available,
                )),
                selector: Some(LabelSelector {
                    match_labels: Some(i.selector()),
                    match_expressions: None,
                }),
                ..PodDisruptionBudgetSpec::default()
            }),
            status: None,
        }));
    }
    out
}
