//! The catalog: static data describing every type of the Argo model, for the structural checks,
//! the JSON Schemas and hover text.
//!
//! The data ([`types`], [`overrides`]) is generated from Argo's API JSON Schema by
//! `cargo xtask gen-model` into `model/generated/catalog.rs`; this file defines its shape and the
//! lookups. Only object types are [`TypeDef`]s; everything else is a [`Ty`] inlined where it is
//! used (`Quantity` is `Ty::Scalar(Scalar::Quantity)`, `ParallelSteps` an array of steps).

pub mod json_schema;

use super::Kind;
use super::generated::catalog as data;

/// Index of an object type in [`types`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TypeId(pub(crate) u16);

/// An object type: its fields and which of them are required.
#[derive(Debug)]
pub struct TypeDef {
    /// Short unique name, e.g. `DAGTask` (`K8sHTTPHeader` where Argo has a type of the same name).
    pub name: &'static str,
    /// Name of the definition in Argo's API schema, e.g. `io.argoproj.workflow.v1alpha1.DAGTask`.
    pub schema_name: &'static str,
    pub description: &'static str,
    /// Sorted by name.
    pub props: &'static [Prop],
    /// Sorted by name.
    pub required: &'static [&'static str],
}

impl TypeDef {
    /// The field called `name`.
    pub fn prop(&self, name: &str) -> Option<&'static Prop> {
        let props: &'static [Prop] = self.props;
        props
            .binary_search_by(|p| p.name.cmp(name))
            .ok()
            .and_then(|i| props.get(i))
    }

    pub fn is_required(&self, name: &str) -> bool {
        self.required.binary_search(&name).is_ok()
    }
}

/// A field of an object type.
#[derive(Debug)]
pub struct Prop {
    pub name: &'static str,
    pub ty: Ty,
    pub description: &'static str,
}

/// The type of a value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Ty {
    /// An object type from the catalog; unknown fields are errors.
    Ref(TypeId),
    Array(&'static Ty),
    /// A mapping with free-form keys (labels, `nodeSelector`, `hooks`).
    Map(&'static Ty),
    Scalar(Scalar),
    /// Anything (free-form data such as `withItems` entries).
    Any,
}

/// The scalar types and formats.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Scalar {
    String,
    /// An integer; integral floats (`1.0`) are accepted, as the YAML → JSON conversion prints them
    /// as integers.
    Integer,
    Number,
    Boolean,
    /// Kubernetes `IntOrString`: an integer or any string (`port: http`).
    IntOrString,
    /// Argo's numeric `IntOrString`: an integer or a string holding an integer (`limit: "3"`).
    IntOrIntString,
    /// Kubernetes `resource.Quantity`: a number or a string such as `500m`, `1Gi`, `1e3`.
    Quantity,
    /// A Go duration string (`time.ParseDuration`): `30s`, `1h30m`.
    Duration,
    /// Argo's `ParseStringToDuration`: a string with integer seconds (`"30"`) or a Go duration.
    SecondsOrDuration,
    /// Argo's `AnyString`: a string, number or boolean.
    AnyString,
    /// A string restricted to these values (sorted).
    Enum(&'static [&'static str]),
}

/// One place where the model departs from Argo's API schema, and why.
#[derive(Debug)]
pub struct Override {
    /// Short type name (`RetryStrategy`), or the full definition name for type-level overrides.
    pub ty: &'static str,
    /// The property, or `""` for type-level overrides.
    pub prop: &'static str,
    /// What changed, e.g. `Duration`, `enum Always|OnError`, `not required`.
    pub change: &'static str,
    pub reason: &'static str,
}

/// Every object type, sorted by name.
pub fn types() -> &'static [TypeDef] {
    data::TYPES
}

/// The type behind `id`.
pub fn get(id: TypeId) -> &'static TypeDef {
    // Ids only come from the generated table, so they are always in range.
    &data::TYPES[usize::from(id.0)]
}

/// Looks a type up by its short name (`DAGTask`).
pub fn by_name(name: &str) -> Option<TypeId> {
    data::TYPES
        .binary_search_by(|t| t.name.cmp(name))
        .ok()
        .and_then(|i| u16::try_from(i).ok())
        .map(TypeId)
}

/// Looks a type up by its schema definition name.
pub fn by_schema_name(schema_name: &str) -> Option<TypeId> {
    data::TYPES
        .iter()
        .position(|t| t.schema_name == schema_name)
        .and_then(|i| u16::try_from(i).ok())
        .map(TypeId)
}

/// The type of a whole object of `kind`.
pub fn root_type(kind: Kind) -> TypeId {
    match kind {
        Kind::Workflow => data::WORKFLOW,
        Kind::WorkflowTemplate => data::WORKFLOW_TEMPLATE,
        Kind::ClusterWorkflowTemplate => data::CLUSTER_WORKFLOW_TEMPLATE,
        Kind::CronWorkflow => data::CRON_WORKFLOW,
    }
}

/// Where the model intentionally departs from Argo's API schema.
pub fn overrides() -> &'static [Override] {
    data::OVERRIDES
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lookups_agree_with_the_table() {
        for (i, t) in types().iter().enumerate() {
            let id = by_name(t.name).expect("every name is found");
            assert_eq!(usize::from(id.0), i);
            assert_eq!(by_schema_name(t.schema_name), Some(id));
            assert!(t.props.windows(2).all(|w| w[0].name < w[1].name));
            for r in t.required {
                assert!(
                    t.prop(r).is_some(),
                    "{}.{r} is required but unknown",
                    t.name
                );
            }
        }
    }

    #[test]
    fn roots_are_the_four_kinds() {
        for kind in Kind::ALL {
            assert_eq!(get(root_type(kind)).name, kind.as_str());
        }
    }

    #[test]
    fn overrides_are_applied() {
        let dag_task = get(by_name("DAGTask").expect("DAGTask"));
        assert_eq!(
            dag_task.prop("dependencies").map(|p| p.ty),
            Some(Ty::Array(&Ty::Scalar(Scalar::String)))
        );
        let container = get(by_name("Container").expect("Container"));
        assert!(!container.is_required("image"));
        let parameter = get(by_name("Parameter").expect("Parameter"));
        assert_eq!(
            parameter.prop("value").map(|p| p.ty),
            Some(Ty::Scalar(Scalar::AnyString))
        );
    }
}
