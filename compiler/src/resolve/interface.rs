//! What a template declares at its boundary: input parameters and artifacts (which are
//! required, which enums restrict them) and outputs. Built once per referenced template by the
//! [`super::Registry`] and shared by every reference to it.

use crate::model::view::View;
use crate::model::views::{Arguments, Artifact, Parameter, Template};
use crate::model::walk::TemplateType;

/// The inputs and outputs of one template.
#[derive(Clone, Debug)]
pub struct Interface<'a> {
    pub template: Template<'a>,
    pub parameters: Vec<InputParameter<'a>>,
    pub artifacts: Vec<InputArtifact<'a>>,
    /// What callers can read after the template ran.
    pub outputs: Outputs<'a>,
}

/// What a template exposes to the step or task that calls it: `outputs.parameters.<P>`,
/// `outputs.artifacts.<A>`, `outputs.result`/`exitCode`, `ip`.
#[derive(Clone, Debug, Default)]
pub struct Outputs<'a> {
    /// `outputs.parameters[*].name`.
    pub parameters: Vec<&'a str>,
    /// `outputs.artifacts[*].name`.
    pub artifacts: Vec<&'a str>,
    /// Whether the template sets `outputs.result` and `exitCode` (see [`produces_result`]).
    pub has_result: bool,
    /// `daemon: true`: callers can read `ip`.
    pub daemon: bool,
}

impl<'a> Outputs<'a> {
    pub fn of(template: Template<'a>) -> Self {
        let outputs = template.outputs();
        Outputs {
            parameters: outputs
                .and_then(|o| o.parameters())
                .map(|ps| ps.iter().filter_map(|p| p.name()?.as_str()).collect())
                .unwrap_or_default(),
            artifacts: outputs
                .and_then(|o| o.artifacts())
                .map(|arts| arts.iter().filter_map(|a| a.name()?.as_str()).collect())
                .unwrap_or_default(),
            has_result: produces_result(template),
            daemon: template.daemon().and_then(|d| d.as_bool()) == Some(true),
        }
    }
}

/// Whether a template sets `outputs.result` and `exitCode`: container, script, data, http and
/// plugin templates, and containerSets with a container named `main` (argo-rules ARGO-VAR-007).
pub fn produces_result(t: Template<'_>) -> bool {
    match t.template_type() {
        Some(
            TemplateType::Container
            | TemplateType::Script
            | TemplateType::Data
            | TemplateType::Http
            | TemplateType::Plugin,
        ) => true,
        Some(TemplateType::ContainerSet) => t
            .container_set()
            .and_then(|cs| cs.containers())
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c.node().get("name").and_then(|n| n.as_str()) == Some("main"))
            }),
        _ => false,
    }
}

/// One declared input parameter.
#[derive(Clone, Debug)]
pub struct InputParameter<'a> {
    pub name: &'a str,
    pub decl: Parameter<'a>,
    /// No `value`, `default` or `valueFrom`: a caller must pass it (Argo: `inputs.parameters.P
    /// was not supplied`).
    pub required: bool,
    /// `enum` values as text, when the parameter declares a non-empty enum.
    pub enum_values: Option<Vec<String>>,
}

/// One declared input artifact.
#[derive(Clone, Debug)]
pub struct InputArtifact<'a> {
    pub name: &'a str,
    pub decl: Artifact<'a>,
    /// Not `optional` and without a source of its own (`from`, `fromExpression`, a location or
    /// a repository `key`): a caller must pass it.
    pub required: bool,
}

/// Artifact fields that give an input artifact a source of its own.
const ARTIFACT_SOURCES: &[&str] = &[
    "from",
    "fromExpression",
    "s3",
    "gcs",
    "oss",
    "azure",
    "artifactory",
    "http",
    "git",
    "hdfs",
    "raw",
    "plugin",
    "key",
];

impl<'a> Interface<'a> {
    pub fn of(template: Template<'a>) -> Self {
        let inputs = template.inputs();
        let parameters = inputs
            .and_then(|i| i.parameters())
            .map(|ps| ps.iter().filter_map(input_parameter).collect())
            .unwrap_or_default();
        let artifacts = inputs
            .and_then(|i| i.artifacts())
            .map(|arts| arts.iter().filter_map(input_artifact).collect())
            .unwrap_or_default();
        Interface {
            template,
            parameters,
            artifacts,
            outputs: Outputs::of(template),
        }
    }

    pub fn parameter(&self, name: &str) -> Option<&InputParameter<'a>> {
        self.parameters.iter().find(|p| p.name == name)
    }

    pub fn artifact(&self, name: &str) -> Option<&InputArtifact<'a>> {
        self.artifacts.iter().find(|a| a.name == name)
    }
}

fn present(node: Option<crate::parse::NodeRef<'_>>) -> bool {
    node.is_some_and(|n| !n.is_null())
}

fn input_parameter(decl: Parameter<'_>) -> Option<InputParameter<'_>> {
    let name = decl.name()?.as_str()?;
    let required = !present(decl.value())
        && !present(decl.default())
        && !present(decl.value_from().map(|v| v.node()));
    Some(InputParameter {
        name,
        decl,
        required,
        enum_values: enum_values(decl),
    })
}

fn input_artifact(decl: Artifact<'_>) -> Option<InputArtifact<'_>> {
    let name = decl.name()?.as_str()?;
    let optional = decl.optional().and_then(|o| o.as_bool()) == Some(true);
    let sourced = ARTIFACT_SOURCES.iter().any(|f| present(decl.node().get(f)));
    Some(InputArtifact {
        name,
        decl,
        required: !optional && !sourced,
    })
}

/// The values of a parameter's non-empty `enum`, as text.
pub fn enum_values(decl: Parameter<'_>) -> Option<Vec<String>> {
    let values: Vec<String> = decl
        .r#enum()?
        .iter()
        .filter_map(|v| v.scalar_text())
        .collect();
    (!values.is_empty()).then_some(values)
}

/// Argo's parameter merge for `workflowTemplateRef` (`util.MergeParameters`): the Workflow's own
/// parameters first, then the template's; the first occurrence of a name wins and replaces the
/// other's whole parameter object (enum included).
pub fn merged_parameters<'a>(
    own: Option<Arguments<'a>>,
    inherited: Option<Arguments<'a>>,
) -> Vec<Parameter<'a>> {
    let mut out: Vec<Parameter<'a>> = Vec::new();
    for args in [own, inherited].into_iter().flatten() {
        let params: Vec<Parameter<'a>> = args
            .parameters()
            .map(|ps| ps.iter().collect())
            .unwrap_or_default();
        for p in params {
            let name = p.name().and_then(|n| n.as_str());
            if name.is_none_or(|n| {
                !out.iter()
                    .any(|q| q.name().and_then(|m| m.as_str()) == Some(n))
            }) {
                out.push(p);
            }
        }
    }
    out
}
