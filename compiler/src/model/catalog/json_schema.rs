//! JSON Schemas (draft-07) for editors, generated from the catalog: one per kind and `argo.json`
//! for any of them. `compiler/tests/generated.rs` keeps `schemas/*.json` in sync.
//!
//! Draft-07 is what yaml-language-server supports best. Choices that keep editor errors useful:
//! - closed objects have `additionalProperties: false`, so unknown fields are flagged;
//! - `$ref`s are never wrapped in `anyOf [X, null]` (that hides every error below the field
//!   behind one "not valid under any of the schemas" message); scalars accept `null` through a
//!   type array instead;
//! - scalars that may hold an Argo template tag accept strings through a `pattern`, which only
//!   constrains strings (`type: [integer, string]` + `pattern: "\{\{"` means "an integer, or a
//!   string with a tag");
//! - enumerations are a plain `enum`, so editors list the allowed values; the price is that a
//!   template tag in an enum field (`imagePullPolicy: "{{...}}"`, rare) is flagged in the editor,
//!   although Bosun accepts it;
//! - `argo.json` dispatches on `kind` with `if`/`then`, so errors come from one kind's schema.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::{Scalar, Ty, TypeId, get, root_type};
use crate::model::{ARGO_API_VERSION, Kind};

const DRAFT: &str = "http://json-schema.org/draft-07/schema#";
const ID_BASE: &str = "https://bosun.invalid/schemas/";
/// A string holding an Argo template tag, substituted at runtime.
const TEMPLATE: &str = r"\{\{";
const QUANTITY: &str =
    r"^\s*[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+|[numkMGTPE]|[KMGTPE]i)?\s*$";
const DURATION: &str = r"^[-+]?(0|(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$";
const INTEGER_STRING: &str = r"^[-+]?[0-9]+$";

/// The file name of the schema of `kind` (`workflow.json`).
pub fn file_name(kind: Kind) -> String {
    format!("{}.json", kind.as_str().to_ascii_lowercase())
}

/// Every schema file: one per kind, then `argo.json`.
pub fn files() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Kind::ALL
        .into_iter()
        .map(|k| (file_name(k), for_kind(k)))
        .collect();
    out.push(("argo.json".to_string(), for_any_kind()));
    out
}

/// The schema of one kind.
pub fn for_kind(kind: Kind) -> Value {
    let root = root_type(kind);
    let mut schema = Map::new();
    schema.insert("$schema".into(), json!(DRAFT));
    schema.insert("$id".into(), json!(format!("{ID_BASE}{}", file_name(kind))));
    schema.insert(
        "title".into(),
        json!(format!("Argo {} (Bosun)", kind.as_str())),
    );
    schema.insert("description".into(), json!(get(root).description));
    schema.insert("$ref".into(), json!(def_ref(root)));
    schema.insert("definitions".into(), definitions(&[root]));
    Value::Object(schema)
}

/// A schema accepting any of the four kinds, dispatching on `kind`.
pub fn for_any_kind() -> Value {
    let roots: Vec<TypeId> = Kind::ALL.into_iter().map(root_type).collect();
    let kinds: Vec<&str> = Kind::ALL.into_iter().map(Kind::as_str).collect();
    let branches: Vec<Value> = Kind::ALL
        .into_iter()
        .map(|k| {
            json!({
                "if": { "properties": { "kind": { "const": k.as_str() } }, "required": ["kind"] },
                "then": { "$ref": def_ref(root_type(k)) }
            })
        })
        .collect();
    json!({
        "$schema": DRAFT,
        "$id": format!("{ID_BASE}argo.json"),
        "title": "Argo Workflows manifests (Bosun)",
        "description": "A Workflow, WorkflowTemplate, ClusterWorkflowTemplate or CronWorkflow.",
        "type": "object",
        "required": ["apiVersion", "kind"],
        "properties": {
            "apiVersion": { "const": ARGO_API_VERSION },
            "kind": { "enum": kinds }
        },
        "allOf": branches,
        "definitions": definitions(&roots)
    })
}

fn def_ref(id: TypeId) -> String {
    format!("#/definitions/{}", get(id).name)
}

/// Definitions of every type reachable from `roots`, sorted by name.
fn definitions(roots: &[TypeId]) -> Value {
    let mut seen: BTreeSet<TypeId> = roots.iter().copied().collect();
    let mut queue: Vec<TypeId> = roots.to_vec();
    while let Some(id) = queue.pop() {
        for p in get(id).props {
            visit_refs(&p.ty, &mut |r| {
                if seen.insert(r) {
                    queue.push(r);
                }
            });
        }
    }
    let mut names: Vec<(&str, TypeId)> = seen.into_iter().map(|id| (get(id).name, id)).collect();
    names.sort();
    let mut defs = Map::new();
    for (name, id) in names {
        defs.insert(name.to_string(), object_schema(id));
    }
    Value::Object(defs)
}

fn visit_refs(ty: &Ty, f: &mut dyn FnMut(TypeId)) {
    match ty {
        Ty::Ref(id) => f(*id),
        Ty::Array(t) | Ty::Map(t) => visit_refs(t, f),
        Ty::Scalar(_) | Ty::Any => {}
    }
}

fn object_schema(id: TypeId) -> Value {
    let def = get(id);
    let mut props = Map::new();
    for p in def.props {
        let mut s = ty_schema(&p.ty);
        if !p.description.is_empty()
            && let Value::Object(m) = &mut s
        {
            m.insert("description".into(), json!(p.description));
        }
        props.insert(p.name.to_string(), s);
    }
    let mut out = Map::new();
    out.insert("type".into(), json!("object"));
    if !def.description.is_empty() {
        out.insert("description".into(), json!(def.description));
    }
    out.insert("properties".into(), Value::Object(props));
    if !def.required.is_empty() {
        out.insert("required".into(), json!(def.required));
    }
    out.insert("additionalProperties".into(), json!(false));
    Value::Object(out)
}

fn ty_schema(ty: &Ty) -> Value {
    match ty {
        Ty::Ref(id) => json!({ "$ref": def_ref(*id) }),
        Ty::Array(t) => json!({ "type": ["array", "null"], "items": ty_schema(t) }),
        Ty::Map(t) => json!({ "type": ["object", "null"], "additionalProperties": ty_schema(t) }),
        Ty::Any => json!({}),
        Ty::Scalar(s) => scalar_schema(*s),
    }
}

fn scalar_schema(s: Scalar) -> Value {
    match s {
        Scalar::String => json!({ "type": ["string", "null"] }),
        Scalar::Integer => json!({ "type": ["integer", "string", "null"], "pattern": TEMPLATE }),
        Scalar::Number => json!({ "type": ["number", "string", "null"], "pattern": TEMPLATE }),
        Scalar::Boolean => json!({ "type": ["boolean", "string", "null"], "pattern": TEMPLATE }),
        Scalar::IntOrString => json!({ "type": ["integer", "string", "null"] }),
        Scalar::IntOrIntString => json!({
            "type": ["integer", "string", "null"],
            "pattern": format!("{INTEGER_STRING}|{TEMPLATE}")
        }),
        Scalar::Quantity => json!({
            "type": ["number", "string", "null"],
            "pattern": format!("{QUANTITY}|{TEMPLATE}")
        }),
        Scalar::Duration => json!({
            "type": ["string", "null"],
            "pattern": format!("{DURATION}|{TEMPLATE}")
        }),
        Scalar::SecondsOrDuration => json!({
            "type": ["string", "null"],
            "pattern": format!("{INTEGER_STRING}|{DURATION}|{TEMPLATE}")
        }),
        Scalar::AnyString => json!({ "type": ["string", "number", "boolean", "null"] }),
        Scalar::Enum([only]) => json!({ "const": only }),
        Scalar::Enum(values) => {
            let mut allowed: Vec<Value> = values.iter().map(|v| json!(v)).collect();
            allowed.push(Value::Null);
            json!({ "enum": allowed })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_schema_resolves_its_refs() {
        for (_, schema) in files() {
            let defs = schema["definitions"].as_object().expect("definitions");
            let text = schema.to_string();
            for part in text.split("\"#/definitions/").skip(1) {
                let name = part.split('"').next().unwrap_or("");
                assert!(defs.contains_key(name), "dangling ref {name}");
            }
        }
    }

    #[test]
    fn closed_objects_reject_unknown_fields() {
        let schema = for_kind(Kind::Workflow);
        assert_eq!(
            schema["definitions"]["DAGTask"]["additionalProperties"],
            json!(false)
        );
        assert_eq!(
            schema["definitions"]["ObjectMeta"]["properties"]["labels"]["additionalProperties"],
            json!({ "type": ["string", "null"] })
        );
    }
}
