//! The webhook's own checks, beside the compiler's: references to Secrets, ConfigMaps and
//! ServiceAccounts that do not exist in the namespace (`BW001`–`BW003`, from the metadata cache;
//! a Secret a SecretSync/Plan will produce counts as present), and the policy's opt-in rules
//! (`BP001` activeDeadlineSeconds, `BP002` retryStrategy, `BP003` `:latest` images, `BP004`
//! resource requests). Both walk the object's JSON; templated names (`{{...}}`) and
//! `optional: true` references are skipped.

use compiler::diagnostics::Severity;
use serde_json::Value;

use super::render::Finding;
use crate::cluster::{Cluster, Source};
use crate::policy::{Level, Require};

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn name_of(v: &Value) -> Option<&str> {
    v.get("name")?.as_str()
}

fn optional(v: &Value) -> bool {
    v.get("optional").and_then(Value::as_bool) == Some(true)
}

/// Every (kind, name, pointer) the object references.
pub fn references(v: &Value) -> Vec<(Source, String, String)> {
    let mut out = Vec::new();
    walk(v, String::new(), &mut out);
    out.retain(|(_, name, _)| !name.is_empty() && !name.contains("{{"));
    out
}

fn walk(v: &Value, at: String, out: &mut Vec<(Source, String, String)>) {
    match v {
        Value::Object(m) => {
            for (k, child) in m {
                let here = format!("{at}/{}", escape(k));
                let named = |s: Source, out: &mut Vec<_>| {
                    if let Some(n) = name_of(child).filter(|_| !optional(child)) {
                        out.push((s, n.to_owned(), here.clone()));
                    }
                };
                match k.as_str() {
                    "secretRef" | "secretKeyRef" => named(Source::Secrets, out),
                    "configMapRef" | "configMapKeyRef" | "configMap" => {
                        named(Source::ConfigMaps, out)
                    }
                    "secret" => {
                        if let Some(n) = child.get("secretName").and_then(Value::as_str)
                            && !optional(child)
                        {
                            out.push((Source::Secrets, n.to_owned(), here.clone()));
                        }
                    }
                    "imagePullSecrets" => {
                        for (i, s) in child.as_array().into_iter().flatten().enumerate() {
                            if let Some(n) = name_of(s) {
                                out.push((Source::Secrets, n.to_owned(), format!("{here}/{i}")));
                            }
                        }
                        continue;
                    }
                    "serviceAccountName" => {
                        if let Some(n) = child.as_str() {
                            out.push((Source::ServiceAccounts, n.to_owned(), here.clone()));
                        }
                    }
                    _ => {}
                }
                walk(child, here, out);
            }
        }
        Value::Array(a) => {
            for (i, child) in a.iter().enumerate() {
                walk(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// `BW001`–`BW003` for references missing from `namespace`.
pub fn missing_references(
    object: &Value,
    namespace: &str,
    cluster: &Cluster,
    level: Level,
) -> Vec<Finding> {
    let severity = match level {
        Level::Off => return Vec::new(),
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::Info => Severity::Info,
    };
    let Some(spec) = object.get("spec") else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (source, name, pointer) in references(spec) {
        if cluster.has(source, namespace, &name) {
            continue;
        }
        if source == Source::Secrets && cluster.synced_secret_source(namespace, &name).is_some() {
            continue;
        }
        let code = match source {
            Source::Secrets => "BW001",
            Source::ConfigMaps => "BW002",
            _ => "BW003",
        };
        out.push(Finding {
            code: code.into(),
            severity,
            pointer: format!("/spec{pointer}"),
            message: format!(
                "{} `{name}` not found in namespace `{namespace}`",
                source.label()
            ),
            help: Some(format!(
                "create the {} or fix the name; pods would fail to start",
                source.label()
            )),
        });
    }
    out
}

fn error(code: &str, pointer: String, message: &str, help: &str) -> Finding {
    Finding {
        code: code.into(),
        severity: Severity::Error,
        pointer,
        message: message.into(),
        help: Some(help.into()),
    }
}

fn containers<'a>(t: &'a Value, at: &str) -> Vec<(&'a Value, String)> {
    let mut out = Vec::new();
    for key in ["container", "script"] {
        if let Some(c) = t.get(key) {
            out.push((c, format!("{at}/{key}")));
        }
    }
    for key in ["initContainers", "sidecars"] {
        for (i, c) in t
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            out.push((c, format!("{at}/{key}/{i}")));
        }
    }
    let set = t.get("containerSet").and_then(|s| s.get("containers"));
    for (i, c) in set
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        out.push((c, format!("{at}/containerSet/containers/{i}")));
    }
    out
}

fn untagged_or_latest(image: &str) -> bool {
    if image.contains('@') || image.contains("{{") {
        return false;
    }
    let last = image.rsplit('/').next().unwrap_or(image);
    match last.rsplit_once(':') {
        None => true,
        Some((_, tag)) => tag == "latest",
    }
}

/// The policy's opt-in rules on a workflow spec found at `base` (`/spec` or `/spec/workflowSpec`).
pub fn required(spec: &Value, base: &str, require: Require) -> Vec<Finding> {
    let mut out = Vec::new();
    if require.active_deadline_seconds && spec.get("activeDeadlineSeconds").is_none() {
        out.push(error(
            "BP001",
            base.to_owned(),
            "activeDeadlineSeconds is required by policy",
            "set spec.activeDeadlineSeconds to bound the workflow's run time",
        ));
    }
    let templates = spec.get("templates").and_then(Value::as_array);
    for (i, t) in templates.into_iter().flatten().enumerate() {
        let at = format!("{base}/templates/{i}");
        let runs_pods = ["container", "script", "containerSet", "resource"]
            .iter()
            .any(|k| t.get(k).is_some());
        if require.retry_strategy
            && runs_pods
            && t.get("retryStrategy").is_none()
            && spec.get("retryStrategy").is_none()
        {
            out.push(error(
                "BP002",
                at.clone(),
                "retryStrategy is required by policy",
                "add retryStrategy (e.g. {limit: 3}) to the template or the spec",
            ));
        }
        for (c, cat) in containers(t, &at) {
            if require.no_latest_tag
                && let Some(image) = c.get("image").and_then(Value::as_str)
                && untagged_or_latest(image)
            {
                out.push(error(
                    "BP003",
                    format!("{cat}/image"),
                    &format!("image `{image}` uses `:latest` or no tag"),
                    "pin a version tag or a digest",
                ));
            }
            if require.resource_requests
                && c.get("resources").and_then(|r| r.get("requests")).is_none()
            {
                out.push(error(
                    "BP004",
                    cat,
                    "resources.requests is required by policy",
                    "set resources.requests.cpu and .memory",
                ));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn references_are_found_with_pointers() {
        let spec = json!({
            "serviceAccountName": "runner",
            "imagePullSecrets": [{"name": "regcred"}],
            "volumes": [{"name": "v", "secret": {"secretName": "tls"}}, {"name": "c", "configMap": {"name": "cfg"}}],
            "templates": [{"container": {"env": [
                {"name": "A", "valueFrom": {"secretKeyRef": {"name": "creds", "key": "k"}}},
                {"name": "B", "valueFrom": {"secretKeyRef": {"name": "opt", "key": "k", "optional": true}}},
                {"name": "C", "valueFrom": {"configMapKeyRef": {"name": "{{inputs.parameters.cm}}", "key": "k"}}}
            ]}}]
        });
        let found: Vec<(Source, String)> = references(&spec)
            .into_iter()
            .map(|(s, n, _)| (s, n))
            .collect();
        assert_eq!(
            found,
            vec![
                (Source::ServiceAccounts, "runner".into()),
                (Source::Secrets, "regcred".into()),
                (Source::Secrets, "tls".into()),
                (Source::ConfigMaps, "cfg".into()),
                (Source::Secrets, "creds".into()),
            ]
        );
    }

    #[test]
    fn latest_and_untagged_images_are_flagged() {
        assert!(untagged_or_latest("alpine"));
        assert!(untagged_or_latest("ghcr.io/a/b:latest"));
        assert!(!untagged_or_latest("localhost:5000/a:1.2"));
        assert!(!untagged_or_latest("a@sha256:abc"));
    }
}
