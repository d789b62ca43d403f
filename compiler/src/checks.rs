//! The checks and the registry of every rule.
//!
//! A check is a function over one recognised [`Object`]; it walks the typed model itself and
//! pushes diagnostics. Each rule lives in its own file with its docs (see `declare_rule!`).
//! Adding a check: write the file, add it to [`CHECKS`] (sorted by code), add
//! `tests/fixtures/<CODE>/`, accept the snapshot.

mod args;
mod artifacts;
mod container_set;
mod cron;
mod dag;
mod hooks;
mod loops;
mod metrics;
mod names;
mod pod;
mod policy;
mod refs;
mod resource;
mod scalar;
mod scalar_span;
mod schema;
mod steps;
mod templates;
mod vars;
mod volumes;
mod workflow;

use crate::config::LintSettings;
use crate::diagnostics::{Diagnostic, Rule};
use crate::model::Object;
use crate::resolve::Registry;
use crate::source::SourceMap;

/// What a check may look at besides its object.
pub struct CheckContext<'a> {
    pub sources: &'a SourceMap,
    pub settings: &'a LintSettings,
    /// Every (Cluster)WorkflowTemplate of the run and beyond, for references across objects.
    pub refs: &'a Registry<'a>,
}

/// A check: the rules it can report and the function that runs it.
pub struct Check {
    pub rules: &'static [&'static Rule],
    pub run: fn(&CheckContext<'_>, &Object<'_>, &mut Vec<Diagnostic>),
}

/// A check that reports a single rule: the rule file's `RULE` and `check`.
macro_rules! rule {
    ($($path:ident)::+) => {
        Check {
            rules: &[&$($path)::+::RULE],
            run: $($path)::+::check,
        }
    };
}

/// Every check, sorted by the first code it reports.
pub static CHECKS: &[Check] = &[
    Check {
        rules: schema::RULES,
        run: schema::run,
    },
    Check {
        rules: names::RULES,
        run: names::run,
    },
    rule!(hooks::missing_hook_expression),
    Check {
        rules: dag::RULES,
        run: dag::run,
    },
    Check {
        rules: steps::RULES,
        run: steps::run,
    },
    rule!(loops::conflicting_loop_fields),
    rule!(loops::invalid_sequence),
    Check {
        rules: vars::RULES,
        run: vars::run,
    },
    Check {
        rules: args::RULES,
        run: args::run,
    },
    rule!(args::missing_argument_value),
    rule!(args::invalid_argument_value_from),
    rule!(args::invalid_artifact_argument),
    rule!(args::empty_parameter_enum),
    rule!(refs::unresolved_template_ref),
    rule!(refs::undefined_ref_template),
    rule!(refs::missing_ref_input),
    rule!(refs::ref_argument_not_in_enum),
    rule!(refs::unknown_ref_argument),
    rule!(refs::dynamic_template_ref),
    rule!(refs::template_ref_cycle),
    rule!(refs::duplicate_template_definition),
    rule!(refs::templates_with_workflow_template_ref),
    rule!(refs::incomplete_template_ref),
    rule!(cron::invalid_cron_schedule),
    rule!(cron::never_firing_schedule),
    rule!(cron::missing_cron_schedule),
    rule!(cron::invalid_timezone),
    rule!(cron::negative_cron_limit),
    rule!(volumes::undefined_volume),
    rule!(volumes::duplicate_volume_name),
    rule!(volumes::duplicate_mount_path),
    rule!(volumes::artifact_path_collides_with_mount),
    rule!(templates::unsupported_template_field),
    rule!(templates::out_of_range_value),
    rule!(templates::missing_image),
    rule!(templates::empty_script_source),
    rule!(container_set::empty_container_set),
    rule!(container_set::undefined_container_dependency),
    rule!(container_set::container_dependency_cycle),
    rule!(container_set::missing_main_container),
    rule!(container_set::invalid_container_name),
    rule!(templates::invalid_http_body),
    rule!(resource::missing_resource_manifest),
    rule!(resource::conflicting_resource_manifest),
    rule!(resource::undefined_manifest_artifact),
    rule!(resource::invalid_resource_manifest),
    rule!(resource::invalid_resource_condition),
    rule!(templates::invalid_plugin_template),
    rule!(metrics::invalid_metric_name),
    rule!(metrics::invalid_metric_label),
    rule!(metrics::empty_metric_help),
    rule!(metrics::invalid_metric_type),
    rule!(metrics::empty_metric_value),
    rule!(metrics::realtime_resources_duration),
    rule!(metrics::invalid_histogram_buckets),
    rule!(artifacts::missing_artifact_path),
    rule!(artifacts::artifact_path_on_non_leaf),
    rule!(artifacts::invalid_hdfs_location),
    rule!(artifacts::artifact_path_traversal),
    rule!(artifacts::input_artifact_with_from),
    rule!(workflow::incomplete_executor_plugin),
    rule!(workflow::invalid_label_selector),
    rule!(workflow::unsupported_pod_resource),
    rule!(workflow::invalid_synchronization),
    rule!(workflow::invalid_memoize),
    rule!(policy::require_active_deadline),
    rule!(policy::require_retry_strategy),
    rule!(policy::unpinned_image),
    rule!(policy::require_resource_requests),
];

/// Every rule Bosun can report (loader, classification and checks), sorted by code.
pub fn all_rules() -> Vec<&'static Rule> {
    let mut rules: Vec<&'static Rule> = crate::parse::rules::RULES
        .iter()
        .chain(crate::model::rules::RULES.iter())
        .copied()
        .chain(CHECKS.iter().flat_map(|c| c.rules.iter().copied()))
        .collect();
    rules.sort_by_key(|r| r.code);
    rules
}

/// Every rule with docs: the lint rules, then the DAG-file rules of `bosun gen`/`reverse`
/// (`AG0xx`, [`crate::dagg::rules::RULES`]), which lint never reports.
pub fn documented_rules() -> Vec<&'static Rule> {
    let mut rules = all_rules();
    rules.extend(crate::dagg::rules::RULES.iter().copied());
    rules
}

/// Looks a rule up by code (`AW101`, `AG001`) or name (`unknown-field`), case-insensitively for
/// codes.
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    documented_rules()
        .into_iter()
        .find(|r| r.code.eq_ignore_ascii_case(code_or_name) || r.name == code_or_name)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn codes_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for r in all_rules() {
            assert!(seen.insert(r.code), "duplicate code {}", r.code);
            let digits = r
                .code
                .strip_prefix("AW")
                .or_else(|| r.code.strip_prefix(crate::config::OPT_IN_PREFIX))
                .expect("codes start with AW (or BP for opt-in policy rules)");
            assert!(
                digits.len() == 3 && digits.chars().all(|c| c.is_ascii_digit()),
                "bad code {}",
                r.code
            );
        }
    }

    #[test]
    fn names_are_unique_kebab_case_and_name_the_problem() {
        let mut seen = HashSet::new();
        for r in all_rules() {
            assert!(seen.insert(r.name), "duplicate name {}", r.name);
            assert!(
                r.name
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
                "{} is not kebab-case",
                r.name
            );
            assert!(
                !r.name.starts_with("no-") && !r.name.starts_with("disallow-"),
                "{} names the fix, not the problem",
                r.name
            );
        }
    }

    #[test]
    fn every_rule_documents_what_why_and_examples() {
        for r in all_rules() {
            let docs = r.docs();
            for heading in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
            ] {
                assert!(docs.contains(heading), "{} lacks `{heading}`", r.code);
            }
            assert!(
                !r.summary.ends_with('.'),
                "{} summary ends with a period",
                r.code
            );
        }
    }
}
