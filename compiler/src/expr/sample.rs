//! The variables Argo would bind for a sample run of a manifest (spec §2.4), so a field can be
//! previewed before deploying: `bosun eval --from-workflow` and `bosun metrics`.
//!
//! Everything that only exists at run time gets a fixed, documented sample value: the workflow
//! name's random suffix ([`SAMPLE_SUFFIX`]), the creation time ([`SAMPLE_TIME`],
//! 2026-11-22T10:00:00Z), the uid ([`SAMPLE_UID`]), the namespace when the manifest has none
//! (`default`). Parameters take their declared `value` (inputs: `value`, else `default`);
//! parameters without one stay unbound, so a tag using them fails to resolve and the caller can
//! `--set` it. The manifest is read as JSON (`NodeRef::to_json`); absent or mistyped fields are
//! skipped, never errors.

use std::fmt::Write as _;

use serde_json::Value as Json;

use super::env::Bindings;
use super::sequence;
use super::vars::{bind_json, bound_text, parameter_list_json};
use super::{Limits, tags};
use crate::model::Kind;

/// The random suffix a `generateName` gets in samples.
pub const SAMPLE_SUFFIX: &str = "b5x2k";
/// The sample creation (and scheduled) time: 2026-11-22T10:00:00Z.
pub const SAMPLE_TIME: i64 = 1_795_341_600;
/// The sample `workflow.uid`.
pub const SAMPLE_UID: &str = "0b1d5c2e-7a4f-4c3b-9e8d-6f5a4b3c2d1e";

/// strftime letters bound as `workflow.creationTimestamp.<c>`.
const STRFTIME: &str = "aAbBCdDeFHIjklmMnpRSTuUVwWyYZz";

/// The workflow spec of an object: `spec`, or `spec.workflowSpec` for a CronWorkflow.
pub fn workflow_spec(root: &Json, kind: Kind) -> Option<&Json> {
    let spec = root.get("spec")?;
    match kind {
        Kind::CronWorkflow => spec.get("workflowSpec"),
        _ => Some(spec),
    }
}

fn str_at<'a>(v: &'a Json, path: &[&str]) -> Option<&'a str> {
    path.iter().try_fold(v, |v, k| v.get(k))?.as_str()
}

/// The name a run of this object would get: a Workflow's `name`, or its `generateName` plus
/// [`SAMPLE_SUFFIX`]; `<template>-<suffix>` for a (Cluster)WorkflowTemplate submitted with
/// `argo submit --from`; `<cron>-<unix time>` for a CronWorkflow's child.
pub fn workflow_name(root: &Json, kind: Kind) -> String {
    let name = str_at(root, &["metadata", "name"]);
    let generate = str_at(root, &["metadata", "generateName"]);
    match (kind, name, generate) {
        (Kind::Workflow, Some(n), _) => n.to_string(),
        (Kind::Workflow, None, Some(g)) => format!("{g}{SAMPLE_SUFFIX}"),
        (Kind::CronWorkflow, Some(n), _) => format!("{n}-{SAMPLE_TIME}"),
        (_, Some(n), _) => format!("{n}-{SAMPLE_SUFFIX}"),
        (_, None, Some(g)) => format!("{g}{SAMPLE_SUFFIX}"),
        _ => format!("workflow-{SAMPLE_SUFFIX}"),
    }
}

fn set(b: &mut Bindings, key: impl Into<String>, value: impl Into<String>) {
    b.insert(key.into(), Some(value.into()));
}

/// A parameter's bound text: `value` (strings raw, numbers and booleans as text), else
/// `default` when `with_default`.
fn parameter_value(p: &Json, with_default: bool) -> Option<String> {
    let pick = |k: &str| p.get(k).filter(|v| !v.is_null()).and_then(bound_text);
    pick("value").or_else(|| if with_default { pick("default") } else { None })
}

/// Binds `<prefix>.<name>` for each parameter of `holder.parameters` that has a value and
/// returns the JSON list Argo binds to the whole collection.
fn bind_parameters(
    b: &mut Bindings,
    holder: Option<&Json>,
    prefix: &str,
    with_default: bool,
) -> String {
    let params = holder
        .and_then(|h| h.get("parameters"))
        .and_then(Json::as_array);
    let mut list = Vec::new();
    for p in params.into_iter().flatten() {
        let Some(name) = p.get("name").and_then(Json::as_str) else {
            continue;
        };
        let value = parameter_value(p, with_default);
        if let Some(v) = &value {
            set(b, format!("{prefix}.{name}"), v.clone());
        }
        list.push((name, value));
    }
    parameter_list_json(&list)
}

/// The `workflow.*` globals of a sample run of the object.
pub fn globals(root: &Json, kind: Kind) -> Bindings {
    let mut b = Bindings::new();
    let spec = workflow_spec(root, kind).unwrap_or(&Json::Null);
    set(&mut b, "workflow.name", workflow_name(root, kind));
    let ns = str_at(root, &["metadata", "namespace"]).unwrap_or("default");
    set(&mut b, "workflow.namespace", ns);
    set(&mut b, "workflow.uid", SAMPLE_UID);
    if let Some(e) = spec.get("entrypoint").and_then(Json::as_str) {
        set(&mut b, "workflow.mainEntrypoint", e);
    }
    if let Some(sa) = spec.get("serviceAccountName").and_then(Json::as_str) {
        set(&mut b, "workflow.serviceAccountName", sa);
    }
    if let Some(p) = spec.get("priority").filter(|p| !p.is_null()) {
        b.insert("workflow.priority".into(), bound_text(p));
    }
    creation_timestamp(&mut b, SAMPLE_TIME);
    if kind == Kind::CronWorkflow {
        set(&mut b, "workflow.scheduledTime", rfc3339(SAMPLE_TIME));
    }

    let arguments = spec.get("arguments");
    let json = bind_parameters(&mut b, arguments, "workflow.parameters", false);
    set(&mut b, "workflow.parameters", json.clone());
    set(&mut b, "workflow.parameters.json", json);

    for what in ["labels", "annotations"] {
        let mut merged = serde_json::Map::new();
        let own = root.get("metadata").and_then(|m| m.get(what));
        let from_spec = spec.get("workflowMetadata").and_then(|m| m.get(what));
        for m in [own, from_spec].into_iter().flatten() {
            if let Some(m) = m.as_object() {
                merged.extend(m.iter().map(|(k, v)| (k.clone(), v.clone())));
            }
        }
        bind_json(&mut b, &format!("workflow.{what}"), &Json::Object(merged));
    }
    b
}

fn rfc3339(unix: i64) -> String {
    chrono::DateTime::from_timestamp(unix, 0)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
        .unwrap_or_default()
}

/// `workflow.creationTimestamp` (RFC 3339), `.RFC3339`, `.s` (Unix seconds) and one key per
/// strftime letter.
fn creation_timestamp(b: &mut Bindings, unix: i64) {
    let key = "workflow.creationTimestamp";
    set(b, key, rfc3339(unix));
    set(b, format!("{key}.RFC3339"), rfc3339(unix));
    set(b, format!("{key}.s"), unix.to_string());
    let Some(t) = chrono::DateTime::from_timestamp(unix, 0) else {
        return;
    };
    for c in STRFTIME.chars() {
        let mut s = String::new();
        if write!(s, "{}", t.format(&format!("%{c}"))).is_ok() {
            set(b, format!("{key}.{c}"), s);
        }
    }
}

/// The template named `name` in the spec.
pub fn find_template<'a>(spec: &'a Json, name: &str) -> Option<&'a Json> {
    spec.get("templates")?
        .as_array()?
        .iter()
        .find(|t| t.get("name").and_then(Json::as_str) == Some(name))
}

/// The names of every template in the spec.
pub fn template_names(spec: &Json) -> Vec<&str> {
    let templates = spec.get("templates").and_then(Json::as_array);
    templates
        .into_iter()
        .flatten()
        .filter_map(|t| t.get("name").and_then(Json::as_str))
        .collect()
}

/// Binds a template's own variables: `inputs.parameters.<n>` (`value`, else `default`) and the
/// `inputs.parameters` list, `inputs.artifacts.<n>.path`, `outputs.{parameters,artifacts}.<n>.path`,
/// and `retries` plus the first attempt's `lastRetry.*` when it has a `retryStrategy`.
pub fn template_locals(template: &Json, b: &mut Bindings) {
    let json = bind_parameters(b, template.get("inputs"), "inputs.parameters", true);
    set(b, "inputs.parameters", json);
    for (section, what) in [
        ("inputs", "artifacts"),
        ("outputs", "parameters"),
        ("outputs", "artifacts"),
    ] {
        let items = template
            .get(section)
            .and_then(|s| s.get(what))
            .and_then(Json::as_array);
        for a in items.into_iter().flatten() {
            let name = a.get("name").and_then(Json::as_str);
            let path = a
                .get("path")
                .or_else(|| a.get("valueFrom").and_then(|v| v.get("path")))
                .and_then(Json::as_str);
            if let (Some(n), Some(p)) = (name, path) {
                set(b, format!("{section}.{what}.{n}.path"), p);
            }
        }
    }
    if template.get("retryStrategy").is_some() {
        set(b, "retries", "0");
        for (k, v) in [
            ("exitCode", "0"),
            ("duration", "0"),
            ("status", ""),
            ("message", ""),
        ] {
            set(b, format!("lastRetry.{k}"), v);
        }
    }
}

/// A step or DAG task named `name`, with the template that contains it. `steps` selects steps
/// (else DAG tasks); `template` restricts the search to one template.
pub fn find_call<'a>(
    spec: &'a Json,
    template: Option<&str>,
    name: &str,
    steps: bool,
) -> Option<(&'a Json, &'a Json)> {
    let templates = spec.get("templates")?.as_array()?;
    for t in templates {
        if template.is_some_and(|n| t.get("name").and_then(Json::as_str) != Some(n)) {
            continue;
        }
        let calls: Vec<&Json> = if steps {
            let groups = t.get("steps").and_then(Json::as_array);
            groups
                .into_iter()
                .flatten()
                .filter_map(Json::as_array)
                .flatten()
                .collect()
        } else {
            let tasks = t
                .get("dag")
                .and_then(|d| d.get("tasks"))
                .and_then(Json::as_array);
            tasks.into_iter().flatten().collect()
        };
        if let Some(c) = calls
            .into_iter()
            .find(|c| c.get("name").and_then(Json::as_str) == Some(name))
        {
            return Some((t, c));
        }
    }
    None
}

/// The first loop item of a step or task, when it is known statically: the first `withItems`
/// entry, the first `withSequence` value (without tags), or the first element of a literal
/// JSON `withParam`.
pub fn first_item(call: &Json) -> Option<Json> {
    if let Some(items) = call.get("withItems").and_then(Json::as_array) {
        return items.first().cloned();
    }
    if let Some(seq) = call.get("withSequence") {
        let field = |k: &str| seq.get(k).and_then(bound_text);
        let (start, end, count, format) = (
            field("start"),
            field("end"),
            field("count"),
            field("format"),
        );
        let templated = [&start, &end, &count, &format]
            .iter()
            .any(|f| f.as_deref().is_some_and(|s| s.contains("{{")));
        if templated {
            return None;
        }
        let limits = Limits::default();
        let items = sequence::expand(
            start.as_deref(),
            end.as_deref(),
            count.as_deref(),
            format.as_deref(),
            &limits,
        )
        .ok()?;
        return items.into_iter().next().map(Json::from);
    }
    let param = call.get("withParam").and_then(Json::as_str)?;
    if tags::tokenize(param).map_or(true, |p| p.iter().any(|p| matches!(p, tags::Piece::Tag(_)))) {
        return None;
    }
    let list: Json = serde_json::from_str(param).ok()?;
    list.as_array()?.first().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn get<'a>(b: &'a Bindings, k: &str) -> Option<&'a str> {
        b.get(k).and_then(|v| v.as_deref())
    }

    #[test]
    fn workflow_names_follow_how_each_kind_is_run() {
        let wf = |meta: Json| json!({"metadata": meta});
        assert_eq!(
            workflow_name(&wf(json!({"name": "a"})), Kind::Workflow),
            "a"
        );
        assert_eq!(
            workflow_name(&wf(json!({"generateName": "hello-"})), Kind::Workflow),
            "hello-b5x2k"
        );
        assert_eq!(
            workflow_name(&wf(json!({"name": "t"})), Kind::WorkflowTemplate),
            "t-b5x2k"
        );
        assert_eq!(
            workflow_name(&wf(json!({"name": "c"})), Kind::CronWorkflow),
            "c-1795341600"
        );
    }

    #[test]
    fn globals_come_from_the_spec() {
        let root = json!({
            "metadata": {"generateName": "w-", "labels": {"team": "data"}},
            "spec": {
                "entrypoint": "main",
                "priority": 3,
                "arguments": {"parameters": [{"name": "a", "value": "1"}, {"name": "b"}]},
                "workflowMetadata": {"labels": {"extra": "y"}}
            }
        });
        let b = globals(&root, Kind::Workflow);
        assert_eq!(get(&b, "workflow.name"), Some("w-b5x2k"));
        assert_eq!(get(&b, "workflow.namespace"), Some("default"));
        assert_eq!(get(&b, "workflow.mainEntrypoint"), Some("main"));
        assert_eq!(get(&b, "workflow.priority"), Some("3"));
        assert_eq!(get(&b, "workflow.parameters.a"), Some("1"));
        assert_eq!(get(&b, "workflow.parameters.b"), None);
        assert_eq!(
            get(&b, "workflow.parameters.json"),
            Some(r#"[{"name":"a","value":"1"},{"name":"b"}]"#)
        );
        assert_eq!(
            get(&b, "workflow.labels.json"),
            Some(r#"{"extra":"y","team":"data"}"#)
        );
        assert_eq!(
            get(&b, "workflow.creationTimestamp.RFC3339"),
            Some("2026-11-22T10:00:00Z")
        );
        assert_eq!(get(&b, "workflow.creationTimestamp.Y"), Some("2026"));
        assert_eq!(get(&b, "workflow.creationTimestamp.j"), Some("326"));
        assert_eq!(get(&b, "workflow.serviceAccountName"), None);
        assert_eq!(get(&b, "workflow.scheduledTime"), None);
        let cron =
            json!({"metadata": {"name": "c"}, "spec": {"workflowSpec": {"entrypoint": "e"}}});
        let b = globals(&cron, Kind::CronWorkflow);
        assert_eq!(get(&b, "workflow.mainEntrypoint"), Some("e"));
        assert_eq!(
            get(&b, "workflow.scheduledTime"),
            Some("2026-11-22T10:00:00Z")
        );
    }

    #[test]
    fn template_locals_take_values_then_defaults() {
        let t = json!({
            "inputs": {
                "parameters": [{"name": "v", "value": "x", "default": "d"}, {"name": "d", "default": 5}, {"name": "n"}],
                "artifacts": [{"name": "in", "path": "/tmp/in"}]
            },
            "outputs": {"parameters": [{"name": "o", "valueFrom": {"path": "/tmp/o"}}]},
            "retryStrategy": {"limit": 2}
        });
        let mut b = Bindings::new();
        template_locals(&t, &mut b);
        assert_eq!(get(&b, "inputs.parameters.v"), Some("x"));
        assert_eq!(get(&b, "inputs.parameters.d"), Some("5"));
        assert_eq!(get(&b, "inputs.parameters.n"), None);
        assert_eq!(get(&b, "inputs.artifacts.in.path"), Some("/tmp/in"));
        assert_eq!(get(&b, "outputs.parameters.o.path"), Some("/tmp/o"));
        assert_eq!(get(&b, "retries"), Some("0"));
        assert_eq!(get(&b, "lastRetry.exitCode"), Some("0"));
    }

    #[test]
    fn calls_and_first_items_are_found() {
        let spec = json!({"templates": [
            {"name": "s", "steps": [[{"name": "a", "withSequence": {"start": "3", "count": "2", "format": "%02d"}}]]},
            {"name": "d", "dag": {"tasks": [
                {"name": "a", "withItems": [{"k": 1}]},
                {"name": "p", "withParam": "[\"x\", \"y\"]"},
                {"name": "q", "withParam": "{{tasks.a.outputs.result}}"}
            ]}}
        ]});
        let (t, step) = find_call(&spec, None, "a", true).unwrap();
        assert_eq!(t["name"], "s");
        assert_eq!(first_item(step), Some(json!("03")));
        let (t, task) = find_call(&spec, None, "a", false).unwrap();
        assert_eq!(t["name"], "d");
        assert_eq!(first_item(task), Some(json!({"k": 1})));
        let (_, p) = find_call(&spec, Some("d"), "p", false).unwrap();
        assert_eq!(first_item(p), Some(json!("x")));
        let (_, q) = find_call(&spec, Some("d"), "q", false).unwrap();
        assert_eq!(first_item(q), None);
        assert!(find_call(&spec, Some("s"), "p", false).is_none());
        assert_eq!(template_names(&spec), ["s", "d"]);
    }
}
