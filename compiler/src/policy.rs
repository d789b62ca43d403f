//! The policy file shared by `bosun lint --config FILE` and `bosun-webhook serve --config FILE`,
//! so pre-commit and admission agree: per-code severity overrides (`off` disables a rule),
//! namespaces exempt from checks, how the webhook reports missing Secrets/ConfigMaps/
//! ServiceAccounts, the defaults its mutating endpoint injects, and the opt-in rules
//! `BP001`–`BP004` (compiler checks in `checks/policy/`, enabled by `require`).
//!
//! ```yaml
//! severity: {AW101: warning, AW5: error, AW3: off}
//! exemptNamespaces: [kube-system]
//! references: warning          # error | warning | info | off
//! defaults:
//!   serviceAccountName: workflow
//!   activeDeadlineSeconds: 3600
//!   ttlStrategy: {secondsAfterCompletion: 86400}
//!   podGC: {strategy: OnPodSuccess}
//!   labels: {team: data}
//!   imagePullSecrets: [regcred]
//! require: {activeDeadlineSeconds: true, retryStrategy: false, noLatestTag: true, resourceRequests: false}
//! ```
//!
//! [`Policy::apply`] turns it into [`LintSettings`]; `schemas/policy.json` is [`json_schema`]
//! (kept fresh by the webhook's generated-files test). Parsing is pure: no I/O but
//! [`Policy::load`].

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::Deserialize;
use serde_json::Value;

use crate::config::LintSettings;
use crate::diagnostics::Severity;

/// Why a policy file cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot read policy `{path}`")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(String),
}

/// A severity override: a compiler severity, or `off`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    /// The severity, or `None` for `off`.
    pub fn severity(self) -> Option<Severity> {
        match self {
            Level::Error => Some(Severity::Error),
            Level::Warning => Some(Severity::Warning),
            Level::Info => Some(Severity::Info),
            Level::Off => None,
        }
    }
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

/// Opt-in rules (codes `BP001`..`BP004`), reported as errors unless `severity` says otherwise.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Require {
    /// BP001: Workflows and CronWorkflows set `activeDeadlineSeconds`.
    #[serde(default)]
    pub active_deadline_seconds: bool,
    /// BP002: templates that run pods have a `retryStrategy` (theirs or the spec's).
    #[serde(default)]
    pub retry_strategy: bool,
    /// BP003: images are pinned (no `:latest`, no missing tag).
    #[serde(default)]
    pub no_latest_tag: bool,
    /// BP004: containers set `resources.requests`.
    #[serde(default)]
    pub resource_requests: bool,
}

impl Require {
    /// The codes of the rules switched on.
    pub fn codes(&self) -> Vec<&'static str> {
        [
            (self.active_deadline_seconds, "BP001"),
            (self.retry_strategy, "BP002"),
            (self.no_latest_tag, "BP003"),
            (self.resource_requests, "BP004"),
        ]
        .into_iter()
        .filter_map(|(on, code)| on.then_some(code))
        .collect()
    }
}

/// The policy file.
#[derive(Clone, Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policy {
    /// Severity per rule code or code prefix (`AW101`, `AW5`) or rule name; `off` disables it.
    #[serde(default)]
    pub severity: BTreeMap<String, Level>,
    /// Namespaces whose objects are neither validated nor mutated (nor linted by
    /// `bosun lint --config`).
    #[serde(default)]
    pub exempt_namespaces: Vec<String>,
    /// How references to missing Secrets, ConfigMaps and ServiceAccounts are reported (webhook).
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
    Error::Invalid(message.into())
}

impl Policy {
    /// Reads and validates the file; messages name the file.
    pub fn load(path: &Path) -> Result<Policy, Error> {
        let text = std::fs::read_to_string(path).map_err(|source| Error::Read {
            path: path.to_path_buf(),
            source,
        })?;
        Policy::parse(&text).map_err(|e| invalid(format!("{}: {e}", path.display())))
    }

    /// Parses and validates YAML text.
    pub fn parse(text: &str) -> Result<Policy, Error> {
        let policy: Policy = serde_saphyr::from_str(text).map_err(|e| invalid(e.to_string()))?;
        policy.validate()?;
        Ok(policy)
    }

    fn validate(&self) -> Result<(), Error> {
        for code in self.severity.keys() {
            let known = crate::checks::all_rules()
                .into_iter()
                .any(|r| !code.is_empty() && (r.code.starts_with(code.as_str()) || r.name == code));
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

    /// Adds the policy to `settings`: severity overrides go first, so overrides already in
    /// `settings` (command-line flags) win over equally specific ones; `off` ignores a rule;
    /// `require` enables its opt-in rules; exempt namespaces are not checked.
    pub fn apply(&self, settings: &mut LintSettings) {
        let mut severities = Vec::new();
        for (code, level) in &self.severity {
            match level.severity() {
                Some(s) => severities.push((code.clone(), s)),
                None => settings.rules.ignore.push(code.clone()),
            }
        }
        settings.rules.severity.splice(0..0, severities);
        settings
            .rules
            .enable
            .extend(self.require.codes().into_iter().map(str::to_string));
        settings
            .exempt_namespaces
            .extend(self.exempt_namespaces.iter().cloned());
    }

    /// The compiler settings this policy implies on its own.
    pub fn lint_settings(&self) -> LintSettings {
        let mut settings = LintSettings::default();
        self.apply(&mut settings);
        settings
    }

    /// Whether objects in `namespace` are skipped.
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
            Value::from("Bosun policy (bosun lint --config, bosun-webhook --config)"),
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
            "severity: {AW1: warning, AW5: off, BP003: warning}\nexemptNamespaces: [kube-system]\n\
             references: error\n\
             defaults: {serviceAccountName: wf, activeDeadlineSeconds: 60, podGC: {strategy: OnPodSuccess}}\n\
             require: {noLatestTag: true, activeDeadlineSeconds: true}\n",
        )
        .unwrap();
        let s = p.lint_settings();
        assert_eq!(s.rules.ignore, vec!["AW5".to_owned()]);
        assert_eq!(
            s.rules.severity,
            vec![
                ("AW1".to_owned(), Severity::Warning),
                ("BP003".to_owned(), Severity::Warning)
            ]
        );
        assert_eq!(s.rules.enable, ["BP001", "BP003"]);
        assert_eq!(s.exempt_namespaces, ["kube-system"]);
        assert!(p.is_exempt("kube-system") && p.require.no_latest_tag);
        assert_eq!(p.references, Level::Error);
    }

    #[test]
    fn flags_already_in_the_settings_win_over_the_policy() {
        let p = Policy::parse("severity: {AW003: info}").unwrap();
        let mut s = LintSettings::default();
        s.rules.severity.push(("AW003".into(), Severity::Error));
        p.apply(&mut s);
        let rule = crate::checks::find_rule("AW003").unwrap();
        assert_eq!(
            s.rules.severity_of(rule, Severity::Warning),
            Severity::Error
        );
    }

    #[test]
    fn bad_policies_are_rejected_with_the_key() {
        for (text, needle) in [
            ("severity: {ZZ9: error}", "ZZ9"),
            ("severity: {BP9: error}", "BP9"),
            (
                "defaults: {serviceAccountName: Bad_Name}",
                "serviceAccountName",
            ),
            ("defaults: {ttlStrategy: 5}", "ttlStrategy"),
            ("unknownKey: 1", "unknownKey"),
            ("require: {latest: true}", "latest"),
        ] {
            let err = Policy::parse(text).unwrap_err().to_string();
            assert!(err.contains(needle), "{text}: {err}");
        }
    }

    #[test]
    fn the_schema_describes_every_key() {
        let schema: Value = serde_json::from_str(&json_schema()).unwrap();
        let props = schema["properties"].as_object().unwrap();
        let keys: Vec<&str> = props.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "severity",
                "exemptNamespaces",
                "references",
                "defaults",
                "require"
            ]
        );
        assert_eq!(schema["additionalProperties"], false);
    }
}
