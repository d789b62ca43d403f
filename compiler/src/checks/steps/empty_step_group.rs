//! AW321: an empty group in a steps template.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::view::View;
use crate::model::walk::TemplateSite;

declare_rule! {
    /// ## What it does
    /// Reports an empty group (`- []`) in a template's `steps`.
    ///
    /// Argo rule: none; Argo accepts and skips empty groups.
    ///
    /// ## Why is this bad?
    /// It does nothing. It is often the trace of a mis-indented step: `- -` written as `-` on
    /// its own line, or a group whose steps were deleted.
    ///
    /// ## Example
    /// ```yaml
    /// steps:
    ///   - []
    ///   - - name: hello
    ///       template: hello
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// steps:
    ///   - - name: hello
    ///       template: hello
    /// ```
    pub(crate) static RULE = ("AW321", "empty-step-group", Warning, "an empty group of steps");
}

pub(super) fn check(
    _ctx: &CheckContext<'_>,
    templates: &[TemplateSite<'_>],
    out: &mut Vec<Diagnostic>,
) {
    for site in templates {
        let Some(groups) = site.template.steps() else {
            continue;
        };
        for group in groups.iter() {
            let node = group.node();
            if node.is_seq() && group.is_empty() {
                out.push(
                    Diagnostic::new(&RULE, node.span(), "this group of steps is empty")
                        .with_pointer(node.pointer())
                        .with_help("remove the empty group, or check the indentation of the steps around it"),
                );
            }
        }
    }
}
