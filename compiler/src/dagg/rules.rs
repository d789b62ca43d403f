//! The rules of DAG files, templates and `bosun reverse`, one per file (codes `AG0xx`).
//!
//! They are not lint rules (a manifest never reports them), so they are not in
//! [`crate::checks::all_rules`]; `bosun explain` finds them through [`RULES`].

pub(crate) mod conflicting_commands;
pub(crate) mod duplicate_job_name;
pub(crate) mod job_dependency_cycle;
pub(crate) mod manifest_not_dag_shaped;
pub(crate) mod missing_dag_field;
pub(crate) mod missing_template_value;
pub(crate) mod mistyped_dag_field;
pub(crate) mod template_execution_error;
pub(crate) mod template_syntax_error;
pub(crate) mod unknown_dag_field;
pub(crate) mod unknown_dependency;

use crate::diagnostics::Rule;

/// Every DAG-file rule, sorted by code.
pub static RULES: &[&Rule] = &[
    &missing_dag_field::RULE,
    &mistyped_dag_field::RULE,
    &unknown_dag_field::RULE,
    &duplicate_job_name::RULE,
    &unknown_dependency::RULE,
    &job_dependency_cycle::RULE,
    &conflicting_commands::RULE,
    &template_syntax_error::RULE,
    &template_execution_error::RULE,
    &manifest_not_dag_shaped::RULE,
    &missing_template_value::RULE,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_sorted_unique_and_apart_from_lint_codes() {
        for pair in RULES.windows(2) {
            assert!(
                pair[0].code < pair[1].code,
                "{} before {}",
                pair[0].code,
                pair[1].code
            );
        }
        let lint = crate::checks::all_rules();
        for r in RULES {
            let digits = r
                .code
                .strip_prefix("AG")
                .expect("DAG-file codes start with AG");
            assert!(digits.len() == 3 && digits.chars().all(|c| c.is_ascii_digit()));
            assert!(
                !lint.iter().any(|l| l.name == r.name),
                "{} reuses a lint name",
                r.name
            );
            for heading in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
            ] {
                assert!(r.docs().contains(heading), "{} lacks `{heading}`", r.code);
            }
        }
    }
}
