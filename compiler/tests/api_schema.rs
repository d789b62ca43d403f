//! Acceptance: Bosun's catalog agrees with Argo's API JSON Schema. Every property of every type
//! reachable from the four kinds is known with the same type and the same enum values, and the
//! same required fields, except where the catalog's override table (`catalog::overrides()`, copied
//! from `xtask/src/gen_model/overrides.rs`) says otherwise.
//!
//! The schema is read independently of the generator, so a generator bug shows up here. Skipped
//! (with a message) when `../shared` is not checked out next to the workspace.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use compiler::model::catalog::{self, Scalar, Ty};
use serde_json::Value;

const ARGO: &str = "io.argoproj.workflow.v1alpha1.";

fn short(schema_name: &str) -> &str {
    schema_name.rsplit('.').next().unwrap_or(schema_name)
}

struct Schema {
    defs: serde_json::Map<String, Value>,
    /// Definitions replaced as a whole (`IntOrString`, `Quantity`, `Item`, ...).
    type_overrides: BTreeSet<&'static str>,
    /// `(short type name, property)` with a type override.
    prop_overrides: BTreeSet<(&'static str, &'static str)>,
    not_required: BTreeSet<(&'static str, &'static str)>,
}

impl Schema {
    /// A type descriptor for a property schema, in the catalog's vocabulary.
    fn describe(&self, p: &Value) -> String {
        if let Some(r) = p.get("$ref").and_then(Value::as_str) {
            let name = r.trim_start_matches("#/definitions/");
            if self.type_overrides.contains(name) {
                return format!("overridden:{name}");
            }
            let def = &self.defs[name];
            return match def.get("type").and_then(Value::as_str) {
                Some("object") => format!("ref:{name}"),
                _ => self.describe(def),
            };
        }
        if let Some(c) = p.get("const").and_then(Value::as_str) {
            return format!("enum[{c}]");
        }
        if let Some(values) = p.get("enum").and_then(Value::as_array) {
            let mut vs: Vec<&str> = values.iter().filter_map(Value::as_str).collect();
            vs.sort_unstable();
            return format!("enum[{}]", vs.join("|"));
        }
        match p.get("type").and_then(Value::as_str) {
            Some("array") => format!("array({})", self.describe(&p["items"])),
            Some("object") => match p.get("additionalProperties") {
                Some(ap) if ap.is_object() => format!("map({})", self.describe(ap)),
                _ => "map(any)".to_string(),
            },
            Some(t) => t.to_string(),
            None => "any".to_string(),
        }
    }

    fn refs(&self, p: &Value, out: &mut Vec<String>) {
        match p {
            Value::Object(m) => {
                for (k, v) in m {
                    if k == "$ref" {
                        if let Some(r) = v.as_str() {
                            out.push(r.trim_start_matches("#/definitions/").to_string());
                        }
                    } else {
                        self.refs(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| self.refs(v, out)),
            _ => {}
        }
    }

    /// Object definitions reachable from the four kinds, not following overridden properties.
    fn reachable(&self) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut queue: Vec<String> = [
            "Workflow",
            "WorkflowTemplate",
            "ClusterWorkflowTemplate",
            "CronWorkflow",
        ]
        .iter()
        .map(|k| format!("{ARGO}{k}"))
        .collect();
        while let Some(name) = queue.pop() {
            if self.type_overrides.contains(name.as_str()) || !seen.insert(name.clone()) {
                continue;
            }
            let def = &self.defs[&name];
            let mut refs = Vec::new();
            if let Some(props) = def.get("properties").and_then(Value::as_object) {
                for (pname, p) in props {
                    if !self
                        .prop_overrides
                        .contains(&(short(&name), pname.as_str()))
                    {
                        self.refs(p, &mut refs);
                    }
                }
            } else {
                self.refs(def, &mut refs);
            }
            queue.extend(refs);
        }
        seen.retain(|n| self.defs[n].get("type").and_then(Value::as_str) == Some("object"));
        seen
    }
}

fn describe_catalog(ty: &Ty) -> String {
    match ty {
        Ty::Ref(id) => format!("ref:{}", catalog::get(*id).schema_name),
        Ty::Array(t) => format!("array({})", describe_catalog(t)),
        Ty::Map(t) => format!("map({})", describe_catalog(t)),
        Ty::Any => "any".to_string(),
        Ty::Scalar(Scalar::Enum(values)) => format!("enum[{}]", values.join("|")),
        Ty::Scalar(s) => format!("{s:?}").to_lowercase(),
    }
}

#[test]
fn catalog_matches_argo_api_schema() {
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/specs/argo-api-schema.json");
    let Ok(text) = std::fs::read_to_string(&path) else {
        println!("skipping: ../shared not found");
        return;
    };
    let json: Value = serde_json::from_str(&text).expect("schema is JSON");
    let mut schema = Schema {
        defs: json["definitions"]
            .as_object()
            .expect("definitions")
            .clone(),
        type_overrides: BTreeSet::new(),
        prop_overrides: BTreeSet::new(),
        not_required: BTreeSet::new(),
    };
    for o in catalog::overrides() {
        match (o.prop, o.change) {
            ("", _) => {
                schema.type_overrides.insert(o.ty);
            }
            (p, "not required") => {
                schema.not_required.insert((o.ty, p));
            }
            (p, _) => {
                schema.prop_overrides.insert((o.ty, p));
            }
        }
    }

    let reachable = schema.reachable();
    let mut problems: Vec<String> = Vec::new();
    let mut checked_props = 0;
    for name in &reachable {
        let Some(id) = catalog::by_schema_name(name) else {
            problems.push(format!("type {name} is missing from the catalog"));
            continue;
        };
        let def = catalog::get(id);
        let ty = short(name);
        let props = schema.defs[name]
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for (pname, p) in &props {
            checked_props += 1;
            let Some(prop) = def.prop(pname) else {
                problems.push(format!("{ty}.{pname} is missing from the catalog"));
                continue;
            };
            let expected = schema.describe(p);
            let found = describe_catalog(&prop.ty);
            let overridden = schema.prop_overrides.contains(&(ty, pname.as_str()))
                || expected.contains("overridden:");
            if expected != found && !overridden {
                problems.push(format!(
                    "{ty}.{pname}: schema says {expected}, catalog says {found}"
                ));
            }
        }
        for p in def.props {
            if !props.contains_key(p.name) {
                problems.push(format!(
                    "{ty}.{} is in the catalog but not in the schema",
                    p.name
                ));
            }
        }
        let required: BTreeSet<&str> = schema.defs[name]
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let bosun: BTreeSet<&str> = def.required.iter().copied().collect();
        for r in required.symmetric_difference(&bosun) {
            if !schema.not_required.contains(&(ty, *r)) {
                problems.push(format!("{ty}.{r}: required differs from the schema"));
            }
        }
    }
    let catalog_types: BTreeMap<&str, ()> = catalog::types()
        .iter()
        .map(|t| (t.schema_name, ()))
        .collect();
    for name in catalog_types.keys() {
        if !reachable.contains(*name) {
            problems.push(format!(
                "catalog type {name} is not reachable in the schema"
            ));
        }
    }
    println!(
        "api schema: {} types, {checked_props} properties compared, {} overrides",
        reachable.len(),
        catalog::overrides().len()
    );
    assert!(
        problems.is_empty(),
        "catalog drifted from the API schema:\n{}",
        problems.join("\n")
    );
}
