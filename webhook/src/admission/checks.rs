//! The webhook's own checks, beside the compiler's: references to Secrets, ConfigMaps and
//! ServiceAccounts that do not exist in the namespace (`BW001`–`BW003`, from the metadata cache;
//! a Secret a SecretSync/Plan will produce counts as present). They walk the object's JSON;
//! templated names (`{{...}}`) and `optional: true` references are skipped. (The policy's
//! opt-in rules BP001–BP004 are compiler checks, shared with `bosun lint --config`.)

use serde_json::Value;

use super::render::Finding;
use crate::cluster::{Cluster, Source};
use crate::policy::Level;

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
    let Some(severity) = level.severity() else {
        return Vec::new();
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
}
