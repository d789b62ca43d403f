//! AW203: a label or annotation key that is not a Kubernetes qualified name.

use super::Input;
use super::metadata_maps;
use super::syntax::qualified_name;
use crate::checks::CheckContext;
use crate::checks::schema::has_template_tag;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::parse::NodeRef;

declare_rule! {
    /// ## What it does
    /// Reports a label or annotation key that is not a Kubernetes qualified name: an optional
    /// DNS-subdomain prefix and `/`, then a name of at most 63 letters, digits, `-`, `_` and
    /// `.` that starts and ends with a letter or digit. Checked in `metadata`,
    /// `spec.workflowMetadata` (including `labelsFrom`), `spec.podMetadata`, a CronWorkflow's
    /// `spec.workflowMetadata` and each template's `metadata`. Keys holding `{{...}}` are skipped
    /// where Argo substitutes them.
    ///
    /// Argo rule: none (Argo does not check metadata, see §2.15); Kubernetes rejects such keys
    /// on the object or on the pods Argo creates.
    ///
    /// ## Why is this bad?
    /// Keys on the object itself are refused by the API server. Keys Argo copies to the
    /// workflow or to pods make the workflow fail when Argo creates them, at runtime.
    ///
    /// ## Example
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     team name: data
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// metadata:
    ///   labels:
    ///     team-name: data
    /// ```
    pub(crate) static RULE = ("AW203", "invalid-metadata-key", Error, "a label or annotation key that Kubernetes rejects");
}

pub(super) fn check(_ctx: &CheckContext<'_>, obj: &Input<'_>, out: &mut Vec<Diagnostic>) {
    for m in metadata_maps(obj) {
        for (what, map) in [
            ("label", m.labels),
            ("annotation", m.annotations),
            ("label", m.labels_from),
        ] {
            if let Some(map) = map {
                keys(map, what, m.templated, out);
            }
        }
    }
}

fn keys(map: NodeRef<'_>, what: &str, templated: bool, out: &mut Vec<Diagnostic>) {
    for (entry, value) in map.entries() {
        let key = &*entry.key;
        if templated && has_template_tag(key) {
            continue;
        }
        if let Err(why) = qualified_name(key) {
            out.push(
                Diagnostic::new(
                    &RULE,
                    entry.key_span,
                    format!("{what} key `{}` is invalid: {why}", key.escape_default()),
                )
                .with_pointer(value.pointer())
                .with_help("use `prefix/name` where the prefix is a DNS subdomain and the name has at most 63 letters, digits, `-`, `_` or `.`"),
            );
        }
    }
}
