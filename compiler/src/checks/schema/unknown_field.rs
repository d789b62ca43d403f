//! AW101: a mapping has a field its type does not define.

use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::catalog::TypeDef;
use crate::source::Span;
use crate::suggest::did_you_mean;

declare_rule! {
    /// ## What it does
    /// Reports a field that the Argo or Kubernetes type at that place does not define, such as
    /// `dependancies` in a DAG task or `imagePullPolicies` in a container.
    ///
    /// ## Why is this bad?
    /// Argo decodes manifests strictly: `argo lint` and `argo submit` reject the whole object with
    /// `unknown field`. When a manifest reaches the cluster another way (for example with
    /// `kubectl apply` and Argo's default CRDs, which do not validate), the field is silently
    /// dropped: a misspelled `dependencies` makes a task run immediately instead of waiting.
    ///
    /// ## Example
    /// ```yaml
    /// - name: deploy
    ///   template: deploy
    ///   dependancies: [build]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: deploy
    ///   template: deploy
    ///   dependencies: [build]
    /// ```
    pub(crate) static RULE = ("AW101", "unknown-field", Error, "a field that its type does not define");
}

/// Lists the fields of a type in the note when there are at most this many.
const LIST_FIELDS_UP_TO: usize = 12;

pub(crate) fn diagnostic(key_span: Span, pointer: String, key: &str, ty: &TypeDef) -> Diagnostic {
    let ty_name = super::walk::display_name(ty);
    let d = Diagnostic::new(
        &RULE,
        key_span,
        format!("unknown field `{key}` in `{ty_name}`"),
    )
    .with_pointer(pointer);
    if let Some(s) = did_you_mean(key, ty.props.iter().map(|p| p.name)) {
        return d.with_help(format!("did you mean `{s}`?"));
    }
    if ty.props.is_empty() {
        return d.with_note(format!("`{ty_name}` takes no fields: write `{{}}`"));
    }
    if ty.props.len() <= LIST_FIELDS_UP_TO {
        let fields: Vec<String> = ty.props.iter().map(|p| format!("`{}`", p.name)).collect();
        return d.with_note(format!("`{ty_name}` fields are {}", fields.join(", ")));
    }
    d.with_help("remove the field, or check its spelling and indentation")
}
