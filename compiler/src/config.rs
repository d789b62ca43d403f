//! Lint settings: which rules run, at which severity, within which limits.
//!
//! Built once (by the CLI from flags, by the webhook from its config) and passed explicitly.

use crate::diagnostics::{Rule, Severity};
use crate::parse::Limits;

/// Everything that changes what a lint run reports.
#[derive(Clone, Debug, Default)]
pub struct LintSettings {
    pub limits: Limits,
    pub rules: RuleSelection,
}

/// Rule selection: `select` narrows to the listed codes (all when empty), `ignore` removes codes,
/// `severity` overrides default severities. Entries match a full code (`AW101`) or a prefix
/// (`AW1`).
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, Severity)>,
}

impl RuleSelection {
    /// Only the given codes.
    pub fn only(codes: &[&str]) -> Self {
        RuleSelection {
            select: codes.iter().map(|c| c.to_string()).collect(),
            ..Default::default()
        }
    }

    pub fn is_enabled(&self, rule: &Rule) -> bool {
        let matches = |pat: &String| rule.code.starts_with(pat.as_str()) || rule.name == pat;
        (self.select.is_empty() || self.select.iter().any(matches))
            && !self.ignore.iter().any(matches)
    }

    /// The severity of a rule after overrides (the longest matching override wins).
    pub fn severity_of(&self, rule: &Rule, default: Severity) -> Severity {
        self.severity
            .iter()
            .filter(|(pat, _)| rule.code.starts_with(pat.as_str()) || rule.name == pat)
            .max_by_key(|(pat, _)| pat.len())
            .map_or(default, |(_, s)| *s)
    }
}
