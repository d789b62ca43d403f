//! Install manifests (`bosun-webhook manifests`, `deploy/`, the Helm chart, the Dockerfile and
//! the README's install section) checked against each other and against the code: every
//! object round-trips through its k8s-openapi type, cross-references agree (Service ↔ webhook
//! clientConfig ↔ server routes, probes ↔ probe routes, args ↔ the real CLI), RBAC grants
//! exactly what the watches and the syncer use against the fake API server, and the chart's
//! templates render (by a stub interpreter, Helm being unavailable) to the same objects.
//! Regenerate committed outputs with `UPDATE_GENERATED=1 cargo test -p webhook --test manifests`.

#[path = "deploy/chart.rs"]
mod chart;
mod common;
#[path = "deploy/helm.rs"]
mod helm;
#[path = "deploy/rbac.rs"]
mod rbac;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use k8s_openapi::api::admissionregistration::v1::{
    MutatingWebhookConfiguration, ValidatingWebhookConfiguration,
};
use k8s_openapi::api::apps::v1::Deployment;
use k8s_openapi::api::core::v1::{ConfigMap, Namespace, Service, ServiceAccount};
use k8s_openapi::api::networking::v1::NetworkPolicy;
use k8s_openapi::api::policy::v1::PodDisruptionBudget;
use k8s_openapi::api::rbac::v1::{ClusterRole, ClusterRoleBinding, Role, RoleBinding};
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use serde_json::{Value, json};
use webhook::config::{Cli, Command, ServeArgs};
use webhook::deploy::{self, Install, Values};

/// Repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace root")
        .to_path_buf()
}

pub const NS: &str = "bosun";

/// The objects for `values` in [`NS`].
pub fn render(values: &Values, with_namespace: bool) -> Vec<Value> {
    deploy::render(
        &Install {
            values,
            namespace: NS,
        },
        with_namespace,
    )
}

/// Non-default values touching every optional branch.
pub fn variants() -> Vec<(&'static str, Values)> {
    let mut everything = Values::default();
    everything.sync.enabled = true;
    everything.tls.cert_manager.enabled = false;
    everything.tls.ca_bundle = "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==".into();
    everything.service_monitor.enabled = true;
    everything.service_monitor.labels = BTreeMap::from([("release".into(), "prom".into())]);
    everything.network_policy.enabled = true;
    everything.network_policy.metrics_namespace_labels =
        BTreeMap::from([("monitoring".into(), "true".into())]);
    everything.node_selector = BTreeMap::from([("kubernetes.io/os".into(), "linux".into())]);
    everything.tolerations = serde_json::from_value(
        json!([{"key": "dedicated", "operator": "Equal", "value": "infra", "effect": "NoSchedule"}]),
    )
    .expect("tolerations");
    everything.policy = json!({"references": "error", "exemptNamespaces": ["sandbox"],
        "defaults": {"activeDeadlineSeconds": 3600, "labels": {"team": "data"}},
        "require": {"noLatestTag": true}});
    everything.image.tag = "1.2.3".into();
    everything.image_pull_secrets =
        serde_json::from_value(json!([{"name": "regcred"}])).expect("pull secrets");
    everything
        .webhook
        .exclude_namespaces
        .push("argo-system".into());
    let mut minimal = Values::default();
    minimal.pod_disruption_budget.enabled = false;
    minimal.topology_spread.enabled = false;
    minimal.webhook.mutating = false;
    minimal.webhook.exclude_namespaces.clear();
    minimal.webhook.argo_controller_username.clear();
    minimal.network_policy.enabled = true;
    minimal.tls.cert_manager.issuer_name = "corp-ca".into();
    minimal.tls.cert_manager.issuer_kind = "ClusterIssuer".into();
    minimal.replicas = 1;
    vec![
        ("defaults", Values::default()),
        ("everything", everything),
        ("minimal", minimal),
    ]
}

fn kind(o: &Value) -> &str {
    o["kind"].as_str().unwrap_or_default()
}

fn name(o: &Value) -> &str {
    o["metadata"]["name"].as_str().unwrap_or_default()
}

/// The one object of `kind` named `n`.
pub fn find<'a>(objects: &'a [Value], k: &str, n: &str) -> &'a Value {
    objects
        .iter()
        .find(|o| kind(o) == k && name(o) == n)
        .unwrap_or_else(|| panic!("no {k} {n}"))
}

fn typed<T: serde::de::DeserializeOwned>(o: &Value) -> T {
    serde_json::from_value(o.clone()).unwrap_or_else(|e| panic!("{} {}: {e}", kind(o), name(o)))
}

/// Deserializes into `T` and back; unknown fields would be dropped, missing required ones fail.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(o: &Value) {
    let back = serde_json::to_value(typed::<T>(o)).expect("serializes");
    assert_eq!(&back, o, "{} {} does not round-trip", kind(o), name(o));
}

/// Fields cert-manager and the Prometheus Operator define for what we render.
fn check_dynamic(o: &Value) {
    let allowed: &[&str] = match (o["apiVersion"].as_str().unwrap_or_default(), kind(o)) {
        ("cert-manager.io/v1", "Issuer") => &["selfSigned"],
        ("cert-manager.io/v1", "Certificate") => &[
            "secretName",
            "dnsNames",
            "issuerRef",
            "privateKey",
            "duration",
            "renewBefore",
        ],
        ("monitoring.coreos.com/v1", "ServiceMonitor") => {
            &["selector", "namespaceSelector", "endpoints"]
        }
        (v, k) => panic!("unexpected object {v} {k}"),
    };
    let spec = o["spec"].as_object().expect("spec");
    for key in spec.keys() {
        assert!(allowed.contains(&key.as_str()), "{} spec.{key}", kind(o));
    }
    let meta: k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta = typed(&o["metadata"]);
    assert_eq!(serde_json::to_value(meta).unwrap(), o["metadata"]);
}

#[test]
fn every_object_round_trips_through_its_k8s_openapi_type() {
    for (variant, values) in variants() {
        let objects = render(&values, true);
        assert!(objects.len() >= 12, "{variant}: {}", objects.len());
        for o in &objects {
            match kind(o) {
                "Namespace" => round_trip::<Namespace>(o),
                "CustomResourceDefinition" => round_trip::<CustomResourceDefinition>(o),
                "ServiceAccount" => round_trip::<ServiceAccount>(o),
                "ClusterRole" => round_trip::<ClusterRole>(o),
                "ClusterRoleBinding" => round_trip::<ClusterRoleBinding>(o),
                "Role" => round_trip::<Role>(o),
                "RoleBinding" => round_trip::<RoleBinding>(o),
                "ConfigMap" => round_trip::<ConfigMap>(o),
                "Service" => round_trip::<Service>(o),
                "Deployment" => round_trip::<Deployment>(o),
                "PodDisruptionBudget" => round_trip::<PodDisruptionBudget>(o),
                "ValidatingWebhookConfiguration" => round_trip::<ValidatingWebhookConfiguration>(o),
                "MutatingWebhookConfiguration" => round_trip::<MutatingWebhookConfiguration>(o),
                "NetworkPolicy" => round_trip::<NetworkPolicy>(o),
                _ => check_dynamic(o),
            }
        }
        // The YAML stream parses back to the same objects.
        let yaml = deploy::to_yaml(&objects);
        let docs = helm::documents(&yaml).expect("manifests YAML parses");
        assert_eq!(docs, objects, "{variant}");
    }
}

/// The Deployment's container.
fn container(objects: &[Value], values: &Values) -> k8s_openapi::api::core::v1::Container {
    let d: Deployment = typed(find(objects, "Deployment", &values.name));
    let pod = d.spec.expect("spec").template.spec.expect("pod spec");
    assert_eq!(pod.containers.len(), 1);
    pod.containers[0].clone()
}

/// The container args parsed by the real CLI.
fn serve_args(args: &[String]) -> ServeArgs {
    let cli = Cli::try_parse_from(
        std::iter::once("bosun-webhook".to_owned()).chain(args.iter().cloned()),
    )
    .unwrap_or_else(|e| panic!("container args {args:?} do not parse: {e}"));
    match cli.command {
        Command::Serve(a) => a,
        other => panic!("container runs {other:?}, not serve"),
    }
}

use clap::Parser as _;

fn port_named(c: &k8s_openapi::api::core::v1::Container, n: &str) -> i32 {
    c.ports
        .iter()
        .flatten()
        .find(|p| p.name.as_deref() == Some(n))
        .unwrap_or_else(|| panic!("no container port {n}"))
        .container_port
}

fn target_name(t: &Option<k8s_openapi::apimachinery::pkg::util::intstr::IntOrString>) -> String {
    match t {
        Some(k8s_openapi::apimachinery::pkg::util::intstr::IntOrString::String(s)) => s.clone(),
        other => panic!("expected a named port, got {other:?}"),
    }
}

async fn status_of(router: axum::Router, method: &str, path: &str) -> u16 {
    use tower::ServiceExt as _;
    let req = http::Request::builder()
        .method(method)
        .uri(path)
        .header("content-type", "application/json")
        .body(axum::body::Body::from("{}"))
        .expect("request");
    router
        .oneshot(req)
        .await
        .expect("response")
        .status()
        .as_u16()
}

#[tokio::test]
async fn cross_references_agree_with_each_other_and_the_code() {
    use std::sync::Arc;
    use webhook::admission::Reviewer;
    use webhook::metrics::Metrics;
    use webhook::policy::Policy;
    let metrics = Arc::new(Metrics::default());
    let admission = webhook::server::router(
        Arc::new(Reviewer::new(Policy::default(), None)),
        metrics.admission.clone(),
        webhook::server::Limits::default(),
    );
    let probes = webhook::probes::router(metrics.clone());

    for (variant, values) in variants() {
        let objects = render(&values, true);
        let c = container(&objects, &values);
        // Everything namespaced lives in the install namespace, which the output creates
        // with the "restricted" Pod Security Standard enforced.
        let ns = find(&objects, "Namespace", NS);
        assert_eq!(
            ns["metadata"]["labels"]["pod-security.kubernetes.io/enforce"],
            "restricted"
        );
        for o in &objects {
            if let Some(ns) = o["metadata"]["namespace"].as_str() {
                assert_eq!(ns, NS, "{variant}: {} {}", kind(o), name(o));
            }
        }
        // Service ↔ Deployment.
        let svc: Service = typed(find(&objects, "Service", &values.name));
        let d: Deployment = typed(find(&objects, "Deployment", &values.name));
        let spec = d.spec.clone().expect("spec");
        let pod_labels = spec.template.metadata.clone().unwrap().labels.unwrap();
        let selector = svc.spec.clone().unwrap().selector.unwrap();
        assert!(selector.iter().all(|(k, v)| pod_labels.get(k) == Some(v)));
        assert_eq!(spec.selector.match_labels.as_ref(), Some(&selector));
        let pod = spec.template.spec.clone().unwrap();
        assert_eq!(
            pod.service_account_name.as_deref(),
            Some(values.name.as_str())
        );
        find(&objects, "ServiceAccount", &values.name);

        // The Values' ports are serve's own defaults (a bare `serve` listens where the chart
        // points the Service and the probes).
        let bare = serve_args(&["serve".into(), "--tls-cert=c".into(), "--tls-key=k".into()]);
        let defaults = Values::default();
        assert_eq!(bare.listen.port() as i32, defaults.webhook.port);
        assert_eq!(bare.probe_listen.port() as i32, defaults.webhook.probe_port);

        // Container args ↔ the real CLI ↔ container ports and mounts.
        let args = serve_args(c.args.as_deref().unwrap());
        assert_eq!(args.listen.port() as i32, port_named(&c, "webhook"));
        assert_eq!(args.probe_listen.port() as i32, port_named(&c, "probes"));
        assert_eq!(args.sync, values.sync.enabled);
        let mounts: BTreeMap<String, String> = c
            .volume_mounts
            .iter()
            .flatten()
            .map(|m| (m.name.clone(), m.mount_path.clone()))
            .collect();
        assert!(
            [&args.tls_cert, &args.tls_key]
                .iter()
                .all(|p| p.as_ref().is_some_and(|p| p.starts_with(&mounts["tls"])))
        );
        let config = args.config.clone().expect("--config");
        assert!(config.starts_with(&mounts["policy"]));
        let volumes = pod.volumes.clone().unwrap();
        let tls_secret = volumes
            .iter()
            .find(|v| v.name == "tls")
            .and_then(|v| v.secret.as_ref())
            .and_then(|s| s.secret_name.clone())
            .unwrap();
        assert_eq!(tls_secret, values.tls.secret_name);
        let cm_name = volumes
            .iter()
            .find(|v| v.name == "policy")
            .and_then(|v| v.config_map.as_ref())
            .map(|c| c.name.clone())
            .unwrap();
        let cm: ConfigMap = typed(find(&objects, "ConfigMap", &cm_name));
        let key = config.file_name().unwrap().to_string_lossy().into_owned();
        let policy_text = &cm.data.unwrap()[&key];
        let policy = Policy::parse(policy_text).expect("the ConfigMap's policy parses");
        assert_eq!(
            policy.references == webhook::policy::Level::Error,
            values.policy["references"] == "error"
        );

        // Probes ↔ probe port ↔ probes.rs routes.
        for (probe, path) in [
            (&c.liveness_probe, "/livez"),
            (&c.readiness_probe, "/readyz"),
        ] {
            let get = probe.as_ref().unwrap().http_get.as_ref().unwrap();
            assert_eq!(get.path.as_deref(), Some(path));
            assert_eq!(target_name(&Some(get.port.clone())), "probes");
            assert_eq!(status_of(probes.clone(), "GET", path).await, 200, "{path}");
        }

        // Service ports ↔ container ports; metrics port serves /metrics.
        let ports = svc.spec.unwrap().ports.unwrap();
        let by_name: BTreeMap<String, _> = ports
            .iter()
            .map(|p| (p.name.clone().unwrap(), p.clone()))
            .collect();
        assert_eq!(target_name(&by_name["webhook"].target_port), "webhook");
        assert_eq!(target_name(&by_name["metrics"].target_port), "probes");
        assert_eq!(status_of(probes.clone(), "GET", "/metrics").await, 200);

        // Webhook clientConfig ↔ Service ↔ server routes; rules, exclusions, timeouts.
        let mut entries = Vec::new();
        let vwc: ValidatingWebhookConfiguration = typed(find(
            &objects,
            "ValidatingWebhookConfiguration",
            &values.name,
        ));
        for w in vwc.webhooks.clone().unwrap() {
            entries.push((w.name.clone(), json!(w), "/validate"));
        }
        let mwc = objects
            .iter()
            .find(|o| kind(o) == "MutatingWebhookConfiguration")
            .map(typed::<MutatingWebhookConfiguration>);
        assert_eq!(mwc.is_some(), values.webhook.mutating);
        for w in mwc.iter().flat_map(|m| m.webhooks.clone().unwrap()) {
            entries.push((w.name.clone(), json!(w), "/mutate"));
        }
        for (wname, w, path) in &entries {
            let svc_ref = &w["clientConfig"]["service"];
            assert_eq!(svc_ref["name"], values.name.as_str(), "{wname}");
            assert_eq!(svc_ref["namespace"], NS);
            assert_eq!(svc_ref["path"], *path);
            let port = svc_ref["port"].as_i64().unwrap() as i32;
            let sp = ports.iter().find(|p| p.port == port).expect("service port");
            assert_eq!(target_name(&sp.target_port), "webhook");
            assert_ne!(
                status_of(admission.clone(), "POST", path).await,
                404,
                "{path}"
            );
            assert_eq!(w["sideEffects"], "None");
            assert_eq!(w["timeoutSeconds"], 3);
            assert_eq!(w["admissionReviewVersions"], json!(["v1"]));
            let excluded = &w["namespaceSelector"]["matchExpressions"][0];
            assert_eq!(excluded["key"], "kubernetes.io/metadata.name");
            assert_eq!(excluded["operator"], "NotIn");
            let excluded: Vec<&str> = excluded["values"]
                .as_array()
                .unwrap()
                .iter()
                .filter_map(Value::as_str)
                .collect();
            assert!(excluded.contains(&NS));
            assert_eq!(excluded.contains(&"kube-system"), variant != "minimal");
            let conditions = w["matchConditions"].as_array().cloned().unwrap_or_default();
            if values.webhook.argo_controller_username.is_empty() {
                assert!(conditions.is_empty());
            } else {
                let expr = conditions[0]["expression"].as_str().unwrap();
                assert!(
                    expr.contains("!= 'system:serviceaccount:argo:argo'"),
                    "{expr}"
                );
            }
            let ca = w["clientConfig"].get("caBundle");
            assert_eq!(ca.is_some(), !values.tls.cert_manager.enabled, "{wname}");
            // Bosun's own bound answers before the API server gives up.
            assert!(args.request_timeout_ms < w["timeoutSeconds"].as_u64().unwrap() * 1000);
        }
        let ops = |wname: &str| -> Vec<(String, Vec<String>)> {
            let (_, w, _) = entries.iter().find(|(n, _, _)| n == wname).unwrap();
            w["rules"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|r| {
                    let o: Vec<String> = serde_json::from_value(r["operations"].clone()).unwrap();
                    let res: Vec<String> = serde_json::from_value(r["resources"].clone()).unwrap();
                    res.into_iter().map(move |x| (x, o.clone()))
                })
                .collect()
        };
        let create = vec!["CREATE".to_owned()];
        let both = vec!["CREATE".to_owned(), "UPDATE".to_owned()];
        assert_eq!(
            ops("workflows.validate.bosun.dev"),
            [("workflows".into(), create.clone())]
        );
        assert_eq!(
            ops("templates.validate.bosun.dev"),
            [
                ("workflowtemplates".into(), both.clone()),
                ("clusterworkflowtemplates".into(), both.clone()),
                ("cronworkflows".into(), both.clone())
            ]
        );
        if values.webhook.mutating {
            assert_eq!(
                ops("mutate.bosun.dev"),
                [("workflows".into(), create), ("cronworkflows".into(), both)]
            );
        }

        // CA injection ↔ Certificate; Certificate ↔ Service DNS name and TLS Secret.
        let cert = objects.iter().find(|o| kind(o) == "Certificate");
        assert_eq!(cert.is_some(), values.tls.cert_manager.enabled);
        let injected = vwc
            .metadata
            .annotations
            .as_ref()
            .and_then(|a| a.get("cert-manager.io/inject-ca-from"));
        if let Some(cert) = cert {
            let want = format!(
                "{}/{}",
                cert["metadata"]["namespace"].as_str().unwrap(),
                name(cert)
            );
            assert_eq!(injected, Some(&want));
            if let Some(m) = &mwc {
                assert_eq!(
                    m.metadata.annotations.as_ref().unwrap()["cert-manager.io/inject-ca-from"],
                    want
                );
            }
            assert_eq!(cert["spec"]["secretName"], values.tls.secret_name.as_str());
            let dns = format!("{}.{NS}.svc", values.name);
            assert!(
                cert["spec"]["dnsNames"]
                    .as_array()
                    .unwrap()
                    .contains(&json!(dns))
            );
            let issuer = &cert["spec"]["issuerRef"];
            if values.tls.cert_manager.issuer_name.is_empty() {
                find(&objects, "Issuer", issuer["name"].as_str().unwrap());
            } else {
                assert_eq!(issuer["kind"], "ClusterIssuer");
            }
        } else {
            assert!(injected.is_none());
        }

        // Hardening.
        let sc = c.security_context.clone().unwrap();
        assert_eq!(sc.read_only_root_filesystem, Some(true));
        assert_eq!(sc.allow_privilege_escalation, Some(false));
        assert_eq!(sc.capabilities.unwrap().drop, Some(vec!["ALL".to_owned()]));
        let psc = pod.security_context.clone().unwrap();
        assert_eq!(
            (psc.run_as_non_root, psc.run_as_user),
            (Some(true), Some(65532))
        );
        assert_eq!(psc.seccomp_profile.unwrap().type_, "RuntimeDefault");
        let res = c.resources.clone().unwrap();
        assert!(res.requests.is_some() && res.limits.is_some());
        assert_eq!(spec.replicas, Some(values.replicas));
        let pdb = objects.iter().find(|o| kind(o) == "PodDisruptionBudget");
        assert_eq!(pdb.is_some(), values.pod_disruption_budget.enabled);
        if let Some(pdb) = pdb {
            assert_eq!(pdb["spec"]["selector"]["matchLabels"], json!(selector));
        }
        assert_eq!(
            pod.topology_spread_constraints.is_some(),
            values.topology_spread.enabled
        );
        // ServiceMonitor and NetworkPolicy point at the right ports.
        if let Some(sm) = objects.iter().find(|o| kind(o) == "ServiceMonitor") {
            assert_eq!(sm["spec"]["endpoints"][0]["port"], "metrics");
            assert_eq!(sm["spec"]["endpoints"][0]["path"], "/metrics");
            assert_eq!(sm["spec"]["selector"]["matchLabels"], json!(selector));
            assert_eq!(sm["metadata"]["labels"]["release"], "prom");
        }
        if let Some(np) = objects.iter().find(|o| kind(o) == "NetworkPolicy") {
            let ports: Vec<i64> = np["spec"]["ingress"]
                .as_array()
                .unwrap()
                .iter()
                .map(|r| r["ports"][0]["port"].as_i64().unwrap())
                .collect();
            assert_eq!(
                ports,
                [
                    i64::from(port_named(&c, "webhook")),
                    i64::from(port_named(&c, "probes"))
                ]
            );
        }
    }
}

#[test]
fn the_dockerfile_builds_what_the_manifests_run() {
    let dockerfile = std::fs::read_to_string(root().join("Dockerfile")).expect("Dockerfile");
    let entry = format!("ENTRYPOINT [\"{}\"]", deploy::ENTRYPOINT);
    assert!(dockerfile.lines().any(|l| l.trim() == entry), "{entry}");
    for bin in ["bosun", "bosun-webhook"] {
        assert!(
            dockerfile.contains(&format!("/usr/local/bin/{bin}")),
            "the image must contain {bin}"
        );
    }
    assert!(dockerfile.lines().any(|l| l.trim() == "USER 65532:65532"));
    let runtime = dockerfile
        .lines()
        .rfind(|l| l.starts_with("FROM "))
        .unwrap();
    assert!(
        runtime.contains("distroless") && runtime.contains("nonroot"),
        "{runtime}"
    );
    let dockerignore =
        std::fs::read_to_string(root().join(".dockerignore")).expect(".dockerignore");
    assert!(dockerignore.lines().any(|l| l.trim() == "target"));
}

/// `deploy/install.yaml` is the default `bosun-webhook manifests` output.
#[test]
fn deploy_directory_is_fresh() {
    let want = deploy::to_yaml(&render(&Values::default(), true));
    let path = root().join("deploy/install.yaml");
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &want).expect("write");
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "deploy/install.yaml is stale: run `UPDATE_GENERATED=1 cargo test -p webhook --test manifests`"
    );
    let k: Value = serde_saphyr::from_str(
        &std::fs::read_to_string(root().join("deploy/kustomization.yaml")).expect("kustomization"),
    )
    .expect("kustomization parses");
    assert_eq!(k["kind"], "Kustomization");
    assert_eq!(k["resources"], json!(["install.yaml"]));
}

/// `kubectl kustomize deploy/` (when kubectl is installed) yields the same objects.
#[test]
fn kubectl_kustomize_builds_the_deploy_directory() {
    let out = match std::process::Command::new("kubectl")
        .args(["kustomize", &root().join("deploy").to_string_lossy()])
        .output()
    {
        Ok(out) => out,
        Err(_) => {
            eprintln!("skipping: kubectl not found");
            return;
        }
    };
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let built = helm::documents(&String::from_utf8(out.stdout).unwrap()).unwrap();
    let mut want = render(&Values::default(), true);
    let sort = |v: &mut Vec<Value>| v.sort_by_key(|o| (kind(o).to_owned(), name(o).to_owned()));
    let mut built = built;
    sort(&mut built);
    sort(&mut want);
    assert_eq!(built, want);
}

#[test]
fn the_cli_prints_the_install_and_rejects_bad_flags() {
    let bin = env!("CARGO_BIN_EXE_bosun-webhook");
    let run = |args: &[&str]| {
        std::process::Command::new(bin)
            .args(args)
            .output()
            .expect("runs")
    };
    let out = run(&["manifests"]);
    assert!(out.status.success());
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout, deploy::to_yaml(&render(&Values::default(), true)));

    let dir = tempfile::tempdir().unwrap();
    let ca = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    std::fs::write(dir.path().join("ca.crt"), ca).unwrap();
    let policy = dir.path().join("policy.yaml");
    std::fs::write(&policy, "references: error\n").unwrap();
    let out = run(&[
        "manifests",
        "--namespace",
        "ops",
        "--image",
        "registry.example/bosun:2.0",
        "--replicas",
        "3",
        "--failure-policy",
        "Ignore",
        "--sync",
        "--self-signed-ca",
        dir.path().to_str().unwrap(),
        "--policy",
        policy.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let objects = helm::documents(&String::from_utf8(out.stdout).unwrap()).unwrap();
    let d = find(&objects, "Deployment", "bosun-webhook");
    assert_eq!(d["metadata"]["namespace"], "ops");
    assert_eq!(d["spec"]["replicas"], 3);
    assert_eq!(
        d["spec"]["template"]["spec"]["containers"][0]["image"],
        "registry.example/bosun:2.0"
    );
    let vwc = find(&objects, "ValidatingWebhookConfiguration", "bosun-webhook");
    assert_eq!(vwc["webhooks"][1]["failurePolicy"], "Ignore");
    let bundle: k8s_openapi::ByteString =
        serde_json::from_value(vwc["webhooks"][0]["clientConfig"]["caBundle"].clone()).unwrap();
    assert_eq!(bundle.0, ca.as_bytes());
    assert!(objects.iter().all(|o| kind(o) != "Certificate"));
    find(&objects, "ClusterRole", "bosun-webhook-sync");
    let cm = find(&objects, "ConfigMap", "bosun-webhook-policy");
    assert!(
        cm["data"]["policy.yaml"]
            .as_str()
            .unwrap()
            .contains("references: error")
    );

    // A values file (the chart's format): the chart's own values.yaml gives the defaults; a
    // partial file overrides only what it names; unknown keys are errors.
    let chart_values = root().join("chart/values.yaml");
    let out = run(&["manifests", "--values", chart_values.to_str().unwrap()]);
    assert_eq!(String::from_utf8(out.stdout).unwrap(), stdout);
    let partial = dir.path().join("values.yaml");
    std::fs::write(
        &partial,
        "sync:\n  enabled: true\nwebhook:\n  timeoutSeconds: 5\n",
    )
    .unwrap();
    let out = run(&["manifests", "--values", partial.to_str().unwrap()]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let objects = helm::documents(&String::from_utf8(out.stdout).unwrap()).unwrap();
    find(&objects, "ClusterRole", "bosun-webhook-sync");
    let vwc = find(&objects, "ValidatingWebhookConfiguration", "bosun-webhook");
    assert_eq!(vwc["webhooks"][0]["timeoutSeconds"], 5);
    assert_eq!(vwc["webhooks"][0]["failurePolicy"], "Ignore");
    std::fs::write(&partial, "replica: 3\n").unwrap();
    let out = run(&["manifests", "--values", partial.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("replica"));

    // Environment twins work like the flags.
    let out = std::process::Command::new(bin)
        .arg("manifests")
        .env("BOSUN_MANIFESTS_SYNC", "true")
        .env("BOSUN_MANIFESTS_NAMESPACE", "ops")
        .output()
        .expect("runs");
    assert!(out.status.success());
    let objects = helm::documents(&String::from_utf8(out.stdout).unwrap()).unwrap();
    find(&objects, "ClusterRole", "bosun-webhook-sync");
    find(&objects, "Namespace", "ops");

    for bad in [
        &["manifests", "--namespace", "Not_A_Name"][..],
        &["manifests", "--timeout-seconds", "40"],
        &["manifests", "--self-signed-ca", "/nonexistent"],
        &["manifests", "--cert-manager", "--self-signed-ca", "/tmp"],
        &["manifests", "--failure-policy", "Maybe"],
    ] {
        let out = run(bad);
        assert_eq!(out.status.code(), Some(2), "{bad:?}");
        assert!(out.stdout.is_empty(), "{bad:?}");
    }
    let bad_policy = dir.path().join("bad.yaml");
    std::fs::write(&bad_policy, "severity: {NOPE1: off}\n").unwrap();
    let out = run(&["manifests", "--policy", bad_policy.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("NOPE1"));
}

/// Names, ports and namespaces in the README's "Install in a cluster" section exist in the
/// rendered manifests, and its commands use real subcommands and flags.
#[test]
fn the_readme_install_section_matches_the_manifests() {
    let readme = std::fs::read_to_string(root().join("README.md")).expect("README");
    let section = readme
        .split("\n## ")
        .find(|s| s.starts_with("Install in a cluster"))
        .expect("README has an `Install in a cluster` section");
    let mut values = Values::default();
    values.sync.enabled = true;
    let objects = render(&values, true);
    // `kind/name` mentions (e.g. deployment/bosun-webhook) name rendered objects.
    let mut checked = 0;
    for word in
        section.split(|c: char| c.is_whitespace() || c == '`' || c == '(' || c == ')' || c == ',')
    {
        let Some((k, n)) = word.split_once('/') else {
            continue;
        };
        let k = match k {
            "deployment" => "Deployment",
            "service" | "svc" => "Service",
            "secret" => "Secret",
            "validatingwebhookconfiguration" => "ValidatingWebhookConfiguration",
            "mutatingwebhookconfiguration" => "MutatingWebhookConfiguration",
            "certificate" => "Certificate",
            "lease" => "Lease",
            _ => continue,
        };
        let n = n.trim_end_matches(['.', ':', ';']);
        match k {
            "Secret" => assert_eq!(n, values.tls.secret_name),
            "Lease" => assert_eq!(n, deploy::rbac::LEASE_NAME),
            _ => {
                find(&objects, k, n);
            }
        }
        checked += 1;
    }
    assert!(
        checked >= 3,
        "the section names too few objects ({checked})"
    );
    // `-n NS` / `--namespace NS` use the default namespace.
    let words: Vec<&str> = section.split_whitespace().collect();
    for pair in words.windows(2) {
        if pair[0] == "-n" || pair[0] == "--namespace" {
            assert_eq!(pair[1], NS, "README uses namespace {}", pair[1]);
        }
    }
    // Ports mentioned as `:NNNN` are the webhook's.
    for port in section
        .match_indices(":8")
        .map(|(i, _)| &section[i + 1..i + 5])
    {
        assert!(
            [
                values.webhook.port.to_string(),
                values.webhook.probe_port.to_string()
            ]
            .contains(&port.to_owned()),
            "README mentions port {port}"
        );
    }
    // Every `bosun-webhook manifests ...` command line parses with the real CLI.
    for line in section.lines() {
        let Some(at) = line.find("bosun-webhook manifests") else {
            continue;
        };
        let cmd = line[at..].split(['|', '>', '`']).next().unwrap().trim();
        let argv: Vec<&str> = cmd.split_whitespace().collect();
        Cli::try_parse_from(&argv).unwrap_or_else(|e| panic!("README: `{cmd}`: {e}"));
    }
    assert!(section.contains("kubectl apply -k deploy/"));
    assert!(section.contains("helm install"));
}
