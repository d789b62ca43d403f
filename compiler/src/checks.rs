//! The checks and the registry of every rule.
//!
//! A check is a function over one recognised [`Object`]; it walks the typed model itself and
//! pushes diagnostics. Each rule lives in its own file with its docs (see `declare_rule!`).
//! Adding a check: write the file, add it to [`CHECKS`] (sorted by code), add
//! `tests/fixtures/<CODE>/`, accept the snapshot.

mod dag;
mod names;
mod scalar_span;
mod schema;
mod steps;

use crate::config::LintSettings;
use crate::diagnostics::{Diagnostic, Rule};
use crate::model::Object;
use crate::source::SourceMap;

/// What a check may look at besides its object.
pub struct CheckContext<'a> {
    pub sources: &'a SourceMap,
    pub settings: &'a LintSettings,
}

/// A check: the rules it can report and the function that runs it.
pub struct Check {
    pub rules: &'static [&'static Rule],
    pub run: fn(&CheckContext<'_>, &Object<'_>, &mut Vec<Diagnostic>),
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
    Check {
        rules: dag::RULES,
        run: dag::run,
    },
    Check {
        rules: steps::RULES,
        run: steps::run,
    },
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

/// Looks a rule up by code (`AW101`) or name (`unknown-field`), case-insensitively for codes.
pub fn find_rule(code_or_name: &str) -> Option<&'static Rule> {
    all_rules()
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
            let digits = r.code.strip_prefix("AW").expect("codes start with AW");
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
