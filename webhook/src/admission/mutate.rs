//! Policy defaults as a minimal JSON Patch: only `add` operations, only for absent fields, so a
//! second invocation (`reinvocationPolicy: IfNeeded`) yields an empty patch. Workflow defaults go
//! to `spec`, CronWorkflow defaults to `spec.workflowSpec`. A Workflow that runs a
//! `workflowTemplateRef` gets spec defaults only for fields the referenced template leaves unset
//! (Argo merges the Workflow's spec over the template's, so a default would override it), and
//! none when the template cannot be resolved.

use serde_json::{Value, json};

use crate::policy::Defaults;

/// Whether a referenced template sets a spec field (`None`: the reference does not resolve).
pub type TemplateSets<'a> = &'a dyn Fn(&str) -> Option<bool>;

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The patch operations (`[{"op": "add", ...}]`) for `object`. `base` is the pointer of the
/// workflow spec (`/spec` or `/spec/workflowSpec`); `template_sets(field)` says whether a
/// referenced template sets a spec field (`None`: the reference does not resolve).
pub fn defaults_patch(
    object: &Value,
    base: &str,
    defaults: &Defaults,
    template_sets: Option<TemplateSets<'_>>,
) -> Vec<Value> {
    let mut ops = Vec::new();
    let metadata = object.get("metadata");
    for (field, map) in [
        ("labels", &defaults.labels),
        ("annotations", &defaults.annotations),
    ] {
        if map.is_empty() {
            continue;
        }
        match metadata
            .and_then(|m| m.get(field))
            .and_then(Value::as_object)
        {
            None => {
                ops.push(json!({"op": "add", "path": format!("/metadata/{field}"), "value": map}))
            }
            Some(existing) => {
                for (k, v) in map.iter().filter(|(k, _)| !existing.contains_key(*k)) {
                    ops.push(json!({"op": "add", "path": format!("/metadata/{field}/{}", escape(k)), "value": v}));
                }
            }
        }
    }

    let pointer = base.trim_start_matches('/');
    let spec = pointer
        .split('/')
        .try_fold(object, |v, k| v.get(k))
        .filter(|s| s.is_object());
    let Some(spec) = spec else {
        return ops;
    };
    let fields: [(&str, Option<Value>); 5] = [
        (
            "serviceAccountName",
            defaults.service_account_name.clone().map(Value::from),
        ),
        (
            "activeDeadlineSeconds",
            defaults.active_deadline_seconds.map(Value::from),
        ),
        ("ttlStrategy", defaults.ttl_strategy.clone()),
        ("podGC", defaults.pod_gc.clone()),
        (
            "imagePullSecrets",
            (!defaults.image_pull_secrets.is_empty()).then(|| {
                defaults
                    .image_pull_secrets
                    .iter()
                    .map(|n| json!({"name": n}))
                    .collect()
            }),
        ),
    ];
    for (field, value) in fields {
        let Some(value) = value else { continue };
        if spec.get(field).is_some() {
            continue;
        }
        if let Some(sets) = template_sets {
            // Unresolvable reference: leave the spec alone.
            if sets(field) != Some(false) {
                continue;
            }
        }
        ops.push(json!({"op": "add", "path": format!("{base}/{field}"), "value": value}));
    }
    ops
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defaults() -> Defaults {
        Defaults {
            service_account_name: Some("wf".into()),
            active_deadline_seconds: Some(60),
            labels: [("team".to_owned(), "data".to_owned())].into(),
            ..Defaults::default()
        }
    }

    #[test]
    fn only_absent_fields_are_added_and_reapplying_is_a_no_op() {
        let mut wf = json!({"metadata": {"name": "a", "labels": {"x": "y"}}, "spec": {"activeDeadlineSeconds": 5}});
        let ops = defaults_patch(&wf, "/spec", &defaults(), None);
        assert_eq!(
            ops,
            vec![
                json!({"op": "add", "path": "/metadata/labels/team", "value": "data"}),
                json!({"op": "add", "path": "/spec/serviceAccountName", "value": "wf"}),
            ]
        );
        let patch: json_patch::Patch = serde_json::from_value(Value::Array(ops)).unwrap();
        json_patch::patch(&mut wf, &patch).unwrap();
        assert!(defaults_patch(&wf, "/spec", &defaults(), None).is_empty());
    }

    #[test]
    fn template_backed_workflows_keep_the_template_settings() {
        let wf = json!({"metadata": {"name": "a", "labels": {"team": "x"}}, "spec": {"workflowTemplateRef": {"name": "t"}}});
        let sets = |f: &str| Some(f == "serviceAccountName");
        let ops = defaults_patch(&wf, "/spec", &defaults(), Some(&sets));
        assert_eq!(
            ops,
            vec![json!({"op": "add", "path": "/spec/activeDeadlineSeconds", "value": 60})]
        );
        let unresolved = |_: &str| None;
        assert!(defaults_patch(&wf, "/spec", &defaults(), Some(&unresolved)).is_empty());
    }
}
