//! The admission policy: a typed YAML file (`--config FILE`) read and validated once at start-up.
//! It turns into the compiler's [`LintSettings`] (per-code severity overrides, `off` = ignored),
//! names exempt namespaces, says how missing Secrets/ConfigMaps/ServiceAccounts are reported,
//! lists the defaults the mutating endpoint injects when absent, and switches on opt-in rules.
//!
//! ```yaml
//! severity: {AW101: warning, AW5: error, AW3: off}
//! exemptNamespaces: [kube-system]
//! references: warning          # error | warning | off
//! defaults:
//!   serviceAccountName: workflow
//!   activeDeadlineSeconds: 3600
//!   ttlStrategy: {secondsAfterCompletion: 86400}
//!   podGC: {strategy: OnPodSuccess}
//!   labels: {team: data}
//!   imagePullSecrets: [regcred]
//! require: {activeDeadlineSeconds: true, retryStrategy: false, noLatestTag: true, resourceRequests: false}
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use compiler::config::{LintSettings, RuleSelection};
use compiler::diagnostics::Severity;
use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::config::Error;

/// A severity override: a compiler severity, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

/// Injected when absent (Workflow `spec`, CronWorkflow `spec.workflowSpec`).
#[derive(Clone, Debug, Default, PartialEq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Defaults {
    pub service_account_name: Option<String>,
    pub active_deadline_seconds: Option<u64>,
    pub ttl_strategy: Option<Value>,
    #[serde(rename = "podGC")]
    pub pod_gc: Option<Value>,
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
    #[serde(default)]
    pub image_pull_secrets: Vec<String>,
}

impl Defaults {
    pub fn is_empty(&self) -> bool {
        *self == Defaults::default()
    }
}

/// Opt-in rules (codes `BP001`..`BP004`), reported as errors.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Require {
    #[serde(default)]
    pub active_deadline_seconds: bool,
    #[serde(default)]
    pub retry_strategy: bool,
    #[serde(default)]
    pub no_latest_tag: bool,
    #[serde(default)]
    pub resource_requests: bool,
}

/// The policy file.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    /// Severity per rule code or code prefix (`AW101`, `AW5`) or rule name; `off` disables it.
    #[serde(default)]
    pub severity: BTreeMap<String, Level>,
    /// Namespaces whose objects are neither validated nor mutated.
    #[serde(default)]
    pub exempt_namespaces: Vec<String>,
    /// How references to missing Secrets, ConfigMaps and ServiceAccounts are reported.
    #[serde(default = "default_references")]
    pub references: Level,
    /// Defaults the mutating endpoint adds when absent.
    #[serde(default)]
    pub defaults: Defaults,
    /// Opt-in rules, reported as errors.
    #[serde(default)]
    pub require: Require,
}

fn default_references() -> Level {
    Level::Warning
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            severity: BTreeMap::new(),
            exempt_namespaces: Vec::new(),
            references: Level::Warning,
            defaults: Defaults::default(),
            require: Require::default(),
        }
    }
}

fn invalid(message: impl Into<String>) -> Error {
    Error::Invalid {
        flag: "config",
        message: message.into(),
    }
}

impl Policy {
    /// Reads and validates the file.
    pub fn load(path: &Path) -> Result<Policy, Error> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
        Policy::parse(&text).map_err(|e| match e {
            Error::Invalid { message, .. } => invalid(format!("{}: {message}", path.display())),
        })
    }

    /// Parses and validates YAML text.
    pub fn parse(text: &str) -> Result<Policy, Error> {
        let policy: Policy = serde_saphyr::from_str(text).map_err(|e| invalid(e.to_string()))?;
        policy.validate()?;
        Ok(policy)
    }

    fn validate(&self) -> Result<(), Error> {
        for code in self.severity.keys() {
            let known = compiler::checks::all_rules()
                .into_iter()
                .any(|r| r.code.starts_with(code.as_str()) || r.name == code);
            if !known {
                return Err(invalid(format!("severity: no rule matches `{code}`")));
            }
        }
        let d = &self.defaults;
        if let Some(sa) = &d.service_account_name
            && !is_dns_subdomain(sa)
        {
            return Err(invalid(format!(
                "defaults.serviceAccountName `{sa}` is not a valid name"
            )));
        }
        if d.active_deadline_seconds == Some(0) {
            return Err(invalid("defaults.activeDeadlineSeconds must be at least 1"));
        }
        for (field, v) in [("ttlStrategy", &d.ttl_strategy), ("podGC", &d.pod_gc)] {
            if v.as_ref().is_some_and(|v| !v.is_object()) {
                return Err(invalid(format!("defaults.{field} must be a mapping")));
            }
        }
        if let Some(s) = d.image_pull_secrets.iter().find(|s| !is_dns_subdomain(s)) {
            return Err(invalid(format!(
                "defaults.imagePullSecrets: `{s}` is not a valid name"
            )));
        }
        Ok(())
    }

    /// The compiler settings this policy implies.
    pub fn lint_settings(&self) -> LintSettings {
        let mut rules = RuleSelection::default();
        for (code, level) in &self.severity {
            let severity = match level {
                Level::Off => {
                    rules.ignore.push(code.clone());
                    continue;
                }
                Level::Error => Severity::Error,
                Level::Warning => Severity::Warning,
                Level::Info => Severity::Info,
            };
            rules.severity.push((code.clone(), severity));
        }
        LintSettings {
            rules,
            ..LintSettings::default()
        }
    }

    /// Whether reviews in `namespace` are skipped.
    pub fn is_exempt(&self, namespace: &str) -> bool {
        self.exempt_namespaces.iter().any(|n| n == namespace)
    }
}

/// The JSON Schema of the policy file (`schemas/policy.json`).
pub fn json_schema() -> String {
    let mut schema = serde_json::to_value(schemars::schema_for!(Policy)).unwrap_or_default();
    if let Some(m) = schema.as_object_mut() {
        m.insert(
            "$id".into(),
            Value::from("https://bosun.dev/schemas/policy.json"),
        );
        m.insert(
            "title".into(),
            Value::from("bosun-webhook policy (--config)"),
        );
    }
    format!(
        "{}\n",
        serde_json::to_string_pretty(&schema).unwrap_or_default()
    )
}

fn is_dns_subdomain(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 253
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'.')
        && !s.starts_with(['-', '.'])
        && !s.ends_with(['-', '.'])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_policy_parses_and_maps_to_lint_settings() {
        let p = Policy::parse(
            "severity: {AW1: warning, AW5: off}\nexemptNamespaces: [kube-system]\nreferences: error\n\
             defaults: {serviceAccountName: wf, activeDeadlineSeconds: 60, podGC: {strategy: OnPodSuccess}}\n\
             require: {noLatestTag: true}\n",
        )
        .unwrap();
        let s = p.lint_settings();
        assert_eq!(s.rules.ignore, vec!["AW5".to_owned()]);
        assert_eq!(
            s.rules.severity,
            vec![("AW1".to_owned(), Severity::Warning)]
        );
        assert!(p.is_exempt("kube-system") && p.require.no_latest_tag);
        assert_eq!(p.references, Level::Error);
    }

    #[test]
    fn bad_policies_are_rejected_with_the_key() {
        for (text, needle) in [
            ("severity: {ZZ9: error}", "ZZ9"),
            (
                "defaults: {serviceAccountName: Bad_Name}",
                "serviceAccountName",
            ),
            ("defaults: {ttlStrategy: 5}", "ttlStrategy"),
            ("unknownKey: 1", "unknownKey"),
        ] {
            let err = Policy::parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }
}
