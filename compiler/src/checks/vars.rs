//! Variables and expressions (AW401–AW416): every `{{ }}` tag, `{{= }}` expression, `when`
//! condition, `depends` expression and raw `expression:` field of a workflow is checked
//! against the scope of the field where it appears (see [`crate::scope`]).
//!
//! [`walk`] decides the scope and kind of each field, [`field`] runs the expression engine's
//! static analysis on it and turns findings into diagnostics, [`classify`] explains references
//! that do not resolve. Each rule's file holds its docs and diagnostic constructor.

mod classify;
mod disabled_sprig_function;
mod expression_syntax_error;
mod expression_type_error;
mod field;
mod hyphenated_variable_name;
mod invalid_regex;
mod invalid_when_condition;
mod likely_type_error;
mod regex_dialect_difference;
mod shadowed_collection;
mod unclosed_template_tag;
mod undeclared_output;
mod undefined_variable;
mod unknown_function;
mod unsupported_expression_binding;
mod variable_out_of_scope;
mod walk;
mod wrong_argument_count;

use crate::checks::CheckContext;
use crate::diagnostics::{Diagnostic, Rule};
use crate::model::Object;
use crate::model::view::View;
use crate::model::walk::{all_calls, templates};
use crate::scope::globals::{globals, template_mode};
use crate::scope::nodes::Refs;
use crate::scope::reach::exit_handlers;
use crate::scope::tree::VarTree;

/// The rules of the variables check, sorted by code.
pub(crate) static RULES: &[&Rule] = &[
    &undefined_variable::RULE,
    &variable_out_of_scope::RULE,
    &undeclared_output::RULE,
    &unclosed_template_tag::RULE,
    &expression_syntax_error::RULE,
    &unknown_function::RULE,
    &wrong_argument_count::RULE,
    &disabled_sprig_function::RULE,
    &invalid_regex::RULE,
    &regex_dialect_difference::RULE,
    &expression_type_error::RULE,
    &likely_type_error::RULE,
    &hyphenated_variable_name::RULE,
    &shadowed_collection::RULE,
    &unsupported_expression_binding::RULE,
    &invalid_when_condition::RULE,
];

/// Checks every variable and expression of one object.
pub(crate) fn run(ctx: &CheckContext<'_>, obj: &Object<'_>, out: &mut Vec<Diagnostic>) {
    let Some(spec) = obj.workflow_spec() else {
        return;
    };
    let calls = all_calls(spec);
    let sites: Vec<_> = templates(spec).into_iter().map(|s| s.template).collect();
    let any_ref = calls.iter().any(|c| c.template_ref.is_some());
    let mut failures = VarTree::new();
    failures.leaf("workflow.failures");
    let mut wf_metrics = VarTree::new();
    wf_metrics
        .leaf("status")
        .leaf("duration")
        .dynamic("resourcesDuration");
    let shared = walk::Shared {
        globals: globals(obj, spec, &sites, any_ref),
        failures,
        wf_metrics,
    };
    let exit = (!template_mode(obj)).then(|| exit_handlers(spec, &calls));
    let default_retry = spec.retry_strategy().is_some_and(|r| !r.node().is_null())
        || spec
            .template_defaults()
            .and_then(|t| t.retry_strategy())
            .is_some_and(|r| !r.node().is_null());
    let mut walker = walk::Walker {
        sink: field::Sink { ctx, out },
        spec,
        exit,
        default_retry,
        refs: Refs {
            registry: ctx.refs,
            obj,
        },
    };
    walker.spec(spec, &shared);
    if let Some(cron) = obj
        .root
        .get("spec")
        .filter(|_| obj.kind == crate::model::Kind::CronWorkflow)
    {
        walker.cron(cron);
    }
}
