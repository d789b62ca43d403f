//! Lint settings: which rules run, at which severity, within which limits.
//!
//! Built once (by the CLI from flags and `--config`, by the webhook from its policy file, see
//! [`crate::policy`]) and passed explicitly.

use crate::diagnostics::{Rule, Severity};
use crate::parse::Limits;

/// Everything that changes what a lint run reports.
#[derive(Clone, Debug, Default)]
pub struct LintSettings {
    pub limits: Limits,
    pub rules: RuleSelection,
    pub refs: RefSettings,
    /// Objects in these namespaces (their own, else [`RefSettings::namespace`]) are not checked.
    pub exempt_namespaces: Vec<String>,
}

impl LintSettings {
    /// Whether objects in `namespace` are exempt from checks.
    pub fn is_exempt(&self, namespace: &str) -> bool {
        self.exempt_namespaces.iter().any(|n| n == namespace)
    }
}

/// How `templateRef` and `workflowTemplateRef` targets are looked up and what a missing one is.
#[derive(Clone, Debug, Default)]
pub struct RefSettings {
    /// The namespace of documents without `metadata.namespace`, as `kubectl apply -n` would set
    /// it. `None`: they all share one unnamed namespace.
    pub namespace: Option<String>,
    /// Report references to templates that are not found as warnings instead of errors.
    pub allow_missing: bool,
    /// Names of (Cluster)WorkflowTemplates that exist outside the linted files (a trailing `*`
    /// matches a prefix); references to them are not reported.
    pub external: Vec<String>,
}

impl RefSettings {
    /// The namespace a document lives in: its own, else the configured default, else `""`.
    pub fn namespace_of<'s>(&'s self, own: Option<&'s str>) -> &'s str {
        own.or(self.namespace.as_deref()).unwrap_or("")
    }

    /// Whether `name` is declared external.
    pub fn is_external(&self, name: &str) -> bool {
        self.external.iter().any(|pat| match pat.strip_suffix('*') {
            Some(prefix) => name.starts_with(prefix),
            None => pat == name,
        })
    }
}

/// Codes of opt-in rules (the policy's `require`, `BP001`–`BP004`) start with this.
pub const OPT_IN_PREFIX: &str = "BP";

/// Whether a rule only runs when asked for (by `enable`, or by a `select` entry).
pub fn is_opt_in(rule: &Rule) -> bool {
    rule.code.starts_with(OPT_IN_PREFIX)
}

/// Rule selection: `select` narrows to the listed codes (all when empty), `ignore` removes codes,
/// `severity` overrides default severities. Entries match a full code (`AW101`) or a prefix
/// (`AW1`). Opt-in rules ([`is_opt_in`]) run only when `enable` or a non-empty `select` names
/// them.
#[derive(Clone, Debug, Default)]
pub struct RuleSelection {
    pub select: Vec<String>,
    pub ignore: Vec<String>,
    pub severity: Vec<(String, Severity)>,
    /// Opt-in rules switched on (the policy's `require`).
    pub enable: Vec<String>,
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
        let selected = if self.select.is_empty() {
            !is_opt_in(rule) || self.enable.iter().any(matches)
        } else {
            self.select.iter().any(matches)
        };
        selected && !self.ignore.iter().any(matches)
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
