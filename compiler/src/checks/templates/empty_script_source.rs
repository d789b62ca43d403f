//! AW813: a script template whose `source` is empty.

use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;
use crate::model::walk;

declare_rule! {
    /// ## What it does
    /// Reports a `script` template whose `source` is empty or only whitespace. (A missing
    /// `source` is reported as a missing required field.)
    ///
    /// Argo rule: none (§2.15: `script.source` empty is not checked).
    ///
    /// ## Why is this bad?
    /// The script runs the interpreter on an empty file: it succeeds without doing anything, or
    /// the interpreter waits for input, so the step looks fine while nothing ran.
    ///
    /// ## Example
    /// ```yaml
    /// script:
    ///   image: python:3.12
    ///   command: [python]
    ///   source: ""
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// script:
    ///   image: python:3.12
    ///   command: [python]
    ///   source: print("hello")
    /// ```
    pub(crate) static RULE = ("AW813", "empty-script-source", Error, "a script template with an empty source");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    for site in walk::templates(spec) {
        let Some(source) = site.template.script().and_then(|s| s.source()) else {
            continue;
        };
        if source.as_str().is_some_and(|s| s.trim().is_empty()) {
            out.push(
                Diagnostic::new(&RULE, source.span(), "script `source` is empty")
                    .with_pointer(source.pointer())
                    .with_help("write the script to run in `source`"),
            );
        }
    }
}
