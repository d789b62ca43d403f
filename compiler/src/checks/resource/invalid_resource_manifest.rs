//! AW823: a resource manifest that is not valid YAML, or not a Kubernetes object.

use super::{manifest, resources};
use crate::checks::CheckContext;
use crate::checks::scalar::substitute_tags;
use crate::declare_rule;
use crate::diagnostics::{Diagnostic, Severity};
use crate::model::Object;
use crate::parse::{Limits, NodeRef, parse_file};
use crate::source::{FileId, SourceFile, Span};

declare_rule! {
    /// ## What it does
    /// Parses `resource.manifest` as YAML after replacing every template tag (`{{...}}`,
    /// `{{=...}}`) by a plain word, as Argo does before its own check. The first document must
    /// then be a mapping with `apiVersion` and `kind`, except for `patch` with
    /// `mergeStrategy: json`, whose manifest is a JSON patch list, and for `patch`, `get` and
    /// `delete` with `flags` naming the object (the manifest is then only a mapping).
    ///
    /// Skipped when the manifest is a single tag, or when a tag fills a whole line (it may expand
    /// to several lines of YAML).
    ///
    /// Argo rule: ARGO-LEAF-014 (the `apiVersion`/`kind` check is Bosun's).
    ///
    /// ## Why is this bad?
    /// Argo rejects a manifest that does not parse (`templates.<T>.resource.manifest must be a
    /// valid yaml`); one without `apiVersion` or `kind` fails when kubectl runs in the step.
    ///
    /// ## Example
    /// ```yaml
    /// resource:
    ///   action: create
    ///   manifest: |
    ///     apiVersion: v1
    ///     kind: ConfigMap
    ///     metadata:
    ///       name: {{workflow.name}}-config
    ///     data:
    ///     key: value: other
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resource:
    ///   action: create
    ///   manifest: |
    ///     apiVersion: v1
    ///     kind: ConfigMap
    ///     metadata:
    ///       name: {{workflow.name}}-config
    ///     data:
    ///       key: "value: other"
    /// ```
    pub(crate) static RULE = ("AW823", "invalid-resource-manifest", Error, "a resource manifest that is not a valid Kubernetes object");
}

pub(crate) fn check(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for (_, r) in resources(spec) {
        let Some(node) = manifest(&r) else { continue };
        let text = node.as_str().unwrap_or_default();
        if is_dynamic(text) {
            continue;
        }
        let action = r.action().and_then(|a| a.as_str());
        let json_patch =
            action == Some("patch") && r.merge_strategy().and_then(|m| m.as_str()) == Some("json");
        // `kubectl patch|get|delete <flags>` names the object in the flags.
        let named_by_flags = matches!(action, Some("patch" | "get" | "delete"))
            && r.flags().is_some_and(|f| !f.is_empty());
        let shape = if json_patch {
            Shape::Any
        } else if named_by_flags {
            Shape::Mapping
        } else {
            Shape::Object
        };
        if let Some(problem) = problem(&substitute_tags(text, "x"), shape) {
            let span = problem
                .line
                .and_then(|l| line_span(ctx, node, l))
                .unwrap_or_else(|| node.span());
            out.push(
                Diagnostic::new(&RULE, span, problem.message)
                    .with_label(problem.label)
                    .with_pointer(node.pointer())
                    .with_help(problem.help),
            );
        }
    }
}

/// The whole manifest is one tag, or a tag fills a line: the YAML structure is only known at
/// runtime.
fn is_dynamic(text: &str) -> bool {
    text.lines().any(|line| {
        let l = line.trim();
        l.starts_with("{{") && l.ends_with("}}") && !l[2..].contains("{{")
    })
}

/// What the first document must be.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shape {
    /// Anything (a JSON patch is a list).
    Any,
    /// A mapping (a merge patch).
    Mapping,
    /// A mapping with `apiVersion` and `kind`.
    Object,
}

struct Problem {
    /// The manifest line (1-based) the problem is on, when known.
    line: Option<usize>,
    message: String,
    label: String,
    help: &'static str,
}

fn problem(text: &str, shape: Shape) -> Option<Problem> {
    let file = SourceFile::new(FileId(u32::MAX), "manifest", text.to_string());
    let mut diagnostics = Vec::new();
    let docs = parse_file(&file, &Limits::default(), &mut diagnostics);
    if let Some(d) = diagnostics.iter().find(|d| d.severity == Severity::Error) {
        let line = file.line_col(d.span().start).line;
        return Some(Problem {
            line: Some(line as usize),
            message: "resource manifest is not valid YAML".to_string(),
            label: format!("manifest line {line}: {}", d.message),
            help: "check the indentation and quote values that contain `: ` or start with `{`",
        });
    }
    let root = docs.first().and_then(|d| d.root())?;
    if shape == Shape::Any {
        return None;
    }
    if !root.is_map() {
        return Some(Problem {
            line: None,
            message: "resource manifest is not a Kubernetes object".to_string(),
            label: format!("the manifest is a {}, not a mapping", root.type_name()),
            help: "write one object with `apiVersion`, `kind` and `metadata`",
        });
    }
    if shape == Shape::Mapping {
        return None;
    }
    let missing: Vec<&str> = ["apiVersion", "kind"]
        .into_iter()
        .filter(|k| root.get(k).is_none_or(|v| v.as_str().is_none()))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let fields = missing
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(" and ");
    Some(Problem {
        line: None,
        message: format!("resource manifest has no {fields}"),
        label: "kubectl needs them to know what to create".to_string(),
        help: "add `apiVersion` and `kind` at the top of the manifest",
    })
}

/// The source span of line `line` of a block scalar's value, when the source lines match the
/// value's lines one to one (a literal block); `None` otherwise.
fn line_span(ctx: &CheckContext<'_>, node: NodeRef<'_>, line: usize) -> Option<Span> {
    let span = node.span();
    let raw = ctx.sources.get(span.file)?.slice(span);
    let value = node.as_str()?;
    let want = value.lines().nth(line.checked_sub(1)?)?.trim();
    let mut offset = 0;
    for (i, raw_line) in raw.split_inclusive('\n').enumerate() {
        if i + 1 == line {
            if raw_line.trim() != want || want.is_empty() {
                return None;
            }
            let lead = raw_line.len() - raw_line.trim_start().len();
            return Some(span.sub(offset + lead, offset + lead + want.len()));
        }
        offset += raw_line.len();
    }
    None
}
