//! AW320: a steps template with no step groups.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::view::View;
use crate::model::walk::TemplateSite;

declare_rule! {
    /// ## What it does
    /// Reports a template whose `steps` list is empty (`steps: []`).
    ///
    /// Argo rule: none in `argo lint` (§2.15); Argo's full CRD requires at least one item, so
    /// the API server refuses it where those CRDs are installed.
    ///
    /// ## Why is this bad?
    /// Depending on the installed CRDs the workflow is refused, or runs a template that does
    /// nothing. Usually the steps were lost in an edit or mis-indented.
    ///
    /// ## Example
    /// ```yaml
    /// - name: main
    ///   steps: []
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// - name: main
    ///   steps:
    ///     - - name: hello
    ///         template: hello
    /// ```
    pub(crate) static RULE = ("AW320", "empty-steps", Error, "a steps template without steps");
}

pub(super) fn check(
    _ctx: &CheckContext<'_>,
    templates: &[TemplateSite<'_>],
    out: &mut Vec<Diagnostic>,
) {
    for site in templates {
        let Some(steps) = site.template.steps() else {
            continue;
        };
        let node = steps.node();
        if node.is_seq() && steps.is_empty() {
            out.push(
                Diagnostic::new(&RULE, node.key_span(), "this steps template has no steps")
                    .with_pointer(node.pointer())
                    .with_help("add at least one group of steps: `- - name: ...`"),
            );
        }
    }
}
