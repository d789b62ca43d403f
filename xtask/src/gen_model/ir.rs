//! From Argo's API JSON Schema to Bosun's model: which definitions are reachable from the four
//! kinds, and what every property's type is once the overrides are applied.
//!
//! Only object definitions become model types. Scalar-like definitions (`Quantity`, `Time`,
//! `IntOrString`) and array definitions (`ParallelSteps`) are inlined where they are used.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Map, Value};

use super::overrides::{Change, PROP_OVERRIDES, Replace, TYPE_OVERRIDES};

pub(crate) const ARGO_PREFIX: &str = "io.argoproj.workflow.v1alpha1.";

/// The four kinds, in `Kind::ALL` order.
pub(crate) const ROOTS: [&str; 4] = [
    "Workflow",
    "WorkflowTemplate",
    "ClusterWorkflowTemplate",
    "CronWorkflow",
];

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Scalar {
    String,
    Integer,
    Number,
    Boolean,
    IntOrString,
    IntOrIntString,
    Quantity,
    Duration,
    SecondsOrDuration,
    AnyString,
    Enum(Vec<String>),
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Ty {
    /// An object definition, by schema name.
    Ref(String),
    Array(Box<Ty>),
    Map(Box<Ty>),
    Scalar(Scalar),
    Any,
}

pub(crate) struct Prop {
    pub(crate) name: String,
    pub(crate) ty: Ty,
    pub(crate) description: String,
}

pub(crate) struct ObjType {
    /// Full definition name, e.g. `io.argoproj.workflow.v1alpha1.DAGTask`.
    pub(crate) schema_name: String,
    /// Unique short name, e.g. `DAGTask` (`K8sHTTPHeader` when the short name is taken).
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) props: Vec<Prop>,
    pub(crate) required: Vec<String>,
}

/// Every object type reachable from the four kinds, sorted by name.
pub(crate) struct Model {
    pub(crate) types: Vec<ObjType>,
}

impl Model {
    pub(crate) fn index_of(&self, schema_name: &str) -> Option<usize> {
        self.types.iter().position(|t| t.schema_name == schema_name)
    }
}

pub(crate) fn short_name(schema_name: &str) -> &str {
    schema_name.rsplit('.').next().unwrap_or(schema_name)
}

pub(crate) fn build(schema: &Value) -> Result<Model> {
    let defs = schema
        .get("definitions")
        .and_then(Value::as_object)
        .ok_or_else(|| anyhow!("the schema has no `definitions` object"))?;
    let conv = Converter { defs };

    // Breadth-first from the roots, following the *converted* types so that overridden
    // properties (status blocks) do not pull their subtrees in.
    let mut queue: Vec<String> = ROOTS.iter().map(|r| format!("{ARGO_PREFIX}{r}")).collect();
    let mut seen: BTreeSet<String> = queue.iter().cloned().collect();
    let mut built: BTreeMap<String, ObjType> = BTreeMap::new();
    while let Some(name) = queue.pop() {
        let obj = conv.object(&name)?;
        for p in &obj.props {
            p.ty.visit_refs(&mut |r| {
                if seen.insert(r.to_string()) {
                    queue.push(r.to_string());
                }
            });
        }
        built.insert(name, obj);
    }

    // Unique short names: Argo keeps the plain name, the other definition gets a `K8s` prefix.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for n in built.keys() {
        *counts.entry(short_name(n)).or_default() += 1;
    }
    let mut renamed: Vec<(String, String)> = Vec::new();
    for n in built.keys() {
        let short = short_name(n);
        let name = if counts[short] > 1 && !n.starts_with(ARGO_PREFIX) {
            format!("K8s{short}")
        } else {
            short.to_string()
        };
        renamed.push((n.clone(), name));
    }
    let mut types: Vec<ObjType> = Vec::new();
    for (schema_name, name) in renamed {
        if let Some(mut t) = built.remove(&schema_name) {
            t.name = name;
            types.push(t);
        }
    }
    types.sort_by(|a, b| a.name.cmp(&b.name));
    let names: BTreeSet<&str> = types.iter().map(|t| t.name.as_str()).collect();
    if names.len() != types.len() {
        bail!("type names are not unique after renaming");
    }
    Ok(Model { types })
}

impl Ty {
    pub(crate) fn visit_refs(&self, f: &mut dyn FnMut(&str)) {
        match self {
            Ty::Ref(r) => f(r),
            Ty::Array(t) | Ty::Map(t) => t.visit_refs(f),
            Ty::Scalar(_) | Ty::Any => {}
        }
    }
}

fn replacement(r: Replace) -> Ty {
    match r {
        Replace::Any => Ty::Any,
        Replace::MapOfAny => Ty::Map(Box::new(Ty::Any)),
        Replace::IntOrString => Ty::Scalar(Scalar::IntOrString),
        Replace::IntOrIntString => Ty::Scalar(Scalar::IntOrIntString),
        Replace::Quantity => Ty::Scalar(Scalar::Quantity),
        Replace::Duration => Ty::Scalar(Scalar::Duration),
        Replace::SecondsOrDuration => Ty::Scalar(Scalar::SecondsOrDuration),
        Replace::AnyString => Ty::Scalar(Scalar::AnyString),
        Replace::ArrayOfAnyString => Ty::Array(Box::new(Ty::Scalar(Scalar::AnyString))),
        Replace::Number => Ty::Scalar(Scalar::Number),
        Replace::Enum(values) => Ty::Scalar(Scalar::Enum(
            values.iter().map(|v| (*v).to_string()).collect(),
        )),
        Replace::ArrayOfEnum(values) => Ty::Array(Box::new(Ty::Scalar(Scalar::Enum(
            values.iter().map(|v| (*v).to_string()).collect(),
        )))),
    }
}

/// The description of a definition or property: `description`, else `title`, without
/// Kubernetes code-generation markers (`+optional`, `+listType=...`).
pub(crate) fn description(v: &Value) -> String {
    let raw = v
        .get("description")
        .or_else(|| v.get("title"))
        .and_then(Value::as_str)
        .unwrap_or("");
    // openapi-gen replaced the word "workflow." with the package path in Argo's comments.
    let raw = raw.replace(ARGO_PREFIX, "workflow.");
    raw.lines()
        .filter(|l| !l.trim_start().starts_with('+'))
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

struct Converter<'s> {
    defs: &'s Map<String, Value>,
}

impl Converter<'_> {
    fn def(&self, name: &str) -> Result<&Value> {
        self.defs
            .get(name)
            .ok_or_else(|| anyhow!("definition `{name}` is referenced but missing"))
    }

    fn object(&self, schema_name: &str) -> Result<ObjType> {
        let def = self.def(schema_name)?;
        let short = short_name(schema_name);
        let mut props = Vec::new();
        if let Some(map) = def.get("properties").and_then(Value::as_object) {
            for (pname, pschema) in map {
                let natural = self
                    .ty(pschema)
                    .with_context(|| format!("property `{short}.{pname}`"))?;
                let mut ty = natural;
                for o in PROP_OVERRIDES {
                    if o.ty == short
                        && o.prop == pname
                        && let Change::Type(r) = o.change
                    {
                        ty = replacement(r);
                    }
                }
                props.push(Prop {
                    name: pname.clone(),
                    ty,
                    description: description(pschema),
                });
            }
        }
        props.sort_by(|a, b| a.name.cmp(&b.name));
        let mut required: Vec<String> = def
            .get("required")
            .and_then(Value::as_array)
            .map(|r| {
                r.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default();
        required.retain(|r| {
            !PROP_OVERRIDES
                .iter()
                .any(|o| o.ty == short && o.prop == r && matches!(o.change, Change::NotRequired))
        });
        required.sort();
        Ok(ObjType {
            schema_name: schema_name.to_string(),
            name: short.to_string(),
            description: description(def),
            props,
            required,
        })
    }

    /// The natural type of a property schema (before property overrides).
    fn ty(&self, p: &Value) -> Result<Ty> {
        if let Some(r) = p.get("$ref").and_then(Value::as_str) {
            let name = r
                .strip_prefix("#/definitions/")
                .ok_or_else(|| anyhow!("unsupported $ref `{r}`"))?;
            return self.ref_ty(name);
        }
        if let Some(c) = p.get("const").and_then(Value::as_str) {
            return Ok(Ty::Scalar(Scalar::Enum(vec![c.to_string()])));
        }
        if let Some(values) = p.get("enum").and_then(Value::as_array) {
            let mut vs: Vec<String> = values
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect();
            vs.sort();
            return Ok(Ty::Scalar(Scalar::Enum(vs)));
        }
        match p.get("type").and_then(Value::as_str) {
            Some("string") => Ok(Ty::Scalar(Scalar::String)),
            Some("integer") => Ok(Ty::Scalar(Scalar::Integer)),
            Some("number") => Ok(Ty::Scalar(Scalar::Number)),
            Some("boolean") => Ok(Ty::Scalar(Scalar::Boolean)),
            Some("array") => {
                let items = p
                    .get("items")
                    .ok_or_else(|| anyhow!("array without `items`"))?;
                Ok(Ty::Array(Box::new(self.ty(items)?)))
            }
            Some("object") => match p.get("additionalProperties") {
                Some(ap) if ap.is_object() => Ok(Ty::Map(Box::new(self.ty(ap)?))),
                _ if p.get("properties").is_some() => {
                    bail!("inline object schemas are not supported")
                }
                _ => Ok(Ty::Map(Box::new(Ty::Any))),
            },
            None => Ok(Ty::Any),
            Some(other) => bail!("unsupported type `{other}`"),
        }
    }

    fn ref_ty(&self, name: &str) -> Result<Ty> {
        if let Some(o) = TYPE_OVERRIDES.iter().find(|o| o.schema_name == name) {
            return Ok(replacement(o.replace));
        }
        let def = self.def(name)?;
        match def.get("type").and_then(Value::as_str) {
            Some("object") => Ok(Ty::Ref(name.to_string())),
            // Definitions that are not objects are inlined (`Time` is a string, `ParallelSteps`
            // an array of steps).
            _ => self.ty(def),
        }
    }
}
