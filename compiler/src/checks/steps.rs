//! Steps checks (AW320–AW321): the shape of step groups. Steps that read the outputs of steps
//! that have not run yet (FN-04) are the variable-scope checks' (AW402).
//!
//! Each rule is one file walking every steps template (inline ones included); this module only
//! runs them in code order. Whether `steps` is a list of lists is the structural checks' job
//! (AW102); wrong shapes are skipped here.

mod empty_step_group;
mod empty_steps;

use crate::checks::CheckContext;
use crate::diagnostics::{Diagnostic, Rule};
use crate::model::Object;
use crate::model::walk::{self, TemplateSite};

/// The rules of this group, sorted by code.
pub(crate) static RULES: &[&Rule] = &[&empty_steps::RULE, &empty_step_group::RULE];

type CheckFn = fn(&CheckContext<'_>, &[TemplateSite<'_>], &mut Vec<Diagnostic>);

/// Each rule's check, in the order of [`RULES`].
const CHECKS: &[(&Rule, CheckFn)] = &[
    (&empty_steps::RULE, empty_steps::check),
    (&empty_step_group::RULE, empty_step_group::check),
];

/// Runs every enabled rule of the group on the templates of one object (walked once).
pub(crate) fn run(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let templates = walk::templates(spec);
    for (rule, check) in CHECKS {
        if ctx.settings.rules.is_enabled(rule) {
            check(ctx, &templates, out);
        }
    }
}
