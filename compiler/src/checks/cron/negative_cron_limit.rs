//! AW605: a negative deadline or history limit in a CronWorkflow spec.

use super::cron_spec;
use crate::checks::CheckContext;
use crate::declare_rule;
use crate::diagnostics::Diagnostic;
use crate::model::Object;

declare_rule! {
    /// ## What it does
    /// Reports a negative `startingDeadlineSeconds`, `successfulJobsHistoryLimit` or
    /// `failedJobsHistoryLimit`.
    ///
    /// Argo rule: ARGO-CRON-006 (`startingDeadlineSeconds`); the history limits are not checked
    /// by Argo (§2.15).
    ///
    /// ## Why is this bad?
    /// Argo rejects a negative starting deadline. A negative history limit is accepted and then
    /// behaves like zero: every finished workflow is deleted at once.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   startingDeadlineSeconds: -60
    ///   failedJobsHistoryLimit: -1
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   startingDeadlineSeconds: 60
    ///   failedJobsHistoryLimit: 1
    /// ```
    pub(crate) static RULE = ("AW605", "negative-cron-limit", Error, "a negative deadline or history limit in a CronWorkflow");
}

pub(crate) fn check(_ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = cron_spec(obj) else { return };
    let fields = [
        ("startingDeadlineSeconds", spec.starting_deadline_seconds()),
        (
            "successfulJobsHistoryLimit",
            spec.successful_jobs_history_limit(),
        ),
        ("failedJobsHistoryLimit", spec.failed_jobs_history_limit()),
    ];
    for (name, node) in fields {
        let Some(node) = node else { continue };
        let Some(value) = node.as_i64() else { continue };
        if value < 0 {
            out.push(
                Diagnostic::new(&RULE, node.span(), format!("`{name}` is negative"))
                    .with_label(format!("{value} is below 0"))
                    .with_pointer(node.pointer())
                    .with_help("use 0 or a positive number"),
            );
        }
    }
}
