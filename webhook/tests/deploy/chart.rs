//! The Helm chart: `values.yaml` equals `deploy::Values::default()`, is fully commented and
//! validates against the generated `values.schema.json`; every `.Values` path the templates
//! use exists and every value is used; and the templates, rendered by the stub interpreter for
//! several value sets, produce exactly the objects `bosun-webhook manifests` builds.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};
use webhook::deploy::{APP_VERSION, Values, values};

use super::helm::{self, Chart, Seen};
use super::{NS, render, root, variants};

fn read(rel: &str) -> String {
    std::fs::read_to_string(root().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn templates() -> BTreeMap<String, String> {
    let dir = root().join("chart/templates");
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(&dir).expect("chart/templates") {
        let p = e.expect("entry").path();
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        out.insert(name, std::fs::read_to_string(&p).expect("template"));
    }
    out
}

fn values_yaml() -> String {
    read("chart/values.yaml")
}

#[test]
fn values_schema_is_fresh() {
    let want = values::json_schema();
    let path = root().join("chart/values.schema.json");
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::write(&path, &want).expect("write");
    }
    assert!(
        std::fs::read_to_string(&path).unwrap_or_default() == want,
        "chart/values.schema.json is stale: run `UPDATE_GENERATED=1 cargo test -p webhook --test manifests`"
    );
}

#[test]
fn values_yaml_is_the_rust_defaults_commented_and_valid() {
    let text = values_yaml();
    let parsed = Values::parse(&text).expect("values.yaml parses into deploy::Values");
    assert_eq!(parsed, Values::default());
    // Same data, not just the same struct after defaults: every default is spelled out.
    let raw: Value = serde_saphyr::from_str(&text).unwrap();
    assert_eq!(raw, serde_json::to_value(Values::default()).unwrap());

    let schema: Value = serde_json::from_str(&values::json_schema()).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("schema compiles");
    let errors: Vec<String> = validator.iter_errors(&raw).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    for (bad, why) in [
        (json!({"replicas": 0}), "replicas minimum"),
        (json!({"webhook": {"failurePolicy": "Sometimes"}}), "enum"),
        (
            json!({"webhook": {"timeoutSeconds": 31}}),
            "timeout maximum",
        ),
        (
            json!({"policy": {"severity": {"AW101": "loud"}}}),
            "policy schema",
        ),
        (json!({"unknown": 1}), "unknown key"),
    ] {
        assert!(!validator.is_valid(&bad), "schema accepts {bad} ({why})");
    }

    // Every key has a comment line right above it.
    let lines: Vec<&str> = text.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let t = line.trim_start();
        if t.starts_with('#') || t.starts_with('-') || t.is_empty() {
            continue;
        }
        let above = lines[..i].iter().rev().find(|l| !l.trim().is_empty());
        assert!(
            above.is_some_and(|l| l.trim_start().starts_with('#')),
            "values.yaml line {}: `{line}` has no comment",
            i + 1
        );
    }
}

#[test]
fn chart_metadata_follows_the_crate_version() {
    let chart: Value = serde_saphyr::from_str(&read("chart/Chart.yaml")).unwrap();
    assert_eq!(chart["apiVersion"], "v2");
    assert_eq!(chart["version"], APP_VERSION);
    assert_eq!(chart["appVersion"], APP_VERSION);
}

/// Leaf paths (`a.b.c`) of a values document; empty maps and lists count as leaves.
fn leaves(v: &Value, prefix: &str, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                let p = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                leaves(x, &p, out);
            }
        }
        _ => {
            out.insert(prefix.to_owned());
        }
    }
}

#[test]
fn every_value_is_used_and_every_used_value_exists() {
    let raw: Value = serde_saphyr::from_str(&values_yaml()).unwrap();
    let re = values_paths(&templates());
    for path in &re {
        let mut cur = &raw;
        for key in path.split('.') {
            cur = cur
                .get(key)
                .unwrap_or_else(|| panic!(".Values.{path} is not in values.yaml"));
        }
    }
    let mut all = BTreeSet::new();
    leaves(&raw, "", &mut all);
    for leaf in all {
        let used = re
            .iter()
            .any(|p| leaf == *p || leaf.starts_with(&format!("{p}.")));
        assert!(used, "values.yaml `{leaf}` is not used by any template");
    }
}

/// `.Values.a.b` paths written in the templates.
fn values_paths(files: &BTreeMap<String, String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for src in files.values() {
        for (i, _) in src.match_indices(".Values.") {
            let rest = &src[i + ".Values.".len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '_'))
                .unwrap_or(rest.len());
            out.insert(rest[..end].trim_end_matches('.').to_owned());
        }
    }
    out
}

fn root_context(values: &Values) -> Value {
    let chart: Value = serde_saphyr::from_str(&read("chart/Chart.yaml")).unwrap();
    json!({
        "Values": serde_json::to_value(values).unwrap(),
        "Release": {"Namespace": NS, "Name": "bosun", "Service": "Helm"},
        "Chart": {"Name": chart["name"], "Version": chart["version"], "AppVersion": chart["appVersion"]},
    })
}

/// Renders every template; returns the parsed objects and the NOTES.
fn render_chart(values: &Values) -> (Vec<Value>, String, Seen) {
    let chart = Chart::parse(&templates()).unwrap_or_else(|e| panic!("{e}"));
    let ctx = root_context(values);
    let mut seen = Seen::default();
    let mut objects = Vec::new();
    let mut notes = String::new();
    for name in chart.names() {
        let out = chart
            .render(&name, &ctx, &mut seen)
            .unwrap_or_else(|e| panic!("{e}"));
        if name == "NOTES.txt" {
            notes = out;
        } else {
            objects.extend(helm::documents(&out).unwrap_or_else(|e| panic!("{name}: {e}")));
        }
    }
    // Helm installs chart/crds/ as they are.
    for f in ["chart/crds/secretsync.yaml", "chart/crds/plan.yaml"] {
        objects.extend(helm::documents(&read(f)).unwrap());
    }
    (objects, notes, seen)
}

fn key(o: &Value) -> (String, String) {
    (
        o["kind"].as_str().unwrap_or_default().to_owned(),
        o["metadata"]["name"]
            .as_str()
            .unwrap_or_default()
            .to_owned(),
    )
}

/// Policy YAML text compared as data (the emitters differ in key order and style).
fn normalize(mut o: Value) -> Value {
    if o["kind"] == "ConfigMap"
        && let Some(data) = o.get_mut("data").and_then(Value::as_object_mut)
    {
        for v in data.values_mut() {
            let parsed: Value = serde_saphyr::from_str(v.as_str().unwrap_or_default()).unwrap();
            *v = parsed;
        }
    }
    o
}

#[test]
fn the_chart_renders_the_same_objects_as_the_manifests_command() {
    for (variant, values) in variants() {
        let (chart, notes, seen) = render_chart(&values);
        let ours = render(&values, false);
        let index = |objs: Vec<Value>| -> BTreeMap<(String, String), Value> {
            let mut m = BTreeMap::new();
            for o in objs {
                assert!(
                    m.insert(key(&o), normalize(o.clone())).is_none(),
                    "duplicate {:?}",
                    key(&o)
                );
            }
            m
        };
        let (chart, ours) = (index(chart), index(ours));
        assert_eq!(
            chart.keys().collect::<Vec<_>>(),
            ours.keys().collect::<Vec<_>>(),
            "{variant}: kinds and names differ"
        );
        for (k, want) in &ours {
            if let Some(d) = first_difference(&chart[k], want, String::new()) {
                panic!("{variant}: {k:?} differs between chart and manifests at {d}");
            }
        }
        assert!(
            notes.contains(&format!("deployment/{}", values.name)),
            "{notes}"
        );
        assert!(!seen.values_paths.is_empty());
    }
}

/// The first JSON pointer where `a` (chart) and `b` (manifests) differ, with both values.
fn first_difference(a: &Value, b: &Value, at: String) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            let keys: BTreeSet<&String> = x.keys().chain(y.keys()).collect();
            keys.into_iter().find_map(|k| {
                first_difference(
                    x.get(k).unwrap_or(&Value::Null),
                    y.get(k).unwrap_or(&Value::Null),
                    format!("{at}/{k}"),
                )
            })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (p, q))| first_difference(p, q, format!("{at}/{i}"))),
        _ => (a != b).then(|| format!("{at}: chart {a} vs manifests {b}")),
    }
}
