//! Optional objects: a NetworkPolicy (ingress to the webhook port from anywhere, since API
//! servers often reach pods from the host network; to the metrics port from selected
//! namespaces) and a Prometheus Operator ServiceMonitor (a dynamic object: its CRD is not part
//! of k8s-openapi).

use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyIngressRule, NetworkPolicyPeer, NetworkPolicyPort,
    NetworkPolicySpec,
};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::LabelSelector;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use serde_json::{Value, json};

use super::workload::METRICS_PORT_NAME;
use super::{Install, METRICS_PATH, dynamic, json as to_json};

fn port(p: i32) -> Option<Vec<NetworkPolicyPort>> {
    Some(vec![NetworkPolicyPort {
        port: Some(IntOrString::Int(p)),
        protocol: Some("TCP".into()),
        end_port: None,
    }])
}

fn network_policy(i: &Install<'_>) -> NetworkPolicy {
    let v = i.values;
    let labels = &v.network_policy.metrics_namespace_labels;
    NetworkPolicy {
        metadata: i.meta(&v.name),
        spec: Some(NetworkPolicySpec {
            pod_selector: Some(LabelSelector {
                match_labels: Some(i.selector()),
                match_expressions: None,
            }),
            policy_types: Some(vec!["Ingress".into()]),
            ingress: Some(vec![
                NetworkPolicyIngressRule {
                    ports: port(v.webhook.port),
                    from: None,
                },
                NetworkPolicyIngressRule {
                    ports: port(v.webhook.probe_port),
                    from: Some(vec![NetworkPolicyPeer {
                        // Empty: every namespace.
                        namespace_selector: Some(LabelSelector {
                            match_labels: (!labels.is_empty()).then(|| labels.clone()),
                            match_expressions: None,
                        }),
                        ..NetworkPolicyPeer::default()
                    }]),
                },
            ]),
            egress: None,
        }),
    }
}

fn service_monitor(i: &Install<'_>) -> Value {
    let v = i.values;
    let mut meta = i.meta(&v.name);
    meta.labels
        .get_or_insert_default()
        .extend(v.service_monitor.labels.clone());
    dynamic(
        "monitoring.coreos.com/v1",
        "ServiceMonitor",
        meta,
        json!({
            "selector": {"matchLabels": i.selector()},
            "namespaceSelector": {"matchNames": [i.namespace]},
            "endpoints": [{
                "port": METRICS_PORT_NAME,
                "path": METRICS_PATH,
                "interval": v.service_monitor.interval,
            }],
        }),
    )
}

/// The optional objects the values enable.
pub fn objects(i: &Install<'_>) -> Vec<Value> {
    let mut out = Vec::new();
    if i.values.network_policy.enabled {
        out.push(to_json(&network_policy(i)));
    }
    if i.values.service_monitor.enabled {
        out.push(service_monitor(i));
    }
    out
}
