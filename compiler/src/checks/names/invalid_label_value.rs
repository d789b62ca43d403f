//! AW204: a label value that Kubernetes rejects.

use super::Input;
use super::metadata_maps;
use super::syntax::label_value;
use crate::checks::CheckContext;
use crate::checks::schema::has_template_tag;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;

declare_rule! {
    /// ## What it does
    /// Reports a label value longer than 63 characters or not matching
    /// `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]` (empty values are allowed). Checked wherever
    /// AW203 checks keys; values holding `{{...}}` are skipped where Argo substitutes them.
    /// Non-string values (numbers, booleans) are reported by the structural checks.
    ///
    /// Argo rule: none (Argo does not check metadata, see §2.15).
    ///
    /// ## Why is this bad?
    /// The API server refuses the object, or Argo fails at runtime when it creates a workflow or
    /// pod carrying the label.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     owner: "data team"
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     owner: data-team
    /// ```
    pub(crate) static RULE = ("AW204", "invalid-label-value", Error, "a label value that Kubernetes rejects");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    for m in metadata_maps(obj) {
        let Some(labels) = m.labels else {
            continue;
        };
        for (entry, node) in labels.entries() {
            let Some(value) = node.as_str() else {
                continue;
            };
            if m.templated && has_template_tag(value) {
                continue;
            }
            if let Err(why) = label_value(value) {
                out.push(
                    Diagnostic::new(
                        &RULE,
                        node.span(),
                        format!(
                            "value of label `{}` is invalid: {why}",
                            entry.key.escape_default()
                        ),
                    )
                    .with_pointer(node.pointer())
                    .with_help("use at most 63 letters, digits, `-`, `_` or `.`, starting and ending with a letter or digit; put free text in an annotation"),
                );
            }
        }
    }
}
