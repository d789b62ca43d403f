//! Structured values turned into Argo's flat variable map (spec §2.2, §2.4, §5): what
//! `bosun eval --set-json` and the sample environments of `--from-workflow` and `bosun metrics`
//! bind.
//!
//! Argo never binds structured values directly: it binds strings under dotted keys, and
//! expressions see nested maps only because the keys are expanded ([`super::Env::from_flat`]).
//! [`bind_json`] reproduces that flattening:
//! - a string binds its text, a number or boolean its JSON text, `null` binds an absent value;
//! - an array binds its compact JSON;
//! - an object binds its compact JSON with sorted top-level keys under the name itself, and
//!   every top-level member under `NAME.KEY` (strings unquoted, anything else as compact JSON
//!   of the member), exactly like a map-typed loop `item` — so `{{item.a}}` and `{{= item.a }}`
//!   work, and `{{= item }}` is a map of strings as in Argo;
//! - `inputs.parameters` and `workflow.parameters` objects are parameter lists: each member is
//!   `NAME.KEY`, and the name itself is the JSON array of `{"name", "value"}` objects Argo binds
//!   (plus `workflow.parameters.json`);
//! - `workflow.labels` and `workflow.annotations` objects bind each key and `NAME.json`.

use std::fmt::Write as _;

use serde_json::Value as Json;

use super::env::Bindings;
use super::format::json_string;

/// Compact JSON in Go's style (`<`, `>`, `&` escaped), with the top-level keys of an object
/// sorted when `sort_top` is set and every object's keys sorted when `sort_all` is set.
pub fn go_json(v: &Json, sort_top: bool, sort_all: bool) -> String {
    let mut out = String::new();
    write_json(&mut out, v, sort_top || sort_all, sort_all);
    out
}

fn write_json(out: &mut String, v: &Json, sort: bool, sort_all: bool) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Json::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Json::String(s) => json_string(out, s, true),
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_json(out, item, sort_all, sort_all);
            }
            out.push(']');
        }
        Json::Object(m) => {
            let mut entries: Vec<(&String, &Json)> = m.iter().collect();
            if sort {
                entries.sort_by(|a, b| a.0.cmp(b.0));
            }
            out.push('{');
            for (i, (k, item)) in entries.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                json_string(out, k, true);
                out.push(':');
                write_json(out, item, sort_all, sort_all);
            }
            out.push('}');
        }
    }
}

/// The text a scalar or member binds: strings unquoted, `null` absent, the rest compact JSON
/// in the original key order.
pub fn bound_text(v: &Json) -> Option<String> {
    match v {
        Json::Null => None,
        Json::String(s) => Some(s.clone()),
        other => Some(go_json(other, false, false)),
    }
}

/// Binds a structured value under `name` the way Argo flattens it (see the module docs).
pub fn bind_json(bindings: &mut Bindings, name: &str, value: &Json) {
    let Json::Object(members) = value else {
        bindings.insert(name.to_string(), bound_text(value));
        return;
    };
    for (k, v) in members {
        bindings.insert(format!("{name}.{k}"), bound_text(v));
    }
    match name {
        "inputs.parameters" | "workflow.parameters" => {
            let list: Vec<(&str, Option<String>)> = members
                .iter()
                .map(|(k, v)| (k.as_str(), bound_text(v)))
                .collect();
            let text = parameter_list_json(&list);
            if name == "workflow.parameters" {
                bindings.insert("workflow.parameters.json".into(), Some(text.clone()));
            }
            bindings.insert(name.to_string(), Some(text));
        }
        "workflow.labels" | "workflow.annotations" => {
            bindings.insert(format!("{name}.json"), Some(go_json(value, true, true)));
        }
        _ => {
            bindings.insert(name.to_string(), Some(go_json(value, true, false)));
        }
    }
}

/// The JSON Argo binds to `inputs.parameters` / `workflow.parameters.json`: an array of
/// `{"name": …, "value": …}` objects in declaration order (a parameter without a value has none).
pub fn parameter_list_json(params: &[(&str, Option<String>)]) -> String {
    let list: Vec<Json> = params
        .iter()
        .map(|(name, value)| {
            let mut m = serde_json::Map::new();
            m.insert("name".into(), Json::from(*name));
            if let Some(v) = value {
                m.insert("value".into(), Json::from(v.as_str()));
            }
            Json::Object(m)
        })
        .collect();
    go_json(&Json::Array(list), false, false)
}

/// Parses `NAME=JSON` (the `--set-json` syntax) and binds it.
pub fn bind_json_arg(bindings: &mut Bindings, arg: &str) -> Result<(), String> {
    let (name, text) = arg
        .split_once('=')
        .ok_or_else(|| format!("expected NAME=JSON, got `{arg}`"))?;
    let name = name.trim();
    if name.is_empty() {
        return Err(format!("expected NAME=JSON, got `{arg}`"));
    }
    let value: Json =
        serde_json::from_str(text).map_err(|e| format!("`{name}`: invalid JSON: {e}"))?;
    bind_json(bindings, name, &value);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::expr::template::{Mode, substitute};
    use crate::expr::{Env, Limits};
    use serde_json::json;

    fn bound(name: &str, v: Json) -> Bindings {
        let mut b = Bindings::new();
        bind_json(&mut b, name, &v);
        b
    }

    fn sub(b: &Bindings, text: &str) -> String {
        substitute(text, b, &Mode::Strict, &Limits::default()).unwrap_or_else(|e| e.message)
    }

    #[test]
    fn a_map_item_binds_like_argo_loop_items() {
        // Spec §5: sorted top-level keys, members unquoted or raw compact JSON, and `{{= item }}`
        // a map of strings.
        let b = bound(
            "item",
            json!({"z": {"b": 1, "a": [1, 2]}, "a": 1, "s": "x"}),
        );
        assert_eq!(
            sub(&b, "{{item}}"),
            r#"{"a":1,"s":"x","z":{"b":1,"a":[1,2]}}"#
        );
        assert_eq!(sub(&b, "{{item.s}}/{{item.a}}"), "x/1");
        assert_eq!(sub(&b, "{{item.z}}"), r#"{"b":1,"a":[1,2]}"#);
        assert_eq!(
            sub(&b, "{{= item }}"),
            r#"{"a":"1","s":"x","z":"{\"b\":1,\"a\":[1,2]}"}"#
        );
    }

    #[test]
    fn scalars_and_lists_bind_their_text() {
        let mut b = bound("item", json!([1, "a", null]));
        bind_json(&mut b, "n", &json!(1.5));
        bind_json(&mut b, "t", &json!(true));
        bind_json(&mut b, "gone", &json!(null));
        assert_eq!(sub(&b, "{{item}} {{n}} {{t}}"), r#"[1,"a",null] 1.5 true"#);
        assert_eq!(sub(&b, "{{= len(fromJSON(item)) }}"), "3");
        assert!(sub(&b, "{{gone}}").contains("absent optional"));
        assert_eq!(sub(&b, "{{= gone ?? 'dflt' }}"), "dflt");
    }

    #[test]
    fn parameter_maps_bind_argo_parameter_lists() {
        let b = bound("workflow.parameters", json!({"b": "2", "a": 1}));
        assert_eq!(sub(&b, "{{workflow.parameters.a}}"), "1");
        let list = r#"[{"name":"b","value":"2"},{"name":"a","value":"1"}]"#;
        assert_eq!(sub(&b, "{{workflow.parameters.json}}"), list);
        assert_eq!(sub(&b, "{{workflow.parameters}}"), list);
        // In an expression the collection is shadowed by its children (spec §2.2), and
        // `workflow.parameters.json` is one of them.
        assert_eq!(
            sub(&b, "{{= workflow.parameters.b + workflow.parameters.a }}"),
            "21"
        );
        assert!(sub(&b, "{{= workflow.parameters }}").starts_with(r#"{"a":"1","b":"2","json":"#));
        let env = Env::from_flat(&bound("inputs.parameters", json!({"my-p": "v"})));
        assert!(env.has_path(&["inputs", "parameters", "my-p"]));
    }

    #[test]
    fn labels_bind_each_key_and_json() {
        let b = bound("workflow.labels", json!({"team": "data", "app": "x"}));
        assert_eq!(
            sub(&b, "{{workflow.labels.team}} {{workflow.labels.json}}"),
            r#"data {"app":"x","team":"data"}"#
        );
    }

    #[test]
    fn set_json_arguments_are_validated() {
        let mut b = Bindings::new();
        assert!(bind_json_arg(&mut b, "item={\"a\":1}").is_ok());
        assert_eq!(b.get("item.a"), Some(&Some("1".to_string())));
        assert!(
            bind_json_arg(&mut b, "item")
                .unwrap_err()
                .contains("NAME=JSON")
        );
        assert!(
            bind_json_arg(&mut b, "=1")
                .unwrap_err()
                .contains("NAME=JSON")
        );
        assert!(
            bind_json_arg(&mut b, "x={")
                .unwrap_err()
                .contains("invalid JSON")
        );
    }
}
